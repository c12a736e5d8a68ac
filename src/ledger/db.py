"""A thin database handle for the read side, over sqlite3 or libpq (PostgreSQL; psycopg without it).

The views, the personal-field reader and the statistics write one SQL dialect (``?``
placeholders, ``INSERT ... ON CONFLICT``, which SQLite 3.24+ and PostgreSQL share); this
module adapts the placeholders, names the events table and its position column, and takes
the write lock for a catch-up batch.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator
from uuid import UUID


class SQLiteDB:
    """The ledger's SQLite file."""

    events = "stored_events"
    position = "rowid"
    id_type = "INTEGER"  # INTEGER PRIMARY KEY is the rowid itself: no separate index

    def __init__(self, location: str, *, read_only: bool = False):
        import sqlite3
        from urllib.parse import quote

        self.read_only = read_only  # immutable: nothing written, no lock or -shm file needed (a read-only mount)
        target = f"file:{quote(location)}?immutable=1" if read_only else location
        self.conn = sqlite3.connect(target, isolation_level=None, timeout=30, uri=read_only)
        # 8 MB: large catch-ups run without indexes (ViewStore.BULK), so a bigger cache
        # buys nothing and would only grow a rebuild's memory with the size of the ledger.
        self.conn.execute("PRAGMA cache_size=-8192")

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def run(self, sql: str, params: tuple | list = ()) -> None:
        self.conn.execute(sql, params)

    def iterate(self, sql: str, params: tuple | list = ()) -> Iterator[tuple]:
        """The rows one at a time, never all in memory (no other statement on this handle meanwhile)."""
        yield from self.conn.execute(sql, params)

    def run_many(self, sql: str, rows: list) -> None:
        self.conn.executemany(sql, rows)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """A write transaction, with the lock taken before reading (BEGIN IMMEDIATE)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @staticmethod
    def stream(subject: UUID) -> Any:
        return subject.hex

    def exists(self, name: str) -> bool:
        """Whether a table or index of that name exists."""
        return bool(self.query("SELECT 1 FROM sqlite_master WHERE name=?", (name,)))

    def exist(self, names: tuple[str, ...]) -> bool:
        """Whether every one of these tables and indexes exists."""
        return all(self.exists(name) for name in names)

    def close(self) -> None:
        self.conn.close()


class PostgresDB:
    """A PostgreSQL ledger database (eventsourcing names its tables after the application),
    through libpq directly when it loads (``ledger.libpq``: no psycopg import), else psycopg."""

    events = "relledger_events"
    position = "notification_id"
    id_type = "BIGINT"

    def __init__(self, conninfo: str):
        from ledger import libpq

        lib = libpq.load()
        if lib is not None:
            self.conn, self._pq = libpq.Connection(lib, conninfo), libpq
            return
        import psycopg

        self.conn, self._pq = psycopg.connect(conninfo, autocommit=True, connect_timeout=5), None

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        if self._pq:
            return self.conn.execute(self._pq.placeholders(sql), params)
        with self.conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []

    def run(self, sql: str, params: tuple | list = ()) -> None:
        if self._pq:
            self.conn.execute(self._pq.placeholders(sql), params)
        else:
            self.conn.execute(sql.replace("?", "%s"), params)

    def iterate(self, sql: str, params: tuple | list = (), chunk: int = 2000) -> Iterator[tuple]:
        """The rows ``chunk`` at a time through a server-side cursor, never all in memory (no
        other statement on this handle meanwhile)."""
        with self.conn.transaction():
            self.run(f"DECLARE relledger_rows NO SCROLL CURSOR FOR {sql}", params)
            while rows := self.query(f"FETCH {int(chunk)} FROM relledger_rows"):
                yield from rows

    def run_many(self, sql: str, rows: list) -> None:
        if self._pq:  # statements with their values inlined, 200 a round trip
            for start in range(0, len(rows), 200):
                self.conn.script(";\n".join(self._pq.inline(self.conn, sql, row) for row in rows[start:start + 200]))
        elif rows:
            with self.conn.cursor() as cur:
                cur.executemany(sql.replace("?", "%s"), rows)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """A transaction holding an exclusive lock on the view positions."""
        with self.conn.transaction():
            self.run("LOCK TABLE view_positions IN EXCLUSIVE MODE")
            yield

    @staticmethod
    def stream(subject: UUID) -> Any:
        return subject

    def exists(self, name: str) -> bool:
        """Whether a table or index of that name exists."""
        return self.query("SELECT to_regclass(?) IS NOT NULL", (name,))[0][0]

    def exist(self, names: tuple[str, ...]) -> bool:
        """Whether every one of these tables and indexes exists (one round trip)."""
        found = self.query("SELECT COUNT(*) FROM unnest(?::text[]) AS n WHERE to_regclass(n) IS NOT NULL",
                           ("{" + ",".join(names) + "}",) if self._pq else (list(names),))
        return found[0][0] == len(names)

    def close(self) -> None:
        self.conn.close()
