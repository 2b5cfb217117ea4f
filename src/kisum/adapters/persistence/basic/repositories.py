"""Repositories of the Base backend, derived from each resource's declaration.

Columns are named as the declared fields; a list of ids (``artist_ids`` of an event) lives in a
link table named ``<kind>_<referenced plural>`` (``event_artists``: ``event_id``, ``artist_id``,
``position``). Lists are prebuilt statements per shape (filters, order, search, window), with
every value a bound parameter, read in one round trip with their total; on PostgreSQL in a
read-only block they go straight to asyncpg. Rows become the caller's view (an ``…Out``
Struct built positionally) or, without a view, the domain record.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, String, Text, and_, bindparam, case, delete, func, literal_column, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from kisum.adapters.persistence.basic.tables import Base, CompanyProfileRow
from kisum.adapters.persistence.driver_read import fetch_rows
from kisum.adapters.persistence.errors import is_unique_violation
from kisum.adapters.persistence.read_pool import ReadPool
from kisum.adapters.persistence.tenant import TOTAL_COLUMN, TenantRepository, like_pattern
from kisum.adapters.persistence.uow import SqlUnitOfWork
from kisum.application.business.basic.ports import RecordQuery
from kisum.domain.business.declaration import SYSTEM_FIELDS, Declaration, DeclaredField, SortKey
from kisum.domain.business.errors import DuplicateValue, RecordNotFound
from kisum.domain.business.records import RECORD_TYPES, CompanyProfile, EventWindow, ResourceKind, TenantRecord
from kisum.domain.paging import Page

View = Callable[..., object]
"""Builds one list item from the view's values, positionally: id, shown fields, created/updated."""

LIKE_ESCAPE = "!"
"""Not a backslash: the statements are compiled once, and a backslash's spelling in SQL depends on
the server's ``standard_conforming_strings``."""

_TABLES: dict[str, Any] = {mapper.class_.__tablename__: mapper.class_ for mapper in Base.registry.mappers}


@dataclasses.dataclass(frozen=True, slots=True)
class Link:
    """Where a declared list of ids is stored."""

    field: str
    row_type: Any
    owner: Any
    target: Any


@dataclasses.dataclass(frozen=True, slots=True)
class ResourceTable:
    """A declaration bound to its table: columns, links, and the list statements built so far."""

    record_type: type[TenantRecord]
    declaration: Declaration
    row_type: Any
    scalar_fields: tuple[str, ...]
    links: tuple[Link, ...]
    statements: dict[tuple[Any, ...], Select[Any]] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, record_type: type[TenantRecord]) -> ResourceTable:
        declaration = record_type.DECLARATION
        row_type = _TABLES[declaration.plural]
        links = tuple(_link(declaration, f) for f in declaration.fields if f.many and f.spec.reference is not None)
        linked = {link.field for link in links}
        names = [f.name for f in dataclasses.fields(record_type) if f.name not in linked]
        return cls(record_type, declaration, row_type, tuple(names), links)

    def column(self, name: str) -> Any:
        return getattr(self.row_type, name)

    def view_column(self, name: str) -> Any:
        """The column as a list reads it: a lapsing ``status`` is computed at ``:lapse_now``."""
        lapse = self.record_type.LAPSE
        if lapse is None or name != "status":
            return self.column(name)
        deadline, status = self.column(lapse.field), self.column("status")
        in_states = or_(*(status == _constant(state) for state in lapse.states))  # no IN: prebuilt, driver-ready
        lapsed = and_(in_states, deadline.is_not(None), deadline <= bindparam("lapse_now", type_=deadline.type))
        return case((lapsed, _constant(lapse.becomes)), else_=status)

    def sort_columns(self, key: SortKey) -> list[Any]:
        column = self.view_column(key.field)
        value = func.lower(column) if isinstance(column.type, String | Text) else column
        ordered = value.desc() if key.descending else value
        return [column.is_(None), ordered] if getattr(column, "nullable", False) else [ordered]


