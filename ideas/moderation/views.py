"""Reports (the "Signaler" button on ideas and comments), the review queues, and the
moderators' actions on one item or several (htmx in place, plain form posts without
JavaScript). Thin views: parse, check, call one service, commit, render."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ideas.accounts.views import apply_domain_error, safe_next_url
from ideas.authz import require
from ideas.comments.links import thread_url
from ideas.communities import queries as community_queries
from ideas.errors import DomainError, render_error
from ideas.extensions import db
from ideas.htmx import is_htmx, make_response
from ideas.ideation.models import Idea
from ideas.moderation import actions, items, queries, services
from ideas.moderation.forms import BulkForm, ItemActionForm, MergeForm, ReportForm, TitleForm
from ideas.moderation.labels import ACTION_LABELS, REASON_LABELS, RESOLUTION_LABELS
from ideas.moderation.models import Report
from ideas.moderation.permissions import (
    can_moderate_anywhere,
    can_moderate_community,
    can_report,
    can_see_item,
)
from ideas.moderation.suspensions import active_suspension
from ideas.params import choice_arg, page_arg

blueprint = Blueprint("moderation", __name__)

QUEUE_PER_PAGE = 20


@blueprint.before_request
@login_required
def _signed_in():
    """Every moderation route is for signed-in agents."""


# -- Template helpers (the idea page, its comments, the header and base.html use them)

@blueprint.app_context_processor
def _labels():
    return {"report_reason_labels": REASON_LABELS, "moderation_action_labels": ACTION_LABELS,
            "report_resolution_labels": RESOLUTION_LABELS}


@blueprint.app_template_global()
def moderation_badge() -> int:
    return queries.open_reports_badge(current_user)


@blueprint.app_template_global()
def current_suspension():
    return active_suspension(current_user)


@blueprint.app_template_global()
def item_key(item) -> str:
    return items.key_of(item)


@blueprint.app_template_global()
def report_url(item) -> str:
    if isinstance(item, Idea):
        return url_for("moderation.report_idea", idea_id=item.id)
    return url_for("moderation.report_comment", comment_id=item.id)


@blueprint.app_template_global()
def moderation_url(action: str, item) -> str:
    """`moderation_url("hide", comment)`: the route of a moderation action on this item."""
    if action in ("hide", "restore", "dismiss"):
        return url_for(f"moderation.{action}", segment=items.segment_of(item), item_id=item.id)
    return url_for(f"moderation.{action}", item_id=item.id)


@blueprint.app_template_global()
def reported_here(idea: Idea) -> set[str]:
    """The items of this idea's page (the idea, its comments) the current user reported: one
    query per page, whatever the number of comments."""
    cache = g.setdefault("_reported_here", {})
    if idea.id not in cache:
        cache[idea.id] = set() if not current_user.is_authenticated else set(
            db.session.scalars(db.select(Report.item_key).where(
                Report.reporter_id == current_user.id, Report.idea_id == idea.id)))
    return cache[idea.id]


def item_url(item) -> str:
    if isinstance(item, Idea):
        return url_for("ideation.show", idea_id=item.id)
    return thread_url(item.idea_id, item)


def _fragment(template: str, status: int = 200, **context):
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def _load(kind: str, item_id: int):
    item = items.load_item(kind, item_id)
    if item is None:
        abort(404)
    return item


# -- Reports

def _report(kind: str, item_id: int):
    item = _load(kind, item_id)
    require(can_see_item, item, hide=True)
    key = items.key_of(item)
    context = {"item": item, "key": key, "segment": items.segment_of(item)}
    if request.method == "GET" and is_htmx() and request.args.get("annuler"):
        return _fragment("moderation/_report.html", **context,
                         reported=services.has_reported(current_user, item))
    if services.has_reported(current_user, item):
        message = _("Vous avez déjà signalé ce contenu : l'équipe d'animation l'examinera.")
        if is_htmx():
            return _fragment("moderation/_report.html", **context, reported=True,
                             announce=message)
        flash(message, "info")
        return redirect(item_url(item))
    if not can_report(current_user, item):
        refusal = services.report_refusal(current_user, item)
        return render_error(refusal.status, str(refusal.message))
    form = ReportForm(prefix=key)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.report_item(current_user, item, form.reason.data, form.details.data)
        except services.ModerationRefused as error:
            db.session.rollback()
            if error.status != 422:
                return render_error(error.status, str(error.message))
            apply_domain_error(form, error)
            template = "moderation/_report_form.html" if is_htmx() else "moderation/report.html"
            return _fragment(template, 422, form=form, **context)
        db.session.commit()
        done = _("Merci : votre signalement est transmis à l'équipe d'animation.")
        if is_htmx():
            return _fragment("moderation/_report.html", **context, reported=True, announce=done)
        flash(done, "success")
        return redirect(item_url(item))
    if is_htmx():
        return _fragment("moderation/_report_form.html", form=form, **context)
    return render_template("moderation/report.html", form=form, **context)


@blueprint.route("/idees/<int:idea_id>/signaler", methods=["GET", "POST"])
def report_idea(idea_id: int):
    return _report("idea", idea_id)


@blueprint.route("/commentaires/<int:comment_id>/signaler", methods=["GET", "POST"])
def report_comment(comment_id: int):
    return _report("comment", comment_id)


# -- Queues

def _community(slug: str):
    community = community_queries.get_by_slug(slug)
    if community is None:
        abort(404)
    return community


def _render_queue(community=None, bulk_form: BulkForm | None = None, status: int = 200):
    sort = choice_arg("tri", queries.QUEUE_SORTS) or "recent"
    page = queries.queue(current_user, community, sort, page_arg(), QUEUE_PER_PAGE)

    def queue_url(**args) -> str:
        """This queue's URL: the links stay right when a bulk POST shows the page again."""
        args = {"tri": None if sort == "recent" else sort, "page": page.page, **args}
        args = {key: value for key, value in args.items() if value and value != 1}
        if community is not None:
            return url_for(".community_queue", slug=community.slug, **args)
        return url_for(".queue", **args)

    back = queue_url()

    def queue_form(key: str) -> ItemActionForm:
        return ItemActionForm(formdata=None, queue="1", next=back)

    context = {"queue": page, "sort": sort, "community": community, "queue_form": queue_form,
               "queue_url": queue_url,
               "bulk_form": bulk_form or BulkForm(formdata=None, next=back),
               "threshold": current_app.config.get("MODERATION_AUTO_HIDE_REPORTS", 3)}
    if is_htmx():
        return _fragment("moderation/_queue.html", status, **context)
    response = make_response(render_template("moderation/queue.html", **context), status)
    response.vary.add("HX-Request")
    return response


