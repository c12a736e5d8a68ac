"""Contact reports folded from event records (the dicts of ``LedgerEvent.as_record``).

Pure functions over plain data: no database, no pydantic, so they are easy to test
from a list of past events and cheap to import.
"""

from __future__ import annotations

from typing import Any, Iterable

from ledger.framework import DIMENSION_ORDER, Framework


def valid_time_order(records: Iterable[dict]) -> list[dict]:
    """Oldest first by when it happened; ties by when it was recorded."""
    return sorted(records, key=lambda r: (r["occurred_at"], r["recorded_at"]))


def retractions(records: Iterable[dict]) -> dict[str, str]:
    """Retracted event id -> the id of the retraction."""
    return {r["target"]: r["id"] for r in records if r["type"] == "retraction"}


def contact_card(records: list[dict], framework: Framework) -> dict[str, Any]:
    """Who the contact is, the four dimensions as last assessed, and the framework's action."""
    registered = next(r for r in records if r["type"] == "contact")
    retracted = retractions(records)
    dimensions: dict[str, str | None] = dict.fromkeys(DIMENSION_ORDER)
    evidence: dict[str, str | None] = dict.fromkeys(DIMENSION_ORDER)
    for record in valid_time_order(records):
        if record["type"] == "assessment" and record["id"] not in retracted:
            for name, value in record["dimensions"].items():
                dimensions[name], evidence[name] = value, record["id"]
    row = framework.row_for(dimensions)
    return {
        "handle": registered["handle"],
        "name": registered["name"],
        "title": registered["title"],
        "account": registered["account"],
        "roles": registered["roles"],
        "forgotten": any(r["type"] == "forgotten" for r in records),
        "dimensions": dimensions,
        "evidence": evidence,
        "action": framework.action_for(dimensions),
        "framework": {"name": framework.name, "version": framework.version, "row": row["row"] if row else None},
    }


def contact_history(handle: str, records: list[dict]) -> dict[str, Any]:
    """Every event of the contact, oldest first, each marked if it was retracted."""
    retracted = retractions(records)
    events = [dict(r, retracted_by=retracted.get(r["id"])) for r in valid_time_order(records)]
    return {"handle": handle, "events": events}
