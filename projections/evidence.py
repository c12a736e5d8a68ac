"""Evidence rules version 2 (ADR 0013): each event read for one dimension, considered values
kept against lone contrary signals, and values that age into "reassess" instead of vanishing.

``Timeline2`` folds a contact's counting records once, in valid-time order, keeping each
dimension's state after every record; asking about a moment is then a bisect plus the
staleness check. Pure: records, the moment and the rules decide everything.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace

from ledger.framework import DIMENSION_ORDER
from ledger.projections.classification import Records
from ledger.projections.timeline import DAY

FOLDED = ("relationship", "activity", "perception")


@dataclass(frozen=True)
class Signal:
    """One dimension's value and where it stands: its source, the events behind it, agreeing
    support, conflicts (contrary signals not yet enough to change it) and staleness."""

    value: str
    source: str  # assessment | evidence | role
    at: int  # when the value was set
    events: tuple[str, ...] = field(default=())
    support: int = 0  # the latest moment something agreed with it (or set it)
    weight: int = 1  # agreeing signals behind an evidence value; assessments count as considered
    conflicts: tuple[str, ...] = field(default=())
    stale_since: int | None = None


def reading(r: dict, rules: dict) -> tuple[str, str] | None:
    """The one dimension an event speaks to, and the value it points at (or None)."""
    if r["type"] == "interaction":
        rel = rules["relationship"]
        if r["direction"] == "inbound" or r["outcome"] in rel["yes_outcomes"]:
            return "relationship", "yes"
        if r["outcome"] in rel["no_outcomes"]:
            return "relationship", "no"
        if r["kind"] in rel["kinds_without_outcome"] and r["outcome"] is None:
            return "relationship", "yes"
        return None
    if r["type"] == "feedback":
        per = rules["perception"]
        if r["about"] in per["about"] and r["sentiment"] in per["advocate"]:
            return "perception", "advocate"
        if r["about"] in per["about"] and r["sentiment"] in per["detractor"]:
            return "perception", "detractor"
    return None


def volunteered(r: dict) -> bool:
    """Feedback counts toward activity: they spoke up (whatever it said)."""
    return r["type"] == "feedback"


class Timeline2(Records):
    """A contact's counting records under rules version 2, indexed for any moment."""

    def __init__(self, records: list[dict], rules: dict):
        super().__init__(records, rules)
        self._states: list[dict[str, Signal | None]] = []
        self._runs: dict[str, list[tuple[dict, str]]] = {d: [] for d in FOLDED}  # contrary signals so far
        self._judged_power: Signal | None = None  # the latest assessment of power, for when a role is taken away
        state: dict[str, Signal | None] = dict.fromkeys(DIMENSION_ORDER)
        for r in records:
            state = self._step(state, r)
            self._states.append(state)

    def change_points(self, at: int) -> list[tuple[int, str, str]]:
        """Moments a classification can change: only when something happens (values never age out)."""
        return [(r["occurred"], r["id"], r["type"]) for r in self.records if r["occurred"] <= at]

    def signals(self, at: int) -> dict[str, Signal | None]:
        """Each dimension's signal at ``at``, with staleness measured at ``at``."""
        index = bisect_right(self.times, at)
        state = self._states[index - 1] if index else dict.fromkeys(DIMENSION_ORDER)
        return {d: self._aged(d, s, at) for d, s in state.items()}

    def values(self, at: int) -> dict[str, str | None]:
        """Each dimension's value at ``at`` (staleness never changes a value)."""
        index = bisect_right(self.times, at)
        state = self._states[index - 1] if index else {}
        return {d: s.value if (s := state.get(d)) else None for d in DIMENSION_ORDER}

    def next_change(self, at: int) -> int | None:
        """The first moment after ``at`` when a value known then turns stale."""
        dues = [s.support + self.rules[d]["freshness_days"] * DAY for d, s in self.signals(at).items()
                if s is not None and s.stale_since is None]
        return min(dues, default=None)

    def _aged(self, dim: str, s: Signal | None, at: int) -> Signal | None:
        if s is None:
            return None
        due = s.support + self.rules[dim]["freshness_days"] * DAY
        return replace(s, stale_since=due) if at >= due else s

    # -- the fold ---------------------------------------------------------------------

    def _step(self, state: dict, r: dict) -> dict:
        if r["type"] == "assessment":
            return self._assessed(state, r)
        if r["type"] in ("contact", "roles"):
            return self._roles(state, r)
        found = reading(r, self.rules)
        if found:
            state = {**state, found[0]: self._read(found[0], state[found[0]], found[1], r)}
        if volunteered(r):
            state = {**state, "activity": self._read("activity", state["activity"], "active", r)}
        return state

    def _assessed(self, state: dict, r: dict) -> dict:
        new = dict(state)
        for dim, value in r["dimensions"].items():
            new[dim] = Signal(value, "assessment", r["occurred"], (r["id"],), r["occurred"], self.rules["overturn_min"])
            if dim in self._runs:
                self._runs[dim] = []
            if dim == "power":
                self._judged_power = new[dim]
        return new

    def _roles(self, state: dict, r: dict) -> dict:
        high = set(r.get("roles") or ()) & set(self.rules["power"]["high_roles"])
        current = state["power"]
        if high:
            return {**state, "power": Signal("high", "role", r["occurred"], (r["id"],), r["occurred"])}
        if current is not None and current.source == "role":  # the role that gave power was taken away
            return {**state, "power": self._judged_power}
        return state

    def _read(self, dim: str, current: Signal | None, value: str, r: dict) -> Signal | None:
        rule, at = self.rules[dim], r["occurred"]
        since = at - rule["window_days"] * DAY
        run = [x for x, v in self._runs[dim] if v == value and x["occurred"] > since] + [r] if self._runs[dim] else [r]
        if current is not None and current.value == value:
            self._runs[dim] = []
            events = current.events[:1] + (current.events[1:] + (r["id"],))[-11:]  # what set it, and the latest agreeing
            return Signal(current.value, current.source, current.at, events, at, current.weight + 1)
        needed = rule["establish_min"] if current is None else min(self.rules["overturn_min"], current.weight)
        if len(run) >= needed:
            self._runs[dim] = []
            return Signal(value, "evidence", at, tuple(x["id"] for x in run), at, len(run))
        self._runs[dim] = [(x, value) for x in run]
        if current is None:
            return None
        return Signal(current.value, current.source, current.at, current.events, current.support, current.weight,
                      tuple(x["id"] for x in run))
