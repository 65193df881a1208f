"""The benchmark's smoke run (bench/perf/run.py --small): seeds small scale data, serves it with
gunicorn and hello-world, drives every page with wrk for a second, profiles the costliest page
and writes the results. Proves the script works; times are not judged here. SQLite always,
PostgreSQL too in the PostgreSQL run (a database of its own, dropped afterwards)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.server import fresh_database

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ["TEST_DATABASE_URL"]
KIND = "postgres" if DATABASE_URL.startswith("postgresql") else "sqlite"
PAGES = {"home", "ideas", "ideas_filter", "ideas_deep", "community", "idea", "support",
         "comment", "search", "suggest", "similar", "dashboard", "export"}


@pytest.fixture
def wrk():
    if shutil.which("wrk") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("wrk is missing (make wrk)")
        pytest.skip("wrk is missing (make wrk)")


def test_benchmark_runs_every_page_and_writes_its_results(wrk, tmp_path):
    kind = "postgresql" if KIND == "postgres" else "sqlite"
    with fresh_database(kind, DATABASE_URL, tmp_path) as url:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("PYTEST", "TEST_DATABASE"))}
        env["BENCH_PROFILE_SECONDS"] = "0.5"
        command = [sys.executable, "-m", "bench.perf.run", "--small", "--databases", KIND,
                   "--duration", "1", "--warmup", "1", "--data-dir", str(tmp_path / "data"),
                   "--pg-url", url, "--out", str(tmp_path / "results"), "--name", "smoke"]
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads((tmp_path / "results/smoke.json").read_text())["results"]
    (result,) = results
    assert result["hello"]["requests"] > 0
    measures = {m["endpoint"]: m for m in result["measures"]}
    assert set(measures) == PAGES
    for name, measure in measures.items():
        assert measure["requests"] > 0, name
        assert set(measure["statuses"]) == {"200"}, (name, measure["statuses"])
        assert measure["errors"] == 0, name
        assert measure["ratio"] > 0, name
    assert len(result["memory_mb"]) == 2 and all(result["memory_mb"].values())
    table = (tmp_path / "results/smoke.md").read_text()
    assert "| hello world |" in table.replace("*", "") and "% of hello-world" in table
    (profile,) = (tmp_path / "results").glob("profile-*.txt")
    assert "requests" in profile.read_text()
