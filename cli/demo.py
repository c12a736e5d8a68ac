"""``relledger demo``: a scripted story that walks one contact through the framework."""

from __future__ import annotations

import shlex

import click

# (application method, args, kwargs). Fixed ids (demo-N) make the demo safe to re-run.
STORY = [
    ("register_account", ("globex", "Globex Corporation"), {"at": "2026-01-05"}),
    ("register_contact", ("globex/maria", "Maria Chen"), {"title": "VP Engineering", "roles": ["decision-maker"], "at": "2026-01-05"}),
    ("assess", ("globex/maria", {"relationship": "no", "perception": "detractor", "activity": "passive"}),
     {"reason": "New VP; unhappy with last year's outage; has not met us", "at": "2026-01-06"}),
    ("record_interaction", ("globex/maria", "call"), {"outcome": "unanswered", "at": "2026-01-12"}),
    ("receive_feedback", ("globex/maria", "product", "negative"), {"note": "Outage post-mortem came too late", "channel": "survey", "at": "2026-02-02"}),
    ("record_interaction", ("globex/maria", "email"), {"direction": "inbound", "note": "Escalated the outage to our CEO", "at": "2026-02-10"}),
    ("record_interaction", ("globex/maria", "meeting"), {"note": "Walked through the reliability plan", "at": "2026-03-04"}),
    ("receive_feedback", ("globex/maria", "product", "positive"), {"note": "The reliability plan is what we needed", "at": "2026-04-15"}),
    ("assess", ("globex/maria", {"perception": "advocate"}), {"reason": "Praised the plan to her team", "at": "2026-04-16"}),
    ("record_interaction", ("globex/maria", "message"), {"direction": "inbound", "note": "Asked for the roadmap", "at": "2026-05-18"}),
    ("record_interaction", ("globex/maria", "call"), {"outcome": "answered", "at": "2026-05-20"}),
    ("reach_milestone", ("globex", "contract-signed"), {"note": "Three-year platform agreement", "at": "2026-06-30"}),
    ("assess", ("globex/maria", {"relationship": "yes", "activity": "active"}), {"reason": "Our sponsor on the renewal", "at": "2026-07-01"}),
]


@click.command("demo")
@click.pass_obj
def demo(obj):
    """Record a demo story (account globex, contact globex/maria) and show how she moved.

    It writes to a ledger of its own ($XDG_DATA_HOME/relledger/demo.db) unless --ledger
    names one, so your own ledger stays as it was. Safe to re-run: every step has a
    fixed id, so a second run writes nothing.
    """
    from ledger.timeutil import parse_when

    obj.use_demo_ledger()
    app = obj.writer(create=True)
    written = 0
    for number, (method, args, kwargs) in enumerate(STORY, 1):
        result = getattr(app, method)(*args, **dict(kwargs, at=parse_when(kwargs["at"]), key=f"demo-{number}"))
        written += not result.duplicate
    from ledger.cli.read import answers

    found = answers(obj, None, None, None)
    for move in found.history("globex/maria")["transitions"]:
        cause = "left its window" if move["cause"] == "window" else move["cause"]
        to = move["to"]
        click.echo(f"{move['at'][:10]}  {to['action']:<36} {to['quadrant'] or '-':<15} {to['stage']:<10} {move['event']} ({cause})")
    card = found.show("globex/maria")
    click.echo(f"now         {card['action'] or 'undecided':<36} {card['quadrant'] or '-':<15} {card['stage']:<10} "
               f"rules v{card['rules']}")
    click.echo(f"\n{written} events written to {obj.location}" + (" (already there)" if not written else ""))
    where = shlex.quote(obj.location)
    click.echo(f"Explore it: relledger --ledger {where} show globex/maria   (also: why, history, trend, map globex)")


COMMANDS = [demo]
