"""Routes of the booking flow beyond CRUD: the derived controllers of avails, offers and
agreements, extended with their actions (each declaring its permission).

No ``from __future__ import annotations``: the derived Struct types are read at run time."""

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody

from kisum.adapters.http.basic.resources import STRUCTS, derive_controller, values_of
from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.schemas import Body, Out
from kisum.application.business.basic.booking import (
    ActOnAgreement,
    ActOnAgreementHandler,
    ActOnOffer,
    ActOnOfferHandler,
    AgreementView,
    CreateAgreement,
    CreateAgreementHandler,
    CreateOffer,
    CreateOfferHandler,
    GetAgreement,
    GetAgreementHandler,
    ListOfferVersions,
    ListOfferVersionsHandler,
    ReleaseAvail,
    ReleaseAvailHandler,
    SignerInput,
    UpdateAgreement,
    UpdateAgreementHandler,
    UpdateOffer,
    UpdateOfferHandler,
)
from kisum.domain.business.booking import OfferAction
from kisum.domain.business.records import RECORD_TYPES, ResourceKind

AVAILS = RECORD_TYPES[ResourceKind.AVAIL].DECLARATION
OFFERS = RECORD_TYPES[ResourceKind.OFFER].DECLARATION
AGREEMENTS = RECORD_TYPES[ResourceKind.AGREEMENT].DECLARATION
AvailOut = STRUCTS[ResourceKind.AVAIL].out
OfferOut = STRUCTS[ResourceKind.OFFER].out
OfferBody = STRUCTS[ResourceKind.OFFER].body
OfferChangesBody = STRUCTS[ResourceKind.OFFER].changes

SEND_OFFERS = requires("basic.offer.send", "Send and withdraw offers")
DECIDE_OFFERS = requires("basic.offer.decide", "Accept, decline or counter offers")
SEND_AGREEMENTS = requires("basic.agreement.send", "Send agreements for signature")
SIGN_AGREEMENTS = requires("basic.agreement.sign", "Record signatures of agreements")


class OfferVersionOut(Out):
    number: int
    action: str
    deal_type: str
    guarantee: int
    percentage: int | None
    split_point: int | None
    currency: str
    expires_at: datetime | None
    terms: str | None
    created_by: UUID | None
    created_at: datetime


class OfferVersionsOut(Out):
    items: list[OfferVersionOut]


class SignerBody(Body):
    name: str
    email: str
    role: str | None = None


class SignerOut(Out):
    id: UUID
    name: str
    email: str
    role: str | None
    signed_at: datetime | None
    signed_by: UUID | None


class AgreementBody(Body):
    offer_id: UUID
    terms: str
    signers: list[SignerBody] = []


class AgreementChangesBody(Body):
    terms: str | msgspec.UnsetType = msgspec.UNSET
    signers: list[SignerBody] | msgspec.UnsetType = msgspec.UNSET


class AgreementOut(Out):
    id: UUID
    offer_id: UUID
    event_id: UUID | None
    terms: str
    status: str
    sent_at: datetime | None
    signed_at: datetime | None
    created_by: UUID | None
    signers: list[SignerOut]
    created_at: datetime
    updated_at: datetime


class SignBody(Body):
    signer_id: UUID


def _inputs(signers: list[SignerBody]) -> list[SignerInput]:
    return [SignerInput(s.name, s.email, s.role) for s in signers]


def agreement_out(view: AgreementView) -> AgreementOut:
    a = view.agreement
    return AgreementOut(
        id=a.id,
        offer_id=a.offer_id,
        event_id=a.event_id,
        terms=a.terms,
        status=a.status,
        sent_at=a.sent_at,
        signed_at=a.signed_at,
        created_by=a.created_by,
        signers=[
            SignerOut(id=s.id, name=s.name, email=s.email, role=s.role, signed_at=s.signed_at, signed_by=s.signed_by)
            for s in view.signers
        ],
        created_at=a.created_at,
        updated_at=a.updated_at,
    )


