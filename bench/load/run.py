"""Load test (SECURITY-CHECKLIST R4, R11): N agents at once, each signed in with its own
session, support, withdraw their support and comment across the ideas of a community (a third
of their actions on one "hot" idea), against gunicorn with 4 workers in production config, on
SQLite or PostgreSQL. Then it checks, exactly:

- no 5xx, no dropped connection, no "database is locked" in the server's log;
- every counter equals COUNT(*) of its rows (ideas.integrity);
- each agent's support of each idea is what its last answered request said it is (the support
  count is then the number of distinct supporters, exactly);
- the comments written are the comments answered 200, one each;
- the search index is never ahead of the database, and never behind unless what it misses is
  queued for retry (then `check --fix` agrees).

    .venv/bin/python bench/load/run.py --database sqlite --agents 200 --duration 60
    .venv/bin/python bench/load/run.py --database postgresql --agents 200 --duration 60 \\
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Each run makes its own database (a temporary SQLite file, or a PostgreSQL database created and
dropped on that server) and stops its server. tests/reliability/test_load.py runs a small
version (50 agents, a few seconds) in CI. Results: bench/results/load.md.
"""

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.reliability.server import (  # noqa: E402 - after the path above
    Agent,
    Gunicorn,
    Probe,
    fresh_database,
    prepare,
)

ACTIONS = (("support", 0.4), ("withdraw", 0.3), ("comment", 0.3))
HOT_SHARE = 1 / 3  # of the actions go to the first idea: many agents on one row at once


@dataclass
class Result:
    database: str
    agents: int
    workers: int
    duration: float
    statuses: Counter = field(default_factory=Counter)  # (action, status) → count
    errors: Counter = field(default_factory=Counter)  # dropped connections, by kind
    latencies: dict = field(default_factory=lambda: defaultdict(list))  # action → seconds
    expected_supports: dict = field(default_factory=dict)  # (email, idea_id) → bool
    comments_answered: int = 0
    problems: list = field(default_factory=list)
    search: str = ""
    load_average: tuple = ()
    server_cpu: float = 0.0  # seconds of CPU the gunicorn workers used during the run
    client_cpu: float = 0.0  # seconds of CPU the agents (this process) used meanwhile

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for (_action, status), n in self.statuses.items() if status >= 500)

    def percentile(self, action: str, share: float) -> float:
        values = sorted(self.latencies[action])
        return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0

    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [f"{self.database}: {self.agents} agents, {self.workers} workers, "
                 f"{self.duration:.0f} s, {self.requests} requests "
                 f"({self.requests / self.duration:.0f}/s), 5xx: {self.server_errors}, "
                 f"dropped: {sum(self.errors.values())}"]
        for action, _weight in ACTIONS:
            done = self.latencies[action]
            if done:
                lines.append(
                    f"  {action:<8} {len(done):>6}  p50 {statistics.median(done) * 1000:6.0f} ms"
                    f"  p95 {self.percentile(action, .95) * 1000:6.0f} ms"
                    f"  p99 {self.percentile(action, .99) * 1000:6.0f} ms")
        if self.requests:
            lines.append(f"  server CPU: {self.server_cpu:.1f} s, "
                         f"{self.server_cpu / self.requests * 1000:.0f} ms per request; "
                         f"agents' CPU: {self.client_cpu:.1f} s")
        lines.append(f"  statuses: {dict(sorted(self.statuses.items()))}")
        lines.append(f"  search: {self.search}")
        lines.append("  checks: " + ("all exact" if self.ok() else "; ".join(self.problems[:10])))
        return "\n".join(lines)


def _agent_loop(server, site, email: str, clock: dict, seed: int, result: Result,
                lock: threading.Lock, start: threading.Barrier) -> None:
    chooser = random.Random(seed)
    agent = Agent(server.port, timeout=120)
    agent.login(email)
    start.wait(timeout=600)
    hot, others = site.idea_ids[0], site.idea_ids[1:] or site.idea_ids
    while time.monotonic() < clock["deadline"]:
        idea_id = hot if chooser.random() < HOT_SHARE else chooser.choice(others)
        action = chooser.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS])[0]
        started = time.monotonic()
        try:
            if action == "comment":
                token = Agent.submission_token(agent.get(f"/idees/{idea_id}"))
                response = agent.post(f"/idees/{idea_id}/commentaires", {
                    "body": f"Commentaire de charge ({email}, {seed})",
                    "submission_token": token}, htmx=True)
            else:
                path = "soutenir" if action == "support" else "retirer-soutien"
                response = agent.post(f"/idees/{idea_id}/{path}", htmx=True)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                result.errors[type(error).__name__] += 1
                if action != "comment":  # the state of this support is unknown now
                    result.expected_supports[(email, idea_id)] = None
            continue
        elapsed = time.monotonic() - started
        with lock:
            result.statuses[(action, response.status)] += 1
            result.latencies[action].append(elapsed)
            if response.status == 200:
                if action == "comment":
                    result.comments_answered += 1
                else:
                    result.expected_supports[(email, idea_id)] = action == "support"
            elif action != "comment":
                result.expected_supports[(email, idea_id)] = None


