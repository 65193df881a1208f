# ruff: noqa: E501 - the table reads best one route a line, columns aligned
"""Every route × anonymous / agent / facilitator / manager / admin → the expected status.

One row per (endpoint, method). Adding a route means adding ONE line to ROWS:
`test_every_route_has_a_row` fails, listing what is missing, until it is there.

The world each request runs against (`world` below):
- `{open}` and `{private}`: an open and a private community, both run by the facilitator;
  the agent belongs to neither, the manager and admin to none;
- `{member}`: the membership of a plain member of `{open}`; `{request}`: a pending request to
  join `{private}`; `{user}`: that member's user id (a target for the admin pages);
- `{private_idea}`: an idea by the member in `{private}`; `{comment}`: the member's comment
  on it;
- `{service}`: a service of the offer; `{intervention}`: a research intervention in `{private}`;
- `{token}`: a forged token (invitation, password reset);
- the `other_facilitator` facilitates a third community only: a column filled for the routes
  where "facilitator of another community" matters (moderation), left None elsewhere.
POST requests carry a valid CSRF token and no other field, so a refusal for want of data is
422 and a refusal for want of rights is 403/404: the two never mix.

Statuses: LOGIN = 302 to the login page; 302 = any other redirect.
"""

import functools
from datetime import date
from typing import NamedTuple

import pytest

from ideas.comments.models import Comment
from ideas.communities.models import MembershipStatus
from ideas.offer.models import Service, ServiceType
from ideas.research.models import InterventionFormat, ResearchIntervention
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory, UserFactory
from tests.helpers import location

LOGIN = "login"
ROLES = ("anonymous", "agent", "facilitator", "manager", "admin", "other_facilitator")
IGNORED_ENDPOINTS = {"static"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}
NO_PASSWORD = "!"  # matches no password: these users sign in by session


class Row(NamedTuple):
    endpoint: str
    method: str
    url: str
    anonymous: int | str
    agent: int | str
    facilitator: int | str
    manager: int | str
    admin: int | str
    other_facilitator: int | str | None = None  # None: not checked for this route


