"""Read commands: status, show and history. They never create a ledger."""

from __future__ import annotations

import click

from ledger.cli.output import columns, output_options, render
from ledger.errors import UnknownHandleError


@click.command("status")
@output_options
@click.pass_obj
def status(obj, fmt):
    """Where the ledger is and what it holds."""
    from ledger.bootstrap import ledger_exists
    from ledger.stats import ledger_stats

    exists = ledger_exists(obj.location)
    by_type = ledger_stats(obj.location if exists else None)
    data = {
        "ledger": obj.location,
        "exists": exists,
        "events": sum(by_type.values()),
        "accounts": by_type["account"],
        "contacts": by_type["contact"],
        "by_type": by_type,
    }
    render(data, fmt, _status_table)


def _status_table(d: dict) -> str:
    rows = [["ledger", d["ledger"] + ("" if d["exists"] else " (not created yet)")], ["events", str(d["events"])]]
    rows += [[f"  {t}", str(n)] for t, n in d["by_type"].items() if n]
    rows += [["accounts", str(d["accounts"])], ["contacts", str(d["contacts"])]]
    return columns(rows)


@click.command("show")
@click.argument("handle")
@output_options
@click.pass_obj
def show(obj, handle, fmt):
    """Where the contact HANDLE stands: the four dimensions and the framework's action."""
    from ledger.framework import builtin_framework
    from ledger.projections.contact import contact_card

    records = _records(obj, handle)
    render(contact_card(records, builtin_framework()), fmt, _card_table)


def _card_table(c: dict) -> str:
    who = c["name"] or "(forgotten)" if c["forgotten"] else c["name"]
    extra = ", ".join(x for x in [c["title"], c["account"] and f"account {c['account']}"] if x)
    lines = [f"{c['handle']}  {who}" + (f" ({extra})" if extra else "")]
    rows = [[d, v or "unknown", f"from {c['evidence'][d]}" if c["evidence"][d] else ""] for d, v in c["dimensions"].items()]
    fw = c["framework"]
    rows.append(["action", c["action"], f"{fw['name']} v{fw['version']}" + (f", row {fw['row']}" if fw["row"] else "")])
    return "\n".join(lines) + "\n" + columns(rows)


@click.command("history")
@click.argument("handle")
@output_options
@click.pass_obj
def history(obj, handle, fmt):
    """Every event of the contact HANDLE, oldest first."""
    from ledger.projections.contact import contact_history

    render(contact_history(handle, _records(obj, handle)), fmt, _history_table)


def _history_table(h: dict) -> str:
    rows = [["occurred", "id", "type", "by", "details"]]
    for e in h["events"]:
        mark = f" [retracted by {e['retracted_by']}]" if e["retracted_by"] else ""
        rows.append([e["occurred_at"][:16].replace("T", " "), e["id"], e["type"], e["by"], _summary(e) + mark])
    return columns(rows)


def _summary(e: dict) -> str:
    parts = {
        "account": lambda: e["name"],
        "contact": lambda: " ".join(filter(None, [e["name"] or "(forgotten)", e["title"] and f"({e['title']})"])),
        "interaction": lambda: " ".join(filter(None, [e["kind"], e["direction"], e["outcome"], e["note"] and f"- {e['note']}"])),
        "feedback": lambda: f"{e['sentiment']} about {e['about']}" + (f" - {e['note']}" if e["note"] else ""),
        "response": lambda: f"to {e['feedback']}" + (f" - {e['note']}" if e["note"] else ""),
        "assessment": lambda: " ".join(f"{k}={v}" for k, v in e["dimensions"].items()) + (f" - {e['reason']}" if e["reason"] else ""),
        "milestone": lambda: e["milestone"] + (f" - {e['note']}" if e["note"] else ""),
        "retraction": lambda: f"of {e['target']}" + (f" - {e['reason']}" if e["reason"] else ""),
        "forgotten": lambda: "personal data erased",
    }
    return parts.get(e["type"], lambda: "")()


def _records(obj, handle: str) -> list[dict]:
    app = obj.reader(missing=UnknownHandleError(handle, "contact"))
    app.subject(handle, kind="contact")
    return [event.as_record() for event in app.stream(handle)]


COMMANDS = [status, show, history]
