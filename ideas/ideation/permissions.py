"""Who may see, post, edit and withdraw ideas."""

from ideas.accounts.permissions import is_signed_in
from ideas.communities.models import Community
from ideas.communities.permissions import can_moderate, can_read_content, is_member
from ideas.ideation.models import Idea
from ideas.moderation.suspensions import is_suspended


def can_view_idea(user, idea: Idea) -> bool:
    """A hidden idea (moderation) stays visible to its author and the community's moderators;
    to everyone else it does not exist. The same rule as `queries.visible_ideas_filter`."""
    if not can_read_content(user, idea.community):
        return False
    return (idea.hidden_at is None or idea.author_id == user.id
            or can_moderate(user, idea.community))


def can_post_idea(user, community: Community) -> bool:
    """Any agent in an open community (joining it on the way); members in a private one.
    A suspended agent reads but does not post."""
    if not is_signed_in(user) or community.is_archived or is_suspended(user):
        return False
    return not community.is_private or is_member(user, community)


def can_edit_idea(user, idea: Idea) -> bool:
    return (is_signed_in(user) and idea.author_id == user.id and idea.is_editable
            and not is_suspended(user))


def can_withdraw_idea(user, idea: Idea) -> bool:
    """Withdrawing is still open to a suspended author: it only takes the idea away."""
    return is_signed_in(user) and idea.author_id == user.id and idea.is_editable


def can_see_revisions(user, idea: Idea) -> bool:
    """The edit history is for moderators (facilitators of the community, admins) and managers."""
    return is_signed_in(user) and (user.is_manager or can_moderate(user, idea.community))


def can_take_part(user, idea: Idea) -> bool:
    """Support or comment: the idea is visible, still open, neither hidden nor locked by the
    moderation, in a live community; in a private community only members take part
    (management reads, members discuss). A suspended agent reads but does not take part."""
    if (not can_view_idea(user, idea) or idea.is_closed or idea.community.is_archived
            or idea.hidden_at is not None or idea.locked_at is not None
            or is_suspended(user)):
        return False
    return not idea.community.is_private or is_member(user, idea.community)
