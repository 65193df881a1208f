"""Dashboard benchmark: 100,000 ideas, 5,000 services and 500 research interventions (plus
their status history, supports and comments), then the server-side render time of the
dashboard and the review page, p95 over 30 requests through the Flask test client signed in
as a manager, on SQLite and on PostgreSQL. Target: p95 < 300 ms.

    .venv/bin/python bench/dashboard/run.py                      # both databases
    .venv/bin/python bench/dashboard/run.py --backend sqlite --profile
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_dashboard \\
        .venv/bin/python bench/dashboard/run.py --backend postgres

The PostgreSQL database named in BENCH_PG_URL is DROPPED and re-created. Rows go in with Core
executemany (insertmanyvalues) in batches, without the ORM."""

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
os.environ.setdefault("INSTANCE_DIR", str(_TMP / "instance"))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ideas import create_app  # noqa: E402
from ideas.accounts.models import Role, User  # noqa: E402
from ideas.comments.models import Comment  # noqa: E402
from ideas.communities.models import Community  # noqa: E402
from ideas.dashboard.activity import percentile  # noqa: E402
from ideas.dashboard.cache import DEFAULT_SECONDS, forget  # noqa: E402
from ideas.extensions import db  # noqa: E402
from ideas.ideation.models import Idea, IdeaStatus, idea_themes  # noqa: E402
from ideas.offer.models import Service, ServiceStatus, ServiceType, service_ideas  # noqa: E402
from ideas.reference.models import Territory, Theme  # noqa: E402
from ideas.reference.seed import seed_reference  # noqa: E402
from ideas.research.models import InterventionFormat, ResearchIntervention  # noqa: E402
from ideas.votes.models import Vote  # noqa: E402
from ideas.workflow.models import StatusChange  # noqa: E402

S = IdeaStatus
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_dashboard"
BATCH = 10_000
REQUESTS, WARM_UP = 30, 3
FIRST_YEAR = 2021
MANAGER_ID = 1
# Where ideas end up (a realistic mix: most stay submitted or get declined).
STATUS_MIX = [(S.SUBMITTED, 45), (S.IN_REVIEW, 15), (S.SELECTED, 6), (S.PILOTING, 4),
              (S.ADOPTED, 8), (S.DECLINED, 15), (S.MERGED, 3), (S.WITHDRAWN, 4)]
PATHS = {S.SUBMITTED: [], S.IN_REVIEW: [S.IN_REVIEW], S.SELECTED: [S.IN_REVIEW, S.SELECTED],
         S.PILOTING: [S.IN_REVIEW, S.SELECTED, S.PILOTING],
         S.ADOPTED: [S.IN_REVIEW, S.SELECTED, S.PILOTING, S.ADOPTED],
         S.DECLINED: [S.IN_REVIEW, S.DECLINED], S.MERGED: [S.MERGED],
         S.WITHDRAWN: [S.WITHDRAWN]}


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def insert_rows(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.uniform(0, max((end - start).total_seconds(), 1)))


