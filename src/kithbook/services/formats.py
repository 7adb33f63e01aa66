"""Which use case reads or writes which file format.

Each entry imports its module only when that format is used, so `kithbook --help` and
the web start without loading every reader. The entries are typed: mypy checks each
function against the Importer and Exporter protocols below, which a table of
"module:function" strings could not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from kithbook.errors import InvalidInput

if TYPE_CHECKING:
    from kithbook.services.app import Services
    from kithbook.services.import_report import ImportReport


class Exporter(Protocol):
    def __call__(self, svc: Services, *, tag: str | None = None) -> bytes: ...


class Importer(Protocol):
    def __call__(self, svc: Services, data: bytes, *, filename: str, dry_run: bool,
                 **opts: Any) -> ImportReport: ...


def _json_export() -> Exporter:
    from kithbook.services.backup import export_bytes
    return export_bytes


def _ics_export() -> Exporter:
    from kithbook.services.agenda import export_ics
    return export_ics


def _vcard_export() -> Exporter:
    from kithbook.services.exports import export_vcard
    return export_vcard


def _csv_export() -> Exporter:
    from kithbook.services.exports import export_csv
    return export_csv


def _ties_export() -> Exporter:
    from kithbook.services.exports import export_ties
    return export_ties


def _json_import() -> Importer:
    from kithbook.services.backup import import_bytes
    return import_bytes


def _contacts_import() -> Importer:
    from kithbook.services.imports import import_bytes
    return import_bytes


def _ties_import() -> Importer:
    from kithbook.services.imports import import_ties
    return import_ties


EXPORTERS: dict[str, Callable[[], Exporter]] = {
    "json": _json_export,
    "ics": _ics_export,
    "vcard": _vcard_export,
    "csv": _csv_export,
    "ties": _ties_export,
}

# The contact formats share one reader service; it dispatches on `fmt`.
IMPORTERS: dict[str, Callable[[], Importer]] = {
    "json": _json_import,
    "linkedin": _contacts_import,
    "google": _contacts_import,
    "outlook": _contacts_import,
    "vcard": _contacts_import,
    "ties": _ties_import,
}


def exporter(fmt: str) -> Exporter:
    if fmt not in EXPORTERS:
        raise InvalidInput(
            f"unknown export format '{fmt}'",
            field="format",
            hint=f"Choose one of: {', '.join(sorted(EXPORTERS))}.",
        )
    return EXPORTERS[fmt]()


def importer(fmt: str) -> Importer:
    if fmt not in IMPORTERS:
        raise InvalidInput(
            f"unknown import format '{fmt}'",
            field="format",
            hint=f"Choose one of: {', '.join(sorted(IMPORTERS))}.",
        )
    return IMPORTERS[fmt]()
