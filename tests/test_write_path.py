"""One write path (issue 10): an import line gets the decision and the message the CLI gives."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import LedgerCLI
from test_postgres import pg  # noqa: F401  (the fixture is reused)

HISTORY = [  # back-dated: the rules about time hold relative to each event's occurred_at
    {"type": "account", "id": "acme", "account": "acme", "name": "Acme", "occurred_at": "2025-01-01"},
    {"type": "account", "id": "other", "account": "other", "name": "Other", "occurred_at": "2025-01-01"},
    {"type": "contact", "id": "jane", "contact": "acme/jane", "name": "Jane", "occurred_at": "2025-01-02"},
    {"type": "contact", "id": "bob", "contact": "acme/bob", "name": "Bob", "reports_to": "acme/jane", "occurred_at": "2025-01-02"},
    {"type": "contact", "id": "zed", "contact": "acme/zed", "name": "Zed", "occurred_at": "2025-01-02"},
    {"type": "contact", "id": "olga", "contact": "other/olga", "name": "Olga", "occurred_at": "2025-01-02"},
    {"type": "interaction", "id": "c1", "contact": "acme/jane", "kind": "call", "outcome": "answered", "occurred_at": "2025-01-03"},
    {"type": "retraction", "id": "r1", "contact": "acme/jane", "target": "c1", "reason": "wrong", "occurred_at": "2025-01-04"},
    {"type": "feedback", "id": "f1", "contact": "acme/jane", "about": "product", "sentiment": "negative", "occurred_at": "2025-01-05"},
    {"type": "goal", "id": "g1", "account": "acme", "text": "Grow", "target": "2025-12-31", "occurred_at": "2025-02-01"},
    {"type": "initiative", "id": "i1", "account": "acme", "goal": "g1", "text": "Brief", "owner": "ann", "due": "2025-03-01",
     "contacts": ["acme/bob"], "occurred_at": "2025-02-01"},
    {"type": "initiative-closed", "id": "i1-done", "account": "acme", "initiative": "i1", "status": "done", "occurred_at": "2025-02-20"},
    {"type": "forgotten", "id": "zed-gone", "contact": "acme/zed", "occurred_at": "2025-03-01"},
]
CLI_HISTORY = [  # the same history as commands
    ["account", "add", "acme", "--name", "Acme", "--at", "2025-01-01", "--id", "acme"],
    ["account", "add", "other", "--name", "Other", "--at", "2025-01-01", "--id", "other"],
    ["contact", "add", "acme/jane", "--name", "Jane", "--at", "2025-01-02", "--id", "jane"],
    ["contact", "add", "acme/bob", "--name", "Bob", "--reports-to", "acme/jane", "--at", "2025-01-02", "--id", "bob"],
    ["contact", "add", "acme/zed", "--name", "Zed", "--at", "2025-01-02", "--id", "zed"],
    ["contact", "add", "other/olga", "--name", "Olga", "--at", "2025-01-02", "--id", "olga"],
    ["log", "acme/jane", "call", "--outcome", "answered", "--at", "2025-01-03", "--id", "c1"],
    ["retract", "c1", "--reason", "wrong", "--id", "r1"],
    ["feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--at", "2025-01-05", "--id", "f1"],
    ["goal", "add", "acme", "Grow", "--target", "2025-12-31", "--at", "2025-02-01", "--id", "g1"],
    ["initiative", "add", "g1", "Brief", "--owner", "ann", "--due", "2025-03-01", "--contact", "acme/bob", "--at", "2025-02-01", "--id", "i1"],
    ["initiative", "done", "i1", "--at", "2025-02-20", "--id", "i1-done"],
]

AT = "2025-06-01"
RULES = [
    # (command, the same as an import line, the message both get)
    (["log", "acme/jane", "call", "--direction", "inbound", "--outcome", "answered"],
     {"type": "interaction", "contact": "acme/jane", "kind": "call", "direction": "inbound", "outcome": "answered"},
     "outcome: only an outbound attempt has an outcome"),
    (["contact", "reports-to", "acme/jane", "acme/bob"], {"type": "reporting", "contact": "acme/jane", "reports_to": "acme/bob"},
     "reports-to: 'acme/jane' would make a reporting cycle"),
    (["initiative", "add", "g1", "X", "--owner", "a", "--due", "2025-12-01", "--contact", "acme/ghost"],
     {"type": "initiative", "account": "acme", "goal": "g1", "text": "X", "owner": "a", "due": "2025-12-01", "contacts": ["acme/ghost"]},
     "handle: no contact 'acme/ghost'"),
    (["initiative", "add", "g1", "X", "--owner", "a", "--due", "2025-12-01", "--contact", "other/olga"],
     {"type": "initiative", "account": "acme", "goal": "g1", "text": "X", "owner": "a", "due": "2025-12-01", "contacts": ["other/olga"]},
     "contact: 'other/olga' is not a contact of acme"),
    (["initiative", "add", "g1", "X", "--owner", "a", "--due", "2025-05-31"],
     {"type": "initiative", "account": "acme", "goal": "g1", "text": "X", "owner": "a", "due": "2025-05-31"},
     "due: 2025-05-31 is in the past"),
    (["retract", "c1", "--reason", "again"], {"type": "retraction", "contact": "acme/jane", "target": "c1", "reason": "again"},
     "event id: 'c1' is already retracted"),
    (["retract", "jane", "--reason", "x"], {"type": "retraction", "contact": "acme/jane", "target": "jane", "reason": "x"},
     "event id: 'jane' is a contact; expected interaction, feedback"),
    (["respond", "g1", "--note", "x"], {"type": "response", "contact": "acme/jane", "feedback": "g1", "note": "x"},
     "event id: 'g1' is a goal; expected feedback"),
    (["respond", "nope", "--note", "x"], {"type": "response", "contact": "acme/jane", "feedback": "nope", "note": "x"},
     "event id: no event 'nope'"),
    (["initiative", "done", "i1"], {"type": "initiative-closed", "account": "acme", "initiative": "i1", "status": "done"},
     "initiative: 'i1' is already done or dropped"),
    (["log", "acme/ghost", "call"], {"type": "interaction", "contact": "acme/ghost", "kind": "call"},
     "handle: no contact 'acme/ghost'"),
    (["log", "acme/zed", "call"], {"type": "interaction", "contact": "acme/zed", "kind": "call"},
     "handle: contact 'acme/zed' has been forgotten"),
    (["goal", "add", "acme/jane", "X", "--target", "2025-12-31"], {"type": "goal", "account": "acme/jane", "text": "X", "target": "2025-12-31"},
     "handle: 'acme/jane' is a contact; this needs an account"),
    (["account", "add", "acme", "--name", "Again"], {"type": "account", "account": "acme", "name": "Again"},
     "handle: 'acme' is already registered"),
    (["contact", "add", "nobody/x", "--name", "X"], {"type": "contact", "contact": "nobody/x", "name": "X"},
     "account: no account 'nobody' for 'nobody/x'; add it first"),
    (["assess", "acme/jane", "power=medium"], {"type": "assessment", "contact": "acme/jane", "dimensions": {"power": "medium"}},
     "power: 'medium' is not allowed; allowed: low or high"),
    (["log", "acme/jane", "email", "--id", "c1"], {"type": "interaction", "id": "c1", "contact": "acme/jane", "kind": "email"},
     "id: 'c1' already names a different event"),
    (["milestone", "acme", "contract-signed", "--id", "f1"], {"type": "milestone", "id": "f1", "account": "acme", "milestone": "contract-signed"},
     "id: 'f1' already names a different event"),
]


def write_lines(path, lines) -> None:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


@pytest.fixture
def history(relledger, tmp_path):
    write_lines(tmp_path / "history.jsonl", HISTORY)
    relledger.ok("import", str(tmp_path / "history.jsonl"))
    return relledger


def test_a_back_dated_history_is_accepted_by_import_and_by_the_same_commands(history, tmp_path):
    by_hand = LedgerCLI(tmp_path / "by-hand.db")
    for args in CLI_HISTORY:
        by_hand.ok(*args)
    by_hand.ok("forget", "acme/zed", "--yes")
    shape = lambda cli: [(e["type"], e["id"], e["occurred_at"]) for e in map(json.loads, cli.ok("export").out.splitlines())  # noqa: E731
                         if e["type"] != "forgotten" and e["type"] != "retraction"]
    assert shape(history) == shape(by_hand)
    assert history.event_count() == len(HISTORY)


@pytest.mark.parametrize("args,line,message", RULES, ids=[" ".join(r[0]) for r in RULES])
def test_each_rule_refuses_the_command_and_the_import_line_with_the_same_message(history, tmp_path, args, line, message):
    before = history.event_count()
    run = history(*args, "--at", AT) if args[0] != "retract" else history(*args)
    assert run.code == 1 and message in run.err and run.err.count("\n") == 1, run.err
    path = tmp_path / "one.jsonl"
    write_lines(path, [{"id": "fresh"} | line | {"occurred_at": AT}])
    imported = history("import", str(path))
    assert imported.code == 1 and imported.err.startswith(f"{path}:1: {run.err.removeprefix('Error: ').rstrip()}"), imported.err
    assert history.event_count() == before


def test_an_existing_id_with_the_same_content_is_already_there_and_with_other_content_refused(history, tmp_path):
    path = tmp_path / "again.jsonl"
    write_lines(path, HISTORY)
    assert history.ok("import", str(path), "--json").json["already"] == len(HISTORY)
    write_lines(path, [dict(HISTORY[-5], contact="acme/bob")])  # f1, now for another contact
    run = history("import", str(path))
    assert run.code == 1 and f"{path}:1: id: 'f1' already names a different event" in run.err


def test_a_repeated_line_in_one_file_is_written_once_and_a_clashing_one_refused(relledger, tmp_path):
    path = tmp_path / "twice.jsonl"
    write_lines(path, [HISTORY[0], HISTORY[0]])
    assert relledger.ok("import", str(path), "--json").json | {"seconds": 0} == {
        "file": str(path), "lines": 2, "written": 1, "already": 1, "invalid": 0, "seconds": 0}
    write_lines(path, [HISTORY[1], dict(HISTORY[1], name="Changed")])
    assert "2: id: 'other' already names a different event" in relledger("import", str(path)).err


def test_skip_invalid_reruns_write_nothing_more(history, tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [{"id": f"l{n}"} | line | {"occurred_at": AT} for n, (_, line, _) in enumerate(RULES) if "id" not in line]
    write_lines(path, lines + [{"type": "interaction", "id": "ok1", "contact": "acme/jane", "kind": "call", "occurred_at": AT}])
    first = history.ok("import", str(path), "--skip-invalid", "--json").json
    again = history.ok("import", str(path), "--skip-invalid", "--json").json
    assert (first["written"], again["written"], again["already"]) == (1, 0, 1)
    assert again["invalid"] == first["invalid"] == len(lines)


def test_a_refused_contact_add_stores_no_key(acme):
    assert acme("contact", "add", "acme/bob", "--name", "Bob", "--reports-to", "acme/ghost").code == 1
    with sqlite3.connect(acme.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM contact_keys").fetchone()[0] == 2  # acme's and jane's only


def test_a_handle_without_a_slash_is_still_a_contact_without_an_account(relledger):
    relledger.ok("contact", "add", "solo", "--name", "Solo")
    assert relledger.ok("show", "solo", "--json").json["handle"] == "solo"
    run = relledger("contact", "add", "nobody/x", "--name", "X")
    assert run.code == 1 and "add it first (relledger account add nobody --name NAME) or give --account" in run.err
    relledger.ok("account", "add", "acme", "--name", "Acme")
    relledger.ok("contact", "add", "nobody/x", "--name", "X", "--account", "acme")
    assert relledger.ok("show", "nobody/x", "--json").json["handle"] == "nobody/x"


def lose_a_race(location: str) -> None:
    """Decide a registration, let another writer register the handle first, then write."""
    from ledger.bootstrap import open_ledger
    from ledger.commands import Command
    from ledger.errors import LedgerError
    from ledger.writer import Writer

    loser, winner = open_ledger(location, "a", create=False), open_ledger(location, "b", create=False)
    writer = Writer(loser)
    assert writer.state.subject("acme/bob") is None  # decided on this state: bob is not registered yet
    winner.register_contact("acme/bob", "Bob W", key="bob-w")
    with pytest.raises(LedgerError, match="handle: 'acme/bob' is already registered"):
        writer.record_many([Command("contact", "acme/bob", {"name": "Bob L"}, "bob-l", line=7)])
    loser.close(), winner.close()


def test_a_registration_that_lost_a_race_is_refused_inside_the_write(acme):
    lose_a_race(str(acme.path))
    assert acme.ok("export").out.count('"type": "contact"') == 2  # jane's and the winner's


@pytest.mark.skipif(not os.environ.get("RELLEDGER_TEST_POSTGRES_URL"), reason="RELLEDGER_TEST_POSTGRES_URL is not set")
def test_a_registration_that_lost_a_race_is_refused_on_postgresql_too(pg):
    pg.ok("account", "add", "acme", "--name", "Acme")
    lose_a_race(pg.path)
    assert [json.loads(line)["id"] for line in pg.ok("export").out.splitlines()][1:] == ["bob-w"]


@pytest.mark.slow
def test_two_imports_racing_for_a_handle_end_with_one_registration(acme, tmp_path):
    env = dict(os.environ, RELLEDGER_DB=str(acme.path), RELLEDGER_USER="tester")
    procs = []
    for name in ("a", "b"):
        lines = [{"type": "contact", "id": f"reg-{name}", "contact": "acme/race", "name": name.upper(), "occurred_at": "2026-01-03"}]
        lines += [{"type": "interaction", "id": f"{name}{n}", "contact": "acme/race", "kind": "call", "occurred_at": "2026-01-04"}
                  for n in range(3000)]
        write_lines(tmp_path / f"{name}.jsonl", lines)
    for name in ("a", "b"):
        procs.append(subprocess.Popen([sys.executable, "-m", "ledger", "import", str(tmp_path / f"{name}.jsonl"), "--batch", "1"],
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [(p.wait(180), p.stderr.read()) for p in procs]
    with sqlite3.connect(acme.path) as conn:
        regs = conn.execute("SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%ContactRegistered'").fetchone()[0]
    assert regs == 2  # jane's and one acme/race
    codes = sorted(code for code, _ in results)
    loser = next((err for code, err in results if code == 1), "")
    assert codes == [0, 1] and "handle: 'acme/race' is already registered" in loser, results


def test_an_import_whose_handle_was_registered_after_validation_stops_at_that_line(acme, tmp_path):
    from ledger.bootstrap import open_ledger
    from ledger.errors import LineError
    from ledger.importer import spool_file, validate, write
    from ledger.transfer import Report

    path = tmp_path / "late.jsonl"
    write_lines(path, [{"type": "interaction", "id": "x1", "contact": "acme/jane", "kind": "call", "occurred_at": AT},
                       {"type": "contact", "id": "bob-i", "contact": "acme/bob", "name": "Bob I", "occurred_at": AT}])
    app, other, report = open_ledger(str(acme.path), "a", create=False), open_ledger(str(acme.path), "b", create=False), Report()
    with spool_file() as spool:
        validate(app, str(path), "jsonl", report, spool)
        assert report.errors == [] and report.total == 2
        other.register_contact("acme/bob", "Bob O", key="bob-o")  # after validation, before the write
        with pytest.raises(LineError, match="line 2: handle: 'acme/bob' is already registered"):
            write(app, spool, report, batch=1)
    assert report.written == 1  # the line before it
    app.close(), other.close()
