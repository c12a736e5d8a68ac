"""Benchmark for issue 4: import and rebuild against raw sqlite3 baselines, memory, and processes.

One command, everything measured in the same run:

    python benchmarks/scale.py [--events 1000000] [--contacts 10000] [--runs 15]

- import: `relledger import` of a synthetic JSONL file (validation pass and batched write,
  in-process), events/s, and the ratio to a raw sqlite3 insert of the same rows
  (JSON-encoded, batches of 1,000, one transaction per batch). Target >= 0.5.
- rebuild: all views from zero, events/s, ratio to raw sqlite3 read-and-json-decode of the
  raw table. Target >= 0.3.
- peak memory (max RSS) of a rebuild in a fresh process, at 100,000 events and at the full
  size. Target under 250 MB and flat.
- `relledger show|why|history` (whole processes) on the big ledger and on an empty one,
  median and p95; `relledger --help`; one more `log` on a 10,000-event contact vs a new one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from long_history import build as build_long, time_in_process  # noqa: E402
from show_scale import p95, timed_runs  # noqa: E402

from ledger.bootstrap import open_ledger  # noqa: E402
from ledger.importer import spool_file, validate, write  # noqa: E402
from ledger.bootstrap import open_views  # noqa: E402
from ledger.transfer import Report  # noqa: E402


def synthetic_file(path: str, contacts: int, events: int, seed: int = 7, answered: float = 0.0) -> int:
    """A JSONL import file: accounts of ten contacts, then interactions, feedback and assessments;
    with ``answered``, that share of the negative feedback gets a response the same day (counted
    in ``events``); without it the file is the same as ever (no complaint is ever answered)."""
    rng = random.Random(seed)
    lines = 0
    with open(path, "w") as out:
        def put(obj: dict) -> None:
            nonlocal lines
            out.write(json.dumps(obj) + "\n")
            lines += 1

        for a in range((contacts + 9) // 10):
            put({"type": "account", "id": f"a{a}", "account": f"acct{a}", "name": f"Account {a}", "occurred_at": "2025-01-01"})
        for c in range(contacts):
            put({"type": "contact", "id": f"c{c}", "contact": f"acct{c // 10}/p{c}", "account": f"acct{c // 10}",
                 "name": f"Person {c}", "title": "Buyer", "occurred_at": "2025-01-01"})
        n = -1
        while lines < events:
            n += 1
            c = rng.randrange(contacts)
            day = f"2025-{1 + n * 12 // events:02d}-{1 + n % 28:02d}T10:00:00+00:00"
            base = {"id": f"e{n}", "contact": f"acct{c // 10}/p{c}", "occurred_at": day}
            roll = rng.random()
            if roll < 0.7:
                put(base | {"type": "interaction", "kind": rng.choice(["call", "email", "meeting"]),
                            "direction": rng.choice(["outbound", "inbound"]), "note": "synthetic note"})
            elif roll < 0.9:
                sentiment = rng.choice(["positive", "negative"])
                put(base | {"type": "feedback", "about": "product", "sentiment": sentiment})
                if answered and sentiment == "negative" and lines < events and rng.random() < answered:
                    put(base | {"id": f"r{n}", "type": "response", "feedback": f"e{n}", "note": "synthetic answer"})
            else:
                put(base | {"type": "assessment", "dimensions": {"power": rng.choice(["low", "high"])}})
    return lines


def raw_insert(path: str, source: str, loads=json.loads, dumps=json.dumps) -> float:
    """Baseline: the same rows, JSON-encoded, into a plain table, 1,000 per transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, stream TEXT, data TEXT)")
    start = time.perf_counter()
    with open(source) as lines:
        batch = []
        for text in lines:
            obj = loads(text)
            batch.append((obj["id"], obj.get("contact") or obj.get("account"), dumps(obj)))
            if len(batch) == 1000:
                conn.execute("BEGIN")
                conn.executemany("INSERT INTO raw VALUES (?, ?, ?)", batch)
                conn.execute("COMMIT")
                batch = []
        if batch:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO raw VALUES (?, ?, ?)", batch)
            conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def raw_read(path: str, loads=json.loads) -> float:
    """Baseline: read every raw row back and decode its JSON."""
    conn = sqlite3.connect(path)
    start = time.perf_counter()
    for (data,) in conn.execute("SELECT data FROM raw ORDER BY rowid"):
        loads(data)
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def same_codec(raw: str, source: str, n: int, ours: float, rebuild: float) -> None:
    """The baselines again with the JSON codec the ledger uses where it is hot (pydantic-core's),
    so the ratios above are not read as the stdlib codec's handicap alone."""
    from pydantic_core import from_json, to_json

    os.remove(raw)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(raw + suffix):
            os.remove(raw + suffix)
    insert = raw_insert(raw, source, from_json, lambda obj: to_json(obj).decode())
    read = raw_read(raw, from_json)
    print(f"  same JSON codec as the ledger (pydantic-core): raw insert {n / insert:9.0f} events/s, ratio {insert / ours:.3f}; "
          f"raw read {n / read:9.0f} events/s, ratio {read / rebuild:.3f}")


