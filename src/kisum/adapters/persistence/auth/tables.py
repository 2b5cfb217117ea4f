"""Auth's tables. Schema-free: on PostgreSQL auth's connections use ``search_path = auth``."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AuthBase(DeclarativeBase):
    """Declarative base of every auth table; ``metadata`` is what migrations compare against."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


metadata = AuthBase.metadata


class SigningKeyRow(AuthBase):
    """One RSA key pair that signs access tokens for a while, then only verifies, then is pruned.

    ``generation`` is unique: the n-th key ever made. Two processes that both try to create the
    first key (or the next one) race on it, and the loser sees a unique violation and re-reads.
    ``private_key_pem`` is PKCS#8 PEM, encrypted when ``KISUM_SIGNING_KEY_PASSPHRASE`` is set.
    """

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    private_key_pem: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    activates_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    retires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
