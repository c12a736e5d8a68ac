"""Input checks that turn bad values into one-line InvalidInputErrors."""

from __future__ import annotations

import re
from typing import Any

from ledger.errors import InvalidInputError
from ledger.vocabulary import DIMENSIONS, EVENT_ID_HELP, EVENT_ID_PATTERN, HANDLE_HELP, HANDLE_PATTERN, allowed

_HANDLE = re.compile(f"^{HANDLE_PATTERN}$")
_KEY = re.compile(f"^{EVENT_ID_PATTERN}$")
_VALID: set[str] = set()  # handles already checked (a bulk import names the same few often)
_FIELD_NAMES = {"roles": "role", "tags": "tag", "recorded_by": "as", "occurred_at": "at", "id": "id"}


def check_handle(handle: str, field: str = "handle") -> str:
    """A handle as typed, or InvalidInputError saying what a handle may contain."""
    if isinstance(handle, str) and handle in _VALID:
        return handle
    if not isinstance(handle, str) or not _HANDLE.match(handle):
        raise InvalidInputError(field, f"'{handle}' is not a valid handle; use {HANDLE_HELP}")
    if len(_VALID) < 100_000:
        _VALID.add(handle)
    return handle


def check_key(key: str, field: str = "id") -> str:
    """An event id or idempotency key, or InvalidInputError."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise InvalidInputError(field, f"'{key}' is not a valid id; use {EVENT_ID_HELP}")
    return key


def check_dimensions(values: dict[str, str]) -> dict[str, str]:
    """Every name one of the four dimensions, every value one that dimension allows."""
    if not values:
        raise InvalidInputError("dimension", "give at least one DIMENSION=VALUE, e.g. power=high")
    for name, value in values.items():
        if name not in DIMENSIONS:
            raise InvalidInputError("dimension", f"'{name}' is unknown; allowed: {allowed(DIMENSIONS)}")
        if value not in DIMENSIONS[name]:
            raise InvalidInputError(name, f"'{value}' is not allowed; allowed: {allowed(DIMENSIONS[name])}")
    return values


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """DIMENSION=VALUE words into a dict (checked by check_dimensions)."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInputError("dimension", f"'{pair}' is not DIMENSION=VALUE (e.g. power=high)")
        if name.strip().lower() in values:
            raise InvalidInputError("dimension", f"'{name}' is given twice")
        values[name.strip().lower()] = value.strip().lower()
    return check_dimensions(values)


def invalid_input(exc: Any) -> InvalidInputError:
    """The first error of a pydantic ValidationError as a one-line InvalidInputError."""
    err = exc.errors()[0]
    names = [str(p) for p in err["loc"] if not isinstance(p, int)]
    field = _FIELD_NAMES.get(names[0], names[0]) if names else "value"
    kind, value = err["type"], err.get("input")
    if kind == "literal_error":
        expected = err["ctx"]["expected"].replace("'", "")
        return InvalidInputError(field, f"'{value}' is not allowed; allowed: {expected}")
    if kind in ("string_too_short", "missing") or (kind == "string_type" and value is None):
        return InvalidInputError(field, "must not be empty")
    return InvalidInputError(field, err["msg"].removeprefix("Value error, "))
