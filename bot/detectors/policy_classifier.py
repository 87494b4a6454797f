"""The policy classifier: a small local encoder that reads what a message means, label by label.

Rules catch the phrasings their lists hold, with exact, explainable evidence; this detector
catches the rest. It is a cascade:

1. a first stage, the same kind of hashed word + character n-gram model as the toxicity model,
   trained to pass anything that could be a breach or need a route, read in the same pass as
   the n-gram heads (:mod:`bot.detectors.ngram_heads`, tens of microseconds); most everyday chat
   stops here;
2. the encoder (:class:`bot.detectors.encoder.Encoder`, int8 MiniLM via onnxruntime) scores the
   rest, one probability per head, and a head fires at its threshold from ``rules.yaml``.

A finding's score maps the head's probability onto 0.5..1 above its threshold, so the
config's ``threshold`` (0.5 by default) acts on every head the model is sure enough of, and a
moderator who raises it asks for more certainty. Offensive-or-threatening findings are high
severity when the threat head agrees (threats escalate at once). A banter marker ("lol",
"jk") changes nothing here: the model learned that "kys lol" is still a breach.

Long messages are read in windows of whole sentences (overlapping word windows where a
sentence is too long), and the highest probability counts.
Every window is scored alone, never batched with other messages (see :meth:`probabilities`).

Rule keys (besides the common ones)::

    model: models/policy-classifier     # the model folder, relative to the policy folder
    first_stage: true                   # false: every message reaches the encoder
    first_stage_threshold: 0.35         # the first stage's cut (default: the one in gate.model)
    first_stage_heads:                  # n-gram heads that also send a message on: what must
      wellbeing-risk: 0.5               #   never be stopped early (threats, distress)
    labels:                             # the heads this rule acts on, each with:
      personal-info: {threshold: 0.8, severity: medium, evidence: "..."}
      intimidation: {threshold: 0.6, short: {words: 6, threshold: 0.8}}  # more for a short one
      offensive-or-threatening:         # lower when the message is aimed at someone and another
        threshold: 0.7                  #   head agrees ("you are a horrible person")
        aimed: {at: [second-person], people: true, threshold: 0.5, needs: {offensive: 0.9}}
    threat_head: threat                 # an auxiliary head that raises severity
    threat_threshold: 0.5
    threat_severity: high
    unless:                             # a label stands down when the message holds one of
      offensive-or-threatening: [threat-asides]  # these lists' phrases (a petty aside)
    unless_quoted:                      # the same, but only when the message quotes a passage
      offensive-or-threatening: [fiction-cues]   #   ("the villain's line 'I'll find you'"):
                                                 #   "if you show up" quotes nothing
    unless_not_threat:                  # the same, but only while the threat head is below its
      offensive-or-threatening: [affection-cues] #   threshold ("love u tho" after an insult)
    games: [games]                      # "at/in/playing <game>": threats and intimidation are play
    hedges: [hedges]                    # framing the model also reads past ("asking for a friend")
    exclamations: [swearing]            # a message of only these words acts on no label
    other_languages: {words: [other-language-words], english: [english-function-words]}
                                        # a message in another language acts on no label
    quiet_in_course_spaces: [learning-platform-content]   # expected in a course's own space
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.detectors.base import MessageContext
from bot.detectors.encoder import Encoder, EncoderError
from bot.detectors.ngram_heads import NgramHeads
from bot.detectors.people import first_names_of, has_person
from bot.detectors.personal_info import contact_keys
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.phrases import not_names_of
from bot.detectors.play import games_played
from bot.detectors.spec import BuiltFromRule, RuleLists, RuleSpec
from bot.detectors.toxicity_model import LinearModel, ModelFileError, load_model, rules_folder
from bot.finding import Finding
from bot.normalize import normalize
from bot.normalize.acrostics import acrostic_words
from bot.normalize.edits import pieces_outside
from bot.quoted_report import attributed_quotation, has_quotation
from bot.taxonomy import ALL_LABELS, Severity

#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "model",
        "first_stage",
        "labels",
        "threat_head",
        "threat_threshold",
        "threat_severity",
        "unless",
        "unless_not_threat",
        "unless_quoted",
        "games",
        "quiet_in_course_spaces",
        "not_names",
        "first_names",
        "first_stage_threshold",
        "first_stage_heads",
        "hedges",
        "exclamations",
        "other_languages",
    }
)
#: Labels a game named as the place of the act excuses ("I'll kill you at Mario Kart").
PLAY_LABELS = frozenset({"offensive-or-threatening", "intimidation"})
#: Labels about contact details, which a community's own published contact is not ("ring
#: Jess on <the society's number>" shares no one's private details).
CONTACT_LABELS = frozenset({"personal-info", "privacy-tip"})
#: Where :meth:`PolicyClassifierDetector.eligible` puts the threat head's probability.
THREAT_KEY = "threat-head"
#: Appended to a label in :meth:`PolicyClassifierDetector.eligible` when its aimed reading holds.
AIMED_SUFFIX = "@aimed"
#: Words per window of a long message, and the words two windows share.
WINDOW_WORDS = 32
WINDOW_OVERLAP = 8
MAX_WINDOWS = 16
#: Sentences are packed into windows of at most this many words (a longer one is its own).
SENTENCE_WORDS = 16
#: The words of a normalized text (accents are folded by then: "está" is "esta").
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
#: The fewest everyday words of another language that make a message that language.
MIN_OTHER_WORDS = 2
#: What a hedge leaves behind: the comma or colon after it and doubled spaces.
_HEDGE_LEFTOVER = re.compile(r"(?:\s*[,:;]\s*){2,}|\s{2,}|^\s*[,:;]\s*")
#: Sentences end at . ! or ? and a space.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CACHE_SIZE = 4096

#: What a student reads when the model raised a label (the rule may say it in its own words).
PLAIN_WORDS: Mapping[str, str] = {
    "personal-info": "it seems to share someone else's personal details",
    "impersonation": "it seems to speak as someone else, in their name",
    "account-details": "it seems to hand over other students' account details",
    "abusive-content": "it reads as hostile or discriminatory towards a group or identity",
    "non-consensual-recording": "it seems to share a recording or photo made without consent",
    "learning-platform-content": "it seems to share material from Replay, Blackboard or Teams",
    "criminal-content": "it reads as offering or arranging something illegal",
    "academic-misconduct": "it reads as arranging or offering cheating",
    "assessment-content": "it seems to share exam or assessment material",
    "coursework-sharing": "it seems to share finished coursework for others to use",
    "rumours": "it reads as spreading a rumour about someone",
    "intimidation": "it reads as intimidating someone",
    "offensive-or-threatening": "it reads as an insult or a threat aimed at someone",
    "mocking": "it reads as mocking someone",
    "repeated-unwanted-contact": "it reads as contact someone asked to stop",
    "third-party-account-misuse": "it seems to use someone else's account",
    "confidential-info": "it seems to share confidential information",
    "disrepute": "it may bring the university into disrepute",
    "implied-official-view": "it may read as the university's own view",
    "report-intent": "it sounds like you want to report something",
    "wellbeing-risk": "it sounds like you may be going through a hard time",
    "privacy-tip": "it seems to share your own personal details publicly",
}


@dataclass(frozen=True, slots=True)
class HeadRule:
    """How one head of the model is acted on."""

    label: str
    index: int
    threshold: float
    severity: Severity
    evidence: str
    #: Other heads (by index) that must also reach a probability for this head to fire.
    needs: tuple[tuple[int, float], ...] = ()
    #: A message of fewer words than this needs ``short_threshold``: a five-word reply ("we'll
    #: see 👀", "wait how do you know that") carries too little to read menace from.
    short_words: int = 0
    short_threshold: float = 0.0
    aimed: AimedReading | None = None

    def threshold_for(self, text: str) -> float:
        """Return the threshold for a text: the short one when it is short."""
        if self.short_words and len(text.split()) < self.short_words:
            return max(self.threshold, self.short_threshold)
        return self.threshold

    @property
    def lowest(self) -> float:
        """Return the lowest probability at which this head can fire by any reading."""
        return self.threshold if self.aimed is None else min(self.threshold, self.aimed.threshold)


@dataclass(frozen=True, slots=True)
class AimedReading:
    """A head's second, lower threshold for a message aimed at someone.

    The model's offensive-or-threatening head weighs a heated message about a thing ("this
    timetable is a fucking joke") much as one about a person, so its own threshold sits high.
    A message said to or of a person (``at``: "you", "she is so") that the model also reads as
    strongly offensive (``needs``) is an insult with far less doubt.
    """

    at: PhraseMatcher
    threshold: float
    needs: tuple[tuple[int, float], ...]
    evidence: str
    #: With ``people``, a person named or mentioned also aims it ("Chloe is the most useless
    #: fake bitch on this course", "@rhys fucking clown"): a member's name, a mention, or a
    #: given name typed with a capital (:func:`bot.detectors.people.person_spans`).
    people: bool = False
    not_names: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()

    def holds(self, ctx: MessageContext, probabilities: Sequence[float]) -> bool:
        """Return True when the message is aimed at someone and the other heads agree."""
        if not all(probabilities[i] >= t for i, t in self.needs):
            return False
        return self.at.search(ctx.normalized) or (
            self.people and has_person(ctx, self.not_names, self.first_names)
        )


@dataclass(frozen=True, slots=True)
class Reading:
    """The first stage's reading of a window: n-gram head probabilities and the gate's."""

    heads: Mapping[int, float]
    gate: float | None


class Scorer:
    """The model folder's two readers of a text, averaged per head: the encoder (meaning) and
    one hashed n-gram model per head (``heads/<head>.model``: the words and spellings).

    The n-gram heads and the cascade's first stage (:meth:`use_gate`) are read together in one
    pass over a window (:class:`NgramHeads`); the encoder only where the cascade says.
    """

    def __init__(self, folder: Path) -> None:
        self.encoder = Encoder(folder)
        self.heads = self.encoder.heads
        self._folder = folder
        self._models: dict[int, LinearModel] = {}
        for i, head in enumerate(self.heads):
            path = folder / "heads" / f"{head}.model"
            if path.exists():
                self._models[i] = load_model(path)
        #: The heads (by index) that have an n-gram model, in the bank's column order.
        self.ngram_heads: tuple[int, ...] = tuple(sorted(self._models))
        self.has_gate = False
        self._bank = self._banked()

    def use_gate(self, gate: LinearModel) -> None:
        """Read the cascade's first stage in the same pass as the n-gram heads."""
        self._bank = self._banked(gate)
        self.has_gate = True

    def _banked(self, gate: LinearModel | None = None) -> NgramHeads | None:
        """Return the n-gram heads (and the gate, last) as one bank, or None when there are none."""
        bank = [self._models[i] for i in self.ngram_heads] + ([gate] if gate is not None else [])
        try:
            return NgramHeads(bank) if bank else None
        except ValueError as exc:
            raise ModelFileError(f"{self._folder / 'heads'}: {exc}") from None

    def first_reading(self, window: str) -> Reading:
        """Return the cheap reading of a window: each n-gram head's and the gate's probability."""
        if self._bank is None:
            return Reading({}, None)
        p = self._bank.probabilities(window)
        heads = dict(zip(self.ngram_heads, p.tolist(), strict=False))
        return Reading(heads, float(p[-1]) if self.has_gate else None)

    def read(self, window: str, first: Reading | None = None) -> tuple[float, ...]:
        """Return each head's probability for one window: the encoder's, averaged with the
        head's n-gram model where it has one."""
        ngrams = (first or self.first_reading(window)).heads
        (row,) = self.encoder.score([window])
        return tuple((p + ngrams[i]) / 2 if i in ngrams else p for i, p in enumerate(row))

    def score(self, text: str, windows: list[str] | None = None) -> tuple[float, ...]:
        """Return each head's probability for a text (its windows' highest when long).

        ``windows`` names the windows to read (by default all of :func:`_windows`).
        """
        result: tuple[float, ...] | None = None
        for window in windows or _windows(text) or [text]:
            row = self.read(window)
            result = row if result is None else tuple(map(max, result, row))
        assert result is not None
        return result


