"""Bad input: one line on stderr naming the field, a non-zero exit, nothing written."""

from __future__ import annotations

import sqlite3

import pytest

BAD = [
    # (arguments, text the one error line must contain)
    (["log", "acme/nobody", "call"], "handle: no contact 'acme/nobody'"),
    (["log", "acme", "call"], "handle: 'acme' is an account"),
    (["log", "acme/jane", "phone"], "'KIND': 'phone' is not one of 'call', 'email'"),
    (["log", "acme/jane", "call", "--direction", "sideways"], "'--direction': 'sideways' is not one of 'outbound', 'inbound'"),
    (["log", "acme/jane", "call", "--outcome", "maybe"], "'--outcome': 'maybe' is not one of"),
    (["log", "acme/jane", "call", "--direction", "inbound", "--outcome", "answered"], "outcome: only an outbound attempt"),
    (["log", "acme/jane", "call", "--at", "last tuesday"], "'--at': 'last tuesday' is not an ISO 8601 date"),
    (["log", "acme/jane", "call", "--at", "2026-02-30"], "'--at': '2026-02-30' is not an ISO 8601 date"),
    (["log", "acme/jane", "call", "--at", "2999-01-01"], "at: 2999-01-01T00:00:00+00:00 is in the future"),
    (["log", "acme/jane", "call", "--id", "no spaces"], "id: 'no spaces' is not a valid id"),
    (["log", "acme/jane", "call", "--note", "  "], "note: must not be empty"),
    (["assess", "acme/jane", "power=medium"], "power: 'medium' is not allowed; allowed: low or high"),
    (["assess", "acme/jane", "mood=sunny"], "dimension: 'mood' is unknown; allowed: relationship, power, perception or activity"),
    (["assess", "acme/jane", "powerhigh"], "dimension: 'powerhigh' is not DIMENSION=VALUE"),
    (["assess", "acme/jane", "power=high", "power=low"], "dimension: 'power' is given twice"),
    (["assess", "acme/jane"], "Missing argument 'DIMENSION=VALUE...'"),
    (["feedback", "acme/jane", "--about", "weather", "--sentiment", "positive"], "'--about': 'weather' is not one of"),
    (["feedback", "acme/jane", "--about", "product"], "Missing option '--sentiment'"),
    (["respond", "nope", "--note", "x"], "event id: no event 'nope'"),
    (["respond", "jane", "--note", "x"], "event id: 'jane' is a contact; expected feedback"),
    (["milestone", "acme", "married"], "'MILESTONE': 'married' is not one of 'contract-signed'"),
    (["milestone", "ghost", "ended"], "handle: no account or contact 'ghost'"),
    (["retract", "jane", "--reason", "x"], "event id: 'jane' is a contact; expected interaction, feedback"),
    (["retract", "nope", "--reason", "x"], "event id: no event 'nope'"),
    (["account", "add", "acme", "--name", "Again"], "handle: 'acme' is already registered"),
    (["contact", "add", "acme", "--name", "Clash"], "handle: 'acme' is already registered"),
    (["account", "add", "newco", "--name", ""], "name: must not be empty"),
    (["account", "add", "New Co", "--name", "New"], "handle: 'New Co' is not a valid handle"),
    (["contact", "add", "acme/bob", "--name", "Bob", "--account", "nope"], "handle: no account 'nope'"),
    (["contact", "add", "acme/bob", "--name", "Bob", "--role", "boss"], "'--role': 'boss' is not one of 'economic-buyer'"),
    (["contact", "add", "acme/bob"], "Missing option '--name'"),
    (["--as", " ", "log", "acme/jane", "call"], "as: the recording user is empty"),
    (["history", "acme"], "handle: 'acme' is an account; this needs a contact"),
    (["show", "acme/ghost"], "handle: no contact 'acme/ghost'"),
    (["history", "BAD HANDLE"], "handle: 'BAD HANDLE' is not a valid handle"),
    (["forget", "acme/ghost", "--yes"], "handle: no contact 'acme/ghost'"),
    (["frobnicate"], "No such command 'frobnicate'"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(acme, args, message):
    before = acme.event_count()
    run = acme(*args)
    assert run.code != 0
    assert run.out == ""
    assert run.err.startswith("Error: ") and run.err.count("\n") == 1, run.err
    assert message in run.err
    assert "Traceback" not in run.err
    assert acme.event_count() == before


def test_a_refused_first_command_leaves_no_ledger_file_behind(relledger, private_config):
    run = relledger("account", "add", "acme", "--name", "  ")
    assert run.code == 1 and "name: must not be empty" in run.err
    assert not relledger.path.exists()
    assert not (private_config / "relledger").exists()  # nor a key for it, nor the directories made for one


def test_a_read_on_a_missing_ledger_creates_nothing(relledger):
    assert relledger("show", "acme/jane").code == 1
    assert relledger("log", "acme/jane", "call").code == 1
    for args in (["export"], ["rebuild"]):
        run = relledger(*args)
        assert run.code == 1 and run.err == f"Error: ledger: no ledger at '{relledger.path}' yet (the first record command creates it)\n"
    for args, out in ((["gaps"], "no accounts\n"), (["list"], "no contacts\n"), (["due"], "nothing overdue\n")):
        assert relledger.ok(*args).out == out
    assert not relledger.path.exists()


@pytest.mark.parametrize("value,message", [
    ("", "ledger: the path is empty"),
    ("ftp://u@h/db", "ledger: 'ftp://' is not supported; give a file path or a postgresql://USER@HOST[:PORT]/DB URL"),
    ("postgresql://nohost", "ledger: 'postgresql://nohost' is not a PostgreSQL URL like postgresql://USER@HOST[:PORT]/DB"),
    ("postgresql://u@h:99999/db", "(bad port)"),
])
def test_an_unusable_ledger_location_is_refused(relledger, value, message):
    run = relledger("log", "acme/jane", "call", env={"RELLEDGER_DB": value})
    assert run.code == 1 and message in run.err and run.err.count("\n") == 1


def test_a_directory_as_ledger_is_refused(relledger, tmp_path):
    run = relledger("--ledger", str(tmp_path), "account", "add", "acme", "--name", "Acme")
    assert run.code == 1 and "is a directory; give a file path" in run.err


@pytest.mark.parametrize("command", [["account", "add", "acme", "--name", "Acme"], ["show", "acme/jane"], ["status"]])
def test_a_file_that_is_not_a_ledger_is_refused_and_left_untouched(relledger, tmp_path, command):
    text, other = tmp_path / "notes.txt", tmp_path / "other.db"
    text.write_text("not a database at all, just some text that is long enough" * 20)
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    for path, message in [(text, "is not an SQLite database"), (other, "is an SQLite database but not a relledger ledger")]:
        before = path.read_bytes()
        run = relledger("--ledger", str(path), *command)
        assert run.code == 1 and message in run.err and run.err.count("\n") == 1, run.err
        assert path.read_bytes() == before
