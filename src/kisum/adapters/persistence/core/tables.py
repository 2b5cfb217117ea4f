"""Core's tables. Schema-free: PostgreSQL puts them in the ``core`` schema by search_path."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

KEY_LENGTH = 48
SUBSCRIPTION_STATUSES = "('active', 'trialing', 'past_due', 'canceled', 'expired')"


class CoreBase(DeclarativeBase):
    metadata = metadata


class ModuleRow(CoreBase):
    __tablename__ = "modules"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class PackageRow(CoreBase):
    __tablename__ = "packages"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class AddonRow(CoreBase):
    __tablename__ = "addons"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class PackageModuleRow(CoreBase):
    __tablename__ = "package_modules"

    package_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), ForeignKey("packages.key", ondelete="CASCADE"), primary_key=True
    )
    module_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), ForeignKey("modules.key", ondelete="RESTRICT"), primary_key=True, index=True
    )


class AddonModuleRow(CoreBase):
    __tablename__ = "addon_modules"

    addon_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), ForeignKey("addons.key", ondelete="CASCADE"), primary_key=True
    )
    module_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), ForeignKey("modules.key", ondelete="RESTRICT"), primary_key=True, index=True
    )


class CompanyRow(CoreBase):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'suspended')", name="status"),
        Index("ix_companies_created_at", "created_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    entitlement_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class CompanySubscriptionRow(CoreBase):
    """The company's Basic subscription: at most one per company."""

    __tablename__ = "company_subscriptions"
    __table_args__ = (
        CheckConstraint(f"status IN {SUBSCRIPTION_STATUSES}", name="status"),
        CheckConstraint("starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at", name="window"),
    )

    company_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    package_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), ForeignKey("packages.key", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class CompanyAddonRow(CoreBase):
    __tablename__ = "company_addons"
    __table_args__ = (
        CheckConstraint(f"status IN {SUBSCRIPTION_STATUSES}", name="status"),
        CheckConstraint("starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at", name="window"),
    )

    company_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    addon_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), ForeignKey("addons.key", ondelete="RESTRICT"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class OutboxEventRow(CoreBase):
    """An ``entitlements-changed`` event for auth, written with the change it announces."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        UniqueConstraint("company_id", "entitlement_version"),
        Index("ix_outbox_events_pending", "delivered_at", "next_attempt_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("companies.id", ondelete="CASCADE"))
    entitlement_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