R = Row
ROWS = [
    #  endpoint                       method  url                                       anon   agent facil manag admin
    # -- main
    R("main.home",                    "GET",  "/",                                      LOGIN, 200, 200, 200, 200),
    R("main.set_language",            "POST", "/langue",                                302,   302, 302, 302, 302),
    R("main.health",                  "GET",  "/sante",                                 200,   200, 200, 200, 200),
    R("main.accessibility",           "GET",  "/accessibilite",                         200,   200, 200, 200, 200),
    R("main.privacy",                 "GET",  "/donnees-personnelles",                  200,   200, 200, 200, 200),
    # -- accounts
    R("accounts.login",               "GET",  "/connexion",                             200,   302, 302, 302, 302),
    R("accounts.login",               "POST", "/connexion",                             422,   302, 302, 302, 302),
    R("accounts.logout",              "POST", "/deconnexion",                           LOGIN, 302, 302, 302, 302),
    R("accounts.signup",              "GET",  "/inscription",                           200,   302, 302, 302, 302),
    R("accounts.signup",              "POST", "/inscription",                           422,   302, 302, 302, 302),
    R("accounts.accept_invitation",   "GET",  "/invitation/{token}",                    302,   302, 302, 302, 302),
    R("accounts.accept_invitation",   "POST", "/invitation/{token}",                    302,   302, 302, 302, 302),
    R("accounts.forgot_password",     "GET",  "/mot-de-passe/oubli",                    200,   200, 200, 200, 200),
    R("accounts.forgot_password",     "POST", "/mot-de-passe/oubli",                    422,   422, 422, 422, 422),
    R("accounts.reset_password",      "GET",  "/mot-de-passe/reinitialiser/{token}",    302,   302, 302, 302, 302),
    R("accounts.reset_password",      "POST", "/mot-de-passe/reinitialiser/{token}",    302,   302, 302, 302, 302),
    R("accounts.profile",             "GET",  "/profil",                                LOGIN, 200, 200, 200, 200),
    R("accounts.profile",             "POST", "/profil",                                LOGIN, 422, 422, 422, 422),
    R("accounts.change_password",     "GET",  "/profil/mot-de-passe",                   LOGIN, 200, 200, 200, 200),
    R("accounts.change_password",     "POST", "/profil/mot-de-passe",                   LOGIN, 422, 422, 422, 422),
    # -- communities
    R("communities.index",            "GET",  "/communautes/",                          LOGIN, 200, 200, 200, 200),
    R("communities.mine",             "GET",  "/communautes/miennes",                   LOGIN, 200, 200, 200, 200),
    R("communities.create",           "GET",  "/communautes/nouvelle",                  LOGIN, 403, 403, 200, 200),
    R("communities.create",           "POST", "/communautes/nouvelle",                  LOGIN, 403, 403, 422, 422),
    R("communities.show",             "GET",  "/communautes/{private}",                 LOGIN, 200, 200, 200, 200),
    R("communities.edit",             "GET",  "/communautes/{open}/modifier",           LOGIN, 403, 403, 200, 200),
    R("communities.edit",             "POST", "/communautes/{open}/modifier",           LOGIN, 403, 403, 422, 422),
    R("communities.archive",          "POST", "/communautes/{open}/archiver",           LOGIN, 403, 403, 302, 302),
    R("communities.restore",          "POST", "/communautes/{open}/restaurer",          LOGIN, 403, 403, 302, 302),
    R("communities.join",             "POST", "/communautes/{open}/rejoindre",          LOGIN, 302, 302, 302, 302),
    R("communities.request_to_join",  "POST", "/communautes/{private}/demander",        LOGIN, 302, 302, 302, 302),
    R("communities.leave",            "POST", "/communautes/{open}/quitter",            LOGIN, 403, 302, 403, 403),
    R("communities.members",          "GET",  "/communautes/{private}/membres",         LOGIN, 404, 200, 200, 200),
    R("communities.approve",          "POST", "/communautes/{private}/membres/{request}/accepter", LOGIN, 403, 302, 302, 302),
    R("communities.reject",           "POST", "/communautes/{private}/membres/{request}/refuser",  LOGIN, 403, 302, 302, 302),
    R("communities.remove",           "POST", "/communautes/{open}/membres/{member}/retirer",      LOGIN, 403, 302, 302, 302),
    R("communities.appoint",          "POST", "/communautes/{open}/membres/{member}/animateur",    LOGIN, 403, 403, 302, 302),
    R("communities.relieve",          "POST", "/communautes/{open}/membres/{member}/membre",       LOGIN, 403, 403, 302, 302),
    R("communities.invite",           "POST", "/communautes/{private}/inviter",         LOGIN, 403, 302, 302, 302),
    # -- admin
    R("admin.users",                  "GET",  "/admin/agents",                          LOGIN, 403, 403, 403, 200),
    R("admin.user",                   "GET",  "/admin/agents/{user}",                   LOGIN, 403, 403, 403, 200),
    R("admin.user",                   "POST", "/admin/agents/{user}",                   LOGIN, 403, 403, 403, 302),
    R("admin.deactivate",             "POST", "/admin/agents/{user}/desactiver",        LOGIN, 403, 403, 403, 302),
    R("admin.reactivate",             "POST", "/admin/agents/{user}/reactiver",         LOGIN, 403, 403, 403, 302),
    R("admin.invite",                 "POST", "/admin/invitations",                     LOGIN, 403, 403, 403, 302),
    # -- ideation (the agent is not a member of {private}: its ideas are hidden from them)
    R("ideation.index",               "GET",  "/idees",                                 LOGIN, 200, 200, 200, 200),
    R("ideation.choose_community",    "GET",  "/idees/proposer",                        LOGIN, 200, 200, 200, 200),
    R("ideation.community_ideas",     "GET",  "/communautes/{private}/idees",           LOGIN, 404, 200, 200, 200),
    R("ideation.new",                 "GET",  "/communautes/{private}/idees/nouvelle",  LOGIN, 403, 200, 403, 403),
    R("ideation.new",                 "POST", "/communautes/{private}/idees/nouvelle",  LOGIN, 403, 422, 403, 403),
    R("ideation.preview",             "POST", "/idees/apercu",                          LOGIN, 200, 200, 200, 200),
    R("ideation.show",                "GET",  "/idees/{private_idea}",                  LOGIN, 404, 200, 200, 200),
    R("ideation.edit",                "GET",  "/idees/{private_idea}/modifier",         LOGIN, 404, 403, 403, 403),
    R("ideation.edit",                "POST", "/idees/{private_idea}/modifier",         LOGIN, 404, 403, 403, 403),
    R("ideation.withdraw",            "GET",  "/idees/{private_idea}/retirer",          LOGIN, 404, 403, 403, 403),
    R("ideation.withdraw",            "POST", "/idees/{private_idea}/retirer",          LOGIN, 404, 403, 403, 403),
    # -- search (results limited to what each may read; suggestions without htmx: the page)
    R("search.results",               "GET",  "/recherche?q=idée",                      LOGIN, 200, 200, 200, 200),
    R("search.suggestions",           "GET",  "/recherche/suggestions?q=idée",          LOGIN, 302, 302, 302, 302),
    R("search.similar",               "POST", "/idees/similaires",                      LOGIN, 200, 200, 200, 200),
    # -- comments ({comment} is the member's, on {private_idea})
    R("comments.create",              "POST", "/idees/{private_idea}/commentaires",     LOGIN, 404, 422, 403, 403),
    R("comments.show",                "GET",  "/commentaires/{comment}",                LOGIN, 404, 302, 302, 302),
    R("comments.page",                "GET",  "/idees/{private_idea}/commentaires?page=2", LOGIN, 404, 302, 302, 302),
    R("comments.reply",               "GET",  "/commentaires/{comment}/repondre",       LOGIN, 404, 200, 403, 403),
    R("comments.edit",                "GET",  "/commentaires/{comment}/modifier",       LOGIN, 404, 403, 403, 403),
    R("comments.edit",                "POST", "/commentaires/{comment}/modifier",       LOGIN, 404, 403, 403, 403),
    R("comments.delete",              "POST", "/commentaires/{comment}/supprimer",      LOGIN, 404, 403, 403, 403),
    # -- follows and votes
    R("follows.mine",                 "GET",  "/profil/suivis",                         LOGIN, 200, 200, 200, 200),
    R("follows.follow_community",     "POST", "/communautes/{private}/suivre",          LOGIN, 403, 302, 302, 302),
    R("follows.unfollow_community",   "POST", "/communautes/{private}/ne-plus-suivre",  LOGIN, 302, 302, 302, 302),
    R("follows.follow_idea",          "POST", "/idees/{private_idea}/suivre",           LOGIN, 404, 302, 302, 302),
    R("follows.unfollow_idea",        "POST", "/idees/{private_idea}/ne-plus-suivre",   LOGIN, 404, 302, 302, 302),
    R("votes.cast",                   "POST", "/idees/{private_idea}/soutenir",         LOGIN, 404, 302, 403, 403),
    R("votes.withdraw",               "POST", "/idees/{private_idea}/retirer-soutien",  LOGIN, 404, 302, 403, 403),
    # -- workflow
    R("workflow.move",                "GET",  "/idees/{private_idea}/statut",           LOGIN, 404, 200, 200, 200),
    R("workflow.move",                "POST", "/idees/{private_idea}/statut",           LOGIN, 404, 422, 422, 422),
    # -- research interventions ({intervention} is in {private})
    R("research.create",              "GET",  "/communautes/{private}/interventions/nouvelle", LOGIN, 404, 200, 200, 200),
    R("research.create",              "POST", "/communautes/{private}/interventions/nouvelle", LOGIN, 404, 422, 422, 422),
    R("research.index",               "GET",  "/interventions",                         LOGIN, 403, 403, 200, 200),
    R("research.edit",                "GET",  "/interventions/{intervention}/modifier", LOGIN, 403, 403, 200, 200),
    R("research.edit",                "POST", "/interventions/{intervention}/modifier", LOGIN, 403, 403, 422, 422),
    R("research.delete",              "POST", "/interventions/{intervention}/supprimer", LOGIN, 403, 403, 302, 302),
    # -- offer (services)
    R("offer.index",                  "GET",  "/services/",                             LOGIN, 200, 200, 200, 200),
    R("offer.show",                   "GET",  "/services/{service}",                    LOGIN, 200, 200, 200, 200),
    R("offer.create",                 "GET",  "/services/nouveau",                      LOGIN, 403, 403, 200, 200),
    R("offer.create",                 "POST", "/services/nouveau",                      LOGIN, 403, 403, 422, 422),
    R("offer.edit",                   "GET",  "/services/{service}/modifier",           LOGIN, 403, 403, 200, 200),
    R("offer.edit",                   "POST", "/services/{service}/modifier",           LOGIN, 403, 403, 422, 422),
    R("offer.retire",                 "POST", "/services/{service}/retirer",            LOGIN, 403, 403, 302, 302),
    R("offer.import_services",        "GET",  "/services/import",                       LOGIN, 403, 403, 200, 200),
    R("offer.import_services",        "POST", "/services/import",                       LOGIN, 403, 403, 422, 422),
    # -- dashboard (management) and review (management, and facilitators for their communities)
    R("dashboard.index",              "GET",  "/pilotage/",                             LOGIN, 403, 403, 200, 200),
    R("dashboard.export_table",       "GET",  "/pilotage/export/funnel.csv",            LOGIN, 403, 403, 200, 200),
    R("dashboard.services",           "GET",  "/pilotage/services",                     LOGIN, 403, 403, 200, 200),
    R("dashboard.services_export",    "GET",  "/pilotage/services.xlsx",                LOGIN, 403, 403, 200, 200),
    R("dashboard.interventions",      "GET",  "/pilotage/interventions",                LOGIN, 403, 403, 200, 200),
    R("dashboard.interventions_export", "GET", "/pilotage/interventions.csv",           LOGIN, 403, 403, 200, 200),
    R("dashboard.ideas",              "GET",  "/pilotage/idees?stage=selected",         LOGIN, 403, 403, 200, 200),
    R("dashboard.ideas_export",       "GET",  "/pilotage/idees.csv",                    LOGIN, 403, 403, 200, 200),
    R("dashboard.review_ideas",       "GET",  "/pilotage/revue",                        LOGIN, 403, 200, 200, 200),
    R("dashboard.review_export",      "GET",  "/pilotage/revue.xlsx",                   LOGIN, 403, 200, 200, 200),
    # -- moderation (last column: a facilitator of another community; {private_idea} is
    #    unknown to whoever may not read the private community: 404 before any right is asked)
    R("moderation.report_idea",       "GET",  "/idees/{private_idea}/signaler",         LOGIN, 404, 200, 200, 200, 404),
    R("moderation.report_idea",       "POST", "/idees/{private_idea}/signaler",         LOGIN, 404, 422, 422, 422, 404),
    R("moderation.report_comment",    "GET",  "/commentaires/{comment}/signaler",       LOGIN, 404, 200, 200, 200, 404),
    R("moderation.report_comment",    "POST", "/commentaires/{comment}/signaler",       LOGIN, 404, 422, 422, 422, 404),
    R("moderation.queue",             "GET",  "/moderation",                            LOGIN, 403, 200, 403, 200, 200),
    R("moderation.community_queue",   "GET",  "/communautes/{private}/moderation",      LOGIN, 403, 200, 403, 200, 403),
    R("moderation.hide",              "POST", "/moderation/idees/{private_idea}/masquer",    LOGIN, 404, 422, 403, 422, 404),
    R("moderation.restore",           "POST", "/moderation/idees/{private_idea}/retablir",   LOGIN, 404, 302, 403, 302, 404),
    R("moderation.dismiss",           "POST", "/moderation/idees/{private_idea}/classer",    LOGIN, 404, 302, 403, 302, 404),
    R("moderation.lock",              "POST", "/moderation/idees/{private_idea}/verrouiller", LOGIN, 404, 302, 403, 302, 404),
    R("moderation.unlock",            "POST", "/moderation/idees/{private_idea}/deverrouiller", LOGIN, 404, 302, 403, 302, 404),
    R("moderation.pin",               "POST", "/moderation/idees/{private_idea}/epingler",   LOGIN, 404, 302, 403, 302, 404),
    R("moderation.unpin",             "POST", "/moderation/idees/{private_idea}/desepingler", LOGIN, 404, 302, 403, 302, 404),
    R("moderation.merge",             "GET",  "/moderation/idees/{private_idea}/fusionner",  LOGIN, 404, 200, 403, 200, 404),
    R("moderation.merge",             "POST", "/moderation/idees/{private_idea}/fusionner",  LOGIN, 404, 422, 403, 422, 404),
    R("moderation.edit_title",        "GET",  "/moderation/idees/{private_idea}/titre",      LOGIN, 404, 200, 403, 200, 404),
    R("moderation.edit_title",        "POST", "/moderation/idees/{private_idea}/titre",      LOGIN, 404, 422, 403, 422, 404),
    R("moderation.bulk",              "POST", "/moderation/lot",                        LOGIN, 403, 422, 403, 422, 422),
    R("moderation_log.log",           "GET",  "/moderation/journal",                    LOGIN, 403, 200, 403, 200, 200),
    R("moderation_log.export",        "GET",  "/moderation/journal.csv",                LOGIN, 403, 200, 403, 200, 200),
    R("moderation_log.community_log", "GET",  "/communautes/{private}/moderation/journal",     LOGIN, 403, 200, 403, 200, 403),
    R("moderation_log.community_export", "GET", "/communautes/{private}/moderation/journal.csv", LOGIN, 403, 200, 403, 200, 403),
    R("suspensions.index",            "GET",  "/moderation/suspensions",                LOGIN, 403, 403, 403, 200, 403),
    R("suspensions.suspend",          "GET",  "/moderation/agents/{user}/suspendre",    LOGIN, 403, 403, 403, 200, 403),
    R("suspensions.suspend",          "POST", "/moderation/agents/{user}/suspendre",    LOGIN, 403, 403, 403, 422, 403),
    R("suspensions.lift",             "POST", "/moderation/suspensions/999999/lever",   LOGIN, 403, 403, 403, 404, 403),
    R("suspensions.hide_content",     "POST", "/moderation/agents/{user}/masquer-contenus", LOGIN, 403, 403, 403, 422, 403),
    # -- notifications (the centre is one's own: no notification 999999 for anyone; {token} is
    #    a forged unsubscribe token, refused with or without an account)
    R("notifications.index",          "GET",  "/notifications",                         LOGIN, 200, 200, 200, 200),
    R("notifications.bell",           "GET",  "/notifications/compteur",                LOGIN, 200, 200, 200, 200),
    R("notifications.open",           "GET",  "/notifications/999999",                  LOGIN, 404, 404, 404, 404),
    R("notifications.mark_read",      "POST", "/notifications/999999/lue",              LOGIN, 404, 404, 404, 404),
    R("notifications.mark_all_read",  "POST", "/notifications/tout-lire",               LOGIN, 302, 302, 302, 302),
    R("notifications.preferences",    "GET",  "/profil/notifications",                  LOGIN, 200, 200, 200, 200),
    R("notifications.preferences",    "POST", "/profil/notifications",                  LOGIN, 422, 422, 422, 422),
    R("notifications.unsubscribe",    "GET",  "/notifications/desabonnement/{token}",   400,   400, 400, 400, 400),
    R("notifications.unsubscribe",    "POST", "/notifications/desabonnement/{token}",   400,   400, 400, 400, 400),
    # -- personal data (one's own: the export, the deletion; {user} is the member, erased by an
    #    admin; the world's admin is the only one, who may not delete their own account)
    R("privacy.my_data",              "GET",  "/profil/mes-donnees",                    LOGIN, 200, 200, 200, 200),
    R("privacy.export_archive",       "GET",  "/profil/mes-donnees/archive.zip",        LOGIN, 200, 200, 200, 200),
    R("privacy.delete_account",       "GET",  "/profil/supprimer-mon-compte",           LOGIN, 200, 200, 200, 200),
    R("privacy.delete_account",       "POST", "/profil/supprimer-mon-compte",           LOGIN, 422, 422, 422, 403),
    R("privacy.erase_user",           "GET",  "/admin/agents/{user}/supprimer",         LOGIN, 403, 403, 403, 200),
    R("privacy.erase_user",           "POST", "/admin/agents/{user}/supprimer",         LOGIN, 403, 403, 403, 422),
]  # fmt: skip


