"""Idea pages through HTTP: post (and preview), show, edit, withdraw, lists with filters, sorts
and pages, as full pages and as htmx fragments; hostile Markdown stays inert."""

import re
from datetime import timedelta

import pytest

from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation.models import Idea, IdeaRevision, IdeaSdg, IdeaStatus
from ideas.reference.models import Territory, TerritoryKind, Theme
from ideas.utils import utcnow
from ideas.votes.models import Vote
from tests import factories
from tests.helpers import count, location, redirects_to_login, text

HOSTILE = ("<script>alert('x')</script>\n\n"
           '<img src=x onerror="alert(1)">\n\n'
           "[clic](javascript:alert(1)) [image](data:text/html;base64,PHNjcmlwdD4=) "
           "[propre](https://www.reseau-canope.fr)")


@pytest.fixture
def theme(db):
    return db.session.scalars(db.select(Theme).where(Theme.is_active).order_by(Theme.position)
                              ).first()


def form_data(theme, **changes):
    data = {"title": "Imprimer en recto-verso par défaut",
            "body": "Paramétrer **toutes** les imprimantes.", "theme_ids": [theme.id],
            "sdgs": ["12"], "tags": "papier, impression"}
    data.update(changes)
    return data


def make_idea(community, author=None, **fields):
    idea = factories.IdeaFactory(community=community, author=author or factories.UserFactory(),
                                 **fields)
    return idea


def titles(response) -> list[str]:
    return re.findall(r'<h3 class="fr-card__title"><a href="/idees/\d+">([^<]+)</a>',
                      text(response))


# -- Posting

def test_post_from_the_community_page(client, agent, open_community, theme):
    client.login(agent)
    community_page = client.get(f"/communautes/{open_community.slug}")
    assert f'href="/communautes/{open_community.slug}/idees/nouvelle"' in text(community_page)
    form = client.get(f"/communautes/{open_community.slug}/idees/nouvelle")
    assert form.status_code == 200
    assert "vous rejoindrez cette communauté" in text(form)
    assert "12 – Consommation et production responsables" in text(form)
    assert f'data-draft-key="idee-brouillon:{open_community.id}"' in text(form)

    response = client.post(f"/communautes/{open_community.slug}/idees/nouvelle",
                           form_data(theme))
    idea = db.session.scalar(db.select(Idea))
    assert response.status_code == 302
    assert location(response) == f"/idees/{idea.id}"
    page = client.get(location(response))
    assert "Votre idée est publiée" in text(page)
    assert f'data-clear-draft="idee-brouillon:{open_community.id}"' in text(page)
    assert "<strong>toutes</strong>" in text(page)
    assert count(IdeaFollow, user_id=agent.id, idea_id=idea.id) == 1
    # The draft is cleared once, not on every later visit.
    assert "data-clear-draft" not in text(client.get(f"/idees/{idea.id}"))


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Donnez un titre à votre idée."),
    ({"title": "Abc"}, "Le titre doit faire entre 5 et 150 caractères."),
    ({"title": "x" * 151}, "Le titre doit faire entre 5 et 150 caractères."),
    ({"body": "x" * 20_001}, "La description ne doit pas dépasser 20 000 caractères."),
    ({"theme_ids": []}, "Choisissez au moins un thème."),
    ({"theme_ids": ["999999"]}, "Choisissez les thèmes dans la liste proposée."),
    ({"theme_ids": ["pas-un-nombre"]}, "Choisissez dans la liste proposée."),
    ({"sdgs": ["18"]}, "Les ODD vont de 1 à 17."),
    ({"sdgs": ["0"]}, "Les ODD vont de 1 à 17."),
    ({"tags": "a, b, c, d, e, f, g, h, i, j, k"}, "Indiquez au plus 10 mots-clés."),
])
def test_bad_input_is_422_with_the_typed_text_kept(client, agent, open_community, theme,
                                                   changes, message):
    client.login(agent)
    data = form_data(theme, **{"body": "Mon texte *tapé* avec soin", **changes})
    response = client.post(f"/communautes/{open_community.slug}/idees/nouvelle", data)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    if data["title"]:
        assert f'value="{data["title"]}"' in page
    assert data["body"] in page
    assert count(Idea) == 0


