"""Every main page under the enforcing Content-Security-Policy, in Chromium, as each role
(SECURITY-CHECKLIST item 56; ASVS 14.4.3).

A page fails on any `securitypolicyviolation` event (recorded from before the first script
runs) and on any console error (the `page` fixture: Chromium reports blocked scripts and
styles there too). The scripts the policy lets through must also have done their work: htmx
loaded with `allowEval` off, DSFR started, Chart.js drawing the dashboard.

`test_every_page_is_listed` walks the URL map, like the permission matrix: a new page must be
added to PAGES (or to NOT_PAGES, with the reason), so it is checked too.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from ideas.comments.services import post_comment
from ideas.extensions import db
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.research.models import InterventionFormat, ResearchIntervention
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.checklist(56, asvs="14.4.3")

FACILITATOR = "animatrice.navigateur@reseau-canope.fr"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} (${event.sample})`);
});
"""

# role → endpoint → path ({private}: a community the agent belongs to and the facilitator runs;
# {idea}, {comment}, {service}, {intervention}, {user} are seeded below).
PAGES = {
    "anonymous": {
        "accounts.login": "/connexion",
        "accounts.signup": "/inscription",
        "accounts.forgot_password": "/mot-de-passe/oubli",
        "main.accessibility": "/accessibilite",
        "main.privacy": "/donnees-personnelles",
    },
    "agent": {
        "main.home": "/",
        "communities.index": "/communautes/",
        "communities.mine": "/communautes/miennes",
        "communities.show": "/communautes/{private}",
        "ideation.community_ideas": "/communautes/{private}/idees",
        "ideation.new": "/communautes/{private}/idees/nouvelle",
        "ideation.choose_community": "/idees/proposer",
        "ideation.index": "/idees",
        "ideation.show": "/idees/{idea}",
        "ideation.edit": "/idees/{idea}/modifier",
        "ideation.withdraw": "/idees/{idea}/retirer",
        "comments.show": "/commentaires/{comment}",
        "comments.reply": "/commentaires/{comment}/repondre",
        "moderation.report_comment": "/commentaires/{comment}/signaler",
        "search.results": "/recherche?q=vélo",
        "offer.index": "/services/",
        "offer.show": "/services/{service}",
        "notifications.index": "/notifications",
        "notifications.preferences": "/profil/notifications",
        "follows.mine": "/profil/suivis",
        "accounts.profile": "/profil",
        "accounts.change_password": "/profil/mot-de-passe",
        "privacy.my_data": "/profil/mes-donnees",
        "privacy.delete_account": "/profil/supprimer-mon-compte",
    },
    "facilitator": {
        "comments.edit": "/commentaires/{comment}/modifier",
        "moderation.report_idea": "/idees/{idea}/signaler",
        "communities.members": "/communautes/{private}/membres",
        "moderation.community_queue": "/communautes/{private}/moderation",
        "moderation_log.community_log": "/communautes/{private}/moderation/journal",
        "moderation.queue": "/moderation",
        "moderation_log.log": "/moderation/journal",
        "moderation.merge": "/moderation/idees/{idea}/fusionner",
        "moderation.edit_title": "/moderation/idees/{idea}/titre",
        "research.create": "/communautes/{private}/interventions/nouvelle",
    },
    "manager": {
        "dashboard.index": "/pilotage/",
        "research.index": "/interventions",
        "research.edit": "/interventions/{intervention}/modifier",
        "dashboard.ideas": "/pilotage/idees?statut=submitted",
        "dashboard.review_ideas": "/pilotage/revue",
        "dashboard.services": "/pilotage/services",
        "dashboard.interventions": "/pilotage/interventions",
        "workflow.move": "/idees/{idea}/statut",
        "offer.create": "/services/nouveau",
        "offer.edit": "/services/{service}/modifier",
        "offer.import_services": "/services/import",
    },
    "admin": {
        "admin.users": "/admin/agents",
        "admin.user": "/admin/agents/{user}",
        "privacy.erase_user": "/admin/agents/{user}/supprimer",
        "communities.create": "/communautes/nouvelle",
        "communities.edit": "/communautes/{private}/modifier",
        "suspensions.suspend": "/moderation/agents/{user}/suspendre",
        "suspensions.index": "/moderation/suspensions",
    },
}
# GET endpoints that are no page of their own.
NOT_PAGES = {
    "static": "files",
    "main.health": "JSON",
    "notifications.bell": "a fragment polled by the header (loaded by every page above)",
    "notifications.open": "redirects to what the notification is about",
    "notifications.unsubscribe": "needs a signed token; a plain message page",
    "accounts.accept_invitation": "needs an invitation token (redirects to the login page)",
    "accounts.reset_password": "needs a reset token (redirects to the forgotten password page)",
    "search.suggestions": "a fragment under the search field",
    "comments.page": "a fragment of the thread (htmx); plain requests redirect to the idea page",
}
EXPORT_SUFFIXES = (".csv", ".xlsx", ".zip")  # downloads, no HTML


