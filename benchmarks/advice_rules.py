"""Benchmark: the reads a user asks most (show, why, history, trend, due) on a contact with a
long history, under evidence rules version 2 against version 1 (issue 11), in the same run.

Builds two identical ledgers (one marked as created before rules version 2), a contact with
EVENTS events over two years (calls with every outcome, meetings, inbound mail, feedback,
assessments), then times each answer in-process, alternating the two ledgers. Usage:

    python benchmarks/advice_rules.py [--events 3000] [--repeats 15]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone

from ledger.bootstrap import open_ledger, open_views
from ledger.projections.reports import Answers
from ledger.projections.timeline import micros
from ledger.projections.worklist import due

START = datetime(2024, 11, 1, tzinfo=timezone.utc)


def build(path: str, events: int) -> None:
    app = open_ledger(path, "bench", create=True)
    app.register_account("acme", "Acme", at=START)
    app.register_contact("acme/long", "Long History", roles=["champion"], at=START)
    step = timedelta(days=730) / events
    outcomes = ["answered", "unanswered", "returned", "declined"]
    for n in range(events - 2):
        when = START + step * (n + 1)
        if n % 50 == 0:
            app.assess("acme/long", {"perception": "advocate", "activity": "active"}, reason="check-in", at=when)
        elif n % 7 == 0:
            app.receive_feedback("acme/long", "product", "negative" if n % 3 else "positive", at=when)
        elif n % 5 == 0:
            app.record_interaction("acme/long", "meeting", at=when)
        else:
            app.record_interaction("acme/long", "call", outcome=outcomes[n % 4], at=when)
    app.close()


def answers(path: str) -> Answers:
    store = open_views(path)
    store.catch_up()
    now = micros(datetime.now(timezone.utc))
    return Answers(store, now, now)


READS = {
    "show": lambda a: a.show("acme/long"),
    "why": lambda a: a.why("acme/long"),
    "history": lambda a: a.history("acme/long"),
    "trend": lambda a: a.trend("acme/long", None, "month"),
    "due": lambda a: due(a),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {v: os.path.join(tmp, f"v{v}.db") for v in (1, 2)}
        for path in paths.values():
            build(path, args.events)
        with sqlite3.connect(paths[1]) as conn:
            conn.execute("DROP TABLE relledger_meta")
        times = {(v, r): [] for v in paths for r in READS}
        for _ in range(args.repeats):
            for read, ask in READS.items():
                for version, path in paths.items():
                    found = answers(path)
                    assert found.rules["version"] == version
                    began = time.perf_counter()
                    ask(found)
                    times[(version, read)].append(time.perf_counter() - began)
                    found.store.close()
        print(f"{args.events} events on one contact, median of {args.repeats} (ms)")
        print(f"{'read':<8} {'rules v1':>9} {'rules v2':>9} {'v2/v1':>6}")
        for read in READS:
            one, two = (statistics.median(times[(v, read)]) * 1000 for v in (1, 2))
            print(f"{read:<8} {one:>9.1f} {two:>9.1f} {two / one:>6.2f}")


if __name__ == "__main__":
    main()
