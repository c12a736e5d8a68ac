"""What the ledger knows about each event type, declared once per type (ADR 0012).

Each event class in ``ledger.events`` carries its entry as ``FACTS`` (and ``PERSONAL`` from
it); every other table (stored topics, sealed fields, CSV columns, which types need a
contact or an account, what may be retracted, how ``history`` shows an event) is derived
from these entries. Standard library only: the read side uses it without pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facts:
    """One event type: its name, stored topic, subject, fields, personal fields, references, summary."""

    type: str  # the name users see (import lines, history, --json)
    topic: str  # the class name that ends its stored topic
    subject: str  # "account", "contact", "account or contact", "new account", "new contact", "" (own stream)
    fields: tuple[str, ...]  # the event's own fields, in CSV column order
    personal: tuple[str, ...] = ()  # free text sealed with the subject's key (ADRs 0006, 0015): a contact's erased by 'forget'
    refers: tuple[str, tuple[str, ...]] | None = None  # (field, types it may name): an earlier event
    summary: tuple[str, ...] = ()  # history's details: pieces, each dropped when a field it names is empty
    stream: str = ""  # for a type with a stream of its own (no subject): its name, e.g. "@framework"


RETRACTABLE_TYPES = (  # what a retraction may name (its `refers` below)
    "interaction", "feedback", "response", "assessment", "milestone", "goal", "initiative", "review")

FACTS = (
    Facts("account", "AccountRegistered", "new account", ("name",), summary=("{name}",)),
    Facts("contact", "ContactRegistered", "new contact", ("name", "account", "title", "roles", "reports_to"),
          personal=("name", "title"),
          summary=("{name}", "({title})", "at {account}", "roles {roles}", "reports to {reports_to}")),
    Facts("interaction", "InteractionRecorded", "contact", ("kind", "direction", "outcome", "note", "tags", "contacts"),
          personal=("note", "tags"),  # sealed with every named contact's key in turn (ADR 0017)
          summary=("{kind}", "{direction}", "{outcome}", "with {contacts}", "- {note}", "[{tags}]")),
    Facts("feedback", "FeedbackReceived", "contact", ("about", "sentiment", "note", "channel"),
          personal=("note", "channel"),
          summary=("{sentiment} about {about}", "via {channel}", "- {note}")),
    Facts("response", "FeedbackAddressed", "contact", ("feedback", "note"), personal=("note",),
          refers=("feedback", ("feedback",)), summary=("to {feedback}", "- {note}")),
    Facts("assessment", "DimensionAssessed", "contact", ("dimensions", "reason"), personal=("reason",),
          summary=("{dimensions}", "- {reason}")),
    Facts("milestone", "MilestoneReached", "account or contact", ("milestone", "note"), personal=("note",),
          summary=("{milestone}", "- {note}")),
    Facts("retraction", "EntryRetracted", "account or contact", ("target", "reason"), personal=("reason",),
          refers=("target", RETRACTABLE_TYPES), summary=("of {target}", "- {reason}")),
    Facts("roles", "RolesChanged", "contact", ("roles",), summary=("roles now {roles}",)),
    Facts("reporting", "ReportingLineSet", "contact", ("reports_to",),
          summary=("reports to {reports_to}", "{reports_to?reports to nobody we know of}")),
    Facts("goal", "GoalSet", "account", ("text", "target"), personal=("text",),
          summary=("{text}", "by {target}")),
    Facts("initiative", "InitiativeAdded", "account", ("goal", "text", "owner", "due", "contacts"),
          personal=("text", "owner"), refers=("goal", ("goal",)),
          summary=("{text}", "(goal {goal})", "owner {owner}", "due {due}", "with {contacts}")),
    Facts("initiative-closed", "InitiativeClosed", "account", ("initiative", "status", "note"),
          personal=("note",), refers=("initiative", ("initiative",)), summary=("{initiative} {status}", "- {note}")),
    Facts("review", "ReviewHeld", "account", ("note", "every_months"), personal=("note",),
          summary=("{note}", "next in {every_months} months")),
    Facts("framework", "FrameworkAdopted", "", ("name", "version", "source", "rows"), stream="@framework",
          summary=("{name} v{version}", "({source})")),
    Facts("rules", "RulesAdopted", "", ("name", "version", "rules"), stream="@rules",
          summary=("evidence rules {name} v{version}",)),
    Facts("next", "NextStepSet", "contact", ("text", "due"), personal=("text",),
          summary=("{text}", "due {due}")),  # ADR 0020
    Facts("next-done", "NextStepDone", "contact", ("step",), refers=("step", ("next",)), summary=("{step} done",)),
    Facts("next-dropped", "NextStepDropped", "contact", ("step",), refers=("step", ("next",)),
          summary=("{step} dropped",)),
    Facts("forgotten", "ContactForgotten", "contact", (), summary=("personal data erased",)),
)

TYPES = {f.type: f for f in FACTS}
TOPIC_TYPES = {f.topic: f.type for f in FACTS}  # stored topics end in the class name
PERSONAL_FIELDS = {f.type: f.personal for f in FACTS if f.personal}
REFERENCES = {f.type: f.refers for f in FACTS if f.refers}


def summary(record: dict) -> str:
    """History's one-line details of an event record (``--json`` shape), from its type's pieces."""
    facts = TYPES.get(record.get("type", ""))
    if facts is None:
        return ""
    return " ".join(filter(None, (_piece(p, record) for p in facts.summary)))


def _piece(piece: str, record: dict) -> str:
    """A piece with its {field} values; '' when one is empty. {field?text}: text when the field is empty."""
    out, rest = "", piece
    while "{" in rest:
        before, _, rest = rest.partition("{")
        name, _, rest = rest.partition("}")
        name, _, otherwise = name.partition("?")
        value = _text(record.get(name))
        if otherwise:
            return otherwise if not value else ""
        if not value:
            return ""
        out += before + value
    return out + rest


def _text(value) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)
