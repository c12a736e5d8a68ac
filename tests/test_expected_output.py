"""Expected output ("golden" files), hledger style: a small ledger built from a fixed list of
past events (fixed ids, fixed --at, a fixed clock), every read command in every format,
compared byte for byte with the files under tests/expected/. Any difference fails, showing
a unified diff.

To regenerate after a deliberate change of output (for example ``due`` once next steps
are merged), run

    RELLEDGER_UPDATE_EXPECTED=1 pytest -q tests/test_expected_output.py

then read ``git diff tests/expected/`` before committing: the files are the specification.
"""

from __future__ import annotations

import difflib
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import LedgerCLI

EXPECTED = Path(__file__).parent / "expected"
UPDATE = os.environ.get("RELLEDGER_UPDATE_EXPECTED") == "1"
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=timezone.utc)  # the clock every command of this module reads

STORY = [  # what happened, in order: every event with its id and moment
    ("account", "add", "acme", "--name", "Acme Corp", "--at", "2026-01-01", "--id", "acme"),
    ("account", "add", "globex", "--name", "Globex 株式会社", "--at", "2026-01-01", "--id", "globex"),
    ("contact", "add", "acme/jane", "--name", "Jane Doe", "--title", "CTO", "--role", "economic-buyer",
     "--at", "2026-01-02", "--id", "jane"),
    ("contact", "add", "acme/li", "--name", "李小龍", "--title", "总经理", "--role", "champion", "--reports-to", "acme/jane",
     "--at", "2026-01-02", "--id", "li"),
    ("contact", "add", "acme/zoe", "--name", "Zoë Martín 🎉", "--title", "Buyer", "--role", "gatekeeper",
     "--at", "2026-01-03", "--id", "zoe"),
    ("contact", "add", "globex/maria", "--name", "Maria Rossi", "--role", "decision-maker", "--at", "2026-01-03", "--id", "maria"),
    ("log", "acme/jane", "meeting", "--note", "Kick-off:\tscope and pricing", "--at", "2026-01-10", "--id", "m1"),
    ("log", "acme/li", "call", "--direction", "inbound", "--note", "asked for a demo", "--at", "2026-01-12", "--id", "c1"),
    ("log", "acme/zoe", "email", "--outcome", "unanswered", "--at", "2026-01-15", "--id", "e1"),
    ("assess", "acme/jane", "power=high", "perception=advocate", "relationship=yes", "--reason", "sponsors the pilot",
     "--at", "2026-01-20", "--id", "a1"),
    ("assess", "acme/li", "power=low", "perception=advocate", "activity=active", "--at", "2026-01-20", "--id", "a2"),
    ("assess", "acme/zoe", "power=high", "perception=detractor", "--reason", "prefers the incumbent",
     "--at", "2026-01-21", "--id", "a3"),
    ("feedback", "acme/zoe", "--about", "product", "--sentiment", "negative", "--note", "too slow\nfor month end",
     "--channel", "call", "--at", "2026-01-25", "--id", "f1"),
    ("feedback", "acme/li", "--about", "service", "--sentiment", "positive", "--at", "2026-02-01", "--id", "f2"),
    ("respond", "f2", "--note", "thanked the team", "--at", "2026-02-02", "--id", "r-f2"),
    ("goal", "add", "acme", "Win the renewal", "--target", "2026-09-30", "--at", "2026-01-05", "--id", "g1"),
    ("initiative", "add", "g1", "Run the month-end benchmark with Zoë", "--owner", "sam", "--due", "2026-03-01",
     "--contact", "acme/zoe", "--at", "2026-01-06", "--id", "i1"),
    ("initiative", "add", "g1", "Executive dinner", "--owner", "kim", "--due", "2026-05-15", "--at", "2026-01-06", "--id", "i2"),
    ("review", "acme", "--note", "quarterly review", "--at", "2026-01-08", "--id", "rv1"),
    ("log", "globex/maria", "meeting", "--at", "2026-02-10", "--id", "m2"),
    ("milestone", "globex", "contract-signed", "--at", "2026-03-01", "--id", "ms1"),
]

READS = {  # name: arguments (every one also asked --at the clock's moment, implicitly)
    "list": ("list",),
    "list-acme": ("list", "--account", "acme"),
    "history-jane": ("history", "acme/jane"),
    "history-zoe": ("history", "acme/zoe"),
    "map-acme": ("map", "acme"),
    "gaps": ("gaps",),
    "due": ("due",),
    "show-li": ("show", "acme/li"),
    "show-acme": ("show", "acme"),
    "trend-jane": ("trend", "acme/jane"),
    "trend-acme": ("trend", "--account", "acme"),
    "why-zoe": ("why", "acme/zoe"),
    "why-globex": ("why", "globex"),
    "review-acme": ("review", "acme", "--since-last"),
    "status": ("status",),
    "plan-acme": ("plan", "acme"),
    "find-zoe": ("find", "zoe"),
}
FORMATS = ("table", "json", "csv", "tsv")
CASES = [(name, fmt) for name in READS for fmt in FORMATS]
CASES += [("map-acme", "mermaid"), ("map-acme", "dot")]
NARROW = ["list", "history-zoe", "map-acme", "why-zoe", "due", "show-li"]  # tables also fitted to 60 cells


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """The ledger of STORY, with the clock held at NOW while this module runs."""
    import ledger.timeutil
    import ledger.writer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ledger.timeutil, "utcnow", lambda: NOW)
        patch.setattr(ledger.writer, "utcnow", lambda: NOW)
        cli = LedgerCLI(tmp_path_factory.mktemp("expected") / "ledger.db")
        for args in STORY:
            cli.ok(*args)
        yield cli


def normalised(text: str, cli: LedgerCLI) -> str:
    """Output with what differs from run to run (the file's place, the chain's head, the key's
    file) replaced by placeholders."""
    text = text.replace(str(cli.path), "LEDGER")
    text = re.sub(r"\b[0-9a-f]{64}\b", "HEAD", text)
    return re.sub(r"[^\s\",]*relledger/keys/[0-9a-f]+\.key", "KEYFILE", text)


def check(name: str, text: str) -> None:
    path = EXPECTED / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no expected file {path.name}: run with RELLEDGER_UPDATE_EXPECTED=1, then read it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(True), text.splitlines(True), f"expected/{name}", "actual")
        pytest.fail("output differs from the expected file:\n" + "".join(diff), pytrace=False)


@pytest.mark.parametrize("name,fmt", CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_each_read_prints_what_its_expected_file_says(story, name, fmt):
    run = story.ok(*READS[name], "--format", fmt, env={"COLUMNS": None})
    check(f"{name}.{fmt}", normalised(run.out, story))


@pytest.mark.parametrize("name", NARROW)
def test_each_table_fitted_to_60_cells_is_what_its_expected_file_says(story, name):
    run = story.ok(*READS[name], env={"COLUMNS": "60"})
    check(f"{name}.table-60", normalised(run.out, story))


def test_every_expected_file_belongs_to_a_case():
    names = {f"{n}.{f}" for n, f in CASES} | {f"{n}.table-60" for n in NARROW}
    assert sorted(p.name for p in EXPECTED.iterdir()) == sorted(names)
