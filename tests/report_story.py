"""A scripted story for the report tests: two accounts, one of them with a plan, a review,
a contact who moved, one who was forgotten and one nobody has assessed yet."""

from __future__ import annotations

AT = "2026-11-01"
NAMES = ["Alice Wong", "Bob Stone", "Dan Ruiz", "Peter Gibbons", "Umbrella Corporation", "Initech"]
TITLES = ["Chief Financial Officer", "Staff Engineer", "Summer Intern", "Programmer"]
FORGOTTEN = ("umbrella/carol", "Carol Diaz", "Head of Procurement")


def record_story(r) -> None:
    """Umbrella (four contacts, a plan, a review) and Initech (one contact)."""
    r.ok("account", "add", "umbrella", "--name", "Umbrella Corporation", "--at", "2026-01-05")
    r.ok("contact", "add", "umbrella/alice", "--name", "Alice Wong", "--title", "Chief Financial Officer",
         "--role", "economic-buyer", "--at", "2026-01-06")
    r.ok("contact", "add", "umbrella/bob", "--name", "Bob Stone", "--title", "Staff Engineer", "--role", "user",
         "--reports-to", "umbrella/alice", "--at", "2026-01-06")
    r.ok("contact", "add", "umbrella/carol", "--name", "Carol Diaz", "--title", "Head of Procurement", "--at", "2026-01-07")
    r.ok("contact", "add", "umbrella/dan", "--name", "Dan Ruiz", "--title", "Summer Intern", "--at", "2026-06-01")
    r.ok("assess", "umbrella/alice", "relationship=no", "perception=detractor", "activity=active", "--at", "2026-02-01")
    r.ok("log", "umbrella/bob", "meeting", "--at", "2026-02-10")
    r.ok("milestone", "umbrella", "contract-signed", "--at", "2026-03-01")
    r.ok("assess", "umbrella/carol", "relationship=no", "power=low", "perception=detractor", "activity=passive", "--at", "2026-03-05")
    r.ok("goal", "add", "umbrella", "Renew for three years", "--target", "2027-03-31", "--at", "2026-07-20", "--id", "g-renew")
    r.ok("initiative", "add", "g-renew", "Executive dinner with the CFO", "--owner", "ann", "--due", "2026-09-01",
         "--contact", "umbrella/alice", "--at", "2026-07-20", "--id", "i-dinner")
    r.ok("initiative", "add", "g-renew", "Pilot the reporting module with Bob", "--owner", "bo", "--due", "2026-12-15",
         "--at", "2026-07-20", "--id", "i-pilot")
    r.ok("initiative", "add", "g-renew", "Security questionnaire", "--owner", "bo", "--due", "2026-08-15",
         "--at", "2026-07-20", "--id", "i-security")
    r.ok("initiative", "done", "i-security", "--note", "Sent back early", "--at", "2026-07-30")
    r.ok("review", "umbrella", "--note", "Mid-year review", "--at", "2026-08-01", "--id", "rv-mid")
    for day in ("2026-09-10", "2026-09-20"):
        r.ok("feedback", "umbrella/alice", "--about", "product", "--sentiment", "positive", "--at", day)
    r.ok("log", "umbrella/alice", "call", "--outcome", "answered", "--at", "2026-09-21")
    r.ok("assess", "umbrella/alice", "relationship=yes", "perception=advocate", "--at", "2026-09-22")
    r.ok("log", "umbrella/bob", "call", "--outcome", "answered", "--at", "2026-10-01")
    r.ok("assess", "umbrella/bob", "power=low", "perception=advocate", "activity=passive", "--at", "2026-10-01")
    r.ok("forget", "umbrella/carol", "--yes")
    r.ok("account", "add", "initech", "--name", "Initech", "--at", "2026-02-01")
    r.ok("contact", "add", "initech/peter", "--name", "Peter Gibbons", "--title", "Programmer", "--role", "decision-maker",
         "--at", "2026-02-01")
    r.ok("log", "initech/peter", "call", "--outcome", "answered", "--at", "2026-10-20")
    r.ok("assess", "initech/peter", "relationship=yes", "perception=advocate", "activity=active", "--at", "2026-10-21")
