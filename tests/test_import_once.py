"""Issue 9, the import path: an uploaded file's format is detected once (by
services/transfer.py when no format is named; the importer does not detect it again)
and decoded once (detection, or the check of a named format, hands its text to the
reader), whatever the file's size. Counted with monkeypatched
kithbook.io.detect.decode / detect_text around a CSV and a vCard import."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kithbook.config import Config
from kithbook.errors import ImportFailed
from kithbook.io import detect
from kithbook.services.app import Services

GOOGLE = ("Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\n"
          "Ada Lovelace,Ada,Lovelace,* Home,ada@example.com\n")
VCARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
         "EMAIL:grace@example.com\r\nEND:VCARD\r\n")


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()
    decode, detect_text = detect.decode, detect.detect_text

    def counted_decode(data: bytes) -> str:
        calls["decode"] += 1
        return decode(data)

    def counted_detect(text: str) -> str | None:
        calls["detect"] += 1
        return detect_text(text)

    monkeypatch.setattr(detect, "decode", counted_decode)
    monkeypatch.setattr(detect, "detect_text", counted_detect)
    return calls


@pytest.mark.parametrize(("data", "filename", "fmt"),
                         [(GOOGLE, "contacts.csv", "google"), (VCARD, "cards.vcf", "vcard")])
def test_a_file_is_detected_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str,
                                 filename: str, fmt: str) -> None:
    svc = Services.open(Config(db=str(tmp_path / "k.db")))
    try:
        calls = _counting(monkeypatch)
        report: Any = svc.transfer.import_bytes(data.encode(), filename=filename,
                                                dry_run=False)
        assert (report.format, report.created) == (fmt, 1)
        assert calls["detect"] == 1
        assert calls["decode"] == 1  # detection hands the text to the reader
    finally:
        svc.close()


def test_a_named_format_is_still_checked_against_the_content(tmp_path: Path) -> None:
    svc = Services.open(Config(db=str(tmp_path / "k.db")))
    try:
        with pytest.raises(ImportFailed, match="looks like a google file"):
            svc.transfer.import_bytes(GOOGLE.encode(), filename="c.csv", fmt="outlook",
                                      dry_run=True)
    finally:
        svc.close()


def _big_google(rows: int) -> bytes:
    """A Google CSV well over detect.SAMPLE_BYTES, every row with accents."""
    lines = [GOOGLE.splitlines()[0]]
    lines += [f"Zoë Müller {i},Zoë,Müller {i},* Home,zoe{i}@example.com" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("fmt", [None, "google"])
def test_a_large_file_is_decoded_once_detected_or_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str | None) -> None:
    data = _big_google(7000)
    assert len(data) > detect.SAMPLE_BYTES
    svc = Services.open(Config(db=str(tmp_path / "k.db")))
    try:
        calls = _counting(monkeypatch)
        report: Any = svc.transfer.import_bytes(data, filename="big.csv", fmt=fmt,
                                                dry_run=True)
        assert (report.format, report.created) == ("google", 7000)
        assert calls == Counter(decode=1, detect=1)
    finally:
        svc.close()


def test_a_sample_is_never_cut_inside_a_character() -> None:
    """Cut inside a two-byte UTF-8 character, the sample failed UTF-8 and was guessed as
    another code page: 'Zoë' came back as 'ZoÃ«'."""
    data = _big_google(7000)
    lead = next(i for i in range(detect.SAMPLE_BYTES - 200, len(data)) if data[i] >= 0xC0)
    padded = b"#" * (detect.SAMPLE_BYTES - lead - 1) + data  # the cut after the lead byte
    assert padded[detect.SAMPLE_BYTES] & 0xC0 == 0x80
    sample = detect.head(padded)
    assert len(sample) == detect.SAMPLE_BYTES - 1
    text = detect.decode(sample)
    assert "Ã" not in text and padded.decode().startswith(text)
