"""Idea pages: post (with preview), show, edit, withdraw, lists."""

import html
import re
from functools import lru_cache

import nh3
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ideas.accounts.views import apply_domain_error
from ideas.authz import get_or_404, require
from ideas.comments.queries import thread_page
from ideas.communities import queries as community_queries
from ideas.communities.forms import theme_choices
from ideas.communities.permissions import can_read_content
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.follows.queries import followed_idea_ids
from ideas.forms import territory_choices
from ideas.htmx import is_htmx, make_response
from ideas.ideation import permissions as perms
from ideas.ideation import queries, services
from ideas.ideation.forms import ChooseCommunityForm, IdeaForm
from ideas.ideation.labels import STATUS_BADGES, STATUS_LABELS, sdg_label
from ideas.ideation.models import BODY_MAX, SDG_NUMBERS, Idea
from ideas.markdown import render_markdown, safe_html
from ideas.pagination import PageCursor
from ideas.params import MAX_PAGE, choice_arg, int_arg, page_arg
from ideas.reference.models import Theme
from ideas.votes.queries import voted_idea_ids

blueprint = Blueprint("ideation", __name__)
# Stored HTML is re-sanitised on output (the comments blueprint registers the same filter).
blueprint.add_app_template_filter(safe_html, "safe_html")

MORE_TARGET = "idea-more"  # the id of the "Afficher plus" row: its requests append a page
EXCERPT_LENGTH = 220
_SPACES = re.compile(r"\s+")


@blueprint.before_request
@login_required
def _signed_in():
    """Every idea page is for signed-in agents."""


# -- Template helpers

