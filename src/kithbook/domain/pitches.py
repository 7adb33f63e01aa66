"""Elevator pitches: outcome scores, the best pitch per audience, and the pitch to
suggest for a person. Pure; see docs/networking-craft.md.

Each use of a pitch ends in an outcome, scored from 0 to 1:

    advanced 1.0 (a next step was agreed) · interested 0.67 · neutral 0.33 ·
    declined 0.0 · unknown (not scored)

A pitch's score for an audience is the mean outcome of its scored uses, shrunk towards
a neutral 0.5 by PRIOR_USES imaginary uses (a Bayesian average: (sum + 2 x 0.5) /
(n + 2)), so that one lucky use (0.67) does not beat a pitch that worked eight times
out of ten (0.75). A pitch with no scored use scores 0.5. Ties break on more scored
uses, then the better mean rehearsal rating, then the shorter spoken length, then the
name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kithbook.domain.models import Record
from kithbook.domain.text import fold, words

OUTCOMES: dict[str, float | None] = {
    "advanced": 1.0,
    "interested": 0.67,
    "neutral": 0.33,
    "declined": 0.0,
    "unknown": None,
}
PRIOR_USES = 2.0
PRIOR_MEAN = 0.5


def parse_outcome(text: str | None) -> str:
    value = fold(text or "unknown").replace(" ", "_")
    aliases = {"yes": "advanced", "won": "advanced", "no": "declined", "maybe": "interested"}
    value = aliases.get(value, value)
    if value not in OUTCOMES:
        raise ValueError(value)
    return value


def audience_key(text: str | None) -> str:
    """Audiences compare folded: 'Investors ' and 'investors' are one audience."""
    return fold(text)


@dataclass(frozen=True)
class PitchFacts:
    id: str
    name: str
    audience: str
    seconds: int
    outcomes: tuple[str, ...] = ()  # one per use
    ratings: tuple[int, ...] = ()  # rehearsal self-ratings, 1 to 5


@dataclass
class PitchScore(Record):
    id: str
    name: str
    audience: str
    score: float
    uses: int
    scored_uses: int
    mean_outcome: float | None
    mean_rating: float | None
    seconds: int


def score_pitches(pitches: Iterable[PitchFacts]) -> list[PitchScore]:
    """Every pitch scored within its audience, best first within each audience."""
    by_audience: dict[str, list[PitchFacts]] = {}
    for p in pitches:
        by_audience.setdefault(audience_key(p.audience), []).append(p)
    out: list[PitchScore] = []
    for _, group in sorted(by_audience.items()):
        scored: list[PitchScore] = []
        for p in group:
            vals = [v for o in p.outcomes if (v := OUTCOMES.get(o)) is not None]
            score = (sum(vals) + PRIOR_USES * PRIOR_MEAN) / (len(vals) + PRIOR_USES)
            scored.append(
                PitchScore(
                    id=p.id,
                    name=p.name,
                    audience=p.audience,
                    score=round(score, 4),
                    uses=len(p.outcomes),
                    scored_uses=len(vals),
                    mean_outcome=None if not vals else round(sum(vals) / len(vals), 4),
                    mean_rating=None
                    if not p.ratings
                    else round(sum(p.ratings) / len(p.ratings), 2),
                    seconds=p.seconds,
                )
            )
        scored.sort(
            key=lambda s: (
                -s.score,
                -s.scored_uses,
                -(s.mean_rating or 0.0),
                s.seconds,
                fold(s.name),
                s.id,
            )
        )
        out.extend(scored)
    return out


def best_per_audience(pitches: Iterable[PitchFacts]) -> dict[str, PitchScore]:
    """The winning pitch of each audience (keyed by the folded audience)."""
    best: dict[str, PitchScore] = {}
    for s in score_pitches(pitches):
        best.setdefault(audience_key(s.audience), s)
    return best


@dataclass
class PitchSuggestion(Record):
    id: str
    name: str
    audience: str
    why: str
    score: float


def suggest_for(
    person_words: Iterable[str], pitches: Iterable[PitchFacts]
) -> PitchSuggestion | None:
    """The pitch to use with a person: the best pitch of an audience that matches how
    the person is described (tags, title, organization kind, stage), else the best
    pitch overall. An audience matches when all its words appear among the person's
    words ('cfo' matches a 'CFO' title; 'logistics buyer' needs both words)."""
    mine = {w for text in person_words for w in words(text)}
    ranked = score_pitches(pitches)
    if not ranked:
        return None
    for s in sorted(ranked, key=lambda s: -s.score):
        need = set(words(s.audience))
        if need and need <= mine:
            return PitchSuggestion(
                id=s.id, name=s.name, audience=s.audience, score=s.score,
                why=f"best pitch for '{s.audience}', which describes them",
            )
    top = min(ranked, key=lambda s: (-s.score, -s.scored_uses, s.seconds, s.id))
    return PitchSuggestion(
        id=top.id, name=top.name, audience=top.audience, score=top.score,
        why="no audience of yours describes them; this is your best pitch overall",
    )
