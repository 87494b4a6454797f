"""The engine end to end on real objects: findings → one decision → stored case, ladder and all."""

from __future__ import annotations

import itertools

import pytest

from bot.app import Core
from bot.decision import Action
from bot.finding import Finding
from bot.message import Message
from bot.store import CaseStatus
from bot.taxonomy import Severity
from tests.bot.conftest import Clock, CoreFactory

PHONE = "ring Jess on 07700 900123, tell her what you think of her"
THREAT = "I know where you live and I'm coming for you"
_ids = itertools.count(1)


def msg(text: str, author: str = "alex", channel: str = "general", **kw: object) -> Message:
    n = str(next(_ids))
    return Message(
        id=kw.pop("id", n),  # type: ignore[arg-type]
        text=text,
        author=author,
        channel=channel,
        community="soc",
        platform="discord",
        **kw,  # type: ignore[arg-type]
    )


async def test_first_personal_info_is_a_private_reminder_citing_4_5(core: Core) -> None:
    d = await core.engine.handle(msg(PHONE))
    assert d.action is Action.REMIND and d.step == 1
    assert [f.label for f in d.violations] == ["personal-info"]
    assert d.notice is not None and "4.5" in d.notice.clauses
    assert "clause 4.5" in d.notice.body
    assert d.moderator_alert is None and d.auto_actions == ()
    case = await core.store.get_case(d.case_id or 0)
    assert case is not None and case.content is None  # privacy: no content by default
    assert case.labels == ("personal-info",) and case.status is CaseStatus.ACTIVE


async def test_ladder_remind_warn_escalate_then_decays(core: Core, clock: Clock) -> None:
    actions = []
    for _ in range(3):
        d = await core.engine.handle(msg(PHONE))
        actions.append(d.action)
        clock.advance(minutes=11)  # past the per-channel rate limit
    assert actions == [Action.REMIND, Action.WARN, Action.ESCALATE]
    clock.advance(days=31)
    d = await core.engine.handle(msg(PHONE))
    assert d.action is Action.REMIND and d.step == 1


async def test_second_offence_notifies_moderators(core: Core, clock: Clock) -> None:
    await core.engine.handle(msg(PHONE))
    clock.advance(minutes=11)
    d = await core.engine.handle(msg(PHONE))
    assert d.moderator_alert is not None
    assert d.moderator_alert.level == "log" and d.moderator_alert.step == 2
    assert d.moderator_alert.clauses == ("4.5",) and d.moderator_alert.content is None


async def test_high_severity_escalates_at_once(core: Core) -> None:
    d = await core.engine.handle(msg(THREAT))
    assert d.action is Action.ESCALATE
    assert d.moderator_alert is not None and d.moderator_alert.level == "alert"


async def test_auto_actions_only_where_enabled(make_core: CoreFactory) -> None:
    off = await make_core()
    assert (await off.engine.handle(msg(THREAT))).auto_actions == ()
    on = await make_core({"defaults": {"actions": {"delete": True, "timeout": True}}})
    d = await on.engine.handle(msg(THREAT, author="blake"))
    assert d.auto_actions == ("delete", "timeout") and d.timeout_minutes == 10


async def test_rate_limit_one_reminder_per_user_per_channel(core: Core, clock: Clock) -> None:
    first = await core.engine.handle(msg(PHONE))
    clock.advance(minutes=2)
    second = await core.engine.handle(msg(PHONE))
    other_channel = await core.engine.handle(msg(PHONE, channel="events"))
    assert first.notice is not None
    assert second.notice is None and second.action is Action.WARN  # still counted, not re-sent
    assert other_channel.notice is not None


async def test_same_event_twice_gives_one_decision(core: Core) -> None:
    m = msg(PHONE, idempotency_key="evt-1")
    first = await core.engine.handle(m)
    again = await core.engine.handle(m)
    assert first.case_id and not first.duplicate
    assert again.duplicate and again.notice is None and again.case_id is None
    assert len(await core.store.cases_for_user("discord", "soc", "alex")) == 1


async def test_several_detectors_one_decision_harshest_wins(core: Core) -> None:
    d = await core.engine.handle(msg(f"{THREAT}. {PHONE}"))
    assert {f.label for f in d.violations} >= {"personal-info"}
    assert d.action is Action.ESCALATE
    assert len(await core.store.cases_for_user("discord", "soc", "alex")) == 1


