"""eventsourcing's SQLite application recorder, plus the ledger's two side tables.

``event_ids`` maps every event id (generated or a user's ``--id`` key) to its stream
position, filled in the same transaction as the events, so ids are unique across the
ledger and resolvable without a projection. ``contact_keys`` holds the per-contact keys.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.sqlite import SQLiteApplicationRecorder

SIDE_TABLES = [
    "CREATE TABLE IF NOT EXISTS event_ids (id TEXT PRIMARY KEY, originator_id TEXT NOT NULL, "
    "originator_version INTEGER NOT NULL, topic TEXT NOT NULL, digest TEXT) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS contact_keys (originator_id TEXT PRIMARY KEY, key BLOB) WITHOUT ROWID",
]


class EventRef(NamedTuple):
    """Where an event id points: its stream, position, topic, and idempotency digest."""

    originator_id: UUID
    originator_version: int
    topic: str
    digest: str | None


def index_rows(stored_events: Any) -> list[tuple]:
    """The event_ids rows for stored events that carry an id."""
    return [(s.ref, s.originator_id.hex, s.originator_version, s.topic, s.digest)
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

    def count_by_topic(self) -> dict[str, int]:
        """How many events of each topic the ledger holds."""
        return dict(self._rows(f"SELECT topic, COUNT(*) FROM {self.events_table_name} GROUP BY topic", ()))


class LedgerSQLiteRecorder(LedgerRecorderMixin, SQLiteApplicationRecorder):
    """Stored events plus the event-id index, written in one transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + SIDE_TABLES

    def _insert_events(self, c: Any, stored_events: Any, **kwargs: Any) -> Any:
        """One executemany for the events (eventsourcing runs one execute per event to learn
        each rowid); the rowids are consecutive, since the write lock is held and the
        table's rowid is max+1, so the last one gives them all."""
        c.execute("PRAGMA cache_size=-65536")  # 64 MB: bulk writes touch index pages all over
        c.executemany(self.insert_events_statement, [
            (s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
             s.originator_version, s.topic, s.state) for s in stored_events])
        c.execute("SELECT last_insert_rowid()")
        last = c.fetchone()[0]
        notification_ids = list(range(last - len(stored_events) + 1, last + 1))
        if refs := index_rows(stored_events):
            c.executemany("INSERT INTO event_ids VALUES (?, ?, ?, ?, ?)", refs)
        return notification_ids
