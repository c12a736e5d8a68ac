"""Account answers (seeds 002 and 004): relationship map, coverage gaps, plan, review (the due
list is in worklist.py).

Built on ``Answers`` (same ``at``/``as_of`` semantics): each contact's state comes from the
same classification, stage and timeline functions as ``show``.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator
from datetime import date

from ledger.errors import InvalidInputError
from ledger.projections.coverage import Coverage, coverage
from ledger.projections.current import next_change, with_days
from ledger.projections.movement import last_two_way_record
from ledger.projections.nextsteps import open_steps
from ledger.projections.reports import Answers
from ledger.projections.stage import concerns, happening
from ledger.projections.timeline import DAY, iso, knowledge, micros, moment


_PUBLIC = ("handle", "account", "roles", "reports_to", "dimensions", "action", "candidates", "quadrant", "band", "stage",
           "last_two_way", "days_since_two_way", "held_by", "unanswered_feedback", "complaint_records", "reassess",
           "stale", "signals", "in_touch_since", "days_out_of_touch", "last_two_way_event", "forgotten")


def contact_state(answers: Answers, handle: str, at: int | None = None) -> dict:
    """Everything the map, the gaps and the due list need about one contact at ``at``."""
    at = answers.at if at is None else at
    state = with_days(fold_state(answers, handle, at), at)
    return public(state)


def public(state: dict) -> dict:
    """A contact's state (with its day counts) without what only the current-state view keeps
    (and its open next steps: none in a row stored before next steps existed)."""
    return {**{k: state[k] for k in _PUBLIC}, "next_steps": state.get("next_steps", [])}


def fold_state(answers: Answers, handle: str, at: int | None = None) -> dict:
    """A contact's state at ``at`` folded from its records (what the current-state view caches,
    without the day counts), and the moment it next changes with no new event."""
    at = answers.at if at is None else at
    subject, counting, _, _ = answers.contact_rows(handle)
    view = answers.view(handle, counting)
    c, rules = view.classify(at), answers.rules_at(at)
    past = view.upto(at)
    last_record = last_two_way_record(past, rules)
    last = last_record["occurred"] if last_record else None
    window = rules["coverage"]["holder_window_days"] * DAY
    held = [r for r in past if r["type"] == "interaction" and r["occurred"] > at - window]
    holders = Counter(r["by"] for r in held)
    found = complaints(past, rules)
    expires = min([next_change(view, counting, at, answers.adoptions())] + [r["occurred"] + window for r in held])
    return {
        "handle": handle, "account": subject["account"], "roles": view.timeline(at).roles(at),
        "reports_to": view.timeline(at).reports_to(at), "dimensions": c["dimensions"], "action": c["action"],
        "candidates": c["candidates"], "quadrant": c["quadrant"], "band": c["band"], "stage": view.stage(at)["value"],
        "last_two_way": iso(last) if last is not None else None,
        "held_by": [who for who, _ in holders.most_common()],
        "unanswered_feedback": [r["id"] for r in found], "complaint_records": found, "reassess": c["reassess"],
        "stale": {d: {"value": s.value, "last_agreeing": iso(s.support), "stale_since": iso(s.stale_since)}
                  for d, s in c["signals"].items() if getattr(s, "stale_since", None)},
        "signals": {d: list(s.events) if s else [] for d, s in c["signals"].items()},
        "in_touch_since": subject["occurred"] if last is None else last,
        "last_two_way_event": last_record["id"] if last_record else None,
        "forgotten": bool(subject["forgotten"] and subject["forgotten"] <= answers.as_of),
        "decide": c["decide"], "missing": c["missing"], "last_two_way_at": last, "registered": subject["occurred"],
        "first_meeting": first_meeting(counting, handle), "expires": expires,
        "next_steps": open_steps(counting, at),
    }


def first_meeting(counting: list[dict], handle: str) -> dict | None:
    """The contact's first meeting held (all its account's stage needs of its events)."""
    for r in counting:
        if concerns(r, handle) and happening(r) == "meeting":
            return {k: r.get(k) for k in ("id", "type", "handle", "occurred", "recorded", "kind", "outcome", "by")}
    return None


def complaints(records: list[dict], rules: dict) -> list[dict]:
    """Negative feedback about our company, product or service with no response yet (praise and
    neutral feedback need none; feedback about you is yours to take up, not a complaint)."""
    rule = rules["coverage"]
    complaint_about = rule.get("complaint_about", ("company", "product", "service"))
    sentiments = rule.get("complaint_sentiments", ("negative",))
    answered = {r["feedback"] for r in records if r["type"] == "response"}
    return [r for r in records if r["type"] == "feedback" and r["id"] not in answered
            and r["about"] in complaint_about and r["sentiment"] in sentiments]


def states(answers: Answers, account: str, at: int | None = None, worked: bool = False) -> list[dict]:
    """The state of every contact of the account registered (and known) by ``at`` (about now:
    from the current-state view; only what `due` and `gaps` read when ``worked``)."""
    return list(each_state(answers, account, at, worked))


def each_state(answers: Answers, account: str, at: int | None = None, worked: bool = False) -> Iterator[dict]:
    """The same states one at a time, by handle: streamed from the current-state view in
    chunks about now (or from its preloaded rows), else folded contact by contact (memory
    holds one chunk or one contact)."""
    at = answers.at if at is None else at
    if answers.current is not None and at == answers.at:
        return answers.current.worked(account) if worked else (public(r) for r in answers.current.stream(account))
    return (contact_state(answers, h, at) for h in answers.store.contacts(account) if _known(answers, h, at))


def _known(answers: Answers, handle: str, at: int) -> bool:
    subject = answers.store.subject(handle)
    return subject["recorded"] <= answers.as_of and subject["occurred"] <= at


def account_gaps(answers: Answers, account: str, cold_days: int | None = None) -> dict:
    """An account's coverage at ``at``; an ended account does not nag (no gaps, only its strengths)."""
    answers.require_account(account)
    found = coverage(each_state(answers, account, worked=True), answers.rules, cold_days)
    stage = answers.account_stage(account, answers.at)["value"]
    return {"account": account, "stage": stage, **found, **({"gaps": []} if stage == "ended" else {})}


