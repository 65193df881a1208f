"""Comment use cases: post (or reply), edit, soft delete. They add and flush; the view commits.

`Idea.comment_count` counts the comments that are not deleted, replies included. It changes only
through `_count`, an SQL increment in the same transaction as the row it counts, and a delete
decrements it only when its own UPDATE actually moved `deleted_at` from NULL: two tabs deleting
the same comment at once cannot decrement twice.
"""

from flask_babel import lazy_gettext as _l

from ideas import idempotency
from ideas.accounts.permissions import is_signed_in
from ideas.comments.models import COMMENT_MAX, Comment
from ideas.comments.permissions import can_comment, can_delete_comment, can_edit_comment
from ideas.comments.signals import comment_edited, comment_posted
from ideas.communities.permissions import is_member
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea
from ideas.markdown import render_markdown
from ideas.moderation.suspensions import is_suspended, suspended_message
from ideas.utils import clean_text, utcnow

EMPTY = _l("Écrivez votre commentaire avant de l'envoyer.")
TOO_LONG = _l("Le commentaire ne doit pas dépasser 10 000 caractères.")


class CommentRefused(DomainError):
    """A refusal that is not about the text typed; `status` is the HTTP answer the view gives
    (404 hides what the user may not see, 403 is a missing right, 409 a state that forbids it)."""

    def __init__(self, message, status: int = 409):
        super().__init__(message)
        self.status = status


def clean_body(body: str | None) -> str:
    """The text as stored: NFC, trimmed, without NUL (PostgreSQL refuses it in text columns)."""
    text = clean_text((body or "").replace("\x00", "").replace("\r\n", "\n"))
    if not text:
        raise DomainError(EMPTY, field="body")
    if len(text) > COMMENT_MAX:
        raise DomainError(TOO_LONG, field="body")
    return text


def _count(idea_id: int, delta: int) -> None:
    db.session.execute(db.update(Idea).where(Idea.id == idea_id)
                       .values(comment_count=Idea.comment_count + delta)
                       .execution_options(synchronize_session=False))
    idea = db.session.get(Idea, idea_id)
    if idea is not None:  # the next read of the counter fetches the SQL result
        db.session.expire(idea, ["comment_count"])


def check_can_comment(user, idea: Idea) -> None:
    """The same rule as `can_comment`, split into reasons the user can act on."""
    if can_comment(user, idea):
        return
    if not is_signed_in(user) or not can_view_idea(user, idea):
        raise CommentRefused(_l("Cette idée n'existe pas ou ne vous est pas accessible."), 404)
    if is_suspended(user):
        raise CommentRefused(suspended_message(), 403)
    if idea.is_hidden:
        raise CommentRefused(_l("Cette idée est masquée par la modération : elle n'accepte plus "
                                "de commentaires."))
    if idea.is_locked:
        raise CommentRefused(_l("Cette idée est verrouillée par la modération : elle n'accepte "
                                "plus de nouveaux commentaires."))
    if idea.is_closed:
        raise CommentRefused(_l("Cette idée est retirée ou fusionnée : elle n'accepte plus de "
                                "commentaires."))
    if idea.community.is_archived:
        raise CommentRefused(_l("Cette communauté est archivée : on ne peut plus y commenter."))
    if idea.community.is_private and not is_member(user, idea.community):
        raise CommentRefused(_l("Seuls les membres de cette communauté privée peuvent "
                                "commenter ses idées."), 403)
    raise CommentRefused(_l("Vous ne pouvez pas commenter cette idée."), 403)


def check_can_reply(user, idea: Idea, parent: Comment) -> None:
    check_can_comment(user, idea)
    if parent.idea_id != idea.id:
        raise CommentRefused(_l("Le commentaire auquel vous répondez n'existe pas dans cette "
                                "idée."), 404)
    if parent.is_deleted:
        raise CommentRefused(_l("Ce commentaire a été supprimé : on ne peut plus y répondre."))


def _thread_parent(parent: Comment | None) -> Comment | None:
    """Replies are one level deep: answering a reply answers its top-level comment."""
    if parent is not None and parent.parent_id is not None:
        return db.session.get(Comment, parent.parent_id)
    return parent


def post_comment(user, idea: Idea, body: str, parent: Comment | None = None,
                 submission_token: str | None = None) -> Comment:
    """`submission_token` (ideas.idempotency) is the form's: posted twice, it gives the comment
    of its first post (checked first: a retry gets it even if the rules changed since)."""
    comment, _created = idempotency.create_once(
        Comment, user.id, submission_token,
        lambda: _new_comment(user, idea, body, parent, submission_token))
    return comment


def _new_comment(user, idea: Idea, body: str, parent: Comment | None,
                 submission_token: str | None) -> Comment:
    if parent is None:
        check_can_comment(user, idea)
    else:
        check_can_reply(user, idea, parent)
    text = clean_body(body)
    parent = _thread_parent(parent)
    comment = Comment(idea_id=idea.id, author_id=user.id, author=user,
                      parent_id=parent.id if parent else None, submission_token=submission_token,
                      body=text, body_html=render_markdown(text), created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    _count(idea.id, +1)
    comment_posted.send(comment, idea=idea, author=user)
    return comment


def _check_author(user, comment: Comment, check) -> None:
    if check(user, comment):
        return
    if comment.is_deleted:
        raise CommentRefused(_l("Ce commentaire a été supprimé."))
    if is_signed_in(user) and comment.author_id == user.id:
        if comment.is_hidden:
            raise CommentRefused(_l("Ce commentaire est masqué par la modération : il ne peut "
                                    "plus être modifié."))
        if is_suspended(user):
            raise CommentRefused(suspended_message(), 403)
    raise CommentRefused(_l("Seul l'auteur ou l'autrice d'un commentaire peut le modifier ou le "
                            "supprimer."), 403)


def check_can_edit(user, comment: Comment) -> None:
    _check_author(user, comment, can_edit_comment)


def edit_comment(user, comment: Comment, body: str) -> Comment:
    check_can_edit(user, comment)
    text = clean_body(body)
    if text != comment.body:
        comment.body = text
        comment.body_html = render_markdown(text)
        comment.edited_at = utcnow()
        db.session.flush()
        comment_edited.send(comment, idea=db.session.get(Idea, comment.idea_id), editor=user)
    return comment


def delete_comment(user, comment: Comment) -> None:
    """Soft delete: the row stays (its replies hang on it) but its text leaves every page."""
    _check_author(user, comment, can_delete_comment)
    now = utcnow()
    result = db.session.execute(
        db.update(Comment).where(Comment.id == comment.id, Comment.deleted_at.is_(None))
        .values(deleted_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # deleted meanwhile by another request: count it once only
        db.session.expire(comment, ["deleted_at"])
        raise CommentRefused(_l("Ce commentaire a été supprimé."))
    db.session.expire(comment, ["deleted_at"])
    # A comment hidden by the moderation already left the count; read in SQL, after our UPDATE
    # locked the row, so a concurrent hide (which needs deleted_at NULL) cannot count twice.
    hidden = db.session.scalar(db.select(Comment.hidden_at.is_not(None))
                               .where(Comment.id == comment.id))
    if not hidden:
        _count(comment.idea_id, -1)
