"""CRUD of every Base resource over HTTP, against the real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from tests.e2e.basic.conftest import ALL_PERMISSIONS, BasicApi

RESOURCES = {
    "artists": ({"name": "Ada", "genre": "jazz"}, {"name": "Ada Lovelace"}, "genre"),
    "events": ({"name": "Gig", "startsAt": "2031-01-01T20:00:00Z"}, {"name": "Big gig"}, "startsAt"),
    "agencies": ({"key": "agency-001", "name": "Example Agency"}, {"name": "Updated Agency Name"}, "key"),
    "vendors": ({"name": "Lights Co", "category": "lighting"}, {"name": "Lights Ltd"}, "category"),
    "venues": ({"name": "Hall", "city": "Paris", "capacity": 900}, {"name": "Grand Hall"}, "capacity"),
    "tasks": ({"name": "Book hotel", "dueDate": "2031-01-01"}, {"name": "Book hotels"}, "dueDate"),
}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_resource_lifecycle(api: BasicApi, company: UUID, resource: str) -> None:
    body, change, kept = RESOURCES[resource]
    caller = api.member(company)
    created = await api.call("POST", f"/api/{resource}", caller, company, json=body)
    assert created.status_code == 201, created.text
    record = created.json()
    assert uuid.UUID(record["id"])
    assert record["name"] == body["name"]

    fetched = await api.call("GET", f"/api/{resource}/{record['id']}", caller, company)
    assert fetched.status_code == 200
    assert fetched.json() == record

    updated = await api.call("PUT", f"/api/{resource}/{record['id']}", caller, company, json=change)
    assert updated.status_code == 200, updated.text
    assert updated.json()["name"] == change["name"]
    assert updated.json()[kept] == record[kept]  # PUT changes only what it names

    listed = await api.call("GET", f"/api/{resource}", caller, company)
    assert listed.status_code == 200
    assert listed.json()["total"] == 1
    assert listed.json()["items"][0]["name"] == change["name"]
    assert (listed.json()["page"], listed.json()["limit"]) == (1, 20)

    deleted = await api.call("DELETE", f"/api/{resource}/{record['id']}", caller, company)
    assert deleted.status_code == 204
    gone = await api.call("GET", f"/api/{resource}/{record['id']}", caller, company)
    assert gone.status_code == 404
    assert gone.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_name_alone_is_enough_except_for_agencies(api: BasicApi, company: UUID, resource: str) -> None:
    caller = api.member(company)
    body = {"key": "k1", "name": "Only a name"} if resource == "agencies" else {"name": "Only a name"}
    assert (await api.call("POST", f"/api/{resource}", caller, company, json=body)).status_code == 201


@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_tenant_isolation_get_list_update_delete(api: BasicApi, resource: str) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)  # the same user in two companies
    body = RESOURCES[resource][0]
    acme_id = (await api.call("POST", f"/api/{resource}", caller, acme, json=body)).json()["id"]

    for method, kwargs in (("GET", {}), ("PUT", {"json": {"name": "stolen"}}), ("DELETE", {})):
        response = await api.call(method, f"/api/{resource}/{acme_id}", caller, globex, **kwargs)
        assert response.status_code == 404, (method, response.text)
        assert "stolen" not in response.text
        assert body["name"] not in response.text

    listed = await api.call("GET", f"/api/{resource}", caller, globex)
    assert listed.json()["total"] == 0
    assert listed.json()["items"] == []
    still = await api.call("GET", f"/api/{resource}/{acme_id}", caller, acme)
    assert still.status_code == 200
    assert still.json()["name"] == body["name"]


async def test_pagination_and_search(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    for n in range(25):
        await api.call("POST", "/api/artists", caller, company, json={"name": f"Artist {n:02d}"})
    await api.call("POST", "/api/artists", caller, company, json={"name": "100%_real"})
    page = (await api.call("GET", "/api/artists?page=2&limit=10", caller, company)).json()
    assert (page["page"], page["limit"], page["total"], len(page["items"])) == (2, 10, 26, 10)
    assert page["items"][0]["name"] == "Artist 09"  # "100%_real" sorts first
    found = (await api.call("GET", "/api/artists?q=artist 2", caller, company)).json()
    assert found["total"] == 5  # Artist 20..24
    literal = (await api.call("GET", "/api/artists?q=0%_", caller, company)).json()
    assert [item["name"] for item in literal["items"]] == ["100%_real"]


@pytest.mark.parametrize("query", ["limit=101", "limit=0", "page=0", "limit=abc"])
async def test_bad_pagination_is_400(api: BasicApi, company: UUID, query: str) -> None:
    caller = api.member(company)
    response = await api.call("GET", f"/api/artists?{query}", caller, company)
    assert response.status_code == 400
    assert query.split("=")[0] in response.text


async def test_validation_error_names_the_field(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    empty = await api.call("POST", "/api/artists", caller, company, json={"name": "  "})
    assert empty.status_code == 400
    assert empty.json()["detail"].startswith("name")
    unknown = await api.call("POST", "/api/artists", caller, company, json={"name": "A", "companyId": str(company)})
    assert unknown.status_code == 400
    assert "companyId" in unknown.json()["detail"]
    typed = await api.call("POST", "/api/venues", caller, company, json={"name": "H", "capacity": "big"})
    assert typed.status_code == 400
    assert "capacity" in typed.json()["detail"]
    email = await api.call("POST", "/api/vendors", caller, company, json={"name": "V", "email": "nope"})
    assert email.status_code == 400
    assert email.json()["detail"].startswith("email")


async def test_agency_key_is_unique_per_company(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    body = {"key": "agency-001", "name": "Example Agency"}
    assert (await api.call("POST", "/api/agencies", caller, acme, json=body)).status_code == 201
    again = await api.call("POST", "/api/agencies", caller, acme, json={**body, "key": "AGENCY-001"})
    assert again.status_code == 409
    assert again.json()["code"] == "DUPLICATE_KEY"
    assert (await api.call("POST", "/api/agencies", caller, globex, json=body)).status_code == 201
    other = (await api.call("POST", "/api/agencies", caller, acme, json={"key": "b", "name": "B"})).json()
    clash = await api.call("PUT", f"/api/agencies/{other['id']}", caller, acme, json={"key": "agency-001"})
    assert clash.status_code == 409


async def test_events_by_type_venue_and_artist(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    now = datetime.now(UTC)
    artist = (await api.call("POST", "/api/artists", caller, company, json={"name": "Ada"})).json()
    venue = (await api.call("POST", "/api/venues", caller, company, json={"name": "Hall"})).json()

    async def event(name: str, starts: datetime, **extra: object) -> dict:
        body = {
            "name": name,
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=3)).isoformat(),
            **extra,
        }
        response = await api.call("POST", "/api/events", caller, company, json=body)
        assert response.status_code == 201, response.text
        return response.json()

    past = await event("Past", now - timedelta(days=3))
    soon = await event("Soon", now + timedelta(days=1), venueId=venue["id"], artistIds=[artist["id"]])
    later = await event("Later", now + timedelta(days=30))
    undated = (await api.call("POST", "/api/events", caller, company, json={"name": "Undated"})).json()

    async def names(query: str) -> list[str]:
        response = await api.call("GET", f"/api/events?{query}", caller, company)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert await names("type=upcoming&page=1&limit=20") == ["Soon", "Later"]
    assert await names("type=past") == ["Past"]
    assert sorted(await names("type=all")) == sorted(["Past", "Soon", "Later", "Undated"])
    assert await names(f"venueId={venue['id']}") == ["Soon"]
    assert await names(f"artistId={artist['id']}") == ["Soon"]
    assert soon["artistIds"] == [artist["id"]]
    assert soon["venueId"] == venue["id"]
    assert (await api.call("GET", "/api/events?type=someday", caller, company)).status_code == 400
    assert past["id"]
    assert later["id"]
    assert undated["id"]


async def test_event_end_before_start_is_400_naming_ends_at(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    body = {"name": "Gig", "startsAt": "2031-01-02T00:00:00Z", "endsAt": "2031-01-01T00:00:00Z"}
    response = await api.call("POST", "/api/events", caller, company, json=body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("endsAt")
    created = (await api.call("POST", "/api/events", caller, company, json={**body, "endsAt": None})).json()
    bad = await api.call(
        "PUT", f"/api/events/{created['id']}", caller, company, json={"endsAt": "2030-01-01T00:00:00Z"}
    )
    assert bad.status_code == 400


async def test_event_cannot_link_another_companys_artist(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    foreign = (await api.call("POST", "/api/artists", caller, globex, json={"name": "Theirs"})).json()
    response = await api.call("POST", "/api/events", caller, acme, json={"name": "Gig", "artistIds": [foreign["id"]]})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("artistIds")


async def test_deleting_a_linked_artist_unlinks_it(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist = (await api.call("POST", "/api/artists", caller, company, json={"name": "Ada"})).json()
    event = (
        await api.call("POST", "/api/events", caller, company, json={"name": "Gig", "artistIds": [artist["id"]]})
    ).json()
    assert (await api.call("DELETE", f"/api/artists/{artist['id']}", caller, company)).status_code == 204
    assert (await api.call("GET", f"/api/events/{event['id']}", caller, company)).json()["artistIds"] == []


async def test_tasks_filter_by_done_and_assignee(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    someone = str(uuid.uuid4())
    await api.call("POST", "/api/tasks", caller, company, json={"name": "A", "assigneeUserId": someone})
    done = (await api.call("POST", "/api/tasks", caller, company, json={"name": "B"})).json()
    assert (await api.call("PUT", f"/api/tasks/{done['id']}", caller, company, json={"done": True})).json()[
        "done"
    ] is True
    open_tasks = (await api.call("GET", "/api/tasks?done=false", caller, company)).json()
    assert [t["name"] for t in open_tasks["items"]] == ["A"]
    mine = (await api.call("GET", f"/api/tasks?assigneeUserId={someone}", caller, company)).json()
    assert [t["name"] for t in mine["items"]] == ["A"]


async def test_dashboard_counts_and_upcoming_events(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    await api.call("POST", "/api/artists", caller, company, json={"name": "Ada"})
    soon = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    await api.call("POST", "/api/events", caller, company, json={"name": "Soon", "startsAt": soon})
    await api.call("POST", "/api/tasks", caller, company, json={"name": "Todo"})
    other = uuid.uuid4()
    api.double.grant(caller, other, permissions=["basic.artist.create"])
    await api.call("POST", "/api/artists", caller, other, json={"name": "Elsewhere"})
    response = await api.call("GET", "/api/dashboard", caller, company)
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {
        "artists": 1,
        "events": 1,
        "upcomingEvents": 1,
        "agencies": 0,
        "vendors": 0,
        "venues": 0,
        "tasks": 1,
        "openTasks": 1,
        "files": 0,
        "avails": 0,
        "offers": 0,
        "agreements": 0,
    }
    assert [event["name"] for event in body["upcomingEvents"]] == ["Soon"]


async def test_company_profile_read_and_update(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    empty = (await api.call("GET", "/api/companies/current", caller, acme)).json()
    assert empty["id"] == str(acme)
    assert empty["legalName"] is None
    updated = await api.call(
        "PUT", "/api/companies/current", caller, acme, json={"legalName": "Acme Ltd", "currency": "eur"}
    )
    assert updated.status_code == 200
    assert updated.json()["currency"] == "EUR"
    again = await api.call("PUT", "/api/companies/current", caller, acme, json={"city": "Lyon"})
    assert again.json()["legalName"] == "Acme Ltd"
    assert again.json()["city"] == "Lyon"
    assert (await api.call("GET", "/api/companies/current", caller, globex)).json()["legalName"] is None
    bad = await api.call("PUT", "/api/companies/current", caller, acme, json={"currency": "euro"})
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith("currency")


@pytest.mark.parametrize(
    ("method", "path", "permission"),
    [
        ("GET", "/api/dashboard", "basic.dashboard.view"),
        ("GET", "/api/artists", "basic.artist.view"),
        ("POST", "/api/artists", "basic.artist.create"),
        ("PUT", "/api/artists/{id}", "basic.artist.edit"),
        ("DELETE", "/api/artists/{id}", "basic.artist.delete"),
        ("GET", "/api/events", "basic.event.view"),
        ("POST", "/api/vendors", "basic.vendor.create"),
        ("GET", "/api/venues", "basic.venue.view"),
        ("GET", "/api/files", "basic.file.view"),
        ("GET", "/api/companies/current", "basic.company.view"),
        ("PUT", "/api/companies/current", "basic.company.edit"),
    ],
)
async def test_each_route_needs_its_permission(
    api: BasicApi, company: UUID, method: str, path: str, permission: str
) -> None:
    everything_else = [p for p in ALL_PERMISSIONS if p != permission]
    caller = api.member(company, permissions=everything_else)
    url = path.format(id=uuid.uuid4())
    body = ({"legalName": "x"} if "companies" in path else {"name": "x"}) if method in ("POST", "PUT") else None
    denied = await api.call(method, url, caller, company, json=body)
    assert denied.status_code == 403
    assert denied.json()["code"] == "PERMISSION_DENIED"
    allowed_caller = api.member(company, permissions=[permission])
    allowed = await api.call(method, url, allowed_caller, company, json=body)
    assert allowed.status_code in (200, 201, 204, 404)  # 404: the random id does not exist


async def test_guide_statuses_on_a_real_route(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    assert (await api.client.get("/api/events?type=all&page=1&limit=20")).status_code == 401
    assert (await api.client.get("/api/events", headers=caller.headers())).status_code == 400
    stranger = api.double.caller()
    assert (await api.call("GET", "/api/events", stranger, company)).json()["code"] == "NOT_A_MEMBER"
    no_basic = api.double.caller()
    api.double.grant(no_basic, company, modules=["finance"], permissions=["basic.event.view"])
    assert (await api.call("GET", "/api/events", no_basic, company)).json()["code"] == "MODULE_DISABLED"
    api.double.failing_status = 500
    fresh = api.member(company)
    response = await api.call("GET", "/api/events", fresh, company)
    assert response.status_code == 503
    assert response.headers["retry-after"]


async def test_my_access_lists_what_the_caller_may_do_here(api: BasicApi, company: UUID) -> None:
    caller = api.member(company, permissions=["basic.dashboard.view", "basic.artist.view"])
    response = await api.call("GET", "/api/dashboard/me", caller, company)
    assert response.status_code == 200
    body = response.json()
    assert body["companyId"] == str(company)
    assert body["userId"] == str(caller.user_id)
    assert body["modules"] == ["basic"]
    assert body["permissions"] == ["basic.artist.view", "basic.dashboard.view"]


async def test_my_access_needs_the_dashboard_permission(api: BasicApi, company: UUID) -> None:
    caller = api.member(company, permissions=["basic.artist.view"])
    response = await api.call("GET", "/api/dashboard/me", caller, company)
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_lists_sort_by_declared_keys_and_refuse_others(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    for name, capacity in (("Bravo", 300), ("alpha", 900), ("Charlie", None)):
        body = {"name": name} if capacity is None else {"name": name, "capacity": capacity}
        assert (await api.call("POST", "/api/venues", caller, company, json=body)).status_code == 201

    async def names(query: str) -> list[str]:
        response = await api.call("GET", f"/api/venues?{query}", caller, company)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert await names("") == ["alpha", "Bravo", "Charlie"]  # the declared order: name, case-insensitive
    assert await names("sort=-name") == ["Charlie", "Bravo", "alpha"]
    assert await names("sort=capacity") == ["Bravo", "alpha", "Charlie"]  # no value sorts last
    assert await names("sort=-capacity") == ["alpha", "Bravo", "Charlie"]
    refused = await api.call("GET", "/api/venues?sort=notes", caller, company)
    assert (refused.status_code, refused.json()["code"]) == (400, "VALIDATION_ERROR")
    assert [error["field"] for error in refused.json()["errors"]] == ["sort"]


async def test_a_400_lists_every_failing_field(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    body = {"name": " ", "email": "nope", "website": "ftp://x", "key": "-bad-"}
    response = await api.call("POST", "/api/agencies", caller, company, json=body)
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "VALIDATION_ERROR"
    assert sorted(error["field"] for error in problem["errors"]) == ["email", "key", "name", "website"]


async def test_lists_refuse_unknown_query_parameters(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    response = await api.call("GET", "/api/artists?limit=5&colour=red&genre=jazz&Sort=name", caller, company)
    assert (response.status_code, response.json()["code"]) == (400, "VALIDATION_ERROR")
    assert [error["field"] for error in response.json()["errors"]] == ["Sort", "colour"]
    assert (
        await api.call("GET", "/api/events?type=past&artistId=" + str(uuid.uuid4()), caller, company)
    ).status_code == 200
    assert (await api.call("GET", "/api/artists?type=past", caller, company)).status_code == 400


async def test_an_id_of_another_company_is_an_unknown_reference(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    venue = (await api.call("POST", "/api/venues", caller, globex, json={"name": "Theirs"})).json()
    body = {"name": "Gig", "venueId": venue["id"], "artistIds": [str(uuid.uuid4())]}
    response = await api.call("POST", "/api/events", caller, acme, json=body)
    assert (response.status_code, response.json()["code"]) == (400, "UNKNOWN_REFERENCE")
    assert [error["field"] for error in response.json()["errors"]] == ["venueId", "artistIds"]
    assert (await api.call("GET", "/api/events", caller, acme)).json()["total"] == 0
