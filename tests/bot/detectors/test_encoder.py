"""The encoder runs offline and privately: loading and scoring leave no trace outside the bot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import RULES_FOLDER

MODEL = RULES_FOLDER / "models" / "policy-classifier"
REPO = Path(__file__).resolve().parents[3]


def test_scoring_a_message_writes_no_telemetry(tmp_path: Path) -> None:
    # A fresh process, as the bot starts: onnxruntime's telemetry is switched on at import time,
    # so only a process that has not imported it yet shows whether the switch is set in time.
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env |= {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = (
        "import sys; from pathlib import Path; from bot.detectors.encoder import Encoder; "
        "print(len(Encoder(Path(sys.argv[1])).score(['see you in the library at 7'])[0]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(MODEL)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 20
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*")] == []
