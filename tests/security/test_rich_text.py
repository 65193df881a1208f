"""Stored XSS and rich text (SECURITY-CHECKLIST section 2, A.1–A.9; ASVS 5.2.1, 5.2.7, 5.2.8,
5.3.3): one sanitiser (ideas.markdown) for every place user text is shown, tried with the
checklist's payloads in every context — page, htmx fragment, notification centre, email,
search highlight, dashboard, export, facilitator preview — and with random Markdown."""

import csv
import html
import io
import json
import re
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideas.comments.services import post_comment
from ideas.extensions import db
from ideas.follows.services import follow_idea
from ideas.ideation import services as ideation
from ideas.markdown import render_markdown, safe_html, sanitize_html
from ideas.moderation.services import report_item
from ideas.notifications import dispatch
from ideas.reference.models import Theme
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.search.conftest import search_settings, use_backend  # noqa: F401 - fixture
from tests.security.inert import (
    CANARY_LINK,
    HX_TARGET,
    MARKER,
    assert_inert,
    canaries,
    hrefs,
)

HTMX = {"HX-Request": "true"}

# Plain-text fields (titles, names): a tag, an attribute breakout, an svg, a <title> and a
# </script> breakout, all at once, within each field's length.
HOSTILE_TITLE = (f'<script>alert("{MARKER}")</script>"><img src=x onerror={MARKER}()>'
                 f"<svg onload={MARKER}()></title></script>")
HOSTILE_NAME = f'"><img src=x onerror={MARKER}()><script>{MARKER}</script>'
# Markdown fields (idea bodies, comments, official answers): every payload of A.1–A.5, plus a
# legitimate link (the canary) that must survive, with rel, inside an hx-disable container.
HOSTILE_BODY = f"""Une idée <script>alert("{MARKER}")</script>
"><img src=x onerror={MARKER}()> <svg onload={MARKER}()>

[a](javascript:{MARKER}()) [b](JaVaScRiPt:{MARKER}()) [c](java&#x09;script:{MARKER}())
[d](data:text/html,<script>{MARKER}</script>) [e](vbscript:{MARKER}) <javascript:{MARKER}()>

![x](x" onerror="{MARKER}())

<svg><script>{MARKER}</script></svg>
<math><mtext><table><mglyph><style><img src=x onerror={MARKER}()>

<p style="color:red">s</p><iframe src="/{MARKER}"></iframe>
<form action="/{MARKER}"><button>b</button></form>
<base href="//{MARKER}.fr"><meta http-equiv="refresh" content="0;url=/{MARKER}">
<object data="/{MARKER}"></object> <a href="https://exemple.fr" target="_blank">t</a>
<div hx-post="{HX_TARGET}" hx-trigger="load">h</div>
<div data-hx-get="{HX_TARGET}" data-hx-trigger="load">d</div>

Voir [le lien]({CANARY_LINK}) pour les détails.
"""
assert len(HOSTILE_TITLE) <= 150 and len(HOSTILE_NAME) <= 80


def _theme_ids() -> list[int]:
    return [db.session.scalar(db.select(Theme.id).order_by(Theme.id).limit(1))]


def _has_user_text(response_text: str, needle: str) -> bool:
    """The hostile text is shown (escaped), not dropped: the test would prove nothing else."""
    return needle in html.unescape(response_text)


# -- The sanitiser itself, table-driven (Discourse's sanitizer specs, same payloads) --------

LINKS = [
    "[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a](java&#x09;script:alert(1))",
    "[a](java%09script:alert(1))", "[a](%6A%61vascript:alert(1))",
    "[a](data:text/html,<script>alert(1)</script>)", "[a](vbscript:msgbox(1))",
    "<javascript:alert(1)>", "[a]( javascript:alert(1))", "[a](&#106;avascript:alert(1))",
    "[a][r]\n\n[r]: javascript:alert(1)", "[a](file:///etc/passwd)",
]


