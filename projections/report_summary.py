"""What a report page needs of an account's contacts, in one pass over them (issue 12, item 5).

The contacts stream from the current-state view (or are folded one at a time for a report
about the past) and are taken in as they come: coverage, what is due, counts per quadrant
and band, the mean score. Only ``LIMIT`` contacts are kept for the page (all of them, in
handle order, up to ``LIMIT``; beyond, the most at risk), and at most ``LIMIT`` gaps and due
items, so a report on an account of 100,000 contacts holds a page, not the account.
"""

from __future__ import annotations

from ledger.projections import accounts, worklist
from ledger.projections.coverage import Coverage

LIMIT = 50  # contacts, gaps and due items shown on one account's page
_DUE_ORDER = lambda i: (-i["risk_level"], -i["days_overdue"], i["account"], i["what"])  # noqa: E731 (worklist.due's)
_KEPT = ("handle", "roles", "dimensions", "quadrant", "band", "stage", "last_two_way", "days_since_two_way", "held_by",
         "reports_to")


def _at_risk_first(row: dict) -> tuple:
    band = row["band"] or {}
    score = band.get("score")
    return (band.get("kind") != "risk", score if score is not None else 99, row["handle"])


def summary(answers, account: str, limit: int | None = None) -> dict:
    """The account's name and stage, its shown contacts, coverage, due items and counts."""
    limit = LIMIT if limit is None else limit
    card = answers.account(account, contacts=False)
    ended = answers.account_stage(account, answers.at)["value"] == "ended"
    cover, counts = Coverage(answers.rules, None, limit), _Counts()
    due = [] if ended else worklist._reviews_and_initiatives(answers, account)
    counts.due, kept = len(due), []
    for r in accounts.each_state(answers, account):
        cover.add(r)
        counts.add(r)
        kept = _keep(kept, {k: r[k] for k in _KEPT}, limit, _at_risk_first)
        if not ended and not r["forgotten"]:
            found = worklist.contact_due(answers, account, r)
            counts.due += len(found)
            due = _keep(due, found, limit, _DUE_ORDER)
    if counts.contacts > limit:
        kept = sorted(kept, key=_at_risk_first)[:limit]
    names = accounts._names(answers, [r["handle"] for r in kept])
    kept = [{**r, "name": names.get(r["handle"])} for r in kept]
    shown = {r["handle"] for r in kept}
    found = cover.result()
    return {"account": account, "name": card["name"], "stage": card["stage"], "contacts": kept,
            "reporting": [[r["handle"], r["reports_to"]] for r in kept if r["reports_to"] in shown
                          or r["reports_to"] and counts.contacts <= limit],
            "coverage": {"gaps": found["gaps"], "strengths": found["strengths"]},
            "due": sorted(due, key=_DUE_ORDER)[:limit],
            "counts": counts.result(found, len(kept))}


def _keep(items: list, more, limit: int, key) -> list:
    """``items`` and ``more`` (one or a list), cut back to the first ``limit`` by ``key`` when
    they grow past twice that (so keeping the first ``limit`` of n costs n log ``limit``)."""
    items = items + (more if isinstance(more, list) else [more])
    return sorted(items, key=key)[:limit] if len(items) > 2 * limit else items


class _Counts:
    """Counts over every contact of the account, for the health and the totals."""

    def __init__(self):
        self.contacts, self.quadrants, self.bands, self.due = 0, {}, {}, 0
        self.scores, self.scored, self.at_risk, self.risk_points = 0, 0, 0, 0

    def add(self, r: dict) -> None:
        self.contacts += 1
        quadrant = r["quadrant"] or "unclassified"
        self.quadrants[quadrant] = self.quadrants.get(quadrant, 0) + 1
        band = r["band"]
        kind = band["kind"] if band else "unclassified"
        self.bands[kind] = self.bands.get(kind, 0) + 1
        if band and band["score"] is not None:
            self.scores, self.scored = self.scores + band["score"], self.scored + 1
        if band and band["kind"] == "risk":
            self.at_risk += 1
            self.risk_points += -band["score"] if band["score"] else 0

    def result(self, coverage: dict, shown: int) -> dict:
        return {"contacts": self.contacts, "shown": shown, "quadrants": self.quadrants, "bands": self.bands,
                "mean_score": round(self.scores / self.scored, 2) if self.scored else None,
                "at_risk": self.at_risk, "risk_points": self.risk_points, "gaps": coverage["gap_total"],
                "gap_kinds": coverage["gap_counts"], "strengths": coverage["strength_total"], "due": self.due}
