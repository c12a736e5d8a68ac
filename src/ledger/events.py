"""The ledger's immutable events: pydantic models, versioned for upcasting.

Every event sits in the stream of one subject (an account or a contact), named by
``handle``. What else is known about a type (its subject, personal fields sealed with the
contact's own key (ADR 0006), references, history summary) is its ``FACTS`` entry in
``ledger.facts``; ``class_version`` and ``upcast_vN_vN+1`` static methods work as in
eventsourcing's own Mapper (see ``ledger.mapper``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_serializer, model_validator

from ledger.facts import TYPES, Facts
from ledger.timeutil import parse_when, to_utc
from ledger.vocabulary import (
    DIRECTIONS,
    EVENT_ID_PATTERN,
    FEEDBACK_ABOUT,
    HANDLE_PATTERN,
    INTERACTION_KINDS,
    MILESTONES,
    OUTCOMES,
    ROLES,
    SENTIMENTS,
)

UTC = Annotated[AwareDatetime, AfterValidator(to_utc)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Handle = Annotated[str, StringConstraints(pattern=f"^{HANDLE_PATTERN}$")]
EventId = Annotated[str, StringConstraints(pattern=f"^{EVENT_ID_PATTERN}$")]


class RecordedEvent(BaseModel):
    """Base of every event: who recorded it, when it happened, when it was recorded, its id."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    type: ClassVar[str] = "event"
    FACTS: ClassVar[Facts | None] = None  # the type's facts (ledger.facts), set from ``type``
    PERSONAL: ClassVar[tuple[str, ...]] = ()  # FACTS.personal: the fields sealed with the contact's key
    class_version: ClassVar[int] = 1

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.type in TYPES:
            cls.FACTS = TYPES[cls.type]
            cls.PERSONAL = cls.FACTS.personal

    originator_id: UUID
    originator_version: int
    timestamp: UTC  # when the ledger recorded it (eventsourcing's name for it)
    id: EventId
    occurred_at: UTC
    recorded_by: Text
    redacted: bool = False  # set on load when the personal fields were erased

    @property
    def recorded_at(self) -> datetime:
        """When the ledger wrote the event."""
        return self.timestamp

    def payload(self) -> dict[str, Any]:
        """The event's own fields (what the command said), as JSON-ready data."""
        skip = set(LedgerEvent.model_fields)
        return {k: v for k, v in self.model_dump(mode="json").items() if k not in skip}

    def as_record(self) -> dict[str, Any]:
        """The event as users see it in --json output, history and exports."""
        record = {
            "id": self.id,
            "type": self.type,
            "handle": getattr(self, "handle", None),
            "occurred_at": self.occurred_at.isoformat(),
            "recorded_at": self.timestamp.isoformat(),
            "by": self.recorded_by,
        }
        record.update(self.payload())
        if self.redacted:
            record["redacted"] = True
        return record


class LedgerEvent(RecordedEvent):
    """An event in the stream of one subject (an account or a contact), named by its handle."""

    handle: Handle


class FrameworkAdopted(RecordedEvent):
    """A classification table (same shape as the built-in one) came into force."""

    type: ClassVar[str] = "framework"
    name: Text
    version: int = Field(ge=2)
    source: str = ""
    rows: tuple[dict[str, Any], ...]


class RulesAdopted(RecordedEvent):
    """Evidence rules came into force (ADR 0013): a built-in version (``rules`` None) or a
    custom document of the built-in version 2's shape, checked here so every door checks it."""

    type: ClassVar[str] = "rules"
    name: Text
    version: int = Field(ge=1)
    rules: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "RulesAdopted":
        from ledger.rules import BUILTIN, rules_from_dict

        if self.rules is None and self.version not in BUILTIN:
            raise ValueError(f"version: {self.version} is not built in (built in: {', '.join(map(str, BUILTIN))}); "
                             "give the rules document")
        if self.rules is not None:
            if self.name == "built-in":
                raise ValueError("name: 'built-in' is reserved for the rules shipped with relledger")
            rules_from_dict({**self.rules, "version": self.version})
        return self



class AccountRegistered(LedgerEvent):
    """An account (a customer organisation) was added to the ledger."""

    type: ClassVar[str] = "account"
    name: Text


class ContactRegistered(LedgerEvent):
    """A person at a customer was added to the ledger."""

    type: ClassVar[str] = "contact"
    name: Text | None
    account: Handle | None = None
    title: Text | None = None
    roles: tuple[Literal[ROLES], ...] = ()
    reports_to: Handle | None = None


class InteractionRecorded(LedgerEvent):
    """We and the contact interacted (or we tried to); with several people (ADR 0017),
    ``contacts`` names them all, the first being ``handle`` (whose stream holds the event)."""

    type: ClassVar[str] = "interaction"
    class_version: ClassVar[int] = 2
    kind: Literal[INTERACTION_KINDS]
    direction: Literal[DIRECTIONS] = "outbound"
    outcome: Literal[OUTCOMES] | None = None
    note: Text | None = None
    tags: tuple[Text, ...] | None = ()
    contacts: tuple[Handle, ...] = ()  # empty: the one contact ``handle``

    @staticmethod
    def upcast_v1_v2(state: dict) -> None:
        """Before several contacts: the one contact is ``handle``."""
        state["contacts"] = []

    @property
    def participants(self) -> tuple[str, ...]:
        """Every contact named: ``handle`` alone, or ``contacts``."""
        return self.contacts or (self.handle,)


