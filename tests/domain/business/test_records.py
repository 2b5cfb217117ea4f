"""Rules of the Base records: field rules, cross-field rules, uploads and the event windows."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.errors import FieldInvalid, FileTooLarge, FileTypeNotAllowed
from kisum.domain.business.records import (
    Agency,
    Artist,
    CompanyProfile,
    Event,
    EventWindow,
    FilePolicy,
    StoredFile,
    Task,
    Venue,
    safe_file_name,
)
from kisum.domain.money import CurrencyMismatch

NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)
COMPANY = uuid.uuid4()


def _new(kind: type, **values: object):  # type: ignore[no-untyped-def]
    return kind.create(id=uuid.uuid4(), company_id=COMPANY, now=NOW, values=values)


def test_record_is_created_with_clean_values() -> None:
    artist = _new(Artist, name="  Ada  ", email="ADA@Example.com")
    assert (artist.name, artist.email, artist.company_id) == ("Ada", "ada@example.com", COMPANY)
    assert artist.created_at == artist.updated_at == NOW


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 201, "bad\x00name"])
def test_name_is_required_and_bounded(name: object) -> None:
    with pytest.raises(FieldInvalid) as raised:
        _new(Artist, name=name)
    assert raised.value.field == "name"
    assert raised.value.detail.startswith("name:")


def test_missing_name_is_named() -> None:
    with pytest.raises(FieldInvalid) as raised:
        _new(Venue, city="Paris")
    assert raised.value.field == "name"


def test_unknown_field_is_refused() -> None:
    with pytest.raises(FieldInvalid) as raised:
        _new(Artist, name="Ada", company_id=uuid.uuid4())
    assert raised.value.field == "companyId"


def test_agency_needs_a_well_formed_key_and_lowercases_it() -> None:
    assert _new(Agency, key="Agency-001", name="Example").key == "agency-001"
    with pytest.raises(FieldInvalid) as raised:
        _new(Agency, key="bad key!", name="Example")
    assert raised.value.field == "key"
    with pytest.raises(FieldInvalid):
        _new(Agency, name="Example")


def test_event_end_before_start_is_refused_with_the_field_named() -> None:
    with pytest.raises(FieldInvalid) as raised:
        _new(Event, name="Gig", starts_at=NOW, ends_at=NOW - timedelta(hours=1))
    assert raised.value.field == "endsAt"


def test_event_end_without_start_is_refused() -> None:
    with pytest.raises(FieldInvalid) as raised:
        _new(Event, name="Gig", ends_at=NOW)
    assert raised.value.field == "startsAt"


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(FieldInvalid):
        _new(Event, name="Gig", starts_at=datetime(2030, 1, 1))


def test_failed_change_leaves_the_record_as_it_was() -> None:
    event = _new(Event, name="Gig", starts_at=NOW, ends_at=NOW + timedelta(hours=2))
    with pytest.raises(FieldInvalid):
        event.change({"name": "New", "ends_at": NOW - timedelta(days=1)}, now=NOW + timedelta(days=1))
    assert (event.name, event.ends_at, event.updated_at) == ("Gig", NOW + timedelta(hours=2), NOW)


def test_change_applies_only_the_given_fields() -> None:
    artist = _new(Artist, name="Ada", genre="jazz")
    later = NOW + timedelta(minutes=5)
    artist.change({"genre": None, "phone": "123"}, now=later)
    assert (artist.name, artist.genre, artist.phone, artist.updated_at) == ("Ada", None, "123", later)


def test_change_cannot_clear_the_name() -> None:
    artist = _new(Artist, name="Ada")
    with pytest.raises(FieldInvalid):
        artist.change({"name": None}, now=NOW)


def test_duplicate_artist_ids_are_kept_once_in_order() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    event = _new(Event, name="Gig", artist_ids=[first, second, first])
    assert event.artist_ids == (first, second)


@pytest.mark.parametrize(
    ("starts", "ends", "window", "inside"),
    [
        (NOW + timedelta(days=1), None, EventWindow.UPCOMING, True),
        (NOW - timedelta(hours=1), NOW + timedelta(hours=1), EventWindow.UPCOMING, True),
        (NOW - timedelta(days=2), NOW - timedelta(days=1), EventWindow.PAST, True),
        (NOW - timedelta(days=2), NOW - timedelta(days=1), EventWindow.UPCOMING, False),
        (None, None, EventWindow.UPCOMING, False),
        (None, None, EventWindow.PAST, False),
        (None, None, EventWindow.ALL, True),
    ],
)
def test_event_windows(starts: datetime | None, ends: datetime | None, window: EventWindow, inside: bool) -> None:
    event = _new(Event, name="Gig", starts_at=starts, ends_at=ends)
    assert event.is_in(window, NOW) is inside


def test_task_fields() -> None:
    task = _new(Task, name="Book hotel", due_date=date(2030, 1, 1), done=True)
    assert task.done is True
    with pytest.raises(FieldInvalid) as raised:
        _new(Task, name="x", done="yes")
    assert raised.value.field == "done"


def test_venue_capacity_and_country() -> None:
    venue = _new(Venue, name="Hall", capacity=500, country="fr")
    assert (venue.capacity, venue.country) == (500, "FR")
    with pytest.raises(FieldInvalid):
        _new(Venue, name="Hall", capacity=-1)


POLICY = FilePolicy(max_bytes=10, allowed_types=frozenset({"text/plain", "application/pdf"}))


def test_upload_within_the_policy_is_stored_under_a_tenant_key() -> None:
    file_id = uuid.uuid4()
    stored = StoredFile.upload(
        id=file_id,
        company_id=COMPANY,
        now=NOW,
        name="../../etc/passwd",
        content_type="text/plain; charset=utf-8",
        size_bytes=5,
        sha256="0" * 64,
        uploaded_by=uuid.uuid4(),
        policy=POLICY,
    )
    assert stored.storage_key == f"{COMPANY}/{file_id}"
    assert stored.name == "passwd"
    assert stored.content_type == "text/plain"


def test_upload_too_large_or_of_another_type_is_refused() -> None:
    with pytest.raises(FileTooLarge):
        POLICY.check(content_type="text/plain", size=11)
    with pytest.raises(FileTypeNotAllowed):
        POLICY.check(content_type="application/x-msdownload", size=1)


@given(st.text(max_size=300))
def test_safe_file_name_is_never_a_path(raw: str) -> None:
    name = safe_file_name(raw)
    assert name
    assert "/" not in name
    assert "\\" not in name
    assert len(name) <= 200
    assert name not in (".", "..")


def test_company_profile_changes_are_validated() -> None:
    profile = CompanyProfile(company_id=COMPANY)
    profile.change({"legal_name": "Acme Ltd", "currency": "eur"}, now=NOW)
    assert (profile.legal_name, profile.currency, profile.updated_at) == ("Acme Ltd", "EUR", NOW)
    with pytest.raises(FieldInvalid) as raised:
        profile.change({"currency": "euro"}, now=NOW)
    assert raised.value.field == "currency"


def test_an_event_settles_in_the_currency_of_its_first_line() -> None:
    event = _new(Event, name="Gig")
    with pytest.raises(FieldInvalid) as raised:
        event.settles_in(None)
    assert raised.value.field == "currency"
    assert event.settles_in("EUR") == "EUR"
    assert event.currency == "EUR"
    assert event.settles_in(None) == "EUR"
    with pytest.raises(CurrencyMismatch):
        event.settles_in("USD")
    assert _new(Event, name="Gig", currency="usd").currency == "USD"
    with pytest.raises(FieldInvalid):
        _new(Event, name="Gig", currency="XYZ")
