"""The ledger's closed vocabularies, shared by the events, the CLI and the docs.

Plain tuples only: importing this module must stay cheap (the CLI help uses it).
"""

INTERACTION_KINDS = ("call", "email", "meeting", "message", "event", "other")
DIRECTIONS = ("outbound", "inbound")
OUTCOMES = ("answered", "returned", "unanswered", "declined")
FEEDBACK_ABOUT = ("company", "product", "service", "you")
SENTIMENTS = ("positive", "neutral", "negative")
MILESTONES = ("contract-signed", "long-term-commitment", "ended")
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

# Stored topics end in the event class name; these are the types users see.
TOPIC_TYPES = {
    "AccountRegistered": "account",
    "ContactRegistered": "contact",
    "InteractionRecorded": "interaction",
    "FeedbackReceived": "feedback",
    "FeedbackAddressed": "response",
    "DimensionAssessed": "assessment",
    "MilestoneReached": "milestone",
    "EntryRetracted": "retraction",
    "ContactForgotten": "forgotten",
    "FrameworkAdopted": "framework",
    "RulesAdopted": "rules",
    "RolesChanged": "roles",
    "ReportingLineSet": "reporting",
    "GoalSet": "goal",
    "InitiativeAdded": "initiative",
    "InitiativeClosed": "initiative-closed",
    "ReviewHeld": "review",
}
# Free-text fields sealed with the subject's key (ADRs 0006, 0015), by event type: a
# contact's are erased by 'forget'; an account's (goals, initiatives, reviews) are sealed
# under the account's key.
PERSONAL_FIELDS = {
    "contact": ("name", "title"),
    "interaction": ("note", "tags"),
    "feedback": ("note", "channel"),
    "response": ("note",),
    "assessment": ("reason",),
    "milestone": ("note",),
    "retraction": ("reason",),
    "goal": ("text",),
    "initiative": ("text", "owner"),
    "initiative-closed": ("note",),
    "review": ("note",),
}
