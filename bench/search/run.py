"""Search benchmark: 100,000 generated French ideas, each backend, rebuild time, index size,
p50/p95 latency of 200 mixed queries (plus suggestions and similar ideas).

    .venv/bin/python -m bench.search.run                       # both backends, 100,000 ideas
    .venv/bin/python -m bench.search.run --ideas 20000 --backends whoosh

Whoosh runs on a SQLite database (its natural deployment), PostgreSQL on the database given by
--pg-url (emptied first: use a scratch database). The data is the scale seed's (ideas.scale:
`flask seed-scale` at this many ideas), inserted in bulk without the session hooks: the rebuild
is what is measured. Results go to
bench/results/search.md (and stdout).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from ideas.scale.corpus import Generator, queries

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_search"


def populate(db, total: int) -> list[int]:
    """The scale seed's data (ideas.scale.seed) at this many ideas, the other volumes in
    proportion; returns the open community ids plus three private ones (an agent's view)."""
    from ideas.communities.models import Community
    from ideas.scale.seed import Sizes, seed_scale

    default = Sizes()
    ratio = total / default.ideas
    seed_scale(Sizes(ideas=total, supports=round(default.supports * ratio),
                     comments=round(default.comments * ratio),
                     services=round(default.services * ratio)), build_index=False)
    communities = db.session.execute(db.select(Community.id, Community.is_private)).all()
    private = [c.id for c in communities if c.is_private]
    return [c.id for c in communities if not c.is_private] + private[:3]


def index_size(backend, db) -> int:
    if backend.name == "whoosh":
        return sum(p.stat().st_size for p in backend.index.directory.iterdir())
    return db.session.scalar(db.text("SELECT pg_total_relation_size('search_documents')"))


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50": statistics.median(ordered) * 1000,
            "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000,
            "max": ordered[-1] * 1000}


def timed(calls, db) -> list[float]:
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
        db.session.remove()  # one request, one session: back to the pool
    return samples


def run_backend(name: str, url: str, total: int, workdir: Path) -> dict:
    from ideas import create_app
    from ideas.extensions import db
    from ideas.reference.seed import seed_reference
    from ideas.search.registry import get_backend

    index_dir = workdir / "whoosh-index"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, SEARCH_BACKEND=name,
                     SEARCH_INDEX_DIR=str(index_dir), SEARCH_AUTO_REBUILD_MAX=0, DEBUG=False)
    result = {"backend": name, "ideas": total}
    with app.app_context():
        print(f"[{name}] database {db.engine.url.render_as_string()}", file=sys.stderr)
        db.drop_all()
        db.create_all()
        seed_reference()
        db.session.commit()
        started = time.perf_counter()
        allowed = populate(db, total)
        result["insert_s"] = time.perf_counter() - started
        backend = get_backend()

        started = time.perf_counter()
        with db.engine.begin() as connection:
            result["indexed"] = backend.rebuild(connection, lambda done, all_: print(
                f"\r  indexed {done}/{all_}", end="", file=sys.stderr, flush=True))
        result["rebuild_s"] = time.perf_counter() - started
        print(file=sys.stderr)
        result["size_mb"] = index_size(backend, db) / 1024 / 1024

        texts = queries()
        result["load_before"] = os.getloadavg()[0]
        started = time.perf_counter()
        backend.search("énergie", allowed_community_ids=allowed)
        result["first_query_ms"] = (time.perf_counter() - started) * 1000
        db.session.remove()
        search = timed([lambda t=t: backend.search(t, allowed_community_ids=allowed)
                        for t in texts], db)
        hits = [backend.search(t, allowed_community_ids=allowed).total for t in texts[:20]]
        db.session.remove()
        sorted_ = timed([lambda t=t, s=s: backend.search(t, allowed_community_ids=allowed,
                                                         sort=s)
                         for t, s in zip(texts[:50], ["newest", "votes"] * 25, strict=True)], db)
        prefixes = [t.strip('"-')[:n] for t in texts[:100] for n in (4,)]
        suggest = timed([lambda p=p: backend.suggest(p, allowed_community_ids=allowed)
                         for p in prefixes], db)
        generator = Generator(seed=99)
        drafts = [(generator.title(), generator.body()) for _ in range(50)]
        similar = timed([lambda d=d: backend.similar(d[0], d[1], allowed_community_ids=allowed)
                         for d in drafts], db)
        result["load_after"] = os.getloadavg()[0]
        result.update(search=percentiles(search), sorted=percentiles(sorted_),
                      suggest=percentiles(suggest), similar=percentiles(similar),
                      sample_totals=hits)
    return result


def report(results: list[dict], total: int) -> str:
    lines = [
        "# Search benchmark",
        "",
        f"`{' '.join(['.venv/bin/python -m bench.search.run', *sys.argv[1:]])}` on "
        f"{platform.node()} ({os.cpu_count()} CPU, Python {platform.python_version()}), "
        f"{time.strftime('%Y-%m-%d %H:%M')}. {total:,} generated French ideas "
        "(the scale seed, ideas/scale: 3–14 sentences each, 3 comments and 10 supports per "
        "idea on average, 60 communities of which 10 private); the agent searching may read "
        "the 50 open communities and 3 private ones.",
        "",
        "Latency is measured in-process around one backend call (query parsing, search, "
        "facet counts for community/theme/status/territory/ODD/year, highlighting of a page of "
        "20), one session per call like one request; the first query (cold caches) is "
        "reported apart.",
        "",
        "| | " + " | ".join(r["backend"] for r in results) + " | target |",
        "|---|" + "---|" * len(results) + "---|",
    ]

    def row(label, values, target=""):
        lines.append(f"| {label} | " + " | ".join(values) + f" | {target} |")

    row("load average (1 min) before / after the queries",
        [f"{r['load_before']:.1f} / {r['load_after']:.1f}" for r in results])
    row("rows inserted (s)", [f"{r['insert_s']:.1f}" for r in results])
    row("full rebuild (s)", [f"{r['rebuild_s']:.1f}" for r in results], "< 120")
    row("index size (MB)", [f"{r['size_mb']:.0f}" for r in results])
    row("first query, cold (ms)", [f"{r['first_query_ms']:.0f}" for r in results])
    for key, label in (("search", "200 mixed queries"), ("sorted", "50 sorted by date/votes"),
                       ("suggest", "100 suggestions (4 letters)"),
                       ("similar", "50 similar-ideas drafts")):
        for stat in ("p50", "p95"):
            target = ""
            if key == "search" and stat == "p95":
                target = "Whoosh < 100, PostgreSQL < 50"
            row(f"{label}: {stat} (ms)", [f"{r[key][stat]:.1f}" for r in results], target)
    lines += ["", "Result counts of the first 20 queries (sanity check; both backends should be "
              "close): "]
    lines += [f"- {r['backend']}: {r['sample_totals']}" for r in results]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--workdir", default="/tmp/bench-search")
    parser.add_argument("--out", default=str(ROOT / "bench/results/search.md"))
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for name in args.backends.split(","):
        url = f"sqlite:///{workdir / 'bench.sqlite3'}" if name == "whoosh" else args.pg_url
        if name == "whoosh":
            (workdir / "bench.sqlite3").unlink(missing_ok=True)
        results.append(run_backend(name, url, args.ideas, workdir))
    text = report(results, args.ideas)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
