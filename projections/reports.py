"""Reports as plain data, answered from the views: show, why, history, list, trend.

Every report answers the same two questions the same way: ``at`` (the state of the world
at that moment, using all that is recorded now) and ``as_of`` (only what had been recorded
by then). Renderers for text and JSON live in the CLI.
"""

from __future__ import annotations

from ledger.errors import InvalidInputError, UnknownHandleError
from ledger.framework import Framework, builtin_framework, framework_from_dict
from ledger.projections.classification import Timeline, classify, evidence_rules
from ledger.projections.movement import (account_periods, contact_periods, direction, last_two_way,
                                         period_starts, sparkline, transitions)
from ledger.projections.personal import personal_fields
from ledger.projections.stage import stage
from ledger.projections.timeline import DAY, iso, knowledge
from ledger.projections.views import ViewStore
from ledger.validation import check_handle

_INTERNAL = ("occurred", "recorded", "account")


class Answers:
    """Answers about one moment (``at``) as known at another (``as_of``), both microseconds."""

    def __init__(self, store: ViewStore, at: int, as_of: int):
        self.store, self.at, self.as_of = store, at, as_of
        self.rules = evidence_rules()
        adopted = [r for r in store.records("type='framework'") if r["recorded"] <= as_of]
        self._adopted = sorted(adopted, key=lambda r: r["occurred"])
        self._frameworks: dict[str, Framework] = {}

    def framework_at(self, point: int) -> Framework:
        """The framework in force at ``point`` (as known at ``as_of``)."""
        chosen = None
        for r in self._adopted:
            if r["occurred"] <= point:
                chosen = r
        if chosen is None:
            return builtin_framework()
        if chosen["id"] not in self._frameworks:
            self._frameworks[chosen["id"]] = framework_from_dict(chosen)
        return self._frameworks[chosen["id"]]

    def framework_name(self, point: int) -> dict:
        """The name and version of the framework in force at ``point``."""
        fw = self.framework_at(point)
        return {"name": fw.name, "version": fw.version}

    def stamp(self) -> dict:
        """The moments an answer is about."""
        return {"at": iso(self.at), "as_of": iso(self.as_of)}

    # -- one contact ---------------------------------------------------------------

    def contact_rows(self, handle: str) -> tuple[dict, list[dict], dict, list[dict]]:
        """The contact's subject row, its counting records (with its account's milestones) in
        valid-time order, the retractions known, and every known record."""
        subject = self.store.subject(check_handle(handle))
        if subject is None or subject["recorded"] > self.as_of:
            raise UnknownHandleError(handle, "contact")
        if subject["kind"] != "contact":
            raise InvalidInputError("handle", f"'{handle}' is an account; this needs a contact")
        rows = self.store.records("subject=? OR (subject=? AND type IN ('milestone', 'retraction'))",
                                  (handle, subject["account"] or ""))
        known = [r for r in rows if r["recorded"] <= self.as_of]
        counting, retracted = knowledge(known, self.as_of)
        return subject, counting, retracted, known

    def account(self, handle: str) -> dict:
        """An account's stage (from all its contacts and its own milestones) and its contacts."""
        self.require_account(handle)
        rows = [r for r in self.store.account_records(handle) if r["recorded"] <= self.as_of]
        counting, _ = knowledge(rows, self.as_of)
        st = stage(counting, self.at)
        name = next((r.get("name") for r in counting if r["type"] == "account"), None)
        return {"handle": handle, "kind": "account", "name": name, "stage": st["value"],
                "stage_events": st["events"], "explanation": st["explanation"],
                "contacts": self.listing(account=handle), **self.stamp()}

    def is_account(self, handle: str) -> bool:
        """Whether the handle names an account (as known at ``as_of``)."""
        subject = self.store.subject(check_handle(handle))
        return bool(subject and subject["kind"] == "account" and subject["recorded"] <= self.as_of)

    def show(self, handle: str) -> dict:
        """Where the contact stands: dimensions, action, quadrant, band, stage."""
        subject, counting, _, _ = self.contact_rows(handle)
        c = classify(Timeline(counting, self.rules), self.at, fw := self.framework_at(self.at))
        who = personal_fields(self.store.db, [handle], registration_only=True).get(subject["event_id"], {})
        return {
            "handle": handle, "name": who.get("name"), "title": who.get("title"), "account": subject["account"],
            "forgotten": bool(subject["forgotten"] and subject["forgotten"] <= self.as_of),
            "dimensions": c["dimensions"], "action": c["action"], "quadrant": c["quadrant"], "band": c["band"],
            "stage": stage(counting, self.at)["value"], "missing": c["missing"],
            "framework": {"name": fw.name, "version": fw.version, "row": c["row"]}, **self.stamp(),
        }

    def why(self, handle: str) -> dict:
        """The action, the framework row, and the events behind every dimension and the stage."""
        _, counting, _, _ = self.contact_rows(handle)
        c = classify(Timeline(counting, self.rules), self.at, fw := self.framework_at(self.at))
        dims = {d: {"value": s.value, "source": s.source, "events": list(s.events), "since": iso(s.at)} if s
                else {"value": None, "source": None, "events": []} for d, s in c["signals"].items()}
        st = stage(counting, self.at)
        return {
            "handle": handle, "action": c["action"], "quadrant": c["quadrant"], "band": c["band"],
            "framework": {"name": fw.name, "version": fw.version, "row": c["row"]}, "dimensions": dims,
            "stage": {"value": st["value"], "events": st["events"], "explanation": st["explanation"]},
            "rules": self.rules["version"], **self.stamp(),
        }

    def history(self, handle: str) -> dict:
        """Every event up to ``at`` as known at ``as_of``, and each move between actions/quadrants."""
        subject, counting, retracted, known = self.contact_rows(handle)
        personal = personal_fields(self.store.db, [handle] + ([subject["account"]] if subject["account"] else []))
        events = [
            {"id": r["id"], "type": r["type"], "handle": r["handle"], "occurred_at": iso(r["occurred"]),
             "recorded_at": iso(r["recorded"]), "by": r["by"],
             **{k: v for k, v in r.items() if k not in _INTERNAL and k not in ("id", "type", "handle", "by")},
             **personal.get(r["id"], {}), "retracted_by": retracted.get(r["id"])}
            for r in sorted(known, key=lambda r: (r["occurred"], r["recorded"])) if r["occurred"] <= self.at
        ]
        moves = transitions(Timeline(counting, self.rules), self.at, self.framework_at)
        return {"handle": handle, "events": events, "transitions": moves, "framework": self.framework_name(self.at),
                **self.stamp()}

    # -- many contacts ---------------------------------------------------------------

    def listing(self, account=None, action=None, quadrant=None, stage_name=None, stale=None) -> list[dict]:
        """One row per contact known at ``as_of``, filtered."""
        if account is not None:
            self.require_account(account)
        rows = []
        for handle in self.store.contacts(account):
            subject = self.store.subject(handle)
            if subject["recorded"] > self.as_of or subject["occurred"] > self.at:
                continue
            _, counting, _, _ = self.contact_rows(handle)
            rows.append(self._row(handle, subject, counting))
        return [r for r in rows if _keep(r, action, quadrant, stage_name, stale)]

    def _row(self, handle: str, subject: dict, counting: list[dict]) -> dict:
        c = classify(Timeline(counting, self.rules), self.at, self.framework_at(self.at))
        last = last_two_way([r for r in counting if r["occurred"] <= self.at], self.rules)
        return {"handle": handle, "account": subject["account"], "action": c["action"], "quadrant": c["quadrant"],
                "framework": self.framework_name(self.at),
                "band": c["band"], "stage": stage(counting, self.at)["value"],
                "last_two_way": iso(last) if last is not None else None,
                "days_since_two_way": (self.at - last) // DAY if last is not None else None}

    def trend(self, handle: str | None, account: str | None, by: str) -> dict:
        """Per period from the first event to ``at``: classification, score, interactions, direction."""
        if handle is not None:
            _, counting, _, _ = self.contact_rows(handle)
            timeline = Timeline(counting, self.rules)
            starts = period_starts(counting[0]["occurred"], self.at, by)
            periods = contact_periods(timeline, starts, self.at, self.framework_at)
            subject = {"handle": handle}
        else:
            first = self.require_account(account)
            timelines = [Timeline(self.contact_rows(h)[1], self.rules) for h in self.store.contacts(account)
                         if self.store.subject(h)["recorded"] <= self.as_of]
            starts = period_starts(first, self.at, by)
            periods = account_periods([contact_periods(t, starts, self.at, self.framework_at) for t in timelines])
            subject = {"account": account}
        for period, start in zip(periods, starts[1:]):
            period["framework"] = self.framework_name(min(start - 1, self.at))
        return {**subject, "by": by, "periods": periods, "direction": direction(periods),
                "sparkline": sparkline(periods), **self.stamp()}

    def require_account(self, account: str) -> int:
        """When the account was registered, or an error when it is unknown or a contact."""
        subject = self.store.subject(check_handle(account, "account"))
        if subject is None or subject["recorded"] > self.as_of:
            raise UnknownHandleError(account, "account")
        if subject["kind"] != "account":
            raise InvalidInputError("account", f"'{account}' is a contact; this needs an account")
        return subject["occurred"]


def _keep(row: dict, action, quadrant, stage_name, stale) -> bool:
    if action and action.lower() not in row["action"].lower():
        return False
    if quadrant and row["quadrant"] != quadrant:
        return False
    if stage_name and row["stage"] != stage_name:
        return False
    days = row["days_since_two_way"]
    return stale is None or days is None or days >= stale
