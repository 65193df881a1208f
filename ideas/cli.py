"""Command-line tools: `flask --app wsgi create-user|seed-reference|seed-demo`."""

import click
from flask import Flask

from ideas.accounts import services as accounts
from ideas.accounts.models import Role
from ideas.errors import DomainError
from ideas.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_reference_command)
    app.cli.add_command(seed_demo_command)


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
