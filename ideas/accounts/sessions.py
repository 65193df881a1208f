"""Flask-Login glue: which sessions are alive (SECURITY-CHECKLIST items 29 and 31; ASVS 3.2, 3.3).

Flask's session is a signed cookie held by the browser: the server cannot delete a copy of it.
So the identity it carries (and the remember-me cookie carries) is `<session token>.<login
time>`:
- the user's rotating `session_token`: logout, a password change or a deactivation draws a new
  one, and every copy of every older cookie stops matching anyone;
- the login time, signed with the cookie: past `SESSION_MAX_HOURS` the identity is refused,
  however active the session or old the remember-me cookie.
The idle timeout (`SESSION_IDLE_MINUTES`) is kept in the session itself: the time of the
agent's last request. Polling (the notification bell) is no activity. "Stay signed in" is the
agent's choice to survive closing the browser and idle periods, never the absolute limit.
"""

import time

from flask import current_app, flash, redirect, request, session
from flask_babel import lazy_gettext as _l
from flask_login import login_url, login_user, logout_user

from ideas.accounts.models import User
from ideas.extensions import db
from ideas.htmx import is_htmx, make_response
from ideas.security_log import security_event

SESSION_ENDED = _l("Votre session a pris fin après une période d'inactivité ou de connexion "
                   "prolongée. Connectez-vous à nouveau.")
SEEN_GRANULARITY = 60  # seconds: the session cookie is rewritten at most once a minute
CLOCK_SKEW = 300  # seconds: a login time further in the future was not written by us


def _now() -> int:
    return int(time.time())


def load_user(identity_value: str) -> User | None:
    token, _, stamp = (identity_value or "").rpartition(".")
    if not token or not stamp.isdigit():
        return None  # an older cookie, or a forged one
    age = _now() - int(stamp)
    if not -CLOCK_SKEW <= age <= current_app.config["SESSION_MAX_HOURS"] * 3600:
        return None
    user = db.session.scalar(db.select(User).filter_by(session_token=token))
    # A deactivated agent with a live cookie becomes anonymous at the next request.
    if user is None or not user.is_active:
        return None
    user.logged_in_at = int(stamp)
    return user


def start_session(user: User, remember: bool = False) -> None:
    """Log in on this browser: a new session (nothing of the anonymous one kept but the
    language), hence a new cookie value, with a fresh login time."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    user.logged_in_at = _now()
    login_user(user, remember=remember)
    session["_persistent"] = bool(remember)
    session["_seen_at"] = _now()


def end_session() -> None:
    """Forget the login in this browser (the session token is the caller's business)."""
    locale = session.get("locale")
    logout_user()
    session.clear()
    session["_remember"] = "clear"  # Flask-Login then deletes the remember-me cookie
    if locale:
        session["locale"] = locale


def unauthorized():
    """Flask-Login's answer to a signed-out request for a members' page: the login page, then
    back. An htmx request (a session that just ended) reloads its page, which asks the same."""
    if is_htmx():
        response = make_response("", 401)
        response.headers["HX-Refresh"] = "true"
        return response
    manager = current_app.login_manager
    flash(str(manager.login_message), manager.login_message_category)
    return redirect(login_url(manager.login_view, next_url=request.url))


def passive(view):
    """Requests to this view (polling) do not count as the agent's activity."""
    view.passive_session = True
    return view


def enforce_idle_timeout() -> None:
    """before_request: end a session left idle too long; note the activity of the others."""
    if "_user_id" not in session or request.endpoint == "static":
        return
    now, seen = _now(), session.get("_seen_at")
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if seen is not None and now - seen > idle and not session.get("_persistent"):
        security_event("session.expired", reason="idle", idle_seconds=now - seen)
        end_session()
        flash(str(SESSION_ENDED), "info")
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "passive_session", False):
        return
    if seen is None or now - seen >= SEEN_GRANULARITY:
        session["_seen_at"] = now


def restored_from_cookie(_app, user=None) -> None:
    """Flask-Login signal: a remember-me cookie (only set when asked) rebuilt the session."""
    session["_persistent"] = True
    session["_seen_at"] = _now()
