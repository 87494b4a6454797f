"""``policybot run --stay-up`` (the container's default): with nothing to run it says what to set
once and waits, unhealthy, instead of exiting into a restart loop."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.cli import main

WAIT_SECONDS = 30
NO_ADAPTER = (
    "policybot run: no adapter is enabled: set discord.enabled or slack.enabled in the config, "
    "and DISCORD_TOKEN, or SLACK_BOT_TOKEN and SLACK_APP_TOKEN, in the environment"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYBOT_CONFIG", "DISCORD_TOKEN")}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _stderr_lines(proc: subprocess.Popen[str], count: int) -> list[str]:
    """Return the first ``count`` lines the process writes to stderr, failing if they are late."""
    assert proc.stderr is not None
    lines: list[str] = []
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stderr, selectors.EVENT_READ)
        while len(lines) < count:
            if not selector.select(timeout=WAIT_SECONDS):
                proc.kill()
                pytest.fail(f"policybot run --stay-up said only {lines}")
            lines.append(proc.stderr.readline().rstrip("\n"))
    return lines


def _healthz(port: int) -> tuple[int, dict[str, object]]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=WAIT_SECONDS)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.stderr is not None
    return code, proc.stderr.read()


@pytest.mark.slow
def test_with_no_adapter_it_says_so_once_and_waits_unhealthy(tmp_path: Path) -> None:
    port = _free_port()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'bot.db'}\n"
        f"ops:\n  enabled: true\n  host: 127.0.0.1\n  port: {port}\n"
    )
    proc = _start("--config", str(config), "run", "--stay-up")
    try:
        assert _stderr_lines(proc, 2) == [
            NO_ADAPTER,
            "policybot run --stay-up: waiting, unhealthy, until stopped: fix the above and start "
            "again",
        ]
        status, body = _healthz(port)
        assert (status, body["status"], body["problems"]) == (503, "unhealthy", [NO_ADAPTER])
        # The image's HEALTHCHECK command reports it, with the line, and the bot stays up.
        check = subprocess.run(
            [sys.executable, "-m", "bot.cli", "--config", str(config), "healthcheck"],
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
        )
        assert check.returncode == 1 and NO_ADAPTER in check.stdout
        assert proc.poll() is None
    finally:
        code, rest = _stop(proc)
    assert code == 2
    assert NO_ADAPTER not in rest and "Traceback" not in rest  # said once


@pytest.mark.slow
def test_a_config_that_cannot_be_read_is_said_once_too(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    proc = _start("--config", str(missing), "run", "--stay-up")
    try:
        assert _stderr_lines(proc, 1) == [f"{missing}: file not found"]
        with pytest.raises(subprocess.TimeoutExpired):  # it waits rather than exit
            proc.wait(timeout=1)
    finally:
        code, rest = _stop(proc)
    assert code == 2 and "file not found" not in rest and "Traceback" not in rest


def test_without_stay_up_run_still_stops_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("POLICYBOT_CONFIG", raising=False)
    assert main(["run"]) == 2
    assert capsys.readouterr().err == NO_ADAPTER + "\n"
