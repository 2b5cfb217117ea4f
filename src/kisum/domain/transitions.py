"""State machines as one table each: ``(state, action) -> state``; everything else is refused.

A machine is data (``Transitions``), so the rules read as a table, a refused move is always the
same error (409 ``ILLEGAL_TRANSITION``) and property tests can walk random action sequences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from kisum.domain.errors import Conflict

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)


class IllegalTransition(Conflict):
    """The action is not allowed from the current state (HTTP 409); nothing was written."""

    code = "ILLEGAL_TRANSITION"


class Transitions(Generic[S, A]):
    """The allowed moves of one machine; ``next`` is the only way a state changes."""

    def __init__(self, noun: str, moves: Mapping[tuple[S, A], S]) -> None:
        self.noun = noun
        self.moves = dict(moves)

    def allows(self, state: S, action: A) -> bool:
        return (state, action) in self.moves

    def next(self, state: S, action: A) -> S:
        try:
            return self.moves[(state, action)]
        except KeyError:
            raise IllegalTransition(f"A {self.noun} that is {state.value} cannot {action.value}.") from None

    def actions_from(self, state: S) -> list[A]:
        return [action for (origin, action) in self.moves if origin == state]

    def states(self) -> set[S]:
        return {origin for origin, _ in self.moves} | set(self.moves.values())

    def reachable(self, start: S, actions: Iterable[A]) -> list[S]:
        """The states visited by the allowed actions of a sequence (refused ones are skipped)."""
        visited, state = [start], start
        for action in actions:
            if self.allows(state, action):
                state = self.moves[(state, action)]
                visited.append(state)
        return visited
