"""Access control glue: views call `require(...)`; the rules live in each domain's permissions.py.

A rule that raises denies (ASVS 4.1.5): an unexpected state never grants access.
"""

import logging
from collections.abc import Callable

from flask import abort
from flask_login import current_user

log = logging.getLogger(__name__)


def allowed(check: Callable[..., bool], *args) -> bool:
    try:
        return bool(check(current_user, *args))
    except Exception:
        log.exception("permission check %s failed: denying", check.__name__)
        return False


def require(check: Callable[..., bool], *args, hide: bool = False) -> None:
    """Abort with 403, or 404 when even the existence of the object must not be revealed."""
    if not allowed(check, *args):
        log.info("access denied: %s user=%s", check.__name__,
                 getattr(current_user, "id", None))
        abort(404 if hide else 403)


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
