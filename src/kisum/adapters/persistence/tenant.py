"""Tenant scoping, once for every business backend.

A ``TenantRepository`` cannot be built without a company id, and every statement it issues goes
through ``_scoped()``, which filters by that id. A row of another company is therefore simply
absent — never a 403, never its data. Rows must carry a ``company_id`` column (index it first in
every index of the table).

Absence follows the repositories' one convention (``kisum.application.ports``): ``_find`` answers
``None`` and ``_delete`` ``False``, and the handler raises its context's ``NotFound``. (``_row``,
which raises a 404 itself, is what the Base backend's record repository still uses.)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, ClassVar, Generic, TypeVar, cast
from uuid import UUID

from sqlalchemy import CursorResult, Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kisum.domain.errors import NotFound

RowT = TypeVar("RowT")
TOTAL_COLUMN = "kisum_total_rows"


def like_pattern(search: str, escape: str = "\\") -> str:
    """``%search%`` with LIKE wildcards in the user's text escaped by ``escape`` (pass the same to
    ``like``; a statement compiled once for every server wants a character that no string syntax
    treats specially, such as ``!``)."""
    escaped = search.lower().replace(escape, escape * 2).replace("%", escape + "%").replace("_", escape + "_")
    return f"%{escaped}%"


class TenantRepository(Generic[RowT]):
    """Base of every business repository; subclasses set ``row_type`` and speak the domain's language."""

    row_type: ClassVar[type[Any]]
    noun: ClassVar[str] = "record"

    def __init__(self, session: AsyncSession | None, company_id: UUID) -> None:
        if not isinstance(company_id, UUID):
            raise TypeError("a tenant repository needs the company id (UUID) it is scoped to")
        self._session = session
        self.company_id = company_id

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("this repository was built without a session")
        return self._session

    @property
    def _company_column(self) -> Any:
        return self.row_type.company_id

    def _scoped(self, *entities: Any) -> Select[Any]:
        """``SELECT`` of this company's rows only (the row type by default)."""
        statement = select(*(entities or (self.row_type,)))
        return statement.where(self._company_column == self.company_id)

    def _not_found(self) -> NotFound:
        return NotFound(f"The {self.noun} does not exist.", code="NOT_FOUND")

    async def _find(self, row_id: UUID, *, for_update: bool = False) -> RowT | None:
        """This company's row ``row_id``, fresh from the database, or None."""
        statement = self._scoped().where(self.row_type.id == row_id)
        if for_update:
            statement = statement.with_for_update()
        found = await self.session.execute(statement.execution_options(populate_existing=True))
        row: RowT | None = found.scalar_one_or_none()
        return row

    async def _delete(self, row_id: UUID) -> bool:
        """Delete this company's row ``row_id``; whether there was one."""
        result = await self.session.execute(
            delete(self.row_type)
            .where(self._company_column == self.company_id, self.row_type.id == row_id)
            .execution_options(synchronize_session=False)
        )
        return bool(cast("CursorResult[Any]", result).rowcount)

    async def _row(self, row_id: UUID, *, for_update: bool = False) -> RowT:
        statement = self._scoped().where(self.row_type.id == row_id)
        if for_update:
            statement = statement.with_for_update()
        row = (await self.session.execute(statement)).scalar_one_or_none()
        if row is None:
            raise self._not_found()
        return row  # type: ignore[no-any-return]

    def _own(self, row: RowT) -> RowT:
        if getattr(row, "company_id", None) != self.company_id:
            raise ValueError("refusing to write a row of another company")
        return row

    async def _page(
        self, statement: Select[Any], *, offset: int, limit: int, order_by: Sequence[Any]
    ) -> tuple[list[RowT], int]:
        """One page of ``statement`` (selecting the row type) and the total, in one round trip."""
        found, total = await self._counted_page(statement, offset=offset, limit=limit, order_by=order_by)
        return [row[0] for row in found], total

    async def _page_of_columns(
        self, statement: Select[Any], *, offset: int, limit: int, order_by: Sequence[Any]
    ) -> tuple[list[Any], int]:
        """Like ``_page`` for a Core select of columns: plain rows (attribute access by column
        name), no ORM instances, which is what a read model needs."""
        return await self._counted_page(statement, offset=offset, limit=limit, order_by=order_by)

    async def _counted_page(
        self, statement: Select[Any], *, offset: int, limit: int, order_by: Sequence[Any]
    ) -> tuple[list[Any], int]:
        # ``count(*) OVER ()`` is computed before LIMIT/OFFSET: every row carries the total, so
        # the page and the total come from one statement instead of a COUNT and a SELECT.
        counted = (
            statement.add_columns(func.count().over().label(TOTAL_COLUMN))
            .order_by(*order_by)
            .offset(offset)
            .limit(limit)
        )
        rows = list((await self.session.execute(counted)).all())
        if rows:
            return rows, int(getattr(rows[0], TOTAL_COLUMN))
        if offset == 0:
            return [], 0
        # Past the last page: no row carries the total, so count (rare).
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        return [], int(total)

    async def _count(self, *criteria: Any) -> int:
        statement = self._scoped(func.count()).select_from(self.row_type).where(*criteria)
        return int((await self.session.execute(statement)).scalar_one())

    async def _existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        if not ids:
            return set()
        statement = self._scoped(self.row_type.id).where(self.row_type.id.in_(list(ids)))
        return set((await self.session.execute(statement)).scalars())


RowMapper = Callable[[Any], Any]
