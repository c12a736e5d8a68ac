"""Text renderers for the account reports: map (table, mermaid, dot), gaps, plan, review, due."""

from __future__ import annotations

import re

from ledger.cli.colour import RED, paint, painted
from ledger.cli.output import columns

_GROUP_ORDER = ["high-advocate", "high-detractor", "low-advocate", "low-detractor", "unclassified"]


def relationship_map(m: dict) -> str:
    lines = [f"{m['account']}  {m['name'] or ''}".rstrip() + f"  (stage {m['stage']})"]
    contacts = {c["handle"]: c for c in m["contacts"]}
    for group in sorted(m["groups"], key=lambda g: _GROUP_ORDER.index(g) if g in _GROUP_ORDER else 99):
        lines.append("\n" + painted(group))
        rows = []
        for handle in m["groups"][group]:
            c = contacts[handle]
            days = "never" if c["days_since_two_way"] is None else f"{c['days_since_two_way']}d ago"
            rows.append([f"  {handle}", c["name"] or "", ",".join(c["roles"]) or "-", painted(c["action"] or "undecided"), c["stage"],
                         days, ",".join(c["held_by"]) or "-"])
        lines.append(columns(rows, keep=(0,)))
    lines += _coverage(m)
    return "\n".join(lines)


def _coverage(m: dict) -> list[str]:
    lines = []
    for title, key in (("strengths", "strengths"), ("gaps", "gaps")):
        if m[key]:
            lines.append(f"\n{title}")
            lines += [f"  {g['kind']}: {g['detail']}" + (f"  [{', '.join(g['events'])}]" if g["events"] else "") for g in m[key]]
    return lines


def _node(handle: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", handle)


def mermaid(m: dict) -> str:
    lines = ["graph TD"]
    for c in m["contacts"]:
        label = "<br/>".join(x for x in [c["handle"], c["name"], c["action"] or "undecided", c["quadrant"] or "unclassified"] if x)
        lines.append(f'  {_node(c["handle"])}["{label.replace(chr(34), "")}"]')
    lines += [f"  {_node(manager)} --> {_node(report)}" for report, manager in m["reporting"]]
    return "\n".join(lines)


def dot(m: dict) -> str:
    lines = [f'digraph "{m["account"]}" {{', "  rankdir=TB;"]
    for c in m["contacts"]:
        label = "\\n".join(x for x in [c["handle"], c["name"], c["action"] or "undecided"] if x).replace('"', "")
        lines.append(f'  "{c["handle"]}" [label="{label}"];')
    lines += [f'  "{manager}" -> "{report}";' for report, manager in m["reporting"]]
    return "\n".join(lines + ["}"])


def gaps(accounts: list[dict]) -> str:
    if not accounts:
        return "no accounts"
    return "\n\n".join(a["account"] + (" (ended: nothing to chase)" if a.get("stage") == "ended" else "") + ("\n" + "\n".join(_coverage(a)).strip("\n") if a["gaps"] or a["strengths"] else "\n  nothing to report")
                       for a in accounts)


def plan(p: dict) -> str:
    if not p["goals"]:
        return f"{p['account']}: no goals yet (relledger goal add {p['account']} TEXT --target DATE)"
    lines = [p["account"]]
    for g in p["goals"]:
        lines.append(f"\ngoal {g['id']}: {g['text']} (target {g['target']})")
        rows = [[f"  {i['id']}", i["status"], f"due {i['due']}", i["owner"], i["text"]] for i in g["initiatives"]]
        lines.append(columns(rows, keep=(0, 1, 2)) if rows else "  no initiatives yet")
    return "\n".join(lines)


def since_last(r: dict) -> str:
    lines = [f"{r['account']} since the review of {r['since'][:10]} ({r['review']}); next review due {r['next_review_due']}"]
    sections = [
        ("moved", [f"  {m['handle']}: " + "; ".join(f"{c['what']} {c['from'] or '-'} -> {c['to'] or '-'}" for c in m["changes"])
                   for m in r["moved"]]),
        ("done", [f"  {i['id']}: {i['text']}" for i in r["done"]]),
        ("dropped", [f"  {i['id']}: {i['text']}" + (f" - {i['note']}" if i["note"] else "") for i in r["dropped"]]),
        ("late", [f"  {i['id']}: {i['text']} (due {i['due']}, {i['owner']})" for i in r["late"]]),
        ("new gaps", [f"  {g['kind']}: {g['detail']}" for g in r["new_gaps"]]),
    ]
    for title, rows in sections:
        lines.append(f"{title}: none" if not rows else f"{title}:\n" + "\n".join(rows))
    return "\n".join(lines)


def due(items: list[dict]) -> str:
    if not items:
        return "nothing overdue"
    rows = [["overdue", "kind", "account", "due", "what"]]
    rows += [[f"{i['days_overdue']}d", i["kind"] + (paint(" (risk)", RED) if i.get("risk") else ""), i["account"], i["due"], i["what"]]
             for i in items]
    return columns(rows, keep=(0, 3))