@dataclass
class PolicyClassifierDetector(BuiltFromRule):
    """Run the cascade on a message and report every head above its threshold."""

    spec: RuleSpec
    scorer: Scorer
    heads: tuple[HeadRule, ...]
    #: The first stage's cut (the scorer reads the gate model; no gate: every window passes).
    gate_threshold: float = 0.5
    #: N-gram heads (index, probability) that also pass a message through the first stage.
    gate_heads: tuple[tuple[int, float], ...] = ()
    threat_index: int | None = None
    threat_threshold: float = 0.5
    threat_severity: Severity = Severity.HIGH
    #: Framing the model reads past ("asking for a friend", "no offence but").
    hedges: PhraseMatcher | None = None
    #: Words that, making up the whole message, aim it at no one ("fuck fuck fuck").
    exclamations: frozenset[str] = frozenset()
    #: Everyday words of other languages, and English's own: a message with more of the first
    #: is in a language the model did not learn.
    other_language_words: frozenset[str] = frozenset()
    english_words: frozenset[str] = frozenset()
    unless: Mapping[str, PhraseMatcher] = field(default_factory=dict)
    #: Excuses that hold only while the threat head is below its threshold.
    unless_not_threat: Mapping[str, PhraseMatcher] = field(default_factory=dict)
    #: Excuses that hold only in a message that quotes a passage (a line from a film).
    unless_quoted: Mapping[str, PhraseMatcher] = field(default_factory=dict)
    games: PhraseMatcher | None = None
    quiet_in_course_spaces: frozenset[str] = frozenset()
    _cache: OrderedDict[str, tuple[float, ...] | None] = field(default_factory=OrderedDict)

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return a finding for each head whose probability reaches its threshold."""
        probabilities = self.eligible(ctx)
        findings = []
        for head in self.heads:
            p = probabilities.get(head.label)
            if p is None:
                continue
            threshold, evidence = head.threshold_for(ctx.normalized.text), head.evidence
            if p < threshold:
                if head.aimed is None or head.label + AIMED_SUFFIX not in probabilities:
                    continue
                if p < head.aimed.threshold:
                    continue
                threshold, evidence = head.aimed.threshold, head.aimed.evidence
            severity = head.severity
            if (
                head.label == "offensive-or-threatening"
                and probabilities.get(THREAT_KEY, 0.0) >= self.threat_threshold
            ):
                severity = max(severity, self.threat_severity, key=lambda s: s.rank)
            score = 0.5 + 0.5 * (p - threshold) / max(1e-9, 1.0 - threshold)
            findings.append(
                self.spec.finding(
                    evidence,
                    score=round(min(1.0, score), 3),
                    label=head.label,
                    severity=severity,
                )
            )
        return findings

    def eligible(self, ctx: MessageContext, *, below: bool = False) -> dict[str, float]:
        """Return each head's probability where nothing excuses it.

        A head is left out when its ``needs`` are not met, an ``unless`` list's phrase is in
        the message (an ``unless_quoted`` one beside a quoted passage), a game is where it
        happens, or the space is a course's own; and when it is under its lowest threshold
        (:attr:`HeadRule.lowest`), unless ``below`` (``python -m bench.tune_thresholds`` sets
        the thresholds on exactly these probabilities). The threat head's is under
        :data:`THREAT_KEY`; a label whose aimed reading holds is also under its name and
        :data:`AIMED_SUFFIX`. Nothing when the first stage stops the message.
        """
        # Swearing at nothing, and a language the model never learned, are no model's to act on.
        words = _WORDS.findall(ctx.normalized.text)
        if self._only_exclamations(words) or self._other_language(words):
            return {}
        # The model reads the normalized text (look-alikes folded, spaced letters joined), as
        # it did in training (:func:`model_text`), so an evasion reads like the plain word;
        # and again without the hedges that frame a breach as no breach ("hypothetically,
        # ..."), the higher of the two readings counting: the corpus's writers also put
        # "asking for a mate" before real requests, which the model learned as a sign.
        probabilities = self.probabilities(ctx.normalized.text)
        # Read again: without the hedges, and each word an acrostic's first letters spell, as
        # said to the reader ("you die"): at the end of a welcome poem it is one word of many.
        for reading in self.other_readings(ctx):
            past = self.probabilities(reading)
            if past is not None:
                probabilities = (
                    past if probabilities is None else tuple(map(max, probabilities, past))
                )
        if probabilities is None:
            return {}
        out = {}
        threat = (
            self.threat_index is not None
            and probabilities[self.threat_index] >= self.threat_threshold
        )
        for head in self.heads:
            if not below and probabilities[head.index] < head.lowest:
                continue  # the excuses below cost a phrase search each
            if any(probabilities[i] < t for i, t in head.needs):
                continue
            excuse = self.unless.get(head.label)
            if excuse is not None and excuse.search(ctx.normalized):
                continue
            cue = self.unless_quoted.get(head.label)
            if cue is not None and (
                attributed_quotation(ctx.message.text)
                or (cue.search(ctx.normalized) and has_quotation(ctx.message.text))
            ):
                continue
            fond = self.unless_not_threat.get(head.label)
            if fond is not None and not threat and fond.search(ctx.normalized):
                continue
            if head.label in PLAY_LABELS and self._at_play(ctx):
                continue
            if head.label in self.quiet_in_course_spaces and ctx.settings.course_space:
                continue
            if head.label in CONTACT_LABELS and _names_published_contact(ctx):
                continue
            out[head.label] = probabilities[head.index]
            if head.aimed is not None and head.aimed.holds(ctx, probabilities):
                out[head.label + AIMED_SUFFIX] = probabilities[head.index]
        if self.threat_index is not None:
            out[THREAT_KEY] = probabilities[self.threat_index]
        return out

    def _only_exclamations(self, words: list[str]) -> bool:
        """Return True when every word of a message (``words``) is an exclamation ("fuck fuck").

        Swearing at nothing is nobody's breach (the README's everyday chat), but a run of it
        reads to the model like abuse.
        """
        if not self.exclamations:
            return False
        return bool(words) and all(w in self.exclamations for w in words)

    def _other_language(self, words: list[str]) -> bool:
        """Return True when a message's ``words`` read as another language than English.

        The model learned English: "Mi gato negro se llama Sombra" reads to it as abuse.
        Two of the language's own everyday words or more, and more of them than English's.
        """
        if not self.other_language_words:
            return False
        other = sum(w in self.other_language_words for w in words)
        return other >= MIN_OTHER_WORDS and other > sum(w in self.english_words for w in words)

    def other_readings(self, ctx: MessageContext) -> list[str]:
        """Return the texts the model reads besides the message: less its hedges, and each
        word an acrostic in it spells, said to the reader ("you die")."""
        readings = [f"you {word}" for word, _ in acrostic_words(ctx.message.text)]
        hedged = self.model_reading(ctx)
        if hedged != ctx.normalized.text:
            readings.insert(0, hedged)
        return readings

    def model_reading(self, ctx: MessageContext) -> str:
        """Return the text the model reads a second time: the normalized text less its hedges.

        "Asking for a friend", "hypothetically" or "no offence but" change nothing about what
        a message offers or says of someone, but dilute it for a model that learned from
        plain statements. Excuses (``unless``) still read the whole message.
        """
        text = ctx.normalized.text
        if self.hedges is None:
            return text
        spans = self.hedges.spans(ctx.normalized)
        if not spans:
            return text
        return _HEDGE_LEFTOVER.sub(" ", " ".join(pieces_outside(text, spans))).strip(" ,:;-")

    def _at_play(self, ctx: MessageContext) -> bool:
        """Return True when the message names a game as where it happens ("at Mario Kart")."""
        return bool(games_played(ctx.normalized, self.games))

    def passes_first_stage(self, text: str) -> bool:
        """Return True when the cheap first stage sends this text on to the encoder."""
        return self._passes(self.scorer.first_reading(text))

    def _passes(self, first: Reading) -> bool:
        """Return True when a first reading sends its window on to the encoder."""
        if first.gate is None or first.gate >= self.gate_threshold:
            return True
        return any(first.heads[i] >= least for i, least in self.gate_heads)

    def probabilities(self, text: str) -> tuple[float, ...] | None:
        """Return the head probabilities of a text, or None when the first stage stops it.

        Each window is scored on its own: int8 dynamic quantisation scales activations per
        batch, so a batched score would depend on the messages beside it (and on two cores a
        batch is no faster). A repeated text (a flood, an edit) is answered from the cache.
        """
        if text in self._cache:
            self._cache.move_to_end(text)
            return self._cache[text]
        result: tuple[float, ...] | None = None
        # The first stage reads each window, so chatter around a threat cannot dilute it.
        for window in _windows(text):
            first = self.scorer.first_reading(window)
            if not self._passes(first):
                continue
            row = self.scorer.read(window, first)
            result = row if result is None else tuple(map(max, result, row))
        self._cache[text] = result
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return result


def _names_published_contact(ctx: MessageContext) -> bool:
    """Return True when the message holds one of its community's published contacts."""
    published = contact_keys(ctx.settings.published_contacts)
    if not published:
        return False
    text = ctx.message.text
    # All the message's digits in one run: a number is found however it is spaced, and
    # without its leading 0 when written "+44 ...".
    digits = re.sub(r"\D", "", text)
    lowered = text.lower()
    return any(
        key in lowered if "@" in key else len(key) >= 7 and key.lstrip("0") in digits
        for key in published
    )


