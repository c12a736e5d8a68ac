"""The report as Markdown: the same content as tables, and a Mermaid quadrantChart per account."""

from __future__ import annotations

import re

from ledger.cli.report_svg import QUADRANTS, Grid, band_tag, describe
from ledger.cli.report_text import (account_title, action_text, band_text, contact_label, document_title, meta_line,
                                     reassess_text, scale_note, score_text, shown, two_way_text)


def render(data: dict) -> str:
    """The whole document."""
    lines = [f"# {document_title(data)}", "", meta_line(data), ""]
    if data["portfolio"]:
        lines += portfolio(data)
    for page in data["pages"]:
        lines += account(page, "##" if data["portfolio"] else "#", titled=data["portfolio"])
    return "\n".join(lines).rstrip() + "\n"






def cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(head: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows] + [""]


def portfolio(data: dict) -> list[str]:
    t = data["totals"]
    lines = ["## Portfolio, most at risk first", "",
             f"{t['accounts']} accounts ({t['levels']['at risk']} at risk, {t['levels']['watch']} to watch, "
             f"{t['levels']['healthy']} healthy), {t['contacts']} contacts ({t['at_risk_contacts']} in a risk band), "
             f"{t['gaps']} gaps, {t['due']} items due, {t['late_initiatives']} late initiatives.", ""]
    rows = [[i, account_title(p), p["health"]["level"], score_text(p["health"]["score"]), p["stage"], p["counts"]["contacts"],
             p["counts"]["gaps"], p["counts"]["due"], "; ".join(p["health"]["reasons"])] for i, p in enumerate(data["pages"], 1)]
    return lines + table(["#", "account", "health", "score", "stage", "contacts", "gaps", "due", "why"], rows)




def account(page: dict, level: str, titled: bool = True) -> list[str]:
    h = page["health"]
    sub = level + "#"
    lines = [f"{level} {account_title(page)}", ""] * titled + [
             f"**Stage** {page['stage']} · **Next review** {page['next_review']} · **Last review** "
             f"{page['last_review'] or 'none yet'} · **Health** {h['level']} (score {score_text(h['score'])}, "
             f"{h['direction']}): {'; '.join(h['reasons'])}", ""]
    lines += [f"{sub} Where everyone stands", "", "```mermaid", *quadrant_chart(page), "```", "",
              f"Where each stands, and moves since {page['since']} ({page['since_basis']}): " + describe(page) + ".", ""]
    lines += [scale_note(page), ""] if scale_note(page) else []
    lines += [f"{sub} Stage over time", ""] + table(
        ["stage", "from", "to", "event"], [[s["stage"], s["from"], s["to"], s["event"] or "-"] for s in page["stage_timeline"]])
    lines += [f"{sub} Trend per {page['trend']['by']}: {page['trend']['direction']}", ""] + table(
        ["period", "score", "classified", "interactions", "most common action"],
        [[p["start"], score_text(p["score"]), p.get("classified", "-"), p["interactions"], p["action"] or "-"]
         for p in page["trend"]["periods"]])
    return lines + contacts(page, sub) + plan(page, sub) + coverage(page, sub) + due(page, sub)


def _point(handle: str) -> str:
    """A Mermaid point name: letters, digits, spaces and hyphens only."""
    return re.sub(r"[^A-Za-z0-9 -]", " ", handle.rpartition("/")[2]).strip() or "contact"


def quadrant_chart(page: dict) -> list[str]:
    """Mermaid quadrantChart lines: quadrant 1 is top right (high power, advocate)."""
    grid = Grid(len(page["contacts"]), 0.0, 0.0, 1.0, 1.0, 0.08)
    lines = ["quadrantChart", f"    title {_point(page['account'])} power and perception",
             "    x-axis Detractor --> Advocate", "    y-axis Low power --> High power",
             "    quadrant-1 High power advocates", "    quadrant-2 High power detractors",
             "    quadrant-3 Low power detractors", "    quadrant-4 Low power advocates"]
    for i, c in enumerate(page["contacts"]):
        if c["quadrant"] in QUADRANTS:
            x, y = grid.spot(i, c["quadrant"])
            lines.append(f"    {_point(c['handle'])} {band_tag(c['band']).replace('−', 'minus ').replace('+', 'plus ')}: "
                         f"[{_unit(x)}, {_unit(1 - y)}]")
    return lines


def _unit(value: float) -> str:
    """A coordinate Mermaid accepts: 0, 1 or 0.dd."""
    return f"{min(0.97, max(0.03, value)):.2f}"


def contacts(page: dict, sub: str) -> list[str]:
    rows = []
    for c in page["contacts"]:
        who, detail = contact_label(c)
        rows.append([who + (f" ({detail})" if detail else ""), c["quadrant"] or "unclassified",
                     f"{band_text(c['band'])} {band_tag(c['band'])}", action_text(c), c["why"], two_way_text(c),
                     reassess_text(c)])
    return [f"{sub} Contacts ({shown(page, 'contacts')})", ""] + (table(
        ["contact", "quadrant", "band", "action", "why", "last two-way", "reassess"], rows) if rows else ["No contacts yet.", ""])


def plan(page: dict, sub: str) -> list[str]:
    lines = [f"{sub} Plan", ""]
    if not page["plan"]:
        return lines + ["No goals yet.", ""]
    for g in page["plan"]:
        lines += [f"**{cell(g['text'])}** (target {g['target']}, `{g['id']}`)", ""]
        rows = [[("⚠ late" if i["status"] == "late" else i["status"]), i["text"], i["owner"], i["due"],
                 ", ".join(i["contacts"]) or "-"] for i in g["initiatives"]]
        lines += table(["status", "initiative", "owner", "due", "contacts"], rows) if rows else ["No initiatives yet.", ""]
    return lines


def coverage(page: dict, sub: str) -> list[str]:
    lines = []
    for title, key, empty in (("Gaps", "gaps", "No gaps."), ("Strengths", "strengths", "None yet.")):
        lines += [f"{sub} {title} ({shown(page, key)})", ""]
        lines += [f"- **{g['kind']}**: {g['detail']}" for g in page[key]] or [empty]
        lines.append("")
    return lines


def due(page: dict, sub: str) -> list[str]:
    if not page["due"]:
        return [f"{sub} Due", "", "Nothing overdue.", ""]
    return [f"{sub} Due ({shown(page, 'due')})", ""] + table(
        ["overdue", "kind", "what", "was due"], [[f"{i['days_overdue']} days", i["kind"], i["what"], i["due"]] for i in page["due"]])
