"""Benchmark: `relledger report` against the answers it is made of (issue 13).

Builds a synthetic ledger (accounts of ten contacts; default 100 contacts, 20,000 events, so
about 2,000 events per account), catches the views up, then times whole processes, medians
of --runs each, in the same run:

- `report acct0 -o FILE` (HTML) and `report acct0` (Markdown) against `map acct0`, the
  account answer with the most work in common, and `--help` (start-up alone);
- `report --all -o FILE` against `gaps` (every account).

    python benchmarks/report_scale.py [--contacts 100] [--events 20000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))

from show_scale import timed_runs  # noqa: E402
from synthetic import generate  # noqa: E402

from ledger.bootstrap import open_views  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, out = os.path.join(folder, "bench.db"), os.path.join(folder, "r.html")
        generate(path, args.contacts, args.events)
        views = open_views(path)
        views.catch_up()
        views.close()
        cases = [("--help", ["--help"]), ("map acct0", ["map", "acct0"]), ("report acct0 (html)", ["report", "acct0", "-o", out]),
                 ("report acct0 (markdown)", ["report", "acct0"]), ("gaps", ["gaps"]), ("report --all (html)", ["report", "--all", "-o", out])]
        medians = {name: statistics.median(timed_runs(path, argv, args.runs)) for name, argv in cases}
    print(f"{args.contacts} contacts, {args.events} events, median of {args.runs} runs (ms)")
    for name, ms in medians.items():
        print(f"  {name:<26} {ms:8.1f}")
    print(f"  report acct0 / map acct0   {medians['report acct0 (html)'] / medians['map acct0']:8.2f}x")
    print(f"  report --all / gaps        {medians['report --all (html)'] / medians['gaps']:8.2f}x")


if __name__ == "__main__":
    main()
