"""`flask --app wsgi dashboard rebuild-activity`: recompute the daily activity aggregates from
the events (after a bulk load that bypassed nothing but should be checked, or a restore)."""

import sys

import click
from flask import Flask

from ideas.dashboard import daily
from ideas.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(dashboard_group)


@click.group("dashboard")
def dashboard_group() -> None:
    """Management dashboard: its precomputed activity figures."""


@dashboard_group.command("rebuild-activity")
def rebuild_activity_command() -> None:
    """Recompute every day's ideas, comments, supports and active agents (progress bar)."""
    with click.progressbar(length=len(daily.history_days(db.session)), label="Days",
                           file=sys.stderr) as bar:
        count = daily.rebuild(bar.update)
    db.session.commit()
    click.echo(f"{count} days recomputed.")
