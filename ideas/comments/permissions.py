"""Who may comment, edit and delete comments."""

from ideas.accounts.permissions import is_signed_in
from ideas.comments.models import Comment
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_take_part


def can_comment(user, idea: Idea) -> bool:
    return can_take_part(user, idea)


def can_edit_comment(user, comment: Comment) -> bool:
    return is_signed_in(user) and comment.author_id == user.id and not comment.is_deleted


def can_delete_comment(user, comment: Comment) -> bool:
    return can_edit_comment(user, comment)
