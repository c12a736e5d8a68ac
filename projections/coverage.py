"""An account's coverage (strengths and gaps, seed 002), taken in one contact at a time.

``Coverage`` reads the contacts' states as they stream from the current-state view (or from
folding), so an account of 100,000 contacts is never held whole: without a ``limit`` it keeps
what it will print (every gap, as ``map`` shows them); with one (the report) it keeps only the
first ``limit`` gaps in their final order, the first ``limit`` contacts behind each item, and
counts of the rest (``more``, ``counts``).
"""

from __future__ import annotations

from ledger.projections.timeline import iso


class Coverage:
    """Strengths and gaps of one account's coverage, fed one contact state at a time."""

    def __init__(self, rules: dict, cold_days: int | None = None, limit: int | None = None):
        self.rules, self.limit = rules, limit
        self.cold_days = rules["coverage"]["cold_days"] if cold_days is None else cold_days
        self.rows, self.seq = 0, 0
        self.high, self.related = _Capped(limit), _Capped(limit)
        self.high_related = 0
        self.holders = {role: (_Capped(limit), _Capped(limit)) for role in rules["coverage"]["key_roles"]}
        self.gaps: list[tuple] = []  # (sort key, gap): the contacts' own gaps, in arrival order
        self.sponsors, self.counts = _Capped(limit), {}

    def add(self, r: dict) -> None:
        """Take in one contact's state (with its day counts)."""
        self.rows += 1
        live = not r["forgotten"]  # someone erased from the ledger is no thread to the account
        dims = r["dimensions"]
        related = live and dims["relationship"] == "yes"
        if live and dims["power"] == "high":
            self.high.add(_slim(r))
            self.high_related += related
        if related:
            self.related.add(_slim(r))
        for gap in _contact_gaps(r, self.cold_days):
            self.seq += 1
            self._gap(gap, self.seq)
        if dims["power"] == "high" and dims["perception"] == "advocate" and related:
            self.sponsors.add(_item("sponsor", f"{r['handle']} has power, advocates, and takes our call", [r],
                                    ("power", "perception", "relationship")))
        for role, (reached, others) in self.holders.items():
            if live and role in r["roles"]:
                (reached if related else others).add(_slim(r))

    def _gap(self, gap: dict, seq: int) -> None:
        self.counts[gap["kind"]] = self.counts.get(gap["kind"], 0) + 1
        self.gaps.append(((not gap.get("risk"), -gap.get("days", 0), seq), gap))
        if self.limit is not None and len(self.gaps) > 2 * self.limit:
            self.gaps = sorted(self.gaps, key=lambda g: g[0])[:self.limit]

    def result(self) -> dict:
        """``{"gaps": [...], "strengths": [...]}`` (risks first, then the longest overdue), and
        with a limit the count of each kind of gap and how many gaps were left out."""
        first, strengths = [], []
        if self.rows and not self.high_related:
            first.append(_item("no-high-power-relationship", "no relationship with any high-power contact",
                               self.high.kept, more=self.high.more))
        if self.related.seen == 1:
            first.append(_item("single-threaded", f"only {self.related.kept[0]['handle']} would take our call",
                               self.related.kept))
        elif self.related.seen > 1:
            strengths.append(_item("multi-threaded", f"{self.related.seen} contacts would take our call",
                                   self.related.kept, more=self.related.more))
        strengths += self.sponsors.kept
        last = []
        for role, (reached, others) in self.holders.items():
            found = _role_coverage(role, reached, others)
            (strengths if found["kind"] == "role-covered" else last).append(found)
        for n, gap in enumerate(first):
            self._gap(gap, -len(first) + n)
        for n, gap in enumerate(last):
            self._gap(gap, 2**62 + n)
        gaps = [g for _, g in sorted(self.gaps, key=lambda g: g[0])]
        if self.limit is None:
            return {"gaps": gaps, "strengths": strengths}
        total = sum(self.counts.values())
        return {"gaps": gaps[:self.limit], "strengths": strengths, "gap_counts": dict(self.counts), "gap_total": total,
                "strength_total": len(strengths) - len(self.sponsors.kept) + self.sponsors.seen}


