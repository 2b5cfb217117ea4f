"""The booking flow's use cases: offers (create, edit, send, counter, accept, decline, withdraw,
versions), avails (release) and agreements (create, edit, send, sign, void, with their signers).

Each handler loads what it changes with ``for_update``, reads records ``as_of`` the server clock
(an expired offer reads as expired), lets the domain decide, and commits once; a refused move
writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from uuid import UUID

from kisum.application.business.basic.commands import check_references
from kisum.application.business.basic.ledger import notify
from kisum.application.business.basic.ports import BasicUnitOfWork
from kisum.application.business.basic.queries import load
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.business import fields as f
from kisum.domain.business.booking import OfferAction, OfferStatus, OfferVersion, Signer
from kisum.domain.business.errors import FieldInvalid
from kisum.domain.business.notifications import NotificationKind, Recipients, Subject
from kisum.domain.business.records import Agreement, Avail, Event, Offer, ResourceKind
from kisum.domain.errors import Conflict, FieldIssue
from kisum.domain.transitions import IllegalTransition


class OfferAlreadyAccepted(Conflict):
    code = "OFFER_ALREADY_ACCEPTED"


class OfferNotAccepted(Conflict):
    code = "OFFER_NOT_ACCEPTED"


@dataclass(frozen=True, slots=True)
class SignerInput:
    name: object
    email: object
    role: object = None


@dataclass(frozen=True, slots=True)
class CreateOffer:
    company_id: UUID
    user_id: UUID
    values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class UpdateOffer:
    company_id: UUID
    offer_id: UUID
    changes: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class ActOnOffer:
    """Send, accept, decline or withdraw; ``changes`` only for a counter."""

    company_id: UUID
    user_id: UUID
    offer_id: UUID
    action: OfferAction
    changes: Mapping[str, object] | None = None


@dataclass(frozen=True, slots=True)
class ListOfferVersions:
    company_id: UUID
    offer_id: UUID


@dataclass(frozen=True, slots=True)
class ReleaseAvail:
    company_id: UUID
    avail_id: UUID


@dataclass(frozen=True, slots=True)
class CreateAgreement:
    company_id: UUID
    user_id: UUID
    values: Mapping[str, object]
    signers: Sequence[SignerInput] = ()


@dataclass(frozen=True, slots=True)
class UpdateAgreement:
    company_id: UUID
    agreement_id: UUID
    changes: Mapping[str, object]
    signers: Sequence[SignerInput] | None = None
    """None: the signers stay; a list replaces them (each gets a new id)."""


@dataclass(frozen=True, slots=True)
class ActOnAgreement:
    """``send`` or ``void``; ``sign`` names ``signer_id``."""

    company_id: UUID
    user_id: UUID
    agreement_id: UUID
    action: str
    signer_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class GetAgreement:
    company_id: UUID
    agreement_id: UUID


@dataclass(frozen=True, slots=True)
class AgreementView:
    agreement: Agreement
    signers: tuple[Signer, ...]


_SIGNER_NAME = f.text(200, required=True)
_SIGNER_ROLE = f.text(100)


def _signers(inputs: Sequence[SignerInput], agreement: Agreement, ids: IdGenerator) -> tuple[Signer, ...]:
    issues: list[FieldIssue] = []
    signers: list[Signer] = []
    if len(inputs) > 50:
        raise FieldInvalid("signers", "must hold at most 50 signers")
    for position, item in enumerate(inputs):
        try:
            name = _SIGNER_NAME(f"signers[{position}].name", item.name)
            email = f.email(f"signers[{position}].email", item.email)
            if email is None:
                raise FieldInvalid(f"signers[{position}].email", "is required")
            role = _SIGNER_ROLE(f"signers[{position}].role", item.role)
        except FieldInvalid as error:
            issues.extend(error.issues)
            continue
        signers.append(
            Signer(
                id=ids.new_id(),
                company_id=agreement.company_id,
                agreement_id=agreement.id,
                position=position,
                name=str(name),
                email=str(email),
                role=None if role is None else str(role),
            )
        )
    if issues:
        raise FieldInvalid.of(issues)
    return tuple(signers)


async def _load_event(uow: BasicUnitOfWork, company_id: UUID, event_id: UUID) -> Event:
    return cast(Event, await load(uow.records(ResourceKind.EVENT, company_id), event_id, for_update=True))


async def _settle_currency(uow: BasicUnitOfWork, offer: Offer) -> None:
    """The offer's currency is its event's (which the first offer may set): 400 CURRENCY_MISMATCH else."""
    event = await _load_event(uow, offer.company_id, offer.event_id)
    before = event.currency
    offer.currency = event.settles_in(offer.currency)
    if event.currency != before:
        await uow.records(ResourceKind.EVENT, offer.company_id).save(event)


async def _check_avail(uow: BasicUnitOfWork, offer: Offer) -> None:
    if offer.avail_id is None:
        return
    avail = await load(uow.records(ResourceKind.AVAIL, offer.company_id), offer.avail_id)
    if cast(Avail, avail).artist_id != offer.artist_id:
        raise FieldInvalid("avail_id", "is an avail of another artist")


class CreateOfferHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: CreateOffer) -> Offer:
        offer = Offer.create(
            id=self.ids.new_id(),
            company_id=command.company_id,
            now=self.clock.now(),
            values=command.values,
            system={"created_by": command.user_id},
        )
        async with self.uow:
            await check_references(self.uow, offer, set(command.values))
            await _check_avail(self.uow, offer)
            await _settle_currency(self.uow, offer)
            await self.uow.records(ResourceKind.OFFER, command.company_id).add(offer)
            await self.uow.commit()
        return offer


class UpdateOfferHandler:
    """A draft offer's changes (409 once sent); the currency still follows the event."""

    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, command: UpdateOffer) -> Offer:
        now = self.clock.now()
        async with self.uow:
            offers = self.uow.records(ResourceKind.OFFER, command.company_id)
            offer = cast(Offer, (await load(offers, command.offer_id, for_update=True)).as_of(now))
            offer.change(command.changes, now=now)
            await check_references(self.uow, offer, set(command.changes))
            await _check_avail(self.uow, offer)
            await _settle_currency(self.uow, offer)
            await offers.save(offer)
            await self.uow.commit()
        return offer


