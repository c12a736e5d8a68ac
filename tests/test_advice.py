"""Advice a practitioner trusts (issue 11): partial classification, evidence rules version 2,
rules versions as audit facts, stages per person. Projection tests on plain records, CLI tests
for what a user sees."""

from __future__ import annotations

import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.framework import builtin_framework, framework_from_dict
from ledger.projections.classification import candidates, classify, timeline
from ledger.projections.stage import account_stage, contact_stage
from ledger.projections.timeline import iso, knowledge
from ledger.rules import builtin_rules, rules_from_dict
from test_projections import JANE, ev, t

V2 = builtin_rules(2)
FRAMEWORK = builtin_framework()


def at(records: list[dict], day: str, rules: dict = V2) -> dict:
    counting, _ = knowledge(records, t("2030-01-01"))
    return classify(timeline(counting, rules), t(day), FRAMEWORK)


def assessed(day: str, id: str = "a1", **dims) -> dict:
    return ev("assessment", id, day, dimensions=dims)


# -- 1. partial classification ------------------------------------------------------


def test_an_unknown_dimension_that_cannot_change_the_action_still_gives_the_action():
    result = at([JANE, assessed("2026-02-01", power="high", perception="detractor", activity="active")], "2026-02-02")
    assert (result["action"], result["missing"], result["rows"]) == ("High risk, improve perception", ["relationship"], [6, 13])
    assert result["candidates"] == [] and result["decide"] is None and result["band"]["score"] == -3


def test_an_unknown_dimension_that_decides_gives_candidates_and_the_question():
    result = at([JANE, assessed("2026-02-01", power="high", perception="advocate", activity="active")], "2026-02-02")
    assert result["action"] is None and result["band"] is None
    assert result["candidates"] == [{"action": "High potential, find a sponsor", "when": {"relationship": "no"}},
                                    {"action": "High potential, leverage", "when": {"relationship": "yes"}}]
    assert result["decide"] == "assess relationship: no → High potential, find a sponsor; yes → High potential, leverage"


def test_candidates_come_from_the_rows_of_the_framework_in_force():
    rows = [dict(r, action="Call the lead" if r["power"] == "high" else "Wait") for r in FRAMEWORK.rows]
    custom = framework_from_dict({"name": "playbook", "rows": rows})
    known = {"relationship": "yes", "power": None, "perception": "advocate", "activity": None}
    assert candidates(custom, known) == [{"action": "Wait", "when": {"power": "low"}},
                                         {"action": "Call the lead", "when": {"power": "high"}}]


# -- 2. evidence rules version 2 ----------------------------------------------------


def test_meetings_alone_are_a_relationship_and_unanswered_calls_are_not_about_activity():
    met = [JANE] + [ev("interaction", f"m{n}", f"2026-0{n}-01", kind="meeting") for n in (2, 3, 4)]
    assert at(met, "2026-04-02")["dimensions"]["relationship"] == "yes"
    silent = [JANE] + [ev("interaction", f"c{n}", f"2026-02-0{n}", outcome="unanswered") for n in (1, 2, 3)]
    result = at(silent, "2026-02-04")
    assert (result["dimensions"]["relationship"], result["dimensions"]["activity"]) == ("no", None)
    inbound = [JANE, ev("interaction", "e1", "2026-02-01", kind="email", direction="inbound")]
    assert at(inbound, "2026-02-02")["dimensions"]["relationship"] == "yes"


def test_one_complaint_from_a_champion_is_a_conflict_and_two_overturn():
    champion = [JANE, assessed("2026-01-10", relationship="yes", power="high", perception="advocate", activity="active"),
                ev("feedback", "f1", "2026-03-01", about="product", sentiment="negative")]
    once = at(champion, "2026-03-02")
    assert once["action"] == "High potential, leverage" and once["signals"]["perception"].conflicts == ("f1",)
    champion.append(ev("feedback", "f2", "2026-04-01", about="service", sentiment="negative"))
    twice = at(champion, "2026-04-02")
    assert twice["action"] == "High risk, improve perception"
    assert (twice["signals"]["perception"].source, twice["signals"]["perception"].events) == ("evidence", ("f1", "f2"))


