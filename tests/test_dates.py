"""Dates as people type them (domain/dates.py): table tests in two locales, property
tests, and the same parser through the CLI and the API (docs/dates.md)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kithbook.domain.dates import (
    describe_day,
    format_day,
    order_for_locale,
    parse_day,
    parse_moment,
)
from kithbook.errors import InvalidInput

TODAY = date(2026, 12, 1)  # a Tuesday

COMMON = [
    ("today", date(2026, 12, 1)),
    ("Tomorrow", date(2026, 12, 2)),
    ("yesterday", date(2026, 11, 30)),
    ("friday", date(2026, 12, 4)),
    ("fri", date(2026, 12, 4)),
    ("tuesday", date(2026, 12, 8)),  # the next one, not today
    ("next week", date(2026, 12, 7)),  # Monday of next week
    ("in 3 days", date(2026, 12, 4)),
    ("+3d", date(2026, 12, 4)),
    ("3d", date(2026, 12, 4)),
    ("2w", date(2026, 12, 15)),
    ("in 2 weeks", date(2026, 12, 15)),
    ("+1m", date(2027, 1, 1)),
    ("end of month", date(2026, 12, 31)),
    ("end of next month", date(2027, 1, 31)),
    ("3 days ago", date(2026, 11, 28)),
    ("2026-12-04", date(2026, 12, 4)),
    ("2027/01/15", date(2027, 1, 15)),
    ("4 Dec", date(2026, 12, 4)),
    ("Dec 4, 2027", date(2027, 12, 4)),
    ("31/12", date(2026, 12, 31)),  # only one reading whatever the order
    ("12/31", date(2026, 12, 31)),
    ("11/11", date(2027, 11, 11)),  # both orders agree; the next one ahead
]

US = COMMON[:-3] + [
    ("12/31", date(2026, 12, 31)),
    ("3/4", date(2027, 3, 4)),
    ("1/2/27", date(2027, 1, 2)),
    ("12/25/2026", date(2026, 12, 25)),
]
GB = COMMON[:-3] + [
    ("31/12", date(2026, 12, 31)),
    ("3/4", date(2027, 4, 3)),
    ("1/2/27", date(2027, 2, 1)),
    ("25.12.2026", date(2026, 12, 25)),
]


@pytest.mark.parametrize(("text", "expected"), COMMON)
def test_no_locale(text: str, expected: date) -> None:
    assert parse_day(text, today=TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), US)
def test_en_us(text: str, expected: date) -> None:
    assert parse_day(text, today=TODAY, order=order_for_locale("en_US")) == expected


@pytest.mark.parametrize(("text", "expected"), GB)
def test_en_gb(text: str, expected: date) -> None:
    assert parse_day(text, today=TODAY, order=order_for_locale("en_GB")) == expected


def test_ambiguous_without_locale_is_an_error_naming_both() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_day("3/4", today=TODAY, field="--due")
    assert "4 March" in err.value.message and "3 April" in err.value.message
    assert "locale" in (err.value.hint or "")


@pytest.mark.parametrize("text", ["12/31"])
def test_wrong_order_for_the_locale_is_an_error(text: str) -> None:
    with pytest.raises(InvalidInput, match="not a day of the year"):
        parse_day(text, today=TODAY, order="DMY")


@pytest.mark.parametrize("text", ["", "someday", "31/31", "2026-02-30", "+99999y", "friyay"])
def test_nonsense_is_refused_with_a_hint(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_day(text, today=TODAY, field="--due")
    assert err.value.message.startswith("--due:")


def test_past_direction_for_when_things_happened() -> None:
    assert parse_day("friday", today=TODAY, direction="past") == date(2026, 11, 27)
    assert parse_day("12/25", today=TODAY, direction="past") == date(2025, 12, 25)
    m = parse_moment("yesterday 14:30", today=TODAY)
    assert (m.day, m.at and m.at.hour, m.at and m.at.minute) == (date(2026, 11, 30), 14, 30)
    assert parse_moment("friday at 9am", today=TODAY).day == date(2026, 11, 27)
    assert parse_moment("2026-11-02T10:00", today=TODAY).at is not None


def test_locales() -> None:
    assert order_for_locale("en_US") == "MDY"
    assert order_for_locale("de-DE.UTF-8") == "DMY"
    assert order_for_locale("ja_JP") == "YMD"
    assert order_for_locale("DMY") == "DMY"
    assert order_for_locale(None) is None
    with pytest.raises(InvalidInput):
        order_for_locale("klingon")


def test_echo() -> None:
    assert describe_day(date(2026, 12, 4), TODAY) == "Fri 4 Dec 2026 (in 3 days)"
    assert describe_day(TODAY, TODAY) == "Tue 1 Dec 2026 (today)"


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
orders = st.sampled_from([None, "DMY", "MDY", "YMD"])


@settings(deadline=None, max_examples=300)
@given(day=days, today=days, order=orders)
def test_every_date_it_prints_parses_back(day: date, today: date, order: str | None) -> None:
    printed = format_day(day, order)  # type: ignore[arg-type]
    assert parse_day(printed, today=today, order=order) == day  # type: ignore[arg-type]
    assert parse_day(day.isoformat(), today=today, order=order) == day  # type: ignore[arg-type]


@settings(deadline=None, max_examples=200)
@given(today=days, n=st.integers(min_value=0, max_value=3000))
def test_relative_offsets(today: date, n: int) -> None:
    assert parse_day(f"+{n}d", today=today) == today + timedelta(days=n)
    assert parse_day(f"in {n} days", today=today) == today + timedelta(days=n)
    assert parse_day(f"{n // 7 or 1}w", today=today) == today + timedelta(weeks=n // 7 or 1)


@settings(deadline=None, max_examples=200)
@given(today=days, offset=st.integers(min_value=1, max_value=7))
def test_weekday_names_land_within_a_week(today: date, offset: int) -> None:
    target = today + timedelta(days=offset)
    name = target.strftime("%A")
    assert parse_day(name, today=today) == target
    back = 7 if offset < 7 else 14  # the same weekday as today: a week back
    assert parse_day(name, today=today, direction="past") == target - timedelta(days=back)


# -- through the front ends -----------------------------------------------------------


@pytest.fixture
def cli(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from kithbook.cli.main import app

    monkeypatch.setenv("KITHBOOK_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("KITHBOOK_LOCALE", raising=False)
    runner = CliRunner()

    def run(*args: str, expect: int = 0) -> str:
        result = runner.invoke(app, ["--db", str(tmp_path / "k.db"), "--as-of", "2026-12-01",
                                     *args])
        assert result.exit_code == expect, result.output
        return result.output

    return run


def test_cli_promise_due_friday_is_echoed(cli) -> None:  # type: ignore[no-untyped-def]
    cli("add", "person", "Maria Lopez")
    out = cli("promise", "--to", "Maria Lopez", "send the quote", "--due", "friday")
    assert "Fri 4 Dec 2026 (in 3 days)" in out
    data = json.loads(cli("--json", "promise", "--to", "Maria Lopez", "call back",
                          "--due", "+3d"))
    assert data["due"] == "2026-12-04"
    out = cli("log", "--with", "Maria Lopez", "--when", "yesterday")
    assert "Mon 30 Nov 2026 (yesterday)" in out


def test_cli_ambiguous_date_is_one_line_with_what_to_do(cli) -> None:  # type: ignore[no-untyped-def]
    cli("add", "person", "Maria Lopez")
    out = cli("promise", "--to", "Maria Lopez", "x", "--due", "3/4", expect=2)
    assert "could be" in out and "locale" in out


def test_locale_from_the_environment(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli("add", "person", "Maria Lopez")
    monkeypatch.setenv("KITHBOOK_LOCALE", "de_DE")
    data = json.loads(cli("--json", "promise", "--to", "Maria Lopez", "x", "--due", "3/4"))
    assert data["due"] == "2027-04-03"


def test_api_takes_typed_dates_and_echoes_the_date(client) -> None:  # type: ignore[no-untyped-def]
    client.post("/api/v1/people", json={"name": "Maria Lopez"})
    r = client.post("/api/v1/promises", json={"what": "quote", "to": "Maria Lopez",
                                              "due": "+3d"})
    assert r.status_code == 201, r.text
    assert date.fromisoformat(r.json()["due"]) > date(2020, 1, 1)
    r = client.post("/api/v1/promises", json={"what": "quote", "to": "Maria Lopez",
                                              "due": "someday"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "due"
    r = client.post("/api/v1/interactions", json={"with_people": ["Maria Lopez"],
                                                  "when": "yesterday 10:00"})
    assert r.status_code == 201, r.text
