"""Where a contact stands: the four dimensions from assessments and evidence, and the action.

Pure functions over a contact's counting records in valid-time order (see timeline.py).
The rules (windows, thresholds, precedence) are data: ``ledger/frameworks/rules-v1.json``
(``Timeline``, kept exactly for ledgers on version 1) and ``rules-v2.json`` (``Timeline2``
in evidence.py). ``classify`` works with either, and with any framework's rows: when unknown
dimensions cannot change the action it gives the action, else the candidates.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ledger.framework import DIMENSION_ORDER, Framework
from ledger.projections.counts import Counts
from ledger.projections.timeline import DAY

_BAND = re.compile(r"^(low|moderate|med|high) (risk|potential)\b", re.IGNORECASE)


@lru_cache(maxsize=None)
def evidence_rules(version: int = 1) -> dict:
    """The evidence rules shipped with relledger."""
    return json.loads(resources.files("ledger").joinpath(f"frameworks/rules-v{version}.json").read_text("utf-8"))


@dataclass(frozen=True)
class Signal:
    """One dimension's value, where it came from, when, and the events behind it."""

    value: str
    source: str  # assessment | evidence | role
    at: int
    events: tuple[str, ...] = field(default=())


class Records:
    """A contact's counting records in valid-time order, with what any rules version asks of them."""

    def __init__(self, records: list[dict], rules: dict):
        self.records = records
        self.rules = rules
        self.times = [r["occurred"] for r in records]
        self._role_times = [r["occurred"] for r in records if r["type"] in ("contact", "roles")]
        self._role_events = [r for r in records if r["type"] in ("contact", "roles")]

    def window(self, at: int, days: int) -> list[dict]:
        """Records that occurred in (at - days, at]."""
        hi = bisect_right(self.times, at)
        lo = bisect_right(self.times, at - days * DAY, 0, hi)
        return self.records[lo:hi]

    def upto(self, at: int) -> list[dict]:
        """Records that occurred by ``at``."""
        return self.records[: bisect_right(self.times, at)]

    def roles(self, at: int) -> list[str]:
        """The contact's roles at ``at``."""
        index = bisect_right(self._role_times, at)
        return list(self._role_events[index - 1].get("roles") or ()) if index else []

    def reports_to(self, at: int) -> str | None:
        """Whom the contact reports to at ``at``."""
        latest = None
        for r in self.upto(at):
            if r["type"] in ("contact", "reporting"):
                latest = r.get("reports_to")
        return latest


class Timeline(Records):
    """A contact's counting records under rules version 1, indexed so any moment can be classified cheaply."""

    def __init__(self, records: list[dict], rules: dict):
        super().__init__(records, rules)
        self._assess_times: list[int] = []
        self._assess_states: list[dict[str, Signal]] = []
        latest: dict[str, Signal] = {}
        for r in records:
            if r["type"] == "assessment":
                latest = {**latest, **{n: Signal(v, "assessment", r["occurred"], (r["id"],)) for n, v in r["dimensions"].items()}}
                self._assess_times.append(r["occurred"])
                self._assess_states.append(latest)
        self._counts = Counts(records, rules)

    def values(self, at: int) -> dict[str, str | None]:
        """Each dimension's value at ``at``, as ``signals`` gives it, without gathering the events
        behind it: counts over the windows from running totals, so each moment costs a bisect
        (``history`` asks at every event and window edge: linear in the contact's events)."""
        if not self._counts.exact:
            return {d: s.value if s else None for d, s in self.signals(at).items()}
        assessed, evidence = self._assessed(at), self._counts.evidence(at)
        power = self._power(at)
        evidence["power"] = (power.value, power.at) if power else None
        found = {}
        for d in DIMENSION_ORDER:
            a, e = assessed.get(d), evidence[d]
            found[d] = (e[0] if e is not None and (a is None or e[1] > a.at) else a.value if a is not None else None)
        return found

    def change_points(self, at: int) -> list[tuple[int, str, str]]:
        """Moments a classification can change: after every event, and when evidence leaves its window."""
        windows = {self.rules[r]["window_days"] * DAY for r in ("relationship", "activity", "perception")}
        points = {(r["occurred"], r["id"], r["type"]) for r in self.records if r["occurred"] <= at}
        for r in self.records:
            if r["type"] in ("interaction", "feedback"):
                points |= {(r["occurred"] + w + 1, r["id"], "window") for w in windows if r["occurred"] + w + 1 <= at}
        return sorted(points)

    def next_change(self, at: int) -> int | None:
        """The first moment after ``at`` when evidence recorded by then leaves its window."""
        windows = {self.rules[r]["window_days"] * DAY for r in ("relationship", "activity", "perception")}
        edges = [r["occurred"] + w for r in self.upto(at) if r["type"] in ("interaction", "feedback")
                 for w in windows if r["occurred"] + w > at]
        return min(edges, default=None)

    def signals(self, at: int) -> dict[str, Signal | None]:
        """The winning signal for each dimension at ``at``."""
        assessed = self._assessed(at)
        evidence = {
            "relationship": self._relationship(at),
            "activity": self._activity(at),
            "perception": self._perception(at),
            "power": self._power(at),
        }
        return {d: _newest(assessed.get(d), evidence[d]) for d in DIMENSION_ORDER}

    def _assessed(self, at: int) -> dict[str, Signal]:
        index = bisect_right(self._assess_times, at)
        return self._assess_states[index - 1] if index else {}

    def _relationship(self, at: int) -> Signal | None:
        rule = self.rules["relationship"]
        tries = [r for r in self.window(at, rule["window_days"]) if r["type"] == "interaction"
                 and r["direction"] == "outbound" and r["outcome"]]
        if not tries:
            return None
        yes = sum(r["outcome"] in rule["yes_outcomes"] for r in tries)
        value = "yes" if yes / len(tries) >= rule["yes_share"] else "no"
        return Signal(value, "evidence", tries[-1]["occurred"], tuple(r["id"] for r in tries))

    def _activity(self, at: int) -> Signal | None:
        rule = self.rules["activity"]
        seen = [r for r in self.window(at, rule["window_days"]) if r["type"] in ("interaction", "feedback")]
        if not seen:
            return None
        loud = [r for r in seen if r["type"] == "feedback" or r["direction"] == "inbound"]
        if len(loud) >= rule["active_min"]:
            return Signal("active", "evidence", loud[-1]["occurred"], tuple(r["id"] for r in loud))
        if len(loud) <= rule["passive_max"] and len(seen) >= rule["passive_min_touches"]:
            return Signal("passive", "evidence", seen[-1]["occurred"], tuple(r["id"] for r in seen))
        return None

    def _perception(self, at: int) -> Signal | None:
        rule = self.rules["perception"]
        said = [r for r in self.window(at, rule["window_days"]) if r["type"] == "feedback" and r["about"] in rule["about"]]
        score = sum(rule["scores"][r["sentiment"]] for r in said)
        if not score:
            return None
        return Signal("advocate" if score > 0 else "detractor", "evidence", said[-1]["occurred"], tuple(r["id"] for r in said))

    def _power(self, at: int) -> Signal | None:
        index = bisect_right(self._role_times, at)
        r = self._role_events[index - 1] if index else None
        if r is None or not set(r.get("roles") or ()) & set(self.rules["power"]["high_roles"]):
            return None
        return Signal("high", "role", r["occurred"], (r["id"],))


