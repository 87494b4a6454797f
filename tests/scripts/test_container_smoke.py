"""The container: the image starts into `run --stay-up`, compose does too, and the smoke script
(run by .ci/run, where it builds and runs the image) says plainly what a machine cannot do."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "scripts" / "container-smoke.sh"
#: What the script needs besides the container tools, for a PATH that has only these.
BASICS = ("bash", "id", "mktemp", "rm", "cat", "dirname", "sed", "awk", "cut", "sha256sum")


@pytest.mark.parametrize("script", sorted((ROOT / "scripts").glob("*.sh")), ids=lambda p: p.name)
def test_every_script_parses(script: Path) -> None:
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_image_and_compose_start_the_bot_with_stay_up() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    (cmd,) = re.findall(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert json.loads(cmd) == ["run", "--stay-up"]
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    runs = {
        name: s["command"] for name, s in services.items() if s.get("command", [""])[0] == "run"
    }
    assert set(runs) == {"bot", "bot-shard-0", "bot-shard-1"}
    assert all(command[:2] == ["run", "--stay-up"] for command in runs.values()), runs
    assert all(services[name]["restart"] == "unless-stopped" for name in runs)


def test_ci_builds_and_runs_the_container() -> None:
    assert "bash scripts/container-smoke.sh" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize(("ci", "code"), [("", 0), ("true", 1)])
def test_without_the_container_tools_the_script_says_what_is_blocked(
    tmp_path: Path, ci: str, code: int
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in BASICS:
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "CI": ci, "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        ["bash", str(SMOKE)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == code, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "container-smoke: BLOCKED: buildah podman debootstrap runc missing, and installing them "
        "needs root and apt-get: apt-get install buildah podman debootstrap runc"
    )
    assert lines[1:] == (
        [] if ci else ["container-smoke: skipped (not in CI): the image was not built and run"]
    )
    assert [p.name for p in tmp_path.iterdir()] == ["bin"]  # its work folder removed
