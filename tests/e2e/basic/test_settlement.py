"""From an accepted offer to a settlement, over HTTP as a client does (DESIGN §6)."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from tests.e2e.basic.conftest import BasicApi


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_an_event_settles_from_its_tickets_income_expenses_and_accepted_offers(
    api: BasicApi, company: UUID
) -> None:
    promoter, boss = api.member(company), api.member(company)
    call = api.call
    event = await _ok(
        await call("POST", "/api/events", promoter, company, json={"name": "Gig", "currency": "EUR"}), 201
    )
    artist = await _ok(await call("POST", "/api/artists", promoter, company, json={"name": "Ada"}), 201)
    offer_body = {"eventId": event["id"], "artistId": artist["id"], "dealType": "versus", "guarantee": 50_000}
    offer = await _ok(
        await call("POST", "/api/offers", promoter, company, json={**offer_body, "percentage": 7_000}), 201
    )
    await _ok(await call("POST", f"/api/offers/{offer['id']}/send", promoter, company))
    await _ok(await call("POST", f"/api/offers/{offer['id']}/accept", boss, company))

    base = f"/api/events/{event['id']}"
    for tier in (
        {"name": "GA", "price": 2_500, "capacity": 200, "sold": 100},
        {"name": "VIP", "price": 4_000, "capacity": 20, "sold": 10},
    ):
        await _ok(await call("POST", f"{base}/tickets", promoter, company, json=tier), 201)
    await _ok(await call("POST", f"{base}/income", promoter, company, json={"category": "bar", "amount": 10_000}), 201)
    approved = await _ok(
        await call(
            "POST", f"{base}/expenses", promoter, company, json={"category": "sound", "estimatedAmount": 30_000}
        ),
        201,
    )
    pending = {"category": "catering", "estimatedAmount": 7_000}
    await _ok(await call("POST", f"{base}/expenses", promoter, company, json=pending), 201)
    await _ok(await call("POST", f"{base}/expenses/{approved['id']}/submit", promoter, company))
    inbox = await _ok(await call("GET", "/api/approvals?status=pending", boss, company))
    await _ok(await call("POST", f"/api/approvals/{inbox['items'][0]['id']}/approve", boss, company))
    actual = {"actualAmount": 28_000}
    await _ok(await call("PUT", f"{base}/expenses/{approved['id']}", promoter, company, json=actual))

    settlement = await _ok(await call("GET", f"{base}/settlement", promoter, company))
    assert settlement == {
        "eventId": event["id"],
        "currency": "EUR",
        "ticketGross": 290_000,
        "otherIncome": 10_000,
        "approvedExpenses": 28_000,
        "pendingExpenses": 7_000,
        "net": 272_000,
        "payouts": [{"offerId": offer["id"], "artistId": artist["id"], "dealType": "versus", "amount": 190_400}],
        "promoterResult": 272_000 - 190_400,
    }

    feed = await _ok(await call("GET", "/api/notifications", promoter, company))
    kinds = {item["kind"] for item in feed["items"] if item["subject"]["id"] == offer["id"]}
    assert kinds == {"offer.sent", "offer.accepted"}  # told to the offer's creator
    assert not [
        i
        for i in (await _ok(await call("GET", "/api/notifications", boss, company)))["items"]
        if i["subject"]["id"] == offer["id"]
    ]


async def test_a_settlement_of_another_company_or_without_permission_is_refused(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    event = await _ok(await api.call("POST", "/api/events", caller, globex, json={"name": "Theirs"}), 201)
    assert (await api.call("GET", f"/api/events/{event['id']}/settlement", caller, acme)).status_code == 404
    viewer = api.member(globex, permissions=["basic.event.view"])
    denied = await api.call("GET", f"/api/events/{event['id']}/settlement", viewer, globex)
    assert (denied.status_code, denied.json()["code"]) == (403, "PERMISSION_DENIED")
    empty = await _ok(await api.call("GET", f"/api/events/{event['id']}/settlement", caller, globex))
    assert (empty["currency"], empty["net"], empty["payouts"]) == (None, 0, [])
