"""Pick the reader for a chat export by its shape, not its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bot.exports.discord_chat_exporter import DiscordChatExporterReader, NotADiscordChatExport
from bot.exports.reader import ExportError, ExportReader
from bot.exports.slack_export import NotASlackExport, SlackExportReader


def read_export(path: Path) -> ExportReader:
    """Open ``path`` with the reader that fits it, or raise a one-line :class:`ExportError`.

    A folder or zip holding ``channels.json`` is a Slack export; a JSON file whose top level
    has ``guild`` and ``messages`` is a DiscordChatExporter export.
    """
    if not path.exists():
        raise ExportError(f"{path}: no such file or folder")
    try:
        if path.is_dir() or path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            return SlackExportReader(path)
        if path.suffix.lower() == ".json":
            return DiscordChatExporterReader.open(path)
    except (NotASlackExport, NotADiscordChatExport):
        pass
    raise ExportError(
        f"{path}: not a Slack export (no channels.json) or DiscordChatExporter JSON"
        " (no 'guild'/'messages')"
    )
