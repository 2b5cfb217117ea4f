"""The declaration of a Base resource: what is derived from it, and the rules it enforces once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kisum.domain.business import fields as f
from kisum.domain.business.declaration import SortKey, declared, resource
from kisum.domain.business.records import RECORD_TYPES, Artist, Event, ResourceKind, StoredFile, Task, TenantRecord
from kisum.domain.errors import FieldInvalid


def test_every_kind_has_one_declared_record_type() -> None:
    assert set(RECORD_TYPES) == set(ResourceKind)
    assert {t.DECLARATION.kind for t in RECORD_TYPES.values()} == {k.value for k in ResourceKind}
    plurals = [t.DECLARATION.plural for t in RECORD_TYPES.values()]
    assert len(plurals) == len(set(plurals))


def test_declaration_is_read_from_the_fields() -> None:
    events = Event.DECLARATION
    assert events.required == {"name"}
    assert events.references == {"venue_id": "venue", "artist_ids": "artist"}
    assert set(events.filters) == {"venue_id", "artist_id", "status", "currency"}
    assert events.filters["artist_id"].name == "artist_ids"
    assert events.field("artist_ids").many
    assert not events.field("venue_id").many
    assert events.permission == "basic.event"
    assert events.time_span == ("starts_at", "ends_at")


def test_system_set_fields_are_neither_writable_nor_always_shown() -> None:
    files = StoredFile.DECLARATION
    assert [f.name for f in files.writable] == ["name"]
    assert "storage_key" not in {f.name for f in files.shown}
    assert not files.creatable
    assert files.description("create") == "Upload files"
    assert Artist.DECLARATION.description("delete") == "Delete artists"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (SortKey("done"), SortKey("due_date"), SortKey("name"))),
        ("name", (SortKey("name"),)),
        ("-dueDate,name", (SortKey("due_date", descending=True), SortKey("name"))),
        (" -createdAt ", (SortKey("created_at", descending=True),)),
    ],
)
def test_sort_takes_wire_names_and_defaults_to_the_declared_order(
    raw: str | None, expected: tuple[SortKey, ...]
) -> None:
    assert Task.DECLARATION.parse_sort(raw) == expected


@pytest.mark.parametrize("raw", ["description", "due_date", "name,name", "-", "name;drop"])
def test_unknown_or_repeated_sort_key_is_refused_naming_sort(raw: str) -> None:
    with pytest.raises(FieldInvalid) as raised:
        Task.DECLARATION.parse_sort(raw)
    assert raised.value.field == "sort"


def test_every_failing_field_is_named_at_once_with_wire_names() -> None:
    with pytest.raises(FieldInvalid) as raised:
        Event.DECLARATION.clean(
            {"starts_at": "tomorrow", "venue_id": "x", "company_id": "y", "artist_ids": ["z"]}, creating=True
        )
    fields = [issue.field for issue in raised.value.issues]
    assert fields == ["companyId", "name", "startsAt", "venueId", "artistIds"]
    assert raised.value.field == "companyId"
    assert raised.value.code == "VALIDATION_ERROR"


def test_a_default_sort_on_an_undeclared_key_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="default sort"):

        @resource(kind="thing", plural="things", permission="basic.thing", default_sort=("colour",))
        @dataclass(slots=True, kw_only=True)
        class Thing(TenantRecord):
            name: str = declared(f.text(10), required=True)
