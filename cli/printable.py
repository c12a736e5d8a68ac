"""Text output's strings made printable: a note's newlines and tabs become spaces, control
characters escapes (JSON, CSV and TSV keep them as they are)."""

from __future__ import annotations

from typing import Any


def printable(data: Any) -> Any:
    """``data`` with every string made one printable line (a note's newlines and tabs become
    spaces, control characters escapes), for text output only: JSON, CSV and TSV keep them.
    Already printable (the common case), ``data`` itself."""
    if _all_printable(data):
        return data
    return _printable(data)


def _all_printable(data: Any) -> bool:
    """Whether ``data`` (plain dicts, lists, strings, numbers) holds only printable strings, so
    the walk would return an equal copy; a tuple or a subclass says no (the walk makes lists and
    plain dicts of them). A loop over each container's values, with exact type checks: the walk
    costs more than printing a long list."""
    values = data.values() if type(data) is dict else data if type(data) is list else None
    if values is None:
        return data.isprintable() if type(data) is str else not isinstance(data, (str, dict, list, tuple))
    for v in values:
        kind = type(v)
        if kind is str:
            if not v.isprintable():
                return False
        elif kind is list and (strings := _strings(v)) is not None:
            if not strings:
                return False
        elif not (v is None or kind is int or kind is bool or kind is float or _all_printable(v)):
            return False
    return True


def _strings(values: list) -> bool | None:
    """Whether a list of strings is all printable (None: not a list of strings)."""
    try:
        return "".join(values).isprintable()
    except TypeError:
        return None


def _printable(data: Any) -> Any:
    if isinstance(data, str):
        return data if data.isprintable() else one_line(data)
    if isinstance(data, dict):
        return {k: _printable(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_printable(v) for v in data]
    return data


def one_line(message: str) -> str:
    """A message as one printable line: whitespace runs become one space, control characters escapes."""
    text = " ".join(message.split())
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
