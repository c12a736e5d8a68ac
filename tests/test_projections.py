"""Classification, stage and movement, set up from lists of past events (no database)."""

from __future__ import annotations

from datetime import datetime, timezone

from ledger.framework import builtin_framework
from ledger.projections.classification import Timeline, classify, evidence_rules
from ledger.projections.movement import direction, period_starts, transitions
from ledger.projections.contact import ContactView
from ledger.projections.stage import contact_stage
from ledger.projections.timeline import knowledge, micros

RULES = evidence_rules()
FRAMEWORK = builtin_framework()


def t(day: str) -> int:
    return micros(datetime.fromisoformat(day).replace(tzinfo=timezone.utc))


def ev(type_: str, id: str, day: str, recorded: str | None = None, **fields) -> dict:
    defaults = {"interaction": {"kind": "call", "direction": "outbound", "outcome": None},
                "contact": {"roles": []}}.get(type_, {})
    return {"id": id, "type": type_, "handle": "acme/jane", "occurred": t(day), "recorded": t(recorded or day),
            "by": "t", **defaults, **fields}


def at(records: list[dict], day: str, as_of: str = "2030-01-01") -> dict:
    counting, _ = knowledge(records, t(as_of))
    return classify(Timeline(counting, RULES), t(day), FRAMEWORK)


JANE = ev("contact", "reg", "2026-01-01")


def stage(history: list[dict], moment: int) -> dict:
    return contact_stage(history, moment, "acme/jane")


def test_answered_calls_alone_establish_a_relationship():
    history = [JANE, ev("interaction", "c1", "2026-02-01", outcome="answered"),
               ev("interaction", "c2", "2026-02-05", outcome="unanswered")]
    result = at(history, "2026-02-10")
    assert result["dimensions"]["relationship"] == "yes"
    assert result["signals"]["relationship"].events == ("c1", "c2")


def test_unanswered_and_declined_calls_mean_no_relationship():
    history = [JANE, ev("interaction", "c1", "2026-02-01", outcome="unanswered"),
               ev("interaction", "c2", "2026-02-05", outcome="declined")]
    assert at(history, "2026-02-10")["dimensions"]["relationship"] == "no"


def test_evidence_leaves_its_window_and_the_dimension_becomes_unknown():
    history = [JANE, ev("interaction", "c1", "2026-02-01", outcome="answered")]
    assert at(history, "2026-05-01")["dimensions"]["relationship"] == "yes"
    assert at(history, "2026-05-03")["dimensions"]["relationship"] is None  # 90 days later


def test_feedback_about_the_product_moves_perception_but_feedback_about_you_does_not():
    history = [JANE, ev("feedback", "f1", "2026-02-01", about="you", sentiment="negative")]
    assert at(history, "2026-02-02")["dimensions"]["perception"] is None
    history.append(ev("feedback", "f2", "2026-02-03", about="product", sentiment="negative"))
    assert at(history, "2026-02-04")["dimensions"]["perception"] == "detractor"
    history += [ev("feedback", "f3", "2026-02-05", about="company", sentiment="positive"),
                ev("feedback", "f4", "2026-02-06", about="service", sentiment="positive")]
    assert at(history, "2026-02-07")["dimensions"]["perception"] == "advocate"


def test_inbound_contact_and_feedback_make_a_contact_active_and_silence_passive():
    quiet = [JANE] + [ev("interaction", f"c{n}", f"2026-02-0{n}", outcome="unanswered") for n in (1, 2, 3)]
    assert at(quiet[:3], "2026-02-04")["dimensions"]["activity"] is None  # two touches: too few to tell
    assert at(quiet, "2026-02-04")["dimensions"]["activity"] == "passive"
    loud = quiet + [ev("interaction", "m1", "2026-02-05", kind="email", direction="inbound"),
                    ev("feedback", "f1", "2026-02-06", about="product", sentiment="neutral")]
    assert at(loud, "2026-02-07")["dimensions"]["activity"] == "active"
    assert at(loud[:5], "2026-02-07")["dimensions"]["activity"] is None  # one loud signal: not enough either way


def test_a_decision_maker_role_gives_high_power():
    boss = ev("contact", "reg", "2026-01-01", roles=["decision-maker"])
    assert at([boss], "2026-01-02")["signals"]["power"].source == "role"
    assert at([boss], "2026-01-02")["dimensions"]["power"] == "high"


def test_newer_evidence_overturns_an_older_assessment_and_a_newer_assessment_overrides_evidence():
    history = [JANE, ev("assessment", "a1", "2026-02-01", dimensions={"relationship": "no"}),
               ev("interaction", "c1", "2026-02-10", outcome="answered")]
    assert at(history, "2026-02-11")["signals"]["relationship"].source == "evidence"
    history.append(ev("assessment", "a2", "2026-02-20", dimensions={"relationship": "no"}))
    assert at(history, "2026-02-21")["dimensions"]["relationship"] == "no"


