"""The agent interface (kithbook/mcp/): the catalogue's use cases as MCP tools, driven
by the official SDK's own client, in process over memory streams (JSON-RPC framing
and the initialize handshake included) and once as a real `kithbook mcp` subprocess
on stdio."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from mcp import Client, StdioServerParameters

from kithbook.config import Config
from kithbook.mcp import tools as kt
from kithbook.mcp.server import build_server
from kithbook.services.app import Services
from kithbook.services.catalog import catalogue
from kithbook.services.people import NewPerson

T = TypeVar("T")
AS_OF = date(2026, 11, 27)


def _build(path: Path, empty: Path) -> None:
    """The small network at `path`; `empty` gets a copy of the migrated, empty file."""
    Services.open(Config(db=str(path), as_of=AS_OF)).close()
    shutil.copyfile(path, empty)
    svc = Services.open(Config(db=str(path), as_of=AS_OF))
    try:
        svc.people.set_me("Ann Owner")
        svc.people.add(NewPerson(name="Aaliyah Park", emails=["aaliyah@acme.example"],
                                 org="Acme Supply", title="Buyer", tier="A"))
        svc.people.add(NewPerson(name="Zoë Müller", org="Northwind", tier="B"))
        svc.people.add(NewPerson(name="Sam Chen", org="Acme Supply"))
        svc.people.add(NewPerson(name="Sam Chen", org="Globex"))
        svc.ties.tie("me", "Zoë Müller", strength=4)
        svc.ties.tie("Zoë Müller", "Aaliyah Park", strength=4)
    finally:
        svc.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mcp")
    _build(folder / "k.db", folder / "empty.db")
    return folder / "k.db"


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "k.db"
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def svc(db: Path) -> Iterator[Services]:
    s = Services.open(Config(db=str(db), as_of=AS_OF))
    yield s
    s.close()


def session(svc: Services, work: Callable[[Client], Awaitable[T]], *,
            allow_writes: bool = False) -> T:
    """Run `work` with the SDK's client connected to a fresh server over memory streams."""
    server = build_server(svc, allow_writes=allow_writes)

    async def main() -> T:
        async with Client(server, mode="legacy", raise_exceptions=True) as client:
            return await work(client)

    return anyio.run(main)


def names(svc: Services, *, allow_writes: bool = False) -> set[str]:
    async def work(client: Client) -> set[str]:
        return {t.name for t in (await client.list_tools()).tools}

    return session(svc, work, allow_writes=allow_writes)


def call(svc: Services, tool: str, args: dict[str, Any], *,
         allow_writes: bool = False) -> tuple[bool, str]:
    """(is_error, text) of one tool call."""
    async def work(client: Client) -> tuple[bool, str]:
        result = await client.call_tool(tool, args)
        [content] = result.content
        assert content.type == "text"
        return result.is_error, content.text

    return session(svc, work, allow_writes=allow_writes)


# -- the tools -------------------------------------------------------------------------


def test_every_agent_use_case_is_a_tool_with_its_summary_and_an_object_schema() -> None:
    served = {t.use_case.name: t for t in kt.all_tools()}
    assert set(served) == {u.name for u in catalogue() if u.agent}
    assert len({t.name for t in served.values()}) == len(served)  # names do not collide
    for use_case in catalogue():
        tool = served.get(use_case.name)
        if tool is None:
            continue
        assert tool.description == (use_case.summary or use_case.name)
        schema = tool.input_schema()
        assert schema["type"] == "object"
        assert schema.get("additionalProperties") is False


def test_private_keys_and_callbacks_stay_out_of_the_schemas() -> None:
    tools = {t.name: t for t in kt.all_tools()}
    assert "subject_keys" not in tools["links_list"].input_schema()["properties"]
    assert tools["links_list"].skipped == ("subject_keys",)
    assert "prompt" not in tools["capture_run"].input_schema()["properties"]
    for tool in tools.values():
        assert not [p for p in tool.input_schema()["properties"]
                    if p == "key" or p.endswith(("_key", "_keys"))], tool.name


def test_every_input_schema_is_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    for tool in kt.all_tools():
        Draft202012Validator.check_schema(tool.input_schema())


def test_a_person_is_asked_for_as_text() -> None:
    tool = {t.name: t for t in kt.all_tools()}["briefs_brief"]
    props = tool.input_schema()["properties"]
    assert props["person"]["type"] == "string"
    assert tool.input_schema()["required"] == ["person"]


def test_read_only_by_default_and_writes_when_allowed(svc: Services) -> None:
    reads = names(svc)
    writes = names(svc, allow_writes=True)
    write_tools = {t.name for t in kt.all_tools() if t.writes}
    assert {"search_find", "people_show", "agenda_today", "network_path"} <= reads
    assert not reads & write_tools
    assert "people_add" in writes and "history_undo" in writes
    assert writes == reads | write_tools


def test_a_write_tool_is_refused_while_writes_are_off(svc: Services) -> None:
    err, text = call(svc, "people_add", {"new": {"name": "Bo Lind"}})
    assert err and "--allow-writes" in text
    assert svc.search.find("Bo Lind") == []


