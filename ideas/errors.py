"""Error pages and fragments: translated, with a correlation id, never a traceback."""

import logging
import uuid

from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from ideas.htmx import is_htmx, make_response
from ideas.security_log import security_event

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain refused the action; `message` is translated and shown to the user."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


TITLES = {
    400: _l("Requête incorrecte"),
    403: _l("Accès refusé"),
    404: _l("Page introuvable"),
    405: _l("Méthode non autorisée"),
    409: _l("Conflit"),
    413: _l("Contenu trop volumineux"),
    422: _l("Données invalides"),
    429: _l("Trop de requêtes"),
    500: _l("Erreur inattendue"),
    503: _l("Service momentanément indisponible"),
}
MESSAGES = {
    400: _l("La requête n'a pas pu être comprise. Rechargez la page et réessayez."),
    403: _l("Vous n'avez pas les droits nécessaires pour effectuer cette action."),
    404: _l("La page que vous cherchez n'existe pas ou n'est pas accessible avec votre compte."),
    405: _l("Cette action n'est pas possible de cette façon."),
    409: _l("L'élément a été modifié entre-temps. Rechargez la page et réessayez."),
    413: _l("Le contenu envoyé dépasse la taille autorisée."),
    422: _l("Certaines données sont invalides."),
    429: _l("Vous avez effectué trop de requêtes. Patientez un peu avant de réessayer."),
    500: _l("Une erreur inattendue s'est produite. L'équipe technique a été prévenue."),
    503: _l("Le service est momentanément indisponible. Réessayez dans quelques instants."),
}
KEPT_HEADERS = {"Allow", "Retry-After", "WWW-Authenticate"}
CSRF_MESSAGE = _l(
    "Votre session a expiré ou le formulaire n'est plus valide. Rechargez la page et réessayez."
)


def render_error(code: int, message=None):
    context = {
        "code": code,
        "title": TITLES.get(code, TITLES[500]),
        "message": message or MESSAGES.get(code, MESSAGES[500]),
        "request_id": g.get("request_id", "-"),
    }
    try:
        if is_htmx():
            # htmx targets vary; errors always land in the page's alert region.
            response = make_response(render_template("errors/_error.html", **context), code,
                                     retarget="#htmx-alerts", reswap="innerHTML")
        else:
            response = make_response(render_template("errors/error.html", **context), code)
    except Exception:  # the error page itself failed: plain text, still no traceback
        log.exception("error page failed to render")
        response = make_response(f"{context['title']}. {context['message']} "
                                 f"({context['request_id']})", code)
        response.mimetype = "text/plain"
    response.vary.add("HX-Request")
    return response


DATABASE_RETRY_AFTER = 5  # seconds: a restarting PostgreSQL is usually back by then


def database_unavailable(error: Exception):
    """The database cannot be reached (restarting, disk full, locked past the busy timeout):
    a 503 saying to try again, not a 500. The request's transaction is rolled back, so nothing
    is half-written; the pool drops the dead connection and `pool_pre_ping` tests the next
    one, so the worker serves the next request normally once the database is back."""
    from ideas.extensions import db, login_manager

    log.warning("database unavailable request_id=%s: %s", g.get("request_id"),
                str(error).splitlines()[0] if str(error) else type(error).__name__)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: the pool already invalidated it
        log.debug("rollback after a database error failed", exc_info=True)
    db.session.remove()
    # The page is drawn as for a visitor: the header's counts for a signed-in agent would each
    # try the database again. The session cookie is untouched.
    g._login_user = login_manager.anonymous_user()
    response = render_error(503)
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def register(app: Flask) -> None:
    @app.teardown_appcontext
    def _end_session_even_without_database(_error):
        """Before Flask-SQLAlchemy's own teardown (registered earlier, run later): ending the
        session rolls back its connection, and on a connection PostgreSQL just dropped that
        raises, turning an answered request into gunicorn's bare 500. SQLAlchemy has
        invalidated the connection by then; forget the session and go on."""
        from ideas.extensions import db

        try:
            db.session.remove()
        except SQLAlchemyError as error:
            log.warning("session ended on a lost database connection: %s",
                        str(error).splitlines()[0])
            db.session.registry.clear()

    def _assign_request_id():
        g.request_id = uuid.uuid4().hex[:12]

    # First of all: CSRFProtect's own before_request (registered earlier) fails requests with a
    # 400 or, reading an oversized body, a 413; their error pages need the reference already.
    app.before_request_funcs.setdefault(None, []).insert(0, _assign_request_id)

    @app.after_request
    def _expose_request_id(response):
        response.headers.setdefault("X-Request-ID", g.get("request_id", "-"))
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error):
        security_event("csrf.failure", reason=error.description)
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        response = render_error(error.code or 500, getattr(error, "message", None))
        # Headers the client acts on (405's Allow, 429's and 503's Retry-After) survive our page.
        for name, value in error.get_headers():
            if name in KEPT_HEADERS:
                response.headers[name] = value
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    @app.errorhandler(PendingRollbackError)  # a query after a lost connection in this request
    def _database_unavailable(error: Exception):
        return database_unavailable(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return _http(error)
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return database_unavailable(error)
        log.exception("unhandled error request_id=%s", g.get("request_id"))
        from ideas.extensions import db

        db.session.rollback()
        return render_error(InternalServerError.code)
