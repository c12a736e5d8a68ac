"""The current-state view (ADR 0019): one row per contact holding where it stands now, and
the moment that answer next changes with no new event (``expires``).

The catch-up marks rows to refresh (``expires`` = 0) in the same transaction as the events
and the tracking position: the contact's own events, its account's events (milestones,
goals, retractions) and, for every row, frameworks and rules adopted. A read about now
refreshes, under the write lock, only the rows whose moment has passed, by folding the
contact exactly as a read about the past does (``fold_state``): the view only caches the
classification, which stays a pure function of records, moment, framework and rules.
"""

from __future__ import annotations

import contextlib
import gc
import json
from typing import Iterable, Iterator

from ledger.projections.timeline import DAY

SCHEMA = [
    # The small columns first, the whole state last: SQLite reads a row's columns in order, through
    # its overflow pages, so `due` reading ``owed`` does not wade through ``data``.
    "CREATE TABLE IF NOT EXISTS view_contacts (handle TEXT PRIMARY KEY, account TEXT, expires BIGINT NOT NULL, "
    "registered BIGINT, action TEXT, quadrant TEXT, stage TEXT, first_meeting BIGINT, owed TEXT, listed TEXT, "
    "work TEXT, data TEXT)",
]
INDEXES = [
    "CREATE INDEX IF NOT EXISTS view_contacts_account ON view_contacts (account, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_expires ON view_contacts (expires)",
    "CREATE INDEX IF NOT EXISTS view_contacts_quadrant ON view_contacts (quadrant, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_stage ON view_contacts (stage, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_action ON view_contacts (action, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_meeting ON view_contacts (account, first_meeting)",
    "CREATE INDEX IF NOT EXISTS view_contacts_registered ON view_contacts (account, registered)",
]
OBJECTS = ("view_contacts", "view_contacts_account", "view_contacts_expires", "view_contacts_quadrant",
           "view_contacts_stage", "view_contacts_action", "view_contacts_meeting", "view_contacts_registered")
_NEW = ("INSERT INTO view_contacts (handle, account, expires) VALUES (?, ?, 0) "
        "ON CONFLICT (handle) DO UPDATE SET account=excluded.account, expires=0")
_PUT = ("UPDATE view_contacts SET expires=?, registered=?, action=?, quadrant=?, stage=?, first_meeting=?, listed=?, "
        "data=?, work=?, owed=? WHERE handle=?")
LISTED = ("handle", "account", "action", "candidates", "decide", "quadrant", "band", "stage", "missing", "reassess",
          "last_two_way", "last_two_way_at", "in_touch_since")  # what `list` shows: a small column of its own
# What `due` and `gaps` never read (the rest of a row is their column, ``work``: a key a new open item
# adds to the state lands there too); complaints and stale values only as the gaps made of them.
UNWORKED = ("candidates", "decide", "reports_to", "held_by", "unanswered_feedback", "first_meeting", "missing",
            "reassess", "action", "quadrant", "stage", "registered")
_GAPPED = ("complaint_records", "stale")  # what only the stored gaps (``own_gaps``) are made of
_ACCOUNT_WIDE = ("framework", "rules")
NEVER = 2**62  # no moment ahead changes the answer


def mark(db, projected: list[tuple], named: list[str] = ()) -> None:
    """Mark the rows the projected view_events rows change (inside the catch-up's transaction):
    ``projected`` holds (notification_id, event_id, type, subject, account, occurred, ...);
    ``named``, the other contacts interactions name (ADR 0017)."""
    contacts, accounts, every, new = set(named), set(), False, []
    for _, _, kind, handle, account, *_ in projected:
        if kind in _ACCOUNT_WIDE or handle is None:
            every = every or kind in _ACCOUNT_WIDE
        elif kind == "contact":
            new.append((handle, account))
        elif kind == "account" or handle == account:
            accounts.add(handle)
        else:
            contacts.add(handle)
    db.run_many(_NEW, new)
    if every:
        return db.run("UPDATE view_contacts SET expires=0")
    db.run_many("UPDATE view_contacts SET expires=0 WHERE handle=?", [(h,) for h in sorted(contacts)])
    db.run_many("UPDATE view_contacts SET expires=0 WHERE account=?", [(a,) for a in sorted(accounts)])


_FIRST_MEETINGS = ("SELECT v.account, v.data FROM view_contacts v WHERE v.first_meeting = (SELECT MIN(w.first_meeting) "
                   "FROM view_contacts w WHERE w.account = v.account)")


