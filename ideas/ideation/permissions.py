"""Who may see, post, edit and withdraw ideas."""

from ideas.accounts.permissions import is_signed_in
from ideas.communities.models import Community
from ideas.communities.permissions import can_moderate, can_read_content, is_member
from ideas.ideation.models import Idea


def can_view_idea(user, idea: Idea) -> bool:
    return can_read_content(user, idea.community)


def can_post_idea(user, community: Community) -> bool:
    """Any agent in an open community (joining it on the way); members in a private one."""
    if not is_signed_in(user) or community.is_archived:
        return False
    return not community.is_private or is_member(user, community)


def can_edit_idea(user, idea: Idea) -> bool:
    return is_signed_in(user) and idea.author_id == user.id and idea.is_editable


def can_withdraw_idea(user, idea: Idea) -> bool:
    return can_edit_idea(user, idea)


def can_see_revisions(user, idea: Idea) -> bool:
    """The edit history is for moderators (facilitators of the community, admins) and managers."""
    return is_signed_in(user) and (user.is_manager or can_moderate(user, idea.community))


def can_take_part(user, idea: Idea) -> bool:
    """Support or comment: the idea is visible, still open, in a live community; in a private
    community only members take part (management reads, members discuss)."""
    if not can_view_idea(user, idea) or idea.is_closed or idea.community.is_archived:
        return False
    return not idea.community.is_private or is_member(user, idea.community)
