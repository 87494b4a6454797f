"""The policy classifier: pinned outputs, where the line is, plain threats, the cascade, rule errors.

Every case here is written for the project (no rows of the corpus's test split, none of the
licensed sets). When the model is retrained on purpose, update the pinned probabilities in the
same commit.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.detectors.base import ChannelSettings
from bot.detectors.encoder import Encoder, EncoderError
from bot.detectors.policy_classifier import (
    PolicyClassifierDetector,
    _windows,
    build,
    model_text,
)
from bot.detectors.spec import RuleError, RuleSpec
from bot.rules import RuleSet
from bot.taxonomy import Severity

from .conftest import RULES_FOLDER, make_context

MODEL = RULES_FOLDER / "models" / "policy-classifier"
RULE = "policy-classifier"


@pytest.fixture(scope="module")
def detector(rules: RuleSet) -> PolicyClassifierDetector:
    found = rules.detector(RULE)
    assert isinstance(found, PolicyClassifierDetector)
    return found


def labels(detector: PolicyClassifierDetector, text: str) -> set[str]:
    return {f.label for f in detector.detect(make_context(text))}


# text, head, the shipped model's probability (encoder and n-gram head averaged), pinned to 0.01
PINNED = [
    ("i will stab you", "threat", 0.989),
    ("i will stab you", "offensive-or-threatening", 0.989),
    ("selling xanax bars £5 each", "criminal-content", 0.995),
    ("here's the phase test paper from this morning", "assessment-content", 0.994),
    ("honestly i don't see the point in being alive anymore", "wellbeing-risk", 0.931),
    ("see you at 7 in the library", "offensive-or-threatening", 0.001),
    ("see you at 7 in the library", "criminal-content", 0.005),
    ("my number is 07700 900461 if anyone needs a lift", "privacy-tip", 0.979),
]


@pytest.mark.parametrize(("text", "head", "probability"), PINNED)
def test_the_shipped_model_gives_its_pinned_probabilities(
    detector: PolicyClassifierDetector, text: str, head: str, probability: float
) -> None:
    scores = detector.scorer.score(model_text(text))
    assert scores[detector.scorer.heads.index(head)] == pytest.approx(probability, abs=0.01)


# Breach and innocent twin: the label the breach must raise; the twin must raise nothing.
MINIMAL_PAIRS = [
    (
        "third-party-account-misuse",
        "logged into dan's account and changed his password lol he's locked out",
        "both of you cut it out. messaging dan to change his passwords",
    ),
    (
        "non-consensual-recording",
        "filmed him in the changing room without him knowing, posting it tonight",
        "you cant post that, he didnt know he was being recorded",
    ),
    (
        "repeated-unwanted-contact",
        "i know you asked me to stop but i'm messaging you again, answer me",
        "tom, she asked you to stop. leave her alone.",
    ),
    (
        "mocking",
        "@jonno your haircut looks like your mum did it with her eyes shut, everyone laugh",
        "@jonno your haircut looks like your mum did it with her eyes shut. still the best "
        "looking lad on tour though x",
    ),
    (
        "personal-info",
        "here's jess's number 07700 900441, go tell her what you think",
        "jess asked me to share her number for the away trip, so with her ok: 07700 900441",
    ),
    (
        "offensive-or-threatening",
        "i swear i will stab you after the match",
        "i swear i will beat my own record after the match",
    ),
    (
        "assessment-content",
        "got a pic of tomorrow's phase test paper, dm me",
        "got a pic of tomorrow's pub quiz sheet, dm me",
    ),
    (
        "learning-platform-content",
        "uploading all the replay lectures to my youtube channel tonight",
        "rewatching all the replay lectures tonight before the exam",
    ),
    (
        "criminal-content",
        "selling xanax bars £5 each, collect from my flat",
        "selling spare kettle £5, collect from my flat",
    ),
    (
        "academic-misconduct",
        "i'll write your dissertation for £300, no one will know",
        "i'll read your dissertation draft for a pint, happy to help",
    ),
    (
        "wellbeing-risk",
        "honestly i don't see the point in being alive anymore",
        "honestly i don't see the point in the group chat anymore",
    ),
    (
        "mocking",
        "everyone listen to how marcus talks, sounds like a broken robot lmao",
        "everyone listen to marcus's new track, sounds like a broken robot lmao in the best way",
    ),
]

# Threats as students type them, with and without a banter marker: all raise the label; threats
# of violence at high severity (the threat head), so the ladder escalates at once.
VIOLENT_THREATS = [
    "im gonna kill u",
    "i will stab you",
    "someone should kill ryan",
    "I'm going to kill you haha",
    "going to smash your head in jk",
]
PLAIN_THREATS = [*VIOLENT_THREATS, "kill yourself lol", "neck yourself"]

# Everyday chat, the hard kind: the model must leave it alone.
EVERYDAY = [
    "knock 'em dead tonight, you'll be brilliant",
    "this deadline is actually killing me",
    "we absolutely destroyed them in the league final",
    "is it ok to share the replay link in here or is that not allowed?",
    "you're not an idiot, the question was badly worded",
    "git clone git@github.com:dmu-society/site.git",
    "see everyone at 7 in the library, bring snacks",
    "can someone explain how extenuating circumstances work",
    "I'm going to kill you at mario kart tonight",
    # Comfort read as menace by the model alone (support-cues).
    "so sorry about your grandad, take all the time you need, we've got the stall covered",
    "you don't have to pretend to be ok around us, we're here whenever you want to talk",
]


@pytest.mark.parametrize(("label", "breach", "twin"), MINIMAL_PAIRS)
def test_the_breach_raises_its_label_and_its_twin_nothing(
    detector: PolicyClassifierDetector, label: str, breach: str, twin: str
) -> None:
    assert label in labels(detector, breach)
    assert labels(detector, twin) == set()


# The model's label and the words that excuse it (rules.yaml ``unless``: lists shared with the
# rules): consent in so many words, one's own recording, the society's own account, a wish, a
# paid job, a warning, the person asking to be left alone or the one impersonated, submission
# instructions, fondness in so many words.
EXCUSED_PAIRS = [
    (
        "offensive-or-threatening",
        "KILL HIM. THE TREASURER. KILL HIM. BURN HIS WHOLE FLAT",
        "KILL IT WITH FIRE. THE SPIDER. KILL IT. BURN THE WHOLE CAVE",
    ),
    (
        "learning-platform-content",
        "posting the lecture recordings from Replay in our study group",
        "is it ok to post the lecture recordings from Replay in our study group?",
    ),
    (
        "account-details",
        "put bex and fen's instagrams on the petition form for the su motion",
        "put bex and fen's instagrams on the petition form for the su motion, they both said yes",
    ),
    (
        "non-consensual-recording",
        "filmed jess asleep on the night bus, it's going on the confessions page",
        "filmed myself asleep on the night bus, it's going on the confessions page",
    ),
    (
        "non-consensual-recording",
        "recorded my flatmate singing in the shower without her knowing and sent it to the group",
        "my flatmate recorded herself singing in the shower and sent it to the group",
    ),
    (
        "rumours",
        "apparently jess slept with the lecturer to get that grade",
        "apparently jess has been in bed with flu all week, get well soon",
    ),
    (
        "third-party-account-misuse",
        "logged into sam's instagram and posted a story as him lol",
        "sam logged into his own account and posted a story lol",
    ),
    (
        "academic-misconduct",
        "i need someone to write my essay for tomorrow, will pay",
        "i need to write my essay for tomorrow, wish me luck",
    ),
    (
        "coursework-sharing",
        "send me your finished essay so i can copy it",
        "i need to copy my essay into the new template",
    ),
    (
        "assessment-content",
        "the answers to tomorrow's phase test are 1b 2c 3a 4d",
        "i don't know the answers to tomorrow's phase test, 1b 2c 3a 4d were my guesses on the mock",
    ),
    (
        "third-party-account-misuse",
        "logged into sam's instagram and posted a story as him lol",
        "logged into the society instagram with the shared password and posted a story lol",
    ),
    (
        "mocking",
        "everyone listen to dan's singing, sounds like a dying cat lmao",
        "everyone listen to dan's singing, sounds like a dying cat lmao in the best way",
    ),
    (
        "academic-misconduct",
        "i'll pay someone to write my dissertation for me",
        "i'd pay someone to write my dissertation for me",
    ),
    ("academic-misconduct", "i'll write your essay for £50", "i'll proofread your essay for £50"),
    (
        "impersonation",
        "someone made a fake account pretending to be the president",
        "someone made a fake account pretending to be me",
    ),
    (
        "repeated-unwanted-contact",
        "@sam i'll keep messaging you until you answer",
        "@sam please stop messaging me",
    ),
    (
        "repeated-unwanted-contact",
        "he told me to stop dming him, not happening lol",
        "he keeps messaging me even though i asked him to stop, what do i do",
    ),
    (
        "coursework-sharing",
        "here's my finished essay, just change the wording",
        "don't copy my finished essay, just change the wording and they'll catch you",
    ),
    (
        "coursework-sharing",
        "send your completed lab report to the group so we can copy it",
        "submit your completed lab report to the group submission point",
    ),
]


EXCUSED_PAIRS += [
    # The author acting as themselves, on their own account, with the owner's approval, or
    # logging someone out for them (round 15).
    (
        "impersonation",
        "I'll reply to the society email as Priya and say she's dropping out of the election",
        "I'll reply to the society email as myself and say I'm dropping out of the election",
    ),
    (
        "third-party-account-misuse",
        "Jay left his phone at the bar so i replied to his girlfriend's story from his account",
        "Jay left his phone at the bar so i replied to his girlfriend's story from my account",
    ),
    (
        "third-party-account-misuse",
        "if Kez left her discord logged in on the library pc should i post something as her",
        "if Kez left her discord logged in on the library pc should i log her out for her",
    ),
    # Second-hand sale lingo.
    (
        "criminal-content",
        "trading my nan's prescription diazepam for fennec credits, pm me",
        "trading my titanium white octane for fennec credits, PSN, pm me dont lowball",
    ),
    (
        "impersonation",
        "running the official account of our president for her, posting whatever i want",
        "running the official account of our president for her during exams, she approves every post",
    ),
]


EXCUSED_PAIRS += [
    # A moderator's notice names the breach it answered.
    (
        "academic-misconduct",
        "got these essay help accounts on insta, they write the whole thing for £50",
        "removed + banned. these essay help accounts are contract cheating, it's an academic"
        " offence, don't message them",
    ),
    (
        "impersonation",
        "Hi all, this is Dr Whitfield, the exam is cancelled, don't come in",
        "This isn't Dr Whitfield, it's a fake account made yesterday. Please don't pretend to be"
        " staff",
    ),
    # A word that is a slur elsewhere and a cigarette here.
    ("abusive-content", "he's such a fag, back in 5", "popping out for a fag, back in 5"),
    # Telling a member to stop and denying the rumour is not spreading it.
    (
        "rumours",
        "Taylor says Ellie only got the lead because she's sleeping with the director, pass it on",
        "Taylor, pack it in. Ellie did not get the lead because she's sleeping with the director,"
        " that's not true",
    ),
    # Advising someone else to report is not wanting to.
    (
        "report-intent",
        "Sami, are you ok? i need to report it to the police and uni security, how do i do that",
        "Sami I'm so sorry, are you ok? please report it to the police and uni security",
    ),
    # Asking before posting is not posting.
    (
        "non-consensual-recording",
        "filmed jack passed out at the social, posting the vid here lol",
        "filmed jack passed out at the social, should i just post the vid here?",
    ),
]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "asking for a friend: where would someone get the answers for friday's online quiz?",
            "where would someone get the answers for friday's online quiz?",
        ),
        (
            "hypothetically, if I had the exam paper a week early, who'd want a copy? £15",
            "if i had the exam paper a week early, who'd want a copy? £15",
        ),
        ("no offence but the new logo is better", "the new logo is better"),
        ("what if we all brought snacks", "what if we all brought snacks"),
    ],
)
def test_the_model_reads_past_hedges(
    detector: PolicyClassifierDetector, typed: str, read: str
) -> None:
    assert detector.model_reading(make_context(typed)) == read


@pytest.mark.parametrize(
    ("breach", "twin"),
    [
        (
            "in a hypothetical world where I had the exam paper a week early, who'd want a copy?"
            " £15, theoretically",
            "asking for a friend: is the library open late on sunday?",
        ),
    ],
)
def test_a_hedged_breach_is_read_and_a_hedged_question_is_not(
    detector: PolicyClassifierDetector, breach: str, twin: str
) -> None:
    assert "assessment-content" in labels(detector, breach)
    assert labels(detector, twin) == set()


@pytest.mark.parametrize(
    ("text", "quiet"),
    [
        # Swearing at nothing.
        ("fuck fuck fuck fuck fuck", True),
        ("shit shit shit lol", True),
        # Not only exclamations: a word aims it.
        ("fuck fuck fuck you fucking bitch", False),
        # A language the model never learned.
        ("Mi gato negro se llama Sombra", True),
        ("O carro negro é do João", True),
        ("Viernes negro: descuentos en toda la tienda", True),
        ("Je suis en retard, désolé tout le monde", True),
        # English with a word or two of another language is English.
        ("i will stab you, es verdad", False),
    ],
)
def test_the_model_acts_on_nothing_it_cannot_read_as_aimed_english(
    detector: PolicyClassifierDetector, text: str, quiet: bool
) -> None:
    assert (labels(detector, text) == set()) is quiet


@pytest.mark.parametrize(("label", "breach", "twin"), EXCUSED_PAIRS)
def test_a_model_label_stands_down_on_its_excuse(
    detector: PolicyClassifierDetector, label: str, breach: str, twin: str
) -> None:
    assert label in labels(detector, breach)
    assert labels(detector, twin) == set()


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("here is Tom's number 07911 123456", "07911123456"),
        ("tom's mobile is +44 7911 123456 if anyone needs a lift", "07911 123456"),
        ("jess's personal email is jess.t@example.co.uk", "Jess.T@example.co.uk"),
    ],
)
def test_a_communitys_published_contact_is_no_ones_personal_info(
    detector: PolicyClassifierDetector, text: str, published: str
) -> None:
    # The same message in a community that has not published the contact is the breach.
    assert "personal-info" in labels(detector, text)
    own = ChannelSettings(published_contacts=frozenset({published}))
    assert (
        detector.eligible(make_context(text, settings=own), below=True).get("personal-info") is None
    )


def test_eligible_keeps_heads_below_threshold_only_when_asked(
    detector: PolicyClassifierDetector,
) -> None:
    ctx = make_context("tom's mobile is 07911 123456 if anyone needs a lift")
    everything = detector.eligible(ctx, below=True)
    assert everything, "the first stage stopped it: pick a text that reaches the encoder"
    assert detector.eligible(ctx) == {
        k: p for k, p in everything.items() if p >= detector_threshold(detector, k)
    }


def detector_threshold(detector: PolicyClassifierDetector, label: str) -> float:
    return next((h.lowest for h in detector.heads if h.label == label), 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "I know where your mum works Liam. would be a shame if something happened.",
        "see what happens when you walk home alone",
    ],
)
def test_a_veiled_threat_is_intimidation_at_high_severity(
    detector: PolicyClassifierDetector, text: str
) -> None:
    found = {f.label: f.severity for f in detector.detect(make_context(text))}
    assert found.get("intimidation") == Severity.HIGH


@pytest.mark.parametrize("text", PLAIN_THREATS)
def test_plain_threats_are_caught_banter_or_not(rules: RuleSet, text: str) -> None:
    # The whole rule set, as the bot reads a message: the model, the threat lists, or both.
    findings = [
        f for f in rules.detect(make_context(text)) if f.label == "offensive-or-threatening"
    ]
    assert findings, text
    harshest = max((f.severity for f in findings), key=lambda s: s.rank)
    assert harshest is Severity.HIGH or text not in VIOLENT_THREATS


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_chat_is_left_alone(detector: PolicyClassifierDetector, text: str) -> None:
    assert detector.detect(make_context(text)) == []


@pytest.mark.parametrize(
    ("text", "acted"),
    [
        # A short reply needs more certainty before it reads as menace.
        ("you'll regret reporting us", True),
        ("u'll regret crossing me", True),
        ("wait how do you know that", False),
        ("we'll see 👀", False),
        ("you wont finish your lab report", False),
    ],
)
def test_a_short_reply_needs_more_to_be_intimidation(
    detector: PolicyClassifierDetector, text: str, acted: bool
) -> None:
    found = [f for f in detector.detect(make_context(text)) if f.label == "intimidation"]
    assert bool(found) is acted


# An insult said to or of a person that the model reads as strongly offensive needs less of the
# insult head (rules.yaml: offensive-or-threatening's `aimed`); the same words about a thing
# are a rant. (Each aimed case is under the head's own threshold: only the aimed reading fires.)
AIMED = [
    ("she is so fucking annoying", True),
    ("this printer is so fucking annoying", False),
    ("he's a lying piece of shit", True),
    ("this essay is a piece of shit", False),
    ("this question is so fucking stupid", False),
    ("ugh him again, absolute fucking weasel", True),
    ("i cant stand this weather, fucking insufferable", False),
    # A person named aims it as "she" does (`people`); the same words of a module do not.
    ("Chloe Adebayo is the most useless fake bitch on this course", True),
    ("this module is the most useless fake bullshit on this course", False),
]


@pytest.mark.parametrize(("text", "acted"), AIMED)
def test_an_insult_aimed_at_someone_needs_less_of_the_insult_head(
    detector: PolicyClassifierDetector, text: str, acted: bool
) -> None:
    found = [
        f for f in detector.detect(make_context(text)) if f.label == "offensive-or-threatening"
    ]
    assert [f.evidence for f in found] == (
        ["it reads as an insult aimed at someone (policy model)"] if acted else []
    )
    unaimed = replace(detector, heads=tuple(replace(h, aimed=None) for h in detector.heads))
    assert not [
        f for f in unaimed.detect(make_context(text)) if f.label == "offensive-or-threatening"
    ], "the head's own threshold fires it: pick a case only the aimed reading reaches"


# An acrostic's word is read alone, as said to the reader: at the end of a long welcome it is
# one word of many. A birthday poem spells nothing the model acts on.
ACROSTICS = [
    (
        "Welcome to our newest member!\nDon't be shy\nIntroduce yourself\nEveryone's lovely\n"
        "Aisha (first letters)",
        True,
    ),
    (
        "Welcome to our newest member!\nHave a look round\nIntroduce yourself\nAsk us anything\n"
        "Aisha (first letters)",
        False,
    ),
    (
        "Happy birthday\nAmazing friend\nPlease never change\nPizza later?\nYes! (read it down)",
        False,
    ),
]


@pytest.mark.parametrize(("text", "acted"), ACROSTICS)
def test_an_acrostics_word_is_read_alone(
    detector: PolicyClassifierDetector, text: str, acted: bool
) -> None:
    assert bool(detector.detect(make_context(text))) is acted


def test_findings_say_they_came_from_the_model_in_plain_words(
    detector: PolicyClassifierDetector,
) -> None:
    (finding,) = [
        f
        for f in detector.detect(make_context("selling xanax bars £5 each"))
        if f.label == "criminal-content"
    ]
    assert finding.origin == "model"
    assert finding.evidence == "it reads as offering or arranging something illegal (policy model)"
    assert 0.5 <= finding.score <= 1.0


def test_the_first_stage_keeps_short_everyday_chat_from_the_encoder(
    detector: PolicyClassifierDetector,
) -> None:
    assert not detector.passes_first_stage(model_text("see you at 7 in the library"))
    assert detector.passes_first_stage(model_text("i will stab you"))


def test_a_threat_at_the_end_of_a_long_message_is_read(detector: PolicyClassifierDetector) -> None:
    chatter = "so the rehearsal moved to room 2 and the set build is on thursday as planned " * 6
    threat = detector.scorer.heads.index("threat")
    quiet = detector.scorer.score(model_text(chatter))
    read = detector.probabilities(model_text(chatter + "and ryan i will stab you"))
    assert quiet[threat] < 0.2
    assert read is not None and read[threat] >= 0.5


NOTICES = (
    "film night this week is a double bill, doors at half six in the queens building, "
    "popcorn a pound, bring a blanket because the heating is broken again."
)
SIGN_OFF = "right, back to revising, good luck with the stats exam and the social is friday."


@pytest.mark.parametrize(
    ("hostile", "innocent"),
    [
        ("anyway all immigrants are thieves.", "anyway all the popcorn is free."),
        ("anyway i will stab you, ryan.", "anyway i will save you a seat, ryan."),
    ],
)
def test_one_hostile_sentence_in_a_long_message_is_read_alone(
    detector: PolicyClassifierDetector, hostile: str, innocent: str
) -> None:
    # A paragraph of notices around one sentence does not dilute it; its twin stays quiet.
    hot = detector.detect(make_context(f"{NOTICES} {hostile} {SIGN_OFF}"))
    cold = detector.detect(make_context(f"{NOTICES} {innocent} {SIGN_OFF}"))
    assert {f.label for f in hot} & {"abusive-content", "offensive-or-threatening"}
    assert cold == []


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        ("short message", ["short message"]),
        ("", []),
        (" ".join(["word"] * 40), [" ".join(["word"] * 32), " ".join(["word"] * 16)]),
        (
            "ok. " + "one two three four five six seven eight nine ten. " * 4,
            ["ok. one two three four five six seven eight nine ten."]
            + ["one two three four five six seven eight nine ten."] * 3,
        ),
    ],
)
def test_windows_follow_sentences(text: str, windows: list[str]) -> None:
    assert _windows(text) == windows


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "the football initiation is getting out of hand, i was pressured to drink a pint of "
            "vodka. want to report it but anonymously",
            "report-intent",
        ),
        ("been taking my mate's pills to get through deadlines, i've started cutting again", None),
    ],
)
def test_the_first_stage_never_stops_a_wish_to_report_or_distress(
    detector: PolicyClassifierDetector, text: str, route: str | None
) -> None:
    # A message the cascade's gate alone would stop reaches the encoder when a route's own
    # n-gram head says so (first_stage_heads).
    assert detector.probabilities(model_text(text)) is not None
    if route:
        assert route in labels(detector, text)


def test_one_text_scores_the_same_alone_as_after_others() -> None:
    encoder = Encoder(MODEL)
    alone = encoder.score(["i will stab you"])
    encoder.score(["a much longer message about the society's plans for the weekend social"])
    assert encoder.score(["i will stab you"]) == alone


# -- rule data errors --------------------------------------------------------------------------
def spec(**params: object) -> RuleSpec:
    base: dict[str, object] = {
        "model": "models/policy-classifier",
        "labels": {"rumours": {"threshold": 0.5}},
    }
    base.update(params)
    return RuleSpec(
        id=RULE,
        label="offensive-or-threatening",
        clauses=("5.2",),
        severity=Severity.MEDIUM,
        kind="classifier",
        params=base,
        where=f"{RULES_FOLDER / 'rules.yaml'}: rules[9]",
    )


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"labels": {"gossip": {"threshold": 0.5}}}, "labels.gossip: unknown label 'gossip'"),
        (
            {"labels": {"rumours": {"threshold": 1.5}}},
            "labels.rumours.threshold: expected a number between 0 and 1, got 1.5",
        ),
        (
            {"labels": {"rumours": {"threshold": 0.5, "severity": "huge"}}},
            "labels.rumours.severity: expected low, medium or high",
        ),
        ({"labels": {"rumours": {"treshold": 0.5}}}, "labels.rumours.treshold: unknown key"),
        (
            {"labels": {"rumours": {"threshold": 0.5, "short": {"words": 6}}}},
            "labels.rumours.short: expected {words: N, threshold: P}",
        ),
        (
            {"labels": {"rumours": {"threshold": 0.5, "short": {"words": 0, "threshold": 0.8}}}},
            "labels.rumours.short: expected a whole number of words",
        ),
        (
            {"labels": {"rumours": {"threshold": 0.5, "aimed": {"threshold": 0.4}}}},
            "labels.rumours.aimed: expected {at: ",
        ),
        (
            {"labels": {"rumours": {"threshold": 0.5, "aimed": {"at": "you", "threshold": 0.4}}}},
            "labels.rumours.aimed.at: expected a list of list names",
        ),
        (
            {"labels": {"rumours": {"threshold": 0.5, "aimed": {"at": ["x"], "threshold": 2}}}},
            "labels.rumours.aimed.threshold: expected a number between 0 and 1, got 2",
        ),
        (
            {
                "labels": {
                    "rumours": {
                        "threshold": 0.5,
                        "aimed": {"at": ["x"], "threshold": 0.4, "needs": {"menace": 0.9}},
                    }
                }
            },
            "labels.rumours.aimed.needs.menace: the model has no head 'menace'",
        ),
        (
            {
                "labels": {
                    "rumours": {
                        "threshold": 0.5,
                        "aimed": {"at": ["x"], "threshold": 0.4, "at_least": 1},
                    }
                }
            },
            "labels.rumours.aimed.at_least: unknown key",
        ),
        (
            {
                "labels": {
                    "rumours": {
                        "threshold": 0.5,
                        "aimed": {"at": ["x"], "threshold": 0.4, "people": "yes"},
                    }
                }
            },
            "labels.rumours.aimed.people: expected true or false",
        ),
        ({"labels": {}}, "labels: expected a mapping of label"),
        ({"model": "models/nowhere"}, "model: .*nowhere/card.json: file not found"),
        ({"threat_head": "menace"}, "threat_head: the model has no head 'menace'"),
    ],
)
def test_a_rule_mistake_is_one_line_naming_the_key(params: dict[str, object], problem: str) -> None:
    with pytest.raises(RuleError, match=problem) as caught:
        build(spec(**params), None)  # type: ignore[arg-type]
    assert len(caught.value.problems) == 1
    assert "rules.yaml: rules[9]." in caught.value.problems[0]


def test_a_broken_model_file_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    shutil.copytree(MODEL, folder)
    (folder / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(EncoderError, match=r"model.onnx: cannot load the model"):
        Encoder(folder)
    (folder / "card.json").write_text(json.dumps({"format": "something else"}))
    with pytest.raises(EncoderError, match=r"card.json: not a policybot classifier card"):
        Encoder(folder)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A fiction cue ("said", "show", "line") excuses a threat only in a message that quotes.
        (
            "I've got screenshots of everything you've ever said in here Imogen. think very "
            "carefully about your next message",
            "intimidation",
        ),
        (
            "We all know who reported the pres. Kieran you'd be smart not to show up on Friday.",
            "intimidation",
        ),
        ("the villain's best line in the film: \"I'll find you and I'll kill you\"", None),
        ('"You talkin\' to me?" - Taxi Driver screening at film soc this week', None),
    ],
)
def test_a_fiction_cue_excuses_a_threat_only_when_a_passage_is_quoted(
    detector: PolicyClassifierDetector, text: str, label: str | None
) -> None:
    found = labels(detector, text) & {"intimidation", "offensive-or-threatening"}
    assert found == ({label} if label else set())
