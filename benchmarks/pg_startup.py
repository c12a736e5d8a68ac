"""Benchmark for issue 12, item 3: a PostgreSQL read command as a whole process.

    python benchmarks/pg_startup.py --postgres postgresql://postgres@127.0.0.1:5432/test [--runs 21]
        [--baseline PYTHONPATH]

Creates a small ledger (one account, one contact, one assessment) on a fresh database of the
server and in an SQLite file, then times `show acme/x`, `list` and `map acme` as whole
processes (medians, interleaved so load hits them alike): on SQLite (the floor), on
PostgreSQL, and on PostgreSQL with the code at ``--baseline`` (a PYTHONPATH holding another
checkout's ``ledger`` package, e.g. before this change). Also the import of psycopg and of
ledger.libpq alone, in fresh processes. Target: PostgreSQL reads under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

READS = [["show", "acme/x"], ["list"], ["map", "acme"]]
SETUP = [["account", "add", "acme", "--name", "Acme"], ["contact", "add", "acme/x", "--name", "X Y"],
         ["assess", "acme/x", "power=high", "perception=advocate"]]


def run(location: str, args: list[str], path: str | None = None) -> float:
    env = dict(os.environ, RELLEDGER_DB=location, RELLEDGER_USER="bench")
    if path:
        env["PYTHONPATH"] = path
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ledger", *args], env=env, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def import_ms(module: str) -> float:
    code = f"import time; s = time.perf_counter(); import {module}; print((time.perf_counter() - s) * 1000)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def fresh_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--baseline", default=None, help="PYTHONPATH of the code to compare with")
    args = parser.parse_args()
    url = fresh_database(args.postgres, "bench_pg_startup")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite = os.path.join(tmp, "l.db")
            for location in (sqlite, url):
                for step in SETUP:
                    run(location, step)
            targets = [("SQLite", sqlite, None), ("PostgreSQL", url, None)]
            targets += [("PostgreSQL, baseline", url, args.baseline)] if args.baseline else []
            for read in READS:
                times: dict[str, list[float]] = {name: [] for name, _, _ in targets}
                for _ in range(args.runs):
                    for name, location, path in targets:
                        times[name].append(run(location, read, path))
                base = statistics.median(times["SQLite"])
                cells = "  ".join(f"{name} {statistics.median(t):6.0f} ms ({statistics.median(t) / base:4.2f}x)"
                                  for name, t in times.items())
                print(f"{' '.join(read):14} {cells}  load {os.getloadavg()[0]:.1f}", flush=True)
        for module in ("psycopg", "ledger.libpq"):
            print(f"import {module}: median {statistics.median(import_ms(module) for _ in range(7)):.1f} ms")
    finally:
        drop_database(args.postgres, "bench_pg_startup")


if __name__ == "__main__":
    main()
