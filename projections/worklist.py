"""The due list (seed 002's review rhythm, and what the advice asks for): overdue reviews and
initiatives, complaints without a response, values to reassess, contacts gone cold.

Ranked risk first (a high-power detractor's complaints, anything else about a high-power
detractor, other complaints), then by days overdue. A forgotten contact is never chased, nor one the framework says to move on from
(low risk), and an ended account does not nag.
"""

from __future__ import annotations

from datetime import date, datetime

from ledger.projections.accounts import contact_state, next_review, plan, reviews, states
from ledger.projections.nextsteps import due_now, with_texts
from ledger.projections.reports import Answers
from ledger.projections.timeline import DAY, iso, micros, moment


def due(answers: Answers, account: str | None = None, cold_days: int | None = None) -> list[dict]:
    """What is overdue across accounts, risks first, then the most overdue (next steps once due)."""
    items, steps = [], []
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
                steps += [{**s, "account": acct} for s in r["next_steps"] if due_now(s, answers.at)]
    if account is None:  # contacts of no account have next steps too
        steps += [{**s, "account": None} for h in _unaccounted(answers) for s in _open(answers, h) if due_now(s, answers.at)]
    items += [_step_item(answers, s) for s in with_texts(answers.store.db, steps)]
    return sorted(items, key=lambda i: (-i["risk_level"], -i["days_overdue"], i["account"] or "", i["what"]))


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


def _unaccounted(answers: Answers) -> list[str]:
    """Contacts of no account, known at ``as_of`` and not forgotten."""
    rows = answers.store.db.query("SELECT handle, recorded, occurred, forgotten FROM view_subjects "
                                  "WHERE kind='contact' AND account IS NULL ORDER BY handle")
    return [h for h, recorded, occurred, gone in rows if recorded <= answers.as_of and occurred <= answers.at
            and not (gone and gone <= answers.as_of)]


def _open(answers: Answers, handle: str) -> list[dict]:
    return contact_state(answers, handle)["next_steps"]


def _step_item(answers: Answers, step: dict) -> dict:
    what = f"next step with {step['handle']}: {step['text'] or '(erased)'}"
    return _item("next", step["account"], what, micros(datetime.fromisoformat(step["due"])), answers.at, [step["id"]])


def _item(kind: str, acct: str, what: str, due_at: int, at: int, ids: list[str], level: int = 0) -> dict:
    return {"kind": kind, "account": acct, "what": what, "due": iso(due_at)[:10], "days_overdue": (at - due_at) // DAY,
            "ids": ids, "risk": level > 0, "risk_level": level}


def _micros(text: str) -> int:
    return micros(datetime.fromisoformat(text))