def build_world(db, with_ideas: bool = True) -> dict:
    # No password: everyone signs in by session (`_as`), and hashing took most of the time.
    person = functools.partial(UserFactory, password_hash=NO_PASSWORD)
    facilitator = person(display_name="Animatrice")
    open_community = CommunityFactory(name="Ouverte")
    private_community = CommunityFactory(name="Privée", is_private=True)
    for community in (open_community, private_community):
        MembershipFactory(user=facilitator, community=community, role="facilitator")
    other_facilitator = person(display_name="Animateur d'ailleurs")
    MembershipFactory(user=other_facilitator, community=CommunityFactory(name="Ailleurs"),
                      role="facilitator")
    member = MembershipFactory(community=open_community, user=person())
    MembershipFactory(user=member.user, community=private_community)
    request = MembershipFactory(community=private_community, user=person(),
                                status=MembershipStatus.PENDING)
    service = Service(name="Service de l'offre", type=ServiceType.TRAINING)
    intervention = ResearchIntervention(
        community_id=private_community.id, researcher="Chercheuse", institution="Université",
        held_on=date(2025, 3, 14), format=InterventionFormat.TALK, topic="Sujet")
    db.session.add_all([service, intervention])
    db.session.commit()
    world = {
        "users": {"agent": person(), "facilitator": facilitator,
                  "manager": person(role="manager"), "admin": person(role="admin"),
                  "other_facilitator": other_facilitator},
        "open": open_community.slug, "private": private_community.slug,
        "member": member.id, "request": request.id, "user": member.user_id,
        "service": service.id, "intervention": intervention.id, "token": "jeton-forge",
    }
    if with_ideas:  # the slowest part (the search index follows each idea): only when used
        private_idea = IdeaFactory(community=private_community, author=member.user)
        comment = Comment(idea_id=private_idea.id, author_id=member.user_id, body="Bravo",
                          body_html="<p>Bravo</p>")
        db.session.add(comment)
        db.session.commit()
        world.update(private_idea=private_idea.id, comment=comment.id)
    return world


