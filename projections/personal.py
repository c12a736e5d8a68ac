"""Personal fields for display, read from the sealed events with the contact's key.

Views never hold personal data (ADR 0006/0007); commands that show names or notes read
them here, per subject, and get None (and ``redacted``) once a contact was forgotten.
"""

from __future__ import annotations

import json

from ledger.identity import subject_id
from ledger.keys import unseal
from ledger.vocabulary import PERSONAL_FIELDS, TOPIC_TYPES


def personal_fields(db, handles: list[str], *, registration_only: bool = False) -> dict[str, dict]:
    """Event id -> its personal fields, for every event of the given subjects (or only their
    registration, which holds name and title)."""
    found: dict[str, dict] = {}
    only = " AND originator_version=1" if registration_only else ""
    for handle in handles:
        sid = subject_id(handle)
        keys = db.query("SELECT key FROM contact_keys WHERE originator_id=?", (sid.hex,))
        key_row = (bytes(keys[0][0]),) if keys and keys[0][0] is not None else None
        for topic, raw in db.query(f"SELECT topic, state FROM {db.events} WHERE originator_id=?{only}", (db.stream(sid),)):
            fields = PERSONAL_FIELDS.get(TOPIC_TYPES.get(topic.rpartition(":")[2], ""), ())
            state = json.loads(bytes(raw))
            found[state["id"]] = _open(state, fields, key_row)
    return found


def _open(state: dict, fields: tuple[str, ...], key_row: tuple | None) -> dict:
    if "_sealed" not in state:
        return {f: state.get(f) for f in fields}
    if key_row and key_row[0]:
        return unseal(key_row[0], state["_sealed"])
    return {**dict.fromkeys(fields), "redacted": True}
