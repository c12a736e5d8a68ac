"""Import and export formats: JSONL (the export format) and CSV, keeping ids and both times.

This module only reads and writes formats: a line becomes a ``Command`` (``parse``), which
the rules decide like any CLI command (``ledger.importer``). CSV cells holding lists are
joined with ';' (a ';' or '\\' inside an item is escaped with '\\'), and a cell a spreadsheet
would run as a formula (starting with =, +, -, @, a tab or a carriage return) is written
with a leading apostrophe, which import removes again (ADR 0011, ADR 0012).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator

from ledger import events as ev
from ledger.commands import Command
from ledger.errors import InvalidInputError
from ledger.facts import FACTS
from ledger.timeutil import WHEN_HELP, parse_when
from ledger.vocabulary import DIMENSIONS, allowed

BASE = ("type", "id", "contact", "account", "occurred_at", "recorded_at", "recorded_by")
LIST_FIELDS = ("roles", "tags", "contacts")
CSV_COLUMNS = list(dict.fromkeys(BASE + tuple(f for facts in FACTS for f in facts.fields) + ("redacted",)))
CONTACT_ONLY = {f.type for f in FACTS if f.subject == "contact"}
_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by errors="surrogateescape"
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")
csv.field_size_limit(2**31 - 1)  # a long cell is judged by the field's own limit, with its name


@dataclass
class Report:
    """What an import found and did."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    written: int = 0
    already: int = 0
    lines: int = 0
    total: int = 0  # events to write after validation
    head: int | None = None  # the ledger's newest notification when validation ended


