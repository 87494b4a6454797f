"""Clean a message's text for matching while remembering where each character came from.

Students dodge word lists and contact-detail checks with zero-width characters, look-alike
letters from other scripts, leetspeak, letters spaced out or separated by commas, slashes or
emoji, a letter masked with ``*``, words split in two or glued together, URL-encoding, digits
spelled out or typed as look-alikes and ``[at]`` for ``@``. A :class:`Normalizer` undoes those
tricks and keeps, for every character of the cleaned text, the index of the original character
it came from, so a detector can point at the original span without the core keeping the text.

Every detector reads the one cleaned text, the personal-info detector included: digits inside
numbers, phone numbers, e-mail addresses, postcodes and ids are kept (or put back) as what
they are, so "O77OO 9OO123", "oh seven seven..." and "jake [at] gmail [dot] com" read as a
number and an address.

Steps, in order, each one linear in the text and skipped when a cheap test says it cannot
apply:

1. text after a right-to-left override put in the order it shows ("\u202eoy llik lliw i");
   base64 runs that decode to plain words decoded (:mod:`bot.normalize.encodings`);
   upside-down text turned over ("noʎ llıʞ llıʍ ı");
   URL-encoding decoded ("you%27re%20an%20idiot");
   with a lexicon, where the message says to read the first letters, the words they spell
   added after it (:mod:`bot.normalize.acrostics`), and a line typed backwards turned round
   ("uoy llik lliw i");
2. per-character folding: NFKC, zero-width/control/combining characters dropped, look-alike
   letters (Unicode's confusables, small capitals, enclosed and squared letters, the Cyrillic
   palochka) folded to ASCII, case folded;
   emoji that stand for a means of harm read as their word ("🔪" -> "knife");
   with a lexicon, in a message that points at rot13 or reads mostly as rot13, the words
   rot13 makes English of read;
3. contact details put back: ``[at]``, ``(at)``, "at"/"dot" words and spaces around ``@`` in
   an address; O for 0 in numbers; digits spelled out ("oh seven seven"); digits typed one by
   one with spaces between; Markdown markers that cut a word dropped ("**stu**pid"), and
   emoji typed inside a word ("un👀alive");
   with a lexicon, letters masked with ``%``, ``@`` or ``$`` filled in ("k%ll") and a symbol
   typed between a word's letters dropped where the letters are a word ("bl.ack", "k-ill");
4. leetspeak inside tokens that also hold letters (never inside an e-mail address or postcode;
   8, 9 and digit runs only where, with a lexicon, a known word comes out: "8r34k");
5. with a lexicon, letters spelt out by name read as the word they spell ("kay why ess" ->
   "kys", and the NATO alphabet: "kilo yankee sierra", :mod:`bot.normalize.letter_names`);
   with a lexicon, pig latin read, hyphenated or glued ("ill-kay ourself-yay", "illkay
   ourselfyay", :mod:`bot.normalize.pig_latin`); a line chopped by commas and fillers, or
   broken by thinking sounds, read without them ("kill, um, like, your, self", "i um will
   like uh hurt you", :mod:`bot.normalize.fillers`);
   letters separated by spaces or symbols
   ("i,d,i,o,t", "i/d/i/o/t", "f.u.c.k") joined, a one-letter article kept apart
   ("a m o r o n" -> "a moron");
6. with a lexicon (the words of the rules' lists, see :meth:`Normalizer.with_lexicon`): a
   letter masked with ``*`` or ``#`` filled in ("id*ot"), i read as l where only that makes a
   listed or common word ("kiII"), stretched letters read once or twice ("faaat"), a word
   typed without its vowels read as the one listed word that fits ("kll"), a listed word split
   in two joined ("idi ot"), a glued run of words split ("youreanidiot"), and one slip of the
   keyboard in a word of the ``misspelt-words`` list read as the word ("kil", "stabb"), never
   a word that is itself an English word ("therapist");
7. runs of three or more equal letters squeezed to two; whitespace collapsed.

The steps that need no word list live in their own modules: :mod:`bot.normalize.direction`
(step 1's order), :mod:`bot.normalize.characters` (step 2 and URL-decoding),
:mod:`bot.normalize.contacts` (step 3), :mod:`bot.normalize.edits` (the offsets every step
keeps) and :mod:`bot.normalize.wordlist` (the English words the lexicon steps weigh); this
module runs them in order and reads words.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.normalize.acrostics import acrostic_edit
from bot.normalize.characters import _FOLDS, _FOLDS_KEPT, _PERCENT_RUN, _percent_decode
from bot.normalize.contacts import _EMAIL, _POSTCODE, _contact_details
from bot.normalize.direction import _FLIPPED_ONLY, _RLO, _display_order, _turned_right_way_up
from bot.normalize.edits import Edit, Offsets, Span, _apply
from bot.normalize.encodings import base64_decoded, one_way_counts, rot13, rot13_words
from bot.normalize.fillers import THINKING_SOUND, filler_edits
from bot.normalize.letter_names import LETTER_NAME_HINT, letter_name_edits
from bot.normalize.pig_latin import pig_latin_edits
from bot.normalize.transliteration import transliteration_edits
from bot.normalize.wordlist import english_costs

#: Leetspeak digits and symbols, applied only inside tokens that also hold letters.
_LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
}
#: Digits read as letters only where that makes a known word ("8r34k", never "q8").
_LEET_LONE = frozenset("89")
#: Symbols read as letters only when letters flank them ("sh!t", "ki|l"), never at a word's end.
_LEET_INNER = {"!": "i", "|": "l"}


# A token for leetspeak: letters, digits and the symbols that stand for letters.
_LEET_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|")
_LEET_PAIR = re.compile(r"[a-z][0-9@$!|]|[0-9@$!|][a-z]")
_DIGIT_RUN = re.compile(r"[0-9]+")
# Tokens that look like ordinals, times or sizes keep their digits ("2nd", "10am", "5k").
_NUMERIC_SHAPE = re.compile(r"[0-9]+(?:st|nd|rd|th|am|pm|k|kg|km|m|mb|gb|p|x|s|h|hr|hrs|min|mins)")
# Between single letters: one space, or one to three symbols (commas, slashes, dots, emoji)
# with a space either side or none. An apostrophe is part of a word, never a separator.
_SEP = r"(?: ?(?:[^\w\s']|_){1,3} ?| )"
# Three or more single letters, each separated: "y o u", "f.u.c.k", "i,d,i,o,t", "i🔥d🔥i".
_SPACED = re.compile(rf"(?<![a-z0-9'])[a-z](?:{_SEP}[a-z]){{2,}}(?![a-z0-9])")
# In a message that spaces out its words, two-letter words are spaced out too ("m e").
_SPACED_PAIRS = re.compile(rf"(?<![a-z0-9'])[a-z](?:{_SEP}[a-z]){{1,}}(?![a-z0-9])")
#: Letters that are words in chat ("u r a star", "i c u"); a run of only these stays apart.
_CHAT_LETTERS = frozenset("aiurcynkbx")
#: One-letter words that may be glued onto the spaced letters after them ("a m o r o n").
_ONE_LETTER_WORDS = frozenset("aiu")
_SQUEEZE = re.compile(r"([a-z])\1{2,}")
# Markdown emphasis that cuts a word ("*bu*lly", "**stu**pid", "||die||", "`ignore`"): a
# marker opens after a space, a bracket or a quote (never inside a link's path, "/_123_1/") and
# the same marker closes on the same line.
_MARKDOWN = re.compile(
    r"(?<![^\s(\[\"'])(\*{1,3}|_{1,2}|~~|\|\||`)(?=[^\s*_~|`])([^\n]{1,200}?)(?<=[^\s*_~|`])\1"
)
# A doubled marker pair inside a word ("p**asswo**rd", "addera||ll||"): a single * there is
# a masked letter ("f*ck"), never a marker.
_MARKDOWN_INSIDE = re.compile(r"(?<=[a-z])(\*\*|\|\||__|~~)[a-z]{1,30}\1")
# Emoji or symbols typed inside a word ("un👀alive"): dropped between two letters (a dash
# between words, "moodle—sorry", is punctuation and stays).
_INSIDE_WORD = re.compile(r"(?<=[a-z])[^\w\s\x00-\x7f]+(?=[a-z])")
# A word with symbols in place of letters ("k%ll", "us@l@ss", "y%%rs%lf"): letters and
# mask symbols, at least one symbol between two letters.
_SYMBOL_MASKED = re.compile(r"(?<![\w@$%*#!?.])[a-z%@$*#!?]*[a-z][%@$*#!?]+[a-z][a-z%@$*#!?]*")
_MASK_SYMBOLS = frozenset("%@$*#!?")
_MARKDOWN_CHARS = frozenset("*_~|`")
# Letters with a symbol typed between them ("bl.ack", "wri*te", "k-ill", "yo'u", "ma^ke").
_INSERTED = re.compile(r"(?<![\w.@/])[a-z]+(?:[.*^'_~-][a-z]+)+(?![a-z0-9@/]|\.[a-z])")
_INSERTS = re.compile(r"[.*^'_~-]")
# An apostrophe before these is a contraction ("don't", "she'll"), never a trick.
_CONTRACTION = re.compile(r"'(?:s|t|ll|d|re|ve|m)(?![a-z])")
# Words of three letters or more, for telling whether a line reads better backwards.
_ASCII_WORD = re.compile(r"[a-z]{3,}")
# Handles, hashtags and links are names, not words: left out of that count.
#: The note that says a line is backwards: its own words read forwards and count for nothing.
_BACKWARDS_NOTE = re.compile(
    r"\b(?:read (?:it |this |that |me )?(?:backwards?|in reverse|right to left)|backwards|"
    r"reversed?|right to left|flip (?:it|this|that)|flipped)\b"
)
#: What sets off a part of a line that may be typed backwards on its own: a colon, brackets,
#: a dash, two dots or more, a pointing hand or an arrow either way.
_SEGMENT_BREAK = re.compile(
    r": |[()]| [-\u2013\u2014] | ?\.{2,} |\U0001F449|\U0001F448|=>|<=|\u2192|\u2190|\u2b05|\u27a1"
)
_HANDLES = re.compile(r"[@#]\S+|[a-z][a-z0-9+.-]{0,20}://\S+")
# Every kind of space is folded to " " first, so only runs of " " are left to collapse.
_SPACE_RUN = re.compile(r" {2,}")
# Control characters other than ASCII's are dropped or become spaces: only those need folding.
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Only these characters can stand for letters (see _LEET and _LEET_INNER).
_LEET_CHARS = re.compile(r"[0-9@$!|]")

# -- words (with a lexicon) -----------------------------------------------------------------
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: A word broken by a hyphen at a line's end, the rest on the next line.
_LINE_END_SPLIT = re.compile(r"(?<![a-z'])([a-z]+)-[ \n]([a-z]+)(?![a-z])")
_WORD_BEFORE = re.compile(r"([a-z']+)\W*$")
#: How far back the word before a masked token is looked for: searching from the start of the
#: message made a message of thousands of masked words ("f*ck f*ck ...") take quadratic time.
_NEIGHBOUR_CHARS = 64
_WORD_AFTER = re.compile(r"\W*([a-z']+)")
# A letter or two masked by "*" or "#" inside a word: "id*ot", "f**k", "b#tch".
_MASKED = re.compile(r"(?<![a-z0-9*#])[a-z]+[*#]{1,2}[a-z]+(?![a-z0-9*#])")
#: Characters next to which a word is part of an address, handle or path (a hashtag's words
#: are words: "#killyourself").
_ATTACHED = frozenset("@/\\.:_-=&")
#: The two-letter words a glued run may hold ("ur", "an"); the word list's other two-letter
#: entries are pieces of words ("ly", "ll", "th").
_SHORT_WORDS = frozenset(
    {"am", "an", "as", "at", "be", "by", "do", "go", "he", "hi", "if", "im", "in", "is", "it"}
    | {"me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to", "up", "ur", "us", "we", "ya"}
)
#: Chat abbreviations without vowels that the word list lacks: never a word with its vowels
#: dropped ("ngl", "lmk"), so they do not make a message read as written without vowels.
_CHAT_ABBREVIATIONS = frozenset(
    {"ngl", "lmk", "brb", "hmu", "gtg", "ttyl", "tmrw", "wknd", "pmsl", "tbf", "imo", "istg"}
    | {"ffs", "jfc", "nvm", "np", "ty", "tyvm", "gn", "gm", "hbd", "wbu", "hbu", "wyd", "wdym"}
    | {"smth", "sth", "cba", "srsly", "rly", "pwd", "dms", "pfp", "ppl", "nd", "pls", "plz"}
)
#: A message reads as written without vowels when at least this many of its words are
#: unknown words with no vowel ("xm pprs fr nxt wk") ...
_DEVOWELLED_WORDS = 3
#: ... and they are at least this share of its words.
_DEVOWELLED_SHARE = 0.3
#: In such a message, a vowelless word at least this rare (-log10 frequency) is read too.
_RARE_COST = 4.5
#: Endings that make a word of a listed word ("stupidly", "idiocy"): such a word is not glued.
_ENDINGS = (
    "ly",
    "ness",
    "ing",
    "ed",
    "er",
    "ers",
    "es",
    "s",
    "y",
    "ish",
    "less",
    "ful",
    "ic",
    "ical",
    "ally",
    "ism",
    "ist",
    "ity",
    "ery",
    "est",
    "ies",
    "ied",
    "in",
    # "retardant", "retardation": a word of chemistry or medicine, not a slur glued to "ant".
    "ant",
    "ants",
    "ance",
    "ation",
    "ations",
)
#: Words at least this common (-log10 of frequency) stand on their own: "use", "less".
_COMMON_COST = 4.5
#: How much cheaper a listed word is when splitting a glued run: "the replay", not
#: "there play".
_LISTED_BONUS = 1.5
#: Words that join "self" ("your self" -> "yourself") although both are words.
_SELF_OWNERS = frozenset({"your", "my", "him", "her", "them", "it", "our", "one"})
#: Where a word list has no frequency for a listed word: about one in a million words.
_LISTED_COST = 6.0
#: A glued run may hold one word no list knows (a name, a module code), of these lengths,
#: at this cost plus one a letter (dearer than any known word), making up at most a third of it.
_MIN_UNKNOWN = 3
_MAX_UNKNOWN = 12
_UNKNOWN_COST = 5.0
#: The longest glued run split into words.
_MAX_GLUED = 80
#: A glued token is split into words of at most this many letters.
_MAX_WORD = 18
#: Unknown words whose reading a normalizer remembers, then starts afresh.
_WORD_CACHE_SIZE = 20_000


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A message's cleaned, case-folded text and the map back to the original.

    ``offsets[i]`` is the index in ``original`` of the character that produced ``text[i]``.
    """

    original: str
    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of ``original`` that produced ``text[start:end]``."""
        if not self.offsets:
            return (0, 0)
        if end <= start:
            at = self.offsets[min(start, len(self.offsets) - 1)]
            return (at, at)
        # Text after a right-to-left override, or turned upside down, runs backwards: a span
        # is the hull of the characters it came from.
        inside = self.offsets[start:end]
        return (min(inside), max(inside) + 1)


class Normalizer:
    """Clean texts for matching; with a lexicon, also the tricks only a word list can undo.

    Without a lexicon (:data:`normalize`) it folds characters, contact details, leetspeak and
    spaced letters: the form phrases and names are compiled in. With one
    (:meth:`with_lexicon`, built from the rules' lists) it also reads masked, split and glued
    words, which needs to know which words matter and which are plain English.
    """

    def __init__(
        self,
        lexicon: Iterable[str] = (),
        costs: dict[str, float] | None = None,
        whole: Iterable[str] = (),
        pairs: Iterable[tuple[str, str]] = (),
        typo_words: Iterable[str] = (),
        names: Iterable[str] = (),
    ) -> None:
        words = {w.replace("'", "") for w in lexicon}
        # Words that are a phrase of their own ("shit", "idiot"), preferred when a masked
        # word could be several ("sh*t": "shit", not the "shut" of "shut up").
        self.whole: frozenset[str] = frozenset(w.replace("'", "") for w in whole)
        # Neighbouring words of the phrases: "know where", so "know wh*re" reads "where".
        self.pairs: frozenset[tuple[str, str]] = frozenset(
            (a.replace("'", ""), b.replace("'", "")) for a, b in pairs
        )
        self.lexicon: frozenset[str] = frozenset(w for w in words if len(w) >= 2 and w.isalpha())
        # Given names: read as typed, never split or respelt; but no piece of a glued run
        # (short names would cut "redistributed" up) and no evidence of which way a line reads.
        self._names: frozenset[str] = frozenset(names)
        # The cost of each word a glued token may be split into: -log10 of its frequency.
        self._costs: dict[str, float] = dict(costs or {})
        for word in self.lexicon:
            self._costs.setdefault(word, _LISTED_COST)
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(
            self.lexicon, key=lambda w: (w not in self.whole, -self._costs.get(w, 0.0), w)
        ):
            self._by_length.setdefault(len(word), []).append(word)
        self._readings: dict[str, str | None] = {}
        self._masked_fits: dict[tuple[str, frozenset[str]], list[str]] = {}
        # What each word costs as a piece of a glued run: one or two letters only as words of
        # chat; longer listed words cheaper, as likelier what the run hides ("the replay").
        self._pieces: dict[str, float] = {
            word: cost
            - (
                _LISTED_BONUS * (len(word) - 3) / 3
                if len(word) >= 4 and word in self.lexicon
                else 0.0
            )
            for word, cost in self._costs.items()
            if len(word) > 2 or _short_word(word)
        }
        # Each listed word with an l, filed under its spelling with i for l ("kiii" -> "kill");
        # common words of five letters or more too, since leetspeak's 1 is read as i
        # ("7rav3113r5" -> "traveiiers" -> "travellers"), unless that spelling is a word.
        self._by_i: dict[str, str] = {}
        for word in sorted(self.lexicon):
            # Never where the spelling with i is itself listed, or its plural: "spic" and
            # "spics" stay, though "splc" and "splc's" are.
            as_i = word.replace("l", "i")
            if (
                "l" in word
                and as_i not in self.lexicon
                and as_i.removesuffix("s") not in self.lexicon
            ):
                self._by_i.setdefault(as_i, word)
        for word in sorted(self._costs):
            if len(word) >= 5 and "l" in word:
                as_i = word.replace("l", "i")
                if as_i not in self._costs and as_i.removesuffix("s") not in self.lexicon:
                    self._by_i.setdefault(as_i, word)
        # Listed words filed under their letters without vowels after the first ("kill" under
        # "kll", "exam" under "exm"): a word typed without its vowels reads as the one listed
        # word that fits, never as one of several.
        skeletons: dict[str, set[str]] = {}
        for word in self.lexicon:
            if len(word) >= 4:
                skeletons.setdefault(_skeleton(word), set()).add(word)
        self._by_skeleton: dict[str, str] = {
            key: next(iter(words)) for key, words in skeletons.items() if len(words) == 1
        }
        # Every word filed under its letters without any vowel ("exam" under "xm"), built the
        # first time a whole message comes without vowels (see _devowelled).
        self._consonants: dict[str, str] | None = None
        # The listed words a glued run may hide, filed by their first four letters with the
        # lengths they come in: a run is searched with one look-up a letter.
        self._hidden: dict[str, set[int]] = {}
        for word in self.lexicon:
            if len(word) >= 4:
                self._hidden.setdefault(word[:4], set()).add(len(word))
        # The starts and ends of listed words: the halves a split word may have.
        self._halves: frozenset[str] = frozenset(
            half
            for word in self.lexicon
            if len(word) >= 4
            for k in range(1, len(word))
            for half in (word[:k], word[k:])
        )
        # Words read through one slip of the keyboard ("kil" -> "kill", "stabb" -> "stab"):
        # each misspelling that is no English word and stands for one word only.
        self._typos: dict[str, str] = _misspellings(
            {w for w in (t.replace("'", "") for t in typo_words) if len(w) >= 4 and w.isalpha()},
            self._costs,
        )
        # Words that stand on their own (see _word_alone), as a set for set operations.
        self._common: frozenset[str] = (
            frozenset(w for w, c in self._costs.items() if len(w) > 2 and c <= _COMMON_COST)
            | _SHORT_WORDS
        )

    @classmethod
    def with_lexicon(
        cls, phrases: Iterable[str], typo_phrases: Iterable[str] = (), names: Iterable[str] = ()
    ) -> Normalizer:
        """Return a normalizer that knows the words of ``phrases`` and the common English ones.

        The words of ``typo_phrases`` are also read through one slip of the keyboard; ``names``
        (given names) are known words, read as typed.
        """
        words: set[str] = set()
        whole: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for phrase in phrases:
            found = _WORD.findall(normalize(phrase).text)
            words.update(found)
            pairs.update(zip(found, found[1:], strict=False))
            if len(found) == 1:
                whole.add(found[0])
        typo_words = {w for p in typo_phrases for w in _WORD.findall(normalize(p).text)}
        costs = english_costs()
        given = {w for name in names for w in _WORD.findall(normalize(name).text)}
        return cls(words | typo_words, costs, whole, pairs, typo_words, given - set(costs))

    def __call__(self, text: str) -> NormalizedText:
        """Clean ``text`` for matching and keep the offsets back to it."""
        # Offsets stay the identity (None) until a step drops or adds characters: most messages
        # need no such step, and plain ASCII needs no folding beyond lower-casing.
        offs: list[int] | None = None
        work = text
        if _RLO in work:
            work, offs = _display_order(work)
        if not _FLIPPED_ONLY.isdisjoint(work):
            work, turned = _turned_right_way_up(work)
            offs = turned if offs is None else [offs[i] for i in turned]
        if "%" in work and _PERCENT_RUN.search(work):
            work, decoded = _percent_decode(work)
            offs = decoded if offs is None else [offs[i] for i in decoded]
        unpacked = base64_decoded(work)
        if unpacked is not None:
            work, spread = unpacked
            offs = spread if offs is None else [offs[i] for i in spread]
        if self._costs:
            acrostic = acrostic_edit(work)
            if acrostic is not None:
                work, offs = _apply(work, offs, [acrostic])
            backwards = self._backwards_lines(work)
            if backwards is not None:
                work, turned = backwards
                offs = turned if offs is None else [offs[i] for i in turned]
            if not work.isascii():
                # Before the look-alike folding, which would read "рип" as "pnn".
                work, offs = _apply(
                    work, offs, transliteration_edits(work, self._costs, _shape_reading)
                )
        if work.isascii() and not _ASCII_CONTROL.search(work):
            cleaned = work.lower()
        else:
            if len(_FOLDS) > _FOLDS_KEPT:
                _FOLDS.clear()
            cleaned = work.translate(_FOLDS)
            if not _FOLDS.wide.isdisjoint(work):
                base: Offsets = offs if offs is not None else range(len(work))
                offs = [base[i] for i, ch in enumerate(work) for _ in _FOLDS[ord(ch)]]
        if self._costs:
            cleaned = rot13_words(cleaned, self._costs) or cleaned
        cleaned, offs = _contact_details(cleaned, offs)
        if _MARKDOWN_CHARS.intersection(cleaned):
            cleaned, offs = _strip_markdown(cleaned, offs)
        if not cleaned.isascii():
            cleaned, offs = _apply(
                cleaned,
                offs,
                [
                    Edit(m.start(), m.end(), "", ())
                    for m in _INSIDE_WORD.finditer(cleaned)
                    if all(unicodedata.category(c)[0] == "S" for c in m.group())
                ],
            )
        if self.lexicon and not _MASK_SYMBOLS.isdisjoint(cleaned):
            cleaned = self._unmask_symbols(cleaned)
        if self.lexicon and _INSERTS.search(cleaned):
            cleaned, offs = self._drop_inserted(cleaned, offs)
        if _LEET_CHARS.search(cleaned):
            cleaned = _apply_leet(cleaned, self._known if self.lexicon else None)
        if self.lexicon and LETTER_NAME_HINT.search(cleaned):
            cleaned, offs = _apply(cleaned, offs, letter_name_edits(cleaned, self._spelt_word))
        if self._costs and "ay" in cleaned:
            cleaned, offs = _apply(cleaned, offs, pig_latin_edits(cleaned, self._costs))
        if cleaned.count(",") >= 3 or THINKING_SOUND.search(cleaned):
            cleaned, offs = _apply(cleaned, offs, filler_edits(cleaned))
        if _SPACED.search(cleaned):
            cleaned, offs = self._join_spaced_letters(cleaned, offs)
        if self.lexicon:
            cleaned, offs = self._read_words(cleaned, offs)
        if "  " in cleaned or cleaned[:1] == " " or cleaned[-1:] == " " or _SQUEEZE.search(cleaned):
            cleaned, offs = _squeeze_and_collapse(cleaned, offs)
        return NormalizedText(text, cleaned, tuple(range(len(cleaned)) if offs is None else offs))

    def _spelt_word(self, word: str) -> bool:
        """Return True when letters spelt out by name make a listed or an English word."""
        return word in self.lexicon or (len(word) >= 3 and word in self._costs)

    # -- spaced letters -------------------------------------------------------------------------
    def _join_spaced_letters(
        self, text: str, offs: list[int] | None
    ) -> tuple[str, list[int] | None]:
        """Join "y o u", "f.u.c.k" and "i,d,i,o,t" into words, keeping each letter's offset."""
        edits: list[Edit] = []
        for m in _SPACED_PAIRS.finditer(text):
            letters = [j for j in range(m.start(), m.end()) if text[j].isalpha()]
            joined = "".join(text[j] for j in letters)
            # "u r a star", "i c u", "a, b, c or d": chat letters, unless they spell a listed
            # word ("k y s").
            if all(c in _CHAT_LETTERS for c in joined) and joined not in self.lexicon:
                continue
            if (
                len(joined) > 3
                and joined[0] in _ONE_LETTER_WORDS
                and joined not in self.lexicon
                and joined[1:] in self.lexicon
            ):
                # "you're a m o r o n": the article is a word of its own.
                edits.append(
                    Edit(
                        m.start(),
                        m.end(),
                        joined[0] + " " + joined[1:],
                        [letters[0], letters[1], *letters[1:]],
                    )
                )
                continue
            edits.append(Edit(m.start(), m.end(), joined, letters))
        return _apply(text, offs, edits)

    # -- words --------------------------------------------------------------------------------
    def _read_words(self, text: str, offs: list[int] | None) -> tuple[str, list[int] | None]:
        """Fill in masked letters, read i as l, join split words and split glued ones."""
        chars: list[str] | None = None
        if "*" in text or "#" in text:
            for m in _MASKED.finditer(text):
                before = _WORD_BEFORE.search(text, max(0, m.start() - _NEIGHBOUR_CHARS), m.start())
                after = _WORD_AFTER.match(text, m.end())
                word = self._unmask(
                    m.group(),
                    before.group(1).replace("'", "") if before else "",
                    after.group(1).replace("'", "") if after else "",
                )
                if word:
                    chars = chars or list(text)
                    chars[m.start() : m.end()] = word
        if chars is not None:
            text = "".join(chars)
        found = _WORD.findall(text)
        # The words the word list lacks: both readers below start from them.
        unknown = set(found).difference(self._costs)
        readable, joins = self._worth_reading(found, unknown)
        if "-\n" in text or "- " in text:
            joins |= self._broken_at_line_ends(text)
        devowelled = self._devowelled(text, found, unknown) if unknown else {}
        if not readable and not joins and not devowelled:
            return text, offs
        edits: list[Edit] = []
        previous: re.Match[str] | None = None
        for m in _WORD.finditer(text):
            word = m.group()
            if word in devowelled and not _glued_to_digits(text, m.start(), m.end()):
                spelt = devowelled[word]
                edits.append(Edit(m.start(), m.end(), spelt, _positions(word, spelt, m.start())))
                previous = None
                continue
            if word in readable:
                bare = word.replace("'", "")
                reading = self._reading(bare, _stands_free(text, m.start(), m.end()))
                if reading is not None and "'" in word:
                    # "you'reanidiot": read without the apostrophe, written back with it; a
                    # reading with letters dropped ("paaass's") has nowhere to put it back.
                    fits = len(reading.replace(" ", "")) == len(bare)
                    reading = _with_apostrophes(word, reading) if fits else None
                if reading is not None:
                    positions = (
                        _subsequence_positions(word, reading, m.start())
                        if len(reading) < len(word)
                        else _positions(word, reading, m.start())
                    )
                    edits.append(Edit(m.start(), m.end(), reading, positions))
                    previous = None
                    continue
            if (
                previous is not None
                and (previous.group(), word) in joins
                and _split_between(text, previous.end(), m.start())
                and not (edits and edits[-1].end > previous.start())
            ):
                # "idi ot", "f uck", "mur-\nder": a listed word split in two.
                edits.append(Edit(previous.end(), m.start(), "", []))
                previous = None
                continue
            previous = m
        return _apply(text, offs, edits)

    def _devowelled(self, text: str, words: list[str], unknown: set[str]) -> dict[str, str]:
        """Return a reading for each vowelless word of a message written without vowels.

        "xm pprs fr nxt wk, gt thm frm th prntrm" hides its words from every list. When enough
        of a message's words are unknown and have no vowel, each vowelless word that is
        unknown or rare is read as the listed word with those consonants, else the commonest
        English one ("xm" -> "exam", "pprs" -> "papers", "fr" -> "for"). Chat abbreviations
        ("ngl tbh idk") and codes glued to digits ("csc1001") are neither counted nor read.
        """
        costs = self._costs

        def vowelless(w: str) -> bool:
            return (
                len(w) >= 2
                and not _VOWELS.intersection(w)
                and "y" not in w
                and w not in self._names
                and w not in _CHAT_ABBREVIATIONS
            )

        # Most messages have fewer than three unknown words at all.
        if len(unknown) < _DEVOWELLED_WORDS:
            return {}
        loose = {
            m.group()
            for m in _WORD.finditer(text)
            if vowelless(m.group()) and not _glued_to_digits(text, m.start(), m.end())
        }
        counted = [w for w in words if w in loose and w in unknown]
        if len(counted) < _DEVOWELLED_WORDS or len(counted) < _DEVOWELLED_SHARE * len(words):
            return {}
        if self._consonants is None:
            self._consonants = self._consonant_readings()
        # The rarer "words" without vowels are abbreviations too ("fr", "nxt", "wk"); the
        # common ones ("hmm", "pm") are kept.
        return {
            w: r
            for w in loose
            if costs.get(w, _RARE_COST) >= _RARE_COST and (r := self._consonants.get(w)) is not None
        }

    def _consonant_readings(self) -> dict[str, str]:
        """File each listed and English word under its consonants, the listed or commonest."""
        best: dict[str, tuple[bool, float, str]] = {}
        for word, cost in self._costs.items():
            if not word.isalpha() or len(word) < 2:
                continue
            key = "".join(c for c in word if c not in _VOWELS)
            if len(key) < 2 or key == word:
                continue
            rank = (word not in self.lexicon, cost, word)
            if key not in best or rank < best[key]:
                best[key] = rank
        return {key: rank[2] for key, rank in best.items()}

    def _worth_reading(
        self, words: list[str], unknown: set[str]
    ) -> tuple[set[str], set[tuple[str, str]]]:
        """Return the words that read as something else and the pairs that are one word split.

        Most messages are common words, or names and slang that read as nothing, and a split
        word has a half that is no common word: both usually come back empty from set
        operations in C.
        """
        costs = self._costs
        unique = set(words)
        readable = {
            word
            for word in unknown.difference(self._names)
            # An unknown word matters only if it reads as something (remembered per word).
            if (bare := word.replace("'", "")) not in costs
            and self._reading(bare, True) is not None
        }
        joins: set[tuple[str, str]] = set()
        # A split word has a half that is no common word, and is the start or end of a
        # listed word: names and typos are rarely either.
        rare = unique.difference(self._common).intersection(self._halves)
        if rare or "self" in unique or "selves" in unique:
            lexicon = self.lexicon
            joins = {
                (a, b)
                for a, b in zip(words, words[1:], strict=False)
                if (a in rare or b in rare or b in ("self", "selves"))
                and a + b in lexicon
                and len(a) + len(b) >= 4
                and self._may_join(a, b)
            }
        return readable, joins

    def _broken_at_line_ends(self, text: str) -> set[tuple[str, str]]:
        """Return the pairs a hyphen at a line's end splits out of one word ("pass-" "word").

        The hyphen and the line break say it is one word, so both halves may be common words;
        it is joined only when the whole is a listed or an English word ("well-" "known" is
        two). The line break may already read as a space here, as in :func:`_split_between`.
        """
        return {
            (a, b)
            for a, b in _LINE_END_SPLIT.findall(text)
            if len(a) + len(b) >= 5 and (a + b in self.lexicon or a + b in self._costs)
        }

    def _may_join(self, first: str, second: str) -> bool:
        """Return True if two words are one split ("mo ron"), not two words ("use less")."""
        if first in _SELF_OWNERS and second in ("self", "selves"):
            return True
        return not self._word_alone(first) or not self._word_alone(second)

    def _word_alone(self, word: str) -> bool:
        """Return True if a word stands on its own: a common word, or a short word of chat.

        "use less" and "be at" are two words; "mo ron" and "ki ll" are one word split.
        """
        if len(word) <= 2:
            return _short_word(word)
        return self._costs.get(word.replace("'", ""), math.inf) <= _COMMON_COST

    def _fits(self, token: str, masks: frozenset[str]) -> list[str]:
        """Return the listed words a masked token may stand for, remembered per token.

        A flood repeats its masked words ("f*ck f*ck ..."): each is matched against the
        lexicon once, not once a time it occurs.
        """
        key = (token, masks)
        found = self._masked_fits.get(key)
        if found is None:
            found = [
                word
                for word in self._by_length.get(len(token), ())
                if all(t == w or t in masks for t, w in zip(token, word, strict=True))
            ]
            if len(self._masked_fits) >= _WORD_CACHE_SIZE:
                self._masked_fits.clear()
            self._masked_fits[key] = found
        return found

    def _unmask(
        self, token: str, before: str, after: str, masks: frozenset[str] = frozenset("*#")
    ) -> str | None:
        """Return the listed word a masked token stands for ("id*ot" -> "idiot"), if one.

        Where several fit, the one a phrase puts beside its neighbours wins ("know wh*re you"
        -> "where"), then a word that is a phrase of its own ("sh*t" -> "shit").
        """
        fits = self._fits(token, masks)
        if len(token) > 3 and token[-1] == "s" and not (fits and fits[0] in self.whole):
            # A plural the lists name in the singular ("n*ggers", "sp*cs"), before a word that
            # only appears inside a phrase.
            stem = self._unmask(token[:-1], before, after, masks)
            if stem is not None and (stem in self.whole or not fits):
                return stem + "s"
        if len(fits) > 1:
            beside = [w for w in fits if (before, w) in self.pairs or (w, after) in self.pairs]
            return (beside or fits)[0]
        return fits[0] if fits else None

    def _reading(self, word: str, glued: bool) -> str | None:
        """Return what an unknown word stands for ("kiii" -> "kill", a glued run split), or None.

        ``glued`` says whether the word stands free (not part of an address, handle, hashtag
        or path), so that it may be a run of words typed without spaces.
        """
        key = word if glued else "/" + word
        if key in self._readings:
            return self._readings[key]
        reading = self._i_for_l(word)
        if reading is None:
            reading = self._undoubled(word)
        if reading is None and len(word) >= 3 and not _VOWELS.intersection(word[1:]):
            reading = self._by_skeleton.get(word)
        if reading is None and glued and 6 <= len(word) <= _MAX_GLUED:
            pieces = self._segment(word)
            if pieces is not None:
                reading = " ".join(pieces)
        if reading is None:
            reading = self._typos.get(word)
        if len(self._readings) >= _WORD_CACHE_SIZE:
            self._readings.clear()
        self._readings[key] = reading
        return reading

    def _i_for_l(self, word: str) -> str | None:
        """Return the listed word made by reading some i's as l ("kiii" -> "kill"), or None."""
        return self._by_i.get(word) if "i" in word else None

    def _undoubled(self, word: str) -> str | None:
        """Return the word a stretched one stands for ("faaat" -> "fat", "kyyys" -> "kys").

        Each run of three or more of a letter is read once or twice ("cr eep" keeps its
        "eep" for the split word to be joined); a listed word wins, then the commonest
        English one; of two listed words, one that is a phrase of its own ("weeeed" is
        "weed", not the "wed" of "wed night"). None when no way of reading it is a word.
        """
        runs = list(_SQUEEZE.finditer(word))
        if not runs or len(runs) > 4:
            return None
        best: tuple[int, int, float, str] | None = None
        for mask in range(1 << len(runs)):
            pieces: list[str] = []
            at = 0
            for k, run in enumerate(runs):
                pieces.append(word[at : run.start()])
                pieces.append(run.group(1) * (1 if mask >> k & 1 else 2))
                at = run.end()
            pieces.append(word[at:])
            candidate = "".join(pieces)
            if candidate == word:
                continue
            listed = candidate in self.lexicon
            cost = self._costs.get(candidate)
            if not listed and cost is None:
                continue
            rank = (
                0 if listed else 1,
                0 if candidate in self.whole else 1,
                cost if cost is not None else 0.0,
                candidate,
            )
            if best is None or rank < best:
                best = rank
        return best[3] if best is not None else None

    def _known(self, word: str) -> bool:
        """Return True if a word, or what reading i as l makes of it, is a word we know."""
        return (
            word in self._costs
            or word in self.lexicon
            or word in self._names
            or self._i_for_l(word) is not None
        )

    def _unmask_symbols(self, text: str) -> str:
        """Fill in letters masked with symbols ("k%ll", "us@l@ss", "y%%rs%lf") from the lists.

        A token leetspeak reads as a word ("h@ppy") is left to leetspeak; an e-mail address,
        a handle or a hashtag (a symbol first) is left alone.
        """
        chars: list[str] | None = None
        for m in _SYMBOL_MASKED.finditer(text):
            token = m.group()
            core = token.rstrip("!?")
            following = text[m.end() : m.end() + 1]
            if core[:1] in _MASK_SYMBOLS or len(core) < 3 or (following and following in "@."):
                continue
            leet = _leet_reading(core)
            if self._known(leet):
                continue
            if sum(c.isalpha() for c in core) < 2:
                continue
            before = _WORD_BEFORE.search(text, max(0, m.start() - _NEIGHBOUR_CHARS), m.start())
            after = _WORD_AFTER.match(text, m.end())
            word = self._unmask(
                core,
                before.group(1).replace("'", "") if before else "",
                after.group(1).replace("'", "") if after else "",
                _MASK_SYMBOLS,
            )
            if word is None:
                continue
            chars = chars or list(text)
            chars[m.start() : m.start() + len(core)] = word
        return text if chars is None else "".join(chars)

    def _drop_inserted(self, text: str, offs: list[int] | None) -> tuple[str, list[int] | None]:
        """Drop symbols typed between a word's letters ("bl.ack", "wri*te", "yo'u", "k-ill").

        Only where the letters alone are a word and the token is no contraction ("gmail.com",
        "st.john" and "don't" stay as typed).
        """
        edits: list[Edit] = []
        for m in _INSERTED.finditer(text):
            token = m.group()
            if _CONTRACTION.search(token) or (token in self._costs and "'" not in token):
                continue
            letters = _INSERTS.sub("", token)
            if len(letters) < 3 or not (letters in self._costs or letters in self.lexicon):
                continue
            edits += [
                Edit(m.start() + j, m.start() + j + 1, "", ())
                for j, c in enumerate(token)
                if _INSERTS.match(c)
            ]
        return _apply(text, offs, edits)

    def _backwards_lines(self, text: str) -> tuple[str, list[int]] | None:
        """Return the text with each line typed backwards turned round, or None if none is.

        "uoy llik lliw i" reads "i will kill you": a line, or a part of one set off by a colon,
        brackets, a dash or a pointing hand ("read this backwards: ...", "... (read right to
        left)", "decode this 👉 ..."), is turned when at least two of its words are English
        only backwards and none only forwards (or, in a longer line, three times as many and
        three more); handles and links are left out of the count. Offsets map each character
        back to where it was typed.
        """
        found: list[tuple[int, int]] = []
        at = 0
        for line in text.split("\n"):
            cuts = [(m.start(), m.end()) for m in _SEGMENT_BREAK.finditer(line)]
            edges = [0, *(e for c in cuts for e in c), len(line)]
            parts = [_stripped(line, edges[i], edges[i + 1], at) for i in range(0, len(edges), 2)]
            turned = [p for p in parts if self._reads_backwards(text[p[0] : p[1]])] if cuts else []
            if turned:
                found += turned
            elif self._reads_backwards(line):
                found.append((at, at + len(line)))
            at += len(line) + 1
        if not found:
            return None
        chars = list(text)
        offs = list(range(len(text)))
        for start, end in found:
            chars[start:end] = chars[start:end][::-1]
            offs[start:end] = offs[start:end][::-1]
        return "".join(chars), offs

    def _reads_backwards(self, part: str) -> bool:
        """Return True when a line or part of one reads as English only backwards."""
        costs = self._costs
        words = _ASCII_WORD.findall(_BACKWARDS_NOTE.sub(" ", _HANDLES.sub(" ", part.lower())))
        if len(words) < 2:
            return False
        # A part holding a listed word that reads only forwards already says something.
        if any(w in self.lexicon and w[::-1] not in costs for w in words):
            return False
        # Only a word that reads one way tells which: "evil"/"live", "lol", "wonk"/"know" read
        # both ways and say nothing.
        forwards, backwards = one_way_counts(words, _reversed, costs)
        # A line in rot13 has words that read backwards by chance ("gur" is "rug"): rot13
        # reads more of them, and is left to its own step.
        if backwards >= 2 and backwards <= one_way_counts(words, rot13, costs)[1]:
            return False
        return backwards >= 2 and (
            forwards == 0 or (backwards >= 3 * forwards and backwards - forwards >= 3)
        )

    def _split(self, token: str, *, unknown: bool) -> list[str] | None:
        """Return the cheapest split of a glued run into pieces (Viterbi), or None.

        With ``unknown``, one piece may be a word no list knows ("...paperforctec"), at a
        cost dearer than any known word's.
        """
        pieces_cost = self._pieces
        n = len(token)
        layers = 2 if unknown else 1
        # best[k][i]: the cheapest split of token[:i] with k unknown pieces.
        best = [[0.0] + [math.inf] * n, [math.inf] * (n + 1)]
        back = [[(0, 0)] * (n + 1), [(0, 0)] * (n + 1)]
        for end in range(1, n + 1):
            for start in range(max(0, end - _MAX_WORD), end):
                piece = token[start:end]
                cost = pieces_cost.get(piece)
                step = 0
                if cost is None:
                    if not unknown or not _MIN_UNKNOWN <= end - start <= _MAX_UNKNOWN:
                        continue
                    if piece in self._costs:
                        continue  # a word that may not be a piece ("ly"), not an unknown one
                    cost, step = _UNKNOWN_COST + end - start, 1
                for used in range(layers - step):
                    total = best[used][start] + cost
                    if total < best[used + step][end]:
                        best[used + step][end] = total
                        back[used + step][end] = (start, used)
        used = 0 if best[0][n] <= best[1][n] else 1
        if math.isinf(best[used][n]):
            return None
        pieces: list[str] = []
        end = n
        while end:
            start, before = back[used][end]
            pieces.append(token[start:end])
            end, used = start, before
        pieces.reverse()
        return pieces

    def _hides_a_listed_word(self, token: str) -> bool:
        """Return True if a listed word of four letters or more occurs inside ``token``."""
        hidden = self._hidden
        lexicon = self.lexicon
        for i in range(len(token) - 3):
            lengths = hidden.get(token[i : i + 4])
            if lengths and any(token[i : i + n] in lexicon for n in lengths):
                return True
        return False

    def _segment(self, token: str) -> list[str] | None:
        """Split a glued run into known words; None unless a listed word comes out of it."""
        costs = self._costs
        # A glued run is worth splitting only when a listed word of four letters or more
        # hides inside it.
        if not self._hides_a_listed_word(token):
            return None
        # "stupidly", "bitching": a word and an ending are one word the list does not hold;
        # so is one that doubles its last letter first ("spammed", "binned").
        if any(
            token.endswith(e)
            and (
                token[: -len(e)] in costs
                or (token[-len(e) - 1] == token[-len(e) - 2] and token[: -len(e) - 1] in costs)
            )
            for e in _ENDINGS
            if len(token) > len(e) + 2
        ):
            return None
        # Known words only first; one word no list knows (a name, a code) only if need be.
        pieces = self._split(token, unknown=False) or self._split(token, unknown=True)
        if pieces is None:
            return None
        listed = [p for p in pieces if len(p) >= 3 and p in self.lexicon]
        if len(pieces) < 2 or not listed:
            return None
        unknown_letters = sum(len(p) for p in pieces if p not in costs)
        if unknown_letters and (
            not any(len(p) >= 4 for p in listed) or 3 * unknown_letters > len(token)
        ):
            return None
        return pieces


def _reversed(word: str) -> str:
    """Return a word spelt backwards."""
    return word[::-1]


def _misspellings(words: set[str], costs: dict[str, float]) -> dict[str, str]:
    """Return each one-slip misspelling of ``words`` mapped to the word it stands for.

    A slip is a letter dropped ("kil"), doubled or added ("stabb"), two letters swapped
    ("kill" as "klil") or, in words of five letters or more, one letter typed for another
    ("murdor"). A misspelling that is an English word or a listed one ("stag", "kiln") is
    never read, nor one that two listed words share.
    """
    found: dict[str, str | None] = {}
    letters = "abcdefghijklmnopqrstuvwxyz"
    for word in sorted(words):
        slips: set[str] = set()
        for i in range(len(word)):
            slips.add(word[:i] + word[i + 1 :])
            slips.update(word[:i] + c + word[i:] for c in letters)
            if i + 1 < len(word):
                slips.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
            if len(word) >= 5:
                slips.update(word[:i] + c + word[i + 1 :] for c in letters)
        slips.update(word + c for c in letters)
        for slip in slips:
            if slip == word or len(slip) < 3 or slip in costs or slip in words:
                continue
            found[slip] = None if found.get(slip, word) != word else word
    return {slip: word for slip, word in found.items() if word is not None}


def _split_between(text: str, end: int, start: int) -> bool:
    """Return True if what lies between two words may split one: a space, or a hyphen at a
    line's end ("mur-" then "der" on the next line)."""
    gap = text[end:start]
    return gap == " " or (len(gap) == 2 and gap[0] == "-" and gap[1] in " \n")


def _stripped(line: str, start: int, end: int, at: int) -> tuple[int, int]:
    """Return a part of a line without the spaces at its ends, as offsets into the text."""
    while start < end and line[start] == " ":
        start += 1
    while end > start and line[end - 1] == " ":
        end -= 1
    return at + start, at + end


def _short_word(piece: str) -> bool:
    """Return True if a piece of one or two letters is a word on its own ("a", "ur")."""
    return piece in _ONE_LETTER_WORDS if len(piece) == 1 else piece in _SHORT_WORDS


def _stands_free(text: str, start: int, end: int) -> bool:
    """Return True if the word at ``text[start:end]`` is not part of an address or path.

    A full stop after it ends a sentence unless a letter or digit follows ("gmail.com").
    """
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before in _ATTACHED or after.isalpha():
        return False
    if after == ".":
        return not text[end + 1 : end + 2].isalnum()
    return after not in _ATTACHED


def _with_apostrophes(word: str, reading: str) -> str:
    """Return a reading of a word read without its apostrophes, with them put back."""
    out: list[str] = []
    letters = iter(reading)
    for c in word:
        if c == "'":
            out.append(c)
            continue
        nxt = next(letters)
        while nxt == " ":
            out.append(nxt)
            nxt = next(letters)
        out.append(nxt)
    return "".join(out)


def _positions(word: str, reading: str, start: int) -> list[int]:
    """Return, for each character of a word's reading, where it came from in the word.

    A reading is the word itself with letters changed, or split by spaces: a space comes
    from the letter after it.
    """
    out: list[int] = []
    j = 0
    for c in reading:
        out.append(start + min(j, len(word) - 1))
        if c != " ":
            j += 1
    return out


_VOWELS = frozenset("aeiou")


def _glued_to_digits(text: str, start: int, end: int) -> bool:
    """Return True for letters joined to digits: a code ("csc1001", "b4"), not a word."""
    return (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())


def _skeleton(word: str) -> str:
    """Return a word without its vowels after the first letter ("exam" -> "exm")."""
    return word[0] + "".join(c for c in word[1:] if c not in _VOWELS)


def _subsequence_positions(word: str, reading: str, start: int) -> list[int]:
    """Return where each character of a shorter reading came from ("faat" -> "fat")."""
    out: list[int] = []
    j = 0
    for c in reading:
        while j < len(word) - 1 and word[j] != c:
            j += 1
        out.append(start + j)
        j = min(j + 1, len(word) - 1)
    return out


def _strip_markdown(text: str, offs: list[int] | None) -> tuple[str, list[int] | None]:
    """Drop Markdown markers that cut words ("*bu*lly", "**stu**pid", "||die||", "p**ass**word")."""
    edits: list[Edit] = []
    for m in _MARKDOWN.finditer(text):
        marker = len(m.group(1))
        edits.append(Edit(m.start(), m.start() + marker, "", ()))
        edits.append(Edit(m.end() - marker, m.end(), "", ()))
    for m in _MARKDOWN_INSIDE.finditer(text):
        if any(e.start < m.end() and m.start() < e.end for e in edits):
            continue
        edits.append(Edit(m.start(), m.start() + 2, "", ()))
        edits.append(Edit(m.end() - 2, m.end(), "", ()))
    return _apply(text, offs, sorted(edits, key=lambda e: e.start))


# -- leetspeak, spacing -----------------------------------------------------------------------
def _leet_reading(token: str) -> str:
    """Return a token with every digit and symbol read as the letter it stands for."""
    return "".join(_LEET.get(c, _LEET_INNER.get(c, c)) for c in token)


def _apply_leet(text: str, known: Callable[[str], bool] | None = None) -> str:
    """Read digits and symbols as letters inside word-like tokens, leave numbers alone.

    E-mail addresses and postcodes are what they are: "jo@gmail.com", "le1 9bh". A token
    that looks like a number or a code is read only when ``known`` says its reading is a
    word ("cr!min415" -> "criminals", never "dan415").
    """
    chars: list[str] | None = None
    done = 0
    kept: list[Span] = []
    if "@" in text:
        kept += [m.span() for m in _EMAIL.finditer(text)]
    kept += [m.span() for m in _POSTCODE.finditer(text)]
    # Sorted, with the furthest end reached so far, so each token asks in log time whether it
    # overlaps an address or postcode (a message of thousands of them stays linear).
    kept.sort()
    starts = [s for s, _ in kept]
    reach = list(itertools.accumulate((e for _, e in kept), max))
    # Only a token with a letter next to a digit or symbol can change: start from those.
    for pair in _LEET_PAIR.finditer(text):
        start = pair.start()
        if start < done:
            continue
        while start and text[start - 1] in _LEET_TOKEN_CHARS:
            start -= 1
        done = pair.end()
        while done < len(text) and text[done] in _LEET_TOKEN_CHARS:
            done += 1
        token = text[start:done]
        if _NUMERIC_SHAPE.fullmatch(token):
            continue
        before = bisect.bisect_left(starts, done)
        if before and reach[before - 1] > start:
            continue
        numeric = any(len(run) > 2 and len(set(run)) > 1 for run in _DIGIT_RUN.findall(token))
        has_lone = len(token) >= 4 and not _LEET_LONE.isdisjoint(token)
        # The token read as leetspeak is a word we know: asked once, only where it decides.
        reads = known is not None and (numeric or has_lone) and known(_leet_reading(token))
        # A long digit run is a number ("P12345678"), unless it is one digit stretched ("n000b").
        if numeric and not reads:
            continue
        # An 8 or a 9 is a letter only where the whole token then reads as a word we know
        # ("8r34k"): "q8", "9ams", "v9" and an IBAN's "gb82" keep their digits.
        lone = has_lone and reads
        for j, c in enumerate(token):
            if c in _LEET_LONE and not lone:
                continue
            if c in _LEET and not (c == "@" and j == 0):
                chars = chars or list(text)
                chars[start + j] = _LEET[c]
            elif (
                c in _LEET_INNER
                and 0 < j < len(token) - 1
                and token[j - 1].isalpha()
                and token[j + 1].isalpha()
            ):
                chars = chars or list(text)
                chars[start + j] = _LEET_INNER[c]
    return text if chars is None else "".join(chars)


def _squeeze_and_collapse(text: str, offs: list[int] | None) -> tuple[str, list[int]]:
    """Squeeze letter runs to two and space runs to one space; trim the ends."""
    drops = [Edit(m.start() + 2, m.end(), "", ()) for m in _SQUEEZE.finditer(text)]
    drops += [Edit(m.start() + 1, m.end(), "", ()) for m in _SPACE_RUN.finditer(text)]
    text, kept = _apply(text, offs, sorted(drops, key=lambda e: e.start))
    kept = list(range(len(text))) if kept is None else kept
    if text[:1] == " ":
        text, kept = text[1:], kept[1:]
    if text[-1:] == " ":
        text, kept = text[:-1], kept[:-1]
    return text, kept


#: The normalizer without a lexicon: characters, contact details, leetspeak and spacing.
normalize = Normalizer()


def _shape_reading(word: str) -> str:
    """Return a word as the look-alike folding reads it, lower-cased."""
    return word.translate(_FOLDS).lower()