async def test_shadow_mode_sends_only_to_moderators(make_core: CoreFactory) -> None:
    core = await make_core({"defaults": {"shadow": True}})
    d = await core.engine.handle(msg(PHONE))
    assert d.shadow and d.notice is None
    assert d.moderator_alert is not None and d.moderator_alert.shadow
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 0


async def test_moderator_shadow_switch_wins_and_is_audited(core: Core) -> None:
    await core.moderation.set_shadow("discord", "soc", True, actor="mod")
    assert (await core.engine.handle(msg(PHONE))).shadow
    await core.moderation.set_shadow("discord", "soc", False, actor="mod")
    assert not (await core.engine.handle(msg(PHONE, author="blake"))).shadow
    actions = [a.action for a in await core.store.audit_log("discord", "soc")]
    assert actions[:2] == ["shadow-off", "shadow-on"]


async def test_pardon_resets_the_ladder_and_erase_removes_everything(
    core: Core, clock: Clock
) -> None:
    for _ in range(2):
        await core.engine.handle(msg(PHONE))
        clock.advance(minutes=11)
    assert await core.moderation.pardon("discord", "soc", "alex", actor="mod") == 2
    assert (await core.engine.handle(msg(PHONE))).action is Action.REMIND
    assert await core.moderation.erase("discord", "soc", "alex", actor="mod") > 0
    record = await core.moderation.record("discord", "soc", "alex")
    assert record.cases == () and "No record" in record.render()
    audit = [(a.action, a.actor) for a in await core.store.audit_log("discord", "soc")]
    assert ("pardon", "mod") in audit and ("erase", "mod") in audit


async def test_deleting_after_the_reminder_costs_no_strike(core: Core, clock: Clock) -> None:
    d = await core.engine.handle(msg(PHONE, id="m1"))
    clock.advance(minutes=5)
    assert (await core.engine.message_deleted("discord", "soc", "m1")).withdrawn == 1
    assert (await core.store.get_case(d.case_id or 0)).status is CaseStatus.WITHDRAWN  # type: ignore[union-attr]
    clock.advance(minutes=11)
    assert (await core.engine.handle(msg(PHONE))).action is Action.REMIND


async def test_fixing_the_message_by_edit_withdraws_the_strike(core: Core, clock: Clock) -> None:
    original = msg(PHONE, id="m2")
    d = await core.engine.handle(original)
    clock.advance(minutes=3)
    fixed = msg("ring Jess later, tell her what you think", id="m2", edited_at=clock.now)
    after = await core.engine.handle(fixed)
    assert after.action is Action.NONE and after.notice is None
    assert (await core.store.get_case(d.case_id or 0)).status is CaseStatus.WITHDRAWN  # type: ignore[union-attr]


async def test_edit_still_breaching_is_not_a_second_strike(core: Core, clock: Clock) -> None:
    await core.engine.handle(msg(PHONE, id="m3"))
    clock.advance(minutes=30)
    again = await core.engine.handle(msg(PHONE + "!", id="m3", edited_at=clock.now))
    assert again.action is Action.NONE and again.notice is None
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 1


@pytest.mark.parametrize(
    ("text", "route", "kind"),
    [
        ("how do I report someone for harassment?", "report-intent", "report"),
        ("honestly I want to die, I can't go on", "wellbeing-risk", "wellbeing"),
    ],
)
async def test_routes_are_private_pointers_never_strikes(
    core: Core, text: str, route: str, kind: str
) -> None:
    d = await core.engine.handle(msg(text))
    assert d.action is Action.NONE and route in d.routes and not d.violations
    assert d.notice is not None and d.notice.kind == kind
    assert await core.store.cases_for_user("discord", "soc", "alex") == []


async def test_report_notice_lists_the_official_routes(core: Core) -> None:
    notice = core.moderation.report_notice()
    contacts = " ".join(r.contact for r in notice.routes)
    assert "security@dmu.ac.uk" in contacts and "(0116) 257 7642" in contacts
    assert "999" in contacts


