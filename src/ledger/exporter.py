"""Export: every event in ledger order, in the format import reads (CSV cells as ``transfer.to_csv`` makes them)."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterator

from ledger.transfer import CSV_COLUMNS, to_csv


def lines(app, account: str | None = None, page: int = 1000, damaged: list | None = None) -> Iterator[dict]:
    """Each event as an import line, oldest recorded first; personal data of forgotten contacts is absent.
    An event whose sealed fields cannot be opened is exported without them, marked ``unreadable``;
    one that does not read at all is left out. Both are appended to ``damaged`` as
    (position, exported)."""
    from pydantic import ValidationError

    kinds: dict[str, tuple[str, str | None]] = {}  # handle -> (kind, account)
    damaged = [] if damaged is None else damaged
    start = 1
    while notifications := app.recorder.select_notifications(start, page):
        for n in notifications:
            if n.topic.endswith(":Snapshot"):
                continue
            try:
                event = app.mapper.to_domain_event(n)
                line = _line(event, kinds)
            except (ValueError, KeyError, TypeError, AttributeError, ImportError, ValidationError):
                damaged.append((n.id, False))  # not even its JSON or its type reads: 'verify' names it
                continue
            if event.id in app.mapper.unreadable:
                line["unreadable"], line["redacted"] = True, True
                damaged.append((n.id, True))
            if account is None or _belongs(line, kinds, account):
                yield line
        start = notifications[-1].id + 1


def _line(event, kinds: dict) -> dict:
    record = event.as_record()
    handle = record.pop("handle")
    kind = record["type"]
    if kind in ("account", "contact"):
        kinds[handle] = (kind, handle if kind == "account" else record.get("account"))
    line = {"type": kind, "id": record.pop("id")}
    if handle is not None:
        line["contact" if kinds.get(handle, ("account",))[0] == "contact" else "account"] = handle
    if kind == "contact" and record.get("account"):
        line["account"] = record["account"]
    line.update(occurred_at=record.pop("occurred_at"), recorded_at=record.pop("recorded_at"), recorded_by=record.pop("by"))
    line.update({k: v for k, v in record.items() if v is not None and k not in ("type", "account")})
    if kind == "interaction" and not line.get("contacts"):
        line.pop("contacts", None)  # one contact: `contact` alone (ADR 0017)
    return line


def _belongs(line: dict, kinds: dict, account: str) -> bool:
    handle = line.get("contact") or line.get("account")
    return handle is not None and (handle == account or kinds.get(handle, (None, None))[1] == account)


def write_jsonl(rows: Iterator[dict], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterator[dict], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(to_csv(row))
        count += 1
    return count
