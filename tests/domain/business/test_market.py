"""Market rules: campaign periods, budgets and the status life cycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from kisum.domain.business.market import (
    Campaign,
    CampaignFinished,
    CampaignStatus,
    Channel,
    IllegalCampaignTransition,
)
from kisum.domain.errors import FieldInvalid

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2025, 4, 1, tzinfo=UTC)
END = datetime(2025, 4, 30, tzinfo=UTC)


def campaign(**overrides: object) -> Campaign:
    values: dict[str, object] = {
        "id": uuid4(),
        "company_id": uuid4(),
        "event_id": uuid4(),
        "name": "Spring launch",
        "channel": "social",
        "starts_at": START,
        "ends_at": END,
        "budget_minor": 50_000,
        "currency": "EUR",
        "now": NOW,
    }
    values.update(overrides)
    return Campaign.create(**values)  # type: ignore[arg-type]


def test_a_new_campaign_is_a_draft() -> None:
    created = campaign()
    assert created.status is CampaignStatus.DRAFT
    assert created.channel is Channel.SOCIAL


def test_ends_at_before_starts_at_is_refused_naming_ends_at() -> None:
    with pytest.raises(FieldInvalid) as caught:
        campaign(ends_at=START - timedelta(seconds=1))
    assert caught.value.field == "endsAt"


def test_a_campaign_may_start_and_end_at_the_same_instant() -> None:
    assert campaign(ends_at=START).period.ends_at == START


def test_unknown_channel_is_refused_naming_channel() -> None:
    with pytest.raises(FieldInvalid) as caught:
        campaign(channel="radio")
    assert caught.value.field == "channel"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["scheduled"], True),
        (["scheduled", "running", "finished"], True),
        (["scheduled", "draft", "scheduled"], True),
        (["running"], False),
        (["finished"], False),
        (["scheduled", "running", "draft"], False),
        (["scheduled", "running", "scheduled"], False),
    ],
)
def test_status_moves_only_along_the_life_cycle(path: list[str], allowed: bool) -> None:
    subject = campaign()

    def walk() -> None:
        for status in path:
            subject.revise(now=NOW, status=status)

    if allowed:
        walk()
        assert subject.status == CampaignStatus(path[-1])
    else:
        with pytest.raises(IllegalCampaignTransition):
            walk()


def test_keeping_the_same_status_is_not_a_transition() -> None:
    subject = campaign()
    subject.revise(now=NOW, status="draft", name="Renamed")
    assert subject.status is CampaignStatus.DRAFT
    assert subject.name == "Renamed"


def test_a_finished_campaign_cannot_be_edited() -> None:
    subject = campaign()
    for status in ("scheduled", "running", "finished"):
        subject.revise(now=NOW, status=status)
    with pytest.raises(CampaignFinished):
        subject.revise(now=NOW, name="Too late")


def test_illegal_transition_leaves_every_field_unchanged() -> None:
    subject = campaign()
    with pytest.raises(IllegalCampaignTransition):
        subject.revise(now=NOW + timedelta(days=1), name="New name", status="finished")
    assert subject.name == "Spring launch"
    assert subject.updated_at == NOW


def test_moving_only_ends_at_is_checked_against_the_current_start() -> None:
    subject = campaign()
    with pytest.raises(FieldInvalid) as caught:
        subject.revise(now=NOW, ends_at=START - timedelta(days=1))
    assert caught.value.field == "endsAt"