def test_an_agreeing_signal_between_two_complaints_resets_the_count():
    history = [JANE, assessed("2026-01-10", perception="advocate"),
               ev("feedback", "f1", "2026-03-01", about="product", sentiment="negative"),
               ev("feedback", "f2", "2026-03-15", about="product", sentiment="positive"),
               ev("feedback", "f3", "2026-04-01", about="product", sentiment="negative")]
    assert at(history, "2026-04-02")["dimensions"]["perception"] == "advocate"


def test_contrary_signals_further_apart_than_the_window_do_not_add_up():
    history = [JANE, assessed("2026-01-01", relationship="yes"),
               ev("interaction", "c1", "2026-02-01", outcome="unanswered"),
               ev("interaction", "c2", "2026-06-01", outcome="unanswered")]  # 120 days later: the window is 90
    assert at(history, "2026-06-02")["dimensions"]["relationship"] == "yes"


def test_old_values_are_kept_and_flagged_never_dropped_to_unknown():
    history = [JANE, assessed("2026-01-10", relationship="yes", perception="advocate"),
               ev("interaction", "c1", "2026-03-01", outcome="answered")]
    result = at(history, "2026-11-20")
    assert result["dimensions"]["relationship"] == "yes" and result["dimensions"]["perception"] == "advocate"
    assert result["reassess"] == ["relationship", "perception"]
    assert result["signals"]["relationship"].support == t("2026-03-01")  # the answered call agreed
    assert at(history, "2026-07-01")["reassess"] == []
    inferred = [JANE, ev("interaction", "c1", "2026-02-01", outcome="answered")]
    assert at(inferred, "2027-02-01")["dimensions"]["relationship"] == "yes"


def test_version_1_is_unchanged_for_ledgers_on_it():
    history = [JANE, ev("interaction", "c1", "2026-02-01", outcome="answered")]
    assert at(history, "2026-05-03", builtin_rules(1))["dimensions"]["relationship"] is None  # it left its window


# -- 4. stages per person and per account -------------------------------------------


def test_a_contact_never_met_stays_courting_however_far_the_account_went():
    contract = dict(ev("milestone", "k1", "2026-03-01", milestone="contract-signed"), handle="acme")
    history = [JANE, contract, ev("interaction", "c1", "2026-03-05", outcome="answered")]
    assert contact_stage(history, t("2026-04-01"), "acme/jane")["value"] == "courting"
    history.append(ev("interaction", "m1", "2026-04-10", kind="meeting"))
    met = contact_stage(history, t("2026-04-11"), "acme/jane")
    assert (met["value"], met["events"]) == ("engagement", ["m1"])


def test_a_contact_milestone_moves_that_contact_alone():
    bob = dict(ev("interaction", "m2", "2026-01-05", kind="meeting"), handle="acme/bob")
    records = [JANE, bob, ev("interaction", "m1", "2026-01-05", kind="meeting"),
               dict(ev("milestone", "k1", "2026-02-01", milestone="contract-signed"), handle="acme"),
               ev("milestone", "l1", "2026-03-01", milestone="long-term-commitment")]
    assert contact_stage(records, t("2026-03-02"), "acme/jane")["value"] == "long-term"
    assert contact_stage([r for r in records if r["handle"] != "acme/jane"], t("2026-03-02"), "acme/bob")["value"] == "engagement"
    assert account_stage(records, t("2026-03-02"), "acme")["value"] == "engagement"


# -- 3. rules versions as audit facts (CLI) -----------------------------------------


def test_a_new_ledger_starts_on_the_newest_rules_without_an_event(acme):
    assert acme.event_count() == 2 and acme.ok("rules", "show", "--json").json["version"] == 2
    assert [json.loads(line)["type"] for line in acme.ok("export").out.splitlines()] == ["account", "contact"]


