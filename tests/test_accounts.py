"""Accounts (issue 5): roles, reporting lines, the map, coverage gaps, plans, reviews, due."""

from __future__ import annotations

import pytest


@pytest.fixture
def initech(relledger):
    """An account over a year: four contacts, a plan, two reviews."""
    r = relledger
    r.ok("account", "add", "initech", "--name", "Initech", "--at", "2026-01-01")
    r.ok("contact", "add", "initech/bill", "--name", "Bill L", "--role", "economic-buyer", "--at", "2026-01-02")
    r.ok("contact", "add", "initech/peter", "--name", "Peter G", "--role", "user", "--reports-to", "initech/bill",
         "--at", "2026-01-02")
    r.ok("contact", "add", "initech/milton", "--name", "Milton W", "--role", "gatekeeper", "--reports-to", "initech/bill",
         "--at", "2026-01-03")
    r.ok("--as", "ann", "log", "initech/peter", "call", "--outcome", "answered", "--at", "2026-01-10")
    r.ok("--as", "ann", "log", "initech/peter", "meeting", "--at", "2026-01-20")
    r.ok("assess", "initech/peter", "perception=advocate", "activity=active", "--at", "2026-01-21")
    r.ok("assess", "initech/bill", "relationship=no", "perception=detractor", "activity=active", "--at", "2026-01-25", "--id", "a-bill")
    r.ok("feedback", "initech/milton", "--about", "product", "--sentiment", "negative", "--at", "2026-02-01", "--id", "fb-milton")
    r.ok("goal", "add", "initech", "Win Bill over", "--target", "2026-09-30", "--at", "2026-02-01", "--id", "g1")
    r.ok("initiative", "add", "g1", "Exec briefing for Bill", "--owner", "ann", "--due", "2026-03-15",
         "--contact", "initech/bill", "--at", "2026-02-01", "--id", "i1")
    r.ok("initiative", "add", "g1", "Fix Milton's stapler issue", "--owner", "bo", "--due", "2026-04-30",
         "--at", "2026-02-01", "--id", "i2")
    r.ok("review", "initech", "--note", "Kick-off of the plan", "--at", "2026-02-02", "--id", "rv1")
    r.ok("--as", "bo", "log", "initech/bill", "meeting", "--outcome", "answered", "--at", "2026-03-10")
    r.ok("assess", "initech/bill", "relationship=yes", "perception=advocate", "--at", "2026-03-11", "--id", "a-bill2")
    r.ok("initiative", "done", "i1", "--note", "Went well", "--at", "2026-03-12")
    r.ok("review", "initech", "--note", "Bill is on side", "--at", "2026-05-05", "--id", "rv2")
    r.ok("contact", "roles", "initech/peter", "--role", "user", "--role", "champion", "--at", "2026-06-01")
    return r


def test_the_map_groups_contacts_by_quadrant_with_roles_stage_and_who_holds_them(initech):
    m = initech.ok("map", "initech", "--at", "2026-03-20", "--json").json
    assert m["groups"]["high-advocate"] == ["initech/bill"]
    bill = next(c for c in m["contacts"] if c["handle"] == "initech/bill")
    assert (bill["roles"], bill["stage"], bill["held_by"], bill["name"]) == (["economic-buyer"], "dating", ["bo"], "Bill L")
    assert sorted(m["reporting"]) == [["initech/milton", "initech/bill"], ["initech/peter", "initech/bill"]]
    assert initech.ok("map", "initech", "--at", "2026-03-20").out.startswith("initech  Initech  (stage dating)\n\nhigh-advocate\n")


def test_the_map_draws_reporting_lines_as_mermaid_and_dot(initech):
    mermaid = initech.ok("map", "initech", "--format", "mermaid").out
    assert mermaid.startswith("graph TD\n") and "  initech_bill --> initech_peter\n" in mermaid
    assert '  "initech/bill" -> "initech/milton";' in initech.ok("map", "initech", "--format", "dot").out


def test_gaps_before_and_after_winning_the_economic_buyer(initech):
    listed = initech.ok("gaps", "--account", "initech", "--at", "2026-02-15", "--json").json[0]["gaps"]
    before = {g["kind"]: g for g in listed}
    assert before["no-high-power-relationship"]["contacts"] == ["initech/bill"]
    assert "a-bill" in before["no-high-power-relationship"]["events"]
    assert before["single-threaded"]["contacts"] == ["initech/peter"]
    assert before["high-power-detractor"]["contacts"] == ["initech/bill"]
    assert before["feedback-without-response"]["events"] == ["fb-milton"]
    assert {g["detail"] for g in listed if g["kind"] == "role-uncovered"} == {
        "nobody is known as decision-maker", "nobody is known as champion", "nobody is known as technical-evaluator"}
    after = initech.ok("gaps", "--account", "initech", "--at", "2026-03-20", "--json").json[0]
    kinds = {g["kind"] for g in after["gaps"]}
    assert "no-high-power-relationship" not in kinds and "high-power-detractor" not in kinds
    assert {s["kind"] for s in after["strengths"]} >= {"sponsor", "multi-threaded"}


def test_contacts_gone_cold_are_a_gap_with_a_configurable_threshold(initech):
    cold = initech.ok("gaps", "--account", "initech", "--at", "2026-03-20", "--cold", "30", "--json").json[0]["gaps"]
    assert {tuple(g["contacts"]) for g in cold if g["kind"] == "gone-cold"} == {("initech/peter",), ("initech/milton",)}
    peter = next(g for g in cold if g["contacts"] == ["initech/peter"])
    history = {e["id"]: e for e in initech.ok("history", "initech/peter", "--json").json["events"]}
    assert history[peter["events"][0]]["kind"] == "meeting"  # the last two-way contact, 2026-01-20


