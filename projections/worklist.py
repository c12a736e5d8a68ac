"""The due list (seed 002's review rhythm, and what the advice asks for): overdue reviews and
initiatives, complaints without a response, values to reassess, contacts gone cold.

Ranked risk first (a high-power detractor's complaints, anything else about a high-power
detractor, other complaints), then by days overdue. A forgotten contact is never chased, nor one the framework says to move on from
(low risk), and an ended account does not nag.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from ledger.projections.accounts import next_review, plan, reviews, states
from ledger.projections.current import quiet_gc
from ledger.projections.nextsteps import due_now, open_where, with_texts
from ledger.projections.reports import Answers
from ledger.projections.timeline import DAY, iso, micros, moment


def due(answers: Answers, account: str | None = None, cold_days: int | None = None) -> list[dict]:
    """What is overdue across accounts, risks first, then the most overdue (next steps once due)."""
    with quiet_gc():  # many small objects and no cycles
        items = _due(answers, account, cold_days)
    return sorted(items, key=lambda i: (-i["risk_level"], -i["days_overdue"], i["account"] or "", i["what"]))


def _due(answers: Answers, account: str | None, cold_days: int | None) -> list[dict]:
    items, steps = [], []
    for acct in ([account] if account else answers.preload_accounts("owed")):
        if account:
            answers.require_account(acct)
        elif answers.subject(acct)["recorded"] > answers.as_of:
            continue
        if answers.account_stage(acct, answers.at)["value"] == "ended":
            continue
        items += _reviews_and_initiatives(answers, acct)
        for entries in _owed(answers, acct):
            items += _contact_items(answers, acct, entries, cold_days)
            steps += [{**s, "account": acct} for s in entries.get("steps", ()) if due_now(s, answers.at)]
    if account is None:  # contacts of no account have next steps too
        steps += [{**s, "account": None} for s in open_where(answers, "account IS NULL") if due_now(s, answers.at)]
    return items + [_step_item(answers, s) for s in with_texts(answers.store.db, steps)]


def _owed(answers: Answers, acct: str) -> list[dict]:
    """What each contact of the account owes (about now: stored in the current-state view)."""
    if answers.current is not None:
        return answers.current.owed(acct)
    return [owed(r, answers.rules_at(answers.at)) for r in states(answers, acct)]


def _reviews_and_initiatives(answers: Answers, acct: str) -> list[dict]:
    items, today = [], moment(answers.at).date()
    due_at = next_review(answers, acct)
    if due_at <= answers.at:
        items.append(_item("review", acct, f"review of {acct}", due_at, answers.at,
                           [r["id"] for r in reviews(answers, acct)[-1:]]))
    for g in plan(answers, acct)["goals"]:
        for i in g["initiatives"]:
            if i["status"] == "late":
                items.append({"kind": "initiative", "account": acct, "what": f"{i['text']} ({i['owner']})", "due": i["due"],
                              "days_overdue": (today - date.fromisoformat(i["due"])).days, "ids": [i["id"]], "risk": False,
                              "risk_level": 0})
    return items


def _contact_items(answers: Answers, acct: str, entries: dict, cold_days: int | None) -> list[dict]:
    """A contact's items overdue at ``at`` from what it owes (``owed``): each entry once its
    moment has passed; getting in touch once it has been ``cold`` days since the last two-way
    contact (and then no separate reassessing of the relationship)."""
    rules = answers.rules_at(answers.at)["coverage"]
    cold = rules["cold_days"] if cold_days is None else cold_days
    touch, at = entries["touch"], answers.at
    reach = touch is not None and (at - touch[0]) // DAY >= cold
    items = [_item(kind, acct, what, due_at, at, ids, level) for due_at, kind, what, ids, level, dim in entries["entries"]
             if due_at <= at and not (reach and dim == "relationship")]  # getting in touch reassesses the relationship
    if reach:
        since, what, ids, level = touch
        items.append(_item("contact", acct, what, since + cold * DAY, at, ids, level))
    return items


def contact_due(answers: Answers, acct: str, r: dict, cold_days: int | None = None) -> list[dict]:
    """What one contact's state (``r``, at ``at``) makes overdue, its next steps once due included."""
    items = _contact_items(answers, acct, owed(r, answers.rules_at(answers.at)), cold_days)
    steps = [{**s, "account": acct} for s in r.get("next_steps", ()) if due_now(s, answers.at)]
    return items + [_step_item(answers, s) for s in with_texts(answers.store.db, steps)]


def owed(r: dict, rules: dict) -> dict:
    """What a contact owes whatever the moment (the current-state view stores it, so `due` only
    filters by date): complaints to answer and values to reassess, each from a moment
    (``entries``: moment, kind, what, ids, risk level, dimension), and getting in touch, counted
    from the last two-way contact (``touch``: since, what, ids, risk level; none for a contact
    the framework says to move on from). A forgotten contact owes nothing."""
    if r["forgotten"]:
        return {"entries": [], "touch": None, "steps": []}
    rules = rules["coverage"]
    level = 2 if r["dimensions"]["power"] == "high" and r["dimensions"]["perception"] == "detractor" else 0
    entries = [[f["occurred"] + rules.get("response_days", 0) * DAY, "feedback", f"respond to {f['id']} ({f['sentiment']} "
                f"about {f['about']}) from {r['handle']}", [f["id"]], 3 if level else 1, None]
               for f in r["complaint_records"]]  # answering a powerful detractor's complaint comes before anything else
    entries += [[_micros(st["stale_since"]), "reassess", f"reassess {dim} of {r['handle']}", r["signals"][dim], level, dim]
                for dim, st in r["stale"].items()]
    if (r["band"] or {}).get("kind") == "risk" and r["band"]["level"] == "low":  # move on: never chased
        return {"entries": entries, "touch": None, "steps": r["next_steps"]}
    what = f"get back in touch with {r['handle']}" if r["last_two_way"] else f"make first two-way contact with {r['handle']}"
    stale = r["stale"].get("relationship")
    what += f" (relationship stale since {stale['stale_since'][:10]})" if stale else ""
    touch = [r["in_touch_since"], what, r["signals"]["relationship"] if stale else [], level]
    return {"entries": entries, "touch": touch, "steps": r["next_steps"]}


def _step_item(answers: Answers, step: dict) -> dict:
    what = f"next step with {step['handle']}: {step['text'] or '(erased)'}"
    return _item("next", step["account"], what, micros(datetime.fromisoformat(step["due"])), answers.at, [step["id"]])


def _item(kind: str, acct: str, what: str, due_at: int, at: int, ids: list[str], level: int = 0) -> dict:
    return {"kind": kind, "account": acct, "what": what, "due": _day(due_at // DAY), "days_overdue": (at - due_at) // DAY,
            "ids": ids, "risk": level > 0, "risk_level": level}


@lru_cache(maxsize=4096)
def _day(days: int) -> str:
    """The date (UTC) of a day number since the epoch, as text: many items fall due the same day."""
    return iso(days * DAY)[:10]


def _micros(text: str) -> int:
    return micros(datetime.fromisoformat(text))
