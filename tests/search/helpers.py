"""What the index holds, read back for assertions (no backend method hides a bug here)."""

from sqlalchemy import text

from ideas.extensions import db


def indexed_ids(backend) -> set[int]:
    if backend.name == "whoosh":
        searcher = backend.index.open().searcher()
        with searcher:
            return {int(fields["id"]) for fields in searcher.all_stored_fields()}
    with db.engine.connect() as connection:
        return set(connection.scalars(text("SELECT idea_id FROM search_documents")))


def drift(backend):
    with db.engine.connect() as connection:
        return backend.check(connection)


def assert_in_step(backend):
    report = drift(backend)
    assert not report.has_drift, report.summary()


def write_deferred() -> int:
    """What the background writer does a moment after a support (the suite runs without its
    thread): fold the queued support counts into the index."""
    from ideas.search.writer import write_deferred as run

    return run()