class ActOnOfferHandler:
    """The offer's machine, and what each move does to its avail, event and agreement."""

    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: ActOnOffer) -> Offer:
        now = self.clock.now()
        company = command.company_id
        async with self.uow:
            offers = self.uow.records(ResourceKind.OFFER, company)
            offer = cast(Offer, (await load(offers, command.offer_id, for_update=True)).as_of(now))
            booking = self.uow.booking(company)
            if command.action is OfferAction.COUNTER:
                offer.counter(command.changes or {}, now)
                await booking.add_offer_version(
                    offer.snapshot(id=self.ids.new_id(), action="countered", by=command.user_id, now=now)
                )
                await self._hold_avail(offer, now)
                await self._tell_creator(offer, NotificationKind.OFFER_COUNTERED, "was countered", now)
            elif command.action is OfferAction.SEND:
                first = offer.version == 0
                offer.act(OfferAction.SEND, now)
                if first:
                    await booking.add_offer_version(
                        offer.snapshot(id=self.ids.new_id(), action="sent", by=command.user_id, now=now)
                    )
                await self._hold_avail(offer, now)
                await self._tell_creator(offer, NotificationKind.OFFER_SENT, "was sent", now)
            elif command.action is OfferAction.ACCEPT:
                await self._accept(offer, command.user_id, now)
                await self._tell_creator(offer, NotificationKind.OFFER_ACCEPTED, "was accepted", now)
            elif command.action in (OfferAction.DECLINE, OfferAction.WITHDRAW):
                offer.act(command.action, now)
                await self._free_avail(offer, now)
                if command.action is OfferAction.DECLINE:
                    await self._tell_creator(offer, NotificationKind.OFFER_DECLINED, "was declined", now)
            else:
                raise ValueError(f"{command.action} is not an action a client takes")
            await offers.save(offer)
            await self.uow.commit()
        return offer

    async def _tell_creator(self, offer: Offer, kind: NotificationKind, what: str, now: datetime) -> None:
        """DESIGN §6: an offer's moves are told to whoever created it."""
        if offer.created_by is None:
            return
        await notify(
            self.uow,
            company_id=offer.company_id,
            kind=kind,
            subject=Subject("offer", offer.id),
            text=f"The offer {what}.",
            to=Recipients(user_id=offer.created_by),
            ids=self.ids,
            now=now,
        )

    async def _avail(self, offer: Offer) -> Avail | None:
        if offer.avail_id is None:
            return None
        avails = self.uow.records(ResourceKind.AVAIL, offer.company_id)
        return cast(Avail, await load(avails, offer.avail_id, for_update=True))

    async def _hold_avail(self, offer: Offer, now: datetime) -> None:
        avail = await self._avail(offer)
        if avail is not None:
            avail.as_of(now).hold(offer.id, offer.expires_at, now)
            await self.uow.records(ResourceKind.AVAIL, offer.company_id).save(avail)

    async def _free_avail(self, offer: Offer, now: datetime) -> None:
        avail = await self._avail(offer)
        if avail is not None:
            avail.as_of(now).reopen(offer.id, now)
            await self.uow.records(ResourceKind.AVAIL, offer.company_id).save(avail)

    async def _accept(self, offer: Offer, user_id: UUID, moment: datetime) -> None:
        company = offer.company_id
        event = await _load_event(self.uow, company, offer.event_id)  # locks the event: one accept at a time
        offer.act(OfferAction.ACCEPT, moment)
        accepted = await self.uow.records(ResourceKind.OFFER, company).count(
            {"event_id": offer.event_id, "artist_id": offer.artist_id, "status": OfferStatus.ACCEPTED.value}
        )
        if accepted:
            raise OfferAlreadyAccepted("The event already has an accepted offer for this artist.")
        event.book(moment)
        if offer.artist_id not in event.artist_ids:
            event.artist_ids = (*event.artist_ids, offer.artist_id)
        await self.uow.records(ResourceKind.EVENT, company).save(event)
        avail = await self._avail(offer)
        if avail is not None:
            avail.as_of(moment).book(offer.id, moment)
            await self.uow.records(ResourceKind.AVAIL, company).save(avail)
        agreement = Agreement(
            id=self.ids.new_id(),
            company_id=company,
            created_at=moment,
            updated_at=moment,
            offer_id=offer.id,
            event_id=offer.event_id,
            terms=offer.terms or offer.summary(),
            created_by=user_id,
        )
        await self.uow.records(ResourceKind.AGREEMENT, company).add(agreement)


