"""The workflow form on the idea page: only allowed states offered, htmx and plain posts, every
refusal clear (422/409 fragment keeping what was typed, nothing half-saved), forged requests
refused, and the timeline showing each move with its answer, service and merges."""

import re

import pytest

from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.offer.models import Service, ServiceStatus, ServiceType, service_ideas
from ideas.workflow.models import StatusChange
from tests.factories import IdeaFactory, MembershipFactory, UserFactory
from tests.helpers import count, location, text

S = IdeaStatus
ANSWER = "La direction **retient** cette idée pour 2027."


@pytest.fixture
def author(db, open_community):
    user = UserFactory(display_name="Autrice Workflow")
    MembershipFactory(user=user, community=open_community)
    return user


@pytest.fixture
def idea(author, open_community):
    return IdeaFactory(community=open_community, author=author, status=S.IN_REVIEW,
                       title="Des gourdes pour les réunions")


def _url(idea) -> str:
    return f"/idees/{idea.id}/statut"


def _state(idea) -> IdeaStatus:
    db.session.expire_all()
    return db.session.get(Idea, idea.id).status


def _options(page: str) -> list[str]:
    select = page.split('name="status"')[1].split("</select>")[0]
    return re.findall(r'<option value="([a-z_]*)"', select)


def move(client, idea, htmx=True, **data):
    data.setdefault("expected", idea.status.value)
    return client.post(_url(idea), data, htmx=htmx)


# -- The form offers only the allowed states

def test_manager_sees_only_the_states_reachable_from_in_review(make_client, manager, idea):
    page = text(make_client(manager).get(f"/idees/{idea.id}"))
    assert "Changer le statut" in page
    assert _options(page) == ["", "declined", "selected", "merged"]
    assert 'name="expected" type="hidden" value="in_review"' in page or \
        'value="in_review"' in page.split('name="expected"')[1][:80]


def test_facilitator_is_offered_declined_and_merged_only(make_client, facilitator, idea):
    page = text(make_client(facilitator).get(f"/idees/{idea.id}"))
    assert _options(page) == ["", "declined", "merged"]
    assert "le service qu'elle est devenue" not in page  # no adoption for a facilitator


def test_the_author_and_other_agents_do_not_see_the_form(make_client, author, agent, idea):
    for user in (author, agent):
        page = text(make_client(user).get(f"/idees/{idea.id}"))
        assert "Historique du statut" in page
        assert 'name="status"' not in page


def test_answer_hint_says_when_it_is_required(make_client, manager, idea):
    page = text(make_client(manager).get(f"/idees/{idea.id}"))
    assert "Obligatoire pour « retenue », « non retenue » et « adoptée »" in page


# -- Successful moves

def test_htmx_move_redirects_and_the_timeline_shows_it(make_client, manager, idea):
    client = make_client(manager)
    response = move(client, idea, status="selected", answer=ANSWER)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/idees/{idea.id}"
    assert _state(idea) == S.SELECTED
    change = db.session.scalar(db.select(StatusChange).filter_by(idea_id=idea.id))
    assert (change.from_status, change.to_status, change.actor_id) == (
        S.IN_REVIEW, S.SELECTED, manager.id)
    page = text(client.get(f"/idees/{idea.id}"))
    assert "L'idée est passée au statut « retenue »." in page  # the flash after the redirect
    assert "à l'étude → retenue" in page and "Direction Test" in page
    assert "<strong>retient</strong>" in page
    assert _options(page) == ["", "piloting", "adopted", "declined", "merged"]


def test_plain_post_redirects_to_the_idea(make_client, facilitator, idea):
    response = move(make_client(facilitator), idea, htmx=False, status="declined",
                    answer="Hors du périmètre de la communauté.")
    assert response.status_code == 303 and location(response) == f"/idees/{idea.id}#statut"
    assert _state(idea) == S.DECLINED


def test_optional_answer_may_be_empty(make_client, facilitator, open_community, author):
    submitted = IdeaFactory(community=open_community, author=author)
    assert move(make_client(facilitator), submitted, status="in_review").status_code == 200
    assert _state(submitted) == S.IN_REVIEW


