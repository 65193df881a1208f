"""Read-side queries for ideas. `visible_ideas_filter` is THE visibility rule for every list
(lists, search, exports): each list page is one query for the rows plus one count, and one query
per eager-loaded collection, whatever the number of ideas."""

from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import and_, false, or_, true
from sqlalchemy.orm import joinedload, selectinload

from ideas.accounts.permissions import is_signed_in
from ideas.communities.models import Community, MemberRole, Membership, MembershipStatus
from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation.models import (
    SDG_NUMBERS,
    Idea,
    IdeaRevision,
    IdeaSdg,
    IdeaStatus,
    idea_themes,
)
from ideas.ideation.permissions import can_post_idea
from ideas.pagination import PageCursor, paginate_ids
from ideas.reference.models import Territory
from ideas.utils import utcnow
from ideas.votes.models import Vote

SORTS = ("recent", "supported", "commented", "trending")
SCOPES = ("mine", "followed")
STATUSES = tuple(status.value for status in IdeaStatus)
TRENDING_DAYS = 14


def member_community_ids(user):
    """Subquery: the communities where the user is an active member."""
    return db.select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)


def moderated_community_ids(user):
    """Subquery: the communities the user facilitates (admins moderate every community)."""
    return db.select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE,
        Membership.role == MemberRole.FACILITATOR)


def unhidden_ideas_filter(user):
    """Not hidden by the moderation, unless the user wrote it or moderates its community."""
    if user.is_admin:
        return true()
    return or_(Idea.hidden_at.is_(None), Idea.author_id == user.id,
               Idea.community_id.in_(moderated_community_ids(user)))


def visible_ideas_filter(user):
    """Ideas of open communities, of private ones the user belongs to, and every idea for
    management (managers, admins), minus the hidden ones (but for their author and the
    community's moderators): the same rule as `can_view_idea`, as SQL."""
    if not is_signed_in(user):
        return false()
    if user.is_manager:
        return unhidden_ideas_filter(user)
    readable = db.select(Community.id).where(or_(Community.is_private.is_(False),
                                                 Community.id.in_(member_community_ids(user))))
    return and_(Idea.community_id.in_(readable), unhidden_ideas_filter(user))


@dataclass
class IdeaFilters:
    """What the query string may ask for; anything else was dropped by the view (allow-list)."""

    sort: str = "recent"
    theme: int | None = None
    status: str | None = None
    community: int | None = None
    territory: int | None = None
    sdg: int | None = None
    scope: str | None = None

    @property
    def active(self) -> bool:
        return any(value for key, value in asdict(self).items() if key != "sort")

    def args(self) -> dict:
        """The filters as query arguments, defaults left out: URLs stay short and shareable."""
        return {key: value for key, value in asdict(self).items()
                if value and not (key == "sort" and value == "recent")}


def _filtered(stmt, user, filters: IdeaFilters, community: Community | None):
    if community is not None:
        stmt = stmt.where(Idea.community_id == community.id)
    elif filters.community:
        stmt = stmt.where(Idea.community_id == filters.community)
    if filters.status in STATUSES:
        stmt = stmt.where(Idea.status == IdeaStatus(filters.status))
    elif filters.scope != "mine":
        # A withdrawn idea leaves the lists (its page stays); its author still finds it in "mine".
        stmt = stmt.where(Idea.status != IdeaStatus.WITHDRAWN)
    if filters.theme:
        stmt = stmt.where(Idea.id.in_(db.select(idea_themes.c.idea_id).where(
            idea_themes.c.theme_id == filters.theme)))
    if filters.sdg in SDG_NUMBERS:
        stmt = stmt.where(Idea.id.in_(db.select(IdeaSdg.idea_id).where(
            IdeaSdg.sdg == filters.sdg)))
    if filters.territory and community is None:
        # A directorate includes the Ateliers under it.
        territories = db.select(Territory.id).where(or_(Territory.id == filters.territory,
                                                        Territory.parent_id == filters.territory))
        stmt = stmt.where(Idea.community_id.in_(db.select(Community.id).where(
            Community.territory_id.in_(territories))))
    if filters.scope == "mine":
        stmt = stmt.where(Idea.author_id == user.id)
    elif filters.scope == "followed":
        stmt = stmt.where(Idea.id.in_(db.select(IdeaFollow.idea_id).where(
            IdeaFollow.user_id == user.id)))
    return stmt


