"""The index follows the database, after commit: what is rolled back is never indexed, and
every change an idea's document depends on reaches it (edits, comments, supports counted by SQL
increments, themes, communities, deletions)."""

from ideas.comments.services import delete_comment, post_comment
from ideas.ideation import services
from ideas.ideation.models import Idea
from ideas.reference.models import Theme
from ideas.votes.services import cast_vote, withdraw_vote
from tests import factories
from tests.search.conftest import theme_ids
from tests.search.helpers import assert_in_step, drift, indexed_ids, write_deferred


def found(backend, community, words) -> set[int]:
    return {h.idea_id for h in backend.search(words, allowed_community_ids=[community.id]).hits}


def test_an_idea_is_indexed_only_once_committed_and_never_when_rolled_back(
        backend, db, agent, open_community):
    idea = services.post_idea(agent, open_community, title="Composteur collectif au siège",
                              body="Un composteur pour les déchets de la cafétéria.",
                              theme_ids=theme_ids("dechets-papier"))
    assert idea.id is not None  # flushed: the row exists in this transaction
    assert indexed_ids(backend) == set()
    db.session.rollback()
    assert indexed_ids(backend) == set()
    assert found(backend, open_community, "composteur") == set()

    kept = services.post_idea(agent, open_community, title="Composteur collectif au siège",
                              body="Un composteur pour la cafétéria.",
                              theme_ids=theme_ids("dechets-papier"))
    db.session.commit()
    assert indexed_ids(backend) == {kept.id}
    assert found(backend, open_community, "composteur") == {kept.id}
    assert_in_step(backend)


def test_every_change_reaches_the_index(backend, db, agent, admin, open_community):
    idea = services.post_idea(agent, open_community, title="Imprimer moins",
                              body="Paramétrer le recto-verso.", theme_ids=theme_ids(
                                  "dechets-papier"), tags="papier")
    db.session.commit()

    services.edit_idea(agent, idea, title="Imprimer moins au siège",
                       body="Paramétrer le recto-verso et le noir et blanc par défaut.",
                       theme_ids=theme_ids("dechets-papier"), tags="papier, encre")
    db.session.commit()
    assert found(backend, open_community, "noir blanc encre") == {idea.id}
    assert_in_step(backend)

    voter = factories.UserFactory()
    comment = post_comment(voter, idea, "Et pourquoi pas des quotas par service ?")
    cast_vote(voter, idea)  # the count moves by an SQL UPDATE, not through the ORM
    db.session.commit()
    assert found(backend, open_community, "quotas") == {idea.id}
    assert_in_step(backend)

    delete_comment(voter, comment)
    withdraw_vote(voter, idea)
    db.session.commit()
    assert found(backend, open_community, "quotas") == set()
    assert_in_step(backend)

    theme = db.session.scalar(db.select(Theme).filter_by(code="dechets-papier"))
    name = theme.name_fr
    theme.name_fr = "Consommables bureautiques"
    db.session.commit()
    try:
        assert found(backend, open_community, "consommables") == {idea.id}
        assert_in_step(backend)
    finally:  # themes are reference data, kept from one test to the next
        theme.name_fr = name
        db.session.commit()
    assert found(backend, open_community, "consommables") == set()

    open_community.name = "Communauté zéro gaspillage"
    open_community.is_private = True
    db.session.commit()
    assert found(backend, open_community, "gaspillage") == {idea.id}
    assert_in_step(backend)

    db.session.delete(db.session.get(Idea, idea.id))
    db.session.commit()
    assert indexed_ids(backend) == set()
    assert_in_step(backend)


def test_a_savepoint_rolled_back_keeps_what_was_noted_before_it(backend, db, agent,
                                                                   open_community):
    idea = services.post_idea(agent, open_community, title="Gourdes pour tous les agents",
                              body="Remplacer les bouteilles en plastique.",
                              theme_ids=theme_ids("dechets-papier"))
    db.session.commit()
    voter = factories.UserFactory()
    assert cast_vote(voter, idea) is True  # its INSERT ran in a savepoint, released
    assert cast_vote(voter, idea) is False  # this one's savepoint rolled back (unique key)
    db.session.commit()
    if backend.name == "whoosh":  # a count waits for the background writer, marked in the queue
        assert drift(backend).stale == [idea.id]
        assert write_deferred() == 1
    assert_in_step(backend)  # the first support's count reached the index
    results = backend.search("gourdes", allowed_community_ids=[open_community.id], sort="votes")
    assert [h.idea_id for h in results.hits] == [idea.id]