def test_the_answer_is_sanitised(make_client, manager, idea):
    client = make_client(manager)
    move(client, idea, status="selected",
         answer="Oui <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=y>")
    raw = client.get(f"/idees/{idea.id}").get_data(as_text=True)  # not unescaped: real tags
    timeline = raw.split('id="statut"')[1].split("Changer le statut")[0]
    assert "Oui" in timeline and "<script>alert" not in timeline
    assert 'href="javascript:' not in timeline and not re.search(r"<img[^>]*onerror", timeline)


# -- Refusals: clear message, typed text kept, nothing saved

def test_declining_without_an_answer_is_refused(make_client, facilitator, idea):
    response = move(make_client(facilitator), idea, status="declined", answer="  ")
    assert response.status_code == 422
    page = text(response)
    assert 'id="workflow-move-form"' in page and "<html" not in page  # the fragment
    assert "Une réponse officielle est obligatoire pour ce statut." in page
    assert re.search(r'<option selected value="declined">', page)  # the choice is kept
    assert _state(idea) == S.IN_REVIEW and count(StatusChange) == 0


def test_plain_post_refusal_shows_the_form_page(make_client, facilitator, idea):
    response = move(make_client(facilitator), idea, htmx=False, status="declined", answer="")
    assert response.status_code == 422
    page = text(response)
    assert "<html" in page and "Une réponse officielle est obligatoire" in page
    assert idea.title in page


def test_adopting_without_a_service_is_refused(make_client, manager, open_community, author):
    selected = IdeaFactory(community=open_community, author=author, status=S.SELECTED)
    response = move(make_client(manager), selected, status="adopted",
                    answer="Adoptée : un parcours de formation.", service_choice="existing")
    assert response.status_code == 422
    page = text(response)
    assert "Choisissez le service existant, ou créez-en un nouveau." in page
    assert "Adoptée : un parcours de formation." in page  # the answer typed is kept
    assert _state(selected) == S.SELECTED and count(StatusChange) == 0


def test_a_new_service_with_a_bad_date_keeps_everything_typed(make_client, manager,
                                                              open_community, author):
    selected = IdeaFactory(community=open_community, author=author, status=S.SELECTED)
    response = move(make_client(manager), selected, status="adopted", answer="Adoptée.",
                    service_choice="new", service_name="Parcours gourdes",
                    service_type="formation", service_status="launched",
                    service_launch_date="31/02/2026")
    assert response.status_code == 422
    page = text(response)
    assert "Date invalide : « 31/02/2026 » (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)." in page
    assert 'value="31/02/2026"' in page and 'value="Parcours gourdes"' in page
    assert count(Service) == 0 and _state(selected) == S.SELECTED


def test_a_refused_new_service_is_not_half_saved(make_client, manager, open_community,
                                                 author):
    """The service's own rule (a launched service needs a launch date) refuses after the
    form passed: the service row is rolled back with the move."""
    selected = IdeaFactory(community=open_community, author=author, status=S.SELECTED)
    response = move(make_client(manager), selected, status="adopted", answer="Adoptée.",
                    service_choice="new", service_name="Parcours gourdes",
                    service_type="formation", service_status="launched",
                    service_launch_date="")
    assert response.status_code == 422
    assert "Un service lancé doit avoir une date de lancement." in text(response)
    assert count(Service) == 0 and count(StatusChange) == 0
    assert _state(selected) == S.SELECTED


def test_a_retired_service_cannot_be_chosen(make_client, manager, open_community, author):
    selected = IdeaFactory(community=open_community, author=author, status=S.SELECTED)
    retired = Service(name="Ancien service", type=ServiceType.OTHER, stated_origin="Siège",
                      status=ServiceStatus.RETIRED)
    db.session.add(retired)
    db.session.commit()
    response = move(make_client(manager), selected, status="adopted", answer="Adoptée.",
                    service_choice="existing", service_id=str(retired.id))
    assert response.status_code == 422
    assert "Choisissez un service de l'offre existant (non retiré)." in text(response)
    assert _state(selected) == S.SELECTED


