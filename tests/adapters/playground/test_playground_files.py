"""A real ``policybot playground`` process: its database owner-only, other Host names refused."""

from __future__ import annotations

import json
import signal
import stat
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import first_line, running


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _post(url: str, host: str | None = None) -> int:
    """POST a breach to the playground as Alex; return the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if host is not None:
        headers |= {"Host": host, "Origin": f"http://{host}"}
    request = urllib.request.Request(
        url + "api/messages",
        data=json.dumps({"as": "alex", "text": "ring Jess on 07700 900123"}).encode(),
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_the_default_database_is_owner_only_and_rebinding_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state"
    folder = state / "policybot"
    db = folder / "playground.db"
    before = _mode(tmp_path)
    with running(tmp_path, env={"XDG_STATE_HOME": str(state)}) as proc:
        line = first_line(proc)
        assert line.startswith("policybot playground: http://127.0.0.1:"), line
        url = line.split()[2]
        port = url.rstrip("/").rsplit(":", 1)[1]
        # A page on evil.example whose name now resolves to 127.0.0.1 (DNS rebinding).
        assert _post(url, f"evil.example:{port}") == 403
        assert _post(url, f"localhost:{port}") == 200
        # While it runs: the folder, the file and SQLite's files beside it, owner-only.
        assert _mode(folder) == 0o700
        for name in ("playground.db", "playground.db-wal", "playground.db-shm"):
            assert _mode(folder / name) == 0o600, name
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert _mode(db) == 0o600
    assert _mode(tmp_path) == before  # a folder it did not create keeps its mode
