"""Base persistence on the real PostgreSQL (and the same migration on SQLite): tenant scoping by construction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kisum.adapters.persistence.basic.uow import SqlBasicUnitOfWork
from kisum.adapters.persistence.database import create_engine, create_session_factory
from kisum.adapters.persistence.migrations import downgrade_engine, upgrade_engine
from kisum.application.business.basic.ports import RecordQuery
from kisum.domain.business.errors import DuplicateValue
from kisum.domain.business.records import RECORD_TYPES, Agency, Artist, CompanyProfile, Event, EventWindow, ResourceKind
from tests.support.postgres import EngineForRole

NOW = datetime.now(UTC)
ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()


def _artist(company: uuid.UUID, name: str) -> Artist:
    return Artist.create(id=uuid.uuid4(), company_id=company, now=NOW, values={"name": name})


def _query(
    kind: ResourceKind,
    *,
    page: int = 1,
    limit: int = 20,
    search: str | None = None,
    filters: dict[str, object] | None = None,
    window: EventWindow = EventWindow.ALL,
    now: datetime | None = None,
) -> RecordQuery:
    """A list request as storage receives it (checked, in the declared order)."""
    order = RECORD_TYPES[kind].DECLARATION.default_sort
    return RecordQuery(page, limit, order, filters or {}, search, window, now)


async def _uow(engine_for: EngineForRole) -> SqlBasicUnitOfWork:
    return SqlBasicUnitOfWork(create_session_factory(await engine_for("basic")))


async def test_rows_of_another_company_are_invisible(engine_for: EngineForRole) -> None:
    uow = await _uow(engine_for)
    mine, theirs = _artist(ACME, "Mine"), _artist(GLOBEX, "Theirs")
    async with uow:
        await uow.records(ResourceKind.ARTIST, ACME).add(mine)
        await uow.records(ResourceKind.ARTIST, GLOBEX).add(theirs)
        await uow.commit()
    async with uow:
        acme = uow.records(ResourceKind.ARTIST, ACME)
        assert (await acme.get(mine.id)).name == "Mine"  # type: ignore[attr-defined]
        assert await acme.get(theirs.id) is None
        page = await acme.list(_query(ResourceKind.ARTIST))
        assert [a.name for a in page.items] == ["Mine"]  # type: ignore[attr-defined]
        assert await acme.count() == 1
        assert await acme.existing_ids({mine.id, theirs.id}) == {mine.id}
        assert await acme.delete(theirs) is False


async def test_repository_refuses_to_write_a_row_of_another_company(engine_for: EngineForRole) -> None:
    uow = await _uow(engine_for)
    async with uow:
        with pytest.raises(ValueError, match="another company"):
            await uow.records(ResourceKind.ARTIST, ACME).add(_artist(GLOBEX, "Sneaky"))


async def test_duplicate_agency_key_is_a_conflict(engine_for: EngineForRole) -> None:
    uow = await _uow(engine_for)

    def agency(company: uuid.UUID) -> Agency:
        return Agency.create(id=uuid.uuid4(), company_id=company, now=NOW, values={"key": "a1", "name": "A"})

    async with uow:
        await uow.records(ResourceKind.AGENCY, ACME).add(agency(ACME))
        await uow.records(ResourceKind.AGENCY, GLOBEX).add(agency(GLOBEX))
        await uow.commit()
    async with uow:
        with pytest.raises(DuplicateValue):
            await uow.records(ResourceKind.AGENCY, ACME).add(agency(ACME))


async def test_event_links_and_windows(engine_for: EngineForRole) -> None:
    uow = await _uow(engine_for)
    artist = _artist(ACME, "Ada")
    upcoming = Event.create(
        id=uuid.uuid4(),
        company_id=ACME,
        now=NOW,
        values={"name": "Soon", "starts_at": NOW + timedelta(days=1), "artist_ids": [artist.id]},
    )
    past = Event.create(
        id=uuid.uuid4(), company_id=ACME, now=NOW, values={"name": "Gone", "starts_at": NOW - timedelta(days=1)}
    )
    async with uow:
        await uow.records(ResourceKind.ARTIST, ACME).add(artist)
        events = uow.records(ResourceKind.EVENT, ACME)
        await events.add(upcoming)
        await events.add(past)
        await uow.commit()
    async with uow:
        events = uow.records(ResourceKind.EVENT, ACME)
        loaded = await events.get(upcoming.id)
        assert loaded.artist_ids == (artist.id,)  # type: ignore[attr-defined]
        soon = await events.list(_query(ResourceKind.EVENT, window=EventWindow.UPCOMING, now=NOW))
        assert [e.name for e in soon.items] == ["Soon"]  # type: ignore[attr-defined]
        by_artist = await events.list(_query(ResourceKind.EVENT, filters={"artist_id": artist.id}))
        assert [e.id for e in by_artist.items] == [upcoming.id]
        assert (await uow.records(ResourceKind.EVENT, GLOBEX).list(_query(ResourceKind.EVENT))).total == 0


async def test_company_profile_is_one_row_per_company(engine_for: EngineForRole) -> None:
    uow = await _uow(engine_for)
    async with uow:
        profile = CompanyProfile(company_id=ACME)
        profile.change({"legal_name": "Acme"}, now=NOW)
        await uow.profiles(ACME).save(profile)
        await uow.commit()
    async with uow:
        assert (await uow.profiles(ACME).get()).legal_name == "Acme"  # type: ignore[union-attr]
        assert await uow.profiles(GLOBEX).get() is None
        with pytest.raises(ValueError, match="another company"):
            await uow.profiles(GLOBEX).save(profile)


async def test_every_index_starts_with_company_id(engine_for: EngineForRole) -> None:
    engine: AsyncEngine = await engine_for("basic")
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'basic' AND indexname LIKE 'ix_%'")
            )
        ).all()
        tables = (
            (
                await connection.execute(
                    text(
                        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'basic' "
                        "AND column_name = 'company_id'"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert rows
    assert all("(company_id," in definition for _, definition in rows)
    assert set(tables) >= {"artists", "events", "event_artists", "agencies", "vendors", "venues", "tasks", "files"}


async def test_migration_runs_on_sqlite_up_and_down(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'basic.db'}", "basic")
    try:
        await upgrade_engine(engine, "basic")
        uow = SqlBasicUnitOfWork(create_session_factory(engine))
        async with uow:
            artist = _artist(ACME, "Ada")
            await uow.records(ResourceKind.ARTIST, ACME).add(artist)
            await uow.commit()
        async with uow:
            assert (await uow.records(ResourceKind.ARTIST, ACME).get(artist.id)).id == artist.id
        await downgrade_engine(engine, "basic")
        async with engine.connect() as connection:
            names = (
                (await connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))).scalars().all()
            )
        assert "artists" not in names
    finally:
        await engine.dispose()


async def test_list_pages_carry_the_total_of_the_company_only(engine_for: EngineForRole) -> None:
    uow = await _uow(engine_for)
    async with uow:
        for name in ("Cher", "abba", "Björk", "Drake", "Enya"):
            await uow.records(ResourceKind.ARTIST, ACME).add(_artist(ACME, name))
        await uow.records(ResourceKind.ARTIST, GLOBEX).add(_artist(GLOBEX, "Other"))
        await uow.commit()
    async with uow:
        acme = uow.records(ResourceKind.ARTIST, ACME)
        first = await acme.list(_query(ResourceKind.ARTIST, page=1, limit=2))
        last = await acme.list(_query(ResourceKind.ARTIST, page=3, limit=2))
        past_the_end = await acme.list(_query(ResourceKind.ARTIST, page=9, limit=2))
        searched = await acme.list(_query(ResourceKind.ARTIST, search="en"))
        nobody = await uow.records(ResourceKind.ARTIST, uuid.uuid4()).list(_query(ResourceKind.ARTIST))
    assert [a.name for a in first.items] == ["abba", "Björk"]  # type: ignore[attr-defined]
    assert isinstance(first.items[0], Artist)
    assert [a.name for a in last.items] == ["Enya"]  # type: ignore[attr-defined]
    assert (first.total, last.total) == (5, 5)
    assert (past_the_end.items, past_the_end.total) == ([], 5)  # no row to carry it: counted apart
    assert ([a.name for a in searched.items], searched.total) == (["Enya"], 1)  # type: ignore[attr-defined]
    assert (nobody.items, nobody.total) == ([], 0)
