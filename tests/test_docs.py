"""The docs say what the code does: make targets, step references, Slack scopes, the Dockerfile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        ROOT / "examples" / "README.md",
        ROOT / "policy_rules" / "README.md",
        *(ROOT / "docs").glob("*.md"),
    ]
)
MAKE_TARGETS = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))
#: The Slack Web API methods a manifest comment can name (the rest are event types).
WEB_API = re.compile(r"\b(?:users|usergroups|conversations|chat|apps|auth)\.[a-zA-Z.]*[a-zA-Z]")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_make_command_named_is_a_target(doc: Path) -> None:
    named = set(re.findall(r"`make ([a-z][\w-]*)", doc.read_text()))
    assert named <= MAKE_TARGETS, named - MAKE_TARGETS


def test_the_samples_say_which_command_scans_them() -> None:
    text = (ROOT / "examples" / "README.md").read_text()
    assert "(`make scan` scans both)" in text
    makefile = (ROOT / "Makefile").read_text()
    scan = makefile[makefile.index("\nscan:") :].split("\n\n")[0]
    assert "policybot scan examples/slack-export" in scan
    assert "policybot scan examples/discord-export.json" in scan


@pytest.mark.parametrize("doc", ["discord.md", "slack.md"])
def test_a_step_named_for_the_token_is_the_step_about_the_token(doc: str) -> None:
    text = (ROOT / "docs" / doc).read_text()
    headings = dict(re.findall(r"^## (\d+)\. (.+)$", text, re.M))
    for sentence in re.split(r"(?<=[.|])\s", text):
        for number in re.findall(r"\bsteps? (\d+)", sentence):
            assert number in headings, (number, sentence)
            if "token" in sentence.casefold().split("step")[0] and "|" not in sentence:
                assert "token" in headings[number].casefold(), (sentence, headings[number])


def test_the_slack_scope_table_names_every_web_api_method_the_manifest_uses() -> None:
    manifest = (ROOT / "adapters" / "slack" / "manifest.yaml").read_text()
    scopes = yaml.safe_load(manifest)["oauth_config"]["scopes"]["bot"]
    table = (ROOT / "docs" / "slack.md").read_text()
    rows = {
        scope: line
        for line in table.splitlines()
        if line.startswith("| `")
        for scope in re.findall(r"`([a-z.:]+)`", line.split("|")[1])
    }
    for scope in scopes:
        assert scope in rows, f"{scope} is missing from docs/slack.md's scope table"
        comment = re.search(rf"- {re.escape(scope)} # (.*)", manifest)
        methods = WEB_API.findall(comment.group(1)) if comment else []
        missing = [m for m in methods if f"`{m}`" not in rows[scope]]
        assert not missing, f"docs/slack.md: the {scope} row does not name {missing}"


def test_the_dockerfiles_build_stage_promises_no_tool_it_does_not_install() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    build = dockerfile[dockerfile.index("# -- build") : dockerfile.index("# -- run")]
    comments = " ".join(line for line in build.splitlines() if line.startswith("#"))
    if not re.search(r"apt-get install[^\n]*\b(gcc|build-essential|clang)\b", build):
        assert not re.search(r"compilers? (?:they|it) need", comments), comments
        assert "needs no compiler" in comments, comments
