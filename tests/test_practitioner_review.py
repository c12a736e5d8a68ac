"""A practitioner's review of the advice on an account of their own (tests/practitioner_account.py:
Harbor Mutual, an insurer, eleven contacts over fourteen months), asserting the advice an
experienced account manager agrees with, one comment per expectation tied to the seeds.
docs/practitioner-review.md has the full table, including where the advice is a judgement call.
"""

from __future__ import annotations

import pytest

from conftest import LedgerCLI
from practitioner_account import AT, record


@pytest.fixture(scope="module")
def insurer(tmp_path_factory) -> LedgerCLI:
    """Harbor Mutual recorded once through the CLI; the tests only read it."""
    ledger = LedgerCLI(tmp_path_factory.mktemp("insurer") / "ledger.db")
    record(ledger.ok)
    return ledger


def show(ledger: LedgerCLI, who: str) -> dict:
    return ledger.ok("show", f"hm/{who}", "--at", AT, "--json").json


def why(ledger: LedgerCLI, who: str) -> dict:
    return ledger.ok("why", f"hm/{who}", "--at", AT, "--json").json


def gaps(ledger: LedgerCLI) -> dict:
    [found] = ledger.ok("gaps", "--account", "hm", "--at", AT, "--json").json
    return found


def test_the_detractor_exec_is_the_accounts_high_risk_whatever_else_is_unknown(insurer):
    otis = show(insurer, "otis")
    # Seed 000 row 6: no relationship (he declined our meeting), high power, detractor, active: "High risk,
    # improve perception". A COO pushing the incumbent is exactly the person who can subvert the renewal.
    assert (otis["action"], otis["framework"]["row"], otis["quadrant"]) == ("High risk, improve perception", 6, "high-detractor")
    # Seed 003: we have never met him, so his own stage is still courting although the account is engaged.
    assert otis["stage"] == "courting"
    # The declined meeting is nine months old: try again before trusting "no relationship".
    assert otis["reassess"] == ["relationship"]


def test_the_champion_stays_a_sponsor_after_one_answered_bug_report(insurer):
    sara = show(insurer, "sara")
    # Seed 003: problems will arise; how we answer them is what is remembered. One complaint, fixed in two days,
    # does not turn the champion who owns the claims budget into a risk: row 16 still holds.
    assert (sara["action"], sara["dimensions"]["perception"]) == ("High potential, leverage", "advocate")
    # The bug report is visible to an auditor as a conflict, not silently dropped.
    assert [c["id"] for c in why(insurer, "sara")["dimensions"]["perception"]["conflicts"]] == ["sara-f2"]
    # Seed 003: her own long-term commitment makes her long-term, not the account (still engagement).
    assert sara["stage"] == "long-term"
    assert insurer.ok("show", "hm", "--at", AT, "--json").json["stage"] == "engagement"


def test_the_cio_we_meet_every_quarter_is_the_sponsor_to_leverage(insurer):
    marta = show(insurer, "marta")
    # Row 16: relationship yes (quarterly meetings are two-way contact), high power, advocate, active.
    assert (marta["action"], marta["framework"]["row"], marta["dimensions"]["relationship"]) == (
        "High potential, leverage", 16, "yes")
    # The October 2025 judgement is a year old: power, perception and activity ask for a fresh look at the
    # next review (seed 002: start from where we are, not where we were); the meetings keep the relationship fresh.
    assert marta["reassess"] == ["power", "perception", "activity"]


def test_the_technical_evaluator_who_went_quiet_has_no_relationship_and_stale_praise(insurer):
    tariq = show(insurer, "tariq")
    # Seed 000: would he take your call? Three attempts since June went unanswered: no.
    assert tariq["dimensions"]["relationship"] == "no"
    # His praise and his activity date from the proof of concept a year ago: kept, but flagged.
    assert tariq["reassess"] == ["perception", "activity"]
    # Whether he has the power to block decides between "make a hero" and "find a sponsor": that is the question.
    assert tariq["decide"] == "assess power: low → Med potential, make a hero; high → High potential, find a sponsor"


def test_the_economic_buyer_nobody_has_met_is_a_gap_not_coverage(insurer):
    henrik = show(insurer, "henrik")
    # Two unanswered calls and a declined meeting: no relationship; nothing tells us how he sees us.
    assert (henrik["dimensions"]["relationship"], henrik["action"], henrik["stage"]) == ("no", None, "courting")
    found = gaps(insurer)
    # Seed 002 step 3 (strong and weak, coverage, with whom): a key role held only by people who will not take
    # our call is a weakness. Listing the CFO as "economic-buyer covered" is the false comfort seed 004 warns of.
    assert "hm/henrik" not in {c for s in found["strengths"] if s["kind"] == "role-covered" for c in s["contacts"]}
    unreached = {g["role"]: g["contacts"] for g in found["gaps"] if g["kind"] == "role-unreached"}
    assert unreached == {"economic-buyer": ["hm/henrik"], "technical-evaluator": ["hm/tariq"]}
    # The roles we do hold through people who take our call stay strengths.
    covered = {s["detail"] for s in found["strengths"] if s["kind"] == "role-covered"}
    assert covered == {"decision-maker: hm/marta", "champion: hm/sara"}


def test_procurement_takes_our_calls_but_detracts_on_price(insurer):
    piet = show(insurer, "piet")
    # One declined meeting between answered calls is a lone contrary signal: he still takes our call.
    assert piet["dimensions"]["relationship"] == "yes"
    assert [c["id"] for c in why(insurer, "piet")["dimensions"]["relationship"]["conflicts"]] == []
    # His complaint about the price uplift is about the company: detractor; low power by judgement.
    assert (piet["quadrant"], piet["dimensions"]["activity"]) == ("low-detractor", None)
    # Whether he acts on it decides between moving on and improving perception.
    assert [c["action"] for c in piet["candidates"]] == ["Low risk, move on", "Moderate risk, improve perception"]
    # Seed 003: calls are not a date; never met, he is still courting.
    assert piet["stage"] == "courting"


