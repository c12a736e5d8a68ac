"""The demo keeps to itself: it never writes to the user's ledger unless told to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import LedgerCLI

from ledger.cli.demo import EVENTS


def _events(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]


def test_the_demo_writes_to_its_own_ledger_and_leaves_the_users_untouched(tmp_path):
    user = LedgerCLI(tmp_path / "mine.db")
    xdg = tmp_path / "xdg"
    run = user.ok("demo", env={"XDG_DATA_HOME": str(xdg)})
    demo = xdg / "relledger" / "demo.db"
    assert not (tmp_path / "mine.db").exists()
    assert _events(demo) == EVENTS
    assert f"relledger --ledger {demo} show globex/maria" in run.out
    lines = run.out.splitlines()
    assert lines[5].startswith("now         High potential, leverage") and "high-advocate" in lines[5]
    # The rest of the account: each contact with an action, or the assessment that would decide it.
    assert "  globex/tom     low-advocate    Med potential, make a hero" in lines
    assert "  globex/sam     low-detractor   undecided: assess activity to decide" in lines


def test_running_the_demo_again_writes_nothing(tmp_path):
    user = LedgerCLI(tmp_path / "mine.db")
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    user.ok("demo", env=env)
    again = user.ok("demo", env=env)
    assert "0 events written" in again.out and "(already there)" in again.out
    assert _events(tmp_path / "xdg" / "relledger" / "demo.db") == EVENTS


def test_the_demo_writes_where_ledger_names(tmp_path):
    user = LedgerCLI(tmp_path / "mine.db")
    chosen = tmp_path / "chosen.db"
    user.ok("--ledger", str(chosen), "demo", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert _events(chosen) == EVENTS
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "mine.db").exists()
    shown = user.ok("--ledger", str(chosen), "show", "globex/maria", "--json").json
    assert shown["quadrant"] == "high-advocate"


def test_a_reader_that_goes_away_gets_no_error(tmp_path):
    import subprocess
    import sys

    command = [sys.executable, "-m", "ledger", "--ledger", str(tmp_path / "demo.db"), "demo"]
    subprocess.run(command, check=True, capture_output=True)
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.close()  # like `| head` having exited: the first line written meets a closed pipe
    err = reader.stderr.read().decode()
    reader.wait()
    assert err == "" and reader.returncode == 141  # 128 + SIGPIPE, as the shell reports it


def test_the_demos_renewal_meeting_is_one_event_for_maria_and_tom_and_its_next_step_falls_due(tmp_path):
    demo = LedgerCLI(tmp_path / "demo.db")
    demo.ok("--ledger", str(tmp_path / "demo.db"), "demo")
    shared = [[e["id"] for e in demo.ok("history", h, "--json").json["events"] if e.get("contacts")]
              for h in ("globex/maria", "globex/tom")]
    assert shared[0] == shared[1] and len(shared[0]) == 1
    assert "Send the renewal proposal" not in demo.ok("due", "--at", "2026-11-12").out
    assert "next step with globex/maria: Send the renewal proposal" in demo.ok("due", "--at", "2026-11-14").out
