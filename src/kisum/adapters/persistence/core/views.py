"""Read models for core's queries: straight from the tables into views, one short session each."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.core.tables import (
    AddonModuleRow,
    AddonRow,
    CompanyRow,
    ModuleRow,
    PackageModuleRow,
    PackageRow,
)
from kisum.application.core.views import (
    AddonView,
    CompanyView,
    ModuleView,
    PackageView,
)
from kisum.domain.core.company import CompanyStatus
from kisum.domain.paging import Page, PageRequest

ViewT = TypeVar("ViewT", PackageView, AddonView)


async def _count(session: AsyncSession, statement: Select[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0)


def _company_view(row: CompanyRow) -> CompanyView:
    return CompanyView(row.id, row.name, row.status, row.entitlement_version, row.created_at, row.updated_at)


class SqlCoreReadModel:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def list_modules(self, page: PageRequest) -> Page[ModuleView]:
        statement = select(ModuleRow).order_by(ModuleRow.key)
        async with self._session_factory() as session:
            total = await _count(session, statement)
            rows = await session.scalars(statement.offset(page.offset).limit(page.limit))
            items = tuple(ModuleView(r.key, r.name, r.description, r.created_at, r.updated_at) for r in rows)
        return Page(items, page.page, page.limit, total)

    async def _list_offers(
        self,
        page: PageRequest,
        view: type[ViewT],
        row_type: Any,
        mapping: Any,
        owner: Any,
    ) -> Page[ViewT]:
        statement = select(row_type).order_by(row_type.key)
        async with self._session_factory() as session:
            total = await _count(session, statement)
            rows = list(await session.scalars(statement.offset(page.offset).limit(page.limit)))
            modules: dict[str, list[str]] = defaultdict(list)
            if rows:
                pairs = await session.execute(
                    select(owner, mapping.module_key)
                    .where(owner.in_([row.key for row in rows]))
                    .order_by(owner, mapping.module_key)
                )
                for owner_key, module_key in pairs:
                    modules[owner_key].append(module_key)
        items = tuple(
            view(row.key, row.name, row.description, tuple(modules[row.key]), row.created_at, row.updated_at)
            for row in rows
        )
        return Page(items, page.page, page.limit, total)

    async def list_packages(self, page: PageRequest) -> Page[PackageView]:
        return await self._list_offers(page, PackageView, PackageRow, PackageModuleRow, PackageModuleRow.package_key)

    async def list_addons(self, page: PageRequest) -> Page[AddonView]:
        return await self._list_offers(page, AddonView, AddonRow, AddonModuleRow, AddonModuleRow.addon_key)

    async def list_companies(self, page: PageRequest, status: CompanyStatus | None) -> Page[CompanyView]:
        statement = select(CompanyRow).order_by(CompanyRow.created_at, CompanyRow.id)
        if status is not None:
            statement = statement.where(CompanyRow.status == status.value)
        async with self._session_factory() as session:
            total = await _count(session, statement)
            rows = await session.scalars(statement.offset(page.offset).limit(page.limit))
            items = tuple(_company_view(row) for row in rows)
        return Page(items, page.page, page.limit, total)

    async def get_company(self, company_id: UUID) -> CompanyView | None:
        async with self._session_factory() as session:
            row = await session.get(CompanyRow, company_id)
            return None if row is None else _company_view(row)
