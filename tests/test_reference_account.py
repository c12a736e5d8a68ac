"""A reference account, scripted as a new user would record it, with the advice an experienced
account manager expects, one comment per expectation tied to the seeds. Runs on SQLite and
on PostgreSQL (RELLEDGER_TEST_POSTGRES_URL).

Northbank, a bank: nine contacts at several levels over a year (calls, meetings, feedback,
assessments), a contract, a contact-level commitment, a plan with two quarterly reviews;
and Oldco, an account that ended. Everything is asked about 2026-11-20.
"""

from __future__ import annotations

import os
import uuid

import pytest

from conftest import LedgerCLI

SERVER = os.environ.get("RELLEDGER_TEST_POSTGRES_URL")
AT = "2026-11-20"

SCRIPT = [
    "account add nb --name Northbank --at 2025-12-01",
    "contact add nb/clara --name Clara --title CFO --role economic-buyer --at 2025-12-01",
    "contact add nb/chiara --name Chiara --title Head-of-Digital --role champion --at 2025-12-01",
    "contact add nb/ivan --name Ivan --title CIO --role decision-maker --at 2025-12-01",
    "contact add nb/rita --name Rita --title CRO --role decision-maker --at 2025-12-01",
    "contact add nb/otto --name Otto --title Ops-manager --role user --at 2025-12-02",
    "contact add nb/paula --name Paula --title Procurement --role gatekeeper --at 2025-12-02",
    "contact add nb/andy --name Andy --title Analyst --role user --at 2025-12-02",
    "contact add nb/tom --name Tom --title Architect --role technical-evaluator --at 2025-12-02",
    "contact add nb/fiona --name Fiona --title Former-PM --at 2025-12-02",
    # Rita: met once in January, judged a sponsor, then nobody spoke to her again
    "log nb/rita meeting --at 2026-01-09 --id rita-m1",
    "assess nb/rita relationship=yes perception=advocate activity=active --reason Backs-us --at 2026-01-10 --id rita-a1",
    # Clara: quarterly meetings, judged in January and again at the July review
    "log nb/clara meeting --at 2026-01-15 --id clara-m1",
    "assess nb/clara relationship=yes perception=advocate activity=passive --at 2026-01-16 --id clara-a1",
    "log nb/clara meeting --at 2026-04-10 --id clara-m2",
    "log nb/clara meeting --at 2026-07-08 --id clara-m3",
    "log nb/clara meeting --at 2026-10-05 --id clara-m4",
    # Chiara: the champion; one bug report in June, praise in September, a commitment of her own
    "log nb/chiara meeting --at 2026-01-19 --id chiara-m1",
    "assess nb/chiara relationship=yes power=high perception=advocate activity=active --at 2026-01-20 --id chiara-a1",
    "log nb/chiara meeting --at 2026-04-14 --id chiara-m2",
    "feedback nb/chiara --about product --sentiment negative --note Export-bug --at 2026-06-10 --id chiara-f1",
    "respond chiara-f1 --note Fixed-in-4.2 --at 2026-06-12 --id chiara-r1",
    "log nb/chiara meeting --at 2026-07-20 --id chiara-m3",
    "feedback nb/chiara --about product --sentiment positive --at 2026-09-15 --id chiara-f2",
    "milestone nb/chiara long-term-commitment --at 2026-09-30 --id chiara-lt",
    "log nb/chiara call --outcome answered --at 2026-11-02 --id chiara-c1",
    # Ivan: the CIO nobody has reached; detracts and acts on it
    "assess nb/ivan perception=detractor activity=active --reason Blocked-the-rollout --at 2026-02-05 --id ivan-a1",
    "feedback nb/ivan --about company --sentiment negative --channel steering-committee --at 2026-10-20 --id ivan-f1",
    # Otto: only meetings, one praise, power judged low
    "log nb/otto meeting --at 2026-03-03 --id otto-m1",
    "assess nb/otto power=low --at 2026-03-04 --id otto-a1",
    "log nb/otto meeting --at 2026-05-12 --id otto-m2",
    "feedback nb/otto --about service --sentiment positive --at 2026-05-12 --id otto-f1",
    "log nb/otto meeting --at 2026-08-20 --id otto-m3",
    "log nb/otto meeting --at 2026-10-28 --id otto-m4",
    # Paula: three calls, none answered
    "assess nb/paula power=low --at 2026-02-01 --id paula-a1",
    "log nb/paula call --outcome unanswered --at 2026-09-01 --id paula-c1",
    "log nb/paula call --outcome unanswered --at 2026-09-15 --id paula-c2",
    "log nb/paula call --outcome unanswered --at 2026-10-01 --id paula-c3",
    # Andy: one call, one praise
    "log nb/andy call --outcome answered --at 2026-08-04 --id andy-c1",
    "feedback nb/andy --about product --sentiment positive --at 2026-08-05 --id andy-f1",
    "assess nb/andy power=low --at 2026-08-05 --id andy-a1",
    # Tom: a workshop, monthly calls, two complaints (the first answered)
    "assess nb/tom relationship=yes power=low perception=advocate activity=passive --at 2026-02-15 --id tom-a1",
    "log nb/tom meeting --at 2026-03-20 --id tom-m1",
    "log nb/tom call --outcome answered --at 2026-06-15 --id tom-c1",
    "feedback nb/tom --about service --sentiment negative --note Slow-support --at 2026-08-20 --id tom-f1",
    "respond tom-f1 --note New-SLA --at 2026-08-22 --id tom-r1",
    "log nb/tom call --outcome answered --at 2026-09-10 --id tom-c2",
    "feedback nb/tom --about product --sentiment negative --note Upgrade-broke-SSO --at 2026-10-10 --id tom-f2",
    "log nb/tom call --outcome answered --at 2026-11-10 --id tom-c3",
    # Fiona left the bank and asked to be forgotten
    "log nb/fiona call --outcome answered --at 2026-02-01 --id fiona-c1",
    # the account: a contract, a plan, two quarterly reviews
    "milestone nb contract-signed --at 2026-03-15 --id nb-k1",
    "goal add nb Turn-the-CIO-around --target 2026-12-31 --id g1 --at 2026-03-20",
    "initiative add g1 Executive-briefing-with-the-CIO --owner ann --due 2026-09-30 --contact nb/ivan --id i1 --at 2026-03-20",
    "initiative add g1 Reference-call-with-Chiara --owner ann --due 2026-06-30 --contact nb/chiara --id i2 --at 2026-03-20",
    "initiative done i2 --at 2026-06-20 --id i2-done",
    "review nb --note Q1 --at 2026-04-01 --id rv1",
    "assess nb/clara perception=advocate activity=passive --at 2026-07-01 --id clara-a2",
    "review nb --note Q2 --at 2026-07-01 --id rv2",
    # Oldco: a contract that ended, with an unanswered complaint left behind
    "account add oldco --name Oldco --at 2025-12-01",
    "contact add oldco/bob --name Bob --at 2025-12-01",
    "log oldco/bob meeting --at 2026-01-05 --id bob-m1",
    "milestone oldco contract-signed --at 2026-01-10 --id oldco-k1",
    "feedback oldco/bob --about service --sentiment negative --at 2026-02-20 --id bob-f1",
    "milestone oldco ended --at 2026-03-01 --id oldco-end",
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def bank(request, tmp_path_factory):
    """The reference account recorded through the CLI (once per backend: the tests only read it), on
    SQLite or on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        ledger = LedgerCLI(tmp_path_factory.mktemp("bank") / "ledger.db")
        yield _record(ledger)
        return
    if not SERVER:
        pytest.skip("RELLEDGER_TEST_POSTGRES_URL is not set (no PostgreSQL server)")
    import psycopg

    from test_postgres import PostgresCLI

    name = f"relledger_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _record(PostgresCLI(f"{SERVER.rsplit('/', 1)[0]}/{name}"))
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _record(ledger):
    for line in SCRIPT:
        ledger.ok(*line.split())
    ledger.ok("forget", "nb/fiona", "--yes")
    return ledger


def show(ledger, handle: str, at: str = AT) -> dict:
    return ledger.ok("show", handle, "--at", at, "--json").json


def test_each_contact_gets_the_advice_an_account_manager_would_give(bank):
    clara = show(bank, "nb/clara")
    # Seed 000 row 14: relationship yes, high power (economic buyer), advocate, passive -> "Med potential, activate":
    # a CFO who likes us but does nothing with it is exactly the person to activate.
    assert (clara["action"], clara["framework"]["row"], clara["reassess"]) == ("Med potential, activate", 14, [])
    chiara = show(bank, "nb/chiara")
    # Row 16: the champion still gets "High potential, leverage" after one bug report (seed 003: how a problem is
    # answered is what is remembered; she was answered and praised us since).
    assert (chiara["action"], chiara["dimensions"]["perception"]) == ("High potential, leverage", "advocate")
    ivan = show(bank, "nb/ivan")
    # Rows 6 and 13 agree: a powerful, active detractor is "High risk, improve perception" whether or not he would
    # take our call, so the unknown relationship does not leave the biggest risk without advice.
    assert (ivan["action"], ivan["missing"], ivan["band"]["kind"]) == ("High risk, improve perception", ["relationship"], "risk")
    rita = show(bank, "nb/rita")
    # A January judgement, and no two-way contact since: the value stays (nothing happened to change it) but it is
    # stale, and seed 002's plan needs knowing where we are, so it says what to reassess.
    assert (rita["action"], rita["reassess"]) == ("High potential, leverage", ["relationship", "perception", "activity"])
    otto = show(bank, "nb/otto")
    # Four meetings are two-way contact (seed 000: would they take your call? they met us), so relationship is yes;
    # his activity alone decides between the two "make a hero" rows (11 and 15): that is the question to ask.
    assert otto["dimensions"]["relationship"] == "yes" and otto["action"] is None
    assert otto["decide"] == "assess activity: passive → Low potential, make a hero; active → Med potential, make a hero"
    # In JSON, each candidate action with the value that leads to it.
    assert otto["candidates"] == [{"action": "Low potential, make a hero", "when": {"activity": "passive"}},
                                  {"action": "Med potential, make a hero", "when": {"activity": "active"}}]
    paula = show(bank, "nb/paula")
    # Three unanswered calls say she would not take our call (relationship no); they say nothing of her activity.
    assert (paula["dimensions"]["relationship"], paula["dimensions"]["activity"]) == ("no", None)
    tom = show(bank, "nb/tom")
    # Two complaints in two months overturn February's "advocate, passive" (seed 000: perception is about the
    # company and product; complaining is acting on it): row 9, "Moderate risk, improve perception".
    assert (tom["action"], tom["quadrant"]) == ("Moderate risk, improve perception", "low-detractor")


def test_stages_are_per_person_and_the_account_keeps_its_own(bank):
    stages = {r["handle"]: r["stage"] for r in bank.ok("list", "--account", "nb", "--at", AT, "--json").json}
    # Seed 003: the account is engaged (contract signed); people we have met share that stage, Chiara's own
    # commitment makes her long-term alone; Ivan and Paula were never met, Andy and Fiona only spoken to on the
    # phone: still courting (the first date is a meeting).
    assert stages == {"nb/andy": "courting", "nb/chiara": "long-term", "nb/clara": "engagement", "nb/fiona": "courting",
                      "nb/ivan": "courting", "nb/otto": "engagement", "nb/paula": "courting", "nb/rita": "engagement",
                      "nb/tom": "engagement"}
    # The account's own stage comes from its own contract, not from Chiara's commitment.
    assert bank.ok("show", "nb", "--at", AT, "--json").json["stage"] == "engagement"
    moves = bank.ok("history", "nb/chiara", "--at", AT, "--json").json["transitions"]
    # Each stage change is a transition of its own in history.
    assert [(m["from"]["stage"], m["to"]["stage"]) for m in moves if m["from"]["stage"] != m["to"]["stage"]] == [
        ("courting", "dating"), ("dating", "engagement"), ("engagement", "long-term")]


def test_why_reads_alone_with_conflicts_and_staleness(bank):
    june = bank.ok("why", "nb/chiara", "--at", "2026-07-01", "--json").json
    # A lone bug report against a considered judgement is a conflict to see, not a change of advice.
    assert [c["id"] for c in june["dimensions"]["perception"]["conflicts"]] == ["chiara-f1"]
    assert "2 consistent contrary signals within 180 days" in june["dimensions"]["perception"]["rule"]
    rita = bank.ok("why", "nb/rita", "--at", AT).out
    # The auditor sees the rules version, the rule, the evidence and since when it is stale, without `history`.
    assert "rules built-in v2" in rita and "reassess: nothing has agreed since 2026-01-10; stale since 2026-07-09" in rita
    assert "evidence rita-a1 2026-01-10 assessment relationship=yes perception=advocate activity=active by tester" in rita
    ivan = bank.ok("why", "nb/ivan", "--at", AT).out
    # The text says why an unknown relationship does not hold back the advice (rows 6 and 13 agree).
    assert "decided without relationship: no value of it changes the action" in ivan


def test_list_by_action_finds_the_risks_including_partly_classified_contacts(bank):
    risks = bank.ok("list", "--action", "risk", "--at", AT, "--json").json
    # Ivan is matched although his relationship is unknown; Tom is the other risk.
    assert [r["handle"] for r in risks] == ["nb/ivan", "nb/tom"]


def test_due_puts_risks_first_answers_complaints_and_leaves_the_ended_account_alone(bank):
    items = bank.ok("due", "--at", AT, "--json").json
    whats = [i["what"] for i in items]
    # Risk first (seed 000: a high-power detractor can subvert an initiative), then complaints (seed 003: how we
    # answer feedback is where long-term relationships are made or damaged), then by days overdue.
    assert whats[:4] == ["respond to ivan-f1 (negative about company) from nb/ivan", "make first two-way contact with nb/ivan",
                         "respond to tom-f2 (negative about product) from nb/tom", "make first two-way contact with nb/paula"]
    # Praise needs no response; an answered complaint is done; a forgotten contact is never chased; an ended
    # account does not nag.
    assert not [w for w in whats if "andy-f1" in w or "otto-f1" in w or "tom-f1" in w or "fiona" in w or "oldco" in w]
    # Seed 002's quarterly review is overdue (last one 1 July); the CIO briefing is late; Rita's values need a new look.
    assert {"review of nb", "Executive-briefing-with-the-CIO (ann)", "reassess relationship of nb/rita"} <= set(whats)
    assert [i["risk"] for i in items[:4]] == [True, True, True, False]


def test_gaps_name_each_unanswered_complaint_and_never_praise(bank):
    [gaps] = bank.ok("gaps", "--account", "nb", "--at", AT, "--json").json
    complaints = [g["feedback"] for g in gaps["gaps"] if g["kind"] == "feedback-without-response"]
    # One gap per complaint without a response, named by its feedback id.
    assert sorted(complaints) == ["ivan-f1", "tom-f2"]
    # The biggest risk leads: the CIO who has power and detracts (seed 000: he can subvert an initiative).
    assert (gaps["gaps"][0]["kind"], gaps["gaps"][0]["contacts"]) == ("high-power-detractor", ["nb/ivan"])
    # Seed 003: an ended relationship restarts only with a new contract; until then there is nothing to chase.
    [ended] = bank.ok("gaps", "--account", "oldco", "--at", AT, "--json").json
    assert (ended["stage"], ended["gaps"]) == ("ended", [])


def test_the_review_lists_only_real_moves_and_says_what_changed(bank):
    review = bank.ok("review", "nb", "--since-last", "--at", AT, "--json").json
    moved = {m["handle"]: {c["what"]: (c["from"], c["to"]) for c in m["changes"]} for m in review["moved"]}
    # Tom turned (perception and activity, so quadrant and action); Chiara's commitment moved her stage; Andy got
    # a quadrant once his power was judged. Rita only went stale and Paula's unanswered calls changed no
    # action: neither is a move.
    assert set(moved) == {"nb/andy", "nb/chiara", "nb/tom"}
    assert moved["nb/tom"]["perception"] == ("advocate", "detractor")
    assert moved["nb/tom"]["action"] == ("Low potential, make a hero", "Moderate risk, improve perception")
    assert moved["nb/chiara"] == {"stage": ("engagement", "long-term")}
    # Gaps are per item: each complaint since the review is a new gap of its own.
    new = {(g["kind"], g.get("feedback")) for g in review["new_gaps"]}
    assert {("feedback-without-response", "tom-f2"), ("feedback-without-response", "ivan-f1")} <= new
    # The text line says what changed, dimension by dimension.
    text = bank.ok("review", "nb", "--since-last", "--at", AT).out
    assert "nb/tom: perception advocate -> detractor; activity passive -> active" in text


def test_the_account_trend_says_how_many_contacts_each_period_scores(bank):
    trend = bank.ok("trend", "--account", "nb", "--by", "quarter", "--at", AT, "--json").json
    last = trend["periods"][-1]
    # Seed 004: a few contacts are not the account; the score says it comes from 5 of the 9.
    assert (last["classified"], last["contacts"], last["stage"]) == (5, 9, "engagement")
    # Seed 003 per period: courting before anyone was met, engagement from the contract in March.
    assert [p["stage"] for p in trend["periods"]] == ["courting", "engagement", "engagement", "engagement", "engagement"]
