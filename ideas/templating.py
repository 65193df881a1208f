"""What every template may use: `can.<rule>(…)`, site settings, language list, URL helpers."""

import functools
from types import ModuleType

from flask import Flask, current_app, request, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    format_timedelta,
    get_locale,
    get_timezone,
)

from ideas.accounts import permissions as account_permissions
from ideas.authz import allowed
from ideas.comments import permissions as comment_permissions
from ideas.communities import permissions as community_permissions
from ideas.dashboard import permissions as dashboard_permissions
from ideas.follows import permissions as follow_permissions
from ideas.ideation import permissions as idea_permissions
from ideas.moderation import permissions as moderation_permissions
from ideas.offer import permissions as offer_permissions
from ideas.privacy import permissions as privacy_permissions
from ideas.research import permissions as research_permissions
from ideas.search import permissions as search_permissions
from ideas.votes import permissions as vote_permissions
from ideas.workflow import permissions as workflow_permissions

PERMISSION_MODULES: list[ModuleType] = [account_permissions, community_permissions,
                                        idea_permissions, vote_permissions, comment_permissions,
                                        follow_permissions, workflow_permissions,
                                        offer_permissions, research_permissions,
                                        dashboard_permissions, moderation_permissions,
                                        search_permissions, privacy_permissions]


class Can:
    """`can.join(community)` in a template calls `can_join(current_user, community)`."""

    def __init__(self, modules: list[ModuleType]):
        self._checks = {name.removeprefix("can_"): getattr(module, name)
                        for module in modules for name in dir(module)
                        if name.startswith("can_")}

    def __getattr__(self, name: str):
        check = self._checks[name]
        return lambda *args: allowed(check, *args)


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one): keeps filters.

    Query arguments named like a path argument (`?slug=…`) or like url_for's own options
    (`?_external=1&_scheme=javascript`, `_anchor`) are dropped: passed on, the first raised a
    TypeError (500) and the others rewrote the links."""
    view_args = request.view_args or {}
    args = {key: value for key, value in request.args.to_dict().items()
            if not key.startswith("_") and key not in view_args}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **view_args, **args)


def remembered(formatter):
    """A Flask-Babel formatter for templates, its results kept per process for the reader's
    language and time zone: Babel takes ~25 µs a date, and a 200-comment thread or a list of
    cards formats hundreds of them, the same again on the next view."""

    @functools.lru_cache(maxsize=16384)
    def formatted(locale: str, zone: str, value, args: tuple):
        return formatter(value, *args)

    @functools.wraps(formatter)
    def format_value(value, *args):
        if value is None:  # Babel's "now" for dates: never remembered
            return formatter(value, *args)
        try:
            return formatted(str(get_locale()), str(get_timezone()), value, args)
        except TypeError:  # an unhashable argument
            return formatter(value, *args)

    return format_value


def register(app: Flask) -> None:
    can = Can(PERMISSION_MODULES)
    app.jinja_env.globals.update(can=can, url_with=url_with)
    # Dates and numbers always go through Flask-Babel, under their Python names:
    # `idea.created_at|format_datetime('short')` shows Europe/Paris time in the reader's language
    # (stored datetimes are naive UTC), `count|format_decimal` gives "1 234" or "1,234".
    app.jinja_env.filters.update(
        format_date=remembered(format_date), format_datetime=remembered(format_datetime),
        format_time=format_time, format_timedelta=format_timedelta,
        format_decimal=remembered(format_decimal), format_percent=format_percent,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _site():
        return {
            "site_name": current_app.config["SITE_NAME"],
            "operator_name": current_app.config["OPERATOR_NAME"],
            "show_state_identity": current_app.config["SHOW_STATE_IDENTITY"],
            "current_locale": str(get_locale() or "fr"),
        }