class _Capped:
    """The first ``limit`` things added (all without a limit), and how many there were."""

    def __init__(self, limit: int | None):
        self.limit, self.kept, self.seen = limit, [], 0

    def add(self, thing) -> None:
        self.seen += 1
        if self.limit is None or len(self.kept) < self.limit:
            self.kept.append(thing)

    @property
    def more(self) -> int:
        return self.seen - len(self.kept)


def _slim(r: dict) -> dict:
    """What an item needs of a contact: handle, relationship, and its evidence."""
    return {"handle": r["handle"], "dimensions": r["dimensions"], "signals": r["signals"]}


def _item(kind: str, detail: str, contacts: list[dict], dims=("power", "relationship"), more: int = 0) -> dict:
    events = sorted({e for c in contacts for d in dims for e in c["signals"].get(d, [])})
    found = {"kind": kind, "detail": detail, "contacts": [c["handle"] for c in contacts], "events": events}
    return {**found, "more": more} if more else found


def _role_coverage(role: str, reached: _Capped, others: _Capped) -> dict:
    """A key role is covered when we have a relationship with someone holding it (seed 002: coverage
    is who we are strong with); held only by people who would not take our call, it is a gap."""
    if reached.seen:
        item = {"kind": "role-covered", "detail": f"{role}: {', '.join(h['handle'] for h in reached.kept)}"
                + (f" and {reached.more} more" if reached.more else ""),
                "contacts": [h["handle"] for h in reached.kept], "events": []}
        return {**item, "more": reached.more} if reached.more else item
    if not others.seen:
        return {"kind": "role-uncovered", "detail": f"nobody is known as {role}", "contacts": [], "events": []}
    who = ", ".join(f"{h['handle']} (relationship {h['dimensions']['relationship'] or 'unknown'})" for h in others.kept)
    who += f" and {others.more} more" if others.more else ""
    return {**_item("role-unreached", f"{role} is held by {who}: nobody we have a relationship with", others.kept,
                    ("relationship",), others.more), "role": role}


def _contact_gaps(r: dict, cold_days: int) -> list[dict]:
    """A contact's own gaps: detracting with power, each complaint without a response, stale
    values (``own_gaps``, stored in the current-state view's ``work`` when read from it), and
    gone cold (a forgotten contact is never chased)."""
    found = r["own_gaps"] if "own_gaps" in r else own_gaps(r)
    if not r["forgotten"] and (r["days_since_two_way"] is None or r["days_since_two_way"] >= cold_days):
        since = "ever" if r["days_since_two_way"] is None else f"for {r['days_since_two_way']} days"
        found.append({"kind": "gone-cold", "detail": f"{r['handle']}: no two-way contact {since}", "contacts": [r["handle"]],
                      "events": [r["last_two_way_event"]] if r["last_two_way_event"] else [],
                      "days": r["days_out_of_touch"]})
    return found


def own_gaps(r: dict) -> list[dict]:
    """The gaps a contact's state holds whatever the moment and the --cold days: detracting
    with power, each complaint without a response, stale values (a forgotten contact's only the first)."""
    found, who = [], [r["handle"]]
    if r["dimensions"]["power"] == "high" and r["dimensions"]["perception"] == "detractor":
        found.append({"kind": "high-power-detractor", "detail": f"{r['handle']} has power and detracts", "contacts": who,
                      "events": sorted(set(r["signals"]["power"] + r["signals"]["perception"])), "risk": True})
    if r["forgotten"]:
        return found
    for f in r["complaint_records"]:
        found.append({"kind": "feedback-without-response", "detail": f"{r['handle']}: {f['sentiment']} feedback about "
                      f"{f['about']} ({f['id']}, {iso(f['occurred'])[:10]}) has no response", "contacts": who,
                      "events": [f["id"]], "feedback": f["id"], "risk": True})
    for dim, st in r["stale"].items():
        found.append({"kind": "reassess", "detail": f"reassess {dim} of {r['handle']} ({st['value']}; nothing has "
                      f"agreed since {st['last_agreeing'][:10]})", "contacts": who, "events": r["signals"][dim],
                      "dimension": dim, "stale_since": st["stale_since"][:10]})
    return found


def coverage(rows, rules: dict, cold_days: int | None = None, limit: int | None = None) -> dict:
    """The coverage of the given contact states (any iterable: a list, or a stream from the view)."""
    found = Coverage(rules, cold_days, limit)
    for r in rows:
        found.add(r)
    return found.result()
