"""``relledger report``: one self-contained HTML page (or Markdown) per account, or a portfolio.

Only click at the top level: the projections and the renderers are imported by the command
itself, so no other command's start-up pays for them.
"""

from __future__ import annotations

import os

import click

from ledger.cli.params import When
from ledger.errors import InvalidInputError, UnknownHandleError


@click.command("report")
@click.argument("accounts", nargs=-1, metavar="[ACCOUNT]...")
@click.option("--all", "every", is_flag=True, help="Every account: a portfolio ranked by risk, then each account.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (Markdown goes to standard output without it).")
@click.option("--format", "shape", type=click.Choice(["html", "markdown"]),
              help="html or markdown (default: markdown without -o or for a .md FILE, else html).")
@click.option("--since", type=When(), help="Draw each contact's moves since then (default: the last review, else 90 days).")
@click.option("--by", type=click.Choice(["week", "month", "quarter"]), default="month", show_default=True,
              help="The trend's period.")
@click.option("--redact", is_flag=True, help="Replace every name and title with the handle, for sharing outside the team.")
@click.option("--at", type=When(end_of_day=True), help="The moment reported on (default: now).")
@click.option("--as-of", "as_of", type=When(end_of_day=True), help="Report with only what had been recorded by then.")
@click.pass_obj
def report(obj, accounts, every, output, shape, since, by, redact, at, as_of):
    """A report to look at and share: for each ACCOUNT its stage, health, power x perception map
    with each contact's moves, trend, contacts, plan, gaps and what is due (--all: the portfolio)."""
    if bool(accounts) == every:
        raise click.UsageError("give one or more ACCOUNT handles, or --all")
    shape = shape or ("markdown" if output is None or output.lower().endswith(".md") else "html")
    if output is not None:
        _check_writable(output, obj.location)
    data = _assemble(obj, list(accounts), every, since, by, redact, at, as_of)
    if shape == "html":
        from ledger.cli.report_html import render
    else:
        from ledger.cli.report_markdown import render
    text = render(data)
    if output is None:
        return click.echo(text, nl=False)
    _write(output, text)
    click.echo(f"wrote the report on {', '.join(data['accounts'])} to {output}")


def _assemble(obj, accounts: list[str], every: bool, since, by: str, redact: bool, at, as_of) -> dict:
    from ledger.cli.read import answers
    from ledger.projections.report import ReportAnswers, all_accounts, report as assemble
    from ledger.projections.timeline import micros

    missing = InvalidInputError("account", "there are no accounts to report on") if every \
        else UnknownHandleError(accounts[0], "account")
    plain = answers(obj, at, as_of, missing)
    found = ReportAnswers(plain.store, plain.at, plain.as_of, current=plain.current is not None)  # about now: the view
    return assemble(found, all_accounts(found) if every else accounts,
                    micros(since) if since else None, by, redact)


def _check_writable(path: str, ledger: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.realpath(path) == os.path.realpath(ledger):
        raise InvalidInputError("output", f"'{path}' is the ledger itself; give another file name")
    if os.path.isdir(path):
        raise InvalidInputError("output", f"'{path}' is a directory; give a file name")
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise InvalidInputError("output", f"cannot write '{path}': no such folder or no permission")


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise InvalidInputError("output", f"cannot write '{path}' ({exc.strerror})") from None


COMMANDS = [report]