def test_an_old_ledger_stays_on_version_1_until_it_adopts_version_2(acme):
    acme.created_before_rules_v2()
    acme.ok("log", "acme/jane", "call", "--outcome", "answered", "--at", "2026-02-01", "--id", "c1")
    assert acme.ok("show", "acme/jane", "--at", "2026-06-01", "--json").json["dimensions"]["relationship"] is None
    assert acme.ok("status", "--json").json["rules"]["newer_available"] is True
    acme.ok("rules", "adopt", "2", "--at", "2026-05-01", "--id", "rules-2")
    assert acme.ok("show", "acme/jane", "--at", "2026-06-01", "--json").json["dimensions"]["relationship"] == "yes"
    past = acme.ok("why", "acme/jane", "--at", "2026-04-01", "--json").json
    assert (past["rules"], past["rules_in_force"]["event"]) == (1, None)
    now = acme.ok("why", "acme/jane", "--at", "2026-06-01", "--json").json["rules_in_force"]
    assert (now["version"], now["event"], now["since"][:10], now["newer_available"]) == (2, "rules-2", "2026-05-01", False)


def test_as_of_before_an_adoption_answers_with_the_earlier_rules(acme):
    acme.created_before_rules_v2()
    acme.ok("log", "acme/jane", "call", "--outcome", "answered", "--at", "2026-02-01", "--id", "c1")
    acme.ok("rules", "adopt", "2", "--at", "2026-03-01")
    acme.ok("rules", "show")  # the views catch up
    with sqlite3.connect(acme.path) as conn:  # when the adoption was recorded
        recorded = conn.execute("SELECT MIN(recorded) FROM view_events WHERE type='rules'").fetchone()[0]
    just_before = iso(recorded - 1)
    assert acme.ok("show", "acme/jane", "--at", "2026-06-01", "--as-of", just_before, "--json").json["rules"] == 1
    assert acme.ok("show", "acme/jane", "--at", "2026-06-01", "--json").json["rules"] == 2


def test_a_custom_rules_file_is_adopted_and_named(acme, tmp_path):
    doc = acme.ok("rules", "show", "--json").json
    doc["rules"].update(name="strict", version=3, overturn_min=1)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(doc))
    acme.ok("rules", "adopt", str(path), "--at", "2026-01-03")
    acme.ok("assess", "acme/jane", "relationship=yes", "--at", "2026-01-04")
    acme.ok("log", "acme/jane", "call", "--outcome", "declined", "--at", "2026-01-05")
    shown = acme.ok("why", "acme/jane", "--at", "2026-01-06", "--json").json
    assert shown["dimensions"]["relationship"]["value"] == "no"  # one contrary signal is enough under these rules
    assert (shown["rules_in_force"]["name"], shown["rules"]) == ("strict", 3)


BAD_RULES = [
    ({"mood": {}}, "mood: not a dimension or rules field"),
    ({"relationship": {"window_days": -5}}, "relationship.window_days: must be a whole number of at least 1"),
    ({"perception": {"advocate": [], "detractor": []}}, "perception.advocate: no sentiment reaches perception"),
    ({"perception": {"about": []}}, "perception.about: must be a list of"),
    ({"overturn_min": 0}, "overturn_min: must be a whole number of at least 1"),
    ({"relationship": {"no_outcomes": ["answered"]}}, "relationship.no_outcomes: an outcome cannot be evidence both"),
]


def _merged(changes: dict) -> dict:
    doc = json.loads(json.dumps(V2))
    for key, value in changes.items():
        doc[key] = {**doc[key], **value} if isinstance(value, dict) and isinstance(doc.get(key), dict) else value
    return doc


def test_a_malformed_rules_file_is_refused_naming_the_field_and_nothing_is_written(acme, tmp_path):
    for changes, message in BAD_RULES:
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(_merged(changes)))
        run = acme("rules", "adopt", str(path))
        assert run.code == 1 and message in run.err and "Traceback" not in run.err, (changes, run.err)
        assert acme.event_count() == 2
    assert "version: '7' is not built in" in acme("rules", "adopt", "7").err
    assert "file: cannot read" in acme("rules", "adopt", str(tmp_path / "missing.json")).err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["relationship", "activity", "perception", "power", "coverage", "overturn_min", "engine"]),
       st.sampled_from(["window_days", "freshness_days", "establish_min", "about", "high_roles", "cold_days"]),
       st.one_of(st.integers(-3, 400), st.text(max_size=3), st.none(), st.lists(st.text(max_size=4), max_size=2)))