def _seek_columns(sort: str) -> tuple:
    """The sort keys, all descending, that `_sorted` orders by and a next page is sought after
    (`ideas.pagination.PageCursor`). "trending" has none: its first key is computed per
    request from the last 14 days' supports, no index holds it and it moves every day, so its
    pages keep OFFSET."""
    if sort == "supported":
        return (Idea.vote_count, Idea.created_at, Idea.id)
    if sort == "commented":
        return (Idea.comment_count, Idea.created_at, Idea.id)
    if sort == "trending":
        return ()
    return (Idea.created_at, Idea.id)


def _sorted(stmt, sort: str):
    if sort == "trending":
        recent = (db.select(Vote.idea_id, db.func.count().label("supports"))
                  .where(Vote.created_at >= utcnow() - timedelta(days=TRENDING_DAYS))
                  .group_by(Vote.idea_id).subquery())
        return (stmt.outerjoin(recent, recent.c.idea_id == Idea.id)
                .order_by(db.func.coalesce(recent.c.supports, 0).desc(),
                          Idea.vote_count.desc(), Idea.created_at.desc(), Idea.id.desc()))
    return stmt.order_by(*(column.desc() for column in _seek_columns(sort)))


def with_card_details(stmt):
    """What a card shows, loaded in a fixed number of queries."""
    return stmt.options(joinedload(Idea.community), joinedload(Idea.author),
                        selectinload(Idea.themes))


def search_ideas(user, filters: IdeaFilters, page: int, per_page: int,
                 community: Community | None = None, cursor: PageCursor | None = None):
    """One page: ids first (counted, sorted and skipped in the listing indexes, rows never
    read), then that page's ideas with their card details. A page past the end (`?page=9999`,
    an old link) shows the last page, not an empty list. `cursor`: the previous page's end
    (the "next page" links), sought rather than skipped to; `next_cursor` the next one's."""
    ids = _filtered(db.select(Idea.id).where(visible_ideas_filter(user)), user, filters,
                    community)
    # Ideas pinned by the moderation come first in their community, last pinned first; apart,
    # so that the others keep the order of the community's index.
    pinned = Idea.pinned_at.is_not(None) if community is not None else None
    return paginate_ids(_sorted(ids, filters.sort), lambda page_ids: with_card_details(
        db.select(Idea).where(Idea.id.in_(page_ids))), page, per_page, first=pinned,
        first_order=(Idea.pinned_at.desc(), Idea.id.desc()), seek=_seek_columns(filters.sort),
        cursor=cursor)


def get_idea(idea_id: int) -> Idea | None:
    """One idea with everything its page shows."""
    return db.session.scalar(
        db.select(Idea).where(Idea.id == idea_id).options(
            joinedload(Idea.community).joinedload(Community.territory),
            joinedload(Idea.author), selectinload(Idea.themes), selectinload(Idea.tags),
            selectinload(Idea.sdg_links)))


def revisions_of(idea: Idea) -> list[IdeaRevision]:
    """Previous versions, newest first."""
    return list(db.session.scalars(
        db.select(IdeaRevision).where(IdeaRevision.idea_id == idea.id)
        .options(joinedload(IdeaRevision.editor))
        .order_by(IdeaRevision.created_at.desc(), IdeaRevision.id.desc())))


def visible_communities(user) -> list[tuple[int, str]]:
    """Communities whose ideas the user may read, (id, name): the choices of the community
    filter (two columns, not the rows with their descriptions)."""
    stmt = db.select(Community.id, Community.name).order_by(Community.name)
    if not user.is_manager:
        stmt = stmt.where(or_(Community.is_private.is_(False),
                              Community.id.in_(member_community_ids(user))))
    return [tuple(row) for row in db.session.execute(stmt)]


def communities_for_posting(user) -> list[Community]:
    """Where the user may post an idea (`can_post_idea`, checked on each row)."""
    stmt = (db.select(Community).where(Community.archived_at.is_(None), or_(
        Community.is_private.is_(False), Community.id.in_(member_community_ids(user))))
        .order_by(Community.name))
    return [c for c in db.session.scalars(stmt) if can_post_idea(user, c)]
