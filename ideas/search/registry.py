"""Choose and hold the search backend: `SEARCH_BACKEND=whoosh|postgres` (default whoosh)."""

import os

from flask import Flask, current_app

from ideas.extensions import db
from ideas.search import hooks, writer

BACKENDS = ("whoosh", "postgres")


class SearchConfigurationError(RuntimeError):
    pass


def init_app(app: Flask) -> None:
    app.config.setdefault("SEARCH_BACKEND", os.environ.get("SEARCH_BACKEND", "whoosh"))
    # A missing Whoosh index is rebuilt on the spot when the database has at most this many
    # ideas (first start, deleted directory); above, `flask search rebuild` does it.
    app.config.setdefault("SEARCH_AUTO_REBUILD_MAX",
                          int(os.environ.get("SEARCH_AUTO_REBUILD_MAX", 5000)))
    # Processes analysing documents during a Whoosh rebuild (the CLI; workers write one by one).
    app.config.setdefault("SEARCH_REBUILD_PROCS", int(os.environ.get(
        "SEARCH_REBUILD_PROCS", min(4, os.cpu_count() or 1))))
    name = app.config["SEARCH_BACKEND"]
    if name not in BACKENDS:
        raise SearchConfigurationError(
            f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    if name == "postgres" and not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith(
            "postgresql"):
        raise SearchConfigurationError(
            "SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL")
    hooks.register(db.session)
    writer.init_app(app)
    app.extensions["search"] = None  # created on first use, once per process


def make_backend(name: str, app: Flask):
    if name == "postgres":
        from ideas.search.postgres_backend import PostgresBackend

        return PostgresBackend()
    from ideas.search.whoosh_backend import WhooshBackend

    return WhooshBackend(app.config["SEARCH_INDEX_DIR"],
                         rebuild_procs=app.config["SEARCH_REBUILD_PROCS"])


def get_backend(app: Flask | None = None):
    app = app or current_app
    backend = app.extensions.get("search")
    if backend is None:
        backend = make_backend(app.config["SEARCH_BACKEND"], app)
        app.extensions["search"] = backend
    return backend


def reset_backend(app: Flask | None = None) -> None:
    """Forget the backend (after changing SEARCH_BACKEND or SEARCH_INDEX_DIR, in tests)."""
    (app or current_app).extensions["search"] = None
