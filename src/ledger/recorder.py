"""eventsourcing's SQLite application recorder, plus the ledger's side tables.

``event_ids`` maps every event id (generated or a user's ``--id`` key) to its stream
position, filled in the same transaction as the events, so ids are unique across the
ledger and resolvable without a projection. ``event_chain`` holds each event's chained
digest (ADR 0015), also written in that transaction. ``contact_keys`` holds the
per-subject keys (wrapped by the ledger key), ``ledger_meta`` the ledger's id, its key
check and the migrations done.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, NamedTuple
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.chain import CHAIN_TABLE, StoredRow, chain_rows, last_link, stream_text
from ledger.keys import ERASE_MARK

SIDE_TABLES = [
    "CREATE TABLE IF NOT EXISTS event_ids (id TEXT PRIMARY KEY, originator_id TEXT NOT NULL, "
    "originator_version INTEGER NOT NULL, topic TEXT NOT NULL, digest TEXT) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS contact_keys (originator_id TEXT PRIMARY KEY, key BLOB) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS ledger_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
]
CHAIN_SQLITE = f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position INTEGER PRIMARY KEY, seq INTEGER NOT NULL, digest BLOB NOT NULL)"
CHAINED = "chained"  # the ledger_meta row saying every event is in the chain
TURN = "turn:"  # ledger_meta rows 'turn:NAME:N', one per write that took turn N on NAME
FORGOTTEN_TOPIC = ":ContactForgotten"


class EventRef(NamedTuple):
    """Where an event id points: its stream, position, topic, and idempotency digest."""

    originator_id: UUID
    originator_version: int
    topic: str
    digest: str | None


def index_rows(stored_events: Any) -> list[tuple]:
    """The event_ids rows for stored events that carry an id."""
    return [(s.ref, stream_text(s.originator_id), s.originator_version, s.topic, s.digest)
            for s in stored_events if getattr(s, "ref", None)]


class LedgerRecorderMixin:
    """Queries on the side tables, shared by the SQLite and PostgreSQL recorders."""

    P = "?"  # the driver's placeholder

    def _rows(self, sql: str, params: Any) -> list:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql.replace("?", self.P), params)
            return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in c.fetchall()]

    def select_ref(self, event_id: str) -> EventRef | None:
        """Resolve an event id, or None."""
        rows = self._rows("SELECT originator_id, originator_version, topic, digest FROM event_ids WHERE id=?", (event_id,))
        return EventRef(UUID(rows[0][0]), rows[0][1], rows[0][2], rows[0][3]) if rows else None

    def select_refs(self, event_ids: list[str]) -> dict[str, EventRef]:
        """Resolve many ids at once (those not in the ledger are absent from the result)."""
        found: dict[str, EventRef] = {}
        for start in range(0, len(event_ids), 900):
            chunk = event_ids[start:start + 900]
            rows = self._rows("SELECT id, originator_id, originator_version, topic, digest FROM event_ids "
                              f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            found.update({r[0]: EventRef(UUID(r[1]), r[2], r[3], r[4]) for r in rows})
        return found

    def streams_present(self, streams: list[UUID]) -> set[UUID]:
        """Which of these streams hold events (a query per 500)."""
        found: set[UUID] = set()
        for start in range(0, len(streams), 500):
            chunk = streams[start:start + 500]
            rows = self._rows(f"SELECT originator_id FROM {self.events_table_name} WHERE originator_version=1 AND "
                              f"originator_id IN ({','.join('?' * len(chunk))})", [self.stream_param(s) for s in chunk])
            found.update(r[0] if isinstance(r[0], UUID) else UUID(r[0]) for r in rows)
        return found

    def turns(self, name: str) -> int:
        """How many writes took a turn on ``name`` (see ``take_turn``)."""
        return self._rows("SELECT COUNT(*) FROM ledger_meta WHERE name > ? AND name < ?",
                          (f"{TURN}{name}:", f"{TURN}{name};"))[0][0]

    def take_turn(self, c: Any, turn: tuple[str, int] | None) -> None:
        """Take turn N on a name inside the write transaction: a write whose rules read other
        subjects (a reporting cycle) takes the turn after the last one it saw, so of two writers
        that saw the same turn, the second fails on the primary key and decides again."""
        if turn is not None:
            c.execute(f"INSERT INTO ledger_meta VALUES ({self.P}, '1')", (f"{TURN}{turn[0]}:{turn[1]}",))

    def count_by_topic(self) -> dict[str, int]:
        """How many events of each topic the ledger holds."""
        return dict(self._rows(f"SELECT topic, COUNT(*) FROM {self.events_table_name} GROUP BY topic", ()))

    def meta(self, name: str) -> str | None:
        """A ledger_meta value, or None."""
        rows = self._rows("SELECT value FROM ledger_meta WHERE name=?", (name,))
        return rows[0][0] if rows else None

    def _check_named(self, c: Any, stored_events: Any, named: Any) -> None:
        """Inside the write transaction, under the write lock: no contact an event names
        besides its own subject (several per interaction, ADR 0017) was forgotten, except by
        this batch after naming them. A conflict, as a stream position taken twice is: the
        writer decides the batch again on fresh state, where the rule says what is wrong."""
        if not named:
            return
        streams = sorted({stream_text(s) for s in named})
        own = {(stream_text(s.originator_id), s.originator_version) for s in stored_events
               if s.topic.endswith(FORGOTTEN_TOPIC)}
        for start in range(0, len(streams), 500):
            chunk = streams[start:start + 500]
            c.execute(f"SELECT originator_id, originator_version FROM {self.events_table_name} WHERE originator_id IN "
                      f"({', '.join([self.P] * len(chunk))}) AND topic LIKE {self.P}",
                      [self.stream_param(UUID(s)) for s in chunk] + ["%" + FORGOTTEN_TOPIC])
            rows = [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in c.fetchall()]
            if any((stream_text(r[0]), r[1]) not in own for r in rows):
                raise IntegrityError("a contact named by an interaction was forgotten meanwhile")

    def _chain(self, c: Any, notification_ids: list[int], stored_events: Any) -> None:
        """Append the events' chain rows (the write lock is held), and mark the keys of
        contacts forgotten by these events for erasure, in the same transaction."""
        rows = chain_rows(last_link(c), zip(notification_ids, stored_events))
        c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES ({self.P}, {self.P}, {self.P})", rows)
        self._mark_erasures(c, [s.originator_id for s in stored_events if s.topic.endswith(FORGOTTEN_TOPIC)])

    def _mark_erasures(self, c: Any, subjects: list) -> None:
        """A ledger_meta row per forgotten subject whose key is still there: the key is
        destroyed next (and on the next open, after a crash in between)."""
        if subjects:
            c.executemany(f"INSERT INTO ledger_meta SELECT {self.P}, '1' FROM contact_keys WHERE originator_id={self.P} "
                          "AND key IS NOT NULL ON CONFLICT DO NOTHING",
                          [(ERASE_MARK + stream_text(s), stream_text(s)) for s in subjects])

    def ensure_chained(self) -> int:
        """Chain the events of a ledger written before the chain existed, once, under the
        write lock; returns how many were chained (0 when already done)."""
        if self.meta(CHAINED) is not None:
            return 0
        with self.write_locked() as c:
            c.execute(f"SELECT value FROM ledger_meta WHERE name={self.P}", (CHAINED,))
            if c.fetchone() is not None:
                return 0
            count = self._chain_all(c)
            c.execute(f"INSERT INTO ledger_meta VALUES ({self.P}, {self.P})", (CHAINED, "1"))
        return count

    def _chain_all(self, c: Any, page: int = 5000) -> int:
        """Chain every event not yet chained, from the chain's end, in pages."""
        seq, digest = last_link(c)
        c.execute(f"SELECT COALESCE(MAX(position), 0) FROM {CHAIN_TABLE}")
        start, count = _first(c.fetchone()), 0
        pos = self.POSITION
        while True:
            c.execute(f"SELECT {pos}, originator_id, originator_version, topic, state FROM {self.events_table_name} "
                      f"WHERE {pos} > {self.P} ORDER BY {pos} LIMIT {page}", (start,))
            rows = [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in c.fetchall()]
            if not rows:
                return count
            linked = chain_rows((seq, digest), [(r[0], StoredRow(*r[1:])) for r in rows])
            c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES ({self.P}, {self.P}, {self.P})", linked)
            self._mark_erasures(c, [r[1] for r in rows if r[3].endswith(FORGOTTEN_TOPIC)])
            start, seq, digest = rows[-1][0], linked[-1][1], linked[-1][2]
            count += len(rows)


