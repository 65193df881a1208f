"""The domains' events turned into notifications. Each receiver runs inside the service that
sent the event (same transaction: the service flushes, the view commits), lists the recipients,
most specific reason first, and leaves the rest to `services.notify_many`, which drops the actor
and anyone who may not see the item."""

from ideas.accounts.models import Role, User
from ideas.comments.models import Comment
from ideas.comments.signals import comment_edited, comment_posted
from ideas.communities.models import Community, MemberRole, Membership, MembershipStatus
from ideas.communities.signals import join_requested
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea, IdeaStatus
from ideas.ideation.signals import idea_posted
from ideas.moderation.signals import content_moderated, report_filed
from ideas.notifications import mentions
from ideas.notifications.kinds import Kind
from ideas.notifications.services import notify_many
from ideas.offer.models import Service
from ideas.workflow.signals import idea_moved

# Moderation actions the author hears about (a dismissed report was never their concern; a
# merge is told by the workflow).
TOLD_ACTIONS = {"hide", "auto_hide", "restore", "lock", "unlock", "pin", "unpin", "edit_title"}


def _followers(idea: Idea) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(IdeaFollow, IdeaFollow.user_id == User.id)
        .where(IdeaFollow.idea_id == idea.id).order_by(User.id)))


def _community_followers(community: Community) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(CommunityFollow, CommunityFollow.user_id == User.id)
        .where(CommunityFollow.community_id == community.id).order_by(User.id)))


def _facilitators(community: Community) -> list[User]:
    """Who handles a community's requests and reports; the admins when it has no facilitator,
    so nothing waits unseen."""
    users = list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.community_id == community.id,
            Membership.role == MemberRole.FACILITATOR,
            Membership.status == MembershipStatus.ACTIVE).order_by(User.id)))
    return users or list(db.session.scalars(
        db.select(User).where(User.role == Role.ADMIN, User.is_active).order_by(User.id)))


@comment_posted.connect
def _on_comment(comment: Comment, *, idea: Idea, author: User, **_kwargs) -> None:
    mentioned = mentions.record_mentions(
        comment, mentions.resolve_mentions(comment.body, idea, author))
    entries = [(user, Kind.MENTION) for user in mentioned]
    if comment.parent_id is not None:
        parent = db.session.get(Comment, comment.parent_id)
        if parent is not None and not parent.is_deleted and parent.author is not None:
            entries.append((parent.author, Kind.REPLY_TO_MY_COMMENT))
    if idea.author is not None:
        entries.append((idea.author, Kind.COMMENT_ON_MY_IDEA))
    entries += [(user, Kind.COMMENT_ON_FOLLOWED_IDEA) for user in _followers(idea)]
    notify_many(entries, actor=author, idea=idea, comment=comment)


@comment_edited.connect
def _on_comment_edited(comment: Comment, *, idea: Idea, editor: User, **_kwargs) -> None:
    """A name added by an edit is a new mention; those already told are not told again; a name
    taken out is no longer a mention, and its unread notification goes."""
    named = mentions.resolve_mentions(comment.body, idea, editor)
    mentions.withdraw_mentions(comment, named)
    mentioned = mentions.record_mentions(comment, named)
    notify_many([(user, Kind.MENTION) for user in mentioned], actor=editor, idea=idea,
                comment=comment)


@idea_posted.connect
def _on_idea(idea: Idea, *, author: User, **_kwargs) -> None:
    followers = _community_followers(idea.community)
    notify_many([(user, Kind.NEW_IDEA_IN_COMMUNITY) for user in followers], actor=author,
                idea=idea)


@idea_moved.connect
def _on_move(change, *, idea: Idea, actor: User | None, **_kwargs) -> None:
    adopted = change.to_status == IdeaStatus.ADOPTED
    entries = []
    if idea.author is not None:
        entries.append((idea.author, Kind.MY_IDEA_ADOPTED if adopted else Kind.STATUS_OF_MY_IDEA))
    entries += [(user, Kind.STATUS_OF_FOLLOWED_IDEA) for user in _followers(idea)]
    service = db.session.get(Service, change.service_id) if adopted and change.service_id else None
    notify_many(entries, actor=actor, idea=idea, status_change=change, service=service)


@join_requested.connect
def _on_join_request(membership: Membership, *, user: User, community: Community,
                     **_kwargs) -> None:
    notify_many([(facilitator, Kind.JOIN_REQUEST) for facilitator in _facilitators(community)],
                actor=user, community=community)


def _idea_and_comment(item) -> tuple[Idea, Comment | None]:
    if isinstance(item, Comment):
        return db.session.get(Idea, item.idea_id), item
    return item, None


@content_moderated.connect
def _on_moderation(item, *, actor: User | None = None, action: str = "", reason: str = "",
                   **_kwargs) -> None:
    action = str(action)
    if action not in TOLD_ACTIONS or item.author is None:
        return
    idea, comment = _idea_and_comment(item)
    notify_many([(item.author, Kind.MODERATION_OF_MY_CONTENT)], actor=actor, idea=idea,
                comment=comment, action=action, detail=reason or "")


@report_filed.connect
def _on_report(report, *, item, reporter: User | None = None, **_kwargs) -> None:
    idea, comment = _idea_and_comment(item)
    notify_many([(user, Kind.NEW_REPORT) for user in _facilitators(idea.community)],
                actor=reporter, idea=idea, comment=comment)
