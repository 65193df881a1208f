"""Who may support an idea."""

from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_take_part


def can_vote(user, idea: Idea) -> bool:
    """Authors do not support their own idea: the count is other agents' supports."""
    return can_take_part(user, idea) and idea.author_id != user.id
