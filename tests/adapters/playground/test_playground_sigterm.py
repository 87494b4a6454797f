"""SIGTERM to a real ``policybot playground`` process: exit 0, the database closed and intact."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest

from .conftest import first_line, running


@pytest.mark.slow
def test_sigterm_finishes_and_leaves_the_database_intact(tmp_path: Path) -> None:
    db = tmp_path / "playground.db"
    with running(tmp_path, "--db", str(db), stderr=subprocess.PIPE) as proc:
        line = first_line(proc)
        assert line.startswith("policybot playground: http://127.0.0.1:"), line + (
            proc.stderr.read() if proc.stderr and proc.poll() is not None else ""
        )
        url = line.split()[2]
        request = urllib.request.Request(
            url + "api/messages",
            data=json.dumps({"as": "alex", "text": "ring Jess on 07700 900123"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    assert "Traceback" not in stderr, stderr
    # Closed cleanly: the WAL was checkpointed into the file and emptied.
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert not db.with_name(db.name + "-lock").exists()  # nothing left beside it
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone() == (1,)
        assert conn.execute("SELECT content FROM cases").fetchone() == (None,)
