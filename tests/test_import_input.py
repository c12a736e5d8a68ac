"""Import reads any input once, tells the truth when interrupted, and never shows a traceback (issue 10)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import LedgerCLI
from test_transfer import _count

ACME = [{"type": "account", "id": "a", "account": "acme", "name": "Acme", "occurred_at": "2026-01-01"},
        {"type": "contact", "id": "c", "contact": "acme/jane", "name": "Jane", "occurred_at": "2026-01-01"}]


def jsonl(lines) -> str:
    return "".join(json.dumps(line) + "\n" for line in lines)


def env_for(db) -> dict:
    return dict(os.environ, RELLEDGER_DB=str(db), RELLEDGER_USER="tester")


def test_import_dash_reads_standard_input(relledger):
    run = relledger.ok("import", "-", input=jsonl(ACME))
    assert run.out.startswith("imported 2 events from 2 lines") and relledger.event_count() == 2


@pytest.mark.parametrize("how", ["cat {f} | {cmd} import /dev/stdin", "cat {f} | {cmd} import -", "{cmd} import <(cat {f})"])
def test_a_pipe_dev_stdin_and_process_substitution_are_read_once(tmp_path, how):
    source, db = tmp_path / "in.jsonl", tmp_path / "l.db"
    source.write_text(jsonl(ACME))
    cmd = f"{sys.executable} -m ledger"
    done = subprocess.run(["bash", "-c", how.format(f=source, cmd=cmd)], env=env_for(db), capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("imported 2 events from 2 lines"), done.stderr
    assert LedgerCLI(db).event_count() == 2


@pytest.mark.slow
@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_import_says_how_much_was_written_and_a_rerun_finishes(tmp_path, sig, code):
    source, db = tmp_path / "big.jsonl", tmp_path / "big.db"
    lines = ACME + [{"type": "interaction", "id": f"i{n}", "contact": "acme/jane", "kind": "call", "occurred_at": "2026-02-01"}
                    for n in range(20_000)]
    source.write_text(jsonl(lines))
    proc = subprocess.Popen([sys.executable, "-m", "ledger", "import", str(source), "--batch", "100"], env=env_for(db),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and _count(db) < 300:
        time.sleep(0.02)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    written = _count(db)
    assert 0 < written < len(lines), "the import should have been interrupted halfway"
    assert err == f"interrupted after {written:,} of {len(lines):,} events; run the same import again to finish\n"
    rerun = subprocess.run([sys.executable, "-m", "ledger", "import", str(source), "--json"], env=env_for(db),
                           capture_output=True, text=True, check=True)
    assert json.loads(rerun.stdout)["written"] == len(lines) - written and _count(db) == len(lines)


@pytest.mark.parametrize("name,content", [
    ("bom.jsonl", "\ufeff" + jsonl(ACME)),
    ("bom.csv", "\ufefftype,id,contact,account,occurred_at,name\naccount,a,,acme,2026-01-01,Acme\ncontact,c,acme/jane,,2026-01-01,Jane\n"),
])
def test_a_byte_order_mark_as_excel_writes_it_is_accepted(relledger, tmp_path, name, content):
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert relledger.ok("import", str(tmp_path / name)).out.startswith("imported 2 events")


@pytest.mark.parametrize("name", ["latin1.jsonl", "latin1.csv"])
def test_bytes_that_are_not_utf8_are_reported_by_line(relledger, tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(b"type,id,account,occurred_at,name\naccount,a,acme,2026-01-01,Caf\xe9 SA\n")
    else:
        path.write_bytes(jsonl(ACME[:1]).encode() + b'{"type": "account", "id": "b", "account": "b", "name": "Caf\xe9"}\n')
    run = relledger("import", str(path))
    assert run.code == 1 and f"{path}:2: not UTF-8 (byte 0xe9" in run.err and "Traceback" not in run.err
    assert not relledger.path.exists()  # no empty ledger file left behind


BAD_LINES = [
    ({"type": ["x"], "id": "x", "occurred_at": "2026-01-01"}, "type: '[\"x\"]' is not allowed"),
    ({"type": "assessment", "id": "x", "contact": "acme/jane", "dimensions": "power=high", "occurred_at": "2026-01-02"},
     "dimensions: must be an object"),
    ({"type": "interaction", "id": "x", "contact": "acme/jane", "kind": "call", "occurred_at": 20260101}, "occurred_at: 20260101 is not"),
    ({"type": "interaction", "id": "x", "contact": "acme/jane", "kind": "call", "occurred_at": "2026-01-02",
      "recorded_at": "2026-01-01"}, "recorded_at: 2026-01-01T00:00:00+00:00 is before occurred_at"),
    ({"type": "interaction", "id": "x", "contact": "acme/jane", "kind": "call", "occurred_at": "0001-01-01T00:00:00+01:00"},
     "occurred_at: '0001-01-01T00:00:00+01:00' is out of range"),
    ({"type": "interaction", "id": "x", "contact": "acme/jane", "kind": "call", "occurred_at": "9999-12-31T23:59-05:00"},
     "occurred_at: '9999-12-31T23:59-05:00' is out of range"),
    ({"type": "interaction", "id": "x", "contact": ["acme/jane"], "kind": "call", "occurred_at": "2026-01-02"}, "is not a valid handle"),
    ({"type": "interaction", "id": ["x"], "contact": "acme/jane", "kind": "call", "occurred_at": "2026-01-02"},
     "id: '[\"x\"]' is not a valid id"),
    ({"type": "interaction", "id": "x", "contact": "acme/jane", "kind": "call", "tags": "a", "occurred_at": "2026-01-02"}, "tag:"),
    ({"type": "framework", "id": "x", "name": "F", "rows": [1, 2], "occurred_at": "2026-01-02"}, "rows"),
    ({"type": "review", "id": "x", "account": "acme", "note": "n", "every_months": "often", "occurred_at": "2026-01-02"}, "every_months:"),
]


@pytest.mark.parametrize("line,message", BAD_LINES, ids=[m for _, m in BAD_LINES])
def test_wrong_json_types_and_dates_are_one_line_errors_naming_line_and_field(relledger, tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(jsonl(ACME + [line]))
    run = relledger("import", str(path))
    assert run.code == 1 and f"{path}:3: " in run.err and message in run.err, run.err
    assert "Traceback" not in run.err and not relledger.path.exists()


def test_a_csv_cell_longer_than_the_csv_modules_limit_is_a_field_error(relledger, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("type,id,account,occurred_at,name\naccount,a,acme,2026-01-01," + "x" * 140_000 + "\n")
    run = relledger("import", str(path))
    assert run.code == 1 and f"{path}:2: name:" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("args", [["log", "acme/jane", "call", "--at", "0001-01-01T00:00:00+01:00"],
                                  ["log", "acme/jane", "call", "--at", "9999-12-31T23:59-05:00"],
                                  ["show", "acme/jane", "--at", "9999-12-31"], ["trend", "acme/jane", "--at", "9999-12-31"]])
def test_out_of_range_dates_on_commands_are_one_line_errors(acme, args):
    run = acme(*args)
    assert run.code == 2 and "is out of range" in run.err and run.err.count("\n") == 1


@pytest.mark.parametrize("doc", ["[1, 2]", "null", '"text"', "{}"])
def test_adopting_a_framework_that_is_not_a_table_is_one_line(acme, tmp_path, doc):
    (tmp_path / "fw.json").write_text(doc)
    run = acme("framework", "adopt", str(tmp_path / "fw.json"))
    assert run.code == 1 and run.err.startswith("Error: framework: not a framework table") and run.err.count("\n") == 1


def test_csv_lists_with_semicolons_and_formula_cells_round_trip_and_are_neutralised(acme, tmp_path):
    acme.ok("log", "acme/jane", "call", "--tag", "pricing;renewal", "--tag", "a\\b", "--note", "=HYPERLINK(\"http://x\")", "--id", "t1")
    acme.ok("feedback", "acme/jane", "--about", "you", "--sentiment", "positive", "--note", "'=kept", "--id", "t2")
    path = tmp_path / "out.csv"
    acme.ok("export", "--format", "csv", "-o", str(path))
    text = path.read_text()
    assert "'=HYPERLINK" in text and "pricing\\;renewal" in text and re.search(r"^[^\n]*,=", text, re.M) is None
    fresh = LedgerCLI(tmp_path / "fresh.db")
    fresh.ok("import", str(path))
    events = {e["id"]: e for e in fresh.ok("history", "acme/jane", "--json").json["events"]}
    assert events["t1"]["tags"] == ["pricing;renewal", "a\\b"] and events["t1"]["note"] == "=HYPERLINK(\"http://x\")"
    assert events["t2"]["note"] == "'=kept"


def test_an_unexpected_error_is_one_line_and_details_come_with_relledger_debug(acme, monkeypatch):
    import ledger.cli.read as read

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(read, "answers", broken)
    run = acme("show", "acme/jane")
    assert run.code == 1 and run.err == "Error: internal error: ZeroDivisionError: boom (RELLEDGER_DEBUG=1 shows the details)\n"
    with pytest.raises(ZeroDivisionError):
        acme("show", "acme/jane", env={"RELLEDGER_DEBUG": "1"})


def _read_only_mount_works() -> bool:
    import shutil
    import tempfile

    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder}"
        return subprocess.run(["unshare", "-rm", "sh", "-c", probe], capture_output=True).returncode == 0


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs unshare and mount (a read-only bind mount in a user namespace)")
def test_a_ledger_on_a_read_only_mount_answers_reads_and_refuses_writes_saying_why(acme, tmp_path):
    acme.ok("show", "acme/jane")  # views current
    cmd = f"{sys.executable} -m ledger"
    script = (f"mount --bind {tmp_path} {tmp_path} && mount -o remount,ro,bind {tmp_path} && "
              f"{cmd} show acme/jane --json && {cmd} status --json; {cmd} log acme/jane call")
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], env=env_for(acme.path), capture_output=True, text=True)
    assert '"handle": "acme/jane"' in done.stdout and '"events": 2' in done.stdout, done.stderr
    assert done.stderr == (f"Error: ledger: '{acme.path}' is read-only (a read-only file system or no write permission); "
                           "reads work, writes are refused\n")
