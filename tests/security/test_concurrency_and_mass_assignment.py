"""Votes, workflow and concurrency (checklist items 33–37; ASVS 11.1.1–11.1.6, 5.1.2): a second
support changes nothing, closed ideas take none, racing supports make one row, privileged
fields sent in forms are ignored, the workflow refuses agents and illegal moves and records
every move, and two people editing one idea cannot silently undo each other (version column).
Real threads on the real database (no test transaction), as in production."""

import threading

import pytest

from ideas.accounts.models import Role, User
from ideas.comments.models import Comment
from ideas.extensions import db as _db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.moderation import actions as moderation_actions
from ideas.moderation import services as moderation
from ideas.reference.models import Theme
from ideas.votes.models import Vote
from ideas.workflow.models import StatusChange
from tests import factories
from tests.helpers import count, text


@pytest.fixture
def theme(db):
    return db.session.scalars(db.select(Theme).where(Theme.is_active)).first()


@pytest.fixture
def people(db, open_community):
    author = factories.UserFactory(display_name="Autrice")
    member = factories.UserFactory(display_name="Soutien")
    facilitator = factories.UserFactory(display_name="Animatrice")
    for user in (author, member):
        factories.MembershipFactory(user=user, community=open_community)
    factories.MembershipFactory(user=facilitator, community=open_community, role="facilitator")
    return {"author": author, "member": member, "facilitator": facilitator}


def _idea(community, author, **fields):
    return factories.IdeaFactory(community=community, author=author, **fields)


def _vote_state(idea_id: int) -> tuple[int, int]:
    _db.session.expire_all()
    return (_db.session.get(Idea, idea_id).vote_count, count(Vote, idea_id=idea_id))


# -- 33: a second support, supports on closed ideas

@pytest.mark.checklist(33, asvs="11.1.1")
@pytest.mark.parametrize("htmx", [False, True])
def test_a_second_support_is_a_no_op(make_client, people, open_community, htmx):
    idea = _idea(open_community, people["author"])
    client = make_client(people["member"])
    first = client.post(f"/idees/{idea.id}/soutenir", htmx=htmx)
    second = client.post(f"/idees/{idea.id}/soutenir", htmx=htmx)
    assert first.status_code == second.status_code == (200 if htmx else 302)
    assert "Vous soutenez déjà cette idée." in text(second) or not htmx
    assert _vote_state(idea.id) == (1, 1)


CLOSED = {
    "own idea": lambda idea, people: None,
    "hidden": lambda idea, people: moderation.hide_item(people["facilitator"], idea, "Hors"),
    "locked": lambda idea, people: moderation_actions.lock_idea(people["facilitator"], idea),
    "withdrawn": lambda idea, people: setattr(idea, "status", IdeaStatus.WITHDRAWN),
    "merged": lambda idea, people: setattr(idea, "status", IdeaStatus.MERGED),
    "archived community": lambda idea, people: setattr(
        idea.community, "archived_at", idea.created_at),
}


@pytest.mark.checklist(33, asvs="11.1.1")
@pytest.mark.parametrize("state", CLOSED)
def test_closed_ideas_take_no_support(db, make_client, people, open_community, state):
    idea = _idea(open_community, people["author"])
    CLOSED[state](idea, people)
    db.session.commit()
    voter = people["author"] if state == "own idea" else people["member"]
    response = make_client(voter).post(f"/idees/{idea.id}/soutenir")
    assert response.status_code in (403, 404, 409)
    assert _vote_state(idea.id) == (0, 0)


# -- 34: racing supports

