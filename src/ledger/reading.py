"""The application on a ledger that cannot be written, for reads of the whole ledger (export).

A read-only SQLite ledger (a read-only mount, or no write permission on the file or its
folder) is opened immutable: nothing is created, migrated, chained or locked, and the
subject keys come from the read side's key store, which counts a contact whose erasure is
pending as forgotten already (so an export never shows what ``forget`` removed).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ledger import bootstrap


def open_read_only(location: str) -> Any:
    """The ledger application on a read-only SQLite file; it answers reads and writes nothing."""
    from ledger.application import Ledger
    from ledger.keys import ReadKeys

    bootstrap.check_ledger_file(location)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": f"file:{quote(location)}?immutable=1",
        "CREATE_TABLE": "no",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorder:LedgerSQLiteRecorder",
    }
    app = Ledger(env=env, user="reader")
    try:
        app.mapper.keys = ReadKeys(_Rows(app.recorder))
    except BaseException:
        app.close()
        raise
    return app


class _Rows:
    """What ``ReadKeys`` asks of a database handle (its queries, the events table and how a
    stream is stored), answered by the recorder."""

    def __init__(self, recorder: Any):
        from ledger.db import SQLiteDB

        self.query = recorder._rows
        self.events, self.stream = recorder.events_table_name, SQLiteDB.stream

    def exists(self, name: str) -> bool:
        return bool(self.query("SELECT 1 FROM sqlite_master WHERE name=?", (name,)))