def every_gaps(answers: Answers, cold_days: int | None = None) -> list[dict]:
    """Every account's coverage at ``at``, its contacts' rows read for all accounts at once."""
    from ledger.projections.current import quiet_gc

    with quiet_gc():  # many small objects and no cycles
        return [account_gaps(answers, account, cold_days) for account in answers.preload_accounts()]


_UNMAPPED = ("signals", "in_touch_since", "complaint_records", "days_out_of_touch")


def relationship_map(answers: Answers, account: str, cold_days: int | None = None) -> dict:
    """Every contact with roles, quadrant, action, stage, last two-way contact and who holds it
    (the contacts stream through the coverage; only their printed rows are kept)."""
    card = answers.account(account, contacts=False)
    found, groups, contacts = Coverage(answers.rules, cold_days), {}, []
    for chunk in chunked(each_state(answers, account), 500):
        names = _names(answers, [r["handle"] for r in chunk])
        for r in chunk:
            found.add(r)
            groups.setdefault(r["quadrant"] or "unclassified", []).append(r["handle"])
            contacts.append({**{k: v for k, v in r.items() if k not in _UNMAPPED}, "name": names.get(r["handle"])})
    return {"account": account, "name": card["name"], "stage": card["stage"], "groups": groups, "contacts": contacts,
            "reporting": [[r["handle"], r["reports_to"]] for r in contacts if r["reports_to"]],
            **found.result(), **answers.stamp()}


def chunked(items, size: int) -> Iterator[list]:
    """Lists of up to ``size`` of ``items`` (any iterable), in order."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _names(answers: Answers, handles: list[str]) -> dict[str, str | None]:
    """The contacts' names, for a chunk of handles."""
    return {h: who.get("name") for h, who in registration_fields(answers, handles).items()}


def registration_fields(answers: Answers, handles: list[str]) -> dict[str, dict]:
    """The personal fields of each contact's registration (name, title), for a chunk of handles."""
    from ledger.projections.personal import personal_fields

    if not handles:
        return {}
    found = personal_fields(answers.store.db, handles, registration_only=True)
    marks = ", ".join("?" * len(handles))
    ids = answers.store.db.query(f"SELECT handle, event_id FROM view_subjects WHERE handle IN ({marks})", tuple(handles))
    return {h: found.get(event_id, {}) for h, event_id in ids}


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