def populate(sizes: dict, seed: int = 2026) -> None:
    """Fill an empty schema; user MANAGER_ID is a manager."""
    rng = random.Random(seed)
    stamp = now()
    origin = datetime(FIRST_YEAR, 1, 1)
    territories = db.session.scalars(select(Territory.id)).all()
    themes = db.session.scalars(select(Theme.id)).all()

    users = [{"id": n, "email": f"agent{n}@bench.reseau-canope.fr", "display_name": f"Agent {n}",
              "role": Role.MANAGER if n == MANAGER_ID else Role.AGENT, "locale": "fr",
              "is_active": True, "session_token": f"bench-token-{n}", "created_at": origin,
              "territory_id": rng.choice(territories)} for n in range(1, sizes["users"] + 1)]
    insert_rows(User.__table__, users)
    communities = [{"id": n, "slug": f"communaute-{n}", "name": f"Communauté {n:03d}",
                    "description": "", "is_private": n % 10 == 0, "created_at": origin,
                    "territory_id": rng.choice(territories) if n % 3 else None,
                    "member_count": 0} for n in range(1, sizes["communities"] + 1)]
    insert_rows(Community.__table__, communities)

    statuses = [status for status, weight in STATUS_MIX for _ in range(weight)]
    ideas, changes, links, adopted = [], [], [], []
    for n in range(1, sizes["ideas"] + 1):
        created = between(rng, origin, stamp)
        status = rng.choice(statuses)
        moment, source, last = created, S.SUBMITTED, None
        for target in PATHS[status]:
            moment = min(moment + timedelta(days=rng.uniform(2, 90)), stamp)
            changes.append({"idea_id": n, "from_status": source, "to_status": target,
                            "answer": "", "answer_html": "", "created_at": moment})
            source, last = target, moment
        if status == S.ADOPTED:
            adopted.append((n, last))
        ideas.append({"id": n, "community_id": rng.randint(1, sizes["communities"]),
                      "author_id": rng.randint(1, sizes["users"]), "title": f"Idée n°{n}",
                      "body": "…", "body_html": "<p>…</p>", "status": status,
                      "vote_count": 0, "comment_count": 0, "follower_count": 0,
                      "created_at": created, "status_changed_at": last})
        links.extend({"idea_id": n, "theme_id": theme} for theme in rng.sample(themes, 2))

    # Agents take part mostly in their own communities, and soon after an idea is posted
    # (exponential delay, mean three weeks): activity follows the ideas, as it does for real.
    members = {n: [] for n in range(1, sizes["communities"] + 1)}
    for user in range(1, sizes["users"] + 1):
        for community in rng.sample(range(1, sizes["communities"] + 1), rng.randint(1, 3)):
            members[community].append(user)

    def participant(idea: dict) -> int:
        pool = members[idea["community_id"]]
        return rng.choice(pool) if pool and rng.random() < 0.8 else rng.randint(1, sizes["users"])

    def soon_after(moment: datetime) -> datetime:
        later = moment + timedelta(days=rng.expovariate(1 / 21))
        return later if later < stamp else between(rng, moment, stamp)

    votes, seen = [], set()
    while len(votes) < sizes["votes"]:
        idea = ideas[rng.randrange(sizes["ideas"])]
        user = participant(idea)
        if (idea["id"], user) in seen:
            continue
        seen.add((idea["id"], user))
        votes.append({"idea_id": idea["id"], "user_id": user,
                      "created_at": soon_after(idea["created_at"])})
    comments = []
    for _ in range(sizes["comments"]):
        idea = ideas[rng.randrange(sizes["ideas"])]
        comments.append({"idea_id": idea["id"], "author_id": participant(idea), "body": "…",
                         "body_html": "<p>…</p>", "created_at": soon_after(idea["created_at"])})
    for counter, key in ((Counter(v["idea_id"] for v in votes), "vote_count"),
                         (Counter(c["idea_id"] for c in comments), "comment_count")):
        for idea_id, count in counter.items():
            ideas[idea_id - 1][key] = count
    insert_rows(Idea.__table__, ideas)
    insert_rows(idea_themes, links)
    insert_rows(StatusChange.__table__, changes)
    insert_rows(Vote.__table__, votes)
    insert_rows(Comment.__table__, comments)

    services, service_links = [], []
    rng.shuffle(adopted)
    for n in range(1, sizes["services"] + 1):
        wanted = rng.choice((1, 1, 2)) if rng.random() < 0.7 else 0
        from_ideas = [adopted.pop() for _ in range(min(wanted, len(adopted)))]
        launch = (max(adopted_at for _, adopted_at in from_ideas) + timedelta(days=30)
                  if from_ideas else between(rng, origin, stamp)).date()
        status = (ServiceStatus.PLANNED if launch > stamp.date() or rng.random() < 0.05
                  else ServiceStatus.RETIRED if rng.random() < 0.05 else ServiceStatus.LAUNCHED)
        services.append({"id": n, "name": f"Service {n}", "description": "",
                         "type": rng.choice(list(ServiceType)), "launch_date": launch,
                         "status": status, "created_at": origin,
                         "territory_id": rng.choice(territories) if n % 4 else None,
                         "stated_origin": None if from_ideas else "Commande nationale"})
        service_links.extend({"service_id": n, "idea_id": idea_id} for idea_id, _ in from_ideas)
    insert_rows(Service.__table__, services)
    insert_rows(service_ideas, service_links)

    first_day, days = date(FIRST_YEAR, 1, 1), (stamp.date() - date(FIRST_YEAR, 1, 1)).days
    insert_rows(ResearchIntervention.__table__, [
        {"community_id": rng.randint(1, sizes["communities"]), "researcher": f"Dr {n}",
         "institution": "Université", "held_on": first_day + timedelta(days=rng.randint(0, days)),
         "format": rng.choice(list(InterventionFormat)), "topic": f"Sujet {n}", "notes": "",
         "created_at": origin} for n in range(1, sizes["interventions"] + 1)])
    db.session.commit()
    if db.engine.dialect.name == "sqlite":  # one big transaction left a huge WAL behind
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table in ("users", "communities", "ideas", "services"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        # What autovacuum does after a load: statistics, and the visibility map that lets
        # PostgreSQL answer from the indexes alone.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def fresh_postgres(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def profile(app, client, url: str) -> list[tuple[float, str]]:
    """The statements of one request, slowest first (where an index would help). With the
    cache on, this is a cached request: run the cold rows to see the activity queries."""
    from sqlalchemy import event

    timings, started = [], {}

    def before(_conn, cursor, statement, *_args):
        started[id(cursor)] = time.perf_counter()

    def after(_conn, cursor, statement, *_args):
        timings.append((time.perf_counter() - started.pop(id(cursor)), statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return sorted(timings, reverse=True)


def measure(client, url: str) -> dict:
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    times, cpu = [], []
    for _ in range(REQUESTS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, url
    # CPU time of this process: what the request cost, whatever else the machine was doing
    # (SQLite runs in-process; PostgreSQL's own work is not in it).
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "max": max(times),
            "cpu_p95": percentile(cpu, 0.95)}


def run(backend: str, sizes: dict, show_profile: bool, reuse: bool) -> list[tuple]:
    url = (os.environ.get("BENCH_SQLITE_URL", f"sqlite:///{_TMP / 'bench.sqlite3'}")
           if backend == "sqlite" else os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    if backend == "postgres" and not reuse:
        fresh_postgres(url)
    elif backend == "sqlite" and not reuse:
        Path(make_url(url).database).unlink(missing_ok=True)
    # No search index: the dashboard does not search, and indexing is not what is measured.
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SEARCH_AUTO_REBUILD_MAX=0,
                     SEARCH_INDEX_DIR=str(_TMP / f"search-{backend}"))
    results = []
    with app.app_context():
        db.create_all()  # the missing tables only: a reused database keeps its indexes
        if not (reuse and db.session.scalar(select(func.count(Idea.id)))):
            seed_reference()
            db.session.commit()
            started = time.perf_counter()
            populate(sizes)
            print(f"[{backend}] populated in {time.perf_counter() - started:.0f} s", flush=True)
        print(f"[{backend}] " + ", ".join(
            f"{db.session.scalar(select(func.count()).select_from(model))} {name}"
            for name, model in (("ideas", Idea), ("services", Service),
                                ("interventions", ResearchIntervention), ("votes", Vote),
                                ("comments", Comment), ("status changes", StatusChange))))
        token = db.session.get(User, MANAGER_ID).session_token
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True
    today = date.today()
    whole = f"/pilotage/?start={FIRST_YEAR}-01-01&end={today.isoformat()}"
    # (label, URL, lifetime of the activity figures' cache): "cold" recomputes everything on
    # every request; the default keeps the activity figures DEFAULT_SECONDS (production).
    pages = [("dashboard, current year, cold (no cache)", "/pilotage/", 0),
             ("dashboard, current year (default settings)", "/pilotage/", DEFAULT_SECONDS),
             (f"dashboard, {FIRST_YEAR}–{today.year} range, cold (no cache)", whole, 0),
             (f"dashboard, {FIRST_YEAR}–{today.year} range (default settings)", whole,
              DEFAULT_SECONDS),
             ("review of ideas to decide on", "/pilotage/revue", 0)]
    for label, page, seconds in pages:
        app.config["DASHBOARD_CACHE_SECONDS"] = seconds
        with app.app_context():
            forget()
        found = measure(client, page)
        results.append((backend, label, found))
        print(f"[{backend}] {label}: p50 {found['p50']:.0f} ms, p95 {found['p95']:.0f} ms, "
              f"max {found['max']:.0f} ms, CPU p95 {found['cpu_p95']:.0f} ms", flush=True)
        if show_profile:
            for seconds, statement in profile(app, client, page)[:8]:
                print(f"    {seconds * 1000:7.1f} ms  {' '.join(statement.split())[:160]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=5_000)
    parser.add_argument("--interventions", type=int, default=500)
    parser.add_argument("--profile", action="store_true", help="print the slowest statements")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of the previous run (BENCH_SQLITE_URL, "
                             "BENCH_PG_URL) instead of filling a new one")
    args = parser.parse_args()
    sizes = {"ideas": args.ideas, "services": args.services,
             "interventions": args.interventions, "users": 5_000, "communities": 200,
             "votes": args.ideas * 3, "comments": args.ideas}
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    results = [row for backend in backends for row in run(backend, sizes, args.profile, args.reuse)]
    load = os.getloadavg()
    print(f"\nload average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs")
    print("| database | page | p50 (ms) | p95 (ms) | max (ms) | CPU p95 (ms) |\n"
          "|---|---|---|---|---|---|")
    for backend, label, found in results:
        print(f"| {backend} | {label} | {found['p50']:.0f} | {found['p95']:.0f} | "
              f"{found['max']:.0f} | {found['cpu_p95']:.0f} |")


if __name__ == "__main__":
    main()