def test_an_assessment_does_not_expire_by_age():
    history = [JANE, ev("assessment", "a1", "2020-01-01", dimensions={"power": "high"})]
    assert at(history, "2026-01-01")["dimensions"]["power"] == "high"


def test_a_retraction_counts_only_for_answers_that_know_of_it():
    history = [JANE, ev("assessment", "a1", "2026-02-01", dimensions={"power": "high"}),
               ev("retraction", "r1", "2026-03-01", target="a1")]
    assert at(history, "2026-02-15", as_of="2026-02-20")["dimensions"]["power"] == "high"
    assert at(history, "2026-02-15", as_of="2026-03-02")["dimensions"]["power"] is None


def test_a_back_dated_event_counts_in_the_past_only_once_recorded():
    history = [JANE, ev("assessment", "a1", "2026-02-01", recorded="2026-04-01", dimensions={"power": "low"})]
    assert at(history, "2026-02-15", as_of="2026-03-01")["dimensions"]["power"] is None
    assert at(history, "2026-02-15", as_of="2026-04-02")["dimensions"]["power"] == "low"


def test_the_full_cell_gives_the_framework_action_quadrant_and_band():
    history = [JANE, ev("assessment", "a1", "2026-02-01", dimensions={
        "relationship": "no", "power": "high", "perception": "detractor", "activity": "active"})]
    result = at(history, "2026-02-02")
    assert (result["action"], result["quadrant"], result["row"]) == ("High risk, improve perception", "high-detractor", 6)
    assert result["band"] == {"kind": "risk", "level": "high", "score": -3}


def test_stages_follow_meetings_contracts_and_commitments():
    history = [JANE, ev("interaction", "c1", "2026-01-10", kind="call", outcome="answered")]
    assert stage(history, t("2026-01-11"))["value"] == "courting"
    history.append(ev("interaction", "m1", "2026-02-01", kind="meeting"))
    history.append(dict(ev("milestone", "k1", "2026-03-01", milestone="contract-signed"), handle="acme"))
    assert [stage(history, t(d))["value"] for d in ("2026-02-02", "2026-03-02")] == ["dating", "engagement"]
    assert stage(history, t("2026-03-02"))["events"] == ["m1", "k1"]
    history.append(ev("milestone", "l1", "2026-06-01", milestone="long-term-commitment"))
    history.append(ev("milestone", "e1", "2026-09-01", milestone="ended"))
    assert stage(history, t("2026-07-01"))["value"] == "long-term"
    ended = stage(history, t("2026-09-02"))
    assert ended["value"] == "ended" and "e1" in ended["explanation"]


def test_a_declined_meeting_is_not_a_first_date():
    history = [JANE, ev("interaction", "m1", "2026-02-01", kind="meeting", outcome="declined")]
    assert stage(history, t("2026-02-02"))["value"] == "courting"


def test_transitions_name_the_event_that_moved_the_contact_including_windows():
    history = [JANE, ev("assessment", "a1", "2026-01-05", dimensions={"power": "high", "perception": "advocate",
                                                                      "activity": "active", "relationship": "no"}),
               ev("interaction", "c1", "2026-02-01", outcome="answered")]
    moves = transitions(ContactView("acme/jane", history, lambda _: RULES, lambda _: FRAMEWORK), t("2026-06-01"))
    assert [(m["event"], m["cause"], m["to"]["action"]) for m in moves] == [
        ("a1", "assessment", "High potential, find a sponsor"),
        ("c1", "interaction", "High potential, leverage"),
        ("c1", "window", "High potential, find a sponsor"),
    ]


def test_periods_run_from_the_first_event_to_the_time_asked_including_empty_ones():
    starts = period_starts(t("2026-01-15"), t("2026-04-02"), "month")
    assert len(starts) == 5  # Jan, Feb, Mar, Apr and the end of April
    assert period_starts(t("2026-01-15"), t("2026-01-20"), "week")[0] == t("2026-01-12")  # a Monday
    assert period_starts(t("2026-05-15"), t("2026-08-01"), "quarter")[:2] == [t("2026-04-01"), t("2026-07-01")]


def test_direction_compares_the_first_and_last_classified_periods():
    assert direction([{"score": None}, {"score": -2}, {"score": 1}]) == "improving"
    assert direction([{"score": 3}, {"score": None}, {"score": -1}]) == "declining"
    assert direction([{"score": 2}, {"score": 2}]) == "steady"
