"""Format, encoding and delimiter detection, by content rather than by file name."""

from __future__ import annotations

import csv
import io

from kithbook.errors import ImportFailed

FORMATS = ("linkedin", "google", "outlook", "vcard", "json", "ties")
MAX_BYTES = 200 * 1024 * 1024  # a bigger contacts file is not a contacts file
SAMPLE_BYTES = 300_000  # what format detection decodes and reads


def head(data: bytes) -> bytes:
    """The first SAMPLE_BYTES of `data`, never cut inside a UTF-8 character: a cut one
    fails UTF-8, and the sample was then guessed as another code page (mojibake, and a
    quarter of a second of charset guessing on every such file)."""
    if len(data) <= SAMPLE_BYTES:
        return data
    cut = SAMPLE_BYTES
    while cut > SAMPLE_BYTES - 4 and data[cut] & 0xC0 == 0x80:  # a continuation byte
        cut -= 1
    return data[:cut]


# Code pages contact files are really written in; anything else charset-normalizer
# guesses on a short sample is more likely wrong than cp1252.
_PLAUSIBLE = {
    "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "mac_roman", "shift_jis", "cp932", "euc_jp", "gb18030", "gb2312", "big5", "euc_kr",
    "cp949", "koi8_r", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_15",
}


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else charset-normalizer, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFailed(f"the file claims UTF-16 but is not: {exc.reason}.") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
        latin = {"cp1250", "iso8859_2", "iso8859_15", "mac_roman", "cp1252", "latin_1"}
        if best is not None and best.encoding in latin:
            try:
                return data.decode("cp1252")  # Outlook's default; near-twins lose to it
            except UnicodeDecodeError:
                pass
        if best is not None and best.encoding in _PLAUSIBLE:
            return data.decode(best.encoding, errors="replace")
    except (LookupError, ValueError):
        pass
    return data.decode("cp1252", errors="replace")


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])[:20_000]
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _header_cells(text: str, delimiter: str, rows: int = 12) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text[:200_000]), delimiter=delimiter)
    out: list[list[str]] = []
    try:
        for _ in range(rows):
            out.append([c.strip().lower() for c in next(reader)])
    except (StopIteration, csv.Error):
        pass
    return out


def detect_text(text: str) -> str | None:
    """The format of decoded text, or None."""
    head = text.lstrip("\ufeff \r\n\t")[:4096]
    upper = head.upper()
    if upper.startswith("BEGIN:VCARD") or "\nBEGIN:VCARD" in upper[:2048]:
        return "vcard"
    if head.startswith("{") and '"kithbook"' in head[:2048].replace(" ", ""):
        return "json"
    if head.startswith("{") or head.startswith("["):
        return "json"
    delimiter = sniff_delimiter(text)
    for cells in _header_cells(text, delimiter):
        s = set(cells)
        if "first name" in s and "last name" in s and "connected on" in s:
            return "linkedin"
        if (
            "labels" in s
            or "group membership" in s
            or "given name" in s
            or any(c.startswith("e-mail 1 - ") for c in s)
        ):
            return "google"
        if "e-mail address" in s or "business phone" in s or "mobile phone" in s:
            return "outlook"
        if "person_a" in s and "person_b" in s:
            return "ties"
    return None


def detect(data: bytes, filename: str = "") -> str:
    """The format of a whole file's bytes; raises ImportFailed when unknown."""
    if data.startswith(b"PK\x03\x04"):
        return "linkedin_zip"
    if looks_binary(data):
        raise ImportFailed(f"{filename or 'the file'} is binary, not a contacts file.")
    fmt = detect_text(decode(head(data)))
    if fmt is None:
        raise ImportFailed(
            f"cannot tell what format {filename or 'the file'} is.",
            hint="Name its format: linkedin, google, outlook, vcard, json or ties.",
            field="format", remedy="transfer.import_file",
        )
    return fmt


def linkedin_from_zip(data: bytes, max_bytes: int = MAX_BYTES) -> bytes:
    """Connections.csv out of a LinkedIn data-export zip, bounded (io/intake.py)."""
    from kithbook.io import intake

    return intake.zip_member(data, "the zip", "Connections.csv",
                             intake.Limits(file_bytes=max_bytes, expanded_bytes=max_bytes))


def detect_format(data: bytes, filename: str = "") -> str | None:
    """The format name for `kithbook import` (a LinkedIn zip is 'linkedin'), or None."""
    if data.startswith(b"PK\x03\x04"):
        return "linkedin"
    if looks_binary(data) or not data.strip():
        return None
    return detect_text(decode(head(data)))