def model_text(text: str) -> str:
    """Return a text as the model reads it, in training and at run time: normalized."""
    return normalize(text).text


def _windows(text: str) -> list[str]:
    """Return the text, or the windows of a long one (at most MAX_WINDOWS).

    A long message is read in windows of whole sentences, packed up to SENTENCE_WORDS words,
    as the model learned from chat messages a sentence or two long: a hostile sentence in a
    paragraph of notices ("...the social is friday. anyway do everyone a favour and die.
    right, good luck...") is not diluted by the rest (its offensive signal .15 in a window
    of 32 words, .97 in one of 16). Measured on OLID training's hold-out, the offensive
    signal's average precision: word windows .733, sentences packed to 16 words .730, to 32
    .740 (but the paragraph's threat lost), one sentence a window .725. A sentence longer
    than a window is read in overlapping word windows.
    """
    words = text.split()
    if len(words) <= WINDOW_WORDS:
        return [text] if words else []
    windows: list[str] = []
    packed: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        these = sentence.split()
        if len(these) > WINDOW_WORDS:
            if packed:
                windows.append(" ".join(packed))
                packed = []
            windows += _word_windows(these)
        elif len(packed) + len(these) > SENTENCE_WORDS:
            if packed:
                windows.append(" ".join(packed))
            packed = these
        else:
            packed += these
    if packed:
        windows.append(" ".join(packed))
    return windows[:MAX_WINDOWS]


