"""Property-based: no input to a record command or to import gives a traceback or a partial write (issue 10)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LedgerCLI
from ledger.transfer import CSV_COLUMNS

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
WORDS = st.sampled_from(["acme", "acme/jane", "acme/ghost", "ghost/x", "solo", "call", "inbound", "outbound", "answered",
                         "power=high", "power=medium", "mood=x", "product", "you", "positive", "contract-signed", "jane",
                         "c1", "2026-01-01", "2999-01-01", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59-05:00", "-", ""])
TEXT = st.one_of(WORDS, st.text(max_size=30), st.from_regex(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}([+-]\d{2}:\d{2})?)?", fullmatch=True))
COMMANDS = [["log", "acme/jane", "call"], ["feedback", "acme/jane"], ["assess", "acme/jane"], ["contact", "add"],
            ["account", "add"], ["milestone", "acme"], ["respond"], ["retract"], ["goal", "add", "acme"],
            ["initiative", "add", "g1"], ["contact", "reports-to"], ["contact", "roles", "acme/jane"]]
OPTIONS = ["--at", "--id", "--note", "--name", "--account", "--direction", "--outcome", "--tag", "--about", "--sentiment",
           "--reason", "--target", "--owner", "--due", "--contact", "--role", "--reports-to", "--title", "--channel"]


def check_refusal(cli: LedgerCLI, run, before: int) -> None:
    assert "Traceback" not in run.err
    if run.code != 0:
        assert run.code in (1, 2) and run.err.startswith("Error: ") and run.err.count("\n") == 1, run.err
        assert cli.event_count() == before
    else:
        assert cli.event_count() <= before + 1


@pytest.fixture
def ledger(acme):
    acme.ok("log", "acme/jane", "call", "--id", "c1", "--at", "2026-01-03")
    acme.ok("goal", "add", "acme", "Grow", "--target", "2026-12-31", "--id", "g1", "--at", "2026-01-04")
    return acme


@SETTINGS
@given(command=st.sampled_from(COMMANDS), words=st.lists(TEXT, max_size=3),
       options=st.lists(st.tuples(st.sampled_from(OPTIONS), TEXT), max_size=4))
def test_any_record_command_is_written_whole_or_refused_in_one_line(ledger, command, words, options):
    args = command + words + [part for pair in options for part in pair]
    before = ledger.event_count()
    check_refusal(ledger, ledger(*args), before)


FIELDS = st.sampled_from(CSV_COLUMNS + ["dimensions", "power", "extra"])
VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
                      lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
                      max_leaves=6)
TYPES = st.sampled_from(["account", "contact", "interaction", "feedback", "response", "assessment", "milestone", "retraction",
                         "roles", "reporting", "goal", "initiative", "initiative-closed", "review", "framework", "forgotten"])
LINE = st.fixed_dictionaries({"type": st.one_of(TYPES, VALUES), "id": st.one_of(st.text(min_size=1, max_size=8), VALUES),
                              "occurred_at": st.one_of(st.just("2026-01-05"), TEXT, VALUES)},
                             optional={"contact": st.one_of(WORDS, VALUES), "account": st.one_of(WORDS, VALUES)}) \
    .flatmap(lambda base: st.dictionaries(FIELDS, VALUES, max_size=4).map(lambda more: {**more, **base}))


def check_import(cli: LedgerCLI, path, run, before: int) -> None:
    assert "Traceback" not in run.err
    if run.code == 0:
        return
    lines = run.err.splitlines()
    assert run.code == 1 and lines[-1].startswith("Error: "), run.err
    assert all(re.match(rf"{re.escape(str(path))}:\d+: \S", line) for line in lines[:-1]), run.err
    assert cli.event_count() == before


@SETTINGS
@given(lines=st.lists(LINE, max_size=6), bom=st.booleans(), junk=st.one_of(st.none(), st.binary(max_size=12)))
def test_any_jsonl_file_is_imported_whole_or_refused_line_by_line(ledger, tmp_path, lines, bom, junk):
    path = tmp_path / "in.jsonl"
    data = ("\ufeff" if bom else "").encode() + "".join(json.dumps(line, default=str) + "\n" for line in lines).encode()
    path.write_bytes(data + (junk + b"\n" if junk is not None else b""))
    before = ledger.event_count()
    check_import(ledger, path, ledger("import", str(path)), before)


@SETTINGS
@given(rows=st.lists(st.dictionaries(FIELDS, TEXT, max_size=8), max_size=6), header=st.lists(FIELDS, max_size=8, unique=True))
def test_any_csv_file_is_imported_whole_or_refused_line_by_line(ledger, tmp_path, rows, header):
    path = tmp_path / "in.csv"
    out = io.StringIO()
    columns = list(dict.fromkeys(["type", "id", "occurred_at"] + header)) if rows else header
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())
    before = ledger.event_count()
    check_import(ledger, path, ledger("import", str(path)), before)
