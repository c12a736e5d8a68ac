"""The SQLite recorder's batched insert: notification ids must be the rows' own rowids."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from ledger import events as ev
from ledger.bootstrap import open_ledger
from ledger.identity import subject_id

NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def account(handle: str) -> ev.AccountRegistered:
    return ev.AccountRegistered(originator_id=subject_id(handle), originator_version=1, timestamp=NOW,
                                id=f"id-{handle}", handle=handle, occurred_at=NOW, recorded_by="t", name=handle)


def test_a_batch_returns_the_notification_ids_its_rows_were_given(tmp_path):
    app = open_ledger(str(tmp_path / "l.db"), "t", create=True)
    first = app.recorder.insert_events([app.mapper.to_stored_event(account(h)) for h in ("a", "b")])
    second = app.recorder.insert_events([app.mapper.to_stored_event(account(h)) for h in ("c", "d", "e")])
    app.close()
    with sqlite3.connect(tmp_path / "l.db") as conn:
        rowids = dict(conn.execute("SELECT originator_id, rowid FROM stored_events"))
    assert first == [rowids[subject_id(h).hex] for h in ("a", "b")]
    assert second == [rowids[subject_id(h).hex] for h in ("c", "d", "e")]
    assert second[0] == first[-1] + 1
