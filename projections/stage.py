"""The stage of a relationship (seed 003): courting, dating, engagement, long-term, ended.

Courting until a first meeting is held; dating after it; engagement once a contract is
signed (on the contact or its account); long-term after a long-term commitment; ended after
an 'ended' milestone, until a new contract is signed.
"""

from __future__ import annotations

from ledger.projections.timeline import iso

STAGES = ("courting", "dating", "engagement", "long-term", "ended")
_MOVES = {  # (stage now, what happened) -> next stage
    **{(s, "meeting"): "dating" for s in ("courting",)},
    **{(s, "contract-signed"): "engagement" for s in ("courting", "dating", "ended")},
    **{(s, "long-term-commitment"): "long-term" for s in ("courting", "dating", "engagement")},
    **{(s, "ended"): "ended" for s in ("courting", "dating", "engagement", "long-term")},
}
_HELD = (None, "answered", "returned")


def _happening(r: dict) -> str | None:
    if r["type"] == "interaction" and r["kind"] == "meeting" and r.get("outcome") in _HELD:
        return "meeting"
    return r["milestone"] if r["type"] == "milestone" else None


def stage(records: list[dict], at: int) -> dict:
    """The stage at ``at`` from counting records (a contact's plus its account's), with its causes."""
    value, causes, since = "courting", [], None
    for r in records:
        if r["occurred"] > at:
            break
        happened = _happening(r)
        nxt = _MOVES.get((value, happened)) if happened else None
        if nxt:
            value, since = nxt, r["occurred"]
            causes.append(r)
    return {"value": value, "events": [r["id"] for r in causes], "since": iso(since) if since else None,
            "explanation": _explain(value, causes[-1] if causes else None)}


def _explain(value: str, cause: dict | None) -> str:
    if cause is None:
        return "courting: no meeting held yet"
    where = f"{cause['id']} on {cause['handle']}, {iso(cause['occurred'])[:10]}"
    return {
        "dating": f"dating: first meeting held ({where})",
        "engagement": f"engagement: contract signed ({where})",
        "long-term": f"long-term: long-term commitment made ({where})",
        "ended": f"ended: the relationship was ended ({where}); a new contract restarts it",
    }[value]
