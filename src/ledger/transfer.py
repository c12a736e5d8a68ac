"""Import and export: JSONL (the export format) and CSV, keeping ids and both times.

Import reads the file twice: a validation pass (every line checked, with a simulated
ledger state for references) and, only if that passes (or with ``skip_invalid``), a write
pass in batches of one transaction each. It is idempotent by ``id``: lines whose id is
already in the ledger are skipped, so a rerun, or a resume after a kill, writes each event
exactly once.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator

from pydantic import ValidationError

from ledger import events as ev
from ledger.errors import InvalidInputError
from ledger.identity import FRAMEWORK_STREAM
from ledger.timeutil import not_in_future, parse_when, utcnow
from ledger.validation import check_dimensions, invalid_input
from ledger.vocabulary import DIMENSIONS, allowed

BASE = {"type", "id", "contact", "account", "occurred_at", "recorded_at", "recorded_by"}
LIST_FIELDS = ("roles", "tags", "contacts")
CSV_COLUMNS = ["type", "id", "contact", "account", "occurred_at", "recorded_at", "recorded_by", "name", "title",
               "roles", "reports_to", "kind", "direction", "outcome", "note", "tags", "about", "sentiment", "channel",
               "feedback", "dimensions", "reason", "milestone", "target", "text", "goal", "owner", "due", "contacts",
               "initiative", "status", "every_months", "version", "source", "rows", "redacted"]
CONTACT_ONLY = {"interaction", "feedback", "response", "assessment", "roles", "reporting", "forgotten"}
ACCOUNT_ONLY = {"goal", "initiative", "initiative-closed", "review"}
REFERENCES = {"response": ("feedback", ("feedback",)), "initiative": ("goal", ("goal",)),
              "initiative-closed": ("initiative", ("initiative",)), "retraction": ("target", ev.RETRACTABLE)}


@dataclass
class Item:
    """One line of an import file, parsed and validated into an event's fields."""

    line: int
    type: str
    id: str
    handle: str | None
    fields: dict[str, Any]
    occurred_at: datetime
    recorded_at: datetime | None
    recorded_by: str | None


@dataclass
class Report:
    """What an import found and did."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    written: int = 0
    already: int = 0
    lines: int = 0


def read_lines(path: str, fmt: str) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, object or None, error) for every line of a JSONL or CSV file."""
    with open(path, encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            reader = csv.DictReader(handle)
            missing = {"type", "id", "occurred_at"} - set(reader.fieldnames or [])
            if missing:
                yield 1, None, f"header: missing column(s) {', '.join(sorted(missing))}"
                return
            for row in reader:
                yield reader.line_num, _from_csv(row), None
            return
        from pydantic_core import from_json  # jiter: several times stdlib json's speed

        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            try:
                obj = from_json(text)
            except ValueError:  # stdlib json decides, and words the error
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as exc:
                    yield number, None, f"not JSON ({exc.msg})"
                    continue
            yield (number, obj, None) if isinstance(obj, dict) else (number, None, "not a JSON object")


def _from_csv(row: dict) -> dict:
    obj = {k: v for k, v in row.items() if k and v not in (None, "")}
    for key in LIST_FIELDS:
        if key in obj:
            obj[key] = [x for x in obj[key].split(";") if x]
    if "dimensions" in obj:
        obj["dimensions"] = dict(pair.split("=", 1) for pair in obj["dimensions"].split(";") if "=" in pair)
    for key in ("rows",):
        if key in obj:
            obj[key] = json.loads(obj[key])
    for key in ("every_months", "version"):
        if key in obj and str(obj[key]).isdigit():
            obj[key] = int(obj[key])
    obj["redacted"] = obj.get("redacted") in ("true", "True", "1")
    return obj


_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    if cls not in _FIELDS:
        _FIELDS[cls] = frozenset(cls.model_fields) - BASE - {"originator_id", "redacted"}
    return _FIELDS[cls]


def parse(number: int, obj: dict, *, check: bool = True) -> Item:
    """Check one line's shape and fields (the same validation as the CLI's); ``check=False``
    skips building the event, for lines already validated."""
    kind = obj.get("type")
    cls = ev.EVENT_TYPES.get(kind)
    if cls is None:
        raise InvalidInputError("type", f"'{kind}' is not allowed; allowed: {allowed(ev.EVENT_TYPES)}")
    if not obj.get("id"):
        raise InvalidInputError("id", "missing; every line needs an id (its idempotency key)")
    handle = None if kind in ev.GLOBAL_STREAMS else (obj.get("account") if kind == "account" else obj.get("contact") or obj.get("account"))
    if kind not in ev.GLOBAL_STREAMS and not handle:
        raise InvalidInputError("contact" if kind in CONTACT_ONLY | {"contact"} else "account", "missing")
    if "occurred_at" not in obj:
        raise InvalidInputError("occurred_at", "missing")
    names = _field_names(cls)
    fields = {k: v for k, v in obj.items() if k in names}
    if kind == "contact":
        fields["account"] = obj.get("account") if obj.get("contact") else None
    if obj.get("redacted"):  # exported after 'forget': the personal fields are gone for good
        fields.update(dict.fromkeys(cls.PERSONAL))
    if kind == "assessment" and "dimensions" not in fields:
        fields["dimensions"] = {d: obj[d] for d in DIMENSIONS if d in obj}
    if kind == "assessment":
        check_dimensions(fields["dimensions"])
    occurred = not_in_future(parse_when(str(obj["occurred_at"]), field="occurred_at"), field="occurred_at")
    recorded = not_in_future(parse_when(str(obj["recorded_at"]), field="recorded_at"), field="recorded_at") if obj.get("recorded_at") else None
    item = Item(number, kind, str(obj["id"]), handle, fields, occurred, recorded, obj.get("recorded_by"))
    if check:
        build(item, FRAMEWORK_STREAM, 0, "importer")  # validates every field
    return item


def build(item: Item, stream, version: int, user: str) -> ev.RecordedEvent:
    """The event a line stands for, at a stream position."""
    cls = ev.EVENT_TYPES[item.type]
    extra = {} if item.type in ev.GLOBAL_STREAMS else {"handle": item.handle}
    try:
        return cls(originator_id=stream, originator_version=version + 1, timestamp=item.recorded_at or utcnow(),
                   id=item.id, occurred_at=item.occurred_at, recorded_by=item.recorded_by or user, **extra, **item.fields)
    except ValidationError as exc:
        raise invalid_input(exc) from None