def read_lines(source: str, fmt: str) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, object or None, error) for every line of a JSONL or CSV file, or of standard
    input for '-' (UTF-8, a BOM allowed; read once, so a pipe will do)."""
    text = dict(encoding="utf-8-sig", errors="surrogateescape", newline="")
    if source == "-":
        handle = io.TextIOWrapper(sys.stdin.buffer, **text)
        try:
            yield from (_csv_lines(handle) if fmt == "csv" else _jsonl_lines(handle))
        finally:
            handle.detach()  # standard input stays open
        return
    with open(source, **text) as handle:
        yield from (_csv_lines(handle) if fmt == "csv" else _jsonl_lines(handle))


def _jsonl_lines(handle) -> Iterator[tuple[int, dict | None, str | None]]:
    from pydantic_core import from_json  # jiter: several times stdlib json's speed

    for number, text in enumerate(handle, 1):
        if not text.strip():
            continue
        if bad := _not_utf8(text):
            yield number, None, bad
            continue
        try:
            obj = from_json(text)
        except ValueError:  # stdlib json decides, and words the error
            try:
                obj = json.loads(text)
            except (json.JSONDecodeError, RecursionError) as exc:
                yield number, None, f"not JSON ({getattr(exc, 'msg', 'nested too deeply')})"
                continue
        yield (number, obj, None) if isinstance(obj, dict) else (number, None, "not a JSON object")


def _csv_lines(handle) -> Iterator[tuple[int, dict | None, str | None]]:
    reader = csv.DictReader(handle)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        yield 1, None, f"not CSV ({exc})"
        return
    missing = {"type", "id", "occurred_at"} - set(fieldnames)
    if missing:
        yield 1, None, f"header: missing column(s) {', '.join(sorted(missing))}"
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, None, f"not CSV ({exc})"
            continue
        bad = next((b for v in row.values() if isinstance(v, str) and (b := _not_utf8(v))), None)
        yield (reader.line_num, None, bad) if bad else (reader.line_num, from_csv(row), None)


def _not_utf8(text: str) -> str | None:
    """'not UTF-8 ...' when the text holds bytes that did not decode, else None."""
    if text.isascii() or not (bad := _UNDECODED.search(text)):
        return None
    return f"not UTF-8 (byte 0x{ord(bad.group()) - 0xDC00:02x} at character {bad.start() + 1}); save the file as UTF-8"


def from_csv(row: dict) -> dict:
    """A CSV row as the JSON object of the same line."""
    obj = {k: unguard(v) for k, v in row.items() if k and v not in (None, "")}
    for key in LIST_FIELDS:
        if key in obj:
            obj[key] = split_list(obj[key])
    if "dimensions" in obj:
        obj["dimensions"] = dict(pair.split("=", 1) for pair in split_list(obj["dimensions"]) if "=" in pair)
    if "rows" in obj:
        try:
            obj["rows"] = json.loads(obj["rows"])
        except json.JSONDecodeError as exc:
            obj["rows"] = f"rows: not JSON ({exc.msg})"  # reported by parse, with the line
    for key in ("every_months", "version"):
        if key in obj and str(obj[key]).isdigit():
            obj[key] = int(obj[key])
    obj["redacted"] = obj.get("redacted") in ("true", "True", "1")
    return obj


def to_csv(row: dict) -> dict:
    """An export line flattened into CSV cells, lists escaped and formulas neutralised."""
    flat = dict(row)
    for key in LIST_FIELDS:
        if key in flat:
            flat[key] = join_list(flat[key])
    if "dimensions" in flat:
        flat["dimensions"] = join_list(f"{k}={v}" for k, v in flat["dimensions"].items())
    if "rows" in flat:
        flat["rows"] = json.dumps(flat["rows"])
    return {k: guard(v) if isinstance(v, str) else v for k, v in flat.items()}


def join_list(items) -> str:
    return ";".join(str(i).replace("\\", "\\\\").replace(";", "\\;") for i in items)


def split_list(cell: str) -> list[str]:
    items, current, chars = [], "", iter(cell)
    for char in chars:
        if char == "\\":
            current += next(chars, "")
        elif char == ";":
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [i for i in items if i]


def guard(cell: str) -> str:
    """A cell a spreadsheet would not run as a formula (a leading apostrophe when needed)."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def unguard(cell: str) -> str:
    """The cell as exported before ``guard``."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA) else cell


def parse(number: int, obj: dict) -> Command:
    """One line's shape as a command (the rules judge its content, as for the CLI's)."""
    kind = obj.get("type")
    cls = ev.EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise InvalidInputError("type", f"'{_short(kind)}' is not allowed; allowed: {allowed(ev.EVENT_TYPES)}")
    if obj.get("id") in (None, ""):
        raise InvalidInputError("id", "missing; every line needs an id (its idempotency key)")
    own = bool(cls.FACTS.stream)  # a stream of its own (framework, rules): no handle
    handle = None if own else (obj.get("account") if kind == "account" else obj.get("contact") or obj.get("account"))
    if kind == "interaction" and not handle:  # several contacts: the first is the event's (ADR 0017)
        handle = _first(obj.get("contacts"))
    if not own and not handle:
        raise InvalidInputError("contact" if kind in CONTACT_ONLY | {"contact"} else "account", "missing")
    fields = {k: v for k, v in obj.items() if k in cls.FACTS.fields}
    if kind == "contact":
        fields["account"] = obj.get("account") if obj.get("contact") else None
    if obj.get("redacted") is True:  # exported after 'forget': the personal fields are gone for good
        fields.update(dict.fromkeys(cls.PERSONAL))
    if kind == "assessment":
        fields["dimensions"] = _dimensions(obj)
    if isinstance(fields.get("rows"), str):
        raise InvalidInputError("rows", fields["rows"].removeprefix("rows: "))
    return Command(kind, handle if isinstance(handle, str) or handle is None else str(handle), fields,
                   obj["id"] if isinstance(obj["id"], str) else _short(obj["id"]),
                   _when(obj, "occurred_at", required=True), _when(obj, "recorded_at"), obj.get("recorded_by"), number)


def _first(contacts: Any) -> Any:
    if contacts is None:
        return None
    if not isinstance(contacts, list) or not contacts:
        raise InvalidInputError("contacts", "must be a list of contact handles, e.g. [\"acme/jane\", \"acme/raj\"]")
    return contacts[0]


def _dimensions(obj: dict) -> dict:
    given = obj.get("dimensions", {d: obj[d] for d in DIMENSIONS if d in obj})
    if not isinstance(given, dict):
        raise InvalidInputError("dimensions", "must be an object of DIMENSION: VALUE, e.g. {\"power\": \"high\"}")
    return given


def _when(obj: dict, key: str, required: bool = False):
    value = obj.get(key)
    if value in (None, ""):
        if required:
            raise InvalidInputError(key, "missing")
        return None
    if not isinstance(value, str):
        raise InvalidInputError(key, f"{_short(value)} is not {WHEN_HELP}, as text")
    return parse_when(value, field=key)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