@pytest.mark.checklist(2, asvs="5.2.1")
@pytest.mark.parametrize("markdown", LINKS)
def test_unsafe_link_schemes_lose_their_href(markdown):
    output = render_markdown(markdown)
    assert_inert(output, markdown, hx_disable=False)
    hrefs = re.findall(r'href="([^"]*)"', output)
    assert not hrefs, f"{markdown!r} kept {hrefs}"


@pytest.mark.checklist(2, asvs="5.2.1")
@pytest.mark.parametrize("markdown, href", [
    ("[a](https://exemple.fr/x?y=1)", "https://exemple.fr/x?y=1"),
    ("[a](http://exemple.fr)", "http://exemple.fr"),
    ("[a](mailto:agent@reseau-canope.fr)", "mailto:agent@reseau-canope.fr"),
    ("[a](/idees/12#commentaire-3)", "/idees/12#commentaire-3"),
    ("<https://exemple.fr>", "https://exemple.fr"),
])
def test_http_mailto_and_relative_links_stay(markdown, href):
    output = render_markdown(markdown)
    assert f'href="{href}"' in output
    assert 'rel="noopener noreferrer ugc"' in output


RAW_HTML = [
    '![x](x" onerror="alert(1))', "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>", "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<p style="color:red">x</p>', '<iframe src="https://evil.fr"></iframe>',
    '<form action="https://evil.fr"><input name="x"></form>', '<base href="https://evil.fr">',
    '<meta http-equiv="refresh" content="0;url=https://evil.fr">',
    '<object data="https://evil.fr/x.swf"></object>', '<embed src="https://evil.fr/x">',
    '<div hx-post="/idees/1/supprimer" hx-trigger="load">x</div>',
    '<div data-hx-get="/idees/1" data-hx-trigger="load">x</div>',
    '<a href="#" hx-on:click="alert(1)" hx-on::load="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>", "<!--<img src=x onerror=alert(1)>-->",
    '<a href="javascript&colon;alert(1)">x</a>', "<scr<script>ipt>alert(1)</script>",
]


@pytest.mark.checklist(3, 4, 5, asvs="5.2.7")
@pytest.mark.parametrize("payload", RAW_HTML)
def test_hostile_markup_is_dropped_in_markdown_and_in_stored_html(payload):
    """Markdown escapes raw HTML; `sanitize_html` (applied again on output to stored rows,
    in case one was written by hand or by an older version) drops it."""
    for output in (render_markdown(payload), sanitize_html(payload), str(safe_html(payload))):
        assert_inert(output, payload, hx_disable=False)
        assert not re.search(r"<(svg|math|style|iframe|form|base|meta|object|embed|img)\b",
                             output, re.IGNORECASE), output
        assert not re.search(r"<[^>]*\s(on\w+|style|hx-[\w:-]+|data-hx-[\w-]+)=", output), output


@pytest.mark.checklist(4, asvs="5.2.1")
def test_target_blank_links_get_rel_noopener_noreferrer_ugc():
    output = sanitize_html('<a href="https://exemple.fr" target="_blank" rel="opener">x</a>')
    assert 'rel="noopener noreferrer ugc"' in output
    assert "target" not in output  # links open where the reader chooses
    assert 'rel="noopener noreferrer ugc"' in render_markdown("[x](https://exemple.fr)")


# -- Every rendering context -----------------------------------------------------------------

