"""``relledger find TEXT``: accounts and contacts by handle, name, title or account name."""

from __future__ import annotations

import click

from ledger.cli.output import columns, read_output, render


def matches(rows: list[dict]) -> str:
    if not rows:
        return "no matches"
    table = [["handle", "name", "title", "account", "matched"]]
    for r in rows:
        table.append([r["handle"], r["name"] or "-", r["title"] or "-", r["account_name"] or r["account"] or "-",
                      r["matched"].replace("_", " ")])
    return columns(table)


@click.command("find")
@click.argument("text")
@read_output
@click.pass_obj
def find(obj, text, fmt):
    """Accounts and contacts whose handle, name, title or account name contains TEXT
    (case and accents ignored; forgotten contacts never match), best matches first."""
    from ledger.projections.search import find as search

    if not text.strip():
        raise click.BadParameter("give some text to find (it is empty)", param_hint="'TEXT'")
    store = obj.views(None)
    render(search(store, text) if store is not None else [], fmt, matches)


COMMANDS = [find]
