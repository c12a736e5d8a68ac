"""Short texts shared by the HTML and Markdown renderers of the report: one wording, two formats."""

from __future__ import annotations


def contact_label(c: dict) -> tuple[str, str]:
    """(who, detail): the name and the handle with the title, or the handle alone when
    the contact was forgotten or names are redacted."""
    if c["forgotten"]:
        return c["handle"], "forgotten: personal data erased"
    if c["name"]:
        return c["name"], " · ".join(x for x in (c["handle"], c["title"]) if x)
    return c["handle"], c["title"] or ""


def band_text(band: dict | None) -> str:
    return f"{band['level']} {band['kind']}" if band else "unclassified"


def _name(item) -> str:
    if isinstance(item, dict):
        return str(item.get("action") or item.get("dimension") or item.get("name") or item)
    return str(item)


def action_text(c: dict) -> str:
    """The action, or (when the advice names candidates instead) what to assess to choose one."""
    if c["action"]:
        return c["action"]
    missing = ", ".join(c["missing"]) or "the unknown dimensions"
    return f"assess {missing}: " + (" or ".join(_name(x) for x in c["candidates"]) or "no candidates")


def reassess_text(c: dict) -> str:
    """What to reassess: stale dimensions named by the advice, and the ones never known."""
    stale = [_name(x) for x in c["reassess"]]
    unknown = [d for d in c["missing"] if d not in stale]
    parts = ([", ".join(stale) + " (stale)"] if stale else []) + (["unknown: " + ", ".join(unknown)] if unknown else [])
    return "; ".join(parts) or "-"


def two_way_text(c: dict) -> str:
    if c["last_two_way"] is None:
        return "never"
    return f"{c['last_two_way'][:10]} ({c['days_since_two_way']} days ago)"


def meta_line(data: dict) -> str:
    """The moments the report is about, and whether names were redacted."""
    text = f"As at {data['at'][:16].replace('T', ' ')} UTC"
    if data["as_of"] != data["at"]:
        text += f", as known at {data['as_of'][:16].replace('T', ' ')} UTC"
    return text + (". Names and titles redacted: contacts appear by handle." if data["redacted"] else ".")


def account_title(page: dict) -> str:
    return f"{page['name']} ({page['account']})" if page["name"] else page["account"]


def document_title(data: dict) -> str:
    return "Portfolio relationship report" if data["portfolio"] else f"Relationship report: {account_title(data['pages'][0])}"


def score_text(score) -> str:
    return "none" if score is None else f"{score:+g}"


_ORDER = {"contacts": ", most at risk first", "gaps": ", risks first", "strengths": "", "due": ", risks first"}


def shown(page: dict, key: str) -> str:
    """How many of ``key`` (contacts, gaps, strengths, due) the page lists: all of them, or for an
    account too big to list (issue 12) '50 of 100,000, most at risk first'."""
    listed = len(page[key])
    total = page.get("counts", {}).get(key, listed)
    return str(listed) if total <= listed else f"{listed} of {total:,}{_ORDER[key]}"


def scale_note(page: dict) -> str:
    """For an account too big to list: its contacts per quadrant, and what the page shows."""
    counts = page.get("counts") or {}
    if counts.get("contacts", 0) <= len(page["contacts"]):
        return ""
    quadrants = ", ".join(f"{q} {n:,}" for q, n in sorted(counts["quadrants"].items()))
    return (f"{counts['contacts']:,} contacts ({quadrants}); the chart and the contacts table show the "
            f"{len(page['contacts'])} most at risk.")