def time_import(location: str, source: str) -> float:
    """Seconds to import the file into the ledger at ``location`` (validation and writing)."""
    app, report, start = open_ledger(location, "bench", create=True), Report(), time.perf_counter()
    with spool_file() as spool:
        validate(app, source, "jsonl", report, spool)
        write(app, spool, report)
    took = time.perf_counter() - start
    app.close()
    return took


def time_rebuild(location: str) -> float:
    """Seconds to rebuild every view of the ledger at ``location``."""
    store = open_views(location)
    start = time.perf_counter()
    store.rebuild()
    took = time.perf_counter() - start
    store.close()
    return took


def peak_rebuild_mb(path: str) -> float:
    """Peak RSS (VmHWM) of a fresh process that rebuilds every view.

    Not ru_maxrss: on Linux a child's ru_maxrss includes its parent's high-water mark at
    fork, and this parent has just imported the whole ledger in-process.
    """
    code = ("import sys; from ledger.bootstrap import open_views; open_views(sys.argv[1]).rebuild(); "
            "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    done = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True)
    return int(done.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", default=os.environ.get("RELLEDGER_TEST_POSTGRES_URL"),
                        help="A PostgreSQL server URL (a database that may create others) for the same figures there.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source, ledger, raw = (os.path.join(tmp, n) for n in ("in.jsonl", "ledger.db", "raw.db"))
        source_big = os.path.join(tmp, "big.jsonl")
        n = synthetic_file(source, args.contacts, args.events)
        os.link(source, source_big)
        print(f"{n} events, {args.contacts} contacts; python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}")
        base = raw_insert(raw, source)
        ours = time_import(ledger, source)
        print(f"import   {n / ours:9.0f} events/s   raw insert {n / base:9.0f} events/s   ratio {base / ours:.3f}  (target >= 0.5)")
        base_read = raw_read(raw)
        rebuild = time_rebuild(ledger)
        print(f"rebuild  {n / rebuild:9.0f} events/s   raw read  {n / base_read:9.0f} events/s   ratio {base_read / rebuild:.3f}  (target >= 0.3)")
        same_codec(raw, source, n, ours, rebuild)
        small = os.path.join(tmp, "small.db")
        source = os.path.join(tmp, "small.jsonl")
        synthetic_file(source, args.contacts // 10, n // 10)
        time_import(small, source)
        print(f"rebuild peak memory: {peak_rebuild_mb(small):.0f} MB at {n // 10} events, {peak_rebuild_mb(ledger):.0f} MB at {n}  (target < 250, flat)")
        empty = os.path.join(tmp, "empty.db")
        synthetic_file(source, 1, 1 + n // args.contacts)
        time_import(empty, source)
        for command in ("show", "why", "history"):
            big, little = timed_runs(ledger, [command, "acct0/p0"], args.runs), timed_runs(empty, [command, "acct0/p0"], args.runs)
            print(f"{command:<8} median {statistics.median(big):6.1f} ms p95 {p95(big):6.1f} ms   empty: median "
                  f"{statistics.median(little):6.1f} ms   ratio {statistics.median(big) / statistics.median(little):.2f}")
        helps = timed_runs(ledger, ["--help"], args.runs)
        print(f"--help   median {statistics.median(helps):6.1f} ms p95 {p95(helps):6.1f} ms  (target < 80)")
        longest = os.path.join(tmp, "long.db")
        build_long(longest, 10_000)
        times = time_in_process(longest, 100)
        ratio = statistics.median(times["acme/long"]) / statistics.median(times["acme/new"])
        print(f"log on a 10,000-event contact vs a new one: ratio {ratio:.2f}  (target <= 1.3)")
        if args.postgres:
            postgres(args.postgres, source_big, n, base, base_read, args.runs)
        else:
            print("PostgreSQL: not measured (give --postgres URL, or set RELLEDGER_TEST_POSTGRES_URL)")


def postgres(server: str, source: str, n: int, base: float, base_read: float, runs: int) -> None:
    """The same import, rebuild and reads on a fresh PostgreSQL database."""
    import psycopg

    name = "relledger_bench"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        ours = time_import(url, source)
        print(f"pg import  {n / ours:9.0f} events/s   ratio to the raw sqlite3 insert {base / ours:.3f}")
        rebuild = time_rebuild(url)
        print(f"pg rebuild {n / rebuild:9.0f} events/s   ratio to the raw sqlite3 read {base_read / rebuild:.3f}")
        for command in ("show", "why", "history"):
            took = timed_runs(url, [command, "acct0/p0"], runs)
            print(f"pg {command:<8} median {statistics.median(took):6.1f} ms p95 {p95(took):6.1f} ms")
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
