"""eventsourcing's PostgreSQL application recorder plus the ledger's side tables.

Imported only for PostgreSQL ledgers (by topic, through APPLICATION_RECORDER_TOPIC).
The chain rows are written after the events' insert, in the same transaction, while
eventsourcing's EXCLUSIVE lock on the events table serialises writers, so the chain
follows notification order with concurrent writers too.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL

from ledger.chain import CHAIN_TABLE
from ledger.recorder import SIDE_TABLES, LedgerRecorderMixin, index_rows

CHAIN_POSTGRES = f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position BIGINT PRIMARY KEY, seq BIGINT NOT NULL, digest BYTEA NOT NULL)"


class LedgerPostgresRecorder(LedgerRecorderMixin, PostgresApplicationRecorder):
    """Stored events plus the event-id index and the chain, in the same transaction."""

    P = "%s"
    POSITION = "notification_id"
    stream_param = staticmethod(lambda stream: stream)  # a uuid column

    def __init__(self, datastore: Any, **kwargs: Any):
        super().__init__(datastore, **kwargs)
        side = [s.replace(" WITHOUT ROWID", "").replace("BLOB", "BYTEA") for s in SIDE_TABLES] + [CHAIN_POSTGRES]
        self.sql_create_statements += [SQL(s) for s in side]

    def _insert_events(self, curs: Any, stored_events: Any, **kwargs: Any) -> None:
        if kwargs.get("named"):  # before the insert: an error after it would not stop eventsourcing's commit
            self._lock_table(curs)  # the writers' lock, taken now (again later: a no-op), so the check holds
            self._check_named(curs, stored_events, kwargs["named"])
        self.take_turn(curs, kwargs.get("turn"))
        if refs := index_rows(stored_events):
            curs.executemany("INSERT INTO event_ids VALUES (%s, %s, %s, %s, %s)", refs)

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Any, **kwargs: Any) -> Any:
        notification_ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        self._chain(curs, list(notification_ids), stored_events)  # the table lock is still held
        return notification_ids

    @contextmanager
    def write_locked(self) -> Iterator[Any]:
        """A transaction holding the events table's EXCLUSIVE lock, as writers take it."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(f"LOCK TABLE {self.events_table_name} IN EXCLUSIVE MODE")
            yield curs