def _decode(text: str):
    """A row's JSON (jiter; caching only the keys' strings: several times stdlib json's speed,
    and faster than caching every string)."""
    from pydantic_core import from_json

    return from_json(text, cache_strings="keys")


def _earliest(one: dict | None, other: dict) -> dict:
    return other if one is None or (other["occurred"], other["recorded"]) < (one["occurred"], one["recorded"]) else one


class CurrentView:
    """The rows about now of one ``Answers`` (at = as_of = now), refreshed on first use."""

    CHUNK = 200

    def __init__(self, answers, fold_state, owed):
        """``fold_state(answers, handle)``: a contact's state; ``owed(state, rules)``: what it owes
        (the due list's entries, whatever the moment)."""
        self.answers, self.db, self._fold, self._owed = answers, answers.store.db, fold_state, owed
        self._fresh = False
        self._work: dict[str, list] | None = None  # every account's rows (of one column), once preloaded
        self._preloaded: str | None = None  # which column
        self._meetings: dict[str, dict] | None = None

    def refresh(self) -> int:
        """Fold again the rows whose moment has passed (or that new events marked); returns how many."""
        if self._fresh:
            return 0
        done, now = 0, self.answers.at
        self._rules = self.answers.rules_at(now)
        while True:
            with self.db.locked():
                due = [h for (h,) in self.db.query("SELECT handle FROM view_contacts WHERE expires <= ? "
                                                   "ORDER BY handle LIMIT ?", (now, self.CHUNK))]
                self.db.run_many(_PUT, [self._row(h) for h in due])
            done += len(due)
            if len(due) < self.CHUNK:
                self._fresh = True
                return done

    def _row(self, handle: str) -> tuple:
        state = self._fold(self.answers, handle)
        meeting = state["first_meeting"]
        return (state.pop("expires"), state["registered"], state["action"], state["quadrant"], state["stage"],
                meeting["occurred"] if meeting else None, json.dumps({k: state[k] for k in LISTED}),
                json.dumps(state), json.dumps(worked(state)), json.dumps(self._owed(state, self._rules)), handle)

    def states(self, account: str | None = None, quadrant: str | None = None, stage: str | None = None,
               listed: bool = False) -> list[dict]:
        """The rows registered by now (one account's, one quadrant's, one stage's), by handle,
        with the day counts at now; only what `list` shows when ``listed``."""
        self.refresh()
        column = "listed" if listed else "data"
        sql, params = f"SELECT {column} FROM view_contacts WHERE registered <= ?", [self.answers.at]
        for column, value in (("account", account), ("quadrant", quadrant), ("stage", stage)):
            if value is not None:
                sql, params = sql + f" AND {column} = ?", params + [value]
        rows = self.db.query(sql + " ORDER BY handle", tuple(params))
        with quiet_gc():
            return [with_days(_decode(data), self.answers.at) for (data,) in rows]

    def worked(self, account: str) -> Iterator[dict]:
        """The account's rows registered by now, by handle: what `due` and `gaps` read (``work``),
        with the day counts at now (preloaded for every account, else streamed)."""
        return (with_days(row, self.answers.at) for row in self._column("work", account))

    def owed(self, account: str) -> Iterable[dict]:
        """What each contact of the account registered by now owes (``owed``), by handle."""
        return self._column("owed", account)

    def _column(self, column: str, account: str) -> Iterable:
        if self._work is not None and self._preloaded == column:
            return self._work.get(account, [])
        return self._rows(account, column)

    def preload(self, column: str = "work") -> None:
        """Every account's rows (of ``work`` or ``owed``) and first meetings in two queries, for
        reads that go through every account (`due`, `gaps`) instead of a few queries per account."""
        self.refresh()
        self._work, self._meetings, self._preloaded = {}, {}, column
        with quiet_gc():
            for account, value in self.db.query(f"SELECT account, {column} FROM view_contacts WHERE registered <= ? "
                                                "ORDER BY account, handle", (self.answers.at,)):
                self._work.setdefault(account, []).append(_decode(value))
            for account, data in self.db.query(_FIRST_MEETINGS):
                self._meetings[account] = _earliest(self._meetings.get(account), _decode(data)["first_meeting"])

    def stream(self, account: str, listed: bool = False, chunk: int = 1000) -> Iterator[dict]:
        """The account's rows registered by now, by handle, like ``states(account)`` but read in
        chunks of ``chunk``: memory holds one chunk."""
        at = self.answers.at
        return (with_days(state, at) for state in self._rows(account, "listed" if listed else "data", chunk))

    def _rows(self, account: str, column: str, chunk: int = 1000) -> Iterator:
        """The decoded ``column`` of the account's rows registered by now, by handle, read in
        chunks (keyset on the account index), so the connection is free between chunks for
        other queries (PostgreSQL too)."""
        self.refresh()
        after = ""
        while True:
            rows = self.db.query(f"SELECT handle, {column} FROM view_contacts WHERE account = ? AND handle > ? "
                                 "AND registered <= ? ORDER BY handle LIMIT ?", (account, after, self.answers.at, chunk))
            with quiet_gc():
                decoded = [_decode(value) for _, value in rows]
            yield from decoded
            if len(rows) < chunk:
                return
            after = rows[-1][0]

    def counts(self, account: str, column: str) -> dict[str | None, int]:
        """How many of the account's rows registered by now hold each value of ``column``
        (quadrant, stage or action), counted in SQL."""
        if column not in ("quadrant", "stage", "action"):
            raise ValueError(column)
        self.refresh()
        return dict(self.db.query(f"SELECT {column}, COUNT(*) FROM view_contacts WHERE account = ? AND registered <= ? "
                                  f"GROUP BY {column}", (account, self.answers.at)))

    def first_meeting(self, account: str) -> dict | None:
        """The earliest meeting held with any of the account's contacts (all an account's stage
        needs of its contacts' events: only the first meeting moves it)."""
        if self._meetings is not None:
            return self._meetings.get(account)
        self.refresh()
        rows = self.db.query("SELECT data FROM view_contacts WHERE account = ? AND first_meeting = (SELECT "
                             "MIN(first_meeting) FROM view_contacts WHERE account = ?)", (account, account))
        found = None
        for (data,) in rows:
            found = _earliest(found, json.loads(data)["first_meeting"])
        return found

    def dump(self) -> list[tuple]:
        """Every row, for comparing a rebuilt view with an incremental one."""
        return self.db.query("SELECT * FROM view_contacts ORDER BY handle")


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """Decode many rows without the cyclic collector walking them again and again (JSON rows
    hold no cycles); in the console script's process (``ledger.SHORT_LIVED``), what was
    decoded is frozen out of later collections (the process holds it until it prints and
    exits); elsewhere nothing is frozen."""
    import ledger

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if ledger.SHORT_LIVED:
            gc.freeze()
        if enabled:
            gc.enable()


