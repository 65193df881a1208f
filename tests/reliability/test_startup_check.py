"""R5, R6: gunicorn's master reconciles the search index with the database before the
workers serve (gunicorn.conf.py `on_starting`): a deleted index, or writes left in the retry
queue, are repaired at start-up when the database is small enough for it to be cheap."""

import shutil

import pytest

from tests.reliability.server import Gunicorn, signed_in


@pytest.mark.checklist("R5", "R6")
def test_a_deleted_index_is_rebuilt_before_the_first_request(site):
    shutil.rmtree(site.index_dir)
    with Gunicorn(site, workers=1) as server:
        assert f"missing {len(site.idea_ids)}" in server.log(tail=None)
        assert not site.search_check().has_drift
        agent = signed_in(server, site, 1)
        page = agent.get("/recherche?q=charge")
        assert page.status == 200 and f"/idees/{site.idea_ids[0]}\"" in page.text
