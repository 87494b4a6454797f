"""The real-chat regression set and the evasion suite, run in the tests and in ``bench.quality``.

The regression set (``bench/regression/real_chat.jsonl``, written for the project) holds
everyday messages in the shapes real public chat showed the bot acting on wrongly (the author's
own e-mail, placeholders, git remotes and IRC addresses, digits in a stack trace or a modem
command, a society's inbox, a venue's address, a lecturer's staff e-mail, learning-platform
links in a course's own space, a question about what is allowed, swearing beside a mention,
"you're not an idiot", "a stupidly good cook", "kill you at Mario Kart", a quoted film line, a
pub quiz), each expected to be left alone, and breaches it must still act on. One JSON object a
line::

    {"text": "...", "expect": "none" | "<label>", "shape": "...",
     "author_name"?: "...", "mentions"?: [...], "reply_to"?: "...", "community"?: "course"}

A message "is acted on" when the default configuration (with the community's settings from
:data:`COMMUNITIES`) counts a breach in it: routes such as a privacy tip are not actions.

The evasion suite is generated from the set's breaches: each one's trigger (the word a finding
points at, or the phone number or e-mail address) is rewritten by every transform family that
applies to it, and the rewritten message must still be acted on with the expected label.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.datasets import DatasetError
from bot.app import build_core_for_tests
from bot.engine import Engine
from bot.finding import Finding
from bot.message import Message
from bot.taxonomy import ALL_LABELS

REGRESSION = Path(__file__).resolve().parent / "regression" / "real_chat.jsonl"
#: The communities the regression set's messages may name, and what their config says.
COMMUNITIES: dict[str, dict[str, Any]] = {
    "course": {"course_space": True},
    "drama": {"drama_numbers_are_placeholders": True},
}
NONE = "none"


@dataclass(frozen=True, slots=True)
class Case:
    """One message of the regression set and what the bot should do about it."""

    text: str
    expect: str
    shape: str
    author_name: str | None = None
    mentions: tuple[str, ...] = ()
    reply_to: str | None = None
    community: str = "bench"

    @property
    def breach(self) -> bool:
        """Return True if the bot must act on this message."""
        return self.expect != NONE


def load_cases(path: Path = REGRESSION) -> list[Case]:
    """Read the regression set; a bad line is one DatasetError naming the file and line."""
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    cases: list[Case] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}: line {n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise DatasetError(f"{path}: line {n}: expected an object")
        text, expect, shape = row.get("text"), row.get("expect"), row.get("shape")
        if not isinstance(text, str) or not text.strip():
            raise DatasetError(f"{path}: line {n}: 'text' must be a non-empty string")
        if expect != NONE and expect not in ALL_LABELS:
            raise DatasetError(
                f"{path}: line {n}: 'expect' must be 'none' or a label, got {expect!r}"
            )
        if not isinstance(shape, str) or not shape:
            raise DatasetError(f"{path}: line {n}: 'shape' must be a non-empty string")
        community = row.get("community", "bench")
        if community != "bench" and community not in COMMUNITIES:
            raise DatasetError(f"{path}: line {n}: unknown community {community!r}")
        cases.append(
            Case(
                text=text,
                expect=str(expect),
                shape=shape,
                author_name=row.get("author_name"),
                mentions=tuple(str(m) for m in row.get("mentions", ())),
                reply_to=row.get("reply_to"),
                community=str(community),
            )
        )
    return cases


class Judge:
    """policybot's engine with the regression set's communities: what it acts on, and where."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def build(cls) -> Judge:
        """Build the engine with the default config plus :data:`COMMUNITIES`."""

        async def make() -> Engine:
            with tempfile.TemporaryDirectory() as tmp:
                core = await build_core_for_tests(Path(tmp), {"communities": COMMUNITIES})
                await core.close()
                return core.engine

        return cls(asyncio.run(make()))

    def message(self, case: Case, text: str | None = None) -> Message:
        """Return the message a case stands for (``text`` replaces its text)."""
        return Message(
            id="m1",
            text=case.text if text is None else text,
            author="regression-author",
            author_name=case.author_name,
            channel="general",
            community=case.community,
            platform="bench",
            mentions=case.mentions,
            reply_to=case.reply_to,
        )

    def acted(self, case: Case, text: str | None = None) -> dict[str, Finding]:
        """Return the breaches the default config acts on, by label."""
        message = self.message(case, text)
        settings = self.engine.config.settings_for("bench", case.community, "general")
        counted = self.engine.counted(self.engine.detect(message), settings)
        return {f.label: f for f in counted if not f.is_route}


# -- the regression set ---------------------------------------------------------------------------
@dataclass
class RegressionResult:
    """What the bot did with the regression set."""

    everyday: int = 0
    breaches: int = 0
    wrongly_acted: list[tuple[Case, list[str]]] = field(default_factory=list)
    missed: list[tuple[Case, list[str]]] = field(default_factory=list)
    shapes: Counter[str] = field(default_factory=Counter)
    shapes_wrong: Counter[str] = field(default_factory=Counter)


