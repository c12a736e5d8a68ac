"""Benchmark: one more event on a contact with a long history vs on a new contact.

Issue 2, item 9: recording on a contact with 10,000 events must cost about what it costs
on a new contact (target: within 1.3x). Both are measured in the same run, alternating,
in-process (the application call a CLI command makes) and as whole `relledger log`
processes. Usage:

    python benchmarks/long_history.py [--events 10000] [--repeats 200] [--process-repeats 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from ledger.bootstrap import open_ledger


def build(path: str, events: int) -> None:
    """A ledger with account acme, contact acme/long with `events` events, and acme/new."""
    app = open_ledger(path, "bench", create=True)
    app.register_account("acme", "Acme Corp")
    app.register_contact("acme/long", "Long History", title="CTO")
    app.register_contact("acme/new", "New Contact")
    for n in range(events - 1):
        app.record_interaction("acme/long", "call", outcome="answered", note=f"call {n}")
    app.close()


def time_in_process(path: str, repeats: int) -> dict[str, list[float]]:
    """Alternate appends on the long and the new contact, each on a fresh application."""
    times: dict[str, list[float]] = {"acme/long": [], "acme/new": []}
    for _ in range(repeats):
        for handle in times:
            app = open_ledger(path, "bench", create=False)
            start = time.perf_counter()
            app.record_interaction(handle, "email", note="one more")
            times[handle].append(time.perf_counter() - start)
            app.close()
    return times


def time_processes(path: str, repeats: int) -> dict[str, list[float]]:
    """The same as whole `relledger log` processes."""
    env = dict(os.environ, RELLEDGER_DB=path, RELLEDGER_USER="bench")
    times: dict[str, list[float]] = {"acme/long": [], "acme/new": []}
    for _ in range(repeats):
        for handle in times:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ledger", "log", handle, "email"], env=env, check=True, capture_output=True)
            times[handle].append(time.perf_counter() - start)
    return times


def report(label: str, times: dict[str, list[float]]) -> float:
    long, new = (statistics.median(times[h]) * 1000 for h in ("acme/long", "acme/new"))
    print(f"{label:<12} long {long:8.2f} ms   new {new:8.2f} ms   ratio {long / new:5.2f}  (target <= 1.30)")
    return long / new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--process-repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.db")
        start = time.perf_counter()
        build(path, args.events)
        print(f"built a contact with {args.events} events in {time.perf_counter() - start:.1f} s")
        report("in-process", time_in_process(path, args.repeats))
        report("processes", time_processes(path, args.process_repeats))


if __name__ == "__main__":
    main()
