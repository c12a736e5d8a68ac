"""Shell completion (bash, zsh, fish) through click's own protocol (``_RELLEDGER_COMPLETE``):
handles, accounts and ids are read from the ledger's views, one indexed query each."""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem, get_completion_class

# parameter name -> what completes it: a subject kind, or an event type whose ids complete
SOURCES = {
    "handle": ("subjects", None), "handles": ("subjects", None), "manager": ("subjects", "contact"),
    "contacts": ("subjects", "contact"),
    "account": ("subjects", "account"), "accounts": ("subjects", "account"),
    "account_handle": ("subjects", "account"),
    "feedback_id": ("ids", "feedback"), "goal_id": ("ids", "goal"), "initiative_id": ("ids", "initiative"),
    "step_id": ("ids", "next"),
}


def candidates(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """What completes ``incomplete`` for ``param``; nothing (never an error) without a ledger."""
    source, kind = SOURCES[param.name]
    try:
        store = _views(ctx)
        if store is None:
            return []
        if source == "subjects":
            found = _subjects(store, kind, incomplete)
        else:
            found = _ids(store, kind, incomplete)
    except Exception:  # a completion must never print a traceback into the user's prompt
        return []
    finally:
        ctx.find_root().close()
    return [CompletionItem(value) for value in found]


def _views(ctx: click.Context):
    from ledger.cli.context import LedgerContext

    root = ctx.find_root()
    if root.obj is None:  # completion parses without running the group's callback
        root.obj = LedgerContext(ctx.meta.get("relledger.ledger_path") or root.params.get("ledger_path"), None)
        root.call_on_close(root.obj.close)
    return root.obj.views(None)


def _subjects(store, kind: str | None, incomplete: str) -> list[str]:
    sql = "SELECT handle FROM view_subjects WHERE forgotten IS NULL AND handle >= ? AND handle < ?"
    params: tuple = (incomplete, incomplete + "\U0010ffff")
    if kind is not None:
        sql, params = sql + " AND kind=?", params + (kind,)
    return [r[0] for r in store.db.query(sql + " ORDER BY handle", params)]


def _ids(store, kind: str, incomplete: str) -> list[str]:
    rows = store.db.query("SELECT event_id FROM view_events WHERE type=? AND event_id >= ? AND event_id < ? "
                          "ORDER BY event_id", (kind, incomplete, incomplete + "\U0010ffff"))
    closed = _closed_steps(store) if kind == "next" and rows else set()
    return [r[0] for r in rows if r[0] not in closed]


def _closed_steps(store) -> set[str]:
    """The next steps done or dropped: `next done` and `next drop` complete only open ones."""
    import json

    rows = store.db.query("SELECT data FROM view_events WHERE type IN ('next-done', 'next-dropped')")
    return {json.loads(data).get("step") for (data,) in rows}


def attach(group: click.Group) -> None:
    """Give every handle, account and id parameter of every command its completion."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            attach(command)
            continue
        for param in command.params:
            if param.name in SOURCES:
                param._custom_shell_complete = candidates  # click's hook for a parameter's shell_complete


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (see the README: eval it in your shell's rc file)."""
    root = ctx.find_root()
    cls = get_completion_class(shell)
    script = cls(root.command, {}, root.info_name or "relledger", "_RELLEDGER_COMPLETE").source()
    click.echo(script)


COMMANDS = [completion]
