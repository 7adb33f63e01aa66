"""Normalization of contact values: phones to E.164 (raw kept), emails, LinkedIn
profile URLs, and names (raw display name kept; non-Latin names not split)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_PHONE_CHARS = re.compile(r"[^\d+#*xX;,]")


def clean(text: str | None, limit: int = 10_000) -> str | None:
    """Strip, drop control characters (keep newlines and tabs), cap the length."""
    if text is None:
        return None
    if text.isprintable():
        return text.strip()[:limit] or None
    text = "".join(
        c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs")
    )
    text = text.strip()[:limit]
    return text or None


# A plain ASCII address that email-validator would accept unchanged (a safe subset):
# checked here in microseconds instead of the library's tens of microseconds.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_EMAIL = re.compile(
    rf"^{_ATOM}(?:\.{_ATOM})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$")


@lru_cache(maxsize=4096)
def email(value: str) -> str | None:
    """Normalized email (lowercased, IDNA-safe) or None when it is not one."""
    value = value.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if not value or len(value) > 320 or not _EMAIL_RE.match(value):
        return None
    if len(value.split("@")[0]) <= 64 and _PLAIN_EMAIL.match(value):
        return value.lower()
    try:
        from email_validator import EmailNotValidError, validate_email

        return validate_email(value, check_deliverability=False).normalized.lower()
    except (EmailNotValidError, UnicodeError, ValueError):
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain}".lower() if local and "." in domain else None


@lru_cache(maxsize=8192)
def phone(value: str, region: str | None = None) -> str | None:
    """E.164 form, or None when it cannot be parsed (the raw value is kept anyway)."""
    raw = value.strip()
    if raw.lower().startswith("tel:"):
        raw = raw[4:]
    if not raw or len(raw) > 64 or not any(c.isdigit() for c in raw):
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    import phonenumbers

    try:
        num = phonenumbers.parse(raw, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def url(value: str) -> str:
    """Lowercase scheme and host, drop the fragment and a trailing slash."""
    value = value.strip().replace("\\:", ":")
    if "://" not in value and "." in value.split("/")[0]:
        value = "https://" + value
    try:
        parts = urlsplit(value)
    except ValueError:
        return value
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


_LI_HOST = re.compile(r"^(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com$")


_LI_FAST = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com/in/([A-Za-z0-9_-]{1,100})/?"
    r"(?:\?[^#]*)?$", re.I)


def linkedin_url(value: str | None) -> str | None:
    """The identity form of a LinkedIn profile URL: https://www.linkedin.com/in/<slug>."""
    if not value:
        return None
    fast = _LI_FAST.match(value.strip())
    if fast:
        return f"https://www.linkedin.com/in/{fast.group(1).lower()}"
    text = value.strip().replace("\\:", ":")
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = parts.netloc.lower().split("@")[-1].split(":")[0]
    if not _LI_HOST.match(host):
        return None
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    segs = [s for s in path.split("/") if s]
    if len(segs) >= 2 and segs[0].lower() in ("in", "pub", "company", "profile"):
        from urllib.parse import unquote

        slug = unquote(segs[1]).lower()
        return f"https://www.linkedin.com/{segs[0].lower()}/{slug}"
    return f"https://www.linkedin.com{path.lower()}" if path else None


def is_linkedin(value: str | None) -> bool:
    return linkedin_url(value) is not None


def fast_fold(text: str | None) -> str:
    """domain.text.fold, with a shortcut for plain ASCII (most names and companies)."""
    if not text:
        return ""
    if text.isascii():
        return " ".join(text.lower().split())
    from kithbook.domain.text import fold

    return fold(text)


def _is_latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            try:
                if not unicodedata.name(ch).startswith("LATIN"):
                    return False
            except ValueError:
                return False
    return True


@dataclass
class ParsedName:
    display: str
    given: str | None
    family: str | None


def name(display: str | None, given: str | None = None, family: str | None = None) -> ParsedName:
    """Display name always kept as given; parts filled by nameparser for Latin names."""
    display = clean(display, 300) or ""
    given = clean(given, 200)
    family = clean(family, 200)
    if not display:
        display = " ".join(p for p in (given, family) if p)
    if (given or family) or not display:
        return ParsedName(display, given, family)
    if not _is_latin(display) or "@" in display:
        return ParsedName(display, None, None)
    from nameparser import HumanName

    parsed = HumanName(display)
    first = parsed.first or None
    last = parsed.last or None
    if first and parsed.middle:
        first = f"{first} {parsed.middle}"
    return ParsedName(display, first, last)