@pytest.fixture
def hostile(db, agent, facilitator, open_community):
    """A hostile agent (name) posts a hostile idea (title, body) in a community with a hostile
    name, comments it with a hostile comment, and the facilitator answers it officially (with
    the same Markdown) — everything the checklist asks to render."""
    from ideas.ideation.models import IdeaStatus
    from ideas.workflow.services import move_idea

    attacker = UserFactory(display_name=HOSTILE_NAME)
    community = CommunityFactory(name=HOSTILE_TITLE[:120], slug="communaute-hostile")
    for user in (attacker, agent):
        MembershipFactory(user=user, community=community)
    MembershipFactory(user=facilitator, community=community, role="facilitator")
    idea = ideation.post_idea(attacker, community, title=HOSTILE_TITLE, body=HOSTILE_BODY,
                              theme_ids=_theme_ids(), tags="")
    follow_idea(agent, idea)
    db.session.commit()
    comment = post_comment(attacker, idea, HOSTILE_BODY)
    db.session.commit()
    report_item(agent, comment, "spam")
    manager = UserFactory(role="manager", display_name="Direction Test XSS")
    move_idea(manager, idea, IdeaStatus.IN_REVIEW, answer=HOSTILE_BODY)
    db.session.commit()
    return {"idea": idea.id, "comment": comment.id, "slug": community.slug,
            "attacker": attacker, "manager": manager}


def _reader_pages(hostile) -> list[tuple[str, dict]]:
    idea, comment, slug = hostile["idea"], hostile["comment"], hostile["slug"]
    return [
        (f"/idees/{idea}", {}),
        ("/idees", {}), ("/idees", HTMX),
        (f"/communautes/{slug}", {}), ("/communautes/", {}), ("/communautes/", HTMX),
        (f"/communautes/{slug}/idees", HTMX),
        (f"/commentaires/{comment}", HTMX),
        ("/notifications", {}), ("/notifications", HTMX),
        ("/", {}),
        ("/recherche?q=script", {}), ("/recherche?q=script", HTMX),
        ("/recherche/suggestions?q=script", HTMX),
    ]


@pytest.mark.checklist(1, 5, 8, asvs="5.3.3")
def test_hostile_content_is_inert_on_pages_and_fragments(hostile, make_client, agent):
    reader = make_client(agent)
    for url, headers in _reader_pages(hostile):
        response = reader.get(url, headers=headers)
        assert response.status_code == 200, url
        assert_inert(response.text, f"{url} {headers}")
    page = reader.get(f"/idees/{hostile['idea']}").text
    assert _has_user_text(page, HOSTILE_TITLE) and _has_user_text(page, HOSTILE_NAME)
    # body, comment and official answer: each link kept, inside its hx-disable container
    assert canaries(page) == 3
    found = reader.get("/recherche?q=script").text
    assert f'href="/idees/{hostile["idea"]}"' in found  # the search did show the hostile idea
    # <title>: escaped text, no tag closes it early
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and html.unescape(title).startswith(HOSTILE_TITLE[:40])


@pytest.mark.checklist(1, 7, asvs="5.2.1")
def test_facilitator_views_and_preview_show_the_same_sanitised_output(hostile, make_client,
                                                                      facilitator):
    """Discourse's warning: a preview for staff is an XSS against staff. The facilitator's
    queue, the report page and the preview of the hostile text are as inert as the public
    page, and the preview shows exactly what the public page shows."""
    client = make_client(facilitator)
    slug = hostile["slug"]
    for url, headers in [(f"/communautes/{slug}/moderation", {}), ("/moderation", HTMX),
                         (f"/commentaires/{hostile['comment']}/signaler", {}),
                         (f"/idees/{hostile['idea']}/modifier", {})]:
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 403), url  # editing is the author's alone
        assert_inert(response.text, url)
    preview = client.post("/idees/apercu", {"body": HOSTILE_BODY, "title": HOSTILE_TITLE},
                          htmx=True)
    assert preview.status_code == 200
    assert_inert(preview.text, "preview")
    public = client.get(f"/idees/{hostile['idea']}").text
    body = re.compile(r'<div class="idea-body[^"]*" hx-disable>(.*?)</div>', re.S)
    assert body.search(preview.text).group(1).strip() == body.search(public).group(1).strip()


