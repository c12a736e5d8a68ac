"""One output option set and one renderer: reports are plain data, formats render them.

Reads take ``--format table|json|csv|tsv`` (``--json`` is an alias) and ``--no-pager``. A
table fits the width (COLUMNS, else the terminal's; a pipe with COLUMNS unset is never cut),
measured in display cells; long output goes through a pager on a terminal only.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import re
import sys
import unicodedata
from contextvars import ContextVar
from itertools import repeat, zip_longest
from typing import Any, Callable

import click

from ledger.cli.printable import one_line, printable  # noqa: F401 - one_line: used by other modules

FORMATS = ("table", "json", "csv", "tsv")
ELLIPSIS = "…"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # a colour escape: zero cells wide
MIN_CELLS = 4  # a table column is never shrunk below this
_LIMIT: ContextVar[int | None] = ContextVar("relledger_width", default=None)


def output_options(command: Callable) -> Callable:
    """Add ``--json`` to a command; the command receives ``fmt`` ('table' or 'json')."""

    @click.option("--json", "fmt", flag_value="json", default=False, help="Print JSON instead of text.")
    @functools.wraps(command)
    def wrapper(*args: Any, fmt: Any, **kwargs: Any) -> Any:
        return command(*args, fmt=fmt or "table", **kwargs)

    return wrapper


def read_output(command: Callable | None = None, *, extra: tuple[str, ...] = ()) -> Callable:
    """Add ``--format`` (FORMATS and a command's ``extra`` ones), its alias ``--json`` and
    ``--no-pager`` to a read; it receives ``fmt``."""
    if command is None:
        return functools.partial(read_output, extra=extra)

    @click.option("--format", "shape", type=click.Choice(FORMATS + extra), help="Output format (default: table).")
    @click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
    @click.option("--no-pager", "no_pager", is_flag=True, help="Never page long output.")
    @click.option("--color", "--colour", "colour", type=click.Choice(("auto", "always", "never")), default="auto",
                  help="Colour risk and potential: auto (a terminal without NO_COLOR), always or never.")
    @functools.wraps(command)
    def wrapper(*args: Any, shape: str | None, as_json: bool, no_pager: bool, colour: str, **kwargs: Any) -> Any:
        if as_json and shape not in (None, "json"):
            raise click.UsageError(f"--json and --format {shape} disagree; give one of them")
        click.get_current_context().meta.update({"relledger.no_pager": no_pager, "relledger.colour": colour})
        return command(*args, fmt="json" if as_json else shape or "table", **kwargs)

    return wrapper


def render(data: Any, fmt: str, table: Callable[[Any], str]) -> None:
    """Print ``data`` as JSON, CSV, TSV, or as text made by the report's own ``table`` function
    (without the cyclic collector: formatting makes many small objects and no cycles, and a
    collection would walk every row held, again and again, on a long list)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        _render(data, fmt, table)
    finally:
        if enabled:
            gc.enable()


def _render(data: Any, fmt: str, table: Callable[[Any], str]) -> None:
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt in ("csv", "tsv"):
        click.echo(delimited(data, "," if fmt == "csv" else "\t"), nl=False)
    else:
        from ledger.cli.colour import finish

        limit = width()
        token = _LIMIT.set(limit)
        try:
            text = table(printable(data))
        finally:
            _LIMIT.reset(token)
        _show(fit(finish(text), limit))


def rows_of(data: Any) -> list[dict]:
    """The rows a report is made of: a list of objects, the one list of objects inside an
    object (a history's events, a trend's periods), else the object itself as one row."""
    if isinstance(data, list):
        return [r if isinstance(r, dict) else {"value": r} for r in data]
    lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(r, dict) for r in v)]
    return lists[0] if lists else [data]


def delimited(data: Any, sep: str) -> str:
    """CSV or TSV: one header row named by the JSON keys, nested values as JSON. TSV is one
    record a line, unquoted: a backslash, tab, newline or carriage return inside a value is
    written ``\\``, ``\\t``, ``\\n``, ``\\r``."""
    rows = rows_of(data)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    table = [keys] + [[_cell(r.get(k)) for k in keys] for r in rows]
    if sep == "\t":
        return "".join("\t".join(v.translate(_TSV_ESCAPES) for v in row) + "\n" for row in table)
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as in the JSON
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def cells(char: str) -> int:
    """The terminal cells one character takes: 0 for combining marks and joiners, 2 for East
    Asian wide or full-width characters and emoji, else 1."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F") or 0x1F000 <= ord(char) <= 0x1FAFF:
        return 2
    return 1


def display_width(text: str) -> int:
    """The cells ``text`` takes on a terminal (colour escapes take none; ASCII: one cell a
    character, the common case)."""
    if "\x1b" in text:
        text = SGR.sub("", text)
    if text.isascii():
        return len(text)
    return sum(cells(c) for c in text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` cells, ending with an ellipsis when cut (colour escapes are
    kept whole, and a colour left open is closed)."""
    if display_width(text) <= limit:
        return text
    kept, used = [], 0
    for piece in re.split(f"({SGR.pattern})", text) if "\x1b" in text else [text]:
        if SGR.fullmatch(piece):
            kept.append(piece)
            continue
        for char in piece:
            if used + cells(char) > limit - 1:
                coloured = any(SGR.fullmatch(k) for k in kept)
                return "".join(kept) + ELLIPSIS + ("\x1b[0m" if coloured else "")
            kept.append(char)
            used += cells(char)
    return "".join(kept)


