"""Base use cases with in-memory fakes: tenant scoping, references, one commit, file storage."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from uuid import UUID

import pytest

from kisum.application.business.basic.commands import (
    CreateRecord,
    CreateRecordHandler,
    DeleteRecord,
    DeleteRecordHandler,
    UpdateRecord,
    UpdateRecordHandler,
    UploadFile,
    UploadFileHandler,
)
from kisum.application.business.basic.ports import RecordQuery
from kisum.application.business.basic.queries import (
    GetDashboard,
    GetDashboardHandler,
    GetFileContent,
    GetFileContentHandler,
    GetRecord,
    GetRecordHandler,
    ListRecords,
    ListRecordsHandler,
)
from kisum.application.business.basic.settlement import GetSettlement, GetSettlementHandler
from kisum.domain.business.errors import FieldInvalid, FileTypeNotAllowed, RecordNotFound
from kisum.domain.business.records import (
    CompanyProfile,
    Event,
    Expense,
    ExpenseAction,
    FilePolicy,
    IncomeLine,
    Offer,
    ResourceKind,
    TenantRecord,
    TicketTier,
)
from kisum.domain.paging import Page

NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)
ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()


class FixedClock:
    def now(self) -> datetime:
        return NOW


class Ids:
    def new_id(self) -> UUID:
        return uuid.uuid4()


@dataclass
class FakeRecords:
    store: dict[UUID, TenantRecord]
    kind: ResourceKind
    company_id: UUID

    async def get(self, record_id: UUID, *, for_update: bool = False) -> TenantRecord | None:
        record = self.store.get(record_id)
        if record is None or record.company_id != self.company_id or record.kind is not self.kind:
            return None
        return record

    async def add(self, record: TenantRecord) -> None:
        self.store[record.id] = record

    async def save(self, record: TenantRecord) -> None:
        self.store[record.id] = record

    async def delete(self, record: TenantRecord) -> bool:
        return self.store.pop(record.id, None) is not None

    def _mine(self) -> list[TenantRecord]:
        return [r for r in self.store.values() if r.company_id == self.company_id and r.kind is self.kind]

    async def list(self, query: RecordQuery) -> Page[object]:
        items = [r for r in self._mine() if not isinstance(r, Event) or r.is_in(query.window, query.now or NOW)]
        return Page(
            items=items[query.offset : query.offset + query.limit], page=query.page, limit=query.limit, total=len(items)
        )

    async def count(self, filters: dict[str, object] | None = None) -> int:
        return sum(all(getattr(r, k) == v for k, v in (filters or {}).items()) for r in self._mine())

    async def existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        return {r.id for r in self._mine() if r.id in ids}

    async def values_where(self, filters: dict[str, object], fields: list[str]) -> list[tuple[object, ...]]:
        matching = [r for r in self._mine() if all(getattr(r, k) == v for k, v in filters.items())]
        return [tuple(getattr(r, name) for name in fields) for r in matching]


@dataclass
class FakeUow:
    store: dict[UUID, TenantRecord] = field(default_factory=dict)
    commits: int = 0
    read_only_blocks: int = 0
    reading_now: bool = False

    def reading(self) -> Self:
        self.read_only_blocks += 1
        self.reading_now = True
        return self

    def records(self, kind: ResourceKind, company_id: UUID) -> FakeRecords:
        return FakeRecords(self.store, kind, company_id)

    def profiles(self, company_id: UUID) -> Any:
        raise NotImplementedError

    def booking(self, company_id: UUID) -> Any:
        raise NotImplementedError

    async def commit(self) -> None:
        assert not self.reading_now, "commit() in a read-only unit of work"
        self.commits += 1

    async def rollback(self) -> None:
        return None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.reading_now = False


@dataclass
class FakeStorage:
    blobs: dict[str, bytes] = field(default_factory=dict)

    async def save(self, key: str, content: bytes) -> None:
        self.blobs[key] = content

    async def read(self, key: str) -> bytes:
        if key not in self.blobs:
            raise FileNotFoundError(key)
        return self.blobs[key]

    async def delete(self, key: str) -> None:
        self.blobs.pop(key, None)


POLICY = FilePolicy(max_bytes=100, allowed_types=frozenset({"text/plain"}))


async def _create(uow: FakeUow, kind: ResourceKind, company: UUID, **values: object) -> TenantRecord:
    return await CreateRecordHandler(uow, FixedClock(), Ids())(CreateRecord(kind, company, values))


async def test_create_commits_once_and_belongs_to_the_commands_company() -> None:
    uow = FakeUow()
    artist = await _create(uow, ResourceKind.ARTIST, ACME, name="Ada")
    assert uow.commits == 1
    assert uow.store[artist.id].company_id == ACME


async def test_invalid_create_writes_nothing() -> None:
    uow = FakeUow()
    with pytest.raises(FieldInvalid):
        await _create(uow, ResourceKind.ARTIST, ACME, name="")
    assert (uow.commits, uow.store) == (0, {})


async def test_event_may_only_link_records_of_its_own_company() -> None:
    uow = FakeUow()
    own_artist = await _create(uow, ResourceKind.ARTIST, ACME, name="Ada")
    foreign_venue = await _create(uow, ResourceKind.VENUE, GLOBEX, name="Elsewhere")
    commits = uow.commits
    with pytest.raises(FieldInvalid) as raised:
        await _create(uow, ResourceKind.EVENT, ACME, name="Gig", artist_ids=[own_artist.id], venue_id=foreign_venue.id)
    assert raised.value.field == "venueId"
    assert uow.commits == commits
    event = await _create(uow, ResourceKind.EVENT, ACME, name="Gig", artist_ids=[own_artist.id])
    assert isinstance(event, Event)
    assert event.artist_ids == (own_artist.id,)


async def test_another_companys_record_is_not_found_for_get_update_and_delete() -> None:
    uow = FakeUow()
    artist = await _create(uow, ResourceKind.ARTIST, ACME, name="Ada")
    with pytest.raises(RecordNotFound):
        await GetRecordHandler(uow, FixedClock())(GetRecord(ResourceKind.ARTIST, GLOBEX, artist.id))
    with pytest.raises(RecordNotFound):
        await UpdateRecordHandler(uow, FixedClock())(
            UpdateRecord(ResourceKind.ARTIST, GLOBEX, artist.id, {"name": "X"})
        )
    with pytest.raises(RecordNotFound):
        await DeleteRecordHandler(uow, FakeStorage(), FixedClock())(
            DeleteRecord(ResourceKind.ARTIST, GLOBEX, artist.id)
        )
    assert uow.store[artist.id].name == "Ada"  # type: ignore[attr-defined]


async def test_update_changes_given_fields_and_commits_once() -> None:
    uow = FakeUow()
    artist = await _create(uow, ResourceKind.ARTIST, ACME, name="Ada", genre="jazz")
    uow.commits = 0
    updated = await UpdateRecordHandler(uow, FixedClock())(
        UpdateRecord(ResourceKind.ARTIST, ACME, artist.id, {"name": "Ada L."})
    )
    assert (updated.name, updated.genre, uow.commits) == ("Ada L.", "jazz", 1)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("page", "limit", "field"), [(1, 0, "limit"), (1, 101, "limit"), (0, 20, "page")])
async def test_list_bounds_are_enforced(page: int, limit: int, field: str) -> None:
    with pytest.raises(FieldInvalid) as raised:
        await ListRecordsHandler(FakeUow(), FixedClock())(
            ListRecords(ResourceKind.ARTIST, ACME, page=page, limit=limit)
        )
    assert raised.value.field == field


async def test_list_refuses_an_unknown_filter() -> None:
    query = ListRecords(ResourceKind.ARTIST, ACME, filters={"capacity": 3})
    with pytest.raises(FieldInvalid):
        await ListRecordsHandler(FakeUow(), FixedClock())(query)


async def test_upload_stores_bytes_then_row_and_download_returns_them() -> None:
    uow, storage = FakeUow(), FakeStorage()
    stored = await UploadFileHandler(uow, storage, POLICY, FixedClock(), Ids())(
        UploadFile(
            company_id=ACME, uploaded_by=uuid.uuid4(), file_name="a.txt", content_type="text/plain", content=b"hi"
        )
    )
    assert storage.blobs[stored.storage_key] == b"hi"
    assert uow.commits == 1
    record, content = await GetFileContentHandler(uow, storage)(GetFileContent(ACME, stored.id))
    assert (record.id, content) == (stored.id, b"hi")
    with pytest.raises(RecordNotFound):
        await GetFileContentHandler(uow, storage)(GetFileContent(GLOBEX, stored.id))


async def test_refused_upload_stores_nothing() -> None:
    uow, storage = FakeUow(), FakeStorage()
    with pytest.raises(FileTypeNotAllowed):
        await UploadFileHandler(uow, storage, POLICY, FixedClock(), Ids())(
            UploadFile(
                company_id=ACME,
                uploaded_by=uuid.uuid4(),
                file_name="a.exe",
                content_type="application/x-msdownload",
                content=b"MZ",
            )
        )
    assert (storage.blobs, uow.commits) == ({}, 0)


async def test_upload_whose_row_fails_removes_the_bytes() -> None:
    class FailingUow(FakeUow):
        async def commit(self) -> None:
            raise RuntimeError("database down")

    storage = FakeStorage()
    with pytest.raises(RuntimeError):
        await UploadFileHandler(FailingUow(), storage, POLICY, FixedClock(), Ids())(
            UploadFile(
                company_id=ACME, uploaded_by=uuid.uuid4(), file_name="a.txt", content_type="text/plain", content=b"x"
            )
        )
    assert storage.blobs == {}


async def test_deleting_a_file_deletes_its_bytes_after_commit() -> None:
    uow, storage = FakeUow(), FakeStorage()
    stored = await UploadFileHandler(uow, storage, POLICY, FixedClock(), Ids())(
        UploadFile(
            company_id=ACME, uploaded_by=uuid.uuid4(), file_name="a.txt", content_type="text/plain", content=b"x"
        )
    )
    await DeleteRecordHandler(uow, storage, FixedClock())(DeleteRecord(ResourceKind.FILE, ACME, stored.id))
    assert (storage.blobs, uow.commits) == ({}, 2)


async def test_dashboard_counts_only_the_companys_records() -> None:
    uow = FakeUow()
    await _create(uow, ResourceKind.ARTIST, ACME, name="Ada")
    await _create(uow, ResourceKind.ARTIST, GLOBEX, name="Other")
    await _create(uow, ResourceKind.TASK, ACME, name="Open")
    await _create(uow, ResourceKind.TASK, ACME, name="Done", done=True)
    await _create(uow, ResourceKind.EVENT, ACME, name="Soon", starts_at=NOW + timedelta(days=1))
    await _create(uow, ResourceKind.EVENT, ACME, name="Gone", starts_at=NOW - timedelta(days=1))
    dashboard = await GetDashboardHandler(uow, FixedClock())(GetDashboard(ACME))
    assert dashboard.counts["artists"] == 1
    assert (dashboard.counts["tasks"], dashboard.counts["open_tasks"]) == (2, 1)
    assert (dashboard.counts["events"], dashboard.counts["upcoming_events"]) == (2, 1)
    assert [event.name for event in dashboard.upcoming_events] == ["Soon"]


def test_company_profile_defaults_to_empty() -> None:
    assert CompanyProfile(company_id=ACME).legal_name is None


async def test_reads_run_in_read_only_blocks_and_writes_do_not() -> None:
    uow = FakeUow()
    artist = await _create(uow, ResourceKind.ARTIST, ACME, name="Ada")
    assert uow.read_only_blocks == 0  # a write is a transaction
    await GetRecordHandler(uow, FixedClock())(GetRecord(ResourceKind.ARTIST, ACME, artist.id))
    await ListRecordsHandler(uow, FixedClock())(ListRecords(kind=ResourceKind.ARTIST, company_id=ACME))
    await GetDashboardHandler(uow, FixedClock())(GetDashboard(ACME))
    assert (uow.read_only_blocks, uow.commits) == (3, 1)


async def test_a_settlement_reads_in_one_read_only_block_and_counts_each_line_by_its_standing() -> None:
    uow = FakeUow()
    event = await _create(uow, ResourceKind.EVENT, ACME, name="Gig", currency="EUR")
    artist = await _create(uow, ResourceKind.ARTIST, ACME, name="Ada")

    def add(record: TenantRecord) -> None:
        uow.store[record.id] = record

    def line(record_type: type[TenantRecord], **values: object) -> TenantRecord:
        system = {"event_id": event.id, "currency": "EUR"}
        return record_type.create(id=uuid.uuid4(), company_id=ACME, now=NOW, values=values, system=system)

    add(line(TicketTier, name="GA", price=2_500, capacity=200, sold=100))
    add(line(IncomeLine, category="bar", amount=10_000))
    approved = line(Expense, category="sound", estimated_amount=30_000)
    assert isinstance(approved, Expense)
    approved.submit(by=uuid.uuid4(), now=NOW)
    approved.decide(ExpenseAction.APPROVE, now=NOW)
    add(approved)
    add(line(Expense, category="catering", estimated_amount=7_000))
    offer = Offer.create(
        id=uuid.uuid4(),
        company_id=ACME,
        now=NOW,
        values={"event_id": event.id, "artist_id": artist.id, "deal_type": "flat", "guarantee": 50_000},
        system={"status": "accepted"},
    )
    add(offer)
    uow.read_only_blocks = uow.commits = 0

    settlement = await GetSettlementHandler(uow)(GetSettlement(ACME, event.id))

    assert (settlement.ticket_gross, settlement.other_income) == (250_000, 10_000)
    assert (settlement.approved_expenses, settlement.pending_expenses, settlement.net) == (30_000, 7_000, 230_000)
    assert [(p.offer_id, p.amount) for p in settlement.payouts] == [(offer.id, 50_000)]
    assert settlement.promoter_result == 180_000
    assert (uow.read_only_blocks, uow.commits) == (1, 0)
    with pytest.raises(RecordNotFound):
        await GetSettlementHandler(uow)(GetSettlement(GLOBEX, event.id))
