"""AI repositories: the suggestion history, filtered by the company the repository was built for."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from kisum.adapters.persistence.ai.tables import SuggestionRequestRow
from kisum.adapters.persistence.tenant import TenantRepository
from kisum.domain.business.ai import Suggestion, SuggestionKind, SuggestionRecord
from kisum.domain.paging import Page, PageRequest


def _suggestion_to_json(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "title": suggestion.title,
        "body": suggestion.body,
        "items": list(suggestion.items),
        "amountMinor": suggestion.amount_minor,
        "currency": suggestion.currency,
    }


def _suggestion_from_json(data: dict[str, Any]) -> Suggestion:
    return Suggestion(
        title=str(data["title"]),
        body=str(data["body"]),
        items=tuple(str(item) for item in data.get("items") or ()),
        amount_minor=data.get("amountMinor"),
        currency=data.get("currency"),
    )


def _to_domain(row: SuggestionRequestRow) -> SuggestionRecord:
    return SuggestionRecord(
        id=row.id,
        company_id=row.company_id,
        requested_by=row.requested_by,
        kind=SuggestionKind(row.kind),
        context=dict(row.context),
        suggestions=tuple(_suggestion_from_json(item) for item in row.suggestions),
        provider=row.provider,
        created_at=row.created_at,
    )


def _to_row(record: SuggestionRecord) -> SuggestionRequestRow:
    return SuggestionRequestRow(
        id=record.id,
        company_id=record.company_id,
        requested_by=record.requested_by,
        kind=record.kind.value,
        context=dict(record.context),
        suggestions=[_suggestion_to_json(item) for item in record.suggestions],
        provider=record.provider,
        created_at=record.created_at,
    )


class SqlSuggestionRepository(TenantRepository[SuggestionRequestRow]):
    row_type = SuggestionRequestRow
    noun = "suggestion"

    async def add(self, record: SuggestionRecord) -> None:
        self.session.add(self._own(_to_row(record)))
        await self.session.flush()

    async def get(self, record_id: UUID) -> SuggestionRecord | None:
        row = await self._find(record_id)
        return None if row is None else _to_domain(row)

    async def find(self, page: PageRequest, *, kind: SuggestionKind | None = None) -> Page[SuggestionRecord]:
        conditions: list[Any] = []
        if kind is not None:
            conditions.append(SuggestionRequestRow.kind == kind.value)
        rows, total = await self._page(
            self._scoped().where(*conditions),
            offset=page.offset,
            limit=page.limit,
            order_by=(SuggestionRequestRow.created_at.desc(), SuggestionRequestRow.id),
        )
        return Page([_to_domain(row) for row in rows], page.page, page.limit, total)
