"""Security headers (SECURITY-CHECKLIST items 14, 53, 56; ASVS 14.4.1–14.4.7, 8.2.1, 14.3.3):
a nonce CSP without unsafe-inline/unsafe-eval on every response, no framing, no sniffing, a
referrer policy, HSTS in production, no server version, `Vary: HX-Request` where a URL answers
a page or a fragment, HX-Redirect never built from input, `Cache-Control: no-store` on
personal pages, exports and the dashboard; and templates that need nothing inline."""

import ast
import json
import re
from pathlib import Path

import pytest

from tests.factories import IdeaFactory, MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
HTMX = {"HX-Request": "true"}
NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]{20,})'")


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _assert_headers(response, where: str) -> None:
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    directives = _directives(policy)
    assert NONCE.search(" ".join(directives.get("script-src", []))), (where, policy)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
    assert "'unsafe-hashes'" not in policy and "*" not in " ".join(directives["script-src"])
    assert headers["X-Frame-Options"] == "DENY", where
    assert headers["X-Content-Type-Options"] == "nosniff", where
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin",
                                          "no-referrer"), where
    assert "Server" not in headers, where  # the app names no server (gunicorn: see below)


@pytest.fixture
def world(db, agent, facilitator, open_community):
    MembershipFactory(user=agent, community=open_community)
    idea = IdeaFactory(community=open_community, author=agent)
    return {"idea": idea.id, "slug": open_community.slug}


@pytest.mark.checklist(56, asvs="14.4.3")
def test_every_kind_of_response_carries_the_headers(make_client, client, agent, manager, world):
    reader = make_client(agent)
    boss = make_client(manager)
    responses = {
        "anonymous page": client.get("/connexion"),
        "redirect": client.get("/"),
        "page": reader.get(f"/idees/{world['idea']}"),
        "fragment": reader.get("/idees", headers=HTMX),
        "404": reader.get("/nulle-part"),
        "404 fragment": reader.get("/nulle-part", headers=HTMX),
        "405": reader.get("/deconnexion"),
        "400 (CSRF)": reader.post("/deconnexion", csrf=False),
        "JSON": client.get("/sante"),
        "export": boss.get("/pilotage/revue.csv"),
        "static": client.get("/static/css/app.css"),
    }
    for where, response in responses.items():
        _assert_headers(response, where)
        response.close()  # streamed ones (static file, export) hold their request context
    assert "Strict-Transport-Security" not in responses["page"].headers  # not in development


@pytest.mark.checklist(56, asvs="14.4.3")
def test_the_nonce_is_fresh_and_every_script_carries_it(make_client, manager):
    client = make_client(manager)
    seen = set()
    for url in ("/", "/pilotage/", "/idees"):
        response = client.get(url)
        nonce = NONCE.search(response.headers["Content-Security-Policy"]).group(1)
        assert nonce not in seen
        seen.add(nonce)
        scripts = re.findall(r"<script\b([^>]*)>", response.text)
        assert scripts
        for attributes in scripts:
            if 'type="application/json"' in attributes:
                continue  # data, never run
            assert f'nonce="{nonce}"' in attributes, (url, attributes)
            assert re.search(r'src="/static/', attributes), (url, attributes)


@pytest.mark.checklist(56, asvs="14.4.3")
def test_htmx_runs_without_eval_or_injected_styles(client):
    page = client.get("/connexion").text
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1))
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["allowScriptTags"] is False


JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=", re.I), "style= attribute"),
    (re.compile(r"\bhx-on", re.I), "hx-on (needs eval)"),
    (re.compile(r"\son[a-z]+=\s*[\"']", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"hx-vals=[\"']\s*js:|hx-vars=", re.I), "hx-vals js:/hx-vars (eval)"),
]


