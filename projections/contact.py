"""One contact read under the rules and framework in force at each moment.

``ContactView`` keeps one timeline per rules version met (rules can be adopted mid-history)
and the contact's stage changes, so transitions and trends ask any moment cheaply. It stays
a pure function of the contact's records, the moment, the framework and the rules.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

from ledger.framework import DIMENSION_ORDER
from ledger.projections.classification import action_of, candidates, classify, quadrant, timeline
from ledger.projections.stage import contact_changes, stage_at
from ledger.projections.timeline import iso
from ledger.rules import describe


class ContactView:
    """A contact's counting records (with its account's milestones), read at any moment."""

    def __init__(self, handle: str, records: list[dict], rules_at: Callable, framework_at: Callable,
                 rule_changes: tuple[int, ...] = ()):
        self.handle, self.records = handle, records
        self.rules_at, self.framework_at = rules_at, framework_at
        self.rule_changes = rule_changes
        self._timelines: dict[int, object] = {}
        self._stages = contact_changes(records, handle)
        self._stage_times = [c[0] for c in self._stages]
        self._actions: dict[tuple, tuple] = {}  # (framework id, values) -> (framework, action, quadrant)

    def timeline(self, point: int):
        """The timeline under the rules in force at ``point``."""
        rules = self.rules_at(point)
        if id(rules) not in self._timelines:
            self._timelines[id(rules)] = timeline(self.records, rules)
        return self._timelines[id(rules)]

    def classify(self, point: int) -> dict:
        """The classification at ``point`` under the rules and framework then in force."""
        return classify(self.timeline(point), point, self.framework_at(point))

    def stage(self, point: int) -> dict:
        """The contact's own stage at ``point``."""
        return stage_at(self._stages, point)

    def position(self, point: int) -> dict:
        """What ``history`` compares at each moment: the action (or 'unclassified'), quadrant and
        stage, as ``classify`` and ``stage`` give them; from the dimension values alone, each
        combination classified once (a long history revisits few)."""
        values, framework = self.timeline(point).values(point), self.framework_at(point)
        key = (id(framework), tuple(values[d] for d in DIMENSION_ORDER))
        if key not in self._actions:  # the framework is kept with its answer: its id is not reused meanwhile
            self._actions[key] = (framework, action_of(candidates(framework, values)), quadrant(values))
        _, action, where = self._actions[key]
        index = bisect_right(self._stage_times, point)
        stage = self._stages[index - 1][1] if index else "courting"
        return {"action": action or "unclassified", "quadrant": where, "stage": stage}

    def upto(self, point: int) -> list[dict]:
        """Records that occurred by ``point``."""
        return self.timeline(point).upto(point)

    def change_points(self, at: int) -> list[tuple[int, str, str]]:
        """Every moment the answer can change: events, evidence leaving a window (version 1), rules adopted."""
        points = set(self.timeline(at).change_points(at))
        for other in list(self._timelines.values()):
            points |= set(other.change_points(at))
        points |= {(when, "rules", "rules") for when in self.rule_changes if when <= at}
        return sorted(points)


def explain(c: dict, rules: dict, records: dict[str, dict], personal: dict[str, dict]) -> dict:
    """Each dimension's value with the rule in words, the evidence as objects, conflicts and staleness."""
    found = {}
    for dim, s in c["signals"].items():
        entry = {"value": None, "source": None, "events": [], "rule": describe(rules, dim), "evidence": [],
                 "conflicts": [], "reassess": False}
        if s is not None:
            stale = getattr(s, "stale_since", None)
            support = getattr(s, "support", s.at)
            entry.update(value=s.value, source=s.source, events=list(s.events), since=iso(s.at),
                         evidence=[_evidence(records[e], personal) for e in s.events if e in records],
                         conflicts=[_evidence(records[e], personal) for e in getattr(s, "conflicts", ()) if e in records],
                         last_agreeing=iso(support), reassess=stale is not None, stale_since=iso(stale) if stale else None)
        found[dim] = entry
    return found


def _evidence(r: dict, personal: dict[str, dict]) -> dict:
    item = {"id": r["id"], "type": r["type"], "occurred_at": iso(r["occurred"]), "recorded_by": r["by"]}
    detail = {"interaction": lambda: " ".join(x for x in (r["kind"], r["direction"], r.get("outcome")) if x),
              "feedback": lambda: f"{r['sentiment']} about {r['about']}",
              "assessment": lambda: " ".join(f"{k}={v}" for k, v in r["dimensions"].items()),
              "contact": lambda: "roles " + ",".join(r.get("roles") or ()),
              "roles": lambda: "roles " + ",".join(r.get("roles") or ())}.get(r["type"])
    if detail:
        item["what"] = detail()
    said = personal.get(r["id"], {})
    item.update({k: said[k] for k in ("reason", "note") if said.get(k)})
    return item
