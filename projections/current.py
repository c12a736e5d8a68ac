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

import json
from typing import Iterator

from ledger.projections.timeline import DAY

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS view_contacts (handle TEXT PRIMARY KEY, account TEXT, expires BIGINT NOT NULL, "
    "registered BIGINT, action TEXT, quadrant TEXT, stage TEXT, first_meeting BIGINT, listed TEXT, data TEXT)",
]
INDEXES = [
    "CREATE INDEX IF NOT EXISTS view_contacts_account ON view_contacts (account, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_expires ON view_contacts (expires)",
    "CREATE INDEX IF NOT EXISTS view_contacts_quadrant ON view_contacts (quadrant, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_stage ON view_contacts (stage, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_action ON view_contacts (action, handle)",
    "CREATE INDEX IF NOT EXISTS view_contacts_meeting ON view_contacts (account, first_meeting)",
]
OBJECTS = ("view_contacts", "view_contacts_account", "view_contacts_expires", "view_contacts_quadrant",
           "view_contacts_stage", "view_contacts_action", "view_contacts_meeting")
_NEW = ("INSERT INTO view_contacts (handle, account, expires) VALUES (?, ?, 0) "
        "ON CONFLICT (handle) DO UPDATE SET account=excluded.account, expires=0")
_PUT = ("UPDATE view_contacts SET expires=?, registered=?, action=?, quadrant=?, stage=?, first_meeting=?, listed=?, "
        "data=? WHERE handle=?")
LISTED = ("handle", "account", "action", "candidates", "decide", "quadrant", "band", "stage", "missing", "reassess",
          "last_two_way", "last_two_way_at", "in_touch_since")  # what `list` shows: a small column of its own
_ACCOUNT_WIDE = ("framework", "rules")
NEVER = 2**62  # no moment ahead changes the answer


def mark(db, projected: list[tuple]) -> None:
    """Mark the rows the projected view_events rows change (inside the catch-up's transaction):
    ``projected`` holds (notification_id, event_id, type, subject, account, occurred, ...)."""
    contacts, accounts, every, new = set(), set(), False, []
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


class CurrentView:
    """The rows about now of one ``Answers`` (at = as_of = now), refreshed on first use."""

    CHUNK = 200

    def __init__(self, answers, fold_state):
        self.answers, self.db, self._fold = answers, answers.store.db, fold_state
        self._fresh = False

    def refresh(self) -> int:
        """Fold again the rows whose moment has passed (or that new events marked); returns how many."""
        if self._fresh:
            return 0
        done, now = 0, self.answers.at
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
                json.dumps(state), handle)

    def states(self, account: str | None = None, quadrant: str | None = None, stage: str | None = None,
               listed: bool = False) -> list[dict]:
        """The rows registered by now (one account's, one quadrant's, one stage's), by handle,
        with the day counts at now; only what `list` shows when ``listed``."""
        from pydantic_core import from_json  # jiter: several times stdlib json's speed

        self.refresh()
        column = "listed" if listed else "data"
        sql, params = f"SELECT {column} FROM view_contacts WHERE registered <= ?", [self.answers.at]
        for column, value in (("account", account), ("quadrant", quadrant), ("stage", stage)):
            if value is not None:
                sql, params = sql + f" AND {column} = ?", params + [value]
        rows = self.db.query(sql + " ORDER BY handle", tuple(params))
        return [with_days(from_json(data), self.answers.at) for (data,) in rows]

    def stream(self, account: str, listed: bool = False, chunk: int = 1000) -> Iterator[dict]:
        """The account's rows registered by now, by handle, like ``states(account)`` but read in
        chunks of ``chunk`` (keyset on the account index): memory holds one chunk, and the
        connection is free between chunks for other queries (PostgreSQL too)."""
        from pydantic_core import from_json

        self.refresh()
        column, after = "listed" if listed else "data", ""
        while True:
            rows = self.db.query(f"SELECT handle, {column} FROM view_contacts WHERE account = ? AND handle > ? "
                                 "AND registered <= ? ORDER BY handle LIMIT ?", (account, after, self.answers.at, chunk))
            for _, data in rows:
                yield with_days(from_json(data), self.answers.at)
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
        self.refresh()
        rows = self.db.query("SELECT data FROM view_contacts WHERE account = ? AND first_meeting = (SELECT "
                             "MIN(first_meeting) FROM view_contacts WHERE account = ?)", (account, account))
        found = [json.loads(d)["first_meeting"] for (d,) in rows]
        return min(found, key=lambda r: (r["occurred"], r["recorded"])) if found else None

    def dump(self) -> list[tuple]:
        """Every row, for comparing a rebuilt view with an incremental one."""
        return self.db.query("SELECT * FROM view_contacts ORDER BY handle")


def with_days(state: dict, at: int) -> dict:
    """A stored state with the day counts measured at ``at``."""
    last = state["last_two_way_at"]
    state["days_since_two_way"] = (at - last) // DAY if last is not None else None
    state["days_out_of_touch"] = (at - state["in_touch_since"]) // DAY
    return state


def next_change(view, counting: list[dict], at: int, adoptions: list[int]) -> int:
    """The moment the contact's answer next changes with no new event: its next record
    (dated ahead), the next adoption of rules or framework, an evidence window's edge or a
    freshness deadline under the rules in force at ``at``."""
    ahead = [r["occurred"] for r in counting if r["occurred"] > at][:1]
    ahead += [when for when in adoptions if when > at][:1]
    edge = view.timeline(at).next_change(at)
    return min(ahead + ([edge] if edge is not None else []), default=NEVER)