@blueprint.get("/moderation")
def queue():
    """Every community the user moderates (all of them for admins)."""
    require(can_moderate_anywhere)
    return _render_queue()


@blueprint.get("/communautes/<slug>/moderation")
def community_queue(slug: str):
    community = _community(slug)
    require(can_moderate_community, community)
    return _render_queue(community)


# -- Actions on one item

def _after_action(item, message: str, form: ItemActionForm | None = None):
    """htmx from the queue: the item's block again (or "traité" once no report is left);
    otherwise back where the moderator was, with the message."""
    if is_htmx() and form is not None and form.queue.data:
        key = items.key_of(item)
        return _fragment("moderation/_queue_item.html",
                         entry=queries.queue_entry(current_user, key), key=key, item=item,
                         form=ItemActionForm(formdata=None, queue="1", next=form.next.data),
                         announce=message)
    flash(message, "success")
    return redirect(safe_next_url(form.next.data) if form is not None and form.next.data
                    else item_url(item))


def _refused(item, error: services.ModerationRefused, form: ItemActionForm):
    if error.status == 422 and is_htmx() and form.queue.data:
        apply_domain_error(form, error)
        key = items.key_of(item)
        return _fragment("moderation/_queue_item.html", 422,
                         entry=queries.queue_entry(current_user, key), key=key, item=item,
                         form=form)
    if is_htmx() or error.status in (403, 404, 422):
        return render_error(error.status, str(error.message))
    flash(str(error.message), "error")
    return redirect(safe_next_url(form.next.data) if form.next.data else item_url(item))


def _act(kind: str, item_id: int, operation, message: str):
    item = _load(kind, item_id)
    form = ItemActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operation(item, form)
    except services.ModerationRefused as error:
        db.session.rollback()
        return _refused(item, error, form)
    except DomainError as error:  # the workflow's refusals (merge)
        db.session.rollback()
        return _refused(item, services.ModerationRefused(error.message, 409), form)
    db.session.commit()
    return _after_action(item, message, form)


KIND = "<any(idees, commentaires):segment>"


@blueprint.post(f"/moderation/{KIND}/<int:item_id>/masquer")
def hide(segment: str, item_id: int):
    return _act(items.KINDS[segment], item_id, lambda item, form: services.hide_item(
        current_user, item, form.reason.data, from_queue=bool(form.queue.data)),
        _("Contenu masqué. Son auteur ou autrice voit le motif."))


