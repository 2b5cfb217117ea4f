"""The money side of an event and the inbox: money lines settle in the event's currency, expenses are
submitted for approval and decided by someone else, notifications tell the right people.

``notify`` is the one way a use case writes a notification: inside its own unit of work, so the
notification is committed with the change it reports (or not at all). Offers and agreements call
it the same way (offer sent/countered/accepted/declined → the offer's creator; agreement signed →
its creator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kisum.application.business.basic.ports import BasicUnitOfWork, Reader, RecordQuery
from kisum.application.business.basic.queries import in_parent, load
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.declaration import SortKey
from kisum.domain.business.notifications import (
    APPROVERS,
    Notification,
    NotificationItem,
    NotificationKind,
    NotificationOrder,
    Recipients,
    Subject,
)
from kisum.domain.business.records import (
    Approval,
    ApprovalAction,
    ApprovalStatus,
    Event,
    Expense,
    ExpenseAction,
    IncomeLine,
    MoneyLine,
    ResourceKind,
)
from kisum.domain.paging import Page, PageRequest
from kisum.domain.transitions import IllegalTransition

NEWEST_FIRST = (SortKey("created_at", descending=True),)


async def notify(
    uow: BasicUnitOfWork,
    *,
    company_id: UUID,
    kind: NotificationKind,
    subject: Subject,
    text: str,
    to: Recipients,
    ids: IdGenerator,
    now: datetime,
) -> Notification:
    """Write a notification in the caller's unit of work (committed with the caller's change)."""
    notification = Notification.new(
        id=ids.new_id(), company_id=company_id, now=now, kind=kind, subject=subject, text=text, to=to
    )
    await uow.notifications(company_id).add(notification)
    return notification


async def settle_money_line(
    uow: BasicUnitOfWork, line: MoneyLine, *, created: bool, ids: IdGenerator | None = None, now: datetime
) -> None:
    """A line takes its event's currency (the first one sets it: the event is saved); a new income
    line is queued for the accounting system in the same transaction."""
    events = uow.records(ResourceKind.EVENT, line.company_id)
    event = await load(events, line.event_id, for_update=True)
    assert isinstance(event, Event)
    before = event.currency
    line.settle_with(event)
    if event.currency != before:
        event.updated_at = now
        await events.save(event)
    if created and isinstance(line, IncomeLine) and ids is not None:
        subject = Subject(ResourceKind.INCOME.value, line.id)
        await uow.accounting(line.company_id).enqueue(id=ids.new_id(), now=now, kind="invoice", subject=subject)


@dataclass(frozen=True, slots=True)
class SubmitExpense:
    company_id: UUID
    event_id: UUID
    expense_id: UUID
    user_id: UUID


@dataclass(frozen=True, slots=True)
class DecideApproval:
    company_id: UUID
    approval_id: UUID
    user_id: UUID
    action: ApprovalAction
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class DecideExpense:
    """Decide the pending approval of an expense, from the expense's own path."""

    company_id: UUID
    event_id: UUID
    expense_id: UUID
    user_id: UUID
    action: ApprovalAction
    reason: str | None = None


async def _expense(uow: BasicUnitOfWork, company_id: UUID, event_id: UUID, expense_id: UUID) -> Expense:
    record = await load(uow.records(ResourceKind.EXPENSE, company_id), expense_id, for_update=True)
    expense = in_parent(record, event_id)
    assert isinstance(expense, Expense)
    return expense


class SubmitExpenseHandler:
    """estimated → submitted: remembers the submitter, opens an approval, tells whoever may decide."""

    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: SubmitExpense) -> tuple[Expense, Approval]:
        now = self.clock.now()
        async with self.uow:
            expense = await _expense(self.uow, command.company_id, command.event_id, command.expense_id)
            expense.submit(by=command.user_id, now=now)
            approval = Approval.of_expense(expense, id=self.ids.new_id(), by=command.user_id, now=now)
            await self.uow.records(ResourceKind.EXPENSE, command.company_id).save(expense)
            await self.uow.records(ResourceKind.APPROVAL, command.company_id).add(approval)
            await notify(
                self.uow,
                company_id=command.company_id,
                kind=NotificationKind.APPROVAL_REQUESTED,
                subject=Subject(ResourceKind.APPROVAL.value, approval.id),
                text=f"Approval requested: expense {approval.summary}",
                to=Recipients.holders_of(APPROVERS, except_user=command.user_id),
                ids=self.ids,
                now=now,
            )
            await self.uow.commit()
        return expense, approval


