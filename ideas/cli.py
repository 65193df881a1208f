"""Command-line tools: `flask --app wsgi create-user|seed-reference|seed-demo|seed-scale|
import-ideas|import-services`, and the groups of each domain (search, dashboard…)."""

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext

from ideas.accounts import services as accounts
from ideas.accounts.models import Role
from ideas.backup import backup_command, restore_command
from ideas.dashboard.cli import register as register_dashboard_cli
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.import_files import error_lines
from ideas.notifications.cli import notifications_cli
from ideas.offer.cli import import_services_command
from ideas.privacy.cli import erasures_cli, retention_cli
from ideas.scale.cli import seed_scale_command
from ideas.search.cli import register as register_search_cli


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_reference_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_scale_command)
    app.cli.add_command(import_ideas_command)
    app.cli.add_command(import_services_command)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(retention_cli)
    app.cli.add_command(erasures_cli)
    register_search_cli(app)
    register_dashboard_cli(app)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.AGENT.value,
              show_default=True)
@click.option("--name", "display_name", default="", help="Nom affiché (display name).")
@click.option("--password", default=None,
              help="Omit it to be prompted (hidden, with confirmation).")
def create_user(email: str, role: str, display_name: str, password: str | None) -> None:
    """Create an account (agent, manager or admin)."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email, display_name, password, role=Role(role))
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@click.command("seed-reference")
def seed_reference_command() -> None:
    """Load or refresh territories and themes (idempotent)."""
    from ideas.reference.seed import seed_reference

    territories, themes = seed_reference()
    db.session.commit()
    click.echo(f"{territories} territories, {themes} themes.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
def seed_demo_command(if_empty: bool) -> None:
    """Load French demo data: reference lists, demo accounts, communities."""
    from ideas.demo import DEMO_PASSWORD, seed_demo

    if if_empty and db.session.scalar(db.select(db.func.count()).select_from(
            accounts.User)):
        click.echo("Database already has accounts: demo data not loaded.")
        return
    logins = seed_demo(progress=click.progressbar)
    db.session.commit()
    click.echo(f"\nDemo logins (password: {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<12} {email}")


@click.command("import-ideas")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--create-missing", is_flag=True,
              help="Create the unknown communities (open) and authors (invited accounts) "
                   "instead of refusing their rows.")
@click.option("--dry-run", is_flag=True, help="Check and simulate the import; write nothing.")
def import_ideas_command(file: Path, create_missing: bool, dry_run: bool) -> None:
    """Import ideas from a CSV (`,` or `;`) or JSON Lines file: every row, or none."""
    from ideas.ideation import importer

    try:
        report = importer.import_file(file, create_missing=create_missing,
                                      progress=click.progressbar)
    except Exception:
        db.session.rollback()
        raise
    if report.ignored_columns:
        click.echo(_("Colonnes ignorées : %(columns)s.",
                     columns=", ".join(report.ignored_columns)), err=True)
    if report.errors:
        db.session.rollback()
        for line in error_lines(report.errors):
            click.echo(line, err=True)
        raise SystemExit(1)
    # Read before the transaction ends: a rollback (--dry-run) leaves these rows detached.
    created = [_("Communauté créée : %(name)s", name=c.name) for c in report.new_communities]
    created += [_("Compte invité créé : %(email)s", email=u.email) for u in report.new_accounts]
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        importer.after_import(report.created)
    for line in created:
        click.echo(line)
    click.echo(ngettext("%(num)d idée importée", "%(num)d idées importées",
                        len(report.created)) + ", " +
               ngettext("%(num)d déjà importée (ignorée).", "%(num)d déjà importées (ignorées).",
                        report.already_imported))
    if dry_run:
        click.echo(_("Simulation (--dry-run) : rien n'a été enregistré."))
