"""Each record command: the one line it prints, its JSON, and the event it stores."""

from __future__ import annotations

import re

import pytest

ID = re.compile(r"^recorded (\w+) ([0-9a-z]{10}) for (\S+)\n$")


def test_a_record_command_prints_one_line_with_a_fresh_short_id(acme):
    run = acme.ok("log", "acme/jane", "call", "--outcome", "answered")
    kind, event_id, handle = ID.match(run.out).groups()
    assert (kind, handle) == ("interaction", "acme/jane")
    assert event_id in acme.ok("history", "acme/jane").out


def test_the_first_write_creates_the_ledger_file_with_no_init_step(relledger):
    assert not relledger.path.exists()
    assert relledger.ok("account", "add", "acme", "--name", "Acme", "--id", "a1").out == "recorded account a1 for acme\n"
    assert relledger.path.exists() and relledger.event_count() == 1


def test_account_add_as_json_is_the_recorded_event(relledger):
    event = relledger.ok("account", "add", "acme", "--name", "Acme Corp", "--at", "2026-03-01", "--id", "a1", "--json").json
    assert event | {"recorded_at": "-"} == {
        "id": "a1", "type": "account", "handle": "acme", "occurred_at": "2026-03-01T00:00:00+00:00",
        "recorded_at": "-", "by": "tester", "name": "Acme Corp", "duplicate": False,
    }


def test_contact_add_takes_its_account_from_the_handle_prefix(acme):
    event = acme.ok("contact", "add", "acme/bob", "--name", "Bob", "--role", "user", "--role", "coach", "--json").json
    assert (event["account"], event["roles"], event["title"]) == ("acme", ["user", "coach"], None)


def test_log_records_kind_direction_outcome_note_and_tags(acme):
    event = acme.ok("log", "acme/jane", "meeting", "--direction", "inbound", "--note", "Asked about pricing",
                    "--tag", "pricing", "--tag", "q3", "--at", "2026-03-01T10:00:00+02:00", "--json").json
    assert {k: event[k] for k in ("kind", "direction", "outcome", "note", "tags", "occurred_at")} == {
        "kind": "meeting", "direction": "inbound", "outcome": None, "note": "Asked about pricing",
        "tags": ["pricing", "q3"], "occurred_at": "2026-03-01T08:00:00+00:00",
    }


def test_a_date_time_without_an_offset_is_utc(acme):
    event = acme.ok("log", "acme/jane", "call", "--at", "2026-03-01T10:00", "--json").json
    assert event["occurred_at"] == "2026-03-01T10:00:00+00:00"


def test_feedback_and_a_response_to_it(acme):
    acme.ok("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--note", "Too slow",
            "--channel", "survey", "--id", "fb1")
    response = acme.ok("respond", "fb1", "--note", "Shipped the fix", "--json").json
    assert (response["type"], response["feedback"], response["handle"]) == ("response", "fb1", "acme/jane")


def test_assess_records_several_dimensions_with_a_reason(acme):
    event = acme.ok("assess", "acme/jane", "power=high", "perception=advocate", "--reason", "Signs off budgets", "--json").json
    assert (event["dimensions"], event["reason"]) == ({"power": "high", "perception": "advocate"}, "Signs off budgets")


@pytest.mark.parametrize("handle", ["acme", "acme/jane"])
def test_a_milestone_can_be_reached_by_an_account_or_a_contact(acme, handle):
    event = acme.ok("milestone", handle, "contract-signed", "--note", "MSA", "--json").json
    assert (event["type"], event["milestone"], event["handle"]) == ("milestone", "contract-signed", handle)


def test_a_retracted_assessment_stops_counting_but_stays_in_history(acme):
    acme.ok("assess", "acme/jane", "power=low", "--id", "as1", "--at", "2026-02-01")
    acme.ok("assess", "acme/jane", "power=high", "--id", "as2", "--at", "2026-03-01")
    acme.ok("retract", "as2", "--reason", "Wrong contact", "--id", "r1")
    assert acme.ok("show", "acme/jane", "--json").json["dimensions"]["power"] == "low"
    events = {e["id"]: e for e in acme.ok("history", "acme/jane", "--json").json["events"]}
    assert events["as2"]["retracted_by"] == "r1" and events["r1"]["target"] == "as2"


def test_recorded_by_comes_from_as_then_the_environment(acme):
    assert acme.ok("--as", "ann", "log", "acme/jane", "call", "--json").json["by"] == "ann"
    assert acme.ok("log", "acme/jane", "call", "--json", env={"RELLEDGER_USER": "bo"}).json["by"] == "bo"


def test_show_prints_the_dimensions_and_the_action(acme):
    acme.ok("assess", "acme/jane", "relationship=yes", "power=high", "perception=detractor", "--id", "as1")
    assert acme.ok("show", "acme/jane").out == (
        "acme/jane  Jane Doe (CTO, account acme)\n"
        "relationship  yes\n"
        "power         high\n"
        "perception    detractor\n"
        "activity      unknown\n"
        "action        undecided: assess activity: passive → Moderate risk, improve perception; "
        "active → High risk, improve perception\n"
        "quadrant      high-detractor\n"
        "band          -\n"
        "stage         courting\n"
        "framework     customer-relationship-framework v1\n"
    )


def test_history_lists_every_event_oldest_first(acme):
    acme.ok("log", "acme/jane", "call", "--outcome", "unanswered", "--at", "2026-02-01T09:30", "--id", "c1")
    acme.ok("assess", "acme/jane", "power=high", "--at", "2026-01-15", "--id", "as1")  # back-dated: sorts before c1
    assert acme.ok("history", "acme/jane").out == (
        "occurred          id    type         by      details\n"
        "2026-01-02 00:00  jane  contact      tester  Jane Doe (CTO) roles champion\n"  # every detail (issue 10)
        "2026-01-15 00:00  as1   assessment   tester  power=high\n"
        "2026-02-01 09:30  c1    interaction  tester  call outbound unanswered\n"
    )
    events = acme.ok("history", "acme/jane", "--json").json["events"]
    assert [e["id"] for e in events] == ["jane", "as1", "c1"]
    assert {"id", "type", "occurred_at", "recorded_at", "by"} <= set(events[0])


def test_status_counts_events_and_names_the_ledger(acme):
    acme.ok("log", "acme/jane", "call")
    status = acme.ok("status", "--json").json
    assert (status["events"], status["accounts"], status["contacts"], status["ledger"]) == (3, 1, 1, str(acme.path))
    assert acme.ok("status").out == (
        f"ledger         {acme.path}\n"
        "events         3\n"
        "  account      1\n"
        "  contact      1\n"
        "  interaction  1\n"
        "accounts       1\n"
        "contacts       1\n"
        "view events    at 3\n"
        "view subjects  at 3\n"
        f"head           {status['head']}\n"
        f"key            {status['key']}\n"
        "rules          built-in v2\n"
    )
    assert len(status["head"]) == 64 and status["key"].endswith(".key")
    old = acme.created_before_rules_v2().ok("status").out.splitlines()[-1]
    assert old == "rules          built-in v1; version 2 exists: relledger rules adopt 2"


def test_status_on_a_ledger_not_yet_created_says_so_and_creates_nothing(relledger):
    assert relledger.ok("status", "--json").json["events"] == 0
    assert "(not created yet)" in relledger.ok("status").out
    assert not relledger.path.exists()