def _word_windows(words: list[str]) -> list[str]:
    """Return overlapping windows of WINDOW_WORDS words."""
    step = WINDOW_WORDS - WINDOW_OVERLAP
    return [" ".join(words[i : i + WINDOW_WORDS]) for i in range(0, len(words), step)]


def _heads(spec: RuleSpec, encoder: Scorer, lists: RuleLists) -> tuple[HeadRule, ...]:
    """Read the ``labels:`` mapping into head rules, checked against the taxonomy and model."""
    value = spec.params.get("labels")
    if not isinstance(value, Mapping) or not value:
        raise spec.error("labels", "expected a mapping of label: {threshold, severity}")
    heads = []
    for label, options in value.items():
        where = f"labels.{label}"
        if label not in ALL_LABELS:
            raise spec.error(where, f"unknown label {label!r}")
        if label not in encoder.heads:
            raise spec.error(where, f"the model has no head {label!r}")
        if not isinstance(options, Mapping):
            raise spec.error(where, "expected {threshold, severity, evidence}")
        unknown = set(options) - {"threshold", "severity", "evidence", "needs", "short", "aimed"}
        if unknown:
            raise spec.error(
                f"{where}.{sorted(unknown)[0]}",
                "unknown key (known: aimed, evidence, needs, severity, short, threshold)",
            )
        short = options.get("short", {})
        if not isinstance(short, Mapping) or (short and set(short) != {"words", "threshold"}):
            raise spec.error(f"{where}.short", "expected {words: N, threshold: P}")
        if short and (
            isinstance(short["words"], bool)
            or not isinstance(short["words"], int)
            or short["words"] < 1
            or isinstance(short["threshold"], bool)
            or not isinstance(short["threshold"], int | float)
            or not 0 < short["threshold"] < 1
        ):
            raise spec.error(
                f"{where}.short", "expected a whole number of words and a threshold between 0 and 1"
            )
        needs = _needs(spec, encoder, f"{where}.needs", options.get("needs"))
        threshold = _probability(spec, f"{where}.threshold", options.get("threshold"))
        try:
            severity = Severity(options.get("severity", "medium"))
        except ValueError:
            raise spec.error(f"{where}.severity", "expected low, medium or high") from None
        evidence = options.get("evidence", PLAIN_WORDS.get(label, label))
        if not isinstance(evidence, str):
            raise spec.error(f"{where}.evidence", "expected text")
        heads.append(
            HeadRule(
                label,
                encoder.heads.index(label),
                float(threshold),
                severity,
                f"{evidence} (policy model)",
                needs,
                int(short.get("words", 0)),
                float(short.get("threshold", 0.0)),
                _aimed(spec, encoder, lists, f"{where}.aimed", options.get("aimed")),
            )
        )
    return tuple(heads)


