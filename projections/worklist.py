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
from ledger.projections.reports import Answers
from ledger.projections.timeline import DAY, iso, micros, moment


def due(answers: Answers, account: str | None = None, cold_days: int | None = None) -> list[dict]:
    """What is overdue across accounts, risks first, then the most overdue."""
    items = []
    for acct in ([account] if account else answers.preload_accounts()):
        if account:
            answers.require_account(acct)
        elif answers.subject(acct)["recorded"] > answers.as_of:
            continue
        if answers.account_stage(acct, answers.at)["value"] == "ended":
            continue
        items += _reviews_and_initiatives(answers, acct)
        for r in states(answers, acct, worked=True):
            if not r["forgotten"]:
                items += _contact_items(answers, acct, r, cold_days)
    return sorted(items, key=lambda i: (-i["risk_level"], -i["days_overdue"], i["account"], i["what"]))


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


def _contact_items(answers: Answers, acct: str, r: dict, cold_days: int | None) -> list[dict]:
    rules = answers.rules_at(answers.at)["coverage"]
    cold = rules["cold_days"] if cold_days is None else cold_days
    level = 2 if r["dimensions"]["power"] == "high" and r["dimensions"]["perception"] == "detractor" else 0
    items = []
    for f in r["complaint_records"]:  # answering a powerful detractor's complaint comes before anything else
        items.append(_item("feedback", acct, f"respond to {f['id']} ({f['sentiment']} about {f['about']}) from "
                           f"{r['handle']}", f["occurred"] + rules.get("response_days", 0) * DAY, answers.at, [f["id"]],
                           3 if level else 1))
    since, move_on = r["in_touch_since"], (r["band"] or {}).get("kind") == "risk" and r["band"]["level"] == "low"
    reach = (answers.at - since) // DAY >= cold and not move_on
    for dim, st in r["stale"].items():
        if not (reach and dim == "relationship"):  # getting in touch is how a stale relationship is reassessed
            items.append(_item("reassess", acct, f"reassess {dim} of {r['handle']}", _micros(st["stale_since"]),
                               answers.at, r["signals"][dim], level))
    if reach:
        what = f"get back in touch with {r['handle']}" if r["last_two_way"] else f"make first two-way contact with {r['handle']}"
        stale = r["stale"].get("relationship")
        what += f" (relationship stale since {stale['stale_since'][:10]})" if stale else ""
        items.append(_item("contact", acct, what, since + cold * DAY, answers.at, r["signals"]["relationship"] if stale else [], level))
    return [i for i in items if i["days_overdue"] >= 0]


def _item(kind: str, acct: str, what: str, due_at: int, at: int, ids: list[str], level: int = 0) -> dict:
    return {"kind": kind, "account": acct, "what": what, "due": _day(due_at // DAY), "days_overdue": (at - due_at) // DAY,
            "ids": ids, "risk": level > 0, "risk_level": level}


@lru_cache(maxsize=4096)
def _day(days: int) -> str:
    """The date (UTC) of a day number since the epoch, as text: many items fall due the same day."""
    return iso(days * DAY)[:10]


def _micros(text: str) -> int:
    return micros(datetime.fromisoformat(text))
