"""The global ``--ledger`` and ``--as`` are also accepted after the command (issue 14, item 7):
every command gets both as options of its own, which set the same context the group's set."""

from __future__ import annotations

import click

GLOBALS = (("--ledger", "ledger_path", "PATH"), ("--as", "as_user", "NAME"))


def _setter(flag: str, field: str):
    def set_global(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        obj = ctx.find_root().obj
        if value is None:
            return
        if obj is None:  # completing: the group's callback has not run; completion reads it from meta
            ctx.meta[f"relledger.{field}"] = value
            return
        before = getattr(obj, f"_{field}")
        if before is not None and before != value:
            raise click.BadParameter(f"given twice ('{before}' before the command, '{value}' after it); give it once",
                                     ctx=ctx, param=param)
        setattr(obj, f"_{field}", value)

    return set_global


def attach(group: click.Group) -> None:
    """Give every command (of the group and its sub-groups) ``--ledger`` and ``--as``."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            attach(command)
            continue
        for flag, field, metavar in GLOBALS:
            command.params.append(click.Option([flag, field], metavar=metavar, expose_value=False,
                                               callback=_setter(flag, field), is_eager=True,
                                               help=f"Same as 'relledger {flag} {metavar} COMMAND'."))
