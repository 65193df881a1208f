"""Bulk loading for the scale seed and the benchmarks: Core `executemany` in batches, on a
connection of its own (the session's search hooks would index row by row), then what a loaded
database needs before it is measured (sequences, statistics, WAL checkpoint)."""

from collections.abc import Iterable

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import Connection, Engine, make_url

BATCH = 10_000


def insert_rows(connection: Connection, table, rows: Iterable[dict], batch: int = BATCH) -> int:
    """INSERT every row, `batch` rows per executemany; returns the number inserted."""
    statement, chunk, count = insert(table), [], 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            connection.execute(statement, chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        connection.execute(statement, chunk)
        count += len(chunk)
    return count


def prepare(connection: Connection) -> None:
    """SQLite: no fsync per commit and a large page cache while loading (the data can be
    loaded again; the database file is never left inconsistent, only not durable)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB
    else:
        connection.exec_driver_sql("SET synchronous_commit = off")


def finish(engine: Engine, tables_with_ids: Iterable[str]) -> None:
    """After explicit ids: move PostgreSQL's sequences past them. Then what autovacuum or
    `ANALYZE` would do after a load: planner statistics (and, on PostgreSQL, the visibility
    map that lets index-only scans skip the table); SQLite folds its WAL back."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in tables_with_ids:
                highest = select(func.max(table.c.id)).scalar_subquery()
                connection.execute(select(func.setval(
                    func.pg_get_serial_sequence(table.name, "id"),
                    func.greatest(highest, 1))))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def recreate_postgres_database(url: str) -> None:
    """DROP and CREATE the database named in `url` (benchmarks only: a scratch database)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
