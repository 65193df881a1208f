"""The workflow as a table (DOMAIN.md): which move is allowed from which state, and to whom.

Admins count as managers and as facilitators of every community ("may do everything")."""

from dataclasses import dataclass
from enum import StrEnum

from ideas.ideation.models import IdeaStatus as S


class Actor(StrEnum):
    AUTHOR = "author"
    FACILITATOR = "facilitator"
    MANAGER = "manager"


F, M, A = Actor.FACILITATOR, Actor.MANAGER, Actor.AUTHOR


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    actors: frozenset[Actor]


TRANSITIONS: tuple[Transition, ...] = tuple(
    Transition(source, target, frozenset(actors)) for source, target, actors in [
        (S.SUBMITTED, S.IN_REVIEW, {F, M}),
        (S.SUBMITTED, S.DECLINED, {F, M}),
        (S.IN_REVIEW, S.DECLINED, {F, M}),
        (S.IN_REVIEW, S.SELECTED, {M}),
        (S.SELECTED, S.PILOTING, {M}),
        (S.SELECTED, S.ADOPTED, {M}),
        (S.PILOTING, S.ADOPTED, {M}),
        (S.SELECTED, S.DECLINED, {M}),
        (S.PILOTING, S.DECLINED, {M}),
        (S.SUBMITTED, S.MERGED, {F, M}),
        (S.IN_REVIEW, S.MERGED, {F, M}),
        (S.SELECTED, S.MERGED, {M}),
        (S.PILOTING, S.MERGED, {M}),
        (S.SUBMITTED, S.WITHDRAWN, {A}),
        (S.IN_REVIEW, S.WITHDRAWN, {A}),
    ]
)

# The official answer is required for these (DOMAIN.md); optional for the others.
ANSWER_REQUIRED = frozenset({S.SELECTED, S.DECLINED, S.ADOPTED})
TERMINAL = frozenset({S.ADOPTED, S.DECLINED, S.MERGED, S.WITHDRAWN})
# The funnel of the dashboard, in order.
FUNNEL = (S.SUBMITTED, S.IN_REVIEW, S.SELECTED, S.PILOTING, S.ADOPTED)


def find(source: S, target: S) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def targets_for(source: S, actors: set[Actor]) -> list[S]:
    """The states these actors may move an idea to from `source`, in table order."""
    return [t.target for t in TRANSITIONS if t.source == source and t.actors & actors]
