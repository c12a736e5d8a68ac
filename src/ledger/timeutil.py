"""WHEN parsing: ISO 8601 dates and date-times, always returned as aware UTC."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone

from ledger.errors import InvalidInputError

WHEN_HELP = "an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T10:00:00+01:00"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def to_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive date-time is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def parse_when(text: str, *, field: str = "at", end_of_day: bool = False) -> datetime:
    """Parse WHEN. A date alone is midnight UTC (or the end of that day for reads)."""
    value = (text or "").strip()
    try:
        moment = _parse(value, end_of_day)
    except ValueError:
        raise InvalidInputError(field, f"'{text}' is not {WHEN_HELP}") from None
    except OverflowError:
        moment = None
    if moment is None or not 1 < moment.year < 9999:
        raise InvalidInputError(field, f"'{text}' is out of range; give a moment from the year 2 to 9998") from None
    return moment


def _parse(value: str, end_of_day: bool) -> datetime:
    if _DATE_ONLY.match(value):
        return datetime.combine(date.fromisoformat(value), time.max if end_of_day else time(), timezone.utc)
    return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")))


def not_in_future(moment: datetime, *, field: str = "at", now: datetime | None = None) -> datetime:
    """Refuse a moment later than now."""
    if moment > (now or utcnow()):
        raise InvalidInputError(field, f"{moment.isoformat()} is in the future; events are recorded once they have happened")
    return moment


def iso(moment: datetime) -> str:
    """The canonical text form of a stored time: ISO 8601 in UTC with an offset."""
    return to_utc(moment).isoformat()
