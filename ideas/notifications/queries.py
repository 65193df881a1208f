"""Reading notifications: the unread count (one COUNT query, for the bell), the centre's page,
one notification. `visible` is the SQL twin of `permissions.can_see_notification`, so the count
never includes what the page would not show."""

from sqlalchemy import and_, exists, or_, true
from sqlalchemy.orm import selectinload

from ideas.comments.models import Comment
from ideas.communities.models import Community, MemberRole, Membership, MembershipStatus
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.notifications.kinds import Kind
from ideas.notifications.models import Notification
from ideas.notifications.permissions import can_see_notification
from ideas.pagination import paginate

FACILITATION_KINDS = (Kind.JOIN_REQUEST, Kind.NEW_REPORT)
# What the moderation tells an item's author, or asks its moderators, survives the hiding.
ABOUT_HIDDEN_KINDS = (Kind.MODERATION_OF_MY_CONTENT, Kind.NEW_REPORT)


def visible(user):
    """The notifications of `user` they may still see, as one WHERE clause."""
    n = Notification
    membership = and_(Membership.user_id == user.id, Membership.community_id == n.community_id,
                      Membership.status == MembershipStatus.ACTIVE)
    facilitates = exists().where(membership, Membership.role == MemberRole.FACILITATOR)
    conditions = [n.user_id == user.id]
    if not user.is_manager:  # management reads every community
        conditions.append(or_(
            n.community_id.is_(None),
            exists().where(Community.id == n.community_id, Community.is_private.is_(False)),
            exists().where(membership)))
    conditions.append(or_(
        n.kind.not_in(FACILITATION_KINDS),
        and_(n.kind == Kind.JOIN_REQUEST, true() if user.is_manager else facilitates),
        and_(n.kind == Kind.NEW_REPORT, true() if user.is_admin else facilitates)))
    conditions.append(or_(
        n.idea_id.is_(None), n.kind.in_(ABOUT_HIDDEN_KINDS),
        exists().where(Idea.id == n.idea_id, Idea.hidden_at.is_(None))))
    conditions.append(or_(
        n.comment_id.is_(None),
        exists().where(Comment.id == n.comment_id, Comment.deleted_at.is_(None),
                       or_(Comment.hidden_at.is_(None), n.kind.in_(ABOUT_HIDDEN_KINDS)))))
    return and_(*conditions)


def unread_count(user) -> int:
    return db.session.scalar(db.select(db.func.count(Notification.id)).where(
        visible(user), Notification.read_at.is_(None))) or 0


def notifications_page(user, page: int, per_page: int):
    stmt = (db.select(Notification).where(visible(user))
            .options(selectinload(Notification.actor),
                     selectinload(Notification.community),
                     selectinload(Notification.idea).selectinload(Idea.community),
                     selectinload(Notification.comment),
                     selectinload(Notification.status_change),
                     selectinload(Notification.service))
            .order_by(Notification.created_at.desc(), Notification.id.desc()))
    pagination = paginate(stmt, page, per_page)
    # The Python rule again (hidden items, roles changed this very request): belt and braces.
    pagination.items = [item for item in pagination.items if can_see_notification(user, item)]
    return pagination


def get_visible(user, notification_id: int) -> Notification | None:
    notification = db.session.get(Notification, notification_id)
    if notification is None or not can_see_notification(user, notification):
        return None
    return notification
