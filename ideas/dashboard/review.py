"""The management review: ideas waiting for a decision (in review, selected, piloting) and the
ones adopted lately, filtered and sorted. Managers and admins see every community; a
facilitator, only the communities they facilitate — in the page and in the export alike,
because both read `review_statement`."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import false, func, or_, select, true
from sqlalchemy.orm import defer, selectinload

from ideas.communities.models import Community
from ideas.dashboard.permissions import facilitated_community_ids
from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus, idea_themes
from ideas.ideation.queries import unhidden_ideas_filter
from ideas.offer.models import Service, service_ideas
from ideas.pagination import paginate_ids
from ideas.reference.models import Territory

TO_DECIDE = (IdeaStatus.IN_REVIEW, IdeaStatus.SELECTED, IdeaStatus.PILOTING)
RECENT_ADOPTION_DAYS = 90
STATUSES = tuple(status.value for status in (*TO_DECIDE, IdeaStatus.ADOPTED))
SORTS = ("waiting", "recent", "oldest", "supported")
AGES = (7, 30, 90, 180, 365)
AGE_BASES = ("changed", "posted")


@dataclass
class ReviewFilters:
    """What the query string may ask for; the view dropped anything else (allow-list)."""

    status: str | None = None
    community: int | None = None
    territory: int | None = None
    theme: int | None = None
    age: int | None = None  # at least this many days…
    since: str = "changed"  # …since the last status change, or since posting
    sort: str = "waiting"

    @property
    def active(self) -> bool:
        return any((self.status, self.community, self.territory, self.theme, self.age))

    def args(self) -> dict:
        defaults = ReviewFilters()
        return {key: value for key, value in asdict(self).items()
                if value is not None and value != getattr(defaults, key)}


def scope(user):
    """The ideas this reviewer may see here: everything for management, else the ideas of the
    communities they facilitate (an open community they only belong to is not theirs)."""
    if user.is_manager:
        return true()
    communities = facilitated_community_ids(user)
    return Idea.community_id.in_(communities) if communities else false()


def last_change():
    """When the idea last changed state: its posting when it never did."""
    return func.coalesce(Idea.status_changed_at, Idea.created_at)


def _conditions(user, filters: ReviewFilters, now: datetime) -> list:
    recently = now - timedelta(days=RECENT_ADOPTION_DAYS)
    # Ideas hidden by the moderation stay out, but for those who moderate their community.
    conditions = [scope(user), unhidden_ideas_filter(user), or_(
        Idea.status.in_(TO_DECIDE),
        (Idea.status == IdeaStatus.ADOPTED) & (Idea.status_changed_at >= recently))]
    if filters.status:
        conditions.append(Idea.status == IdeaStatus(filters.status))
    if filters.community:
        conditions.append(Idea.community_id == filters.community)
    if filters.territory:
        # A directorate stands for the Ateliers under it, as in the idea lists.
        territories = select(Territory.id).where(or_(Territory.id == filters.territory,
                                                     Territory.parent_id == filters.territory))
        conditions.append(Idea.community_id.in_(
            select(Community.id).where(Community.territory_id.in_(territories))))
    if filters.theme:
        conditions.append(Idea.id.in_(select(idea_themes.c.idea_id).where(
            idea_themes.c.theme_id == filters.theme)))
    if filters.age:
        since = Idea.created_at if filters.since == "posted" else last_change()
        conditions.append(since <= now - timedelta(days=filters.age))
    return conditions


def _order(sort: str) -> tuple:
    if sort == "recent":
        return Idea.created_at.desc(), Idea.id.desc()
    if sort == "oldest":
        return Idea.created_at, Idea.id
    if sort == "supported":
        return Idea.vote_count.desc(), Idea.created_at, Idea.id
    return last_change(), Idea.id  # waiting longest first


def _with_details(stmt):
    """What the table shows, loaded by separate IN queries: no join, and not the ideas' text
    (joined or wide rows would all go through the sort before LIMIT keeps one page)."""
    return stmt.options(defer(Idea.body), defer(Idea.body_html),
                        selectinload(Idea.community).joinedload(Community.territory),
                        selectinload(Idea.themes))


def review_statement(user, filters: ReviewFilters, now: datetime):
    """Every matching idea with its details, in order: the export."""
    return _with_details(select(Idea).where(*_conditions(user, filters, now))
                         .order_by(*_order(filters.sort)))


def services_of(ideas: list[Idea]) -> dict[int, list[Service]]:
    """The services each adopted idea became: one query for the page."""
    ids = [idea.id for idea in ideas if idea.status == IdeaStatus.ADOPTED]
    found: dict[int, list[Service]] = {}
    if ids:
        for idea_id, service in db.session.execute(
                select(service_ideas.c.idea_id, Service)
                .join(Service, Service.id == service_ideas.c.service_id)
                .where(service_ideas.c.idea_id.in_(ids)).order_by(Service.name)):
            found.setdefault(idea_id, []).append(service)
    return found


def review_page(user, filters: ReviewFilters, page: int, per_page: int, now: datetime):
    """A page past the end shows the last page, as in every list (ideas.pagination)."""
    ids = select(Idea.id).where(*_conditions(user, filters, now)).order_by(*_order(filters.sort))
    return paginate_ids(ids, lambda page_ids: _with_details(select(Idea).where(
        Idea.id.in_(page_ids))), page, per_page)


def review_communities(user) -> list[Community]:
    """The choices of the community filter: the reviewer's scope."""
    stmt = select(Community).order_by(Community.name)
    if not user.is_manager:
        stmt = stmt.where(Community.id.in_(facilitated_community_ids(user) or [0]))
    return list(db.session.scalars(stmt))
