"""The one exception hierarchy. Each front end maps these once: CLI to exit codes,
web to HTTP statuses. Messages are written for a person and say what to do next."""

from __future__ import annotations


class KithbookError(Exception):
    """Base of every error Kithbook raises on purpose."""

    exit_code = 1
    http_status = 400
    code = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        # the message and the hint are two sentences, however the message ends
        end = "" if self.message.rstrip().endswith((".", "?", "!", ":")) else "."
        return f"{self.message}{end} {self.hint}"


class NotFound(KithbookError):
    exit_code = 3
    http_status = 404
    code = "not_found"


class Ambiguous(KithbookError):
    """A name matched several records; `candidates` lists (id, name, detail)."""

    exit_code = 4
    http_status = 409
    code = "ambiguous"

    def __init__(
        self, message: str, candidates: list[tuple[str, str, str]], *, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.candidates = candidates


class InvalidInput(KithbookError):
    exit_code = 2
    http_status = 422
    code = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.field = field


class Conflict(KithbookError):
    exit_code = 5
    http_status = 409
    code = "conflict"


class ImportFailed(KithbookError):
    """A file could not be imported; nothing was written."""

    exit_code = 6
    http_status = 422
    code = "import_failed"


class StorageError(KithbookError):
    exit_code = 7
    http_status = 503
    code = "storage_error"


class LinkClosed(KithbookError):
    """A private response link that expired or was withdrawn (docs/private-links.md)."""

    exit_code = 8
    http_status = 410
    code = "link_closed"
