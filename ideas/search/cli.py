"""`flask --app wsgi search rebuild|check [--fix]`: the database is the source of truth."""

import sys

import click
from flask import Flask, current_app

from ideas.extensions import db
from ideas.search.registry import get_backend


def register(app: Flask) -> None:
    app.cli.add_command(search_group)


@click.group("search")
def search_group() -> None:
    """Search index: rebuild it from the database, check and repair drift."""


@search_group.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the whole index from the database (progress bar)."""
    backend = get_backend()
    click.echo(f"Rebuilding the {backend.name} search index…")
    with db.engine.begin() as connection:
        from ideas.search.documents import count_ideas

        total = count_ideas(connection)
        with click.progressbar(length=total, label="Ideas", file=sys.stderr) as bar:
            seen = {"done": 0}

            def progress(done: int, _total: int) -> None:
                bar.update(done - seen["done"])
                seen["done"] = done

            count = backend.rebuild(connection, progress)
        from ideas.search import queue

        queue.clear(connection)  # everything queued is in the fresh index
    click.echo(f"{count} ideas indexed.")


@search_group.command("check")
@click.option("--fix", is_flag=True, help="Index what is missing or stale, remove orphans.")
def check_command(fix: bool) -> None:
    """Compare the index with the database; exit 1 when they differ (after --fix: when they
    still differ)."""
    backend = get_backend()
    with db.engine.begin() as connection:
        report = backend.check(connection, fix=fix)
    click.echo(f"{backend.name} index: {report.summary()}")
    for label, ids in (("missing", report.missing), ("stale", report.stale),
                       ("orphans", report.orphans)):
        if ids:
            shown = ", ".join(str(i) for i in ids[:20])
            click.echo(f"  {label}: {shown}{' …' if len(ids) > 20 else ''}")
    if report.fixed:
        with db.engine.begin() as connection:
            after = backend.check(connection)
        click.echo(f"after repair: {after.summary()}")
        if after.has_drift:
            sys.exit(1)
        click.echo("The index agrees with the database.")
        return
    if report.has_drift:
        current_app.logger.warning("search index drift: %s", report.summary())
        sys.exit(1)
    click.echo("The index agrees with the database.")
