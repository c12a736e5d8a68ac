"""Random search for bad-input paths that break the CLI's promise (not collected by pytest).

    python tests/fuzz_cli.py --runs 3000 --seed 1 [--damaged 300] [--subprocesses 20]

Runs every command and subcommand with arguments built from its own parameters (boundary
dates, huge numbers, hostile unicode, ids of every kind of event, bad files), sometimes with a
hostile environment variable, then on damaged databases and key files, and finally a few real
processes. Prints each distinct problem once with the argument list that found it.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

import fuzzkit  # noqa: E402


def search(runs: int, damaged: int, seed: int, workdir: Path) -> dict[str, list]:
    rng = random.Random(seed)
    template, export, framework, rules = fuzzkit.seed_template(workdir / "template")
    commands = list(fuzzkit.leaf_commands())
    found: dict[str, list] = {}
    codes: dict[int, int] = {}
    for n in range(runs + damaged):
        space = fuzzkit.copy_workspace(template, workdir / "run")
        damage = None
        if n >= runs:
            damage = rng.choice(fuzzkit.DAMAGES)(space.ledger, space.keyfile(), rng)
        files = fuzzkit.Files(space.root, rng, export, framework, rules)
        path, command = rng.choice(commands)
        args = fuzzkit.arguments(path, command, rng, files)
        env = fuzzkit.hostile_env(rng) if damage is None else {}
        if "--yes" not in args and path[0] in ("forget",):
            args.append("--yes")
        before = space.snapshot()
        result = fuzzkit.invoke(space, args, env=env, input="n\n")
        after = space.snapshot()
        codes[result.exit_code] = codes.get(result.exit_code, 0) + 1
        for problem in fuzzkit.problems(result, before, after, damaged=damage is not None):
            signature = problem.split(":")[0] + ":" + " ".join(path) + ":" + _first_line(problem)
            found.setdefault(signature, []).append((args, env, damage, problem))
    print(f"exit codes: {dict(sorted(codes.items()))}")
    return found


def _first_line(problem: str) -> str:
    # group by the exception type / message shape, not the random value in it
    return problem.split("(")[0][:80]


def subprocesses(count: int, seed: int, workdir: Path) -> list[str]:
    """A few real processes: a broken pipe, SIGPIPE, stdin import, a hostile environment."""
    rng = random.Random(seed)
    template, *_ = fuzzkit.seed_template(workdir / "template-sp") if not (workdir / "template").exists() else (
        fuzzkit.Workspace(workdir / "template"),)
    exe = os.path.join(os.path.dirname(sys.executable), "relledger")
    cases = [
        ("export | head -1", f"{exe} export | head -1"),
        ("history | head -1", f"{exe} history acme/jane | head -1"),
        ("report | head -1", f"{exe} report acme --format markdown | head -1"),
        ("import - < /dev/null", f"{exe} import - < /dev/null"),
        ("import - bad", f"echo '{{\"type\": 1}}' | {exe} import -"),
    ]
    for _ in range(count):
        name = rng.choice(sorted(fuzzkit.ENV_BAD))
        value = rng.choice(fuzzkit.ENV_BAD[name]).replace("'", "")
        cases.append((f"{name}='{value}' status", f"{name}='{value}' {exe} status"))
    problems = []
    for label, line in cases:
        space = fuzzkit.copy_workspace(template, workdir / "run-sp")
        env = {k: v for k, v in {**os.environ, **space.env()}.items() if v is not None}
        env.pop("RELLEDGER_KEY", None)
        proc = subprocess.run(["bash", "-c", line], env=env, cwd=space.root, capture_output=True, text=True, timeout=60)
        last = proc.stderr.rstrip("\n").rpartition("\n")[2]  # import lists each bad line first
        if "Traceback" in proc.stderr or "internal error" in proc.stderr or (proc.stderr and not last.startswith("Error: ")):
            problems.append(f"{label}: {proc.stderr.strip()[:300]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--damaged", type=int, default=300)
    parser.add_argument("--subprocesses", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        found = search(options.runs, options.damaged, options.seed, Path(tmp))
        for signature, hits in sorted(found.items()):
            args, env, damage, problem = hits[0]
            print(f"[{len(hits)}x] {problem[:400]}\n    relledger {' '.join(map(repr, args))[:400]}"
                  f"{'  env ' + repr(env) if env else ''}{'  damage: ' + damage if damage else ''}")
        sp = subprocesses(options.subprocesses, options.seed, Path(tmp))
        for line in sp:
            print(f"[subprocess] {line}")
        print(f"{options.runs} argument lists, {options.damaged} damaged ledgers, {len(sp)} subprocess problems, "
              f"{len(found)} distinct problems")


if __name__ == "__main__":
    main()
