"""The REST API's half of an error message (docs/architecture.md, "Errors"): services
name the use case that fixes a problem (`remedy`); this module says which request does
it, the way `cli/hints.py` names the command."""

from __future__ import annotations

# use case (as in the catalogue) -> the sentence the API adds
REMEDIES: dict[str, str] = {
    "people.set_me": "Record yourself first (the 'me' person).",
    "people.add": "To add them: POST /api/v1/people.",
    "orgs.add": "To add it: POST /api/v1/organizations.",
    "search.find": "To look it up: GET /api/v1/search?q=WORDS.",
    "history.undo": "To reverse a change: POST /api/v1/undo (GET /api/v1/history lists them).",
    "history.recent": "GET /api/v1/history lists them.",
    "promises.list": "GET /api/v1/promises lists them with their ids.",
    "people.edit": "To change them: PATCH /api/v1/people/{person}.",
    "transfer.import_file": "Name the format: POST /api/v1/import?format=FORMAT.",
    "transfer.export_json": "To make one: GET /api/v1/export/json.",
    "economics.reverse": "To reverse an entry: "
                         "POST /api/v1/agreements/{agreement}/entries/{seq}/reverse.",
}


def remedy_hint(remedy: str | None) -> str | None:
    """The request that fixes an error, as a sentence, or None."""
    return REMEDIES.get(remedy or "")