@blueprint.post(f"/moderation/{KIND}/<int:item_id>/retablir")
def restore(segment: str, item_id: int):
    return _act(items.KINDS[segment], item_id, lambda item, form: services.restore_item(
        current_user, item, from_queue=bool(form.queue.data)), _("Contenu rétabli."))


@blueprint.post(f"/moderation/{KIND}/<int:item_id>/classer")
def dismiss(segment: str, item_id: int):
    return _act(items.KINDS[segment], item_id,
                lambda item, form: services.dismiss_reports(current_user, item),
                _("Signalements classés sans suite."))


@blueprint.post("/moderation/idees/<int:item_id>/verrouiller")
def lock(item_id: int):
    return _act("idea", item_id, lambda idea, form: actions.lock_idea(current_user, idea),
                _("Idée verrouillée : plus de nouveaux commentaires ni soutiens."))


@blueprint.post("/moderation/idees/<int:item_id>/deverrouiller")
def unlock(item_id: int):
    return _act("idea", item_id, lambda idea, form: actions.unlock_idea(current_user, idea),
                _("Idée déverrouillée."))


@blueprint.post("/moderation/idees/<int:item_id>/epingler")
def pin(item_id: int):
    return _act("idea", item_id, lambda idea, form: actions.pin_idea(current_user, idea),
                _("Idée épinglée en tête de sa communauté."))


@blueprint.post("/moderation/idees/<int:item_id>/desepingler")
def unpin(item_id: int):
    return _act("idea", item_id, lambda idea, form: actions.unpin_idea(current_user, idea),
                _("Idée désépinglée."))


def _moderated_idea(idea_id: int) -> Idea:
    idea = _load("idea", idea_id)
    try:
        services.require_moderator(current_user, idea)
    except services.ModerationRefused as error:
        abort(error.status)
    return idea


@blueprint.route("/moderation/idees/<int:item_id>/fusionner", methods=["GET", "POST"])
def merge(item_id: int):
    idea = _moderated_idea(item_id)
    # ?merge_into=N: the duplicate chosen from the idea page's similar ideas, to confirm here.
    form = MergeForm(data={"merge_into": request.args.get("merge_into", type=int)})
    if request.method == "POST":
        if not form.validate_on_submit() and not form.merge_into.errors:
            abort(400)
        target = db.session.get(Idea, form.merge_into.data) if form.merge_into.data else None
        try:
            actions.merge_idea(current_user, idea, target)
        except DomainError as error:
            db.session.rollback()
            if not form.merge_into.errors:
                apply_domain_error(form, error)
            return render_template("moderation/merge.html", idea=idea, form=form), 422
        db.session.commit()
        flash(_("Idée fusionnée : ses soutiens et ses abonnés sont passés à l'idée conservée."),
              "success")
        return redirect(item_url(idea))
    return render_template("moderation/merge.html", idea=idea, form=form)


@blueprint.route("/moderation/idees/<int:item_id>/titre", methods=["GET", "POST"])
def edit_title(item_id: int):
    idea = _moderated_idea(item_id)
    form = TitleForm(data={"title": idea.title, "expected": idea.title}
                     if request.method == "GET" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            actions.edit_title(current_user, idea, form.title.data, form.expected.data or None,
                               form.reason.data)
        except services.ModerationRefused as error:
            db.session.rollback()
            apply_domain_error(form, error)
            return render_template("moderation/title.html", idea=idea, form=form), error.status
        db.session.commit()
        flash(_("Titre modifié ; l'ancien reste dans l'historique de l'idée."), "success")
        return redirect(item_url(idea))
    return render_template("moderation/title.html", idea=idea, form=form)


# -- Several items at once

@blueprint.post("/moderation/lot")
def bulk():
    require(can_moderate_anywhere)
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = actions.bulk_moderate(current_user, request.form.getlist("items"),
                                        form.action.data, form.reason.data)
    except services.ModerationRefused as error:
        db.session.rollback()
        apply_domain_error(form, error)
        community = None
        if form.community.data:
            community = _community(form.community.data)
            require(can_moderate_community, community)
        return _render_queue(community, bulk_form=form, status=422)
    db.session.commit()
    if outcome.done:
        flash(ngettext("%(num)d élément traité.", "%(num)d éléments traités.", outcome.done),
              "success")
    for refusal in outcome.refused:
        flash(refusal, "warning")
    return redirect(safe_next_url(form.next.data) if form.next.data else url_for(".queue"))
