"""Read a Slack workspace export (a folder or its .zip) as a stream of messages.

Layout (https://slack.com/help/articles/220556107): ``channels.json`` (plus ``groups.json``,
``mpims.json``, ``dms.json`` when private conversations were exported), ``users.json``, and
one folder per conversation holding a ``YYYY-MM-DD.json`` array of messages per day. Each day
file is read on its own when its turn comes, so a large export never sits in memory at once.
"""

from __future__ import annotations

import heapq
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Protocol

from bot.exports.reader import ExportError, ExportReader, json_kind, parse_json, without_query
from bot.exports.slack_markup import parse_slack_text, with_shared
from bot.message import Attachment, Message

_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
_TS = re.compile(r"(\d+)(?:\.(\d{1,6})\d*)?")
_CONVERSATION_FILES = ("channels.json", "groups.json", "mpims.json", "dms.json")
#: Subtypes Slack writes for membership and housekeeping events: nobody typed these.
_SKIPPED_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "group_join",
        "group_leave",
        "channel_archive",
        "channel_unarchive",
        "group_archive",
        "group_unarchive",
        "channel_name",
        "group_name",
        "pinned_item",
        "unpinned_item",
        "message_deleted",
        "tombstone",
    }
)
_EXPORT_NAME = re.compile(r"(.+?) Slack export\b")
#: The most one file of a zipped export may inflate to; a Slack day file is rarely 1 MiB.
MAX_ZIP_MEMBER_BYTES = 32 * 2**20


class NotASlackExport(ExportError):
    """The folder or zip has no ``channels.json``."""


@dataclass(frozen=True, slots=True)
class _Conversation:
    id: str
    name: str
    folder: str


@dataclass(frozen=True, slots=True)
class _User:
    name: str
    is_bot: bool


class _ExportFiles(Protocol):
    def where(self, name: str) -> str: ...

    def read(self, name: str) -> bytes | None: ...

    def day_files(self, folder: str) -> list[str]: ...

    def close(self) -> None: ...


