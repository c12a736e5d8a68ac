"""Find subjects by a fragment of their handle, name, title or account name (issue 14).

Names and titles are personal (sealed, ADR 0015): they are opened here, per contact, from the
registration event alone; a forgotten contact is skipped before anything is opened, so it
never matches. Matching ignores case and accents; an exact field beats a word that starts
with the text, which beats the text anywhere inside a field.
"""

from __future__ import annotations

import unicodedata

from ledger.projections.personal import personal_fields

_FIELDS = ("handle", "name", "title", "account_name")


def fold(text: str) -> str:
    """``text`` without case or accents (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def score(needle: str, value: str | None) -> int | None:
    """0 for the whole field, 1 for a word starting with ``needle``, 2 anywhere, else None."""
    hay = fold(value or "")
    if not needle or needle not in hay:
        return None
    if hay == needle:
        return 0
    words = hay.replace("/", " ").replace("-", " ").split()
    return 1 if any(w.startswith(needle) for w in words) or hay.startswith(needle) else 2


def find(store, text: str) -> list[dict]:
    """Every account and live contact matching ``text``, best first (then by handle)."""
    needle = fold(" ".join(text.split()))
    hits = []
    for row in _candidates(store):
        scored = [(s, i) for i, f in enumerate(_FIELDS) if (s := score(needle, row.get(f))) is not None]
        if scored:
            best, field = min(scored)
            hits.append(((best, field, row["handle"]), {**row, "matched": _FIELDS[field]}))
    return [row for _, row in sorted(hits, key=lambda h: h[0])]


def _candidates(store) -> list[dict]:
    """Accounts (with their names) and contacts not forgotten (with name and title opened)."""
    names = {r["handle"]: r.get("name") for r in store.records("type='account'")}
    rows = store.db.query("SELECT handle, kind, account, event_id FROM view_subjects "
                          "WHERE forgotten IS NULL ORDER BY handle")
    contacts = [h for h, kind, _, _ in rows if kind == "contact"]
    personal = personal_fields(store.db, contacts, registration_only=True) if contacts else {}
    found = []
    for handle, kind, account, event_id in rows:
        who = personal.get(event_id, {}) if kind == "contact" else {"name": names.get(handle)}
        found.append({"handle": handle, "kind": kind, "name": who.get("name"), "title": who.get("title"),
                      "account": account if kind == "contact" else None,
                      "account_name": names.get(account)})
    return found
