"""Performance benchmark at scale: the app under gunicorn (2 workers, gunicorn.conf.py,
production config) on the `seed-scale` data, SQLite then PostgreSQL, and in the same run and
under the same settings a hello-world Flask app (the machine's limit). wrk, a separate process
on 127.0.0.1, drives each page for a bounded time with signed-in agents (session cookie and
CSRF token per connection, bench/perf/scenario.lua). Prints one table (req/s, its ratio to
hello-world, p50/p95/p99, the workers' CPU per request, the load average) and writes it as
JSON and Markdown under bench/results/, with a pyinstrument profile of the slowest page.

    make bench                                       # = .venv/bin/python -m bench.perf.run
    .venv/bin/python -m bench.perf.run --databases sqlite --duration 5 --only idea,search
    .venv/bin/python -m bench.perf.run --small --duration 1     # smoke: small data, seconds

Data: DATA_DIR/sqlite/scale.sqlite3 (+ its Whoosh index) and the PostgreSQL database of
--pg-url (created if missing; PostgreSQL full-text search), seeded by `flask seed-scale` when
they hold no idea, reused otherwise. Runs add comments and move supports on a few ideas.
"""

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from ideas.scale.corpus import Generator, queries  # noqa: E402
from ideas.scale.seed import SCALE_PASSWORD, Sizes  # noqa: E402
from tests.reliability.server import Agent, Gunicorn, Site  # noqa: E402

SCRIPT = ROOT / "bench/perf/scenario.lua"
RESULTS = ROOT / "bench/results"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/fabrique_bench"
DEFAULT_DATA_DIR = Path(tempfile.gettempdir()) / "fabrique-bench"
SMALL = Sizes(ideas=300, supports=3000, comments=900, services=30, agents=40, communities=6)
PER_PAGE = 20
MEMORY_TARGET_MB = 250
LIST_RATIO_TARGET = 0.15


@dataclass
class Endpoint:
    name: str
    label: str
    requests: list[dict]
    manager: bool = False  # signed in as a manager (dashboard, export), else as agents
    rotate: bool = True  # each connection starts at a different request
    ratio_target: float | None = None  # share of hello-world's req/s
    p95_target: dict[str, float] = field(default_factory=dict)  # database → ms


@dataclass
class Measure:
    database: str
    endpoint: str
    label: str
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms: float  # the workers' CPU per request
    load: float  # 1-minute load average at the end of the run
    statuses: dict
    errors: int
    ratio: float | None = None
    targets: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def get(path: str, htmx: bool = False) -> dict:
    return {"method": "GET", "path": path, "htmx": htmx}


def post(path: str, body: dict, htmx: bool = True, token: bool = False) -> dict:
    return {"method": "POST", "path": path, "body": urlencode(body), "htmx": htmx,
            "token": token}


# -- Data

def database_url(kind: str, data_dir: Path, pg_url: str) -> str:
    return f"sqlite:///{data_dir / 'sqlite' / 'scale.sqlite3'}" if kind == "sqlite" else pg_url


def ensure_data(kind: str, url: str, directory: Path, sizes: Sizes) -> None:
    """Migrate, and seed at scale when the database holds no idea (minutes at full scale)."""
    directory.mkdir(parents=True, exist_ok=True)
    if kind == "postgres":
        target = make_url(url)
        server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                     {"name": target.database}):
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        server.dispose()
    env = {**os.environ, "FLASK_CONFIG": "development", "DATABASE_URL": url,
           "INSTANCE_DIR": str(directory), "SEARCH_INDEX_DIR": str(directory / "search-index"),
           "SEARCH_BACKEND": backend_of(kind)}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    engine = create_engine(url)
    with engine.connect() as connection:
        ideas = connection.scalar(text("SELECT count(*) FROM ideas"))
    engine.dispose()
    if ideas:
        print(f"[{kind}] reusing {ideas:,} ideas in {make_url(url).render_as_string()}",
              flush=True)
        return
    print(f"[{kind}] seeding {make_url(url).render_as_string()}", flush=True)
    options = [f"--{name}={value}" for name, value in asdict(sizes).items()]
    subprocess.run([*flask, "seed-scale", *options], cwd=ROOT, env=env, check=True)


