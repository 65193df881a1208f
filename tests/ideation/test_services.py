"""Idea use cases without HTTP: post, edit with revision, withdraw, tags, refusals."""

import pytest

from ideas.communities.models import Membership
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation import services
from ideas.ideation.models import Idea, IdeaRevision, IdeaStatus, Tag
from ideas.reference.models import Theme
from tests import factories
from tests.helpers import count

BODY = "Paramétrer **toutes** les imprimantes en recto-verso.\n\n- moins de papier"


@pytest.fixture
def themes(db):
    return db.session.scalars(db.select(Theme).where(Theme.is_active)
                              .order_by(Theme.position).limit(3)).all()


def post(user, community, themes, **changes):
    fields = {"title": "Imprimer en recto-verso par défaut", "body": BODY,
              "theme_ids": [themes[0].id], "sdgs": [12, 13], "tags": "Papier, impression"}
    fields.update(changes)
    idea = services.post_idea(user, community, **fields)
    db.session.commit()
    return idea


# -- Posting

def test_post_in_an_open_community_joins_it_and_follows_the_idea(agent, open_community,
                                                                  themes):
    idea = post(agent, open_community, themes)
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.author_id == agent.id and idea.community_id == open_community.id
    assert "<strong>toutes</strong>" in idea.body_html
    assert "<li>moins de papier</li>" in idea.body_html
    assert [t.id for t in idea.themes] == [themes[0].id]
    assert idea.sdgs == [12, 13]
    assert [t.name for t in idea.tags] == ["impression", "papier"]
    assert count(Membership, user_id=agent.id, community_id=open_community.id) == 1
    db.session.refresh(open_community)
    assert open_community.member_count == 1
    assert count(IdeaFollow, user_id=agent.id, idea_id=idea.id) == 1
    db.session.refresh(idea)
    assert idea.follower_count == 1


def test_post_in_a_private_community_as_a_member(agent, private_community, themes):
    factories.MembershipFactory(user=agent, community=private_community)
    idea = post(agent, private_community, themes)
    assert idea.community_id == private_community.id


def test_post_in_a_private_community_as_a_non_member_is_refused(agent, private_community,
                                                                themes):
    with pytest.raises(DomainError):
        post(agent, private_community, themes)
    db.session.rollback()
    assert count(Idea) == 0
    assert count(Membership, user_id=agent.id) == 0


def test_post_in_an_archived_community_is_refused(agent, open_community, themes):
    from ideas.utils import utcnow

    open_community.archived_at = utcnow()
    db.session.commit()
    with pytest.raises(DomainError):
        post(agent, open_community, themes)


def test_tags_reuse_existing_rows(agent, open_community, themes):
    post(agent, open_community, themes, tags="papier")
    post(agent, open_community, themes, title="Une seconde idée sur le papier", tags="Papier")
    assert count(Tag, name="papier") == 1


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "Abc"}, "title"),
    ({"title": "x" * 151}, "title"),
    ({"body": ""}, "body"),
    ({"body": "é" * 20_001}, "body"),
    ({"theme_ids": []}, "theme_ids"),
    ({"theme_ids": [999_999]}, "theme_ids"),
    ({"sdgs": [0]}, "sdgs"),
    ({"sdgs": [18]}, "sdgs"),
    ({"tags": ", ".join(f"mot{n}" for n in range(11))}, "tags"),
    ({"tags": "x" * 41}, "tags"),
])
def test_bad_input_is_refused_and_nothing_is_written(agent, open_community, themes, changes,
                                                     field):
    with pytest.raises(DomainError) as refused:
        post(agent, open_community, themes, **changes)
    assert refused.value.field == field
    assert str(refused.value.message)  # a sentence for the user, not a code
    db.session.rollback()
    assert count(Idea) == 0
    assert count(Tag) == 0
    assert count(Membership) == 0


def test_an_inactive_theme_is_refused_for_a_new_idea(agent, open_community, themes):
    themes[1].is_active = False
    db.session.commit()
    try:
        with pytest.raises(DomainError):
            post(agent, open_community, themes, theme_ids=[themes[1].id])
    finally:
        db.session.rollback()
        themes[1].is_active = True
        db.session.commit()


def test_title_limits_are_inclusive(agent, open_community, themes):
    assert post(agent, open_community, themes, title="x" * 5).title == "xxxxx"
    assert len(post(agent, open_community, themes, title="y" * 150).title) == 150
    assert len(post(agent, open_community, themes, body="z" * 20_000).body) == 20_000


# -- Tags

@pytest.mark.parametrize("raw, expected", [
    ("Énergie, #papier ,  ÉNERGIE", ["énergie", "papier"]),
    ("  tiers   lieux ,, ", ["tiers lieux"]),
    ("Cafe\u0301", ["café"]),  # decomposed é becomes the composed one (NFC)
    ("", []),
    (None, []),
    (["Un", "deux", "UN"], ["un", "deux"]),
])
def test_tags_are_normalised(raw, expected):
    names = services.normalize_tags(raw)
    assert names == expected
    assert all(name == name.lower() for name in names)


