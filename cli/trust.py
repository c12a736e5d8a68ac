"""``relledger verify`` and ``relledger key show|rotate`` (ADR 0015)."""

from __future__ import annotations

import click

from ledger.cli.output import columns, output_options, render


@click.command("verify")
@click.option("--head", "kept", metavar="DIGEST", help="A head kept earlier (from 'status'): the chain must pass through it.")
@output_options
@click.pass_obj
def verify(obj, kept, fmt):
    """Check the history: every event against the hash chain, every sealed field against its
    event. Exit 0 with the number of events and the head; exit 1 naming the first event
    (id and position) that was changed, deleted, inserted or moved."""
    from ledger.bootstrap import missing_ledger
    from ledger.keys import read_keys
    from ledger.verify import opener, verify as walk

    db = obj.views(missing_ledger(obj.location), catch_up=False).db
    verdict = walk(db, opener(read_keys(db)), kept)
    report = verdict.report()
    if fmt == "json" or verdict.ok:
        render(report, fmt, _verified)
    if not verdict.ok:
        raise click.ClickException(_failure(report)) if fmt != "json" else click.exceptions.Exit(1)


def _verified(d: dict) -> str:
    kept = f"; kept head found at position {d['kept_head']['position']}" if d.get("kept_head") else ""
    return f"verified {d['events']} events; head {d['head'] or '(none: no events yet)'}{kept}"


def _failure(d: dict) -> str:
    problem = d["problem"]
    if problem is None:
        return (f"verify: the kept head {d['kept_head']['digest']} is not in this ledger's chain: the history up to it "
                f"was rewritten, or the head is from another ledger ({d['events']} events checked)")
    who = f"event {problem['id']}" if problem["id"] else "an event" if problem["position"] is not None else "the ledger"
    where = f" at position {problem['position']}" if problem["position"] is not None else ""
    return f"verify: {who}{where} {problem['what']}; the history is not what was recorded"


def damage(obj) -> str | None:
    """What ``verify`` finds wrong with the ledger, or None (also when it cannot tell)."""
    from ledger.bootstrap import ledger_exists
    from ledger.keys import read_keys
    from ledger.verify import opener, verify as walk

    try:
        if not ledger_exists(obj.location):
            return None
        db = obj.views(None, catch_up=False).db
        verdict = walk(db, opener(read_keys(db)))
    except Exception:
        return None
    return None if verdict.ok else _failure(verdict.report())


def unreadable_row(exc: BaseException) -> bool:
    """Whether ``exc`` is a stored row (a view's, an event's) that does not decode: damage,
    not a bug. Such rows are read in the views and the event mapper only."""
    import traceback

    if not isinstance(exc, ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors, as is jiter's
        return False
    files = [f.filename.replace("\\", "/") for f in traceback.extract_tb(exc.__traceback__)]
    return any("/projections/" in f or f.endswith("/mapper.py") for f in files)


@click.group("key")
def key() -> None:
    """The ledger key: kept outside the database, it wraps every contact's key."""


@key.command("show")
@click.option("--secret", is_flag=True, help="Print the key itself (to set RELLEDGER_KEY for a team or CI).")
@output_options
@click.pass_obj
def key_show(obj, secret, fmt):
    """Where the ledger key is (back it up with the database: without it nothing personal reads)."""
    from ledger.bootstrap import missing_ledger
    from ledger.keys import read_keys

    keys = read_keys(obj.views(missing_ledger(obj.location), catch_up=False).db)
    data = {"ledger": obj.location, "key": keys.source}
    if secret and keys.ledger_key:
        data["secret"] = keys.ledger_key.hex()
    render(data, fmt, lambda d: columns([[k, v or "(none yet: the next record command creates it)"] for k, v in d.items()]))


@key.command("rotate")
@output_options
@click.pass_obj
def key_rotate(obj, fmt):
    """Wrap every contact's key with a new ledger key; the old one stops opening the ledger."""
    from ledger.opening import rotate

    from ledger.bootstrap import missing_ledger

    where, new = rotate(obj.writer(missing=missing_ledger(obj.location)))
    data = {"ledger": obj.location, "key": where}
    if where == "RELLEDGER_KEY":
        data["secret"] = new.hex()
    render(data, fmt, lambda d: f"rotated the ledger key; the new key is in {d['key']}" + (
        f": set RELLEDGER_KEY={d['secret']} wherever the ledger is used" if "secret" in d else ""))


COMMANDS = [verify, key]
