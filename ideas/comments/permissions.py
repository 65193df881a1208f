"""Who may comment, see, edit and delete comments."""

from ideas.accounts.permissions import is_signed_in
from ideas.comments.models import Comment
from ideas.communities.permissions import can_moderate
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_take_part, can_view_idea
from ideas.moderation.suspensions import is_suspended


def can_comment(user, idea: Idea) -> bool:
    return can_take_part(user, idea)


def can_view_comment(user, comment: Comment) -> bool:
    """The text of a comment hidden by the moderation is for its author and the community's
    moderators; the thread shows the others a "Masqué par la modération" placeholder."""
    idea = db.session.get(Idea, comment.idea_id)
    if idea is None or not can_view_idea(user, idea):
        return False
    return (comment.hidden_at is None or comment.author_id == user.id
            or can_moderate(user, idea.community))


def can_edit_comment(user, comment: Comment) -> bool:
    return (is_signed_in(user) and comment.author_id == user.id and not comment.is_deleted
            and comment.hidden_at is None and not is_suspended(user))


def can_delete_comment(user, comment: Comment) -> bool:
    """Deleting stays open to a suspended author, and for a hidden comment: it only removes."""
    return is_signed_in(user) and comment.author_id == user.id and not comment.is_deleted
