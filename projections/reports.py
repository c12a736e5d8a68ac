"""Reports as plain data, answered from the views: show, why, history, list, trend.

Every report answers the same two questions the same way: ``at`` (the state of the world
at that moment, using all that is recorded now) and ``as_of`` (only what had been recorded
by then). The framework and the evidence rules are those in force at each moment asked
about, as known at ``as_of``. Renderers for text and JSON live in the CLI.
"""

from __future__ import annotations

from ledger.errors import InvalidInputError, UnknownHandleError
from ledger.framework import Framework, builtin_framework, framework_from_dict
from ledger.meta import starting_rules
from ledger.projections.contact import ContactView, explain
from ledger.projections.movement import (contact_periods, direction, period_starts, sparkline,
                                         transitions)
from ledger.projections.personal import personal_fields, records_fields
from ledger.projections.stage import account_changes, stage_at
from ledger.projections.timeline import iso, in_valid_order, knowledge
from ledger.projections.views import ViewStore
from ledger.rules import NEWEST, adopted_rules, builtin_rules
from ledger.validation import check_handle

_INTERNAL = ("occurred", "recorded", "account")
_LISTED = ("handle", "account", "action", "candidates", "decide", "quadrant", "band", "stage", "missing", "reassess",
           "last_two_way", "days_since_two_way")


def _in_force(adopted: list[dict], point: int) -> dict | None:
    chosen = None
    for r in adopted:
        if r["occurred"] <= point:
            chosen = r
    return chosen


