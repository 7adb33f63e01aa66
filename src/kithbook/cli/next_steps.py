"""The command lines the CLI adds to the agenda, the first-day triage and the pruning
review (docs/architecture.md, "Errors" has the same split for error hints): services
and domain rules say what to do in the product's words, and carry the kind of the item
and the ids it is about; this module names the `kithbook` command that does it. The web
pages and the REST API show the words and act through their own forms and routes."""

from __future__ import annotations

from typing import Any


def _q(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def agenda_command(item: Any) -> str:
    """The command for an agenda item (people, craft), by its kind; '' if none."""
    kind, who, subject = item.kind, item.id, item.subject_id or ""
    if kind.startswith("promise_") and subject:
        return f"kithbook done {subject}"
    by_kind = {
        "nudge": f"kithbook done {subject} (when it comes)" if subject else "",
        "keep_in_touch": f"kithbook touched {who}",
        "follow_up": f"kithbook touched {who}",
        "problem": 'kithbook me "Your Name"' if who == "me" else f"kithbook show {who}",
        "meeting": f"kithbook brief {who}",
        "event_plan": f"kithbook brief {who}",
        "verify_claim": f"kithbook claim check {subject} verified|false --source ...",
        "thank_referrer": f"kithbook referral thank {subject}",
        "report_back": f"kithbook referral reported {subject}",
        "ask_referral": f"kithbook referral asked {who}",
        "thank_respondent": f"kithbook survey thank {subject} {who}",
        "send_survey": f"kithbook survey send {subject} PERSON",
        "close_survey": f"kithbook survey results {subject}; then: kithbook survey close "
                        f"{subject}",
    }
    return by_kind.get(kind, "")


def triage_command(section: str, suggestion: Any) -> str:
    """The command for a first-day suggestion, by its section of the triage."""
    if section == "a_list":
        return f"kithbook edit {suggestion.id} --tier A   (or B, C)"
    if section == "needs" and suggestion.text:
        return f"kithbook need {suggestion.id} {_q(suggestion.text[:80])}"
    if section == "introducers" and suggestion.text:
        return f"kithbook tie {suggestion.id} {_q(suggestion.text)} --kind introduced"
    return ""


def prune_command(proposal: Any) -> str:
    """The command that carries out a pruning proposal."""
    if proposal.action == "archive":
        return f"kithbook archive {proposal.id} --reason {_q(proposal.reasons[0])}"
    if proposal.action == "downgrade" and proposal.to_tier:
        return f"kithbook edit {proposal.id} --tier {proposal.to_tier}"
    if proposal.to_cadence_days:
        return f"kithbook edit {proposal.id} --cadence {proposal.to_cadence_days}d"
    return f"kithbook show {proposal.id}"
