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
    if text.isascii():
        # Most text is ASCII, where casefold is lower, NFKD changes nothing and no mark
        # combines: the general path below gives the same and cost half a demo load.
        return _SPACE.sub(" ", text.lower()).strip()
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
    stripped = decomposed if decomposed.isascii() else "".join(
        c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


def words(text: str | None) -> list[str]:
    """Folded word tokens, as the search index sees them."""
    return _WORD.findall(fold(text))


_DIGRAPH = re.compile(r"([aou])e+")  # "üe" may be typed "ue" or "uee"


def name_key(text: str | None) -> str:
    """A name as people type it in any spelling: folded, the German transliterations
    made equal (ue, oe, ae -> u, o, a), and everything but letters and digits dropped.
    'Jürgen  Müller', 'juergen mueller' and 'JurgenMuller' share 'jurgenmuller';
    '李 娜' and '李娜' share '李娜'; 'Jean-Luc' and 'Jean Luc' share 'jeanluc'."""
    joined = "".join(c for c in fold(text) if c.isalnum())  # spacing first: "Aa Ea" = "AaEa"
    return _DIGRAPH.sub(r"\1", joined)


def respell(text: str | None) -> str:
    """Folded, with the German transliterations squashed word by word (ue, oe, ae -> u,
    o, a): what a search typed as 'Juergen Mueller' means in the index ('jurgen muller')."""
    return _DIGRAPH.sub(r"\1", fold(text))


_PLURALS = {"person": "people", "child": "children", "was": "were"}


def plural(word: str) -> str:
    """The plural of an English noun as Kithbook uses them ('person' -> 'people',
    'duplicate' -> 'duplicates', 'entry' -> 'entries', 'match' -> 'matches')."""
    head, _, last = word.rpartition(" ")
    if last in _PLURALS:
        out = _PLURALS[last]
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u", ""):
        out = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        out = last + "es"
    else:
        out = last + "s"
    return f"{head} {out}" if head else out


def count(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 person', '2 people', '0 promises': a number with its noun in the right form."""
    return f"{n} {singular if n == 1 else (plural_form or plural(singular))}"
