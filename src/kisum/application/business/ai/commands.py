"""Ask for suggestions: validate the brief, ask the provider, keep request and answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from kisum.application.business.ai.ports import AiUnitOfWork, SuggestionProvider
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.ai import SuggestionRecord, parse_brief, parse_kind


@dataclass(frozen=True, slots=True)
class RequestSuggestions:
    company_id: UUID
    kind: str
    context: Mapping[str, object] = field(default_factory=dict)
    requested_by: UUID | None = None


class RequestSuggestionsHandler:
    """The provider is called outside the transaction; only the finished record is written."""

    def __init__(self, uow: AiUnitOfWork, provider: SuggestionProvider, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._provider, self._clock, self._ids = uow, provider, clock, ids

    async def __call__(self, command: RequestSuggestions) -> SuggestionRecord:
        kind = parse_kind(command.kind)
        brief = parse_brief(kind, command.context)
        suggestions = tuple(await self._provider.suggest(brief))
        record = SuggestionRecord(
            id=self._ids.new_id(),
            company_id=command.company_id,
            requested_by=command.requested_by,
            kind=kind,
            context=dict(command.context),
            suggestions=suggestions,
            provider=self._provider.name,
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.suggestions(command.company_id).add(record)
            await uow.commit()
        return record