class Answers:
    """Answers about one moment (``at``) as known at another (``as_of``), both microseconds."""

    def __init__(self, store: ViewStore, at: int, as_of: int, current: bool = False):
        """``current``: the answers are about now (no --at, no --as-of), so the current-state
        view may serve the many-contact reads (a read-only ledger folds, as it cannot refresh)."""
        self.store, self.at, self.as_of = store, at, as_of
        known = lambda kind: sorted((r for r in store.records(f"type='{kind}'") if r["recorded"] <= as_of),  # noqa: E731
                                    key=lambda r: r["occurred"])
        self._adopted, self._rule_events = known("framework"), known("rules")
        self._frameworks: dict[str, Framework] = {}
        self._rules: dict[str | None, dict] = {}
        self._base = starting_rules(store.db)
        self.rules = self.rules_at(at)
        self.current = None
        self._subjects: dict[str, dict | None] = {}  # account handle -> its subject row (preloaded)
        self._own: dict[str, list[dict]] | None = None  # account handle -> its own records (preloaded)
        if current and not getattr(store.db, "read_only", False):
            from ledger.projections.accounts import fold_state
            from ledger.projections.current import CurrentView
            from ledger.projections.worklist import owed

            self.current = CurrentView(self, fold_state, owed)

    def preload_accounts(self, column: str = "work") -> list[str]:
        """Every account's subject row, own records and (about now) contact rows (the current-state
        view's ``column``) in a few queries, for reads that go through every account; returns the
        account handles."""
        keys = ("handle", "kind", "account", "event_id", "occurred", "recorded", "forgotten")
        rows = self.store.db.query(f"SELECT {', '.join(keys)} FROM view_subjects WHERE kind='account' ORDER BY handle")
        self._subjects = {r[0]: dict(zip(keys, r)) for r in rows}
        self._own = {handle: [] for handle in self._subjects}
        for r in self.store.records("subject IN (SELECT handle FROM view_subjects WHERE kind='account')"):
            self._own[r["handle"]].append(r)
        if self.current is not None:
            self.current.preload(column)
        return list(self._subjects)

    def subject(self, handle: str) -> dict | None:
        """The account or contact row (accounts from the preload when there was one)."""
        found = self._subjects.get(handle)
        return found if found is not None else self.store.subject(handle)

    def own_records(self, account: str) -> list[dict]:
        """The account's own records (not its contacts'), in notification order."""
        if self._own is not None and account in self._own:
            return self._own[account]
        return self.store.records("subject=?", (account,))

    def adoptions(self) -> list[int]:
        """When frameworks and rules were adopted (as known at ``as_of``), oldest first."""
        return sorted(r["occurred"] for r in self._adopted + self._rule_events)

    def framework_at(self, point: int) -> Framework:
        """The framework in force at ``point`` (as known at ``as_of``)."""
        chosen = _in_force(self._adopted, point)
        if chosen is None:
            return builtin_framework()
        if chosen["id"] not in self._frameworks:
            self._frameworks[chosen["id"]] = framework_from_dict(chosen)
        return self._frameworks[chosen["id"]]

    def framework_name(self, point: int) -> dict:
        """The name and version of the framework in force at ``point``."""
        fw = self.framework_at(point)
        return {"name": fw.name, "version": fw.version}

    def rules_at(self, point: int) -> dict:
        """The evidence rules in force at ``point`` (as known at ``as_of``): the latest adopted by
        then, else those the ledger started on."""
        chosen = _in_force(self._rule_events, point)
        key = chosen["id"] if chosen else None
        if key not in self._rules:
            self._rules[key] = builtin_rules(self._base) if chosen is None else \
                adopted_rules(chosen["version"], chosen["name"], chosen.get("rules"))
        return self._rules[key]

    def rules_info(self, point: int) -> dict:
        """Which rules are in force at ``point``, since when and by which adoption; and the newest built in."""
        chosen = _in_force(self._rule_events, point)
        rules = self.rules_at(point)
        name = rules.get("name", "built-in")
        return {"version": rules["version"], "name": name, "event": chosen and chosen["id"],
                "since": iso(chosen["occurred"]) if chosen else None, "newest": NEWEST,
                "newer_available": name == "built-in" and rules["version"] < NEWEST}

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
                                  (handle, subject["account"] or ""), named=("subject=?", (handle,)))
        known = [r for r in rows if r["recorded"] <= self.as_of]
        counting, retracted = knowledge(known, self.as_of)
        return subject, counting, retracted, known

    def view(self, handle: str, counting: list[dict] | None = None) -> ContactView:
        """The contact read under the rules and framework in force at each moment."""
        counting = self.contact_rows(handle)[1] if counting is None else counting
        return ContactView(handle, counting, self.rules_at, self.framework_at,
                           tuple(r["occurred"] for r in self._rule_events))

    def account(self, handle: str, contacts: bool = True) -> dict:
        """An account's stage (from its own milestones, and meetings with its contacts) and its
        contacts (not listed when ``contacts`` is false: the map streams its own)."""
        self.require_account(handle)
        st = self.account_stage(handle, self.at)
        name = next((r.get("name") for r in self._own_counting(handle) if r["type"] == "account"), None)
        return {"handle": handle, "kind": "account", "name": name, "stage": st["value"],
                "stage_events": st["events"], "explanation": st["explanation"],
                "contacts": self.listing(account=handle) if contacts else [], **self.stamp()}

    def _account_counting(self, handle: str) -> list[dict]:
        rows = [r for r in self.store.account_records(handle) if r["recorded"] <= self.as_of]
        return knowledge(rows, self.as_of)[0]

    def _own_counting(self, handle: str) -> list[dict]:
        rows = [r for r in self.own_records(handle) if r["recorded"] <= self.as_of]
        return knowledge(rows, self.as_of)[0]

    def account_stage(self, handle: str, point: int) -> dict:
        """The account's stage at ``point`` (about now: from its own records and the first
        meeting with any of its contacts, which the current-state view keeps)."""
        if self.current is not None and point == self.at:
            meeting = self.current.first_meeting(handle)
            records = in_valid_order(self._own_counting(handle) + ([meeting] if meeting else []))
            return stage_at(account_changes(records, handle), point)
        return stage_at(account_changes(self._account_counting(handle), handle), point)

    def is_account(self, handle: str) -> bool:
        """Whether the handle names an account (as known at ``as_of``)."""
        subject = self.store.subject(check_handle(handle))
        return bool(subject and subject["kind"] == "account" and subject["recorded"] <= self.as_of)

    def show(self, handle: str) -> dict:
        """Where the contact stands: dimensions, action (or candidates), quadrant, band, stage, what to reassess."""
        subject, counting, _, _ = self.contact_rows(handle)
        view = self.view(handle, counting)
        c, fw = view.classify(self.at), self.framework_at(self.at)
        who = personal_fields(self.store.db, [handle], registration_only=True).get(subject["event_id"], {})
        return {
            "handle": handle, "name": who.get("name"), "title": who.get("title"), "account": subject["account"],
            "forgotten": bool(subject["forgotten"] and subject["forgotten"] <= self.as_of),
            "dimensions": c["dimensions"], "action": c["action"], "candidates": c["candidates"], "decide": c["decide"],
            "quadrant": c["quadrant"], "band": c["band"], "stage": view.stage(self.at)["value"],
            "missing": c["missing"], "reassess": c["reassess"],
            "framework": {"name": fw.name, "version": fw.version, "row": c["row"]}, "rules": self.rules["version"],
            "next_steps": self._next_steps(counting), **self.stamp(),
        }

    def _next_steps(self, counting: list[dict]) -> list[dict]:
        """The contact's open next steps at ``at``, the soonest due first, with their text."""
        from ledger.projections.nextsteps import due_now, open_steps, with_texts

        steps = with_texts(self.store.db, open_steps(counting, self.at))
        return [{**s, "is_due": due_now(s, self.at)} for s in steps]

    def why(self, handle: str) -> dict:
        """The action (or what decides it), the framework row, and for every dimension the rule in
        words, the evidence, conflicts and staleness; the stage and the rules version."""
        _, counting, _, known = self.contact_rows(handle)
        view = self.view(handle, counting)
        c, fw, st = view.classify(self.at), self.framework_at(self.at), view.stage(self.at)
        personal = records_fields(self.store.db, known, [handle])
        return {
            "handle": handle, "action": c["action"], "candidates": c["candidates"], "decide": c["decide"],
            "quadrant": c["quadrant"], "band": c["band"], "missing": c["missing"], "reassess": c["reassess"],
            "framework": {"name": fw.name, "version": fw.version, "row": c["row"], "rows": c["rows"]},
            "dimensions": explain(c, self.rules, {r["id"]: r for r in known}, personal),
            "stage": {"value": st["value"], "events": st["events"], "explanation": st["explanation"]},
            "rules": self.rules["version"], "rules_in_force": self.rules_info(self.at), **self.stamp(),
        }

    def history(self, handle: str) -> dict:
        """Every event up to ``at`` as known at ``as_of``, and each move between actions, quadrants, stages."""
        subject, counting, retracted, known = self.contact_rows(handle)
        personal = records_fields(self.store.db, known, [handle] + ([subject["account"]] if subject["account"] else []))
        events = [
            {"id": r["id"], "type": r["type"], "handle": r["handle"], "occurred_at": iso(r["occurred"]),
             "recorded_at": iso(r["recorded"]), "by": r["by"],
             **{k: v for k, v in r.items() if k not in _INTERNAL and k not in ("id", "type", "handle", "by")},
             **personal.get(r["id"], {}), "retracted_by": retracted.get(r["id"])}
            for r in sorted(known, key=lambda r: (r["occurred"], r["recorded"])) if r["occurred"] <= self.at
        ]
        moves = transitions(self.view(handle, counting), self.at)
        return {"handle": handle, "events": events, "transitions": moves, "framework": self.framework_name(self.at),
                "rules": self.rules["version"], **self.stamp()}

    # -- many contacts ---------------------------------------------------------------

    def listing(self, account=None, action=None, quadrant=None, stage_name=None, stale=None) -> list[dict]:
        """One row per contact known at ``as_of``, filtered."""
        if account is not None:
            self.require_account(account)
        framework = self.framework_name(self.at)
        if self.current is not None:
            rows = [self._row(s, framework) for s in self.current.states(account, quadrant, stage_name, listed=True)]
        else:
            rows = [self._row(self._folded(h), framework) for h in self.store.contacts(account) if self._known(h)]
        return [r for r in rows if _keep(r, action, quadrant, stage_name, stale)]

    def _known(self, handle: str) -> bool:
        subject = self.store.subject(handle)
        return subject["recorded"] <= self.as_of and subject["occurred"] <= self.at

    def _folded(self, handle: str) -> dict:
        from ledger.projections.accounts import fold_state
        from ledger.projections.current import with_days

        return with_days(fold_state(self, handle), self.at)

    @staticmethod
    def _row(state: dict, framework: dict) -> dict:
        return {**{k: state[k] for k in _LISTED[:6]}, "framework": framework,
                **{k: state[k] for k in _LISTED[6:]}}

    def trend(self, handle: str | None, account: str | None, by: str) -> dict:
        """Per period from the first event to ``at``: classification, stage, score, interactions, direction."""
        if handle is not None:
            _, counting, _, _ = self.contact_rows(handle)
            starts = period_starts(counting[0]["occurred"], self.at, by)
            periods = contact_periods(self.view(handle, counting), starts, self.at)
            subject = {"handle": handle}
        else:
            first = self.require_account(account)
            from ledger.projections.account_trend import account_periods, stage_records

            starts = period_starts(first, self.at, by)
            periods = account_periods(self, account, starts)  # one contact folded at a time
            changes = account_changes(stage_records(self, account), account)  # streamed: not every record
            for period, start in zip(periods, starts[1:]):
                period["stage"] = stage_at(changes, min(start - 1, self.at))["value"]
            subject = {"account": account}
        for period, start in zip(periods, starts[1:]):
            period["framework"] = self.framework_name(min(start - 1, self.at))
            period["rules"] = self.rules_at(min(start - 1, self.at))["version"]
        return {**subject, "by": by, "periods": periods, "direction": direction(periods),
                "sparkline": sparkline(periods), **self.stamp()}

    def require_account(self, account: str) -> int:
        """When the account was registered, or an error when it is unknown or a contact."""
        subject = self.subject(check_handle(account, "account"))
        if subject is None or subject["recorded"] > self.as_of:
            raise UnknownHandleError(account, "account")
        if subject["kind"] != "account":
            raise InvalidInputError("account", f"'{account}' is a contact; this needs an account")
        return subject["occurred"]


def _keep(row: dict, action, quadrant, stage_name, stale) -> bool:
    if action and not _could_be(row, action.lower()):
        return False
    if quadrant and row["quadrant"] != quadrant:
        return False
    if stage_name and row["stage"] != stage_name:
        return False
    days = row["days_since_two_way"]
    return stale is None or days is None or days >= stale


def _could_be(row: dict, text: str) -> bool:
    """Whether the contact's action contains ``text``; an undecided contact matches when every
    candidate action does (whatever the assessment it awaits says), or on 'undecided'."""
    if row["action"] is not None:
        return text in row["action"].lower()
    return text in "undecided unclassified" or bool(row.get("candidates")) and all(
        text in c["action"].lower() for c in row["candidates"])