class DecideApprovalHandler:
    """pending → approved/rejected, by anyone but the requester; the subject follows, the requester
    is told, and an approved expense is queued for the accounting system — all in one transaction."""

    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: DecideApproval | DecideExpense) -> Approval:
        now = self.clock.now()
        company = command.company_id
        async with self.uow:
            approvals = self.uow.records(ResourceKind.APPROVAL, company)
            if isinstance(command, DecideExpense):
                expense = await _expense(self.uow, company, command.event_id, command.expense_id)
                approval_id = await self._approval_of(expense)
            else:
                approval_id = command.approval_id
            approval = await load(approvals, approval_id, for_update=True)
            assert isinstance(approval, Approval)
            approval.decide(command.action, by=command.user_id, now=now, reason=command.reason)
            subject = await load(self.uow.records(ResourceKind.EXPENSE, company), approval.subject_id, for_update=True)
            assert isinstance(subject, Expense)
            subject.decide(ExpenseAction(command.action.value), now=now)
            await approvals.save(approval)
            await self.uow.records(ResourceKind.EXPENSE, company).save(subject)
            approved = approval.state is ApprovalStatus.APPROVED
            if approved:
                bill = Subject(ResourceKind.EXPENSE.value, subject.id)
                await self.uow.accounting(company).enqueue(id=self.ids.new_id(), now=now, kind="bill", subject=bill)
            reason = "" if approved or not approval.reason else f" ({approval.reason})"
            await notify(
                self.uow,
                company_id=company,
                kind=NotificationKind.APPROVAL_APPROVED if approved else NotificationKind.APPROVAL_REJECTED,
                subject=Subject(ResourceKind.APPROVAL.value, approval.id),
                text=f"Expense {approval.summary} {approval.status}{reason}",
                to=Recipients.user(approval.requested_by),
                ids=self.ids,
                now=now,
            )
            await self.uow.commit()
        return approval

    async def _approval_of(self, expense: Expense) -> UUID:
        """The latest approval of the expense (deciding a decided one is then refused by its machine)."""
        query = RecordQuery(page=1, limit=1, order=NEWEST_FIRST, filters={"subject_id": expense.id})
        page = await self.uow.records(ResourceKind.APPROVAL, expense.company_id).list(query)
        if not page.items:
            raise IllegalTransition(f"An expense that is {expense.status} has no approval to decide; submit it first.")
        found: UUID = getattr(page.items[0], "id")  # noqa: B009 (a record or its list view: both have an id)
        return found


@dataclass(frozen=True, slots=True)
class ListNotifications:
    company_id: UUID
    reader: Reader
    unread: bool = False
    sort: str | None = None
    page: int = 1
    limit: int = 20


@dataclass(frozen=True, slots=True)
class MarkNotificationRead:
    company_id: UUID
    reader: Reader
    notification_id: UUID


@dataclass(frozen=True, slots=True)
class MarkAllNotificationsRead:
    company_id: UUID
    reader: Reader


class ListNotificationsHandler:
    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: ListNotifications) -> Page[NotificationItem]:
        PageRequest(query.page, query.limit)
        order = NotificationOrder.parse(query.sort)
        async with self.uow.reading():
            return await self.uow.notifications(query.company_id).list(
                query.reader, unread=query.unread, order=order, page=query.page, limit=query.limit
            )


class MarkNotificationReadHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, command: MarkNotificationRead) -> NotificationItem:
        async with self.uow:
            item = await self.uow.notifications(command.company_id).mark_read(
                command.reader, command.notification_id, self.clock.now()
            )
            await self.uow.commit()
        return item


class MarkAllNotificationsReadHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, command: MarkAllNotificationsRead) -> int:
        async with self.uow:
            marked = await self.uow.notifications(command.company_id).mark_all_read(command.reader, self.clock.now())
            await self.uow.commit()
        return marked
