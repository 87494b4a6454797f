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
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from adapters.slack.events import PLATFORM, Deletion, slack_ts, translate
from adapters.slack.installations import SlackOAuth
from adapters.slack.members import Directory, member_from
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

CONTESTED = (
    "Thanks: the moderators will review it. Until they do, it stays on your record; if they "
    "agree it wasn't a breach, it stops counting against you."
)
NOT_CONTESTABLE = (
    "This reminder can't be contested any more (you already contested it, or it was reviewed)."
)

MODERATOR_COMMANDS = {
    "strikes": "`/policybot strikes @member`: their record",
    "pardon": "`/policybot pardon @member`: pardon every case that counts",
    "erase": "`/policybot erase @member`: erase everything held about them",
    "clear-desist": "`/policybot clear-desist @member`: clear requests to stop made by or to them",
    "shadow": "`/policybot shadow on|off`: observe without telling members",
    "check": "`/policybot check TEXT`: what the bot would do with a text",
    "reload": "`/policybot reload`: reload the policy and rules",
}


class SlackAdapter:
    """Wire the core into a Bolt ``AsyncApp`` (``self.app``): one workspace, or many with OAuth.

    ``client`` carries the bot token; ``admin_client``, when given, carries a workspace admin's
    user token and is used only to delete messages (a bot token cannot delete other people's).
    With ``oauth`` the app serves every workspace that installs it: ``client`` then carries no
    token, Bolt finds each workspace's bot token in the installation store, and every reply
    goes out with the token of the workspace it answers.
    """

    def __init__(
        self,
        core: Core,
        client: AsyncWebClient,
        *,
        signing_secret: str = "",
        admin_client: AsyncWebClient | None = None,
        oauth: SlackOAuth | None = None,
    ) -> None:
        self.core = core
        self.oauth = oauth
        self.directory = Directory()
        self.client = _with_rate_limit_retries(client)
        self.admin_client = _with_rate_limit_retries(admin_client) if admin_client else None
        self._identity: AuthorizeResult | None = None
        self._identify_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._usergroup_ids: dict[tuple[str, str], str | None] = {}

        # Bolt gets a token-less twin of the client, so that it puts the right bot token on
        # each request's client itself.
        twin = AsyncWebClient(
            base_url=self.client.base_url,
            timeout=self.client.timeout,
            retry_handlers=list(self.client.retry_handlers),
        )
        if oauth is None:

            async def authorize() -> AuthorizeResult:
                return await self.identify()

            # Our authorize function makes the auth.test at start-up the only one (Bolt would
            # otherwise make its own on the first event).
            self.app = AsyncApp(
                name="policybot",
                client=twin,
                signing_secret=signing_secret,
                authorize=authorize,
                # Listeners only acknowledge and start a tracked task, so "before response"
                # costs nothing and guarantees the task exists by the time Slack has its answer.
                process_before_response=True,
                logger=_bolt_logger(),
            )
        else:
            self.app = AsyncApp(
                name="policybot",
                client=twin,
                signing_secret=signing_secret,
                # Bot tokens only, and auth.test once per token rather than once per request.
                # Bolt takes an AsyncAuthorize object here (checked at run time, not typed so).
                authorize=AsyncInstallationStoreAuthorize(  # type: ignore[arg-type]
                    logger=_bolt_logger(),
                    installation_store=oauth.installations,
                    client_id=oauth.client_id,
                    client_secret=oauth.client_secret,
                    bot_only=True,
                    cache_enabled=True,
                    client=twin,
                ),
                oauth_settings=AsyncOAuthSettings(
                    client_id=oauth.client_id,
                    client_secret=oauth.client_secret,
                    scopes=list(oauth.scopes),
                    redirect_uri=oauth.redirect_uri,
                    installation_store=oauth.installations,
                    installation_store_bot_only=True,
                    state_store=oauth.states,
                    callback_options=AsyncCallbackOptions(
                        success=self._installed, failure=_default_failure
                    ),
                ),
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
            "team_join": self.on_member,
            "user_change": self.on_member,
        }
        self.actions: dict[str, Handler] = {
            blocks.CONTEST: self.on_contest,
            blocks.PARDON: self.on_pardon,
            blocks.DISMISS: self.on_dismiss,
            blocks.UPHOLD: self.on_uphold,
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

    def _client(self, context: Mapping[str, Any]) -> AsyncWebClient:
        """Return the client to answer a request with: its workspace's, with OAuth."""
        if self.oauth is None:
            return self.client
        client: AsyncWebClient = context["client"]
        return client

    async def _installed(self, args: AsyncSuccessArgs) -> BoltResponse:
        """Cancel any pending purge of a workspace that (re)installed the app; say it worked."""
        team = args.installation.team_id or args.installation.enterprise_id or ""
        await self.core.engine.bot_added(PLATFORM, team)
        log.info("slack: installed in %s (%s)", args.installation.team_name, team)
        return await args.default.success(args)

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
        self._spawn(
            self.handle_message(body, context.get("bot_user_id"), self._client(context)), "message"
        )

    async def handle_message(
        self, body: Mapping[str, Any], own_user: str | None, client: AsyncWebClient | None = None
    ) -> None:
        """Run one message event through the core and act on the decision."""
        item = translate(body, own_user)
        if isinstance(item, Deletion):
            withdrawal = await self.core.engine.message_deleted(
                PLATFORM, item.community, item.message_id
            )
            if withdrawal.alert is not None:
                # A repeated post-and-delete: the strike stands and the moderators hear of it.
                await self.post_alert(item.community, withdrawal.alert, client)
        elif item is not None:
            decision = await self.core.engine.handle(item)
            if not decision.duplicate:
                await self.act(decision, client)

    async def act(self, decision: Decision, client: AsyncWebClient | None = None) -> None:
        """Deliver a decision: the author's notice, the moderators' log entry, allowed actions.

        ``client`` carries the token of the decision's workspace (the bot token by default).
        """
        message = decision.message
        client = client or self.client
        steps: list[tuple[str, Coroutine[Any, Any, None]]] = []
        if decision.notice is not None:
            steps.append(("reminder", self.remind(message, decision.notice, client)))
        if decision.moderator_alert is not None:
            steps.append(("moderators' log", self.log_for_moderators(message, decision, client)))
        if "delete" in decision.auto_actions:
            steps.append(("deletion", self.delete(message)))
        # One failing step (say, a log channel the bot is not in) must not stop the others.
        for what, step in steps:
            await self._guarded(step, what)

    async def remind(
        self, message: Message, notice: Notice, client: AsyncWebClient | None = None
    ) -> None:
        """Tell the author privately: ephemeral in the channel (or thread), and by DM if due.

        A notice about a display name has no channel: it goes by DM only.
        """
        client = client or self.client
        rendered = blocks.notice(notice)
        delivered = False
        if message.channel:
            try:
                await client.chat_postEphemeral(
                    channel=message.channel,
                    user=message.author,
                    text=rendered.text,
                    blocks=rendered.blocks,
                    thread_ts=slack_ts(message.thread) if message.thread else None,
                )
                delivered = True
            except SlackApiError as exc:
                # e.g. user_not_in_channel: the DM below is then the only way to reach them.
                log.warning("slack: ephemeral reminder refused: %s", exc.response.get("error"))
        if not delivered or (self.core.config.slack.dm_reminders and notice.kind in _DM_KINDS):
            opened = await client.conversations_open(users=message.author)
            where = blocks.about_message(message.channel)
            await client.chat_postMessage(
                channel=opened["channel"]["id"],
                text=rendered.text,
                blocks=[where, *rendered.blocks],
            )

    async def log_for_moderators(
        self, message: Message, decision: Decision, client: AsyncWebClient | None = None
    ) -> None:
        """Post the decision's alert to the log channel (see :meth:`post_alert`)."""
        if decision.moderator_alert is not None:
            await self.post_alert(message.community, decision.moderator_alert, client)

    async def post_alert(
        self, community: str, alert: ModeratorAlert, client: AsyncWebClient | None = None
    ) -> bool:
        """Post an alert to the community's log channel; return whether it has one to post to.

        The entry carries a permalink and no content unless the settings opt in.
        """
        client = client or self.client
        settings = self.core.config.settings_for(PLATFORM, community, alert.channel or None)
        if not settings.mod_log_channel:
            return False
        permalink = alert.permalink
        if permalink is None and alert.channel:
            try:
                found = await client.chat_getPermalink(
                    channel=alert.channel, message_ts=slack_ts(alert.message_id)
                )
                permalink = found.get("permalink")
            except SlackApiError as exc:
                log.warning("slack: no permalink: %s", exc.response.get("error"))
        rendered = blocks.moderator_alert(alert, permalink, settings.show_content)
        await client.chat_postMessage(
            channel=settings.mod_log_channel,
            text=rendered.text,
            blocks=rendered.blocks,
            unfurl_links=False,
        )
        return True

    async def delete(self, message: Message) -> None:
        """Delete a message with the admin user token, the only token Slack lets do it."""
        if self.admin_client is None:
            log.info("slack: deletion is on but slack.admin_user_token_env is not set: skipped")
            return
        await self.admin_client.chat_delete(channel=message.channel, ts=slack_ts(message.id))

    async def on_app_home_opened(self, event: dict[str, Any], context: Mapping[str, Any]) -> None:
        """Publish the App Home tab: contents, official routes and the privacy notice."""
        if event.get("tab") == "home":
            self._spawn(self._publish_home(str(event["user"]), self._client(context)), "app home")

    async def _publish_home(self, user: str, client: AsyncWebClient) -> None:
        view = blocks.home(self.core.policy, self.core.moderation.privacy_notice())
        await client.views_publish(user_id=user, view=view)

    async def on_removed(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """Schedule the workspace's data for purging when the app is uninstalled.

        With OAuth its installation (the bot token) is forgotten at once: Slack has revoked it.
        """
        revoked_bots = (event.get("tokens") or {}).get("bot")
        if event.get("type") == "app_uninstalled" or revoked_bots:
            team = str(body.get("team_id") or "")
            self._spawn(self.core.engine.bot_removed(PLATFORM, team), "uninstall")
            self.directory.forget(team)
            if self.oauth is not None:
                enterprise = body.get("enterprise_id")
                self._spawn(
                    self.oauth.installations.async_delete_all(
                        enterprise_id=enterprise, team_id=team
                    ),
                    "forgetting the installation",
                )

    async def on_member(
        self, body: dict[str, Any], event: dict[str, Any], context: Mapping[str, Any]
    ) -> None:
        """Check the display name of a member who joined or changed their profile."""
        team = str(body.get("team_id") or "")
        joined = event.get("type") == "team_join"
        self._spawn(
            self._check_member(team, event.get("user"), joined, self._client(context)),
            "member check",
        )

    async def _check_member(
        self, team: str, user: object, joined: bool, client: AsyncWebClient
    ) -> None:
        await self.check_member(team, user, joined=joined, client=client)

    async def check_member(
        self,
        team: str,
        user: object,
        *,
        joined: bool = False,
        client: AsyncWebClient | None = None,
    ) -> Decision | None:
        """Run a member's display name through the core's impersonation check; act on it.

        ``user`` is the user object of a ``team_join`` or ``user_change`` event. A change that
        leaves the name as it was (a new status or photo) is not checked again.
        """
        client = client or self.client
        member = member_from(user)
        if member is None or not team:
            return None
        known = self.directory.known(team)
        roster = await self.directory.roster(team, client)
        before = roster.update(member)
        if known and not joined and before == member.display_name:
            return None
        others = {uid: name for uid, name in roster.names.items() if uid != member.user_id}
        moderators = roster.admins | await self._group_members(team, "", client)
        decision = await self.core.engine.check_member(
            PLATFORM, team, member.user_id, member.display_name, others, moderators
        )
        if decision is not None and not decision.duplicate:
            await self.act(decision, client)
        return decision

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

    async def on_policybot(
        self, ack: Any, command: dict[str, Any], respond: Any, context: Mapping[str, Any]
    ) -> None:
        """Run a moderator's ``/policybot`` sub-command after the ack; refuse others politely."""
        await ack()
        self._spawn(self._moderate(command, respond, self._client(context)), "/policybot")

    async def _moderate(
        self, command: Mapping[str, Any], respond: Any, client: AsyncWebClient
    ) -> None:
        team, actor = str(command.get("team_id")), str(command.get("user_id"))
        channel = str(command.get("channel_id") or "")
        if not await self.is_moderator(team, channel, actor, client):
            await self._say(respond, self._refusal())
            return
        words = str(command.get("text") or "").split()
        sub = words[0].lower() if words else ""
        args = words[1:]
        moderation = self.core.moderation
        if sub in ("strikes", "pardon", "erase", "clear-desist"):
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
            elif sub == "clear-desist":
                count = await moderation.clear_desists(PLATFORM, team, target, actor)
                await self._say(
                    respond, f"Cleared {count} request(s) to stop involving <@{target}>."
                )
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
    async def on_contest(
        self, ack: Any, body: dict[str, Any], respond: Any, context: Mapping[str, Any]
    ) -> None:
        """Record the author's "This isn't a breach" and show it to the moderators."""
        await ack()
        case_key, user = _action_value(body), str(body["user"]["id"])
        client = self._client(context)

        async def contest() -> None:
            alert = await self.core.moderation.contest(case_key, user, PLATFORM)
            await self._say(respond, CONTESTED if alert is not None else NOT_CONTESTABLE)
            if alert is None:
                return
            # The press may come from a DM: the case, not the press, says whose log it goes to.
            case = await self.core.moderation.find_case(case_key)
            if case is not None and not await self.post_alert(case.community, alert, client):
                log.warning("slack: case %s was contested but no mod_log_channel is set", case.id)

        self._spawn(contest(), "contest")

    async def on_pardon(
        self, ack: Any, body: dict[str, Any], respond: Any, context: Mapping[str, Any]
    ) -> None:
        """Pardon a member from the moderators' log (moderators only)."""
        await ack()
        target = _action_value(body)

        async def pardon(team: str, actor: str) -> None:
            count = await self.core.moderation.pardon(PLATFORM, team, target, actor)
            await self._say(respond, f"<@{actor}> pardoned {count} case(s) of <@{target}>.")

        self._spawn(self._as_moderator(body, respond, pardon, self._client(context)), "pardon")

    async def on_dismiss(
        self, ack: Any, body: dict[str, Any], respond: Any, context: Mapping[str, Any]
    ) -> None:
        """Mark a case as a false positive from the moderators' log (moderators only)."""
        await self._review_case(
            ack,
            body,
            respond,
            context,
            "dismiss",
            done="marked case {case} as a false positive.",
            refused="That case is not on record in this workspace.",
        )

    async def on_uphold(
        self, ack: Any, body: dict[str, Any], respond: Any, context: Mapping[str, Any]
    ) -> None:
        """Uphold a contested case from the moderators' log (moderators only): it keeps counting."""
        await self._review_case(
            ack,
            body,
            respond,
            context,
            "uphold",
            done="upheld case {case}: it keeps counting.",
            refused="That case is not awaiting review in this workspace.",
        )

    async def _review_case(
        self,
        ack: Any,
        body: dict[str, Any],
        respond: Any,
        context: Mapping[str, Any],
        verdict: str,
        *,
        done: str,
        refused: str,
    ) -> None:
        """Apply a moderator's verdict (``dismiss`` or ``uphold``) on the case a button names."""
        await ack()
        case_key = _action_value(body)
        apply = getattr(self.core.moderation, verdict)

        async def review(team: str, actor: str) -> None:
            # The case must be this workspace's: the presser's rights were checked here.
            case = await apply(PLATFORM, team, case_key, actor)
            text = f"<@{actor}> {done}".format(case=case.id) if case is not None else refused
            await self._say(respond, text)

        self._spawn(self._as_moderator(body, respond, review, self._client(context)), verdict)

    async def _as_moderator(
        self,
        body: Mapping[str, Any],
        respond: Any,
        work: Callable[[str, str], Coroutine[Any, Any, None]],
        client: AsyncWebClient,
    ) -> None:
        team = str((body.get("team") or {}).get("id") or body["user"].get("team_id"))
        actor = str(body["user"]["id"])
        channel = str((body.get("channel") or {}).get("id") or "")
        if await self.is_moderator(team, channel, actor, client):
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
    async def is_moderator(
        self, community: str, channel: str, user: str, client: AsyncWebClient | None = None
    ) -> bool:
        """Return True for members of the moderators' user group(s) and workspace admins."""
        client = client or self.client
        for group_id in await self._moderator_groups(community, channel, client):
            try:
                members = await client.usergroups_users_list(usergroup=group_id)
            except SlackApiError as exc:
                log.warning("slack: user group %s: %s", group_id, exc.response.get("error"))
                continue
            if user in (members.get("users") or []):
                return True
        info = await client.users_info(user=user)
        person = info.get("user") or {}
        return bool(person.get("is_admin") or person.get("is_owner"))

    async def _group_members(
        self, community: str, channel: str, client: AsyncWebClient
    ) -> set[str]:
        """Return every member of the moderators' user group(s)."""
        found: set[str] = set()
        for group_id in await self._moderator_groups(community, channel, client):
            try:
                members = await client.usergroups_users_list(usergroup=group_id)
            except SlackApiError as exc:
                log.warning("slack: user group %s: %s", group_id, exc.response.get("error"))
                continue
            found.update(str(u) for u in members.get("users") or [])
        return found

    async def _moderator_groups(
        self, community: str, channel: str, client: AsyncWebClient
    ) -> list[str]:
        """Return the ids of the moderators' user groups the config names for a channel."""
        settings = self.core.config.settings_for(PLATFORM, community, channel or None)
        groups = [self.core.config.slack.moderator_usergroup, *settings.moderator_roles]
        ids = []
        for group in dict.fromkeys(g for g in groups if g):
            group_id = await self._usergroup_id(community, group, client)
            if group_id is not None:
                ids.append(group_id)
        return ids

    async def _usergroup_id(self, community: str, group: str, client: AsyncWebClient) -> str | None:
        """Return a user group's id from its id or handle ("@mods" or "mods") in a workspace."""
        if _USERGROUP_ID.match(group):
            return group
        key = (community, group)
        if key not in self._usergroup_ids:
            handle = group.removeprefix("@").casefold()
            found = None
            try:
                listed = await client.usergroups_list()
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
            self._usergroup_ids[key] = found
        return self._usergroup_ids[key]


class WithholdRequestBodies(logging.Filter):
    """Cut the request body from Bolt's "invalid signature" line: it holds members' messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record without the body; never drop it."""
        if str(record.msg).startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature detected (body withheld)", ()
        return True


class DropTokenUnused(logging.Filter):
    """Drop Bolt's "`token` will be unused" warning, which is about nothing the operator did.

    Bolt reads SLACK_BOT_TOKEN from the environment by itself, and warns that it is unused
    because the adapter hands it a client (token-less on purpose: each request gets its own
    bot token from our authorize function). The operator set the variable for policybot.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Return False for that one warning only."""
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _bolt_logger() -> logging.Logger:
    # Bolt copies this logger's filters onto each logger it makes (request verification's too).
    logger = logging.getLogger("adapters.slack.bolt")
    for kind in (WithholdRequestBodies, DropTokenUnused):
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
    return logger


def _with_rate_limit_retries(client: AsyncWebClient) -> AsyncWebClient:
    # slack-sdk retries nothing on 429 unless this handler is added.
    if not any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


async def _default_failure(args: AsyncFailureArgs) -> BoltResponse:
    """Answer a failed install with Bolt's own page."""
    return await args.default.failure(args)


def _user_arg(args: list[str]) -> str | None:
    match = _USER_REF.match(args[0]) if args else None
    return (match.group(1) or match.group(2)) if match else None


def _action_value(body: Mapping[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")
