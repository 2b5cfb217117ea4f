"""Auth's tables. Schema-free: on PostgreSQL auth's connections use ``search_path = auth``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
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


# --- identity --------------------------------------------------------------------------------

EMAIL_LENGTH = 254
NAME_LENGTH = 200
MODULE_LENGTH = 64
PERMISSION_LENGTH = 200  # keys and patterns: 3 segments of at most 64 characters and two dots
TOKEN_HASH_LENGTH = 128
USER_AGENT_LENGTH = 512
IP_LENGTH = 64
STATUS_LENGTH = 16
REASON_LENGTH = 32

USER_STATUSES = "('active', 'suspended')"
MEMBERSHIP_STATUSES = "('active', 'suspended')"
MEMBERSHIP_ROLES = "('owner', 'admin', 'member')"


class UserRow(AuthBase):
    """One person. ``email`` is stored normalised (``normalize_email``), so the unique index is exact."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"status IN {USER_STATUSES}", name="status"),)

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=false())
    token_version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), nullable=False, server_default=text("'active'"))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False, server_default=func.now())


# --- sessions --------------------------------------------------------------------------------


class SessionRow(AuthBase):
    """A login session; only hashes of refresh tokens are stored (the current one here)."""

    __tablename__ = "sessions"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    user_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    refresh_token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), nullable=False, unique=True)
    user_agent: Mapped[str | None] = mapped_column(String(USER_AGENT_LENGTH), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(IP_LENGTH), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    last_used_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH), nullable=True)


class SessionRefreshHashRow(AuthBase):
    """A rotated (previous) refresh-token hash; kept for the session's life to detect reuse."""

    __tablename__ = "session_refresh_hashes"

    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), primary_key=True)
    session_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True
    )


# --- memberships and grants ------------------------------------------------------------------


class MembershipRow(AuthBase):
    """A user in a company. ``company_id`` has no foreign key: companies live in core."""

    __tablename__ = "company_memberships"
    __table_args__ = (
        UniqueConstraint("company_id", "user_id"),
        Index("ix_company_memberships_company_id_created_at_id", "company_id", "created_at", "id"),
        CheckConstraint(f"role IN {MEMBERSHIP_ROLES}", name="role"),
        CheckConstraint(f"status IN {MEMBERSHIP_STATUSES}", name="status"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    user_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(STATUS_LENGTH), nullable=False)
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), nullable=False, server_default=text("'active'"))
    access_version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False, server_default=func.now())


class MembershipModuleGrantRow(AuthBase):
    __tablename__ = "membership_module_grants"

    membership_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("company_memberships.id", ondelete="CASCADE"), primary_key=True
    )
    module: Mapped[str] = mapped_column(String(MODULE_LENGTH), primary_key=True)


class MembershipPermissionRow(AuthBase):
    """A permission grant exactly as written: a concrete key or a pattern (``finance.*``)."""

    __tablename__ = "membership_permissions"

    membership_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("company_memberships.id", ondelete="CASCADE"), primary_key=True
    )
    pattern: Mapped[str] = mapped_column(String(PERMISSION_LENGTH), primary_key=True, index=True)


class DelegationPolicyRow(AuthBase):
    """A membership's delegation policy; absent means the empty policy."""

    __tablename__ = "membership_delegation_policies"

    membership_id: Mapped[UUID] = mapped_column(
        GUID,
        ForeignKey(
            "company_memberships.id", ondelete="CASCADE", name="fk_membership_delegation_policies_membership_id"
        ),
        primary_key=True,
    )
    can_manage_members: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=false())


class DelegatedModuleRow(AuthBase):
    __tablename__ = "membership_delegated_modules"

    membership_id: Mapped[UUID] = mapped_column(
        GUID,
        ForeignKey(
            "membership_delegation_policies.membership_id",
            ondelete="CASCADE",
            name="fk_membership_delegated_modules_membership_id",
        ),
        primary_key=True,
    )
    module: Mapped[str] = mapped_column(String(MODULE_LENGTH), primary_key=True)


class DelegatedPermissionRow(AuthBase):
    __tablename__ = "membership_delegated_permissions"

    membership_id: Mapped[UUID] = mapped_column(
        GUID,
        ForeignKey(
            "membership_delegation_policies.membership_id",
            ondelete="CASCADE",
            name="fk_membership_delegated_permissions_membership_id",
        ),
        primary_key=True,
    )
    pattern: Mapped[str] = mapped_column(String(PERMISSION_LENGTH), primary_key=True, index=True)


# --- permission catalog ----------------------------------------------------------------------


class PermissionRow(AuthBase):
    __tablename__ = "permissions"

    key: Mapped[str] = mapped_column(String(PERMISSION_LENGTH), primary_key=True)
    module: Mapped[str] = mapped_column(String(MODULE_LENGTH), nullable=False, index=True)
    description: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("''"))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False, server_default=func.now())


class PermissionCatalogVersionRow(AuthBase):
    """Exactly one row (``id = 1``, seeded by the migration); bumped with every catalog change.

    The ``UPDATE … SET version = version + 1`` also serialises concurrent catalog changes.
    """

    __tablename__ = "permission_catalog_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)


# --- audit -----------------------------------------------------------------------------------


DETAILS_TYPE = JSON().with_variant(JSONB(), "postgresql")


class AuditLogRow(AuthBase):
    """Who did what to whom. No foreign keys: the trail outlives what it talks about."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_company_id_at", "company_id", "at"),)

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    company_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    target_membership_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    target_user_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(DETAILS_TYPE, nullable=False)


class CompanyEntitlementVersionRow(AuthBase):
    """The newest ``entitlementVersion`` auth has seen for a company, from core's change
    notifications and from core's answers; it only ever goes up.

    Read with the access stamp, so a cached access model is found without asking Redis or core
    which version is current: the cached value under a full ``accessVersion`` never changes.
    """

    __tablename__ = "company_entitlement_versions"

    company_id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    entitlement_version: Mapped[int] = mapped_column(Integer, nullable=False)
