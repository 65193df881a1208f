"""`flask seed-scale`: ten years of heavy use, generated in bulk for performance work.

Defaults: 100,000 ideas, 1,000,000 supports, 300,000 comments, 5,000 services, 2,000 agents,
60 communities. Deterministic for a given seed. Rows go in through `ideas.scale.bulk` (Core
executemany on a connection of its own, never the ORM), in an order that satisfies the foreign
keys; the denormalised counters are then set by one SQL UPDATE each from the rows they count
(the services' definitions: comments neither deleted nor hidden, active memberships), so they
equal COUNT(*) by construction; the search index is rebuilt at the end.

Shapes, so that query plans meet what production will hold:
- ideas grow over the ten years (more recent years are busier), in communities of Zipf-like
  popularity (a few large communities, many small ones; one in six private);
- supports follow a Pareto law (median about 3, about a hundred ideas above a thousand, capped
  by who may see the idea); comments follow the supports with noise, a third are replies
  (one level deep, as the app threads them), a few deleted or hidden by the moderation;
- each idea walks the workflow with dated status changes (official answers where the workflow
  requires one); adopted ideas become services of the offer; merged ones point at an earlier
  idea of their community and keep no supports or followers (they moved over);
- agents act mostly in their own communities, soon after an idea is posted; authors and
  commenters follow the idea.
"""

import html
import math
import os
import random
import secrets
import time
from bisect import bisect_left
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy import and_, func, select, update

from ideas.accounts.models import Role, User
from ideas.accounts.services import hash_password
from ideas.comments.models import Comment
from ideas.communities.models import (
    Community,
    MemberRole,
    Membership,
    MembershipStatus,
    community_themes,
)
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea, IdeaSdg, IdeaStatus, Tag, idea_tags, idea_themes
from ideas.offer.models import Service, ServiceStatus, ServiceType, service_ideas
from ideas.reference.models import Territory, TerritoryKind, Theme
from ideas.research.models import InterventionFormat, ResearchIntervention
from ideas.scale import bulk
from ideas.scale.corpus import (
    COMMUNITY_TOPICS,
    DEPARTMENTS,
    HIDE_REASONS,
    INSTITUTIONS,
    RESEARCHERS,
    SERVICE_KINDS,
    STATED_ORIGINS,
    TAGS,
    Generator,
)
from ideas.utils import slugify, utcnow
from ideas.votes.models import Vote
from ideas.workflow.models import StatusChange

SCALE_PASSWORD = "fabrique-scale-2026"  # noqa: S105 - generated test data, printed on purpose
EMAIL_DOMAIN = "scale.reseau-canope.fr"
YEARS = 10
S = IdeaStatus
# Where ideas are headed (the walk stops at today, so recent ideas are still early on).
STATUS_MIX = [(S.SUBMITTED, 42), (S.IN_REVIEW, 15), (S.SELECTED, 6), (S.PILOTING, 4),
              (S.ADOPTED, 7), (S.DECLINED, 17), (S.MERGED, 4), (S.WITHDRAWN, 5)]
PATHS = {S.SUBMITTED: [], S.IN_REVIEW: [S.IN_REVIEW], S.SELECTED: [S.IN_REVIEW, S.SELECTED],
         S.PILOTING: [S.IN_REVIEW, S.SELECTED, S.PILOTING],
         S.ADOPTED: [S.IN_REVIEW, S.SELECTED, S.PILOTING, S.ADOPTED],
         S.DECLINED: [S.IN_REVIEW, S.DECLINED], S.MERGED: [S.MERGED],
         S.WITHDRAWN: [S.WITHDRAWN]}
ANSWER_REQUIRED = (S.SELECTED, S.DECLINED)
SUPPORT_PARETO_ALPHA = 1.1  # median ≈ 3 supports, ≈ 0.1 % of ideas above a thousand
REPLY_SHARE = 0.35
RESEARCH_PER_YEAR = 40


