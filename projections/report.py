"""The shareable report (issue 13) as plain data: one account, or a portfolio of them.

Everything here is assembled from answers that already exist (``Answers`` and the account
answers: map, plan, gaps, due, reviews, trend, transitions); a path starts from the
classification at ``--since`` and follows the transitions after it.
Renderers (HTML, Markdown, SVG charts) live in the CLI and only read this data.
"""

from __future__ import annotations

import re

from ledger.errors import InvalidInputError
from ledger.projections import accounts
from ledger.projections.movement import transitions
from ledger.projections.report_summary import summary
from ledger.projections.reports import Answers
from ledger.projections.stage import account_changes
from ledger.projections.timeline import DAY, iso

DEFAULT_SINCE_DAYS = 90
LEVELS = ("at risk", "watch", "healthy")
_SEVERE_GAPS = ("high-power-detractor", "no-high-power-relationship")


class ReportAnswers(Answers):
    """``Answers`` that read each contact's records once: a report asks about every contact
    several times (card, why, map, path, trend, due), always about the same moments."""

    KEPT = 256  # contacts whose records stay read (a page asks about the same contact a few times in a row)

    def __init__(self, store, at: int, as_of: int, current: bool = False):
        super().__init__(store, at, as_of, current)
        self._rows: dict[str, tuple] = {}

    def contact_rows(self, handle: str) -> tuple[dict, list[dict], dict, list[dict]]:
        if handle not in self._rows:
            if len(self._rows) >= self.KEPT:  # the oldest goes: memory stays flat over 100,000 contacts
                del self._rows[next(iter(self._rows))]
            self._rows[handle] = super().contact_rows(handle)
        return self._rows[handle]


def report(answers: Answers, handles: list[str], since: int | None = None, by: str = "month",
           redact: bool = False) -> dict:
    """The report on the given accounts: each account's page, and (for several) the portfolio."""
    handles = list(dict.fromkeys(handles))  # each account once, in the order given
    if not handles:
        raise InvalidInputError("account", "there are no accounts to report on")
    for handle in handles:
        answers.require_account(handle)
    if since is not None and since > answers.at:
        raise InvalidInputError("since", f"{iso(since)[:10]} is after --at {iso(answers.at)[:10]}; give an earlier moment")
    pages = [account_page(answers, h, since, by, redact) for h in handles]
    ranked = sorted(pages, key=lambda p: (LEVELS.index(p["health"]["level"]), -p["health"]["points"], p["account"]))
    return {"accounts": [p["account"] for p in ranked], "pages": ranked, "totals": totals(ranked),
            "portfolio": len(ranked) > 1, "redacted": redact, "by": by, **answers.stamp()}


def all_accounts(answers: Answers) -> list[str]:
    """Every account known at ``as_of`` and registered by ``at``."""
    return [a for a in answers.store.accounts() if _known(answers, a)]


def _known(answers: Answers, handle: str) -> bool:
    subject = answers.store.subject(handle)
    return subject["recorded"] <= answers.as_of and subject["occurred"] <= answers.at


def account_page(answers: Answers, account: str, since: int | None, by: str, redact: bool) -> dict:
    """One account: header, contacts with their paths, stage timeline, trend, plan, gaps, due.
    An account of more than ``LIMIT`` contacts shows the ``LIMIT`` most at risk, the first
    ``LIMIT`` gaps and due items, and counts of everything (``counts``)."""
    held = accounts.reviews(answers, account)
    basis = "given" if since is not None else "last review" if held else f"{DEFAULT_SINCE_DAYS} days"
    since = since if since is not None else (held[-1]["occurred"] if held else answers.at - DEFAULT_SINCE_DAYS * DAY)
    mapped = summary(answers, account)
    people = [contact_row(answers, row, since, redact) for row in mapped["contacts"]]
    trend = answers.trend(None, account, by)
    coverage, plan, due = mapped["coverage"], accounts.plan(answers, account)["goals"], mapped["due"]
    if redact:
        plan, due = _scrubbed(scrubber(answers, account, mapped, _texts(plan, due)), plan, due)
    return {
        "account": account, "name": None if redact else mapped["name"], "stage": mapped["stage"],
        "stage_timeline": stage_timeline(answers, account),
        "last_review": iso(held[-1]["occurred"])[:10] if held else None,
        "next_review": iso(accounts.next_review(answers, account))[:10],
        "since": iso(since)[:10], "since_basis": basis,
        "health": health(mapped["counts"], coverage["gaps"], trend), "contacts": people, "reporting": mapped["reporting"],
        "trend": {"by": trend["by"], "periods": trend["periods"], "direction": trend["direction"]},
        "plan": plan, **coverage, "due": due, "counts": mapped["counts"],
    }


