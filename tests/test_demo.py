"""The demo keeps to itself: it never writes to the user's ledger unless told to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import LedgerCLI


def _events(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]


def test_the_demo_writes_to_its_own_ledger_and_leaves_the_users_untouched(tmp_path):
    user = LedgerCLI(tmp_path / "mine.db")
    xdg = tmp_path / "xdg"
    run = user.ok("demo", env={"XDG_DATA_HOME": str(xdg)})
    demo = xdg / "relledger" / "demo.db"
    assert not (tmp_path / "mine.db").exists()
    assert _events(demo) == 13
    assert f"relledger --ledger {demo} show globex/maria" in run.out
    assert "high-advocate" in run.out.splitlines()[-4]


def test_running_the_demo_again_writes_nothing(tmp_path):
    user = LedgerCLI(tmp_path / "mine.db")
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    user.ok("demo", env=env)
    again = user.ok("demo", env=env)
    assert "0 events written" in again.out and "(already there)" in again.out
    assert _events(tmp_path / "xdg" / "relledger" / "demo.db") == 13


def test_the_demo_writes_where_ledger_names(tmp_path):
    user = LedgerCLI(tmp_path / "mine.db")
    chosen = tmp_path / "chosen.db"
    user.ok("--ledger", str(chosen), "demo", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert _events(chosen) == 13
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "mine.db").exists()
    shown = user.ok("--ledger", str(chosen), "show", "globex/maria", "--json").json
    assert shown["quadrant"] == "high-advocate"
