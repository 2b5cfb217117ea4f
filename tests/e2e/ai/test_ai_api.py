"""The ai backend over HTTP: enforcement, deterministic suggestions, history, tenant isolation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from kisum.config import Role
from kisum.ioc.ai import create_app
from tests.e2e.modules import ModuleHarness, module_app
from tests.support.postgres import EngineForRole

pytestmark = pytest.mark.postgres

ALL = ["ai.suggestion.create", "ai.suggestion.view"]
SUGGESTIONS = "/api/ai/suggestions"
SETLIST = {"kind": "setlist", "context": {"songs": ["Intro", "Hit", "Ballad", "Anthem"], "opener": "Intro"}}


@pytest.fixture
async def api(postgres_url: str, engine_for: EngineForRole) -> AsyncIterator[ModuleHarness]:
    async with module_app(Role.AI, create_app, postgres_url, engine_for) as harness:
        yield harness


async def test_module_disabled_is_403_module_disabled(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=ALL, modules=["basic", "venue"])
    response = await api.client.post(SUGGESTIONS, headers=headers, json=SETLIST)
    assert response.status_code == 403
    assert response.json()["code"] == "MODULE_DISABLED"


async def test_missing_permission_is_403_permission_denied(api: ModuleHarness) -> None:
    _, headers = api.member(permissions=["ai.suggestion.view"])
    response = await api.client.post(SUGGESTIONS, headers=headers, json=SETLIST)
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_same_request_gives_same_suggestions_and_both_are_in_history(api: ModuleHarness) -> None:
    caller, headers = api.member(permissions=ALL)
    first = await api.client.post(SUGGESTIONS, headers=headers, json=SETLIST)
    second = await api.client.post(SUGGESTIONS, headers=headers, json=SETLIST)
    assert first.status_code == second.status_code == 201, first.text
    assert first.json()["suggestions"] == second.json()["suggestions"]
    assert first.json()["suggestions"][0]["items"][0] == "Intro"
    assert first.json()["requestedBy"] == str(caller.user_id)
    assert first.json()["provider"] == "local-templates/1"

    pricing = await api.client.post(
        SUGGESTIONS,
        headers=headers,
        json={"kind": "pricing", "context": {"capacity": 400, "costsMinor": 800_000, "currency": "EUR"}},
    )
    assert pricing.status_code == 201
    assert pricing.json()["suggestions"][0]["amountMinor"] == 2500

    history = (await api.client.get(SUGGESTIONS, headers=headers, params={"kind": "setlist"})).json()
    assert history["total"] == 2
    one = await api.client.get(f"{SUGGESTIONS}/{first.json()['id']}", headers=headers)
    assert one.json() == first.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "poster", "context": {}}, "kind"),
        ({"kind": "setlist", "context": {"songs": []}}, "context.songs"),
        ({"kind": "event-description", "context": {"eventName": "Gala", "tone": "angry"}}, "context.tone"),
        ({"kind": "pricing", "context": {"capacity": 10, "costsMinor": 1}}, "context.currency"),
        ({"kind": "setlist", "prompt": "anything"}, "prompt"),
    ],
)
async def test_bad_input_is_400_naming_the_field(api: ModuleHarness, payload: dict[str, object], field: str) -> None:
    _, headers = api.member(permissions=ALL)
    response = await api.client.post(SUGGESTIONS, headers=headers, json=payload)
    assert response.status_code == 400
    assert field in response.json()["detail"]
    assert (await api.client.get(SUGGESTIONS, headers=headers)).json()["total"] == 0


async def test_another_companys_suggestion_is_404_and_not_in_history(api: ModuleHarness) -> None:
    _, owner = api.member(permissions=ALL)
    _, stranger = api.member(permissions=ALL)
    record = (await api.client.post(SUGGESTIONS, headers=owner, json=SETLIST)).json()
    assert (await api.client.get(f"{SUGGESTIONS}/{record['id']}", headers=stranger)).status_code == 404
    assert (await api.client.get(SUGGESTIONS, headers=stranger)).json()["total"] == 0
    assert (await api.client.get(f"{SUGGESTIONS}/{uuid4()}", headers=owner)).status_code == 404
