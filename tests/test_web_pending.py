"""Import previews survive a hop between server workers and cannot be abused."""

from __future__ import annotations

from pathlib import Path

from kithbook.web.pending import PendingImports


def test_preview_made_by_one_worker_confirms_on_another(tmp_path: Path) -> None:
    a, b = PendingImports(tmp_path), PendingImports(tmp_path)
    token = a.put(b"BEGIN:VCARD", filename="x.vcf", fmt="vcard")
    got = b.pop(token)
    assert got == {"data": b"BEGIN:VCARD", "filename": "x.vcf", "format": "vcard",
                   "options": {}}
    # the import's options (a LinkedIn archive's "keep the words") travel with it
    kept = a.put(b"PK", filename="a.zip", fmt="linkedin", options={"with_content": True})
    assert b.pop(kept)["options"] == {"with_content": True}
    assert a.pop(token) is None  # one confirmation only
    assert list(tmp_path.iterdir()) == []


def test_tokens_cannot_reach_outside_the_folder(tmp_path: Path) -> None:
    store = PendingImports(tmp_path / "p")
    (tmp_path / "secret.json").write_text('{"filename": "x", "format": null}')
    for bad in ("../secret", "", "a/b", "x" * 200):
        assert store.pop(bad) is None
    assert (tmp_path / "secret.json").exists()


def test_old_and_excess_previews_are_dropped(tmp_path: Path) -> None:
    store = PendingImports(tmp_path, ttl_seconds=3600, max_items=2)
    tokens = [store.put(str(i).encode(), filename=f"{i}", fmt=None) for i in range(4)]
    assert store.pop(tokens[0]) is None
    assert store.pop(tokens[3]) is not None
    expired = PendingImports(tmp_path / "e", ttl_seconds=-1)
    t = expired.put(b"x", filename="x", fmt=None)
    assert expired.pop(t) is None
