"""Read commands. They answer from the views (caught up first) and never create a ledger."""

from __future__ import annotations

import click

from ledger.cli import tables
from ledger.cli.output import output_options, read_output, render
from ledger.cli.params import When
from ledger.errors import UnknownHandleError
from ledger.vocabulary import DIMENSIONS

QUADRANTS = [f"{p}-{q}" for p in DIMENSIONS["power"] for q in DIMENSIONS["perception"]]
STAGES = ("courting", "dating", "engagement", "long-term", "ended")


def read_options(command=None, *, extra: tuple[str, ...] = ()):
    """--at and --as-of (both WHEN; a date alone means the end of that day) and the output
    options (--format, with a command's ``extra`` formats; --json; --no-pager)."""
    if command is None:
        return lambda command: read_options(command, extra=extra)
    command = read_output(command, extra=extra)
    command = click.option("--as-of", "as_of", type=When(end_of_day=True),
                           help="Answer with only what had been recorded by then.")(command)
    command = click.option("--at", type=When(end_of_day=True), help="The moment asked about (default: now).")(command)
    return click.pass_obj(command)


def answers(obj, at, as_of, missing: Exception):
    """Catch the views up, then answer about ``at`` as known at ``as_of``."""
    from ledger.projections.reports import Answers
    from ledger.projections.timeline import micros
    from ledger.timeutil import utcnow

    store = obj.views(missing)
    if store is None:
        return None
    now = utcnow()
    return Answers(store, micros(at or now), micros(as_of or now), current=at is None and as_of is None)


@click.command("status")
@read_output
@click.pass_obj
def status(obj, fmt):
    """Where the ledger is, what it holds, and each view's position."""
    from ledger.bootstrap import ledger_exists
    from ledger.stats import ledger_stats

    from ledger.verify import head, key_location

    exists = ledger_exists(obj.location)
    by_type = ledger_stats(obj.location if exists else None)
    found = answers(obj, None, None, None) if exists else None
    db = found.store.db if found else None
    data = {"ledger": obj.location, "exists": exists, "events": sum(by_type.values()),
            "head": head(db) if db else None, "key": key_location(db) if db else None,
            "accounts": by_type["account"], "contacts": by_type["contact"], "by_type": by_type,
            "views": found.store.positions() if found else {}, "rules": found.rules_info(found.at) if found else None}
    render(data, fmt, tables.status)


@click.command("show")
@click.argument("handle")
@read_options
def show(obj, handle, at, as_of, fmt):
    """Where HANDLE stands: a contact's dimensions, action, quadrant, band and stage;
    an account's stage and its contacts."""
    _contact_or_account(obj, handle, at, as_of, fmt, "show", tables.card)


def _contact_or_account(obj, handle, at, as_of, fmt, report: str, table) -> None:
    found = answers(obj, at, as_of, UnknownHandleError(handle))
    if found.is_account(handle):
        return render(found.account(handle), fmt, tables.account)
    render(getattr(found, report)(handle), fmt, table)


@click.command("why")
@click.argument("handle")
@read_options
def why(obj, handle, at, as_of, fmt):
    """Why the ledger recommends what it does for HANDLE: the row and the events behind it
    (for an account: why it is at its stage)."""
    _contact_or_account(obj, handle, at, as_of, fmt, "why", tables.why)


@click.command("history")
@click.argument("handle")
@read_options
def history(obj, handle, at, as_of, fmt):
    """Every event of the contact HANDLE, oldest first, and each move it made."""
    render(answers(obj, at, as_of, UnknownHandleError(handle, "contact")).history(handle), fmt, tables.history)


@click.command("list")
@click.option("--account", metavar="A", help="Only this account's contacts.")
@click.option("--action", metavar="TEXT", help="Only actions containing TEXT (e.g. 'risk').")
@click.option("--quadrant", type=click.Choice(QUADRANTS), help="Only this power-perception quadrant.")
@click.option("--stage", "stage_name", type=click.Choice(STAGES), help="Only this stage.")
@click.option("--stale", type=click.IntRange(min=0), metavar="DAYS", help="Only contacts with no two-way contact for DAYS.")
@read_options
def list_(obj, account, action, quadrant, stage_name, stale, at, as_of, fmt):
    """Every contact with its action, quadrant and stage."""
    found = answers(obj, at, as_of, UnknownHandleError(account or "?", "account") if account else None)
    rows = found.listing(account, action, quadrant, stage_name, stale) if found else []
    render(rows, fmt, tables.listing)


@click.command("trend")
@click.argument("handle", required=False)
@click.option("--account", metavar="A", help="The trend of a whole account instead of one contact.")
@click.option("--by", type=click.Choice(["week", "month", "quarter"]), default="month", show_default=True)
@read_options
def trend(obj, handle, account, by, at, as_of, fmt):
    """How HANDLE (or --account A) moved, period by period, with a sparkline."""
    if (handle is None) == (account is None):
        raise click.UsageError("give a contact HANDLE or --account A (one of them)")
    found = answers(obj, at, as_of, UnknownHandleError(handle or account, "contact" if handle else "account"))
    render(found.trend(handle, account, by), fmt, tables.trend)


@click.command("rebuild")
@output_options
@click.pass_obj
def rebuild(obj, fmt):
    """Recreate every view from zero (results are identical to the incremental ones)."""
    from ledger.bootstrap import missing_ledger

    store = obj.views(missing_ledger(obj.location), catch_up=False)
    count = store.rebuild()
    render({"events": count, "views": store.positions()}, fmt, lambda d: f"rebuilt views from {d['events']} events")


COMMANDS = [status, show, why, history, list_, trend, rebuild]
