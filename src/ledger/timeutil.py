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


DUE_HELP = ("an ISO 8601 date or date-time (as --at), today, tomorrow, +Nd, +Nw or a weekday "
            "(monday..sunday: the next one after today)")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^\+(\d{1,4})([dw])$")


def parse_due(text: str, base: datetime, *, field: str = "due") -> datetime:
    """A due moment: WHEN, or a day relative to ``base`` (the --at of the command), at midnight UTC."""
    value = (text or "").strip().lower()
    day = to_utc(base).date()
    if value in ("today", "tomorrow"):
        return _midnight(day.toordinal() + (value == "tomorrow"))
    if found := _RELATIVE.match(value):
        return _midnight(day.toordinal() + int(found.group(1)) * (7 if found.group(2) == "w" else 1))
    names = [w for w in _WEEKDAYS if len(value) >= 3 and w.startswith(value)]
    if len(names) == 1:
        return _midnight(day.toordinal() + ((_WEEKDAYS.index(names[0]) - day.weekday() - 1) % 7 + 1))
    try:
        return parse_when(text, field=field)
    except InvalidInputError as exc:
        if "out of range" in str(exc):
            raise
        raise InvalidInputError(field, f"'{text}' is not {DUE_HELP}") from None


def _midnight(ordinal: int) -> datetime:
    try:
        found = datetime.combine(date.fromordinal(ordinal), time(), timezone.utc)
    except (ValueError, OverflowError):
        found = None
    if found is None or not 1 < found.year < 9999:
        raise InvalidInputError("due", "out of range; give a moment from the year 2 to 9998")
    return found