# -- calls -----------------------------------------------------------------------------


def test_search_people_show_and_agenda(svc: Services) -> None:
    err, text = call(svc, "search_find", {"query": "aaliyah"})
    assert not err
    hits = json.loads(text)
    assert hits[0]["name"] == "Aaliyah Park" and hits[0]["id"].startswith("per_")

    err, text = call(svc, "people_show", {"text": "Zoe Muller"})  # accents optional
    assert not err
    shown = json.loads(text)
    assert shown["name"] == "Zoë Müller" and shown["id"].startswith("per_")
    assert "key" not in shown  # the private key never leaves the process

    err, text = call(svc, "agenda_today", {"limit": 5})
    assert not err
    assert json.loads(text) == json.loads(json.dumps(
        __import__("kithbook.domain.models", fromlist=["as_dict"]).as_dict(
            svc.agenda.today(5)), default=str))


def test_the_result_is_the_one_json_shape(svc: Services) -> None:
    from kithbook.domain.models import as_dict

    err, text = call(svc, "network_path", {"target": "Aaliyah Park"})
    assert not err
    assert json.loads(text) == json.loads(json.dumps(as_dict(svc.network.path("Aaliyah Park")),
                                                     default=str))


def test_a_typo_is_a_tool_error_with_did_you_mean(svc: Services) -> None:
    err, text = call(svc, "people_show", {"text": "Aaliyah Prak"})
    assert err
    assert "Did you mean Aaliyah Park (per_" in text
    assert "Traceback" not in text and "\n" not in text


def test_an_ambiguous_name_lists_the_candidates_with_ids(svc: Services) -> None:
    err, text = call(svc, "people_show", {"text": "Sam Chen"})
    assert err
    assert "'Sam Chen' matches 2 people." in text and text.count("per_") == 2


def test_the_error_names_the_field_and_the_tool_that_fixes_it(template: Path,
                                                             tmp_path: Path) -> None:
    shutil.copyfile(template.parent / "empty.db", tmp_path / "empty.db")
    fresh = Services.open(Config(db=str(tmp_path / "empty.db"), as_of=AS_OF))  # no "me"
    try:
        err, text = call(fresh, "network_reach", {}, allow_writes=True)
        assert err
        assert text.startswith("person: Kithbook does not know who you are yet.")
        assert text.endswith("The tool people_set_me fixes this.")
        err, text = call(fresh, "network_reach", {})  # read-only: the fix needs writes
        assert text.endswith("The tool people_set_me fixes this once writes are enabled "
                             "(kithbook mcp --allow-writes).")
        err, text = call(fresh, "network_path", {"target": "x", "max_hops": 99})
        assert err and text.startswith("max_hops: ")
    finally:
        fresh.close()


def test_bad_arguments_are_a_tool_error(svc: Services) -> None:
    err, text = call(svc, "agenda_today", {"limit": "many"})
    assert err and text.startswith("invalid arguments: limit:")
    err, text = call(svc, "people_show", {})
    assert err and "text: Field required" in text
    err, text = call(svc, "search_find", {"query": "x", "bogus": 1})
    assert err and "bogus" in text


def test_a_write_tool_adds_a_person_when_allowed(svc: Services) -> None:
    err, text = call(svc, "people_add", {"new": {"name": "Bo Lind", "org": "Initech",
                                                 "emails": ["bo@initech.example"]}},
                     allow_writes=True)
    assert not err, text
    added = json.loads(text)
    assert added["name"] == "Bo Lind" and added["id"].startswith("per_")
    assert svc.people.show("bo@initech.example").id == added["id"]
    # and the journal has it: undo (a write tool too) takes it back
    err, text = call(svc, "history_undo", {}, allow_writes=True)
    assert not err, text
    assert svc.search.find("Bo Lind") == []


def test_an_input_dataclass_travels_as_an_object_of_texts(svc: Services) -> None:
    """interactions_log takes NewInteraction; its people are names, resolved once."""
    err, text = call(svc, "interactions_log", {"new": {
        "with_people": ["Aaliyah Park", "zoe muller"], "channel": "call", "minutes": 20,
        "when": "2026-11-26T15:00:00+00:00", "agreed": ["I send the deck"]}},
        allow_writes=True)
    assert not err, text
    logged = json.loads(text)
    assert logged["id"].startswith("int_") and logged["channel"] == "call"
    assert {p["name"] for p in logged["participants"] if p["name"] != "Ann Owner"} == {
        "Aaliyah Park", "Zoë Müller"}
    err, text = call(svc, "interactions_log", {"new": {"with_people": ["Aaliyah Prak"]}},
                     allow_writes=True)
    assert err and "Did you mean Aaliyah Park" in text


def test_a_list_with_its_total_is_the_page_shape(svc: Services) -> None:
    svc.promises.make("send the deck", to="Aaliyah Park", due=date(2026, 12, 1))
    err, text = call(svc, "promises_list", {})
    assert not err, text
    page = json.loads(text)
    assert page["total"] == 1 and page["items"][0]["what"] == "send the deck"
    err, text = call(svc, "people_list", {"tier": "a"})
    assert not err, text
    assert [p["name"] for p in json.loads(text)["items"]] == ["Aaliyah Park"]
    err, text = call(svc, "people_list", {"org": "Acme Supply"})
    assert not err and json.loads(text)["total"] == 2


