"""Encryption at rest (SQLCipher): no plaintext in the database, its WAL or its backups;
the key from the OS keyring (a memory keyring stands in for it here); a wrong key is a
clean error; the pragmas hold on SQLCipher's own SQLite build too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kithbook.config import Config
from kithbook.errors import StorageError
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

pytest.importorskip("sqlcipher3", reason="the SQLCipher binding is not installed")
keyring = pytest.importorskip("keyring", reason="keyring is not installed")

CANARIES = (b"canary-crypt-4k7w", b"Ximena Vasquez-Obrador", b"+1 202 555 0199")


class MemoryKeyring(keyring.backend.KeyringBackend):  # type: ignore[misc, name-defined]
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


def _files(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.parent.iterdir())
                    if p.is_file() and p.name.startswith(path.name))


def _open(path: Path) -> Services:
    return Services.open(Config(db=str(path), as_of=date(2026, 11, 27)))


def test_encrypted_database_backups_and_keys(tmp_path: Path,
                                             memory_keyring: MemoryKeyring) -> None:
    path = tmp_path / "k.db"
    svc = _open(path)
    svc.people.add(NewPerson(name="Ximena Vasquez-Obrador", phones=["+1 202 555 0199"],
                             note="canary-crypt-4k7w"))
    result = svc.database.encrypt()
    assert result.key_in_keyring
    svc.close()
    assert all(c not in _files(path) for c in CANARIES)

    svc = _open(path)  # the key comes from the keyring
    assert svc.people.resolve("Ximena Vasquez-Obrador").name == "Ximena Vasquez-Obrador"
    svc.people.add(NewPerson(name="Another Person", note="canary-crypt-4k7w"))
    with svc.db.read() as conn:
        pragmas = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
                   ("journal_mode", "synchronous", "foreign_keys", "secure_delete",
                    "trusted_schema", "cipher_version")}
    assert pragmas["journal_mode"] == "wal" and pragmas["secure_delete"] == 1
    assert pragmas["foreign_keys"] == 1 and pragmas["synchronous"] == 2
    assert pragmas["cipher_version"]
    assert all(c not in _files(path) for c in CANARIES)  # the WAL too
    backup = svc.database.backup(tmp_path / "backup.db").path
    assert all(c not in backup.read_bytes() for c in CANARIES)
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    svc.people.add(NewPerson(name="Added After Backup"))
    svc.database.restore(backup)
    assert "Added After Backup" not in {p.name for p in svc.people.list().items}
    svc.close()

    memory_keyring.set_password("kithbook", str(path.resolve()), "0" * 64)
    with pytest.raises(StorageError, match="key is wrong"):
        _open(path)
