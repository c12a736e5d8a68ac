"""One output option set and one renderer: reports are plain data, formats render them."""

from __future__ import annotations

import functools
import json
from typing import Any, Callable

import click


def output_options(command: Callable) -> Callable:
    """Add ``--json`` to a command; the command receives ``fmt`` ('table' or 'json')."""

    @click.option("--json", "fmt", flag_value="json", default=False, help="Print JSON instead of text.")
    @functools.wraps(command)
    def wrapper(*args: Any, fmt: Any, **kwargs: Any) -> Any:
        return command(*args, fmt=fmt or "table", **kwargs)

    return wrapper


def render(data: Any, fmt: str, table: Callable[[Any], str]) -> None:
    """Print ``data`` as JSON, or as text made by the report's own ``table`` function."""
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(table(data))


def columns(rows: list[list[str]], gap: str = "  ") -> str:
    """Left-aligned columns, trailing spaces trimmed."""
    if not rows:
        return ""
    widths = [max(len(str(r[i])) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    return "\n".join(gap.join(str(c).ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows)


def one_line(message: str) -> str:
    """A message as one printable line: whitespace runs become one space, control characters escapes."""
    text = " ".join(message.split())
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
