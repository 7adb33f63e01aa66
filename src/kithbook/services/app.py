"""The Services container: one per process or request, holding the database, the config
and the clock, and exposing each use-case group as an attribute."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from functools import cached_property
from typing import TYPE_CHECKING

from kithbook.config import Config
from kithbook.store.db import Database, open_database

if TYPE_CHECKING:
    from kithbook.services.accounts import AccountService
    from kithbook.services.agenda import AgendaService
    from kithbook.services.alliance_agenda import AllianceAgendaService
    from kithbook.services.alliance_links import AllianceLinkService
    from kithbook.services.alliance_measures import AllianceMeasureService
    from kithbook.services.alliance_views import AllianceViewService
    from kithbook.services.alliance_work import AllianceWorkService
    from kithbook.services.alliances import AllianceService
    from kithbook.services.annotate import AnnotateService
    from kithbook.services.backup import BackupService
    from kithbook.services.bulk_edit import BulkEditService
    from kithbook.services.capture import CaptureService
    from kithbook.services.craft_brief import BriefService
    from kithbook.services.craft_honesty import HonestyService
    from kithbook.services.craft_pitches import PitchService
    from kithbook.services.craft_referrals import ReferralService
    from kithbook.services.craft_research import ResearchService
    from kithbook.services.craft_stories import StoryService
    from kithbook.services.craft_surveys import SurveyService
    from kithbook.services.craft_time import TimeValueService
    from kithbook.services.database import DatabaseService
    from kithbook.services.dates import DateService
    from kithbook.services.dupes import DupesService
    from kithbook.services.economics import EconomicsService
    from kithbook.services.economics_deals import EconomicsDealService
    from kithbook.services.history import HistoryService
    from kithbook.services.interactions import InteractionService
    from kithbook.services.links import LinkService
    from kithbook.services.network import NetworkService
    from kithbook.services.orgs import OrgService
    from kithbook.services.people import PeopleService
    from kithbook.services.privacy import PrivacyService
    from kithbook.services.promises import PromiseService
    from kithbook.services.resolve import Resolver
    from kithbook.services.search import SearchService
    from kithbook.services.settings import SettingsService
    from kithbook.services.ties import TieService
    from kithbook.services.transfer import TransferService
    from kithbook.services.trash import TrashService


def open_store(config: Config, *, migrate: bool = True) -> Database:
    """The database a configuration names, opened (and migrated): what a server shares
    between its requests. Front ends call this instead of reaching into store/."""
    from kithbook.services.keys import database_key

    return open_database(config.db_url, migrate=migrate, key=database_key(config))


class Services:
    def __init__(self, db: Database, config: Config, *, actor: str = "me") -> None:
        self.db = db
        self.config = config
        # The current user; team mode will pass the signed-in member here.
        self.actor = actor

    @classmethod
    def open(cls, config: Config, *, migrate: bool = True) -> Services:
        from kithbook.services.keys import database_key

        svc = cls(open_database(config.db_url, migrate=migrate, key=database_key(config)),
                  config)
        if migrate:
            # an older copy of the file put back by hand forgets the erased again
            svc.privacy.check_register()
        from kithbook import collector

        collector.started()  # a process that started quietly runs as usual from here
        return svc

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def one_change(self, action: str) -> Iterator[str]:
        """Every write made inside, by any use case, is journaled as one change named
        `action`; yields its id, so a front end can offer an Undo of exactly what it
        just did (`history.undo(id)`) rather than of whatever was written last."""
        with self.db.grouped(action) as batch:
            yield batch

    # -- the clock: one place, overridable with --as-of ----------------------------

    @property
    def now(self) -> datetime:
        if self.config.as_of is not None:
            return datetime.combine(self.config.as_of, time(12, 0), tzinfo=UTC)
        return datetime.now(UTC)

    @property
    def today(self) -> date:
        return self.config.as_of or self.now.date()

    # -- use-case groups -------------------------------------------------------------

    @cached_property
    def resolve(self) -> Resolver:
        """The one resolver: what a user typed -> records (services/resolve.py)."""
        from kithbook.services.resolve import Resolver

        return Resolver(self)

    @cached_property
    def people(self) -> PeopleService:
        from kithbook.services.people import PeopleService

        return PeopleService(self)

    @cached_property
    def orgs(self) -> OrgService:
        from kithbook.services.orgs import OrgService

        return OrgService(self)

    @cached_property
    def interactions(self) -> InteractionService:
        from kithbook.services.interactions import InteractionService

        return InteractionService(self)

    @cached_property
    def promises(self) -> PromiseService:
        from kithbook.services.promises import PromiseService

        return PromiseService(self)

    @cached_property
    def search(self) -> SearchService:
        from kithbook.services.search import SearchService

        return SearchService(self)

    @cached_property
    def backup(self) -> BackupService:
        from kithbook.services.backup import BackupService

        return BackupService(self)

    @cached_property
    def ties(self) -> TieService:
        from kithbook.services.ties import TieService

        return TieService(self)

    @cached_property
    def transfer(self) -> TransferService:
        from kithbook.services.transfer import TransferService

        return TransferService(self)

    @cached_property
    def annotate(self) -> AnnotateService:
        from kithbook.services.annotate import AnnotateService

        return AnnotateService(self)

    @cached_property
    def settings(self) -> SettingsService:
        from kithbook.services.settings import SettingsService

        return SettingsService(self)

    @cached_property
    def trash(self) -> TrashService:
        from kithbook.services.trash import TrashService

        return TrashService(self)

    @cached_property
    def history(self) -> HistoryService:
        from kithbook.services.history import HistoryService

        return HistoryService(self)

    # helpers register here: add a cached_property per service group, as above.

    @cached_property
    def bulk(self) -> BulkEditService:
        """Bulk edit of people (services/bulk_edit.py)."""
        from kithbook.services.bulk_edit import BulkEditService

        return BulkEditService(self)

    @cached_property
    def dates(self) -> DateService:
        """Dates as people type them (services/dates.py)."""
        from kithbook.services.dates import DateService

        return DateService(self)

    @cached_property
    def accounts(self) -> AccountService:
        """The people who use Kithbook: sign-in, sessions, personal API tokens."""
        from kithbook.services.accounts import AccountService

        return AccountService(self)

    @cached_property
    def database(self) -> DatabaseService:
        from kithbook.services.database import DatabaseService

        return DatabaseService(self)

    @cached_property
    def privacy(self) -> PrivacyService:
        from kithbook.services.privacy import PrivacyService

        return PrivacyService(self)

    @cached_property
    def capture(self) -> CaptureService:
        from kithbook.services.capture import CaptureService

        return CaptureService(self)

    @cached_property
    def agenda(self) -> AgendaService:
        from kithbook.services.agenda import AgendaService

        return AgendaService(self)

    @cached_property
    def network(self) -> NetworkService:
        from kithbook.services.network import NetworkService

        return NetworkService(self)

    @cached_property
    def dupes(self) -> DupesService:
        """Duplicate people and organizations, and merging them."""
        from kithbook.services.dupes import DupesService

        return DupesService(self)

    # -- alliances (docs/alliance-management.md) ----------------------------------------------

    @cached_property
    def alliances(self) -> AllianceService:
        from kithbook.services.alliances import AllianceService

        return AllianceService(self)

    @cached_property
    def alliance_work(self) -> AllianceWorkService:
        from kithbook.services.alliance_work import AllianceWorkService

        return AllianceWorkService(self)

    @cached_property
    def alliance_measures(self) -> AllianceMeasureService:
        from kithbook.services.alliance_measures import AllianceMeasureService

        return AllianceMeasureService(self)

    @cached_property
    def alliance_views(self) -> AllianceViewService:
        from kithbook.services.alliance_views import AllianceViewService

        return AllianceViewService(self)

    @cached_property
    def alliance_agenda(self) -> AllianceAgendaService:
        from kithbook.services.alliance_agenda import AllianceAgendaService

        return AllianceAgendaService(self)

    @cached_property
    def alliance_links(self) -> AllianceLinkService:
        from kithbook.services.alliance_links import AllianceLinkService

        return AllianceLinkService(self)

    @cached_property
    def economics(self) -> EconomicsService:
        """Alliance economics: royalty agreements, ledger, statements, reconciliation."""
        from kithbook.services.economics import EconomicsService

        return EconomicsService(self)

    @cached_property
    def economics_deals(self) -> EconomicsDealService:
        """Alliance economics: buying groups, joint bids, exit settlement."""
        from kithbook.services.economics_deals import EconomicsDealService

        return EconomicsDealService(self)

    # -- private response links (docs/private-links.md) ------------------------------

    @cached_property
    def links(self) -> LinkService:
        from kithbook.services.links import LinkService

        return LinkService(self)

    # -- the craft of networking (docs/networking-craft.md) ----------------------

    @cached_property
    def research(self) -> ResearchService:
        from kithbook.services.craft_research import ResearchService

        return ResearchService(self)

    @cached_property
    def pitches(self) -> PitchService:
        from kithbook.services.craft_pitches import PitchService

        return PitchService(self)

    @cached_property
    def stories(self) -> StoryService:
        from kithbook.services.craft_stories import StoryService

        return StoryService(self)

    @cached_property
    def honesty(self) -> HonestyService:
        from kithbook.services.craft_honesty import HonestyService

        return HonestyService(self)

    @cached_property
    def briefs(self) -> BriefService:
        from kithbook.services.craft_brief import BriefService

        return BriefService(self)

    @cached_property
    def surveys(self) -> SurveyService:
        from kithbook.services.craft_surveys import SurveyService

        return SurveyService(self)

    @cached_property
    def referrals(self) -> ReferralService:
        from kithbook.services.craft_referrals import ReferralService

        return ReferralService(self)

    @cached_property
    def timevalue(self) -> TimeValueService:
        from kithbook.services.craft_time import TimeValueService

        return TimeValueService(self)
