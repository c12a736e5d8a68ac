"""Account-planning commands (seed 002): roles, reporting lines, goals, initiatives, reviews.

A mixin of the Ledger application: each method checks what the plan requires, then
appends through ``Ledger._append`` like every other command.
"""

from __future__ import annotations

from datetime import date

from ledger import events as ev
from ledger.errors import InvalidInputError
from ledger.timeutil import utcnow


class PlanningCommands:
    """Roles, reporting lines, goals, initiatives and reviews, as events."""

    def change_roles(self, handle: str, roles, at=None, key=None):
        """Set a contact's roles in the buying decision (the whole set; none clears them)."""
        return self._append(handle, ev.RolesChanged, key, at, contact=True, roles=tuple(roles))

    def set_reporting_line(self, handle: str, manager: str | None, at=None, key=None):
        """Record whom a contact reports to (None: nobody we know of)."""
        self._check_manager(handle, manager)
        return self._append(handle, ev.ReportingLineSet, key, at, contact=True, reports_to=manager)

    def set_goal(self, account: str, text: str, target: date, at=None, key=None):
        """Add a goal to an account's plan, with a target date."""
        self.subject(account, kind="account")
        return self._append(account, ev.GoalSet, key, at, text=text, target=target)

    def add_initiative(self, goal_id: str, text: str, owner: str, due: date, contacts=(), at=None, key=None):
        """Add a key initiative under a goal; it needs an owner and a due date not in the past."""
        goal = self._load(goal_id, expect=("goal",))
        if due < (at or utcnow()).date():
            raise InvalidInputError("due", f"{due.isoformat()} is in the past; a new initiative needs a due date from today on")
        for handle in contacts:
            if self.subject(handle, kind="contact").account != goal.handle:
                raise InvalidInputError("contact", f"'{handle}' is not a contact of {goal.handle}")
        fields = dict(goal=goal_id, text=text, owner=owner, due=due, contacts=tuple(contacts))
        return self._append(goal.handle, ev.InitiativeAdded, key, at, **fields)

    def close_initiative(self, initiative_id: str, status: str, note=None, at=None, key=None):
        """Mark an initiative done or dropped."""
        target = self._load(initiative_id, expect=("initiative",))
        still_open = lambda subject: self._still_open(subject, initiative_id)  # noqa: E731
        fields = dict(initiative=initiative_id, status=status, note=note)
        return self._append(target.handle, ev.InitiativeClosed, key, at, prepare=still_open, **fields)

    def hold_review(self, account: str, note: str, every_months: int | None = None, at=None, key=None):
        """Record a review of an account's plan; the next falls due every_months later (default 3)."""
        self.subject(account, kind="account")
        every = every_months or self._review_cadence(account)
        return self._append(account, ev.ReviewHeld, key, at, note=note, every_months=every)

    def _check_manager(self, handle: str, manager: str | None) -> None:
        if manager is None:
            return
        seen = {handle}
        while manager is not None:
            if manager in seen:
                raise InvalidInputError("reports-to", f"'{manager}' would make a reporting cycle")
            seen.add(manager)
            manager = self.subject(manager, kind="contact").reports_to

    def _review_cadence(self, account: str) -> int:
        reviews = [e for e in self.stream(account) if isinstance(e, ev.ReviewHeld)]
        return reviews[-1].every_months if reviews else 3

    @staticmethod
    def _still_open(subject, initiative_id: str) -> None:
        if initiative_id in subject.closed:
            raise InvalidInputError("initiative", f"'{initiative_id}' is already done or dropped")
