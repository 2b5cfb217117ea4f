"""Ports shared by every bounded context: time and identity come from outside the domain.

One not-found convention for every repository (auth, core and the business backends): absence
is an answer, not an error. A repository's ``get`` (and ``get_by_…``) returns ``X | None``, and a
``delete`` returns whether there was a row; the *handler* turns absence into its context's
``NotFound`` (``MODULE_NOT_FOUND``, ``HOLD_NOT_FOUND``, …). Why this way round: the repository
does not know what absence means for the use case that asked — a 404 for one (``GetHold``), a
401 for another (``GetMe`` of a deleted user), nothing at all for a third (a create that first
checks that a key is free) — while the handler does, and its tests see the rule with a fake
repository that only stores things. A write that needs a row its handler has just loaded
(``save``, and auth's catalog ``remove``, which its tests pin to raise ``PermissionNotFound``)
treats a missing row as a broken precondition and raises. Repositories still translate the
database errors only they can see (unique and foreign-key violations) into the context's errors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID: ...


class UnitOfWork(Protocol):
    """One transaction; only ``commit`` makes a change durable."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
