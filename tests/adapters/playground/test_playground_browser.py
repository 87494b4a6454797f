"""The playground in a real headless Chromium: reminder, privacy between people, ladder, /policy.

Uses Debian's chromium and chromedriver (scripts/install-browser.sh) through an explicit
Service path, so Selenium downloads nothing. Skipped when chromedriver is absent, except in CI
(CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from .conftest import first_line, launch

# scripts/run-tests.sh passes where it looked for them.
CHROMEDRIVER = Path(os.environ.get("POLICYBOT_CHROMEDRIVER") or "/usr/bin/chromedriver")
CHROMIUM = Path(os.environ.get("POLICYBOT_CHROMIUM") or "/usr/bin/chromium")
# Saved under build/ (ignored by git) on every run; `make screenshot` refreshes the README's copy.
SCREENSHOT = Path(
    os.environ.get("POLICYBOT_SCREENSHOT")
    or Path(__file__).resolve().parents[3] / "build" / "playground.png"
)
WAIT_SECONDS = 20
#: How often to read an element again that a re-render replaced meanwhile.
STALE_RETRIES = 5
T = TypeVar("T")
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
    proc = launch(home, "--db", str(db))
    line = first_line(proc)
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

    def stable(self, read: Callable[[], T]) -> T:
        """Return ``read()``, read again if a re-render replaced an element under it.

        The page polls its state every few seconds and redraws, so an element found a moment
        ago can be gone; reading it again finds the new one.
        """
        from selenium.common.exceptions import StaleElementReferenceException

        for _ in range(STALE_RETRIES):
            try:
                return read()
            except StaleElementReferenceException:
                continue
        return read()

    def text(self, selector: str) -> str:
        """Return the text of the last element ``selector`` finds, waiting for one."""
        self.until(selector)
        return self.stable(lambda: str(self.css(selector)[-1].text))

    def texts(self, selector: str) -> list[str]:
        """Return the texts of every element ``selector`` finds now."""
        return self.stable(lambda: [str(e.text) for e in self.css(selector)])

    def attr(self, selector: str, name: str) -> str | None:
        """Return an attribute of the last element ``selector`` finds, waiting for one."""
        self.until(selector)
        return self.stable(lambda: self.css(selector)[-1].get_attribute(name))

    def click(self, selector: str) -> None:
        """Click the last element ``selector`` finds, waiting for one."""
        self.until(selector)
        self.stable(lambda: self.css(selector)[-1].click())

    def open(self, url: str, person: str) -> None:
        self.driver.get(f"{url}#as={person}")
        self.until(f'button[data-person="{person}"][aria-pressed="true"]')
        self.until("#config-facts dd")

    def be(self, person: str) -> None:
        self.click(f'button[data-person="{person}"]')
        self.until(f'body[data-me="{person}"]')
        self.until(f'button[data-person="{person}"][aria-pressed="true"]')

    def type(self, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        before = len(self.css("#posts > li"))
        box = self.css("#composer-input")[0]
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        self.wait.until(lambda _: len(self.css("#posts > li")) > before)


# The README's story: a reminder, a warning, then the moderators alerted.
STORY = (
    "ring Jess on 07700 900123",
    "Jess you are a pathetic loser",
    "I'm going to kill you @Jess",
)
#: The grey of a ladder badge no step colours (the step-less default in playground.css).
UNCOLOURED = "rgb(61, 64, 91)"
# Each chart's legend entries on /insights: colour swatch and text, as laid out (x, y, w, h).
LEGENDS = """
return [...document.querySelectorAll("svg.chart")].map((svg) => [
  svg.getAttribute("aria-label"),
  [...svg.querySelectorAll('text[font-size="12"]')].map((text) => {
    const swatch = text.previousElementSibling.getBBox(), label = text.getBBox();
    return [swatch.x, Math.min(swatch.y, label.y), label.x + label.width - swatch.x,
            Math.max(swatch.height, label.height), text.textContent];
  }),
]);
"""
# Posts arguments[0] (n) for n = 1..arguments[1] as the person the page shows, as its Send does.
POST_MANY = """
const [text, count, done] = arguments;
(async () => {
  for (let n = 1; n <= count; n++) await act("POST", "/api/messages", { text: `${text} (${n})` });
})().then(() => done(true), (error) => done(String(error)));
"""
# Where the channel, its last post and the composer are, in the window's coordinates.
LAYOUT = """
const posts = document.getElementById("posts");
const area = posts.getBoundingClientRect();
const last = posts.lastElementChild.getBoundingClientRect();
const box = document.getElementById("composer-input").getBoundingClientRect();
return {
  page: document.documentElement.scrollHeight, window: window.innerHeight,
  scrolls: posts.scrollHeight > posts.clientHeight,
  box: [box.top, box.bottom], last: [last.top, last.bottom], area: [area.top, area.bottom],
};
"""


def _notices(page: Page) -> list[Any]:
    return page.css("#posts li.notice.private")


def _wait_for_notices(page: Page, count: int) -> None:
    page.wait.until(lambda _: len(_notices(page)) == count)


@pytest.mark.slow
def test_the_readme_story_in_a_real_browser(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "playground.db"
    server = start_server(db, tmp_path)
    page = Page(browser)
    try:
        # Alex posts someone's phone number: a private reminder citing clause 4.5.
        page.open(server.url, "alex")
        page.type(STORY[0])
        notice = page.text("#posts li.notice.private")
        assert "Only you can see this" in notice
        assert "4.5" in notice
        assert page.attr('#ladder li[data-user="alex"]', "data-step") == "1"
        # An insult: a warning. A threat: the moderators are alerted. No rate limit between.
        for n, (text, says) in enumerate(
            zip(STORY[1:], ("this is a warning", "moderators have been alerted"), strict=True),
            start=2,
        ):
            page.type(text)
            _wait_for_notices(page, n)
            assert says in page.text("#posts li.notice.private")
        assert "stayed quiet" not in page.text("#posts")
        badge = '#ladder li[data-user="alex"] .step'
        assert (page.attr(badge, "data-step"), page.text(badge)) == (
            "3",
            "step 3 of 3 · escalate · 3 strikes",
        )
        colour = page.stable(lambda: page.css(badge)[-1].value_of_css_property("background-color"))
        assert colour != UNCOLOURED
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))

        # Jess sees Alex's messages but none of the reminders.
        page.be("jess")
        page.until("#posts li.message")
        assert [m.splitlines()[-1] for m in page.texts("#posts li.message")] == list(STORY)
        assert page.css("#posts li.notice") == []
        assert page.css("#posts li.private") == []
        assert "Only moderators see this log" in page.text("#modlog-note")

        # Sam's log: the warning and the alert, named by their step and strike.
        page.be("sam")
        page.until('#modlog li[data-level="alert"]')
        summaries = page.texts("#modlog li")
        assert "Alert (strike 3)" in summaries[0] and "Warning (strike 2)" in summaries[1]

        # Alex contests the alert: Sam's log shows it with Uphold and Mark as false positive.
        page.be("alex")
        page.click("#posts li.notice button")
        assert "stays on your record" in page.text("#posts li.notice .hint")
        page.be("sam")
        contested = '#modlog li[data-level="contest"][data-status="contested"]'
        page.until(contested)
        buttons = page.stable(
            lambda: [b.get_attribute("data-action") for b in page.css(f"{contested} button")]
        )
        assert buttons == ["uphold", "dismiss"]
        page.click(f'{contested} button[data-action="uphold"]')
        page.until('#modlog li[data-level="contest"][data-status="upheld"]')

        # Sam, the moderator, reloads: the ladder is kept.
        browser.refresh()
        page.until('body[data-me="sam"]')
        assert page.attr('#ladder li[data-user="alex"]', "data-step") == "3"

        # Insights: the charts' legends, as Chromium lays them out, do not overlap.
        browser.get(server.url + "insights")
        legends = browser.execute_script(LEGENDS)
        assert {chart for chart, _ in legends} == {
            "Cases per day by clause",
            "Cases per day by label",
        }
        for chart, entries in legends:
            assert any("offensive-or-threatening" in e[4] for e in entries) or "clause" in chart
            for n, (x, y, w, h, _) in enumerate(entries):
                for x2, y2, w2, h2, _ in entries[n + 1 :]:
                    apart = x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y
                    assert apart, (chart, entries)
    finally:
        assert server.stop() == 0

    # Even a restart of the playground keeps the ladder: it lives in the SQLite file.
    server = start_server(db, tmp_path)
    try:
        page.open(server.url, "sam")
        assert page.attr('#ladder li[data-user="alex"]', "data-step") == "3"

        # /policy 4.5 in the composer: the clause, privately; /privacy with its bold shown bold.
        page.be("alex")
        page.type("/policy 4.5")
        answer = page.text("#posts li.answer.private")
        assert "/policy 4.5" in answer
        assert "Material that should never be posted" in answer
        page.type("/privacy")
        privacy = page.text("#posts li.answer.private")
        assert "**" not in privacy and "`" not in privacy
        bold = page.texts("#posts li.answer.private:last-child strong")
        assert "What it keeps." in bold
        assert "/mydata" in page.texts("#posts li.answer.private:last-child code")
    finally:
        assert server.stop() == 0


@pytest.mark.slow
def test_a_pardon_clears_the_log_entries_buttons(browser: Any, tmp_path: Path) -> None:
    server = start_server(tmp_path / "playground.db", tmp_path)
    page = Page(browser)
    try:
        page.open(server.url, "alex")
        page.type(STORY[0])
        page.type(STORY[1])
        _wait_for_notices(page, 2)
        page.be("sam")
        entry = '#modlog li[data-level="log"]'
        page.click(f'{entry}[data-status="active"] button[data-action="pardon"]')
        page.until(f'{entry}[data-status="pardoned"]')
        assert page.css(f"{entry} button") == []
        assert "no strikes" in page.text('#ladder li[data-user="alex"]')
    finally:
        assert server.stop() == 0


@pytest.mark.slow
def test_the_channel_scrolls_and_the_message_box_stays_on_screen(
    browser: Any, tmp_path: Path
) -> None:
    server = start_server(tmp_path / "playground.db", tmp_path)
    page = Page(browser)
    try:
        page.open(server.url, "jess")
        # 29 posts through the page's own code (quicker than keys), the 30th typed.
        browser.set_script_timeout(WAIT_SECONDS * 3)
        assert browser.execute_async_script(POST_MANY, "see you all at the screening on Friday", 29)
        page.type("see you all at the screening on Friday (30)")
        for moment in ("after 30 posts", "after a reload"):
            if moment == "after a reload":
                browser.refresh()
                page.wait.until(lambda _: len(page.css("#posts > li")) == 30)
            layout = browser.execute_script(LAYOUT)
            # The page is one window high; the channel scrolls inside it.
            assert layout["page"] <= layout["window"], (moment, layout)
            assert layout["scrolls"], (moment, layout)
            # The message box is on screen, and so is the newest post, at the channel's foot.
            top, bottom = layout["box"]
            assert 0 <= top < bottom <= layout["window"], (moment, layout)
            assert layout["area"][0] - 1 <= layout["last"][0], (moment, layout)
            assert layout["last"][1] <= layout["area"][1] + 1, (moment, layout)
        assert "(30)" in page.text("#posts > li")
    finally:
        assert server.stop() == 0
