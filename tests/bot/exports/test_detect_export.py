"""read_export picks the reader by the export's shape and rejects anything else in one line."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.exports import DiscordChatExporterReader, ExportError, SlackExportReader, read_export

NOT_AN_EXPORT = (
    ": not a Slack export (no channels.json) or DiscordChatExporter JSON (no 'guild'/'messages')"
)


def test_folder_with_channels_json_is_slack(slack_sample: Path) -> None:
    with read_export(slack_sample) as reader:
        assert isinstance(reader, SlackExportReader)


def test_zip_with_channels_json_is_slack_whatever_its_name(tmp_path: Path) -> None:
    archive = tmp_path / "export.bin"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("channels.json", "[]")
    with read_export(archive) as reader:
        assert reader.platform == "slack"


def test_json_with_guild_and_messages_is_discord(discord_sample: Path) -> None:
    assert isinstance(read_export(discord_sample), DiscordChatExporterReader)


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp: tmp,
        lambda tmp: write(tmp / "notes.txt", "hello"),
        lambda tmp: write(tmp / "day.json", json.dumps([{"type": "message", "ts": "1.0"}])),
        lambda tmp: write(tmp / "other.json", json.dumps({"guild": {"id": "1"}, "msgs": []})),
    ],
    ids=["empty-folder", "text-file", "slack-day-file", "json-without-messages"],
)
def test_anything_else_is_not_an_export(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    path = make(tmp_path)
    with pytest.raises(ExportError) as raised:
        read_export(path)
    assert str(raised.value) == f"{path}{NOT_AN_EXPORT}"


def test_zip_without_channels_json_is_not_an_export(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("holiday/beach.jpg", b"\xff\xd8")
    with pytest.raises(ExportError) as raised:
        read_export(archive)
    assert str(raised.value) == f"{archive}{NOT_AN_EXPORT}"


def test_missing_path_says_so(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"gone\.zip: no such file or folder$"):
        read_export(tmp_path / "gone.zip")


def test_malformed_discord_json_keeps_its_own_error(tmp_path: Path) -> None:
    path = write(tmp_path / "export.json", '{"guild": ')
    with pytest.raises(ExportError, match=r"export\.json: not valid JSON \(line 1, column 11: "):
        read_export(path)