def _cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _verify(site, server, result: Result, comments_before: int) -> None:
    probe = Probe(site.url)
    try:
        result.problems.extend(probe.counter_mismatches())
        result.problems.extend(probe.orphan_rows())
        with probe.engine.connect() as connection:
            from sqlalchemy import text

            supports = {(email, idea_id) for email, idea_id in connection.execute(text(
                "SELECT u.email, v.idea_id FROM votes v JOIN users u ON u.id = v.user_id"))}
            comments = connection.scalar(text("SELECT count(*) FROM comments"))
        for (email, idea_id), supported in result.expected_supports.items():
            if supported is not None and supported != ((email, idea_id) in supports):
                result.problems.append(f"{email} on idea {idea_id}: answered "
                                       f"{'supported' if supported else 'withdrawn'}, "
                                       "database says otherwise")
        if comments - comments_before != result.comments_answered:
            result.problems.append(f"{comments - comments_before} comments written, "
                                   f"{result.comments_answered} answered")
    finally:
        probe.close()
    log = server.log(tail=None)
    if "database is locked" in log:
        result.problems.append("'database is locked' in the server log")
    if result.server_errors:
        result.problems.append(f"{result.server_errors} responses 5xx")
    if result.errors:
        result.problems.append(f"dropped connections: {dict(result.errors)}")
    report = site.search_check()
    result.search = f"after the run: {report.summary()}"
    if report.orphans:
        result.problems.append(f"search index ahead of the database: {report.orphans[:10]}")
    if (report.missing or report.stale) and not report.queued:
        result.problems.append(f"search index behind with nothing queued: {report.summary()}")
    if report.has_drift:
        site.search_check(fix=True)
        after = site.search_check()
        result.search += f"; after check --fix: {after.summary()}"
        if after.has_drift:
            result.problems.append("search check --fix left drift")


def run_load(database: str, agents: int, duration: float, workers: int = 4, ideas: int = 40,
             postgres_url: str | None = None, directory: Path | None = None,
             search_backend: str = "whoosh") -> Result:
    directory = Path(directory or tempfile.mkdtemp(prefix="fabrique-load-"))
    with fresh_database(database, postgres_url, directory) as url:
        site = prepare(url, directory, agents=agents, ideas=ideas, search_backend=search_backend)
        result = Result(database=f"{database} (search: {search_backend})", agents=agents,
                        workers=workers, duration=duration)
        with Gunicorn(site, workers=workers) as server:
            probe = Probe(site.url)
            comments_before = probe.scalar("SELECT count(*) FROM comments")
            probe.close()
            lock = threading.Lock()
            start = threading.Barrier(agents + 1)
            threads = []
            clock = {"deadline": float("inf")}  # set once every agent is signed in

            def target(n: int) -> None:
                try:
                    _agent_loop(server, site, site.emails[n], clock, n, result, lock, start)
                except threading.BrokenBarrierError:
                    pass
                except Exception as error:  # an agent that could not even sign in
                    with lock:
                        result.problems.append(f"agent {n}: {error!r}"[:300])
                    start.abort()

            for n in range(agents):
                thread = threading.Thread(target=target, args=(n,), daemon=True)
                thread.start()
                threads.append(thread)
            start.wait(timeout=600)
            workers_cpu = _cpu_seconds(server.worker_pids())
            client_cpu = time.process_time()
            began = time.monotonic()
            clock["deadline"] = began + duration
            for thread in threads:
                thread.join(timeout=duration + 300)
            result.duration = time.monotonic() - began
            result.server_cpu = _cpu_seconds(server.worker_pids()) - workers_cpu
            result.client_cpu = time.process_time() - client_cpu
            result.load_average = os.getloadavg()
            if any(thread.is_alive() for thread in threads):
                result.problems.append("agents still running after the deadline")
            _verify(site, server, result, comments_before)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ideas", type=int, default=40)
    parser.add_argument("--search-backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--postgres-url",
                        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a server where the run may create and drop its own database")
    args = parser.parse_args()
    result = run_load(args.database, args.agents, args.duration, args.workers, args.ideas,
                      args.postgres_url, search_backend=args.search_backend)
    print(result.summary())
    print(f"  load average after: {result.load_average}")
    return 0 if result.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
