"""Record commands: each parses, calls one application method, and prints one line."""

from __future__ import annotations

import click

from ledger.cli.output import output_options
from ledger.cli.params import Handles, record_options, recorded
from ledger.errors import UnknownEventError, UnknownHandleError
from ledger.vocabulary import DIRECTIONS, FEEDBACK_ABOUT, INTERACTION_KINDS, MILESTONES, OUTCOMES, ROLES, SENTIMENTS


@click.group("account")
def account() -> None:
    """Accounts: the customer organisations."""


@account.command("add")
@click.argument("handle")
@click.option("--name", required=True, help="The organisation's name.")
@record_options
def account_add(obj, handle, name, at, key, fmt):
    """Register an account under HANDLE (e.g. acme)."""
    recorded(obj.writer(create=True).register_account(handle, name, at=at, key=key), fmt)


@click.group("contact")
def contact() -> None:
    """Contacts: the people at a customer."""


@contact.command("add")
@click.argument("handle")
@click.option("--name", required=True, help="The person's name (personal data: erased by 'forget').")
@click.option("--account", "account_handle", metavar="ACCOUNT", help="Their account (default: the handle's prefix, if registered).")
@click.option("--title", help="Job title (personal data).")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="Role in the buying decision (repeatable).")
@click.option("--reports-to", "manager", metavar="HANDLE", help="The contact they report to.")
@record_options
def contact_add(obj, handle, name, account_handle, title, roles, manager, at, key, fmt):
    """Register a contact under HANDLE (e.g. acme/jane)."""
    app = obj.writer(create=True)
    recorded(app.register_contact(handle, name, account_handle, title, roles, at=at, key=key, reports_to=manager), fmt)


@contact.command("roles")
@click.argument("handle")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="A role (repeatable); none clears them.")
@record_options
def contact_roles(obj, handle, roles, at, key, fmt):
    """Set the roles of the contact HANDLE in the buying decision (the whole set)."""
    app = obj.writer(missing=UnknownHandleError(handle, "contact"))
    recorded(app.change_roles(handle, roles, at=at, key=key), fmt)


@contact.command("reports-to")
@click.argument("handle")
@click.argument("manager")
@record_options
def contact_reports_to(obj, handle, manager, at, key, fmt):
    """Record that HANDLE reports to MANAGER (a contact; '-' for nobody we know of)."""
    app = obj.writer(missing=UnknownHandleError(handle, "contact"))
    recorded(app.set_reporting_line(handle, None if manager == "-" else manager, at=at, key=key), fmt)


@click.command("log")
@click.argument("handles", nargs=-1, required=True, metavar="HANDLE...", cls=Handles)
@click.argument("kind", type=click.Choice(INTERACTION_KINDS), metavar="KIND")
@click.option("--direction", type=click.Choice(DIRECTIONS), default="outbound", show_default=True, help="Who reached out.")
@click.option("--outcome", type=click.Choice(OUTCOMES), help="How an outbound attempt went.")
@click.option("--note", help="What was said (personal data).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--next", "next_text", metavar="TEXT", help="A next step to set in the same write (personal data).")
@click.option("--due", metavar="DATE", help="When the --next step is due: as --at, or today, tomorrow, +3d, +2w, friday.")
@record_options
def log(obj, handles, kind, direction, outcome, note, tags, next_text, due, at, key, fmt):
    """Log an interaction of KIND with the contact HANDLE (or several: one event, one id).

    KIND is one of: call, email, meeting, message, event, other.
    """
    from ledger.cli.nextsteps import next_step

    step = next_step(next_text, due, at)
    handle, contacts = handles[0], handles if len(handles) > 1 else ()
    app = obj.writer(missing=UnknownHandleError(handle, "contact"))
    recorded(app.record_interaction(handle, kind, direction, outcome, note, tags, at=at, key=key,
                                    contacts=contacts, next_step=step), fmt)