_PLANNED = ("goal", "initiative", "initiative-closed")  # what a plan shows of the personal fields


def _account_counting(answers: Answers, account: str) -> list[dict]:
    from ledger.projections.personal import personal_fields

    rows = [r for r in answers.own_records(account) if r["recorded"] <= answers.as_of]
    if any(r["type"] in _PLANNED for r in rows):  # goal and initiative text, owners, notes: sealed
        text = personal_fields(answers.store.db, [account])
        rows = [{**r, **text.get(r["id"], {})} for r in rows]
    counting, _ = knowledge(rows, answers.as_of)
    return [r for r in counting if r["occurred"] <= answers.at]


def reviews(answers: Answers, account: str) -> list[dict]:
    """The account's reviews held by ``at``, oldest first."""
    return [r for r in _account_counting(answers, account) if r["type"] == "review"]


def next_review(answers: Answers, account: str) -> int:
    """When the next review falls due: the last review plus its cadence (or registration plus 3 months)."""
    held = reviews(answers, account)
    start = held[-1]["occurred"] if held else answers.subject(account)["occurred"]
    months = held[-1]["every_months"] if held else 3
    return micros(_add_months(moment(start), months))


def _add_months(when, months: int):
    year, month = divmod(when.month - 1 + months, 12)
    day = min(when.day, [31, 29 if (when.year + year) % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month])
    return when.replace(year=when.year + year, month=month + 1, day=day)


def since_last_review(answers: Answers, account: str, cold_days: int | None = None) -> dict:
    """What changed since the latest review before ``at``: contacts whose action, quadrant or
    stage moved (saying what changed), initiatives, and gaps that are new (per item)."""
    answers.require_account(account)
    held = [r for r in reviews(answers, account) if r["occurred"] < answers.at]
    if not held:
        raise InvalidInputError("review", f"{account} has no review before {iso(answers.at)[:10]} to compare with")
    then = held[-1]["occurred"]
    before = {r["handle"]: r for r in states(answers, account, then)}
    now = states(answers, account)
    moved = [m for m in (_moved(before.get(r["handle"]), r) for r in now) if m]
    p = plan(answers, account)
    items = [i for g in p["goals"] for i in g["initiatives"]]
    closed_since = [i for i in items if i["closed_at"] and i["closed_at"] > iso(then)]
    old_gaps = {_gap_key(g) for g in coverage(list(before.values()), answers.rules_at(then), cold_days)["gaps"]}
    new_gaps = [g for g in coverage(now, answers.rules, cold_days)["gaps"] if _gap_key(g) not in old_gaps]
    return {"account": account, "since": iso(then), "review": held[-1]["id"], "moved": moved,
            "done": [i for i in closed_since if i["status"] == "done"],
            "dropped": [i for i in closed_since if i["status"] == "dropped"],
            "late": [i for i in items if i["status"] == "late"], "new_gaps": new_gaps,
            "next_review_due": iso(next_review(answers, account))[:10], **answers.stamp()}


def _gap_key(gap: dict) -> tuple:
    return gap["kind"], tuple(gap["contacts"]), gap.get("feedback"), gap.get("dimension"), gap.get("role")


def _moved(then: dict | None, now: dict) -> dict | None:
    """A contact's move since the review: only when its action, quadrant or stage changed."""
    if _pos(then) == _pos(now):
        return None
    changes = [{"what": d, "from": (then or {}).get("dimensions", {}).get(d), "to": now["dimensions"][d]}
               for d in now["dimensions"] if then is None or then["dimensions"][d] != now["dimensions"][d]]
    changes += [{"what": k, "from": _pos(then)[k], "to": _pos(now)[k]} for k in ("quadrant", "stage", "action")
                if _pos(then)[k] != _pos(now)[k]]
    return {"handle": now["handle"], "from": _pos(then), "to": _pos(now), "changes": changes}


def _pos(state: dict | None) -> dict:
    if state is None:
        return {"quadrant": None, "stage": None, "action": None}
    return {"quadrant": state["quadrant"], "stage": state["stage"], "action": state["action"]}
