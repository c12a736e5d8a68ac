"""Ledger statistics straight from SQLite, without loading the event machinery."""

from __future__ import annotations

import sqlite3

from ledger.vocabulary import TOPIC_TYPES



def ledger_stats(location: str | None) -> dict[str, int]:
    """Events by type (all zero when the ledger has not been created)."""
    counts = dict.fromkeys(TOPIC_TYPES.values(), 0)
    if location is None:
        return counts
    from ledger.bootstrap import check_ledger_file, open_database

    check_ledger_file(location)
    db = open_database(location)
    try:
        rows = db.query(f"SELECT topic, COUNT(*) FROM {db.events} GROUP BY topic")
    except sqlite3.OperationalError:
        rows = []  # created but empty: no tables yet
    finally:
        db.close()
    for topic, n in rows:
        counts[TOPIC_TYPES.get(topic.rpartition(":")[2], "other")] = n
    return counts
