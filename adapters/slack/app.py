"""The Bolt app: Slack events, commands and buttons in; the core's decisions rendered back out.

Every request is acknowledged at once and its work runs afterwards in a task this adapter keeps
track of, so Slack always gets its answer within 3 seconds and shutdown can wait for work in
flight. Redelivered events are recognised by the core (the event id is the message's
idempotency key); Bolt itself does no de-duplication.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.events import PLATFORM, Deletion, slack_ts, translate
from bot.app import Core
from bot.decision import Decision, ModeratorAlert, Notice
from bot.exports.slack_markup import parse_slack_text
from bot.message import Message

log = logging.getLogger(__name__)

Handler = Callable[..., Coroutine[Any, Any, None]]

#: Notice kinds that also go to the author's DM when ``slack.dm_reminders`` is on: an ephemeral
#: message vanishes on reload, and a warning should not.
_DM_KINDS = frozenset({"warn", "escalate"})
_USER_REF = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]+)$")
_USERGROUP_ID = re.compile(r"^S[A-Z0-9]+$")

MODERATOR_COMMANDS = {
    "strikes": "`/policybot strikes @member`: their record",
    "pardon": "`/policybot pardon @member`: pardon every case that counts",
    "erase": "`/policybot erase @member`: erase everything held about them",
    "shadow": "`/policybot shadow on|off`: observe without telling members",
    "check": "`/policybot check TEXT`: what the bot would do with a text",
    "reload": "`/policybot reload`: reload the policy and rules",
}


class SlackAdapter:
    """Wire the core into a Bolt ``AsyncApp`` (``self.app``) for one workspace's bot token.

    ``client`` carries the bot token; ``admin_client``, when given, carries a workspace admin's
    user token and is used only to delete messages (a bot token cannot delete other people's).
    """

    def __init__(
        self,
        core: Core,
        client: AsyncWebClient,
        *,
        signing_secret: str = "",
        admin_client: AsyncWebClient | None = None,
    ) -> None:
        self.core = core
        self.client = _with_rate_limit_retries(client)
        self.admin_client = _with_rate_limit_retries(admin_client) if admin_client else None
        self._identity: AuthorizeResult | None = None
        self._identify_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._usergroup_ids: dict[str, str | None] = {}

        async def authorize() -> AuthorizeResult:
            return await self.identify()

        # Bolt gets a token-less twin of the client and our authorize function, so that the
        # auth.test made at start-up is the only one (Bolt would otherwise make its own on the
        # first event); it puts the bot token on each request's client from the result.
        self.app = AsyncApp(
            name="policybot",
            client=AsyncWebClient(
                base_url=self.client.base_url,
                timeout=self.client.timeout,
                retry_handlers=list(self.client.retry_handlers),
            ),
            signing_secret=signing_secret,
            authorize=authorize,
            # Listeners only acknowledge and start a tracked task, so "before response" costs
            # nothing and guarantees the task exists by the time Slack has its answer.
            process_before_response=True,
            logger=_bolt_logger(),
        )
        self.commands: dict[str, Handler] = {
            "/policy": self.on_policy,
            "/report": self.on_report,
            "/mydata": self.on_mydata,
            "/privacy": self.on_privacy,
            "/policybot": self.on_policybot,
        }
        self.events: dict[str, Handler] = {
            "message": self.on_message,
            "app_home_opened": self.on_app_home_opened,
            "app_uninstalled": self.on_removed,
            "tokens_revoked": self.on_removed,
        }
        self.actions: dict[str, Handler] = {
            blocks.CONTEST: self.on_contest,
            blocks.PARDON: self.on_pardon,
            blocks.DISMISS: self.on_dismiss,
            blocks.SHARE: self.on_share,
        }
        for name, handler in self.commands.items():
            self.app.command(name)(handler)
        for name, handler in self.events.items():
            self.app.event(name)(handler)
        for name, handler in self.actions.items():
            self.app.action(name)(handler)

    # -- identity and background work ----------------------------------------------------------
    async def identify(self) -> AuthorizeResult:
        """Call ``auth.test`` once and remember who the bot is (raises SlackApiError if refused)."""
        async with self._identify_lock:
            if self._identity is None:
                response = await self.client.auth_test()
                self._identity = AuthorizeResult.from_auth_test_response(
                    bot_token=self.client.token, auth_test_response=response
                )
        return self._identity

    def _spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        task = asyncio.create_task(self._guarded(work, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except SlackApiError as exc:
            log.warning("slack: %s: Slack answered %s", what, exc.response.get("error"))
        except Exception:
            log.exception("slack: %s failed", what)

    async def drain(self) -> None:
        """Wait until the work started by every request so far has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- events ---------------------------------------------------------------------------------
    async def on_message(self, body: dict[str, Any], context: Mapping[str, Any]) -> None:
        """Start checking a new, edited or deleted message (Bolt has already acknowledged it)."""
        self._spawn(self.handle_message(body, context.get("bot_user_id")), "message")

    async def handle_message(self, body: Mapping[str, Any], own_user: str | None) -> None:
        """Run one message event through the core and act on the decision."""
        item = translate(body, own_user)
        if isinstance(item, Deletion):
            await self.core.engine.message_deleted(PLATFORM, item.community, item.message_id)
        elif item is not None:
            decision = await self.core.engine.handle(item)
            if not decision.duplicate:
                await self.act(decision)

    async def act(self, decision: Decision) -> None:
        """Deliver a decision: the author's notice, the moderators' log entry, allowed actions."""
        message = decision.message
        steps: list[tuple[str, Coroutine[Any, Any, None]]] = []
        if decision.notice is not None:
            steps.append(("reminder", self.remind(message, decision.notice)))
        if decision.moderator_alert is not None:
            steps.append(("moderators' log", self.log_for_moderators(message, decision)))
        if "delete" in decision.auto_actions:
            steps.append(("deletion", self.delete(message)))
        # One failing step (say, a log channel the bot is not in) must not stop the others.
        for what, step in steps:
            await self._guarded(step, what)

    async def remind(self, message: Message, notice: Notice) -> None:
        """Tell the author privately: ephemeral in the channel (or thread), and by DM if due."""
        rendered = blocks.notice(notice)
        delivered = True
        try:
            await self.client.chat_postEphemeral(
                channel=message.channel,
                user=message.author,
                text=rendered.text,
                blocks=rendered.blocks,
                thread_ts=slack_ts(message.thread) if message.thread else None,
            )
        except SlackApiError as exc:
            # e.g. user_not_in_channel: the DM below is then the only way to reach them.
            log.warning("slack: ephemeral reminder refused: %s", exc.response.get("error"))
            delivered = False
        if not delivered or (self.core.config.slack.dm_reminders and notice.kind in _DM_KINDS):
            opened = await self.client.conversations_open(users=message.author)
            where = blocks.about_message(message.channel)
            await self.client.chat_postMessage(
                channel=opened["channel"]["id"],
                text=rendered.text,
                blocks=[where, *rendered.blocks],
            )

    async def log_for_moderators(self, message: Message, decision: Decision) -> None:
        """Post the alert to the log channel, with a permalink and no content unless opted in."""
        alert: ModeratorAlert | None = decision.moderator_alert
        settings = self.core.config.settings_for(PLATFORM, message.community, message.channel)
        if alert is None or not settings.mod_log_channel:
            return
        permalink = alert.permalink
        if permalink is None:
            try:
                found = await self.client.chat_getPermalink(
                    channel=message.channel, message_ts=slack_ts(message.id)
                )
                permalink = found.get("permalink")
            except SlackApiError as exc:
                log.warning("slack: no permalink: %s", exc.response.get("error"))
        rendered = blocks.moderator_alert(alert, permalink, settings.show_content)
        await self.client.chat_postMessage(
            channel=settings.mod_log_channel,
            text=rendered.text,
            blocks=rendered.blocks,
            unfurl_links=False,
        )

    async def delete(self, message: Message) -> None:
        """Delete a message with the admin user token, the only token Slack lets do it."""
        if self.admin_client is None:
            log.info("slack: deletion is on but slack.admin_user_token_env is not set: skipped")
            return
        await self.admin_client.chat_delete(channel=message.channel, ts=slack_ts(message.id))

    async def on_app_home_opened(self, event: dict[str, Any]) -> None:
        """Publish the App Home tab: contents, official routes and the privacy notice."""
        if event.get("tab") == "home":
            self._spawn(self._publish_home(str(event["user"])), "app home")

    async def _publish_home(self, user: str) -> None:
        view = blocks.home(self.core.policy, self.core.moderation.privacy_notice())
        await self.client.views_publish(user_id=user, view=view)

    async def on_removed(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """Schedule the workspace's data for purging when the app is uninstalled."""
        revoked_bots = (event.get("tokens") or {}).get("bot")
        if event.get("type") == "app_uninstalled" or revoked_bots:
            team = str(body.get("team_id") or "")
            self._spawn(self.core.engine.bot_removed(PLATFORM, team), "uninstall")

    # -- commands -------------------------------------------------------------------------------
    async def on_policy(self, ack: Any, command: dict[str, Any]) -> None:
        """Answer ``/policy [query]`` with the clause, ephemerally."""
        result = self.core.policy.lookup(command.get("text") or "")
        rendered = blocks.lookup(result, self.core.policy.name)
        await ack(text=rendered.text, blocks=rendered.blocks, response_type="ephemeral")

    async def on_report(self, ack: Any) -> None:
        """Answer ``/report`` with the official routes, ephemerally."""
        rendered = blocks.notice(self.core.moderation.report_notice())
        await ack(text=rendered.text, blocks=rendered.blocks, response_type="ephemeral")

    async def on_privacy(self, ack: Any) -> None:
        """Answer ``/privacy`` with the privacy notice, ephemerally."""
        rendered = blocks.document(self.core.moderation.privacy_notice())
        await ack(text=rendered.text, blocks=rendered.blocks, response_type="ephemeral")

    async def on_mydata(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        """Answer ``/mydata`` with the member's own record, ephemerally, after the ack."""
        await ack()
        team, user = str(command.get("team_id")), str(command.get("user_id"))

        async def answer() -> None:
            record = await self.core.moderation.record(PLATFORM, team, user)
            rendered = blocks.reply(blocks.mrkdwn(record.render()))
            await respond(text=rendered.text, blocks=rendered.blocks, response_type="ephemeral")

        self._spawn(answer(), "/mydata")

    async def on_policybot(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        """Run a moderator's ``/policybot`` sub-command after the ack; refuse others politely."""
        await ack()
        self._spawn(self._moderate(command, respond), "/policybot")

    async def _moderate(self, command: Mapping[str, Any], respond: Any) -> None:
        team, actor = str(command.get("team_id")), str(command.get("user_id"))
        channel = str(command.get("channel_id") or "")
        if not await self.is_moderator(team, channel, actor):
            await self._say(respond, self._refusal())
            return
        words = str(command.get("text") or "").split()
        sub = words[0].lower() if words else ""
        args = words[1:]
        moderation = self.core.moderation
        if sub in ("strikes", "pardon", "erase"):
            target = _user_arg(args)
            if target is None:
                await self._say(respond, f"Name a member: {MODERATOR_COMMANDS[sub]}")
            elif sub == "strikes":
                record = await moderation.record(PLATFORM, team, target)
                await self._say(
                    respond, f"Record of <@{target}>:\n{blocks.mrkdwn(record.render())}"
                )
            elif sub == "pardon":
                count = await moderation.pardon(PLATFORM, team, target, actor)
                await self._say(respond, f"Pardoned {count} case(s) of <@{target}>.")
            else:
                count = await moderation.erase(PLATFORM, team, target, actor)
                await self._say(respond, f"Erased {count} record(s) about <@{target}>.")
        elif sub == "shadow" and args and args[0].lower() in ("on", "off"):
            on = args[0].lower() == "on"
            await moderation.set_shadow(PLATFORM, team, on, actor)
            state = "on: the bot observes and logs, and tells members nothing" if on else "off"
            await self._say(respond, f"Shadow mode is {state}.")
        elif sub == "check" and args:
            # /policybot escapes mentions and links: check the text as people would see it.
            text = parse_slack_text(str(command.get("text") or "").split(None, 1)[1]).text
            decision = await moderation.dry_run(text, PLATFORM, team, channel)
            await self._say(respond, blocks.dry_run_summary(decision))
        elif sub == "reload":
            problem = await self.reload_core()
            await self._say(
                respond,
                f"Not reloaded: {blocks.escape(problem)}"
                if problem
                else "Reloaded the config, the policy and its rules.",
            )
        else:
            await self._say(
                respond, "Moderator commands:\n" + "\n".join(MODERATOR_COMMANDS.values())
            )

    async def reload_core(self) -> str | None:
        """Re-read the config, policy and rules into the core; return the problem, if any."""
        problem = self.core.reload()
        if problem is None:
            log.info("slack: reloaded the config and the policy")
        return problem

    def _refusal(self) -> str:
        group = self.core.config.slack.moderator_usergroup
        who = "workspace admins" + (f" and members of the {group} user group" if group else "")
        return (
            f"Sorry, `/policybot` is for this workspace's moderators ({who}). Everyone can use "
            "`/policy`, `/report`, `/mydata` and `/privacy`."
        )

    async def _say(self, respond: Any, text: str) -> None:
        """Answer ephemerally through the response URL; ``text`` is mrkdwn."""
        rendered = blocks.reply(text)
        await respond(
            text=rendered.text,
            blocks=rendered.blocks,
            response_type="ephemeral",
            replace_original=False,
        )

    # -- buttons --------------------------------------------------------------------------------
    async def on_contest(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """Record the author's "This isn't a breach" for a moderator to review."""
        await ack()
        case_id, user = _action_value(body), str(body["user"]["id"])

        async def contest() -> None:
            ok = case_id.isdigit() and await self.core.moderation.contest(int(case_id), user)
            await self._say(
                respond,
                "Thanks: the moderators will look at it, and this reminder counts for nothing if "
                "they agree."
                if ok
                else "This reminder can't be contested any more (it may already be resolved).",
            )

        self._spawn(contest(), "contest")

    async def on_pardon(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """Pardon a member from the moderators' log (moderators only)."""
        await ack()
        target = _action_value(body)

        async def pardon(team: str, actor: str) -> None:
            count = await self.core.moderation.pardon(PLATFORM, team, target, actor)
            await self._say(respond, f"<@{actor}> pardoned {count} case(s) of <@{target}>.")

        self._spawn(self._as_moderator(body, respond, pardon), "pardon")

    async def on_dismiss(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """Mark a case as a false positive from the moderators' log (moderators only)."""
        await ack()
        case_id = _action_value(body)

        async def dismiss(team: str, actor: str) -> None:
            ok = case_id.isdigit() and await self.core.moderation.dismiss(int(case_id), actor)
            await self._say(
                respond,
                f"<@{actor}> marked case {case_id} as a false positive."
                if ok
                else f"Case {case_id} is no longer on record.",
            )

        self._spawn(self._as_moderator(body, respond, dismiss), "dismiss")

    async def _as_moderator(
        self,
        body: Mapping[str, Any],
        respond: Any,
        work: Callable[[str, str], Coroutine[Any, Any, None]],
    ) -> None:
        team = str((body.get("team") or {}).get("id") or body["user"].get("team_id"))
        actor = str(body["user"]["id"])
        channel = str((body.get("channel") or {}).get("id") or "")
        if await self.is_moderator(team, channel, actor):
            await work(team, actor)
        else:
            await self._say(respond, self._refusal())

    async def on_share(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """Post the clause from a ``/policy`` answer in the channel, for everyone."""
        await ack()
        try:
            clause = self.core.policy.clause(_action_value(body))
        except KeyError:
            return
        rendered = blocks.shared_clause(clause, self.core.policy.name, str(body["user"]["id"]))
        self._spawn(
            respond(
                text=rendered.text,
                blocks=rendered.blocks,
                response_type="in_channel",
                replace_original=False,
            ),
            "share",
        )

    # -- who moderates --------------------------------------------------------------------------
    async def is_moderator(self, community: str, channel: str, user: str) -> bool:
        """Return True for members of the moderators' user group(s) and workspace admins."""
        settings = self.core.config.settings_for(PLATFORM, community, channel or None)
        groups = [self.core.config.slack.moderator_usergroup, *settings.moderator_roles]
        for group in dict.fromkeys(g for g in groups if g):
            group_id = await self._usergroup_id(group)
            if group_id is None:
                continue
            try:
                members = await self.client.usergroups_users_list(usergroup=group_id)
            except SlackApiError as exc:
                log.warning("slack: user group %s: %s", group, exc.response.get("error"))
                continue
            if user in (members.get("users") or []):
                return True
        info = await self.client.users_info(user=user)
        person = info.get("user") or {}
        return bool(person.get("is_admin") or person.get("is_owner"))

    async def _usergroup_id(self, group: str) -> str | None:
        """Return a user group's id from its id or handle ("@mods" or "mods")."""
        if _USERGROUP_ID.match(group):
            return group
        if group not in self._usergroup_ids:
            handle = group.removeprefix("@").casefold()
            found = None
            try:
                listed = await self.client.usergroups_list()
                for g in listed.get("usergroups") or []:
                    if handle in (
                        str(g.get("handle", "")).casefold(),
                        str(g.get("name", "")).casefold(),
                    ):
                        found = str(g["id"])
            except SlackApiError as exc:
                log.warning("slack: cannot list user groups: %s", exc.response.get("error"))
            if found is None:
                log.warning("slack: moderator user group %r not found", group)
            self._usergroup_ids[group] = found
        return self._usergroup_ids[group]


class WithholdRequestBodies(logging.Filter):
    """Cut the request body from Bolt's "invalid signature" line: it holds members' messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record without the body; never drop it."""
        if str(record.msg).startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature detected (body withheld)", ()
        return True


def _bolt_logger() -> logging.Logger:
    # Bolt copies this logger's filters onto each logger it makes (request verification's too).
    logger = logging.getLogger("adapters.slack.bolt")
    if not any(isinstance(f, WithholdRequestBodies) for f in logger.filters):
        logger.addFilter(WithholdRequestBodies())
    return logger


def _with_rate_limit_retries(client: AsyncWebClient) -> AsyncWebClient:
    # slack-sdk retries nothing on 429 unless this handler is added.
    if not any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


def _user_arg(args: list[str]) -> str | None:
    match = _USER_REF.match(args[0]) if args else None
    return (match.group(1) or match.group(2)) if match else None


def _action_value(body: Mapping[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")