@pytest.mark.checklist(1, 8, asvs="5.3.3")
def test_hostile_content_is_inert_on_the_dashboard_and_in_exports(hostile, make_client):
    client = make_client(hostile["manager"])
    for url in ["/pilotage/", "/pilotage/revue", "/pilotage/idees?statut=in_review",
                f"/idees/{hostile['idea']}/statut"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, url)
        for island in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>',
                                 response.text, re.S):
            json.loads(island)  # no </script> breakout: the island is whole
    review = client.get("/pilotage/revue").text
    assert _has_user_text(review, HOSTILE_TITLE)
    export = client.get("/pilotage/revue.csv")
    assert export.status_code == 200
    # A download, never a page: the browser neither renders nor sniffs it.
    assert export.headers["Content-Disposition"].startswith("attachment")
    assert export.mimetype == "text/csv"
    assert export.headers["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True)), delimiter=";"))
    assert HOSTILE_TITLE in rows[1]  # the text as typed, for a spreadsheet, not for a browser


@pytest.mark.checklist(1, asvs="5.3.3")
def test_hostile_content_is_inert_in_notification_emails(hostile, agent, smtp, app):
    dispatch.run_once()
    messages = smtp.messages
    assert messages, "the author was told of the official answer, at least"
    for message in messages:
        body = message.get_body(("html",)).get_content()
        assert_inert(body, f"email {message['Subject']}", email=True)
        assert "<script" not in body.lower()
        assert "\n" not in message["Subject"] and "\r" not in message["Subject"]


@pytest.mark.checklist(6, asvs="5.3.3")
def test_search_highlights_escape_everything_but_their_marks(app, db, agent, open_community,
                                                            search_settings, tmp_path):  # noqa: F811
    backend = use_backend(app, "whoosh", str(tmp_path / "index"))
    MembershipFactory(user=agent, community=open_community)
    body = f"Le script <script>alert('{MARKER}')</script> et <b onclick=x()>gras</b>"
    idea = ideation.post_idea(agent, open_community, title="Un script dans le titre <script>",
                              body=body, theme_ids=_theme_ids(), tags="")
    db.session.commit()
    backend.index_ideas(db.session.connection(), [idea.id])
    results = backend.search("script", allowed_community_ids=[open_community.id],
                             moderated_community_ids=[])
    assert [hit.idea_id for hit in results.hits] == [idea.id]
    for fragment in (results.hits[0].title_html, results.hits[0].excerpt_html):
        assert "<mark>" in fragment
        assert set(re.findall(r"</?([a-z]+)", str(fragment))) == {"mark"}, fragment
        assert_inert(str(fragment), "highlight", hx_disable=False)


# -- Random Markdown never yields a script, a handler or a javascript: link (A.9) -----------

DANGEROUS = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:",
             "JaVaScRiPt:", "java\tscript:", "&#x09;", "&#106;", "onerror=", "onload=",
             '" onmouseover="x', "<svg>", "<math>", "<style>", "hx-get=", "data-hx-post=",
             "<a href=", "](", "[", "]", "(", ")", "<", ">", '"', "'", "`", "\n", "\n\n",
             "*", "_", "#", "> ", "- ", "1. ", "![", "<https://", "vbscript:", "data:",
             "%6A%61vascript:", "&lt;", "&amp;", "\\", "<!--", "-->", " ", "x", "é"]
markdown_texts = st.one_of(
    st.lists(st.sampled_from(DANGEROUS), max_size=40).map("".join),
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(DANGEROUS), st.text(max_size=5)), max_size=30)
    .map("".join),
)
QUOTED = re.compile(r'"[^"]*"')
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):")


@pytest.mark.checklist(9, asvs="5.2.8")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_texts)
def test_random_markdown_never_renders_a_script_handler_or_javascript_link(text):
    for output in (render_markdown(text), sanitize_html(render_markdown(text)),
                   sanitize_html(text)):
        assert "<script" not in output.lower()
        # attribute values set aside: href=" onmouseover=" is a (harmless) URL, not a handler
        assert not HANDLER.search(QUOTED.sub('""', output)), output
        for href in hrefs(output):  # as the browser would read it: decoded, no blanks
            readable = re.sub(r"[\x00-\x20]", "", unquote(href)).lower()
            assert not UNSAFE_SCHEME.match(readable), output
        assert_inert(output, repr(text), hx_disable=False)