class _FolderFiles:
    """An unpacked export: nothing outside its folder is read, through a symlink or otherwise."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._real_root = root.resolve()

    def where(self, name: str) -> str:
        return str(self._root / name)

    def _inside(self, path: Path) -> Path:
        """Return ``path``, raising :class:`ExportError` when it resolves outside the export.

        Unzipping restores symlinks, so a folder or day file of an export someone handed over
        may point anywhere on the disk.
        """
        if not path.resolve().is_relative_to(self._real_root):
            raise ExportError(f"{path}: leads outside the export folder")
        return path

    def read(self, name: str) -> bytes | None:
        path = self._root / name
        try:
            return self._inside(path).read_bytes() if path.is_file() else None
        except OSError as err:
            raise ExportError(f"{path}: cannot be read ({err.strerror})") from None

    def day_files(self, folder: str) -> list[str]:
        path = self._root / folder
        if not path.is_dir():
            return []
        return sorted(
            f"{folder}/{p.name}"
            for p in self._inside(path).iterdir()
            if _DAY_FILE.fullmatch(p.name)
        )

    def close(self) -> None:
        pass


class _ZipFiles:
    """A zipped export, with its files at the top or inside one top-level folder."""

    def __init__(self, path: Path) -> None:
        self._path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as err:
            raise ExportError(f"{path}: not a readable zip archive ({err})") from None
        names = [n for n in self._zip.namelist() if not n.endswith("/")]
        self._prefix = _export_prefix(names)
        self._days: dict[str, list[str]] = {}
        if self._prefix is None:
            return
        for name in names:
            relative = PurePosixPath(name[len(self._prefix) :])
            if (
                name.startswith(self._prefix)
                and len(relative.parts) == 2
                and _DAY_FILE.fullmatch(relative.name)
            ):
                self._days.setdefault(relative.parts[0], []).append(str(relative))
        for days in self._days.values():
            days.sort()

    @property
    def is_export(self) -> bool:
        return self._prefix is not None

    def where(self, name: str) -> str:
        return f"{self._path}:{self._prefix or ''}{name}"

    def read(self, name: str) -> bytes | None:
        """Return a member's bytes, refusing one that inflates past ``MAX_ZIP_MEMBER_BYTES``.

        The size in the zip's directory can lie, so the member is inflated as a stream and
        reading stops one byte past the limit: a small zip that inflates to gigabytes costs no
        more memory than the limit.
        """
        try:
            info = self._zip.getinfo(f"{self._prefix or ''}{name}")
        except KeyError:
            return None
        too_big = ExportError(
            f"{self.where(name)}: inflates to more than {MAX_ZIP_MEMBER_BYTES // 2**20} MiB"
        )
        if info.file_size > MAX_ZIP_MEMBER_BYTES:
            raise too_big
        try:
            with self._zip.open(info) as member:
                data = member.read(MAX_ZIP_MEMBER_BYTES + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            RuntimeError,
            EOFError,
            NotImplementedError,
            ValueError,
            zlib.error,
        ) as err:
            raise ExportError(f"{self.where(name)}: cannot be read from the zip ({err})") from None
        if len(data) > MAX_ZIP_MEMBER_BYTES:
            raise too_big
        return data

    def day_files(self, folder: str) -> list[str]:
        return self._days.get(folder, [])

    def close(self) -> None:
        self._zip.close()


def _export_prefix(names: list[str]) -> str | None:
    """Return where ``channels.json`` sits in a zip ("" or "folder/"), or None if nowhere."""
    if "channels.json" in names:
        return ""
    # Zipping the export's folder (rather than its contents) nests everything one level down.
    nested = [n for n in names if n.count("/") == 1 and n.endswith("/channels.json")]
    return nested[0].removesuffix("channels.json") if len(nested) == 1 else None


class SlackExportReader(ExportReader):
    """A Slack workspace export, opened for scanning.

    ``Message.id`` is ``"<channel id>:<ts>"``; a thread reply's ``thread`` and ``reply_to`` are
    the id of the thread's first message. Join/leave and other housekeeping subtypes are
    skipped; ``message_changed`` entries are read as the edited message they carry.
    """

    platform = "slack"

    def __init__(self, path: Path) -> None:
        """Open the export at ``path`` (folder or .zip) and read its users and channels."""
        self.source = str(path)
        self.warnings: list[str] = []
        self._files = self._open(path)
        self._count: int | None = None
        self._team: str | None = None
        try:
            self._users = self._read_users()
            self._conversations = self._read_conversations()
        except ExportError:
            self._files.close()
            raise
        self._names = {uid: user.name for uid, user in self._users.items()}
        self._channel_names = {c.id: c.name for c in self._conversations}
        self.community = self._team or path.stem
        match = _EXPORT_NAME.match(path.stem)
        self.community_name = match.group(1) if match else self.community

    @staticmethod
    def _open(path: Path) -> _ExportFiles:
        if path.is_dir():
            if not (path / "channels.json").is_file():
                raise NotASlackExport(f"{path}: not a Slack export (no channels.json)")
            return _FolderFiles(path)
        files = _ZipFiles(path)
        if not files.is_export:
            files.close()
            raise NotASlackExport(f"{path}: not a Slack export (no channels.json)")
        return files

    def close(self) -> None:
        """Close the zip, if the export is one."""
        self._files.close()

    @property
    def names(self) -> Mapping[str, str]:
        """Return every user's display name by user id."""
        return self._names

    @property
    def channel_names(self) -> Mapping[str, str]:
        """Return every conversation's name by channel id."""
        return self._channel_names

    def count_hint(self) -> int | None:
        """Return how many messages the export holds (reads every day file once, then cached)."""
        if self._count is None:
            count = 0
            for conversation in self._conversations:
                try:
                    names = self._files.day_files(conversation.folder)
                except ExportError:
                    continue  # messages() warns about it
                for name in names:
                    try:
                        entries = parse_json(self._files.read(name) or b"[]", name)
                    except ExportError:
                        continue
                    if isinstance(entries, list):
                        count += sum(1 for e in entries if _is_chat(e))
            self._count = count
        return self._count

    def messages(self) -> Iterator[Message]:
        """Yield every message of every conversation, merged into chronological order."""
        streams = [self._conversation_messages(c) for c in self._conversations]
        return heapq.merge(*streams, key=lambda m: (m.created_at, m.channel, m.id))

    def _conversation_messages(self, conversation: _Conversation) -> Iterator[Message]:
        roots: dict[str, str] = {}  # thread ts -> author, for replies without parent_user_id
        try:
            names = self._files.day_files(conversation.folder)
        except ExportError as err:
            self.warnings.append(f"{err}; channel skipped")
            return
        for name in names:
            where = self._files.where(name)
            try:
                data = self._files.read(name)
                if data is None:
                    # Listed by its name but a folder (or gone since): not a day of messages.
                    self.warnings.append(f"{where}: not a file; file skipped")
                    continue
                entries = parse_json(data, where)
            except ExportError as err:
                self.warnings.append(f"{err}; file skipped")
                continue
            if not isinstance(entries, list):
                self.warnings.append(f"{where}: expected a list of messages; file skipped")
                continue
            keyed = []
            for index, entry in enumerate(entries):
                prepared = self._prepare(entry, f"{where}[{index}]")
                if prepared is not None:
                    keyed.append(prepared)
            keyed.sort(key=lambda item: item[0])
            for _, entry, stamp, item in keyed:
                yield self._message(conversation, entry, stamp, roots, item)

    def _prepare(
        self, entry: Any, item: str
    ) -> tuple[tuple[int, int], dict[str, Any], datetime, str] | None:
        """Return a chat entry with its sort key and time, or None (with a warning if broken)."""
        if not isinstance(entry, dict):
            self.warnings.append(f"{item}: not a message object; skipped")
            return None
        if not _is_chat(entry):
            return None
        if entry.get("subtype") == "message_changed":
            if not isinstance(entry.get("message"), dict):
                self.warnings.append(f"{item}: message_changed without 'message'; skipped")
                return None
            entry = entry["message"]
        ts = entry.get("ts")
        parsed = _parse_ts(ts)
        if parsed is None:
            problem = "no 'ts'" if ts is None else f"'ts' is not a Slack timestamp: {ts!r}"
            self.warnings.append(f"{item}: {problem}; skipped")
            return None
        if not _author(entry):
            self.warnings.append(f"{item}: no 'user' or 'bot_id'; skipped")
            return None
        text = entry.get("text")
        if text is not None and not isinstance(text, str):
            # Read as empty, a threat held in a list would pass as checked and clean: report it.
            self.warnings.append(f"{item}: 'text' is {json_kind(text)}, not a string; skipped")
            return None
        if text is None and not _carries_more_than_text(entry):
            self.warnings.append(f"{item}: no 'text'; skipped")
            return None
        key, stamp = parsed
        return key, entry, stamp, item

    def _message(
        self,
        conversation: _Conversation,
        entry: dict[str, Any],
        created_at: datetime,
        roots: dict[str, str],
        item: str,
    ) -> Message:
        channel = conversation.id
        ts = str(entry["ts"])
        author = _author(entry)
        user = self._users.get(author)
        is_bot = (
            entry.get("subtype") == "bot_message"
            or "bot_id" in entry
            or (user is not None and user.is_bot)
        )
        thread_ts = entry.get("thread_ts")
        thread = reply_to = reply_to_author = None
        if isinstance(thread_ts, str) and thread_ts != ts:
            thread = reply_to = f"{channel}:{thread_ts}"
            parent = entry.get("parent_user_id")
            reply_to_author = parent if isinstance(parent, str) and parent else roots.get(thread_ts)
        elif thread_ts == ts:
            roots[ts] = author
        edited = entry.get("edited")
        edited_ts = edited.get("ts") if isinstance(edited, dict) else None
        edited_at = None
        if edited_ts is not None:
            parsed_edit = _parse_ts(edited_ts)
            if parsed_edit is None:
                self.warnings.append(f"{item}: 'edited.ts' is not a Slack timestamp; ignored")
                edited_ts = None
            else:
                edited_at = parsed_edit[1]
        raw_text = entry.get("text")
        parsed = with_shared(
            parse_slack_text(
                raw_text if isinstance(raw_text, str) else "", self._names, self._channel_names
            ),
            entry.get("attachments"),
            self._names,
            self._channel_names,
        )
        return Message(
            id=f"{channel}:{ts}",
            text=parsed.text,
            author=author,
            channel=channel,
            community=self.community,
            platform=self.platform,
            author_name=user.name if user else _profile_name(entry),
            created_at=created_at,
            mentions=parsed.mentions,
            reply_to=reply_to,
            reply_to_author=reply_to_author,
            thread=thread,
            links=parsed.links,
            attachments=_attachments(entry.get("files")),
            edited_at=edited_at,
            idempotency_key=f"{channel}:{ts}:{edited_ts or ''}",
            is_bot=is_bot,
        )

    def _read_list(self, name: str) -> list[Any] | None:
        data = self._files.read(name)
        if data is None:
            return None
        parsed = parse_json(data, self._files.where(name))
        if not isinstance(parsed, list):
            raise ExportError(f"{self._files.where(name)}: expected a JSON list")
        return parsed

    def _read_users(self) -> dict[str, _User]:
        users: dict[str, _User] = {}
        for index, entry in enumerate(self._read_list("users.json") or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                where = self._files.where("users.json")
                self.warnings.append(f"{where}[{index}]: no user 'id'; user skipped")
                continue
            name = _profile_name(entry) or entry["id"]
            if self._team is None and isinstance(entry.get("team_id"), str):
                self._team = entry["team_id"]
            users[entry["id"]] = _User(name=name, is_bot=bool(entry.get("is_bot")))
        return users

    def _read_conversations(self) -> list[_Conversation]:
        conversations: list[_Conversation] = []
        seen: set[str] = set()
        for filename in _CONVERSATION_FILES:
            for index, entry in enumerate(self._read_list(filename) or []):
                cid = entry.get("id") if isinstance(entry, dict) else None
                if not isinstance(cid, str) or not cid:
                    where = self._files.where(filename)
                    self.warnings.append(f"{where}[{index}]: no channel 'id'; channel skipped")
                    continue
                if cid in seen:
                    continue
                folder = self._folder(filename, index, entry)
                if folder is None:
                    continue
                seen.add(cid)
                conversations.append(_Conversation(id=cid, name=folder, folder=folder))
        return conversations

    def _folder(self, filename: str, index: int, entry: dict[str, Any]) -> str | None:
        """Return the folder holding a conversation's days, or None (with a warning) if none.

        The folder is named by the export, so a name that is not one plain folder name
        ("../other", "/home/x") would make the scan read files outside the export.
        """
        item = f"{self._files.where(filename)}[{index}]"
        name = entry.get("name")
        if name in (None, "") and filename == "dms.json":
            # A DM has no name: its folder is named by its id.
            key, folder = "id", entry["id"]
        elif name is None or name == "":
            self.warnings.append(f"{item}: no channel 'name'; channel skipped")
            return None
        elif not isinstance(name, str):
            self.warnings.append(
                f"{item}: channel 'name' is {json_kind(name)}, not a string; channel skipped"
            )
            return None
        else:
            key, folder = "name", name
        if not _is_folder_name(folder):
            self.warnings.append(
                f"{item}: channel {key} {folder!r} is not a plain folder name; channel skipped"
            )
            return None
        return str(folder)


def _is_chat(entry: Any) -> bool:
    subtype = entry.get("subtype") if isinstance(entry, dict) else None
    # A subtype that is not a string (a list, say) is no housekeeping subtype Slack writes.
    return isinstance(entry, dict) and not (
        isinstance(subtype, str) and subtype in _SKIPPED_SUBTYPES
    )


def _is_folder_name(name: str) -> bool:
    """Return whether ``name`` is one folder's name, with no way up, down or across drives."""
    return (
        name not in (".", "..")
        and not any(c in name for c in "/\\\0")
        # "C:x" names a folder on another drive on Windows; no Slack channel has a colon.
        and not PureWindowsPath(name).anchor
    )


def _carries_more_than_text(entry: dict[str, Any]) -> bool:
    """Return whether a message shares files or other messages: its own text may be empty."""
    return any(isinstance(entry.get(key), list) and entry[key] for key in ("files", "attachments"))


def _author(entry: dict[str, Any]) -> str:
    for key in ("user", "bot_id", "username"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _profile_name(entry: dict[str, Any]) -> str | None:
    """Return the name Slack shows for a user or message entry: display name first."""
    for profile in (entry.get("profile"), entry.get("user_profile"), entry.get("bot_profile")):
        if isinstance(profile, dict):
            for key in ("display_name", "real_name", "name"):
                if isinstance(profile.get(key), str) and profile[key]:
                    return str(profile[key])
    for key in ("real_name", "name", "username"):
        if isinstance(entry.get(key), str) and entry[key]:
            return str(entry[key])
    return None


def _parse_ts(ts: Any) -> tuple[tuple[int, int], datetime] | None:
    """Return a Slack ``ts`` ("1700000000.000100") as a sort key and a UTC time."""
    match = _TS.fullmatch(ts) if isinstance(ts, str) else None
    if match is None:
        return None
    seconds, micros = int(match.group(1)), int((match.group(2) or "0").ljust(6, "0"))
    try:
        stamp = datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=micros)
    except (OverflowError, OSError, ValueError):
        return None
    return (seconds, micros), stamp


def _attachments(files: Any) -> tuple[Attachment, ...]:
    if not isinstance(files, list):
        return ()
    found = []
    for item in files:
        # Files over the plan's limit appear as {"id", "mode": "hidden_by_limit"}: no name.
        if not isinstance(item, dict):
            continue
        name = item.get("name") or item.get("title")
        if not isinstance(name, str) or not name:
            continue
        mimetype = item.get("mimetype")
        found.append(
            Attachment(
                filename=name,
                content_type=mimetype if isinstance(mimetype, str) else None,
                url=without_query(item.get("url_private")),
            )
        )
    return tuple(found)
