"""An account's trend (``trend --account``), folded one contact at a time.

Each contact is folded for the period ends (the view knows only now) and its periods are
added to running totals, then let go: time grows with the contacts, memory holds one contact
and one row per period. The totals are those of ``movement.account_periods`` over every
contact's periods at once (same order, same sums, same ties).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from ledger.projections.movement import contact_periods
from ledger.projections.stage import happening
from ledger.projections.timeline import knowledge


class AccountPeriods:
    """Running totals of an account's periods across its contacts."""

    def __init__(self, starts: list[int]):
        self.rows = [{"start": None, "actions": Counter(), "score": 0.0, "scored": 0, "interactions": 0, "days": None,
                      "contacts": 0} for _ in starts[1:]]
        self.seen = 0

    def add(self, periods: list[dict]) -> None:
        """Take in one contact's periods."""
        self.seen += 1
        for row, p in zip(self.rows, periods):
            row["start"] = row["start"] or p["start"]
            if not p["registered"]:
                continue
            row["contacts"] += 1
            row["interactions"] += p["interactions"]
            if p["days_since_two_way"] is not None:
                row["days"] = p["days_since_two_way"] if row["days"] is None else min(row["days"], p["days_since_two_way"])
            if p["score"] is not None:
                row["scored"] += 1
                row["score"] += p["score"]
                row["actions"][p["action"]] += 1

    def result(self) -> list[dict]:
        """Each period: mean score, most common action, totals, and how many were classified."""
        if not self.seen:
            return []
        return [{"start": r["start"], "action": r["actions"].most_common(1)[0][0] if r["actions"] else None,
                 "score": round(r["score"] / r["scored"], 2) if r["scored"] else None,
                 "interactions": r["interactions"], "days_since_two_way": r["days"], "classified": r["scored"],
                 "contacts": r["contacts"], "actions": dict(r["actions"])} for r in self.rows]


def account_periods(answers, account: str, starts: list[int]) -> list[dict]:
    """The account's periods from its contacts known at ``as_of``, folded one by one."""
    totals = AccountPeriods(starts)
    for handle in contact_handles(answers, account):
        totals.add(contact_periods(answers.view(handle), starts, answers.at))
    return totals.result()


def contact_handles(answers, account: str, chunk: int = 1000) -> Iterator[str]:
    """The account's contacts known at ``as_of``, by handle, read in chunks (keyset)."""
    after = ""
    while True:
        rows = answers.store.db.query("SELECT handle, recorded FROM view_subjects WHERE kind='contact' AND account=? "
                                      "AND handle > ? ORDER BY handle LIMIT ?", (account, after, chunk))
        yield from (handle for handle, recorded in rows if recorded <= answers.as_of)
        if len(rows) < chunk:
            return
        after = rows[-1][0]


_COLUMNS = "event_id, type, subject, account, occurred, recorded, recorded_by, data"


def stage_records(answers, account: str) -> list[dict]:
    """What the account's stage is made of, as known at ``as_of``, in valid-time order: its own
    milestones and every meeting held with its contacts (less what was retracted), read as a
    stream: ``account_changes`` of these equals that of every record of the account."""
    from pydantic_core import from_json

    kept = []
    for event_id, kind, handle, acct, occurred, recorded, by, data in answers.store.db.iterate(
            f"SELECT {_COLUMNS} FROM view_events WHERE subject IN (SELECT handle FROM view_subjects WHERE account=?) "
            "AND type IN ('interaction', 'milestone', 'retraction') ORDER BY notification_id", (account,)):
        if recorded > answers.as_of:
            continue
        r = {"id": event_id, "type": kind, "handle": handle, "account": acct, "occurred": occurred, "recorded": recorded,
             "by": by, **from_json(data)}
        if kind == "retraction" or handle == account or happening(r) == "meeting":
            kept.append(r)
    return knowledge(kept, answers.as_of)[0]
