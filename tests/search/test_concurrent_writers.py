"""Several processes write the same Whoosh index (gunicorn workers): none loses a document.

A plain `writer()` raises LockError when another process holds the lock; ours waits for it
(timeout, retries), so two processes indexing 200 documents each, one commit per document,
leave 400 documents."""

import multiprocessing

from ideas.search.whoosh_backend import WhooshBackend
from tests.search.whoosh_workers import index_one_by_one

PER_PROCESS = 200


def test_two_processes_indexing_200_documents_each_lose_none(tmp_path):
    directory = str(tmp_path / "index")
    WhooshBackend(directory).index.create()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=index_one_by_one, args=(directory, start, PER_PROCESS))
               for start in (1, 1 + PER_PROCESS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(300)
        assert worker.exitcode == 0

    with WhooshBackend(directory).index.open().searcher() as searcher:
        ids = {int(fields["id"]) for fields in searcher.all_stored_fields()}
        assert searcher.doc_count() == 2 * PER_PROCESS
    assert ids == set(range(1, 1 + 2 * PER_PROCESS))
