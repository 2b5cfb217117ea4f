"""Touring commands and their handlers: load the tour, apply the domain rule, commit once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kisum.application.business.touring.ports import TouringUnitOfWork, TourRepository
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business.shared import KEEP, Keep
from kisum.domain.business.touring import Leg, Tour, TourNotFound


@dataclass(frozen=True, slots=True)
class CreateTour:
    company_id: UUID
    name: str
    artist_id: UUID | None = None
    artist_name: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateTour:
    company_id: UUID
    tour_id: UUID
    name: str | Keep = KEEP
    artist_id: UUID | Keep | None = KEEP
    artist_name: str | Keep | None = KEEP
    status: str | Keep = KEEP


@dataclass(frozen=True, slots=True)
class DeleteTour:
    company_id: UUID
    tour_id: UUID


@dataclass(frozen=True, slots=True)
class AddLeg:
    company_id: UUID
    tour_id: UUID
    on: date
    city: str
    venue_name: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateLeg:
    company_id: UUID
    tour_id: UUID
    leg_id: UUID
    on: date | Keep = KEEP
    city: str | Keep = KEEP
    venue_name: str | Keep | None = KEEP


@dataclass(frozen=True, slots=True)
class RemoveLeg:
    company_id: UUID
    tour_id: UUID
    leg_id: UUID


async def _locked(tours: TourRepository, tour_id: UUID) -> Tour:
    tour = await tours.get(tour_id, for_update=True)
    if tour is None:
        raise TourNotFound(f"tour {tour_id} does not exist")
    return tour


class CreateTourHandler:
    def __init__(self, uow: TouringUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(self, command: CreateTour) -> Tour:
        tour = Tour.create(
            id=self._ids.new_id(),
            company_id=command.company_id,
            name=command.name,
            artist_id=command.artist_id,
            artist_name=command.artist_name,
            status=command.status,
            now=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.tours(command.company_id).add(tour)
            await uow.commit()
        return tour


class UpdateTourHandler:
    def __init__(self, uow: TouringUnitOfWork, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, command: UpdateTour) -> Tour:
        async with self._uow as uow:
            tours = uow.tours(command.company_id)
            tour = await _locked(tours, command.tour_id)
            tour.revise(
                now=self._clock.now(),
                name=command.name,
                artist_id=command.artist_id,
                artist_name=command.artist_name,
                status=command.status,
            )
            await tours.save(tour)
            await uow.commit()
        return tour


class DeleteTourHandler:
    """Deleting a tour deletes its legs."""

    def __init__(self, uow: TouringUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, command: DeleteTour) -> None:
        async with self._uow as uow:
            if not await uow.tours(command.company_id).delete(command.tour_id):
                raise TourNotFound(f"tour {command.tour_id} does not exist")
            await uow.commit()


class AddLegHandler:
    def __init__(self, uow: TouringUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def __call__(self, command: AddLeg) -> Leg:
        async with self._uow as uow:
            tours = uow.tours(command.company_id)
            tour = await _locked(tours, command.tour_id)
            leg = tour.add_leg(
                id=self._ids.new_id(),
                on=command.on,
                city=command.city,
                venue_name=command.venue_name,
                now=self._clock.now(),
            )
            await tours.save(tour)
            await uow.commit()
        return leg


class UpdateLegHandler:
    def __init__(self, uow: TouringUnitOfWork, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, command: UpdateLeg) -> Leg:
        async with self._uow as uow:
            tours = uow.tours(command.company_id)
            tour = await _locked(tours, command.tour_id)
            leg = tour.change_leg(
                command.leg_id,
                now=self._clock.now(),
                on=command.on,
                city=command.city,
                venue_name=command.venue_name,
            )
            await tours.save(tour)
            await uow.commit()
        return leg


class RemoveLegHandler:
    def __init__(self, uow: TouringUnitOfWork, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(self, command: RemoveLeg) -> None:
        async with self._uow as uow:
            tours = uow.tours(command.company_id)
            tour = await _locked(tours, command.tour_id)
            tour.remove_leg(command.leg_id, now=self._clock.now())
            await tours.save(tour)
            await uow.commit()
