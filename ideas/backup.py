"""`flask --app wsgi backup DEST` and `restore SRC` (README, "Sauvegarde et restauration").

A backup is a directory:
- `database.sqlite3` (SQLite's online backup API: one consistent copy while the app writes,
  readers and writers undisturbed in WAL mode) or `database.dump` (`pg_dump -Fc`, run in a
  snapshot exported by our own transaction, so the dump and the checksums see the same data);
- `manifest.json`: the Alembic revision, and for each table its row count and a SHA-256 of its
  rows, computed from that same consistent data;
- `secret_key`: the SECRET_KEY in force (sessions, unsubscribe and reset links stay valid on
  the restored instance once it is configured with it).
The directory is created 0700 and its files 0600: it holds everything, password hashes
included. The search index is not in it: `restore` rebuilds it from the restored database.

`restore` loads the backup into an empty database (the instance's DATABASE_URL), checks every
table's count and checksum against the manifest, rebuilds the search index, and exits 1 if
anything differs.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import create_engine, inspect, make_url, text

from ideas.extensions import db
from ideas.utils import utcnow

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
SECRET_FILE = "secret_key"  # noqa: S105 - a file name


class BackupError(click.ClickException):
    pass


@dataclass
class TableSum:
    rows: int
    sha256: str


def table_sums(connection) -> dict[str, TableSum]:
    """Each table's row count and a SHA-256 of its rows in primary-key order (values as text)."""
    inspector = inspect(connection)
    sums = {}
    for table in sorted(inspector.get_table_names()):
        order = inspector.get_pk_constraint(table).get("constrained_columns") or [
            column["name"] for column in inspector.get_columns(table)]
        digest, count = hashlib.sha256(), 0
        columns = ", ".join(f'"{c}"' for c in order)  # names from the inspector, not input
        result = connection.execution_options(stream_results=True).execute(
            text(f'SELECT * FROM "{table}" ORDER BY {columns}'))  # noqa: S608
        for row in result:
            digest.update(repr(tuple(str(value) for value in row)).encode())
            count += 1
        sums[table] = TableSum(count, digest.hexdigest())
    return sums


def _kind(url) -> str:
    backend = make_url(str(url)).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"unsupported database: {backend}")
    return backend


def _libpq(url) -> tuple[str, dict]:
    """A libpq URI for pg_dump/pg_restore, the password passed in the environment."""
    url = make_url(str(url))
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _revision(connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def _private_dir(path: Path) -> None:
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"{path} exists and is not empty")
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


def _write_private(path: Path, content: str) -> None:
    path.write_text(content)
    path.chmod(0o600)


