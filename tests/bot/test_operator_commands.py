"""Every operator command against every broken database and config: one line, never a traceback.

A table: the commands an operator runs (validate-config, purge, export, insights, doctor, run,
the playground) against databases that are corrupt, a folder, in a folder that is missing, of
a newer schema, held by another process, on an unsupported or unreachable server, and against
config files that are missing, not UTF-8, not YAML, not a mapping, nested too deep, misspelt,
of the wrong type or naming no policy folder. Each cell says what the operator must see.
"""

from __future__ import annotations

import logging
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main

pytestmark = pytest.mark.slow

WRITER = Path(__file__).with_name("store") / "kill_writer.py"
COMMANDS = ("validate-config", "purge", "export", "insights", "doctor", "run", "playground")


@dataclass(frozen=True)
class Expect:
    """What the operator sees: the exit code and a fragment of the one line that says why.

    ``report`` is for ``doctor``, which prints its report (a FAIL line) on stdout.
    """

    code: int
    says: str = ""
    report: bool = False


OK = Expect(0)
# A command that does not read the database at all, or creates its folder by design.
NOT_READ = None


def _corrupt(db: Path) -> None:
    db.write_bytes(b"this is not a database, " * 200)


def _folder(db: Path) -> None:
    db.mkdir()


def _newer(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
        conn.execute("INSERT INTO schema_version VALUES (99, '2030-01-01')")


#: database shape -> (database.url given the file, how to break the file, expectation per command)
DATABASES: dict[
    str, tuple[Callable[[Path], str], Callable[[Path], None] | None, dict[str, Expect | None]]
] = {
    "corrupt file": (
        lambda db: f"sqlite:///{db}",
        _corrupt,
        {
            "validate-config": OK,
            "purge": Expect(2, "file is not a database"),
            "export": Expect(2, "file is not a database"),
            "insights": Expect(2, "file is not a database"),
            "doctor": Expect(1, "file is not a database", report=True),
            "run": Expect(2, "file is not a database"),
            "playground": Expect(2, "file is not a database"),
        },
    ),
    "a folder": (
        lambda db: f"sqlite:///{db}",
        _folder,
        {
            "validate-config": OK,
            "purge": Expect(2, "this is a directory"),
            "export": Expect(2, "this is a directory"),
            "insights": Expect(2, "this is a directory"),
            "doctor": Expect(1, "this is a directory", report=True),
            "run": Expect(2, "this is a directory"),
            "playground": Expect(2, "this is a directory"),
        },
    ),
    "missing folder": (
        lambda db: f"sqlite:///{db.parent / 'gone' / db.name}",
        None,
        {
            "validate-config": OK,
            # The line names where the database was looked for (whatever its wording).
            "purge": Expect(2, "gone"),
            "export": Expect(2, "gone"),
            "insights": Expect(2, "no database at"),
            "doctor": Expect(1, "is missing or not writable", report=True),
            "run": Expect(2, "does not exist"),
            "playground": NOT_READ,  # makes its folder, as it should
        },
    ),
    "newer schema": (
        lambda db: f"sqlite:///{db}",
        _newer,
        {
            "validate-config": OK,
            "purge": Expect(2, "newer than this policybot"),
            "export": Expect(2, "newer than this policybot"),
            "insights": Expect(2, "newer than this policybot"),
            "doctor": Expect(1, "newer than this policybot", report=True),
            "run": Expect(2, "newer than this policybot"),
            "playground": Expect(2, "newer than this policybot"),
        },
    ),
    "held by another process": (
        lambda db: f"sqlite:///{db}",
        None,  # the writer fixture holds it
        {
            "validate-config": OK,
            "purge": OK,  # operator commands share the file with the running bot
            # It reads the file beside the bot; the user simply has no cases there.
            "export": Expect(1, "no cases about user"),
            "insights": OK,
            "doctor": OK,
            "run": Expect(2, "PostgreSQL"),
            "playground": Expect(2, "is the playground already running"),
        },
    ),
    "mysql url": (
        lambda db: "mysql://bot:hunter2@db/bot",
        None,
        {
            "validate-config": Expect(2, "unsupported scheme 'mysql'"),
            "purge": Expect(2, "unsupported scheme 'mysql'"),
            "export": Expect(2, "unsupported scheme 'mysql'"),
            "insights": Expect(2, "unsupported scheme 'mysql'"),
            "doctor": Expect(1, "unsupported scheme 'mysql'", report=True),
            "run": Expect(2, "unsupported scheme 'mysql'"),
            "playground": Expect(2, "unsupported scheme 'mysql'"),
        },
    ),
    "unreachable postgresql": (
        lambda db: "postgresql://bot:hunter2@127.0.0.1:1/bot",
        None,
        {
            "validate-config": OK,
            "purge": Expect(2, "cannot connect"),
            "export": Expect(2, "cannot connect"),
            "insights": Expect(2, "cannot connect"),
            "doctor": Expect(1, "cannot connect", report=True),
            "run": Expect(2, "cannot connect"),
            "playground": NOT_READ,  # keeps its own SQLite file
        },
    ),
}

#: config shape -> (file bytes or None for a missing file, fragment of the one line)
CONFIGS: dict[str, tuple[bytes | None, str]] = {
    "missing file": (None, "file not found"),
    "not UTF-8": (b"ladder:\n  decay_days: \xff\n", "cannot read"),
    "not YAML": (b"ladder: [1, 2\n", "invalid YAML"),
    "not a mapping": (b"- just\n- a list\n", "expected a mapping of keys"),
    "nested too deep": (b"[" * 5000, "nested too deeply"),
    "a misspelt key": (b"ladder:\n  decay_dayz: 3\n", "did you mean 'decay_days'"),
    "a wrong type": (b"ladder:\n  decay_days: soon\n", "ladder.decay_days"),
    "no policy folder": (b"policy: no/such/folder\n", "does not exist"),
}


def argv(command: str, config: Path, db: Path) -> list[str]:
    """Return the command line for one operator command."""
    if command == "validate-config":
        return ["validate-config", str(config)]
    tail = {
        "export": ["--platform", "discord", "--community", "g1", "--user", "u1"],
        "insights": ["--since", "30d"],
        "playground": ["--port", "0", "--db", str(db)],
    }.get(command, [])
    return ["--config", str(config), command, *tail]


@pytest.fixture
def quiet_logs() -> Iterator[None]:
    """Take away the log handler ``run`` and the playground install on the root logger."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if h.get_name() == "policybot"]:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def operator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], quiet_logs: None
) -> Callable[[list[str]], tuple[int, str, str]]:
    """Run a command as an operator would; return its exit code, stdout and stderr."""
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")  # run gets as far as the database
    monkeypatch.delenv("POLICYBOT_CONFIG", raising=False)

    def run(args: list[str]) -> tuple[int, str, str]:
        code = main(args)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


def check(result: tuple[int, str, str], expect: Expect) -> None:
    code, out, err = result
    assert code == expect.code, (out, err)
    if expect.report:
        assert err == ""
        fails = [line for line in out.splitlines() if line.startswith("[FAIL]")]
        assert fails and any(expect.says in line for line in fails), out
    elif expect.code:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and expect.says in lines[0], err
        assert "hunter2" not in err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("shape", list(DATABASES))
def test_every_command_against_every_broken_database(
    tmp_path: Path,
    operator: Callable[[list[str]], tuple[int, str, str]],
    command: str,
    shape: str,
) -> None:
    url_for, breaks, expectations = DATABASES[shape]
    expect = expectations[command]
    if expect is None:
        pytest.skip(f"{command} does not read a {shape}")
    db = tmp_path / "bot.db"
    if breaks is not None:
        breaks(db)
    config = tmp_path / "config.yaml"
    config.write_text(f'database:\n  url: "{url_for(db)}"\ndiscord:\n  enabled: true\n')
    writer = None
    if shape == "held by another process":
        writer = subprocess.Popen(
            [sys.executable, str(WRITER), str(db), "t"], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None and writer.stdout.readline()  # it holds the file
    try:
        check(operator(argv(command, config, db)), expect)
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
            if writer.stdout is not None:
                writer.stdout.close()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("shape", list(CONFIGS))
def test_every_command_against_every_broken_config(
    tmp_path: Path,
    operator: Callable[[list[str]], tuple[int, str, str]],
    command: str,
    shape: str,
) -> None:
    content, says = CONFIGS[shape]
    config = tmp_path / "config.yaml"
    if content is not None:
        config.write_bytes(content)
    expect = Expect(1, says, report=True) if command == "doctor" else Expect(2, says)
    check(operator(argv(command, config, tmp_path / "bot.db")), expect)


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_playground_port_out_of_range_is_one_line(
    tmp_path: Path, operator: Callable[[list[str]], tuple[int, str, str]], port: str
) -> None:
    code, _, err = operator(["playground", "--port", port, "--db", str(tmp_path / "p.db")])
    assert code == 2 and err.strip() == (
        f"policybot playground: --port must be 1 to 65535 (0: any free port), got {port}"
    )


def test_playground_on_a_port_in_use_is_one_line(
    tmp_path: Path, operator: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    with socket.socket() as taken:  # another playground, or anything else, listening there
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = operator(["playground", "--port", str(port), "--db", str(tmp_path / "p.db")])
    assert code == 2
    assert err.strip() == (
        f"policybot playground: port {port} on 127.0.0.1 is already in use: is the playground "
        "already running? Open it, stop it, or choose --port"
    )


def test_scan_of_json_nested_too_deep_is_one_line(
    tmp_path: Path, operator: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    export = tmp_path / "export.json"
    export.write_bytes(b'{"guild": {"id": "1"}, "messages": ' + b"[" * 100_000)
    code, _, err = operator(["scan", str(export)])
    assert code == 2 and err.strip() == f"{export}: not readable JSON: nested too deeply"
