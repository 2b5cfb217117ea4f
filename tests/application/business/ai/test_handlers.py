"""AI handlers against in-memory ports: the brief is validated first, the answer is kept."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

import pytest

from kisum.application.business.ai.commands import RequestSuggestions, RequestSuggestionsHandler
from kisum.application.business.ai.queries import (
    GetSuggestion,
    GetSuggestionHandler,
    ListSuggestions,
    ListSuggestionsHandler,
)
from kisum.domain.business.ai import (
    Brief,
    SetlistBrief,
    Suggestion,
    SuggestionKind,
    SuggestionNotFound,
    SuggestionRecord,
)
from kisum.domain.errors import FieldInvalid
from kisum.domain.paging import Page, PageRequest
from tests.application.business.fakes import FakeClock, FakeIds, FakeUnitOfWork, TenantStore

COMPANY, OTHER, USER = uuid4(), uuid4(), uuid4()


class RecordingProvider:
    def __init__(self) -> None:
        self.briefs: list[Brief] = []

    @property
    def name(self) -> str:
        return "recording/1"

    async def suggest(self, brief: Brief) -> Sequence[Suggestion]:
        self.briefs.append(brief)
        return [Suggestion("Only", "one")]


class FakeSuggestions(TenantStore[SuggestionRecord]):
    async def add(self, record: SuggestionRecord) -> None:
        self.put(record.id, record)

    async def get(self, record_id: UUID) -> SuggestionRecord | None:
        return self.take(record_id)

    async def find(self, page: PageRequest, *, kind: SuggestionKind | None = None) -> Page[SuggestionRecord]:
        return self.page([r for r in self.mine() if kind in (None, r.kind)], page, key=lambda r: r.created_at)


class FakeAiUow(FakeUnitOfWork):
    def __init__(self) -> None:
        self.items: dict[tuple[UUID, UUID], SuggestionRecord] = {}
        super().__init__(self.items)

    def suggestions(self, company_id: UUID) -> FakeSuggestions:
        return FakeSuggestions(self.items, company_id)


@pytest.fixture
def uow() -> FakeAiUow:
    return FakeAiUow()


async def test_the_parsed_brief_goes_to_the_provider_and_the_answer_is_stored(uow: FakeAiUow) -> None:
    provider = RecordingProvider()
    record = await RequestSuggestionsHandler(uow, provider, FakeClock(), FakeIds())(
        RequestSuggestions(COMPANY, "setlist", {"songs": ["A", "B"]}, requested_by=USER)
    )
    assert provider.briefs == [SetlistBrief(("A", "B"))]
    assert uow.items[(COMPANY, record.id)] == record
    assert (record.provider, record.requested_by, record.kind) == ("recording/1", USER, SuggestionKind.SETLIST)
    assert uow.commits == 1


async def test_an_invalid_brief_never_reaches_the_provider(uow: FakeAiUow) -> None:
    provider = RecordingProvider()
    with pytest.raises(FieldInvalid):
        await RequestSuggestionsHandler(uow, provider, FakeClock(), FakeIds())(
            RequestSuggestions(COMPANY, "pricing", {"capacity": 0})
        )
    assert provider.briefs == []
    assert uow.items == {}
    assert uow.commits == 0


async def test_history_is_per_company(uow: FakeAiUow) -> None:
    handler = RequestSuggestionsHandler(uow, RecordingProvider(), FakeClock(), FakeIds())
    record = await handler(RequestSuggestions(OTHER, "setlist", {"songs": ["A"]}))
    assert (await ListSuggestionsHandler(uow)(ListSuggestions(COMPANY))).total == 0
    with pytest.raises(SuggestionNotFound):
        await GetSuggestionHandler(uow)(GetSuggestion(COMPANY, record.id))
