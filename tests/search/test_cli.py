"""`flask --app wsgi search rebuild|check [--fix]` on each backend."""

from sqlalchemy import text

from ideas.extensions import db as _db
from tests.search.conftest import post
from tests.search.helpers import assert_in_step, indexed_ids


def run(app, *args):
    return app.test_cli_runner().invoke(args=["search", *args])


def lose_document(backend, idea_id: int) -> None:
    if backend.name == "whoosh":
        with backend.index.writer() as writer:
            writer.delete_by_term("id", str(idea_id))
    else:
        _db.session.execute(text("DELETE FROM search_documents WHERE idea_id = :i"),
                            {"i": idea_id})
        _db.session.commit()


def test_rebuild_indexes_every_idea(app, backend, agent, open_community):
    ideas = [post(agent, open_community, f"Idée de test numéro {n}", "Texte.") for n in range(3)]
    lose_document(backend, ideas[0].id)
    result = run(app, "rebuild")
    assert result.exit_code == 0, result.output
    assert "3 ideas indexed" in result.output
    assert indexed_ids(backend) == {idea.id for idea in ideas}
    assert_in_step(backend)


def test_check_reports_drift_and_fix_repairs_it(app, backend, agent, open_community):
    ideas = [post(agent, open_community, f"Idée de test numéro {n}", "Texte.") for n in range(3)]
    result = run(app, "check")
    assert result.exit_code == 0 and "agrees" in result.output

    lose_document(backend, ideas[1].id)
    _db.session.execute(text("UPDATE ideas SET title = 'Titre changé en douce' WHERE id = :i"),
                        {"i": ideas[2].id})  # raw SQL text: no hook can tell which idea changed
    _db.session.commit()
    result = run(app, "check")
    assert result.exit_code == 1
    assert "missing 1, stale 1, orphans 0" in result.output
    assert f"missing: {ideas[1].id}" in result.output and f"stale: {ideas[2].id}" in result.output

    result = run(app, "check", "--fix")
    assert result.exit_code == 0, result.output
    assert "after repair: missing 0, stale 0, orphans 0, queued 0" in result.output
    assert_in_step(backend)
    hits = backend.search("changé", allowed_community_ids=[open_community.id]).hits
    assert [hit.idea_id for hit in hits] == [ideas[2].id]


def test_check_counts_queued_ideas_as_drift(app, backend, agent, open_community):
    from ideas.search import queue

    idea = post(agent, open_community, "Idée en attente d'indexation", "Texte.")
    queue.enqueue(_db.engine, [idea.id], "test")
    assert run(app, "check").exit_code == 1
    assert run(app, "check", "--fix").exit_code == 0
    with _db.engine.connect() as connection:
        assert queue.count(connection) == 0
