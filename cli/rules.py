"""``relledger rules show|adopt``: the evidence rules in force, and putting others in force."""

from __future__ import annotations

import click

from ledger.cli.output import render
from ledger.cli.params import record_options
from ledger.cli.read import answers, read_options


@click.group("rules")
def rules() -> None:
    """The evidence rules: how interactions, feedback and assessments become the four dimensions."""


@rules.command("show")
@read_options
def show(obj, at, as_of, fmt):
    """Print the evidence rules in force (at --at, as known at --as-of): their version and each
    dimension's rule in words."""
    from ledger.rules import NEWEST, builtin_rules, describe

    found = answers(obj, at, as_of, None)
    doc = found.rules if found else builtin_rules(NEWEST)
    info = found.rules_info(found.at) if found else {"version": NEWEST, "name": "built-in", "event": None, "since": None,
                                                       "newest": NEWEST, "newer_available": False}
    words = {d: describe(doc, d) for d in ("relationship", "power", "perception", "activity")}
    render({**info, "rules_in_words": words, "rules": doc}, fmt, _text)


def _text(d: dict) -> str:
    from ledger.cli.tables import rules_line

    return "rules " + rules_line(d) + "\n" + "\n".join(f"  {dim}: {text}" for dim, text in d["rules_in_words"].items())


@rules.command("adopt")
@click.argument("source", metavar="VERSION|FILE")
@record_options
def adopt(obj, source, at, key, fmt):
    """Put built-in rules VERSION or the rules in FILE in force from --at (default: now).

    VERSION is a built-in version such as 2; FILE is JSON in the shape 'rules show --json'
    prints under "rules"."""
    from ledger.errors import InvalidInputError
    from ledger.rules import BUILTIN

    if source.isdigit():
        if int(source) not in BUILTIN:
            raise InvalidInputError("version", f"'{source}' is not built in; built in: {', '.join(map(str, BUILTIN))}")
        version, doc = int(source), None
    else:
        version, doc = _read(source)
    result = obj.writer(create=True).adopt_rules(version, doc, at=at, key=key)
    render(result.event.as_record() | {"duplicate": result.duplicate}, fmt, _adopted)


def _adopted(r: dict) -> str:
    done = "already recorded: " if r["duplicate"] else "recorded "
    return f"{done}rules {r['id']}: {r['name']} v{r['version']} in force from {r['occurred_at'][:10]}"


def _read(path: str) -> tuple[int, dict]:
    import json

    from ledger.errors import InvalidInputError
    from ledger.rules import rules_from_dict

    try:
        with open(path, encoding="utf-8-sig") as handle:  # a BOM is accepted
            doc = json.load(handle)
    except OSError as exc:
        raise InvalidInputError("file", f"cannot read '{path}' ({exc.strerror}); give a built-in version or a JSON file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError("file", f"'{path}' is not JSON ({getattr(exc, 'msg', exc)})") from None
    doc = doc.get("rules", doc) if isinstance(doc, dict) and isinstance(doc.get("rules"), dict) else doc
    try:
        checked = rules_from_dict(doc)
    except ValueError as exc:
        raise InvalidInputError("rules", str(exc)) from None
    if checked.get("name", "custom") == "built-in":
        checked = {**checked, "name": "custom"}
    return checked["version"], {k: v for k, v in checked.items() if k not in ("version",)}


COMMANDS = [rules]