def _first(row: Any) -> Any:
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


class LedgerSQLiteRecorder(LedgerRecorderMixin, SQLiteApplicationRecorder):
    """Stored events plus the event-id index and the chain, written in one transaction."""

    POSITION = "rowid"
    stream_param = staticmethod(stream_text)  # how a stream id is stored

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + SIDE_TABLES + [CHAIN_SQLITE]

    @contextmanager
    def write_locked(self) -> Iterator[Any]:
        """A transaction holding SQLite's write lock from its start (BEGIN IMMEDIATE)."""
        with self.datastore.get_connection(commit=True) as conn:
            c = conn.cursor()
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def _insert_events(self, c: Any, stored_events: Any, **kwargs: Any) -> Any:
        """One executemany for the events (eventsourcing runs one execute per event to learn
        each rowid); the rowids are consecutive, since the write lock is held and the
        table's rowid is max+1, so the last one gives them all."""
        c.execute("PRAGMA cache_size=-65536")  # 64 MB: bulk writes touch index pages all over
        self.take_turn(c, kwargs.get("turn"))
        c.executemany(self.insert_events_statement, [
            (stream_text(s.originator_id), s.originator_version, s.topic, s.state) for s in stored_events])
        c.execute("SELECT last_insert_rowid()")
        last = c.fetchone()[0]
        notification_ids = list(range(last - len(stored_events) + 1, last + 1))
        if refs := index_rows(stored_events):
            c.executemany("INSERT INTO event_ids VALUES (?, ?, ?, ?, ?)", refs)
        self._chain(c, notification_ids, stored_events)
        self._check_named(c, stored_events, kwargs.get("named"))
        return notification_ids
