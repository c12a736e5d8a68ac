"""Where a contact stands: the four dimensions from assessments and evidence, and the action.

Pure functions over a contact's counting records in valid-time order (see timeline.py).
The rules (windows, thresholds, precedence) are data: ``ledger/frameworks/rules-v1.json``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ledger.framework import DIMENSION_ORDER, Framework
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


class Timeline:
    """A contact's counting records, indexed so any moment can be classified cheaply."""

    def __init__(self, records: list[dict], rules: dict):
        self.records = records
        self.rules = rules
        self.times = [r["occurred"] for r in records]
        self._assess_times: list[int] = []
        self._assess_states: list[dict[str, Signal]] = []
        latest: dict[str, Signal] = {}
        for r in records:
            if r["type"] == "assessment":
                latest = {**latest, **{n: Signal(v, "assessment", r["occurred"], (r["id"],)) for n, v in r["dimensions"].items()}}
                self._assess_times.append(r["occurred"])
                self._assess_states.append(latest)
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


def classify(timeline: Timeline, at: int, framework: Framework) -> dict:
    """The cell, action, quadrant and band at ``at``, with each dimension's signal."""
    signals = timeline.signals(at)
    values = {d: s.value if s else None for d, s in signals.items()}
    row = framework.row_for(values)
    action = framework.action_for(values)
    return {
        "dimensions": values,
        "signals": signals,
        "action": action,
        "quadrant": quadrant(values),
        "band": band(action, timeline.rules) if row else None,
        "row": row["row"] if row else None,
        "missing": [d for d in DIMENSION_ORDER if values[d] is None],
    }
