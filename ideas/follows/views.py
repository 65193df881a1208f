"""Follow and unfollow ideas and communities (htmx, and plain form posts without JavaScript),
and the agent's "followed" lists.

As for supports, each route names the wanted state, so a replayed request is harmless.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.accounts.views import safe_next_url
from ideas.authz import get_or_404, require
from ideas.communities import queries as community_queries
from ideas.communities.models import Community
from ideas.communities.permissions import can_view_community
from ideas.errors import DomainError, render_error
from ideas.extensions import db
from ideas.follows import queries, services
from ideas.htmx import is_htmx, make_response
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea

blueprint = Blueprint("follows", __name__)


@blueprint.before_request
@login_required
def _signed_in():
    """Follows are for signed-in agents."""


@blueprint.app_template_global("is_following_community")
def is_following_community(community: Community) -> bool:
    """For the community page, which does not pass `following` itself."""
    return queries.follows_community(current_user, community)


def _visible_idea(idea_id: int) -> Idea:
    return get_or_404(Idea, idea_id, can_view_idea)


def _community(slug: str) -> Community:
    community = community_queries.get_by_slug(slug)
    if community is None:
        abort(404)
    require(can_view_community, community, hide=True)
    return community


def _respond(template: str, default_url: str, anchor: str, done: str, changed: bool,
             **context):
    """htmx: the component again, with what happened for screen readers; otherwise back to the
    page the button was on (a local path only), at the button."""
    target = request.form.get("next")
    next_url = safe_next_url(target) if target else default_url
    if is_htmx():
        response = make_response(render_template(template, announce=done, next_url=next_url,
                                                 **context))
        response.vary.add("HX-Request")
        return response
    flash(done, "success" if changed else "info")
    return redirect(next_url if "#" in next_url else f"{next_url}#{anchor}")


def _change_idea_follow(idea_id: int, following: bool):
    idea = _visible_idea(idea_id)
    try:
        if following:
            changed = services.follow_idea(current_user, idea)
        else:
            changed = services.unfollow_idea(current_user, idea)
    except DomainError as error:
        db.session.rollback()
        return render_error(403, error.message)
    db.session.commit()
    if following:
        done = _("Vous suivez cette idée.") if changed else _("Vous suiviez déjà cette idée.")
    else:
        done = _("Vous ne suivez plus cette idée.") if changed else _(
            "Vous ne suiviez pas cette idée.")
    return _respond("follows/_follow.html", url_for("ideation.show", idea_id=idea.id),
                    f"suivi-{idea.id}", done, changed, idea=idea, following=following)


def _change_community_follow(slug: str, following: bool):
    community = _community(slug)
    try:
        if following:
            changed = services.follow_community(current_user, community)
        else:
            changed = services.unfollow_community(current_user, community)
    except DomainError as error:
        db.session.rollback()
        return render_error(403, error.message)
    db.session.commit()
    if following:
        done = (_("Vous suivez cette communauté.") if changed
                else _("Vous suiviez déjà cette communauté."))
    else:
        done = (_("Vous ne suivez plus cette communauté.") if changed
                else _("Vous ne suiviez pas cette communauté."))
    return _respond("follows/_community_follow.html",
                    url_for("communities.show", slug=community.slug),
                    f"suivi-communaute-{community.id}", done, changed, community=community,
                    following=following)


@blueprint.post("/idees/<int:idea_id>/suivre")
def follow_idea(idea_id: int):
    return _change_idea_follow(idea_id, True)


@blueprint.post("/idees/<int:idea_id>/ne-plus-suivre")
def unfollow_idea(idea_id: int):
    return _change_idea_follow(idea_id, False)


@blueprint.post("/communautes/<slug>/suivre")
def follow_community(slug: str):
    return _change_community_follow(slug, True)


@blueprint.post("/communautes/<slug>/ne-plus-suivre")
def unfollow_community(slug: str):
    return _change_community_follow(slug, False)


@blueprint.get("/profil/suivis")
def mine():
    return render_template("follows/mine.html", ideas=queries.followed_ideas(current_user),
                           communities=queries.followed_communities(current_user))
