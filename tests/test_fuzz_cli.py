"""What the CLI fuzzing found (tests/fuzz_cli.py), kept as examples, and a short random search
as hypothesis properties: every command, random arguments, hostile files, damaged ledgers."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzkit

COMMANDS = list(fuzzkit.leaf_commands())


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The seeded ledger (one event of every kind) and the documents read from it."""
    return fuzzkit.seed_template(tmp_path_factory.mktemp("fuzz") / "template")


def one_error_line(err: str) -> bool:
    return err.startswith("Error: ") and err.count("\n") == 1 and "internal error" not in err


def test_a_framework_file_that_is_not_utf8_is_refused_naming_the_file(acme, tmp_path):
    bad = tmp_path / "table.json"
    bad.write_bytes(b"\xff\xfe{}")
    run = acme("framework", "adopt", str(bad))
    assert run.code == 1 and run.err == "Error: file: not UTF-8 text (byte 0); give a JSON file\n"
    assert acme.event_count() == 2


@pytest.mark.parametrize("stored", ["'zero'", "42", "-1"])
def test_a_contact_key_row_holding_text_or_a_number_is_reported_as_damaged(acme, stored):
    with sqlite3.connect(acme.path) as conn:
        conn.execute(f"UPDATE contact_keys SET key = {stored}")
    verify = acme("verify")
    assert verify.code == 1 and one_error_line(verify.err) and "subject's key is damaged" in verify.err
    rotate = acme("key", "rotate")
    assert rotate.code == 1 and one_error_line(rotate.err) and "is damaged; nothing was changed" in rotate.err


@pytest.mark.parametrize("change", ["UPDATE event_chain SET digest = 'zero' WHERE seq = 2",
                                    "UPDATE event_chain SET digest = 42 WHERE seq = 2",
                                    "UPDATE stored_events SET topic = X'00' WHERE rowid = 2"])
def test_verify_names_the_event_whose_chain_or_row_holds_a_value_of_the_wrong_type(acme, change):
    with sqlite3.connect(acme.path) as conn:
        conn.execute(change)
    run = acme("verify")
    assert run.code == 1 and one_error_line(run.err) and "at position 2" in run.err and "was changed" in run.err


@pytest.mark.parametrize("change", ["DELETE FROM ledger_meta WHERE name = 'key_check'",
                                    "UPDATE ledger_meta SET value = 42 WHERE name = 'key_check'",
                                    "UPDATE ledger_meta SET value = 'not hex' WHERE name = 'key_check'"])
def test_a_damaged_key_record_is_refused_in_one_line(acme, change):
    with sqlite3.connect(acme.path) as conn:
        conn.execute(change)
    run = acme("log", "acme/jane", "call")
    assert run.code == 1 and "ledger key: the ledger's key record (ledger_meta: ledger_id, key_check) is damaged" in run.err
    assert one_error_line(run.err) and acme.event_count() == 2


def test_a_relative_xdg_directory_is_ignored_as_the_specification_says(tmp_path, monkeypatch):
    from ledger.bootstrap import default_location
    from ledger.ledgerkey import key_path

    monkeypatch.setenv("HOME", str(tmp_path))
    env = {"XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": "cfg"}
    assert default_location(env) == str(tmp_path / ".local" / "share" / "relledger" / "ledger.db")
    assert key_path("x", env) == str(tmp_path / ".config" / "relledger" / "keys" / "x.key")


def test_a_damaged_view_position_asks_for_a_rebuild_which_repairs_it(acme):
    acme.ok("show", "acme/jane")
    with sqlite3.connect(acme.path) as conn:
        conn.execute("UPDATE view_positions SET position = 'zero'")
    run = acme("show", "acme/jane")
    assert run.code == 1 and run.err == "Error: views: a view position is damaged (not a number); run 'relledger rebuild'\n"
    acme.ok("rebuild")
    assert acme.ok("show", "acme/jane").out


@pytest.mark.parametrize("value", [b"\x00", "two", "-1"])
def test_damaged_metadata_is_refused_in_one_line_naming_the_table(acme, value):
    with sqlite3.connect(acme.path) as conn:
        conn.execute("UPDATE relledger_meta SET value = ? WHERE key = 'rules_version'", (value,))
    for command in (["framework", "show"], ["status"], ["show", "acme/jane"]):
        run = acme(*command)
        assert run.code == 1 and run.err.count("\n") == 1 and "relledger_meta.rules_version" in run.err, (command, run.err)


def test_a_malformed_ledger_key_leaves_no_new_ledger_file_behind(relledger, tmp_path):
    run = relledger("demo", env={"XDG_DATA_HOME": str(tmp_path / "data"), "RELLEDGER_KEY": "zz"})
    assert run.code == 1 and one_error_line(run.err) and "RELLEDGER_KEY: not a ledger key" in run.err
    assert not (tmp_path / "data" / "relledger" / "demo.db").exists()
    run = relledger("account", "add", "acme", "--name", "Acme", env={"RELLEDGER_KEY": "0" * 63})
    assert run.code == 1 and not relledger.path.exists()


@pytest.mark.slow
def test_a_reader_that_goes_away_ends_the_output_quietly(acme, tmp_path):
    lines = tmp_path / "many.jsonl"
    lines.write_text("\n".join(json.dumps({"type": "interaction", "id": f"e{n}", "contact": "acme/jane", "kind": "email",
                                           "occurred_at": "2026-02-01T00:00:00+00:00", "note": "x" * 300})
                               for n in range(400)))
    acme.ok("import", str(lines))
    proc = subprocess.Popen([str(Path(sys.executable).parent / "relledger"), "export"], env={**os.environ, **acme.env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"{")
    proc.stdout.close()
    assert proc.wait(timeout=60) in (0, 141)
    assert proc.stderr.read() == b""


def run_and_check(template, tmp_path: Path, seed: int, damaged: bool) -> None:
    space0, export, framework, rules = template
    rng = random.Random(seed)
    space = fuzzkit.copy_workspace(space0, tmp_path / "run")
    damage = rng.choice(fuzzkit.DAMAGES)(space.ledger, space.keyfile(), rng) if damaged else None
    path, command = rng.choice(COMMANDS)
    args = fuzzkit.arguments(path, command, rng, fuzzkit.Files(space.root, rng, export, framework, rules))
    env = {} if damaged else fuzzkit.hostile_env(rng)
    before = space.snapshot()
    result = fuzzkit.invoke(space, args + (["--yes"] if path == ("forget",) else []), env=env, input="n\n")
    found = fuzzkit.problems(result, before, space.snapshot(), damaged=damaged)
    assert not found, (args, env, damage, found)


FAST = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(seed=st.integers(0, 2**32))
def test_any_command_with_random_arguments_answers_or_refuses_in_one_line_writing_nothing(template, tmp_path, seed):
    run_and_check(template, tmp_path, seed, damaged=False)


@settings(FAST, max_examples=25)
@given(seed=st.integers(0, 2**32))
def test_any_command_on_a_damaged_ledger_or_key_file_refuses_in_one_line(template, tmp_path, seed):
    run_and_check(template, tmp_path, seed, damaged=True)