def backup(destination: Path) -> dict:
    """Write a consistent backup of the app's database into `destination` (a new directory)."""
    url = db.engine.url
    kind = _kind(url)
    _private_dir(destination)
    if kind == "sqlite":
        target_path = destination / SQLITE_FILE
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)  # all pages in one step: one consistent read snapshot
        finally:
            target.close()
            source.close()
        target_path.chmod(0o600)
        copy = create_engine(f"sqlite:///{target_path}")
        with copy.connect() as connection:
            sums, revision = table_sums(connection), _revision(connection)
        copy.dispose()
    else:
        uri, env = _libpq(url)
        # Our REPEATABLE READ transaction exports its snapshot: pg_dump reads exactly it.
        with db.engine.connect().execution_options(
                isolation_level="REPEATABLE READ") as connection, connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            sums, revision = table_sums(connection), _revision(connection)
            dump = destination / POSTGRES_FILE
            completed = subprocess.run(  # noqa: S603 - fixed arguments, our own URL
                ["pg_dump",  # noqa: S607 - the PostgreSQL client on PATH
                 "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={dump}", uri],
                env=env, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
        dump.chmod(0o600)
    manifest = {
        "format": FORMAT, "database": kind, "created_at": utcnow().isoformat() + "Z",
        "alembic_revision": revision,
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()},
    }
    _write_private(destination / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    _write_private(destination / SECRET_FILE, current_app.config["SECRET_KEY"] + "\n")
    return manifest


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup ({MANIFEST}: {error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(source: Path) -> tuple[dict, list[str]]:
    """Load the backup into the app's (empty) database; returns the manifest and the tables
    whose count or checksum differ (empty: an exact copy)."""
    manifest = _read_manifest(source)
    url = db.engine.url
    kind = _kind(url)
    if manifest["database"] != kind:
        raise BackupError(f"this backup is of {manifest['database']}, the instance uses {kind}")
    with db.engine.connect() as connection:
        existing = inspect(connection).get_table_names()
    if existing:
        raise BackupError("the instance's database is not empty "
                          f"({len(existing)} tables): restore into a fresh database")
    db.engine.dispose()
    if kind == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        source_db = sqlite3.connect(source / SQLITE_FILE)
        target = sqlite3.connect(url.database)
        try:
            source_db.backup(target)
        finally:
            target.close()
            source_db.close()
    else:
        uri, env = _libpq(url)
        completed = subprocess.run(  # noqa: S603 - fixed arguments, our own URL
            ["pg_restore",  # noqa: S607 - the PostgreSQL client on PATH
             "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={uri}", str(source / POSTGRES_FILE)],
            env=env, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise BackupError(f"pg_restore failed: {completed.stderr.strip()}")
    with db.engine.connect() as connection:
        sums = table_sums(connection)
    expected = manifest["tables"]
    differences = [
        f"{name}: {sums[name].rows if name in sums else 'missing'} rows "
        f"(backup: {expected[name]['rows'] if name in expected else 'none'})"
        for name in sorted(expected.keys() | sums.keys())
        if name not in sums or name not in expected
        or (sums[name].rows, sums[name].sha256) != (expected[name]["rows"],
                                                     expected[name]["sha256"])]
    return manifest, differences


def _code_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(current_app.extensions["migrate"].directory).get_current_head()


def rebuild_search_index() -> int:
    from ideas.search import queue
    from ideas.search.registry import get_backend

    backend = get_backend()
    with db.engine.begin() as connection:
        count = backend.rebuild(connection)
        queue.clear(connection)
    return count


@click.command("backup")
@click.argument("destination", type=click.Path(path_type=Path))
def backup_command(destination: Path) -> None:
    """Back up the database (consistent while the app runs) into DESTINATION, a new directory."""
    manifest = backup(destination)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"Backup of {manifest['database']} (revision {manifest['alembic_revision']}): "
               f"{len(manifest['tables'])} tables, {rows} rows, in {destination}")
    click.echo("It holds every account and the SECRET_KEY: keep it as secret as the database.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(source: Path) -> None:
    """Restore a backup into this instance's empty database, check it, rebuild the search
    index."""
    manifest, differences = restore(source)
    if differences:
        for line in differences:
            click.echo(f"  differs: {line}", err=True)
        raise BackupError("the restored data differs from the backup's manifest")
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"Restored {len(manifest['tables'])} tables, {rows} rows: counts and checksums "
               "equal the backup's.")
    head = _code_head()
    current = not head or manifest["alembic_revision"] == head
    erasure_log = Path(current_app.config["ERASURE_LOG"])
    if erasure_log.exists() and current:
        # RGPD: accounts erased after this backup are back in it; erase them again at once,
        # before the index is rebuilt from the data.
        _reapply_erasures(erasure_log)
    click.echo(f"Search index rebuilt: {rebuild_search_index()} ideas.")
    secret = (source / SECRET_FILE).read_text().strip() if (source / SECRET_FILE).exists() else ""
    if secret and secret != current_app.config["SECRET_KEY"]:
        click.echo(f"Set SECRET_KEY to the backup's (in {source / SECRET_FILE}) so that sessions "
                   "and links sent before the backup keep working.")
    if not current:
        click.echo(f"The backup is at revision {manifest['alembic_revision']}, this code at "
                   f"{head}: run `flask --app wsgi db upgrade`.")
        if erasure_log.exists():
            click.echo(f"Then run `flask --app wsgi erasures reapply` (log {erasure_log}) "
                       "before opening the service: accounts erased since the backup are back.")


def _reapply_erasures(erasure_log: Path) -> None:
    from ideas.privacy.erasure import reapply_erasures

    erased, unchanged, skipped = reapply_erasures(erasure_log)
    db.session.commit()
    click.echo(f"Erasure log {erasure_log}: {erased} account(s) erased again, {unchanged} "
               f"already erased or absent, {skipped} skipped (the id is another account's now).")
    if skipped:
        click.echo("Check the skipped accounts by hand (see the warnings above).", err=True)