def _constant(value: str) -> Any:
    """A state name of the domain (letters and ``_`` only) written into SQL as a literal."""
    if not value.replace("_", "").isalpha():
        raise ValueError(f"not a state name: {value!r}")
    return literal_column(f"'{value}'", String)


def _link(declaration: Declaration, field: DeclaredField) -> Link:
    reference = RECORD_TYPES[ResourceKind(str(field.spec.reference))].DECLARATION
    row_type = _TABLES[f"{declaration.kind}_{reference.plural}"]
    return Link(
        field.name, row_type, getattr(row_type, f"{declaration.kind}_id"), getattr(row_type, f"{reference.kind}_id")
    )


RESOURCE_TABLES: Mapping[ResourceKind, ResourceTable] = {
    kind: ResourceTable.of(record_type) for kind, record_type in RECORD_TYPES.items()
}


class SqlRecordRepository(TenantRepository[Any]):
    """Records of one declared kind and one company."""

    def __init__(
        self,
        uow: SqlUnitOfWork,
        company_id: UUID,
        table: ResourceTable,
        view: View | None = None,
        reader: ReadPool | None = None,
    ) -> None:
        super().__init__(None, company_id)
        self._uow = uow
        self.reader = reader
        self.table = table
        self.row_type = table.row_type  # type: ignore[misc]
        self.noun = table.declaration.kind  # type: ignore[misc]
        self.view = view

    @property
    def session(self) -> AsyncSession:
        """The Unit of Work's session, made at first use (a read on the read pool needs none)."""
        return self._uow.session

    def _not_found(self) -> RecordNotFound:
        return RecordNotFound(self.noun)

    def _to_row(self, record: TenantRecord) -> Any:
        return self._own(self.row_type(**{name: getattr(record, name) for name in self.table.scalar_fields}))

    def _to_domain(self, row: Any, links: Mapping[str, tuple[UUID, ...]]) -> TenantRecord:
        values: dict[str, Any] = {name: getattr(row, name) for name in self.table.scalar_fields}
        values.update(links)
        return self.table.record_type(**values)

    async def _flush(self, record: TenantRecord) -> None:
        try:
            await self.session.flush()
        except DBAPIError as error:
            unique = self.table.declaration.unique
            if is_unique_violation(error) and unique:
                raise DuplicateValue(self.noun, unique[0]) from None
            raise

    async def _links_of(self, ids: Sequence[UUID]) -> dict[str, dict[UUID, tuple[UUID, ...]]]:
        found: dict[str, dict[UUID, tuple[UUID, ...]]] = {}
        for link in self.table.links:
            by_owner: dict[UUID, builtins.list[UUID]] = {}
            if ids:
                statement = (
                    select(link.owner, link.target)
                    .where(link.row_type.company_id == self.company_id, link.owner.in_(list(ids)))
                    .order_by(link.owner, link.row_type.position)
                )
                for owner, target in await self.session.execute(statement):
                    by_owner.setdefault(owner, []).append(target)
            found[link.field] = {owner: tuple(targets) for owner, targets in by_owner.items()}
        return found

    async def _write_links(self, record: TenantRecord) -> None:
        for link in self.table.links:
            await self.session.execute(
                delete(link.row_type).where(link.row_type.company_id == self.company_id, link.owner == record.id)
            )
            self.session.add_all(
                link.row_type(
                    **{link.owner.key: record.id, link.target.key: target},
                    company_id=self.company_id,
                    position=position,
                )
                for position, target in enumerate(getattr(record, link.field))
            )
        if self.table.links:
            await self.session.flush()

    @property
    def kind(self) -> ResourceKind:
        return ResourceKind(self.table.declaration.kind)

    async def get(self, record_id: UUID, *, for_update: bool = False) -> TenantRecord | None:
        row = await self._find(record_id, for_update=for_update)
        if row is None:
            return None
        links = await self._links_of([row.id])
        return self._to_domain(row, {field: by_owner.get(row.id, ()) for field, by_owner in links.items()})

    async def add(self, record: TenantRecord) -> None:
        self.session.add(self._to_row(record))
        await self._flush(record)
        await self._write_links(record)

    async def save(self, record: TenantRecord) -> None:
        row = await self._row(record.id, for_update=True)
        for name in self.table.scalar_fields:
            if name not in ("id", "company_id", "created_at"):
                setattr(row, name, getattr(record, name))
        await self._flush(record)
        await self._write_links(record)

    async def delete(self, record: TenantRecord) -> bool:
        """Whether there was such a row of this company (links go with it: ON DELETE in the tables)."""
        return await self._delete(record.id)

    def _criterion(self, name: str) -> Any:
        declaration = self.table.declaration
        field = declaration.filters[name] if name in declaration.filters else declaration.field(name)
        parameter: Any = bindparam(f"filter_{name}")
        if not field.many:
            column = self.table.view_column(field.name)
            if field.spec.filter_op == "ge":
                return column >= parameter
            if field.spec.filter_op == "le":
                return column <= parameter
            return column == parameter
        link = next(link for link in self.table.links if link.field == field.name)
        owners = select(link.owner).where(link.row_type.company_id == bindparam("company_id"), link.target == parameter)
        return self.row_type.id.in_(owners)

    def _criteria(self, query: RecordQuery) -> builtins.list[Any]:
        """Which rows a list holds: this company's, filtered, searched, inside the window."""
        table = self.table
        criteria = [self.row_type.company_id == bindparam("company_id")]
        criteria += [self._criterion(name) for name in sorted(query.filters)]
        searched = table.declaration.searched
        if query.search is not None and searched is not None:
            criteria.append(func.lower(table.column(searched)).like(bindparam("search"), escape=LIKE_ESCAPE))
        span = table.declaration.time_span
        if query.window is not EventWindow.ALL and span is not None:
            end = func.coalesce(table.column(span[1]), table.column(span[0]))
            now = bindparam("now", type_=table.column(span[0]).type)
            criteria += [end.is_not(None), end >= now if query.window is EventWindow.UPCOMING else end < now]
        return criteria

    def _list_statement(self, query: RecordQuery, columns: tuple[str, ...]) -> Select[Any]:
        """The statement for this shape of query, built once and kept (values are bound parameters)."""
        shape = (columns, tuple(sorted(query.filters)), query.order, query.search is not None, query.window)
        statement = self.table.statements.get(shape)
        if statement is None:
            table = self.table
            order = [column for key in query.order for column in table.sort_columns(key)]
            criteria = self._criteria(query)
            # The total as a scalar subquery, counted once, rather than ``count(*) OVER ()``: a window
            # makes the server read and sort every matching row before LIMIT, while this lets the
            # page come from an index scan that stops after ``limit`` rows (10 000 offers: 7 ms → see
            # benchmarks/basic_inprocess.py).
            total = select(func.count()).select_from(self.row_type).where(*criteria).scalar_subquery()
            statement = (
                select(*(table.view_column(name) for name in columns), total.label(TOTAL_COLUMN))
                .where(*criteria)
                .order_by(*order, self.row_type.id)
                .limit(bindparam("limit"))
                .offset(bindparam("offset"))
            )
            table.statements[shape] = statement
        return statement

    async def list(self, query: RecordQuery) -> Page[object]:
        declaration = self.table.declaration
        linked = {link.field for link in self.table.links}
        if self.view is not None:
            columns = tuple(name for name in declaration.view_fields if name not in linked)
        else:
            columns = self.table.scalar_fields
        params: dict[str, Any] = {"company_id": self.company_id, "limit": query.limit, "offset": query.offset}
        params.update({f"filter_{name}": value for name, value in query.filters.items()})
        if query.search is not None:
            params["search"] = like_pattern(query.search, LIKE_ESCAPE)
        if query.window is not EventWindow.ALL:
            params["now"] = query.now
        if self.table.record_type.LAPSE is not None:
            params["lapse_now"] = query.now
        statement = self._list_statement(query, columns)
        if self.reader is not None:
            rows = await self.reader.fetch(statement, params)
        else:
            rows = await fetch_rows(self.session, statement, params)
        if rows:
            total = int(rows[0][-1])
        elif query.offset == 0:
            total = 0
        else:  # past the last page: no row carries the total (rare)
            counting = select(func.count()).select_from(self.row_type).where(*self._criteria(query))
            total = int((await self.session.execute(counting, params)).scalar_one())
        return Page(items=await self._items(rows, columns), page=query.page, limit=query.limit, total=total)

    async def _items(self, rows: Sequence[Sequence[Any]], columns: tuple[str, ...]) -> builtins.list[object]:
        links = await self._links_of([row[0] for row in rows]) if self.table.links else {}
        if self.view is None:
            records: builtins.list[object] = []
            for row in rows:
                values: dict[str, Any] = dict(zip(columns, row[:-1], strict=True))
                values.update({field: by_owner.get(row[0], ()) for field, by_owner in links.items()})
                records.append(self.table.record_type(**values))
            return records
        view = self.view
        if not links:
            return [view(*row[:-1]) for row in rows]
        order = self.table.declaration.view_fields
        items: builtins.list[object] = []
        for row in rows:
            values = dict(zip(columns, row[:-1], strict=True))
            for field, by_owner in links.items():
                values[field] = list(by_owner.get(row[0], ()))
            items.append(view(*(values[name] for name in order)))
        return items

    async def count(self, filters: Mapping[str, object] | None = None) -> int:
        return await self._count(*(self.table.column(name) == value for name, value in (filters or {}).items()))

    async def existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        return await self._existing_ids(ids)

    async def values_where(self, filters: Mapping[str, object], fields: Sequence[str]) -> Sequence[Sequence[object]]:
        """One prebuilt statement per (filter names, fields), on the read pool in a read-only block."""
        names = tuple(sorted(filters))
        shape = ("where", names, tuple(fields))
        statement = self.table.statements.get(shape)
        if statement is None:
            statement = (
                select(*(self.table.column(name) for name in fields))
                .where(self.row_type.company_id == bindparam("company_id"))
                .where(*(self.table.column(name) == bindparam(f"filter_{name}") for name in names))
                .order_by(self.row_type.created_at, self.row_type.id)
            )
            self.table.statements[shape] = statement
        params = {"company_id": self.company_id, **{f"filter_{name}": filters[name] for name in names}}
        if self.reader is not None:
            return await self.reader.fetch(statement, params)
        return await fetch_rows(self.session, statement, params)


class SqlCompanyProfileRepository(TenantRepository[CompanyProfileRow]):
    """The one profile row of a company (its primary key is the company id)."""

    row_type = CompanyProfileRow
    noun = "company profile"
    _fields: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(CompanyProfile))

    async def get(self, *, for_update: bool = False) -> CompanyProfile | None:
        statement = self._scoped()
        if for_update:
            statement = statement.with_for_update()
        row = (await self.session.execute(statement)).scalar_one_or_none()
        if row is None:
            return None
        return CompanyProfile(**{name: getattr(row, name) for name in self._fields})

    async def save(self, profile: CompanyProfile) -> None:
        if profile.company_id != self.company_id:
            raise ValueError("refusing to write the profile of another company")
        row = (await self.session.execute(self._scoped().with_for_update())).scalar_one_or_none()
        if row is None:
            row = CompanyProfileRow(company_id=self.company_id)
            self.session.add(row)
        for name in self._fields:
            if name != "company_id":
                setattr(row, name, getattr(profile, name))
        await self.session.flush()


__all__ = ["RESOURCE_TABLES", "SYSTEM_FIELDS", "SqlCompanyProfileRepository", "SqlRecordRepository"]
