"""Whoosh index faults: deleted, truncated, read-only, locked. Pages get SearchUnavailable
(never a 500), writes to the database still succeed, the ideas the index missed are queued, and
`search check --fix` (or the next successful write) restores exact agreement."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ideas.extensions import db as _db
from ideas.search import queries, queue, whoosh_index
from ideas.search.engine import SearchUnavailable
from tests.search.conftest import post
from tests.search.helpers import assert_in_step, indexed_ids

WORKERS = Path(__file__).with_name("whoosh_workers.py")


@pytest.fixture
def index(whoosh, search_settings):
    # Watch the queue at work: no automatic rebuild of a missing index in these tests.
    search_settings["SEARCH_AUTO_REBUILD_MAX"] = 0
    return whoosh


def queued_ids() -> set[int]:
    from ideas.search.models import SearchQueueEntry

    return set(_db.session.scalars(_db.select(SearchQueueEntry.idea_id)))


def check(app, *options):
    return app.test_cli_runner().invoke(args=["search", "check", *options])


def test_a_deleted_index_queues_writes_and_check_fix_rebuilds_it(app, index, agent,
                                                                 open_community):
    first = post(agent, open_community, "Ateliers vélo du jeudi", "Réparer son vélo.")
    shutil.rmtree(index.index.directory)
    index.index.forget_searcher()

    with pytest.raises(SearchUnavailable):
        queries.search_ideas(agent, "vélo")
    second = post(agent, open_community, "Vélo-école pour les agents", "Apprendre le vélo.")
    assert queued_ids() == {second.id}  # the database write went through

    result = check(app)
    assert result.exit_code == 1 and "missing 2" in result.output
    result = check(app, "--fix")
    assert result.exit_code == 0, result.output
    assert "agrees" in result.output
    assert_in_step(index)
    assert queued_ids() == set()
    assert {i.idea.id for i in queries.search_ideas(agent, "vélo").items} == {first.id, second.id}


def test_truncated_files_make_search_unavailable_until_repaired(app, index, agent,
                                                                open_community):
    ideas = [post(agent, open_community, f"Gobelets réutilisables n°{n}", "Fin du jetable.")
             for n in range(3)]
    for path in index.index.directory.iterdir():
        if path.suffix == ".seg" or path.name.endswith(".toc"):
            with open(path, "r+b") as segment:
                segment.truncate(os.path.getsize(path) // 2)
    index.index.forget_searcher()  # a fresh worker: no file already open

    with pytest.raises(SearchUnavailable):
        queries.search_ideas(agent, "gobelets")
    later = post(agent, open_community, "Gobelets en verre", "Pour les réunions.")
    assert later.id in queued_ids()

    assert check(app, "--fix").exit_code == 0
    assert_in_step(index)
    found = {i.idea.id for i in queries.search_ideas(agent, "gobelets").items}
    assert found == {*(i.id for i in ideas), later.id}


def _read_only(path: Path, on: bool) -> None:
    if os.geteuid() == 0:  # root writes anywhere: only the immutable attribute stops it
        subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True)
    else:
        path.chmod(0o555 if on else 0o755)


def test_a_read_only_index_queues_writes_and_still_answers(index, agent, open_community):
    first = post(agent, open_community, "Gourdes pour tous", "Fin des bouteilles.")
    _read_only(index.index.directory, True)
    try:
        second = post(agent, open_community, "Gourdes en inox", "Plus durables.")
        assert queued_ids() == {second.id}
        # Still readable: search answers, from what the index had (the page re-checks rows).
        assert {i.idea.id for i in queries.search_ideas(agent, "gourdes").items} == {first.id}
    finally:
        _read_only(index.index.directory, False)

    # The next successful write drains the queue: nobody has to run anything.
    third = post(agent, open_community, "Gourdes au logo de l'Atelier", "Pour les visiteurs.")
    assert queued_ids() == set()
    assert indexed_ids(index) == {first.id, second.id, third.id}
    assert_in_step(index)


def test_a_lock_left_by_a_killed_writer_does_not_block(index, agent, open_community, tmp_path):
    lock = index.index.directory / "MAIN_WRITELOCK"
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, str(WORKERS), str(lock), str(ready), "60"])
    try:
        _wait_for(ready)
        holder.send_signal(signal.SIGKILL)  # kill -9 in the middle of "writing"
        holder.wait(10)
    finally:
        holder.kill()
    assert lock.exists()  # the stale lock file is still there …
    idea = post(agent, open_community, "Sacs en tissu", "Pour les courses.")
    assert queued_ids() == set()  # … but the OS released its lock: written at once
    assert indexed_ids(index) == {idea.id}


def test_a_lock_held_too_long_queues_then_the_next_write_drains(index, agent, open_community,
                                                               tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_index, "LOCK_TIMEOUT", 0.2)
    monkeypatch.setattr(whoosh_index, "LOCK_ATTEMPTS", 2)
    lock = index.index.directory / "MAIN_WRITELOCK"
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, str(WORKERS), str(lock), str(ready), "60"])
    try:
        _wait_for(ready)
        blocked = post(agent, open_community, "Tri des biodéchets", "Un bac par étage.")
        assert queued_ids() == {blocked.id}
    finally:
        holder.kill()
        holder.wait(10)
    after = post(agent, open_community, "Tri des mégots", "Des cendriers de collecte.")
    assert queued_ids() == set()
    assert indexed_ids(index) == {blocked.id, after.id}
    with _db.engine.connect() as connection:
        assert queue.count(connection) == 0


def test_a_missing_index_of_a_small_database_rebuilds_itself(whoosh, search_settings, agent,
                                                              open_community):
    search_settings["SEARCH_AUTO_REBUILD_MAX"] = 100
    first = post(agent, open_community, "Covoiturage vers les formations", "Un tableau.")
    shutil.rmtree(whoosh.index.directory)
    second = post(agent, open_community, "Covoiturage du lundi", "Même tableau.")
    assert queued_ids() == set()
    assert indexed_ids(whoosh) == {first.id, second.id}


def _wait_for(path: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, "the lock holder did not start"
        time.sleep(0.05)


def test_an_index_built_by_another_version_is_rebuilt_not_misread(app, index, agent,
                                                                  open_community):
    from whoosh.fields import ID, Schema
    from whoosh.filedb.filestore import FileStorage

    idea = post(agent, open_community, "Tasses au lieu des gobelets", "Chacun la sienne.")
    FileStorage(str(index.index.directory)).create_index(Schema(id=ID(stored=True)))
    index.index.forget_searcher()
    with pytest.raises(SearchUnavailable):
        queries.search_ideas(agent, "tasses")
    assert check(app, "--fix").exit_code == 0
    assert [i.idea.id for i in queries.search_ideas(agent, "tasses").items] == [idea.id]
