"""Benchmark for issue 15: what the chain, bound sealing and the ledger key cost.

    python benchmarks/trust.py [--base REF] [--record 1500] [--events 30000] [--runs 3]

Recording and import run in fresh processes on two trees, in the same run, alternating
(who goes first too), with wall-clock and CPU time both reported (CPU time is the steadier
one on a shared machine; wall time includes the commits' fsyncs):
the baseline (``--base``, a git ref; by default where this branch left main: the code
before issue 15) and the working tree. Each is
laid out as installed (``ledger``, ``ledger.projections``, ``ledger.cli``) in a temporary
directory put first on PYTHONPATH. Targets: recording and import within 10% of the
baseline (ratio >= 0.90).

- record: one application, 10 accounts and 100 contacts, then ``--record`` interactions and
  feedback with notes, one command (transaction) each, events/s.
- import: ``relledger import``'s validate and write of a synthetic JSONL file of ``--events``
  lines (benchmarks/scale.py's generator), events/s.
- verify: on the imported ledger (working tree), events/s of ``verify`` against the raw read
  baseline of benchmarks/scale.py (every stored row read back and its JSON decoded, stdlib
  json), CPU time, modules imported before timing (start-up is not reading speed). Target >= 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LAYOUT = {"src/ledger": "ledger", "projections": "ledger/projections", "cli": "ledger/cli"}

WORKLOAD = r'''
import json, os, sys, time
kind, path, arg = sys.argv[1], sys.argv[2], sys.argv[3]
import ledger
assert ledger.__file__.startswith(sys.argv[4]), ledger.__file__
from ledger.bootstrap import open_ledger
if kind == "record":
    n = int(arg)
    app = open_ledger(path, "bench", create=True)
    for a in range(10):
        app.register_account(f"acct{a}", f"Account {a}")
    for c in range(100):
        app.register_contact(f"acct{c % 10}/p{c}", f"Person {c}", title="Buyer")
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        handle = f"acct{i % 10}/p{i % 100}"
        if i % 3:
            app.record_interaction(handle, "call", note=f"Talked about the renewal {i}")
        else:
            app.receive_feedback(handle, "product", "negative", note=f"Too slow {i}", channel="survey")
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "events": n}))
elif kind == "import":
    from ledger import importer
    from ledger.transfer import Report
    app, report = open_ledger(path, "bench", create=True), Report()
    start, cpu = time.perf_counter(), time.process_time()
    if hasattr(importer, "spool_file"):  # since issue 10: the input is read once, the decided events spooled
        with importer.spool_file() as spool:
            importer.validate(app, arg, "jsonl", report, spool)
            importer.write(app, spool, report)
    else:
        importer.write(app, arg, "jsonl", set(importer.validate(app, arg, "jsonl", report)), report)
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "events": report.written}))
elif kind == "verify":
    import sqlite3
    from ledger.bootstrap import open_database
    from ledger.keys import read_keys
    from ledger.verify import opener, verify
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # start-up costs, not reading speed
    import pydantic_core
    conn = sqlite3.connect(path)
    start = time.process_time()
    n = sum(1 for (state,) in conn.execute("SELECT state FROM stored_events ORDER BY rowid") if json.loads(state))
    raw = time.process_time() - start
    db = open_database(path)
    start = time.process_time()
    verdict = verify(db, opener(read_keys(db)))
    took = time.process_time() - start
    assert verdict.ok and verdict.events == n, verdict.report()
    print(json.dumps({"seconds": took, "raw": raw, "events": n}))
'''


def tree(ref: str | None, into: str) -> str:
    """The code of a git ref (None: the working tree) laid out as installed."""
    for source, target in LAYOUT.items():
        dest = os.path.join(into, target)
        if ref is None:
            shutil.copytree(os.path.join(ROOT, source), dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            os.makedirs(dest, exist_ok=True)
            archive = subprocess.run(["git", "-C", ROOT, "archive", ref, source], check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "--strip-components", str(source.count("/") + 1), "-C", dest],
                           input=archive, check=True)
    return into


def run(code: str, kind: str, path: str, arg: str, work: str) -> dict:
    env = dict(os.environ, PYTHONPATH=code, XDG_CONFIG_HOME=os.path.join(work, "config"))
    env.pop("RELLEDGER_KEY", None)
    out = subprocess.run([sys.executable, "-c", WORKLOAD, kind, path, arg, code], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="git ref of the baseline (default: where this branch left main)")
    parser.add_argument("--record", type=int, default=1500)
    parser.add_argument("--events", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.base = args.base or subprocess.run(["git", "-C", ROOT, "merge-base", "main", "HEAD"], check=True,
                                            capture_output=True, text=True).stdout.strip()
    sys.path.insert(0, HERE)
    from scale import synthetic_file

    work = tempfile.mkdtemp(prefix="relledger-trust-")
    try:
        codes = {"base": tree(args.base, os.path.join(work, "base")), "new": tree(None, os.path.join(work, "new"))}
        source = os.path.join(work, "import.jsonl")
        lines = synthetic_file(source, max(10, args.events // 100), args.events)
        rates: dict[tuple[str, str, str], list[float]] = {}
        for attempt in range(args.runs):
            for kind, arg in (("record", str(args.record)), ("import", source)):
                for name in (("base", "new") if attempt % 2 else ("new", "base")):  # alternate who goes first
                    path = os.path.join(work, f"{name}-{kind}-{attempt}.db")
                    result = run(codes[name], kind, path, arg, work)
                    for clock in ("seconds", "cpu"):
                        rates.setdefault((kind, name, clock), []).append(result["events"] / result[clock])
        for kind in ("record", "import"):
            for clock, label in (("seconds", "wall"), ("cpu", "CPU ")):
                base, new = (statistics.median(rates[(kind, n, clock)]) for n in ("base", "new"))
                print(f"{kind:7s} {label} baseline {base:9.0f} events/s, issue 15 {new:9.0f} events/s, "
                      f"ratio {new / base:.3f} (target >= 0.90)")
        verified = [run(codes["new"], "verify", os.path.join(work, f"new-import-{a}.db"), "-", work) for a in range(args.runs)]
        seconds = statistics.median(v["seconds"] for v in verified)
        raw = statistics.median(v["raw"] for v in verified)
        n = verified[0]["events"]
        print(f"verify  CPU  raw read {n / raw:9.0f} events/s, verify   {n / seconds:9.0f} events/s, ratio {raw / seconds:.3f} "
              f"(target >= 0.5; {n} events, {lines} lines)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
