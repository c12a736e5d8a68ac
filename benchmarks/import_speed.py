"""Import speed of this tree against another revision's, in the same run (issue 10).

    python benchmarks/import_speed.py [--events 150000] [--contacts 2000] [--rounds 3] [--against main]

Writes one synthetic JSONL file (scale.py's), then alternates, round by round, a whole
import (validation pass and batched write, in a fresh process each) with this tree's code
and with the ``--against`` revision's (its ``src/`` exported by ``git archive``), plus the raw
sqlite3 insert baseline of scale.py. Prints the median events/s of each and the ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))

from scale import raw_insert, synthetic_file  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = """
import sys, time
from ledger.bootstrap import open_ledger
from ledger.importer import validate, write
from ledger.transfer import Report
app, report = open_ledger(sys.argv[1], "bench", create=True), Report()
start = time.perf_counter()
write(app, sys.argv[2], "jsonl", set(validate(app, sys.argv[2], "jsonl", report)), report)
print(time.perf_counter() - start, report.written)
"""


def timed_import(src: str, ledger: str, source: str) -> float:
    env = dict(os.environ, PYTHONPATH=src)
    done = subprocess.run([sys.executable, "-c", RUN, ledger, source], env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=150_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", default="main", help="The revision to compare with (default: main).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = os.path.join(tmp, "old")
        os.mkdir(old)
        archive = subprocess.run(["git", "-C", ROOT, "archive", args.against, "src"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        source = os.path.join(tmp, "in.jsonl")
        n = synthetic_file(source, args.contacts, args.events)
        times: dict[str, list[float]] = {"this tree": [], args.against: [], "raw sqlite3": []}
        for r in range(args.rounds):
            times["raw sqlite3"].append(raw_insert(os.path.join(tmp, f"raw{r}.db"), source))
            times[args.against].append(timed_import(os.path.join(old, "src"), os.path.join(tmp, f"old{r}.db"), source))
            times["this tree"].append(timed_import(os.path.join(ROOT, "src"), os.path.join(tmp, f"new{r}.db"), source))
        print(f"{n} events, {args.contacts} contacts, {args.rounds} rounds, alternating")
        medians = {name: statistics.median(t) for name, t in times.items()}
        for name, seconds in medians.items():
            print(f"{name:<12} {n / seconds:9.0f} events/s   (median of {', '.join(f'{n / t:.0f}' for t in times[name])})")
        print(f"this tree / {args.against}: {medians[args.against] / medians['this tree']:.2f}   "
              f"ratio to raw: this tree {medians['raw sqlite3'] / medians['this tree']:.3f}, "
              f"{args.against} {medians['raw sqlite3'] / medians[args.against]:.3f}")


if __name__ == "__main__":
    main()
