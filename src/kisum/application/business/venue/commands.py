"""Venue commands and their handlers; a confirmed hold is checked against the venue's calendar.

Writers of one venue's calendar are serialised (``lock_venue``) before the conflict check, so two
requests cannot both confirm overlapping holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kisum.application.business.venue.ports import HoldRepository, VenueUnitOfWork
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.shared import KEEP, Keep
from kisum.domain.business.venue import Hold, HoldNotFound


@dataclass(frozen=True, slots=True)
class CreateHold:
    company_id: UUID
    venue_id: UUID
    starts_at: datetime
    ends_at: datetime
    hold_type: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateHold:
    company_id: UUID
    hold_id: UUID
    venue_id: UUID | Keep = KEEP
    starts_at: datetime | Keep = KEEP
    ends_at: datetime | Keep = KEEP
    hold_type: str | Keep = KEEP
    note: str | Keep | None = KEEP


@dataclass(frozen=True, slots=True)
class DeleteHold:
    company_id: UUID
    hold_id: UUID


async def _ensure_free(holds: HoldRepository, hold: Hold) -> None:
    if hold.is_confirmed:
        await holds.lock_venue(hold.venue_id)
        hold.ensure_no_conflict(await holds.overlapping(hold.period, venue_id=hold.venue_id))


class CreateHoldHandler:
    def __init__(self, uow: VenueUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(self, command: CreateHold) -> Hold:
        hold = Hold.create(
            id=self._ids.new_id(),
            company_id=command.company_id,
            venue_id=command.venue_id,
            starts_at=command.starts_at,
            ends_at=command.ends_at,
            hold_type=command.hold_type,
            note=command.note,
            now=self._clock.now(),
        )
        async with self._uow as uow:
            holds = uow.holds(command.company_id)
            await _ensure_free(holds, hold)
            await holds.add(hold)
            await uow.commit()
        return hold


class UpdateHoldHandler:
    def __init__(self, uow: VenueUnitOfWork, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, command: UpdateHold) -> Hold:
        async with self._uow as uow:
            holds = uow.holds(command.company_id)
            hold = await holds.get(command.hold_id, for_update=True)
            if hold is None:
                raise HoldNotFound(f"hold {command.hold_id} does not exist")
            hold.revise(
                now=self._clock.now(),
                venue_id=command.venue_id,
                starts_at=command.starts_at,
                ends_at=command.ends_at,
                hold_type=command.hold_type,
                note=command.note,
            )
            await _ensure_free(holds, hold)
            await holds.save(hold)
            await uow.commit()
        return hold


class DeleteHoldHandler:
    def __init__(self, uow: VenueUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, command: DeleteHold) -> None:
        async with self._uow as uow:
            if not await uow.holds(command.company_id).delete(command.hold_id):
                raise HoldNotFound(f"hold {command.hold_id} does not exist")
            await uow.commit()