@pytest.mark.parametrize("status", ["withdrawn", "piloting", "adopted", "submitted", "nope", ""])
def test_a_forged_target_state_is_refused(make_client, manager, idea, status):
    response = move(make_client(manager), idea, status=status, answer="Réponse.")
    assert response.status_code == 422
    assert "Choisissez un statut parmi ceux proposés." in text(response)
    assert _state(idea) == S.IN_REVIEW and count(StatusChange) == 0


def test_facilitator_forging_a_manager_move_is_refused(make_client, facilitator, idea):
    response = move(make_client(facilitator), idea, status="selected", answer="Retenue.")
    assert response.status_code == 422
    assert _state(idea) == S.IN_REVIEW and count(StatusChange) == 0


def test_an_agent_forging_a_transition_gets_403(make_client, agent, author, idea):
    for user in (agent, author):
        client = make_client(user)
        assert move(client, idea, status="declined", answer="Non.").status_code == 403
        assert move(client, idea, htmx=False, status="declined", answer="Non.").status_code == 403
        assert client.get(_url(idea)).status_code == 403
    assert _state(idea) == S.IN_REVIEW and count(StatusChange) == 0


def test_an_idea_of_a_private_community_is_404_for_outsiders(make_client, agent,
                                                             private_community):
    hidden = IdeaFactory(community=private_community, status=S.IN_REVIEW)
    response = move(make_client(agent), hidden, status="declined", answer="Non.")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["manager", "facilitator"])
def test_a_stale_form_is_a_conflict(make_client, manager, facilitator, idea, who):
    """Another tab moved the idea: the form says so, even to a facilitator who may no longer
    move it, and keeps the answer typed."""
    stale = make_client(manager if who == "manager" else facilitator)
    assert move(make_client(manager), idea, status="selected", answer="Retenue.").status_code \
        == 200
    response = stale.post(_url(idea), {"expected": "in_review", "status": "declined",
                                       "answer": "Non retenue, désolé."}, htmx=True)
    assert response.status_code == 409
    page = text(response)
    assert "L'idée a changé de statut entre-temps" in page
    assert "Non retenue, désolé." in page
    assert _state(idea) == S.SELECTED and count(StatusChange) == 1


def test_a_form_without_expected_state_is_refused(make_client, manager, idea):
    response = make_client(manager).post(_url(idea), {"status": "selected", "answer": "Oui."},
                                         htmx=True)
    assert response.status_code == 422
    assert "Le formulaire est incomplet. Rechargez la page et réessayez." in text(response)
    assert _state(idea) == S.IN_REVIEW


def test_the_form_page_works_without_javascript(make_client, manager, idea):
    page = make_client(manager).get(_url(idea))
    assert page.status_code == 200
    assert "<html" in text(page) and 'name="answer"' in text(page)


# -- Adoption: the service, both ways

def test_adopting_with_a_new_service_links_both_ways(make_client, manager, open_community,
                                                     author):
    piloting = IdeaFactory(community=open_community, author=author, status=S.PILOTING,
                           title="Un atelier réemploi mobile")
    client = make_client(manager)
    response = move(client, piloting, status="adopted", answer="Devenue un service.",
                    service_choice="new", service_name="Atelier réemploi itinérant",
                    service_type="accompagnement", service_status="launched",
                    service_launch_date="15/03/2026", service_description="Un camion.")
    assert response.status_code == 200, text(response)
    service = db.session.scalar(db.select(Service))
    assert service.name == "Atelier réemploi itinérant" and service.created_by_id == manager.id
    assert str(service.launch_date) == "2026-03-15" and service.status == ServiceStatus.LAUNCHED
    assert [i.id for i in service.ideas] == [piloting.id]
    assert db.session.scalar(db.select(StatusChange.service_id)) == service.id
    page = text(client.get(f"/idees/{piloting.id}"))
    assert f'href="/services/{service.id}"' in page and "Atelier réemploi itinérant" in page
    assert "Cette idée est devenue un service de l'offre" in page
    service_page = text(client.get(f"/services/{service.id}"))
    assert f'href="/idees/{piloting.id}"' in service_page and open_community.name in service_page


