"""The shareable report (issue 13) as plain data: one account, or a portfolio of them.

Everything here is assembled from answers that already exist (``Answers`` and the account
answers: map, plan, gaps, due, reviews, trend, transitions); a path starts from the
classification at ``--since`` and follows the transitions after it.
Renderers (HTML, Markdown, SVG charts) live in the CLI and only read this data.
"""

from __future__ import annotations

import re

from ledger.errors import InvalidInputError
from ledger.projections import accounts, worklist
from ledger.projections.movement import transitions
from ledger.projections.reports import Answers
from ledger.projections.stage import account_changes
from ledger.projections.timeline import DAY, iso, knowledge

DEFAULT_SINCE_DAYS = 90
LEVELS = ("at risk", "watch", "healthy")
_SEVERE_GAPS = ("high-power-detractor", "no-high-power-relationship")


class ReportAnswers(Answers):
    """``Answers`` that read each contact's records once: a report asks about every contact
    several times (card, why, map, path, trend, due), always about the same moments."""

    def __init__(self, store, at: int, as_of: int):
        super().__init__(store, at, as_of)
        self._rows: dict[str, tuple] = {}

    def contact_rows(self, handle: str) -> tuple[dict, list[dict], dict, list[dict]]:
        if handle not in self._rows:
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
    """One account: header, contacts with their paths, stage timeline, trend, plan, gaps, due."""
    held = accounts.reviews(answers, account)
    basis = "given" if since is not None else "last review" if held else f"{DEFAULT_SINCE_DAYS} days"
    since = since if since is not None else (held[-1]["occurred"] if held else answers.at - DEFAULT_SINCE_DAYS * DAY)
    mapped = accounts.relationship_map(answers, account)
    people = [contact_row(answers, row, since, redact) for row in mapped["contacts"]]
    trend = answers.trend(None, account, by)
    coverage = {"gaps": mapped["gaps"], "strengths": mapped["strengths"]}
    plan, due = accounts.plan(answers, account)["goals"], worklist.due(answers, account)
    if redact:
        plan, due = _scrubbed(scrubber(answers, account, mapped), plan, due)
    return {
        "account": account, "name": None if redact else mapped["name"], "stage": mapped["stage"],
        "stage_timeline": stage_timeline(answers, account),
        "last_review": iso(held[-1]["occurred"])[:10] if held else None,
        "next_review": iso(accounts.next_review(answers, account))[:10],
        "since": iso(since)[:10], "since_basis": basis,
        "health": health(people, coverage, due, trend), "contacts": people, "reporting": mapped["reporting"],
        "trend": {"by": trend["by"], "periods": trend["periods"], "direction": trend["direction"]},
        "plan": plan, **coverage, "due": due,
    }


def _scrubbed(scrub, plan: list[dict], due: list[dict]) -> tuple[list[dict], list[dict]]:
    plan = [{**g, "text": scrub(g["text"]), "initiatives": [{**i, "text": scrub(i["text"]), "note": scrub(i["note"])}
                                                            for i in g["initiatives"]]} for g in plan]
    return plan, [{**d, "what": scrub(d["what"])} for d in due]


def scrubber(answers: Answers, account: str, mapped: dict):
    """For --redact: a function replacing the account's and its contacts' names and titles (and
    each word of three letters or more of a name) with the handle, in the plan's free text."""
    pairs = [(mapped["name"], account)]
    for c in mapped["contacts"]:
        pairs += [(c["name"], c["handle"]), (answers.show(c["handle"])["title"], c["handle"])]
        pairs += [(word, c["handle"]) for word in (c["name"] or "").split() if len(word) >= 3]
    pairs = sorted({(secret, handle) for secret, handle in pairs if secret}, key=lambda p: -len(p[0]))
    patterns = [(re.compile(rf"(?<!\w){re.escape(secret)}(?!\w)"), handle) for secret, handle in pairs]

    def scrub(text: str | None) -> str | None:
        for pattern, handle in patterns if text else []:
            text = pattern.sub(handle, text)
        return text

    return scrub


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
    rows = [r for r in answers.store.account_records(account) if r["recorded"] <= answers.as_of]
    counting, _ = knowledge(rows, answers.as_of)
    start = answers.require_account(account)
    spans = [{"stage": "courting", "from": iso(start)[:10], "event": None}]
    for happened, value, cause in account_changes(counting, account):
        if happened <= answers.at:
            spans.append({"stage": value, "from": iso(happened)[:10], "event": cause["id"]})
    for span, following in zip(spans, spans[1:] + [None]):
        span["to"] = following["from"] if following else iso(answers.at)[:10]
    return spans


def health(people: list[dict], coverage: dict, due: list[dict], trend: dict) -> dict:
    """How the account is doing, with its reasons: at risk, watch or healthy, and risk points to rank by."""
    scores = [p["band"]["score"] for p in people if p["band"] and p["band"]["score"] is not None]
    mean = round(sum(scores) / len(scores), 2) if scores else None
    at_risk = [p["handle"] for p in people if p["band"] and p["band"]["kind"] == "risk"]
    severe = [g for g in coverage["gaps"] if g["kind"] in _SEVERE_GAPS]
    reasons = [f"{len(at_risk)} contact(s) at risk"] * bool(at_risk) + _severe_reasons(severe)
    reasons += [f"{len(coverage['gaps'])} gap(s)"] * bool(coverage["gaps"]) + [f"{len(due)} item(s) due"] * bool(due)
    reasons += [f"trend {trend['direction']}"] * (trend["direction"] != "steady")
    level = "at risk" if at_risk or severe or (mean is not None and mean < 0) else "watch" if coverage["gaps"] or due else "healthy"
    points = sum(-p["band"]["score"] for p in people if p["handle"] in at_risk and p["band"]["score"]) \
        + 2 * len(severe) + len(coverage["gaps"]) + len(due) + (trend["direction"] == "declining")
    return {"level": level, "score": mean, "points": points, "reasons": reasons or ["no gaps, nothing due"],
            "direction": trend["direction"]}


def _severe_reasons(severe: list[dict]) -> list[str]:
    detractors = [g for g in severe if g["kind"] == "high-power-detractor"]
    lines = [g["detail"] for g in severe if g not in detractors]
    if len(detractors) == 1:
        return lines + [detractors[0]["detail"]]
    return lines + [f"{len(detractors)} high-power detractors"] * bool(detractors)


def totals(pages: list[dict]) -> dict:
    """Across the accounts: how many of each, contacts per quadrant and band, gaps, due, late initiatives."""
    people = [p for page in pages for p in page["contacts"]]
    quadrants: dict[str, int] = {}
    for p in people:
        quadrants[p["quadrant"] or "unclassified"] = quadrants.get(p["quadrant"] or "unclassified", 0) + 1
    late = [i for page in pages for g in page["plan"] for i in g["initiatives"] if i["status"] == "late"]
    return {"accounts": len(pages), "contacts": len(people), "quadrants": quadrants,
            "levels": {lvl: sum(page["health"]["level"] == lvl for page in pages) for lvl in LEVELS},
            "at_risk_contacts": sum(bool(p["band"] and p["band"]["kind"] == "risk") for p in people),
            "gaps": sum(len(page["gaps"]) for page in pages), "due": sum(len(page["due"]) for page in pages),
            "late_initiatives": len(late)}
