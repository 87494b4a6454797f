"""The playground's JSON API: who sees what, commands, the ladder, settings and buttons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from adapters.playground.session import Playground
from bot.config import parse_config
from bot.policy import Policy
from bot.rules import RuleSet
from bot.store.sqlite import SqliteStore
from bot.taxonomy import OFF_BY_DEFAULT

from .conftest import Api

BREACH = "ring Jess on 07700 900123"


def private(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in state["posts"] if p["private"]]


async def test_the_reminder_is_shown_to_its_author_only(api: Api) -> None:
    alex = await api.say("alex", BREACH)
    notices = [p for p in private(alex) if p["kind"] == "notice"]
    assert len(notices) == 1
    assert "4.5" in notices[0]["clauses"]
    assert notices[0]["case_id"] is not None
    jess = await api.state("jess")
    assert [p["text"] for p in jess["posts"]] == [BREACH]  # the message, not the reminder
    assert private(jess) == []


async def test_only_moderators_get_the_log_and_everyones_ladder(api: Api) -> None:
    await api.say("alex", BREACH)
    alex, sam = await api.state("alex"), await api.state("sam")
    assert alex["modlog"] is None
    assert [row["user"] for row in alex["ladder"]] == ["alex"]
    assert isinstance(sam["modlog"], list)
    assert [row["user"] for row in sam["ladder"]] == ["alex", "jess"]
    assert sam["ladder"][0]["strikes"] == 1 and sam["ladder"][0]["step"] >= 1
    assert sam["ladder"][1] == {
        "user": "jess",
        "name": "Jess",
        "strikes": 0,
        "step": 0,
        "action": "none",
    }


async def test_the_ladder_steps_up(api: Api) -> None:
    steps = []
    for n in range(3):
        state = await api.say("alex", f"{BREACH} ({n})")
        steps.append(state["ladder"][0]["strikes"])
    assert steps == [1, 2, 3]


async def test_an_everyday_message_stays_quiet(api: Api) -> None:
    state = await api.say("jess", "see you all at the screening on Friday!")
    assert private(state) == [] and state["ladder"][0]["strikes"] == 0


async def test_the_ladder_survives_a_restart_on_the_same_file(
    api: Api, db: Path, loaded: tuple[Policy, RuleSet]
) -> None:
    await api.say("alex", BREACH)
    again = Playground(parse_config({}), SqliteStore(db), loaded)
    await again.start()
    try:
        state = await again.state("alex")
    finally:
        await again.close()
    assert state["ladder"][0]["strikes"] == 1


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/policy 4.5", "Material that should never be posted"),
        ("/policy recordings", "4.5"),
        ("/mydata", "1 case on record; it counts on the warning ladder"),
        ("/privacy", "erase"),
        ("/help", "/policy 4.5"),
        ("/nonsense", "Unknown command /nonsense"),
    ],
)
async def test_commands_are_answered_privately(api: Api, command: str, expected: str) -> None:
    if command == "/mydata":
        await api.say("alex", BREACH)
    state = await api.say("alex", command)
    answer = private(state)[-1]
    assert answer["kind"] == "answer" and answer["title"] == command
    assert expected.casefold() in answer["body"].casefold()
    assert all(p["kind"] != "answer" for p in (await api.state("jess"))["posts"])


async def test_report_lists_the_official_routes_privately(api: Api) -> None:
    state = await api.say("jess", "/report")
    answer = private(state)[-1]
    assert answer["kind"] == "answer" and answer["routes"]
    assert private(await api.state("alex")) == []


async def test_shadow_mode_sends_decisions_to_the_log_only(api: Api) -> None:
    state = await api.post("/api/settings", {"as": "sam", "shadow": True})
    assert state["config"]["shadow"] is True
    alex = await api.say("alex", BREACH)
    assert private(alex) == []
    log = (await api.state("sam"))["modlog"]
    assert log and log[-1]["shadow"] is True


async def test_a_label_switched_off_stays_quiet_until_switched_back(api: Api) -> None:
    state = await api.post("/api/settings", {"as": "sam", "labels": {"personal-info": False}})
    row = next(r for r in state["config"]["labels"] if r["label"] == "personal-info")
    assert row["enabled"] is False
    assert private(await api.say("alex", BREACH)) == []
    await api.post("/api/settings", {"as": "sam", "labels": {"personal-info": True}})
    assert [p["kind"] for p in private(await api.say("alex", BREACH + "!"))] == ["notice"]


async def test_the_author_contests_and_a_moderator_dismisses(api: Api) -> None:
    alex = await api.say("alex", BREACH)
    case_id = private(alex)[0]["case_id"]
    await api.post(f"/api/cases/{case_id}/contest", {"as": "jess"}, status=400)
    contested = await api.post(f"/api/cases/{case_id}/contest", {"as": "alex"})
    assert private(contested)[0]["contested"] is True
    await api.post(f"/api/cases/{case_id}/dismiss", {"as": "alex"}, status=400)
    await api.post(f"/api/cases/{case_id}/dismiss", {"as": "sam"})
    assert (await api.state("sam"))["ladder"][0]["strikes"] == 0


async def test_a_contest_is_logged_for_the_moderators_who_uphold_it(api: Api) -> None:
    case_id = private(await api.say("alex", BREACH))[0]["case_id"]
    assert (await api.state("sam"))["modlog"] == []  # a first reminder stays between bot and Alex

    await api.post(f"/api/cases/{case_id}/contest", {"as": "alex"})

    (entry,) = (await api.state("sam"))["modlog"]
    assert (entry["level"], entry["case_id"], entry["status"]) == ("contest", case_id, "contested")
    assert entry["summary"].startswith("Contested by the author: ")
    assert entry["content"] is None
    await api.post(f"/api/cases/{case_id}/uphold", {"as": "alex"}, status=400)
    upheld = await api.post(f"/api/cases/{case_id}/uphold", {"as": "sam"})
    assert upheld["modlog"][0]["status"] == "upheld"
    assert upheld["ladder"][0]["strikes"] == 1  # upheld: it keeps counting
    again = await api.post(f"/api/cases/{case_id}/uphold", {"as": "sam"}, status=400)
    assert again["error"] == f"case {case_id} cannot be upheld now"


async def test_a_moderator_pardons(api: Api) -> None:
    await api.say("alex", BREACH)
    await api.post("/api/pardon", {"as": "jess", "user": "alex"}, status=400)
    state = await api.post("/api/pardon", {"as": "sam", "user": "alex"})
    assert state["ladder"][0]["strikes"] == 0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"as": "zoe", "text": "hi"}, "nobody called 'zoe'"),
        ({"as": "alex", "text": "   "}, "type a message first"),
        ({"as": "alex"}, "send {'as'"),
        ({"as": "alex", "text": "x" * 4001}, "longer than 4000"),
    ],
)
async def test_bad_requests_get_one_line(api: Api, body: dict[str, Any], error: str) -> None:
    data = await api.post("/api/messages", body, status=400)
    assert error in data["error"]


async def test_bad_settings_are_refused(api: Api) -> None:
    data = await api.post("/api/settings", {"as": "sam", "labels": {"nope": False}}, status=400)
    assert "unknown label 'nope'" in data["error"]
    data = await api.post("/api/settings", {"as": "sam", "shadow": "yes"}, status=400)
    assert "true or false" in data["error"]


async def test_not_json_is_refused(client: TestClient) -> None:
    response = await client.post(
        "/api/messages", data=b"not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    deep = b"[" * 60_000  # within the body limit, past the parser's depth
    response = await client.post(
        "/api/messages", data=deep, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400


@pytest.mark.parametrize("path", ["/api/pardon", "/api/settings", "/api/messages"])
async def test_another_site_cannot_post_to_the_api(api: Api, client: TestClient, path: str) -> None:
    await api.say("alex", BREACH)
    body = {"as": "sam", "user": "alex", "shadow": True, "text": BREACH}
    # A form or fetch from another site can send text/plain without asking first: refused,
    # whether or not the browser says where it comes from.
    plain = await client.post(path, data=json.dumps(body), headers={"Content-Type": "text/plain"})
    assert plain.status == 415
    plain = await client.post(
        path,
        data=json.dumps(body),
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    assert plain.status == 403
    foreign = await client.post(path, json=body, headers={"Origin": "https://evil.example"})
    assert foreign.status == 403
    sneaky = await client.post(path, json=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert sneaky.status == 403
    state = await api.state("sam")
    assert state["config"]["shadow"] is False
    assert [p["strikes"] for p in state["ladder"] if p["user"] == "alex"] == [1]
    own = str(client.make_url("/")).rstrip("/")
    allowed = await client.post(path, json=body, headers={"Origin": own})
    assert allowed.status == 200, await allowed.text()


@pytest.mark.parametrize(
    ("host", "answered"),
    [
        # The names a browser on this computer uses, with the port the server listens on.
        ("127.0.0.1:{port}", True),
        ("localhost:{port}", True),
        ("LocalHost:{port}", True),
        ("[::1]:{port}", True),
        # DNS rebinding: evil.example now resolves to 127.0.0.1, so the browser calls the
        # page's own origin evil.example:port, and says so in Host and Origin alike.
        ("evil.example:{port}", False),
        ("127.0.0.1.evil.example:{port}", False),
        ("localhost.:{port}", False),
        ("127.0.0.2:{port}", False),
        # Another port, or none: a container publishes the playground where it likes
        # ("-p 9000:8765"); the name is what tells a rebinding site apart.
        ("127.0.0.1:{other}", True),
        ("localhost", True),
    ],
)
async def test_only_requests_naming_this_server_are_answered(
    api: Api, client: TestClient, host: str, answered: bool
) -> None:
    await api.say("alex", BREACH)
    port = client.port
    assert port is not None
    named = host.format(port=port, other=port + 1 if port < 65535 else port - 1)
    headers = {"Host": named, "Origin": f"http://{named}"}
    pardon = await client.post("/api/pardon", json={"as": "sam", "user": "alex"}, headers=headers)
    read = await client.get("/api/state?as=sam", headers={"Host": named})
    page = await client.get("/", headers={"Host": named})
    expected = 200 if answered else 403
    assert (pardon.status, read.status, page.status) == (expected,) * 3, await pardon.text()
    strikes = [p["strikes"] for p in (await api.state("sam"))["ladder"] if p["user"] == "alex"]
    assert strikes == [0 if answered else 1]


@pytest.mark.parametrize(
    "body", [{"shadow": True}, {"labels": {"personal-info": False}}], ids=["shadow", "labels"]
)
async def test_a_student_cannot_switch_the_moderators_settings(
    api: Api, body: dict[str, Any]
) -> None:
    data = await api.post("/api/settings", {"as": "alex", **body}, status=400)
    assert "not a moderator" in data["error"]
    state = await api.state("sam")
    assert state["config"]["shadow"] is False
    # Every label as the defaults leave it: on, but for those that need a human's judgement.
    assert all(
        label["enabled"] is (label["label"] not in OFF_BY_DEFAULT)
        for label in state["config"]["labels"]
    )


async def test_a_lone_surrogate_is_a_replacement_character_not_a_500(client: TestClient) -> None:
    raw = b'{"as": "alex", "text": "bad \\ud800 x ring Jess on 07700 900123"}'
    response = await client.post(
        "/api/messages", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 200, await response.text()
    posts = (await response.json())["posts"]
    assert any("bad \ufffd x" in p["text"] for p in posts)


async def test_the_page_and_its_assets_are_served(client: TestClient) -> None:
    page = await client.get("/")
    assert page.status == 200 and "policybot playground" in await page.text()
    for asset in ("/static/playground.js", "/static/playground.css"):
        assert (await client.get(asset)).status == 200


async def test_health_metrics_and_insights_ride_along(api: Api, client: TestClient) -> None:
    await api.say("alex", BREACH)
    health = await client.get("/healthz")
    assert health.status == 200
    assert (await health.json())["adapters"] == {"playground": True}
    metrics = await (await client.get("/metrics")).text()
    assert 'policybot_messages_checked_total{platform="playground"} 1.0' in metrics
    assert 'policybot_findings_total{clause="4.5",label="personal-info"}' in metrics
    page = await (await client.get("/insights")).text()
    assert "personal-info" in page and "07700" not in page and "alex" not in page


# The README's story, typed as it says: a reminder, a warning with a note in the moderators'
# log, then the moderators alerted. The playground's rate limit is off and says so.
STORY = (
    ("ring Jess on 07700 900123", "remind", "A quick reminder", None),
    ("Jess you are a pathetic loser", "warn", "this is a warning", "log"),
    ("I'm going to kill you @Jess", "escalate", "moderators have been alerted", "alert"),
)


async def test_the_readme_story_steps_up_the_ladder_with_the_default_settings(api: Api) -> None:
    for n, (text, action, title_or_body, level) in enumerate(STORY, start=1):
        alex = await api.say("alex", text)
        notice = private(alex)[-1]
        assert notice["kind"] == "notice", notice  # never "policybot stayed quiet"
        assert title_or_body in notice["title"] + notice["body"]
        assert alex["ladder"][0] == {
            "user": "alex",
            "name": "Alex",
            "strikes": n,
            "step": n,
            "action": action,
        }
        log = (await api.state("sam"))["modlog"]
        assert [e["level"] for e in log][n - 2 :] == ([level] if level else [])
    limits = alex["config"]["ladder"]
    assert (limits["rate_limit_minutes"], limits["config_rate_limit_minutes"]) == (0, 10)


async def test_the_playground_rate_limit_can_be_switched_on(
    db: Path, loaded: tuple[Policy, RuleSet]
) -> None:
    limited = Playground(parse_config({}), SqliteStore(db), loaded, rate_limit_minutes=10)
    await limited.start()
    try:
        await limited.post("alex", BREACH)
        await limited.post("alex", STORY[1][0])
        state = await limited.state("alex")
    finally:
        await limited.close()
    assert [p["kind"] for p in private(state)] == ["notice", "system"]
    assert "(the rate limit)" in private(state)[-1]["text"]
    assert state["config"]["ladder"]["rate_limit_minutes"] == 10


async def test_the_ladder_stops_at_its_third_step_and_the_log_says_strike(api: Api) -> None:
    for n in range(5):
        alex = await api.say("alex", f"{BREACH} ({n})")
    assert (alex["ladder"][0]["step"], alex["ladder"][0]["action"]) == (3, "escalate")
    assert alex["ladder"][0]["strikes"] == 5
    summaries = [e["summary"] for e in (await api.state("sam"))["modlog"]]
    assert [s.split(":")[0] for s in summaries] == [
        "Warning (strike 2)",
        "Alert (strike 3)",
        "Alert (strike 4)",
        "Alert (strike 5)",
    ]
    assert not any(s.startswith("Step") for s in summaries)


async def test_the_moderators_log_speaks_about_the_author_not_to_them(api: Api) -> None:
    await api.say("jess", "@Alex please stop messaging me")
    await api.say("alex", BREACH)
    await api.say("alex", "@Jess why are you ignoring me")
    (entry,) = (await api.state("sam"))["modlog"]
    assert "posting about someone who asked them to stop" in entry["summary"]
    assert " you " not in f" {entry['summary']} "


async def test_a_pardon_shows_on_every_log_entry_about_the_student(api: Api) -> None:
    await api.say("alex", BREACH)
    await api.say("alex", STORY[1][0])
    before = (await api.state("sam"))["modlog"]
    assert [e["status"] for e in before] == ["active"]
    after = await api.post("/api/pardon", {"as": "sam", "user": "alex"})
    assert [e["status"] for e in after["modlog"]] == ["pardoned"]
    assert after["ladder"][0] == {
        "user": "alex",
        "name": "Alex",
        "strikes": 0,
        "step": 0,
        "action": "none",
    }