def width(env: dict = os.environ) -> int | None:
    """The width to fit: COLUMNS when set, else the terminal's; None for a pipe (never cut)."""
    try:
        if int(env.get("COLUMNS", "")) > 0:
            return int(env["COLUMNS"])
    except ValueError:
        pass
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def fit(text: str, limit: int | None) -> str:
    """Every line of ``text`` within ``limit`` cells (free text at a line's end is what gets cut)."""
    if limit is None:
        return text
    return "\n".join(clip(line, max(limit, 2)) for line in text.split("\n"))


def _show(text: str) -> None:
    """Echo, through a pager when a terminal would scroll (never with --no-pager or off a terminal)."""
    import shutil

    ctx = click.get_current_context(silent=True)
    quiet = ctx is not None and ctx.meta.get("relledger.no_pager")
    if not quiet and sys.stdout.isatty() and text.count("\n") + 1 > shutil.get_terminal_size().lines:
        click.echo_via_pager(text, color=True)  # PAGER, else less/more; colour already decided
    else:
        click.echo(text, color=True)


def columns(rows: list[list[str]], gap: str = "  ", keep: tuple[int, ...] = ()) -> str:
    """Left-aligned columns, padded by display width (wide characters count two), trailing
    spaces trimmed. Too wide for the width being fitted, the widest columns other than the
    ``keep`` ones (handles, dates) shrink first (cells cut with an ellipsis), never below
    MIN_CELLS; what still does not fit is cut at the line's end. Column by column, so that a
    long table (the due list) costs little per cell."""
    if not rows:
        return ""
    cols = list(map(_texts, zip_longest(*rows, fillvalue="")))
    cells = list(map(_cells, cols))
    widths = shrink([max(c) for c in cells], _LIMIT.get(), display_width(gap), keep)
    padded = [*map(_padded, cols[:-1], widths, cells), _last(cols[-1], widths[-1], cells[-1])]
    return "\n".join(map(str.rstrip, map(gap.join, zip(*padded))))


def _last(col: tuple[str, ...], width: int, cells: list[int]) -> tuple[str, ...] | list[str]:
    """The last column: cut when too wide, never padded (trailing spaces are trimmed anyway)."""
    return col if max(cells) <= width else [clip(text, width) for text in col]


def _texts(col: tuple) -> tuple[str, ...]:
    """A column's cells as text (joining checks they are strings already, in C)."""
    try:
        "".join(col)
        return col
    except TypeError:
        return tuple(map(str, col))


def _cells(col: tuple[str, ...]) -> list[int]:
    """The cells each text of a column takes (ASCII: its length, colour escapes aside)."""
    joined = "".join(col)
    if not joined.isascii():
        return list(map(display_width, col))
    if "\x1b" not in joined:
        return list(map(len, col))
    return [len(SGR.sub("", text)) if "\x1b" in text else len(text) for text in col]


def shrink(widths: list[int], limit: int | None, gap: int, keep: tuple[int, ...] = ()) -> list[int]:
    """Column widths within ``limit`` cells: the widest of those not kept narrowed one cell
    at a time."""
    widths = list(widths)
    free = [i for i in range(len(widths)) if i not in keep]
    if limit is None or not free:
        return widths
    excess = sum(widths) + gap * (len(widths) - 1) - limit
    while excess > 0:
        widest = max(free, key=lambda i: widths[i])
        if widths[widest] <= MIN_CELLS:
            break
        widths[widest] -= 1
        excess -= 1
    return widths


def _padded(col: tuple[str, ...], width: int, cells: list[int]) -> list[str]:
    """The column's cells padded (or cut with an ellipsis) to ``width`` cells."""
    if max(cells) <= width:
        if cells == list(map(len, col)):  # one cell a character: padded in C
            return list(map(str.ljust, col, repeat(width)))
        return [text + " " * (width - used) for text, used in zip(col, cells)]
    cut = [clip(text, width) for text in col]
    return [text + " " * (width - display_width(text)) for text in cut]
