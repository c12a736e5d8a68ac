"""The due list (seed 002's review rhythm, and what the advice asks for): overdue reviews and
initiatives, complaints without a response, values to reassess, contacts gone cold.

Ranked risk first (complaints, high-power detractors), then by days overdue. A forgotten
contact is never chased, and an ended account does not nag.
"""

from __future__ import annotations

from datetime import date

from ledger.projections.accounts import next_review, plan, reviews, states
from ledger.projections.reports import Answers
from ledger.projections.timeline import DAY, iso, moment


def due(answers: Answers, account: str | None = None, cold_days: int | None = None) -> list[dict]:
    """What is overdue across accounts, risks first, then the most overdue."""
    items = []
    for acct in ([account] if account else answers.store.accounts()):
        if account:
            answers.require_account(acct)
        elif answers.store.subject(acct)["recorded"] > answers.as_of:
            continue
        if answers.account_stage(acct, answers.at)["value"] == "ended":
            continue
        items += _reviews_and_initiatives(answers, acct)
        for r in states(answers, acct):
            if not r["forgotten"]:
                items += _contact_items(answers, acct, r, cold_days)
    return sorted(items, key=lambda i: (not i["risk"], -i["days_overdue"], i["account"], i["what"]))


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
                              "days_overdue": (today - date.fromisoformat(i["due"])).days, "ids": [i["id"]], "risk": False})
    return items


def _contact_items(answers: Answers, acct: str, r: dict, cold_days: int | None) -> list[dict]:
    rules = answers.rules_at(answers.at)["coverage"]
    cold = rules["cold_days"] if cold_days is None else cold_days
    risky = r["dimensions"]["power"] == "high" and r["dimensions"]["perception"] == "detractor"
    items = []
    for f in r["complaint_records"]:
        items.append(_item("feedback", acct, f"respond to {f['id']} ({f['sentiment']} about {f['about']}) from "
                           f"{r['handle']}", f["occurred"] + rules.get("response_days", 0) * DAY, answers.at, [f["id"]], True))
    for dim, st in r["stale"].items():
        items.append(_item("reassess", acct, f"reassess {dim} of {r['handle']}", _micros(st["stale_since"]), answers.at,
                           r["signals"][dim], risky))
    since = r["in_touch_since"]
    if (answers.at - since) // DAY >= cold:
        items.append(_item("contact", acct, f"get back in touch with {r['handle']}", since + cold * DAY, answers.at, [], risky))
    return [i for i in items if i["days_overdue"] >= 0]


def _item(kind: str, acct: str, what: str, due_at: int, at: int, ids: list[str], risk: bool = False) -> dict:
    return {"kind": kind, "account": acct, "what": what, "due": iso(due_at)[:10], "days_overdue": (at - due_at) // DAY,
            "ids": ids, "risk": risk}


def _micros(text: str) -> int:
    from datetime import datetime

    from ledger.projections.timeline import micros

    return micros(datetime.fromisoformat(text))
