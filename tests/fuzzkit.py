"""Shared pieces of the CLI fuzzing: a seeded ledger with one event of every kind, pools of
hostile values, argument lists built from each command's own click parameters, damaged
databases and key files, and the check every run must pass (one ``Error:`` line, no
traceback, no internal error, nothing written on refusal).

Used by tests/fuzz_cli.py (the long random search, not collected by pytest) and by the
hypothesis properties in tests/test_fuzz_*.py (short, collected).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import click
from click.testing import CliRunner

from ledger.cli.main import cli

# Every kind of event, with the id it was recorded under (ids given to the wrong commands).
SEED = [
    ["account", "add", "acme", "--name", "Acme", "--at", "2026-01-01", "--id", "acme"],
    ["account", "add", "beta", "--name", "Beta", "--at", "2026-01-01", "--id", "beta"],
    ["contact", "add", "acme/jane", "--name", "Jane", "--role", "champion", "--at", "2026-01-02", "--id", "jane"],
    ["contact", "add", "acme/bob", "--name", "Bob", "--reports-to", "acme/jane", "--at", "2026-01-02", "--id", "bob"],
    ["contact", "add", "solo", "--name", "Solo", "--at", "2026-01-02", "--id", "solo"],
    ["log", "acme/jane", "meeting", "--at", "2026-02-01", "--id", "meet1"],
    ["log", "acme/jane", "call", "--outcome", "answered", "--at", "2026-02-01", "--id", "call1"],
    ["feedback", "acme/jane", "--about", "product", "--sentiment", "negative", "--note", "slow", "--id", "fb1", "--at", "2026-02-02"],
    ["feedback", "acme/bob", "--about", "company", "--sentiment", "positive", "--id", "fb2", "--at", "2026-02-02"],
    ["respond", "fb1", "--note", "fixed", "--id", "resp1"],
    ["assess", "acme/jane", "power=high", "--id", "as1"],
    ["milestone", "acme", "contract-signed", "--id", "ms1", "--at", "2026-03-01"],
    ["goal", "add", "acme", "Expand", "--target", "2027-12-31", "--id", "g1"],
    ["initiative", "add", "g1", "Brief", "--owner", "ann", "--due", "2027-10-15", "--contact", "acme/jane", "--id", "i1"],
    ["initiative", "add", "g1", "Other", "--owner", "ann", "--due", "2027-10-15", "--id", "i2"],
    ["review", "acme", "--note", "q3", "--id", "rv1"],
    ["retract", "call1", "--reason", "wrong", "--id", "rt1"],
    ["rules", "adopt", "2", "--id", "ru1"],
    ["contact", "roles", "acme/bob", "--role", "economic-buyer", "--id", "roles1"],
]
IDS = ["acme", "beta", "jane", "bob", "solo", "meet1", "call1", "fb1", "fb2", "resp1", "as1", "ms1", "g1", "i1",
       "i2", "rv1", "rt1", "ru1", "roles1", "acme/jane", "acme/bob", "acme/ghost", "ghost", "acme/", "/jane"]

UNICODE = ["\u202eevil", "e\u0301\u0301\u0301", "\ud7ff", "\ufeffbom", "\x01\x02\x1b[31m", "a\tb", "a\nb", "\u200b",
           "中文", "\U0001f600", "\\ud800", "x" * 5000, "ÅÄÖ", "\u0085", "\u2028", "%s%n", "{0}", "'\"", "-", "--",
           "-x", "..", "/", "a/b/c", "./", "~", "$HOME", "NaN", "null", "[]", "{}", " ", ""]
NUMBERS = ["0", "-1", "1", "2", "3", "99999999999999999999", "-99999999999999999999", "1e9", "0x10", "1.5", "NaN",
           "inf", "100000", "100001", "12", "13", "366", "9223372036854775808"]
DATES = ["0001-01-01", "9999-12-31", "0001-01-01T00:00+14:00", "0001-01-01T00:00-14:00", "9999-12-31T23:59:59-14:00",
         "9999-12-31T23:59+14:00", "2026-02-30", "2026-01-01T25:00", "2026-01-01T10:00+99:00", "1970-01-01",
         "2026-01-01T10:00Z", "2026-01-01T10:00:00.123456789", "20260101", "2026-W01-1", "2026-001", "yesterday",
         "2026-01-01 10:00", "2026-03-01", "2025-12-31", "2026-02-01T00:00:00+00:00", "--at"]
HANDLE_NAMES = {"handle", "account", "contact", "event_id", "feedback_id", "goal_id", "initiative_id", "key",
                "reports_to", "accounts", "manager", "goal", "initiative"}


def pool(rng: random.Random, *pools: list[str]) -> str:
    return rng.choice(rng.choice(pools))


@dataclass
class Files:
    """Input files of every bad shape, made fresh in each run's directory."""

    root: Path
    rng: random.Random
    export: list[dict]
    framework: dict
    rules: dict

    def any(self) -> str:
        maker = self.rng.choice([self.missing, self.directory, self.not_utf8, self.bom_jsonl, self.jsonl_wrong_type,
                                 self.csv_wrong_type, self.framework_doc, self.rules_doc, self.empty, self.good_export,
                                 self.odd_json])
        return maker()

    def _write(self, name: str, data: bytes) -> str:
        path = self.root / f"{self.rng.randrange(10**6)}-{name}"
        path.write_bytes(data)
        return str(path)

    def missing(self) -> str:
        return str(self.root / "no-such-file.jsonl")

    def directory(self) -> str:
        path = self.root / "a-directory.jsonl"
        path.mkdir(exist_ok=True)
        return str(path)

    def not_utf8(self) -> str:
        return self._write(self.rng.choice(["x.jsonl", "x.csv", "x.json"]), b"\xff\xfe\x00\x80bad\xc3\x28\n")

    def empty(self) -> str:
        return self._write(self.rng.choice(["x.jsonl", "x.csv", "x.json"]), self.rng.choice([b"", b"\n", b" \n\n"]))

    def good_export(self) -> str:
        return self._write("x.jsonl", "\n".join(json.dumps(e) for e in self.export).encode())

    def bom_jsonl(self) -> str:
        return self._write("x.jsonl", b"\xef\xbb\xbf" + "\n".join(json.dumps(e) for e in self.export).encode())

    def jsonl_wrong_type(self) -> str:
        lines = []
        for event in self.rng.sample(self.export, k=min(len(self.export), 4)):
            event = dict(event)
            for key in self.rng.sample(sorted(event), k=self.rng.randint(1, 2)):
                event[key] = self.wrong_value()
            if self.rng.random() < 0.3:
                event["id"] = f"fz{self.rng.randrange(10**6)}"
            lines.append(json.dumps(event, allow_nan=True))
        return self._write("x.jsonl", "\n".join(lines).encode())

    def csv_wrong_type(self) -> str:
        header = self.rng.choice([
            "type,id,contact,account,occurred_at,kind,direction,outcome,note,name",
            "type,contact,kind,occurred_at", "type,id,contact", "a,b,c", "type,type,type", ""])
        columns = header.split(",")
        rows = [",".join(_csv(self.rng.choice([self.wrong_value(), pool(self.rng, UNICODE, IDS, DATES)]))
                         for _ in columns) for _ in range(3)]
        return self._write("x.csv", ("\n".join([header, *rows])).encode("utf-8", "surrogatepass"))

    def odd_json(self) -> str:
        return self._write("x.json", json.dumps(self.wrong_value()).encode())

    def framework_doc(self) -> str:
        return self._write("framework.json", json.dumps(mutate(self.framework, self.rng)).encode())

    def rules_doc(self) -> str:
        return self._write("rules.json", json.dumps(mutate(self.rules, self.rng)).encode())

    def wrong_value(self):
        return self.rng.choice([None, 0, -1, 10**30, 1.5, True, [], {}, [1, 2], {"a": 1}, "", " ", "x" * 3000,
                                "\u202e", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "nope",
                                float("nan"), "acme/jane", "fb1"])


