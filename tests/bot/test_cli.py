"""The policybot command line as a user runs it: outputs, the JSONL contract and exit codes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main, render_scan

ROOT = Path(__file__).resolve().parents[2]
PHONE = "ring Jess on 07700 900123, tell her what you think of her"


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def stdin_of(data: bytes) -> io.TextIOWrapper:
    """Return a stand-in for sys.stdin holding ``data`` (with the ``buffer`` a real one has)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_a_mistake_is_one_line_when_run_as_a_module() -> None:
    # "python -m bot.cli" runs this file as __main__: an error another module raises must
    # still be caught as the one-line mistake it is, not printed as a traceback.
    result = run_cli("insights", "--since", "banana")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "--since" in result.stderr


def test_jsonl_contract_end_to_end_in_a_real_process() -> None:
    line = json.dumps({"id": "1", "text": PHONE, "author": "a", "channel": "c"})
    result = run_cli("check", "--jsonl", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["id"] == "1" and out["action"] == "remind" and out["routes"] == []
    (finding,) = out["findings"]
    assert finding["label"] == "personal-info" and finding["clauses"] == ["4.5"]
    assert set(finding) == {"label", "clauses", "severity", "score", "evidence", "source"}
    assert "07700" not in finding["evidence"]  # evidence names the kind, not the number


def test_jsonl_is_one_stream_with_state_and_errors_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "1", "text": "lol nice hat", "author": "tom", "channel": "c"},
        {
            "id": "2",
            "text": "please stop messaging me",
            "author": "priya",
            "channel": "c",
            "reply_to": "1",
        },
        "this is not json",
        {"id": "3", "text": "oi", "channel": "c"},
        {
            "id": "4",
            "text": "you there <@priya>?",
            "author": "tom",
            "channel": "c",
            "mentions": ["priya"],
        },
        {
            "id": "5",
            "text": "how do I report someone for harassment?",
            "author": "sam",
            "channel": "c",
        },
        {"id": "6", "text": PHONE, "author": "tom", "channel": "c"},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    monkeypatch.setattr(sys, "stdin", stdin_of(stdin.encode()))
    assert main(["check", "--jsonl"]) == 1  # some lines were malformed
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(out) == 7
    assert out[2] == {"line": 3, "error": "line 3: not valid JSON (Expecting value at column 1)"}
    # No author: the line is its own author (it shares no one's ladder).
    assert out[3] == {"id": "3", "findings": [], "routes": [], "action": "none"}
    assert [f["label"] for f in out[4]["findings"]] == ["repeated-unwanted-contact"]
    assert out[4]["action"] == "remind"
    assert out[5]["routes"] == ["report-intent"] and out[5]["action"] == "none"
    assert out[6]["action"] == "warn"  # tom's second strike in the same stream


