"""Access control glue: views call `require(...)`; the rules live in each domain's permissions.py.

A rule that raises denies (ASVS 4.1.5): an unexpected state never grants access.
"""

import logging
from collections.abc import Callable

from flask import abort
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ideas.security_log import security_event

log = logging.getLogger(__name__)


def allowed(check: Callable[..., bool], *args) -> bool:
    try:
        # The user object itself, not Flask-Login's proxy: a rule reads the user several times
        # and a 200-comment thread asks a few rules per comment; each proxy read looks the user
        # up again.
        return bool(check(current_user._get_current_object(), *args))
    except SQLAlchemyError:
        # The database failing (restart, lost connection) is no answer of the rule: the request
        # fails as a whole (503, ideas.errors) rather than deny, and carry on with a session
        # whose transaction is dead (the next query would be a 500).
        raise
    except Exception:
        log.exception("permission check %s failed: denying", check.__name__)
        return False


def require(check: Callable[..., bool], *args, hide: bool = False) -> None:
    """Abort with 403, or 404 when even the existence of the object must not be revealed."""
    if not allowed(check, *args):
        status = 404 if hide else 403
        security_event("access.denied", check=check.__name__, status=status)
        abort(status)


def get_or_404(model, ident, check: Callable[..., bool], *, load=None):
    """The row, or 404 when it does not exist or `check` refuses it: a private or hidden item
    must not even be known to exist. `load(ident)` replaces a plain primary-key get when the
    page needs more loaded at once."""
    from ideas.extensions import db  # authz is imported by models' permission modules

    row = load(ident) if load else db.session.get(model, ident)
    if row is None:
        abort(404)
    require(check, row, hide=True)
    return row
