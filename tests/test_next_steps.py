"""Issue 14, item 2 (ADR 0020): next steps with a contact, as events, that fall due."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LedgerCLI
from ledger.errors import InvalidInputError
from ledger.timeutil import parse_due
from test_find_and_completion import complete
from test_postgres import pg  # noqa: F401  (the fixture is reused)

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def due_items(run: LedgerCLI, *args: str) -> list[dict]:
    return [i for i in run.ok("due", *args, "--json").json if i["kind"] == "next"]


def one_line_refusal(run: LedgerCLI, *args: str) -> str:
    """The error of a refused command, insisting it is one line and wrote nothing."""
    before = run.event_count()
    done = run(*args)
    assert done.code != 0 and done.err.count("\n") == 1 and "Traceback" not in done.err, done.err
    assert run.event_count() == before
    return done.err


def test_a_next_step_is_not_due_before_its_date_and_is_due_after(acme):
    acme.ok("next", "add", "acme/jane", "Send the pricing sheet", "--due", "2026-03-06", "--at", "2026-03-02", "--id", "s1")
    assert due_items(acme, "--at", "2026-03-05") == []
    found = due_items(acme, "--at", "2026-03-06")
    assert [(i["ids"], i["due"], i["days_overdue"]) for i in found] == [(["s1"], "2026-03-06", 0)]
    assert "Send the pricing sheet" in found[0]["what"] and found[0]["account"] == "acme"
    assert "Send the pricing sheet" in acme.ok("due", "--at", "2026-03-09").out


def test_due_lists_the_oldest_step_first_and_forgets_the_ones_done_or_dropped(acme):
    acme.ok("next", "add", "acme/jane", "Later", "--due", "2026-03-08", "--at", "2026-03-01", "--id", "late")
    acme.ok("next", "add", "acme/jane", "Sooner", "--due", "2026-03-03", "--at", "2026-03-01", "--id", "soon")
    acme.ok("next", "add", "acme/jane", "Gone", "--due", "2026-03-02", "--at", "2026-03-01", "--id", "gone")
    acme.ok("next", "drop", "gone", "--at", "2026-03-02")
    assert [i["ids"] for i in due_items(acme, "--at", "2026-03-10")] == [["soon"], ["late"]]
    acme.ok("next", "done", "soon", "--at", "2026-03-09")
    assert [i["ids"] for i in due_items(acme, "--at", "2026-03-10")] == [["late"]]
    assert [i["ids"] for i in due_items(acme, "--at", "2026-03-08")] == [["soon"], ["late"]]  # done later: open then


def test_log_with_next_records_the_interaction_and_the_step_in_one_write(acme):
    out = acme.ok("log", "acme/jane", "call", "--outcome", "answered", "--next", "Send the deck", "--due", "2026-03-06",
                  "--at", "2026-03-02", "--id", "c1").out
    assert out.splitlines() == ["recorded interaction c1 for acme/jane", "recorded next c1:next for acme/jane"]
    count = acme.event_count()
    again = acme.ok("log", "acme/jane", "call", "--outcome", "answered", "--next", "Send the deck", "--due", "2026-03-06",
                    "--at", "2026-03-02", "--id", "c1", "--json").json
    assert again["duplicate"] and again["also"][0]["duplicate"] and again["also"][0]["id"] == "c1:next"
    assert acme.event_count() == count
    history = acme.ok("history", "acme/jane", "--json").json["events"]
    assert [(e["id"], e["type"]) for e in history[-2:]] == [("c1", "interaction"), ("c1:next", "next")]
    assert history[-1]["text"] == "Send the deck" and history[-1]["due"] == "2026-03-06T00:00:00+00:00"


def test_a_refused_step_leaves_the_interaction_unwritten_too(acme):
    err = one_line_refusal(acme, "log", "acme/jane", "call", "--next", "Too late", "--due", "2026-03-01", "--at", "2026-03-02")
    assert err.startswith("Error: due: 2026-03-01T00:00:00+00:00 is before the day the step is set (2026-03-02)")


@pytest.mark.parametrize("args, message", [
    (["next", "add", "acme/jane", "x", "--due", "soonish"], "due: 'soonish' is not an ISO 8601 date"),
    (["next", "add", "acme/jane", "x", "--due", "+99999d"], "due: '+99999d' is not"),
    (["next", "add", "acme/jane", "x", "--due", "9998-12-31", "--at", "2026-01-03"], None),
    (["next", "add", "acme/jane", "x", "--due", "+9999w", "--at", "9990-01-01"], "due: out of range"),
    (["next", "add", "acme/jane", " ", "--due", "+1d"], "text:"),
    (["next", "add", "acme", "x", "--due", "+1d"], "handle: 'acme' is an account; this needs a contact"),
    (["next", "add", "acme/nobody", "x", "--due", "+1d"], "no contact 'acme/nobody'"),
    (["next", "add", "acme/jane", "x"], "Missing option '--due'"),
    (["next", "done", "jane"], "event id: 'jane' is a contact; expected next"),
    (["next", "drop", "nope"], "no event 'nope'"),
    (["log", "acme/jane", "call", "--next", "x"], "due: missing; give --next TEXT and --due DATE together"),
    (["log", "acme/jane", "call", "--due", "+1d"], "next: missing"),
    (["log", "acme/jane", "call", "--next", "x", "--due", "+1d", "--id", "k" * 78], "id: 'kkk"),
])
def test_bad_next_step_input_is_one_line_naming_the_field_and_writes_nothing(acme, args, message):
    if message is None:  # a far date is fine, as long as it is a date
        acme.ok(*args)
        return
    assert message in one_line_refusal(acme, *args)


def test_a_step_cannot_be_closed_before_it_was_set_nor_closed_twice(acme):
    acme.ok("next", "add", "acme/jane", "Call back", "--due", "2026-03-10", "--at", "2026-03-05", "--id", "s1")
    err = one_line_refusal(acme, "next", "done", "s1", "--at", "2026-03-04")
    assert "step: 's1' was set at 2026-03-05T00:00:00+00:00; it cannot be closed before that" in err
    acme.ok("next", "done", "s1", "--at", "2026-03-05")
    assert "step: 's1' is already done or dropped" in one_line_refusal(acme, "next", "drop", "s1")
    assert "already done or dropped" in one_line_refusal(acme, "next", "done", "s1")


def test_friendly_due_dates_count_from_at():
    monday = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
    day = lambda d: datetime(2026, 3, d, tzinfo=timezone.utc)  # noqa: E731
    assert parse_due("friday", monday) == parse_due("Fri", monday) == day(6)
    assert parse_due("monday", monday) == day(9)  # the next one, never today
    assert parse_due("today", monday) == day(2) and parse_due("tomorrow", monday) == day(3)
    assert parse_due("+3d", monday) == day(5) and parse_due("+1w", monday) == day(9)
    assert parse_due("2026-03-04T10:00+01:00", monday) == datetime(2026, 3, 4, 9, tzinfo=timezone.utc)


def test_log_due_friday_is_the_friday_after_at(acme):
    acme.ok("log", "acme/jane", "call", "--next", "Pricing", "--due", "friday", "--at", "2026-03-02", "--id", "c1")
    assert acme.ok("next", "list", "acme/jane", "--json").json[0]["due"] == "2026-03-06T00:00:00+00:00"


def test_show_lists_the_open_steps_and_history_every_step_event(acme):
    acme.ok("next", "add", "acme/jane", "Send the deck", "--due", "2026-03-06", "--at", "2026-03-02", "--id", "s1")
    acme.ok("next", "add", "acme/jane", "Book a demo", "--due", "2026-03-04", "--at", "2026-03-02", "--id", "s2")
    acme.ok("next", "done", "s2", "--at", "2026-03-03")
    shown = acme.ok("show", "acme/jane", "--at", "2026-03-05", "--json").json["next_steps"]
    assert [(s["id"], s["text"], s["is_due"]) for s in shown] == [("s1", "Send the deck", False)]
    assert "2026-03-06  s1  Send the deck" in acme.ok("show", "acme/jane", "--at", "2026-03-05").out
    assert acme.ok("show", "acme/jane", "--at", "2026-03-01", "--json").json["next_steps"] == []
    text = acme.ok("history", "acme/jane").out
    assert "Book a demo due 2026-03-04" in text and "s2 done" in text


def test_next_list_answers_for_a_contact_an_account_or_everyone_as_known_then(acme):
    acme.ok("account", "add", "globex", "--name", "Globex")
    acme.ok("contact", "add", "globex/sam", "--name", "Sam", "--at", "2026-01-02")
    acme.ok("next", "add", "acme/jane", "Jane step", "--due", "2026-04-01", "--at", "2026-03-01", "--id", "j1")
    acme.ok("next", "add", "globex/sam", "Sam step", "--due", "2026-03-15", "--at", "2026-03-01", "--id", "s1")
    ids = lambda *args: [s["id"] for s in acme.ok("next", "list", *args, "--json").json]  # noqa: E731
    assert ids() == ["s1", "j1"] and ids("acme") == ["j1"] and ids("globex/sam") == ["s1"]
    assert ids("--at", "2026-02-28") == []
    acme.ok("next", "done", "s1")
    assert ids() == ["j1"] and ids("--as-of", "2026-03-02") == []  # nothing was recorded by then
    assert acme.ok("next", "list", "--format", "csv").out.splitlines()[0] == "id,handle,due,set_at,text,is_due"


def test_forgetting_a_contact_erases_its_step_text_and_it_is_never_chased(acme):
    acme.ok("log", "acme/jane", "call", "--next", "Secret plan", "--due", "2026-03-06", "--at", "2026-03-02", "--id", "c1")
    assert b"Secret plan" not in acme.path.read_bytes()  # sealed from the start
    acme.ok("forget", "acme/jane", "--yes")
    assert due_items(acme, "--at", "2026-04-01") == [] and acme.ok("next", "list", "--json").json == []
    step = [json.loads(line) for line in acme.ok("export").out.splitlines() if '"next"' in line][0]
    assert step.get("text") is None and step["redacted"] is True
    assert "(personal data erased)" in acme.ok("history", "acme/jane").out


def test_completion_offers_the_open_steps_for_next_done_and_drop(acme):
    acme.ok("next", "add", "acme/jane", "One", "--due", "+1d", "--id", "step-1")
    acme.ok("next", "add", "acme/jane", "Two", "--due", "+1d", "--id", "step-2")
    acme.ok("next", "done", "step-1")
    env = {"RELLEDGER_DB": str(acme.path)}
    assert complete(env, "relledger next done step") == ["step-2"]
    assert complete(env, "relledger next drop s") == ["step-2"]


def test_import_decides_a_step_and_its_closing_like_the_commands(acme, tmp_path):
    lines = [{"type": "next", "id": "n1", "contact": "acme/jane", "text": "Imported", "due": "2026-03-06",
              "occurred_at": "2026-03-01"},
             {"type": "next-done", "id": "d1", "contact": "acme/jane", "step": "n1", "occurred_at": "2026-03-02"}]
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(line) + "\n" for line in lines))
    acme.ok("import", str(good))
    assert acme.ok("next", "list", "--at", "2026-03-01T12:00", "--json").json[0]["text"] == "Imported"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**lines[0], "id": "n2"}) + "\n" + json.dumps({**lines[1], "id": "d2", "step": "n2",
                                                                              "occurred_at": "2026-02-01"}) + "\n")
    before = acme.event_count()
    done = acme("import", str(bad))  # the import's own report: one line per bad line, then the summary
    assert done.code == 1 and ":2: step: 'n2' was set at 2026-03-01" in done.err and acme.event_count() == before


def test_the_current_view_expires_when_a_step_falls_due(acme):
    from ledger.bootstrap import open_views
    from ledger.projections.reports import Answers
    from ledger.projections.timeline import micros
    from ledger.projections.worklist import due

    acme.ok("next", "add", "acme/jane", "Chase", "--due", "2026-03-06T09:00", "--at", "2026-03-02", "--id", "s1")
    store = open_views(str(acme.path))
    try:
        store.catch_up()
        moment = lambda text: micros(datetime.fromisoformat(text))  # noqa: E731
        before = Answers(store, moment("2026-03-05T00:00+00:00"), moment("2099-01-01T00:00+00:00"), current=True)
        assert [i for i in due(before) if i["kind"] == "next"] == []
        expires = store.db.query("SELECT expires FROM view_contacts WHERE handle='acme/jane'")[0][0]
        assert expires == moment("2026-03-06T09:00+00:00")
        after = Answers(store, moment("2026-03-06T09:00+00:00"), moment("2099-01-01T00:00+00:00"), current=True)
        assert [i["ids"] for i in due(after) if i["kind"] == "next"] == [["s1"]]
    finally:
        store.close()


def test_a_contact_of_no_account_has_its_steps_listed_as_due(relledger):
    relledger.ok("contact", "add", "solo", "--name", "Solo", "--at", "2026-01-01")
    relledger.ok("next", "add", "solo", "Write", "--due", "2026-02-01", "--at", "2026-01-02", "--id", "w1")
    assert [(i["ids"], i["account"]) for i in due_items(relledger, "--at", "2026-02-02")] == [(["w1"], None)]


@SETTINGS
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip),
       days=st.integers(min_value=0, max_value=4000), hour=st.integers(min_value=0, max_value=23))
def test_any_step_falls_due_on_its_day_and_keeps_its_text(relledger, text, days, hour):
    set_at = datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
    due = set_at.replace(hour=hour) + timedelta(days=days)
    if relledger.event_count() == 0:
        relledger.ok("contact", "add", "solo", "--name", "Solo", "--at", "2026-01-01")
    step = relledger.ok("next", "add", "--due", due.isoformat(), "--at", set_at.isoformat(), "--json", "solo", "--",
                        text).json  # after '--' a text starting with '-' is the text
    before = [s["id"] for s in relledger.ok("next", "list", "--at", (due - timedelta(seconds=1)).isoformat(), "--json").json
              if s["is_due"]]
    after = {s["id"]: s for s in relledger.ok("next", "list", "--at", max(due, set_at).isoformat(), "--json").json
             if s["is_due"]}  # due before it was set (the same day): due from the moment it is set
    assert step["id"] not in before and after[step["id"]]["text"] == text.strip()
    relledger.ok("next", "drop", step["id"], "--at", set_at.isoformat())


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=20), st.sampled_from(["today", "tomorrow", "+3d", "+9999w", "sun", "2026-03-09"])),
       days=st.integers(min_value=-739_000, max_value=2_900_000))
def test_any_due_text_is_a_moment_in_utc_or_one_error_naming_due(text, days):
    base = datetime(2026, 3, 2, tzinfo=timezone.utc) + timedelta(days=days)
    try:
        found = parse_due(text, base)
    except InvalidInputError as exc:
        assert str(exc).startswith("due: ")  # the CLI's edge prints it as one line (control characters escaped)
        return
    assert found.tzinfo is not None and found.utcoffset() == timedelta(0) and 1 < found.year < 9999


SERVER = os.environ.get("RELLEDGER_TEST_POSTGRES_URL")


@pytest.mark.skipif(not SERVER, reason="RELLEDGER_TEST_POSTGRES_URL is not set (no PostgreSQL server)")
def test_next_steps_on_postgresql_and_three_closers_at_once_close_a_step_once(pg):  # noqa: F811
    run = pg
    run.ok("account", "add", "acme", "--name", "Acme", "--at", "2026-01-01")
    run.ok("contact", "add", "acme/jane", "--name", "Jane", "--at", "2026-01-02")
    run.ok("log", "acme/jane", "call", "--next", "Chase", "--due", "2026-03-06", "--at", "2026-03-02", "--id", "c1")
    assert due_items(run, "--at", "2026-03-05") == [] and len(due_items(run, "--at", "2026-03-06")) == 1
    env = dict(os.environ, RELLEDGER_DB=run.path)
    procs = [subprocess.Popen([sys.executable, "-m", "ledger", "next", verb, "c1:next"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, text=True) for verb in ("done", "drop", "done")]
    for p in procs:
        p.communicate(timeout=120)
    assert sorted(p.returncode for p in procs) == [0, 1, 1]
    assert due_items(run) == [] and run.ok("next", "list", "--json").json == []