def backend_of(kind: str) -> str:
    return "whoosh" if kind == "sqlite" else "postgres"


def plan(url: str) -> tuple[list[Endpoint], list[str], str]:
    """The pages to measure, chosen from the data: (endpoints, agent emails, manager email)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        def one(sql: str, **params):
            return connection.execute(text(sql), params).scalar()

        def many(sql: str, **params):
            return list(connection.execute(text(sql), params).scalars())

        # Plain agents (no facilitator's tools on the pages), the first 16.
        agent_ids = """SELECT id FROM users u WHERE role = 'agent' AND is_active
                       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id
                       AND m.role = 'facilitator') ORDER BY id LIMIT 16"""
        agents = many(f"SELECT email FROM users WHERE id IN ({agent_ids}) ORDER BY id")
        manager = one("SELECT email FROM users WHERE role = 'manager' AND is_active "
                      "ORDER BY id LIMIT 1")
        open_ideas = """FROM ideas i JOIN communities c ON c.id = i.community_id
                        WHERE NOT c.is_private AND i.hidden_at IS NULL AND i.locked_at IS NULL
                        AND i.status IN ('submitted', 'in_review', 'selected', 'piloting')"""
        slug = one("""SELECT c.slug FROM communities c WHERE NOT c.is_private
                      ORDER BY (SELECT count(*) FROM ideas i WHERE i.community_id = c.id) DESC
                      LIMIT 1""")
        theme = one("SELECT theme_id FROM idea_themes GROUP BY theme_id "
                    "ORDER BY count(*) DESC LIMIT 1")
        listed = one("""SELECT count(*) FROM ideas i JOIN communities c
                        ON c.id = i.community_id WHERE NOT c.is_private
                        AND i.status != 'withdrawn' AND i.hidden_at IS NULL""")
        thread = one(f"""SELECT i.id {open_ideas}
                         ORDER BY abs(i.comment_count - 200), i.id LIMIT 1""")
        # Not the bench agents' own ideas: nobody supports their own idea.
        others = f"AND i.author_id NOT IN ({agent_ids})"
        supported = many(f"SELECT i.id {open_ideas} {others} ORDER BY i.id DESC LIMIT 50")
        commented = many(f"SELECT i.id {open_ideas} AND i.id != :thread "
                         "ORDER BY i.id DESC LIMIT 20 OFFSET 50", thread=thread)
        comments_on_thread = one("SELECT comment_count FROM ideas WHERE id = :id", id=thread)
    engine.dispose()
    deep = max(1, listed // PER_PAGE // 2)
    texts = queries(count=200)
    words = [t for t in texts if t.isalpha() and len(t) >= 5]
    prefixes = [w[:n] for w in words for n in (3, 4, 6)]
    drafts = Generator(seed=99)
    search_target = {"sqlite": 100.0, "postgres": 50.0}
    endpoints = [
        Endpoint("home", "home page", [get("/")]),
        Endpoint("ideas", "all ideas, default sort", [get("/idees")],
                 ratio_target=LIST_RATIO_TARGET),
        Endpoint("ideas_filter", "all ideas, theme filter", [get(f"/idees?theme={theme}")],
                 ratio_target=LIST_RATIO_TARGET),
        Endpoint("ideas_deep", f"all ideas, deep page ({deep:,} of {listed // PER_PAGE:,})",
                 [get(f"/idees?page={deep}")], ratio_target=LIST_RATIO_TARGET),
        Endpoint("community", "a community's ideas (the largest)",
                 [get(f"/communautes/{slug}/idees")], ratio_target=LIST_RATIO_TARGET),
        Endpoint("idea", f"idea page with {comments_on_thread} comments",
                 [get(f"/idees/{thread}")], ratio_target=LIST_RATIO_TARGET,
                 p95_target={"sqlite": 50.0, "postgres": 50.0}),
        Endpoint("support", "support toggle (htmx POST)",
                 [post(f"/idees/{i}/soutenir", {}) for i in supported]
                 + [post(f"/idees/{i}/retirer-soutien", {}) for i in supported],
                 rotate=False, p95_target={"sqlite": 20.0, "postgres": 20.0}),
        Endpoint("comment", "post a comment (htmx POST)",
                 [post(f"/idees/{i}/commentaires", {"body": drafts.comment()}, token=True)
                  for i in commented]),
        Endpoint("search", "search, 200 mixed queries",
                 [get(f"/recherche?q={quote(q)}") for q in texts], p95_target=search_target),
        Endpoint("suggest", "search as you type (htmx)",
                 [get(f"/recherche/suggestions?q={quote(p)}", htmx=True) for p in prefixes]),
        Endpoint("similar", "similar ideas while writing (htmx POST)",
                 [post("/idees/similaires", {"title": drafts.title(), "body": drafts.body()})
                  for _ in range(50)]),
        Endpoint("dashboard", "dashboard, current year (manager)", [get("/pilotage/")],
                 manager=True, p95_target={"sqlite": 300.0, "postgres": 300.0}),
        Endpoint("export", "CSV export of the year's ideas (manager)",
                 [get("/pilotage/idees.csv")], manager=True),
    ]
    return endpoints, agents, manager


# -- Measuring

def lua_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid Lua string literal here
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{json.dumps(k)}] = {lua_value(v)}"
                               for k, v in value.items() if v is not None) + "}"
    return "{" + ", ".join(lua_value(v) for v in value) + "}"


def sign_in(port: int, emails: list[str]) -> list[dict]:
    users = []
    for email in emails:
        agent = Agent(port)
        agent.login(email, SCALE_PASSWORD)
        cookie = "; ".join(f"{k}={v}" for k, v in agent.cookies.items())
        users.append({"cookie": cookie, "csrf": agent.csrf_token})
    return users


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wrk(port: int, users: list[dict], endpoint: Endpoint, seconds: float,
        connections: int, workdir: Path) -> dict:
    data = workdir / f"{endpoint.name}.lua"
    data.write_text("return " + lua_value({"users": users, "requests": endpoint.requests,
                                           "rotate": endpoint.rotate}), encoding="utf-8")
    command = ["wrk", "-t", str(connections), "-c", str(connections), "-d",
               f"{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(SCRIPT),
               f"http://127.0.0.1:{port}"]
    output = subprocess.run(command, env={**os.environ, "BENCH_DATA": str(data)},
                            capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    return json.loads(line.removeprefix("BENCH_RESULT "))


def run_endpoint(database: str, server: Gunicorn, endpoint: Endpoint, users: list[dict],
                 args, workdir: Path) -> Measure:
    if args.warmup:
        wrk(server.port, users, endpoint, args.warmup, args.connections, workdir)
    pids = server.worker_pids()
    before = cpu_seconds(pids)
    found = wrk(server.port, users, endpoint, args.duration, args.connections, workdir)
    cpu = cpu_seconds(pids) - before
    requests = found["requests"]
    errors = sum(found["errors"].values()) - found["errors"]["status"]
    return Measure(
        database=database, endpoint=endpoint.name, label=endpoint.label, requests=requests,
        rps=requests / (found["duration_us"] / 1e6), p50_ms=found["p50_us"] / 1000,
        p95_ms=found["p95_us"] / 1000, p99_ms=found["p99_us"] / 1000,
        cpu_ms=cpu * 1000 / max(requests, 1), load=os.getloadavg()[0],
        statuses=found["statuses"], errors=errors)


def judge(measure: Measure, endpoint: Endpoint, hello_rps: float) -> None:
    measure.ratio = measure.rps / hello_rps if hello_rps else None
    if endpoint.ratio_target is not None:
        goal = f"≥ {endpoint.ratio_target:.0%} of hello-world"
        measure.targets.append(goal)
        if measure.ratio is None or measure.ratio < endpoint.ratio_target:
            measure.missed.append(goal)
    limit = endpoint.p95_target.get(measure.database)
    if limit is not None:
        goal = f"p95 ≤ {limit:.0f} ms"
        measure.targets.append(goal)
        if measure.p95_ms > limit:
            measure.missed.append(goal)
    if not measure.requests:  # every request outlived wrk's timeout: no latency to judge
        measure.missed.append("no answer within wrk's timeout")
    unexpected = {s: n for s, n in measure.statuses.items() if s != "200"}
    if unexpected or measure.errors:
        measure.missed.append(f"answers {unexpected}, {measure.errors} connection errors")


def run_database(database: str, args, workdir: Path) -> dict:
    url = database_url(database, args.data_dir, args.pg_url)
    directory = args.data_dir / database
    ensure_data(database, url, directory, args.sizes)
    endpoints, agents, manager = plan(url)
    if args.only:
        endpoints = [e for e in endpoints if e.name in args.only]
    site = Site(url=url, directory=directory, search_backend=backend_of(database))
    # Same settings for both apps: gunicorn.conf.py, N sync workers, no recycling during the
    # run (so the memory read at the end is what the run left).
    settings = {"GUNICORN_MAX_REQUESTS": "0"}
    hello_env = {**settings, "SEARCH_CHECK_AT_START": "0"}
    with Gunicorn(site, workers=args.workers, env=hello_env, app="bench.perf.hello:app",
                  timeout=120) as hello:
        users = [{"cookie": "session=hello", "csrf": "hello"}]
        hello_measure = run_endpoint(database, hello, Endpoint("hello", "hello world",
                                                               [get("/")]), users, args,
                                     workdir)
    print(f"[{database}] hello world: {hello_measure.rps:,.0f} req/s "
          f"(load {hello_measure.load:.1f})", flush=True)
    measures = []
    with Gunicorn(site, workers=args.workers, env=settings, timeout=120) as server:
        for endpoint in endpoints:
            # Fresh sessions for each page: a long run would outlive the idle timeout.
            emails = [manager] if endpoint.manager else agents[:args.connections]
            users = sign_in(server.port, emails)
            measure = run_endpoint(database, server, endpoint, users, args, workdir)
            judge(measure, endpoint, hello_measure.rps)
            measures.append(measure)
            print(f"[{database}] {endpoint.label}: {measure.rps:,.1f} req/s "
                  f"({measure.ratio:.1%}), p50 {measure.p50_ms:.1f}, p95 {measure.p95_ms:.1f}, "
                  f"p99 {measure.p99_ms:.1f} ms, CPU {measure.cpu_ms:.1f} ms/request, "
                  f"load {measure.load:.1f}"
                  + (f" — MISSED {', '.join(measure.missed)}" if measure.missed else ""),
                  flush=True)
        memory = {str(pid): round(rss_mb(pid), 1) for pid in server.worker_pids()}
    return {"database": database, "url": make_url(url).render_as_string(),
            "hello": asdict(hello_measure), "measures": [asdict(m) for m in measures],
            "memory_mb": memory, "memory_ok": max(memory.values()) <= MEMORY_TARGET_MB,
            "endpoints": {e.name: e for e in endpoints}, "site": site, "agents": agents,
            "manager": manager}


# -- Profile of the slowest page

def profile(result: dict, args) -> Path | None:
    """pyinstrument over the page with the most CPU per request, in a process with the
    server's environment (Flask test client, the same database)."""
    measures = [m for m in result["measures"] if m["requests"]]
    if not measures:
        return None
    slowest = max(measures, key=lambda m: m["cpu_ms"])
    endpoint = result["endpoints"][slowest["endpoint"]]
    email = result["manager"] if endpoint.manager else result["agents"][0]
    out = args.out / f"profile-{result['database']}-{endpoint.name}.txt"
    job = {"email": email, "requests": endpoint.requests[:20], "out": str(out)}
    env = {**result["site"].env(), "BENCH_PROFILE": json.dumps(job)}
    subprocess.run([sys.executable, "-m", "bench.perf.profile"], cwd=ROOT, env=env, check=True)
    return out


