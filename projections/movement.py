"""How a contact moved: transitions between actions/quadrants, and the trend by period."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from ledger.projections.timeline import DAY, iso, micros, moment

SPARKS = "▁▂▃▄▅▆▇█"


def transitions(view, at: int, since: int | None = None) -> list[dict]:
    """One entry each time the action, quadrant or stage changed, in valid-time order (after
    ``since`` only, when given: the first move then starts from where the contact stood then).

    Evaluated after every event, whenever rules are adopted and (rules version 1) at every
    moment evidence leaves its window, so a call that ages out shows up as the move it
    causes (cause "window").
    """
    moves, before = [], None if since is None else _position(view, since)
    for point, event, cause in view.change_points(at):
        if since is not None and point <= since:
            continue
        now = _position(view, point)
        if before is not None and now != before:
            moves.append({"at": iso(point), "event": event, "cause": cause, "from": before, "to": now})
        before = now
    return moves


def _position(view, point: int) -> dict:
    return view.position(point)


def period_starts(first: int, at: int, by: str) -> list[int]:
    """Start of every week/month/quarter from the one holding ``first`` to the one holding ``at``."""
    day = moment(first).date()
    if by == "week":
        start = datetime.fromordinal(day.toordinal() - day.weekday()).replace(tzinfo=timezone.utc)
    else:
        month = day.month if by == "month" else 3 * ((day.month - 1) // 3) + 1
        start = datetime(day.year, month, 1, tzinfo=timezone.utc)
    starts = []
    while micros(start) <= at:
        starts.append(micros(start))
        start = _next(start, by)
    return starts + [micros(start)]  # the last is the end of the final period


def _next(start: datetime, by: str) -> datetime:
    if by == "week":
        return datetime.fromordinal(start.toordinal() + 7).replace(tzinfo=timezone.utc)
    months = 1 if by == "month" else 3
    year, month = divmod(start.month - 1 + months, 12)
    return start.replace(year=start.year + year, month=month + 1)


def contact_periods(view, starts: list[int], at: int) -> list[dict]:
    """Classification, stage, score, interactions and days since the last two-way contact, per period."""
    periods = []
    for start, end in zip(starts, starts[1:]):
        point = min(end - 1, at)
        c, upto = view.classify(point), view.upto(point)
        inside = [r for r in upto if r["occurred"] >= start and r["type"] == "interaction"]
        last = last_two_way(upto, view.rules_at(point))
        periods.append({
            "start": iso(start)[:10], "action": c["action"], "quadrant": c["quadrant"], "stage": view.stage(point)["value"],
            "score": c["band"]["score"] if c["band"] else None, "interactions": len(inside),
            "days_since_two_way": (point - last) // DAY if last is not None else None,
            "registered": any(r["type"] == "contact" for r in upto),
        })
    return periods


def last_two_way(records: list[dict], rules: dict) -> int | None:
    """When the latest two-way contact happened, or None."""
    found = last_two_way_record(records, rules)
    return found["occurred"] if found else None


def last_two_way_record(records: list[dict], rules: dict) -> dict | None:
    """The latest two-way contact: they answered or returned, reached out, or met us."""
    rule = rules["two_way"]
    for r in reversed(records):
        if r["type"] == "interaction" and (
            r["direction"] == "inbound" or r["outcome"] in rule["outcomes"]
            or (r["kind"] in rule["kinds_without_outcome"] and r["outcome"] is None)
        ):
            return r
    return None


def account_periods(per_contact: list[list[dict]]) -> list[dict]:
    """Each period across an account's contacts: mean score, most common action, totals, and how
    many of the contacts registered by then were classified (a score from 2 of 8 is not the account's)."""
    periods = []
    for every in zip(*per_contact):
        rows = [p for p in every if p["registered"]]
        scored = [p for p in rows if p["score"] is not None]
        days = [p["days_since_two_way"] for p in rows if p["days_since_two_way"] is not None]
        actions = Counter(p["action"] for p in scored)
        periods.append({
            "start": every[0]["start"],
            "action": actions.most_common(1)[0][0] if actions else None,
            "score": round(sum(p["score"] for p in scored) / len(scored), 2) if scored else None,
            "interactions": sum(p["interactions"] for p in rows),
            "days_since_two_way": min(days) if days else None,
            "classified": len(scored), "contacts": len(rows), "actions": dict(actions),
        })
    return periods


def direction(periods: list[dict]) -> str:
    """Improving, steady or declining: the first classified period's score against the last's."""
    scores = [p["score"] for p in periods if p["score"] is not None]
    if len(scores) < 2 or scores[-1] == scores[0]:
        return "steady"
    return "improving" if scores[-1] > scores[0] else "declining"


def sparkline(periods: list[dict]) -> str:
    """One character per period: higher is better; a dot where unclassified."""
    return "".join("·" if p["score"] is None else SPARKS[min(7, max(0, round((p["score"] + 3) * 7 / 6)))] for p in periods)
