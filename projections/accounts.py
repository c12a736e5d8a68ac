"""Account answers (seeds 002 and 004): relationship map, coverage gaps, plan, review, due.

Built on ``Answers`` (same ``at``/``as_of`` semantics): each contact's state comes from the
same classification, stage and timeline functions as ``show``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ledger.errors import InvalidInputError
from ledger.projections.classification import Timeline, classify
from ledger.projections.movement import last_two_way_record
from ledger.projections.reports import Answers
from ledger.projections.stage import stage
from ledger.projections.timeline import DAY, iso, knowledge, micros, moment


def contact_state(answers: Answers, handle: str, at: int | None = None) -> dict:
    """Everything the map and the gaps need about one contact at ``at``."""
    at = answers.at if at is None else at
    subject, counting, _, _ = answers.contact_rows(handle)
    timeline = Timeline(counting, answers.rules)
    c = classify(timeline, at, answers.framework_at(at))
    past = timeline.upto(at)
    last_record = last_two_way_record(past, answers.rules)
    last = last_record["occurred"] if last_record else None
    window = answers.rules["coverage"]["holder_window_days"] * DAY
    holders = Counter(r["by"] for r in past if r["type"] == "interaction" and r["occurred"] > at - window)
    answered = {r["feedback"] for r in past if r["type"] == "response"}
    return {
        "handle": handle, "account": subject["account"], "roles": timeline.roles(at), "reports_to": timeline.reports_to(at),
        "dimensions": c["dimensions"], "action": c["action"], "quadrant": c["quadrant"], "stage": stage(counting, at)["value"],
        "last_two_way": iso(last) if last is not None else None,
        "days_since_two_way": (at - last) // DAY if last is not None else None,
        "held_by": [who for who, _ in holders.most_common()],
        "unanswered_feedback": [r["id"] for r in past if r["type"] == "feedback" and r["id"] not in answered],
        "signals": {d: list(s.events) if s else [] for d, s in c["signals"].items()},
        "in_touch_since": subject["occurred"] if last is None else last,
        "last_two_way_event": last_record["id"] if last_record else None,
    }


def states(answers: Answers, account: str, at: int | None = None) -> list[dict]:
    """The state of every contact of the account registered (and known) by ``at``."""
    at = answers.at if at is None else at
    return [contact_state(answers, h, at) for h in answers.store.contacts(account)
            if _known(answers, h, at)]


def _known(answers: Answers, handle: str, at: int) -> bool:
    subject = answers.store.subject(handle)
    return subject["recorded"] <= answers.as_of and subject["occurred"] <= at


def coverage(rows: list[dict], rules: dict, cold_days: int | None = None) -> dict:
    """Strengths and gaps of an account's coverage, each with the contacts and events behind it."""
    cold_days = rules["coverage"]["cold_days"] if cold_days is None else cold_days
    high = [r for r in rows if r["dimensions"]["power"] == "high"]
    related = [r for r in rows if r["dimensions"]["relationship"] == "yes"]
    gaps, strengths = [], []

    def item(kind: str, detail: str, contacts: list[dict], dims=("power", "relationship")) -> dict:
        events = sorted({e for c in contacts for d in dims for e in c["signals"].get(d, [])})
        return {"kind": kind, "detail": detail, "contacts": [c["handle"] for c in contacts], "events": events}

    if rows and not [r for r in high if r["dimensions"]["relationship"] == "yes"]:
        gaps.append(item("no-high-power-relationship", "no relationship with any high-power contact", high))
    if len(related) == 1:
        gaps.append(item("single-threaded", f"only {related[0]['handle']} would take our call", related))
    elif len(related) > 1:
        strengths.append(item("multi-threaded", f"{len(related)} contacts would take our call", related))
    for r in rows:
        if r["dimensions"]["power"] == "high" and r["dimensions"]["perception"] == "detractor":
            gaps.append(item("high-power-detractor", f"{r['handle']} has power and detracts", [r], ("power", "perception")))
        if r["dimensions"]["power"] == "high" and r["dimensions"]["perception"] == "advocate" and r in related:
            strengths.append(item("sponsor", f"{r['handle']} has power, advocates, and takes our call", [r],
                                  ("power", "perception", "relationship")))
        if r["days_since_two_way"] is None or r["days_since_two_way"] >= cold_days:
            since = "ever" if r["days_since_two_way"] is None else f"for {r['days_since_two_way']} days"
            gaps.append({"kind": "gone-cold", "detail": f"{r['handle']}: no two-way contact {since}",
                         "contacts": [r["handle"]], "events": [r["last_two_way_event"]] if r["last_two_way_event"] else []})
        if r["unanswered_feedback"]:
            gaps.append({"kind": "feedback-without-response", "detail": f"{r['handle']}: {len(r['unanswered_feedback'])} "
                         "feedback item(s) with no response", "contacts": [r["handle"]], "events": r["unanswered_feedback"]})
    covered = {role for r in rows for role in r["roles"]}
    for role in rules["coverage"]["key_roles"]:
        holders = [r for r in rows if role in r["roles"]]
        if holders:
            strengths.append({"kind": "role-covered", "detail": f"{role}: {', '.join(h['handle'] for h in holders)}",
                              "contacts": [h["handle"] for h in holders], "events": []})
        elif role not in covered:
            gaps.append({"kind": "role-uncovered", "detail": f"nobody is known as {role}", "contacts": [], "events": []})
    return {"gaps": gaps, "strengths": strengths}


