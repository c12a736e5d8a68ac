"""Running totals for evidence rules version 1 (``Timeline``): a window's counts are two
subtractions and a bisect, so asking at every moment of a long history stays linear."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from ledger.projections.timeline import DAY


class Counts:
    """Running totals of what rules version 1 counts in its windows (tries and yeses, touches and
    loud ones, perception scores) and where the latest of each is, so that a window's counts are
    two subtractions: ``evidence(at)`` equals the values and moments of ``Timeline``'s scans."""

    def __init__(self, records: list[dict], rules: dict):
        rel, act, per = rules["relationship"], rules["activity"], rules["perception"]
        self.rules, self.times = rules, [r["occurred"] for r in records]
        self.exact = all(isinstance(v, int) for v in per["scores"].values())  # sums of floats: scan instead
        tried = [r["type"] == "interaction" and r["direction"] == "outbound" and bool(r["outcome"]) for r in records]
        seen = [r["type"] in ("interaction", "feedback") for r in records]
        loud = [r["type"] == "feedback" or (r["type"] == "interaction" and r["direction"] == "inbound") for r in records]
        said = [r["type"] == "feedback" and r["about"] in per["about"] for r in records]
        self.tries, self.seen, self.loud, self.said = (_running(x) for x in (tried, seen, loud, said))
        self.yes = _running([t and r["outcome"] in rel["yes_outcomes"] for t, r in zip(tried, records)])
        self.score = _running([per["scores"][r["sentiment"]] if s and self.exact else 0 for s, r in zip(said, records)])
        self.last = {name: _latest(flags) for name, flags in (("tries", tried), ("seen", seen), ("loud", loud),
                                                                ("said", said))}
        self.windows = {d: rules[d]["window_days"] * DAY for d in ("relationship", "activity", "perception")}
        self.act = act

    def evidence(self, at: int) -> dict[str, tuple[str, int] | None]:
        """(value, moment) from the evidence in each window at ``at``, or None."""
        hi = bisect_right(self.times, at)
        lo = {d: bisect_right(self.times, at - w, 0, hi) for d, w in self.windows.items()}
        found: dict[str, tuple[str, int] | None] = dict.fromkeys(("relationship", "activity", "perception"))
        lo_r, lo_a, lo_p = lo["relationship"], lo["activity"], lo["perception"]
        tries = self.tries[hi] - self.tries[lo_r]
        if tries:
            share = (self.yes[hi] - self.yes[lo_r]) / tries
            found["relationship"] = ("yes" if share >= self.rules["relationship"]["yes_share"] else "no", self._at("tries", hi))
        seen, loud = self.seen[hi] - self.seen[lo_a], self.loud[hi] - self.loud[lo_a]
        if seen and loud >= self.act["active_min"]:
            found["activity"] = ("active", self._at("loud", hi))
        elif seen and loud <= self.act["passive_max"] and seen >= self.act["passive_min_touches"]:
            found["activity"] = ("passive", self._at("seen", hi))
        score = self.score[hi] - self.score[lo_p]
        if score:
            found["perception"] = ("advocate" if score > 0 else "detractor", self._at("said", hi))
        return found

    def _at(self, name: str, hi: int) -> int:
        return self.times[self.last[name][hi]]


def _running(flags: list) -> list[int]:
    """Running totals: element i is the sum of the first i values."""
    return list(accumulate((int(x) for x in flags), initial=0))


def _latest(flags: list[bool]) -> list[int]:
    """Element i is the index of the last true flag among the first i (-1 when none)."""
    found, latest = [-1], -1
    for i, flag in enumerate(flags):
        latest = i if flag else latest
        found.append(latest)
    return found
