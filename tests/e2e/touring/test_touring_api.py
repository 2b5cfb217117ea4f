"""The touring backend over HTTP: enforcement, tours, legs (one per date), tenant isolation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from kisum.config import Role
from kisum.ioc.touring import create_app
from tests.e2e.modules import ModuleHarness, module_app
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres

TOUR_ALL = ["touring.tour.view", "touring.tour.create", "touring.tour.edit", "touring.tour.delete"]
LEG_ALL = ["touring.leg.view", "touring.leg.create", "touring.leg.edit", "touring.leg.delete"]
TOURS = "/api/touring/tours"


@pytest.fixture
async def api(postgres_url: str, engine_for: EngineForRole) -> AsyncIterator[ModuleHarness]:
    async with module_app(Role.TOURING, create_app, postgres_url, engine_for) as harness:
        yield harness


async def test_module_disabled_is_403_module_disabled(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=TOUR_ALL, modules=[])
    response = await api.client.get(TOURS, headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "MODULE_DISABLED"


async def test_leg_routes_need_leg_permissions(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=TOUR_ALL)
    tour = (await api.client.post(TOURS, headers=headers, json={"name": "T", "artistName": "A"})).json()
    response = await api.client.post(
        f"{TOURS}/{tour['id']}/legs", headers=headers, json={"date": "2025-07-01", "city": "Berlin"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_tour_with_legs_in_date_order_and_date_conflict(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=TOUR_ALL + LEG_ALL)
    created = await api.client.post(TOURS, headers=headers, json={"name": "Summer 2025", "artistName": "The Band"})
    assert created.status_code == 201, created.text
    tour = created.json()
    assert tour["status"] == "planning"
    assert tour["legs"] == []
    legs_url = f"{TOURS}/{tour['id']}/legs"

    for day, city in (("2025-07-03", "Munich"), ("2025-07-01", "Berlin"), ("2025-07-02", "Leipzig")):
        added = await api.client.post(legs_url, headers=headers, json={"date": day, "city": city, "venueName": "Hall"})
        assert added.status_code == 201
    clash = await api.client.post(legs_url, headers=headers, json={"date": "2025-07-02", "city": "Dresden"})
    assert clash.status_code == 409
    assert clash.json()["code"] == "LEG_DATE_TAKEN"

    full = (await api.client.get(f"{TOURS}/{tour['id']}", headers=headers)).json()
    assert [leg["city"] for leg in full["legs"]] == ["Berlin", "Leipzig", "Munich"]

    page = (await api.client.get(legs_url, headers=headers, params={"limit": 2, "page": 2})).json()
    assert page["total"] == 3
    assert [leg["city"] for leg in page["items"]] == ["Munich"]

    munich = full["legs"][2]
    moved = await api.client.put(f"{legs_url}/{munich['id']}", headers=headers, json={"date": "2025-07-01"})
    assert moved.status_code == 409
    moved = await api.client.put(f"{legs_url}/{munich['id']}", headers=headers, json={"date": "2025-07-04"})
    assert moved.status_code == 200
    assert moved.json()["date"] == "2025-07-04"

    assert (await api.client.delete(f"{legs_url}/{munich['id']}", headers=headers)).status_code == 204
    summary = (await api.client.get(TOURS, headers=headers)).json()
    assert summary["items"][0]["legCount"] == 2
    assert (summary["items"][0]["firstDate"], summary["items"][0]["lastDate"]) == ("2025-07-01", "2025-07-02")

    renamed = await api.client.put(f"{TOURS}/{tour['id']}", headers=headers, json={"status": "announced"})
    assert renamed.json()["status"] == "announced"
    assert len(renamed.json()["legs"]) == 2
    assert (await api.client.delete(f"{TOURS}/{tour['id']}", headers=headers)).status_code == 204
    assert (await api.client.get(legs_url, headers=headers)).status_code == 404


async def test_bad_input_is_400_naming_the_field(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=TOUR_ALL)
    no_artist = await api.client.post(TOURS, headers=headers, json={"name": "Nameless"})
    assert no_artist.status_code == 400
    assert "artistName" in no_artist.json()["detail"]
    bad_status = await api.client.post(TOURS, headers=headers, json={"name": "T", "artistName": "A", "status": "x"})
    assert bad_status.status_code == 400
    assert "status" in bad_status.json()["detail"]


async def test_another_companys_tour_and_legs_are_404(api: ModuleHarness) -> None:
    _, owner = api.member(permissions=TOUR_ALL + LEG_ALL)
    _, stranger = api.member(permissions=TOUR_ALL + LEG_ALL)
    tour = (await api.client.post(TOURS, headers=owner, json={"name": "T", "artistId": str(uuid4())})).json()
    legs_url = f"{TOURS}/{tour['id']}/legs"
    leg = (await api.client.post(legs_url, headers=owner, json={"date": "2025-07-01", "city": "Oslo"})).json()
    assert (await api.client.get(f"{TOURS}/{tour['id']}", headers=stranger)).status_code == 404
    assert (await api.client.get(f"{legs_url}/{leg['id']}", headers=stranger)).status_code == 404
    extra = await api.client.post(legs_url, headers=stranger, json={"date": "2025-07-02", "city": "Bergen"})
    assert extra.status_code == 404
    assert (await api.client.delete(f"{TOURS}/{tour['id']}", headers=stranger)).status_code == 404
    assert (await api.client.get(TOURS, headers=stranger)).json()["total"] == 0
    assert len((await api.client.get(f"{TOURS}/{tour['id']}", headers=owner)).json()["legs"]) == 1
