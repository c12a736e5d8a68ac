"""Several processes recording for the same contact at once all succeed."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys

import pytest

from ledger.bootstrap import open_ledger

pytestmark = pytest.mark.slow


def record_many(path: str, writer: int, count: int) -> None:
    app = open_ledger(path, f"writer-{writer}", create=True)
    for n in range(count):
        app.record_interaction("acme/jane", "call", note=f"{writer}-{n}", key=f"w{writer}-{n}")
    app.close()


def test_concurrent_writer_processes_lose_nothing(acme):
    writers, each = 4, 25
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=record_many, args=(str(acme.path), w, each)) for w in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * writers
    events = acme.ok("history", "acme/jane", "--json").json["events"]
    notes = sorted(e["note"] for e in events if e["type"] == "interaction")
    assert notes == sorted(f"{w}-{n}" for w in range(writers) for n in range(each))


def test_concurrent_cli_processes_all_succeed(acme):
    env = dict(os.environ, RELLEDGER_DB=str(acme.path), RELLEDGER_USER="tester")
    procs = [
        subprocess.Popen([sys.executable, "-m", "ledger", "log", "acme/jane", "email", "--note", f"p{n}", "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        for n in range(6)
    ]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [code for _, _, code in results] == [0] * 6, [err for _, err, _ in results]
    ids = {json.loads(out)["id"] for out, _, _ in results}
    history = {e["id"] for e in acme.ok("history", "acme/jane", "--json").json["events"]}
    assert len(ids) == 6 and ids <= history


def test_the_same_key_from_racing_processes_is_written_once(acme):
    env = dict(os.environ, RELLEDGER_DB=str(acme.path), RELLEDGER_USER="tester")
    procs = [subprocess.Popen([sys.executable, "-m", "ledger", "log", "acme/jane", "call", "--id", "race"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True) for _ in range(5)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 5
    assert sum(o.startswith("recorded") for o in outs) == 1
    assert sum(o.startswith("already recorded") for o in outs) == 4
