"""The one exception hierarchy. Each front end maps these once: CLI to exit codes,
web to HTTP statuses, MCP to tool errors (docs/architecture.md, "Errors").

Messages are written for a person and speak of the product, never of a flag, a
command or a route: the services do not know which front end called them. Three
optional attributes let each front end add its own hint:

- `field`: the product name of the input at fault (`max_hops`, `person`). The CLI turns
  it into the flag (`--max-hops`), the REST API returns it as `error.field`.
- `remedy`: the use case that fixes the problem (`people.set_me`), named as in the
  use-case catalogue. The CLI says which command runs it, the API which route, MCP
  which tool.
- `suggestions` (NotFound) and `candidates` (Ambiguous): records as (id, name, detail).
"""

from __future__ import annotations

Candidate = tuple[str, str, str]  # (public id, name, detail such as "CFO, Northwind")


class KithbookError(Exception):
    """Base of every error Kithbook raises on purpose."""

    exit_code = 1
    http_status = 400
    code = "error"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        field: str | None = None,
        remedy: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field
        self.remedy = remedy

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        # the message and the hint are two sentences, however the message ends
        end = "" if self.message.rstrip().endswith((".", "?", "!", ":")) else "."
        return f"{self.message}{end} {self.hint}"


class NotFound(KithbookError):
    """Nothing matches; `suggestions` holds the closest records, if any."""

    exit_code = 3
    http_status = 404
    code = "not_found"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        field: str | None = None,
        remedy: str | None = None,
        suggestions: list[Candidate] | None = None,
    ) -> None:
        super().__init__(message, hint=hint, field=field, remedy=remedy)
        self.suggestions = suggestions or []


class Ambiguous(KithbookError):
    """A name matched several records; `candidates` lists (id, name, detail)."""

    exit_code = 4
    http_status = 409
    code = "ambiguous"

    def __init__(
        self,
        message: str,
        candidates: list[Candidate],
        *,
        hint: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint, field=field)
        self.candidates = candidates


class InvalidInput(KithbookError):
    """The input cannot be used as given; `field` names the input at fault."""

    exit_code = 2
    http_status = 422
    code = "invalid_input"


class Conflict(KithbookError):
    """The change contradicts what is stored (a duplicate email, a closed promise)."""

    exit_code = 5
    http_status = 409
    code = "conflict"


class ImportFailed(KithbookError):
    """A file could not be imported; nothing was written."""

    exit_code = 6
    http_status = 422
    code = "import_failed"


class StorageError(KithbookError):
    """The database could not be reached or written."""

    exit_code = 7
    http_status = 503
    code = "storage_error"


class NotAuthenticated(KithbookError):
    """Signing in is needed, or the credentials given are wrong."""

    exit_code = 9
    http_status = 401
    code = "not_authenticated"


class TooManyAttempts(KithbookError):
    """Too many failed sign-ins: wait before trying again (`retry_after` seconds)."""

    exit_code = 8
    http_status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class LinkClosed(KithbookError):
    """A private response link that expired or was withdrawn (docs/private-links.md)."""

    exit_code = 10
    http_status = 410
    code = "link_closed"
