"""Benchmark: `relledger show/why/history` on a large ledger vs an empty one (issue 3, item 9).

Builds a synthetic ledger (default 10,000 contacts and 1,000,000 events), catches the views
up (timed), then runs each read command as a whole process on a contact of the large ledger
and on the same kind of contact in a ledger holding nothing else, and prints the medians,
p95 and the ratio (target: show within 1.3x, and under 150 ms). Usage:

    python benchmarks/show_scale.py [--events 1000000] [--contacts 10000] [--runs 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from synthetic import generate  # noqa: E402

from ledger.bootstrap import open_views  # noqa: E402


def timed_runs(path: str, args: list[str], runs: int) -> list[float]:
    env = dict(os.environ, RELLEDGER_DB=path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ledger", *args], env=env, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, small = os.path.join(tmp, "big.db"), os.path.join(tmp, "small.db")
        start = time.perf_counter()
        generate(big, args.contacts, args.events)
        built = time.perf_counter() - start
        generate(small, 1, 1 + args.events // args.contacts)
        start = time.perf_counter()
        store = open_views(big)
        caught = store.catch_up()
        store.close()
        views = time.perf_counter() - start
        print(f"ledger: {args.events} events, {args.contacts} contacts; built in {built:.0f} s "
              f"({args.events / built:.0f} events/s); views caught up from zero in {views:.0f} s ({caught / views:.0f} events/s)")
        open_views(small).catch_up()
        handle = "acct0/p0"
        for command in ("show", "why", "history"):
            large, empty = timed_runs(big, [command, handle], args.runs), timed_runs(small, [command, handle], args.runs)
            ratio = statistics.median(large) / statistics.median(empty)
            print(f"{command:<8} large: median {statistics.median(large):6.1f} ms p95 {p95(large):6.1f} ms   "
                  f"empty: median {statistics.median(empty):6.1f} ms p95 {p95(empty):6.1f} ms   ratio {ratio:4.2f}")


if __name__ == "__main__":
    main()
