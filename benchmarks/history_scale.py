"""Benchmark for issue 12, item 4: `history` linear in the contact's events.

    python benchmarks/history_scale.py [--sizes 1000,5000,20000] [--runs 5] [--rules 1,2]

For each rules version and size, one contact with that many events (interactions, feedback,
assessments over two years) is imported with `relledger import`'s code (version 1: the ledger is
then made to look like one created before version 2, as old ledgers are: no metadata row); then
`show` (the baseline) and `history --json` run as whole processes, medians of ``--runs``.
Targets: 5,000 events within 3x `show` in the same run; 20,000 in seconds; time per event flat
across sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))

from scale import time_import  # noqa: E402
from show_scale import timed_runs  # noqa: E402
from worklist import timed  # noqa: E402


def one_contact(path: str, events: int, seed: int = 3) -> None:
    """A JSONL file: account acme, contact acme/long, then ``events`` of its events."""
    rng = random.Random(seed)
    with open(path, "w") as out:
        out.write(json.dumps({"type": "account", "id": "a", "account": "acme", "name": "Acme",
                              "occurred_at": "2024-01-01"}) + "\n")
        out.write(json.dumps({"type": "contact", "id": "c", "contact": "acme/long", "account": "acme", "name": "L",
                              "title": "CTO", "occurred_at": "2024-01-01"}) + "\n")
        for i in range(events):
            day = f"{2024 + i * 2 // events}-{1 + (i * 24 // events) % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00"
            event, roll = {"id": f"e{i}", "contact": "acme/long", "occurred_at": day}, rng.random()
            if roll < 0.7:
                event |= {"type": "interaction", "kind": rng.choice(["call", "email", "meeting"]),
                          "direction": rng.choice(["outbound", "inbound"])}
            elif roll < 0.9:
                event |= {"type": "feedback", "about": "product", "sentiment": rng.choice(["positive", "negative"])}
            else:
                event |= {"type": "assessment", "dimensions": {"power": rng.choice(["low", "high"])}}
            out.write(json.dumps(event) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rules", default="1,2", help="the rules versions the ledgers start on")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # commands run from cached bytecode, as when installed
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for version in map(int, args.rules.split(",")):
            for size in map(int, args.sizes.split(",")):
                source, location = os.path.join(tmp, f"h{size}.jsonl"), os.path.join(tmp, f"h{version}-{size}.db")
                one_contact(source, size)
                time_import(location, source)
                if version == 1:
                    with sqlite3.connect(location) as conn:  # as a ledger created before rules version 2
                        conn.execute("DROP TABLE IF EXISTS relledger_meta")
                timed_runs(location, ["show", "acme/long"], 1)  # catches the views up
                show, history = [], []
                for _ in range(args.runs):  # interleaved: a load spike hits both alike
                    show.append(timed(location, ["show", "acme/long"]))
                    history.append(timed(location, ["history", "acme/long", "--json"]))
                show, show_cpu = statistics.median(w for w, _ in show), statistics.median(c for _, c in show)
                history, history_cpu = statistics.median(w for w, _ in history), statistics.median(c for _, c in history)
                print(f"rules v{version} {size:7,} events: show {show:6.0f} ms  history {history:7.0f} ms  "
                      f"{history / show:5.2f}x show  {1000 * history / size:6.1f} us/event;  CPU: show {show_cpu:5.0f} ms"
                      f"  history {history_cpu:6.0f} ms  {history_cpu / show_cpu:5.2f}x", flush=True)


if __name__ == "__main__":
    main()
