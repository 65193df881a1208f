"""Item 38: a create form posted twice (double click, retry after a lost response, replayed
request) creates one row. Each rendering of the form carries its own token; the second post
answers like the first, pointing at the row the first created."""

import re
import threading

import pytest

from ideas.comments import services as comment_services
from ideas.comments.models import Comment
from ideas.extensions import db
from ideas.ideation import services as idea_services
from ideas.ideation.models import Idea
from ideas.integrity import counter_mismatches
from ideas.reference.models import Theme
from tests import factories
from tests.helpers import count, location

TOKEN = re.compile(r'name="submission_token"[^>]*value="([^"]+)"|'
                   r'value="([^"]+)"[^>]*name="submission_token"')

pytestmark = pytest.mark.checklist(38, "R1")


def tokens(response) -> list[str]:
    return [a or b for a, b in TOKEN.findall(response.get_data(as_text=True))]


@pytest.fixture
def theme(db):
    return db.session.scalars(db.select(Theme).where(Theme.is_active)).first()


def idea_form(theme, token):
    return {"title": "Un composteur par Atelier", "body": "Les épluchures du midi.",
            "theme_ids": [theme.id], "tags": "compost", "submission_token": token}


def assert_counters_exact():
    with db.engine.connect() as connection:
        assert counter_mismatches(connection) == []


def test_each_rendering_of_a_create_form_carries_a_fresh_token(client, agent, open_community):
    client.login(agent)
    url = f"/communautes/{open_community.slug}/idees/nouvelle"
    first, second = tokens(client.get(url)), tokens(client.get(url))
    assert len(first) == 1 and len(second) == 1 and first != second
    idea = factories.IdeaFactory(community=open_community)
    page = tokens(client.get(f"/idees/{idea.id}"))
    assert page and len(set(page)) == len(page)  # the comment form, each its own


def test_an_idea_form_posted_twice_creates_one_idea(client, agent, open_community, theme):
    client.login(agent)
    url = f"/communautes/{open_community.slug}/idees/nouvelle"
    token = tokens(client.get(url))[0]
    first = client.post(url, idea_form(theme, token))
    again = client.post(url, idea_form(theme, token))
    assert first.status_code == again.status_code == 302
    assert location(first) == location(again)
    assert count(Idea, author_id=agent.id) == 1
    assert_counters_exact()

    # Another rendering of the form is another idea, same text or not.
    other = tokens(client.get(url))[0]
    assert location(client.post(url, idea_form(theme, other))) != location(first)
    assert count(Idea, author_id=agent.id) == 2


def test_a_refused_post_keeps_its_token_and_the_corrected_post_creates_once(
        client, agent, open_community, theme):
    client.login(agent)
    url = f"/communautes/{open_community.slug}/idees/nouvelle"
    token = tokens(client.get(url))[0]
    refused = client.post(url, {**idea_form(theme, token), "title": ""})
    assert refused.status_code == 422 and tokens(refused) == [token]
    assert client.post(url, idea_form(theme, token)).status_code == 302
    assert client.post(url, idea_form(theme, token)).status_code == 302
    assert count(Idea, author_id=agent.id) == 1


def test_a_comment_posted_twice_creates_one_comment_in_htmx_and_plain(client, agent,
                                                                      open_community):
    idea = factories.IdeaFactory(community=open_community)
    client.login(agent)
    token = tokens(client.get(f"/idees/{idea.id}"))[0]
    data = {"body": "Je participe volontiers.", "submission_token": token}
    url = f"/idees/{idea.id}/commentaires"
    first = client.post(url, data, htmx=True)
    again = client.post(url, data, htmx=True)
    assert first.status_code == again.status_code == 200
    # The replay answers like the first post (its comment), and hands out a fresh form.
    fresh = set(tokens(again)) - {token}
    assert fresh and "Je participe volontiers." in again.get_data(as_text=True)
    plain = client.post(url, data)
    assert plain.status_code == 302
    assert count(Comment, idea_id=idea.id) == 1
    db.session.refresh(idea)
    assert idea.comment_count == 1
    assert_counters_exact()


def test_a_post_without_token_still_creates(client, agent, open_community):
    idea = factories.IdeaFactory(community=open_community)
    client.login(agent)
    url = f"/idees/{idea.id}/commentaires"
    for _ in range(2):
        assert client.post(url, {"body": "Ancienne page sans jeton."}).status_code == 302
    assert client.post(url, {"body": "Jeton malformé.", "submission_token": "<x>"}
                       ).status_code == 302
    assert count(Comment, idea_id=idea.id) == 3


def test_a_token_is_per_author(client, make_client, agent, open_community):
    idea = factories.IdeaFactory(community=open_community)
    other = factories.UserFactory()
    client.login(agent)
    token = tokens(client.get(f"/idees/{idea.id}"))[0]
    data = {"body": "Même jeton, autre personne.", "submission_token": token}
    client.post(f"/idees/{idea.id}/commentaires", data)
    make_client(other).post(f"/idees/{idea.id}/commentaires", data)
    assert count(Comment, idea_id=idea.id) == 2  # nobody reaches another's comment by token


THREADS = 8


def _race(app, work) -> list:
    """THREADS requests of the same form at once, each with its own session and connection."""
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def target():
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                try:
                    results.append(work())
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=target) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


def test_racing_submissions_of_one_form_create_one_row(app, db, open_community, theme):
    author = factories.UserFactory()
    idea = factories.IdeaFactory(community=open_community)
    ids = author.id, idea.id, open_community.id, theme.id
    db.session.commit()
    db.session.close()
    author_id, idea_id, community_id, theme_id = ids

    def post_comment():
        from ideas.accounts.models import User

        comment = comment_services.post_comment(
            db.session.get(User, author_id), db.session.get(Idea, idea_id), "Double clic.",
            submission_token="meme-jeton-de-formulaire-1")
        return comment.id

    def post_idea():
        from ideas.accounts.models import User
        from ideas.communities.models import Community

        new = idea_services.post_idea(
            db.session.get(User, author_id), db.session.get(Community, community_id),
            title="Double clic sur Publier", body="Une seule idée.", theme_ids=[theme_id],
            tags="clic, double", submission_token="meme-jeton-de-formulaire-2")
        return new.id

    assert len(set(_race(app, post_comment))) == 1
    assert len(set(_race(app, post_idea))) == 1
    assert count(Comment, idea_id=idea_id) == 1
    assert count(Idea, author_id=author_id) == 1
    assert_counters_exact()
