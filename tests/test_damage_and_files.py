"""Fuzz findings (issue 14 leftovers), each as a test: a damaged view row is one line naming
the ledger; JSON files with a UTF-8 byte order mark are accepted; a refused first command
leaves no directory behind; a key row set NULL without a forgotten event is damage, not
"forgotten"."""

from __future__ import annotations

import json
import sqlite3

import pytest


def sql(path, statement: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement)


@pytest.fixture
def talked(acme):
    acme.ok("log", "acme/jane", "meeting", "--note", "pricing", "--at", "2026-01-05", "--id", "m1")
    acme.ok("trend", "acme/jane")  # the views are caught up and hold the rows
    return acme


@pytest.mark.parametrize("args", [("trend", "acme/jane", "--as-of", "2099-01-01"), ("show", "acme/jane"),
                                  ("history", "acme/jane"), ("trend", "--account", "acme")], ids=" ".join)
def test_a_view_row_that_does_not_decode_is_one_line_naming_the_damaged_ledger(talked, args):
    sql(talked.path, "UPDATE view_events SET data = '{\"x'")
    run = talked(*args)
    assert run.code == 1
    assert run.err.count("\n") == 1 and "Traceback" not in run.err, run.err
    assert "damaged ledger" in run.err and str(talked.path) in run.err and "rebuild" in run.err


def test_after_a_rebuild_the_damaged_view_reads_again(talked):
    sql(talked.path, "UPDATE view_events SET data = '{\"x'")
    assert talked("trend", "acme/jane", "--as-of", "2099-01-01").code == 1
    talked.ok("rebuild")
    assert talked.ok("trend", "acme/jane", "--as-of", "2099-01-01").out


def test_an_error_that_is_not_a_stored_row_is_still_an_internal_error():
    from ledger.cli.trust import unreadable_row

    try:
        int("x")
    except ValueError as exc:
        assert not unreadable_row(exc)
    try:
        json.loads("{")
    except ValueError as exc:
        assert not unreadable_row(exc)  # raised here, not while reading a view


# a UTF-8 byte order mark

def test_framework_adopt_accepts_a_file_with_a_byte_order_mark(acme, tmp_path):
    doc = acme.ok("framework", "show", "--json").json
    doc["name"] = "ours"
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(doc), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    acme.ok("framework", "adopt", str(path))
    assert acme.ok("framework", "show", "--json").json["name"] == "ours"


def test_rules_adopt_accepts_a_file_with_a_byte_order_mark(acme, tmp_path):
    from importlib import resources

    doc = json.loads(resources.files("ledger").joinpath("frameworks/rules-v2.json").read_text("utf-8"))
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(doc), encoding="utf-8-sig")
    run = acme.ok("rules", "adopt", str(path))
    assert "recorded rules" in run.out


# a refused first command

@pytest.mark.parametrize("args", [("account", "add", "bad handle!", "--name", "X"),
                                  ("contact", "add", "acme/jane", "--name", "X", "--account", "nope")])
def test_a_refused_first_command_leaves_no_directory_behind(tmp_path, args):
    from click.testing import CliRunner

    from ledger.cli.main import cli

    home = tmp_path / "home"
    home.mkdir()
    env = {"XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"), "RELLEDGER_DB": None,
           "RELLEDGER_USER": "tester"}
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert list(home.iterdir()) == []
    assert CliRunner().invoke(cli, ["account", "add", "acme", "--name", "Acme"], env=env).exit_code == 0
    assert (home / "data" / "relledger" / "ledger.db").exists()


# a key row set NULL

def _null_key(cli, handle: str) -> None:
    stream = next(r[0] for r in sqlite3.connect(cli.path).execute(
        "SELECT originator_id FROM stored_events WHERE originator_version = 1 AND topic LIKE '%ContactRegistered'"))
    sql(cli.path, f"UPDATE contact_keys SET key = NULL WHERE originator_id = '{stream}'")


def test_a_key_set_null_without_a_forgotten_event_is_damage_not_forgotten(talked):
    _null_key(talked, "acme/jane")
    history = talked.ok("history", "acme/jane").out
    assert "unreadable" in history
    verify = talked("verify")
    assert verify.code == 1 and "key is damaged" in verify.err
    log = talked("log", "acme/jane", "call")
    assert log.code == 1 and "damaged" in log.err and "forgot" not in log.err


def test_a_forgotten_contact_still_reads_as_forgotten(talked):
    talked.ok("forget", "acme/jane", "--yes")
    assert "unreadable" not in talked.ok("history", "acme/jane").out
    assert talked.ok("verify").code == 0
    assert "forgotten" in talked("log", "acme/jane", "call").err