def _probability(spec: RuleSpec, where: str, value: object) -> float:
    """Return ``value`` as a probability strictly between 0 and 1, or raise naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise spec.error(where, f"expected a number between 0 and 1, got {value!r}")
    return float(value)


def _needs(
    spec: RuleSpec, encoder: Scorer, where: str, wanted: object
) -> tuple[tuple[int, float], ...]:
    """Read ``{head: least probability}``: other heads that must agree, by index."""
    if not wanted:
        return ()
    if not isinstance(wanted, Mapping):
        raise spec.error(where, "expected a mapping of head: least probability")
    needs = []
    for other, least in wanted.items():
        if other not in encoder.heads:
            raise spec.error(f"{where}.{other}", f"the model has no head {other!r}")
        needs.append((encoder.heads.index(other), _probability(spec, f"{where}.{other}", least)))
    return tuple(needs)


def _aimed(
    spec: RuleSpec, encoder: Scorer, lists: RuleLists, where: str, value: object
) -> AimedReading | None:
    """Read ``aimed: {at: [lists], people: bool, threshold: P, needs: {head: P}}`` (absent: None)."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not {"at", "threshold"} <= set(value):
        raise spec.error(where, "expected {at: [list names], threshold: P, needs: {head: P}}")
    unknown = set(value) - {"at", "threshold", "needs", "evidence", "people"}
    if unknown:
        raise spec.error(
            f"{where}.{sorted(unknown)[0]}",
            "unknown key (known: at, evidence, needs, people, threshold)",
        )
    at = value["at"]
    if not isinstance(at, list) or not at or not all(isinstance(n, str) for n in at):
        raise spec.error(f"{where}.at", "expected a list of list names")
    threshold = _probability(spec, f"{where}.threshold", value["threshold"])
    needs = _needs(spec, encoder, f"{where}.needs", value.get("needs"))
    evidence = value.get("evidence", "it reads as an insult aimed at someone")
    if not isinstance(evidence, str):
        raise spec.error(f"{where}.evidence", "expected text")
    people = value.get("people", False)
    if not isinstance(people, bool):
        raise spec.error(f"{where}.people", "expected true or false")
    not_names = not_names_of(spec, lists) if people else frozenset()
    return AimedReading(
        lists.matcher(at, where),
        threshold,
        needs,
        f"{evidence} (policy model)",
        people,
        not_names,
        first_names_of(spec, lists, not_names) if people else frozenset(),
    )


