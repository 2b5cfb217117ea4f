"""Bodies (``…Body``) and answers (``…Out``) of the finance API, camelCase on the wire.

PUT bodies take only the fields to change (absent = keep; ``null`` clears an optional field).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar
from uuid import UUID

from msgspec import UNSET, UnsetType

from kisum.adapters.http.common.schemas import Body, Out
from kisum.domain.business.finance import BudgetLine, EntryKind, Settlement
from kisum.domain.business.shared import KEEP, Keep

T = TypeVar("T")


def keep(value: T | UnsetType) -> T | Keep:
    return KEEP if isinstance(value, UnsetType) else value


class BudgetLineBody(Body):
    event_id: UUID
    kind: EntryKind
    category: str
    amount_minor: int
    currency: str
    description: str | None = None
    date: dt.date | None = None


class BudgetLineChangesBody(Body):
    event_id: UUID | UnsetType = UNSET
    kind: EntryKind | UnsetType = UNSET
    category: str | UnsetType = UNSET
    amount_minor: int | UnsetType = UNSET
    currency: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    date: dt.date | UnsetType | None = UNSET


class BudgetLineOut(Out):
    id: UUID
    event_id: UUID
    kind: EntryKind
    category: str
    description: str | None
    amount_minor: int
    currency: str
    date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, line: BudgetLine) -> BudgetLineOut:
        return cls(
            id=line.id,
            event_id=line.event_id,
            kind=line.kind,
            category=line.category,
            description=line.description,
            amount_minor=line.money.amount_minor,
            currency=line.money.currency,
            date=line.on,
            created_at=line.created_at,
            updated_at=line.updated_at,
        )


class BudgetLinePage(Out):
    items: list[BudgetLineOut]
    page: int
    limit: int
    total: int


class CurrencyTotalsOut(Out):
    currency: str
    income: int
    expenses: int
    net: int


class SettlementOut(Out):
    """Totals in minor units per currency (currencies are never converted)."""

    event_id: UUID
    line_count: int
    totals: list[CurrencyTotalsOut]

    @classmethod
    def of(cls, settlement: Settlement) -> SettlementOut:
        return cls(
            event_id=settlement.event_id,
            line_count=settlement.line_count,
            totals=[
                CurrencyTotalsOut(currency=t.currency, income=t.income, expenses=t.expenses, net=t.net)
                for t in settlement.totals
            ],
        )