async def test_wellbeing_contact_comes_from_config_only(make_core: CoreFactory) -> None:
    bare = await make_core()
    assert "wellbeing" not in [r.id for r in bare.engine.notices.wellbeing_support().routes]
    filled = await make_core(
        {"wellbeing": {"name": "Student Wellbeing", "contact": "wellbeing@example.ac.uk"}}
    )
    routes = {r.id: r for r in filled.engine.notices.wellbeing_support().routes}
    assert routes["wellbeing"].contact == "wellbeing@example.ac.uk"
    assert "116 123" in routes["samaritans"].contact


async def test_exempt_channels_and_bots_are_not_checked(make_core: CoreFactory) -> None:
    core = await make_core({"defaults": {"exempt_channels": ["mods"]}})
    assert (await core.engine.handle(msg(PHONE, channel="mods"))).exempt
    assert (await core.engine.handle(msg(PHONE, is_bot=True))).action is Action.NONE


async def test_desist_request_then_contact_is_repeated_unwanted_contact(
    make_core: CoreFactory, clock: Clock
) -> None:
    core = await make_core()
    await core.engine.handle(msg("lol nice hat", author="alex", id="a1", author_name="Alex"))
    await core.engine.handle(
        msg(
            "please stop messaging me",
            author="jess",
            reply_to="a1",
            reply_to_author="alex",
            author_name="Jess",
        )
    )
    clock.advance(hours=2)
    # The state survives a restart: a new core on the same database.
    restarted = await make_core()
    d = await restarted.engine.handle(
        msg("hey <@jess> you there?", author="alex", mentions=("jess",))
    )
    assert [f.label for f in d.violations] == ["repeated-unwanted-contact"]
    assert d.violations[0].clauses == ("5.2",)
    other = await restarted.engine.handle(msg("hey <@sam>", author="alex", mentions=("sam",)))
    assert not other.violations
    clock.advance(days=15)
    late = await restarted.engine.handle(msg("hey <@jess>", author="alex", mentions=("jess",)))
    assert not late.violations


async def test_contest_then_dismiss_is_counted_as_a_false_positive(core: Core) -> None:
    d = await core.engine.handle(msg(PHONE))
    assert d.case_id is not None
    assert not await core.moderation.contest(d.case_id, user="someone-else", platform="discord")
    assert await core.moderation.contest(d.case_id, user="alex", platform="discord")
    assert [c.id for c in await core.moderation.contested("discord", "soc")] == [d.case_id]
    assert await core.moderation.dismiss("discord", "soc", d.case_id, actor="mod")
    counts = await core.store.dismissal_counts("discord", "soc")
    assert [(label, n) for label, _rule, n in counts] == [("personal-info", 1)]
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 0


async def test_export_case_has_ids_clauses_and_no_content(core: Core) -> None:
    await core.engine.handle(msg(PHONE, permalink="https://chat.example/m/1"))
    export = await core.moderation.export_case("discord", "soc", "alex")
    case = export["cases"][0]  # type: ignore[index]
    assert case["clauses"] == ["4.5"] and case["link"] == "https://chat.example/m/1"
    assert "content" not in case
    assert "Student Complaints Procedure" in core.moderation.export_markdown(export)


async def test_bot_removed_purges_after_grace(core: Core, clock: Clock) -> None:
    await core.engine.handle(msg(PHONE))
    await core.engine.bot_removed("discord", "soc")
    clock.advance(days=13)
    assert (await core.engine.housekeeping())[1] == []
    clock.advance(days=2)
    assert (await core.engine.housekeeping())[1] == [("discord", "soc")]
    assert await core.store.cases_for_user("discord", "soc", "alex") == []


async def test_dry_run_changes_nothing(core: Core) -> None:
    d = await core.moderation.dry_run(PHONE, "discord", "soc", "general")
    assert d.action is Action.REMIND and d.case_id is None
    assert await core.store.cases_for_user("discord", "soc", "dry-run") == []


def test_one_finding_per_label_the_strongest(core: Core) -> None:
    weak = Finding("mocking", ("5.2",), Severity.MEDIUM, 0.6, "weak")
    strong = Finding("mocking", ("5.2",), Severity.MEDIUM, 0.9, "strong")
    other = Finding("rumours", ("5.2",), Severity.MEDIUM, 0.7, "other")
    settings = core.config.settings_for("discord", "soc", "general")
    kept = core.engine.counted([weak, other, strong], settings)
    assert [(f.label, f.evidence) for f in kept] == [("mocking", "strong"), ("rumours", "other")]