def build(spec: RuleSpec, lists: RuleLists) -> PolicyClassifierDetector:
    """Build the classifier detector from its rule data: load the model folder once."""
    folder = rules_folder(spec) / spec.text("model")
    try:
        encoder = Scorer(folder)
    except (EncoderError, ModelFileError) as exc:
        raise spec.error("model", str(exc)) from None
    except ImportError as exc:
        raise spec.error("model", f"needs onnxruntime and tokenizers ({exc})") from None
    gate = None
    if spec.flag("first_stage", True):
        try:
            gate = load_model(folder / "gate.model")
            encoder.use_gate(gate)
        except ModelFileError as exc:
            raise spec.error("first_stage", str(exc)) from None
    threat_head = spec.params.get("threat_head")
    threat_index = None
    if threat_head is not None:
        if threat_head not in encoder.heads:
            raise spec.error("threat_head", f"the model has no head {threat_head!r}")
        threat_index = encoder.heads.index(str(threat_head))
    return PolicyClassifierDetector(
        spec=spec,
        scorer=encoder,
        heads=_heads(spec, encoder, lists),
        gate_threshold=spec.number(
            "first_stage_threshold", gate.threshold if gate is not None else 0.5
        ),
        gate_heads=_gate_heads(spec, encoder),
        threat_index=threat_index,
        threat_threshold=spec.number("threat_threshold", 0.5),
        threat_severity=spec.severity_param("threat_severity", Severity.HIGH),
        unless=_unless(spec, lists),
        unless_not_threat=_unless(spec, lists, "unless_not_threat"),
        unless_quoted=_unless(spec, lists, "unless_quoted"),
        games=lists.optional_matcher(spec, "games"),
        hedges=lists.optional_matcher(spec, "hedges"),
        exclamations=_single_words(spec, lists, "exclamations"),
        other_language_words=_single_words(spec, lists, "other_languages", "words"),
        english_words=_single_words(spec, lists, "other_languages", "english"),
        quiet_in_course_spaces=frozenset(spec.names("quiet_in_course_spaces")),
    )