def test_end_users_who_only_answer_surveys_have_no_relationship_on_record(insurer):
    ulla, uwe = show(insurer, "ulla"), show(insurer, "uwe")
    # Seed 004: a survey is a narrow snapshot, not a conversation: no relationship either way.
    assert (ulla["dimensions"]["relationship"], uwe["dimensions"]["relationship"]) == (None, None)
    # Survey sentiment about product or service still reads as perception.
    assert (ulla["dimensions"]["perception"], uwe["dimensions"]["perception"]) == ("advocate", "detractor")


def test_feedback_about_me_and_a_retracted_call_do_not_move_the_ciso(insurer):
    colin = show(insurer, "colin")
    # Seed 000 separates you from the company: "too pushy" is about me, not a perception of the company.
    assert colin["dimensions"]["perception"] is None
    # The declined call logged on him by mistake was retracted: it is neither evidence nor a conflict.
    relationship = why(insurer, "colin")["dimensions"]["relationship"]
    assert (colin["dimensions"]["relationship"], relationship["conflicts"]) == ("yes", [])
    assert "colin-c1-wrong" not in relationship["events"]


def test_a_contact_first_met_after_the_contract_is_not_said_to_have_signed_it(insurer):
    stage = why(insurer, "colin")["stage"]
    # Seed 003: the first meeting brings him into the account's engagement; the contract was signed by the account
    # in January (hm-k1). The explanation must name what happened, not "contract signed (colin-m1)".
    assert stage["value"] == "engagement"
    assert stage["explanation"] == ("engagement: first meeting held (colin-m1 on hm/colin, 2026-04-08); "
                                    "the account's stage (engagement) applies from then")
    # A contact met before the contract keeps the contract as the cause.
    assert why(insurer, "tariq")["stage"]["explanation"] == "engagement: contract signed (hm-k1 on hm, 2026-01-15)"


def test_a_forgotten_contact_is_no_thread_to_the_account(insurer):
    found = gaps(insurer)
    threads = next(s for s in found["strengths"] if s["kind"] == "multi-threaded")
    # Lena left and was erased: she cannot take our call, so she is not one of the threads (seed 004: who do you
    # have the relationship with?). Colin, Greta, Marta, Piet and Sara are.
    assert threads["contacts"] == ["hm/colin", "hm/greta", "hm/marta", "hm/piet", "hm/sara"]
    # She is never chased either.
    assert not [g for g in found["gaps"] if "hm/lena" in g["contacts"]]


def test_due_answers_the_powerful_detractor_first_and_skips_what_needs_no_response(insurer):
    items = insurer.ok("due", "--at", AT, "--json").json
    whats = [i["what"] for i in items]
    # Seed 000/003: the COO's complaint at the steering committee comes first, then reaching him at all.
    assert whats[:2] == ["respond to otis-f1 (negative about company) from hm/otis", "make first two-way contact with hm/otis"]
    # Every unanswered complaint about company, product or service is on the list, by feedback id.
    assert {"respond to piet-f1 (negative about company) from hm/piet",
            "respond to uwe-f1 (negative about service) from hm/uwe"} <= set(whats)
    # The answered bug report, the neutral survey, the praise and feedback about me need no response.
    assert not [w for w in whats if any(f in w for f in ("sara-f2", "ulla-f2", "ulla-f1", "sara-f1", "colin-f1"))]
    # The forgotten contact is never chased.
    assert not [w for w in whats if "lena" in w]
    # Seed 002: key initiatives are time-bound; the CFO value review is late, the COO plan is not due yet.
    assert "CFO-value-review (ann)" in whats and "Delivery-recovery-plan-for-Otis (bo)" not in whats
    # The Q3 review was on 6 October: the next one is not due yet.
    assert "review of hm" not in whats


def test_the_review_since_q3_shows_no_false_moves_and_the_new_complaint(insurer):
    review = insurer.ok("review", "hm", "--since-last", "--at", AT, "--json").json
    # Nobody's action, quadrant or stage changed since 6 October: no moves to read through.
    assert review["moved"] == []
    # The COO's complaint (19 October) is new since the review.
    assert ("feedback-without-response", "otis-f1") in {(g["kind"], g.get("feedback")) for g in review["new_gaps"]}
    # The late initiative is named again.
    assert [i["id"] for i in review["late"]] == ["hm-i1"]


def test_the_q3_review_surfaces_the_technical_evaluator_going_dark(insurer):
    review = insurer.ok("review", "hm", "--since-last", "--at", "2026-10-05", "--json").json
    # Since the Q2 review Tariq stopped taking our calls; his advice stays undecided (power unknown), so he is no
    # "move", but seed 002's quarterly review must still show that the technical-evaluator role is no longer held
    # by anyone who takes our call.
    assert {(g["kind"], g.get("role")) for g in review["new_gaps"]} >= {("role-unreached", "technical-evaluator")}
    # Sara's own long-term commitment is the one move, and it says what changed.
    assert [(m["handle"], m["changes"]) for m in review["moved"]] == [
        ("hm/sara", [{"what": "stage", "from": "engagement", "to": "long-term"}])]


def test_the_account_trend_says_its_score_comes_from_three_contacts(insurer):
    trend = insurer.ok("trend", "--account", "hm", "--by", "quarter", "--at", AT, "--json").json
    last = trend["periods"][-1]
    # Seed 004: three classified contacts (Marta, Sara, Otis) are not the account's health; the trend says so.
    assert (last["classified"], last["stage"]) == (3, "engagement")
