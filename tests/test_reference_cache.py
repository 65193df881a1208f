"""Territories and themes are read once per process (ideas.reference.cache) and forgotten as
soon as this process changes them."""

from ideas.communities.forms import theme_choices
from ideas.forms import territory_choices
from ideas.reference.models import Territory, Theme


def _names(choices) -> list[str]:
    return [str(label) for _, label in choices]


def test_a_renamed_theme_or_territory_shows_at_once(app, db):
    theme = db.session.scalars(db.select(Theme).where(Theme.is_active)).first()
    territory = db.session.scalars(db.select(Territory).where(
        Territory.parent_id.is_(None))).first()
    old_theme, old_territory = theme.name_fr, territory.name
    with app.test_request_context():
        assert old_theme in _names(theme_choices())
        theme_choices(), territory_choices()  # read: now cached
        try:
            theme.name_fr, territory.name = "Thème renommé", "Territoire renommé"
            db.session.commit()
            assert "Thème renommé" in _names(theme_choices())
            assert "Territoire renommé" in str(territory_choices())
            theme.is_active = False
            db.session.commit()
            assert "Thème renommé" not in _names(theme_choices())  # retired: out of the filters
        finally:
            theme.name_fr, theme.is_active, territory.name = old_theme, True, old_territory
            db.session.commit()
        assert old_theme in _names(theme_choices())


def test_the_cache_answers_without_a_query(app, db):
    from sqlalchemy import event

    statements = []
    with app.test_request_context():
        theme_choices(), territory_choices()

        def record(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            theme_choices(), territory_choices()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert statements == []
