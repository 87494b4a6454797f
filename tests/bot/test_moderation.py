"""Contesting a finding on real objects: the author contests, the moderators are shown it and
uphold or dismiss it; until then the case still counts on the ladder."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from bot.app import Core
from bot.message import Message
from bot.store import CaseStatus
from tests.bot.conftest import CoreFactory

PHONE = "ring Jess on 07700 900123, tell her what you think of her"
_ids = itertools.count(1)


def msg(text: str = PHONE, author: str = "alex") -> Message:
    n = str(next(_ids))
    return Message(
        id=n,
        text=text,
        author=author,
        channel="general",
        community="soc",
        platform="discord",
        permalink=f"https://chat.example/m/{n}",
    )


async def reminded(core: Core, author: str = "alex") -> tuple[Message, int]:
    """Post a breach as ``author``; return the message and its case id."""
    message = msg(author=author)
    decision = await core.engine.handle(message)
    assert decision.case_id is not None
    return message, decision.case_id


async def status(core: Core, case_id: int) -> CaseStatus:
    case = await core.store.get_case(case_id)
    assert case is not None
    return case.status


async def test_contesting_shows_the_moderators_the_case(core: Core) -> None:
    message, case_id = await reminded(core)

    alert = await core.moderation.contest(case_id, user="alex", platform="discord")

    assert alert is not None
    assert alert.level == "contest"
    assert alert.summary.startswith("Contested by the author: ")
    assert "(clause 4.5: " in alert.summary
    assert (alert.labels, alert.clauses) == (("personal-info",), ("4.5",))
    assert (alert.user, alert.channel, alert.message_id) == ("alex", "general", message.id)
    assert (alert.case_id, alert.step, alert.permalink) == (case_id, 1, message.permalink)
    assert alert.suggested_actions == ("uphold", "dismiss as a false positive")
    assert alert.content is None and alert.shadow is False
    assert await status(core, case_id) is CaseStatus.CONTESTED


async def test_a_contested_case_counts_until_a_moderator_dismisses_it(core: Core) -> None:
    _, case_id = await reminded(core)
    assert await core.moderation.contest(case_id, user="alex", platform="discord")

    # Contesting is no way off the ladder: only the moderators' dismissal is.
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 1
    assert await core.moderation.dismiss("discord", "soc", case_id, actor="mod")
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 0


@pytest.mark.parametrize(
    ("who", "before"),
    [
        ("someone-else", None),  # only the author may contest
        ("alex", "contest"),  # a second press: it already awaits review
        ("alex", "dismiss"),  # reviewed already
        ("alex", "pardon"),  # pardoned: nothing left to contest
    ],
)
async def test_contest_is_refused(core: Core, who: str, before: str | None) -> None:
    _, case_id = await reminded(core)
    if before == "contest":
        assert await core.moderation.contest(case_id, user="alex", platform="discord")
    elif before == "dismiss":
        assert await core.moderation.dismiss("discord", "soc", case_id, actor="mod")
    elif before == "pardon":
        assert await core.moderation.pardon("discord", "soc", "alex", actor="mod") == 1
    expected = await status(core, case_id)

    assert await core.moderation.contest(case_id, user=who, platform="discord") is None
    assert await status(core, case_id) is expected


async def test_an_unknown_case_cannot_be_contested(core: Core) -> None:
    assert await core.moderation.contest(999_999, user="alex", platform="discord") is None


@pytest.mark.parametrize(
    ("store_content", "show_content", "shown"),
    [(False, False, False), (True, False, False), (False, True, False), (True, True, True)],
)
async def test_content_only_when_stored_and_shown(
    make_core: CoreFactory, store_content: bool, show_content: bool, shown: bool
) -> None:
    core = await make_core(
        {"privacy": {"store_content": store_content}, "defaults": {"show_content": show_content}}
    )
    _, case_id = await reminded(core)

    alert = await core.moderation.contest(case_id, user="alex", platform="discord")

    assert alert is not None
    assert alert.content == (PHONE if shown else None)


async def test_upholding_keeps_the_case_counting_and_is_audited(core: Core) -> None:
    _, case_id = await reminded(core)
    assert await core.moderation.contest(case_id, user="alex", platform="discord")

    assert await core.moderation.uphold("discord", "soc", case_id, actor="mod")

    assert await status(core, case_id) is CaseStatus.UPHELD
    assert (await core.moderation.record("discord", "soc", "alex")).active_strikes == 1
    actions = [(a.actor, a.action) for a in await core.store.audit_log("discord", "soc")]
    assert ("mod", "uphold") in actions and ("alex", "contest") in actions


@pytest.mark.parametrize("before", [None, "dismiss", "pardon", "uphold"])
async def test_only_a_contested_case_can_be_upheld(core: Core, before: str | None) -> None:
    _, case_id = await reminded(core)
    if before == "dismiss":
        assert await core.moderation.contest(case_id, user="alex", platform="discord")
        assert await core.moderation.dismiss("discord", "soc", case_id, actor="mod")
    elif before == "pardon":
        assert await core.moderation.contest(case_id, user="alex", platform="discord")
        assert await core.moderation.pardon("discord", "soc", "alex", actor="mod") == 1
    elif before == "uphold":
        assert await core.moderation.contest(case_id, user="alex", platform="discord")
        assert await core.moderation.uphold("discord", "soc", case_id, actor="mod")
    expected = await status(core, case_id)

    # An old log entry's Uphold must not bring a case back onto the ladder.
    assert not await core.moderation.uphold("discord", "soc", case_id, actor="mod")
    assert await status(core, case_id) is expected


async def _case_elsewhere(core: Core) -> int:
    """Store a contested case in another community ("other") and return its id."""
    message = Message(
        id="x1", text=PHONE, author="zed", channel="c", community="other", platform="discord"
    )
    decision = await core.engine.handle(message)
    assert decision.case_id is not None
    assert await core.moderation.contest(decision.case_id, user="zed", platform="discord")
    return decision.case_id


@pytest.mark.parametrize("verdict", ["dismiss", "uphold"])
@pytest.mark.parametrize("by", ["id", "id-as-text", "ref"])
async def test_a_moderator_acts_only_on_their_own_communitys_cases(
    core: Core, verdict: str, by: str
) -> None:
    case_id = await _case_elsewhere(core)
    case = await core.store.get_case(case_id)
    assert case is not None and case.ref is not None
    key: int | str = {"id": case_id, "id-as-text": str(case_id), "ref": case.ref}[by]
    act = getattr(core.moderation, verdict)

    assert await act("discord", "soc", key, actor="mod-of-soc") is None
    assert await status(core, case_id) is CaseStatus.CONTESTED
    assert await act("slack", "other", key, actor="mod-elsewhere") is None
    assert await status(core, case_id) is CaseStatus.CONTESTED
    # in its own community the case is found by its ref (or by its id from a trusted caller)
    if by != "id-as-text":
        assert await act("discord", "other", key, actor="mod-of-other") is not None


async def test_buttons_name_a_case_by_an_unguessable_ref(core: Core) -> None:
    decision = await core.engine.handle(msg())
    assert decision.notice is not None and decision.case_id is not None
    ref = decision.notice.case_ref
    assert ref and ref != str(decision.case_id) and len(ref) >= 22
    assert decision.notice.case_key == ref
    found = await core.moderation.find_case(ref)
    assert found is not None and found.id == decision.case_id
    # the sequential id a forged button would carry finds nothing
    assert await core.moderation.find_case(str(decision.case_id)) is None
    assert await core.moderation.contest(str(decision.case_id), "alex", "discord") is None
    assert await core.moderation.contest(ref, "alex", "slack") is None
    assert await core.moderation.contest(ref, "alex", "discord") is not None


async def test_a_case_from_before_refs_keeps_its_id_buttons(core: Core, tmp_path: Path) -> None:
    _, case_id = await reminded(core)
    with sqlite3.connect(tmp_path / "policybot.db") as conn:
        conn.execute("UPDATE cases SET ref = NULL WHERE id = ?", (case_id,))
    found = await core.moderation.find_case(str(case_id))
    assert found is not None and found.ref is None
    assert await core.moderation.dismiss("discord", "soc", str(case_id), actor="mod")


@pytest.mark.parametrize(
    ("cases", "strikes", "first_line"),
    [
        (1, 1, "1 case on record; it counts on the warning ladder"),
        (1, 0, "1 case on record; it no longer counts on the warning ladder"),
        (2, 2, "2 cases on record; both count on the warning ladder"),
        (5, 5, "5 cases on record; all of them count on the warning ladder"),
        (5, 3, "5 cases on record; 3 of them count on the warning ladder"),
        (5, 1, "5 cases on record; 1 of them counts on the warning ladder"),
        (5, 0, "5 cases on record; none of them counts on the warning ladder"),
    ],
)
def test_mydata_says_how_many_cases_count_in_words_that_agree(
    cases: int, strikes: int, first_line: str
) -> None:
    from bot.moderation import UserRecord
    from tests.bot.conftest import make_record

    records = tuple(make_record(n, step=n) for n in range(1, cases + 1))
    text = UserRecord("discord", "soc", "alex", records, strikes, 30).render()
    first = text.splitlines()[0]
    assert first.startswith(first_line + " (a case stops counting after 30 days"), first
    assert f"remind (strike {cases})" in text.splitlines()[cases]
    assert "step" not in text
