"""The playground in a real headless Chromium: reminder, privacy between people, ladder, /policy.

Uses Debian's chromium and chromedriver (scripts/install-browser.sh) through an explicit
Service path, so Selenium downloads nothing. Skipped when chromedriver is absent, except in CI
(CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# scripts/run-tests.sh passes where it looked for them.
CHROMEDRIVER = Path(os.environ.get("POLICYBOT_CHROMEDRIVER") or "/usr/bin/chromedriver")
CHROMIUM = Path(os.environ.get("POLICYBOT_CHROMIUM") or "/usr/bin/chromium")
# Saved under build/ (ignored by git) on every run; `make screenshot` refreshes the README's copy.
SCREENSHOT = Path(
    os.environ.get("POLICYBOT_SCREENSHOT")
    or Path(__file__).resolve().parents[3] / "build" / "playground.png"
)
WAIT_SECONDS = 20
BREACH = "ring Jess on 07700 900123"


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMEDRIVER, CHROMIUM) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[dev]')")
    if not missing:
        return
    reason = f"{', '.join(missing)} missing: run scripts/install-browser.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


@dataclass
class Server:
    """A running ``policybot playground`` process."""

    proc: subprocess.Popen[str]
    url: str

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


def start_server(db: Path, home: Path) -> Server:
    """Start the playground as a user would, on a free port, and read its address."""
    env = {k: v for k, v in os.environ.items() if k != "POLICYBOT_CONFIG"}
    env["HOME"] = str(home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "playground", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=60)
    line = proc.stdout.readline() if ready else ""
    if not line.startswith("policybot playground: http://"):
        proc.kill()
        pytest.fail(f"the playground did not start: {line!r}")
    return Server(proc, line.split()[2])


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """The playground page, as a person sees it."""

    def __init__(self, driver: Any) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.wait = WebDriverWait(driver, WAIT_SECONDS)

    def css(self, selector: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, selector))

    def until(self, selector: str) -> Any:
        self.wait.until(lambda _: self.css(selector))
        return self.css(selector)[-1]

    def open(self, url: str, person: str) -> None:
        self.driver.get(f"{url}#as={person}")
        self.until(f'button[data-person="{person}"][aria-pressed="true"]')
        self.until("#config-facts dd")

    def be(self, person: str) -> None:
        self.css(f'button[data-person="{person}"]')[0].click()
        self.until(f'body[data-me="{person}"]')
        self.until(f'button[data-person="{person}"][aria-pressed="true"]')

    def type(self, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        before = len(self.css("#posts > li"))
        box = self.css("#composer-input")[0]
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        self.wait.until(lambda _: len(self.css("#posts > li")) > before)


@pytest.mark.slow
def test_the_playground_in_a_real_browser(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "playground.db"
    server = start_server(db, tmp_path)
    page = Page(browser)
    try:
        # Alex posts someone's phone number: a private reminder citing clause 4.5.
        page.open(server.url, "alex")
        page.type(BREACH)
        notice = page.until("#posts li.notice.private")
        assert "Only you can see this" in notice.text
        assert "4.5" in notice.text
        assert page.until('#ladder li[data-user="alex"]').get_attribute("data-step") != "0"
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))

        # Jess sees Alex's message but not the reminder.
        page.be("jess")
        assert BREACH in page.until("#posts li.message").text
        assert page.css("#posts li.notice") == []
        assert page.css("#posts li.private") == []
        assert "Only moderators see this log" in page.css("#modlog-note")[0].text

        # Alex contests the reminder: Sam's log shows it with Uphold and Mark as false positive.
        page.be("alex")
        page.until("#posts li.notice button").click()
        assert "stays on your record" in page.until("#posts li.notice .hint").text
        page.be("sam")
        contested = '#modlog li[data-level="contest"][data-status="contested"]'
        page.until(contested)
        buttons = [b.get_attribute("data-action") for b in page.css(f"{contested} button")]
        assert buttons == ["uphold", "dismiss"]
        page.until(f'{contested} button[data-action="uphold"]').click()
        page.until('#modlog li[data-level="contest"][data-status="upheld"]')

        # Sam, the moderator, reloads: the ladder is kept.
        browser.refresh()
        page.until('body[data-me="sam"]')
        step = page.until('#ladder li[data-user="alex"]').get_attribute("data-step")
        assert step != "0"
    finally:
        assert server.stop() == 0

    # Even a restart of the playground keeps the ladder: it lives in the SQLite file.
    server = start_server(db, tmp_path)
    try:
        page.open(server.url, "sam")
        assert page.until('#ladder li[data-user="alex"]').get_attribute("data-step") == step

        # /policy 4.5 in the composer: the clause, privately.
        page.be("alex")
        page.type("/policy 4.5")
        answer = page.until("#posts li.answer.private")
        assert "/policy 4.5" in answer.text
        assert "Material that should never be posted" in answer.text
    finally:
        assert server.stop() == 0
