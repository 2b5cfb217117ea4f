"""What the booking flow keeps beside its records: offer versions and agreement signers (one company)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kisum.adapters.persistence.basic.tables import AgreementSignerRow, OfferVersionRow
from kisum.domain.business.booking import OfferVersion, Signer

_VERSION_FIELDS = tuple(f.name for f in dataclasses.fields(OfferVersion))
_SIGNER_FIELDS = tuple(f.name for f in dataclasses.fields(Signer))


class SqlBookingRepository:
    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        if not isinstance(company_id, UUID):
            raise TypeError("a tenant repository needs the company id (UUID) it is scoped to")
        self.session, self.company_id = session, company_id

    def _own(self, company_id: UUID) -> None:
        if company_id != self.company_id:
            raise ValueError("refusing to write a row of another company")

    async def offer_versions(self, offer_id: UUID) -> list[OfferVersion]:
        statement = (
            select(OfferVersionRow)
            .where(OfferVersionRow.company_id == self.company_id, OfferVersionRow.offer_id == offer_id)
            .order_by(OfferVersionRow.number)
        )
        rows = (await self.session.execute(statement)).scalars()
        return [OfferVersion(**{name: getattr(row, name) for name in _VERSION_FIELDS}) for row in rows]

    async def add_offer_version(self, version: OfferVersion) -> None:
        self._own(version.company_id)
        self.session.add(OfferVersionRow(**{name: getattr(version, name) for name in _VERSION_FIELDS}))
        await self.session.flush()

    async def signers(self, agreement_ids: Collection[UUID]) -> dict[UUID, tuple[Signer, ...]]:
        if not agreement_ids:
            return {}
        statement = (
            select(AgreementSignerRow)
            .where(
                AgreementSignerRow.company_id == self.company_id,
                AgreementSignerRow.agreement_id.in_(list(agreement_ids)),
            )
            .order_by(AgreementSignerRow.agreement_id, AgreementSignerRow.position)
        )
        found: dict[UUID, list[Signer]] = {}
        for row in (await self.session.execute(statement)).scalars():
            found.setdefault(row.agreement_id, []).append(
                Signer(**{name: getattr(row, name) for name in _SIGNER_FIELDS})
            )
        return {agreement: tuple(signers) for agreement, signers in found.items()}

    async def replace_signers(self, agreement_id: UUID, signers: tuple[Signer, ...]) -> None:
        await self.session.execute(
            delete(AgreementSignerRow).where(
                AgreementSignerRow.company_id == self.company_id, AgreementSignerRow.agreement_id == agreement_id
            )
        )
        for signer in signers:
            self._own(signer.company_id)
        self.session.add_all(
            AgreementSignerRow(**{name: getattr(signer, name) for name in _SIGNER_FIELDS}) for signer in signers
        )
        await self.session.flush()

    async def save_signer(self, signer: Signer) -> None:
        self._own(signer.company_id)
        row = (
            await self.session.execute(
                select(AgreementSignerRow)
                .where(AgreementSignerRow.company_id == self.company_id, AgreementSignerRow.id == signer.id)
                .with_for_update()
            )
        ).scalar_one()
        row.signed_at, row.signed_by = signer.signed_at, signer.signed_by
        await self.session.flush()
