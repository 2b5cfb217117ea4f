"""AI persistence on the real PostgreSQL: the suggestion history per company, and migrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from kisum.adapters.persistence.ai.uow import SqlAiUnitOfWork
from kisum.adapters.persistence.database import create_session_factory
from kisum.domain.business.ai import Suggestion, SuggestionKind, SuggestionRecord
from kisum.domain.paging import PageRequest
from tests.adapters.module_migrations import assert_round_trip, assert_sqlite_round_trip
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def record(company: UUID, kind: SuggestionKind = SuggestionKind.PRICING, minutes: int = 0) -> SuggestionRecord:
    return SuggestionRecord(
        id=uuid4(),
        company_id=company,
        requested_by=uuid4(),
        kind=kind,
        context={"capacity": 100, "costsMinor": 5000, "currency": "EUR"},
        suggestions=(
            Suggestion("Break-even", "50.00 EUR covers it", amount_minor=5000, currency="EUR"),
            Suggestion("Order", "A list", items=("One", "Two")),
        ),
        provider="local-templates/1",
        created_at=NOW + timedelta(minutes=minutes),
    )


@pytest.fixture
async def uow(engine_for: EngineForRole) -> SqlAiUnitOfWork:
    return SqlAiUnitOfWork(create_session_factory(await engine_for("ai")))


async def test_a_record_round_trips_with_its_json_and_stays_in_its_company(uow: SqlAiUnitOfWork) -> None:
    company, other = uuid4(), uuid4()
    stored = record(company)
    async with uow:
        await uow.suggestions(company).add(stored)
        await uow.commit()
    async with uow:
        assert await uow.suggestions(company).get(stored.id) == stored
        assert await uow.suggestions(other).get(stored.id) is None
        assert (await uow.suggestions(other).find(PageRequest())).total == 0


async def test_history_is_newest_first_and_filters_by_kind(uow: SqlAiUnitOfWork) -> None:
    company = uuid4()
    older, newer = record(company, minutes=1), record(company, minutes=2)
    setlist = record(company, SuggestionKind.SETLIST, minutes=3)
    async with uow:
        for item in (older, newer, setlist):
            await uow.suggestions(company).add(item)
        await uow.commit()
    async with uow:
        pricing = await uow.suggestions(company).find(PageRequest(), kind=SuggestionKind.PRICING)
        assert [item.id for item in pricing.items] == [newer.id, older.id]
        assert (await uow.suggestions(company).find(PageRequest(1, 1))).items[0].id == setlist.id


async def test_migrations_go_down_and_up_on_postgres(engine_for: EngineForRole) -> None:
    await assert_round_trip(await engine_for("ai"), "ai", {"suggestion_requests"})


async def test_migrations_go_down_and_up_on_sqlite(tmp_path: Path) -> None:
    await assert_sqlite_round_trip(tmp_path, "ai", {"suggestion_requests"})