def _single_words(
    spec: RuleSpec, lists: RuleLists, key: str, part: str | None = None
) -> frozenset[str]:
    """Return the one-word entries of the lists named under ``key`` (or its ``part``).

    Each as the normalizer leaves it (case and accents folded: "está" is "esta").
    """
    if part is None:
        names = spec.names(key)
        where = f"{spec.where}.{key}"
    else:
        value = spec.params.get(key) or {}
        if not isinstance(value, Mapping) or not isinstance(value.get(part, []), list):
            raise spec.error(key, f"expected a mapping with a list of list names under {part!r}")
        names = tuple(str(n) for n in value.get(part, []))
        where = f"{spec.where}.{key}.{part}"
    words: set[str] = set()
    for name in names:
        for phrase in lists.phrases(name, where):
            text = normalize(phrase).text
            if _WORDS.fullmatch(text):
                words.add(text)
    return frozenset(words)


def _gate_heads(spec: RuleSpec, scorer: Scorer) -> tuple[tuple[int, float], ...]:
    """Read ``first_stage_heads: {label: probability}`` (labels with an n-gram head)."""
    value = spec.params.get("first_stage_heads") or {}
    if not isinstance(value, Mapping):
        raise spec.error("first_stage_heads", "expected a mapping of label: probability")
    out = []
    for label, least in value.items():
        index = scorer.heads.index(label) if label in scorer.heads else -1
        if index not in scorer.ngram_heads:
            raise spec.error(
                f"first_stage_heads.{label}", f"the model has no n-gram head {label!r}"
            )
        if isinstance(least, bool) or not isinstance(least, int | float) or not 0 < least < 1:
            raise spec.error(
                f"first_stage_heads.{label}", f"expected a number between 0 and 1, got {least!r}"
            )
        out.append((index, float(least)))
    return tuple(out)


def _unless(spec: RuleSpec, lists: RuleLists, key: str = "unless") -> dict[str, PhraseMatcher]:
    """Read ``<key>: {label: [list, ...]}``: the lists whose phrases excuse a label."""
    value = spec.params.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise spec.error(key, "expected a mapping of label: [list names]")
    out = {}
    for label, names in value.items():
        if label not in ALL_LABELS:
            raise spec.error(f"{key}.{label}", f"unknown label {label!r}")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise spec.error(f"{key}.{label}", "expected a list of list names")
        out[str(label)] = lists.matcher(names, f"{spec.where}.{key}.{label}")
    return out