def test_posting_in_a_private_community_needs_membership(client, agent, private_community,
                                                         theme):
    client.login(agent)
    url = f"/communautes/{private_community.slug}/idees/nouvelle"
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(theme)).status_code == 403
    assert count(Idea) == 0
    factories.MembershipFactory(user=agent, community=private_community)
    assert client.post(url, form_data(theme)).status_code == 302
    assert count(Idea, community_id=private_community.id) == 1


def test_posting_needs_an_account(client, open_community, theme):
    assert redirects_to_login(client.get(f"/communautes/{open_community.slug}/idees/nouvelle"))


def test_choose_a_community_from_the_all_ideas_list(client, agent, open_community,
                                                    private_community):
    other_private = factories.CommunityFactory(name="Autre cercle", is_private=True)
    factories.MembershipFactory(user=agent, community=private_community)
    client.login(agent)
    assert 'href="/idees/proposer"' in text(client.get("/idees"))
    page = text(client.get("/idees/proposer"))
    assert open_community.name in page and private_community.name in page
    assert other_private.name not in page
    response = client.get(f"/idees/proposer?community={private_community.slug}")
    assert location(response) == f"/communautes/{private_community.slug}/idees/nouvelle"
    refused = client.get(f"/idees/proposer?community={other_private.slug}")
    assert refused.status_code == 422
    assert "Choisissez une communauté dans la liste." in text(refused)


# -- Preview and hostile Markdown