def _newest(assessed: Signal | None, evidence: Signal | None) -> Signal | None:
    if assessed is None or evidence is None:
        return assessed or evidence
    return evidence if evidence.at > assessed.at else assessed


def band(action: str, rules: dict) -> dict | None:
    """The band of an action text ('High risk, ...' -> high risk, score -3), if it has one."""
    match = _BAND.match(action)
    if not match:
        return None
    level, kind = match.group(1).lower(), match.group(2).lower()
    return {"kind": kind, "level": level, "score": rules["band_scores"].get(f"{level} {kind}")}


def quadrant(dimensions: dict[str, str | None]) -> str | None:
    """Power x perception, e.g. 'high-advocate'; None while either is unknown."""
    power, perception = dimensions.get("power"), dimensions.get("perception")
    return f"{power}-{perception}" if power and perception else None


def timeline(records: list[dict], rules: dict):
    """The timeline that reads ``records`` under ``rules`` (version 1, or the version-2 engine)."""
    if rules.get("engine") == 2:
        from ledger.projections.evidence import Timeline2

        return Timeline2(records, rules)
    return Timeline(records, rules)


def classify(timeline, at: int, framework: Framework) -> dict:
    """The cell, action (or candidates), quadrant and band at ``at``, with each dimension's signal."""
    signals = timeline.signals(at)
    values = {d: s.value if s else None for d, s in signals.items()}
    row = framework.row_for(values)
    missing = [d for d in DIMENSION_ORDER if values[d] is None]
    options = candidates(framework, values)
    action = action_of(options)
    return {
        "dimensions": values,
        "signals": signals,
        "action": action,
        "candidates": [] if action else options,
        "decide": decide(options) if action is None else None,
        "quadrant": quadrant(values),
        "band": band(action, timeline.rules) if action else None,
        "row": row["row"] if row else None,
        "rows": sorted(r["row"] for r in compatible(framework, values)),
        "missing": missing,
        "reassess": [d for d, s in signals.items() if s is not None and getattr(s, "stale_since", None) is not None],
    }


def action_of(options: list[dict]) -> str | None:
    """The action when every candidate leads to the same one, else None (undecided)."""
    return options[0]["action"] if len({o["action"] for o in options}) == 1 else None


def compatible(framework: Framework, values: dict[str, str | None]) -> list[dict]:
    """The framework rows that agree with every known value."""
    return [r for r in framework.rows if all(values[d] is None or r[d] == values[d] for d in DIMENSION_ORDER)]


def candidates(framework: Framework, values: dict[str, str | None]) -> list[dict]:
    """Each action the unknown dimensions could lead to, with the values leading to it."""
    unknown = [d for d in DIMENSION_ORDER if values[d] is None]
    by_action: dict[str, list[dict]] = {}
    for r in compatible(framework, values):
        by_action.setdefault(r["action"], []).append({d: r[d] for d in unknown})
    found = []
    for action, combos in by_action.items():
        varying = [d for d in unknown if len({c[d] for c in combos}) > 1]
        fixed = [d for d in unknown if d not in varying]
        if len(combos) == 2 ** len(varying) or len(combos) == 1:  # the varying ones do not matter for this action
            found.append({"action": action, "when": {d: combos[0][d] for d in fixed}})
        else:
            found += [{"action": action, "when": c} for c in combos]
    return found


def decide(options: list[dict]) -> str:
    """Which dimension(s) to assess to decide, and where each answer leads."""
    dims = [d for d in DIMENSION_ORDER if any(d in o["when"] for o in options)]
    paths = "; ".join(", ".join(o["when"][d] for d in dims if d in o["when"]) + " → " + o["action"] for o in options)
    names = dims[0] if len(dims) == 1 else ", ".join(dims[:-1]) + " and " + dims[-1]
    return f"assess {names}: {paths}"