def _scrubbed(scrub, plan: list[dict], due: list[dict]) -> tuple[list[dict], list[dict]]:
    plan = [{**g, "text": scrub(g["text"]), "initiatives": [{**i, "text": scrub(i["text"]), "note": scrub(i["note"])}
                                                            for i in g["initiatives"]]} for g in plan]
    return plan, [{**d, "what": scrub(d["what"])} for d in due]


def scrubber(answers: Answers, account: str, mapped: dict, texts: list[str | None]):
    """For --redact: a function replacing the account's and its contacts' names and titles (and
    each word of three letters or more of a name) with the handle, in the plan's free text.
    Every contact of the account is read (in chunks), but only the names found in ``texts``
    become patterns: a few, even for an account of 100,000 contacts."""
    from ledger.projections.account_trend import contact_handles

    joined = "\n".join(t for t in texts if t)
    pairs = [(mapped["name"], account)]
    for chunk in accounts.chunked(contact_handles(answers, account), 500):
        for handle, who in accounts.registration_fields(answers, chunk).items():
            name = who.get("name")
            found = [(name, handle), (who.get("title"), handle)]
            found += [(word, handle) for word in (name or "").split() if len(word) >= 3]
            pairs += [(secret, h) for secret, h in found if secret and secret in joined]
    pairs = sorted({(secret, handle) for secret, handle in pairs if secret}, key=lambda p: -len(p[0]))
    patterns = [(re.compile(rf"(?<!\w){re.escape(secret)}(?!\w)"), handle) for secret, handle in pairs]

    def scrub(text: str | None) -> str | None:
        for pattern, handle in patterns if text else []:
            text = pattern.sub(handle, text)
        return text

    return scrub


def _texts(plan: list[dict], due: list[dict]) -> list[str | None]:
    """The free text a redacted report scrubs."""
    found = [d["what"] for d in due]
    for g in plan:
        found += [g["text"]] + [t for i in g["initiatives"] for t in (i["text"], i["note"])]
    return found


def contact_row(answers: Answers, mapped: dict, since: int, redact: bool) -> dict:
    """One contact: the map's row with the card's name and band, the why in one line and the path."""
    handle = mapped["handle"]
    card, why = answers.show(handle), answers.why(handle)
    hidden = redact or card["forgotten"]
    merged = {**why, **card, **mapped}
    return {
        "handle": handle, "name": None if hidden else card["name"], "title": None if hidden else card["title"],
        "forgotten": card["forgotten"], "roles": mapped["roles"], "dimensions": mapped["dimensions"],
        "action": card["action"],
        "candidates": merged.get("candidates", []), "missing": card["missing"],
        "quadrant": card["quadrant"], "band": card["band"], "stage": merged.get("stage") or mapped["stage"],
        "why": why_line(why), "last_two_way": mapped["last_two_way"], "days_since_two_way": mapped["days_since_two_way"],
        "held_by": mapped["held_by"], "reassess": list(merged.get("reassess") or []),
        "path": path(answers, handle, since),
    }


def why_line(why: dict) -> str:
    """The reasons behind the action, in one line: the framework row and each dimension's source."""
    if isinstance(why.get("rule"), str) and why["rule"]:
        return why["rule"]
    parts = []
    for dim, s in why["dimensions"].items():
        when = f" {s['since'][:10]}" if s.get("since") else ""
        parts.append(f"{dim} {s['value']} ({s['source']}{when})" if s["value"] else f"{dim} unknown")
    row = why["framework"]["row"]
    return (f"row {row}: " if row else "") + "; ".join(parts)