class ListOfferVersionsHandler:
    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: ListOfferVersions) -> list[OfferVersion]:
        async with self.uow.reading():
            await load(self.uow.records(ResourceKind.OFFER, query.company_id), query.offer_id)
            return await self.uow.booking(query.company_id).offer_versions(query.offer_id)


class ReleaseAvailHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    async def __call__(self, command: ReleaseAvail) -> Avail:
        now = self.clock.now()
        async with self.uow:
            avails = self.uow.records(ResourceKind.AVAIL, command.company_id)
            avail = cast(Avail, (await load(avails, command.avail_id, for_update=True)).as_of(now))
            avail.release(now)
            await avails.save(avail)
            await self.uow.commit()
        return avail


class CreateAgreementHandler:
    """An agreement for an accepted offer (one per offer: 409 DUPLICATE_KEY)."""

    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: CreateAgreement) -> AgreementView:
        agreement = Agreement.create(
            id=self.ids.new_id(),
            company_id=command.company_id,
            now=self.clock.now(),
            values=command.values,
            system={"created_by": command.user_id},
        )
        signers = _signers(command.signers, agreement, self.ids)
        async with self.uow:
            await check_references(self.uow, agreement, set(command.values))
            offer = cast(
                Offer, await load(self.uow.records(ResourceKind.OFFER, command.company_id), agreement.offer_id)
            )
            if offer.status != OfferStatus.ACCEPTED:
                raise OfferNotAccepted(f"The offer is {offer.status}; an agreement needs an accepted offer.")
            agreement.event_id = offer.event_id
            await self.uow.records(ResourceKind.AGREEMENT, command.company_id).add(agreement)
            await self.uow.booking(command.company_id).replace_signers(agreement.id, signers)
            await self.uow.commit()
        return AgreementView(agreement, signers)


