"""Export and import: round trips, bad lines, idempotency, resuming after kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import LedgerCLI

AT = ["--at", "2026-10-01", "--as-of", "2099-01-01"]


@pytest.fixture
def full(acme, tmp_path):
    """A ledger using every kind of event, including a retraction, a framework and a forgotten contact."""
    a = acme
    a.ok("contact", "add", "acme/bob", "--name", "Bob Stone", "--role", "decision-maker", "--reports-to", "acme/jane", "--at", "2026-01-05")
    a.ok("log", "acme/jane", "call", "--outcome", "answered", "--note", "Intro", "--tag", "q1", "--at", "2026-02-01", "--id", "c1")
    a.ok("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--note", "Slow", "--at", "2026-02-02", "--id", "f1")
    a.ok("respond", "f1", "--note", "Fixed", "--at", "2026-02-03")
    a.ok("assess", "acme/jane", "power=high", "perception=advocate", "--reason", "Budget owner", "--at", "2026-02-04", "--id", "a1")
    a.ok("assess", "acme/bob", "relationship=no", "--at", "2026-02-05", "--id", "a2")
    a.ok("retract", "a2", "--reason", "Wrong", "--id", "r1")
    a.ok("milestone", "acme", "contract-signed", "--at", "2026-03-01")
    a.ok("contact", "roles", "acme/jane", "--role", "champion", "--at", "2026-03-02")
    a.ok("goal", "add", "acme", "Expand", "--target", "2026-12-31", "--at", "2026-03-03", "--id", "g1")
    a.ok("initiative", "add", "g1", "Briefing", "--owner", "ann", "--due", "2026-04-01", "--at", "2026-03-03", "--id", "i1")
    a.ok("initiative", "done", "i1", "--at", "2026-03-20")
    a.ok("review", "acme", "--note", "Q1", "--at", "2026-03-31")
    table = a.ok("framework", "show", "--json").json
    table["rows"] = [dict(r, action=r["action"] + "!") for r in table["rows"]]
    (tmp_path / "fw.json").write_text(json.dumps(table))
    a.ok("framework", "adopt", str(tmp_path / "fw.json"), "--at", "2026-06-01")
    a.ok("log", "acme/jane", "email", "--next", "Send pricing", "--due", "2026-03-10", "--at", "2026-03-04", "--id", "c2")
    a.ok("next", "done", "c2:next", "--at", "2026-03-08")
    a.ok("next", "add", "acme/jane", "Book a demo", "--due", "2026-12-01", "--at", "2026-03-05", "--id", "n2")
    a.ok("next", "drop", "n2", "--at", "2026-03-09")
    a.ok("next", "add", "acme/bob", "Intro call", "--due", "2026-09-01T09:30", "--at", "2026-03-05", "--id", "n3")
    a.ok("contact", "add", "acme/zed", "--name", "Zed Forgotten", "--at", "2026-01-06")
    a.ok("log", "acme/zed", "meeting", "--note", "Zed secret", "--next", "Zed plan", "--due", "2026-03-01", "--at", "2026-02-10")
    a.ok("forget", "acme/zed", "--yes")
    return a


def answers(cli: LedgerCLI) -> list:
    out = [cli.ok(cmd, h, *AT, "--json").json for cmd in ("show", "why", "history", "trend") for h in ("acme/jane", "acme/bob", "acme/zed")]
    out += [cli.ok("list", *AT, "--json").json, cli.ok("plan", "acme", *AT, "--json").json, cli.ok("map", "acme", *AT, "--json").json]
    return out


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_then_import_into_an_empty_ledger_gives_the_same_answers(full, tmp_path, fmt):
    dump = tmp_path / f"dump.{fmt}"
    full.ok("export", "--format", fmt, "-o", str(dump))
    fresh = LedgerCLI(tmp_path / "fresh.db")
    assert fresh.ok("import", str(dump)).out.startswith(f"imported {full.event_count()} events")
    assert answers(fresh) == answers(full)
    assert fresh.ok("export", "--format", fmt).out == dump.read_text()


def test_export_keeps_ids_times_and_who_recorded(full):
    first = json.loads(full.ok("export").out.splitlines()[0])
    assert set(first) >= {"type", "id", "occurred_at", "recorded_at", "recorded_by"} and first["recorded_by"] == "tester"


def test_forgotten_contacts_export_without_personal_data(full):
    text = full.ok("export").out + full.ok("export", "--format", "csv").out
    assert "Zed Forgotten" not in text and "Zed secret" not in text and '"redacted": true' in text


def test_export_of_one_account(full, relledger):
    full.ok("account", "add", "other", "--name", "Other")
    full.ok("contact", "add", "other/x", "--name", "X")
    lines = [json.loads(line) for line in full.ok("export", "--account", "other").out.splitlines()]
    assert [(line["type"], line.get("contact") or line.get("account")) for line in lines] == [("account", "other"), ("contact", "other/x")]


def test_a_file_with_bad_lines_reports_every_one_and_writes_nothing(relledger, tmp_path):
    path = tmp_path / "crm.jsonl"
    path.write_text("\n".join([
        json.dumps({"type": "account", "id": "a", "account": "acme", "name": "Acme", "occurred_at": "2026-01-01"}),
        json.dumps({"type": "contact", "id": "c", "contact": "acme/jane", "account": "acme", "name": "Jane", "occurred_at": "2026-01-01"}),
        json.dumps({"type": "interaction", "id": "i1", "contact": "acme/jane", "kind": "phone", "occurred_at": "2026-01-02"}),
        "{not json",
        json.dumps({"type": "interaction", "id": "i2", "contact": "acme/nobody", "kind": "call", "occurred_at": "2026-01-02"}),
        json.dumps({"type": "response", "id": "r", "contact": "acme/jane", "feedback": "nope", "note": "x", "occurred_at": "2026-01-03"}),
        json.dumps({"type": "interaction", "id": "i3", "contact": "acme/jane", "kind": "call", "occurred_at": "2999-01-01"}),
        json.dumps({"type": "interaction", "id": "c", "contact": "acme/jane", "kind": "call", "occurred_at": "2026-01-02"}),
    ]) + "\n")
    run = relledger("import", str(path))
    assert run.code == 1 and run.out == ""
    assert run.err.splitlines() == [
        f"{path}:3: kind: 'phone' is not allowed; allowed: call, email, meeting, message, event or other",
        f"{path}:4: not JSON (Expecting property name enclosed in double quotes)",
        f"{path}:5: handle: no contact 'acme/nobody' in this ledger",  # the CLI's own messages (issue 10)
        f"{path}:6: event id: no event 'nope' in this ledger (see 'relledger history HANDLE')",
        f"{path}:7: occurred_at: 2999-01-01T00:00:00+00:00 is in the future; events are recorded once they have happened",
        f"{path}:8: id: 'c' already names a different event; keys are unique across the ledger",
        f"Error: 6 bad line(s) in {path}; nothing imported (--skip-invalid imports the rest)",
    ]
    assert not relledger.path.exists()
    skipped = relledger.ok("import", str(path), "--skip-invalid", "--json")
    assert skipped.json | {"seconds": 0, "file": ""} == {"file": "", "lines": 8, "written": 2, "already": 0, "invalid": 6, "seconds": 0}
    assert relledger.event_count() == 2


def test_csv_with_the_documented_header(relledger, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("type,id,contact,account,occurred_at,name,kind,outcome,tags,dimensions\n"
                    "account,a,,acme,2026-01-01,Acme,,,,\n"
                    "contact,c,acme/jane,acme,2026-01-01,Jane,,,,\n"
                    "interaction,i,acme/jane,,2026-01-02,,call,answered,x;y,\n"
                    "assessment,s,acme/jane,,2026-01-03,,,,,power=high;perception=advocate\n")
    relledger.ok("import", str(path))
    shown = relledger.ok("show", "acme/jane", "--at", "2026-01-10", "--json").json
    assert (shown["dimensions"]["power"], shown["dimensions"]["relationship"]) == ("high", "yes")
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,name\ncall,x\n")
    assert "header: missing column(s) id, occurred_at, type" in relledger("import", str(bad)).err


def test_importing_twice_writes_each_event_once(full, tmp_path):
    dump = tmp_path / "dump.jsonl"
    full.ok("export", "-o", str(dump))
    before = full.event_count()
    assert full.ok("import", str(dump), "--json").json["already"] == before
    assert full.event_count() == before


def test_an_import_killed_halfway_resumes_and_writes_each_event_once(tmp_path):
    path, db = tmp_path / "big.jsonl", tmp_path / "big.db"
    lines = [{"type": "account", "id": "a", "account": "acme", "name": "Acme", "occurred_at": "2026-01-01"}]
    lines += [{"type": "contact", "id": f"c{n}", "contact": f"acme/p{n}", "account": "acme", "name": f"P{n}",
               "occurred_at": "2026-01-01"} for n in range(50)]
    lines += [{"type": "interaction", "id": f"i{n}", "contact": f"acme/p{n % 50}", "kind": "call",
               "outcome": "answered", "note": f"n{n}", "occurred_at": "2026-02-01"} for n in range(6000)]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    env = dict(os.environ, RELLEDGER_DB=str(db), RELLEDGER_USER="tester")
    proc = subprocess.Popen([sys.executable, "-m", "ledger", "import", str(path), "--batch", "50"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    count = 0
    deadline = time.time() + 60
    while time.time() < deadline and count < 500:
        time.sleep(0.05)
        count = _count(db)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    halfway = _count(db)
    assert 0 < halfway < len(lines), "the import should have been killed halfway"
    resumed = subprocess.run([sys.executable, "-m", "ledger", "import", str(path), "--json"], env=env,
                             capture_output=True, text=True, check=True)
    assert json.loads(resumed.stdout)["written"] == len(lines) - halfway
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM event_ids")]
    assert len(ids) == len(set(ids)) == len(lines) == _count(db)


def _count(db) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("args,message,code", [
    (["export", "--account", "nope"], "handle: no account 'nope'", 1),
    (["export", "--account", "acme/jane"], "handle: 'acme/jane' is a contact; this needs an account", 1),
    (["export", "--format", "xml"], "'--format': 'xml' is not one of 'jsonl', 'csv'", 2),
    (["import", "/nonexistent/crm.jsonl"], "'FILE': File '/nonexistent/crm.jsonl' does not exist", 2),
    (["import", "README.md", "--format", "xls"], "'--format': 'xls' is not one of 'jsonl', 'csv'", 2),
    (["import", "README.md", "--batch", "0"], "'--batch': 0 is not in the range", 2),
])
def test_bad_transfer_arguments_are_refused_in_one_line(acme, args, message, code):
    before = acme.event_count()
    run = acme(*args)
    assert (run.code, run.out) == (code, "") and run.err.count("\n") == 1 and message in run.err, run.err
    assert acme.event_count() == before
