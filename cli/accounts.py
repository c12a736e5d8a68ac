"""Account commands (seeds 002 and 004): map, gaps, goals, initiatives, plan, review, due."""

from __future__ import annotations

import click

from ledger.cli import account_tables as tables
from ledger.cli.output import read_output, render
from ledger.cli.params import Day, When, record_options, recorded
from ledger.cli.read import answers, read_options
from ledger.errors import UnknownEventError, UnknownHandleError

COLD = click.option("--cold", type=click.IntRange(min=1), metavar="DAYS",
                    help="No two-way contact for DAYS counts as gone cold (default: 60).")


@click.command("map")
@click.argument("account")
@COLD
@read_options(extra=("mermaid", "dot"))
def map_(obj, account, cold, at, as_of, fmt):
    """The relationship map of ACCOUNT: every contact, grouped by quadrant, with its gaps."""
    from ledger.projections.accounts import relationship_map

    data = relationship_map(answers(obj, at, as_of, UnknownHandleError(account, "account")), account, cold)
    if fmt in ("mermaid", "dot"):  # diagrams with the reporting lines
        return click.echo({"mermaid": tables.mermaid, "dot": tables.dot}[fmt](data))
    render(data, fmt, tables.relationship_map)


@click.command("gaps")
@click.option("--account", metavar="A", help="Only this account (default: every account).")
@COLD
@read_options
def gaps(obj, account, cold, at, as_of, fmt):
    """Coverage gaps and strengths, with the contacts and events behind each."""
    from ledger.projections.accounts import account_gaps, every_gaps

    found = answers(obj, at, as_of, UnknownHandleError(account, "account") if account else None)
    if found is None:
        return render([], fmt, tables.gaps)
    render([account_gaps(found, account, cold)] if account else every_gaps(found, cold), fmt, tables.gaps)


@click.group("goal")
def goal() -> None:
    """Goals in an account's relationship plan."""


@goal.command("add")
@click.argument("account")
@click.argument("text")
@click.option("--target", type=Day(), required=True, help="Target date (YYYY-MM-DD).")
@record_options
def goal_add(obj, account, text, target, at, key, fmt):
    """Add a goal (TEXT) to ACCOUNT's plan; prints the goal's id."""
    app = obj.writer(missing=UnknownHandleError(account, "account"))
    recorded(app.set_goal(account, text, target, at=at, key=key), fmt)


@click.group("initiative")
def initiative() -> None:
    """Key initiatives under a goal: detailed, owned and time-bound."""


@initiative.command("add")
@click.argument("goal_id")
@click.argument("text")
@click.option("--owner", required=True, help="Who carries it out.")
@click.option("--due", type=Day(), required=True, help="Due date (YYYY-MM-DD), not in the past.")
@click.option("--contact", "contacts", multiple=True, metavar="HANDLE", help="A contact it targets (repeatable).")
@record_options
def initiative_add(obj, goal_id, text, owner, due, contacts, at, key, fmt):
    """Add an initiative (TEXT) under the goal GOAL_ID."""
    app = obj.writer(missing=UnknownEventError(goal_id))
    recorded(app.add_initiative(goal_id, text, owner, due, contacts, at=at, key=key), fmt)


def _closer(status: str, verb: str):
    @click.argument("initiative_id")
    @click.option("--note", help="How it went.")
    @record_options
    def close(obj, initiative_id, note, at, key, fmt):
        app = obj.writer(missing=UnknownEventError(initiative_id))
        recorded(app.close_initiative(initiative_id, status, note, at=at, key=key), fmt)

    close.__doc__ = f"Mark the initiative INITIATIVE_ID {verb}."
    return initiative.command(status.replace("dropped", "drop"))(close)


_closer("done", "done")
_closer("dropped", "dropped")


@click.command("plan")
@click.argument("account")
@read_options
def plan(obj, account, at, as_of, fmt):
    """ACCOUNT's goals and initiatives, each open, late, done or dropped."""
    from ledger.projections.accounts import plan as account_plan

    render(account_plan(answers(obj, at, as_of, UnknownHandleError(account, "account")), account), fmt, tables.plan)


@click.command("review")
@click.argument("account")
@click.option("--note", help="What the review concluded (records a review).")
@click.option("--every", type=click.IntRange(1, 24), metavar="MONTHS", help="Review cadence from now on (default: 3, a quarter).")
@click.option("--since-last", is_flag=True, help="Show what changed since the latest review instead of recording one.")
@click.option("--at", "at_text", metavar="WHEN", help="When the review was held (or, with --since-last, the moment asked about).")
@click.option("--as-of", "as_of", type=When(end_of_day=True), help="With --since-last: as known at this moment.")
@click.option("--id", "key", metavar="KEY", help="Idempotency key for the review.")
@COLD
@read_output
@click.pass_obj
def review(obj, account, note, every, since_last, at_text, as_of, key, cold, fmt):
    """Record a review of ACCOUNT's plan (--note), or show what changed since the last one (--since-last)."""
    from ledger.timeutil import parse_when

    if since_last == (note is not None):
        raise click.UsageError("give --note TEXT to record a review, or --since-last to see what changed")
    at = parse_when(at_text, end_of_day=since_last) if at_text else None
    if since_last:
        from ledger.projections.accounts import since_last_review

        found = answers(obj, at, as_of, UnknownHandleError(account, "account"))
        return render(since_last_review(found, account, cold), fmt, tables.since_last)
    app = obj.writer(missing=UnknownHandleError(account, "account"))
    recorded(app.hold_review(account, note, every, at=at, key=key), fmt)


@click.command("due")
@click.option("--account", metavar="A", help="Only this account.")
@COLD
@read_options
def due(obj, account, cold, at, as_of, fmt):
    """What is overdue across accounts: reviews, initiatives, contacts to get back to."""
    from ledger.projections.worklist import due as overdue

    found = answers(obj, at, as_of, UnknownHandleError(account or "?", "account") if account else None)
    render(overdue(found, account, cold) if found else [], fmt, tables.due)


COMMANDS = [map_, gaps, goal, initiative, plan, review, due]
