"""Read-side queries for communities: each list is one query plus one count, whatever its size."""

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from ideas.accounts.models import User
from ideas.communities.models import (
    Community,
    MemberRole,
    Membership,
    MembershipStatus,
    community_themes,
)
from ideas.extensions import db
from ideas.pagination import paginate

VISIBILITIES = ("open", "private")


@dataclass
class CommunityFilters:
    q: str = ""
    theme: int | None = None
    territory: int | None = None
    visibility: str | None = None
    archived: bool = False

    @property
    def active(self) -> bool:
        return bool(self.q or self.theme or self.territory or self.visibility or self.archived)


def _with_details(stmt):
    return stmt.options(selectinload(Community.themes), selectinload(Community.territory))


def search_communities(filters: CommunityFilters, page: int, per_page: int):
    stmt = db.select(Community)
    if filters.archived:
        stmt = stmt.where(Community.archived_at.is_not(None))
    else:
        stmt = stmt.where(Community.archived_at.is_(None))
    if filters.q:
        # autoescape: a typed % or _ is searched for, not a LIKE wildcard
        q = filters.q.lower()
        stmt = stmt.where(db.or_(db.func.lower(Community.name).contains(q, autoescape=True),
                                 db.func.lower(Community.description).contains(
                                     q, autoescape=True)))
    if filters.theme:
        stmt = stmt.where(Community.id.in_(db.select(community_themes.c.community_id).where(
            community_themes.c.theme_id == filters.theme)))
    if filters.territory:
        stmt = stmt.where(Community.territory_id == filters.territory)
    if filters.visibility in VISIBILITIES:
        stmt = stmt.where(Community.is_private.is_(filters.visibility == "private"))
    stmt = _with_details(stmt.order_by(Community.member_count.desc(), Community.name))
    return paginate(stmt, page, per_page)


def communities_of(user: User, include_pending: bool = False) -> list[Community]:
    stmt = (db.select(Community).join(Membership).where(Membership.user_id == user.id)
            .order_by(Community.name))
    if not include_pending:
        stmt = stmt.where(Membership.status == MembershipStatus.ACTIVE)
    return list(db.session.scalars(_with_details(stmt)))


def facilitators_of(community: Community) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(Membership).where(
            Membership.community_id == community.id,
            Membership.role == MemberRole.FACILITATOR,
            Membership.status == MembershipStatus.ACTIVE).order_by(User.display_name)))


def members_page(community: Community, page: int, per_page: int, q: str = ""):
    stmt = (db.select(Membership).join(User).where(
        Membership.community_id == community.id,
        Membership.status == MembershipStatus.ACTIVE)
        .options(selectinload(Membership.user).selectinload(User.territory))
        .order_by(Membership.role, User.display_name))  # facilitators first
    if q:
        stmt = stmt.where(db.func.lower(User.display_name).contains(q.lower(), autoescape=True))
    return paginate(stmt, page, per_page)


def pending_requests(community: Community) -> list[Membership]:
    return list(db.session.scalars(
        db.select(Membership).where(Membership.community_id == community.id,
                                    Membership.status == MembershipStatus.PENDING)
        .options(selectinload(Membership.user)).order_by(Membership.created_at)))


def get_by_slug(slug: str) -> Community | None:
    return db.session.scalar(_with_details(db.select(Community).filter_by(slug=slug)))
