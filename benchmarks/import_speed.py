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
from ledger import importer
from ledger.bootstrap import open_ledger
from ledger.transfer import Report
app, report = open_ledger(sys.argv[1], "bench", create=True), Report()
start = time.perf_counter()
if hasattr(importer, "spool_file"):  # since issue 10: the input is read once, the decided events spooled
    with importer.spool_file() as spool:
        importer.validate(app, sys.argv[2], "jsonl", report, spool)
        importer.write(app, spool, report)
else:
    importer.write(app, sys.argv[2], "jsonl", set(importer.validate(app, sys.argv[2], "jsonl", report)), report)
print(time.perf_counter() - start, time.process_time(), report.written)
"""


def timed_import(src: str, ledger: str, source: str) -> tuple[float, float]:
    """Wall seconds of the import, and the CPU seconds of its whole process."""
    env = dict(os.environ, PYTHONPATH=src)
    done = subprocess.run([sys.executable, "-c", RUN, ledger, source], env=env, capture_output=True, text=True, check=True)
    wall, cpu, _ = done.stdout.split()
    return float(wall), float(cpu)


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
        walls: dict[str, list[float]] = {"this tree": [], args.against: [], "raw sqlite3": []}
        cpus: dict[str, list[float]] = {"this tree": [], args.against: []}
        for r in range(args.rounds):
            walls["raw sqlite3"].append(raw_insert(os.path.join(tmp, f"raw{r}.db"), source))
            for name, src in ((args.against, os.path.join(old, "src")), ("this tree", os.path.join(ROOT, "src"))):
                wall, cpu = timed_import(src, os.path.join(tmp, f"{name.replace(' ', '-')}{r}.db"), source)
                walls[name].append(wall)
                cpus[name].append(cpu)
        print(f"{n} events, {args.contacts} contacts, {args.rounds} rounds, alternating")
        for name, seconds in walls.items():
            print(f"{name:<12} {n / statistics.median(seconds):9.0f} events/s   (rounds: {', '.join(f'{n / t:.0f}' for t in seconds)})")
        paired = [o / t for o, t in zip(walls[args.against], walls["this tree"])]
        paired_cpu = [o / t for o, t in zip(cpus[args.against], cpus["this tree"])]
        print(f"this tree / {args.against}, round by round: wall {', '.join(f'{p:.2f}' for p in paired)} "
              f"(median {statistics.median(paired):.2f}); CPU {', '.join(f'{p:.2f}' for p in paired_cpu)} "
              f"(median {statistics.median(paired_cpu):.2f})")
        raw = statistics.median(walls["raw sqlite3"])
        print(f"ratio to raw: this tree {raw / statistics.median(walls['this tree']):.3f}, "
              f"{args.against} {raw / statistics.median(walls[args.against]):.3f}")


if __name__ == "__main__":
    main()
