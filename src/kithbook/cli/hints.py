"""The CLI's half of every error message (docs/architecture.md, "Errors"): services
name the input at fault (`field`) and the use case that fixes it (`remedy`); this
module turns them into a flag and a command line."""

from __future__ import annotations

# use case (as in the catalogue) -> the sentence the CLI adds
REMEDIES: dict[str, str] = {
    "people.set_me": 'Tell Kithbook once: kithbook me "Your Name".',
    "people.add": 'To add them: kithbook add person "NAME".',
    "orgs.add": 'To add it: kithbook add org "NAME".',
    "search.find": "To look it up: kithbook find WORDS.",
    "history.undo": "To reverse a change: kithbook undo (kithbook history lists them).",
    "history.recent": "kithbook history lists them.",
    "promises.list": "kithbook promises lists them with their ids.",
    "people.edit": 'To change them: kithbook edit "NAME".',
    "transfer.import_file": "Name the format: kithbook import FILE --format FORMAT.",
    "economics.reverse": 'To reverse an entry: kithbook ally money reverse "AGREEMENT" SEQ.',
    "transfer.export_json": "To make one: kithbook export json -o FILE.",
    # operations of the CLI alone (no use case in the catalogue)
    "database.check": "To check it: kithbook check.",
    "database.backup": "The commands: kithbook backup FILE, then kithbook restore FILE.",
    "database.migrate": "To upgrade it: kithbook migrate.",
    "database.choose": "Give it with --db FILE or a postgresql+psycopg:// URL (or KITHBOOK_DB).",
}


# service field -> CLI parameter, where the command calls it something else
FIELD_PARAMS: dict[str, str] = {"with_person": "with_", "source": "from_", "with_people": "with_"}


def remedy_hint(remedy: str | None) -> str:
    """The command that fixes an error, as a sentence, or ''."""
    return REMEDIES.get(remedy or "", "")


def flag_for(field: str | None) -> str | None:
    """The option of the running command that carries `field` (`max_hops` ->
    `--max-hops`), or None for positional arguments and unknown fields."""
    if not field:
        return None
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    wanted = {field, field + "_", FIELD_PARAMS.get(field, field)}
    for param in ctx.command.params:
        if param.name in wanted and isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            return longest
    return None
