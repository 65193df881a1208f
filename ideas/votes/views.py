"""Support and withdraw support (htmx, and plain form posts without JavaScript).

Two routes, each naming the state the agent wants, rather than one toggle: a replayed request
(double click, back button, two tabs) then leaves the state the agent asked for instead of
flipping it back.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.accounts.views import safe_next_url
from ideas.authz import get_or_404
from ideas.errors import DomainError, render_error
from ideas.extensions import db
from ideas.htmx import is_htmx, make_response
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea
from ideas.votes import services

blueprint = Blueprint("votes", __name__)


@blueprint.before_request
@login_required
def _signed_in():
    """Supports are for signed-in agents."""


@blueprint.app_template_global("vote_refusal")
def vote_refusal(idea: Idea) -> str | None:
    """For templates: why the current user may not support this idea (None if they may)."""
    return services.vote_refusal(current_user, idea)


def _visible_idea(idea_id: int) -> Idea:
    return get_or_404(Idea, idea_id, can_view_idea)


def _next_url(idea: Idea) -> str:
    """The page the button was on (a local path only), else the idea's page."""
    target = request.form.get("next")
    return safe_next_url(target) if target else url_for("ideation.show", idea_id=idea.id)


def _set_support(idea_id: int, supported: bool):
    idea = _visible_idea(idea_id)
    try:
        changed = services.set_vote(current_user, idea, supported)
    except DomainError as error:
        db.session.rollback()
        return render_error(403, error.message)
    if supported:
        done = _("Vous soutenez cette idée.") if changed else _("Vous soutenez déjà cette idée.")
    else:
        done = (_("Votre soutien est retiré.") if changed
                else _("Vous ne souteniez pas cette idée."))
    if is_htmx():
        # Rendered before the commit, which would expire the user, idea and community and
        # reload each of them; a failed commit still answers an error, not this fragment.
        response = make_response(render_template(
            "votes/_support.html", idea=idea, voted=supported, announce=done,
            next_url=_next_url(idea)))
        db.session.commit()
        response.vary.add("HX-Request")
        return response
    db.session.commit()
    flash(done, "success" if changed else "info")
    url = _next_url(idea)
    return redirect(url if "#" in url else f"{url}#soutien-{idea.id}")  # back at the button


@blueprint.post("/idees/<int:idea_id>/soutenir")
def cast(idea_id: int):
    return _set_support(idea_id, True)


@blueprint.post("/idees/<int:idea_id>/retirer-soutien")
def withdraw(idea_id: int):
    return _set_support(idea_id, False)