def path(answers: Answers, handle: str, since: int) -> list[dict]:
    """Where the contact stood at ``since`` (or when registered, if later) and each quadrant it moved to after."""
    view = answers.view(handle)
    start = max(since, answers.store.subject(handle)["occurred"])
    points = [{"at": iso(start)[:10], "quadrant": view.classify(start)["quadrant"]}]
    for m in transitions(view, answers.at, since=start):
        if points[-1]["quadrant"] != m["to"]["quadrant"]:
            points.append({"at": m["at"][:10], "quadrant": m["to"]["quadrant"], "event": m["event"]})
    return points


def stage_timeline(answers: Answers, account: str) -> list[dict]:
    """The account's stages from registration to ``at``: each with when it began and what began it."""
    from ledger.projections.account_trend import stage_records

    counting = stage_records(answers, account)  # its milestones and the meetings: streamed, not every record
    start = answers.require_account(account)
    spans = [{"stage": "courting", "from": iso(start)[:10], "event": None}]
    for happened, value, cause in account_changes(counting, account):
        if happened <= answers.at:
            spans.append({"stage": value, "from": iso(happened)[:10], "event": cause["id"]})
    for span, following in zip(spans, spans[1:] + [None]):
        span["to"] = following["from"] if following else iso(answers.at)[:10]
    return spans


def health(counts: dict, gaps: list[dict], trend: dict) -> dict:
    """How the account is doing, with its reasons: at risk, watch or healthy, and risk points to
    rank by (from counts over every contact: ``gaps`` is only what the page shows)."""
    mean, at_risk, kinds = counts["mean_score"], counts["at_risk"], counts["gap_kinds"]
    severe = sum(kinds.get(kind, 0) for kind in _SEVERE_GAPS)
    reasons = [f"{at_risk} contact(s) at risk"] * bool(at_risk) + _severe_reasons(kinds, gaps)
    reasons += [f"{counts['gaps']} gap(s)"] * bool(counts["gaps"]) + [f"{counts['due']} item(s) due"] * bool(counts["due"])
    reasons += [f"trend {trend['direction']}"] * (trend["direction"] != "steady")
    level = "at risk" if at_risk or severe or (mean is not None and mean < 0) else \
        "watch" if counts["gaps"] or counts["due"] else "healthy"
    points = counts["risk_points"] + 2 * severe + counts["gaps"] + counts["due"] + (trend["direction"] == "declining")
    return {"level": level, "score": mean, "points": points, "reasons": reasons or ["no gaps, nothing due"],
            "direction": trend["direction"]}


def _severe_reasons(kinds: dict, gaps: list[dict]) -> list[str]:
    lines = [g["detail"] for g in gaps if g["kind"] == "no-high-power-relationship"]
    if kinds.get("no-high-power-relationship") and not lines:
        lines = ["no relationship with any high-power contact"]
    detractors = kinds.get("high-power-detractor", 0)
    if detractors == 1:
        shown = [g["detail"] for g in gaps if g["kind"] == "high-power-detractor"]
        return lines + (shown or ["1 high-power detractor"])
    return lines + [f"{detractors} high-power detractors"] * bool(detractors)


def totals(pages: list[dict]) -> dict:
    """Across the accounts: how many of each, contacts per quadrant and band, gaps, due, late initiatives."""
    quadrants: dict[str, int] = {}
    for page in pages:
        for quadrant, n in page["counts"]["quadrants"].items():
            quadrants[quadrant] = quadrants.get(quadrant, 0) + n
    late = [i for page in pages for g in page["plan"] for i in g["initiatives"] if i["status"] == "late"]
    return {"accounts": len(pages), "contacts": sum(page["counts"]["contacts"] for page in pages), "quadrants": quadrants,
            "levels": {lvl: sum(page["health"]["level"] == lvl for page in pages) for lvl in LEVELS},
            "at_risk_contacts": sum(page["counts"]["at_risk"] for page in pages),
            "gaps": sum(page["counts"]["gaps"] for page in pages), "due": sum(page["counts"]["due"] for page in pages),
            "late_initiatives": len(late)}
