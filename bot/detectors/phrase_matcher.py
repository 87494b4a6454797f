"""A phrase list compiled into one pattern that matches whole words of normalized text.

Phrases are written plainly in ``lists/*.yaml`` ("watch your back", "you're dead"). Each is
normalized like a message, then compiled so that:

* it matches whole words only: "ass" never matches "assistance" or "classic"; a phrase
  whose last word has three letters or more also matches its plural ("cunts", "rapists",
  "trannies");
* ``...`` stands for up to three words ("ring ... on" matches "ring jess on");
* an apostrophe inside a word is optional ("you're" matches "youre");
* in words of four letters or more a single letter also matches a doubled one, because the
  normalizer squeezes "stuuupid" to "stuupid" but not to "stupid";
* ``i`` and ``l`` match each other in words of three letters or more, because leetspeak "1"
  stands for either;
* the second person also matches its chat spellings (:data:`CHAT_SPELLINGS`: "kill u", "watch
  ur back", "ur dead", "kill urself"), as every list would otherwise need each one written out.

Each phrase compiles to one pattern, tried only when every word of it (in a loose form that
ignores doubling, i/l and plurals) occurs in the text, so a list of hundreds of phrases costs
a few set look-ups on most messages. The phrases are our own escaped text, never a user's
regex, so the standard library's engine is safe here; regexes written in rules go through
google-re2 instead (see :mod:`bot.detectors.regex`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.normalize import NormalizedText, normalize

#: How many words ``...`` may stand for.
GAP_WORDS = 3
_GAP = rf"(?:[^ ]+ ){{0,{GAP_WORDS}}}"
_SEP = r"[^a-z0-9']{1,3}"
_BEFORE = r"(?<![a-z0-9])"
_AFTER = r"(?![a-z0-9])"
_TOKEN = re.compile(r"[a-z0-9']+")
#: How students type the second person in chat, for a listed word. "your" is not a spelling of
#: "you're" here ("your dead hamster" is no threat), nor "ya" of "you" (in Hindi and Urdu chat
#: it means "or"; the toxicity rules weigh it as a weaker target instead).
CHAT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "you": ("u", "yu", "yoo", "yous", "youse"),
    "you're": ("ur", "u r", "ure", "yoo r"),
    "your": ("ur", "yr", "yor"),
    # The cleaner may split an unknown word: "urself" reads "ur self".
    "yourself": (
        "urself",
        "ur self",
        "your self",
        "uself",
        "u self",
        "yourslef",
        "yorself",
        "yor self",
    ),
    # Not the second person, but typed as often in a threat: "ur ded".
    "dead": ("ded",),
}


class PhraseMatcher:
    """Find any of a list of phrases, as whole words, in normalized text."""

    def __init__(self, phrases: Iterable[str]) -> None:
        cleaned = sorted({normalize(p).text for p in phrases if p.strip()}, key=len, reverse=True)
        self.phrases: tuple[str, ...] = tuple(p for p in cleaned if p)
        self._compiled = tuple(re.compile(_phrase_pattern(p)) for p in self.phrases)
        # Each phrase is filed under the rarest-looking (longest) of its word keys; a phrase
        # is only tried when all its keys occur in the text.
        self._index: dict[str, list[tuple[int, frozenset[str]]]] = {}
        self._always: list[int] = []
        for i, phrase in enumerate(self.phrases):
            keys = _phrase_keys(phrase)
            if not keys:
                self._always.append(i)
                continue
            self._index.setdefault(max(keys, key=len), []).append((i, keys))
        self._filed = frozenset(self._index)

    def __bool__(self) -> bool:
        """Return False for a matcher with no phrases, which never matches."""
        return bool(self.phrases)

    def trigger_keys(self) -> frozenset[str] | None:
        """Return the word keys a text must hold one of to match, or None if it needs none.

        A text whose :func:`text_keys` share nothing with these matches no phrase. None means
        some phrase is tried on every text (one made only of symbols, say).
        """
        return None if self._always else self._filed

    def search(self, text: NormalizedText | str) -> bool:
        """Return True if any phrase occurs; a plain string is normalized first."""
        cleaned = _cleaned(text)
        return any(self._compiled[i].search(cleaned) for i in self._candidates(cleaned))

    def find(self, text: NormalizedText | str) -> tuple[int, int] | None:
        """Return the span in the normalized text of the first phrase found, or None."""
        spans = self.spans(text)
        return spans[0] if spans else None

    def spans(self, text: NormalizedText | str) -> list[tuple[int, int]]:
        """Return the spans in the normalized text of phrases found, left to right.

        Where phrases overlap, the one starting first wins, then the longer one.
        """
        cleaned = _cleaned(text)
        found = [
            m.span() for i in self._candidates(cleaned) for m in self._compiled[i].finditer(cleaned)
        ]
        if len(found) < 2:
            return found
        found.sort(key=lambda s: (s[0], -s[1]))
        kept = [found[0]]
        for span in found[1:]:
            if span[0] >= kept[-1][1]:
                kept.append(span)
        return kept

    def _candidates(self, cleaned: str) -> list[int]:
        """Return the phrases whose words all occur in the text (a cheap prefilter)."""
        if not self.phrases:
            return []
        keys = text_keys(cleaned)
        # One set intersection in C rules out most lists on most messages.
        filed = self._filed & keys
        if not filed:
            return self._always
        out = list(self._always)
        for key in filed:
            for i, needed in self._index[key]:
                if needed <= keys:
                    out.append(i)
        return out


def _cleaned(text: NormalizedText | str) -> str:
    return text.text if isinstance(text, NormalizedText) else normalize(text).text


def _skeleton(word: str) -> str:
    """Return a word with apostrophes dropped, l read as i and letter runs squeezed to one."""
    word = word.replace("'", "").replace("l", "i")
    return "".join(c for j, c in enumerate(word) if j == 0 or c != word[j - 1])


def _phrase_keys(phrase: str) -> frozenset[str]:
    """Return the skeletons of a phrase's words, all of which a matching text must contain.

    A word with chat spellings is not required: the text may hold any of them.
    """
    return frozenset(
        key
        for word in _TOKEN.findall(phrase)
        if word != "..." and word not in CHAT_SPELLINGS and (key := _skeleton(word))
    )


@lru_cache(maxsize=256)
def text_keys(text: str) -> frozenset[str]:
    """Return the keys of a normalized text's words: skeletons, apostrophe parts, singulars.

    Remembered for the last few texts, so every matcher and rule reading one message shares
    one computation.
    """
    return frozenset().union(*map(_token_keys, set(_TOKEN.findall(text))))


@lru_cache(maxsize=16384)
def _token_keys(token: str) -> tuple[str, ...]:
    """Return the keys one word of a text contributes (chat reuses its words: remembered)."""
    keys: list[str] = []
    for part in (token, *token.split("'")) if "'" in token else (token,):
        key = _skeleton(part)
        if not key:
            continue
        keys.append(key)
        if key.endswith("s"):
            keys.append(key[:-1])
            if key.endswith("es"):
                keys.append(key[:-2])
            if part.endswith("ies") and len(part) > 5:
                # "trannies", "bullies": the singular ends in "y" (squeezed from the word, not
                # the key, whose "ll" + "i" run together).
                keys.append(_skeleton(part[:-3] + "y"))
    return tuple(keys)


#: A last word whose plural ends in "ies": a consonant before its final "y", four letters or more.
_Y_PLURAL = re.compile(r"[a-z]{2}[^aeiouy\W\d]y$")


def _phrase_pattern(phrase: str) -> str:
    """Return the regex for one normalized phrase."""
    parts: list[str] = []
    words = phrase.split(" ")
    # A gap at either end means nothing, so it is dropped.
    words = [w for i, w in enumerate(words) if w != "..." or 0 < i < len(words) - 1]
    for i, word in enumerate(words):
        if word == "...":
            parts.append(_SEP + _GAP)
            continue
        if i and words[i - 1] != "...":
            parts.append(_SEP)
        spellings = CHAT_SPELLINGS.get(word)
        if spellings:
            forms = [_word_pattern(word), *(re.escape(s) for s in spellings)]
            parts.append(f"(?:{'|'.join(forms)})")
        else:
            parts.append(_word_pattern(word))
    # A plural ending for a last noun ("idiots"), never for a pronoun: "u" + "s" is "us", and
    # "mum's going to kill us" threatens no one.
    last = words[-1]
    if last not in CHAT_SPELLINGS and sum(c.isalpha() for c in last) >= 3 and last[-1].isalpha():
        parts.append("(?:e?s)?")
        if _Y_PLURAL.search(last):
            # A consonant and "y" make their plural in "ies": "tranny", "trannies".
            parts[-2:] = [f"(?:{parts[-2]}(?:e?s)?|{_word_pattern(last[:-1])}ies)"]
    body = "".join(parts)
    before = _BEFORE if phrase[0].isalnum() else ""
    after = _AFTER if phrase[-1].isalnum() else ""
    return f"{before}{body}{after}"


def _word_pattern(word: str) -> str:
    """Return the regex for one word, tolerant of squeezed repeats and i/l swaps."""
    letters = sum(c.isalpha() for c in word)
    stretch = letters >= 4
    swap = letters >= 3
    out: list[str] = []
    i = 0
    while i < len(word):
        c = word[i]
        run = 1
        while i + run < len(word) and word[i + run] == c:
            run += 1
        if c == "'":
            # Optional between letters ("youre"); required at a word's edge ("'s number").
            inside = i > 0 and i + run < len(word)
            out.append("'?" if inside else "'")
        elif c.isalpha():
            atom = "[il]" if swap and c in "il" else re.escape(c)
            if run == 1 and stretch:
                out.append(f"{atom}{{1,2}}")
            else:
                out.append(atom * min(run, 2))
        else:
            out.append(re.escape(c) * run)
        i += run
    return "".join(out)
