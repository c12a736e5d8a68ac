"""Benchmark for issue 12, item 5: one account with very many contacts.

    python benchmarks/big_account.py [--sizes 10000,50000,100000] [--runs 3] [--folder DIR] [--keep]

For each size a synthetic JSONL file holds one account (``big``) with that many contacts
(a few with key roles, each with about three events: an assessment, interactions, some
feedback) and is imported with `relledger import`'s code into ``DIR/big-SIZE.db`` (kept and
reused when it is already there). The current-state view is filled by one `list --account`
(timed once). Then, as whole processes under /usr/bin/time (wall time and max RSS of the
command itself, medians of ``--runs``): `show` of one contact (the baseline), `map big`,
`show big`, `trend --account big` and `report big` (Markdown). The target: time linear in
the contacts (time per contact flat from the smallest size to the largest) and memory that
does not grow with them beyond the rows printed (`map` and `show big` print every contact;
`trend --account` and `report` print a bounded page).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

READS = {
    "show big/p7": ["show", "big/p7"],
    "map big": ["map", "big"],
    "show big": ["show", "big"],
    "trend --account big": ["trend", "--account", "big"],
    "report big": ["report", "big"],
}
ROLES = ("decision-maker", "economic-buyer", "champion", "influencer")


def big_account_file(path: str, contacts: int, seed: int = 12) -> int:
    """One account with ``contacts`` contacts, each assessed once and contacted a few times."""
    rng, lines = random.Random(seed), 0
    with open(path, "w") as out:
        def put(obj: dict) -> None:
            nonlocal lines
            out.write(json.dumps(obj) + "\n")
            lines += 1

        put({"type": "account", "id": "a0", "account": "big", "name": "Big Co", "occurred_at": "2025-01-01"})
        for c in range(contacts):
            roles = [ROLES[c % 4]] if c % 997 == 0 else []
            put({"type": "contact", "id": f"c{c}", "contact": f"big/p{c}", "account": "big", "name": f"Person {c}",
                 "title": "Buyer", "roles": roles, "occurred_at": "2025-01-01"})
        for c in range(contacts):
            base = {"contact": f"big/p{c}"}
            put(base | {"id": f"d{c}", "type": "assessment", "occurred_at": f"2025-{1 + c % 12:02d}-10",
                        "dimensions": {"power": rng.choice(["low", "high"]),
                                       "perception": rng.choice(["advocate", "detractor"]),
                                       "relationship": rng.choice(["yes", "no"])}})
            for n in range(1 + c % 3):
                put(base | {"id": f"i{c}-{n}", "type": "interaction", "occurred_at": f"2025-{1 + (c + n) % 12:02d}-20",
                            "kind": rng.choice(["call", "email", "meeting"]),
                            "direction": rng.choice(["outbound", "inbound"]), "note": "synthetic note"})
            if c % 10 == 0:
                put(base | {"id": f"f{c}", "type": "feedback", "occurred_at": "2025-11-02", "about": "product",
                            "sentiment": rng.choice(["positive", "negative"])})
    return lines


def build(folder: str, size: int) -> str:
    """The ledger of one big account of ``size`` contacts (imported once, then reused)."""
    location = os.path.join(folder, f"big-{size}.db")
    if not os.path.exists(location):
        from scale import time_import

        source = os.path.join(folder, f"big-{size}.jsonl")
        lines = big_account_file(source, size)
        took = time_import(location + ".part", source)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(location + ".part" + suffix):
                os.replace(location + ".part" + suffix, location + suffix)
        os.remove(source)
        print(f"imported {lines:,} lines ({size:,} contacts) in {took:.0f} s", flush=True)
    return location


def timed(location: str, args: list[str], limit: float | None = None) -> tuple[float, float]:
    """Wall seconds and max RSS (MB) of one whole process, measured by /usr/bin/time; past
    ``limit`` seconds the process is stopped and counted as (inf, nan)."""
    env = dict(os.environ, RELLEDGER_DB=location, RELLEDGER_USER="bench")
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "ledger", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return float("inf"), float("nan")
    if proc.returncode:
        raise RuntimeError(f"{args} failed: {err[-500:]}")
    seconds, kb = err.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024


def measure(location: str, runs: int, limit: float | None) -> dict[str, tuple[float, float]]:
    """Median wall seconds and median max RSS of each read."""
    start = time.perf_counter()
    timed(location, ["list", "--account", "big"])
    found = {"first read (fills the view)": (time.perf_counter() - start, 0.0)}
    for name, args in READS.items():
        samples = [timed(location, args, limit) for _ in range(runs)]
        found[name] = (statistics.median(s for s, _ in samples), statistics.median(m for _, m in samples))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", default="/tmp/relledger-big-account")
    parser.add_argument("--keep", action="store_true", help="keep the ledgers for another run")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--timeout", type=float, default=None, help="stop a read after this many seconds")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for size in sizes:
        location = build(args.folder, size)
        if not args.build_only:
            results[size] = measure(location, args.runs, args.timeout)
            print(f"\n{size:,} contacts in one account (load {os.getloadavg()[0]:.1f})", flush=True)
            for name, (seconds, mb) in results[size].items():
                print(f"  {name:28} {seconds:7.2f} s  {seconds / size * 1e6:7.1f} us/contact  {mb:6.0f} MB", flush=True)
    if len(results) > 1:
        low, high = sizes[0], sizes[-1]
        print(f"\nfrom {low:,} to {high:,} contacts ({high / low:.0f}x):")
        for name in READS:
            (t0, m0), (t1, m1) = results[low][name], results[high][name]
            print(f"  {name:28} time {t1 / t0:5.1f}x   memory {m1 / m0:5.2f}x")
    if not args.keep:
        shutil.rmtree(args.folder)


if __name__ == "__main__":
    main()
