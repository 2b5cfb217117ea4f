"""The booking flow over HTTP as a client walks it: avail → offer → send → counter → send → accept
→ agreement → send → sign all → signed; and the 4xx cases, on the real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from tests.e2e.basic.conftest import BasicApi
from tests.support.auth_double import Caller


async def _setup(api: BasicApi, caller: Caller, company: UUID) -> tuple[dict[str, Any], dict[str, Any]]:
    artist = (await api.call("POST", "/api/artists", caller, company, json={"name": "Ada"})).json()
    event = (await api.call("POST", "/api/events", caller, company, json={"name": "Gig", "currency": "EUR"})).json()
    return artist, event


async def _offer(api: BasicApi, caller: Caller, company: UUID, **extra: Any) -> Any:
    return await api.call(
        "POST", "/api/offers", caller, company, json={"dealType": "flat", "guarantee": 100_000, **extra}
    )


async def test_the_whole_flow_from_avail_to_signed_agreement(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    assert event["status"] == "draft"
    avail = await api.call(
        "POST",
        "/api/avails",
        caller,
        company,
        json={"artistId": artist["id"], "startsOn": "2031-05-01", "endsOn": "2031-05-03"},
    )
    assert avail.status_code == 201, avail.text
    avail_id = avail.json()["id"]
    assert avail.json()["status"] == "open"

    created = await _offer(
        api,
        caller,
        company,
        eventId=event["id"],
        artistId=artist["id"],
        availId=avail_id,
        dealType="versus",
        percentage=8000,
    )
    assert created.status_code == 201, created.text
    offer = created.json()
    assert (offer["status"], offer["currency"], offer["version"]) == ("draft", "EUR", 0)

    sent = await api.call("POST", f"/api/offers/{offer['id']}/send", caller, company)
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "sent"
    held = (await api.call("GET", f"/api/avails/{avail_id}", caller, company)).json()
    assert (held["status"], held["offerId"]) == ("held", offer["id"])

    countered = await api.call(
        "POST", f"/api/offers/{offer['id']}/counter", caller, company, json={"guarantee": 150_000}
    )
    assert countered.status_code == 200, countered.text
    assert (countered.json()["status"], countered.json()["guarantee"], countered.json()["version"]) == (
        "countered",
        150_000,
        2,
    )
    assert (await api.call("POST", f"/api/offers/{offer['id']}/send", caller, company)).json()["status"] == "sent"
    versions = (await api.call("GET", f"/api/offers/{offer['id']}/versions", caller, company)).json()["items"]
    assert [(v["number"], v["action"], v["guarantee"]) for v in versions] == [
        (1, "sent", 100_000),
        (2, "countered", 150_000),
    ]

    accepted = await api.call("POST", f"/api/offers/{offer['id']}/accept", caller, company)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert (await api.call("GET", f"/api/avails/{avail_id}", caller, company)).json()["status"] == "booked"
    confirmed = (await api.call("GET", f"/api/events/{event['id']}", caller, company)).json()
    assert confirmed["status"] == "confirmed"
    assert artist["id"] in confirmed["artistIds"]

    agreements = (await api.call("GET", f"/api/agreements?offerId={offer['id']}", caller, company)).json()
    assert agreements["total"] == 1
    agreement_id = agreements["items"][0]["id"]
    assert agreements["items"][0]["status"] == "draft"
    signers = [
        {"name": "Ada", "email": "ada@example.com", "role": "artist"},
        {"name": "Pat", "email": "pat@example.com"},
    ]
    edited = await api.call(
        "PUT", f"/api/agreements/{agreement_id}", caller, company, json={"signers": signers, "terms": "Play."}
    )
    assert edited.status_code == 200, edited.text
    ids = [s["id"] for s in edited.json()["signers"]]
    assert len(ids) == 2

    assert (await api.call("POST", f"/api/agreements/{agreement_id}/send", caller, company)).json()["status"] == "sent"
    frozen = await api.call("PUT", f"/api/agreements/{agreement_id}", caller, company, json={"terms": "Other."})
    assert (frozen.status_code, frozen.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    first = await api.call("POST", f"/api/agreements/{agreement_id}/sign", caller, company, json={"signerId": ids[0]})
    assert first.json()["status"] == "partially_signed"
    assert first.json()["signers"][0]["signedAt"] is not None
    twice = await api.call("POST", f"/api/agreements/{agreement_id}/sign", caller, company, json={"signerId": ids[0]})
    assert (twice.status_code, twice.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    last = await api.call("POST", f"/api/agreements/{agreement_id}/sign", caller, company, json={"signerId": ids[1]})
    assert last.json()["status"] == "signed"
    assert last.json()["signedAt"] is not None
    assert (await api.call("GET", f"/api/agreements/{agreement_id}", caller, company)).json()["status"] == "signed"


async def test_refused_transitions_are_409_and_write_nothing(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    offer = (await _offer(api, caller, company, eventId=event["id"], artistId=artist["id"])).json()
    for action in ("accept", "decline", "withdraw"):
        refused = await api.call("POST", f"/api/offers/{offer['id']}/{action}", caller, company)
        assert (refused.status_code, refused.json()["code"]) == (409, "ILLEGAL_TRANSITION"), action
    await api.call("POST", f"/api/offers/{offer['id']}/send", caller, company)
    edit = await api.call("PUT", f"/api/offers/{offer['id']}", caller, company, json={"guarantee": 1})
    assert (edit.status_code, edit.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    delete = await api.call("DELETE", f"/api/offers/{offer['id']}", caller, company)
    assert delete.status_code == 409
    same = await api.call("POST", f"/api/offers/{offer['id']}/counter", caller, company, json={"guarantee": 100_000})
    assert same.status_code == 400
    after = (await api.call("GET", f"/api/offers/{offer['id']}", caller, company)).json()
    assert (after["status"], after["guarantee"]) == ("sent", 100_000)


async def test_an_event_has_one_accepted_offer_per_artist(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    ids = []
    for _ in range(2):
        offer = (await _offer(api, caller, company, eventId=event["id"], artistId=artist["id"])).json()
        await api.call("POST", f"/api/offers/{offer['id']}/send", caller, company)
        ids.append(offer["id"])
    assert (await api.call("POST", f"/api/offers/{ids[0]}/accept", caller, company)).status_code == 200
    second = await api.call("POST", f"/api/offers/{ids[1]}/accept", caller, company)
    assert (second.status_code, second.json()["code"]) == (409, "OFFER_ALREADY_ACCEPTED")
    assert (await api.call("GET", f"/api/offers/{ids[1]}", caller, company)).json()["status"] == "sent"


async def test_an_expired_offer_reads_expired_and_refuses_accept(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    avail = (
        await api.call(
            "POST",
            "/api/avails",
            caller,
            company,
            json={"artistId": artist["id"], "startsOn": "2031-05-01", "endsOn": "2031-05-01"},
        )
    ).json()
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    offer = (
        await _offer(
            api, caller, company, eventId=event["id"], artistId=artist["id"], availId=avail["id"], expiresAt=soon
        )
    ).json()
    await api.call("POST", f"/api/offers/{offer['id']}/send", caller, company)
    import asyncio

    await asyncio.sleep(1.2)
    assert (await api.call("GET", f"/api/offers/{offer['id']}", caller, company)).json()["status"] == "expired"
    listed = (await api.call("GET", "/api/offers?status=expired", caller, company)).json()
    assert [item["id"] for item in listed["items"]] == [offer["id"]]
    assert (await api.call("GET", "/api/offers?status=sent", caller, company)).json()["total"] == 0
    refused = await api.call("POST", f"/api/offers/{offer['id']}/accept", caller, company)
    assert (refused.status_code, refused.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    assert (await api.call("GET", f"/api/avails/{avail['id']}", caller, company)).json()["status"] == "open"
    assert (await api.call("GET", "/api/avails?status=open", caller, company)).json()["total"] == 1


async def test_offer_currency_follows_the_event(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    other = await _offer(api, caller, company, eventId=event["id"], artistId=artist["id"], currency="USD")
    assert (other.status_code, other.json()["code"]) == (400, "CURRENCY_MISMATCH")
    bare = (await api.call("POST", "/api/events", caller, company, json={"name": "No currency"})).json()
    missing = await _offer(api, caller, company, eventId=bare["id"], artistId=artist["id"])
    assert missing.status_code == 400
    set_by_offer = await _offer(api, caller, company, eventId=bare["id"], artistId=artist["id"], currency="gbp")
    assert set_by_offer.json()["currency"] == "GBP"
    assert (await api.call("GET", f"/api/events/{bare['id']}", caller, company)).json()["currency"] == "GBP"


async def test_bad_offer_bodies_are_400(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    base = {"eventId": event["id"], "artistId": artist["id"]}
    for extra, field in (
        ({"dealType": "versus"}, "percentage"),
        ({"dealType": "door", "percentage": 10_001}, "percentage"),
        ({"dealType": "plus", "percentage": 100}, "splitPoint"),
        ({"dealType": "barter"}, "dealType"),
        ({"guarantee": -1}, "guarantee"),
    ):
        response = await _offer(api, caller, company, **base, **extra)
        assert response.status_code == 400, (extra, response.text)
        assert field in response.json()["detail"]


async def test_ids_of_another_company_are_unknown_references(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    artist, event = await _setup(api, caller, acme)
    offer = await _offer(api, caller, globex, eventId=event["id"], artistId=artist["id"])
    assert (offer.status_code, offer.json()["code"]) == (400, "UNKNOWN_REFERENCE")
    assert "eventId" in offer.json()["detail"]
    assert "artistId" in offer.json()["detail"]
    avail = await api.call(
        "POST",
        "/api/avails",
        caller,
        globex,
        json={"artistId": artist["id"], "startsOn": "2031-01-01", "endsOn": "2031-01-01"},
    )
    assert (avail.status_code, avail.json()["code"]) == (400, "UNKNOWN_REFERENCE")
    mine = (await _offer(api, caller, acme, eventId=event["id"], artistId=artist["id"])).json()
    for method, path in (("GET", ""), ("POST", "/send"), ("GET", "/versions"), ("DELETE", "")):
        response = await api.call(method, f"/api/offers/{mine['id']}{path}", caller, globex)
        assert response.status_code == 404, (method, path)


async def test_avails_filter_by_dates_and_release_by_delete(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, _ = await _setup(api, caller, company)
    for start, end in (("2031-01-01", "2031-01-05"), ("2031-02-01", "2031-02-02"), ("2031-03-01", "2031-03-01")):
        await api.call(
            "POST", "/api/avails", caller, company, json={"artistId": artist["id"], "startsOn": start, "endsOn": end}
        )
    found = (await api.call("GET", "/api/avails?from=2031-01-04&to=2031-02-01", caller, company)).json()
    assert [item["startsOn"] for item in found["items"]] == ["2031-01-01", "2031-02-01"]
    assert (await api.call("GET", "/api/avails?colour=red", caller, company)).status_code == 400
    assert (await api.call("GET", "/api/avails?status=maybe", caller, company)).status_code == 400
    first = found["items"][0]["id"]
    assert (await api.call("DELETE", f"/api/avails/{first}", caller, company)).status_code == 204
    assert (await api.call("GET", f"/api/avails/{first}", caller, company)).json()["status"] == "released"
    again = await api.call("POST", f"/api/avails/{first}/release", caller, company)
    assert (again.status_code, again.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    released = await api.call("POST", f"/api/avails/{found['items'][1]['id']}/release", caller, company)
    assert released.json()["status"] == "released"
    bad = await api.call(
        "POST",
        "/api/avails",
        caller,
        company,
        json={"artistId": artist["id"], "startsOn": "2031-01-02", "endsOn": "2031-01-01"},
    )
    assert bad.status_code == 400


async def test_deleting_what_offers_point_at_is_refused(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    offer = (await _offer(api, caller, company, eventId=event["id"], artistId=artist["id"])).json()
    for path in (f"/api/events/{event['id']}", f"/api/artists/{artist['id']}"):
        refused = await api.call("DELETE", path, caller, company)
        assert (refused.status_code, refused.json()["code"]) == (409, "RECORD_IN_USE"), path
        assert "offer" in refused.json()["detail"]
    assert (await api.call("DELETE", f"/api/offers/{offer['id']}", caller, company)).status_code == 204  # a draft
    assert (await api.call("DELETE", f"/api/events/{event['id']}", caller, company)).status_code == 204


async def test_event_status_follows_its_lifecycle(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    event = (await api.call("POST", "/api/events", caller, company, json={"name": "Gig", "status": "confirmed"})).json()
    assert event["status"] == "confirmed"
    back = await api.call("PUT", f"/api/events/{event['id']}", caller, company, json={"status": "draft"})
    assert (back.status_code, back.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    free_text = await api.call("PUT", f"/api/events/{event['id']}", caller, company, json={"status": "maybe"})
    assert free_text.status_code == 400
    done = await api.call("PUT", f"/api/events/{event['id']}", caller, company, json={"status": "completed"})
    assert done.json()["status"] == "completed"
    assert (await api.call("GET", "/api/events?status=completed", caller, company)).json()["total"] == 1


async def test_agreement_needs_an_accepted_offer_and_signers(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    artist, event = await _setup(api, caller, company)
    offer = (await _offer(api, caller, company, eventId=event["id"], artistId=artist["id"])).json()
    early = await api.call("POST", "/api/agreements", caller, company, json={"offerId": offer["id"], "terms": "T"})
    assert (early.status_code, early.json()["code"]) == (409, "OFFER_NOT_ACCEPTED")
    await api.call("POST", f"/api/offers/{offer['id']}/send", caller, company)
    await api.call("POST", f"/api/offers/{offer['id']}/accept", caller, company)
    duplicate = await api.call("POST", "/api/agreements", caller, company, json={"offerId": offer["id"], "terms": "T"})
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "DUPLICATE_KEY")
    agreement = (await api.call("GET", f"/api/agreements?offerId={offer['id']}", caller, company)).json()["items"][0]
    unsigned = await api.call("POST", f"/api/agreements/{agreement['id']}/send", caller, company)
    assert (unsigned.status_code, unsigned.json()["code"]) == (409, "NO_SIGNERS")
    assert (await api.call("DELETE", f"/api/agreements/{agreement['id']}", caller, company)).status_code == 204
    fresh = await api.call(
        "POST",
        "/api/agreements",
        caller,
        company,
        json={"offerId": offer["id"], "terms": "T", "signers": [{"name": "A", "email": "a@example.com"}]},
    )
    assert fresh.status_code == 201, fresh.text
    bad_signer = await api.call(
        "POST", f"/api/agreements/{fresh.json()['id']}/sign", caller, company, json={"signerId": str(uuid.uuid4())}
    )
    assert (bad_signer.status_code, bad_signer.json()["code"]) == (400, "UNKNOWN_REFERENCE")
    sent = await api.call("POST", f"/api/agreements/{fresh.json()['id']}/send", caller, company)
    assert sent.json()["status"] == "sent"
    assert (await api.call("DELETE", f"/api/agreements/{fresh.json()['id']}", caller, company)).status_code == 409
    voided = await api.call("POST", f"/api/agreements/{fresh.json()['id']}/void", caller, company)
    assert voided.json()["status"] == "void"


async def test_actions_need_their_permissions(api: BasicApi, company: UUID) -> None:
    owner = api.member(company)
    artist, event = await _setup(api, owner, company)
    offer = (await _offer(api, owner, company, eventId=event["id"], artistId=artist["id"])).json()
    viewer = api.member(company, permissions=["basic.offer.view"])
    for action in ("send", "accept"):
        response = await api.call("POST", f"/api/offers/{offer['id']}/{action}", viewer, company)
        assert (response.status_code, response.json()["code"]) == (403, "PERMISSION_DENIED")
