"""The ``relledger`` group: global options, one-line errors, and command registration.

Only click and standard-library modules are imported here and in the command modules'
top level, so ``relledger --help`` stays fast; each command imports what it uses.
"""

from __future__ import annotations

import sys

import click

from ledger import __version__
from ledger.cli import accounts, demo, framework, read, record, report, rules, transfer, trust
from ledger.cli.context import LedgerContext
from ledger.errors import LedgerError


class LedgerGroup(click.Group):
    """A group whose errors are one line on stderr: no usage block, no traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LedgerError as exc:
            ctx.obj.discard_if_created()
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if type(exc).__module__.split(".")[0] not in ("eventsourcing", "sqlite3", "psycopg"):
                if isinstance(exc, (click.ClickException, click.exceptions.Exit, click.Abort)):
                    raise
                if damage := trust.damage(ctx.obj):  # a damaged ledger, not a bug: say which event, no traceback
                    raise click.ClickException(f"ledger: cannot answer from a damaged ledger ({damage})") from None
                raise
            detail = " ".join(str(exc).split()) or type(exc).__name__
            raise click.ClickException(f"ledger: database error ({detail})") from None

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        try:
            super().main(args, prog_name or "relledger", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "relledger"
            click.echo(f"Error: {_one_line(exc.format_message())} (see '{where} --help')", err=True)
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(f"Error: {_one_line(exc.format_message())}", err=True)
            code = exc.exit_code
        except click.Abort:
            click.echo("Aborted: nothing written.", err=True)
            code = 1
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            code = 130
        else:
            code = 0
        if standalone_mode:
            sys.exit(code)
        return code


def _one_line(message: str) -> str:
    return " ".join(message.split())


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


for module in (record, read, accounts, framework, rules, transfer, demo, report, trust):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli.main()
