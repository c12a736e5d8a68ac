"""Account-planning commands (seed 002): roles, reporting lines, goals, initiatives, reviews.

A mixin of the Ledger application: each method states its command; the rules
(``ledger.decisions``) check what the plan requires, as for every other command.
"""

from __future__ import annotations

from datetime import date, datetime

from ledger.commands import Command, Decision
from ledger.errors import InvalidInputError


class PlanningCommands:
    """Roles, reporting lines, goals, initiatives and reviews, as events."""

    def change_roles(self, handle: str, roles, at=None, key=None):
        """Set a contact's roles in the buying decision (the whole set; none clears them)."""
        return self.record(Command("roles", handle, {"roles": tuple(roles)}, key, at))

    def set_reporting_line(self, handle: str, manager: str | None, at=None, key=None):
        """Record whom a contact reports to (None: nobody we know of)."""
        return self.record(Command("reporting", handle, {"reports_to": manager}, key, at))

    def set_goal(self, account: str, text: str, target: date, at=None, key=None):
        """Add a goal to an account's plan, with a target date."""
        return self.record(Command("goal", account, {"text": text, "target": target}, key, at))

    def add_initiative(self, goal_id: str, text: str, owner: str, due: date, contacts=(), at=None, key=None):
        """Add a key initiative under a goal; it needs an owner and a due date not before the day it is added."""
        fields = dict(goal=goal_id, text=text, owner=owner, due=due, contacts=tuple(contacts))
        return self.record(Command("initiative", None, fields, key, at))

    def close_initiative(self, initiative_id: str, status: str, note=None, at=None, key=None):
        """Mark an initiative done or dropped."""
        fields = dict(initiative=initiative_id, status=status, note=note)
        return self.record(Command("initiative-closed", None, fields, key, at))

    def hold_review(self, account: str, note: str, every_months: int | None = None, at=None, key=None):
        """Record a review of an account's plan; the next falls due every_months later (default: as the last)."""
        return self.record(Command("review", account, {"note": note, "every_months": every_months}, key, at))

    # -- next steps with a contact (ADR 0020) ---------------------------------------------

    def set_next_step(self, handle: str, text: str, due: datetime, at=None, key=None):
        """Set a next step with a contact, due at ``due`` (not before the day it is set)."""
        return self.record(Command("next", handle, {"text": text, "due": due}, key, at))

    def close_next_step(self, step_id: str, status: str, at=None, key=None):
        """Mark a next step done or dropped (``status``: "done" or "dropped")."""
        return self.record(Command(f"next-{status}", None, {"step": step_id}, key, at))

    def record_with_next_step(self, command: Command, text: str, due: datetime) -> Decision:
        """Record ``command`` and a next step for its subject in one write, all or nothing; the
        step's decision is the first of ``also``. With an idempotency key K the step's is K:next."""
        from ledger.writer import Writer

        step_key = None if command.id is None else f"{command.id}:next"
        if step_key is not None and len(step_key) > 80:
            raise InvalidInputError("id", f"'{command.id}' is too long to name its next step too; use 75 characters at most")
        step = Command("next", command.handle, {"text": text, "due": due}, step_key, command.occurred_at)
        first, second = Writer(self).record_many([command, step])
        return Decision(first.event, first.duplicate, (second,))