class FeedbackReceived(LedgerEvent):
    """The contact told us what they think about us, our company, product or service."""

    type: ClassVar[str] = "feedback"
    about: Literal[FEEDBACK_ABOUT]
    sentiment: Literal[SENTIMENTS]
    note: Text | None = None
    channel: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] | None = None


class FeedbackAddressed(LedgerEvent):
    """We answered a piece of feedback (the retrospective of seed 003)."""

    type: ClassVar[str] = "response"
    feedback: EventId
    note: Text | None


class DimensionAssessed(LedgerEvent):
    """Someone judged one or more of the framework's four dimensions."""

    type: ClassVar[str] = "assessment"
    dimensions: dict[str, str] = Field(min_length=1)
    reason: Text | None = None


class MilestoneReached(LedgerEvent):
    """A relationship milestone on an account or a contact (seed 003's stages)."""

    type: ClassVar[str] = "milestone"
    milestone: Literal[MILESTONES]
    note: Text | None = None


class EntryRetracted(LedgerEvent):
    """An earlier event was recorded in error; it stops counting from now on."""

    type: ClassVar[str] = "retraction"
    target: EventId
    reason: Text | None


class RolesChanged(LedgerEvent):
    """A contact's roles in the buying decision are now these (the whole set)."""

    type: ClassVar[str] = "roles"
    roles: tuple[Literal[ROLES], ...] = ()


class ReportingLineSet(LedgerEvent):
    """Whom the contact reports to (None: nobody we know of)."""

    type: ClassVar[str] = "reporting"
    reports_to: Handle | None = None


class GoalSet(LedgerEvent):
    """A goal in an account's relationship plan (seed 002, step 5)."""

    type: ClassVar[str] = "goal"
    text: Text
    target: date


class InitiativeAdded(LedgerEvent):
    """A key initiative under a goal: detailed and time-bound (owner and due date required)."""

    type: ClassVar[str] = "initiative"
    goal: EventId
    text: Text
    owner: Text
    due: date
    contacts: tuple[Handle, ...] = ()


class InitiativeClosed(LedgerEvent):
    """An initiative was done or dropped."""

    type: ClassVar[str] = "initiative-closed"
    initiative: EventId
    status: Literal["done", "dropped"]
    note: Text | None = None


class ReviewHeld(LedgerEvent):
    """The account's plan was reviewed (seed 002, step 6); the next is due every_months later."""

    type: ClassVar[str] = "review"
    note: Text
    every_months: int = Field(default=3, ge=1, le=24)


def _due(value: Any) -> Any:
    """A due moment given as text takes the forms of --at (a date alone: midnight UTC)."""
    return parse_when(value, field="due") if isinstance(value, str) else value


class NextStepSet(LedgerEvent):
    """A next step with the contact, due at a moment (ADR 0020): open until done or dropped."""

    type: ClassVar[str] = "next"
    text: Text | None  # None only once erased (an export after 'forget'); the commands require it
    due: Annotated[UTC, BeforeValidator(_due)]

    @field_serializer("due")
    def _iso(self, due: datetime) -> str:  # as occurred_at is shown: +00:00, not Z
        return due.isoformat()


class NextStepDone(LedgerEvent):
    """A next step was done."""

    type: ClassVar[str] = "next-done"
    step: EventId


class NextStepDropped(LedgerEvent):
    """A next step was dropped (it will not be done)."""

    type: ClassVar[str] = "next-dropped"
    step: EventId


class ContactForgotten(LedgerEvent):
    """The contact's personal data was erased (its key destroyed); the anonymous history stays."""

    type: ClassVar[str] = "forgotten"


class Snapshot(BaseModel):
    """A subject's state at a version, so long histories need no full replay."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    originator_id: UUID
    originator_version: int
    timestamp: UTC
    topic: str
    state: dict[str, Any]

    @classmethod
    def take(cls, aggregate: Any) -> "Snapshot":
        """Capture the aggregate's (non-personal) state."""
        from eventsourcing.utils import get_topic

        return cls(
            originator_id=aggregate.id,
            originator_version=aggregate.version,
            timestamp=aggregate.modified_on,
            topic=get_topic(type(aggregate)),
            state=aggregate.model_dump(mode="json"),
        )


EVENT_TYPES: dict[str, type[LedgerEvent]] = {
    cls.type: cls
    for cls in (
        AccountRegistered,
        ContactRegistered,
        InteractionRecorded,
        FeedbackReceived,
        FeedbackAddressed,
        DimensionAssessed,
        MilestoneReached,
        EntryRetracted,
        ContactForgotten,
        FrameworkAdopted,
        RulesAdopted,
        RolesChanged,
        ReportingLineSet,
        GoalSet,
        InitiativeAdded,
        InitiativeClosed,
        ReviewHeld,
        NextStepSet,
        NextStepDone,
        NextStepDropped,
    )
}
