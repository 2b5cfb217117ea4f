"""Notifications (per user, or per permission read per user) and the accounting outbox of the Base module."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kisum.adapters.persistence.basic.tables import AccountingExportRow, NotificationReadRow, NotificationRow
from kisum.adapters.persistence.tenant import TenantRepository
from kisum.application.business.basic.ports import Reader
from kisum.domain.business.errors import RecordNotFound
from kisum.domain.business.notifications import (
    AUDIENCES,
    Notification,
    NotificationItem,
    NotificationOrder,
    Subject,
)
from kisum.domain.paging import Page


class SqlNotificationRepository(TenantRepository[NotificationRow]):
    row_type = NotificationRow
    noun = "notification"

    def _to_reader(self, reader: Reader) -> Any:
        """The rows addressed to this reader: to them, or to a permission they hold (unless excluded)."""
        audiences = sorted(AUDIENCES & reader.permissions)
        mine = NotificationRow.recipient_user_id == reader.user_id
        if not audiences:
            return mine
        shared = and_(
            NotificationRow.audience.in_(audiences),
            or_(NotificationRow.excluded_user_id.is_(None), NotificationRow.excluded_user_id != reader.user_id),
        )
        return or_(mine, shared)

    def _feed(self, reader: Reader) -> Any:
        read = (NotificationReadRow.notification_id == NotificationRow.id) & (
            NotificationReadRow.user_id == reader.user_id
        )
        return (
            select(NotificationRow, NotificationReadRow.read_at)
            .outerjoin(NotificationReadRow, read)
            .where(NotificationRow.company_id == self.company_id, self._to_reader(reader))
        )

    @staticmethod
    def _item(row: NotificationRow, read_at: datetime | None) -> NotificationItem:
        return NotificationItem(
            row.id, row.kind, Subject(row.subject_kind, row.subject_id), row.text, row.created_at, read_at
        )

    async def add(self, notification: Notification) -> None:
        to = notification.recipients
        self.session.add(
            self._own(
                NotificationRow(
                    id=notification.id,
                    company_id=notification.company_id,
                    created_at=notification.created_at,
                    kind=notification.kind.value,
                    subject_kind=notification.subject.kind,
                    subject_id=notification.subject.id,
                    text=notification.text,
                    recipient_user_id=to.user_id,
                    audience=to.audience,
                    excluded_user_id=to.excluded_user_id,
                )
            )
        )
        await self.session.flush()

    async def list(
        self, reader: Reader, *, unread: bool, order: NotificationOrder, page: int, limit: int
    ) -> Page[NotificationItem]:
        statement = self._feed(reader)
        if unread:
            statement = statement.where(NotificationReadRow.read_at.is_(None))
        created = NotificationRow.created_at
        ordering = [created.desc(), NotificationRow.id.desc()]
        if order is NotificationOrder.OLDEST:
            ordering = [created.asc(), NotificationRow.id.asc()]
        counted = statement.add_columns(func.count().over().label("total"))
        rows = (await self.session.execute(counted.order_by(*ordering).offset((page - 1) * limit).limit(limit))).all()
        if rows:
            total = int(rows[0][2])
        elif page == 1:
            total = 0
        else:
            total = int(
                (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
            )
        return Page(items=[self._item(row, read_at) for row, read_at, _ in rows], page=page, limit=limit, total=total)

    async def _read_mark(self, reader: Reader, ids: Sequence[UUID], now: datetime) -> None:
        if not ids:
            return
        values = [
            {"notification_id": i, "user_id": reader.user_id, "company_id": self.company_id, "read_at": now}
            for i in ids
        ]
        dialect = (await self.session.connection()).dialect.name
        if dialect == "postgresql":
            await self.session.execute(pg_insert(NotificationReadRow).values(values).on_conflict_do_nothing())
        elif dialect == "sqlite":
            await self.session.execute(sqlite_insert(NotificationReadRow).values(values).on_conflict_do_nothing())
        else:  # pragma: no cover
            await self.session.execute(insert(NotificationReadRow).values(values))

    async def mark_read(self, reader: Reader, notification_id: UUID, now: datetime) -> NotificationItem:
        found = (await self.session.execute(self._feed(reader).where(NotificationRow.id == notification_id))).first()
        if found is None:
            raise RecordNotFound(self.noun)
        row, read_at = found
        if read_at is None:
            await self._read_mark(reader, [row.id], now)
            read_at = now
        return self._item(row, read_at)

    async def mark_all_read(self, reader: Reader, now: datetime) -> int:
        unread = self._feed(reader).where(NotificationReadRow.read_at.is_(None)).with_only_columns(NotificationRow.id)
        ids = tuple((await self.session.execute(unread)).scalars())
        await self._read_mark(reader, ids, now)
        return len(ids)


class SqlAccountingOutbox(TenantRepository[AccountingExportRow]):
    row_type = AccountingExportRow
    noun = "accounting export"

    async def enqueue(self, *, id: UUID, now: datetime, kind: str, subject: Subject) -> None:
        self.session.add(
            AccountingExportRow(
                id=id,
                company_id=self.company_id,
                created_at=now,
                kind=kind,
                subject_kind=subject.kind,
                subject_id=subject.id,
                status="pending",
                attempts=0,
            )
        )
        await self.session.flush()


class NoAccountingExporter:
    """The accounting port until an integration (Xero) is connected: nothing is sent, entries stay pending."""

    async def export(self, company_id: UUID, kind: str, subject: Subject) -> str | None:
        return None
