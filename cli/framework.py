"""``relledger framework show|adopt``: the classification table in force, and custom ones."""

from __future__ import annotations

import click

from ledger.cli.output import columns, read_output, render
from ledger.cli.params import When, record_options, recorded


@click.group("framework")
def framework() -> None:
    """The classification framework: its 16 rows and their actions."""


@framework.command("show")
@click.option("--at", type=When(end_of_day=True), help="The table in force at this moment (default: now).")
@click.option("--as-of", "as_of", type=When(end_of_day=True), help="As known at this moment.")
@read_output
@click.pass_obj
def show(obj, at, as_of, fmt):
    """Print the framework table in force."""
    from ledger.framework import builtin_framework
    from ledger.projections.reports import Answers
    from ledger.projections.timeline import micros
    from ledger.timeutil import utcnow

    store = obj.views(None)
    now = micros(utcnow())
    table = Answers(store, micros(at) if at else now, micros(as_of) if as_of else now).framework_at(
        micros(at) if at else now) if store else builtin_framework()
    data = {"name": table.name, "version": table.version, "source": table.source, "rows": list(table.rows)}
    render(data, fmt, _table)


def _table(d: dict) -> str:
    rows = [["row", "relationship", "power", "perception", "activity", "action"]]
    rows += [[str(r["row"]), r["relationship"], r["power"], r["perception"], r["activity"], r["action"]] for r in d["rows"]]
    return f"{d['name']} v{d['version']}\n" + columns(rows)


@framework.command("adopt")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))  # a BOM is accepted
@record_options
def adopt(obj, file, at, key, fmt):
    """Adopt the table in FILE (JSON, the shape 'framework show --json' prints) from now on."""
    import json

    from ledger.errors import InvalidInputError

    try:
        doc = json.load(file)
    except json.JSONDecodeError as exc:
        raise InvalidInputError("file", f"not JSON ({exc.msg} at line {exc.lineno})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInputError("file", f"not UTF-8 text (byte {exc.start}); give a JSON file") from None
    recorded(obj.writer(create=True).adopt_framework(doc, at=at, key=key), fmt)


COMMANDS = [framework]
