"""The daily digest: the agenda and the first-day triage on one screen, as plain text
and as HTML, for cron and e-mail (`kithbook digest`). Rendering only."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kithbook.domain.agenda import Agenda, AgendaItem

LABEL = {
    "problem": "Problems", "promise_overdue": "You owe (late)", "promise_due": "You owe",
    "promise_undated": "You owe (no date)", "follow_up": "Follow up", "nudge": "Nudge",
    "keep_in_touch": "Keep in touch", "birthday": "Birthdays",
    "anniversary": "Anniversaries",
}


def _groups(agenda: Agenda) -> dict[str, list[AgendaItem]]:
    out: dict[str, list[AgendaItem]] = {}
    for i in agenda.items:
        out.setdefault(i.kind, []).append(i)
    return out


def _triage_sections(agenda: Agenda) -> list[tuple[str, list[tuple[str, str, str]]]]:
    t = agenda.triage
    if t is None or t.empty:
        return []
    return [(title, [(s.name, s.why, s.action) for s in items]) for title, items in (
        ("Pick your A-list", t.a_list), ("Needs found in notes", t.needs),
        ("Introducers to record", t.introducers), ("Upcoming birthdays", t.birthdays),
        ("Upcoming anniversaries", t.anniversaries))
        if items]


def text(agenda: Agenda) -> str:
    lines = [f"Kithbook, {agenda.as_of.isoformat()}"]
    groups = _groups(agenda)
    if groups:
        lines.append(", ".join(f"{len(v)} {LABEL.get(k, k).lower()}" for k, v in groups.items()))
    elif agenda.triage is not None and agenda.triage.unknown:
        lines.append(f"Nothing due yet; {_unknown(agenda.triage.unknown)} never touched or "
                     "never ranked: see the triage.")
    else:
        lines.append("Nothing due. Well kept.")
    for kind, items in groups.items():
        lines += ["", f"{LABEL.get(kind, kind)} ({len(items)})"]
        for i in items:
            ref = f" [{i.subject_id}]" if i.subject_id else ""
            lines.append(f"- {i.name} ({i.id}){ref}: {i.why} {i.action}")
    for title, rows in _triage_sections(agenda):
        lines += ["", f"{title} ({len(rows)})"]
        lines += [f"- {name}: {why} {action}" for name, why, action in rows]
    if agenda.truncated:
        lines += ["", "More is waiting on today's agenda."]
    return "\n".join(lines) + "\n"


def html(agenda: Agenda) -> str:
    e = escape
    parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>Kithbook, {agenda.as_of.isoformat()}</title></head>",
             "<body style=\"font-family:sans-serif;max-width:40em;color:#111\">",
             f"<h1>Kithbook, {agenda.as_of.isoformat()}</h1>"]
    groups = _groups(agenda)
    if not groups:
        unknown = agenda.triage.unknown if agenda.triage is not None else 0
        parts.append(f"<p>Nothing due yet; {_unknown(unknown)} never touched or never ranked."
                     "</p>" if unknown else "<p>Nothing due. Well kept.</p>")
    for kind, items in groups.items():
        parts.append(f"<h2>{e(LABEL.get(kind, kind))} ({len(items)})</h2><ul>")
        for i in items:
            ref = f" <code>{e(i.subject_id)}</code>" if i.subject_id else ""
            parts.append(f"<li><b>{e(i.name)}</b>{ref}: {e(i.why)} <i>{e(i.action)}</i></li>")
        parts.append("</ul>")
    for title, rows in _triage_sections(agenda):
        parts.append(f"<h2>{e(title)} ({len(rows)})</h2><ul>")
        parts += [f"<li><b>{e(n)}</b>: {e(w)} <code>{e(a)}</code></li>" for n, w, a in rows]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _unknown(n: int) -> str:
    """'1 person is' / '3 people are'."""
    from kithbook.domain.text import count

    return f"{count(n, 'person')} {'is' if n == 1 else 'are'}"
