"""Who may follow an idea or a community: whoever may read it."""

from ideas.communities.models import Community
from ideas.communities.permissions import can_read_content
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea


def can_follow_idea(user, idea: Idea) -> bool:
    return can_view_idea(user, idea)


def can_follow_community(user, community: Community) -> bool:
    return can_read_content(user, community)