class UpdateAgreementHandler:
    """Terms and signers of a draft agreement (frozen once sent: 409 ILLEGAL_TRANSITION)."""

    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: UpdateAgreement) -> AgreementView:
        if "offer_id" in command.changes:
            raise FieldInvalid("offer_id", "cannot be changed; create an agreement for the other offer")
        now = self.clock.now()
        async with self.uow:
            agreements = self.uow.records(ResourceKind.AGREEMENT, command.company_id)
            agreement = cast(Agreement, await load(agreements, command.agreement_id, for_update=True))
            agreement.editable()
            agreement.change(command.changes, now=now)
            booking = self.uow.booking(command.company_id)
            if command.signers is not None:
                signers = _signers(command.signers, agreement, self.ids)
                await booking.replace_signers(agreement.id, signers)
                agreement.updated_at = now
            else:
                signers = (await booking.signers([agreement.id])).get(agreement.id, ())
            await agreements.save(agreement)
            await self.uow.commit()
        return AgreementView(agreement, signers)


class ActOnAgreementHandler:
    def __init__(self, uow: BasicUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self.uow, self.clock, self.ids = uow, clock, ids

    async def __call__(self, command: ActOnAgreement) -> AgreementView:
        now = self.clock.now()
        async with self.uow:
            agreements = self.uow.records(ResourceKind.AGREEMENT, command.company_id)
            agreement = cast(Agreement, await load(agreements, command.agreement_id, for_update=True))
            booking = self.uow.booking(command.company_id)
            signers = (await booking.signers([agreement.id])).get(agreement.id, ())
            if command.action == "send":
                agreement.send(signers, now)
            elif command.action == "void":
                agreement.void(now)
            elif command.action == "sign":
                if command.signer_id is None:
                    raise FieldInvalid("signer_id", "is required")
                signed = agreement.sign(signers, command.signer_id, command.user_id, now)
                await booking.save_signer(signed)
                signers = tuple(signed if s.id == signed.id else s for s in signers)
                if agreement.created_by is not None:
                    await notify(
                        self.uow,
                        company_id=agreement.company_id,
                        kind=NotificationKind.AGREEMENT_SIGNED,
                        subject=Subject("agreement", agreement.id),
                        text=f"{signed.name} signed the agreement.",
                        to=Recipients(user_id=agreement.created_by),
                        ids=self.ids,
                        now=now,
                    )
            else:
                raise IllegalTransition(f"An agreement cannot {command.action}.")
            await agreements.save(agreement)
            await self.uow.commit()
        return AgreementView(agreement, signers)


class GetAgreementHandler:
    def __init__(self, uow: BasicUnitOfWork) -> None:
        self.uow = uow

    async def __call__(self, query: GetAgreement) -> AgreementView:
        async with self.uow.reading():
            agreement = await load(self.uow.records(ResourceKind.AGREEMENT, query.company_id), query.agreement_id)
            signers = await self.uow.booking(query.company_id).signers([agreement.id])
        return AgreementView(cast(Agreement, agreement), signers.get(agreement.id, ()))
