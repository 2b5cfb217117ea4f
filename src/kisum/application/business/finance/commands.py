"""Finance commands and their handlers: load, apply the domain rule, commit once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kisum.application.business.finance.ports import FinanceUnitOfWork
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.finance import BudgetLine, BudgetLineNotFound
from kisum.domain.business.shared import KEEP, Keep


@dataclass(frozen=True, slots=True)
class CreateBudgetLine:
    company_id: UUID
    event_id: UUID
    kind: str
    category: str
    amount_minor: int
    currency: str
    description: str | None = None
    on: date | None = None


@dataclass(frozen=True, slots=True)
class UpdateBudgetLine:
    company_id: UUID
    line_id: UUID
    event_id: UUID | Keep = KEEP
    kind: str | Keep = KEEP
    category: str | Keep = KEEP
    description: str | Keep | None = KEEP
    amount_minor: int | Keep = KEEP
    currency: str | Keep = KEEP
    on: date | Keep | None = KEEP


@dataclass(frozen=True, slots=True)
class DeleteBudgetLine:
    company_id: UUID
    line_id: UUID


class CreateBudgetLineHandler:
    def __init__(self, uow: FinanceUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(self, command: CreateBudgetLine) -> BudgetLine:
        line = BudgetLine.create(
            id=self._ids.new_id(),
            company_id=command.company_id,
            event_id=command.event_id,
            kind=command.kind,
            category=command.category,
            description=command.description,
            amount=command.amount_minor,
            currency=command.currency,
            on=command.on,
            now=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.budget_lines(command.company_id).add(line)
            await uow.commit()
        return line


class UpdateBudgetLineHandler:
    def __init__(self, uow: FinanceUnitOfWork, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, command: UpdateBudgetLine) -> BudgetLine:
        async with self._uow as uow:
            lines = uow.budget_lines(command.company_id)
            line = await lines.get(command.line_id, for_update=True)
            if line is None:
                raise BudgetLineNotFound(f"budget line {command.line_id} does not exist")
            line.revise(
                now=self._clock.now(),
                event_id=command.event_id,
                kind=command.kind,
                category=command.category,
                description=command.description,
                amount=command.amount_minor,
                currency=command.currency,
                on=command.on,
            )
            await lines.save(line)
            await uow.commit()
        return line


class DeleteBudgetLineHandler:
    def __init__(self, uow: FinanceUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, command: DeleteBudgetLine) -> None:
        async with self._uow as uow:
            if not await uow.budget_lines(command.company_id).delete(command.line_id):
                raise BudgetLineNotFound(f"budget line {command.line_id} does not exist")
            await uow.commit()