class AvailController(derive_controller(ResourceKind.AVAIL)):  # type: ignore[misc]
    """Avails: the derived routes (DELETE releases: the row stays, ``released``), plus release."""

    @post(
        "/{record_id:uuid}/release", status_code=200, opt=requires("basic.avail.delete", AVAILS.description("delete"))
    )
    async def release_avail(
        self, access: Access, handler: FromDishka[ReleaseAvailHandler], record_id: FromPath[UUID]
    ) -> AvailOut:  # type: ignore[valid-type]
        avail = await handler(ReleaseAvail(access.company_id, record_id))
        return STRUCTS[ResourceKind.AVAIL].out_of(avail)  # type: ignore[no-any-return]


class OfferController(derive_controller(ResourceKind.OFFER)):  # type: ignore[misc]
    """Offers: the derived list, get and delete (drafts only); create and edit follow the event's
    currency; send, counter, accept, decline, withdraw and the versions of its terms."""

    @post("/", opt=requires("basic.offer.create", OFFERS.description("create")))
    async def create_offer(
        self,
        access: Access,
        handler: FromDishka[CreateOfferHandler],
        data: JSONBody[OfferBody],  # type: ignore[valid-type]
    ) -> OfferOut:  # type: ignore[valid-type]
        offer = await handler(CreateOffer(access.company_id, access.user_id, values_of(data)))
        return STRUCTS[ResourceKind.OFFER].out_of(offer)  # type: ignore[no-any-return]

    @put("/{record_id:uuid}", opt=requires("basic.offer.edit", OFFERS.description("edit")))
    async def update_offer(
        self,
        access: Access,
        handler: FromDishka[UpdateOfferHandler],
        record_id: FromPath[UUID],
        data: JSONBody[OfferChangesBody],  # type: ignore[valid-type]
    ) -> OfferOut:  # type: ignore[valid-type]
        offer = await handler(UpdateOffer(access.company_id, record_id, values_of(data)))
        return STRUCTS[ResourceKind.OFFER].out_of(offer)  # type: ignore[no-any-return]

    async def _act(
        self,
        access: Access,
        handler: ActOnOfferHandler,
        record_id: UUID,
        action: OfferAction,
        changes: dict[str, object] | None = None,
    ) -> Any:
        offer = await handler(ActOnOffer(access.company_id, access.user_id, record_id, action, changes))
        return STRUCTS[ResourceKind.OFFER].out_of(offer)

    @post("/{record_id:uuid}/send", status_code=200, opt=SEND_OFFERS)
    async def send_offer(
        self, access: Access, handler: FromDishka[ActOnOfferHandler], record_id: FromPath[UUID]
    ) -> OfferOut:  # type: ignore[valid-type]
        return await self._act(access, handler, record_id, OfferAction.SEND)  # type: ignore[no-any-return]

    @post("/{record_id:uuid}/withdraw", status_code=200, opt=SEND_OFFERS)
    async def withdraw_offer(
        self, access: Access, handler: FromDishka[ActOnOfferHandler], record_id: FromPath[UUID]
    ) -> OfferOut:  # type: ignore[valid-type]
        return await self._act(access, handler, record_id, OfferAction.WITHDRAW)  # type: ignore[no-any-return]

    @post("/{record_id:uuid}/counter", status_code=200, opt=DECIDE_OFFERS)
    async def counter_offer(
        self,
        access: Access,
        handler: FromDishka[ActOnOfferHandler],
        record_id: FromPath[UUID],
        data: JSONBody[OfferChangesBody],  # type: ignore[valid-type]
    ) -> OfferOut:  # type: ignore[valid-type]
        return await self._act(access, handler, record_id, OfferAction.COUNTER, values_of(data))  # type: ignore[no-any-return]

    @post("/{record_id:uuid}/accept", status_code=200, opt=DECIDE_OFFERS)
    async def accept_offer(
        self, access: Access, handler: FromDishka[ActOnOfferHandler], record_id: FromPath[UUID]
    ) -> OfferOut:  # type: ignore[valid-type]
        return await self._act(access, handler, record_id, OfferAction.ACCEPT)  # type: ignore[no-any-return]

    @post("/{record_id:uuid}/decline", status_code=200, opt=DECIDE_OFFERS)
    async def decline_offer(
        self, access: Access, handler: FromDishka[ActOnOfferHandler], record_id: FromPath[UUID]
    ) -> OfferOut:  # type: ignore[valid-type]
        return await self._act(access, handler, record_id, OfferAction.DECLINE)  # type: ignore[no-any-return]

    @get("/{record_id:uuid}/versions", opt=requires("basic.offer.view", OFFERS.description("view")))
    async def offer_versions(
        self, access: Access, handler: FromDishka[ListOfferVersionsHandler], record_id: FromPath[UUID]
    ) -> OfferVersionsOut:
        versions = await handler(ListOfferVersions(access.company_id, record_id))
        fields = OfferVersionOut.__struct_fields__
        return OfferVersionsOut(items=[OfferVersionOut(**{n: getattr(v, n) for n in fields}) for v in versions])


