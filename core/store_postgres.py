"""PostgreSQL for the store: a small pool of psycopg connections that speaks the store's SQL.

Only ``core.store`` uses this module; it is the one place that imports psycopg. The store's statements
are written once, in SQL both DuckDB and PostgreSQL accept (``ON CONFLICT ... DO UPDATE``, ``= ANY(?)``);
what differs is translated here: ``?`` placeholders become ``%s``, ``BEGIN TRANSACTION`` opens a
REPEATABLE READ transaction, and the migrations' ``BLOB`` is PostgreSQL's ``BYTEA``.

Why a driver and not DuckDB's postgres extension (``python bench/pg_driver_choice.py``, figures in
docs/benchmarks.md: PostgreSQL 15 on this machine, 200 runs each): a read-modify-write transaction (BEGIN,
SELECT, UPDATE, COMMIT) took a median 16 ms through the extension against 3.6 ms through psycopg, a point read
0.67 ms against 0.03 ms; the extension refuses ``ALTER COLUMN ... DROP NOT NULL`` (migration 003: "Postgres
tables only support RENAME TABLE, RENAME COLUMN, ADD COLUMN and DROP COLUMN") and reports PostgreSQL's
serialization failures and lost connections as an untyped ``duckdb.Error`` whose only clue is the message text.
The store's optimistic concurrency needs REPEATABLE READ, where PostgreSQL refuses the second of two
transactions that change the same row ("could not serialize access"), the same refusal DuckDB gives, so the
store's retry loop works unchanged.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.types.string import TextLoader

# Seconds to wait for the server to accept a connection; a stopped server is reported after this.
CONNECT_TIMEOUT_S = 3
_IDLE_CONNECTIONS = 8


class DatabaseFailure(Exception):
    """Any failure PostgreSQL reported; ``str()`` is the server's message."""


class WriteConflict(DatabaseFailure):
    """Another transaction changed the same rows (serialization failure, deadlock, duplicate key): retry."""


class ServerUnreachable(DatabaseFailure):
    """The server could not be reached, or the connection broke. ``during_commit``: the connection broke
    while COMMIT was on its way, so whether the transaction was stored is unknown."""

    def __init__(self, message: str, *, during_commit: bool = False) -> None:
        super().__init__(message)
        self.during_commit = during_commit


class DiskFull(DatabaseFailure):
    """The server's disk is full (SQLSTATE 53100)."""


def is_postgres_target(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


_PLACEHOLDER = re.compile(r"\?")
_BLOB = re.compile(r"\bBLOB\b", re.IGNORECASE)


def translate(sql: str, *, parametrised: bool = True) -> str:
    """The store's SQL as PostgreSQL (and psycopg) take it. Without parameters psycopg sends the text as it
    is (several statements allowed), so ``%`` stays single.

    >>> translate("SELECT value FROM meta WHERE key = ? AND value LIKE 'a%'")
    "SELECT value FROM meta WHERE key = %s AND value LIKE 'a%%'"
    >>> translate("BEGIN TRANSACTION")
    'BEGIN ISOLATION LEVEL REPEATABLE READ'
    >>> translate("CREATE TABLE d (body BLOB NOT NULL)")
    'CREATE TABLE d (body BYTEA NOT NULL)'
    """
    if sql.strip().upper() == "BEGIN TRANSACTION":
        return "BEGIN ISOLATION LEVEL REPEATABLE READ"
    typed = _BLOB.sub("BYTEA", sql)
    return _PLACEHOLDER.sub("%s", typed.replace("%", "%%")) if parametrised else typed


def _classified(error: psycopg.Error, *, committing: bool) -> DatabaseFailure:
    message = str(error).strip() or type(error).__name__
    if isinstance(error, pg_errors.SerializationFailure | pg_errors.DeadlockDetected | pg_errors.UniqueViolation):
        return WriteConflict(message)
    if isinstance(error, pg_errors.DiskFull):
        return DiskFull(message)
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError) and not isinstance(
        error, pg_errors.QueryCanceled | pg_errors.LockNotAvailable
    ):
        # AdminShutdown (a restart), a refused or broken connection: the server is not there for us.
        return ServerUnreachable(message, during_commit=committing)
    return DatabaseFailure(message)