@pytest.mark.parametrize("size", [3_999, 40_000, 250_000])
async def test_huge_messages_are_checked_in_pieces(core: Core, size: int) -> None:
    # The breach comes last: padding a message cannot push it out of what is read.
    filler = "we hiked up Kinder Scout and the view was lovely. " * (size // 50)
    text = (filler + PHONE)[-size:]
    d = await core.engine.handle(msg(text))
    assert [f.label for f in d.violations] == ["personal-info"]


@pytest.mark.parametrize(
    ("text", "remembered"),
    [
        ("see you at film night", False),
        ("how do I report someone for harassment?", True),
        (PHONE, True),
    ],
)
async def test_only_a_message_that_needs_answering_claims_its_event(
    core: Core, text: str, remembered: bool
) -> None:
    await core.engine.handle(msg(text, idempotency_key="evt-9"))
    assert await core.store.seen_event("discord", "evt-9") is remembered


async def test_a_redelivered_desist_request_changes_nothing(core: Core, clock: Clock) -> None:
    request = msg("please stop messaging me", author="jess", reply_to_author="alex", id="r1")
    asked_at = clock.now
    first = await core.engine.handle(request)
    clock.advance(hours=1)
    again = await core.engine.handle(request)
    assert not first.duplicate and again.duplicate
    [stored] = await core.store.active_desists("discord", "soc", "alex", clock.now)
    assert stored.created_at == asked_at


@pytest.mark.parametrize(
    ("text", "contacts"),
    [
        ("jess is so annoying", True),
        ("what did Jess say?", True),
        ("the jester was annoying", False),
        ("see you at film night", False),
    ],
)
async def test_naming_the_member_who_asked_to_stop_is_contact(
    core: Core, text: str, contacts: bool
) -> None:
    await core.engine.handle(msg("lol nice hat", author="alex", id="a1", author_name="Alex"))
    await core.engine.handle(
        msg(
            "please stop messaging me", author="jess", reply_to_author="alex", author_name="Jess Ng"
        )
    )
    d = await core.engine.handle(msg(text, author="alex"))
    assert ("repeated-unwanted-contact" in [f.label for f in d.violations]) is contacts


async def _bob_asks_jess_to_stop(core: Core) -> None:
    """Bob (a harasser, say) asks Jess to stop first; Sam is in the society too."""
    for user, name in (("jess", "Jess"), ("sam", "Sam"), ("bob", "Bob")):
        await core.engine.handle(msg("hi all", author=user, author_name=name))
    await core.engine.handle(
        msg("@jess leave me alone", author="bob", mentions=("jess",), author_name="Bob")
    )
    assert await core.store.active_desists("discord", "soc", "jess", core.engine.clock())


@pytest.mark.parametrize(
    ("text", "mentions", "contact"),
    [
        # asking for help, reporting and saying so are never unwanted contact
        ("Bob keeps sending me horrible DMs, can a mod help?", (), False),
        ("@mods Bob is harassing me", ("mods-role",), False),
        ("I've reported Bob to the Student Complaints Procedure", (), False),
        ("how do I report Bob for what he keeps doing?", (), False),
        ("<@bob> leave me alone", ("bob",), False),
        # naming Bob among others is not aimed at him
        ("Sam, Bob and I are going to film night", (), False),
        # aimed at Bob: a mention, or talking about him alone
        ("hey <@bob> you there?", ("bob",), True),
        ("bob is so annoying", (), True),
    ],
)
async def test_the_desist_rule_cannot_be_turned_against_the_person_it_protects(
    core: Core, text: str, mentions: tuple[str, ...], contact: bool
) -> None:
    await _bob_asks_jess_to_stop(core)
    d = await core.engine.handle(msg(text, author="jess", mentions=mentions, author_name="Jess"))
    assert ("repeated-unwanted-contact" in [f.label for f in d.violations]) is contact


@pytest.mark.parametrize(
    ("text", "mentions", "sincere"),
    [
        ("@dana please stop 😂 I'm crying laughing", ("dana",), False),
        ("@dana please stop lmao", ("dana",), False),
        ("@dana please stop lads", ("dana",), False),
        ("guys please stop @dana", ("dana",), False),
        ("@dana @finn please stop", ("dana", "finn"), False),
        ("@dana you lot please stop", ("dana",), False),
        ("@dana please stop hahahaha", ("dana",), False),
        ("@dana please stop messaging me", ("dana",), True),
        ("@dana please stop telling everyone about me", ("dana",), True),
        # "all" opens or closes a group address; inside a sentence it is just a word.
        ("@dana please stop messaging me at all hours", ("dana",), True),
    ],
)
async def test_a_desist_request_is_sincere_and_aimed_at_one_person(
    core: Core, clock: Clock, text: str, mentions: tuple[str, ...], sincere: bool
) -> None:
    await core.engine.handle(msg("hi", author="erin", author_name="Erin"))
    await core.engine.handle(msg(text, author="erin", mentions=mentions, author_name="Erin"))
    clock.advance(hours=1)
    later = await core.engine.handle(msg("hey <@erin>", author="dana", mentions=("erin",)))
    assert ("repeated-unwanted-contact" in [f.label for f in later.violations]) is sincere


async def test_moderators_see_and_clear_a_desist_record(core: Core) -> None:
    await _bob_asks_jess_to_stop(core)
    record = await core.moderation.record("discord", "soc", "jess")
    assert [(d.requester, d.target) for d in record.desists] == [("bob", "jess")]
    assert "member bob asked this member to stop contacting them" in record.render()
    bobs = (await core.moderation.record("discord", "soc", "bob")).render()
    assert "this member asked member jess to stop" in bobs

    assert await core.moderation.clear_desists("discord", "soc", "jess", actor="mod") == 1
    d = await core.engine.handle(msg("hey <@bob>", author="jess", mentions=("bob",)))
    assert not d.violations
    assert (await core.moderation.record("discord", "soc", "jess")).desists == ()
    [entry] = [a for a in await core.store.audit_log("discord", "soc") if a.actor == "mod"]
    assert (entry.action, entry.subject) == ("clear-desists", "jess")


async def test_post_delete_repeat_is_a_kindness_once_then_reaches_the_moderators(
    core: Core, clock: Clock
) -> None:
    decisions, withdrawals = [], []
    for n in range(6):
        decisions.append(await core.engine.handle(msg(PHONE, id=f"pd{n}")))
        clock.advance(minutes=2)
        withdrawals.append(await core.engine.message_deleted("discord", "soc", f"pd{n}"))
        clock.advance(minutes=11)
    assert [w.withdrawn for w in withdrawals] == [1, 0, 0, 0, 0, 0]
    assert withdrawals[0].alert is None
    for w in withdrawals[1:3]:  # refused: the strike stands and the moderators hear of it
        assert w.alert is not None and w.alert.user == "alex"
    # escalated messages were never withdrawable: the moderators had the alert already
    assert withdrawals[1].alert is not None
    assert withdrawals[1].alert.summary.startswith("2 flagged messages taken back in 30 days")
    assert [d.action for d in decisions] == [Action.REMIND, Action.REMIND, Action.WARN] + [
        Action.ESCALATE
    ] * 3
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 5


async def test_editing_back_and_forth_withdraws_once(core: Core, clock: Clock) -> None:
    await core.engine.handle(msg(PHONE, id="e1"))
    outcomes = []
    for text in ("ring Jess later", PHONE, "ring Jess later"):
        clock.advance(minutes=3)
        outcomes.append(await core.engine.handle(msg(text, id="e1", edited_at=clock.now)))
    assert outcomes[0].moderator_alert is None  # the first fix withdraws the strike
    assert outcomes[1].action is Action.REMIND  # flagged again
    alert = outcomes[2].moderator_alert  # fixed again: no second withdrawal
    assert alert is not None and "edited after the reminder" in alert.summary
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 1


async def test_a_course_space_expects_its_platforms_links(make_core: CoreFactory) -> None:
    link = "week 5 recording: https://dmu.cloud.panopto.eu/Panopto/Pages/Viewer.aspx?id=9"
    core = await make_core(
        {"communities": {"soc": {"channels": {"module": {"course_space": True}}}}}
    )
    assert (await core.engine.handle(msg(link, channel="module"))).action is Action.NONE
    assert (await core.engine.handle(msg(link, channel="general"))).action is Action.REMIND


async def test_a_communitys_published_contacts_reach_the_detectors(make_core: CoreFactory) -> None:
    text = "questions? ring 07700 900123"
    core = await make_core({"communities": {"soc": {"published_contacts": ["07700 900123"]}}})
    assert (await core.engine.handle(msg("ring Jess on 07700 900123"))).action is Action.NONE
    other = await make_core()
    assert (await other.engine.handle(msg(text, author="sam"))).action is Action.REMIND


# -- the policy classifier in the engine ---------------------------------------------------------
# A breach only the model reads (no list holds its words), and one both a rule and the model read.
MODEL_ONLY = "selling my mum's codeine, 20 for a tenner, dm"
RULE_AND_MODEL = "selling xanax bars £5 each, dm me"


async def test_the_model_acts_and_says_so(core: Core) -> None:
    decision = await core.engine.handle(msg(MODEL_ONLY))
    assert decision.action is Action.REMIND
    (finding,) = decision.violations
    assert finding.to_dict()["source"] == "model"


async def test_a_rule_and_the_model_agreeing_say_both(core: Core) -> None:
    decision = await core.engine.handle(msg(RULE_AND_MODEL))
    assert [f.to_dict()["source"] for f in decision.violations] == ["rule+model"]


async def test_a_community_can_turn_the_model_off(make_core: CoreFactory) -> None:
    core = await make_core({"communities": {"soc": {"model": False}}})
    assert (await core.engine.handle(msg(MODEL_ONLY))).action is Action.NONE
    # Rules still work there.
    assert (await core.engine.handle(msg(RULE_AND_MODEL, author="sam"))).action is not Action.NONE


async def test_a_reading_the_channel_drops_leaves_the_authors_password_tip(core: Core) -> None:
    # The personal-info rule's low-severity "an e-mail address, whose it does not say" is not
    # acted on, so it rules nothing out: the author still hears their password is public.
    decision = await core.engine.handle(msg("it's sam.k92@outlook.com pw Falcon!77, can u log in"))
    assert (decision.action, decision.routes) == (Action.NONE, ("privacy-tip",))


async def test_someone_elses_number_is_never_also_a_privacy_tip(core: Core) -> None:
    decision = await core.engine.handle(msg("ring Jess on 07700 900123"))
    assert [f.label for f in decision.violations] == ["personal-info"]
    assert "privacy-tip" not in decision.routes


@pytest.mark.parametrize(
    "text",
    [
        # The rule reads every detail as the author's own; the model's guess that they are
        # someone else's yields: a pointer, no strike.
        "does anyone know who to send the mitigating circs form to? here's mine so you can see"
        " what i mean: student no P2390814, DOB 11/02/2004, 21 Cavendish Rd LE2, diagnosed with"
        " endometriosis in october, letter from my consultant attached",
        "can someone check if my details are right for the bank form? passport no on the pic,"
        " DOB 03/04/2003, sort code 04-00-04 acc 12345678",
    ],
)
async def test_own_details_read_by_a_rule_get_the_privacy_tip_not_a_strike(
    core: Core, text: str
) -> None:
    d = await core.engine.handle(msg(text, author="ana", author_name="Ana"))
    assert (d.action, d.routes) == (Action.NONE, ("privacy-tip",)), [f.label for f in d.findings]


@pytest.mark.parametrize(
    ("text", "violations", "routes"),
    [
        # Nothing says whose the details are; the model reads them as the author's own and not
        # as someone else's: the rule's default yields, a pointer and no strike.
        ("my deets for the trip: 07700 900456, 14 Fenwick Street", [], ("privacy-tip",)),
        # Said to be Jess's, they are Jess's.
        ("Jess's deets for the trip: 07700 900456, 14 Fenwick Street", ["personal-info"], ()),
        # Nobody said whose and the model does not read them as the author's: the default holds.
        ("deets for the trip: 07700 900456, 14 Fenwick Street", ["personal-info"], ()),
    ],
)
async def test_details_nobody_claimed_yield_to_the_models_reading_of_whose(
    core: Core, text: str, violations: list[str], routes: tuple[str, ...]
) -> None:
    d = await core.engine.handle(msg(text))
    assert ([f.label for f in d.violations], d.routes) == (violations, routes)


@pytest.mark.parametrize(
    ("text", "violations", "route"),
    [
        # Telling what someone else did, to report it: the pointer, no strike.
        (
            "a lad in halls secretly filmed me in the shower and sent it round, who do i tell?",
            [],
            "report-intent",
        ),
        ("someone is selling fake ids in our halls, how do i report it?", [], "report-intent"),
        ("a guy keeps selling weed outside our flat, who should i tell?", [], "report-intent"),
        # An account posting material of the author and others.
        (
            "someone's posting upskirt pics from the changing rooms, i'm one of them, who do i tell?",
            [],
            "report-intent",
        ),
        # Telling of a slur someone else used, already taken to Security.
        (
            "heard someone call the somali students cockroaches in the SU bar last night."
            " i told security and they've got it on cctv",
            [],
            "report-intent",
        ),
        # An offer with a report phrase stuck on tells of no one else: still the author's.
        ("selling weed dm me, who do i tell lol", ["criminal-content"], "report-intent"),
        # The same when only the model reads the offer.
        (
            "nicked three macbooks from the library, £150 each. who do i tell lol",
            ["criminal-content"],
            "report-intent",
        ),
        # Distress told sideways: whatever menace the model reads into it, the student gets the
        # support pointer and no strike.
        (
            "you ever stand on the platform and think about how easy it would be to just take one"
            " step forward. i think about it every morning now",
            [],
            "wellbeing-risk",
        ),
        (
            "if i dont turn up to the social on friday just know it wasnt anything any of you did x",
            [],
            "wellbeing-risk",
        ),
        # A rule's reading of menace is not the model's guess: it stays beside the pointer.
        (
            "i know where you live and i don't care what happens to me anymore",
            ["intimidation"],
            "wellbeing-risk",
        ),
    ],
)
async def test_a_student_reporting_or_in_distress_is_not_the_one_struck(
    core: Core, text: str, violations: list[str], route: str
) -> None:
    d = await core.engine.handle(msg(text))
    assert [f.label for f in d.violations] == violations
    assert route in d.routes


@pytest.mark.parametrize(
    "text",
    [
        # The rule read someone else's number.
        "my number's 07700 900418 and ring Jess on 07700 900419",
        # A phrase rule's tip about one's own document reads no one's details: the model's
        # reading of Jess's stands.
        "here's a pic of my provisional licence for the minibus form. also jess lives in flat 3"
        " above the chippy, her door code is 4471",
    ],
)
async def test_only_a_rule_that_read_the_details_as_the_authors_rules_out_the_model(
    core: Core, text: str
) -> None:
    d = await core.engine.handle(msg(text))
    assert [f.label for f in d.violations] == ["personal-info"]


@pytest.mark.parametrize(
    ("text", "action", "routes"),
    [
        # A victim quoting what was said to them, asking for help: the pointer, no strike.
        (
            'and then "watch your back on the walk home" — mods please help',
            Action.NONE,
            ("report-intent",),
        ),
        (
            'Zoe told me "you\'re a worthless fat pig and everyone hates you", who do I tell?',
            Action.NONE,
            ("report-intent",),
        ),
        (
            "He keeps messaging me 'watch yourself, I know your timetable', who should I tell?",
            Action.NONE,
            ("report-intent",),
        ),
        (
            "i've been getting messages from an account calling me a tr*nny and saying they know"
            " which halls i'm in, who do i report it to?",
            Action.NONE,
            ("report-intent",),
        ),
        (
            "Someone in the year group chat posted that gays should be banned from sports. Mods,"
            " can you have a look?",
            Action.NONE,
            ("report-intent",),
        ),
        # Asking whether what was said to you is allowed: no strike.
        (
            'Zoe told me "you\'re a worthless fat pig and everyone hates you" in a DM, is that'
            " allowed?",
            Action.NONE,
            (),
        ),
        # Asking whether something is allowed, in one's own words: still the author's breach.
        ("is it ok if i call you a worthless fat pig", Action.REMIND, ()),
        # Threatening to report someone quotes no one: still the author's breach.
        ("i will report you, you fat pig", Action.REMIND, ()),
        # Asking for help while insulting someone in one's own words: both.
        ("you fat pig, can someone help me get rid of you", Action.REMIND, ("report-intent",)),
    ],
)
async def test_a_victim_quoting_what_was_said_to_them_gets_the_pointer_not_a_strike(
    core: Core, text: str, action: Action, routes: tuple[str, ...]
) -> None:
    d = await core.engine.handle(msg(text, author="ana", author_name="Ana"))
    assert d.action is action, [f.label for f in d.findings]
    assert d.routes == routes
