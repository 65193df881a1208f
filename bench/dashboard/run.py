"""Dashboard benchmark: the scale seed (`flask seed-scale`: 100,000 ideas over ten years,
5,000 services, 400 research interventions, their status history, 1,000,000 supports and
300,000 comments), then the server-side render time of the
dashboard and the review page, p95 over 30 requests through the Flask test client signed in
as a manager, on SQLite and on PostgreSQL. Target: p95 < 300 ms.

    .venv/bin/python bench/dashboard/run.py                      # both databases
    .venv/bin/python bench/dashboard/run.py --backend sqlite --profile
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_dashboard \\
        .venv/bin/python bench/dashboard/run.py --backend postgres

The PostgreSQL database named in BENCH_PG_URL is DROPPED and re-created. Rows go in through
ideas.scale (Core executemany in batches, without the ORM)."""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
_TMP = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
os.environ.setdefault("INSTANCE_DIR", str(_TMP / "instance"))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ideas import create_app  # noqa: E402
from ideas.accounts.models import User  # noqa: E402
from ideas.comments.models import Comment  # noqa: E402
from ideas.dashboard.activity import percentile  # noqa: E402
from ideas.dashboard.cache import DEFAULT_SECONDS, forget  # noqa: E402
from ideas.extensions import db  # noqa: E402
from ideas.ideation.models import Idea  # noqa: E402
from ideas.offer.models import Service  # noqa: E402
from ideas.research.models import ResearchIntervention  # noqa: E402
from ideas.scale.bulk import recreate_postgres_database  # noqa: E402
from ideas.scale.seed import EMAIL_DOMAIN, YEARS, Sizes, seed_scale  # noqa: E402
from ideas.votes.models import Vote  # noqa: E402
from ideas.workflow.models import StatusChange  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_dashboard"
REQUESTS, WARM_UP = 30, 3
FIRST_YEAR = date.today().year - YEARS + 1
MANAGER_EMAIL = f"direction@{EMAIL_DOMAIN}"


def populate(sizes: Sizes) -> None:
    """The scale seed (ideas.scale.seed): ten years of ideas, their status history, supports,
    comments, services and research interventions, in bulk."""
    seed_scale(sizes, build_index=False)


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
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.location)
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
        recreate_postgres_database(url)
    elif backend == "sqlite" and not reuse:
        Path(make_url(url).database).unlink(missing_ok=True)
    # No search index: the dashboard does not search, and indexing is not what is measured.
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SEARCH_AUTO_REBUILD_MAX=0,
                     SEARCH_INDEX_DIR=str(_TMP / f"search-{backend}"))
    results = []
    with app.app_context():
        db.create_all()  # the missing tables only: a reused database keeps its indexes
        if not (reuse and db.session.scalar(select(func.count(Idea.id)))):
            started = time.perf_counter()
            populate(sizes)
            print(f"[{backend}] populated in {time.perf_counter() - started:.0f} s", flush=True)
        print(f"[{backend}] " + ", ".join(
            f"{db.session.scalar(select(func.count()).select_from(model))} {name}"
            for name, model in (("ideas", Idea), ("services", Service),
                                ("interventions", ResearchIntervention), ("votes", Vote),
                                ("comments", Comment), ("status changes", StatusChange))))
        token = db.session.scalar(select(User.session_token)
                                  .where(User.email == MANAGER_EMAIL))
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as session:
        # Flask-Login's id: the session token and the login time (ideas.accounts.sessions).
        session["_user_id"], session["_fresh"] = f"{token}.{int(time.time())}", True
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
    parser.add_argument("--profile", action="store_true", help="print the slowest statements")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of the previous run (BENCH_SQLITE_URL, "
                             "BENCH_PG_URL) instead of filling a new one")
    args = parser.parse_args()
    default = Sizes()
    ratio = args.ideas / default.ideas
    sizes = Sizes(ideas=args.ideas, services=args.services,
                  supports=round(default.supports * ratio),
                  comments=round(default.comments * ratio))
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
