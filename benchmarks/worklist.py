"""Benchmark for issue 12: the morning worklist from the current-state view (ADR 0019).

    python benchmarks/worklist.py [--contacts 10000] [--sizes 100000,1000000] [--runs 5] [--postgres URL]

For each size, a synthetic JSONL file (10 contacts per account) is imported with `relledger
import`'s code; the views are caught up and the current-state view filled by one `list`
(timed: the first read after a bulk import folds every contact once). Then, as whole
processes, medians of ``--runs``: `show` (the baseline: one contact), `list` (every row
printed), `list --quadrant`, `due`, `gaps`, `map` and, for the record, `list --at` a moment
in the past (folds every contact, as before the view). Targets: each worklist read within 3x
`show` in the same run, and flat from the smallest size to the largest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from scale import synthetic_file, time_import  # noqa: E402
from show_scale import timed_runs  # noqa: E402

READS = {
    "show": ["show", "acct7/p73"],
    "list": ["list"],
    "list --quadrant": ["list", "--quadrant", "high-detractor"],
    "due": ["due"],
    "gaps": ["gaps"],
    "map": ["map", "acct7"],
}
PAST = ["list", "--at", "2025-12-31"]


def measure(location: str, runs: int, past: bool) -> dict[str, float]:
    """Median milliseconds of each read as a whole process, and the first read's refresh."""
    start = time.perf_counter()
    timed_runs(location, ["list"], 1)
    found = {"first list (fills the view)": (time.perf_counter() - start) * 1000}
    for name, args in READS.items():
        found[name] = statistics.median(timed_runs(location, args, runs))
    if past:
        found["list --at (folds)"] = statistics.median(timed_runs(location, PAST, 1))
    return found


def report(label: str, found: dict[str, float]) -> None:
    base = found["show"]
    print(f"\n{label}")
    for name, ms in found.items():
        print(f"  {name:28} {ms:9.0f} ms   {ms / base:6.2f}x show")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="also on a fresh database of this PostgreSQL server")
    parser.add_argument("--postgres-max", type=int, default=10**9, help="PostgreSQL only up to this size")
    parser.add_argument("--no-past", action="store_true", help="skip the folding `list --at` (slow at size)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            source = os.path.join(tmp, f"events-{size}.jsonl")
            synthetic_file(source, args.contacts, size)
            location = os.path.join(tmp, f"ledger-{size}.db")
            took = time_import(location, source)
            print(f"imported {size:,} events for {args.contacts:,} contacts in {took:.0f} s")
            report(f"SQLite, {size:,} events", measure(location, args.runs, not args.no_past))
            if args.postgres and size <= args.postgres_max:
                url = fresh_database(args.postgres, f"bench_worklist_{size}")
                time_import(url, source)
                report(f"PostgreSQL, {size:,} events", measure(url, args.runs, False))
            os.remove(source)


def fresh_database(server: str, name: str) -> str:
    """A new, empty database on ``server``; returns its URL."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


if __name__ == "__main__":
    main()