@dataclass
class Sizes:
    ideas: int = 100_000
    supports: int = 1_000_000
    comments: int = 300_000
    services: int = 5_000
    agents: int = 2_000
    communities: int = 60


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall clock, per step
    # CPU seconds per step, this process and its children (the parallel index writers): on a
    # shared machine, what the step costs whatever else runs.
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)


class ScaleSeedError(RuntimeError):
    pass


def seed_scale(sizes: Sizes, progress: Callable | None = None, seed: int = 2026,
               password: str = SCALE_PASSWORD, build_index: bool = True) -> Report:
    """Fill a database that has no idea yet (reference data is loaded if missing)."""
    if min(asdict(sizes).values()) < 0 or sizes.agents < 4 or sizes.communities < 1:
        raise ScaleSeedError("seed-scale needs at least 4 agents and 1 community")
    if db.session.scalar(select(func.count()).select_from(Idea)):
        raise ScaleSeedError("seed-scale fills a database without ideas: use an empty one "
                             "(DATABASE_URL), never a real one")
    if not db.session.scalar(select(func.count()).select_from(Territory)):
        from ideas.reference.seed import seed_reference

        seed_reference()
    password_hash = hash_password(password)
    db.session.commit()
    db.session.remove()
    return _Seeder(sizes, progress, seed, password_hash).run(build_index)


