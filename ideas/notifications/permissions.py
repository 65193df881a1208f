"""Who may see a notification. The same rule decides whether one is created, shown in the
centre, opened, and emailed: someone removed from a private community after the fact, or an
item hidden or deleted since, leaves nothing behind (`queries.visible` is its SQL twin, for
counts and pages)."""

from ideas.accounts.permissions import is_signed_in
from ideas.communities.permissions import can_manage_members, can_moderate, can_read_content
from ideas.ideation.permissions import can_view_idea
from ideas.notifications.kinds import Kind


def is_hidden(item) -> bool:
    """Moderation (issue 6) hides ideas and comments: an item whose `is_hidden` is true is hidden
    from everyone but moderators and its author, notifications included."""
    return bool(getattr(item, "is_hidden", False))


def can_see_notification(user, notification) -> bool:
    if not is_signed_in(user) or notification.user_id != user.id:
        return False
    kind = notification.kind
    community = notification.community
    if kind == Kind.JOIN_REQUEST:
        return community is not None and can_manage_members(user, community)
    if kind == Kind.NEW_REPORT:
        # Reports are about hidden or contested items: only their moderators see them.
        return community is not None and can_moderate(user, community) and (
            notification.idea is None or can_view_idea(user, notification.idea))
    # The author is told about the moderation of their own item, hidden or not.
    author_news = kind == Kind.MODERATION_OF_MY_CONTENT
    comment = notification.comment
    if comment is not None and (comment.is_deleted or (is_hidden(comment) and not author_news)):
        return False
    idea = notification.idea
    if idea is not None:
        return can_view_idea(user, idea) and (author_news or not is_hidden(idea))
    if community is not None:
        return can_read_content(user, community)
    return True


def can_manage_notifications(user) -> bool:
    """The centre and the email preferences: one's own, for any signed-in agent."""
    return is_signed_in(user)
