"""One config object, built once per entry point from the config file, the
environment (`KITHBOOK_*`) and flags, in that order of precedence (flags win)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from kithbook.errors import InvalidInput

DEFAULT_TIER_CADENCE = {"A": 30, "B": 90, "C": 365}


@dataclass(frozen=True)
class Config:
    db: str
    as_of: date | None = None
    timezone: str = "UTC"
    tier_cadence_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_TIER_CADENCE))
    region: str = "US"
    # how 12/31 vs 31/12 is read (en_US, de_DE... or DMY/MDY/YMD); None: ask when ambiguous
    locale: str | None = None
    # what one import may read (io/intake.py, RELIABILITY.md check 3)
    max_import_bytes: int = 50 * 1024 * 1024
    max_import_expanded_bytes: int = 50 * 1024 * 1024
    max_import_rows: int = 50_000
    max_import_entries: int = 10_000
    max_import_line_chars: int = 1_000_000
    max_import_seconds: int = 120
    # what capture may read (io/intake.py, CaptureLimits): one message, one calendar
    max_capture_message_bytes: int = 150 * 1024 * 1024
    max_capture_calendar_bytes: int = 50 * 1024 * 1024
    max_capture_events: int = 100_000
    # automatic backups (RELIABILITY.md): where, how often, how many to keep
    backup_dir: str | None = None
    backup_every_hours: int = 24
    backup_keep_daily: int = 7
    backup_keep_weekly: int = 4
    backup_keep_monthly: int = 12
    # where partners reach the private response links (/r/<token>): the address this
    # server is known by from outside (docs/private-links.md)
    public_url: str = "http://127.0.0.1:8765"

    @property
    def db_url(self) -> str:
        return db_url(self.db)

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("kithbook", appauthor=False)) / "kithbook.db"


def config_file_path() -> Path:
    from platformdirs import user_config_dir

    override = os.environ.get("KITHBOOK_CONFIG")
    if override:
        return Path(override)
    return Path(user_config_dir("kithbook", appauthor=False)) / "config.toml"


def db_url(db: str) -> str:
    """Turn a path or URL given by the user into an SQLAlchemy URL."""
    if "://" in db:
        if db.startswith("postgres://"):
            return "postgresql+psycopg://" + db[len("postgres://") :]
        if db.startswith("postgresql://"):
            return "postgresql+psycopg://" + db[len("postgresql://") :]
        return db
    if db == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def load(
    *, db: str | None = None, as_of: str | date | None = None, env: dict[str, str] | None = None
) -> Config:
    env = dict(os.environ) if env is None else env
    values: dict[str, object] = {}
    path = Path(env["KITHBOOK_CONFIG"]) if env.get("KITHBOOK_CONFIG") else None
    if path is None:
        try:
            path = config_file_path()
        except Exception:  # platformdirs can fail in odd sandboxes; config is optional
            path = None
    if path is not None and path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(
                f"config file {path} is not valid TOML: {exc}", hint="Fix or remove it."
            ) from exc
    if env.get("KITHBOOK_DB"):
        values["db"] = env["KITHBOOK_DB"]
    if env.get("KITHBOOK_TIMEZONE"):
        values["timezone"] = env["KITHBOOK_TIMEZONE"]
    if env.get("KITHBOOK_REGION"):
        values["region"] = env["KITHBOOK_REGION"]
    if env.get("KITHBOOK_LOCALE"):
        values["locale"] = env["KITHBOOK_LOCALE"]
    if env.get("KITHBOOK_PUBLIC_URL"):
        values["public_url"] = env["KITHBOOK_PUBLIC_URL"]
    if env.get("KITHBOOK_AS_OF"):
        values["as_of"] = env["KITHBOOK_AS_OF"]
    if db:
        values["db"] = db
    if as_of:
        values["as_of"] = as_of
    db_value = str(values.get("db") or default_db_path())
    cfg = Config(db=db_value)
    tiers = values.get("tier_cadence_days")
    if isinstance(tiers, dict):
        merged = dict(DEFAULT_TIER_CADENCE)
        merged.update({str(k).upper(): int(v) for k, v in tiers.items()})
        cfg = replace(cfg, tier_cadence_days=merged)
    if values.get("timezone"):
        cfg = replace(cfg, timezone=str(values["timezone"]))
    if values.get("region"):
        cfg = replace(cfg, region=str(values["region"]).upper())
    if env.get("KITHBOOK_BACKUP_DIR"):
        values["backup_dir"] = env["KITHBOOK_BACKUP_DIR"]
    if values.get("backup_dir"):
        cfg = replace(cfg, backup_dir=str(Path(str(values["backup_dir"])).expanduser()))
    numbers: dict[str, Any] = {}
    for key in ("backup_every_hours", "backup_keep_daily", "backup_keep_weekly",
                "backup_keep_monthly", "max_import_bytes", "max_import_expanded_bytes",
                "max_import_rows", "max_import_seconds", "max_import_entries",
                "max_import_line_chars", "max_capture_message_bytes",
                "max_capture_calendar_bytes", "max_capture_events"):
        if values.get(key) is not None:
            try:
                numbers[key] = max(0, int(str(values[key])))
            except ValueError as exc:
                raise InvalidInput(f"config: {key} must be a whole number.",
                                   hint="Fix the config file.") from exc
    cfg = replace(cfg, **numbers)
    if values.get("locale"):
        from kithbook.domain.dates import order_for_locale

        order_for_locale(str(values["locale"]))  # a bad locale is refused once, here
        cfg = replace(cfg, locale=str(values["locale"]))
    if values.get("public_url"):
        cfg = replace(cfg, public_url=str(values["public_url"]).rstrip("/"))
    raw_as_of = values.get("as_of")
    if raw_as_of:
        cfg = replace(cfg, as_of=parse_date(str(raw_as_of), field_name="--as-of"))
    return cfg


def parse_date(text: str, *, field_name: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(
            f"{field_name}: '{text}' is not a date", field=field_name, hint="Use YYYY-MM-DD."
        ) from exc
