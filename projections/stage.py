"""The stage of a relationship (seed 003): courting, dating, engagement, long-term, ended.

Per contact (ADR 0014): courting until the first meeting held with them (alone or with
others, ADR 0017) (other two-way
contact does not count: seed 003's date is the meeting); once dating, the account's stage
(engagement, long-term, ended) applies to them too, and milestones recorded on the contact
move that contact alone. A contact never met stays courting however far the account went.
Per account: from the account's own milestones; before any, dating once a meeting was held
with any of its contacts.
"""

from __future__ import annotations

from bisect import bisect_right

from ledger.projections.timeline import iso

STAGES = ("courting", "dating", "engagement", "long-term", "ended")
_MOVES = {  # (stage now, what happened) -> next stage
    **{(s, "meeting"): "dating" for s in ("courting",)},
    **{(s, "contract-signed"): "engagement" for s in ("courting", "dating", "ended")},
    **{(s, "long-term-commitment"): "long-term" for s in ("courting", "dating", "engagement")},
    **{(s, "ended"): "ended" for s in ("courting", "dating", "engagement", "long-term")},
    # engagement milestones (ADR 0018): work under agreement is engagement; a renewal after a
    # successful engagement is the longer-term commitment, after an end a new contract
    **{(s, "proof-of-concept"): "engagement" for s in ("courting", "dating", "ended")},
    **{(s, "go-live"): "engagement" for s in ("courting", "dating")},
    **{(s, "renewal"): "engagement" for s in ("courting", "dating", "ended")},
    ("engagement", "renewal"): "long-term",
}
_REACHED = {"proof-of-concept": "proof of concept", "go-live": "go-live", "renewal": "renewal"}
_HELD = (None, "answered", "returned")


def happening(r: dict) -> str | None:
    if r["type"] == "interaction" and r["kind"] == "meeting" and r.get("outcome") in _HELD:
        return "meeting"
    return r["milestone"] if r["type"] == "milestone" else None


def concerns(r: dict, handle: str) -> bool:
    """Whether the record is the contact's own: on its stream, or an interaction naming it
    among several contacts (ADR 0017); else it is its account's."""
    return r["handle"] == handle or handle in (r.get("contacts") or ())


def contact_changes(records: list[dict], handle: str) -> list[tuple[int, str, dict]]:
    """(when, new stage, cause) each time the contact's stage changed, oldest first."""
    value, account, met, changes = "courting", "courting", False, []
    for r in records:
        happened = happening(r)
        if happened is None:
            continue
        own = concerns(r, handle)
        if not own:  # the account's milestone: it applies to the contact once met
            account = _MOVES.get((account, happened), account)
            nxt = _MOVES.get((value, happened)) if met else None
        else:
            met = True
            nxt = _MOVES.get((value, happened))
            if happened == "meeting" and nxt and account not in ("courting", "dating"):
                nxt = account  # first met at an account already engaged: engaged with them too
        if nxt and nxt != value:
            value = nxt
            changes.append((r["occurred"], value, r))
    return changes


def account_changes(records: list[dict], account: str) -> list[tuple[int, str, dict]]:
    """(when, new stage, cause) each time the account's stage changed: its milestones, and the
    first meeting with any of its contacts."""
    value, changes = "courting", []
    for r in records:
        happened = happening(r)
        if happened is None or (happened != "meeting" and r["handle"] != account):
            continue
        nxt = _MOVES.get((value, happened))
        if nxt and nxt != value:
            value = nxt
            changes.append((r["occurred"], value, r))
    return changes


def stage_at(changes: list[tuple[int, str, dict]], at: int) -> dict:
    """The stage at ``at`` from its changes, with its causes and an explanation."""
    index = bisect_right([c[0] for c in changes], at)
    done = changes[:index]
    value = done[-1][1] if done else "courting"
    since = done[-1][0] if done else None
    return {"value": value, "events": [c[2]["id"] for c in done], "since": iso(since) if since else None,
            "explanation": _explain(value, done[-1][2] if done else None)}


def contact_stage(records: list[dict], at: int, handle: str) -> dict:
    """A contact's stage at ``at`` from its records and its account's milestones."""
    return stage_at(contact_changes(records, handle), at)


def account_stage(records: list[dict], at: int, account: str) -> dict:
    """An account's stage at ``at`` from its records and its contacts'."""
    return stage_at(account_changes(records, account), at)


def _explain(value: str, cause: dict | None) -> str:
    if cause is None:
        return "courting: no meeting held yet"
    where = f"{cause['id']} on {cause['handle']}, {iso(cause['occurred'])[:10]}"
    if cause["type"] == "interaction" and value != "dating":  # first met at an account already this far
        return f"{value}: first meeting held ({where}); the account's stage ({value}) applies from then"
    if cause["type"] == "milestone" and cause["milestone"] in _REACHED:
        return f"{value}: {_REACHED[cause['milestone']]} ({where})"
    return {
        "dating": f"dating: first meeting held ({where})",
        "engagement": f"engagement: contract signed ({where})",
        "long-term": f"long-term: long-term commitment made ({where})",
        "ended": f"ended: the relationship was ended ({where}); a new contract restarts it",
    }[value]
