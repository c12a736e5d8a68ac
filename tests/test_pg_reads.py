"""PostgreSQL reads through libpq directly (issue 12, item 3): no psycopg, no eventsourcing
imported by a read, and values go in and come back as they were."""

from __future__ import annotations

import subprocess
import sys
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from test_postgres import SERVER, pg  # noqa: F401  (the fixture is reused)

from ledger import libpq

pytestmark = pytest.mark.skipif(not SERVER, reason="RELLEDGER_TEST_POSTGRES_URL is not set (no PostgreSQL server)")

PROBE = """
import sys
from ledger.cli.main import cli
cli.main({args!r}, standalone_mode=False)
loaded = sorted({{m.split('.')[0] for m in sys.modules}} & {{'psycopg', 'psycopg_pool', 'psycopg_binary', 'eventsourcing'}})
print('LOADED', loaded, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["show", "acme/jane"], ["list"], ["map", "acme"], ["status"]])
def test_a_postgresql_read_imports_neither_psycopg_nor_eventsourcing(pg, args):  # noqa: F811
    for setup in (["account", "add", "acme", "--name", "Acme"], ["contact", "add", "acme/jane", "--name", "Jane"],
                  ["assess", "acme/jane", "power=high"]):
        pg.ok(*setup)
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True,
                          env={**__import__("os").environ, **pg.env}, timeout=60)
    assert "LOADED []" in done.stderr, done.stderr
    assert done.stdout.strip()


@pytest.fixture(scope="module")
def conn():
    lib = libpq.load()
    if lib is None:
        pytest.skip("no libpq to load")
    found = libpq.Connection(lib, SERVER)
    found.execute("CREATE TEMP TABLE t (n BIGINT, b BOOLEAN, x BYTEA, s TEXT, u UUID)")
    yield found
    found.close()


TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)
ROW = st.tuples(st.none() | st.integers(-2**63, 2**63 - 1), st.none() | st.booleans(), st.none() | st.binary(max_size=40),
                st.none() | TEXT, st.none() | st.uuids())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=5))
def test_values_come_back_as_they_went_in_as_parameters_or_as_quoted_literals(conn, rows):
    for many in (False, True):
        conn.execute("DELETE FROM t")
        sql = "INSERT INTO t VALUES (?, ?, ?, ?, ?)"
        if many:
            conn.script(";".join(libpq.inline(conn, sql, row) for row in rows)) if rows else None
        else:
            for row in rows:
                conn.execute(libpq.placeholders(sql), row)
        back = conn.execute("SELECT n, b, x, s, u FROM t ORDER BY ctid")
        assert back == [tuple(row) for row in rows]


def test_an_sql_error_is_an_exception_naming_it_and_the_connection_goes_on(conn):
    with pytest.raises(libpq.PostgresError, match="nope"):
        conn.execute("SELECT * FROM nope")
    assert conn.execute("SELECT $1::bigint + 1", (41,)) == [(42,)]


def test_a_failed_transaction_is_rolled_back(conn):
    conn.execute("DELETE FROM t")
    with pytest.raises(libpq.PostgresError):
        with conn.transaction():
            conn.execute(libpq.placeholders("INSERT INTO t (n) VALUES (?)"), (1,))
            conn.execute("SELECT * FROM nope")
    assert conn.execute("SELECT COUNT(*) FROM t") == [(0,)]
    assert isinstance(conn.execute("SELECT gen_random_uuid()")[0][0], UUID) and uuid4()


def test_rows_streamed_through_a_server_side_cursor_are_the_rows_queried_at_once(pg):  # noqa: F811
    from ledger.db import PostgresDB

    db = PostgresDB(pg.path)
    try:
        sql = "SELECT n, n % 7 = 0, 'row ' || n FROM generate_series(1, 5000) AS n WHERE n > ? ORDER BY n"
        assert list(db.iterate(sql, (10,), chunk=333)) == db.query(sql, (10,))
        assert db.query("SELECT 1") == [(1,)]  # the cursor's transaction is over
    finally:
        db.close()
