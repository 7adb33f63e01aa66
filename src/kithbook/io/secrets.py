"""Passwords of capture sources live in the OS keyring (through `keyring`), never in
the database or the config file. Without a usable keyring the front end asks each time."""

from __future__ import annotations

SERVICE = "kithbook"


def _backend_usable() -> bool:
    import keyring
    from keyring.backends import fail

    return not isinstance(keyring.get_keyring(), fail.Keyring)


def get_password(account: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        if not _backend_usable():
            return None
        return keyring.get_password(SERVICE, account)
    except (ImportError, KeyringError, RuntimeError):
        return None


def set_password(account: str, password: str) -> bool:
    """Store it; False when no keyring can hold it (the password is then asked each run)."""
    try:
        import keyring
        from keyring.errors import KeyringError

        if not _backend_usable():
            return False
        keyring.set_password(SERVICE, account, password)
        return True
    except (ImportError, KeyringError, RuntimeError):
        return False


def delete_password(account: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        if _backend_usable():
            keyring.delete_password(SERVICE, account)
    except (ImportError, KeyringError, PasswordDeleteError, RuntimeError):
        return