def run_regression(judge: Judge, cases: Sequence[Case]) -> RegressionResult:
    """Run every case: everyday messages must be left alone, breaches acted on as expected."""
    result = RegressionResult()
    for case in cases:
        labels = sorted(judge.acted(case))
        result.shapes[case.shape] += 1
        if case.breach:
            result.breaches += 1
            if case.expect not in labels:
                result.missed.append((case, labels))
                result.shapes_wrong[case.shape] += 1
        else:
            result.everyday += 1
            if labels:
                result.wrongly_acted.append((case, labels))
                result.shapes_wrong[case.shape] += 1
    return result


# -- the evasion suite ----------------------------------------------------------------------------
Transform = Callable[[str, str], str | None]

_SMALL_CAPS = dict(zip("abcdefghijklmnoprstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", strict=True))
_SMALL_CAPS_TABLE = str.maketrans({**_SMALL_CAPS, **{c.upper(): v for c, v in _SMALL_CAPS.items()}})
_CYRILLIC = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "y": "у", "i": "і"}
_EMOJI = "\U0001f525"
_DIGIT_WORDS = ["oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _replace_word(message: str, word: str, new: str) -> str | None:
    at = message.find(word)
    return None if at < 0 else message[:at] + new + message[at + len(word) :]


def _separated(sep: str) -> Transform:
    return lambda message, word: _replace_word(message, word, sep.join(word))


def _inner_vowels(word: str) -> list[int]:
    """Return where a word of four letters or more has vowels, first and last letter aside."""
    return (
        [j for j in range(1, len(word) - 1) if word[j].lower() in "aeiou"] if len(word) >= 4 else []
    )


def _masked(message: str, word: str) -> str | None:
    inner = _inner_vowels(word)
    if not inner:
        return None
    j = inner[len(inner) // 2]
    return _replace_word(message, word, word[:j] + "*" + word[j + 1 :])


def _halved(between: Callable[[str, str], str]) -> Transform:
    """Return a transform that puts something between (or around) a word's two halves."""

    def transform(message: str, word: str) -> str | None:
        if len(word) < 4:
            return None
        half = len(word) // 2
        return _replace_word(message, word, between(word[:half], word[half:]))

    return transform


_split = _halved(lambda a, b: f"{a} {b}")


def _no_spaces(message: str, word: str) -> str | None:
    # A leading mention stays a mention: "@jess youabsolutemoron".
    mention = re.match(r"(?:@\w+|<@\w+>) ", message)
    head = mention.group() if mention else ""
    rest = message[len(head) :]
    return head + rest.replace(" ", "") if " " in rest else None


def _url_encoded(message: str, word: str) -> str | None:
    return quote(message, safe="")


def _small_caps(message: str, word: str) -> str | None:
    # A link in small capitals would not open: links keep their letters.
    pieces = _LINK.split(message)
    links = _LINK.findall(message)
    out = [pieces[0].translate(_SMALL_CAPS_TABLE)]
    for link, piece in zip(links, pieces[1:], strict=True):
        out += [link, piece.translate(_SMALL_CAPS_TABLE)]
    return "".join(out)


def _capital_i_for_l(message: str, word: str) -> str | None:
    return _replace_word(message, word, word.replace("l", "I")) if "l" in word else None


def _palochka(message: str, word: str) -> str | None:
    if "i" not in word.lower():
        return None
    return _replace_word(message, word, re.sub("[iI]", "\u04c0", word))


def _confusables(message: str, word: str) -> str | None:
    new = "".join(_CYRILLIC.get(c, c) for c in word)
    return None if new == word else _replace_word(message, word, new)


def _article_glued(message: str, word: str) -> str | None:
    m = re.search(rf"\b(an?) {re.escape(word)}\b", message, re.IGNORECASE)
    if m is None:
        return None
    return message[: m.start()] + m.group(1) + " " + " ".join(word) + message[m.end() :]


def _right_to_left(message: str, word: str) -> str | None:
    # Stored backwards after a right-to-left override, so it shows as typed.
    return "\u202e" + message[::-1] + "\u202c"


#: Each letter upside down, as the "upside-down text" generators write them.
_UPSIDE_DOWN = str.maketrans("abcdefghijklmnopqrstuvwxyz',.!?", "ɐqɔpǝɟƃɥıɾʞlɯuodbɹsʇnʌʍxʎz,'˙¡¿")


def _upside_down(message: str, word: str) -> str | None:
    # The whole message turned over (read backwards, letters upside down); not where a link
    # or a mention would stop working.
    if _LINK.search(message) or "<@" in message:
        return None
    return message.lower().translate(_UPSIDE_DOWN)[::-1]


def _stretched(message: str, word: str) -> str | None:
    # Every vowel typed five times ("kiiiiill", "stuuuupiiiiid").
    new = re.sub("([aeiouAEIOU])", lambda m: m.group(1) * 5, word)
    return None if new == word else _replace_word(message, word, new)


def _symbol_masked(message: str, word: str) -> str | None:
    # Every inner vowel a percent sign ("k%ll", "st%p%d"), as automod dodgers type them.
    inner = _inner_vowels(word)
    if not inner:
        return None
    return _replace_word(
        message, word, "".join("%" if j in inner else c for j, c in enumerate(word))
    )


# Bold on the first half of the word: it shows as one word ("**stu**pid").
_markdown_cut = _halved(lambda a, b: f"**{a}**{b}")
_emoji_inside = _halved(lambda a, b: f"{a}\U0001f440{b}")


def _typed_backwards(message: str, word: str) -> str | None:
    # The whole message typed backwards, with no override: it shows backwards too. Not where a
    # link or a mention would stop working.
    if _LINK.search(message) or "<@" in message:
        return None
    return message[::-1]


#: Sentences of society notices a hostile one is buried between.
_NOTICES = (
    "quick reminder that the pub quiz is on thursday at 7pm in the su bar, teams of six, "
    "two pounds entry goes to the charity pot and there is a prize for best team name.",
    "anyway don't forget the dietary form for the ball, link is pinned, see you all thursday!",
)


def _buried(message: str, word: str) -> str | None:
    # The message between two sentences of notices: a long message read in windows.
    return f"{_NOTICES[0]} {message.rstrip('.')}. {_NOTICES[1]}"


#: Transforms of the word that set a finding off: name -> transform (None: does not apply).
TEXT_FAMILIES: dict[str, Transform] = {
    "letters separated by commas": _separated(","),
    "letters separated by slashes": _separated("/"),
    "letters separated by emoji": _separated(_EMOJI),
    "one letter masked with *": _masked,
    "word split in two": _split,
    "no spaces": _no_spaces,
    "URL-encoding": _url_encoded,
    "small caps": _small_caps,
    "capital I for l": _capital_i_for_l,
    "Cyrillic palochka for i": _palochka,
    "Cyrillic look-alikes": _confusables,
    "article glued onto spaced letters": _article_glued,
    "stored backwards after a right-to-left override": _right_to_left,
    "upside down": _upside_down,
    "vowels stretched": _stretched,
    "vowels masked with %": _symbol_masked,
    "bold on half the word": _markdown_cut,
    "emoji inside the word": _emoji_inside,
    "typed backwards": _typed_backwards,
    "buried in a long message": _buried,
}


def _phone(rewrite: Callable[[str], str]) -> Transform:
    return lambda message, number: _replace_word(message, number, rewrite(number))


def _grouped(number: str, sep: str) -> str:
    if " " in number:
        return number.replace(" ", sep)
    digits = number.lstrip("+")
    return number[: len(number) - len(digits)] + digits[:5] + sep + digits[5:]


def _spelled(number: str) -> str:
    return " ".join(_DIGIT_WORDS[int(c)] if c.isdigit() else c for c in number if c != " ")


#: Transforms of a phone number in a breach.
PHONE_FAMILIES: dict[str, Transform] = {
    "phone: thin spaces": _phone(lambda n: _grouped(n, "\u2009")),
    "phone: narrow no-break spaces": _phone(lambda n: _grouped(n, "\u202f")),
    "phone: digits spaced one by one": _phone(lambda n: " ".join(n.replace(" ", ""))),
    "phone: O for 0": _phone(lambda n: n.replace("0", "O")),
    "phone: digits as words": _phone(_spelled),
    "phone: fullwidth digits": _phone(lambda n: n.translate(_FULLWIDTH)),
    "phone: keycap digits": _phone(
        lambda n: "".join(c + "\ufe0f\u20e3" if c.isdigit() else c for c in n)
    ),
    "phone: zero-width between digits": _phone(lambda n: "\u200b".join(n.replace(" ", ""))),
    "phone: forty numbers before it": lambda message, number: (
        ", ".join(f"{1000000 + 7919 * k}" for k in range(40)) + ", " + message
    ),
}


def _email(rewrite: Callable[[str, str], str]) -> Transform:
    def transform(message: str, address: str) -> str | None:
        mailbox, _, domain = address.partition("@")
        return _replace_word(message, address, rewrite(mailbox, domain))

    return transform


#: Transforms of an e-mail address in a breach.
EMAIL_FAMILIES: dict[str, Transform] = {
    "e-mail: [at]": _email(lambda m, d: f"{m} [at] {d}"),
    "e-mail: (at)": _email(lambda m, d: f"{m}(at){d}"),
    "e-mail: at and dot words": _email(
        lambda m, d: f"{m.replace('.', ' dot ')} at {d.replace('.', ' dot ')}"
    ),
    "e-mail: spaces around @": _email(lambda m, d: f"{m} @ {d}"),
    "e-mail: fullwidth @": _email(lambda m, d: f"{m}\uff20{d}"),
}


@dataclass(frozen=True, slots=True)
class Evasion:
    """One breach rewritten by one transform family."""

    family: str
    case: Case
    text: str


@dataclass
class EvasionResult:
    """Per family: how many rewritten breaches were still acted on, out of how many."""

    caught: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    missed: list[Evasion] = field(default_factory=list)

    def share(self, family: str) -> float:
        """Return the share of a family's rewritten breaches still acted on."""
        return self.caught[family] / self.total[family] if self.total[family] else 0.0


_WORD = re.compile(r"[A-Za-z]{3,}")
_PHONE_TEXT = re.compile(r"\+?\(?\d[\d ()-]{5,}\d")
_EMAIL_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_WORDS = re.compile(r"phone|mobile|landline")
_LINK = re.compile(r"\S+://\S+")


def evasions(judge: Judge, cases: Sequence[Case]) -> list[Evasion]:
    """Rewrite every breach the bot acts on by every family that applies to its trigger."""
    out: list[Evasion] = []
    for case in cases:
        if not case.breach:
            continue
        finding = judge.acted(case).get(case.expect)
        if finding is None:
            continue  # a breach the bot misses is the regression set's business
        span = finding.span
        where = case.text if span is None else case.text[span[0] : span[1]]
        families: dict[str, Transform] = {}
        trigger = ""
        if case.expect == "personal-info":
            evidence = finding.evidence.lower()
            if "email" in evidence and (m := _EMAIL_TEXT.search(where)) is not None:
                families, trigger = EMAIL_FAMILIES, m.group()
            elif _PHONE_WORDS.search(evidence) and (m := _PHONE_TEXT.search(where)) is not None:
                families, trigger = PHONE_FAMILIES, m.group()
        else:
            # A link's own address cannot be respelled and still work: use the words around it.
            outside = _LINK.sub(" ", case.text if span is None or _LINK.search(where) else where)
            words = _WORD.findall(outside)
            families, trigger = TEXT_FAMILIES, max(words, key=len) if words else ""
        if not trigger:
            continue
        for family, transform in families.items():
            text = transform(case.text, trigger)
            if text is not None and text != case.text:
                out.append(Evasion(family, case, text))
    return out


def run_evasion(judge: Judge, cases: Sequence[Case]) -> EvasionResult:
    """Run the evasion suite generated from the cases' breaches."""
    result = EvasionResult()
    for evasion in evasions(judge, cases):
        result.total[evasion.family] += 1
        if evasion.case.expect in judge.acted(evasion.case, evasion.text):
            result.caught[evasion.family] += 1
        else:
            result.missed.append(evasion)
    return result


# -- output -----------------------------------------------------------------------------------
def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render_regression(result: RegressionResult) -> str:
    """Return the regression set's table as markdown."""
    everyday_acted = len(result.wrongly_acted)
    breaches_acted = result.breaches - len(result.missed)
    out = [
        "### Real-chat regression set (bench/regression/real_chat.jsonl)",
        "",
        "| messages | everyday acted on | breaches acted on |",
        "|---|---|---|",
        f"| {result.everyday + result.breaches} | {everyday_acted} of {result.everyday} "
        f"({_pct(everyday_acted / result.everyday if result.everyday else 0)}) "
        f"| {breaches_acted} of {result.breaches} "
        f"({_pct(breaches_acted / result.breaches if result.breaches else 0)}) |",
        "",
    ]
    if result.shapes_wrong:
        out.append(
            "Shapes with a wrong outcome: "
            + ", ".join(
                f"{shape} {n}/{result.shapes[shape]}"
                for shape, n in sorted(result.shapes_wrong.items())
            )
            + "."
        )
        out.append("")
    return "\n".join(out)


def render_evasion(result: EvasionResult) -> str:
    """Return the evasion suite's table as markdown: per family, the share still caught."""
    out = [
        "### Evasion suite (the regression set's breaches, rewritten)",
        "",
        "| transform family | caught | share |",
        "|---|---|---|",
    ]
    for family in (*TEXT_FAMILIES, *PHONE_FAMILIES, *EMAIL_FAMILIES):
        if result.total[family]:
            out.append(
                f"| {family} | {result.caught[family]} of {result.total[family]} "
                f"| {_pct(result.share(family))} |"
            )
    caught, total = sum(result.caught.values()), sum(result.total.values())
    out.append(f"| **all** | {caught} of {total} | {_pct(caught / total if total else 0)} |")
    out.append("")
    return "\n".join(out)
