"""Search fixtures: a fresh backend per test, and a French corpus of ideas posted through the
ideation service (so the session hooks index them as in production).

`backend` runs each test on Whoosh, and on PostgreSQL too when TEST_DATABASE_URL is PostgreSQL
(the CI's PostgreSQL run): the parameter is simply absent on SQLite, never skipped."""

import os

import pytest

from ideas.extensions import db as _db
from ideas.ideation import services
from ideas.reference.models import Theme
from ideas.search.registry import get_backend, reset_backend
from tests import factories
from tests.search.corpus import CORPUS, PRIVATE_IDEA

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
BACKENDS = ["whoosh", "postgres"] if ON_POSTGRES else ["whoosh"]


def use_backend(app, name: str, index_dir: str):
    app.config.update(SEARCH_BACKEND=name, SEARCH_INDEX_DIR=index_dir)
    reset_backend(app)
    backend = get_backend(app)
    if name == "whoosh":
        backend.index.create()
    return backend


@pytest.fixture
def search_settings(app):
    """Put back the app's search settings after a test changes them."""
    saved = {key: app.config[key] for key in
             ("SEARCH_BACKEND", "SEARCH_INDEX_DIR", "SEARCH_AUTO_REBUILD_MAX")}
    yield app.config
    app.config.update(saved)
    reset_backend(app)


@pytest.fixture(params=BACKENDS)
def backend(request, app, db, tmp_path, search_settings):
    return use_backend(app, request.param, str(tmp_path / "index"))


@pytest.fixture
def whoosh(app, db, tmp_path, search_settings):
    return use_backend(app, "whoosh", str(tmp_path / "index"))


def theme_ids(*codes: str) -> list[int]:
    return list(_db.session.scalars(_db.select(Theme.id).where(Theme.code.in_(codes))))


def post(author, community, title, body, theme="experimentation", tags="", sdgs=()):
    idea = services.post_idea(author, community, title=title, body=body,
                              theme_ids=theme_ids(theme), sdgs=sdgs, tags=tags)
    _db.session.commit()
    return idea


class Corpus:
    """The posted ideas by key, the communities, and a member of the private community."""

    def __init__(self):
        self.open = factories.CommunityFactory(name="Transition écologique")
        self.private = factories.CommunityFactory(name="Cercle confidentiel", is_private=True)
        self.author = factories.UserFactory(display_name="Autrice du corpus")
        self.member = factories.UserFactory(display_name="Membre du cercle")
        factories.MembershipFactory(user=self.member, community=self.private)
        self.ids = {}
        for key, title, body, theme, tags, sdgs in CORPUS:
            self.ids[key] = post(self.author, self.open, title, body, theme, tags, sdgs).id
        key, title, body, theme = PRIVATE_IDEA
        self.ids[key] = post(self.member, self.private, title, body, theme).id

    def keys(self, ids) -> set[str]:
        by_id = {idea_id: key for key, idea_id in self.ids.items()}
        return {by_id.get(i, f"?{i}") for i in ids}


@pytest.fixture
def corpus(backend):
    return Corpus()