# -- Report

def table(results: list[dict]) -> str:
    lines = ["| database | page | req/s | % of hello-world | p50 (ms) | p95 (ms) | p99 (ms) | "
             "CPU/req (ms) | load | targets |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for result in results:
        hello = result["hello"]
        lines.append(f"| {result['database']} | *hello world* | {hello['rps']:,.0f} | 100 % | "
                     f"{hello['p50_ms']:.1f} | {hello['p95_ms']:.1f} | {hello['p99_ms']:.1f} | "
                     f"{hello['cpu_ms']:.2f} | {hello['load']:.1f} | |")
        for m in result["measures"]:
            verdict = "; ".join(
                [f"**missed** {goal}" for goal in m["missed"]]
                + [f"met {goal}" for goal in m["targets"] if goal not in m["missed"]])
            lines.append(
                f"| {m['database']} | {m['label']} | {m['rps']:,.1f} | {m['ratio']:.1%} | "
                f"{m['p50_ms']:.1f} | {m['p95_ms']:.1f} | {m['p99_ms']:.1f} | "
                f"{m['cpu_ms']:.1f} | {m['load']:.1f} | {verdict} |")
        memory = ", ".join(f"{mb:.0f}" for mb in result["memory_mb"].values())
        lines.append(f"| {result['database']} | RSS per worker after the run (MB) | {memory} "
                     f"| | | | | | | {'met' if result['memory_ok'] else '**missed**'} "
                     f"≤ {MEMORY_TARGET_MB} MB |")
    return "\n".join(lines)


def report(results: list[dict], args, started: str, profiles: list[Path]) -> str:
    load = os.getloadavg()
    header = [
        "# Performance benchmark", "",
        f"`{' '.join(['python -m bench.perf.run', *sys.argv[1:]])}` on {platform.node()} "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}), started {started}; "
        f"gunicorn {args.workers} sync workers (gunicorn.conf.py, production config, no worker "
        f"recycling), wrk with {args.connections} connections (one signed-in agent each) for "
        f"{args.duration:.0f} s per page after {args.warmup:.0f} s of warm-up; SQLite with "
        "Whoosh, PostgreSQL with its full-text search. Load average at the end: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.", "",
        "Ratios are to the hello-world app measured just before, with the same settings. "
        "CPU/req is the gunicorn workers' CPU time per request (user + system): unlike "
        "latency it barely depends on what else the machine runs. The load column is the "
        "1-minute load average at the end of each page's run.", "",
    ]
    footer = ["", *[f"Profile of the page with the most CPU per request: "
                    f"`{p.name}`" for p in profiles if p]]
    return "\n".join([*header, table(results), *footer]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("BENCH_DATA_DIR", DEFAULT_DATA_DIR)))
    parser.add_argument("--duration", type=float, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each page")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", type=lambda v: set(v.split(",")), default=None,
                        help="comma-separated page names (home, ideas, idea, search…)")
    parser.add_argument("--small", action="store_true",
                        help="seed small data when the database is empty (smoke run)")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--name", default="perf", help="results file names: NAME.json/.md")
    args = parser.parse_args()
    args.sizes = SMALL if args.small else Sizes()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M")
    results, profiles = [], []
    with tempfile.TemporaryDirectory(prefix="bench-perf-") as workdir:
        for database in args.databases.split(","):
            results.append(run_database(database, args, Path(workdir)))
    if args.profile:
        profiles = [profile(result, args) for result in results]
    for result in results:
        for key in ("endpoints", "site", "agents", "manager"):
            result.pop(key)
    (args.out / f"{args.name}.json").write_text(json.dumps(
        {"started": started, "machine": platform.node(), "cpus": os.cpu_count(),
         "workers": args.workers, "connections": args.connections, "duration": args.duration,
         "results": results}, indent=1, ensure_ascii=False), encoding="utf-8")
    text_report = report(results, args, started, profiles)
    (args.out / f"{args.name}.md").write_text(text_report, encoding="utf-8")
    print("\n" + text_report)
    missed = [m for r in results for m in r["measures"] if m["missed"]]
    print(f"{len(missed)} page(s) missed a target." if missed else "Every target met.")


if __name__ == "__main__":
    main()