@pytest.mark.checklist(34, asvs="11.1.6")
def test_twenty_racing_supports_by_one_agent_make_one_row(app, make_client, people,
                                                          open_community):
    idea_id = _idea(open_community, people["author"]).id  # read here: threads have no session
    clients = [make_client(people["member"]) for _ in range(20)]
    tokens = [client.csrf_token() for client in clients]
    barrier, statuses = threading.Barrier(len(clients)), []

    def support(client, token):
        barrier.wait(timeout=30)
        response = client.post(f"/idees/{idea_id}/soutenir", {"csrf_token": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=support, args=pair) for pair in zip(clients, tokens,
                                                                           strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(set(statuses)) == [302], statuses
    assert _vote_state(idea_id) == (1, 1)


# -- 35: privileged fields in forms

PRIVILEGED_FIELDS = {"status": "adopted", "author_id": "1", "vote_count": "999",
                     "comment_count": "999", "community_id": "999", "is_hidden": "1",
                     "hidden_at": "2020-01-01", "locked_at": "2020-01-01",
                     "pinned_at": "2020-01-01", "created_at": "2001-01-01", "role": "admin",
                     "id": "4242", "version": "77", "is_active": "0", "email": "x@evil.fr",
                     "session_token": "fixe", "external_ref": "ref"}


@pytest.mark.checklist(35, asvs="5.1.2")
def test_privileged_fields_in_idea_forms_are_ignored(db, make_client, people,
                                                     open_community, theme):
    client = make_client(people["member"])
    response = client.post(f"/communautes/{open_community.slug}/idees/nouvelle", {
        **PRIVILEGED_FIELDS, "title": "Une idée ordinaire", "body": "Texte.",
        "theme_ids": [theme.id]})
    assert response.status_code == 302
    idea = db.session.scalar(db.select(Idea).filter_by(title="Une idée ordinaire"))
    assert (idea.status, idea.author_id, idea.vote_count, idea.comment_count,
            idea.community_id, idea.hidden_at, idea.locked_at, idea.pinned_at,
            idea.external_ref, idea.version) == (
        IdeaStatus.SUBMITTED, people["member"].id, 0, 0, open_community.id, None, None, None,
        None, 1)
    assert idea.id != 4242 and idea.created_at.year > 2001
    edit = client.post(f"/idees/{idea.id}/modifier", {
        **PRIVILEGED_FIELDS, "version": "1", "title": "Une idée ordinaire, précisée",
        "body": "Texte.", "theme_ids": [theme.id]})
    assert edit.status_code == 302
    db.session.refresh(idea)
    assert (idea.title, idea.status, idea.vote_count, idea.author_id) == (
        "Une idée ordinaire, précisée", IdeaStatus.SUBMITTED, 0, people["member"].id)


@pytest.mark.checklist(35, asvs="5.1.2")
def test_privileged_fields_in_comment_profile_and_sign_up_forms_are_ignored(
        db, client, make_client, people, open_community):
    idea = _idea(open_community, people["author"])
    member = people["member"]
    browser = make_client(member)
    assert browser.post(f"/idees/{idea.id}/commentaires",
                        {**PRIVILEGED_FIELDS, "body": "Un avis"}).status_code == 302
    comment = db.session.scalar(db.select(Comment).filter_by(idea_id=idea.id))
    assert (comment.author_id, comment.hidden_at) == (member.id, None)
    profile = browser.post("/profil", {**PRIVILEGED_FIELDS, "display_name": "Nouveau nom",
                                       "locale": "fr"})
    assert profile.status_code == 302
    db.session.refresh(member)
    assert (member.display_name, member.role, member.is_active, member.email) == (
        "Nouveau nom", Role.AGENT, True, member.email)
    assert member.email != "x@evil.fr" and member.session_token != "fixe"
    signup = client.post("/inscription", {
        **PRIVILEGED_FIELDS, "email": "nouvelle@reseau-canope.fr", "display_name": "Nouvelle",
        "password": "une phrase de passe bien longue", "confirm":
        "une phrase de passe bien longue", "accept": "y"})
    assert signup.status_code == 302, text(signup)[-2000:]
    created = db.session.scalar(db.select(User).filter_by(email="nouvelle@reseau-canope.fr"))
    assert (created.role, created.is_active) == (Role.AGENT, True)


# -- 36: the workflow

def _move(client, idea, target, expected=None, answer="Réponse officielle."):
    return client.post(f"/idees/{idea.id}/statut", {
        "expected": (expected or idea.status).value if hasattr(expected or idea.status,
                                                               "value") else expected,
        "status": target, "answer": answer})


@pytest.mark.checklist(36, 22, asvs="11.1.2")
def test_agents_cannot_move_ideas(db, make_client, people, open_community):
    idea = _idea(open_community, people["author"])
    for who in ("member", "author"):
        response = _move(make_client(people[who]), idea, "in_review")
        assert response.status_code == 403, who
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED and count(StatusChange) == 0


ILLEGAL = [  # (from, to): skipping steps or leaving a terminal state
    ("submitted", "selected"), ("submitted", "adopted"), ("submitted", "piloting"),
    ("in_review", "adopted"), ("declined", "in_review"), ("declined", "selected"),
    ("adopted", "declined"), ("merged", "submitted"), ("withdrawn", "in_review"),
    ("in_review", "submitted"), ("selected", "in_review"), ("in_review", "nimporte"),
]


@pytest.mark.checklist(36, asvs="11.1.1")
@pytest.mark.parametrize("source, target", ILLEGAL)
def test_illegal_moves_are_422_and_change_nothing(db, make_client, people, open_community,
                                                  manager, source, target):
    idea = _idea(open_community, people["author"], status=IdeaStatus(source))
    response = _move(make_client(manager), idea, target, expected=source)
    assert response.status_code == 422, (source, target, response.status_code)
    db.session.refresh(idea)
    assert idea.status == IdeaStatus(source) and count(StatusChange) == 0


@pytest.mark.checklist(36, asvs="11.1.1")
def test_every_move_is_recorded_with_who_when_from_and_to(db, make_client, people,
                                                          open_community, manager):
    idea = _idea(open_community, people["author"])
    client = make_client(manager)
    for source, target in (("submitted", "in_review"), ("in_review", "selected"),
                           ("selected", "piloting")):
        assert _move(client, idea, target, expected=source).status_code in (302, 303)
    changes = db.session.scalars(db.select(StatusChange).filter_by(idea_id=idea.id)
                                 .order_by(StatusChange.id)).all()
    assert [(c.actor_id, c.from_status.value, c.to_status.value) for c in changes] == [
        (manager.id, "submitted", "in_review"), (manager.id, "in_review", "selected"),
        (manager.id, "selected", "piloting")]
    assert all(c.created_at is not None for c in changes)


# -- 37: two people editing one idea

@pytest.mark.checklist(37, asvs="11.1.6")
def test_two_managers_moving_one_idea_the_second_gets_a_conflict(db, make_client, people,
                                                                 open_community, manager):
    idea = _idea(open_community, people["author"], status=IdeaStatus.IN_REVIEW)
    other = factories.UserFactory(role="manager")
    first = _move(make_client(manager), idea, "selected", expected="in_review")
    second = _move(make_client(other), idea, "declined", expected="in_review")
    assert (first.status_code, second.status_code) == (303, 409)
    assert "L'idée a changé de statut entre-temps." in text(second)
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SELECTED and count(StatusChange) == 1


def _edit(client, idea, theme, title, version):
    return client.post(f"/idees/{idea.id}/modifier", {
        "title": title, "body": "Le texte revu.", "theme_ids": [theme.id],
        "version": str(version)})


@pytest.mark.checklist(37, asvs="11.1.6")
def test_an_edit_form_loaded_before_a_moderators_title_change_is_refused(
        db, make_client, people, open_community, theme):
    idea = _idea(open_community, people["author"], title="Titre d'origine")
    author = make_client(people["author"])
    form = text(author.get(f"/idees/{idea.id}/modifier"))
    assert 'name="version" type="hidden" value="1"' in form
    moderator = make_client(people["facilitator"])
    retitled = moderator.post(f"/moderation/idees/{idea.id}/titre", {
        "title": "Titre clarifié par l'animation", "expected": "Titre d'origine",
        "reason": "Plus clair"})
    assert retitled.status_code == 302
    stale = _edit(author, idea, theme, "Titre d'origine, précisé", version=1)
    assert stale.status_code == 409
    page = text(stale)
    assert "L'idée a été modifiée entre-temps" in page
    assert "Titre d'origine, précisé" in page  # what the author typed is kept
    assert 'name="version" type="hidden" value="2"' in page
    db.session.refresh(idea)
    assert (idea.title, idea.version) == ("Titre clarifié par l'animation", 2)
    # Having compared, the author may save again, deliberately.
    assert _edit(author, idea, theme, "Titre d'origine, précisé", version=2).status_code == 302
    db.session.refresh(idea)
    assert (idea.title, idea.version) == ("Titre d'origine, précisé", 3)


@pytest.mark.checklist(37, asvs="11.1.6")
def test_two_racing_edits_from_one_version_one_wins(app, db, make_client, people,
                                                    open_community, theme):
    idea = _idea(open_community, people["author"], title="Titre d'origine")
    idea_id, theme_id = idea.id, theme.id  # read here: threads have no session
    clients = [make_client(people["author"]) for _ in range(6)]
    tokens = [client.csrf_token() for client in clients]
    barrier, statuses = threading.Barrier(len(clients)), []

    def edit(number, client, token):
        barrier.wait(timeout=30)
        response = client.post(f"/idees/{idea_id}/modifier", {
            "csrf_token": token, "title": f"Version concurrente {number}",
            "body": "Texte.", "theme_ids": [theme_id], "version": "1"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=edit, args=(n, c, t))
               for n, (c, t) in enumerate(zip(clients, tokens, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [302] + [409] * 5, statuses
    db.session.refresh(idea)
    assert idea.version == 2 and idea.title.startswith("Version concurrente")
