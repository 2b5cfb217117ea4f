"""Tables of the Base module. Every row carries ``company_id``; every index starts with it."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Base(DeclarativeBase):
    metadata = metadata


class _Tenant:
    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)


class ArtistRow(_Tenant, Base):
    __tablename__ = "artists"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    genre: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index(None, "company_id", "name"), Index(None, "company_id", "genre"))


class VenueRow(_Tenant, Base):
    __tablename__ = "venues"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    capacity: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index(None, "company_id", "name"), Index(None, "company_id", "city"))


class VendorRow(_Tenant, Base):
    __tablename__ = "vendors"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index(None, "company_id", "name"), Index(None, "company_id", "category"))


class AgencyRow(_Tenant, Base):
    __tablename__ = "agencies"
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(2048))
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("company_id", "key"), Index(None, "company_id", "name"))


class EventRow(_Tenant, Base):
    __tablename__ = "events"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    venue_id: Mapped[UUID | None] = mapped_column(GUID, ForeignKey("venues.id", ondelete="SET NULL"))
    status: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(3))
    __table_args__ = (
        Index(None, "company_id", "name"),
        Index(None, "company_id", "starts_at"),
        Index(None, "company_id", "ends_at"),
        Index(None, "company_id", "venue_id"),
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ck_events_ends_after_start"),
    )


class EventArtistRow(Base):
    __tablename__ = "event_artists"
    event_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    artist_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("artists.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    __table_args__ = (Index(None, "company_id", "artist_id"),)


class TaskRow(_Tenant, Base):
    __tablename__ = "tasks"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    assignee_user_id: Mapped[UUID | None] = mapped_column(GUID)
    due_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    __table_args__ = (
        Index(None, "company_id", "name"),
        Index(None, "company_id", "done"),
        Index(None, "company_id", "assignee_user_id"),
    )


# --- Booking: avails, offers (+ versions), agreements (+ signers) ---------------------------------


class AvailRow(_Tenant, Base):
    __tablename__ = "avails"
    artist_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("artists.id"), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    city: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    offer_id: Mapped[UUID | None] = mapped_column(GUID)
    hold_expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    __table_args__ = (
        Index(None, "company_id", "artist_id", "starts_on"),
        Index(None, "company_id", "starts_on"),
        Index(None, "company_id", "status"),
        CheckConstraint("ends_on >= starts_on", name="ck_avails_ends_after_start"),
    )


class OfferRow(_Tenant, Base):
    __tablename__ = "offers"
    event_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("events.id"), nullable=False)
    artist_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("artists.id"), nullable=False)
    avail_id: Mapped[UUID | None] = mapped_column(GUID, ForeignKey("avails.id"))
    deal_type: Mapped[str] = mapped_column(String(20), nullable=False)
    guarantee: Mapped[int] = mapped_column(BigInteger, nullable=False)
    percentage: Mapped[int | None] = mapped_column(Integer)
    split_point: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    terms: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_by: Mapped[UUID | None] = mapped_column(GUID)
    __table_args__ = (
        Index(None, "company_id", "created_at"),
        Index(None, "company_id", "event_id"),
        Index(None, "company_id", "artist_id"),
        Index(None, "company_id", "avail_id"),
        Index(None, "company_id", "status"),
        Index(
            "uq_offers_one_accepted_per_event_artist",
            "company_id",
            "event_id",
            "artist_id",
            unique=True,
            postgresql_where=text("status = 'accepted'"),
            sqlite_where=text("status = 'accepted'"),
        ),
    )


class OfferVersionRow(Base):
    __tablename__ = "offer_versions"
    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    offer_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("offers.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    deal_type: Mapped[str] = mapped_column(String(20), nullable=False)
    guarantee: Mapped[int] = mapped_column(BigInteger, nullable=False)
    percentage: Mapped[int | None] = mapped_column(Integer)
    split_point: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    terms: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[UUID | None] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    __table_args__ = (UniqueConstraint("company_id", "offer_id", "number"),)


class AgreementRow(_Tenant, Base):
    __tablename__ = "agreements"
    offer_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("offers.id"), nullable=False)
    event_id: Mapped[UUID | None] = mapped_column(GUID, ForeignKey("events.id"))
    terms: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    signed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    created_by: Mapped[UUID | None] = mapped_column(GUID)
    __table_args__ = (
        UniqueConstraint("company_id", "offer_id"),
        Index(None, "company_id", "created_at"),
        Index(None, "company_id", "event_id"),
        Index(None, "company_id", "status"),
    )


class AgreementSignerRow(Base):
    __tablename__ = "agreement_signers"
    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    agreement_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    role: Mapped[str | None] = mapped_column(String(100))
    signed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    signed_by: Mapped[UUID | None] = mapped_column(GUID)
    __table_args__ = (Index(None, "company_id", "agreement_id"),)


class FileRow(_Tenant, Base):
    __tablename__ = "files"
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(255), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False)
    uploaded_by: Mapped[UUID] = mapped_column(GUID, nullable=False)
    __table_args__ = (Index(None, "company_id", "name"), Index(None, "company_id", "content_type"))


class CompanyProfileRow(Base):
    __tablename__ = "company_profiles"
    company_id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    legal_name: Mapped[str | None] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(2048))
    address: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[str | None] = mapped_column(String(3))
    timezone: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


# --- Money lines of an event, approvals, notifications, the accounting outbox ----------------------


class TicketTierRow(_Tenant, Base):
    __tablename__ = "tickets"
    event_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    price: Mapped[int] = mapped_column(BigInteger, nullable=False)
    capacity: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sold: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    comps: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    currency: Mapped[str | None] = mapped_column(String(3))
    __table_args__ = (
        Index(None, "company_id", "event_id"),
        CheckConstraint(
            "price >= 0 AND capacity >= 0 AND sold >= 0 AND comps >= 0 AND sold + comps <= capacity",
            name="ck_tickets_counts",
        ),
    )


class IncomeLineRow(_Tenant, Base):
    __tablename__ = "income"
    event_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    category: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500))
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str | None] = mapped_column(String(3))
    __table_args__ = (Index(None, "company_id", "event_id"), CheckConstraint("amount >= 0", name="ck_income_amount"))


class ExpenseRow(_Tenant, Base):
    __tablename__ = "expenses"
    event_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    category: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500))
    vendor_id: Mapped[UUID | None] = mapped_column(GUID, ForeignKey("vendors.id", ondelete="SET NULL"))
    estimated_amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    actual_amount: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    submitted_by: Mapped[UUID | None] = mapped_column(GUID)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    __table_args__ = (
        Index(None, "company_id", "event_id"),
        Index(None, "company_id", "status"),
        Index(None, "company_id", "vendor_id"),
        CheckConstraint(
            "estimated_amount >= 0 AND (actual_amount IS NULL OR actual_amount >= 0)", name="ck_expenses_amounts"
        ),
    )


class ApprovalRow(_Tenant, Base):
    __tablename__ = "approvals"
    subject_kind: Mapped[str] = mapped_column(String(30), nullable=False)
    subject_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("expenses.id", ondelete="CASCADE"), nullable=False)
    event_id: Mapped[UUID | None] = mapped_column(GUID, ForeignKey("events.id", ondelete="CASCADE"))
    summary: Mapped[str] = mapped_column(String(500), nullable=False)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    requested_by: Mapped[UUID] = mapped_column(GUID, nullable=False)
    decided_by: Mapped[UUID | None] = mapped_column(GUID)
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    reason: Mapped[str | None] = mapped_column(String(1000))
    __table_args__ = (
        Index(None, "company_id", "status", "created_at"),
        Index(None, "company_id", "subject_id"),
        Index(None, "company_id", "event_id"),
    )


class NotificationRow(Base):
    """To one user (``recipient_user_id``) or to every holder of a permission (``audience``) but one."""

    __tablename__ = "notifications"
    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(30), nullable=False)
    subject_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    recipient_user_id: Mapped[UUID | None] = mapped_column(GUID)
    audience: Mapped[str | None] = mapped_column(String(100))
    excluded_user_id: Mapped[UUID | None] = mapped_column(GUID)
    __table_args__ = (
        Index(None, "company_id", "recipient_user_id", "created_at"),
        Index(None, "company_id", "audience", "created_at"),
        CheckConstraint("(recipient_user_id IS NULL) <> (audience IS NULL)", name="ck_notifications_one_audience"),
    )


class NotificationReadRow(Base):
    """When one user read one notification (a shared one is read per user)."""

    __tablename__ = "notification_reads"
    notification_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    read_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    __table_args__ = (Index(None, "company_id", "user_id"),)


class AccountingExportRow(Base):
    """The accounting outbox: written in the transaction of the approval or the income line it exports."""

    __tablename__ = "accounting_exports"
    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(30), nullable=False)
    subject_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    __table_args__ = (Index(None, "company_id", "status", "created_at"),)