def _csv(value) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return '"' + text.replace('"', '""') + '"'


def mutate(doc, rng: random.Random, depth: int = 0):
    """The document with one node changed: a wrong type, a key dropped or added, a list emptied."""
    wrong = [None, 0, -5, 10**20, 1.5, True, "", "x", [], {}, [None], {"x": 1}, "high", "yes"]
    if depth > 6 or rng.random() < 0.15:
        return rng.choice(wrong)
    if isinstance(doc, dict) and doc:
        doc = dict(doc)
        key = rng.choice(sorted(doc))
        roll = rng.random()
        if roll < 0.15:
            del doc[key]
        elif roll < 0.25:
            doc["unexpected"] = rng.choice(wrong)
        else:
            doc[key] = mutate(doc[key], rng, depth + 1)
        return doc
    if isinstance(doc, list) and doc:
        doc = list(doc)
        roll = rng.random()
        if roll < 0.1:
            return []
        if roll < 0.2:
            return doc + [rng.choice(doc)]
        if roll < 0.3:
            return doc[1:]
        index = rng.randrange(len(doc))
        doc[index] = mutate(doc[index], rng, depth + 1)
        return doc
    return rng.choice(wrong)


def leaf_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """(path, command) for every command and subcommand."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, prefix + (name,))
        else:
            yield prefix + (name,), command


def value_for(param: click.Parameter, rng: random.Random, files: Files) -> str:
    kind = param.type
    name = param.name or ""
    if rng.random() < 0.1:
        return pool(rng, UNICODE, IDS, NUMBERS, DATES)
    if isinstance(kind, click.Choice):
        return rng.choice(list(kind.choices)) if rng.random() < 0.8 else pool(rng, UNICODE)
    if kind.name in ("WHEN", "DATE"):
        return rng.choice(DATES)
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return rng.choice(NUMBERS)
    if isinstance(kind, (click.Path, click.File)) or name in ("file", "path", "output", "source", "document"):
        return files.any() if rng.random() < 0.8 else str(files.root / rng.choice(["out.html", "out.md", "new/dir/x", "-"]))
    if name in HANDLE_NAMES or "handle" in name or name.endswith("_id"):
        return rng.choice(IDS) if rng.random() < 0.8 else pool(rng, UNICODE)
    if name in ("assignments", "values", "dimensions"):
        return rng.choice(["power=high", "relationship=no", "perception=advocate", "activity=active", "power=",
                           "=high", "power=high=low", "power", "POWER=HIGH", "power=\u202ehigh"])
    if name in ("version", "rules"):
        return rng.choice(["1", "2", "3", "0", "-1", "v2", files.any()])
    return pool(rng, UNICODE, ["ok text", "note", "Acme"], IDS)


def arguments(path: tuple[str, ...], command: click.Command, rng: random.Random, files: Files) -> list[str]:
    """A random argument list for the command, from its own parameters."""
    args = list(path)
    for param in command.params:
        if param.name == "help" or (isinstance(param, click.Option) and rng.random() < 0.55):
            continue
        if isinstance(param, click.Argument):
            if rng.random() < 0.05:
                continue
            count = rng.randint(0, 3) if param.nargs == -1 else 1
            args += [value_for(param, rng, files) for _ in range(count)]
            continue
        flag = max(param.opts, key=len)
        if param.is_flag:
            args.append(flag)
            continue
        for _ in range(rng.randint(2, 3) if param.multiple else 1):
            args += [flag, value_for(param, rng, files)]
    if rng.random() < 0.05:
        args.append(pool(rng, UNICODE, IDS))
    if rng.random() < 0.2:
        args = ["--as", pool(rng, UNICODE, ["ann"])] + args
    return args


ENV_BAD = {
    "RELLEDGER_USER": ["", " ", "\u202eann", "x" * 5000, "a\nb", "ann"],
    "RELLEDGER_KEY": ["", "zz", "0" * 64, "g" * 64, "0" * 63, " " + "0" * 64, "0" * 128],
    "COLUMNS": ["", "0", "-5", "abc", "99999999999999999999", "1", "20"],
    "XDG_DATA_HOME": ["", "relative/dir", "/dev/null", "\u202e"],
    "XDG_CONFIG_HOME": ["", "relative/cfg", "/dev/null"],
    "RELLEDGER_DB": ["", " ", "postgresql://", "postgresql://u@h:0/db", "file://x", "/dev/null", "relative.db"],
}


def hostile_env(rng: random.Random) -> dict[str, str]:
    if rng.random() > 0.25:
        return {}
    name = rng.choice(sorted(ENV_BAD))
    return {name: rng.choice(ENV_BAD[name])}


# ----------------------------------------------------------------------------- damage

def damage_truncate(ledger: Path, keyfile: Path, rng: random.Random) -> str:
    data = ledger.read_bytes()
    ledger.write_bytes(data[: rng.choice([0, 50, 100, 4096, len(data) // 2, len(data) - 1])])
    return "truncated"


def damage_bytes(ledger: Path, keyfile: Path, rng: random.Random) -> str:
    data = bytearray(ledger.read_bytes())
    page = rng.randrange(1, max(2, len(data) // 4096))
    for _ in range(rng.randint(1, 40)):
        data[page * 4096 + rng.randrange(4096) if page * 4096 < len(data) else rng.randrange(len(data))] = rng.randrange(256)
    ledger.write_bytes(bytes(data))
    return f"random bytes in page {page}"


SQL_VALUES = ["NULL", "X'00'", "42", "-1", "'zero'", "randomblob(48)", "99999"]


def _sql(ledger: Path, statement: str) -> None:
    conn = sqlite3.connect(ledger)
    try:
        conn.execute(statement)
        conn.commit()
    except sqlite3.Error:
        pass  # the damage this schema refuses (a text rowid, a duplicate key) is not damage it can have
    finally:
        conn.close()


def damage_drop_table(ledger: Path, keyfile: Path, rng: random.Random) -> str:
    table = rng.choice(["view_events", "view_subjects", "view_positions", "event_chain", "contact_keys", "ledger_meta",
                        "relledger_meta", "event_ids", "stored_snapshots"])
    _sql(ledger, f"DROP TABLE {table}")
    return f"dropped {table}"


def damage_row(ledger: Path, keyfile: Path, rng: random.Random) -> str:
    """One column of one row (or of every row) of a table set to a value of another type."""
    table = rng.choice(["event_chain", "contact_keys", "stored_events", "ledger_meta", "relledger_meta", "view_positions"])
    conn = sqlite3.connect(ledger)
    try:
        column = rng.choice([row[1] for row in conn.execute(f"PRAGMA table_info({table})")])
    finally:
        conn.close()
    where = rng.choice(["", f" WHERE rowid = (SELECT rowid FROM {table} ORDER BY random() LIMIT 1)"])
    _sql(ledger, f"UPDATE {table} SET {column} = {rng.choice(SQL_VALUES)}{where}")
    return f"{table}.{column} changed"


def damage_keyfile(ledger: Path, keyfile: Path, rng: random.Random) -> str:
    choice = rng.choice(["missing", "empty", "short", "not hex", "other key", "directory", "bom"])
    keyfile.unlink()
    if choice == "directory":
        keyfile.mkdir()
    elif choice != "missing":
        keyfile.write_text({"empty": "", "short": "abc", "not hex": "z" * 64, "other key": "1" * 64,
                            "bom": "\ufeff" + "1" * 64}[choice])
    return f"key file {choice}"


DAMAGES = [damage_truncate, damage_bytes, damage_drop_table, damage_row, damage_row, damage_row, damage_keyfile]


# ----------------------------------------------------------------------------- running and checking

@dataclass
class Workspace:
    """A copy of the seeded ledger (and its key) for one run."""

    root: Path
    ledger: Path = field(init=False)
    config: Path = field(init=False)

    def __post_init__(self):
        self.ledger = self.root / "l.db"
        self.config = self.root / "cfg"

    def env(self) -> dict[str, str]:
        return {"RELLEDGER_DB": str(self.ledger), "RELLEDGER_USER": "fuzzer", "XDG_CONFIG_HOME": str(self.config),
                "XDG_DATA_HOME": str(self.root / "data"), "HOME": str(self.root / "home"), "RELLEDGER_KEY": None, "COLUMNS": "100",
                "RELLEDGER_DEBUG": None}

    def keyfile(self) -> Path:
        return next((self.config / "relledger" / "keys").iterdir())

    def snapshot(self) -> tuple:
        """What a refusal must leave as it was: the files (key files byte for byte) and the events."""
        files = {}
        for path in sorted(self.root.rglob("*")):
            if path.name.endswith(("-wal", "-shm", "-journal")):
                continue
            if path.is_file():  # (directories a refused command made empty are not counted)
                files[str(path.relative_to(self.root))] = hashlib.sha256(path.read_bytes()).hexdigest() if path.suffix == ".key" else ""
        return files, event_rows(self.ledger)


def event_rows(ledger: Path):
    if not ledger.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT COUNT(*), MAX(rowid) FROM stored_events").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"unreadable: {exc}"


def seed_template(root: Path) -> tuple[Workspace, list[dict], dict, dict]:
    """The seeded ledger, and the export, framework and rules documents read from it."""
    space = Workspace(root)
    root.mkdir(parents=True, exist_ok=True)
    for args in SEED:
        result = invoke(space, args)
        assert result.exit_code == 0, (args, result.output)
    export = [json.loads(line) for line in invoke(space, ["export"]).stdout.splitlines()]
    framework = json.loads(invoke(space, ["framework", "show", "--json"]).stdout)
    rules = json.loads(invoke(space, ["rules", "show", "--json"]).stdout)
    return space, export, framework, rules


def invoke(space: Workspace, args: list[str], env: dict | None = None, input: str | None = None):
    """Run in the workspace (relative paths and HOME land in it, where the checks look)."""
    here = os.getcwd()
    os.chdir(space.root)
    try:
        return CliRunner().invoke(cli, args, env={**space.env(), **(env or {})}, input=input)
    finally:
        os.chdir(here)


def copy_workspace(template: Workspace, root: Path) -> Workspace:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(template.root, root)
    return Workspace(root)


def problems(result, before, after, damaged: bool) -> list[str]:
    """Whatever the run did wrong, in words (empty: it behaved)."""
    found = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        found.append(f"raised {type(result.exception).__name__}: {result.exception}")
    err = result.stderr
    if "Traceback" in err:
        found.append("traceback on stderr")
    if "internal error" in err:
        found.append(f"internal error: {err.strip()[:300]}")
    if result.exit_code != 0:
        *line_reports, last = err.rstrip("\n").split("\n")  # import lists each bad line, then one Error line
        if not (last.startswith(("Error: ", "Aborted")) and all(re.match(r"^.+:\d+: \S", line) for line in line_reports)):
            found.append(f"refusal is not one 'Error:' line: {err[:300]!r}")
        if not damaged and before != after:
            found.append(f"refused but changed the workspace: {diff(before, after)}")
    return found


def diff(before, after) -> str:
    files_b, events_b = before
    files_a, events_a = after
    changed = sorted(set(files_a) ^ set(files_b)) + sorted(k for k in files_a if k in files_b and files_a[k] != files_b[k])
    return f"files {changed[:5]} events {events_b} -> {events_a}"