class PgCursor:
    """One pooled connection, with the slice of DuckDB's cursor API the store uses."""

    def __init__(self, pool: PgConnection, connection: psycopg.Connection[Any]) -> None:
        self._pool = pool
        self._connection = connection
        self._cursor: psycopg.Cursor[Any] = connection.cursor()

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> PgCursor:
        statement = translate(sql, parametrised=parameters is not None)
        committing = statement.strip().upper() == "COMMIT"
        try:
            self._cursor.execute(statement, None if parameters is None else list(parameters))
        except psycopg.Error as error:
            raise _classified(error, committing=committing) from error
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self._cursor.executemany(translate(sql), [list(row) for row in rows])
        except psycopg.Error as error:
            raise _classified(error, committing=False) from error

    def fetchone(self) -> tuple[Any, ...] | None:
        row = self._cursor.fetchone()
        return None if row is None else tuple(row)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._cursor.fetchall()]

    @property
    def description(self) -> list[tuple[str]] | None:
        found = self._cursor.description
        return None if found is None else [(column.name,) for column in found]

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Load ``rows`` into ``table`` with COPY (thousands of rows in one round trip)."""
        names = ", ".join(f'"{column}"' for column in columns)
        try:
            with self._cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as error:
            raise _classified(error, committing=False) from error

    def close(self) -> None:
        self._cursor.close()
        self._pool._give_back(self._connection)


class PgConnection:
    """A pool of connections to one PostgreSQL database, shaped like a DuckDB connection for the store.

    ``cursor()`` lends a connection of its own to each caller (a transaction belongs to one connection, and
    the store's threads each take a cursor); ``execute`` runs on a connection kept for the caller that made
    this object (migrations, seeding). A connection that broke, or was left inside a transaction, is closed
    instead of being lent again, so the pool reconnects by itself once the server is back.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._main: PgCursor | None = None
        self._closed = False
        self._give_back(self._connect())  # fail now, with the reason, when the server cannot be used

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            connection = psycopg.connect(
                self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="greenlight"
            )
        except psycopg.Error as error:
            raise _classified(error, committing=False) from error
        # The store parses JSON itself (as it does with DuckDB, which returns it as text).
        connection.adapters.register_loader("json", TextLoader)
        connection.adapters.register_loader("jsonb", TextLoader)
        return connection

    def cursor(self) -> PgCursor:
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        return PgCursor(self, connection or self._connect())

    def _give_back(self, connection: psycopg.Connection[Any]) -> None:
        healthy = not connection.closed and connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with self._lock:
            if healthy and not self._closed and len(self._idle) < _IDLE_CONNECTIONS:
                self._idle.append(connection)
                return
        connection.close()

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> PgCursor:
        if self._main is None:
            self._main = self.cursor()
        try:
            return self._main.execute(sql, parameters)
        except ServerUnreachable:
            self._main.close()
            self._main = None
            raise

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """COPY ``rows`` into ``table`` on the connection ``execute`` uses (inside its transaction)."""
        if self._main is None:
            self._main = self.cursor()
        self._main.copy_rows(table, columns, rows)

    def close(self) -> None:
        if self._main is not None:
            self._main.close()
            self._main = None
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def connect(url: str) -> PgConnection:
    return PgConnection(url)


# DuckDB's types for a CSV column, as PostgreSQL names them (seed catalogues are read with DuckDB's CSV
# sniffer, so both targets hold the same types and the pages get the same Python values).
_POSTGRES_TYPES = {
    "VARCHAR": "TEXT",
    "BIGINT": "BIGINT",
    "INTEGER": "INTEGER",
    "SMALLINT": "SMALLINT",
    "TINYINT": "SMALLINT",
    "HUGEINT": "NUMERIC",
    "DOUBLE": "DOUBLE PRECISION",
    "FLOAT": "REAL",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "TIME": "TIME",
}


def postgres_type(duckdb_type: str) -> str:
    """The PostgreSQL type for a DuckDB column type (TEXT for any other).

    >>> postgres_type("DOUBLE")
    'DOUBLE PRECISION'
    >>> postgres_type("DECIMAL(10,2)")
    'NUMERIC(10,2)'
    """
    if duckdb_type.upper().startswith("DECIMAL"):
        return "NUMERIC" + duckdb_type[len("DECIMAL") :]
    return _POSTGRES_TYPES.get(duckdb_type.upper(), "TEXT")