def test_roles_change_as_events_and_count_from_then_on(initech):
    assert "role-uncovered" in {g["kind"] for g in initech.ok("gaps", "--at", "2026-05-31", "--json").json[0]["gaps"]
                                if g["detail"] == "nobody is known as champion"}
    peter = next(c for c in initech.ok("map", "initech", "--json").json["contacts"] if c["handle"] == "initech/peter")
    assert peter["roles"] == ["user", "champion"]


def test_the_plan_shows_each_initiative_open_late_done_or_dropped(initech):
    plan = initech.ok("plan", "initech", "--at", "2026-05-10", "--json").json
    statuses = {i["id"]: i["status"] for i in plan["goals"][0]["initiatives"]}
    assert statuses == {"i1": "done", "i2": "late"}
    assert initech.ok("plan", "initech", "--at", "2026-03-01", "--json").json["goals"][0]["initiatives"][0]["status"] == "open"
    initech.ok("initiative", "drop", "i2", "--note", "Stapler found")
    assert initech.ok("plan", "initech", "--json").json["goals"][0]["initiatives"][1]["status"] == "dropped"


def test_since_last_review_tells_what_changed(initech):
    report = initech.ok("review", "initech", "--since-last", "--at", "2026-05-04", "--json").json
    assert (report["review"], report["since"][:10]) == ("rv1", "2026-02-02")
    moved = {m["handle"]: m for m in report["moved"]}
    assert moved["initech/bill"]["from"]["quadrant"] == "high-detractor"
    assert moved["initech/bill"]["to"]["quadrant"] == "high-advocate"
    assert [i["id"] for i in report["done"]] == ["i1"] and [i["id"] for i in report["late"]] == ["i2"]
    assert report["next_review_due"] == "2026-05-02"


def test_as_of_between_the_reviews_shows_what_was_known_then(initech):
    recorded = {e["id"]: e["recorded_at"] for e in initech.ok("history", "initech/bill", "--json").json["events"]}
    then = initech.ok("map", "initech", "--at", "2026-12-31", "--as-of", recorded["a-bill"], "--json").json
    assert then["groups"].get("high-detractor") == ["initech/bill"]
    assert initech.ok("plan", "initech", "--as-of", recorded["a-bill"], "--json").json["goals"] == []


def test_due_lists_overdue_reviews_initiatives_and_cold_contacts_most_urgent_first(initech):
    items = initech.ok("due", "--at", "2026-09-01", "--json").json
    kinds = [i["kind"] for i in items]
    assert {"review", "initiative", "contact"} <= set(kinds)
    assert [i["days_overdue"] for i in items] == sorted((i["days_overdue"] for i in items), reverse=True)
    review = next(i for i in items if i["kind"] == "review")
    assert (review["due"], review["days_overdue"]) == ("2026-08-05", 27)


def test_the_review_cadence_is_configurable_per_account(initech):
    initech.ok("review", "initech", "--note", "Monthly from now on", "--every", "1", "--at", "2026-06-01")
    review = next(i for i in initech.ok("due", "--at", "2026-07-10", "--json").json if i["kind"] == "review")
    assert review["due"] == "2026-07-01"


@pytest.mark.parametrize("args,message", [
    (["goal", "add", "nope", "Grow", "--target", "2026-12-31"], "handle: no account 'nope'"),
    (["goal", "add", "initech/bill", "Grow", "--target", "2026-12-31"], "handle: 'initech/bill' is a contact; this needs an account"),
    (["goal", "add", "initech", "Grow", "--target", "soon"], "'--target': 'soon' is not a date"),
    (["initiative", "add", "g1", "Call", "--owner", "ann", "--due", "2020-01-01"], "due: 2020-01-01 is in the past"),
    (["initiative", "add", "g1", "Call", "--due", "2099-01-01"], "Missing option '--owner'"),
    (["initiative", "add", "g1", "Call", "--owner", "ann"], "Missing option '--due'"),
    (["initiative", "add", "i1", "Call", "--owner", "a", "--due", "2099-01-01"], "event id: 'i1' is an initiative; expected goal"),
    (["initiative", "add", "g1", "Call", "--owner", "a", "--due", "2099-01-01", "--contact", "x/y"], "handle: no contact 'x/y'"),
    (["initiative", "done", "i1"], "initiative: 'i1' is already done or dropped"),
    (["initiative", "done", "nope"], "event id: no event 'nope'"),
    (["contact", "roles", "initech/bill", "--role", "king"], "'--role': 'king' is not one of"),
    (["contact", "reports-to", "initech/bill", "initech/peter"], "reports-to: 'initech/bill' would make a reporting cycle"),
    (["contact", "reports-to", "initech/bill", "initech/nobody"], "handle: no contact 'initech/nobody'"),
    (["review", "initech"], "give --note TEXT to record a review, or --since-last"),
    (["review", "initech", "--since-last", "--at", "2026-02-01"], "review: initech has no review before 2026-02-01"),
    (["review", "initech", "--note", "x", "--every", "0"], "'--every': 0 is not in the range"),
    (["map", "nope"], "handle: no account 'nope'"),
    (["plan", "initech/bill"], "account: 'initech/bill' is a contact"),
    (["map", "initech", "--format", "svg"], "'--format': 'svg' is not one of"),
    (["due", "--cold", "0"], "'--cold': 0 is not in the range"),
])
def test_bad_account_input_is_refused_in_one_line_and_nothing_written(initech, args, message):
    before = initech.event_count()
    run = initech(*args)
    assert run.code != 0 and run.out == "" and run.err.count("\n") == 1 and message in run.err, run.err
    assert initech.event_count() == before
