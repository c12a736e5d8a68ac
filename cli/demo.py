"""``relledger demo``: a scripted account whose main contact walks through the framework."""

from __future__ import annotations

import shlex
from datetime import date, datetime, timezone

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
    # The rest of Globex, so `map`, `gaps`, `due` and `report` have an account to show: a champion we met,
    # an economic buyer nobody reaches, a gatekeeper with a complaint, and a plan that is running late.
    ("register_contact", ("globex/tom", "Tom Reyes"), {"title": "Platform Lead", "roles": ["technical-evaluator", "champion"],
                                                       "reports_to": "globex/maria", "at": "2026-02-15"}),
    ("record_interaction", ("globex/tom", "meeting"), {"note": "Architecture deep-dive", "at": "2026-02-20"}),
    ("receive_feedback", ("globex/tom", "product", "positive"), {"note": "Deploys are twice as fast", "at": "2026-03-10"}),
    ("assess", ("globex/tom", {"relationship": "yes", "power": "low", "perception": "advocate", "activity": "active"}),
     {"reason": "Runs the pilot and tells his peers about it", "at": "2026-06-12"}),
    ("record_interaction", ("globex/tom", "call"), {"outcome": "answered", "note": "Pilot results", "at": "2026-10-28"}),
    ("register_contact", ("globex/priya", "Priya Nair"), {"title": "CFO", "roles": ["economic-buyer"], "at": "2026-05-01"}),
    ("record_interaction", ("globex/priya", "call"), {"outcome": "unanswered", "at": "2026-05-05"}),
    ("record_interaction", ("globex/priya", "email"), {"outcome": "unanswered", "note": "Intro via Maria", "at": "2026-06-02"}),
    ("register_contact", ("globex/sam", "Sam Okafor"), {"title": "Procurement Manager", "roles": ["gatekeeper"], "at": "2026-06-01"}),
    ("receive_feedback", ("globex/sam", "company", "negative"), {"note": "Invoices arrive late", "channel": "email", "at": "2026-09-15"}),
    ("record_interaction", ("globex/sam", "call"), {"outcome": "answered", "note": "Walked through billing", "at": "2026-09-16"}),
    ("assess", ("globex/sam", {"power": "low"}), {"reason": "Processes orders; does not decide them", "at": "2026-09-16"}),
    ("set_goal", ("globex", "Renew and expand to the data team", date(2027, 6, 30)), {"at": "2026-07-05", "key": "demo-goal"}),
    ("add_initiative", ("demo-goal", "Executive briefing with the CFO", "ann", date(2026, 9, 30)),
     {"contacts": ["globex/priya"], "at": "2026-07-05"}),
    ("add_initiative", ("demo-goal", "Pilot success story with Tom", "bo", date(2026, 12, 15)),
     {"contacts": ["globex/tom"], "at": "2026-07-05"}),
    ("hold_review", ("globex", "Kick-off review after the contract"), {"at": "2026-07-05"}),
    ("respond", ("demo-5", "Sent the post-mortem timeline we promised in the meeting"), {"at": "2026-03-05"}),
    ("record_interaction", ("globex/maria", "meeting"), {"note": "Quarterly business review", "at": "2026-10-20"}),
    ("record_interaction", ("globex/maria", "meeting"), {  # one meeting, two people, one id; and a next step
        "contacts": ("globex/maria", "globex/tom"), "note": "Renewal scope with Maria and Tom", "at": "2026-11-02",
        "next_step": ("Send the renewal proposal", datetime(2026, 11, 13, tzinfo=timezone.utc))}),
]
EVENTS = sum(1 + ("next_step" in kwargs) for _, _, kwargs in STORY)  # a step with a next step writes two


@click.command("demo")
@click.pass_obj
def demo(obj):
    """Record a demo story (account globex: Maria and three colleagues, a plan) and show how Maria moved.

    It writes to a ledger of its own ($XDG_DATA_HOME/relledger/demo.db) unless --ledger
    names one, so your own ledger stays as it was. Safe to re-run: every step has a
    fixed id, so a second run writes nothing.
    """
    from ledger.timeutil import parse_when

    obj.use_demo_ledger()
    app = obj.writer(create=True)
    written = 0
    for number, (method, args, kwargs) in enumerate(STORY, 1):
        given = dict(kwargs, at=parse_when(kwargs["at"]), key=kwargs.get("key", f"demo-{number}"))
        decision = getattr(app, method)(*args, **given)
        written += sum(not d.duplicate for d in (decision, *decision.also))
    from ledger.cli.read import answers

    found = answers(obj, None, None, None)
    for move in found.history("globex/maria")["transitions"]:
        cause = "left its window" if move["cause"] == "window" else move["cause"]
        to = move["to"]
        click.echo(f"{move['at'][:10]}  {to['action']:<36} {to['quadrant'] or '-':<15} {to['stage']:<10} {move['event']} ({cause})")
    card = found.show("globex/maria")
    click.echo(f"now         {card['action'] or 'undecided':<36} {card['quadrant'] or '-':<15} {card['stage']:<10} "
               f"rules v{card['rules']}")
    click.echo("\nGlobex now (relledger map globex):")
    for row in found.listing(account="globex"):
        advice = row["action"] or f"undecided: {(row.get('decide') or 'assess').split(':')[0]} to decide"
        click.echo(f"  {row['handle']:<14} {row['quadrant'] or '-':<15} {advice}")
    click.echo(f"\n{written} events written to {obj.location}" + (" (already there)" if not written else ""))
    where = shlex.quote(obj.location)
    click.echo(f"Explore it: relledger --ledger {where} show globex/maria   (also: why, history, trend, map globex)")


COMMANDS = [demo]
