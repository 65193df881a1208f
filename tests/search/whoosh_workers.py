"""Code run in child processes by the Whoosh tests (importable, so `spawn` can run it)."""

import fcntl
import os
import sys
import time
from datetime import datetime


def index_one_by_one(index_dir: str, first_id: int, count: int) -> None:
    """One writer per document, as gunicorn workers indexing one idea per request do."""
    from ideas.search.documents import IdeaDocument
    from ideas.search.whoosh_backend import WhooshBackend

    backend = WhooshBackend(index_dir)
    for idea_id in range(first_id, first_id + count):
        backend.write([IdeaDocument(
            idea_id=idea_id, community_id=1, community_name="Communauté", is_private=False,
            status="submitted", territory_id=None, created_at=datetime(2026, 1, 1),
            vote_count=0, is_hidden=False, title=f"Idée numéro {idea_id}",
            body="Un texte court.")])


def hold_lock(lock_path: str, ready_path: str, seconds: float) -> None:
    """Take the index write lock like a Whoosh writer does, then keep it."""
    fd = os.open(lock_path, os.O_CREAT | os.O_WRONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    with open(ready_path, "w") as ready:
        ready.write("locked")
    time.sleep(seconds)


if __name__ == "__main__":
    hold_lock(sys.argv[1], sys.argv[2], float(sys.argv[3]))
