"""docs/cli-reference.md is generated from the commands (kithbook.cli.reference) and
must match them: a command, option or help text changed without regenerating the
reference fails here, so the reference in the repository cannot drift."""

from __future__ import annotations

from pathlib import Path

from kithbook.cli.reference import markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli-reference.md"


def test_the_cli_reference_is_current() -> None:
    want = markdown()
    have = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert have == want, (
        "docs/cli-reference.md is out of date: run "
        "`python -m kithbook.cli.reference > docs/cli-reference.md`")


def test_the_reference_names_every_command_with_an_example() -> None:
    text = markdown()
    for command in ("## kithbook today", "## kithbook ally money royalty",
                    "## kithbook capture run", "## kithbook survey send", "## kithbook mcp"):
        assert command in text, command
    sections = text.split("\n## ")[1:]
    groups = {s.split("\n", 1)[0] for s in sections if "    kithbook" not in s}
    # every leaf command shows at least one example (groups may not)
    assert len(groups) < len(sections) // 5, sorted(groups)[:20]
