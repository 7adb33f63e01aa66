"""Where the key of an encrypted database comes from (docs/encryption.md): the OS
keyring first (service "kithbook", the database path as the user name), else a prompt
when someone is at a terminal. Never a config file, an environment variable or a log."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from kithbook.config import Config
from kithbook.errors import StorageError
from kithbook.services.places import places
from kithbook.store import cipher

SERVICE = "kithbook"


def _keyring_get(path: Path) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(SERVICE, str(path.resolve()))
    except (KeyringError, RuntimeError, OSError):
        return None


def keyring_set(path: Path, key: str) -> bool:
    """Keep the key in the OS keyring; False when there is no usable keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return False
    try:
        keyring.set_password(SERVICE, str(path.resolve()), key)
    except (KeyringError, RuntimeError, OSError):
        return False
    return _keyring_get(path) == key


def new_raw_key() -> str:
    return secrets.token_hex(32)


def database_key(config: Config) -> str | None:
    """The key to open the configured database with; None when it is not encrypted."""
    path = places(config).db_path
    if path is None or not cipher.is_encrypted(path):
        return None
    key = _keyring_get(path)
    if key:
        return key
    if sys.stdin.isatty():
        import getpass

        typed = getpass.getpass(f"Key or passphrase for {path.name}: ")
        if typed:
            return typed
    raise StorageError(f"{path.name} is encrypted and no key was found for it.",
                       hint="Store the key in the OS keyring, or run Kithbook in a terminal "
                       "to type it.")