def test_any_rules_document_is_either_accepted_or_refused_with_a_named_field(section, key, value):
    doc = json.loads(json.dumps(V2))
    if isinstance(doc.get(section), dict):
        doc[section][key] = value
    else:
        doc[section] = value
    try:
        checked = rules_from_dict(doc)
    except ValueError as exc:
        assert str(exc).split(":")[0].split(".")[0] in (section, "rules"), str(exc)
    else:
        assert checked["engine"] == 2


def test_a_rules_adoption_exports_and_imports_like_any_event(acme, tmp_path):
    acme.ok("rules", "adopt", "1", "--at", "2026-01-03", "--id", "back-to-1")
    line = [json.loads(x) for x in acme.ok("export").out.splitlines()][-1]
    assert {k: line[k] for k in ("type", "id", "version", "name")} == {"type": "rules", "id": "back-to-1",
                                                                       "version": 1, "name": "built-in"}
    path = tmp_path / "out.jsonl"
    path.write_text(acme.ok("export").out)
    from conftest import LedgerCLI

    other = LedgerCLI(tmp_path / "other.db")
    other.ok("import", str(path))
    assert other.ok("rules", "show", "--json").json["event"] == "back-to-1"


EVENTS = st.sampled_from([
    ("interaction", {"kind": "call", "outcome": "answered"}), ("interaction", {"kind": "call", "outcome": "unanswered"}),
    ("interaction", {"kind": "meeting", "outcome": None}), ("interaction", {"kind": "email", "direction": "inbound"}),
    ("feedback", {"about": "product", "sentiment": "negative"}), ("feedback", {"about": "service", "sentiment": "positive"}),
    ("feedback", {"about": "you", "sentiment": "negative"}),
    ("assessment", {"dimensions": {"relationship": "yes", "perception": "advocate", "activity": "passive"}}),
])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(EVENTS, st.integers(1, 60)), min_size=1, max_size=25))
def test_under_version_2_no_value_ever_returns_to_unknown_and_one_contrary_signal_never_overturns(steps):
    records, day = [JANE], t("2026-01-01")
    for n, ((kind, fields), gap) in enumerate(steps):
        day += gap * 86_400_000_000
        records.append({"id": f"e{n}", "type": kind, "handle": "acme/jane", "occurred": day, "recorded": day, "by": "t",
                        **({"direction": "outbound", "outcome": None} if kind == "interaction" else {}), **fields})
    line = timeline(records, V2)
    seen: dict[str, str] = {}
    for moment in [r["occurred"] for r in records] + [day + 400 * 86_400_000_000]:
        signals = line.signals(moment)
        for dim, value in seen.items():
            assert signals[dim] is not None, (dim, value)  # aged, maybe stale, never gone
        seen.update({d: s.value for d, s in signals.items() if s is not None})
    for i, r in enumerate(records[1:-1], 1):  # right after an assessment, one contrary signal changes nothing
        if r["type"] == "assessment":
            after, nxt = line.signals(r["occurred"]), line.signals(records[i + 1]["occurred"])
            for dim in ("relationship", "perception", "activity"):
                assert nxt[dim].value == after[dim].value or records[i + 1]["type"] == "assessment"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["relationship", "activity", "perception", "power", "coverage"]),
       st.sampled_from(["window_days", "freshness_days", "establish_min", "high_roles", "cold_days"]),
       st.one_of(st.integers(-2, 3), st.text(max_size=2), st.none()))
def test_rules_adopt_either_records_one_event_or_refuses_in_one_line_writing_nothing(acme, tmp_path, section, key, value):
    doc = json.loads(json.dumps(V2))
    doc[section][key] = value
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(doc))
    before = acme.event_count()
    run = acme("rules", "adopt", str(path))
    if run.code == 0:
        assert acme.event_count() == before + 1
    else:
        assert run.code == 1 and run.err.startswith(f"Error: rules: {section}") and run.err.count("\n") == 1
        assert acme.event_count() == before


def test_when_the_role_that_gave_power_is_taken_away_the_last_judgement_of_power_applies_again():
    history = [JANE, assessed("2026-01-05", power="low"),
               ev("roles", "r1", "2026-02-01", roles=["decision-maker"]), ev("roles", "r2", "2026-03-01", roles=["user"])]
    assert [at(history, d)["dimensions"]["power"] for d in ("2026-02-02", "2026-03-02")] == ["high", "low"]
