"""eventsourcing's PostgreSQL application recorder plus the ledger's side tables.

Imported only for PostgreSQL ledgers (by topic, through APPLICATION_RECORDER_TOPIC).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL

from ledger.recorder import SIDE_TABLES, LedgerRecorderMixin, index_rows


class LedgerPostgresRecorder(LedgerRecorderMixin, PostgresApplicationRecorder):
    """Stored events plus the event-id index, in the same transaction."""

    P = "%s"

    def __init__(self, datastore: Any, **kwargs: Any):
        super().__init__(datastore, **kwargs)
        self.sql_create_statements += [SQL(s.replace(" WITHOUT ROWID", "").replace("BLOB", "BYTEA")) for s in SIDE_TABLES]

    def _insert_events(self, curs: Any, stored_events: Any, **kwargs: Any) -> None:
        if refs := index_rows(stored_events):
            curs.executemany("INSERT INTO event_ids VALUES (%s, %s, %s, %s, %s)", refs)
