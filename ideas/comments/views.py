"""Comment, reply, edit, delete (htmx, and plain form posts without JavaScript).

htmx requests get fragments: the form swaps itself (fresh after a post, with its error and the
typed text on a 422), the new comment is appended out of band, refusals land in the page's alert
region. Plain requests redirect to the comment's anchor on the idea page with a flash message; a
form with an error is shown again on its own page, with the text typed.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ideas.accounts.views import apply_domain_error
from ideas.authz import get_or_404
from ideas.comments import queries, services
from ideas.comments.forms import comment_form
from ideas.comments.links import thread_url
from ideas.comments.models import Comment
from ideas.errors import DomainError, render_error
from ideas.extensions import db
from ideas.htmx import is_htmx, make_response
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea
from ideas.markdown import safe_html
from ideas.params import page_arg

blueprint = Blueprint("comments", __name__)

# The thread is included by the idea page (another domain's view), so what it needs comes as
# app-wide template helpers rather than through that view's context.
blueprint.add_app_template_filter(safe_html, "safe_html")
blueprint.add_app_template_global(comment_form, "comment_form")


@blueprint.app_template_global()
def comment_labels() -> dict[str, Markup]:
    """The fixed words of a comment, translated once for a whole thread rather than for each
    comment (a 200-comment thread asked gettext about 1,600 times: a fifth of the idea page).
    Markup, as Jinja's `_()` returns them; `%` escapes the values put in."""
    words = {
        "permalink": _("Lien permanent vers ce commentaire"), "edited": _("modifié"),
        "edited_on": _("Modifié le %(date)s"), "deleted_author": _("Agent supprimé"),
        "reply": _("Répondre"), "reply_to": _("à %(name)s"), "edit": _("Modifier"),
        "yours": _("votre commentaire"), "delete": _("Supprimer"),
        "delete_confirm": _("Supprimer ce commentaire ? Son texte disparaîtra de la "
                            "discussion."),
        "report": _("Signaler"), "reported": _("Signalé"), "to_facilitators":
            _("à l'équipe d'animation"), "this_comment": _("ce commentaire"),
        "this_idea": _("cette idée")}
    return {key: Markup(text) for key, text in words.items()}  # noqa: S704 - our catalogs


@blueprint.before_request
@login_required
def _signed_in():
    """Every comment route is for signed-in agents."""


def _visible_idea(idea_id: int) -> Idea:
    return get_or_404(Idea, idea_id, can_view_idea)


def _visible_comment(comment_id: int) -> tuple[Comment, Idea]:
    comment = queries.get_comment(comment_id)
    if comment is None:
        abort(404)
    return comment, _visible_idea(comment.idea_id)


def _fragment(template: str, status: int = 200, **context):
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def _refused(error: services.CommentRefused, page: str | None = None, **context):
    """htmx: the message in the alert region, the form left as typed. Plain: a 409 shows the
    form again with the message (the text is kept); 403/404 are error pages."""
    if is_htmx() or page is None or error.status != 409:
        return render_error(error.status, str(error.message))
    context["form"].form_errors.append(str(error.message))
    return render_template(page, **context), error.status


# -- Permalink

@blueprint.get("/commentaires/<int:comment_id>")
def show(comment_id: int):
    """The comment's anchor on its idea page, on the page of the thread that shows it (links
    from notifications and moderation come here); for htmx, the comment itself (cancelling an
    edit swaps the form back for it)."""
    comment, idea = _visible_comment(comment_id)
    if is_htmx():
        return _fragment("comments/_comment.html", comment=comment, idea=idea)
    return redirect(thread_url(idea.id, comment))


# -- Pages of the thread

@blueprint.get("/idees/<int:idea_id>/commentaires")
def page(idea_id: int):
    """htmx: one more page of the thread ("Afficher les commentaires suivants"). Without
    JavaScript the link goes to the idea page showing that page; this address sends there."""
    idea = _visible_idea(idea_id)
    number = page_arg()
    if not is_htmx():
        return redirect(url_for("ideation.show", idea_id=idea.id,
                                commentaires=number if number > 1 else None,
                                _anchor="commentaires"))
    return _fragment("comments/_thread_page.html", idea=idea,
                     thread=queries.thread_page(idea, number))