def relationship_map(answers: Answers, account: str, cold_days: int | None = None) -> dict:
    """Every contact with roles, quadrant, action, stage, last two-way contact and who holds it."""
    card = answers.account(account)
    rows = states(answers, account)
    names = _names(answers, [r["handle"] for r in rows])
    groups: dict[str, list[str]] = {}
    for r in rows:
        r["name"] = names.get(r["handle"])
        groups.setdefault(r["quadrant"] or "unclassified", []).append(r["handle"])
    return {"account": account, "name": card["name"], "stage": card["stage"], "groups": groups,
            "contacts": [{k: v for k, v in r.items() if k not in ("signals", "in_touch_since")} for r in rows],
            "reporting": [[r["handle"], r["reports_to"]] for r in rows if r["reports_to"]],
            **coverage(rows, answers.rules, cold_days), **answers.stamp()}


def _names(answers: Answers, handles: list[str]) -> dict[str, str | None]:
    from ledger.projections.personal import personal_fields

    found = personal_fields(answers.store.db, handles, registration_only=True)
    return {h: found.get(answers.store.subject(h)["event_id"], {}).get("name") for h in handles}


def plan(answers: Answers, account: str) -> dict:
    """Goals, their initiatives, and each initiative's status (open, late, done, dropped) at ``at``."""
    answers.require_account(account)
    counting = _account_counting(answers, account)
    closed = {r["initiative"]: r for r in counting if r["type"] == "initiative-closed"}
    today = moment(answers.at).date()
    goals = []
    for g in (r for r in counting if r["type"] == "goal"):
        items = [_initiative(i, closed.get(i["id"]), today) for i in counting if i["type"] == "initiative" and i["goal"] == g["id"]]
        goals.append({"id": g["id"], "text": g["text"], "target": g["target"], "set_at": iso(g["occurred"]),
                      "initiatives": items})
    return {"account": account, "goals": goals, **answers.stamp()}


def _initiative(i: dict, closing: dict | None, today: date) -> dict:
    status = closing["status"] if closing else ("late" if date.fromisoformat(i["due"]) < today else "open")
    return {"id": i["id"], "text": i["text"], "owner": i["owner"], "due": i["due"], "contacts": i["contacts"],
            "status": status, "closed_at": iso(closing["occurred"]) if closing else None,
            "note": (closing or {}).get("note")}


def _account_counting(answers: Answers, account: str) -> list[dict]:
    from ledger.projections.personal import personal_fields

    text = personal_fields(answers.store.db, [account])  # goal and initiative text, owners, notes: sealed
    rows = [{**r, **text.get(r["id"], {})} for r in answers.store.records("subject=?", (account,))
            if r["recorded"] <= answers.as_of]
    counting, _ = knowledge(rows, answers.as_of)
    return [r for r in counting if r["occurred"] <= answers.at]


