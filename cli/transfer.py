"""``relledger import`` and ``relledger export``."""

from __future__ import annotations

import sys

import click

from ledger.cli.output import one_line, output_options, render


@click.command("import")
@click.argument("file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, readable=True, allow_dash=True))
@click.option("--format", "file_format", type=click.Choice(["jsonl", "csv"]),
              help="File format (default: from the extension; .csv is CSV, anything else, and '-', JSONL).")
@click.option("--skip-invalid", is_flag=True, help="Import the good lines and report the bad ones.")
@click.option("--batch", type=click.IntRange(1, 100_000), default=5000, show_default=True, help="Events per transaction.")
@output_options
@click.pass_obj
def import_(obj, file, file_format, skip_invalid, batch, fmt):
    """Import FILE (JSONL as exported, or CSV with the documented header); '-' reads standard input.

    Every line is checked first, with the same rules and messages as the commands; if any is
    bad, every bad line is reported and nothing is written (unless --skip-invalid). Lines
    whose id is already in the ledger with the same content are skipped, so running it
    again, or after an interruption, writes each event once.
    """
    import time

    from ledger.importer import spool_file, validate
    from ledger.transfer import Report

    name = "stdin" if file == "-" else file
    file_format = file_format or ("csv" if file.lower().endswith(".csv") else "jsonl")
    report, start = Report(), time.perf_counter()
    app = obj.writer(create=True)
    obj.report = report
    with spool_file() as spool:  # the input is read once; the events to write wait here
        validate(app, file, file_format, report, spool)
        for number, message in report.errors:
            click.echo(one_line(f"{name}:{number}: {message}"), err=True)
        if report.errors and not skip_invalid:
            obj.discard_if_created()
            raise click.ClickException(f"{len(report.errors)} bad line(s) in {name}; nothing imported (--skip-invalid imports the rest)")
        show = sys.stderr.isatty() and fmt != "json"
        with click.progressbar(length=report.total, label="importing", file=sys.stderr) if show else _Quiet() as bar:
            _write(app, spool, report, batch, bar, name)
    data = {"file": name, "lines": report.lines, "written": report.written, "already": report.already,
            "invalid": len(report.errors), "seconds": round(time.perf_counter() - start, 2)}
    render(data, fmt, lambda d: f"imported {d['written']} events from {d['lines']} lines "
                                f"({d['already']} already there, {d['invalid']} invalid skipped) in {d['seconds']:.1f} s")


def _write(app, spool, report, batch, bar, name) -> None:
    """The write pass; a line refused now (another writer got there first) names the file, the line and what was written."""
    from ledger.errors import LedgerError, LineError
    from ledger.importer import write

    try:
        write(app, spool, report, batch, bar.update)
    except LineError as exc:
        raise LedgerError(f"{name}:{exc.line}: {exc.reason} (written: {report.written:,} of {report.total:,} events; "
                          "the rest was not imported)") from None


class _Quiet:
    """A stand-in for the progress bar when not on a terminal."""

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return False

    def update(self, _n: int) -> None:
        pass


@click.command("export")
@click.option("--format", "file_format", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--account", metavar="A", help="Only this account and its contacts.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="Write here (default: stdout).")
@click.pass_obj
def export(obj, file_format, account, output):
    """Write every event in the format import reads, with ids and both times.

    Forgotten contacts are exported without their personal data.
    """
    from ledger.exporter import lines, write_csv, write_jsonl

    from ledger.bootstrap import missing_ledger

    app = obj.reader(missing=missing_ledger(obj.location))
    if account is not None:
        app.subject(account, kind="account")
    damaged: list[tuple[int, bool]] = []
    (write_csv if file_format == "csv" else write_jsonl)(lines(app, account, damaged=damaged), output)
    if damaged:
        marked = sum(exported for _, exported in damaged)
        click.echo(f"export: {len(damaged)} damaged event(s): {marked} exported without their sealed fields (marked "
                   f"unreadable), {len(damaged) - marked} left out; run 'relledger verify'", err=True)


COMMANDS = [import_, export]
