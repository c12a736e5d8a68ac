"""Export reads a ledger that cannot be written: a read-only folder or a read-only mount (issue 10)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile

import pytest


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _read_only_mount_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && ! touch {folder}/x"
        return subprocess.run(["unshare", "-rm", "sh", "-c", probe], capture_output=True).returncode == 0


@pytest.fixture
def exported(acme):
    """The acme ledger with a note and a forgotten contact, and its export while writable."""
    acme.ok("contact", "add", "acme/bob", "--name", "Bob Roe", "--at", "2026-01-03", "--id", "bob")
    acme.ok("log", "acme/jane", "call", "--note", "asked about pricing", "--at", "2026-01-04", "--id", "n1")
    acme.ok("forget", "acme/bob", "--yes")
    return acme, acme.ok("export").out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions; the mount test covers root")
def test_export_of_a_ledger_in_a_read_only_folder_gives_what_a_writable_one_gives(exported):
    acme, before = exported
    folder, files = acme.path.parent, _digests(acme.path.parent)
    for path in [acme.path, folder]:
        path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        run = acme("export")
        refused = acme("log", "acme/jane", "call")
    finally:
        for path in [folder, acme.path]:
            path.chmod(stat.S_IRWXU)
    assert run.code == 0 and run.out == before, run.err
    assert refused.code != 0 and "read-only" in refused.err
    assert _digests(folder) == files


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs unshare and mount (a read-only bind mount in a user namespace)")
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_of_a_ledger_on_a_read_only_mount_gives_what_a_writable_one_gives(exported, fmt):
    acme, jsonl = exported
    before = jsonl if fmt == "jsonl" else acme.ok("export", "--format", "csv").out
    folder, files = acme.path.parent, _digests(acme.path.parent)
    script = (f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && "
              f"{sys.executable} -m ledger export --format {fmt}")
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, RELLEDGER_DB=str(acme.path), RELLEDGER_USER="tester"))
    assert done.returncode == 0 and done.stdout == before, done.stderr
    assert "Bob Roe" not in done.stdout and "asked about pricing" in done.stdout
    assert _digests(folder) == files
