"""The moderation log: a community's for its facilitators, everything for admins; filtered by
action, actor and Paris days, and exported in CSV through ideas.exports."""

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ideas.authz import require
from ideas.communities import queries as community_queries
from ideas.exports import export_response, stream_scalars
from ideas.moderation import queries
from ideas.moderation.forms import LogFilterForm
from ideas.moderation.labels import ACTION_LABELS
from ideas.moderation.permissions import can_moderate_anywhere, can_moderate_community
from ideas.pagination import paginate
from ideas.params import page_arg
from ideas.utils import utcnow

blueprint = Blueprint("moderation_log", __name__)

EXPORT_MAX_ROWS = 50_000


@blueprint.before_request
@login_required
def _signed_in():
    """The log is for signed-in moderators."""


def _community(slug: str | None):
    if slug is None:
        require(can_moderate_anywhere)
        return None
    community = community_queries.get_by_slug(slug)
    if community is None:
        abort(404)
    require(can_moderate_community, community)
    return community


def _filters(community) -> tuple[LogFilterForm, queries.LogFilters | None]:
    """The filters from the query string; None when a day is wrong (the form says why)."""
    form = LogFilterForm(request.args)
    form.actor.choices = [SelectChoice("", _("Tout le monde"))] + [
        SelectChoice(str(user.id), user.display_name)
        for user in queries.log_actors(current_user, community)]
    form.validate()  # runs the day fields' parsing
    if form.du.errors or form.au.errors:
        return form, None
    if form.du.data and form.au.data and form.du.data > form.au.data:
        form.au.errors = [_("La date de fin doit suivre la date de début.")]
        return form, None
    action = form.action.data if form.action.data in {k.value for k in ACTION_LABELS} else None
    actor = request.args.get("actor", "")
    return form, queries.LogFilters(action=action, actor=int(actor) if actor.isdigit() else None,
                                    start=form.du.data, end=form.au.data)


def _page(slug: str | None = None):
    community = _community(slug)
    form, filters = _filters(community)
    export_args = dict(request.args)
    export_args.pop("page", None)
    context = {"community": community, "form": form, "filters": filters,
               "export_url": url_for(".community_export", slug=slug, **export_args) if slug
               else url_for(".export", **export_args)}
    if filters is None:
        return render_template("moderation/log.html", entries=None, **context), 422
    entries = paginate(queries.log_statement(current_user, community, filters), page_arg(),
                       current_app.config["PER_PAGE"])
    return render_template("moderation/log.html", entries=entries, **context)


@blueprint.get("/moderation/journal")
def log():
    return _page()


@blueprint.get("/communautes/<slug>/moderation/journal")
def community_log(slug: str):
    return _page(slug)


def _export(slug: str | None = None):
    community = _community(slug)
    _form, filters = _filters(community)
    if filters is None:
        abort(422)
    stmt = queries.log_statement(current_user, community, filters).limit(EXPORT_MAX_ROWS)
    header = [_("Date"), _("Action"), _("Par"), _("Communauté"), _("Élément"), _("Idée n°"),
              _("Commentaire n°"), _("Agent concerné"), _("Motif"), _("Avant"), _("Après"),
              _("Signalements clos")]

    def rows():
        for entry in stream_scalars(stmt):
            yield [entry.created_at, str(ACTION_LABELS[entry.action]),
                   entry.actor.display_name if entry.actor else _("Automatique"),
                   entry.community.name if entry.community else "", entry.summary,
                   entry.idea_id, entry.comment_id,
                   entry.target_user.display_name if entry.target_user else "",
                   entry.reason, entry.before, entry.after, entry.report_count]

    name = f"journal-moderation-{community.slug}" if community else "journal-moderation"
    return export_response("csv", name, header, rows(), day=utcnow().date())


@blueprint.get("/moderation/journal.csv")
def export():
    return _export()


@blueprint.get("/communautes/<slug>/moderation/journal.csv")
def community_export(slug: str):
    return _export(slug)
