"""Text renderers, one per report. Each takes the report's plain data and returns text."""

from __future__ import annotations

from ledger.cli.output import columns


def status(d: dict) -> str:
    rows = [["ledger", d["ledger"] + ("" if d["exists"] else " (not created yet)")], ["events", str(d["events"])]]
    rows += [[f"  {t}", str(n)] for t, n in d["by_type"].items() if n]
    rows += [["accounts", str(d["accounts"])], ["contacts", str(d["contacts"])]]
    rows += [[f"view {v}", f"at {p}"] for v, p in d["views"].items()]
    return columns(rows)


def _band(band: dict | None) -> str:
    return f"{band['level']} {band['kind']}" if band else "-"


def _framework(fw: dict) -> str:
    return f"{fw['name']} v{fw['version']}" + (f", row {fw['row']}" if fw["row"] else "")


def card(c: dict) -> str:
    who = (c["name"] or "(forgotten)") if c["forgotten"] else c["name"]
    extra = ", ".join(x for x in [c["title"], c["account"] and f"account {c['account']}"] if x)
    rows = [[d, v or "unknown"] for d, v in c["dimensions"].items()]
    rows += [["action", c["action"]], ["quadrant", c["quadrant"] or "-"], ["band", _band(c["band"])],
             ["stage", c["stage"]], ["framework", _framework(c["framework"])]]
    return f"{c['handle']}  {who}" + (f" ({extra})" if extra else "") + "\n" + columns(rows)


def account(a: dict) -> str:
    head = f"{a['handle']}  {a['name'] or ''}".rstrip()
    return f"{head}\nstage  {a['explanation']}\n\n" + listing(a["contacts"])


def why(w: dict) -> str:
    lines = [f"{w['handle']}: {w['action']}", f"  framework {_framework(w['framework'])}", "because"]
    rows = []
    for dim, s in w["dimensions"].items():
        basis = f"{s['source']} since {s['since'][:10]}: {', '.join(s['events'])}" if s["value"] else "no signal"
        rows.append([f"  {dim}", s["value"] or "unknown", basis])
    stage = w["stage"]
    rows.append(["  stage", stage["value"], stage["explanation"]])
    return "\n".join(lines) + "\n" + columns(rows)


def history(h: dict) -> str:
    rows = [["occurred", "id", "type", "by", "details"]]
    for e in h["events"]:
        mark = f" [retracted by {e['retracted_by']}]" if e["retracted_by"] else ""
        who = "" if e["handle"] == h["handle"] else f"[{e['handle']}] "
        rows.append([e["occurred_at"][:16].replace("T", " "), e["id"], e["type"], e["by"], who + summary(e) + mark])
    text = columns(rows)
    if h["transitions"]:
        moves = [[t["at"][:10], f"{t['from']['action']} -> {t['to']['action']}",
                  f"({t['event']}{', left its window' if t['cause'] == 'window' else ''})"] for t in h["transitions"]]
        text += "\n\nmoves\n" + columns(moves)
    return text


def summary(e: dict) -> str:
    """One line describing an event: its type's summary pieces (ledger.facts)."""
    from ledger.facts import summary as details

    text = details(e)
    return f"{text} (personal data erased)" if e.get("redacted") and e["type"] != "forgotten" else text


def listing(rows: list[dict]) -> str:
    if not rows:
        return "no contacts"
    table = [["handle", "action", "quadrant", "band", "stage", "two-way"]]
    for r in rows:
        days = "never" if r["days_since_two_way"] is None else f"{r['days_since_two_way']}d ago"
        table.append([r["handle"], r["action"], r["quadrant"] or "-", _band(r["band"]), r["stage"], days])
    return columns(table)


def trend(t: dict) -> str:
    who = t.get("handle") or f"account {t['account']}"
    table = [["period", "action", "score", "interactions", "since two-way"]]
    for p in t["periods"]:
        score = "-" if p["score"] is None else f"{p['score']:+g}"
        days = "-" if p["days_since_two_way"] is None else f"{p['days_since_two_way']}d"
        table.append([p["start"], p["action"] or "-", score, str(p["interactions"]), days])
    return f"{who} by {t['by']}: {t['direction']}  {t['sparkline']}\n" + columns(table)
