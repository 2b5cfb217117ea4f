"""The demo of ``kisum dev``: seeded through the platform's own public APIs, the way a client would.

A platform admin (bootstrap variables), a company "Demo Live" with Basic + the finance addon, its
owner, a member with a few grants, and some Base data: a past event that went the whole way (an
avail, an offer sent and accepted, its agreement, tickets sold, bar income, a sound expense
approved by the member — four eyes — and a catering estimate still pending), so its settlement
returns real numbers. Seeding is idempotent: a second start finds the company and leaves
everything as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from kisum.config import Role, Settings

logger = logging.getLogger("kisum.demo")

DEMO_COMPANY = "Demo Live"
OWNER = ("owner@demo.kisum.dev", "Olivia Owner", "demo-owner-2026")
MEMBER = ("member@demo.kisum.dev", "Max Member", "demo-member-2026")
MEMBER_MODULES = ["basic", "finance"]
MEMBER_PERMISSIONS = [
    "basic.artist.*",
    "basic.event.view",
    "basic.venue.view",
    "basic.dashboard.view",
    "basic.approval.*",
    "basic.notification.view",
    "basic.settlement.view",
    "finance.*",
]
SETTLED_EVENT = "Winter Gala"
DEMO_ROLES = (Role.AUTH, Role.CORE, Role.ADMIN, Role.BASIC)


class DemoSeedError(RuntimeError):
    """A call of the seeding flow did not answer as the contract says."""


@dataclass(frozen=True, slots=True)
class Demo:
    company_id: str
    seeded_now: bool
    settled_event_id: str | None = None


def _checked(response: httpx.Response, *expected: int) -> Any:
    if response.status_code not in expected:
        raise DemoSeedError(
            f"{response.request.method} {response.request.url.path} → {response.status_code}: {response.text}"
        )
    return response.json() if response.content else None


async def _login(client: httpx.AsyncClient, auth: str, email: str, password: str) -> str:
    body = _checked(await client.post(f"{auth}/auth/login", json={"email": email, "password": password}), 200)
    return str(body["accessToken"])


async def _find_company(client: httpx.AsyncClient, admin: str, headers: dict[str, str]) -> str | None:
    page = 1
    while True:
        body = _checked(
            await client.get(f"{admin}/admin/companies", params={"page": page, "limit": 100}, headers=headers), 200
        )
        for company in body["items"]:
            if company["name"] == DEMO_COMPANY:
                return str(company["id"])
        if page * body["limit"] >= body["total"]:
            return None
        page += 1


async def seed_demo(settings: Settings) -> Demo:
    if not (settings.bootstrap_admin_email and settings.bootstrap_admin_password):
        raise DemoSeedError("the demo needs KISUM_BOOTSTRAP_ADMIN_EMAIL and KISUM_BOOTSTRAP_ADMIN_PASSWORD")
    auth, admin, basic = (settings.url_of(role) for role in (Role.AUTH, Role.ADMIN, Role.BASIC))
    async with httpx.AsyncClient(timeout=30) as client:
        as_admin = {
            "Authorization": "Bearer "
            + await _login(client, auth, settings.bootstrap_admin_email, settings.bootstrap_admin_password)
        }
        company_id = await _find_company(client, admin, as_admin)
        if company_id is not None:
            as_owner = {
                "Authorization": "Bearer " + await _login(client, auth, OWNER[0], OWNER[2]),
                "x-org": company_id,
            }
            found = _checked(
                await client.get(f"{basic}/api/events", params={"q": SETTLED_EVENT}, headers=as_owner), 200
            )["items"]
            return Demo(company_id, seeded_now=False, settled_event_id=found[0]["id"] if found else None)

        company = _checked(
            await client.post(f"{admin}/admin/companies", json={"name": DEMO_COMPANY}, headers=as_admin), 201
        )
        company_id = str(company["id"])
        owner = {"email": OWNER[0], "name": OWNER[1], "password": OWNER[2]}
        _checked(
            await client.post(f"{admin}/admin/companies/{company_id}/approve", json={"owner": owner}, headers=as_admin),
            200,
        )
        _checked(
            await client.post(
                f"{admin}/admin/companies/{company_id}/basic", json={"action": "activate"}, headers=as_admin
            ),
            200,
        )
        finance = {"addonKey": "finance", "action": "activate"}
        _checked(await client.post(f"{admin}/admin/companies/{company_id}/addons", json=finance, headers=as_admin), 200)

        as_owner = {"Authorization": "Bearer " + await _login(client, auth, OWNER[0], OWNER[2]), "x-org": company_id}
        member = {"email": MEMBER[0], "name": MEMBER[1], "role": "member", "password": MEMBER[2]}
        membership = _checked(await client.post(f"{auth}/auth/tenant/memberships", json=member, headers=as_owner), 201)
        grants = f"{auth}/auth/tenant/memberships/{membership['membershipId']}"
        _checked(await client.post(f"{grants}/modules", json={"modules": MEMBER_MODULES}, headers=as_owner), 200, 204)
        _checked(
            await client.post(f"{grants}/permissions", json={"permissions": MEMBER_PERMISSIONS}, headers=as_owner),
            200,
            204,
        )

        as_member = {"Authorization": "Bearer " + await _login(client, auth, MEMBER[0], MEMBER[2]), "x-org": company_id}
        settled = await _seed_base_data(client, basic, as_owner, as_member)
        return Demo(company_id, seeded_now=True, settled_event_id=settled)


async def _seed_base_data(
    client: httpx.AsyncClient, basic: str, headers: dict[str, str], approver: dict[str, str]
) -> str:
    """Artists, a venue, three events and a task; the past event goes from avail to settlement."""
    artists = [
        _checked(await client.post(f"{basic}/api/artists", json={"name": name, "genre": genre}, headers=headers), 201)[
            "id"
        ]
        for name, genre in (("The Midnight Owls", "indie"), ("Lena Marsh", "jazz"), ("Kobalt Drive", "electronic"))
    ]
    venue = _checked(
        await client.post(
            f"{basic}/api/venues", json={"name": "Harbour Hall", "city": "Hamburg", "capacity": 1800}, headers=headers
        ),
        201,
    )["id"]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    events: dict[str, str] = {}
    for days, name, lineup in (
        (14, "Spring Opener", artists[:2]),
        (45, "Late Night Session", artists[2:]),
        (-30, SETTLED_EVENT, artists[:2]),
    ):
        starts = now + timedelta(days=days)
        event = {
            "name": name,
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=4)).isoformat(),
            "venueId": venue,
            "artistIds": lineup,
            "currency": "EUR",
        }
        events[name] = _checked(await client.post(f"{basic}/api/events", json=event, headers=headers), 201)["id"]
    _checked(
        await client.post(f"{basic}/api/tasks", json={"name": "Confirm riders for Spring Opener"}, headers=headers), 201
    )
    await _seed_settled_event(client, basic, headers, approver, events[SETTLED_EVENT], artists[2], now)
    return events[SETTLED_EVENT]


async def _seed_settled_event(
    client: httpx.AsyncClient,
    basic: str,
    headers: dict[str, str],
    approver: dict[str, str],
    event_id: str,
    artist_id: str,
    now: datetime,
) -> None:
    """The booking and money flow of one event, through the public API as a promoter would."""
    day = (now - timedelta(days=30)).date().isoformat()
    avail = {"artistId": artist_id, "startsOn": day, "endsOn": day, "city": "Hamburg"}
    avail_id = _checked(await client.post(f"{basic}/api/avails", json=avail, headers=headers), 201)["id"]
    offer = {
        "eventId": event_id,
        "artistId": artist_id,
        "availId": avail_id,
        "dealType": "versus",
        "guarantee": 150_000,
        "percentage": 7_000,
        "terms": "Headline set, 75 minutes.",
    }
    offer_id = _checked(await client.post(f"{basic}/api/offers", json=offer, headers=headers), 201)["id"]
    for action in ("send", "accept"):
        _checked(await client.post(f"{basic}/api/offers/{offer_id}/{action}", headers=headers), 200)
    base = f"{basic}/api/events/{event_id}"
    for tier in (
        {"name": "Early bird", "price": 2_900, "capacity": 300, "sold": 300},
        {"name": "Regular", "price": 3_900, "capacity": 1_400, "sold": 1_120, "comps": 40},
    ):
        _checked(await client.post(f"{base}/tickets", json=tier, headers=headers), 201)
    _checked(await client.post(f"{base}/income", json={"category": "bar", "amount": 1_250_000}, headers=headers), 201)
    sound = {"category": "sound", "description": "PA and engineer", "estimatedAmount": 420_000}
    sound_id = _checked(await client.post(f"{base}/expenses", json=sound, headers=headers), 201)["id"]
    catering = {"category": "catering", "estimatedAmount": 85_000}
    _checked(await client.post(f"{base}/expenses", json=catering, headers=headers), 201)
    _checked(await client.post(f"{base}/expenses/{sound_id}/submit", headers=headers), 200)
    inbox = _checked(await client.get(f"{basic}/api/approvals", params={"status": "pending"}, headers=approver), 200)
    _checked(await client.post(f"{basic}/api/approvals/{inbox['items'][0]['id']}/approve", headers=approver), 200)
    actual = {"actualAmount": 398_000}
    _checked(await client.put(f"{base}/expenses/{sound_id}", json=actual, headers=headers), 200)


def describe_platform(settings: Settings, roles: Sequence[Role], demo: Demo | None = None) -> str:
    lines = ["", f"Kisum is running (embedded defaults, data in {settings.data_dir}):"]
    lines += [f"  {role.value:<8} {settings.url_of(role):<24} docs {settings.url_of(role)}/schema" for role in roles]
    if settings.bootstrap_admin_email:
        lines += [
            "",
            "Logins:",
            f"  platform admin  {settings.bootstrap_admin_email} / {settings.bootstrap_admin_password}",
        ]
    if demo is not None:
        lines += [
            f"  owner           {OWNER[0]} / {OWNER[2]}",
            f"  member          {MEMBER[0]} / {MEMBER[2]}",
            "",
            f'Demo company "{DEMO_COMPANY}": {demo.company_id} (Basic + finance)',
            "",
            "Try it:",
            *_curl_examples(settings, demo.company_id, demo.settled_event_id),
        ]
    lines.append("")
    return "\n".join(lines)


def _curl_examples(settings: Settings, company_id: str, settled_event_id: str | None) -> list[str]:
    auth, basic, finance = (settings.url_of(role) for role in (Role.AUTH, Role.BASIC, Role.FINANCE))
    credentials = f'{{"email":"{OWNER[0]}","password":"{OWNER[2]}"}}'
    read_token = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"accessToken\"])'"  # noqa: S105 - a shell snippet, not a secret
    headers = f"-H \"Authorization: Bearer $TOKEN\" -H 'x-org: {company_id}'"
    return [
        f"  TOKEN=$(curl -s {auth}/auth/login -H 'Content-Type: application/json' -d '{credentials}' | {read_token})",
        f"  curl -s {auth}/auth/me/access {headers}",
        f"  curl -s '{basic}/api/events?type=upcoming&page=1&limit=20' {headers}",
        f"  curl -s {finance}/api/finance/budget-lines {headers}",
        *(
            [f"  curl -s {basic}/api/events/{settled_event_id}/settlement {headers}   # {SETTLED_EVENT}, settled"]
            if settled_event_id
            else []
        ),
    ]