def test_ten_tags_of_forty_characters_are_accepted():
    raw = ", ".join(f"{n:02d}" + "x" * 38 for n in range(10))
    assert len(services.normalize_tags(raw)) == 10


# -- Editing

def test_edit_keeps_the_previous_text_in_a_revision(agent, open_community, themes):
    idea = post(agent, open_community, themes)
    changed = services.edit_idea(agent, idea, title="Recto-verso partout", body="Nouveau *texte*",
                                 theme_ids=[themes[1].id], sdgs=[12], tags="papier")
    db.session.commit()
    assert changed
    assert idea.title == "Recto-verso partout"
    assert idea.body_html == "<p>Nouveau <em>texte</em></p>\n"
    assert [t.id for t in idea.themes] == [themes[1].id]
    assert idea.sdgs == [12]
    assert [t.name for t in idea.tags] == ["papier"]
    assert idea.edited_at is not None
    revision = db.session.scalar(db.select(IdeaRevision).filter_by(idea_id=idea.id))
    assert (revision.title, revision.body) == ("Imprimer en recto-verso par défaut", BODY)
    assert revision.editor_id == agent.id


def test_edit_without_change_writes_nothing(agent, open_community, themes):
    idea = post(agent, open_community, themes)
    changed = services.edit_idea(agent, idea, title=idea.title, body=idea.body,
                                 theme_ids=[themes[0].id], sdgs=[13, 12],
                                 tags="impression, papier")
    assert not changed
    assert idea.edited_at is None
    assert count(IdeaRevision) == 0


def test_edit_of_themes_only_marks_the_idea_edited_without_revision(agent, open_community,
                                                                    themes):
    idea = post(agent, open_community, themes)
    assert services.edit_idea(agent, idea, title=idea.title, body=idea.body,
                              theme_ids=[themes[0].id, themes[2].id], sdgs=[], tags="")
    assert idea.edited_at is not None
    assert count(IdeaRevision) == 0


def test_editing_someone_elses_idea_is_refused(agent, open_community, themes):
    idea = post(agent, open_community, themes)
    other = factories.UserFactory()
    with pytest.raises(DomainError):
        services.edit_idea(other, idea, title="Détourné", body="Rien", theme_ids=[themes[0].id])
    db.session.rollback()
    db.session.refresh(idea)
    assert idea.title == "Imprimer en recto-verso par défaut"
    assert count(IdeaRevision) == 0


@pytest.mark.parametrize("status", [IdeaStatus.WITHDRAWN, IdeaStatus.SELECTED,
                                    IdeaStatus.DECLINED])
def test_editing_a_decided_or_withdrawn_idea_is_refused(agent, open_community, themes, status):
    idea = post(agent, open_community, themes)
    idea.status = status
    db.session.commit()
    with pytest.raises(DomainError):
        services.edit_idea(agent, idea, title="Trop tard pour changer",
                           body="Rien", theme_ids=[themes[0].id])


def test_edit_with_bad_input_leaves_the_idea_as_it_was(agent, open_community, themes):
    idea = post(agent, open_community, themes)
    with pytest.raises(DomainError):
        services.edit_idea(agent, idea, title="Un bon titre", body="Texte",
                           theme_ids=[themes[0].id], sdgs=[18])
    db.session.rollback()
    db.session.refresh(idea)
    assert idea.title == "Imprimer en recto-verso par défaut"
    assert idea.edited_at is None


def test_a_retired_theme_the_idea_already_has_may_stay(agent, open_community, themes):
    idea = post(agent, open_community, themes, theme_ids=[themes[1].id])
    themes[1].is_active = False
    db.session.commit()
    try:
        assert services.edit_idea(agent, idea, title="Titre modifié", body=idea.body,
                                  theme_ids=[themes[1].id], sdgs=[], tags="")
    finally:
        db.session.rollback()
        themes[1].is_active = True
        db.session.commit()


# -- Withdrawing

def test_the_author_withdraws(agent, open_community, themes):
    idea = post(agent, open_community, themes)
    services.withdraw_idea(agent, idea)
    db.session.commit()
    assert idea.status == IdeaStatus.WITHDRAWN
    assert idea.withdrawn_at is not None and idea.status_changed_at == idea.withdrawn_at


def test_withdrawing_is_for_the_author_and_once(agent, open_community, themes):
    idea = post(agent, open_community, themes)
    with pytest.raises(DomainError):
        services.withdraw_idea(factories.UserFactory(), idea)
    services.withdraw_idea(agent, idea)
    with pytest.raises(DomainError):
        services.withdraw_idea(agent, idea)
