"""`flask --app wsgi retention run [--dry-run]`, `flask --app wsgi erasures reapply`,
`flask --app wsgi erasures erase USER_ID`."""

from pathlib import Path

import click
from flask import current_app

from ideas.accounts.models import User
from ideas.extensions import db
from ideas.privacy import erasure, retention


@click.group("retention")
def retention_cli() -> None:
    """Delete personal data past its retention period (config.py, RETENTION_*)."""


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Count what is due, delete nothing.")
def run_command(dry_run: bool) -> None:
    """Purge (or anonymise) what is past its period; running it again purges nothing more."""
    total = 0
    verb = "due" if dry_run else "purged"
    for outcome in retention.run(dry_run=dry_run, commit=db.session.commit):
        period = f"{outcome.days} d" if outcome.days else "kept (0)"
        click.echo(f"  {outcome.label:<45} {period:>10}  {outcome.count:>7} {verb}")
        total += outcome.count
    click.echo(f"Retention: {total} row(s) {verb}." if total
               else "Retention: nothing past its period.")


@click.group("erasures")
def erasures_cli() -> None:
    """Erased accounts (RGPD): erase one, or erase again those a restored backup brought back."""


@erasures_cli.command("erase")
@click.argument("user_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(user_id: int, yes: bool) -> None:
    """Erase one account (as the admin page does): irreversible."""
    user = db.session.get(User, user_id)
    if user is None:
        raise click.ClickException(f"No account {user_id}.")
    if user.is_erased:
        click.echo(f"Account {user_id} was erased already.")
        return
    if not yes:
        click.confirm(f"Erase account {user_id} ({user.email})? This cannot be undone",
                      abort=True)
    erasure.erase_account(user)
    db.session.commit()
    click.echo(f"Account {user_id} erased.")


@erasures_cli.command("reapply")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The erasure log (default: ERASURE_LOG).")
def reapply_command(log_path: Path | None) -> None:
    """After restoring a backup: erase again every account the erasure log lists."""
    path = log_path or Path(current_app.config["ERASURE_LOG"])
    if not path.exists():
        raise click.ClickException(f"No erasure log at {path}.")
    erased, unchanged, skipped = erasure.reapply_erasures(path)
    db.session.commit()
    click.echo(f"Erasures: {erased} account(s) erased again, {unchanged} already erased or "
               f"absent, {skipped} skipped (the id now belongs to another account).")
    if skipped:
        raise SystemExit(1)
