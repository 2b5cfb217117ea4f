"""The finance backend over HTTP: enforcement, budget lines, settlement, tenant isolation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from kisum.config import Role
from kisum.ioc.finance import create_app
from tests.e2e.modules import ModuleHarness, module_app
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres

ALL = [
    "finance.budget.view",
    "finance.budget.create",
    "finance.budget.edit",
    "finance.budget.delete",
    "finance.settlement.view",
]
LINES = "/api/finance/budget-lines"


@pytest.fixture
async def api(postgres_url: str, engine_for: EngineForRole) -> AsyncIterator[ModuleHarness]:
    async with module_app(Role.FINANCE, create_app, postgres_url, engine_for) as harness:
        yield harness


def line_body(event_id: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "eventId": event_id,
        "kind": "income",
        "category": "Tickets",
        "amountMinor": 120_000,
        "currency": "EUR",
        "date": "2025-06-01",
    }
    body.update(overrides)
    return body


async def test_module_disabled_is_403_module_disabled(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL, modules=["basic"])
    response = await api.client.get(LINES, headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "MODULE_DISABLED"


async def test_missing_permission_is_403_permission_denied(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=["finance.budget.view"])
    response = await api.client.post(LINES, headers=headers, json=line_body(str(uuid4())))
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_settlement_needs_its_own_permission(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=["finance.budget.view"])
    response = await api.client.get(f"/api/finance/events/{uuid4()}/settlement", headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_no_token_is_401(api: ModuleHarness) -> None:
    response = await api.client.get(LINES, headers={"x-org": str(uuid4())})
    assert response.status_code == 401


async def test_budget_line_crud_and_settlement(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL)
    event = str(uuid4())
    created = await api.client.post(LINES, headers=headers, json=line_body(event))
    assert created.status_code == 201, created.text
    line = created.json()
    assert line["amountMinor"] == 120_000
    assert line["date"] == "2025-06-01"
    await api.client.post(
        LINES, headers=headers, json=line_body(event, kind="expense", category="Stage", amountMinor=45_000)
    )
    await api.client.post(
        LINES, headers=headers, json=line_body(event, kind="expense", amountMinor=900, currency="usd")
    )

    fetched = await api.client.get(f"{LINES}/{line['id']}", headers=headers)
    assert fetched.status_code == 200
    assert fetched.json() == line

    updated = await api.client.put(
        f"{LINES}/{line['id']}", headers=headers, json={"amountMinor": 150_000, "date": None}
    )
    assert updated.status_code == 200
    assert updated.json()["amountMinor"] == 150_000
    assert updated.json()["date"] is None
    assert updated.json()["category"] == "Tickets"

    listed = await api.client.get(LINES, headers=headers, params={"eventId": event, "kind": "expense", "limit": 1})
    assert listed.status_code == 200
    assert listed.json()["total"] == 2
    assert listed.json()["limit"] == 1
    assert len(listed.json()["items"]) == 1

    settlement = await api.client.get(f"/api/finance/events/{event}/settlement", headers=headers)
    assert settlement.status_code == 200
    assert settlement.json() == {
        "eventId": event,
        "lineCount": 3,
        "totals": [
            {"currency": "EUR", "income": 150_000, "expenses": 45_000, "net": 105_000},
            {"currency": "USD", "income": 0, "expenses": 900, "net": -900},
        ],
    }

    deleted = await api.client.delete(f"{LINES}/{line['id']}", headers=headers)
    assert deleted.status_code == 204
    gone = await api.client.get(f"{LINES}/{line['id']}", headers=headers)
    assert gone.status_code == 404
    assert gone.json()["code"] == "BUDGET_LINE_NOT_FOUND"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "refund"}, "kind"),
        ({"currency": "EURO"}, "currency"),
        ({"amountMinor": -1}, "amount"),
        ({"category": " "}, "category"),
        ({"colour": "red"}, "colour"),
        ({"eventId": "not-a-uuid"}, "eventId"),
    ],
)
async def test_bad_input_is_400_naming_the_field(api: ModuleHarness, overrides: dict[str, object], field: str) -> None:
    _, headers = api.member(permissions=ALL)
    response = await api.client.post(LINES, headers=headers, json=line_body(str(uuid4()), **overrides))
    assert response.status_code == 400
    assert field in response.json()["detail"]


async def test_limit_above_100_is_400(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL)
    response = await api.client.get(LINES, headers=headers, params={"limit": 101})
    assert response.status_code == 400


async def test_another_companys_line_is_404_for_read_edit_and_delete(api: ModuleHarness) -> None:
    _, owner = api.member(permissions=ALL)
    _, stranger = api.member(permissions=ALL)
    event = str(uuid4())
    line = (await api.client.post(LINES, headers=owner, json=line_body(event))).json()
    assert (await api.client.get(f"{LINES}/{line['id']}", headers=stranger)).status_code == 404
    assert (await api.client.put(f"{LINES}/{line['id']}", headers=stranger, json={"amountMinor": 1})).status_code == 404
    assert (await api.client.delete(f"{LINES}/{line['id']}", headers=stranger)).status_code == 404
    assert (await api.client.get(LINES, headers=stranger)).json()["total"] == 0
    settlement = (await api.client.get(f"/api/finance/events/{event}/settlement", headers=stranger)).json()
    assert settlement["totals"] == []
    still = await api.client.get(f"{LINES}/{line['id']}", headers=owner)
    assert still.json()["amountMinor"] == 120_000
