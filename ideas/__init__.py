"""Fabrique à idées: the application factory reads like the app's table of contents."""

import sqlite3
from datetime import timedelta

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR, check_production


def create_app(config_name: str = "development", **overrides) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    if config_name == "production":
        check_production(app.config)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        # The client's address, scheme and host as the reverse proxy saw them (rate limits,
        # logs, https URLs); only that many proxies are believed, so a client cannot forge it.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_input_checks(app)  # first: before CSRF (or anything) reads the form
    register_extensions(app)
    register_blueprints(app)
    register_rate_limits(app)
    register_errorhandlers(app)
    register_security(app)
    register_template_helpers(app)
    register_static_files(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from flask_login import user_loaded_from_cookie

    from ideas import i18n, models, search  # noqa: F401 - models registers every table
    from ideas.accounts import sessions
    from ideas.extensions import babel, csrf, db, htmx, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.user_loader(sessions.load_user)
    login_manager.unauthorized_handler(sessions.unauthorized)
    app.config.setdefault("REMEMBER_COOKIE_DURATION",
                          timedelta(hours=app.config["SESSION_MAX_HOURS"]))
    app.before_request(sessions.enforce_idle_timeout)
    user_loaded_from_cookie.connect(sessions.restored_from_cookie, app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = i18n.LOGIN_REQUIRED_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    search.init_app(app)


def register_blueprints(app: Flask) -> None:
    from ideas.accounts.views import blueprint as accounts
    from ideas.admin.views import blueprint as admin
    from ideas.comments.views import blueprint as comments
    from ideas.communities.views import blueprint as communities
    from ideas.dashboard.views import blueprint as dashboard
    from ideas.follows.views import blueprint as follows
    from ideas.ideation.views import blueprint as ideation
    from ideas.main import blueprint as main
    from ideas.moderation.log_views import blueprint as moderation_log
    from ideas.moderation.suspension_views import blueprint as suspensions
    from ideas.moderation.views import blueprint as moderation
    from ideas.notifications.views import blueprint as notifications
    from ideas.offer.views import blueprint as offer
    from ideas.privacy.views import blueprint as privacy
    from ideas.research.views import blueprint as research
    from ideas.search.views import blueprint as search
    from ideas.votes.views import blueprint as votes
    from ideas.workflow.views import blueprint as workflow

    for blueprint in (main, accounts, communities, ideation, votes, comments, follows, admin,
                      workflow, offer, research, dashboard, notifications, search):
        app.register_blueprint(blueprint)
    for blueprint in (moderation, moderation_log, suspensions, privacy):
        app.register_blueprint(blueprint)


def register_input_checks(app: Flask) -> None:
    from ideas import inputs

    inputs.register(app)


def register_rate_limits(app: Flask) -> None:
    from ideas import ratelimits

    ratelimits.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from ideas.errors import register

    register(app)


def register_security(app: Flask) -> None:
    from ideas import headers, security_log

    headers.register(app)
    security_log.register(app)


def register_template_helpers(app: Flask) -> None:
    from ideas.templating import register

    register(app)


def register_static_files(app: Flask) -> None:
    from ideas import assets

    assets.register(app)


def register_cli(app: Flask) -> None:
    from ideas.cli import register

    register(app)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL lets readers work while one writer writes; foreign keys are off by default in SQLite."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's lower() folds ASCII only: "Énergie" stayed "Énergie", so searches and the
        # case-insensitive name checks missed accented capitals that PostgreSQL folds.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "savepoint")
def _begin_before_sqlite_savepoint(connection, _name) -> None:
    """Python's sqlite3, in its default (legacy) transaction mode, sends BEGIN only before an
    INSERT, UPDATE or DELETE. A SAVEPOINT sent first opens the transaction itself, and releasing
    it then COMMITs everything: a row inserted under `begin_nested()` would be committed apart
    from the counter update that follows it. Opening the transaction first keeps them together.
    IMMEDIATE takes the write lock now (waiting up to busy_timeout): a deferred BEGIN followed by
    a read would fail at once with "database is locked" on its first write if another worker
    committed in between (WAL cannot upgrade a stale snapshot), busy timeout or not."""
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, sqlite3.Connection) and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
