"""Bodies (``…Body``) and answers (``…Out``) of the ai API, camelCase on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from kisum.adapters.http.common.schemas import Body, Out
from kisum.domain.business.ai import Suggestion, SuggestionKind, SuggestionRecord


class SuggestionRequestBody(Body):
    """``context`` depends on ``kind``: setlist ``{songs, opener?, closer?, encoreSize?}``;
    event-description ``{eventName, artistName?, venueName?, city?, date?, genre?, tone?}``;
    pricing ``{capacity, costsMinor, currency, targetMarginPercent?, sellThroughPercent?}``."""

    kind: SuggestionKind
    context: dict[str, Any] = msgspec.field(default_factory=dict)


class SuggestionOut(Out):
    title: str
    body: str
    items: list[str]
    amount_minor: int | None
    currency: str | None

    @classmethod
    def of(cls, suggestion: Suggestion) -> SuggestionOut:
        return cls(
            title=suggestion.title,
            body=suggestion.body,
            items=list(suggestion.items),
            amount_minor=suggestion.amount_minor,
            currency=suggestion.currency,
        )


class SuggestionRecordOut(Out):
    id: UUID
    kind: SuggestionKind
    context: dict[str, Any]
    suggestions: list[SuggestionOut]
    provider: str
    requested_by: UUID | None
    created_at: datetime

    @classmethod
    def of(cls, record: SuggestionRecord) -> SuggestionRecordOut:
        return cls(
            id=record.id,
            kind=record.kind,
            context=dict(record.context),
            suggestions=[SuggestionOut.of(item) for item in record.suggestions],
            provider=record.provider,
            requested_by=record.requested_by,
            created_at=record.created_at,
        )


class SuggestionRecordPage(Out):
    items: list[SuggestionRecordOut]
    page: int
    limit: int
    total: int
