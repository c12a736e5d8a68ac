"""The import pipeline: read a format, decide every line with the CLI's rules, then write in batches.

``validate`` decides each line against a ``LedgerState`` that takes in the lines before it
(nothing is written); ``write`` decides the wanted lines again through the one write path
(``ledger.writer``), in batches that commit as they go, so an interrupted import resumes:
lines whose id is in the ledger with the same content are skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from typing import Callable, Iterator

from ledger.commands import Command
from ledger.errors import LedgerError
from ledger.state import LedgerState
from ledger.transfer import Report, parse, read_lines
from ledger.writer import Writer, decide_each


def commands(path: str, fmt: str, report: Report, wanted: set[int] | None = None) -> Iterator[Command]:
    """The file's lines as commands; unreadable lines go to ``report.errors`` (first pass only)."""
    for number, obj, error in read_lines(path, fmt):
        if wanted is not None:
            if number in wanted:
                yield parse(number, obj)
            continue
        report.lines += 1
        try:
            if error:
                raise LedgerError(error)
            yield parse(number, obj)
        except LedgerError as exc:
            report.errors.append((number, str(exc)))


def validate(app, path: str, fmt: str, report: Report, chunk: int = 1000) -> list[int]:
    """Decide every line (writing nothing); returns the numbers of the lines to write."""
    state, good, pending = LedgerState(app), [], []
    for command in commands(path, fmt, report):
        pending.append(command)
        if len(pending) >= chunk:
            _check(app, state, pending, good, report)
            pending = []
    _check(app, state, pending, good, report)
    report.errors.sort()
    report.total = len(good)
    report.head = app.recorder.max_notification_id() or 0
    return good


def _check(app, state: LedgerState, items: list[Command], good: list[int], report: Report) -> None:
    for command, outcome in decide_each(app, state, items):
        if isinstance(outcome, LedgerError):
            report.errors.append((command.line, getattr(outcome, "reason", str(outcome))))
        elif outcome.duplicate:
            report.already += 1
        else:
            good.append(command.line)


def write(app, path: str, fmt: str, wanted: set[int], report: Report, batch: int = 1000,
          progress: Callable[[int], None] = lambda n: None) -> None:
    """Write the wanted lines in batches, one transaction each; a lost race stops it with the line's error."""
    def committed(decisions) -> None:
        written = sum(not d.duplicate for d in decisions)
        report.written += written
        report.already += len(decisions) - written
        progress(len(decisions))

    Writer(app, checked_at=report.head, snapshots=False).record_batches(commands(path, fmt, report, wanted), batch, committed)


@contextlib.contextmanager
def spooled(source: str) -> Iterator[str]:
    """A path that can be read twice: the file itself, or a private copy of standard input ('-'),
    a pipe, /dev/stdin or a process substitution, removed afterwards."""
    if source != "-" and os.path.isfile(source):
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="relledger-import-") as folder:
        path = os.path.join(folder, "input")
        with open(path, "wb") as out:
            if source == "-":
                shutil.copyfileobj(sys.stdin.buffer, out)
            else:
                with open(source, "rb") as given:
                    shutil.copyfileobj(given, out)
        yield path
