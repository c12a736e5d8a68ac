"""Text renderers, one per report. Each takes the report's plain data and returns text."""

from __future__ import annotations

from ledger.cli.colour import painted
from ledger.cli.output import columns


def status(d: dict) -> str:
    rows = [["ledger", d["ledger"] + ("" if d["exists"] else " (not created yet)")], ["events", str(d["events"])]]
    rows += [[f"  {t}", str(n)] for t, n in d["by_type"].items() if n]
    rows += [["accounts", str(d["accounts"])], ["contacts", str(d["contacts"])]]
    rows += [[f"view {v}", f"at {p}"] for v, p in d["views"].items()]
    rows += [[name, d[name]] for name in ("head", "key") if d.get(name)]
    if d.get("rules"):
        rows.append(["rules", rules_line(d["rules"])])
    return columns(rows)


def rules_line(r: dict) -> str:
    """The rules in force, and whether a newer built-in version exists."""
    text = f"{r['name']} v{r['version']}" + (f" (adopted {r['since'][:10]}, {r['event']})" if r["event"] else "")
    if r["newer_available"]:
        text += f"; version {r['newest']} exists: relledger rules adopt {r['newest']}"
    return text


def _action(c: dict) -> str:
    """The action, or the one question that decides it."""
    return c["action"] or (f"undecided: {c['decide']}" if c.get("decide") else "unclassified")


def _band(band: dict | None) -> str:
    return f"{band['level']} {band['kind']}" if band else "-"


def _framework(fw: dict) -> str:
    return f"{fw['name']} v{fw['version']}" + (f", row {fw['row']}" if fw["row"] else "")


def card(c: dict) -> str:
    # a name is required at registration: none on a contact not forgotten means its blob did not open
    who = c["name"] or ("(forgotten)" if c["forgotten"] else "(unreadable: see 'relledger verify')")
    extra = ", ".join(x for x in [c["title"], c["account"] and f"account {c['account']}"] if x)
    stale = set(c.get("reassess") or ())
    rows = [[d, (v or "unknown") + ("  (reassess: stale)" if d in stale else "")] for d, v in c["dimensions"].items()]
    rows += [["action", painted(_action(c))]]
    if c["action"] and c.get("missing"):
        rows.append(["", f"(whatever {' and '.join(c['missing'])} turns out to be)"])
    rows += [["quadrant", painted(c["quadrant"] or "-")], ["band", painted(_band(c["band"]))],
             ["stage", c["stage"]], ["framework", _framework(c["framework"])]]
    rows += [["next" if i == 0 else "", _step(s)] for i, s in enumerate(c.get("next_steps", []))]
    return f"{c['handle']}  {who}" + (f" ({extra})" if extra else "") + "\n" + columns(rows)


def _step(s: dict) -> str:
    from ledger.cli.nextsteps import due_text

    return f"{due_text(s['due'])}{' (due)' if s['is_due'] else ''}  {s['id']}  {s['text'] or '(erased)'}"


def account(a: dict) -> str:
    head = f"{a['handle']}  {a['name'] or ''}".rstrip()
    return f"{head}\nstage  {a['explanation']}\n\n" + listing(a["contacts"])


def why(w: dict) -> str:
    r = w["rules_in_force"]
    lines = [f"{w['handle']}: {painted(_action(w))}", f"  framework {_framework(w['framework'])}; rules {r['name']} v{r['version']}"]
    if w["action"] and w["missing"]:
        lines.append(f"  decided without {', '.join(w['missing'])}: no value of it changes the action")
    lines.append("because")
    for dim, s in w["dimensions"].items():
        lines.append(f"  {dim}: {s['value'] or 'unknown'}" + (f" ({s['source']} since {s['since'][:10]})" if s["value"] else ""))
        lines.append(f"    rule: {s['rule']}")
        lines += [f"    evidence {_evidence(e)}" for e in s["evidence"]]
        lines += [f"    conflict {_evidence(e)} (not enough to change it)" for e in s["conflicts"]]
        if s["reassess"]:
            lines.append(f"    reassess: nothing has agreed since {s['last_agreeing'][:10]}; stale since {s['stale_since'][:10]}")
    stage = w["stage"]
    lines.append(f"  stage: {stage['explanation']}")
    return "\n".join(lines)


def _evidence(e: dict) -> str:
    what = f" {e['what']}" if e.get("what") else ""
    reason = "".join(f" - {e[k]}" for k in ("reason", "note") if e.get(k))
    return f"{e['id']} {e['occurred_at'][:10]} {e['type']}{what} by {e['recorded_by']}{reason}"


def history(h: dict) -> str:
    rows = [["occurred", "id", "type", "by", "details"]]
    for e in h["events"]:
        mark = f" [retracted by {e['retracted_by']}]" if e["retracted_by"] else ""
        mark += " [unreadable: damaged or moved; see 'relledger verify']" if e.get("unreadable") else ""
        who = "" if e["handle"] == h["handle"] or e.get("contacts") else f"[{e['handle']}] "  # 'with ...' names them
        rows.append([e["occurred_at"][:16].replace("T", " "), e["id"], e["type"], e["by"], who + summary(e) + mark])
    text = columns(rows, keep=(0, 1, 2))
    if h["transitions"]:
        moves = [[t["at"][:10], _move(t),
                  f"({t['event']}{', left its window' if t['cause'] == 'window' else ''})"] for t in h["transitions"]]
        text += "\n\nmoves\n" + columns(moves)
    return text


def _move(t: dict) -> str:
    parts = [f"{t['from'][k] or '-'} -> {t['to'][k] or '-'}" for k in ("action", "quadrant") if t["from"][k] != t["to"][k]]
    if t["from"].get("stage") != t["to"].get("stage"):
        parts.append(f"stage {t['from']['stage']} -> {t['to']['stage']}")
    return "; ".join(parts)


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
        short = r["action"] or ("undecided: assess " + r["decide"].split(":")[0].removeprefix("assess ") if r["decide"]
                                else "unclassified")
        table.append([r["handle"], painted(short), painted(r["quadrant"] or "-"), painted(_band(r["band"])), r["stage"], days])
    return columns(table, keep=(0,))


def trend(t: dict) -> str:
    who = t.get("handle") or f"account {t['account']}"
    table = [["period", "stage", "action", "score", "interactions", "since two-way"]]
    for p in t["periods"]:
        score = "-" if p["score"] is None else f"{p['score']:+g}"
        if "classified" in p:
            score += f" ({p['classified']} of {p['contacts']} classified)"
        days = "-" if p["days_since_two_way"] is None else f"{p['days_since_two_way']}d"
        table.append([p["start"], p.get("stage", "-"), p["action"] or "-", score, str(p["interactions"]), days])
    return f"{who} by {t['by']}: {t['direction']}  {t['sparkline']}\n" + columns(table)
