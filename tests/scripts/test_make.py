"""`make run` installs what running needs; `make test` adds the dev tools and runs every test.

scripts/make-venv.sh checks the interpreter before anything is installed and makes again a
.venv an older Python or a failed install left behind. The interpreters too old to use are
small stand-ins that answer the version probe as Python 3.10 would (no 3.10 is installed
here); the real virtualenvs are made with the Python running these tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE_VENV = ROOT / "scripts" / "make-venv.sh"
RUN_TESTS = ROOT / "scripts" / "run-tests.sh"
PYTHON_310 = '#!/bin/sh\necho "3.10 old"\n'


def _dry_run(target: str) -> str:
    """Return the commands ``make TARGET`` would run on a machine with no .venv yet."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        [make, "-n", "-B", "-C", str(ROOT), target],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _pip_lines(commands: str) -> list[str]:
    return [line for line in commands.splitlines() if "pip install" in line]


def test_make_run_installs_only_what_running_needs() -> None:
    commands = _dry_run("run")
    assert "scripts/make-venv.sh" in commands
    installs = _pip_lines(commands)
    assert installs and all("[dev]" not in line for line in installs), installs
    assert any(line.rstrip().endswith("-e .") for line in installs)
    assert "policybot playground" in commands


@pytest.mark.parametrize("target", ["test", "lint", "typecheck", "screenshot"])
def test_the_developer_targets_add_the_dev_extra(target: str) -> None:
    assert any("'.[dev]'" in line for line in _pip_lines(_dry_run(target)))


def test_make_test_runs_the_suite_with_its_services() -> None:
    assert "scripts/run-tests.sh .venv/bin/pytest" in _dry_run("test")


def _fake_python(path: Path) -> Path:
    path.write_text(PYTHON_310)
    path.chmod(0o755)
    return path


def _make_venv(python: str, venv: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(MAKE_VENV), python, str(venv)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("python", "says"),
    [
        ("old", "policybot needs Python 3.11 or newer, and {python} is 3.10"),
        ("python3.0-missing", "python3.0-missing not found: policybot needs Python 3.11"),
    ],
)
def test_a_python_too_old_or_missing_is_named_before_anything_is_made(
    tmp_path: Path, python: str, says: str
) -> None:
    if python == "old":
        python = str(_fake_python(tmp_path / "python3.10"))
    venv = tmp_path / ".venv"
    result = _make_venv(python, venv)
    assert result.returncode == 2
    assert result.stderr.startswith("make: " + says.format(python=python)), result.stderr
    assert "make PYTHON=python3" in result.stderr
    assert not venv.exists()


@pytest.mark.slow
def test_a_venv_left_by_an_older_python_is_made_again(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    _fake_python(venv / "bin" / "python")

    result = _make_venv(sys.executable, venv)

    assert result.returncode == 0, result.stderr
    assert f"{venv} was made with Python 3.10, too old for policybot: making it again" in (
        result.stdout
    )
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sys, pip; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "True"
    # Once it works, the next make leaves it alone.
    again = _make_venv(sys.executable, venv)
    assert (again.returncode, again.stdout) == (0, "")


def _run_tests(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "POLICYBOT_TEST_PG_URL"}
    return subprocess.run(
        ["bash", str(RUN_TESTS), *command],
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=120,
    )


def test_make_test_says_plainly_what_it_cannot_run(tmp_path: Path) -> None:
    nothing = str(tmp_path / "absent")
    result = _run_tests(
        {
            "POLICYBOT_POSTGRES_ROOT": nothing,
            "POLICYBOT_CHROMIUM": nothing,
            "POLICYBOT_CHROMEDRIVER": nothing,
        },
        sys.executable,
        "-c",
        "import os; print(os.environ.get('POLICYBOT_TEST_PG_URL'))",
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "None"
    lines = result.stderr.splitlines()
    postgres = (
        "make test: PostgreSQL is not installed: the storage suite runs on SQLite only (its "
        "PostgreSQL tests are skipped). To run them: apt-get install postgresql (as root), "
        "then make test."
    )
    browser = (
        "make test: Chromium and ChromeDriver are not installed: the playground's browser tests "
        "are skipped. To run them: bash scripts/install-browser.sh (as root), then make test."
    )
    # Said before the tests and again after them, where the summary is read.
    assert lines == [postgres, browser, postgres, browser]


def test_make_test_passes_the_exit_status_through(tmp_path: Path) -> None:
    result = _run_tests({"POLICYBOT_TEST_PG_URL": "given"}, sys.executable, "-c", "exit(3)")
    assert result.returncode == 3


@pytest.mark.slow
def test_make_test_starts_a_throwaway_postgresql_when_one_is_installed() -> None:
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL is not installed: apt-get install postgresql")
    script = (
        "import asyncio, os, asyncpg\n"
        "async def main():\n"
        "    conn = await asyncpg.connect(os.environ['POLICYBOT_TEST_PG_URL'])\n"
        "    print(await conn.fetchval('SELECT 41 + 1'))\n"
        "    await conn.close()\n"
        "asyncio.run(main())\n"
    )
    result = _run_tests({}, sys.executable, "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"
    assert "PostgreSQL is not installed" not in result.stderr
