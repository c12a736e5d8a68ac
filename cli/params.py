"""Parameter types and option sets shared by the commands."""

from __future__ import annotations

import functools
from typing import Any, Callable

import click

from ledger.cli.output import output_options
from ledger.errors import InvalidInputError


class When(click.ParamType):
    """WHEN: an ISO 8601 date or date-time, as aware UTC (see ledger.timeutil)."""

    name = "WHEN"

    def __init__(self, end_of_day: bool = False):
        self.end_of_day = end_of_day

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from ledger.timeutil import parse_when

        try:
            return parse_when(value, end_of_day=self.end_of_day)
        except InvalidInputError as exc:
            self.fail(str(exc).partition(": ")[2], param, ctx)


class Day(click.ParamType):
    """DATE: an ISO 8601 calendar date (YYYY-MM-DD)."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from datetime import date

        try:
            return value if isinstance(value, date) else date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not a date in the form YYYY-MM-DD", param, ctx)


def record_options(command: Callable) -> Callable:
    """--at, --id and --json for a record command, plus the shared context object."""

    @click.option("--at", type=When(), help="When it happened (default: now; may be past, never future).")
    @click.option("--id", "key", metavar="KEY", help="Idempotency key: repeating the command with it writes nothing more.")
    @output_options
    @click.pass_obj
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, **kwargs)

    return wrapper


def recorded(result: Any, fmt: str) -> None:
    """Render a record command's result: one line, or the event as JSON."""
    from ledger.cli.output import render

    data = result.event.as_record() | {"duplicate": result.duplicate}
    if result.also:  # written with it (a log's next step): listed under "also"
        data["also"] = [d.event.as_record() | {"duplicate": d.duplicate} for d in result.also]
    render(data, fmt, lambda r: "\n".join(map(_recorded_line, [r] + r.get("also", []))))


def _recorded_line(r: dict) -> str:
    who = ", ".join(r.get("contacts") or ()) if r["type"] == "interaction" and r.get("contacts") else r["handle"]
    if r["duplicate"]:
        return f"already recorded: {r['type']} {r['id']} for {who} (nothing written)"
    return f"recorded {r['type']} {r['id']} for {who}"


class Handles(click.Argument):
    """HANDLE... before a last argument (``log HANDLE... KIND``): click fills the last one
    first, so one word alone is that last argument; then it is the last one that is missing
    (as when HANDLE took one word), not the handles."""

    def handle_parse_result(self, ctx, opts, args):
        given = opts.get(self.name)
        if not (isinstance(given, (tuple, list)) and given) and isinstance(opts.get("kind"), str):
            opts[self.name] = (opts.pop("kind"),)  # the word given is a handle: KIND is what is missing
        return super().handle_parse_result(ctx, opts, args)

    def shell_complete(self, ctx, incomplete):
        """Handles, and once one is typed, the last argument's values too (the word may be either)."""
        found = super().shell_complete(ctx, incomplete)
        last = next((p for p in ctx.command.params if p.name == "kind"), None)
        if last is not None and ctx.params.get(self.name):
            found += last.shell_complete(ctx, incomplete)
        return found