def test_preview_renders_sanitised_markdown_fragment(client, agent):
    client.login(agent)
    response = client.post("/idees/apercu", {"title": "Mon titre", "body": "**gras**\n\n"
                                             + HOSTILE}, htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<strong>gras</strong>" in body
    assert "<html" not in body  # a fragment
    _assert_inert(body)


def test_preview_of_a_too_long_body_is_422(client, agent):
    client.login(agent)
    response = client.post("/idees/apercu", {"body": "x" * 20_001}, htmx=True)
    assert response.status_code == 422
    assert "20 000 caractères" in text(response)


def test_preview_without_javascript_rerenders_the_form(client, agent, open_community, theme):
    client.login(agent)
    response = client.post(f"/communautes/{open_community.slug}/idees/nouvelle",
                           form_data(theme, body="*aperçu*\n\n" + HOSTILE, preview="1"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<em>aperçu</em>" in page
    assert 'id="idea-form"' in page  # the form again, with what was typed
    _assert_inert(page.split('id="idea-preview"')[1].split("</main>")[0])
    assert count(Idea) == 0


def _assert_inert(html: str) -> None:
    """Hostile markup may remain as visible, escaped text; never as a tag or attribute."""
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r"<img|<[^>]*\bonerror", html)
    assert 'href="javascript:' not in html
    assert 'href="data:' not in html
    assert 'href="https://www.reseau-canope.fr"' in html


def test_hostile_markdown_is_neutralised_on_the_idea_page(client, agent, open_community, theme):
    client.login(agent)
    client.post(f"/communautes/{open_community.slug}/idees/nouvelle", form_data(
        theme, body=HOSTILE))
    idea = db.session.scalar(db.select(Idea))
    page = client.get(f"/idees/{idea.id}").get_data(as_text=True)
    body = page.split('class="idea-body')[1].split("</div>")[0]
    _assert_inert(body)
    # The list card shows plain text only.
    listing = client.get("/idees").get_data(as_text=True)
    assert "<script>alert" not in listing
    assert not re.search(r"<[^>]*\bonerror", listing)


# -- The idea page

def test_idea_page_shows_everything(client, agent, open_community, theme):
    author = factories.UserFactory(display_name="Camille Martin")
    idea = make_idea(open_community, author, themes=[theme], vote_count=3, follower_count=2)
    db.session.add(IdeaSdg(idea_id=idea.id, sdg=13))
    db.session.commit()
    client.login(agent)
    page = text(client.get(f"/idees/{idea.id}"))
    assert idea.title in page and "Camille Martin" in page and open_community.name in page
    assert theme.name_fr in page
    assert "13 – Mesures relatives à la lutte contre les changements climatiques" in page
    assert "déposée" in page
    assert "Historique du statut" in page
    assert "2 personnes suivent cette idée" in page
    assert "Modifier mon idée" not in page  # not the author
    assert "Historique des modifications" not in page  # not a moderator


def test_a_private_idea_is_404_for_non_members(client, agent, manager, private_community):
    idea = make_idea(private_community)
    client.login(agent)
    assert client.get(f"/idees/{idea.id}").status_code == 404
    assert client.get(f"/idees/{idea.id}/modifier").status_code == 404
    assert client.post(f"/idees/{idea.id}/retirer").status_code == 404
    assert idea.title not in text(client.get("/idees"))
    assert client.get("/idees/999999").status_code == 404
    management = client.__class__(client.raw.application.test_client())
    management.login(manager)
    assert management.get(f"/idees/{idea.id}").status_code == 200


def test_edit_by_the_author_keeps_a_revision_visible_to_moderators(
        client, make_client, agent, facilitator, open_community, theme):
    client.login(agent)
    client.post(f"/communautes/{open_community.slug}/idees/nouvelle", form_data(theme))
    idea = db.session.scalar(db.select(Idea))
    form = client.get(f"/idees/{idea.id}/modifier")
    assert form.status_code == 200
    assert 'value="Imprimer en recto-verso par défaut"' in text(form)
    assert 'value="papier, impression"' in text(form) or 'value="impression, papier"' in text(form)
    response = client.post(f"/idees/{idea.id}/modifier", form_data(
        theme, title="Recto-verso dans tous les ateliers", body="Texte *revu*"))
    assert location(response) == f"/idees/{idea.id}"
    page = text(client.get(f"/idees/{idea.id}"))
    assert "Recto-verso dans tous les ateliers" in page and "modifiée" in page
    assert "Historique des modifications" not in page  # the author is no moderator
    assert count(IdeaRevision, idea_id=idea.id) == 1

    moderator_page = text(make_client(facilitator).get(f"/idees/{idea.id}"))
    assert "Historique des modifications" in moderator_page
    assert "Imprimer en recto-verso par défaut" in moderator_page  # the previous title


def test_edit_with_bad_input_is_422_and_keeps_the_text(client, agent, open_community, theme):
    idea = make_idea(open_community, agent, themes=[theme])
    client.login(agent)
    response = client.post(f"/idees/{idea.id}/modifier", form_data(
        theme, title="Non", body="Ma nouvelle version"))
    assert response.status_code == 422
    assert "Ma nouvelle version" in text(response)
    db.session.refresh(idea)
    assert idea.title.startswith("Une idée pour tester")


def test_others_cannot_edit_or_withdraw(client, agent, open_community, theme):
    idea = make_idea(open_community, themes=[theme])
    client.login(agent)
    assert client.get(f"/idees/{idea.id}/modifier").status_code == 403
    assert client.post(f"/idees/{idea.id}/modifier", form_data(theme)).status_code == 403
    assert client.get(f"/idees/{idea.id}/retirer").status_code == 403
    assert client.post(f"/idees/{idea.id}/retirer").status_code == 403
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED


def test_withdraw_asks_then_withdraws(client, agent, open_community, theme):
    idea = make_idea(open_community, agent, themes=[theme])
    client.login(agent)
    confirm = client.get(f"/idees/{idea.id}/retirer")
    assert confirm.status_code == 200
    assert "Oui, retirer mon idée" in text(confirm)
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED  # GET changes nothing
    response = client.post(f"/idees/{idea.id}/retirer")
    assert location(response) == f"/idees/{idea.id}"
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.WITHDRAWN and idea.withdrawn_at is not None
    page = text(client.get(f"/idees/{idea.id}"))
    assert "retirée" in page and "Modifier mon idée" not in page
    assert client.get(f"/idees/{idea.id}/modifier").status_code == 403
    assert client.post(f"/idees/{idea.id}/modifier", form_data(theme)).status_code == 403


# -- Lists

def test_all_ideas_list_shows_what_the_user_may_see(client, agent, private_community,
                                                    open_community):
    hidden_community = factories.CommunityFactory(name="Cercle fermé", is_private=True)
    factories.MembershipFactory(user=agent, community=private_community)
    make_idea(open_community, title="Idée ouverte")
    make_idea(private_community, title="Idée privée de mon cercle")
    make_idea(hidden_community, title="Idée d'un cercle fermé")
    make_idea(open_community, title="Idée retirée", status=IdeaStatus.WITHDRAWN)
    client.login(agent)
    response = client.get("/idees")
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Idée ouverte", "Idée privée de mon cercle"]


def test_managers_see_every_idea(client, manager, open_community, private_community):
    make_idea(open_community, title="Idée ouverte")
    make_idea(private_community, title="Idée privée")
    client.login(manager)
    assert sorted(titles(client.get("/idees"))) == ["Idée ouverte", "Idée privée"]


def test_the_list_card_shows_its_details(client, agent, open_community, theme):
    author = factories.UserFactory(display_name="Camille Martin")
    make_idea(open_community, author, title="Idée complète", themes=[theme], vote_count=4,
              comment_count=2, body_html="<p>Un <strong>texte</strong> &amp; des mots</p>")
    client.login(agent)
    page = text(client.get("/idees"))
    assert "Idée complète" in page and open_community.name in page
    assert "Un texte & des mots" in page  # plain text excerpt
    assert theme.name_fr in page and "déposée" in page
    assert "4 soutiens" in page and "2 commentaires" in page and "Camille Martin" in page


def test_sorts(client, agent, open_community):
    now = utcnow()
    old = make_idea(open_community, title="Ancienne et soutenue", vote_count=9,
                    created_at=now - timedelta(days=60))
    commented = make_idea(open_community, title="Très commentée", comment_count=7,
                          created_at=now - timedelta(days=30))
    trending = make_idea(open_community, title="Soutenue récemment", vote_count=3,
                         created_at=now - timedelta(days=20))
    newest = make_idea(open_community, title="Toute nouvelle", created_at=now)
    for n in range(3):
        db.session.add(Vote(idea_id=trending.id, user_id=factories.UserFactory().id,
                            created_at=now - timedelta(days=n)))
    for n in range(9):  # many supports, all old
        db.session.add(Vote(idea_id=old.id, user_id=factories.UserFactory().id,
                            created_at=now - timedelta(days=40 + n)))
    db.session.commit()
    client.login(agent)
    assert titles(client.get("/idees"))[0] == newest.title
    assert titles(client.get("/idees?sort=supported"))[0] == old.title
    assert titles(client.get("/idees?sort=commented"))[0] == commented.title
    assert titles(client.get("/idees?sort=trending"))[0] == trending.title


@pytest.mark.parametrize("query", [
    "theme=abc", "community=-1", "territory=%C2%A0", "page=abc", "page=999999", "page=-3",
    "sort=recent&sort=trending", "theme=99999999999999999999", "sort=&status=&scope=",
])
def test_numbers_out_of_range_are_clamped(client, agent, open_community, query):
    make_idea(open_community)
    client.login(agent)
    assert client.get(f"/idees?{query}").status_code == 200
    assert client.get(f"/communautes/{open_community.slug}/idees?{query}").status_code == 200


@pytest.mark.parametrize("query", ["sort=nimporte", "status=inconnu", "sdg=18", "sdg=0",
                                   "scope=tous"])
def test_choices_outside_the_allow_list_are_refused(client, agent, open_community, query):
    client.login(agent)
    for path in ("/idees", f"/communautes/{open_community.slug}/idees"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert f"Le paramètre « {query.split('=')[0]} » n'accepte pas" in response.text


def test_filters(client, agent, open_community, theme):
    atelier = db.session.scalar(db.select(Territory).filter_by(kind=TerritoryKind.ATELIER)
                                .order_by(Territory.id).limit(1))
    local = factories.CommunityFactory(name="Communauté de l'atelier", territory_id=atelier.id)
    other_theme = db.session.scalars(db.select(Theme).where(Theme.id != theme.id)).first()
    themed = make_idea(open_community, title="Idée à thème", themes=[theme])
    make_idea(open_community, title="Idée d'un autre thème", themes=[other_theme])
    in_review = make_idea(local, title="Idée à l'étude", status=IdeaStatus.IN_REVIEW)
    mine = make_idea(open_community, agent, title="Mon idée")
    withdrawn_mine = make_idea(open_community, agent, title="Mon idée retirée",
                               status=IdeaStatus.WITHDRAWN)
    db.session.add(IdeaSdg(idea_id=themed.id, sdg=7))
    db.session.add(IdeaFollow(idea_id=in_review.id, user_id=agent.id))
    db.session.commit()
    client.login(agent)
    assert titles(client.get(f"/idees?theme={theme.id}")) == [themed.title]
    assert titles(client.get("/idees?status=in_review")) == [in_review.title]
    assert titles(client.get("/idees?status=withdrawn")) == [withdrawn_mine.title]
    assert titles(client.get(f"/idees?community={local.id}")) == [in_review.title]
    assert titles(client.get(f"/idees?territory={atelier.id}")) == [in_review.title]
    # A directorate includes its Ateliers.
    assert titles(client.get(f"/idees?territory={atelier.parent_id}")) == [in_review.title]
    assert titles(client.get("/idees?sdg=7")) == [themed.title]
    assert sorted(titles(client.get("/idees?scope=mine"))) == sorted(
        [mine.title, withdrawn_mine.title])
    assert titles(client.get("/idees?scope=followed")) == [in_review.title]


def test_filters_are_kept_in_page_links_and_the_form(client, agent, open_community, theme,
                                                     app):
    for n in range(app.config["PER_PAGE"] + 3):
        make_idea(open_community, title=f"Idée numéro {n:02d}", themes=[theme])
    client.login(agent)
    page = text(client.get(f"/idees?theme={theme.id}&sort=supported"))
    assert f'href="/idees?sort=supported&amp;theme={theme.id}&amp;page=2"' in page.replace(
        "&", "&amp;") or f"/idees?sort=supported&theme={theme.id}&page=2" in page
    assert f'<option value="{theme.id}" selected>' in page
    assert '<option value="supported" selected>' in page


def test_list_htmx_fragments(client, agent, open_community, app):
    per_page = app.config["PER_PAGE"]
    for n in range(per_page + 5):
        make_idea(open_community, title=f"Idée numéro {n:02d}",
                  created_at=utcnow() - timedelta(minutes=n))
    client.login(agent)
    full = client.get("/idees")
    assert "<html" in full.get_data(as_text=True)
    assert len(titles(full)) == per_page
    # The next page is sought after this one's last idea (ideas.pagination.PageCursor).
    more_url = re.search(r'hx-get="(/idees\?page=2&apres=[\w.-]+)"', text(full)).group(1)
    assert f'href="{more_url}"' in text(full)  # plain link without JavaScript
    # The filter form swaps the results.
    results = client.get("/idees?sort=recent", headers={"HX-Request": "true",
                                                        "HX-Target": "idea-results"})
    assert "<html" not in results.get_data(as_text=True)
    assert 'id="idea-list"' in text(results) and len(titles(results)) == per_page
    assert "HX-Request" in results.headers["Vary"]
    # "Afficher plus" appends only the next cards, and moves the page links out of band.
    more = client.get(more_url, headers={"HX-Request": "true", "HX-Target": "idea-more"})
    assert "<html" not in more.get_data(as_text=True)
    assert 'id="idea-list"' not in text(more)
    assert titles(more) == [f"Idée numéro {n:02d}" for n in range(per_page, per_page + 5)]
    assert 'id="idea-more"' not in text(more)  # last page: no more button
    assert 'hx-swap-oob="true"' in text(more)
    # The back button (history restore) gets the whole page.
    restore = client.get("/idees?page=2", headers={"HX-Request": "true",
                                                   "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_community_page_lists_its_ideas(client, agent, open_community):
    other = factories.CommunityFactory(name="Autre communauté")
    make_idea(open_community, title="Idée de la communauté")
    make_idea(other, title="Idée d'ailleurs")
    client.login(agent)
    page = client.get(f"/communautes/{open_community.slug}")
    assert titles(page) == ["Idée de la communauté"]
    assert f'href="/communautes/{open_community.slug}/idees/nouvelle"' in text(page)
    listing = client.get(f"/communautes/{open_community.slug}/idees")
    assert listing.status_code == 200 and titles(listing) == ["Idée de la communauté"]
    fragment = client.get(f"/communautes/{open_community.slug}/idees?sort=supported",
                          headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert titles(fragment) == ["Idée de la communauté"]


def test_a_private_community_list_is_404_for_non_members(client, agent, private_community):
    make_idea(private_community, title="Secret")
    client.login(agent)
    assert client.get(f"/communautes/{private_community.slug}/idees").status_code == 404
    assert "Secret" not in text(client.get(f"/communautes/{private_community.slug}"))
    assert "Secret" not in text(client.get(f"/idees?community={private_community.id}"))