class _Seeder:
    def __init__(self, sizes: Sizes, progress, seed: int, password_hash: str):
        self.sizes = sizes
        self.progress = progress
        self.rng = random.Random(seed)
        self.text = Generator(seed)
        self.password_hash = password_hash
        self.now = utcnow().replace(microsecond=0)
        self.start = self.now - timedelta(days=round(365.25 * YEARS))
        self.report = Report()

    # -- helpers

    def stage(self, label: str, length: int):
        return self.progress(length=max(length, 1), label=label) if self.progress else (
            nullcontext(_NoBar()))

    def insert(self, connection, table, rows, bar=None) -> int:
        count = 0
        for chunk in _chunks(rows, bulk.BATCH):
            count += bulk.insert_rows(connection, table, chunk)
            if bar is not None:
                bar.update(len(chunk))
        self.report.counts[table.name] = self.report.counts.get(table.name, 0) + count
        return count

    def after(self, moment: datetime, mean_days: float, limit: datetime | None = None
              ) -> datetime:
        """Soon after `moment` (exponential delay), never past `limit` (default: now)."""
        limit = limit or self.now
        later = moment + timedelta(seconds=int(self.rng.expovariate(1 / mean_days) * 86400))
        if later < limit:
            return later
        span = max(int((limit - moment).total_seconds()), 0)
        return moment + timedelta(seconds=self.rng.randint(0, span))

    # -- the run

    @contextmanager
    def timed(self, name: str):
        started, cpu = time.perf_counter(), _cpu()
        yield
        self.report.seconds[name] = time.perf_counter() - started
        self.report.cpu_seconds[name] = _cpu() - cpu

    def run(self, build_index: bool) -> Report:
        engine = db.engine
        steps = [("accounts", self.people), ("ideas", self.ideas), ("supports", self.supports),
                 ("comments", self.comments), ("offer", self.offer),
                 ("counters", self.counters), ("activity", self.activity)]
        for name, step in steps:
            with self.timed(name), engine.begin() as connection:
                bulk.prepare(connection)
                step(connection)
        with self.timed("analyze"):
            bulk.finish(engine, [model.__table__ for model in (User, Community, Idea, Comment,
                                                               Service)])
        if build_index:
            with self.timed("search index"):
                self.search_index(engine)
        return self.report

    def people(self, connection) -> None:
        rng, sizes = self.rng, self.sizes
        territories = connection.execute(select(Territory.id, Territory.kind)).all()
        by_kind = {kind: [t.id for t in territories if t.kind == kind] for kind in TerritoryKind}
        pools = [(by_kind[TerritoryKind.ATELIER] or [None], 68),
                 (by_kind[TerritoryKind.DIRECTORATE] + by_kind[TerritoryKind.ACADEMIC]
                  or [None], 15),
                 (by_kind[TerritoryKind.HEADQUARTERS] or [None], 13),
                 (by_kind[TerritoryKind.SERVICE] or [None], 4)]
        pool_weights = [w for _, w in pools]

        def territory():
            return rng.choice(rng.choices(pools, pool_weights)[0][0])

        first_user = (connection.scalar(select(func.max(User.id))) or 0) + 1
        managers = max(1, sizes.agents // 100)
        fixed = [("admin", "Thomas Leroy", Role.ADMIN), ("direction", "Hélène Rousseau",
                                                          Role.MANAGER),
                 ("animatrice", "Nadia Benali", Role.AGENT), ("agent", "Camille Martin",
                                                              Role.AGENT)]
        users, self.names = [], {}
        for n in range(sizes.agents):
            user_id = first_user + n
            if n < len(fixed):
                local, name, role = fixed[n]
                email = f"{local}@{EMAIL_DOMAIN}"
                self.report.logins.append((local, email))
            else:
                first, last = self.text.person()
                name = f"{first} {last}"
                email = f"{slugify(first)}.{slugify(last)}.{user_id}@{EMAIL_DOMAIN}"
                role = (Role.MANAGER if n < len(fixed) + managers
                        else Role.ADMIN if n < len(fixed) + managers + 2 else Role.AGENT)
            self.names[user_id] = name.split()[0]
            users.append({
                "id": user_id, "email": email, "display_name": name,
                "password_hash": self.password_hash, "role": role,
                "territory_id": territory(), "locale": "en" if rng.random() < 0.05 else "fr",
                "is_active": True, "session_token": secrets.token_urlsafe(32),
                "created_at": self.start - timedelta(days=rng.uniform(0, 365)),
                "last_login_at": self.now - timedelta(days=rng.expovariate(1 / 20))})
        self.user_ids = [u["id"] for u in users]
        self.manager_ids = [u["id"] for u in users if u["role"] != Role.AGENT]
        self.admin_id = users[0]["id"]
        self.facilitator_account, self.agent_account = users[2]["id"], users[3]["id"]

        theme_ids = list(connection.scalars(select(Theme.id).order_by(Theme.position)))
        first_community = (connection.scalar(select(func.max(Community.id))) or 0) + 1
        places = [t.id for t in territories if t.kind != TerritoryKind.ATELIER]
        communities, links, slugs = [], [], set()
        for n in range(sizes.communities):
            community_id = first_community + n
            topic = COMMUNITY_TOPICS[n % len(COMMUNITY_TOPICS)]
            name = (f"{topic} – {rng.choice(DEPARTMENTS)}" if n >= len(COMMUNITY_TOPICS)
                    else topic)
            slug = slugify(name)
            while slug in slugs:
                slug = f"{slug[:80]}-{rng.randrange(10, 99)}"
            slugs.add(slug)
            communities.append({
                "id": community_id, "slug": slug, "name": name,
                "description": self.text.body(), "is_private": n % 6 == 5,
                "territory_id": rng.choice(places) if places and n % 3 else None,
                "created_by_id": self.admin_id,
                "created_at": self.start - timedelta(days=rng.uniform(0, 120)),
                "member_count": 0})
            links.extend({"community_id": community_id, "theme_id": theme}
                         for theme in rng.sample(theme_ids, min(len(theme_ids),
                                                                rng.randint(1, 3))))
        self.theme_ids = theme_ids
        self.community_themes = {}
        for link in links:
            self.community_themes.setdefault(link["community_id"], []).append(link["theme_id"])
        self.community_ids = [c["id"] for c in communities]
        self.private = {c["id"] for c in communities if c["is_private"]}
        # Zipf popularity, in a shuffled order; private communities are smaller.
        ranks = list(range(1, len(communities) + 1))
        rng.shuffle(ranks)
        self.community_weights = [(0.3 if c["id"] in self.private else 1.0) / rank
                                  for c, rank in zip(communities, ranks, strict=True)]
        self.community_cumulative = list(accumulate(self.community_weights))

        members = {c: [] for c in self.community_ids}
        memberships, seen = [], set()

        def join(user_id, community_id, role=MemberRole.MEMBER,
                 status=MembershipStatus.ACTIVE):
            if (user_id, community_id) in seen:
                return
            seen.add((user_id, community_id))
            memberships.append({"user_id": user_id, "community_id": community_id,
                                "role": role, "status": status, "message": "",
                                "created_at": self.start + timedelta(days=rng.uniform(0, 400)),
                                "decided_at": None})
            if status == MembershipStatus.ACTIVE:
                members[community_id].append(user_id)

        for user_id in self.user_ids:
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5, 6))):
                join(user_id, self.pick_community())
        for community_id in self.community_ids:  # everyone has company, and two facilitators
            while len(members[community_id]) < min(8, len(self.user_ids)):
                join(rng.choice(self.user_ids), community_id)
            for user_id in rng.sample(members[community_id], 2):
                _promote(memberships, user_id, community_id)
        private = sorted(self.private)
        for community_id in self.community_ids[:2] + private[:1]:
            join(self.facilitator_account, community_id)
            _promote(memberships, self.facilitator_account, community_id)
        for community_id in self.community_ids[:3] + private[:1]:
            join(self.agent_account, community_id)
        for community_id in private:  # a few requests waiting for a facilitator
            for _ in range(3):
                join(rng.choice(self.user_ids), community_id, status=MembershipStatus.PENDING)
        self.members = members
        self.facilitators = {c: [m["user_id"] for m in memberships if m["community_id"] == c
                                 and m["role"] == MemberRole.FACILITATOR]
                             for c in self.community_ids}
        self.everyone_can_see = [c for c in self.community_ids if c not in self.private]
        follows = [{"user_id": m["user_id"], "community_id": m["community_id"],
                    "created_at": m["created_at"]} for m in memberships
                   if m["status"] == MembershipStatus.ACTIVE and rng.random() < 0.25]
        total = len(users) + len(communities) + len(links) + len(memberships) + len(follows)
        with self.stage("Agents and communities", total) as bar:
            self.insert(connection, User.__table__, users, bar)
            self.insert(connection, Community.__table__, communities, bar)
            self.insert(connection, community_themes, links, bar)
            self.insert(connection, Membership.__table__, memberships, bar)
            self.insert(connection, CommunityFollow.__table__, follows, bar)

    def pick_community(self) -> int:
        point = self.rng.random() * self.community_cumulative[-1]
        return self.community_ids[bisect_left(self.community_cumulative, point)]

    def ideas(self, connection) -> None:
        rng, text, sizes = self.rng, self.text, self.sizes
        span = (self.now - self.start).total_seconds()
        # Density grows linearly over the years: the square root of a uniform draw.
        moments = sorted(self.start + timedelta(seconds=span * math.sqrt(rng.random()))
                         for _ in range(sizes.ideas))
        first_idea = (connection.scalar(select(func.max(Idea.id))) or 0) + 1
        tag_names = TAGS
        existing = dict(connection.execute(select(Tag.name, Tag.id)).all())
        new_tags = [{"name": name} for name in tag_names if name not in existing]
        if new_tags:
            bulk.insert_rows(connection, Tag.__table__, new_tags)
        tag_ids = dict(connection.execute(select(Tag.name, Tag.id)).all())
        tag_cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(tag_names))))
        statuses = [status for status, weight in STATUS_MIX for _ in range(weight)]
        open_ideas = {c: [] for c in self.community_ids}  # merge targets
        ideas, theme_links, tag_links, sdg_links, changes = [], [], [], [], []
        self.adopted, self.idea_info = [], []
        with self.stage("Ideas", sizes.ideas) as bar:
            for n, created in enumerate(moments):
                idea_id = first_idea + n
                community_id = self.pick_community()
                members = self.members[community_id]
                author = rng.choice(members)
                created = created.replace(microsecond=0)
                body = text.body()
                if rng.random() < 0.3:
                    body += "\n\n" + text.body()
                row = {"id": idea_id, "community_id": community_id, "author_id": author,
                       "title": text.title(), "body": body, "body_html": _html(body),
                       "status": S.SUBMITTED, "vote_count": 0, "comment_count": 0,
                       "follower_count": 0, "created_at": created,
                       "edited_at": created + timedelta(hours=rng.uniform(1, 48))
                       if rng.random() < 0.1 else None,
                       "status_changed_at": None, "withdrawn_at": None, "merged_into_id": None,
                       "hidden_at": None, "hidden_reason": None, "hidden_by_id": None,
                       "locked_at": None, "pinned_at": None}
                self.walk(row, rng.choice(statuses), open_ideas[community_id], changes)
                if row["status"] not in (S.MERGED, S.WITHDRAWN, S.DECLINED):
                    open_ideas[community_id].append(idea_id)
                roll = rng.random()
                if roll < 0.003:
                    row.update(hidden_at=self.after(created, 10),
                               hidden_reason=rng.choice(HIDE_REASONS),
                               hidden_by_id=rng.choice(self.facilitators[community_id])
                               if rng.random() < 0.7 else None)
                elif roll < 0.005:
                    row["locked_at"] = self.after(created, 20)
                ideas.append(row)
                self.idea_info.append((idea_id, community_id, created, row["status"],
                                       row["withdrawn_at"] or row["status_changed_at"]
                                       if row["status"] in (S.WITHDRAWN, S.MERGED) else None,
                                       row["merged_into_id"], author))
                own = self.community_themes.get(community_id, [])
                themes = {rng.choice(own)} if own and rng.random() < 0.7 else set()
                while len(themes) < rng.randint(1, 3):
                    themes.add(rng.choice(self.theme_ids))
                theme_links.extend({"idea_id": idea_id, "theme_id": t} for t in themes)
                tags = {tag_names[bisect_left(tag_cumulative, rng.random() * tag_cumulative[-1])]
                        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4)))}
                tag_links.extend({"idea_id": idea_id, "tag_id": tag_ids[t]} for t in tags)
                sdg_links.extend({"idea_id": idea_id, "sdg": s}
                                 for s in rng.sample(range(1, 18), rng.choice((0, 0, 1, 1, 2, 3))))
                if n % 1000 == 999:
                    bar.update(1000)
            bar.update(sizes.ideas % 1000)
        # One pinned idea per community: a recent open one.
        for candidates in open_ideas.values():
            if candidates:
                pinned = ideas[candidates[-1 - rng.randrange(min(5, len(candidates)))]
                               - first_idea]
                pinned["pinned_at"] = self.after(pinned["created_at"], 5)
        self.first_idea = first_idea
        self.pending_changes = changes
        total = len(ideas) + len(theme_links) + len(tag_links) + len(sdg_links)
        with self.stage("Ideas: rows", total) as bar:
            self.insert(connection, Idea.__table__, ideas, bar)
            self.insert(connection, idea_themes, theme_links, bar)
            self.insert(connection, idea_tags, tag_links, bar)
            self.insert(connection, IdeaSdg.__table__, sdg_links, bar)

    def walk(self, row: dict, target: S, merge_targets: list[int], changes: list) -> None:
        """Move the idea towards `target`, one dated status change at a time, until today."""
        rng, moment, source = self.rng, row["created_at"], S.SUBMITTED
        community_id = row["community_id"]
        if target == S.MERGED and not merge_targets:
            target = S.DECLINED
        for status in PATHS[target]:
            moment = moment + timedelta(days=rng.uniform(3, 120), seconds=rng.uniform(0, 86400))
            if moment >= self.now:
                break
            moment = moment.replace(microsecond=0)
            if status == S.WITHDRAWN:
                actor = row["author_id"]
            elif status in (S.IN_REVIEW, S.MERGED) and rng.random() < 0.6:
                actor = rng.choice(self.facilitators[community_id])
            else:
                actor = rng.choice(self.manager_ids)
            answer = (self.text.answer(status.value)
                      if status in ANSWER_REQUIRED or rng.random() < 0.4 else "")
            change = {"idea_id": row["id"], "actor_id": actor, "from_status": source,
                      "to_status": status, "answer": answer,
                      "answer_html": _html(answer) if answer else "", "service_id": None,
                      "merged_into_id": None, "created_at": moment}
            if status == S.MERGED:
                change["merged_into_id"] = row["merged_into_id"] = rng.choice(merge_targets[-50:])
            if status == S.WITHDRAWN:
                row["withdrawn_at"] = moment
            if status == S.ADOPTED:
                self.adopted.append((row["id"], moment, change))
            changes.append(change)
            row["status"], row["status_changed_at"], source = status, moment, status

    def supports(self, connection) -> None:
        rng, users = self.rng, self.user_ids
        weights, caps = [], []
        for _idea_id, community_id, _created, status, _closed, _target, _author in (
                self.idea_info):
            weights.append(rng.paretovariate(SUPPORT_PARETO_ALPHA))
            caps.append(0 if status == S.MERGED else len(self.members[community_id])
                        if community_id in self.private else len(users))
        counts = _spread(self.sizes.supports, weights, caps, rng)
        self.support_weights = weights

        def rows():
            for info, count in zip(self.idea_info, counts, strict=True):
                idea_id, community_id, created, _status, closed, _target, _author = info
                for user_id in self.participants(community_id, count):
                    yield {"idea_id": idea_id, "user_id": user_id,
                           "created_at": self.after(created, 21, closed)}

        with self.stage("Supports", sum(counts)) as bar:
            self.insert(connection, Vote.__table__, rows(), bar)

    def participants(self, community_id: int, count: int) -> list[int]:
        """`count` distinct agents who may see the community's ideas, mostly its members."""
        rng = self.rng
        if community_id in self.private:
            return rng.sample(self.members[community_id], count)  # capped by the members
        if count > len(self.user_ids) // 3:
            return rng.sample(self.user_ids, count)
        chosen = set()
        while len(chosen) < count:
            chosen.add(self.writer(community_id))
        return list(chosen)

    def writer(self, community_id: int) -> int:
        """Someone who may see the community's ideas: a member more often than not."""
        rng = self.rng
        if community_id in self.private or rng.random() < 0.6:
            return rng.choice(self.members[community_id])
        return rng.choice(self.user_ids)

    def comments(self, connection) -> None:
        rng, text = self.rng, self.text
        weights = [w ** 0.8 * rng.lognormvariate(0, 0.6) for w in self.support_weights]
        caps = [1500] * len(weights)
        counts = _spread(self.sizes.comments, weights, caps, rng)
        first_comment = (connection.scalar(select(func.max(Comment.id))) or 0) + 1
        self.follows = {}  # (user, idea) → since

        def follow(user_id, idea_id, since):
            key = (user_id, idea_id)
            if key not in self.follows or self.follows[key] > since:
                self.follows[key] = since

        def rows():
            next_id = first_comment
            for info, count in zip(self.idea_info, counts, strict=True):
                idea_id, community_id, created, status, closed, target, author = info
                # Followers of a merged idea moved over to the idea it was merged into.
                followed = target if status == S.MERGED else idea_id
                follow(author, followed, created)
                entries, thread = [], []  # thread: the top-level comments so far
                for n in range(count):
                    parent = (rng.choice(thread[-8:])
                              if thread and rng.random() < REPLY_SHARE else None)
                    if parent is None:
                        moment, body = self.after(created, 30, closed), text.comment()
                    else:
                        moment = self.after(parent[0], 2, closed)
                        body = text.reply(self.names[parent[2]])
                    entry = (moment, n, self.writer(community_id), body, parent)
                    entries.append(entry)
                    if parent is None:
                        thread.append(entry)
                # Ids in time order within the thread: a reply always comes after its parent.
                entries.sort(key=lambda e: (e[0], e[1]))
                ids = {}
                for moment, n, writer, body, parent in entries:
                    ids[n] = next_id
                    row = {"id": next_id, "idea_id": idea_id, "author_id": writer,
                           "parent_id": ids[parent[1]] if parent else None, "body": body,
                           "body_html": _html(body), "created_at": moment, "edited_at": None,
                           "deleted_at": None, "hidden_at": None, "hidden_reason": None,
                           "hidden_by_id": None}
                    roll = rng.random()
                    if roll < 0.01:
                        row["deleted_at"] = self.after(moment, 3)
                    elif roll < 0.013:
                        row.update(hidden_at=self.after(moment, 3),
                                   hidden_reason=rng.choice(HIDE_REASONS),
                                   hidden_by_id=rng.choice(self.facilitators[community_id]))
                    elif roll < 0.05:
                        row["edited_at"] = moment + timedelta(minutes=rng.uniform(1, 600))
                    follow(writer, followed, moment)
                    next_id += 1
                    yield row

        with self.stage("Comments", sum(counts)) as bar:
            self.insert(connection, Comment.__table__, rows(), bar)
        follows = [{"user_id": user, "idea_id": idea, "created_at": since}
                   for (user, idea), since in self.follows.items()]
        with self.stage("Follows", len(follows)) as bar:
            self.insert(connection, IdeaFollow.__table__, follows, bar)

    def offer(self, connection) -> None:
        """Services (those from adopted ideas, the others with their stated origin), the
        status history that links them, and research interventions."""
        rng, sizes = self.rng, self.sizes
        first_service = (connection.scalar(select(func.max(Service.id))) or 0) + 1
        adopted = self.adopted[:]
        rng.shuffle(adopted)
        from_ideas = min(len(adopted), round(sizes.services * 0.7))
        groups = [[] for _ in range(from_ideas)]
        for n, item in enumerate(adopted):  # every adopted idea became a service
            groups[n if n < from_ideas else rng.randrange(from_ideas)].append(item)
        services, links = [], []
        territories = list(connection.scalars(select(Territory.id)))
        for n in range(sizes.services):
            service_id = first_service + n
            group = groups[n] if n < from_ideas else []
            if group:
                launch = (max(moment for _, moment, _ in group)
                          + timedelta(days=rng.uniform(15, 120))).date()
                name = f"{rng.choice(SERVICE_KINDS)} : {self.text.thing()}"
            else:
                launch = (self.start + timedelta(days=rng.uniform(0, 365.25 * YEARS + 90))
                          ).date()
                name = f"{rng.choice(SERVICE_KINDS)} : {self.text.thing()}"
            status = (ServiceStatus.PLANNED if launch > self.now.date() or rng.random() < 0.03
                      else ServiceStatus.RETIRED if rng.random() < 0.06
                      else ServiceStatus.LAUNCHED)
            created = datetime.combine(launch, datetime.min.time()) - timedelta(days=60)
            services.append({
                "id": service_id, "name": name[:200], "description": self.text.body(),
                "type": rng.choice(list(ServiceType)),
                "territory_id": rng.choice(territories) if rng.random() < 0.6 else None,
                "launch_date": launch if status != ServiceStatus.PLANNED or rng.random() < 0.5
                else None,
                "status": status, "stated_origin": None if group else rng.choice(STATED_ORIGINS),
                "created_by_id": rng.choice(self.manager_ids),
                "created_at": min(created, self.now),
                "retired_at": self.now - timedelta(days=rng.uniform(1, 300))
                if status == ServiceStatus.RETIRED else None})
            for idea_id, _moment, change in group:
                change["service_id"] = service_id
                links.append({"service_id": service_id, "idea_id": idea_id})
        first_day = self.start.date()
        days = (self.now.date() - first_day).days
        interventions = [{
            "community_id": rng.choice(self.community_ids),
            "researcher": f"{rng.choice(RESEARCHERS)} {' '.join(self.text.person())}",
            "institution": rng.choice(INSTITUTIONS),
            "held_on": first_day + timedelta(days=rng.randrange(days)),
            "format": rng.choice(list(InterventionFormat)), "topic": self.text.title(),
            "notes": "", "created_by_id": rng.choice(self.manager_ids), "created_at": self.now}
            for _ in range(RESEARCH_PER_YEAR * YEARS)]
        total = len(services) + len(self.pending_changes) + len(links) + len(interventions)
        with self.stage("Offer and workflow history", total) as bar:
            self.insert(connection, Service.__table__, services, bar)
            self.insert(connection, StatusChange.__table__, self.pending_changes, bar)
            self.insert(connection, service_ideas, links, bar)
            self.insert(connection, ResearchIntervention.__table__, interventions, bar)

    def counters(self, connection) -> None:
        """Every denormalised counter from the rows it counts, as the services define it."""
        with self.stage("Counters", 2) as bar:
            connection.execute(update(Idea).where(Idea.id >= self.first_idea).values(
                vote_count=_count(Vote.__table__, Vote.idea_id == Idea.id),
                comment_count=_count(Comment.__table__, and_(
                    Comment.idea_id == Idea.id, Comment.deleted_at.is_(None),
                    Comment.hidden_at.is_(None))),
                follower_count=_count(IdeaFollow.__table__, IdeaFollow.idea_id == Idea.id)))
            bar.update(1)
            connection.execute(update(Community).values(member_count=_count(
                Membership.__table__, and_(Membership.community_id == Community.id,
                                           Membership.status == MembershipStatus.ACTIVE))))
            bar.update(1)

    def activity(self, connection) -> None:
        """The dashboard's daily activity aggregates from the rows just loaded (their triggers
        only noted the dates to recompute: a dashboard would otherwise recompute them all)."""
        from sqlalchemy.orm import Session

        from ideas.dashboard import daily

        session = Session(bind=connection)
        with self.stage("Dashboard activity", len(daily.history_days(session))) as bar:
            daily.rebuild(bar.update, session)
        session.flush()

    def search_index(self, engine) -> None:
        from ideas.search import queue
        from ideas.search.registry import get_backend

        backend = get_backend()
        with self.stage(f"Search index ({backend.name})", self.sizes.ideas) as bar, \
                engine.begin() as connection:
            seen = {"done": 0}

            def advance(done: int, _total: int) -> None:
                bar.update(done - seen["done"])
                seen["done"] = done

            self.report.counts["indexed"] = backend.rebuild(connection, advance)
            queue.clear(connection)


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _count(table, condition):
    return select(func.count()).select_from(table).where(condition).scalar_subquery()


