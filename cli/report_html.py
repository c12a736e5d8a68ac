"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched."""

from __future__ import annotations

from html import escape

from ledger import __version__
from ledger.cli.report_css import stylesheet
from ledger.cli.report_svg import band_tag, legend_icons, quadrant_chart
from ledger.cli.report_text import (account_title, action_text, band_text, contact_label, document_title, meta_line,
                                     reassess_text, scale_note, score_text, shown)
from ledger.cli.report_timecharts import stage_timeline, trend_chart


def render(data: dict) -> str:
    """The whole document."""
    title = document_title(data)
    meta = f'<p class="meta">{escape(meta_line(data))}</p>'
    if data["portfolio"]:
        body = [f"<h1>{escape(title)}</h1>", meta, portfolio(data)] + [account(page) for page in data["pages"]]
    else:
        body = [account(data["pages"][0], meta)]
    body.append(f'<p class="note">Made by relledger {__version__}. Every action is explained by '
                '<span class="handle">relledger why HANDLE</span>; every number comes from the ledger\'s events.</p>')
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light dark">\n'
            f"<title>{escape(title)}</title>\n<style>{stylesheet()}</style>\n</head>\n"
            f"<body>\n<main>\n{''.join(body)}\n</main>\n</body>\n</html>\n")






def _badge(level: str) -> str:
    mark = {"at risk": "▲", "watch": "●", "healthy": "✓"}[level]
    return f'<span class="badge lvl-{level.replace(" ", "-")}">{mark} {escape(level)}</span>'


def portfolio(data: dict) -> str:
    """Accounts ranked by risk, each with a small quadrant chart, and the totals."""
    t = data["totals"]
    facts = [("accounts", t["accounts"]), ("contacts", t["contacts"]),
             ("at risk / watch / healthy", f"{t['levels']['at risk']} / {t['levels']['watch']} / {t['levels']['healthy']}"),
             ("contacts in a risk band", t["at_risk_contacts"]), ("gaps", t["gaps"]), ("due", t["due"]),
             ("late initiatives", t["late_initiatives"])]
    cards = []
    for rank, page in enumerate(data["pages"], 1):
        h = page["health"]
        cards.append(f'<article class="card"><h3>{rank}. <a href="#acct-{escape(page["account"])}">'
                     f"{escape(account_title(page))}</a></h3>{_badge(h['level'])} "
                     f'<span class="muted">stage {escape(page["stage"])}, score {score_text(h["score"])}</span>'
                     f'<figure class="small-chart">{quadrant_chart(page, small=True)}<figcaption>{_who(page)}</figcaption></figure>'
                     f'<p class="note">{escape("; ".join(h["reasons"]))}</p></article>')
    return ('<section class="portfolio"><h2>Portfolio, most at risk first</h2><div class="totals">'
            + "".join(_fact(k, v) for k, v in facts) + '</div><div class="cards">' + "".join(cards) + "</div></section>")


def _who(page: dict) -> str:
    """The small chart's contacts in words: where each stands, with the band score."""
    return escape(" · ".join(f"{c['handle'].rpartition('/')[2]} {band_tag(c['band'])} {c['quadrant'] or 'unclassified'}"
                             for c in page["contacts"]) or "no contacts")


def _fact(label: str, value) -> str:
    return f'<div class="fact"><b>{escape(label)}</b><span>{value if isinstance(value, int) else escape(str(value))}</span></div>'




def account(page: dict, meta: str = "") -> str:
    """One account's section (the page's heading and ``meta`` line when it is the only one)."""
    h = page["health"]
    stage_since = page["stage_timeline"][-1]["from"]
    review = page["next_review"] + (" (overdue)" if any(d["kind"] == "review" for d in page["due"]) else "")
    facts = [_fact("stage", f"{page['stage']} since {stage_since}"), _fact("next review", review),
             _fact("last review", page["last_review"] or "none yet"),
             _fact("mean band score", f"{score_text(h['score'])}, {h['direction']}"),
             f'<div class="fact"><b>health: {escape(h["level"])}</b><span class="reasons">{escape("; ".join(h["reasons"]))}</span></div>']
    tag, cls = ("h1", "account single") if meta else ("h2", "account")
    return (f'<section class="{cls}" id="acct-{escape(page["account"])}"><div class="account-head">'
            f'<{tag}>{escape(("Relationship report: " if meta else "") + account_title(page))}</{tag}>{_badge(h["level"])}</div>'
            f'{meta}<div class="facts">{"".join(facts)}</div>{_charts(page)}'
            f"{contacts(page)}{plan(page)}{coverage(page)}{due(page)}</section>")


