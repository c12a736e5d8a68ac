"""The ledger's closed vocabularies, shared by the events, the CLI and the docs.

Plain tuples only: importing this module must stay cheap (the CLI help uses it).
"""

INTERACTION_KINDS = ("call", "email", "meeting", "message", "event", "other")
DIRECTIONS = ("outbound", "inbound")
OUTCOMES = ("answered", "returned", "unanswered", "declined")
FEEDBACK_ABOUT = ("company", "product", "service", "you")
SENTIMENTS = ("positive", "neutral", "negative")
MILESTONES = ("contract-signed", "long-term-commitment", "ended", "proof-of-concept", "go-live", "renewal")  # ADR 0018
ROLES = (
    "economic-buyer",
    "decision-maker",
    "technical-evaluator",
    "user",
    "champion",
    "coach",
    "gatekeeper",
    "influencer",
)
DIMENSIONS = {
    "relationship": ("yes", "no"),
    "power": ("low", "high"),
    "perception": ("detractor", "advocate"),
    "activity": ("passive", "active"),
}

HANDLE_PATTERN = r"[a-z0-9][a-z0-9._-]{0,62}(/[a-z0-9][a-z0-9._-]{0,62})?"
HANDLE_HELP = "lower-case letters, digits, '.', '_', '-', optionally 'account/person' (e.g. acme or acme/jane)"
EVENT_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,79}"
EVENT_ID_HELP = "1-80 characters: letters, digits, '.', '_', ':', '/', '-' (e.g. crm-42)"


def allowed(values) -> str:
    """Render a closed vocabulary for an error message: 'a, b or c'."""
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]

# Derived from each event type's facts (ledger.facts), kept here for the read side's imports.
from ledger.facts import PERSONAL_FIELDS, TOPIC_TYPES  # noqa: E402,F401