@click.command("feedback")
@click.argument("handle")
@click.option("--about", required=True, type=click.Choice(FEEDBACK_ABOUT), help="What the feedback is about.")
@click.option("--sentiment", required=True, type=click.Choice(SENTIMENTS), help="How they feel about it.")
@click.option("--note", help="What they said (personal data).")
@click.option("--channel", metavar="C", help="Where it came from, e.g. survey, call, email.")
@record_options
def feedback(obj, handle, about, sentiment, note, channel, at, key, fmt):
    """Record feedback the contact HANDLE gave."""
    app = obj.writer(missing=UnknownHandleError(handle, "contact"))
    recorded(app.receive_feedback(handle, about, sentiment, note, channel, at=at, key=key), fmt)


@click.command("respond")
@click.argument("feedback_id")
@click.option("--note", required=True, help="Our response (personal data).")
@record_options
def respond(obj, feedback_id, note, at, key, fmt):
    """Record our response to the feedback FEEDBACK_ID."""
    app = obj.writer(missing=UnknownEventError(feedback_id))
    recorded(app.respond(feedback_id, note, at=at, key=key), fmt)


@click.command("assess")
@click.argument("handle")
@click.argument("assignments", nargs=-1, required=True, metavar="DIMENSION=VALUE...")
@click.option("--reason", help="Why (personal data).")
@record_options
def assess(obj, handle, assignments, reason, at, key, fmt):
    """Assess one or more of the contact HANDLE's four dimensions.

    \b
    relationship=yes|no        would they take or return your call?
    power=low|high             can they make or break your goals?
    perception=detractor|advocate   of your company and product, not you
    activity=passive|active    do they act on their opinions?
    """
    from ledger.validation import parse_assignments

    values = parse_assignments(assignments)
    app = obj.writer(missing=UnknownHandleError(handle, "contact"))
    recorded(app.assess(handle, values, reason, at=at, key=key), fmt)


@click.command("milestone")
@click.argument("handle")
@click.argument("milestone", type=click.Choice(MILESTONES), metavar="MILESTONE")
@click.option("--note", help="A note (personal data when on a contact).")
@record_options
def milestone(obj, handle, milestone, note, at, key, fmt):
    """Record a MILESTONE on the account or contact HANDLE.

    MILESTONE is one of: contract-signed, long-term-commitment, ended.
    """
    app = obj.writer(missing=UnknownHandleError(handle))
    recorded(app.reach_milestone(handle, milestone, note, at=at, key=key), fmt)


@click.command("retract")
@click.argument("event_id")
@click.option("--reason", required=True, help="Why the event was a mistake.")
@click.option("--id", "key", metavar="KEY", help="Idempotency key for the retraction itself.")
@output_options
@click.pass_obj
def retract(obj, event_id, reason, key, fmt):
    """Retract the event EVENT_ID: it stays in the ledger but stops counting."""
    app = obj.writer(missing=UnknownEventError(event_id))
    recorded(app.retract(event_id, reason, key=key), fmt)


@click.command("forget")
@click.argument("handle")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@output_options
@click.pass_obj
def forget(obj, handle, yes, fmt):
    """Erase a contact's personal data for good (crypto-shredding).

    Name, title, notes, tags, reasons and feedback text become unrecoverable; the
    anonymous history (kinds, dates, dimension values) still counts.
    """
    from ledger.cli.output import render

    app = obj.writer(missing=UnknownHandleError(handle, "contact"))
    app.subject(handle, kind="contact")
    if not yes:
        click.confirm(f"Forget {handle}? Their personal data becomes unrecoverable.", abort=True, err=True)
    erased = app.forget(handle)
    data = {"handle": handle, "forgotten": True, "already": not erased}
    render(data, fmt, lambda d: f"forgot {d['handle']}" + (" (already forgotten; key destroyed)" if d["already"] else ""))


COMMANDS = [account, contact, log, feedback, respond, assess, milestone, retract, forget]
