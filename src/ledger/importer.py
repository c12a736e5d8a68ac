"""The import pipeline: read a format once, decide every line with the CLI's rules, then write in batches.

``validate`` reads the input once (a file, '-' for standard input, a pipe, /dev/stdin) and
decides each line against a ``LedgerState`` that takes in the lines before it, writing nothing
to the ledger: the events to write go to a private spool file. ``write`` appends them through
the one write path (``ledger.writer``) in batches that commit as they go, so an interrupted
import resumes (lines whose id is in the ledger with the same content are skipped). Should
another writer get in between, the events are decided again from scratch (ADR 0012).
"""

from __future__ import annotations

import contextlib
import tempfile
from typing import IO, Callable, Iterator

from ledger import spool as spooled
from ledger.commands import Command
from ledger.errors import LedgerError
from ledger.state import LedgerState
from ledger.transfer import Report, parse, read_lines
from ledger.writer import Writer, decide_each

def commands(source: str, fmt: str, report: Report) -> Iterator[Command]:
    """The input's lines as commands; unreadable lines go to ``report.errors``."""
    for number, obj, error in read_lines(source, fmt):
        report.lines += 1
        try:
            if error:
                raise LedgerError(error)
            yield parse(number, obj)
        except LedgerError as exc:
            report.errors.append((number, str(exc)))


@contextlib.contextmanager
def spool_file() -> Iterator[IO[bytes]]:
    """A private temporary file for the decided events, removed afterwards."""
    with tempfile.TemporaryFile(prefix="relledger-import-") as spool:
        yield spool


def validate(app, source: str, fmt: str, report: Report, spool: IO[bytes], chunk: int = 1000) -> None:
    """Decide every line (writing nothing to the ledger); the events to write go to ``spool``."""
    state, pending = LedgerState(app), []
    for command in commands(source, fmt, report):
        pending.append(command)
        if len(pending) >= chunk:
            _check(app, state, pending, report, spool)
            pending = []
    _check(app, state, pending, report, spool)
    report.errors.sort()
    report.head = app.recorder.max_notification_id() or 0


def _check(app, state: LedgerState, items: list[Command], report: Report, spool: IO[bytes]) -> None:
    for command, outcome in decide_each(app, state, items):
        if isinstance(outcome, LedgerError):
            report.errors.append((command.line, getattr(outcome, "reason", str(outcome))))
        elif outcome.duplicate:
            report.already += 1
        else:
            spooled.put(spool, command.line, command.recorded_at is not None, outcome.event)
            report.total += 1


def write(app, spool: IO[bytes], report: Report, batch: int = 5000, progress: Callable[[int], None] = lambda n: None) -> None:
    """Write the decided events in batches, one transaction each; a lost race stops it with the line's error."""
    def committed(decisions) -> None:
        written = sum(not d.duplicate for d in decisions)
        report.written += written
        report.already += len(decisions) - written
        progress(len(decisions))

    writer = Writer(app, checked_at=report.head, snapshots=False)
    chunk: list[spooled.Spooled] = []
    for item in spooled.read(spool):
        chunk.append(item)
        if len(chunk) >= batch:
            writer.record_decided(chunk, committed)
            chunk = []
    if chunk:
        writer.record_decided(chunk, committed)
