"""Read side of the moderation: the queue (open reports grouped by item), the navigation badge,
what the current user reported, the audit log, suspensions."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import g
from sqlalchemy import false, func, true
from sqlalchemy.orm import joinedload

from ideas.accounts.models import User
from ideas.accounts.permissions import is_signed_in
from ideas.comments.models import Comment
from ideas.communities.models import Community
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.ideation.queries import moderated_community_ids
from ideas.moderation.models import ActionKind, ModerationAction, Report, Suspension
from ideas.moderation.permissions import can_moderate_anywhere
from ideas.pagination import PageLinks
from ideas.utils import utcnow

QUEUE_SORTS = ("recent", "reports")
_PARIS = "Europe/Paris"


def moderation_scope(user, column, community: Community | None = None):
    """SQL condition on a community id column: this community, else every community the user
    moderates (all for admins)."""
    if community is not None:
        return column == community.id
    if not is_signed_in(user):
        return false()
    if user.is_admin:
        return true()
    return column.in_(moderated_community_ids(user))


# -- Badge

def open_reports_badge(user) -> int:
    """Open reports in the user's communities: one COUNT, once per request, and none at all for
    agents who moderate nothing."""
    if not can_moderate_anywhere(user):
        return 0
    cache = g.setdefault("_moderation_badge", {})
    if user.id not in cache:
        cache[user.id] = db.session.scalar(
            db.select(func.count()).select_from(Report).where(
                Report.resolved_at.is_(None), moderation_scope(user, Report.community_id)))
    return cache[user.id]


# -- What the current user reported

def reported_keys(user, keys) -> set[str]:
    """Which of these items (item keys) the user already reported: one query for a page."""
    keys = list(keys)
    if not is_signed_in(user) or not keys:
        return set()
    return set(db.session.scalars(db.select(Report.item_key).where(
        Report.reporter_id == user.id, Report.item_key.in_(keys))))


# -- The queue

@dataclass
class QueueEntry:
    key: str
    item: Idea | Comment
    idea: Idea
    report_count: int
    last_reported_at: datetime
    reasons: Counter = field(default_factory=Counter)  # ReportReason → count
    reports: list[Report] = field(default_factory=list)  # oldest first

    @property
    def kind(self) -> str:
        return "idea" if isinstance(self.item, Idea) else "comment"


@dataclass
class QueuePage(PageLinks):
    entries: list[QueueEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))



def queue(user, community: Community | None, sort: str, page: int, per_page: int) -> QueuePage:
    """Open reports grouped by item: a fixed number of queries whatever the queue's length
    (groups, their count, the ideas, the comments, the reports with their reporters)."""
    grouped = (db.select(Report.item_key, Report.idea_id, Report.comment_id,
                         func.count().label("reports"),
                         func.max(Report.created_at).label("last"))
               .where(Report.resolved_at.is_(None),
                      moderation_scope(user, Report.community_id, community))
               .group_by(Report.item_key, Report.idea_id, Report.comment_id))
    total = db.session.scalar(db.select(func.count()).select_from(grouped.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    order = ((func.count().desc(), func.max(Report.created_at).desc()) if sort == "reports"
             else (func.max(Report.created_at).desc(), func.count().desc()))
    rows = db.session.execute(grouped.order_by(*order, Report.item_key)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    idea_ids = {row.idea_id for row in rows}
    comment_ids = {row.comment_id for row in rows if row.comment_id}
    ideas = {idea.id: idea for idea in db.session.scalars(
        db.select(Idea).where(Idea.id.in_(idea_ids))
        .options(joinedload(Idea.community), joinedload(Idea.author)))} if idea_ids else {}
    comments = {c.id: c for c in db.session.scalars(
        db.select(Comment).where(Comment.id.in_(comment_ids))
        .options(joinedload(Comment.author)))} if comment_ids else {}
    reports: dict[str, list[Report]] = {}
    if rows:
        for report in db.session.scalars(
                db.select(Report).where(Report.item_key.in_([row.item_key for row in rows]),
                                        Report.resolved_at.is_(None))
                .options(joinedload(Report.reporter)).order_by(Report.created_at, Report.id)):
            reports.setdefault(report.item_key, []).append(report)
    entries = []
    for row in rows:
        idea = ideas.get(row.idea_id)
        item = comments.get(row.comment_id) if row.comment_id else idea
        if idea is None or item is None:
            continue
        item_reports = reports.get(row.item_key, [])
        entries.append(QueueEntry(
            key=row.item_key, item=item, idea=idea, report_count=row.reports,
            last_reported_at=row.last, reasons=Counter(r.reason for r in item_reports),
            reports=item_reports))
    return QueuePage(entries, total, page, per_page)


def queue_entry(user, key: str) -> QueueEntry | None:
    """One item as the queue shows it (after an action in place), or None once it has no open
    report left."""
    reports = list(db.session.scalars(
        db.select(Report).where(Report.item_key == key, Report.resolved_at.is_(None),
                                moderation_scope(user, Report.community_id))
        .options(joinedload(Report.reporter)).order_by(Report.created_at, Report.id)))
    if not reports:
        return None
    idea = db.session.get(Idea, reports[0].idea_id)
    item = db.session.get(Comment, reports[0].comment_id) if reports[0].comment_id else idea
    return QueueEntry(key=key, item=item, idea=idea, report_count=len(reports),
                      last_reported_at=max(r.created_at for r in reports),
                      reasons=Counter(r.reason for r in reports), reports=reports)


# -- The audit log

@dataclass
class LogFilters:
    action: str | None = None
    actor: int | None = None
    start: date | None = None  # Paris days, both included
    end: date | None = None

    def args(self) -> dict:
        values = {"action": self.action, "actor": self.actor,
                  "du": self.start.strftime("%d/%m/%Y") if self.start else None,
                  "au": self.end.strftime("%d/%m/%Y") if self.end else None}
        return {key: value for key, value in values.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.args())


def _utc_start_of(day: date) -> datetime:
    """Midnight in Paris of that day, as naive UTC (what the database stores)."""
    from zoneinfo import ZoneInfo

    moment = datetime.combine(day, time.min, tzinfo=ZoneInfo(_PARIS))
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def log_statement(user, community: Community | None, filters: LogFilters):
    """The log lines this user may read: their community's (or all they moderate); admins all,
    suspensions included (they concern no community)."""
    if community is None and is_signed_in(user) and user.is_admin:
        scope = true()
    else:
        scope = moderation_scope(user, ModerationAction.community_id, community)
    stmt = db.select(ModerationAction).where(scope)
    if filters.action in ActionKind.__members__.values():
        stmt = stmt.where(ModerationAction.action == ActionKind(filters.action))
    if filters.actor:
        stmt = stmt.where(ModerationAction.actor_id == filters.actor)
    if filters.start:
        stmt = stmt.where(ModerationAction.created_at >= _utc_start_of(filters.start))
    if filters.end:
        stmt = stmt.where(ModerationAction.created_at
                          < _utc_start_of(filters.end + timedelta(days=1)))
    return (stmt.options(joinedload(ModerationAction.actor),
                         joinedload(ModerationAction.target_user),
                         joinedload(ModerationAction.community))
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc()))


def log_actors(user, community: Community | None) -> list[User]:
    """Who appears as actor in the log this user may read: the choices of the actor filter."""
    if community is None and is_signed_in(user) and user.is_admin:
        scope = true()
    else:
        scope = moderation_scope(user, ModerationAction.community_id, community)
    actor_ids = db.select(ModerationAction.actor_id).where(scope).distinct()
    return list(db.session.scalars(db.select(User).where(User.id.in_(actor_ids))
                                   .order_by(User.display_name, User.id)))


# -- Suspensions

def suspensions() -> tuple[list[Suspension], list[Suspension]]:
    """(in force, ended or lifted) — the latter the 50 most recent."""
    now = utcnow()
    rows = list(db.session.scalars(
        db.select(Suspension).options(joinedload(Suspension.user),
                                      joinedload(Suspension.created_by))
        .order_by(Suspension.created_at.desc(), Suspension.id.desc()).limit(500)))
    active = [s for s in rows if s.is_active_at(now)]
    past = [s for s in rows if not s.is_active_at(now)][:50]
    return active, past

