"""Materialized read models in the ledger's own SQLite file (ADR 0007).

``view_events`` is an anonymous, decoded index of every event (no personal fields), keyed
by notification id and indexed by subject (an account's events are found through its
subjects); ``view_subjects`` lists accounts and contacts. Both are caught up from their
tracking position in ``view_positions``: each batch of notifications is read, projected and
written together with the new position in one transaction, so a reader processes only what
it has not seen. The event classes (for their upcasters) are imported only when there is
something to catch up.
"""

from __future__ import annotations

import importlib
import json
import time
from datetime import datetime

from ledger.projections import current
from ledger.projections.timeline import micros
from ledger.vocabulary import PERSONAL_FIELDS, TOPIC_TYPES

VIEWS = ("events", "subjects")
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS view_positions (view TEXT PRIMARY KEY, position BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS view_events (notification_id {id} PRIMARY KEY, event_id TEXT NOT NULL, "
    "type TEXT NOT NULL, subject TEXT, account TEXT, occurred BIGINT NOT NULL, recorded BIGINT NOT NULL, "
    "recorded_by TEXT NOT NULL, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS view_subjects (handle TEXT PRIMARY KEY, kind TEXT NOT NULL, account TEXT, "
    "event_id TEXT NOT NULL, occurred BIGINT NOT NULL, recorded BIGINT NOT NULL, forgotten BIGINT)",
    # the other contacts an interaction names (ADR 0017), and the retractions of such interactions
    "CREATE TABLE IF NOT EXISTS view_participants (notification_id {id} NOT NULL, subject TEXT NOT NULL, "
    "event_id TEXT NOT NULL, PRIMARY KEY (notification_id, subject))",
]
INDEXES = [
    "CREATE INDEX IF NOT EXISTS view_events_subject ON view_events (subject)",
    "CREATE INDEX IF NOT EXISTS view_events_frameworks ON view_events (type) WHERE type = 'framework'",
    "CREATE INDEX IF NOT EXISTS view_events_rules ON view_events (type) WHERE type = 'rules'",
    "CREATE INDEX IF NOT EXISTS view_participants_subject ON view_participants (subject)",
    "CREATE INDEX IF NOT EXISTS view_participants_event ON view_participants (event_id)",
]
_UPSERT_EVENT = ("INSERT INTO view_events ({c}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (notification_id) DO UPDATE "
                 "SET event_id=excluded.event_id, type=excluded.type, subject=excluded.subject, account=excluded.account, "
                 "occurred=excluded.occurred, recorded=excluded.recorded, recorded_by=excluded.recorded_by, data=excluded.data")
_UPSERT_SUBJECT = ("INSERT INTO view_subjects VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (handle) DO UPDATE SET "
                   "kind=excluded.kind, account=excluded.account, event_id=excluded.event_id, occurred=excluded.occurred, "
                   "recorded=excluded.recorded, forgotten=NULL")
_UPSERT_POSITION = "INSERT INTO view_positions VALUES (?, ?) ON CONFLICT (view) DO UPDATE SET position=excluded.position"
_OBJECTS = ("view_positions", "view_events", "view_events_subject", "view_events_frameworks",
            "view_events_rules", "view_subjects", "view_participants", "view_participants_subject",
            "view_participants_event")
_PARTICIPANT = "INSERT INTO view_participants VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
_BASE = {"timestamp", "id", "handle", "occurred_at", "recorded_by", "redacted", "class_version", "_sealed"}
_SUBJECT_KINDS = {"account", "contact", "forgotten"}
_SHARED = {"interaction", "retraction"}  # what may concern contacts besides the event's subject
_COLUMNS = "notification_id, event_id, type, subject, account, occurred, recorded, recorded_by, data"


class ViewStore:
    """The read models of one SQLite ledger, and how they catch up."""

    BATCH = 2000
    BULK = 50_000  # unseen notifications from which a catch-up drops and rebuilds the indexes

    def __init__(self, db):
        self.db = db
        present = db.exist(_OBJECTS + current.OBJECTS)
        if not present:  # no DDL when present: concurrent DDL collides on PostgreSQL
            if not (getattr(db, "read_only", False) and db.exist(_OBJECTS[:6] + current.OBJECTS)):
                self._create()  # (views from before view_participants on a read-only mount are read as they are)
        self._shared = present or db.exists("view_participants")
        self._topics: dict[str, tuple] = {}  # topic -> (type, keys kept out of data, class to upcast with)
        self._accounts: dict[str | None, str | None] = {}  # subject handle -> its account
        self._named: list[tuple] = []  # the batch's view_participants rows

    def _create(self) -> None:
        for attempt in range(5):
            try:
                for statement in SCHEMA + INDEXES + current.SCHEMA + current.INDEXES:
                    self.db.run(statement.format(id=self.db.id_type))
                current.upgrade(self.db)
                return
            except Exception:  # another reader created them at the same moment
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def close(self) -> None:
        """Release the connection."""
        self.db.close()

    def head(self) -> int:
        """The newest notification id in the ledger."""
        return self.db.query(f"SELECT COALESCE(MAX({self.db.position}), 0) FROM {self.db.events}")[0][0]

    def positions(self) -> dict[str, int]:
        """Each view's tracking position (0 before its first catch-up)."""
        found = dict(self.db.query("SELECT view, position FROM view_positions"))
        if any(type(found.get(view, 0)) is not int for view in VIEWS):  # damaged: views are derived, so rebuild
            from ledger.errors import LedgerLocationError

            raise LedgerLocationError("views: a view position is damaged (not a number); run 'relledger rebuild'")
        return {view: found.get(view, 0) for view in VIEWS}

    def catch_up(self) -> int:
        """Project the notifications the views have not seen; returns how many. Far behind
        (after a bulk import, say), the indexes are dropped first and built again after."""
        if self.head() - min(self.positions().values()) >= self.BULK:
            return self._without_indexes()
        return self._batches()

    def rebuild(self) -> int:
        """Drop every view and project the whole ledger again."""
        self._accounts.clear()
        with self.db.locked():
            self.db.run("DELETE FROM view_positions")
            for table in ("view_events", "view_subjects", "view_contacts", "view_participants"):  # dropped, not emptied: an older layout goes too
                self.db.run(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA[1:] + INDEXES[3:] + current.SCHEMA + current.INDEXES:
                self.db.run(statement.format(id=self.db.id_type))
        return self._without_indexes()

    def _without_indexes(self) -> int:
        """Catch up with the view_events indexes dropped, then build them in one sorted pass
        each: far cheaper than maintaining them row by row, and a small page cache will do."""
        with self.db.locked():
            for index in ("view_events_subject", "view_events_frameworks", "view_events_rules", "view_events_account"):  # the last: older layouts
                self.db.run(f"DROP INDEX IF EXISTS {index}")
        try:
            return self._batches()
        finally:
            with self.db.locked():
                for statement in INDEXES[:3]:
                    self.db.run(statement)

    def _batches(self) -> int:
        done = 0
        while min(self.positions().values()) < self.head():
            done += self._one_batch()
        return done

    def _one_batch(self) -> int:
        with self.db.locked():
            start = min(self.positions().values())  # re-read under the write lock
            pos, events = self.db.position, self.db.events
            rows = self.db.query(f"SELECT {pos}, topic, state FROM {events} WHERE {pos} > ? ORDER BY {pos} LIMIT ?",
                                 (start, self.BATCH))
            self._named = []  # (notification_id, subject, event_id) of the contacts named besides the subject
            projected = self._project(rows)
            self.db.run_many(_UPSERT_EVENT.format(c=_COLUMNS), projected)
            self.db.run_many(_PARTICIPANT, self._named)
            current.mark(self.db, projected, [n[1] for n in self._named])
            if rows:
                self.db.run_many(_UPSERT_POSITION, [(v, rows[-1][0]) for v in VIEWS])
        return len(rows)

    def _project(self, rows: list[tuple]) -> list[tuple]:
        """The view_events rows for stored events (the hot loop of a rebuild: kept lean)."""
        from pydantic_core import from_json, to_json  # jiter: several times stdlib json's speed

        projected, when = [], datetime.fromisoformat
        for notification_id, topic, raw in rows:
            kind, drop, cls = self._topics.get(topic) or self._topic(topic)
            if kind is None:
                continue
            try:
                state = from_json(raw, cache_strings="keys")
                if cls is not None:
                    _upcast(cls, state)
                handle, event_id = state.get("handle"), state["id"]
                data = {k: v for k, v in state.items() if k not in drop}
                occurred, recorded = micros(when(state["occurred_at"])), micros(when(state["timestamp"]))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a damaged event (not even its JSON reads): skipped here, named by 'verify'
            account = self._account_of(kind, handle, data)
            if kind in _SHARED:
                self._participants(kind, notification_id, event_id, data)
            if kind in _SUBJECT_KINDS:
                self._subjects_changed(kind, handle, account, event_id, occurred, recorded)
            projected.append((notification_id, event_id, kind, handle, account, occurred, recorded,
                              state["recorded_by"], to_json(data).decode()))
        return projected

    def _topic(self, topic: str) -> tuple:
        """What projecting a topic needs: its type, the keys kept out of ``data``, and its class
        when its events may need upcasting (class_version above 1)."""
        kind = TOPIC_TYPES.get(topic.rpartition(":")[2])
        module, _, name = topic.partition(":")
        cls = getattr(importlib.import_module(module), name, None) if kind else None
        upcasts = cls is not None and getattr(cls, "class_version", 1) > 1
        self._topics[topic] = (kind, _BASE | set(PERSONAL_FIELDS.get(kind, ())), cls if upcasts else None)
        return self._topics[topic]

    def _participants(self, kind: str, notification_id: int, event_id: str, data: dict) -> None:
        """The other contacts an interaction names; a retraction of it concerns them too."""
        if kind == "interaction":
            named = (data.get("contacts") or ())[1:]
        else:
            target = data.get("target")
            named = [n[1] for n in self._named if n[2] == target] or [
                r[0] for r in self.db.query("SELECT subject FROM view_participants WHERE event_id=?", (target,))]
        self._named += [(notification_id, h, event_id) for h in named]

    def _subjects_changed(self, kind, handle, account, event_id, occurred, recorded) -> None:
        if kind in ("account", "contact"):
            self.db.run(_UPSERT_SUBJECT, (handle, kind, account, event_id, occurred, recorded))
            self._accounts[handle] = account
        elif kind == "forgotten":
            self.db.run("UPDATE view_subjects SET forgotten=? WHERE handle=?", (recorded, handle))

    def _account_of(self, kind: str, handle: str | None, data: dict) -> str | None:
        if kind == "account":
            return handle
        if kind == "contact":
            return data.get("account")
        if handle not in self._accounts:
            rows = self.db.query("SELECT account FROM view_subjects WHERE handle=?", (handle,))
            self._accounts[handle] = rows[0][0] if rows else None
        return self._accounts[handle]

    # -- queries --------------------------------------------------------------------

    def subject(self, handle: str) -> dict | None:
        """The account or contact row, or None."""
        rows = self.db.query("SELECT handle, kind, account, event_id, occurred, recorded, forgotten "
                             "FROM view_subjects WHERE handle=?", (handle,))
        keys = ("handle", "kind", "account", "event_id", "occurred", "recorded", "forgotten")
        return dict(zip(keys, rows[0])) if rows else None

    def records(self, where: str, params: tuple = (), named: tuple[str, tuple] | None = None) -> list[dict]:
        """Event records matching a WHERE clause, in notification order (``subject`` is
        indexed; an account's events are those of the subjects in it, see ``account_records``),
        and those naming others besides their subject: ``named`` is (WHERE clause on
        view_participants, its parameters)."""
        sql = f"SELECT {_COLUMNS} FROM view_events WHERE {where}"
        if named is not None and self._shared:
            sql += (f" UNION SELECT {_COLUMNS} FROM view_events WHERE notification_id IN "
                    f"(SELECT notification_id FROM view_participants WHERE {named[0]})")
            params = tuple(params) + tuple(named[1])
        rows = self.db.query(sql + " ORDER BY notification_id", params)
        return [
            {"id": r[1], "type": r[2], "handle": r[3], "account": r[4], "occurred": r[5], "recorded": r[6], "by": r[7],
             **json.loads(r[8])}
            for r in rows
        ]

    def account_records(self, account: str) -> list[dict]:
        """The events of an account and of its contacts, through the subject index (one
        index fewer to maintain than indexing ``account`` too)."""
        in_account = "subject IN (SELECT handle FROM view_subjects WHERE account=?)"
        return self.records(in_account, (account,), named=(in_account, (account,)))

    def contacts(self, account: str | None = None) -> list[str]:
        """Contact handles, optionally of one account."""
        sql, params = "SELECT handle FROM view_subjects WHERE kind='contact'", ()
        if account is not None:
            sql, params = sql + " AND account=?", (account,)
        return [r[0] for r in self.db.query(sql + " ORDER BY handle", params)]

    def accounts(self) -> list[str]:
        """Account handles."""
        return [r[0] for r in self.db.query("SELECT handle FROM view_subjects WHERE kind='account' ORDER BY handle")]

    def dump(self) -> dict[str, list[tuple]]:
        """Every view's rows, for comparing a rebuilt view with an incremental one."""
        return {t: self.db.query(f"SELECT * FROM {t} ORDER BY 1, 2")
                for t in ("view_events", "view_subjects", "view_positions", "view_participants")}


def _upcast(cls: type, state: dict) -> None:
    """Bring a stored state up to its class's version with the class's upcasters."""
    version = state.pop("class_version", 1)
    while version < cls.class_version:
        getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
