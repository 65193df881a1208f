"""R4, R11: the small version of bench/load/run.py (which holds the long run, 200 agents): 50
agents supporting, withdrawing and commenting across ideas, a third on one idea, for a few
seconds against 4 gunicorn workers on the run's database. No 5xx, no dropped connection, no
"database is locked", every counter equal to its rows, each support as last answered, each
comment answered written once, the search index never ahead."""

import pytest

from bench.load.run import run_load
from tests.reliability.conftest import DATABASE_URL, KIND


@pytest.mark.checklist("R4", "R11")
def test_fifty_agents_on_four_workers_keep_every_count_exact(tmp_path):
    result = run_load(KIND, agents=50, duration=5, workers=4, ideas=10,
                      postgres_url=DATABASE_URL, directory=tmp_path)
    print(result.summary())
    assert result.problems == []
    assert result.requests >= 50  # every agent got to act
    assert {action for action, _status in result.statuses} == {"support", "withdraw",
                                                               "comment"}
