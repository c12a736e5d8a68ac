"""The ``relledger`` group: global options, one-line errors, and command registration.

Only click and standard-library modules are imported here and in the command modules'
top level, so ``relledger --help`` stays fast; each command imports what it uses.
"""

from __future__ import annotations

import os
import signal
import sys

import click

from ledger import __version__
from ledger.cli import (accounts, completion, demo, find, framework, globals, nextsteps, read, record, report, rules,
                        transfer, trust)
from ledger.cli.context import LedgerContext
from ledger.cli.output import one_line
from ledger.errors import LedgerError


class LedgerGroup(click.Group):
    """A group whose errors are one line on stderr: no usage block, no traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LedgerError as exc:
            ctx.obj.discard_if_created()
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM (Terminated): say what was committed
            message = ctx.obj.interrupted() if ctx.obj else "interrupted: nothing written"
            raise Interrupted(message, 143 if isinstance(exc, Terminated) else 130) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`relledger export | head`): stop quietly
            _silence_stdout()
            raise click.exceptions.Exit(141) from None
        except Exception as exc:
            ctx.obj.discard_if_created()
            raise _one_line_error(ctx, exc) from None

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        try:  # without standalone mode, click returns an Exit's code (commands themselves return None)
            returned = super().main(args, prog_name or "relledger", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "relledger"
            click.echo(f"Error: {one_line(exc.format_message())} (see '{where} --help')", err=True)
            code = exc.exit_code
        except Interrupted as exc:
            click.echo(exc.format_message(), err=True)
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(f"Error: {one_line(exc.format_message())}", err=True)
            code = exc.exit_code
        except click.Abort:
            click.echo("Aborted: nothing written.", err=True)
            code = 1
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            code = 130
        else:
            code = returned if isinstance(returned, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it ends like an interrupt (exit 143)."""


class Interrupted(click.ClickException):
    """An interrupt, with what had been committed when it came."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.exit_code = code


def _one_line_error(ctx: click.Context, exc: Exception) -> BaseException:
    """An unexpected error as one line: the database's, a damaged ledger's (naming the event
    ``verify`` finds), else an internal error (RELLEDGER_DEBUG=1: the exception itself)."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if type(exc).__module__.split(".")[0] in ("eventsourcing", "sqlite3", "psycopg") or type(exc).__module__ == "ledger.libpq":
        return click.ClickException(f"ledger: database error ({detail})")
    if ctx.obj is not None and (damage := trust.damage(ctx.obj)):  # a damaged ledger, not a bug: say which event
        return click.ClickException(f"ledger: cannot answer from a damaged ledger ({damage})")
    if ctx.obj is not None and trust.unreadable_row(exc):  # a view's row, which verify does not check
        return click.ClickException(f"ledger: cannot answer from a damaged ledger ({ctx.obj.location}: a stored row does "
                                    f"not read: {detail}); 'relledger rebuild' recreates the views from the events")
    if os.environ.get("RELLEDGER_DEBUG") == "1":
        return exc
    return click.ClickException(f"internal error: {type(exc).__name__}: {detail} (RELLEDGER_DEBUG=1 shows the details)")


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the flush at exit finds no closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's buffer): nothing to flush into a pipe


def _terminate(signum, frame) -> None:
    raise Terminated()


@click.group(cls=LedgerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--ledger", "ledger_path", metavar="PATH", help="Ledger file (default: $RELLEDGER_DB, else $XDG_DATA_HOME/relledger/ledger.db).")
@click.option("--as", "as_user", metavar="NAME", help="Who is recording (default: $RELLEDGER_USER, else your login).")
@click.version_option(__version__, prog_name="relledger")
@click.pass_context
def cli(ctx: click.Context, ledger_path: str | None, as_user: str | None) -> None:
    """An append-only ledger of customer relationships.

    Record what happens with each contact; relledger tells you where each
    relationship stands in the framework, what to do next, and why.
    """
    ctx.obj = LedgerContext(ledger_path, as_user)
    ctx.call_on_close(ctx.obj.close)


for module in (record, read, find, accounts, nextsteps, framework, rules, transfer, demo, report, trust, completion):
    for command in module.COMMANDS:
        cli.add_command(command)
completion.attach(cli)
globals.attach(cli)


def main() -> None:
    """Console-script entry point: SIGTERM ends a command like Ctrl-C, saying what was written."""
    import ledger

    ledger.SHORT_LIVED = True  # one command, then exit (see ledger.SHORT_LIVED)
    signal.signal(signal.SIGTERM, _terminate)
    cli.main()
