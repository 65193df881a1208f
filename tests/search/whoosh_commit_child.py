"""Run in a child process by test_index_kill.py: index many documents in one Whoosh writer,
saying (a file) the moment its commit starts, so the parent can kill it in the middle."""

import sys
from datetime import datetime
from pathlib import Path


def index_then_commit(index_dir: str, started_path: str, count: int) -> None:
    import whoosh.writing

    from ideas.search.documents import IdeaDocument
    from ideas.search.whoosh_backend import WhooshBackend

    real_commit = whoosh.writing.SegmentWriter.commit

    def commit(self, *args, **kwargs):
        Path(started_path).write_text("commit")
        return real_commit(self, *args, **kwargs)

    whoosh.writing.SegmentWriter.commit = commit
    WhooshBackend(index_dir).write([IdeaDocument(
        idea_id=900_000 + n, community_id=1, community_name="Communauté", is_private=False,
        status="submitted", territory_id=None, created_at=datetime(2026, 1, 1), vote_count=0,
        is_hidden=False, title=f"Document fantôme numéro {n}",
        body="Un texte assez long pour que l'écriture du segment prenne du temps. " * 20)
        for n in range(count)])


if __name__ == "__main__":
    index_then_commit(sys.argv[1], sys.argv[2], int(sys.argv[3]))