class AgreementController(derive_controller(ResourceKind.AGREEMENT)):  # type: ignore[misc]
    """Agreements: the derived list (without signers) and delete (drafts only); get, create and
    edit with their signers; send, sign and void."""

    @get("/{record_id:uuid}", opt=requires("basic.agreement.view", AGREEMENTS.description("view")))
    async def get_agreement(
        self, access: Access, handler: FromDishka[GetAgreementHandler], record_id: FromPath[UUID]
    ) -> AgreementOut:
        return agreement_out(await handler(GetAgreement(access.company_id, record_id)))

    @post("/", opt=requires("basic.agreement.create", AGREEMENTS.description("create")))
    async def create_agreement(
        self, access: Access, handler: FromDishka[CreateAgreementHandler], data: JSONBody[AgreementBody]
    ) -> AgreementOut:
        values = {"offer_id": data.offer_id, "terms": data.terms}
        command = CreateAgreement(access.company_id, access.user_id, values, _inputs(data.signers))
        return agreement_out(await handler(command))

    @put("/{record_id:uuid}", opt=requires("basic.agreement.edit", AGREEMENTS.description("edit")))
    async def update_agreement(
        self,
        access: Access,
        handler: FromDishka[UpdateAgreementHandler],
        record_id: FromPath[UUID],
        data: JSONBody[AgreementChangesBody],
    ) -> AgreementOut:
        changes: dict[str, object] = {} if data.terms is msgspec.UNSET else {"terms": data.terms}
        signers = None if data.signers is msgspec.UNSET else _inputs(data.signers)
        return agreement_out(await handler(UpdateAgreement(access.company_id, record_id, changes, signers)))

    @post("/{record_id:uuid}/send", status_code=200, opt=SEND_AGREEMENTS)
    async def send_agreement(
        self, access: Access, handler: FromDishka[ActOnAgreementHandler], record_id: FromPath[UUID]
    ) -> AgreementOut:
        return agreement_out(await handler(ActOnAgreement(access.company_id, access.user_id, record_id, "send")))

    @post("/{record_id:uuid}/sign", status_code=200, opt=SIGN_AGREEMENTS)
    async def sign_agreement(
        self,
        access: Access,
        handler: FromDishka[ActOnAgreementHandler],
        record_id: FromPath[UUID],
        data: JSONBody[SignBody],
    ) -> AgreementOut:
        command = ActOnAgreement(access.company_id, access.user_id, record_id, "sign", data.signer_id)
        return agreement_out(await handler(command))

    @post(
        "/{record_id:uuid}/void", status_code=200, opt=requires("basic.agreement.edit", AGREEMENTS.description("edit"))
    )
    async def void_agreement(
        self, access: Access, handler: FromDishka[ActOnAgreementHandler], record_id: FromPath[UUID]
    ) -> AgreementOut:
        return agreement_out(await handler(ActOnAgreement(access.company_id, access.user_id, record_id, "void")))


BOOKING_CONTROLLERS: dict[ResourceKind, type[Controller]] = {
    ResourceKind.AVAIL: AvailController,
    ResourceKind.OFFER: OfferController,
    ResourceKind.AGREEMENT: AgreementController,
}
