"""Chat-export readers for ``policybot scan``: Slack workspace exports and DiscordChatExporter.

:func:`read_export` picks the reader; every reader yields :class:`bot.message.Message` in
chronological order and collects a warning for each broken item it skips.
"""

from bot.exports.detect import read_export
from bot.exports.discord_chat_exporter import DiscordChatExporterReader
from bot.exports.reader import ExportError, ExportReader
from bot.exports.slack_export import SlackExportReader

__all__ = [
    "DiscordChatExporterReader",
    "ExportError",
    "ExportReader",
    "SlackExportReader",
    "read_export",
]
