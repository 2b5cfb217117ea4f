"""The venue backend over HTTP: enforcement, holds, confirmed-hold conflicts, calendar, isolation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from kisum.config import Role
from kisum.ioc.venue import create_app
from tests.e2e.modules import ModuleHarness, module_app
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres

ALL = ["venue.hold.view", "venue.hold.create", "venue.hold.edit", "venue.hold.delete"]
HOLDS = "/api/venue/holds"


@pytest.fixture
async def api(postgres_url: str, engine_for: EngineForRole) -> AsyncIterator[ModuleHarness]:
    async with module_app(Role.VENUE, create_app, postgres_url, engine_for) as harness:
        yield harness


def hold(venue: str, start: str, end: str, hold_type: str = "confirmed") -> dict[str, object]:
    return {"venueId": venue, "startsAt": start, "endsAt": end, "holdType": hold_type}


async def test_module_disabled_is_403_module_disabled(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL, modules=["basic"])
    response = await api.client.get(HOLDS, headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "MODULE_DISABLED"


async def test_missing_permission_is_403_permission_denied(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=["venue.hold.view"])
    response = await api.client.post(
        HOLDS, headers=headers, json=hold(str(uuid4()), "2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z")
    )
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_confirmed_holds_conflict_and_pencilled_holds_do_not(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL)
    venue = str(uuid4())
    first = await api.client.post(
        HOLDS, headers=headers, json=hold(venue, "2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z")
    )
    assert first.status_code == 201, first.text
    clash = await api.client.post(
        HOLDS, headers=headers, json=hold(venue, "2025-06-01T22:00:00Z", "2025-06-02T01:00:00Z")
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "HOLD_CONFLICT"
    pencil = await api.client.post(
        HOLDS, headers=headers, json=hold(venue, "2025-06-01T22:00:00Z", "2025-06-02T01:00:00Z", "second")
    )
    assert pencil.status_code == 201
    promote = await api.client.put(f"{HOLDS}/{pencil.json()['id']}", headers=headers, json={"holdType": "confirmed"})
    assert promote.status_code == 409
    moved = await api.client.put(
        f"{HOLDS}/{pencil.json()['id']}",
        headers=headers,
        json={"holdType": "confirmed", "startsAt": "2025-06-01T23:00:00Z", "note": "after the first show"},
    )
    assert moved.status_code == 200
    assert moved.json()["note"] == "after the first show"
    other_venue = await api.client.post(
        HOLDS, headers=headers, json=hold(str(uuid4()), "2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z")
    )
    assert other_venue.status_code == 201


async def test_calendar_lists_overlapping_holds_in_order(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL)
    venue = str(uuid4())
    for start, end, kind in (
        ("2025-06-10T18:00:00Z", "2025-06-10T23:00:00Z", "first"),
        ("2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z", "confirmed"),
        ("2025-07-01T18:00:00Z", "2025-07-01T23:00:00Z", "confirmed"),
    ):
        assert (await api.client.post(HOLDS, headers=headers, json=hold(venue, start, end, kind))).status_code == 201
    calendar = await api.client.get(
        "/api/venue/calendar",
        headers=headers,
        params={"from": "2025-06-01T00:00:00Z", "to": "2025-07-01T18:00:00Z", "venueId": venue},
    )
    assert calendar.status_code == 200, calendar.text
    assert [item["startsAt"][:10] for item in calendar.json()["items"]] == ["2025-06-01", "2025-06-10"]
    assert calendar.json()["venueId"] == venue
    too_long = await api.client.get(
        "/api/venue/calendar", headers=headers, params={"from": "2025-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}
    )
    assert too_long.status_code == 400
    assert too_long.json()["detail"].startswith("to:")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (hold("x", "2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z"), "venueId"),
        (hold(str(uuid4()), "2025-06-01T18:00:00Z", "2025-06-01T18:00:00Z"), "endsAt"),
        (hold(str(uuid4()), "2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z", "tentative"), "holdType"),
    ],
)
async def test_bad_input_is_400_naming_the_field(api: ModuleHarness, payload: dict[str, object], field: str) -> None:
    _, headers = api.member(permissions=ALL)
    response = await api.client.post(HOLDS, headers=headers, json=payload)
    assert response.status_code == 400
    assert field in response.json()["detail"]


async def test_another_companys_hold_is_404_and_does_not_block_its_venue(api: ModuleHarness) -> None:
    _, owner = api.member(permissions=ALL)
    _, stranger = api.member(permissions=ALL)
    venue = str(uuid4())
    mine = (
        await api.client.post(HOLDS, headers=owner, json=hold(venue, "2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z"))
    ).json()
    url = f"{HOLDS}/{mine['id']}"
    assert (await api.client.get(url, headers=stranger)).status_code == 404
    assert (await api.client.put(url, headers=stranger, json={"note": "x"})).status_code == 404
    assert (await api.client.delete(url, headers=stranger)).status_code == 404
    theirs = await api.client.post(
        HOLDS, headers=stranger, json=hold(venue, "2025-06-01T18:00:00Z", "2025-06-01T23:00:00Z")
    )
    assert theirs.status_code == 201
    listed = (await api.client.get(HOLDS, headers=stranger, params={"venueId": venue})).json()
    assert [item["id"] for item in listed["items"]] == [theirs.json()["id"]]
    assert (await api.client.delete(url, headers=owner)).status_code == 204
