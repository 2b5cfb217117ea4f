"""Finance: the budget of an event as income and expense lines, and its settlement.

A budget line belongs to one company and points at an event by an opaque id (the event lives in
the basic backend; finance never reads it). Amounts are whole minor units of one ISO 4217
currency and never negative: the line's ``kind`` says which side of the ledger it is on. The
settlement of an event sums its lines per currency (currencies are never converted or mixed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from kisum.domain.business.shared import (
    KEEP,
    Keep,
    amount_minor,
    changed,
    currency_code,
    optional_text,
    parse_enum,
    required_text,
)
from kisum.domain.errors import NotFound

MAX_CATEGORY_LENGTH: Final = 100
MAX_DESCRIPTION_LENGTH: Final = 500


class BudgetLineNotFound(NotFound):
    code = "BUDGET_LINE_NOT_FOUND"


class EntryKind(StrEnum):
    INCOME = "income"
    EXPENSE = "expense"


def parse_kind(value: str) -> EntryKind:
    return parse_enum(EntryKind, value, "kind")


@dataclass(frozen=True, slots=True)
class Money:
    """A non-negative amount in minor units of one currency."""

    amount_minor: int
    currency: str

    @classmethod
    def of(cls, amount: int, currency: str) -> Money:
        return cls(amount_minor(amount, "amount"), currency_code(currency))


@dataclass(slots=True)
class BudgetLine:
    id: UUID
    company_id: UUID
    event_id: UUID
    kind: EntryKind
    category: str
    description: str | None
    money: Money
    on: date | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        event_id: UUID,
        kind: str,
        category: str,
        description: str | None,
        amount: int,
        currency: str,
        on: date | None,
        now: datetime,
    ) -> BudgetLine:
        return cls(
            id=id,
            company_id=company_id,
            event_id=event_id,
            kind=parse_kind(kind),
            category=required_text(category, "category", max_length=MAX_CATEGORY_LENGTH),
            description=optional_text(description, "description", max_length=MAX_DESCRIPTION_LENGTH),
            money=Money.of(amount, currency),
            on=on,
            created_at=now,
            updated_at=now,
        )

    def revise(
        self,
        *,
        now: datetime,
        event_id: UUID | Keep = KEEP,
        kind: str | Keep = KEEP,
        category: str | Keep = KEEP,
        description: str | Keep | None = KEEP,
        amount: int | Keep = KEEP,
        currency: str | Keep = KEEP,
        on: date | Keep | None = KEEP,
    ) -> None:
        """Apply the fields that are given; validate all of them before changing any."""
        new_kind = self.kind if isinstance(kind, Keep) else parse_kind(kind)
        new_category = (
            self.category
            if isinstance(category, Keep)
            else required_text(category, "category", max_length=MAX_CATEGORY_LENGTH)
        )
        new_description = (
            self.description
            if isinstance(description, Keep)
            else optional_text(description, "description", max_length=MAX_DESCRIPTION_LENGTH)
        )
        new_money = Money.of(changed(self.money.amount_minor, amount), changed(self.money.currency, currency))
        self.event_id = changed(self.event_id, event_id)
        self.kind = new_kind
        self.category = new_category
        self.description = new_description
        self.money = new_money
        self.on = changed(self.on, on)
        self.updated_at = now


@dataclass(frozen=True, slots=True)
class CurrencyTotals:
    """Income, expenses and net (income minus expenses, may be negative) in one currency."""

    currency: str
    income: int = 0
    expenses: int = 0

    @property
    def net(self) -> int:
        return self.income - self.expenses

    def add(self, line: BudgetLine) -> CurrencyTotals:
        amount = line.money.amount_minor
        if line.kind is EntryKind.INCOME:
            return CurrencyTotals(self.currency, self.income + amount, self.expenses)
        return CurrencyTotals(self.currency, self.income, self.expenses + amount)


@dataclass(frozen=True, slots=True)
class Settlement:
    event_id: UUID
    totals: tuple[CurrencyTotals, ...] = field(default=())
    line_count: int = 0


def settle(event_id: UUID, lines: Iterable[BudgetLine]) -> Settlement:
    """Sum the event's lines per currency, sorted by currency code; other events' lines are ignored."""
    by_currency: dict[str, CurrencyTotals] = {}
    count = 0
    for line in lines:
        if line.event_id != event_id:
            continue
        count += 1
        currency = line.money.currency
        by_currency[currency] = by_currency.get(currency, CurrencyTotals(currency)).add(line)
    return Settlement(event_id, tuple(by_currency[c] for c in sorted(by_currency)), count)