@pytest.fixture(scope="module")
def csp_world(live_app, world):
    """An idea of the agent's in the private community, a comment on it by the facilitator
    (hence a notification), a service from it, a research intervention; an admin."""
    with live_app.app_context():
        private = db.session.scalar(db.select(factories.Community).filter_by(
            slug=world.private_slug))
        agent = db.session.scalar(db.select(factories.User).filter_by(email=world.agent_email))
        facilitator = db.session.scalar(db.select(factories.User).filter_by(email=FACILITATOR))
        idea = factories.IdeaFactory(community=private, author=agent,
                                     title="Des vélos de service pour les ateliers")
        comment = post_comment(facilitator, idea, "Bonne idée, @Agent Navigateur : chiffrons-la.")
        service = Service(name="Prêt de vélos", type=ServiceType.OTHER,
                          launch_date=date.today(), status=ServiceStatus.LAUNCHED, ideas=[idea])
        intervention = ResearchIntervention(
            community_id=private.id, researcher="Dr Lemaire", institution="Université de Poitiers",
            held_on=date.today(), format=InterventionFormat.WORKSHOP, topic="Mobilités douces")
        db.session.add_all([service, intervention])
        admin = factories.UserFactory(role="admin", display_name="Admin Navigateur")
        manager = factories.UserFactory(role="manager", display_name="Direction CSP")
        db.session.commit()
        values = {"private": world.private_slug, "idea": idea.id, "comment": comment.id,
                  "service": service.id, "intervention": intervention.id, "user": agent.id,
                  "emails": {"agent": world.agent_email, "facilitator": FACILITATOR,
                             "manager": manager.email, "admin": admin.email}}
        db.session.remove()
    return values


def test_every_page_is_listed(live_app):
    listed = {endpoint for pages in PAGES.values() for endpoint in pages}
    missing = sorted(
        rule.endpoint for rule in live_app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in listed
        and rule.endpoint not in NOT_PAGES and not rule.rule.endswith(EXPORT_SUFFIXES)
        and "<any(csv, xlsx):fmt>" not in rule.rule)
    assert not missing, f"add these pages to PAGES or NOT_PAGES: {missing}"
    unknown = listed - {rule.endpoint for rule in live_app.url_map.iter_rules()}
    assert not unknown, f"PAGES names endpoints that no longer exist: {sorted(unknown)}"


def _check(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "'nonce-" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "content-security-policy-report-only" not in response.headers  # enforcing
    page.wait_for_load_state("load")
    # DSFR's module ran (it marks the document) and htmx runs without eval.
    expect(page.locator("html")).to_have_attribute("data-fr-js", "true")
    assert page.evaluate("() => window.htmx && htmx.config.allowEval === false "
                         "&& htmx.config.includeIndicatorStyles === false")
    violations = page.evaluate("() => window.__cspViolations")
    assert not violations, f"{path}: CSP violations:\n" + "\n".join(violations)


@pytest.mark.parametrize("role", list(PAGES))
def test_pages_load_without_csp_violation(page, csp_world, role):
    page.add_init_script(RECORD_VIOLATIONS)
    if role != "anonymous":
        log_in(page, csp_world["emails"][role])
    for path in PAGES[role].values():
        _check(page, path.format(**csp_world))


def test_dashboard_charts_are_drawn_under_the_policy(page, csp_world):
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, csp_world["emails"]["manager"])
    _check(page, "/pilotage/")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-chart]'))
        .map(c => Boolean(window.Chart && window.Chart.getChart(c)) && c.width > 0)""")
    assert drawn and all(drawn)


def test_an_injected_inline_script_is_blocked(page, console_errors):
    """The policy really enforces: a script without the page's nonce does not run."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/connexion")
    page.evaluate("""() => { const s = document.createElement('div');
        s.innerHTML = '<img src="data:," onerror="window.__pwned = 1">';
        document.body.appendChild(s); }""")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__pwned") is None
    assert "script-src-attr" in page.evaluate("() => window.__cspViolations.join(' ')")
    # Chromium also logs the refusal as a console error: expected here, not a failure.
    console_errors[:] = [error for error in console_errors
                         if "Content Security Policy" not in error]
