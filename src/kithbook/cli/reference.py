"""The CLI reference, generated from the commands themselves: every command with its
summary, its examples, its arguments and options. `docs/cli-reference.md` is this
module's output, and `tests/test_cli_reference.py` fails when they drift apart, so
the reference cannot go stale (issue 9, "Docs in the repository").

    python -m kithbook.cli.reference > docs/cli-reference.md
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

HEADER = """# Kithbook CLI reference

Generated from the code by `python -m kithbook.cli.reference > docs/cli-reference.md`;
`tests/test_cli_reference.py` fails when this file and the commands disagree. Every
command also answers `--help`; every command that prints data takes `--json`, before or
after the verb, and prints one stable shape (README, "JSON output"). Global options:

"""


def _walk(cmd: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    """Commands in the order `--help` lists them (groups first, then their commands)."""
    subs = getattr(cmd, "commands", None)
    if isinstance(subs, dict):
        if path:
            yield path, cmd
        for name, sub in subs.items():
            if not getattr(sub, "hidden", False):
                yield from _walk(sub, [*path, name])
    else:
        yield path, cmd


def _param(p: Any) -> str:
    if getattr(p, "param_type_name", "") == "argument":
        name = (p.metavar or p.name or "").upper()
        text = getattr(p, "help", None) or ""
        return f"- `{name}`{' (optional)' if not p.required else ''}: {text}".rstrip(": ")
    opts = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
    text = (p.help or "").replace("\n", " ")
    return f"- {opts}: {text}".rstrip(": ")


def _help(text: str) -> tuple[str, list[str], str]:
    """(summary, examples, the rest) of a command's help text."""
    paras = [" ".join(p.split()) for p in (text or "").split("\n\n") if p.strip()]
    if not paras:
        return "", [], ""
    examples: list[str] = []
    rest: list[str] = []
    for p in paras[1:]:
        if p.startswith("Example:"):
            examples += [e.strip() for e in p.split("Example:") if e.strip()]
        else:
            rest.append(p)
    return paras[0], examples, "\n\n".join(rest)


def markdown() -> str:
    """The whole reference as Markdown."""
    import typer

    from kithbook.cli.main import app

    root = typer.main.get_command(app)
    out = [HEADER]
    out += [_param(p) for p in root.params if getattr(p, "name", "") != "help"]
    out.append("")
    out.append("Commands, in the order `kithbook --help` lists them:")
    out.append("")
    for path, cmd in _walk(root, []):
        summary, examples, rest = _help(cmd.help or "")
        out.append(f"## kithbook {' '.join(path)}")
        out.append("")
        if summary:
            out.append(summary)
            out.append("")
        for e in examples:
            out.append(f"    {e}")
        if examples:
            out.append("")
        if rest:
            out.append(rest)
            out.append("")
        params = [_param(p) for p in cmd.params
                  if getattr(p, "name", "") != "help" and "--json" not in getattr(p, "opts", ())]
        if params and not hasattr(cmd, "commands"):
            out += params
            out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
