"""`flask --app wsgi import-services FILE`: register the whole offer from a spreadsheet."""

from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from ideas.extensions import db
from ideas.import_files import error_lines


@click.command("import-services")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and simulate the import; write nothing.")
def import_services_command(file: Path, dry_run: bool) -> None:
    """Import services of the offer from a CSV (`,` or `;`) or JSON Lines file: every row,
    or none."""
    from ideas.offer import importer

    try:
        report = importer.import_file(file, progress=click.progressbar)
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
    created = len(report.created)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(ngettext("%(num)d service importé", "%(num)d services importés", created) + ", "
               + ngettext("%(num)d déjà importé (ignoré).", "%(num)d déjà importés (ignorés).",
                          report.already_imported))
    if dry_run:
        click.echo(_("Simulation (--dry-run) : rien n'a été enregistré."))
