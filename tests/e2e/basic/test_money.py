"""The money side of an event and the inbox, over HTTP as a client walks it, on PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from tests.e2e.basic.conftest import ALL_PERMISSIONS, BasicApi

NO_DECIDING = [p for p in ALL_PERMISSIONS if p not in ("basic.approval.decide", "basic.expense.approve")]


async def _event(api: BasicApi, caller: Any, company: UUID, **extra: Any) -> str:
    response = await api.call("POST", "/api/events", caller, company, json={"name": "Gig", **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_tickets_income_and_an_expense_from_estimate_to_actual(api: BasicApi, company: UUID) -> None:
    promoter = api.member(company, permissions=NO_DECIDING)
    boss = api.member(company)
    event = await _event(api, promoter, company)

    tier = await api.call(
        "POST",
        f"/api/events/{event}/tickets",
        promoter,
        company,
        json={"name": "GA", "price": 2500, "capacity": 500, "sold": 0, "comps": 0, "currency": "eur"},
    )
    assert tier.status_code == 201, tier.text
    assert tier.json()["currency"] == "EUR"
    assert tier.json()["eventId"] == event
    sold = await api.call(
        "PUT", f"/api/events/{event}/tickets/{tier.json()['id']}", promoter, company, json={"sold": 420, "comps": 30}
    )
    assert sold.status_code == 200, sold.text
    assert (sold.json()["sold"], sold.json()["comps"]) == (420, 30)
    assert (await api.call("GET", f"/api/events/{event}", promoter, company)).json()["currency"] == "EUR"

    bar = await api.call(
        "POST", f"/api/events/{event}/income", promoter, company, json={"category": "bar", "amount": 90000}
    )
    assert bar.status_code == 201, bar.text
    assert bar.json()["currency"] == "EUR"  # the event's
    income = (await api.call("GET", f"/api/events/{event}/income?category=bar", promoter, company)).json()
    assert income["total"] == 1

    created = await api.call(
        "POST",
        f"/api/events/{event}/expenses",
        promoter,
        company,
        json={"category": "sound", "description": "PA hire", "estimatedAmount": 120000},
    )
    assert created.status_code == 201, created.text
    expense = created.json()
    assert (expense["status"], expense["currency"], expense["submittedBy"]) == ("estimated", "EUR", None)
    path = f"/api/events/{event}/expenses/{expense['id']}"

    early_actual = await api.call("PUT", path, promoter, company, json={"actualAmount": 1})
    assert early_actual.status_code == 409
    assert early_actual.json()["code"] == "ILLEGAL_TRANSITION"

    submitted = await api.call("POST", f"{path}/submit", promoter, company)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submittedBy"] == str(promoter.user_id)
    frozen = await api.call("PUT", path, promoter, company, json={"estimatedAmount": 1})
    assert frozen.status_code == 409
    assert frozen.json()["code"] == "ILLEGAL_TRANSITION"
    assert (await api.call("GET", path, promoter, company)).json()["estimatedAmount"] == 120000
    again = await api.call("POST", f"{path}/submit", promoter, company)
    assert again.status_code == 409

    inbox = (await api.call("GET", "/api/approvals?status=pending", boss, company)).json()
    assert inbox["total"] == 1
    approval = inbox["items"][0]
    assert (approval["subjectKind"], approval["subjectId"], approval["amount"]) == ("expense", expense["id"], 120000)
    assert approval["requestedBy"] == str(promoter.user_id)

    approved = await api.call("POST", f"/api/approvals/{approval['id']}/approve", boss, company)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["decidedBy"]) == ("approved", str(boss.user_id))
    assert (await api.call("GET", path, promoter, company)).json()["status"] == "approved"
    twice = await api.call("POST", f"/api/approvals/{approval['id']}/reject", boss, company, json={"reason": "no"})
    assert twice.status_code == 409
    assert twice.json()["code"] == "ILLEGAL_TRANSITION"

    actual = await api.call("PUT", path, promoter, company, json={"actualAmount": 118000})
    assert actual.status_code == 200, actual.text
    assert actual.json()["actualAmount"] == 118000
    assert (await api.call("GET", "/api/approvals?status=pending", boss, company)).json()["total"] == 0
    assert (await api.call("GET", "/api/approvals?status=approved", boss, company)).json()["total"] == 1
    decided = await api.call("DELETE", path, promoter, company)
    assert decided.status_code == 409  # an expense with a decision stays


async def test_the_submitter_never_decides_their_own_expense(api: BasicApi, company: UUID) -> None:
    owner = api.member(company)  # holds every permission, the deciding ones too
    event = await _event(api, owner, company, currency="USD")
    expense = (
        await api.call(
            "POST", f"/api/events/{event}/expenses", owner, company, json={"category": "hotel", "estimatedAmount": 5}
        )
    ).json()
    await api.call("POST", f"/api/events/{event}/expenses/{expense['id']}/submit", owner, company)
    approval = (await api.call("GET", "/api/approvals", owner, company)).json()["items"][0]
    for url, body in (
        (f"/api/approvals/{approval['id']}/approve", None),
        (f"/api/approvals/{approval['id']}/reject", {"reason": "mine"}),
        (f"/api/events/{event}/expenses/{expense['id']}/approve", None),
    ):
        response = await api.call("POST", url, owner, company, json=body)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "SELF_APPROVAL"
    assert (await api.call("GET", "/api/approvals?status=pending", owner, company)).json()["total"] == 1

    colleague = api.member(company)
    rejected = await api.call(
        "POST", f"/api/events/{event}/expenses/{expense['id']}/reject", colleague, company, json={"reason": "too dear"}
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "too dear")
    still = await api.call(
        "PUT", f"/api/events/{event}/expenses/{expense['id']}", owner, company, json={"actualAmount": 1}
    )
    assert still.status_code == 409


async def test_notifications_reach_the_deciders_then_the_submitter_and_nobody_else(
    api: BasicApi, company: UUID
) -> None:
    promoter = api.member(company, permissions=NO_DECIDING)
    approver = api.member(company)
    bystander = api.member(company, permissions=NO_DECIDING)
    other_company = uuid.uuid4()
    outsider = api.member(other_company)
    event = await _event(api, promoter, company, currency="EUR")
    expense = (
        await api.call(
            "POST", f"/api/events/{event}/expenses", promoter, company, json={"category": "crew", "estimatedAmount": 7}
        )
    ).json()
    await api.call("POST", f"/api/events/{event}/expenses/{expense['id']}/submit", promoter, company)

    async def feed(caller: Any, where: UUID = company, query: str = "") -> dict[str, Any]:
        response = await api.call("GET", f"/api/notifications{query}", caller, where)
        assert response.status_code == 200, response.text
        return dict(response.json())

    asked = await feed(approver)
    assert asked["total"] == 1
    item = asked["items"][0]
    assert item["kind"] == "approval.requested"
    assert item["subject"]["kind"] == "approval"
    assert item["readAt"] is None
    assert (await feed(promoter))["total"] == 0  # never the submitter
    assert (await feed(bystander))["total"] == 0  # cannot decide
    assert (await feed(outsider, other_company))["total"] == 0

    stolen = await api.call("POST", f"/api/notifications/{item['id']}/read", bystander, company)
    assert stolen.status_code == 404
    read = await api.call("POST", f"/api/notifications/{item['id']}/read", approver, company)
    assert read.status_code == 200, read.text
    assert read.json()["readAt"] is not None
    assert (await feed(approver, query="?unread=true"))["total"] == 0

    await api.call("POST", f"/api/approvals/{item['subject']['id']}/approve", approver, company)
    told = await feed(promoter, query="?unread=true")
    assert [n["kind"] for n in told["items"]] == ["approval.approved"]
    assert (await feed(approver, query="?unread=true"))["total"] == 0
    marked = await api.call("POST", "/api/notifications/read-all", promoter, company)
    assert marked.json() == {"marked": 1}
    assert (await feed(promoter, query="?unread=true"))["total"] == 0
    assert (await feed(promoter))["total"] == 1
    bad = await api.call("GET", "/api/notifications?colour=red", promoter, company)
    assert bad.status_code == 400
    bad_sort = await api.call("GET", "/api/notifications?sort=kind", promoter, company)
    assert bad_sort.status_code == 400


async def test_money_lines_refuse_bad_input_and_other_companies(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    event = await _event(api, caller, acme, currency="EUR")
    tickets = f"/api/events/{event}/tickets"

    over = await api.call(
        "POST", tickets, caller, acme, json={"name": "GA", "price": 1, "capacity": 10, "sold": 8, "comps": 3}
    )
    assert over.status_code == 400
    negative = await api.call("POST", tickets, caller, acme, json={"name": "GA", "price": -1, "capacity": 10})
    assert negative.status_code == 400
    mismatch = await api.call(
        "POST", tickets, caller, acme, json={"name": "GA", "price": 1, "capacity": 1, "currency": "USD"}
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["code"] == "CURRENCY_MISMATCH"
    bad_code = await api.call(
        "POST", f"/api/events/{event}/income", caller, acme, json={"category": "bar", "amount": 1, "currency": "EURO"}
    )
    assert bad_code.status_code == 400
    no_currency_event = await _event(api, caller, acme)
    needs = await api.call(
        "POST", f"/api/events/{no_currency_event}/income", caller, acme, json={"category": "bar", "amount": 1}
    )
    assert needs.status_code == 400

    globex_vendor = (await api.call("POST", "/api/vendors", caller, globex, json={"name": "Elsewhere"})).json()["id"]
    foreign = await api.call(
        "POST",
        f"/api/events/{event}/expenses",
        caller,
        acme,
        json={"category": "x", "estimatedAmount": 1, "vendorId": globex_vendor},
    )
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "UNKNOWN_REFERENCE"
    assert (await api.call("GET", f"/api/events/{event}/expenses", caller, acme)).json()["total"] == 0

    tier = (await api.call("POST", tickets, caller, acme, json={"name": "GA", "price": 1, "capacity": 1})).json()
    assert (await api.call("GET", f"/api/events/{event}/tickets/{tier['id']}", caller, globex)).status_code == 404
    assert (await api.call("GET", tickets, caller, globex)).status_code == 404  # the event is not globex's
    assert (await api.call("GET", f"{tickets}?colour=red", caller, acme)).status_code == 400
    assert (await api.call("GET", f"{tickets}?sort=colour", caller, acme)).status_code == 400
    assert (await api.call("GET", f"{tickets}?sort=-price", caller, acme)).status_code == 200
    assert (await api.call("GET", "/api/approvals?status=maybe", caller, acme)).status_code == 400
    unknown = await api.call("POST", f"/api/approvals/{uuid.uuid4()}/approve", caller, acme)
    assert unknown.status_code == 404
    never_submitted = (
        await api.call(
            "POST", f"/api/events/{event}/expenses", caller, acme, json={"category": "x", "estimatedAmount": 1}
        )
    ).json()
    not_yet = await api.call("POST", f"/api/events/{event}/expenses/{never_submitted['id']}/approve", caller, acme)
    assert not_yet.status_code == 409
    empty_reason = await api.call(
        "POST", f"/api/events/{event}/expenses/{never_submitted['id']}/reject", caller, acme, json={"reason": " "}
    )
    assert empty_reason.status_code == 400
    deleted = await api.call("DELETE", f"/api/events/{event}/expenses/{never_submitted['id']}", caller, acme)
    assert deleted.status_code == 204  # an estimate alone may go


async def test_approvals_need_their_permissions(api: BasicApi, company: UUID) -> None:
    promoter = api.member(company)
    event = await _event(api, promoter, company, currency="EUR")
    expense = (
        await api.call(
            "POST", f"/api/events/{event}/expenses", promoter, company, json={"category": "x", "estimatedAmount": 1}
        )
    ).json()
    await api.call("POST", f"/api/events/{event}/expenses/{expense['id']}/submit", promoter, company)
    approval = (await api.call("GET", "/api/approvals", promoter, company)).json()["items"][0]
    viewer = api.member(company, permissions=["basic.approval.view"])
    denied = await api.call("POST", f"/api/approvals/{approval['id']}/approve", viewer, company)
    assert denied.status_code == 403
    assert denied.json()["code"] == "PERMISSION_DENIED"
    no_submit = api.member(company, permissions=["basic.expense.view"])
    assert (
        await api.call("POST", f"/api/events/{event}/expenses/{expense['id']}/submit", no_submit, company)
    ).status_code == 403
    assert (await api.call("PUT", f"/api/approvals/{approval['id']}", promoter, company, json={})).status_code == 405
    assert (await api.call("DELETE", f"/api/approvals/{approval['id']}", promoter, company)).status_code == 405


async def test_company_profile_validates_timezone_and_currency_and_shows_a_display_name(
    api: BasicApi, company: UUID
) -> None:
    caller = api.member(company)
    zone = await api.call("PUT", "/api/companies/current", caller, company, json={"timezone": "Mars/Olympus"})
    assert zone.status_code == 400
    assert zone.json()["detail"].startswith("timezone")
    money = await api.call("PUT", "/api/companies/current", caller, company, json={"currency": "ABC"})
    assert money.status_code == 400
    ok = await api.call(
        "PUT",
        "/api/companies/current",
        caller,
        company,
        json={"timezone": "Europe/Paris", "legalName": "Acme SAS", "currency": "chf"},
    )
    assert ok.status_code == 200, ok.text
    assert (ok.json()["timezone"], ok.json()["currency"], ok.json()["displayName"]) == (
        "Europe/Paris",
        "CHF",
        "Acme SAS",
    )
    named = await api.call("PUT", "/api/companies/current", caller, company, json={"displayName": "Acme Live"})
    assert named.json()["displayName"] == "Acme Live"