def reviews(answers: Answers, account: str) -> list[dict]:
    """The account's reviews held by ``at``, oldest first."""
    return [r for r in _account_counting(answers, account) if r["type"] == "review"]


def next_review(answers: Answers, account: str) -> int:
    """When the next review falls due: the last review plus its cadence (or registration plus 3 months)."""
    held = reviews(answers, account)
    start = held[-1]["occurred"] if held else answers.store.subject(account)["occurred"]
    months = held[-1]["every_months"] if held else 3
    return micros(_add_months(moment(start), months))


def _add_months(when, months: int):
    year, month = divmod(when.month - 1 + months, 12)
    day = min(when.day, [31, 29 if (when.year + year) % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month])
    return when.replace(year=when.year + year, month=month + 1, day=day)


def since_last_review(answers: Answers, account: str, cold_days: int | None = None) -> dict:
    """What changed since the latest review before ``at``: moves, initiatives, new gaps."""
    answers.require_account(account)
    held = [r for r in reviews(answers, account) if r["occurred"] < answers.at]
    if not held:
        raise InvalidInputError("review", f"{account} has no review before {iso(answers.at)[:10]} to compare with")
    then = held[-1]["occurred"]
    before = {r["handle"]: r for r in states(answers, account, then)}
    now = states(answers, account)
    moved = [{"handle": r["handle"], "from": _pos(before.get(r["handle"])), "to": _pos(r)} for r in now
             if _pos(before.get(r["handle"])) != _pos(r)]
    p = plan(answers, account)
    items = [i for g in p["goals"] for i in g["initiatives"]]
    closed_since = [i for i in items if i["closed_at"] and i["closed_at"] > iso(then)]
    old_gaps = {(g["kind"], tuple(g["contacts"])) for g in coverage(list(before.values()), answers.rules, cold_days)["gaps"]}
    new_gaps = [g for g in coverage(now, answers.rules, cold_days)["gaps"] if (g["kind"], tuple(g["contacts"])) not in old_gaps]
    return {"account": account, "since": iso(then), "review": held[-1]["id"], "moved": moved,
            "done": [i for i in closed_since if i["status"] == "done"],
            "dropped": [i for i in closed_since if i["status"] == "dropped"],
            "late": [i for i in items if i["status"] == "late"], "new_gaps": new_gaps,
            "next_review_due": iso(next_review(answers, account))[:10], **answers.stamp()}


def _pos(state: dict | None) -> dict:
    if state is None:
        return {"quadrant": None, "stage": None, "action": None}
    return {"quadrant": state["quadrant"], "stage": state["stage"], "action": state["action"]}


def due(answers: Answers, account: str | None = None, cold_days: int | None = None) -> list[dict]:
    """Overdue reviews, overdue initiatives and contacts to get back to, most overdue first."""
    cold_days = answers.rules["coverage"]["cold_days"] if cold_days is None else cold_days
    today = moment(answers.at).date()
    items = []
    for acct in ([account] if account else answers.store.accounts()):
        if account:
            answers.require_account(acct)
        elif answers.store.subject(acct)["recorded"] > answers.as_of:
            continue
        due_at = next_review(answers, acct)
        if due_at <= answers.at:
            items.append({"kind": "review", "account": acct, "what": f"review of {acct}", "due": iso(due_at)[:10],
                          "days_overdue": (answers.at - due_at) // DAY, "ids": [r["id"] for r in reviews(answers, acct)[-1:]]})
        for g in plan(answers, acct)["goals"]:
            for i in g["initiatives"]:
                if i["status"] == "late":
                    items.append({"kind": "initiative", "account": acct, "what": f"{i['text']} ({i['owner']})",
                                  "due": i["due"], "days_overdue": (today - date.fromisoformat(i["due"])).days, "ids": [i["id"]]})
        for r in states(answers, acct):
            since = r["in_touch_since"]
            if (answers.at - since) // DAY >= cold_days:
                items.append({"kind": "contact", "account": acct, "what": f"get back in touch with {r['handle']}",
                              "due": iso(since + cold_days * DAY)[:10], "days_overdue": (answers.at - since) // DAY - cold_days,
                              "ids": []})
    return sorted(items, key=lambda i: (-i["days_overdue"], i["account"], i["what"]))
