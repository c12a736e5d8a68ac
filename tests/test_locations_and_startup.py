"""Where the ledger lives, how relledger is started, and what start-up imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ledger.bootstrap import current_user, default_location, ledger_location


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture
def clean_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELLEDGER_")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"), RELLEDGER_USER="tester")
    return env


def test_the_default_ledger_is_under_xdg_data_home_or_the_home_directory():
    assert default_location({"XDG_DATA_HOME": "/data"}) == "/data/relledger/ledger.db"
    assert default_location({}).endswith(os.path.join(".local", "share", "relledger", "ledger.db"))


def test_ledger_option_beats_the_environment_which_beats_the_default(tmp_path):
    env = {"RELLEDGER_DB": str(tmp_path / "env.db"), "XDG_DATA_HOME": "/data"}
    assert ledger_location(str(tmp_path / "opt.db"), env) == str(tmp_path / "opt.db")
    assert ledger_location(None, env) == str(tmp_path / "env.db")
    assert ledger_location(None, {"XDG_DATA_HOME": "/data"}) == "/data/relledger/ledger.db"


def test_the_user_comes_from_as_then_relledger_user_then_the_login():
    assert current_user("ann", {"RELLEDGER_USER": "bo"}) == "ann"
    assert current_user(None, {"RELLEDGER_USER": "bo"}) == "bo"
    assert current_user(None, {}) != ""


def test_python_dash_m_ledger_writes_to_the_default_location(clean_env, tmp_path):
    done = run("-m", "ledger", "account", "add", "acme", "--name", "Acme", env=clean_env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "xdg" / "relledger" / "ledger.db").exists()
    status = json.loads(run("-m", "ledger", "status", "--json", env=clean_env).stdout)
    assert status["events"] == 1 and status["ledger"] == str(tmp_path / "xdg" / "relledger" / "ledger.db")


def test_an_error_in_a_real_process_is_one_line_without_traceback(clean_env):
    done = run("-m", "ledger", "log", "acme/jane", "call", "--at", "tomorrow", env=clean_env)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "'--at': 'tomorrow' is not an ISO 8601" in done.stderr


PROBE = """
import sys
from ledger.cli.main import cli
cli.main({args!r}, standalone_mode=False)
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {{'eventsourcing', 'pydantic', 'cryptography'}})
print('HEAVY', heavy, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["log", "--help"], ["status"]])
def test_help_and_status_do_not_import_the_event_machinery(clean_env, args):
    done = run("-c", PROBE.format(args=args), env=clean_env)
    assert "HEAVY []" in done.stderr, done.stderr


@pytest.mark.parametrize("command", ["show", "why", "history"])
def test_reads_on_current_views_do_not_load_eventsourcing_or_pydantic(clean_env, tmp_path, command):
    clean_env["RELLEDGER_DB"] = str(tmp_path / "l.db")
    for args in (["account", "add", "acme", "--name", "Acme"], ["contact", "add", "acme/jane", "--name", "Jane"],
                 ["assess", "acme/jane", "power=high"], ["show", "acme/jane"]):
        assert run("-m", "ledger", *args, env=clean_env).returncode == 0
    done = run("-c", PROBE.format(args=[command, "acme/jane"]), env=clean_env)
    heavy = done.stderr.split("HEAVY ")[1]
    assert "eventsourcing" not in heavy and "pydantic" not in heavy, done.stderr


def test_a_postgresql_url_without_psycopg_installed_says_what_to_install(clean_env):
    code = "import sys; sys.modules['psycopg'] = None; from ledger.cli.main import main; main()"
    done = run("-c", code, "--ledger", "postgresql://u@localhost/db", "status", env=clean_env)
    assert done.returncode == 1
    assert done.stderr == "Error: ledger: PostgreSQL support is not installed; pip install 'relationship-ledger[postgres]'\n"


REPORT_PROBE = """
import sys
from ledger.cli.main import cli
cli.main({args!r}, standalone_mode=False)
loaded = sorted(m for m in sys.modules if m.startswith(('ledger.cli.report_', 'ledger.projections.report')) and m != 'ledger.projections.reports')
print('REPORT', loaded, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["status"], ["report", "--help"], ["show", "acme/jane"], ["map", "acme"]])
def test_only_the_report_itself_loads_the_report_renderers(clean_env, tmp_path, args):
    clean_env["RELLEDGER_DB"] = str(tmp_path / "l.db")
    for setup in (["account", "add", "acme", "--name", "Acme"], ["contact", "add", "acme/jane", "--name", "Jane"]):
        assert run("-m", "ledger", *setup, env=clean_env).returncode == 0
    done = run("-c", REPORT_PROBE.format(args=args), env=clean_env)
    assert "REPORT []" in done.stderr, done.stderr


def test_an_html_report_loads_the_html_renderer_and_not_the_markdown_one(clean_env, tmp_path):
    clean_env["RELLEDGER_DB"] = str(tmp_path / "l.db")
    assert run("-m", "ledger", "account", "add", "acme", "--name", "Acme", env=clean_env).returncode == 0
    done = run("-c", REPORT_PROBE.format(args=["report", "acme", "-o", str(tmp_path / "r.html")]), env=clean_env)
    assert "'ledger.cli.report_html'" in done.stderr and "'ledger.cli.report_markdown'" not in done.stderr, done.stderr
