"""Evidence rules as versioned data (ADR 0008, 0013): load the built-in versions, check custom ones.

Standard library only: read commands load rules without heavy imports. Version 1 is kept
exactly as it was for ledgers still on it; version 2 (engine 2) is the newest, and custom
rules files must have its shape.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ledger.vocabulary import FEEDBACK_ABOUT, OUTCOMES, ROLES, SENTIMENTS

NEWEST = 2
BUILTIN = (1, 2)
EVIDENCE_DIMENSIONS = ("relationship", "activity", "perception")
_ALL_DIMENSIONS = ("relationship", "power", "perception", "activity")
_TOP = {"version", "engine", "name", "about", "precedence", "overturn_min", "two_way", "band_scores", "coverage"}


@lru_cache(maxsize=None)
def builtin_rules(version: int = NEWEST) -> dict:
    """The evidence rules shipped with relledger (version 1 or 2)."""
    if version not in BUILTIN:
        raise ValueError(f"rules version {version} is not built in; built in: {', '.join(map(str, BUILTIN))}")
    doc = json.loads(resources.files("ledger").joinpath(f"frameworks/rules-v{version}.json").read_text("utf-8"))
    return doc if version == 1 else rules_from_dict(doc)


def rules_from_dict(doc: object) -> dict:
    """Check a version-2-shaped rules document; ValueError names the field and what is allowed."""
    if not isinstance(doc, dict):
        raise ValueError("rules: a JSON object is needed")
    unknown = sorted(set(doc) - _TOP - set(_ALL_DIMENSIONS))
    if unknown:
        raise ValueError(f"{unknown[0]}: not a dimension or rules field; dimensions: {', '.join(_ALL_DIMENSIONS)}")
    _whole(doc, "version", 1)
    if doc.get("engine", 2) != 2:
        raise ValueError("engine: must be 2 (custom rules have the shape of built-in version 2)")
    _whole(doc, "overturn_min", 1)
    for dim in EVIDENCE_DIMENSIONS:
        _evidence_dimension(doc, dim)
    power = _section(doc, "power")
    _whole(power, "freshness_days", 1, "power.freshness_days")
    _subset(power, "high_roles", ROLES, "power.high_roles", may_be_empty=True)
    _subset(_section(doc, "two_way"), "outcomes", OUTCOMES, "two_way.outcomes")
    _scores(_section(doc, "band_scores"))
    _coverage(_section(doc, "coverage"))
    return {**doc, "engine": 2}


def _evidence_dimension(doc: dict, dim: str) -> None:
    section = _section(doc, dim)
    for key in ("window_days", "freshness_days", "establish_min"):
        _whole(section, key, 1, f"{dim}.{key}")
    if dim == "relationship":
        _subset(section, "yes_outcomes", OUTCOMES, "relationship.yes_outcomes", may_be_empty=True)
        _subset(section, "no_outcomes", OUTCOMES, "relationship.no_outcomes", may_be_empty=True)
        if set(section["yes_outcomes"]) & set(section["no_outcomes"]):
            raise ValueError("relationship.no_outcomes: an outcome cannot be evidence both for and against")
    if dim == "perception":
        _subset(section, "about", FEEDBACK_ABOUT, "perception.about")
        _subset(section, "advocate", SENTIMENTS, "perception.advocate", may_be_empty=True)
        _subset(section, "detractor", SENTIMENTS, "perception.detractor", may_be_empty=True)
        if not section["advocate"] and not section["detractor"]:
            raise ValueError("perception.advocate: no sentiment reaches perception; give advocate or detractor sentiments")


def _section(doc: dict, key: str) -> dict:
    if not isinstance(doc.get(key), dict):
        raise ValueError(f"{key}: missing; an object is needed")
    return doc[key]


def _whole(doc: dict, key: str, least: int, name: str | None = None) -> None:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name or key}: must be a whole number of at least {least}")


def _subset(doc: dict, key: str, allowed: tuple, name: str, may_be_empty: bool = False) -> None:
    value = doc.get(key)
    if not isinstance(value, list) or not all(v in allowed for v in value) or (not value and not may_be_empty):
        raise ValueError(f"{name}: must be a list of {', '.join(allowed)}" + ("" if may_be_empty else " (at least one)"))


def _scores(scores: dict) -> None:
    for key in ("high potential", "med potential", "low potential", "low risk", "moderate risk", "high risk"):
        value = scores.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"band_scores.{key}: must be a number")


def _coverage(coverage: dict) -> None:
    _subset(coverage, "key_roles", ROLES, "coverage.key_roles", may_be_empty=True)
    for key in ("cold_days", "holder_window_days"):
        _whole(coverage, key, 1, f"coverage.{key}")
    _whole(coverage, "response_days", 0, "coverage.response_days")
    _subset(coverage, "complaint_about", FEEDBACK_ABOUT, "coverage.complaint_about")
    _subset(coverage, "complaint_sentiments", SENTIMENTS, "coverage.complaint_sentiments")


def describe(rules: dict, dim: str) -> str:
    """The rule for one dimension in words, with its thresholds."""
    if rules.get("engine") != 2:
        return _describe_v1(rules, dim)
    section, overturn = rules[dim], rules["overturn_min"]
    keep = (f"an assessment, or a value held by {overturn}+ agreeing signals, changes only after {overturn} consistent "
            f"contrary signals within {section.get('window_days', 0)} days; "
            f"no agreeing signal for {section['freshness_days']} days: reassess (the value stays)")
    return {
        "relationship": lambda: f"yes: a meeting held, a call or attempt {'/'.join(section['yes_outcomes'])}, or anything inbound; "
                        f"no: an attempt {'/'.join(section['no_outcomes'])}; " + keep,
        "activity": lambda: f"active: {section['establish_min']}+ pieces of feedback volunteered within {section['window_days']} days "
                    "(silence never reads as passive; passive needs an assessment); " + keep,
        "perception": lambda: f"feedback about {'/'.join(section['about'])}: {'/'.join(section['advocate'])} is advocate, "
                      f"{'/'.join(section['detractor'])} detractor; " + keep,
        "power": lambda: f"an assessment, or the roles {'/'.join(section['high_roles'])} (high): the newer wins; "
                 f"no new judgement for {section['freshness_days']} days: reassess (the value stays)",
    }[dim]()


def _describe_v1(rules: dict, dim: str) -> str:
    section = rules[dim]
    return {
        "relationship": lambda: f"outbound attempts with an outcome in the last {section['window_days']} days: yes when at least "
                        f"{section['yes_share']:.0%} were {'/'.join(section['yes_outcomes'])}, else no",
        "activity": lambda: f"inbound interactions and feedback in the last {section['window_days']} days: active with "
                    f"{section['active_min']}+; passive with {section['passive_min_touches']}+ touches and none of them",
        "perception": lambda: f"feedback about {'/'.join(section['about'])} in the last {section['window_days']} days: the sum of "
                      "sentiments (+ advocate, - detractor)",
        "power": lambda: f"assessments, and the roles {'/'.join(section['high_roles'])} (high)",
    }[dim]() + "; the newest signal wins, an assessment on a tie; evidence leaves its window"


def adopted_rules(version: int, name: str, doc: dict | None) -> dict:
    """The rules an adoption puts in force: a built-in version, or a checked custom document."""
    if doc is None:
        return builtin_rules(version)
    return {**rules_from_dict({**doc, "version": version}), "name": name}
