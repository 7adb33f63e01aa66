"""Text folding shared by search, name resolution and duplicate detection."""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose but that people type without the mark.
_EXTRA = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ı": "i",
        "ß": "ss",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lowercase, strip diacritics, collapse whitespace: 'Müller  Ø' -> 'muller o'."""
    if not text:
        return ""
    # casefold and NFKD feed each other (e.g. "İ" casefolds to i + a combining dot,
    # "ℌ" decomposes to "H"), so repeat to a fixed point: fold(fold(x)) == fold(x).
    for _ in range(4):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


def _fold_once(text: str) -> str:
    text = text.casefold().translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


def words(text: str | None) -> list[str]:
    """Folded word tokens, as the search index sees them."""
    return _WORD.findall(fold(text))
