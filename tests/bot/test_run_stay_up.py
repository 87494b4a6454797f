"""``policybot run --stay-up`` (the container's default): with nothing to run it says what to set
once and waits, unhealthy, instead of exiting into a restart loop."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
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


class Bot:
    """A ``policybot`` process whose stderr lines are read as they come, by a thread."""

    def __init__(self, *args: str) -> None:
        env = {
            k: v for k, v in os.environ.items() if k not in ("POLICYBOT_CONFIG", "DISCORD_TOKEN")
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)  # the end of stderr

    def lines(self, count: int) -> list[str]:
        """Return the next ``count`` stderr lines, failing if they are late or never come."""
        got: list[str] = []
        while len(got) < count:
            try:
                line = self._lines.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                line = None
            if line is None:
                self.proc.kill()
                pytest.fail(f"policybot run --stay-up said only {got}")
            got.append(line)
        return got

    def stop(self) -> tuple[int, list[str]]:
        """Send SIGTERM; return the exit code and the stderr lines not read yet."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=WAIT_SECONDS)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        rest = []
        while (line := self._lines.get(timeout=WAIT_SECONDS)) is not None:
            rest.append(line)
        return code, rest


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


@pytest.mark.slow
def test_with_no_adapter_it_says_so_once_and_waits_unhealthy(tmp_path: Path) -> None:
    port = _free_port()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'bot.db'}\n"
        f"ops:\n  enabled: true\n  host: 127.0.0.1\n  port: {port}\n"
    )
    bot = Bot("--config", str(config), "run", "--stay-up")
    try:
        assert bot.lines(2) == [
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
        assert bot.proc.poll() is None
    finally:
        code, rest = bot.stop()
    assert code == 2
    assert not any(NO_ADAPTER in line or "Traceback" in line for line in rest)  # said once


@pytest.mark.slow
def test_a_config_that_cannot_be_read_is_said_once_too(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    bot = Bot("--config", str(missing), "run", "--stay-up")
    try:
        assert bot.lines(1) == [f"{missing}: file not found"]
        with pytest.raises(subprocess.TimeoutExpired):  # it waits rather than exit
            bot.proc.wait(timeout=1)
    finally:
        code, rest = bot.stop()
    assert code == 2
    assert not any("file not found" in line or "Traceback" in line for line in rest)


def test_without_stay_up_run_still_stops_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("POLICYBOT_CONFIG", raising=False)
    assert main(["run"]) == 2
    assert capsys.readouterr().err == NO_ADAPTER + "\n"
