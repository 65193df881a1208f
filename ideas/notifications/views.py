"""The notification centre (page, bell, open, mark read), the email preferences, and the
one-click unsubscribe link of the emails (no sign-in needed: the signed token is the key)."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ideas.accounts.models import User
from ideas.accounts.permissions import is_signed_in
from ideas.accounts.sessions import passive
from ideas.communities.models import MemberRole, Membership, MembershipStatus
from ideas.errors import render_error
from ideas.extensions import csrf, db
from ideas.htmx import is_htmx, make_response
from ideas.notifications import emails, mentions, messages, queries, receivers, services
from ideas.notifications.forms import chosen, preferences_form
from ideas.notifications.kinds import GROUP_LABELS, GROUP_OF, KIND_LABELS, Group, Kind
from ideas.params import page_arg

__all__ = ["blueprint", "receivers"]  # importing the views connects the receivers

blueprint = Blueprint("notifications", __name__)
blueprint.add_app_template_filter(mentions.highlight_mentions, "highlight_mentions")

BAD_TOKEN = _l("Ce lien de désabonnement n'est pas valide : il a peut-être été coupé ou "
               "modifié. Vous pouvez régler vos emails depuis votre profil, rubrique "
               "« Notifications ».")


@blueprint.app_template_global("unread_notifications")
def unread_notifications() -> int:
    """For the bell in the header (one COUNT query)."""
    return queries.unread_count(current_user) if is_signed_in(current_user) else 0


@blueprint.app_template_global("notifications_poll_seconds")
def notifications_poll_seconds() -> int:
    return int(current_app.config["NOTIFICATIONS_POLL_SECONDS"])


blueprint.add_app_template_global(messages.describe, "describe_notification")
blueprint.add_app_template_global(messages.details, "notification_details")


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


def _bell_response():
    response = make_response(render_template(
        "notifications/_bell.html", unread=queries.unread_count(current_user)))
    return _no_store(response)


@blueprint.get("/notifications/compteur")
@passive  # polled every few seconds: no sign of the agent being there
def bell():
    """The bell alone, polled by htmx. Signed out (session ended), htmx hears 286: stop."""
    if not is_signed_in(current_user):
        if is_htmx():
            return _no_store(make_response("", 286))
        return current_app.login_manager.unauthorized()
    return _bell_response()


@blueprint.get("/notifications")
@login_required
def index():
    page = queries.notifications_page(current_user, page_arg(),
                                      current_app.config["PER_PAGE"])
    response = make_response(render_template(
        "notifications/index.html", page=page, unread=queries.unread_count(current_user)))
    return _no_store(response)


def _own_visible(notification_id: int):
    notification = queries.get_visible(current_user, notification_id)
    if notification is None:  # someone else's, gone, or no longer visible: it does not exist
        abort(404)
    return notification


@blueprint.get("/notifications/<int:notification_id>", endpoint="open")
@login_required
def open_notification(notification_id: int):
    """Opening a notification marks it read and leads to its item."""
    notification = _own_visible(notification_id)
    services.mark_read(current_user, notification)
    db.session.commit()
    return redirect(messages.target_url(notification))


def _back_to_list():
    page = request.form.get("page", type=int)
    return redirect(url_for(".index", page=page) if page and page > 1 else url_for(".index"))


@blueprint.post("/notifications/<int:notification_id>/lue")
@login_required
def mark_read(notification_id: int):
    notification = _own_visible(notification_id)
    services.mark_read(current_user, notification)
    db.session.commit()
    if is_htmx():
        unread = queries.unread_count(current_user)
        return _no_store(make_response(render_template(
            "notifications/_marked.html", notification=notification, unread=unread,
            announce=_("Notification marquée comme lue."))))
    flash(_("Notification marquée comme lue."), "success")
    return _back_to_list()


@blueprint.post("/notifications/tout-lire")
@login_required
def mark_all_read():
    count = services.mark_all_read(current_user)
    db.session.commit()
    if is_htmx():
        page = queries.notifications_page(current_user, 1, current_app.config["PER_PAGE"])
        return _no_store(make_response(render_template(
            "notifications/_list.html", page=page, unread=0, oob_bell=True,
            announce=_("Toutes vos notifications sont marquées comme lues."))))
    if count:
        flash(_("Toutes vos notifications sont marquées comme lues."), "success")
    return redirect(url_for(".index"))


# -- Email preferences

def _facilitates_somewhere(user) -> bool:
    return db.session.scalar(db.select(Membership.id).where(
        Membership.user_id == user.id, Membership.role == MemberRole.FACILITATOR,
        Membership.status == MembershipStatus.ACTIVE).limit(1)) is not None


def kinds_for(user) -> list[Kind]:
    """Facilitation news only for those who facilitate (or manage) communities."""
    show_facilitation = user.is_manager or _facilitates_somewhere(user)
    return [kind for kind in Kind
            if GROUP_OF[kind] != Group.FACILITATION or show_facilitation]


@blueprint.route("/profil/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    kinds = kinds_for(current_user)
    stored = services.preferences_of([current_user.id])
    current = {kind: services.frequency_for(current_user.id, kind, stored) for kind in kinds}
    form = preferences_form(kinds, current)
    if form.validate_on_submit():
        services.set_preferences(current_user, chosen(form, kinds))
        db.session.commit()
        flash(_("Vos préférences de notification sont enregistrées."), "success")
        return redirect(url_for(".preferences"))
    groups = [(GROUP_LABELS[group], [kind for kind in kinds if GROUP_OF[kind] == group])
              for group in Group]
    return render_template("notifications/preferences.html", form=form,
                           groups=[(label, ks) for label, ks in groups if ks]), (
        422 if form.errors else 200)


# -- One-click unsubscribe (RFC 8058): the token is the key, no session, no CSRF token

@blueprint.route("/notifications/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    try:
        user_id, kinds = emails.read_unsubscribe_token(token)
    except emails.BadUnsubscribeToken:
        return render_error(400, BAD_TOKEN)
    user = db.session.get(User, user_id)
    if user is None:
        return render_error(400, BAD_TOKEN)
    labels = [KIND_LABELS[kind] for kind in kinds]
    if request.method == "GET":
        return _no_store(make_response(render_template(
            "notifications/unsubscribe.html", token=token, labels=labels, done=False)))
    services.unsubscribe(user, kinds)
    db.session.commit()
    return _no_store(make_response(render_template(
        "notifications/unsubscribe.html", token=token, labels=labels, done=True)))
