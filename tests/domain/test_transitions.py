"""A state machine is one table; a refused action is 409 ILLEGAL_TRANSITION and changes nothing."""

from __future__ import annotations

import itertools
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.transitions import IllegalTransition, Transitions


class Door(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    LOCKED = "locked"


class Act(StrEnum):
    OPEN = "open"
    CLOSE = "close"
    LOCK = "lock"
    UNLOCK = "unlock"


DOOR = Transitions(
    "door",
    {
        (Door.OPEN, Act.CLOSE): Door.CLOSED,
        (Door.CLOSED, Act.OPEN): Door.OPEN,
        (Door.CLOSED, Act.LOCK): Door.LOCKED,
        (Door.LOCKED, Act.UNLOCK): Door.CLOSED,
    },
)


def test_allowed_moves_follow_the_table() -> None:
    assert DOOR.next(Door.OPEN, Act.CLOSE) is Door.CLOSED
    assert DOOR.actions_from(Door.CLOSED) == [Act.OPEN, Act.LOCK]


def test_a_refused_move_is_an_illegal_transition() -> None:
    with pytest.raises(IllegalTransition) as raised:
        DOOR.next(Door.LOCKED, Act.OPEN)
    assert raised.value.code == "ILLEGAL_TRANSITION"
    assert "locked" in raised.value.detail


@given(st.lists(st.sampled_from(list(Act)), max_size=40))
def test_no_sequence_reaches_a_state_outside_the_table(actions: list[Act]) -> None:
    visited = DOOR.reachable(Door.OPEN, actions)
    assert set(visited) <= DOOR.states()
    for before, after in itertools.pairwise(visited):
        assert any(DOOR.moves.get((before, action)) is after for action in Act)
