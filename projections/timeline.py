"""Time on the read side: microseconds since the epoch (UTC), and bitemporal filtering.

A record is a dict from the event view: ``id``, ``type``, ``handle``, ``occurred`` and
``recorded`` (integers, microseconds UTC), ``by`` and the event's non-personal fields.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MICROS = timedelta(microseconds=1)
DAY = 86_400_000_000


def micros(moment: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch."""
    return (moment - EPOCH) // MICROS


def moment(us: int) -> datetime:
    """Integer microseconds back to an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=us)


def iso(us: int) -> str:
    """Integer microseconds as ISO 8601 UTC text."""
    return moment(us).isoformat()


def in_valid_order(records: Iterable[dict]) -> list[dict]:
    """Oldest first by when it happened; ties by when it was recorded."""
    return sorted(records, key=lambda r: (r["occurred"], r["recorded"]))


def knowledge(records: Iterable[dict], as_of: int) -> tuple[list[dict], dict[str, str]]:
    """What the ledger knew at ``as_of``: events recorded by then, less those retracted by then.

    Returns the counting events in valid-time order (retractions removed) and a map from
    each retracted id to the retraction's id.
    """
    seen = [r for r in records if r["recorded"] <= as_of]
    retracted = {r["target"]: r["id"] for r in seen if r["type"] == "retraction"}
    counting = [r for r in seen if r["type"] != "retraction" and r["id"] not in retracted]
    return in_valid_order(counting), retracted