def test_edit_tag_note_and_delete_with_undo(svc: Services) -> None:
    async def work(client: Client) -> None:  # one session, as an agent would hold it
        async def ok(tool: str, args: dict[str, Any]) -> Any:
            result = await client.call_tool(tool, args)
            text = getattr(result.content[0], "text", "")
            assert not result.is_error, text
            return json.loads(text)

        edited = await ok("people_edit", {"text": "Zoe Muller", "tier": "A",
                                          "add_tags": ["investor"],
                                          "emails": ["zoe@northwind.example"]})
        assert edited["tier"] == "A" and "investor" in edited["tags"]
        tagged = await ok("annotate_tag", {"target": "Northwind", "add": ["customer"],
                                           "remove": []})
        assert tagged["tags"] == ["customer"]
        noted = await ok("annotate_note", {"target": "zoe@northwind.example",
                                           "body": "Likes **data**"})
        assert noted["body"] == "Likes **data**"
        gone = await ok("trash_delete", {"target": "Zoë Müller"})
        assert gone["kind"] == "person" and gone["undo_batch"]
        assert (await client.call_tool("people_show", {"text": "Zoë Müller"})).is_error
        await ok("history_undo", {"batch_id": gone["undo_batch"]})
        assert (await ok("people_show_any", {"text": "Zoë Müller"}))["tier"] == "A"
        orgs = await ok("orgs_list", {"name_prefix": "north"})
        assert orgs["items"][0]["name"] == "Northwind"

    session(svc, work, allow_writes=True)


def test_a_quick_capture_with_promises_both_ways(svc: Services) -> None:
    err, text = call(svc, "interactions_capture", {
        "new": {"with_people": ["Aaliyah Park"], "channel": "meeting",
                "agreed": ["I send the quote by Friday"]},
        "promises": [{"what": "an intro to their COO", "mine": False, "due": "2026-12-10"}],
    }, allow_writes=True)
    assert not err, text
    captured = json.loads(text)
    assert captured["interaction"]["channel"] == "meeting"
    [theirs] = captured["promises"]
    assert theirs["owed_by"]["name"] == "Aaliyah Park" and theirs["due"] == "2026-12-10"
    err, text = call(svc, "interactions_promise_agreed",
                     {"interaction": captured["interaction"]["id"]}, allow_writes=True)
    assert not err, text
    assert json.loads(text)["promises"][0]["owed_to"]["name"] == "Aaliyah Park"


@pytest.mark.parametrize("writes", [False, True], ids=["read tools", "write tools"])
def test_every_tool_answers_json_or_a_one_line_error(svc: Services, writes: bool) -> None:
    """Each tool, called with plain values for what it requires, returns JSON or a
    KithbookError's line: never an exception that would reach the client as a bug.
    (Capture's write tools are left out: they reach for mailboxes and the OS keyring.)"""
    plain = {"string": "Aaliyah Park", "integer": 1, "number": 1.0, "boolean": False,
             "array": []}
    answered = 0
    for tool in kt.all_tools():
        if tool.writes != writes or (writes and tool.name.startswith("capture_")):
            continue
        schema = tool.input_schema()
        args: dict[str, Any] = {}
        for name in schema.get("required", []):
            prop = schema["properties"][name]
            kinds = [prop.get("type")] + [a.get("type") for a in prop.get("anyOf", [])]
            args[name] = next((plain[k] for k in kinds if k in plain), "x")
        try:
            json.loads(kt.call(svc, tool, args))
            answered += 1
        except kt.ToolError as exc:
            assert str(exc) and "\n" not in str(exc), tool.name
    assert answered > 10  # many answer even on this small network


# -- the real thing: `kithbook mcp` on stdio -------------------------------------------


def test_kithbook_mcp_over_stdio(db: Path) -> None:
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "kithbook", "--db", str(db), "mcp"], env=env)

    async def main() -> tuple[set[str], bool, str]:
        async with Client(params, mode="legacy") as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            result = await client.call_tool("people_show", {"text": "aaliyah@acme.example"})
            [content] = result.content
            assert content.type == "text"
            return listed, result.is_error, content.text

    listed, err, text = anyio.run(main)
    assert listed == {t.name for t in kt.tools(allow_writes=False)}
    assert not err and json.loads(text)["name"] == "Aaliyah Park"


def test_kithbook_mcp_list_prints_the_tools_it_would_serve() -> None:
    from typer.testing import CliRunner

    from kithbook.cli.main import app

    out = CliRunner().invoke(app, ["mcp", "--list", "--json"])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.stdout)
    assert listed["total"] == len(listed["items"]) == len(kt.tools())
    assert all(not row["writes"] for row in listed["items"])
    assert {"id", "name", "use_case", "writes", "description"} <= set(listed["items"][0])
    out = CliRunner().invoke(app, ["--json", "mcp", "--list", "--allow-writes"])
    assert json.loads(out.stdout)["total"] == len(kt.all_tools())