def _promote(memberships: list[dict], user_id: int, community_id: int) -> None:
    for membership in memberships:
        if membership["user_id"] == user_id and membership["community_id"] == community_id:
            membership["role"] = MemberRole.FACILITATOR


def _spread(total: int, weights: list[float], caps: list[int], rng: random.Random
            ) -> list[int]:
    """Integers proportional to `weights`, each within its cap, summing to `total` (or to
    the sum of the caps when that is smaller)."""
    total = min(total, sum(caps))
    if not total:
        return [0] * len(weights)

    def reached(scale: float) -> int:
        return sum(min(cap, int(w * scale)) for w, cap in zip(weights, caps, strict=True))

    low = high = total / sum(weights)  # the scale without rounding down nor caps
    while reached(high) < total:
        low, high = high, high * 2
    for _ in range(20):  # the scale that gives about `total`, within 1/2**20 of the range
        middle = (low + high) / 2
        if reached(middle) < total:
            low = middle
        else:
            high = middle
    counts = [min(cap, int(w * low)) for w, cap in zip(weights, caps, strict=True)]
    missing = total - sum(counts)
    room = [n for n, (count, cap) in enumerate(zip(counts, caps, strict=True)) if count < cap]
    while missing > 0 and room:
        n = rng.choice(room)
        if counts[n] < caps[n]:
            counts[n] += 1
            missing -= 1
        else:
            room.remove(n)
    return counts


def _html(text: str) -> str:
    """What ideas.markdown stores for plain paragraphs (the generated text has no markup)."""
    return "".join(f"<p>{html.escape(part, quote=False)}</p>\n"
                   for part in text.split("\n\n"))


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _NoBar:
    def update(self, _steps: int) -> None:
        pass

