"""The same ledger on PostgreSQL: every command, the same answers, concurrent writers, errors.

Needs a server: RELLEDGER_TEST_POSTGRES_URL (set by .ci/run) names a database on it that
can create others; each test gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from conftest import LedgerCLI
from test_transfer import answers, full  # noqa: F401  (the fixture is reused)

SERVER = os.environ.get("RELLEDGER_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="RELLEDGER_TEST_POSTGRES_URL is not set (no PostgreSQL server)")


class PostgresCLI(LedgerCLI):
    """The CLI on a PostgreSQL ledger."""

    def __init__(self, url: str):
        self.path = url
        self.env = {"RELLEDGER_DB": url, "RELLEDGER_USER": "tester"}

    def event_count(self) -> int:
        import psycopg

        with psycopg.connect(self.path) as conn:
            exists = conn.execute("SELECT to_regclass('relledger_events') IS NOT NULL").fetchone()[0]
            return conn.execute("SELECT COUNT(*) FROM relledger_events").fetchone()[0] if exists else 0


@pytest.fixture
def pg():
    import psycopg

    name = f"relledger_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0]
    yield PostgresCLI(f"{base}/{name}")
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_command_works_on_postgresql(pg, tmp_path):
    script = [
        ["account", "add", "acme", "--name", "Acme", "--at", "2026-01-01"],
        ["contact", "add", "acme/jane", "--name", "Jane Doe", "--role", "decision-maker", "--at", "2026-01-02"],
        ["contact", "add", "acme/bob", "--name", "Bob", "--reports-to", "acme/jane", "--at", "2026-01-02"],
        ["log", "acme/jane", "call", "--outcome", "answered", "--at", "2026-02-01", "--id", "c1"],
        ["feedback", "acme/jane", "--about", "product", "--sentiment", "positive", "--at", "2026-02-02", "--id", "f1"],
        ["respond", "f1", "--note", "Thanks"],
        ["assess", "acme/jane", "perception=advocate", "activity=active", "--id", "a1"],
        ["milestone", "acme", "contract-signed"],
        ["retract", "c1", "--reason", "wrong"],
        ["contact", "roles", "acme/bob", "--role", "champion"],
        ["contact", "reports-to", "acme/bob", "-"],
        ["goal", "add", "acme", "Grow", "--target", "2099-01-01", "--id", "g1"],
        ["initiative", "add", "g1", "Brief", "--owner", "ann", "--due", "2099-01-01", "--id", "i1"],
        ["initiative", "done", "i1"],
        ["review", "acme", "--note", "Q1", "--at", "2026-03-01"],
        ["show", "acme/jane"], ["show", "acme"], ["why", "acme/jane"], ["history", "acme/jane"], ["list"],
        ["trend", "acme/jane"], ["trend", "--account", "acme"], ["map", "acme"], ["map", "acme", "--format", "mermaid"],
        ["gaps"], ["plan", "acme"], ["review", "acme", "--since-last"], ["due"], ["framework", "show"],
        ["status"], ["rebuild"], ["export", "-o", str(tmp_path / "out.jsonl")], ["forget", "acme/bob", "--yes"],
    ]
    for args in script:
        pg.ok(*args)
    assert pg.ok("status", "--json").json["events"] == pg.event_count() == 16
    assert "Bob" not in pg.ok("export").out


def test_postgresql_gives_the_same_answers_as_sqlite(full, pg, tmp_path):  # noqa: F811
    dump = tmp_path / "dump.jsonl"
    full.ok("export", "-o", str(dump))
    pg.ok("import", str(dump))
    assert answers(pg) == answers(full)
    assert pg.ok("export").out == dump.read_text()


def test_rebuild_on_postgresql_changes_nothing(full, pg, tmp_path):  # noqa: F811
    full.ok("export", "-o", str(tmp_path / "d.jsonl"))
    pg.ok("import", str(tmp_path / "d.jsonl"))
    before = answers(pg)
    pg.ok("rebuild")
    assert answers(pg) == before


def test_several_users_writing_at_once_lose_nothing_on_postgresql(pg):
    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane")
    env = dict(os.environ, RELLEDGER_DB=pg.path)
    procs = [subprocess.Popen([sys.executable, "-m", "ledger", "--as", f"user{n}", "log", "acme/jane", "call",
                               "--note", f"n{n}", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for n in range(6)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [code for *_, code in results] == [0] * 6, [err for _, err, _ in results]
    notes = sorted(e["note"] for e in pg.ok("history", "acme/jane", "--json").json["events"] if e["type"] == "interaction")
    assert notes == [f"n{n}" for n in range(6)]


def test_bad_input_on_postgresql_writes_nothing(pg):
    pg.ok("account", "add", "acme", "--name", "Acme")
    for args in (["log", "acme/x", "call"], ["account", "add", "acme", "--name", "Again"],
                 ["assess", "acme", "power=high"], ["contact", "add", "acme/y", "--name", " "]):
        run = pg(*args)
        assert run.code == 1 and run.err.count("\n") == 1
    assert pg.event_count() == 1


def test_forget_on_postgresql_destroys_the_key(pg):
    import psycopg

    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane Doe", "--title", "Chief Wizard")
    pg.ok("forget", "acme/jane", "--yes")
    with psycopg.connect(pg.path) as conn:
        from ledger.identity import subject_id

        jane = subject_id("acme/jane").hex
        assert conn.execute("SELECT key FROM contact_keys WHERE originator_id=%s", (jane,)).fetchall() == [(None,)]
        states = b"".join(bytes(r[0]) for r in conn.execute("SELECT state FROM relledger_events"))
    assert b"Jane Doe" not in states and b"Chief Wizard" not in states
    assert pg.ok("show", "acme/jane", "--json").json["name"] is None


def test_an_unreachable_server_is_a_clear_error(relledger):
    run = relledger("status", env={"RELLEDGER_DB": "postgresql://postgres@127.0.0.1:1/nope"})
    assert run.code == 1 and run.err.startswith("Error: ledger: cannot reach PostgreSQL at 127.0.0.1:1/nope (")
    assert run.err.count("\n") == 1
