"""``relledger demo``: a scripted story that walks one contact through the framework."""

from __future__ import annotations

import click

# (step, what happens, application method, args, kwargs). Fixed --id keys make it re-runnable.
STORY = [
    ("register_account", ("globex", "Globex Corporation"), {"at": "2026-01-05"}),
    ("register_contact", ("globex/maria", "Maria Chen"), {"title": "VP Engineering", "roles": ["decision-maker"], "at": "2026-01-05"}),
    ("assess", ("globex/maria", {"relationship": "no", "power": "high", "perception": "detractor", "activity": "passive"}),
     {"reason": "New VP; unhappy with last year's outage; has not met us", "at": "2026-01-06"}),
    ("record_interaction", ("globex/maria", "call"), {"outcome": "unanswered", "at": "2026-01-12"}),
    ("receive_feedback", ("globex/maria", "product", "negative"), {"note": "Outage post-mortem came too late", "channel": "survey", "at": "2026-02-02"}),
    ("assess", ("globex/maria", {"activity": "active"}), {"reason": "Raised the outage at the steering committee", "at": "2026-02-10"}),
    ("record_interaction", ("globex/maria", "meeting"), {"note": "Walked through the reliability plan", "at": "2026-03-04"}),
    ("assess", ("globex/maria", {"perception": "advocate"}), {"reason": "Praised the reliability plan to her team", "at": "2026-04-15"}),
    ("record_interaction", ("globex/maria", "call"), {"outcome": "answered", "at": "2026-05-20"}),
    ("assess", ("globex/maria", {"relationship": "yes"}), {"reason": "Takes and returns our calls now", "at": "2026-05-21"}),
    ("reach_milestone", ("globex", "contract-signed"), {"note": "Three-year platform agreement", "at": "2026-06-30"}),
]


@click.command("demo")
@click.pass_obj
def demo(obj):
    """Record a demo story (account globex, contact globex/maria) and show how she moved.

    Safe to re-run: every step has a fixed id, so a second run writes nothing.
    """
    from ledger.framework import builtin_framework
    from ledger.projections.contact import contact_card
    from ledger.timeutil import parse_when

    app = obj.writer(create=True)
    framework = builtin_framework()
    written = 0
    for number, (method, args, kwargs) in enumerate(STORY, 1):
        kwargs = dict(kwargs, at=parse_when(kwargs["at"]), key=f"demo-{number}")
        result = getattr(app, method)(*args, **kwargs)
        written += not result.duplicate
        if method == "assess":
            so_far = [e.as_record() for e in app.stream("globex/maria") if e.occurred_at <= kwargs["at"]]
            card = contact_card(so_far, framework)
            cell = " ".join(v for v in card["dimensions"].values())
            click.echo(f"{kwargs['at']:%Y-%m-%d}  {cell:<36} -> {card['action']}")
    click.echo(f"\n{written} events written to {obj.location}" + (" (already there)" if not written else ""))
    click.echo("Try: relledger show globex/maria   relledger history globex/maria")


COMMANDS = [demo]
