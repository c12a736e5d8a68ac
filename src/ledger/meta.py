"""A ledger's metadata: one small table written when the ledger is created, never an event.

``relledger_meta`` holds the evidence rules version a new ledger starts on (ADR 0013), so a
new ledger starts on the newest rules without writing an event (its event counts and
exports stay as they were), while ledgers created before the table existed stay on
version 1 until someone adopts newer rules.
"""

from __future__ import annotations

TABLE = "relledger_meta"
_CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_SET = f"INSERT INTO {TABLE} VALUES (?, ?) ON CONFLICT (key) DO NOTHING"


def mark_created(location: str) -> None:
    """Record, for a ledger just created, the rules version it starts on."""
    from ledger.bootstrap import open_database
    from ledger.rules import NEWEST

    db = open_database(location)
    try:
        for attempt in range(3):  # two first writers creating the table at once on PostgreSQL: the loser retries
            try:
                db.run(_CREATE)
                db.run(_SET, ("rules_version", str(NEWEST)))
                return
            except Exception:
                if attempt == 2 or not db.exists(TABLE):
                    raise
    finally:
        db.close()


def starting_rules(db) -> int:
    """The rules version the ledger started on: 1 for ledgers created before version 2."""
    if not db.exists(TABLE):
        return 1
    rows = db.query(f"SELECT value FROM {TABLE} WHERE key='rules_version'")
    if not rows:
        return 1
    value = rows[0][0]
    if not (isinstance(value, str) and value.isdigit()):
        from ledger.errors import LedgerLocationError

        raise LedgerLocationError(f"ledger: its metadata is damaged ({TABLE}.rules_version is {value!r}, "
                                  "not a version number); restore the database from a backup")
    return int(value)