def _as(client, user) -> None:
    """Sign in by session, as login would (faster than the login form for ~300 requests)."""
    if user is None:
        return
    with client.raw.session_transaction() as session:
        session["_user_id"] = user.get_id()  # session token + login time (accounts.sessions)
        session["_fresh"] = True


def _status(response) -> int | str:
    if response.status_code == 302 and location(response).startswith("/connexion?"):
        return LOGIN
    return response.status_code


def _request(client, row: Row, world: dict):
    url = row.url.format(**world)
    if row.method == "GET":
        return client.get(url)
    return client.post(url, {})


def _route_keys(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint not in IGNORED_ENDPOINTS
            for method in rule.methods - IGNORED_METHODS}


def test_every_route_has_a_row(app):
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    listed = [(row.endpoint, row.method) for row in ROWS]
    assert len(listed) == len(set(listed)), "a route has two rows"
    missing = sorted(_route_keys(app) - set(listed))
    assert not missing, (
        "Routes with no row in ROWS of tests/test_permissions_matrix.py (add one line each):\n"
        + "\n".join(f"  {method} {endpoint}  {rules[endpoint]}" for endpoint, method in missing))
    stale = sorted(set(listed) - _route_keys(app))
    assert not stale, f"Rows for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_read_routes(client, db, role):
    """Every GET row for one role, against one world: GETs change nothing."""
    world = build_world(db)
    _as(client, world["users"].get(role))
    wrong = []
    for row in (r for r in ROWS if r.method == "GET" and getattr(r, role) is not None):
        actual = _status(_request(client, row, world))
        if actual != getattr(row, role):
            wrong.append(f"{row.method} {row.url}: expected {getattr(row, role)}, got {actual}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


WRITE_CASES = [(row, role) for row in ROWS if row.method != "GET" for role in ROLES
               if getattr(row, role) is not None]


@pytest.mark.parametrize(("row", "role"), WRITE_CASES,
                         ids=[f"{row.method} {row.endpoint}-{role}" for row, role in WRITE_CASES])
def test_write_routes(client, db, row, role):
    """One write per test: each gets a fresh world, so no write changes another's answer."""
    world = build_world(db, with_ideas="{private_idea}" in row.url or "{comment}" in row.url)
    _as(client, world["users"].get(role))
    assert _status(_request(client, row, world)) == getattr(row, role)