@pytest.mark.checklist(56, asvs="14.4.3")
def test_templates_and_scripts_need_nothing_inline():
    """What the browser would refuse under the policy, found before it is shipped. Emails are
    not pages (no CSP, and mail clients need inline styles)."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "email" in path.relative_to(ROOT / "templates").parts:
            continue
        source = JINJA_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"),
                                   path.read_text(encoding="utf-8"))
        for pattern, what in INLINE:
            for match in pattern.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        source = path.read_text(encoding="utf-8")
        for pattern, what in [(re.compile(r"\beval\(|new Function\(|setAttribute\(\s*[\"']style"
                                          r"|setAttribute\(\s*[\"']on"), "eval or inline style/"
                               "handler from script")]:
            found += [f"{path.relative_to(ROOT)}: {what}" for _ in pattern.finditer(source)]
    assert not found, "\n".join(found)


# -- Vary and HX-Redirect (item 14) ---------------------------------------------------------

@pytest.mark.checklist(14, asvs="14.4.1")
def test_urls_answering_page_and_fragment_say_vary_hx_request(make_client, agent, world):
    client = make_client(agent)
    slug = world["slug"]
    for url in ["/idees", f"/communautes/{slug}/idees", "/communautes/", "/notifications",
                f"/idees/{world['idea']}", "/recherche?q=idée", "/profil/suivis", "/nulle-part"]:
        page, fragment = client.get(url), client.get(url, headers=HTMX)
        for response in (page, fragment):
            assert "HX-Request" in response.headers.get("Vary", ""), url


@pytest.mark.checklist(14, asvs="5.1.5")
def test_hx_redirect_and_hx_location_are_never_built_from_input():
    """Every HX-Redirect / HX-Location / HX-Push-Url we send is a `url_for(...)`: read from
    the code, so a new one built from a request value fails here."""
    offending = []
    for path in sorted((ROOT / "ideas").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            values = []
            if isinstance(node, ast.Call):  # make_response(..., redirect=…, location=…)
                values += [kw.value for kw in node.keywords
                           if kw.arg in ("redirect", "location", "push_url")]
            if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript)
                    and isinstance(node.targets[0].slice, ast.Constant)
                    and str(node.targets[0].slice.value).lower()
                    in ("hx-redirect", "hx-location", "hx-push-url", "hx-replace-url")):
                values.append(node.value)
            for value in values:
                is_url_for = (isinstance(value, ast.Call)
                              and getattr(value.func, "id", getattr(value.func, "attr", ""))
                              == "url_for")
                if not is_url_for:
                    offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offending, f"HX redirect headers not built by url_for: {offending}"


@pytest.mark.checklist(14, asvs="5.1.5")
def test_the_workflow_redirect_ignores_whatever_the_request_says(make_client, manager, world):
    from ideas.ideation.models import IdeaStatus

    client = make_client(manager)
    response = client.post(f"/idees/{world['idea']}/statut?next=https://evil.fr", {
        "status": IdeaStatus.IN_REVIEW.value, "expected": IdeaStatus.SUBMITTED.value,
        "answer": "", "next": "//evil.fr"}, htmx=True,
        headers={"HX-Current-URL": "https://evil.fr"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["HX-Redirect"] == f"/idees/{world['idea']}"


# -- Caching (item 53) ----------------------------------------------------------------------

@pytest.mark.checklist(53, asvs="8.2.1")
def test_personal_pages_exports_and_dashboard_are_never_stored(make_client, agent, manager,
                                                                 client, world):
    reader, boss = make_client(agent), make_client(manager)
    for who, url in [(reader, "/profil"), (reader, "/profil/notifications"),
                     (reader, "/notifications"), (reader, "/profil/suivis"), (reader, "/"),
                     (reader, f"/idees/{world['idea']}"), (reader, "/idees"),
                     (boss, "/pilotage/"), (boss, "/pilotage/revue"),
                     (boss, "/pilotage/revue.csv"), (boss, "/pilotage/revue.xlsx"),
                     (boss, "/pilotage/services.csv"), (client, "/connexion"),
                     (reader, "/profil/mes-donnees")]:
        response = who.get(url)
        response.close()
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url
    # static files stay cacheable: they are the same for everybody
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


@pytest.mark.checklist(53, asvs="8.3.1")
def test_no_personal_data_in_urls(make_client, agent, world):
    """Pages name ids and slugs, never an email address (which proxies and logs would keep)."""
    page = make_client(agent).get("/profil").text
    hrefs = re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', page)
    assert hrefs and not [href for href in hrefs if "@" in href and not
                          href.startswith("mailto:")]


# -- Production: HSTS, and the server as it really runs -------------------------------------

@pytest.mark.checklist(56, asvs="14.4.5")
def test_production_sends_hsts_and_gunicorn_names_no_version(tmp_path):
    from tests.reliability.conftest import DATABASE_URL, KIND
    from tests.reliability.server import Agent, Gunicorn, fresh_database, prepare

    with fresh_database(KIND, DATABASE_URL, tmp_path) as url:
        site = prepare(url, tmp_path, agents=1, ideas=1)
        with Gunicorn(site, workers=1) as server:
            agent = Agent(server.port)
            response = agent.get("/connexion")
            headers = {name.lower(): value for name, value in response.headers.items()}
            assert headers["strict-transport-security"].startswith("max-age=31536000")
            assert "unsafe-inline" not in headers["content-security-policy"]
            assert headers["x-frame-options"] == "DENY"
            assert not re.search(r"\d", headers.get("server", "")), headers.get("server")
            assert "werkzeug" not in headers.get("server", "").lower()