def _charts(page: dict) -> str:
    since = f"since {page['since']} ({page['since_basis']})"
    legend = "".join(f"<li>{icon}{escape(text)}</li>" for icon, text in legend_icons())
    return ('<div class="charts"><figure>' + quadrant_chart(page)
            + f'<figcaption>Where each contact stands on power × perception; dashed arrows show each move {escape(since)}. '
            'The number beside a name is the band score (+3 high potential … −3 high risk). '
            + escape(scale_note(page)) + '</figcaption>'
            f'<ul class="legend" aria-label="legend">{legend}</ul></figure>'
            '<div><h3 style="margin-top:0">Stage over time</h3><figure>' + stage_timeline(page["account"], page["stage_timeline"])
            + f'</figure><h3>Trend per {escape(page["trend"]["by"])}: {escape(page["trend"]["direction"])}</h3><figure>'
            + trend_chart(page["account"], page["trend"])
            + '<figcaption>Line: mean band score of the classified contacts. Bars: interactions.</figcaption></figure></div></div>')


def contacts(page: dict) -> str:
    """The contacts table: who, where, what to do and why, last two-way contact, what to reassess."""
    rows = []
    for c in page["contacts"]:
        who, sub = contact_label(c)
        roles = ", ".join(c["roles"]) or "no role"
        rows.append(f"<tr><td>{escape(who)}<span class=\"sub\">{escape(sub)}</span></td>"
                    f"<td>{escape(c['quadrant'] or 'unclassified')}<span class=\"sub\">{escape(roles)} · {escape(c['stage'])}</span></td>"
                    f"<td>{escape(band_text(c['band']))} <b>{band_tag(c['band'])}</b></td>"
                    f"<td class=\"action\">{escape(action_text(c))}<span class=\"sub\">{escape(c['why'])}</span></td>"
                    f"<td class=\"nowrap\">{_two_way(c)}</td><td>{escape(reassess_text(c))}</td></tr>")
    head = "<tr><th>contact</th><th>quadrant</th><th>band</th><th>action, and why</th><th>last two-way</th><th>reassess</th></tr>"
    body = "".join(rows) or '<tr><td colspan="6">no contacts yet</td></tr>'
    return f"<h3>Contacts ({shown(page, 'contacts')})</h3><table><thead>{head}</thead><tbody>{body}</tbody></table>"


def _two_way(c: dict) -> str:
    if c["last_two_way"] is None:
        return "never"
    return f'{c["last_two_way"][:10]}<span class="sub">{c["days_since_two_way"]} days ago</span>'


def plan(page: dict) -> str:
    """Goals and their initiatives, late ones marked."""
    if not page["plan"]:
        return f'<h3>Plan</h3><p class="note">No goals yet (relledger goal add {escape(page["account"])} TEXT --target DATE).</p>'
    parts = ["<h3>Plan</h3>"]
    for g in page["plan"]:
        rows = "".join(
            f'<tr><td><span class="status status-{i["status"]}">{"⚠ " if i["status"] == "late" else ""}{escape(i["status"])}</span></td>'
            f'<td>{escape(i["text"])}' + (f'<span class="sub">{escape(i["note"])}</span>' if i.get("note") else "")
            + f'</td><td>{escape(i["owner"])}</td><td>{escape(i["due"])}</td><td>{escape(", ".join(i["contacts"]) or "-")}</td></tr>'
            for i in g["initiatives"]) or '<tr><td colspan="5">no initiatives yet</td></tr>'
        parts.append(f'<p><b>{escape(g["text"])}</b> <span class="muted">target {escape(g["target"])} · '
                     f'<span class="handle">{escape(g["id"])}</span></span></p><table><thead><tr><th>status</th>'
                     f'<th>initiative</th><th>owner</th><th>due</th><th>contacts</th></tr></thead><tbody>{rows}</tbody></table>')
    return "".join(parts)


def coverage(page: dict) -> str:
    """Gaps and strengths side by side."""
    def items(found: list[dict], empty: str) -> str:
        if not found:
            return f'<p class="note">{empty}</p>'
        return '<ul class="items">' + "".join(f"<li><b>{escape(g['kind'])}</b>: {escape(g['detail'])}</li>" for g in found) + "</ul>"

    return (f'<div class="cols"><div><h3>Gaps ({shown(page, "gaps")})</h3>{items(page["gaps"], "No gaps.")}</div>'
            f'<div><h3>Strengths ({shown(page, "strengths")})</h3>{items(page["strengths"], "None yet.")}</div></div>')


def due(page: dict) -> str:
    """What is due: overdue reviews, initiatives and contacts to get back to."""
    if not page["due"]:
        return '<h3>Due</h3><p class="note">Nothing overdue.</p>'
    rows = "".join(f"<tr><td>{i['days_overdue']} days</td><td>{escape(i['kind'])}</td><td>{escape(i['what'])}</td>"
                   f"<td>{escape(i['due'])}</td></tr>" for i in page["due"])
    return (f"<h3>Due ({shown(page, 'due')})</h3><table><thead><tr><th>overdue</th><th>kind</th><th>what</th>"
            f"<th>was due</th></tr></thead><tbody>{rows}</tbody></table>")
