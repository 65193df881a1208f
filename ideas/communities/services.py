"""Community use cases. They add and flush; the caller commits.

`member_count` counts active memberships and changes only through `_count`, an SQL increment,
so two agents joining at once cannot lose an update.
"""

from flask_babel import lazy_gettext as _l

from ideas.accounts import services as accounts
from ideas.accounts.models import Invitation, User
from ideas.accounts.signals import invitation_accepted
from ideas.communities.models import (
    Community,
    MemberRole,
    Membership,
    MembershipStatus,
    community_themes,
)
from ideas.communities.permissions import forget_memberships
from ideas.communities.signals import join_requested
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.reference.models import Theme
from ideas.utils import clean_line, clean_text, slugify, utcnow

ARCHIVED = _l("Cette communauté est archivée : elle ne reçoit plus de nouveaux membres.")


def _count(community: Community, delta: int) -> None:
    db.session.execute(db.update(Community).where(Community.id == community.id)
                       .values(member_count=Community.member_count + delta))
    db.session.expire(community, ["member_count"])


def _unique_slug(name: str, exclude_id: int | None = None) -> str:
    base = slugify(name)
    slug, n = base, 2
    while db.session.scalar(db.select(Community.id).where(
            Community.slug == slug, Community.id != (exclude_id or 0))):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_fields(community: Community, *, name, description, is_private, territory_id,
                theme_ids) -> None:
    name = clean_line(name)
    if not name:
        raise DomainError(_l("Indiquez le nom de la communauté."), field="name")
    duplicate = db.session.scalar(db.select(Community.id).where(
        db.func.lower(Community.name) == name.lower(), Community.id != (community.id or 0)))
    if duplicate:
        raise DomainError(_l("Une communauté porte déjà ce nom."), field="name")
    community.name = name
    community.description = clean_text(description)
    community.is_private = bool(is_private)
    community.territory_id = territory_id
    community.themes = list(db.session.scalars(
        db.select(Theme).where(Theme.id.in_(theme_ids or [])))) if theme_ids else []


def create_community(creator: User, **fields) -> Community:
    community = Community(created_by_id=creator.id)
    _set_fields(community, **fields)
    community.slug = _unique_slug(community.name)
    db.session.add(community)
    db.session.flush()
    return community


def update_community(community: Community, **fields) -> None:
    _set_fields(community, **fields)
    db.session.flush()


def archive_community(community: Community) -> None:
    community.archived_at = community.archived_at or utcnow()
    db.session.flush()


def restore_community(community: Community) -> None:
    community.archived_at = None
    db.session.flush()


def _add_membership(user: User, community: Community, status: MembershipStatus,
                    role: MemberRole = MemberRole.MEMBER, message: str = "") -> Membership:
    membership = Membership(user_id=user.id, community_id=community.id, status=status,
                            role=role, message=clean_text(message)[:500],
                            decided_at=utcnow() if status == MembershipStatus.ACTIVE else None)
    db.session.add(membership)
    db.session.flush()
    if status == MembershipStatus.ACTIVE:
        _count(community, +1)
    forget_memberships()
    return membership


def _existing(user: User, community: Community) -> Membership | None:
    return db.session.scalar(db.select(Membership).filter_by(user_id=user.id,
                                                             community_id=community.id))


def join(user: User, community: Community) -> Membership:
    """Join an open community (idempotent)."""
    if community.is_private:
        raise DomainError(_l("Cette communauté est privée : demandez à la rejoindre."))
    if community.is_archived:
        raise DomainError(ARCHIVED)
    membership = _existing(user, community)
    if membership is not None:
        return membership
    return _add_membership(user, community, MembershipStatus.ACTIVE)


def request_to_join(user: User, community: Community, message: str = "") -> Membership:
    if not community.is_private:
        return join(user, community)
    if community.is_archived:
        raise DomainError(ARCHIVED)
    membership = _existing(user, community)
    if membership is not None:
        return membership
    membership = _add_membership(user, community, MembershipStatus.PENDING, message=message)
    join_requested.send(membership, user=user, community=community)
    return membership


def leave(user: User, community: Community) -> None:
    membership = _existing(user, community)
    if membership is None:
        return
    if membership.is_active:
        _count(community, -1)
    db.session.delete(membership)
    db.session.flush()
    forget_memberships()


def _pending(community: Community, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if (membership is None or membership.community_id != community.id
            or membership.status != MembershipStatus.PENDING):
        raise DomainError(_l("Cette demande n'existe plus ou a déjà été traitée."))
    return membership


def approve_request(community: Community, membership_id: int) -> Membership:
    membership = _pending(community, membership_id)
    membership.status = MembershipStatus.ACTIVE
    membership.decided_at = utcnow()
    db.session.flush()
    _count(community, +1)
    return membership


def reject_request(community: Community, membership_id: int) -> None:
    db.session.delete(_pending(community, membership_id))
    db.session.flush()


def remove_member(community: Community, membership_id: int) -> None:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.community_id != community.id:
        raise DomainError(_l("Ce membre ne fait pas partie de la communauté."))
    leave(membership.user, community)


def set_facilitator(community: Community, user: User, is_facilitator: bool) -> Membership:
    """Appoint (joining them if needed) or relieve a facilitator."""
    membership = _existing(user, community)
    if membership is None:
        membership = _add_membership(user, community, MembershipStatus.ACTIVE)
    elif membership.status == MembershipStatus.PENDING:
        membership.status, membership.decided_at = MembershipStatus.ACTIVE, utcnow()
        _count(community, +1)
    membership.role = MemberRole.FACILITATOR if is_facilitator else MemberRole.MEMBER
    db.session.flush()
    forget_memberships()
    return membership


def invite(community: Community, email: str, invited_by: User) -> tuple[str, str | None]:
    """Add an existing agent at once, or create an emailed invitation.

    Returns ("added", None) or ("invited", token)."""
    user = accounts.get_user_by_email(email)
    if user is not None and not user.is_invited:
        if not user.is_active:
            raise DomainError(_l("Ce compte est désactivé."), field="email")
        membership = _existing(user, community)
        if membership is not None and membership.is_active:
            raise DomainError(_l("Cet agent est déjà membre de la communauté."), field="email")
        if membership is not None:
            approve_request(community, membership.id)
        else:
            _add_membership(user, community, MembershipStatus.ACTIVE)
        return "added", None
    _invitation, token = accounts.create_invitation(email, invited_by, community.id)
    return "invited", token


@invitation_accepted.connect
def _join_invited_community(invitation: Invitation, user: User, **_kwargs) -> None:
    """An invitation into a community makes its holder a member, private community or not."""
    if invitation.community_id is None:
        return
    community = db.session.get(Community, invitation.community_id)
    if community is None or community.is_archived:
        return
    membership = _existing(user, community)
    if membership is None:
        _add_membership(user, community, MembershipStatus.ACTIVE)
    elif membership.status == MembershipStatus.PENDING:
        approve_request(community, membership.id)


def theme_ids_of(community: Community) -> list[int]:
    return list(db.session.scalars(db.select(community_themes.c.theme_id).where(
        community_themes.c.community_id == community.id)))