def test_check_text_explains_for_a_person(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", PHONE]) == 0
    out = capsys.readouterr().out
    assert "personal-info: clause 4.5: Material that should never be posted" in out
    assert "Action: remind (step 1 of the ladder)." in out
    assert main(["check", "this deadline is killing me"]) == 0
    assert "Nothing fires" in capsys.readouterr().out


def test_policy_lookup(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "4.5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4.5  Material that should never be posted")
    assert out.count("\n  - ") == 12
    assert main(["policy", "recordings"]) == 0
    matches = [ln for ln in capsys.readouterr().out.splitlines() if ln[:1].isdigit()]
    assert matches[0].startswith("4.5 ")


def test_bad_config_three_lines_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "config.yaml"
    bad.write_text("policy: no/such/folder\nladder:\n  decay_days: soon\ncolour: blue\n")
    result = run_cli("validate-config", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith(str(bad)) for line in lines)
    assert "Traceback" not in result.stderr


def test_validate_example_config_warns_about_wellbeing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-config", str(ROOT / "config.example.yaml")]) == 0
    captured = capsys.readouterr()
    assert "OK" in captured.out and "wellbeing.contact" in captured.err


def test_run_without_credentials_names_the_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "POLICYBOT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    assert main(["run"]) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err
    config = tmp_path / "c.yaml"
    config.write_text("discord: {enabled: true}\nslack: {enabled: true}\n")
    assert main(["--config", str(config), "run"]) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN" in err and "SLACK_BOT_TOKEN" in err and "SLACK_APP_TOKEN" in err


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_scan_sample_exports(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(ROOT / "examples" / "slack-export"), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        report = json.loads(out)
        assert report["messages"] == 60 and report["platform"] == "slack"
        labels = {f["label"] for f in report["flagged"]}
        assert {"personal-info", "learning-platform-content", "repeated-unwanted-contact"} <= labels
        assert report["by_clause"]["4.5"] >= 3 and "report-intent" in report["routes"]
    else:
        assert "personal-info" in out and "#general" in out


def test_scan_discord_export(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(ROOT / "examples" / "discord-export.json"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["platform"] == "discord" and report["messages"] == 39
    assert {"personal-info", "repeated-unwanted-contact"} <= {f["label"] for f in report["flagged"]}


def test_scan_of_something_else_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "notes.json"
    other.write_text('{"hello": 1}')
    assert main(["scan", str(other)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(other) in err


def test_privacy_notice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["privacy"]) == 0
    out = capsys.readouterr().out
    assert "no message text" in out and "/mydata" in out and "180 days" in out


def jsonl(*lines: object) -> bytes:
    """Return JSON lines: dicts are dumped, bytes and str kept as they are."""
    out = []
    for line in lines:
        if isinstance(line, bytes):
            out.append(line)
        else:
            out.append((line if isinstance(line, str) else json.dumps(line)).encode())
    return b"\n".join(out) + b"\n"


def check_jsonl(
    data: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, object]]]:
    monkeypatch.setattr(sys, "stdin", stdin_of(data))
    code = main(["check", "--jsonl"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, [json.loads(line) for line in captured.out.splitlines()]


def test_jsonl_bad_text_gets_an_answer_or_one_error_line_and_the_stream_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = jsonl(
        '{"id": "1", "text": "bad \\ud800 x", "author": "a", "channel": "c"}',
        b'{"id": "2", "text": "not utf-8 \xff", "author": "a", "channel": "c"}',
        "[" * 100_000,
        {"id": "4", "text": PHONE, "author": "tom", "channel": "c"},
    )
    code, out = check_jsonl(data, monkeypatch, capsys)
    assert code == 1
    assert out[0] == {"id": "1", "findings": [], "routes": [], "action": "none"}
    assert out[1] == {"line": 2, "error": "line 2: not UTF-8 text (at byte 31)"}
    assert out[2] == {"line": 3, "error": "line 3: not readable JSON: nested too deeply"}
    assert out[3]["id"] == "4" and out[3]["action"] == "remind"


def test_jsonl_lines_sharing_an_id_are_separate_messages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = jsonl(
        {"id": "1", "text": PHONE, "author": "ana", "channel": "c"},
        {"id": 1, "text": PHONE, "author": "bo", "channel": "c"},
        {"id": None, "text": PHONE, "author": "cy", "channel": "c"},
        {"id": None, "text": PHONE, "author": "di", "channel": "c"},
        {"id": "5", "text": PHONE, "author": None, "channel": "c"},
        {"id": "6", "text": PHONE, "author": True, "channel": "c"},
    )
    code, out = check_jsonl(data, monkeypatch, capsys)
    assert code == 1
    # Each answer carries its id as it came: an integer stays an integer.
    assert [(o["id"], o["action"]) for o in out[:4]] == [
        ("1", "remind"),
        (1, "remind"),
        (None, "remind"),
        (None, "remind"),
    ]
    # A null author is no author: the line is its own, so its strike is a first one.
    assert (out[4]["id"], out[4]["action"]) == ("5", "remind")
    assert out[5] == {"line": 6, "error": "line 6: 'author' must be a string or an integer"}


def test_scan_of_an_export_with_lone_surrogates_prints_its_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export"
    (export / "general").mkdir(parents=True)
    (export / "channels.json").write_text('[{"id": "C1", "name": "general"}]')
    (export / "users.json").write_text('[{"id": "U1", "profile": {"display_name": "J\\udc80"}}]')
    day = [{"type": "message", "user": "U1", "text": PHONE + " \ud800", "ts": "1735725600.1"}]
    (export / "general" / "2025-01-01.json").write_text(json.dumps(day, ensure_ascii=True))
    for fmt in ("text", "md", "json"):
        assert main(["scan", str(export), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "personal-info" in out
        out.encode("utf-8")


# -- the small faults a new user meets -----------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "unknown"),
    [
        (["check", "--json", "hi"], "--json"),  # not --jsonl
        (["scan", "x", "--form", "md"], "--form"),  # not --format
        (["playground", "--rate", "5"], "--rate"),  # not --rate-limit-minutes
        (["export", "--plat", "slack", "--user", "u"], "--plat"),
    ],
)
def test_options_are_never_guessed_from_a_prefix(
    argv: list[str], unknown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert unknown in err.splitlines()[-1] and "policybot" in err


def test_check_reads_a_piped_text() -> None:
    result = run_cli("check", stdin=PHONE + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("* personal-info: clause 4.5")


@pytest.mark.parametrize("stdin", ["", "  \n"])
def test_check_with_no_text_at_all_says_how_to_give_one(stdin: str) -> None:
    result = run_cli("check", stdin=stdin)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "policybot check: give a TEXT to check (or pipe it in), or --jsonl to read JSON lines "
        "on stdin\n"
    )


@pytest.mark.parametrize(
    ("query", "guess"),
    [
        ("4.55", "Did you mean 4.5 (Material that should never be posted)?"),
        ("45", "Did you mean 4.5 (Material that should never be posted)?"),
        ("4.5.1", "Did you mean 4.5 (Material that should never be posted)?"),
        ("clause 4.55", "Did you mean 4.5 (Material that should never be posted)?"),
        ("9.9", "Did you mean 3.9 (A wider audience than intended) or 4.9 (Speaking for"),
    ],
)
def test_policy_suggests_the_clause_a_mistyped_number_meant(
    query: str, guess: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", query]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f'Nothing in the policy matches "{query}". {guess}'), first


def test_purge_and_export_never_create_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICYBOT_CONFIG", raising=False)
    missing = tmp_path / "policybot.db"
    assert main(["purge"]) == 2
    assert capsys.readouterr().err == (
        f"policybot purge: no database at {missing} (no config given: --config FILE or "
        "POLICYBOT_CONFIG)\n"
    )
    assert main(["export", "--platform", "slack", "--community", "T1", "--user", "U1"]) == 2
    assert f"policybot export: no database at {missing}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_export_needs_a_community_except_for_the_playground(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["export", "--platform", "discord", "--user", "u1"]) == 2
    assert capsys.readouterr().err == (
        "policybot export: --community is required for discord (the Discord server id or the "
        "Slack team id)\n"
    )


async def _playground_with_a_case(db: Path) -> None:
    from adapters.playground.session import Playground
    from bot.config import parse_config
    from bot.store.sqlite import SqliteStore

    playground = Playground(parse_config({}), SqliteStore(db))
    await playground.start()
    try:
        await playground.post("alex", "ring Jess on 07700 900123")
    finally:
        await playground.close()


def test_playground_cases_export_and_an_empty_record_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))  # the playground's default file
    db = state / "policybot" / "playground.db"
    db.parent.mkdir(parents=True)
    asyncio.run(_playground_with_a_case(db))

    assert main(["export", "--platform", "playground", "--user", "alex"]) == 0
    out = capsys.readouterr().out
    assert "Community: playground:film-society" in out and "| personal-info |" in out

    assert main(["export", "--platform", "playground", "--user", "jess", "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "policybot export: no cases about user 'jess' in playground:film-society\n"
    )


def test_scan_shows_when_each_message_was_sent_and_the_servers_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scan", str(ROOT / "examples" / "discord-export.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Scan of discord export "
        f"{ROOT / 'examples' / 'discord-export.json'} (DMU Gaming Society, id 1288470056140931073)"
    )
    flagged = lines[lines.index("Flagged messages:") + 1 :]
    assert flagged and all(re.search(r" 2025-02-0\d \d\d:\d\d ", line) for line in flagged)
    assert main(["scan", str(ROOT / "examples" / "discord-export.json"), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "| message | time (UTC) | channel |" in md
    assert main(["scan", str(ROOT / "examples" / "discord-export.json"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["community_name"] == "DMU Gaming Society"
    assert all(f["time"].startswith("2025-02-0") for f in report["flagged"])


#: What must never reach a terminal or a markdown table raw: C0 (but the output's own line
#: breaks), DEL, C1, the line and paragraph separators, bidi overrides and isolates.
UNSHOWABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def scan_report(name: str) -> dict[str, Any]:
    """Return a scan's report in which every value an export chose is ``name``."""
    return {
        "export": f"/exports/{name}.json",
        "platform": "discord",
        "community": "99",
        "community_name": name,
        "messages": 2,
        "flagged_messages": 1,
        "by_clause": {"5.2": 1},
        "by_label": {"offensive-or-threatening": 1},
        "by_action": {"remind": 1},
        "routes": {},
        "flagged": [
            {
                "id": name,
                "time": "2025-02-04T13:02:00+00:00",
                "channel": "5",
                "channel_name": name,
                "author": name,
                "author_name": name,
                "label": "offensive-or-threatening",
                "clauses": ["5.2"],
                "severity": "medium",
                "action": "remind",
                "evidence": "an insult aimed at a person",
            }
        ],
        "warnings": [f"/exports/{name}.json: messages[1] (id 2): no 'author.id'; skipped"],
    }


@pytest.mark.parametrize(
    ("name", "text", "md"),
    [
        ("Soc\x1b]0;pwned\x07", r"Soc\x1b]0;pwned\x07", r"Soc\x1b]0;pwned\x07"),
        (
            "\x1b[31mEVIL\x1b[0m|x\n| fake | row",
            r"\x1b[31mEVIL\x1b[0m|x\n| fake | row",
            r"\x1b[31mEVIL\x1b[0m\|x \| fake \| row",
        ),
        ("a\r\nb\x0bc\u2028d", r"a\r\nb\x0bc\u2028d", "a b c d"),
        ("del\x7f csi\x9b2J nul\x00", r"del\x7f csi\x9b2J nul\x00", r"del\x7f csi\x9b2J nul\x00"),
        ("ok\u202egnp.exe", r"ok\u202egnp.exe", r"ok\u202egnp.exe"),
        ("\u2066iso\u2069 \u202alre\u202c", r"\u2066iso\u2069 \u202alre\u202c", None),
        ("tab\tend\\|", r"tab\tend\|", r"tab\tend\\|"),
        ("Jess Patel", "Jess Patel", "Jess Patel"),
    ],
    ids=[
        "osc-title",
        "sgr-pipe-newline",
        "line-breaks",
        "del-c1-nul",
        "rlo",
        "isolates",
        "tab-backslash-pipe",
        "plain",
    ],
)
def test_a_scan_shows_an_exports_values_escaped_and_each_row_whole(
    name: str, text: str, md: str | None
) -> None:
    report = scan_report(name)
    lines = render_scan(report, "text").splitlines()
    assert not [line for line in lines if UNSHOWABLE.search(line)]
    assert lines[0] == f"Scan of discord export /exports/{text}.json ({text}, id 99)"
    (row,) = lines[lines.index("Flagged messages:") + 1 : lines.index("Skipped:") - 1]
    assert re.fullmatch(
        rf"  {re.escape(text)} +2025-02-04 13:02  #{re.escape(text)} +"
        rf"{re.escape(text)} +offensive-or-threatening +5\.2 +remind",
        row,
    )
    assert lines[-1] == f"  /exports/{text}.json: messages[1] (id 2): no 'author.id'; skipped"

    shown = md if md is not None else text
    lines = render_scan(report, "md").splitlines()
    assert not [line for line in lines if UNSHOWABLE.search(line)]
    assert lines[0] == f"# Scan of discord export /exports/{shown}.json ({shown}, id 99)"
    table = lines[lines.index("## Flagged messages") + 2 : lines.index("## Skipped") - 1]
    assert len(table) == 3 and all(len(UNESCAPED_PIPE.findall(line)) == 8 for line in table)
    cells = [cell.strip() for cell in UNESCAPED_PIPE.split(table[2])]
    assert cells[1:6] == [
        shown,
        "2025-02-04 13:02",
        f"#{shown}",
        f"{shown} ({shown})",
        "offensive-or-threatening",
    ]
    assert lines[-1] == f"  /exports/{shown}.json: messages[1] (id 2): no 'author.id'; skipped"

    assert json.loads(render_scan(report, "json")) == report


def test_scan_of_an_export_with_hostile_names_prints_them_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The export the report came with: a terminal title in the server's name, colours, a pipe
    # and a line break forging a table row in the author's.
    guild, author = "Soc\x1b]0;pwned\x07", "\x1b[31mEVIL\x1b[0m|x\n| fake | row"
    document = {
        "guild": {"id": "99", "name": guild},
        "channel": {"id": "5", "name": "gen|eral\n# injected"},
        "messages": [
            {
                "id": "1",
                "type": "Default",
                "timestamp": "2025-02-04T13:02:00.000+00:00",
                "content": "you are a pathetic loser",
                "author": {"id": "3", "name": author, "nickname": author, "isBot": False},
            }
        ],
    }
    export = tmp_path / "export.json"
    export.write_text(json.dumps(document))
    for fmt in ("text", "md"):
        assert main(["scan", str(export), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert not UNSHOWABLE.search(out.replace("\n", ""))
        assert "pwned\\x07" in out and "\\x1b[31mEVIL" in out
        assert not [line for line in out.splitlines() if line.startswith(("| fake", "# injected"))]
    assert main(["scan", str(export), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["community_name"], report["flagged"][0]["author_name"]) == (guild, author)


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_scan_shows_a_skipped_items_path_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    export = tmp_path / "export"
    folder = "gen\x1b[2J\x1b]0;pwned\x07"
    (export / folder).mkdir(parents=True)
    (export / "channels.json").write_text(json.dumps([{"id": "C1", "name": folder}]))
    (export / folder / "2025-01-01.json").write_text("[{")
    assert main(["scan", str(export), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert not UNSHOWABLE.search(out.replace("\n", ""))
    skipped = out.splitlines()[-1]
    assert skipped.startswith(f"  {export}/gen\\x1b[2J\\x1b]0;pwned\\x07/2025-01-01.json: ")
    assert skipped.endswith("; file skipped")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("-1", "expected 0 to 10080 minutes, got -1"),
        ("10081", "expected 0 to 10080 minutes, got 10081"),
        ("ten", "expected whole minutes, got 'ten'"),
    ],
)
def test_a_bad_playground_rate_limit_is_one_line(
    value: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["playground", "--rate-limit-minutes", value])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(problem)


def test_jsonl_lines_without_author_or_channel_are_each_their_own_author(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = jsonl(
        {"text": PHONE},
        {"text": PHONE},
        {"id": "3", "text": PHONE, "author": "tom"},
        {"id": "4", "text": PHONE, "author": "tom"},
        {"id": "5"},
    )
    code, out = check_jsonl(data, monkeypatch, capsys)
    assert code == 1  # the line without text
    # Two lines without an author never add up to a second strike; one author's do.
    assert [(o["id"], o["action"]) for o in out[:4]] == [
        (None, "remind"),
        (None, "remind"),
        ("3", "remind"),
        ("4", "warn"),
    ]
    assert out[4] == {"line": 5, "error": "line 5: missing key 'text'"}


def test_check_jsonl_refuses_a_text_it_would_ignore() -> None:
    result = run_cli("check", "--jsonl", "extra", stdin='{"text": "hi"}\n')
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "policybot check: --jsonl reads JSON lines on stdin, give no TEXT with it\n"
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_config_may_come_before_or_after_the_command(tmp_path: Path, where: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("defaults:\n  labels:\n    confidential-info: {enabled: true}\n")
    text = "here's the confidential minutes from the exam board, don't share"
    args = (
        ("--config", str(config), "check", text)
        if where == "before"
        else ("check", "--config", str(config), text)
    )
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "confidential-info" in result.stdout
    assert "confidential-info" not in run_cli("check", text).stdout
