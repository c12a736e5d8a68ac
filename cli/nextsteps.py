"""Next steps with a contact (ADR 0020): set, done, dropped, listed. Thin: parse, call, render."""

from __future__ import annotations

import click

from ledger.cli.output import render
from ledger.cli.params import record_options, recorded
from ledger.cli.read import answers, read_options
from ledger.errors import InvalidInputError, UnknownEventError, UnknownHandleError

DUE_HELP = "When it is due: as --at (a date alone: that day), or today, tomorrow, +3d, +2w, friday (the next one)."


def next_step(text: str | None, due: str | None, at) -> tuple | None:
    """A log's --next TEXT --due DATE as (text, due moment), None when neither is given; DATE
    relative forms count from --at (else now)."""
    if text is None and due is None:
        return None
    if text is None or due is None:
        raise InvalidInputError("next" if text is None else "due", "missing; give --next TEXT and --due DATE together")
    return text, due_moment(due, at)


def due_moment(due: str, at):
    from ledger.timeutil import parse_due, utcnow

    return parse_due(due, at or utcnow())


@click.group("next")
def next_() -> None:
    """Next steps with a contact: set, done, dropped; `due` lists them once due."""


@next_.command("add")
@click.argument("handle")
@click.argument("text")
@click.option("--due", required=True, metavar="DATE", help=DUE_HELP)
@record_options
def add(obj, handle, text, due, at, key, fmt):
    """Set a next step (TEXT, personal data) with the contact HANDLE; prints its id."""
    moment = due_moment(due, at)
    app = obj.writer(missing=UnknownHandleError(handle, "contact"))
    recorded(app.set_next_step(handle, text, moment, at=at, key=key), fmt)


def _closer(status: str, verb: str):
    @click.argument("step_id")
    @record_options
    def close(obj, step_id, at, key, fmt):
        app = obj.writer(missing=UnknownEventError(step_id))
        recorded(app.close_next_step(step_id, status, at=at, key=key), fmt)

    close.__doc__ = f"Mark the next step STEP_ID {verb}."
    return next_.command(verb.replace("dropped", "drop"))(close)


_closer("done", "done")
_closer("dropped", "dropped")


@next_.command("list")
@click.argument("handle", required=False)
@read_options
def list_(obj, handle, at, as_of, fmt):
    """Open next steps (of the contact or account HANDLE), the soonest due first."""
    from ledger.projections.nextsteps import step_list

    found = answers(obj, at, as_of, UnknownHandleError(handle) if handle else None)
    render(step_list(found, handle) if found else [], fmt, steps_table)


def steps_table(steps: list[dict]) -> str:
    from ledger.cli.output import columns

    if not steps:
        return "no open next steps"
    rows = [["due", "id", "contact", "step"]]
    rows += [[due_text(s["due"]) + (" (due)" if s["is_due"] else ""), s["id"], s["handle"], s["text"] or "-"]
             for s in steps]
    return columns(rows)


def due_text(moment: str) -> str:
    """A due moment as the day, or the day and time when it is not midnight UTC."""
    day, _, rest = moment.partition("T")
    return day if rest.startswith("00:00:00") else f"{day} {rest[:5]} UTC"


COMMANDS = [next_]