def test_adopting_into_an_existing_service(make_client, manager, open_community, author):
    selected = IdeaFactory(community=open_community, author=author, status=S.SELECTED)
    service = Service(name="Plateforme de prêt", type=ServiceType.PLATFORM,
                      stated_origin="Commande nationale")
    db.session.add(service)
    db.session.commit()
    page = text(make_client(manager).get(f"/idees/{selected.id}"))
    assert f'<option value="{service.id}">Plateforme de prêt</option>' in page
    response = move(make_client(manager), selected, status="adopted", answer="Oui.",
                    service_choice="existing", service_id=str(service.id))
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(service_ideas)) == 1
    assert count(Service) == 1


# -- Merging

def test_merge_into_an_idea_of_the_list_links_both_ways(make_client, facilitator,
                                                        open_community, author, idea):
    target = IdeaFactory(community=open_community, status=S.SUBMITTED,
                         title="Gourdes et fontaines partout")
    client = make_client(facilitator)
    page = text(client.get(f"/idees/{idea.id}"))
    assert f"n° {target.id} – Gourdes et fontaines partout" in page
    response = move(client, idea, status="merged", merge_into=str(target.id),
                    answer="Même proposition.")
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).merged_into_id == target.id
    merged_page = text(client.get(f"/idees/{idea.id}"))
    assert "Cette idée a été fusionnée dans l'idée" in merged_page
    assert f'href="/idees/{target.id}"' in merged_page
    target_page = text(client.get(f"/idees/{target.id}"))
    assert "Idée fusionnée dans celle-ci" in target_page
    assert f'href="/idees/{idea.id}"' in target_page


def test_merge_by_number_reaches_another_community(make_client, manager, idea):
    elsewhere = IdeaFactory(status=S.IN_REVIEW, title="Une idée d'ailleurs")
    response = move(make_client(manager), idea, status="merged",
                    merge_into_number=f"#{elsewhere.id}")
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).merged_into_id == elsewhere.id


@pytest.mark.parametrize("number, message", [
    ("abc", "Indiquez un numéro d'idée (des chiffres)."),
    ("999999", "Aucune idée visible ne porte ce numéro."),
    ("99999999999", "Aucune idée visible ne porte ce numéro."),
    ("", "Indiquez l'idée dans laquelle fusionner celle-ci."),
])
def test_bad_merge_targets_are_refused(make_client, facilitator, idea, number, message):
    response = move(make_client(facilitator), idea, status="merged", merge_into_number=number)
    assert response.status_code == 422
    assert message in text(response)
    assert _state(idea) == S.IN_REVIEW


def test_merge_into_itself_or_an_unseen_idea_is_refused(make_client, facilitator, idea):
    client = make_client(facilitator)
    response = move(client, idea, status="merged", merge_into_number=str(idea.id))
    assert response.status_code == 422
    assert "Une idée ne peut pas être fusionnée avec elle-même." in text(response)
    unseen = IdeaFactory(community=_private_community_without(facilitator))
    response = move(client, idea, status="merged", merge_into_number=str(unseen.id))
    assert "Aucune idée visible ne porte ce numéro." in text(response)
    assert _state(idea) == S.IN_REVIEW


def _private_community_without(user):
    from tests.factories import CommunityFactory

    return CommunityFactory(name="Cercle sans l'animatrice", is_private=True)


# -- The author's withdrawal is in the history too

def test_withdrawal_is_recorded_in_the_history(make_client, author, open_community):
    own = IdeaFactory(community=open_community, author=author, status=S.SUBMITTED)
    client = make_client(author)
    assert client.post(f"/idees/{own.id}/retirer").status_code == 302
    db.session.expire_all()
    change = db.session.scalar(db.select(StatusChange).filter_by(idea_id=own.id))
    assert (change.from_status, change.to_status, change.actor_id) == (
        S.SUBMITTED, S.WITHDRAWN, author.id)
    assert db.session.get(Idea, own.id).withdrawn_at is not None
    assert "déposée → retirée" in text(client.get(f"/idees/{own.id}"))
