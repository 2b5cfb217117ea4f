"""The company's suggestion history."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from kisum.application.business.ai.ports import AiUnitOfWork
from kisum.domain.business.ai import SuggestionKind, SuggestionNotFound, SuggestionRecord
from kisum.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class GetSuggestion:
    company_id: UUID
    record_id: UUID


@dataclass(frozen=True, slots=True)
class ListSuggestions:
    company_id: UUID
    page: PageRequest = field(default_factory=PageRequest)
    kind: SuggestionKind | None = None


class GetSuggestionHandler:
    def __init__(self, uow: AiUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetSuggestion) -> SuggestionRecord:
        async with self._uow as uow:
            record = await uow.suggestions(query.company_id).get(query.record_id)
        if record is None:
            raise SuggestionNotFound(f"suggestion {query.record_id} does not exist")
        return record


class ListSuggestionsHandler:
    def __init__(self, uow: AiUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListSuggestions) -> Page[SuggestionRecord]:
        async with self._uow as uow:
            return await uow.suggestions(query.company_id).find(query.page, kind=query.kind)
