"""Rate limits (Flask-Limiter): the one table of which route is limited, per what, how much.

Each limited route is counted per IP address and per account: the signed-in agent, or, on the
login and password-reset forms, the login typed, normalised (`Alice`, ` alice ` and
`ALICE@x.fr` are one login), so that guessing passwords for one account from many addresses,
or for many accounts from one address, both stop. The amounts live in config.py
(`RATE_LIMITS`, each overridable by an environment variable). A refusal is a 429 page or htmx
fragment saying when to try again, with `Retry-After`; the window moves on, so an agent whose
login was hammered by someone else is never locked out for longer than that window.

Counters live in Redis when `REDIS_URL` is set, so that every gunicorn worker and every server
shares them (per-process memory would multiply each limit by the number of workers); in memory
otherwise (one process: development, tests). If Redis goes down, each process falls back to its
own memory rather than refusing every request.
"""

import logging
import math
import time
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from flask import Flask, current_app, g, request
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import current_user

EXTENSION = "fabrique_limiter"


def ip_key() -> str:
    """The client's address (behind a reverse proxy, TRUSTED_PROXIES makes it the real one)."""
    return f"ip:{request.remote_addr or '-'}"


def normalise_login(value: str | None) -> str:
    """What makes two typed logins one: compatibility forms, case, spaces, and the domain (the
    part before `@` is the person; trying each domain must not multiply the attempts)."""
    text = unicodedata.normalize("NFKC", value or "").strip().casefold()
    return "".join(text.split("@", 1)[0].split()) or "-"


def login_key() -> str:
    return f"login:{normalise_login(request.form.get('email'))}"


def account_key() -> str:
    """The signed-in agent (every limited write requires one); the address otherwise."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return ip_key()


def _failed(response) -> bool:
    """A refused form (wrong password, invalid data): what guessing produces."""
    return response.status_code == 422


def _done(response) -> bool:
    """Something was written: not a preview, not a refusal."""
    return response.status_code < 400 and "preview" not in request.form


class Rule(NamedTuple):
    setting: str  # key of config RATE_LIMITS
    key: Callable[[], str]
    deduct_when: Callable | None = None  # None: every request counts


# endpoint → its limits (POST only: reading a form is never limited).
LIMITS: dict[str, tuple[Rule, ...]] = {
    "accounts.login": (Rule("login_ip", ip_key), Rule("login_account", login_key, _failed)),
    "accounts.change_password": (Rule("login_account", account_key, _failed),),
    "accounts.signup": (Rule("signup_ip", ip_key),),
    "accounts.accept_invitation": (Rule("signup_ip", ip_key),),
    "accounts.forgot_password": (Rule("password_reset_ip", ip_key),
                                 Rule("password_reset_account", login_key)),
    "ideation.new": (Rule("idea_ip", ip_key, _done), Rule("idea_account", account_key, _done)),
    "comments.create": (Rule("comment_ip", ip_key, _done),
                        Rule("comment_account", account_key, _done)),
    "votes.cast": (Rule("support_ip", ip_key), Rule("support_account", account_key)),
    "votes.withdraw": (Rule("support_ip", ip_key), Rule("support_account", account_key)),
    "moderation.report_idea": (Rule("report_ip", ip_key, _done),
                               Rule("report_account", account_key, _done)),
    "moderation.report_comment": (Rule("report_ip", ip_key, _done),
                                  Rule("report_account", account_key, _done)),
}


# Exports read many rows: every endpoint named "...export..." (new ones included) is limited,
# one count per account for all of them.
def export_endpoints(app: Flask) -> list[str]:
    return sorted(e for e in app.view_functions if "export" in e.rsplit(".", 1)[-1])


def _setting(name: str) -> Callable[[], str]:
    # Read at each request, so that a test (or an operator reloading config) changes it live.
    return lambda: current_app.config["RATE_LIMITS"][name]


def init_app(app: Flask) -> Limiter:
    """One limiter per app (its storage and its decorated views belong to that app)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter = Limiter(key_func=ip_key, app=app)
    # Each refusal is logged once, by the security log (with the user, route and request id).
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    limiter.request_filter(lambda: not current_app.config["RATE_LIMITS_ENABLED"])
    for endpoint, rules in LIMITS.items():
        view = app.view_functions[endpoint]
        for rule in rules:
            # One count per setting, shared by its routes (support and withdraw, say).
            view = limiter.shared_limit(_setting(rule.setting), rule.setting, key_func=rule.key,
                                        methods=["POST"], deduct_when=rule.deduct_when)(view)
        app.view_functions[endpoint] = view
    for endpoint in export_endpoints(app):
        app.view_functions[endpoint] = limiter.shared_limit(
            _setting("export_account"), "export_account", key_func=account_key,
        )(app.view_functions[endpoint])
    app.extensions[EXTENSION] = limiter
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    return limiter


def _too_many_requests(error: RateLimitExceeded):
    from ideas.errors import MESSAGES, render_error

    limiter: Limiter = current_app.extensions[EXTENSION]
    reached = limiter.current_limit
    wait = max(1, math.ceil(reached.reset_at - time.time())) if reached else 60
    minutes = math.ceil(wait / 60)
    message = " ".join([str(MESSAGES[429]), ngettext(
        "Vous pourrez réessayer dans %(num)d minute.",
        "Vous pourrez réessayer dans %(num)d minutes.", minutes)])
    g.rate_limit = error.description  # the security log's one line names it
    response = render_error(429, message)
    response.headers["Retry-After"] = str(wait)
    return response


def reset(app: Flask) -> None:
    """Forget every counter (tests; an operator can also flush the Redis keys)."""
    app.extensions[EXTENSION].reset()