@blueprint.app_template_filter("idea_excerpt")
@lru_cache(maxsize=512)  # the first pages of the lists show the same ideas to everyone
def idea_excerpt(body_html: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain text of the stored HTML, cut at a word: the card shows words, not markup."""
    text = _SPACES.sub(" ", html.unescape(nh3.clean(body_html or "", tags=set()))).strip()
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


@blueprint.app_context_processor
def _labels():
    return {"status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES,
            "sdg_label": sdg_label}


@blueprint.app_template_global()
def community_idea_listing(community) -> dict:
    """The first page of a community's ideas, for the "Idées" section of its page."""
    return _listing(queries.IdeaFilters(), community, page=1)


# -- Lists

def _filters(community=None) -> queries.IdeaFilters:
    """Only known values pass (allow-list): anything else is ignored, never an error."""
    sdg = choice_arg("sdg", [str(n) for n in SDG_NUMBERS])
    return queries.IdeaFilters(
        sort=choice_arg("sort", queries.SORTS) or "recent",
        theme=int_arg("theme"),
        status=choice_arg("status", queries.STATUSES),
        community=int_arg("community") if community is None else None,
        territory=int_arg("territory") if community is None else None,
        sdg=int(sdg) if sdg else None,
        scope=choice_arg("scope", queries.SCOPES),
    )


def cursor_scope(endpoint: str, community, filters, user) -> str:
    """What a "next page" cursor holds for: this list as this reader sees it (the visibility
    rule), with these filters; any other list, reader or filter ignores it
    (ideas.pagination.PageCursor)."""
    return f"{endpoint}|{community.id if community else ''}|{filters.args()}|{user.id}"


def _listing(filters, community=None, page: int | None = None) -> dict:
    if community is None:
        endpoint, view_args = "ideation.index", {}
    else:
        endpoint, view_args = "ideation.community_ideas", {"slug": community.slug}
    cursor = PageCursor(cursor_scope(endpoint, community, filters, current_user),
                        None if page else request.args.get("apres"))
    pagination = queries.search_ideas(current_user, filters, page or page_arg(),
                                      current_app.config["PER_PAGE"], community, cursor)
    ids = [idea.id for idea in pagination.items]
    next_cursor = pagination.next_cursor

    def page_url(page: int) -> str:
        # The next page ("Afficher plus", "Page suivante", its number) seeks from this one's
        # last idea; other pages are counted to (OFFSET).
        after = {"apres": next_cursor} if next_cursor and page == pagination.next_num else {}
        return url_for(endpoint, **view_args, **filters.args(), page=page, **after)

    return {"pagination": pagination, "filters": filters, "list_community": community,
            "voted_ids": voted_idea_ids(current_user, ids),
            "followed_ids": followed_idea_ids(current_user, ids), "page_url": page_url,
            "list_url": url_for(endpoint, **view_args)}


def _render_list(page: str, context: dict):
    """Full page; the results for the filter form (htmx); or only the next cards for
    "Afficher plus" (htmx, targeting its own row)."""
    if is_htmx():
        more = request.headers.get("HX-Target") == MORE_TARGET
        fragment = "ideation/_page.html" if more else "ideation/_results.html"
        response = make_response(render_template(fragment, append=more, **context))
    else:
        response = make_response(render_template(page, **context))
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def _filter_choices() -> dict:
    return {"themes": theme_choices(), "sdg_choices": [(n, sdg_label(n)) for n in SDG_NUMBERS],
            "sorts": _sort_choices(),
            "statuses": [(status.value, label) for status, label in STATUS_LABELS.items()]}


def _sort_choices() -> list[tuple[str, str]]:
    return [("recent", _("Les plus récentes")), ("supported", _("Les plus soutenues")),
            ("commented", _("Les plus commentées")),
            ("trending", _("Tendance (soutiens des 14 derniers jours)"))]


@blueprint.get("/idees")
def index():
    filters = _filters()
    return _render_list("ideation/index.html", {
        **_listing(filters), **_filter_choices(),
        "communities": queries.visible_communities(current_user),
        "territories": territory_choices(_("Tous les territoires"))})


@blueprint.get("/communautes/<slug>/idees")
def community_ideas(slug: str):
    community = _community(slug)
    require(can_read_content, community, hide=True)
    return _render_list("ideation/community_index.html", {
        **_listing(_filters(community), community), **_filter_choices(),
        "community": community})


# -- Posting

def _community(slug: str):
    community = community_queries.get_by_slug(slug)
    if community is None:
        abort(404)
    return community


def _themes_for(idea=None) -> list[Theme]:
    """Active themes, plus those the idea already has if an admin retired them since."""
    themes = db.session.scalars(db.select(Theme).where(Theme.is_active)
                                .order_by(Theme.position)).all()
    extra = [t for t in (idea.themes if idea else []) if t not in themes]
    return [*themes, *extra]


def _preview(form) -> dict | None:
    """The no-JavaScript preview: the "Aperçu" button submits the whole form."""
    if "preview" not in request.form:
        return None
    return {"preview_html": render_markdown((form.body.data or "")[:BODY_MAX]),
            "title": form.title.data}


def _draft_key(community=None, idea=None) -> str:
    return f"idee-brouillon:{community.id}" if idea is None else f"idee-modification:{idea.id}"


def _form_page(form, status: int = 200, **context):
    return render_template("ideation/form.html", form=form, **context), status


@blueprint.route("/communautes/<slug>/idees/nouvelle", methods=["GET", "POST"])
def new(slug: str):
    community = _community(slug)
    require(perms.can_post_idea, community)
    form = IdeaForm(themes=_themes_for())
    context = {"community": community, "idea": None, "draft_key": _draft_key(community)}
    if request.method == "POST":
        preview = _preview(form)
        if preview is not None:
            return _form_page(form, **preview, **context)
        if form.validate_on_submit():
            try:
                idea = services.post_idea(current_user, community, **form.values(),
                                          submission_token=form.submission_token.data)
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                db.session.commit()
                session["clear_draft"] = context["draft_key"]
                flash(_("Votre idée est publiée. Vous la suivez automatiquement."), "success")
                return redirect(url_for(".show", idea_id=idea.id))
        return _form_page(form, 422, **context)
    return _form_page(form, **context)


@blueprint.get("/idees/proposer")
def choose_community():
    """"Proposer une idée" from the all-ideas list: first say where."""
    communities = queries.communities_for_posting(current_user)
    form = ChooseCommunityForm(request.args)
    form.community.choices = [SelectChoice("", _("— Choisir une communauté —"))] + [
        SelectChoice(c.slug, c.name) for c in communities]
    if "community" in request.args:
        chosen = next((c for c in communities if c.slug == form.community.data), None)
        if chosen is not None:
            return redirect(url_for(".new", slug=chosen.slug))
        form.community.errors = [_("Choisissez une communauté dans la liste.")]
        return render_template("ideation/choose_community.html", form=form,
                               communities=communities), 422
    return render_template("ideation/choose_community.html", form=form, communities=communities)


@blueprint.post("/idees/apercu")
def preview():
    """htmx: the body as it will look, sanitised by the same code as the published idea."""
    body = request.form.get("body", "")
    if len(body) > BODY_MAX:
        return render_template("ideation/_preview.html", preview_html=None, error=_(
            "La description ne doit pas dépasser 20 000 caractères.")), 422
    return render_template("ideation/_preview.html", preview_html=render_markdown(body),
                           title=request.form.get("title", ""))


# -- One idea

def _idea(idea_id: int) -> Idea:
    return get_or_404(Idea, idea_id, perms.can_view_idea, load=queries.get_idea)


@blueprint.get("/idees/<int:idea_id>")
def show(idea_id: int):
    idea = _idea(idea_id)
    can_see_revisions = perms.can_see_revisions(current_user, idea)
    return render_template(
        "ideation/show.html", idea=idea,
        voted=idea.id in voted_idea_ids(current_user, [idea.id]),
        following=idea.id in followed_idea_ids(current_user, [idea.id]),
        # The first page of the thread (the rest on demand), or the one a link asks for.
        thread=thread_page(idea, int_arg("commentaires", 1, maximum=MAX_PAGE)),
        revisions=queries.revisions_of(idea) if can_see_revisions else None,
        clear_draft=session.pop("clear_draft", None))


@blueprint.route("/idees/<int:idea_id>/modifier", methods=["GET", "POST"])
def edit(idea_id: int):
    idea = _idea(idea_id)
    require(perms.can_edit_idea, idea)
    form = IdeaForm(themes=_themes_for(idea), data={
        "title": idea.title, "body": idea.body, "theme_ids": [t.id for t in idea.themes],
        "sdgs": idea.sdgs, "tags": ", ".join(t.name for t in idea.tags),
        "version": idea.version})
    context = {"community": idea.community, "idea": idea,
               "draft_key": _draft_key(idea=idea)}
    if request.method == "POST":
        preview = _preview(form)
        if preview is not None:
            return _form_page(form, **preview, **context)
        if form.validate_on_submit():
            try:
                changed = services.edit_idea(current_user, idea, **form.values(),
                                             version=form.loaded_version)
            except services.EditConflict as error:
                db.session.rollback()
                # What was typed stays; the form now carries the current version, so that
                # saving again, after comparing, is a deliberate choice.
                form.form_errors.append(str(error.message))
                form.version.data = str(idea.version)
                return _form_page(form, 409, **context)
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                db.session.commit()
                session["clear_draft"] = context["draft_key"]
                flash(_("Les modifications sont enregistrées.") if changed
                      else _("Aucune modification."), "success" if changed else "info")
                return redirect(url_for(".show", idea_id=idea.id))
        return _form_page(form, 422, **context)
    return _form_page(form, **context)


@blueprint.route("/idees/<int:idea_id>/retirer", methods=["GET", "POST"])
def withdraw(idea_id: int):
    """GET asks for confirmation (works without JavaScript); POST withdraws."""
    idea = _idea(idea_id)
    require(perms.can_withdraw_idea, idea)
    if request.method == "POST":
        try:
            services.withdraw_idea(current_user, idea)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Votre idée est retirée. Elle reste consultable mais n'est plus discutée."),
                  "success")
        return redirect(url_for(".show", idea_id=idea.id))
    return render_template("ideation/withdraw.html", idea=idea)