# -- Post a comment or a reply

@blueprint.post("/idees/<int:idea_id>/commentaires")
def create(idea_id: int):
    idea = _visible_idea(idea_id)
    form = comment_form("new", idea.id)
    if not form.validate_on_submit():  # only a malformed parent_id gets here
        abort(400)
    parent = None
    if form.parent_id.data is not None:
        parent = queries.get_comment(form.parent_id.data)
        if parent is None:
            abort(404)
        form = comment_form("reply", parent.parent_id or parent.id)
    page_context = {"form": form, "idea": idea, "parent": parent}
    try:
        comment = services.post_comment(current_user, idea, form.body.data, parent=parent,
                                        submission_token=form.submission_token.data)
    except services.CommentRefused as error:
        db.session.rollback()
        return _refused(error, "comments/form.html", **page_context)
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        if is_htmx():
            template = "comments/_reply_form.html" if parent else "comments/_new_form.html"
            return _fragment(template, 422, **page_context)
        return render_template("comments/form.html", **page_context), 422
    db.session.commit()
    if is_htmx():
        return _fragment("comments/_posted.html", idea=idea, comment=comment, parent=parent,
                         form=comment_form("new", idea.id, formdata=None))
    flash(_("Votre réponse est publiée.") if parent else _("Votre commentaire est publié."),
          "success")
    return redirect(thread_url(idea.id, comment))


@blueprint.get("/commentaires/<int:comment_id>/repondre")
def reply(comment_id: int):
    """The reply form under a comment (htmx), or on its own page. `?annuler=1` closes it."""
    comment, idea = _visible_comment(comment_id)
    top_id = comment.parent_id or comment.id
    if is_htmx() and request.args.get("annuler"):
        return _fragment("comments/_reply_slot.html", top_id=top_id)
    try:
        services.check_can_reply(current_user, idea, comment)
    except services.CommentRefused as error:
        return render_error(error.status, str(error.message))
    form = comment_form("reply", top_id, data={"parent_id": comment.id})
    if is_htmx():
        return _fragment("comments/_reply_form.html", form=form, idea=idea, parent=comment)
    return render_template("comments/form.html", form=form, idea=idea, parent=comment)


# -- Edit

@blueprint.route("/commentaires/<int:comment_id>/modifier", methods=["GET", "POST"])
def edit(comment_id: int):
    comment, idea = _visible_comment(comment_id)
    form = comment_form("edit", comment.id, data={"body": comment.body}
                        if request.method == "GET" else None)
    context = {"form": form, "idea": idea, "comment": comment}
    if request.method == "GET":
        try:
            services.check_can_edit(current_user, comment)
        except services.CommentRefused as error:
            return render_error(error.status, str(error.message))
        if is_htmx():
            return _fragment("comments/_edit_form.html", **context)
        return render_template("comments/edit.html", **context)
    if not form.validate_on_submit():
        abort(400)
    try:
        services.edit_comment(current_user, comment, form.body.data)
    except services.CommentRefused as error:
        db.session.rollback()
        return _refused(error, "comments/edit.html", **context)
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        if is_htmx():
            return _fragment("comments/_edit_form.html", 422, **context)
        return render_template("comments/edit.html", **context), 422
    db.session.commit()
    if is_htmx():
        return _fragment("comments/_comment.html", comment=comment, idea=idea,
                         announce=_("Votre commentaire est modifié."))
    flash(_("Votre commentaire est modifié."), "success")
    return redirect(thread_url(idea.id, comment))


# -- Delete

@blueprint.post("/commentaires/<int:comment_id>/supprimer")
def delete(comment_id: int):
    comment, idea = _visible_comment(comment_id)
    try:
        services.delete_comment(current_user, comment)
    except services.CommentRefused as error:
        db.session.rollback()
        if is_htmx() or error.status != 409:
            return render_error(error.status, str(error.message))
        flash(str(error.message), "error")
        return redirect(thread_url(idea.id, comment))
    db.session.commit()
    if is_htmx():
        return _fragment("comments/_deleted.html", comment=comment, idea=idea)
    flash(_("Votre commentaire est supprimé."), "success")
    return redirect(thread_url(idea.id, comment))
