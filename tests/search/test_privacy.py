"""Private stays private: an idea of a private community never reaches a non-member through
results, facet counts, suggestions or similar ideas — through the backend (given the allowed
communities) nor through the page-level queries (which compute them and re-check the rows)."""

import pytest

from ideas.search import queries
from ideas.search.engine import SearchFilters
from tests import factories

PRIVATE_WORDS = "énergie solaire photovoltaïques"


@pytest.fixture
def outsider(db):
    return factories.UserFactory(display_name="Agent extérieur")


def test_a_non_member_never_meets_a_private_idea(backend, corpus, outsider):
    found = queries.search_ideas(outsider, PRIVATE_WORDS.split()[0])
    assert "secret" not in corpus.keys(item.idea.id for item in found.items)
    assert corpus.private.id not in found.facets["community"]
    assert found.total == 1  # the open "energie" idea only
    assert queries.search_ideas(outsider, "photovoltaïques").total == 0
    assert queries.search_ideas(outsider, "confidentiel").total == 0
    assert queries.suggest_ideas(outsider, "Projet conf") == []
    similar = queries.similar_ideas(outsider, "Énergie solaire du siège", "panneaux")
    assert "secret" not in corpus.keys(item.idea.id for item in similar)


def test_empty_query_and_facet_filters_do_not_open_the_door(backend, corpus, outsider):
    everything = queries.search_ideas(outsider, "", per_page=100)
    assert "secret" not in corpus.keys(item.idea.id for item in everything.items)
    assert everything.total == 16
    asked = queries.search_ideas(outsider, "", filters=SearchFilters(
        community_ids=(corpus.private.id,)))
    assert asked.total == 0 and asked.items == []


def test_field_syntax_cannot_reach_another_community(backend, corpus, outsider):
    for text in (f"community:{corpus.private.id} énergie", f"community_id:{corpus.private.id}",
                 "is_private:true", "status:submitted photovoltaïques", "id:*"):
        found = queries.search_ideas(outsider, text)
        assert "secret" not in corpus.keys(item.idea.id for item in found.items), text
        assert corpus.private.id not in found.facets.get("community", {}), text


def test_members_and_management_find_it(backend, corpus, manager):
    for user in (corpus.member, manager):
        found = queries.search_ideas(user, "photovoltaïques")
        assert corpus.keys(item.idea.id for item in found.items) == {"secret"}
        assert found.facets["community"] == {corpus.private.id: 1}
        assert [i.idea.id for i in queries.suggest_ideas(user, "Projet conf")] == [
            corpus.ids["secret"]]


def test_a_member_who_leaves_loses_it_at_once(backend, corpus, db):
    from ideas.communities.models import Membership

    db.session.execute(db.delete(Membership).where(Membership.user_id == corpus.member.id))
    db.session.commit()
    db.session.expire_all()
    assert queries.search_ideas(corpus.member, "photovoltaïques").total == 0


def test_the_rows_are_rechecked_against_the_database(backend, corpus, outsider, db):
    """Even if the backend were handed the private community (a stale or wrong index, a bug in
    the caller), the page-level result only keeps ideas the database says are visible."""
    from ideas.search.queries import _checked

    hits = backend.search("photovoltaïques", allowed_community_ids=[corpus.private.id]).hits
    assert [hit.idea_id for hit in hits] == [corpus.ids["secret"]]
    assert _checked(outsider, hits) == []


def test_a_withdrawn_idea_leaves_the_results(backend, corpus, db):
    from ideas.ideation.models import Idea, IdeaStatus

    idea = db.session.get(Idea, corpus.ids["velos"])
    idea.status = IdeaStatus.WITHDRAWN
    db.session.commit()
    assert backend.search("vélo", allowed_community_ids=[corpus.open.id]).total == 0
    assert backend.suggest("vélo", allowed_community_ids=[corpus.open.id]) == []


def test_hidden_ideas_are_found_only_by_the_community_moderators(backend, corpus, db,
                                                                 outsider, admin):
    from ideas.ideation.models import Idea
    from ideas.utils import utcnow

    facilitator = factories.UserFactory(display_name="Animatrice")
    factories.MembershipFactory(user=facilitator, community=corpus.open, role="facilitator")
    db.session.get(Idea, corpus.ids["velos"]).hidden_at = utcnow()
    db.session.commit()

    found = queries.search_ideas(outsider, "vélo OR covoiturage")
    assert corpus.keys(item.idea.id for item in found.items) == {"covoiturage"}
    assert found.total == 1 and found.facets["community"] == {corpus.open.id: 1}
    assert queries.suggest_ideas(outsider, "Des vélos") == []
    for moderator in (facilitator, admin):
        found = queries.search_ideas(moderator, "vélo")
        assert corpus.keys(item.idea.id for item in found.items) == {"velos"}


def test_a_hidden_comment_no_longer_finds_its_idea(backend, corpus, db, outsider):
    from ideas.comments.services import post_comment
    from ideas.ideation.models import Idea
    from ideas.utils import utcnow

    comment = post_comment(outsider, db.session.get(Idea, corpus.ids["eau"]),
                           "Pensez aux chasses d'eau économes.")
    db.session.commit()
    assert corpus.keys(i.idea.id for i in queries.search_ideas(outsider, "chasses").items) == {
        "eau"}
    comment.hidden_at = utcnow()
    db.session.commit()
    assert queries.search_ideas(outsider, "chasses").total == 0
