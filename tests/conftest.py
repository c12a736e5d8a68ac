"""Shared fixtures: a fresh ledger file per test and a CLI runner bound to it."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from ledger.cli.main import cli


@dataclass
class Run:
    """One CLI invocation's outcome."""

    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


class LedgerCLI:
    """Runs relledger against one ledger file, as one user, like a person at a terminal."""

    def __init__(self, path: Path):
        self.path = path
        self.env = {"RELLEDGER_DB": str(path), "RELLEDGER_USER": "tester"}

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None) -> Run:
        result = CliRunner().invoke(cli, list(args), env={**self.env, **(env or {})}, input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kwargs) -> Run:
        """Run and insist on success."""
        run = self(*args, **kwargs)
        assert run.code == 0, run.err
        return run

    def created_before_rules_v2(self) -> "LedgerCLI":
        """Make the ledger look like one created before rules version 2 (no metadata row)."""
        with sqlite3.connect(self.path) as conn:
            conn.execute("DROP TABLE IF EXISTS relledger_meta")
        return self

    def event_count(self) -> int:
        """Events in the file, counted with sqlite3 alone."""
        if not self.path.exists():
            return 0
        with sqlite3.connect(self.path) as conn:
            return conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]


@pytest.fixture(scope="session", autouse=True)
def isolated_config(tmp_path_factory) -> Iterator[Path]:
    """The whole session keeps ledger keys in a config directory of its own (never the real
    home's), with no RELLEDGER_KEY inherited from the environment; subprocesses inherit it."""
    config = tmp_path_factory.mktemp("config")
    saved = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "RELLEDGER_KEY")}
    os.environ["XDG_CONFIG_HOME"] = str(config)
    os.environ.pop("RELLEDGER_KEY", None)
    yield config
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def private_config(tmp_path_factory, monkeypatch) -> Path:
    """A config directory for this test alone (to look at the key files it makes)."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


@pytest.fixture
def relledger(tmp_path: Path) -> LedgerCLI:
    """A CLI on an empty ledger in a temporary directory."""
    return LedgerCLI(tmp_path / "ledger.db")


@pytest.fixture
def acme(relledger: LedgerCLI) -> LedgerCLI:
    """A ledger with account acme and contact acme/jane (Jane Doe, CTO, champion)."""
    relledger.ok("account", "add", "acme", "--name", "Acme Corp", "--at", "2026-01-01", "--id", "acme")
    relledger.ok("contact", "add", "acme/jane", "--name", "Jane Doe", "--title", "CTO", "--role", "champion",
                 "--at", "2026-01-02", "--id", "jane")
    return relledger
