"""A reporting cycle made by two writers at once is caught inside the write transaction (issue 10)."""

from __future__ import annotations

import json
import multiprocessing
import os

import pytest

from ledger import writer as writer_module
from ledger.bootstrap import open_ledger
from ledger.errors import InvalidInputError
from test_postgres import pg  # noqa: F401  (the fixture is reused)


def race_after_deciding(location: str, monkeypatch) -> None:
    """jane -> bob is decided, then bob -> jane is written by another writer, then jane -> bob is written."""
    loser, winner = open_ledger(location, "loser", create=False), open_ledger(location, "winner", create=False)
    real, raced = writer_module._write, []

    def interleaved(app, *args, **kwargs):
        if app is loser and not raced:
            raced.append(winner.set_reporting_line("acme/bob", "acme/jane", key="bob-to-jane"))
        return real(app, *args, **kwargs)

    monkeypatch.setattr(writer_module, "_write", interleaved)
    try:
        with pytest.raises(InvalidInputError, match="reports-to: 'acme/jane' would make a reporting cycle"):
            loser.set_reporting_line("acme/jane", "acme/bob", key="jane-to-bob")
    finally:
        loser.close(), winner.close()
    assert raced  # the other writer did get in between


def test_a_reporting_cycle_written_by_two_writers_at_once_is_refused_for_the_second(acme, monkeypatch):
    acme.ok("contact", "add", "acme/bob", "--name", "Bob", "--at", "2026-01-02")
    race_after_deciding(str(acme.path), monkeypatch)
    assert reporting_lines(acme) == [("acme/bob", "acme/jane")]


@pytest.mark.skipif(not os.environ.get("RELLEDGER_TEST_POSTGRES_URL"), reason="RELLEDGER_TEST_POSTGRES_URL is not set")
def test_a_reporting_cycle_written_by_two_writers_at_once_is_refused_on_postgresql_too(pg, monkeypatch):
    pg.ok("account", "add", "acme", "--name", "Acme")
    for handle in ("acme/jane", "acme/bob"):
        pg.ok("contact", "add", handle, "--name", handle)
    race_after_deciding(pg.path, monkeypatch)
    assert reporting_lines(pg) == [("acme/bob", "acme/jane")]


def reporting_lines(ledger) -> list[tuple[str, str]]:
    lines = [json.loads(line) for line in ledger.ok("export").out.splitlines()]
    return [(line["contact"], line["reports_to"]) for line in lines if line["type"] == "reporting"]


def set_line(location: str, handle: str, manager: str, barrier, results) -> None:
    app = open_ledger(location, handle, create=False)
    barrier.wait(60)
    try:
        app.set_reporting_line(handle, manager)
        results.put((handle, "written"))
    except InvalidInputError as exc:
        results.put((handle, str(exc)))
    finally:
        app.close()


@pytest.mark.slow
def test_two_processes_closing_a_reporting_cycle_at_the_same_instant_never_both_succeed(acme):
    context = multiprocessing.get_context("spawn")
    for pair in range(3):
        jane, bob = f"acme/j{pair}", f"acme/b{pair}"
        for handle in (jane, bob):
            acme.ok("contact", "add", handle, "--name", handle, "--at", "2026-01-02")
        barrier, results = context.Barrier(2), context.Queue()
        procs = [context.Process(target=set_line, args=(str(acme.path), a, b, barrier, results))
                 for a, b in ((jane, bob), (bob, jane))]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        outcomes = dict(results.get(timeout=10) for _ in procs)
        assert sorted(o == "written" for o in outcomes.values()) == [False, True], outcomes
        assert any("would make a reporting cycle" in o for o in outcomes.values()), outcomes
