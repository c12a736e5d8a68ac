"""The chain, verify and forget on PostgreSQL (issue 15): concurrent writers chain in
notification order, tampering is named, erasure with a reader holding a snapshot says so."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ledger import keys
from test_postgres import SERVER, pg  # noqa: F401  (the fixture is reused)

pytestmark = pytest.mark.skipif(not SERVER, reason="RELLEDGER_TEST_POSTGRES_URL is not set (no PostgreSQL server)")


def run_sql(pg, statement: str, params=()):  # noqa: F811
    import psycopg

    with psycopg.connect(pg.path, autocommit=True) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else None


def test_concurrent_writers_on_postgresql_leave_a_chain_that_verifies(pg):  # noqa: F811
    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane")
    env = dict(os.environ, RELLEDGER_DB=pg.path)
    procs = [subprocess.Popen([sys.executable, "-m", "ledger", "--as", f"u{n}", "log", "acme/jane", "call", "--note", f"n{n}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True) for n in range(6)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 6, [p.stderr.read() for p in procs]
    report = pg.ok("verify", "--json").json
    assert report["ok"] and report["events"] == 8 and report["head"] == pg.ok("status", "--json").json["head"]


def test_a_changed_event_on_postgresql_is_named(pg):  # noqa: F811
    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane")
    pg.ok("feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--id", "fb")
    run_sql(pg, "UPDATE relledger_events SET state = convert_to(replace(convert_from(state, 'UTF8'), 'negative', 'positive'), 'UTF8') "
                "WHERE topic LIKE %s", ("%FeedbackReceived",))
    run = pg("verify")
    assert run.code == 1 and "event fb at position 3 was changed or moved" in run.err


def test_an_older_postgresql_ledger_is_chained_on_its_next_write(pg):  # noqa: F811
    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane")
    head = pg.ok("status", "--json").json["head"]
    run_sql(pg, "DROP TABLE event_chain")
    run_sql(pg, "DELETE FROM ledger_meta WHERE name='chained'")
    pg.ok("log", "acme/jane", "call")
    assert pg.ok("verify", "--head", head, "--json").json["ok"]


def test_forget_on_postgresql_with_a_reader_holding_a_snapshot_says_so_then_finishes(pg, monkeypatch):  # noqa: F811
    import psycopg

    monkeypatch.setattr(keys, "ERASE_TRIES", 2)
    monkeypatch.setattr(keys, "ERASE_WAIT", 0.2)
    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane Doe")
    reader = psycopg.connect(pg.path)
    reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    reader.execute("SELECT COUNT(*) FROM contact_keys").fetchall()
    run = pg("forget", "acme/jane", "--yes")
    assert run.code == 1 and "forget: not erased yet" in run.err
    reader.close()
    pg.ok("forget", "acme/jane", "--yes")
    assert run_sql(pg, "SELECT key FROM contact_keys WHERE key IS NULL") == [(None,)]
    assert pg.ok("verify", "--json").json["ok"]


def test_the_ledger_key_on_postgresql_is_shared_through_relledger_key_and_rotates(pg, tmp_path, monkeypatch):  # noqa: F811
    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane Doe")
    secret = pg.ok("key", "show", "--secret", "--json").json["secret"]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "teammate"))  # no key file there, only the shared key
    assert pg.ok("show", "acme/jane", "--json", env={"RELLEDGER_KEY": secret}).json["name"] == "Jane Doe"
    rotated = pg.ok("key", "rotate", "--json", env={"RELLEDGER_KEY": secret}).json
    assert rotated["key"] == "RELLEDGER_KEY" and rotated["secret"] != secret
    assert pg("show", "acme/jane", env={"RELLEDGER_KEY": secret}).code == 1
    assert pg.ok("show", "acme/jane", "--json", env={"RELLEDGER_KEY": rotated["secret"]}).json["name"] == "Jane Doe"


def test_a_key_set_null_on_postgresql_without_a_forgotten_event_is_damage(pg):  # noqa: F811
    pg.ok("account", "add", "acme", "--name", "Acme")
    pg.ok("contact", "add", "acme/jane", "--name", "Jane")
    pg.ok("contact", "add", "acme/li", "--name", "Li")
    pg.ok("forget", "acme/li", "--yes")
    jane = pg.ok("show", "acme/jane", "--json").json
    run_sql(pg, "UPDATE contact_keys SET key = NULL WHERE key IS NOT NULL")
    assert "unreadable" in pg.ok("history", "acme/jane").out
    assert "unreadable" not in pg.ok("history", "acme/li").out  # forgotten, as it was
    log = pg("log", "acme/jane", "call")
    assert log.code == 1 and "damaged" in log.err and jane["name"] == "Jane"
