"""Personal fields for display, read from the sealed events with the subject's key.

Views never hold personal data (ADR 0006/0007); commands that show names, notes or plan
text read them here, per subject, and get None (and ``redacted``) once a contact was
forgotten, or ``unreadable`` for a blob that cannot be opened (ADR 0015).
"""

from __future__ import annotations

import json
from uuid import UUID

from ledger.identity import subject_id
from ledger.keys import read_keys
from ledger.vocabulary import PERSONAL_FIELDS, TOPIC_TYPES


def personal_fields(db, handles: list[str], *, registration_only: bool = False) -> dict[str, dict]:
    """Event id -> its personal fields, for every event of the given subjects (or only their
    registration, which holds name and title)."""
    found: dict[str, dict] = {}
    only = " AND originator_version=1" if registration_only else ""
    keys = read_keys(db)
    for handle in handles:
        sid = subject_id(handle)
        for version, topic, raw in db.query(f"SELECT originator_version, topic, state FROM {db.events} "
                                            f"WHERE originator_id=?{only}", (db.stream(sid),)):
            _open(found, keys, sid, version, topic, raw)
    return found


def records_fields(db, records: list[dict], handles: list[str]) -> dict[str, dict]:
    """Event id -> personal fields, for the subjects' events and for the records on other
    subjects' streams (interactions naming one of them among several contacts, ADR 0017)."""
    found = personal_fields(db, handles)
    keys = read_keys(db)
    for r in records:
        if r["handle"] in handles or r["id"] in found:
            continue
        for stream, version in db.query("SELECT originator_id, originator_version FROM event_ids WHERE id=?", (r["id"],)):
            sid = UUID(str(stream))
            for topic, raw in db.query(f"SELECT topic, state FROM {db.events} WHERE originator_id=? AND "
                                       "originator_version=?", (db.stream(sid), version)):
                _open(found, keys, sid, version, topic, raw)
    return found


def _open(found: dict, keys, sid: UUID, version: int, topic: str, raw) -> None:
    fields = PERSONAL_FIELDS.get(TOPIC_TYPES.get(topic.rpartition(":")[2], ""), ())
    try:
        state = json.loads(raw if isinstance(raw, str) else bytes(raw))
        found[str(state["id"])] = keys.open(sid, version, state, fields)
    except (ValueError, KeyError, TypeError):
        pass  # not even JSON: the views skipped it too; 'verify' names it
