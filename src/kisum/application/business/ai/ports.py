"""Ports of the ai backend: who writes suggestions, and where answered requests are kept."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from kisum.domain.business.ai import Brief, Suggestion, SuggestionKind, SuggestionRecord
from kisum.domain.paging import Page, PageRequest


class SuggestionProvider(Protocol):
    """Turns a validated brief into suggestions (a template engine here, a model elsewhere).

    A provider that cannot answer raises ``kisum.domain.errors.Unavailable``.
    """

    @property
    def name(self) -> str:
        """Stable identifier stored with every answer (e.g. ``local-templates/1``)."""
        ...

    async def suggest(self, brief: Brief) -> Sequence[Suggestion]: ...


class SuggestionRepository(Protocol):
    """The suggestion history of one company; another company's record is simply absent."""

    async def add(self, record: SuggestionRecord) -> None: ...

    async def get(self, record_id: UUID) -> SuggestionRecord | None: ...

    async def find(self, page: PageRequest, *, kind: SuggestionKind | None = None) -> Page[SuggestionRecord]:
        """Newest first."""
        ...


class AiUnitOfWork(Protocol):
    def suggestions(self, company_id: UUID) -> SuggestionRepository: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