def worked(state: dict) -> dict:
    """What `due` and `gaps` read of a state (``work``)."""
    from ledger.projections.coverage import own_gaps

    found = {k: v for k, v in state.items() if k not in UNWORKED and k not in _GAPPED}
    found["own_gaps"] = own_gaps(state)  # the gaps that do not depend on the moment, built once
    return found


def upgrade(db) -> None:
    """A view made before the ``work`` and ``owed`` columns gets them, and every row is folded
    again to fill them."""
    for column in ("work", "owed"):
        try:
            db.query(f"SELECT {column} FROM view_contacts WHERE 1 = 0")
        except Exception:  # noqa: BLE001 - the column is missing (sqlite3 and psycopg raise their own errors)
            db.run(f"ALTER TABLE view_contacts ADD COLUMN {column} TEXT")
            db.run("UPDATE view_contacts SET expires = 0")


def with_days(state: dict, at: int) -> dict:
    """A stored state with the day counts measured at ``at``."""
    last = state["last_two_way_at"]
    state["days_since_two_way"] = (at - last) // DAY if last is not None else None
    state["days_out_of_touch"] = (at - state["in_touch_since"]) // DAY
    return state


def next_change(view, counting: list[dict], at: int, adoptions: list[int]) -> int:
    """The moment the contact's answer next changes with no new event: its next record
    (dated ahead), the next adoption of rules or framework, an evidence window's edge, a
    freshness deadline under the rules in force at ``at``, or an open next step falling due."""
    from ledger.projections.nextsteps import next_due

    ahead = [r["occurred"] for r in counting if r["occurred"] > at][:1]
    ahead += [when for when in adoptions if when > at][:1]
    edges = [view.timeline(at).next_change(at), next_due(counting, at)]
    return min(ahead + [edge for edge in edges if edge is not None], default=NEVER)
