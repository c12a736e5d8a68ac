"""Benchmark for issue 12: the morning worklist from the current-state view (ADR 0019).

    python benchmarks/worklist.py [--contacts 10000] [--sizes 100000,1000000] [--runs 5]
        [--dir DIR] [--answered 0.9] [--postgres URL --postgres-db NAME --postgres-max N]

For each size, a synthetic JSONL file (10 contacts per account) is imported with `relledger
import`'s code (in a child process); the views are caught up and the current-state view filled
by one `list` (timed: the first read after a bulk import folds every contact once). Then, as
whole processes, medians of ``--runs``: `show` (the baseline: one contact), `list` (every row
printed), `list --quadrant`, `due`, `gaps`, `map` and, for the record, `list --at` a moment in
the past (folds every contact, as before the view); and the max RSS of one more run of each
(`/usr/bin/time -f %M`). Targets: each worklist read within 3x `show` in the same run, and flat
from the smallest size to the largest.

The synthetic file never answers a complaint, so `due` and `gaps` print more with every
event; ``--answered 0.9`` also measures (SQLite) a second ledger whose file answers that share
of them, the realistic figure, reported alongside the first.

``--dir``: keep the ledgers there and reuse them on a rerun (importing 1,000,000 events takes
minutes); without it they live in a temporary directory. On PostgreSQL ``--postgres-db`` names
the database (one per size: NAME_SIZE), reused the same way with ``--dir``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from scale import synthetic_file  # noqa: E402

READS = {
    "show": ["show", "acct7/p73"],
    "list": ["list"],
    "list --quadrant": ["list", "--quadrant", "high-detractor"],
    "due": ["due"],
    "gaps": ["gaps"],
    "map": ["map", "acct7"],
}
PAST = ["list", "--at", "2025-12-31"]
_IMPORT = "import sys; sys.path.insert(0, sys.argv[3]); from scale import time_import; print(time_import(sys.argv[1], sys.argv[2]))"


def timed(location: str, args: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) milliseconds of one whole process: on a shared machine
    the CPU time is what the load changes least."""
    env = dict(os.environ, RELLEDGER_DB=location)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "ledger", *args], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {child.stderr.read().decode()}")
    child.stderr.close()
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def timed_runs(location: str, args: list[str], runs: int) -> list[float]:
    return [timed(location, args)[0] for _ in range(runs)]


def max_rss_mb(location: str, args: list[str]) -> float:
    """Max RSS of one whole process (``/usr/bin/time``: its own high-water mark is tiny)."""
    env = dict(os.environ, RELLEDGER_DB=location)
    done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "ledger", *args], env=env, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def measure(location: str, runs: int, past: bool) -> dict[str, tuple[float, float, float | None]]:
    """Median wall-clock and CPU milliseconds (and max RSS, MB) of each read as a whole process,
    and the first read's refresh."""
    start = time.perf_counter()
    first = max_rss_mb(location, ["list"])
    found = {"first list (fills the view)": ((time.perf_counter() - start) * 1000, float("nan"), first)}
    times = {name: [] for name in READS}
    for _ in range(runs):  # interleaved: a load spike hits every command alike
        for name, args in READS.items():
            times[name].append(timed(location, args))
    for name, args in READS.items():
        wall, cpu = (statistics.median(t[i] for t in times[name]) for i in (0, 1))
        found[name] = (wall, cpu, max_rss_mb(location, args))
    if past:
        found["list --at (folds)"] = (*timed(location, PAST), None)
    return found


def report(label: str, found: dict[str, tuple[float, float, float | None]]) -> None:
    wall0, cpu0 = found["show"][:2]
    print(f"\n{label} (load average {os.getloadavg()[0]:.1f}): wall ms, x show; CPU ms, x show; max RSS", flush=True)
    for name, (wall, cpu, rss) in found.items():
        print(f"  {name:28} {wall:8.0f} {wall / wall0:6.2f}x  {cpu:8.0f} {cpu / cpu0:6.2f}x   "
              + (f"{rss:6.0f} MB" if rss else ""), flush=True)


def imported(location: str, source: str) -> float:
    """Seconds to import ``source`` into a new ledger at ``location``, in a child process."""
    done = subprocess.run([sys.executable, "-c", _IMPORT, location, source, os.path.dirname(__file__)],
                          check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def ledger(where: str, size: int, contacts: int, postgres: str | None = None, answered: float = 0.0) -> str:
    """The ledger of ``size`` events at ``where`` (a directory), imported unless already there
    (``answered``: the share of complaints answered in the synthetic file)."""
    name = f"{contacts}-{size}" + (f"-answered{answered * 100:.0f}" if answered else "")
    location = postgres or os.path.join(where, f"ledger-{name}.db")
    done = os.path.join(where, f"imported-{name}" + ("-pg" if postgres else ""))
    if os.path.exists(done):
        return location
    source = os.path.join(where, f"events-{name}.jsonl")
    if not os.path.exists(source):
        synthetic_file(source, contacts, size, answered=answered)
    took = imported(location, source)
    print(f"imported {size:,} events for {contacts:,} contacts in {took:.0f} s", flush=True)
    open(done, "w").close()
    return location


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default=None, help="keep the ledgers here and reuse them")
    parser.add_argument("--postgres", default=None, help="also on a database of this PostgreSQL server")
    parser.add_argument("--postgres-db", default="bench_worklist", help="the PostgreSQL database's name (NAME_SIZE)")
    parser.add_argument("--postgres-max", type=int, default=10**9, help="PostgreSQL only up to this size")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--answered", type=float, default=0.0,
                        help="also a second ledger whose synthetic file answers this share of complaints (e.g. 0.9)")
    parser.add_argument("--no-past", action="store_true", help="skip the folding `list --at` (slow at size)")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # commands run from cached bytecode, as when installed
    where = args.dir or tempfile.mkdtemp()
    os.makedirs(where, exist_ok=True)
    try:
        for size in map(int, args.sizes.split(",")):
            if not args.no_sqlite:
                location = ledger(where, size, args.contacts)
                report(f"SQLite, {size:,} events", measure(location, args.runs, not args.no_past))
                if args.answered:
                    location = ledger(where, size, args.contacts, answered=args.answered)
                    report(f"SQLite, {size:,} events, {args.answered:.0%} of complaints answered",
                           measure(location, args.runs, False))
            if args.postgres and size <= args.postgres_max:
                url = database(args.postgres, f"{args.postgres_db}_{size}", fresh=not args.dir)
                ledger(where, size, args.contacts, url)
                report(f"PostgreSQL, {size:,} events", measure(url, args.runs, False))
    finally:
        if not args.dir:
            shutil.rmtree(where)


def database(server: str, name: str, fresh: bool) -> str:
    """A database on ``server`` (new and empty when ``fresh``, or when missing); returns its URL."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


if __name__ == "__main__":
    main()
