"""A linear toxicity model over hashed word and character n-grams, scored in pure Python.

The weights are learned offline by ``python -m bench.train_toxicity`` and shipped as a small
versioned file in the policy folder (``models/``). Scoring one message is a few hundred
array look-ups: no numpy, no scikit-learn, no model hub, so the hot path costs well under a
tenth of a millisecond and works on a fresh machine offline.

Features (version 1), from the raw message text:

* the text is lower-cased, links become ``url``, mentions and handles ``@user``, and runs of
  three or more equal characters are squeezed to two ("sooooo" -> "soo");
* words (``[a-z0-9']+``) and single symbols or emoji are tokens;
* every token and every pair of neighbouring tokens is a feature, and so is every n-gram
  (``char_min`` to ``char_max`` bytes) of each word's UTF-8 bytes padded with spaces;
* each feature is hashed with CRC-32 into ``2**buckets_log2`` buckets, and the message's
  vector is the bucket counts divided by the square root of the number of features.

The model is ``p = sigmoid(bias + scale * sum(weights[b] for b in features) / sqrt(n))``.
Hashing keeps the file free of any text from the training data.

The detector fires at the model's calibrated threshold with the rule's severity (low: the
signal is "offensive language", which includes friendly swearing) and raises the severity to
``aimed_severity`` only when the message addresses someone (a second-person word, a mention or
a member's name) *and* its offence is aimed: the model still finds the message offensive (its
``threshold``) without what aims at no one. That is swearing as an exclamation or intensifier
(``undirected``: "@alex that exam was fucking hard", "Holy shit, you're right!"), a term after
a negator ("you're not an idiot"), a term praising something ("a stupidly good cook": ``terms``
before a ``praise`` word) and a term describing a thing ("how stupid this assignment is"). A
mention makes a message addressed, not aimed; fondness in so many words (``affection``: "ur
such an idiot lol love u tho") keeps the finding at the rule's own severity. Threats are other
rules' and the policy classifier's, which no banter or fondness cancels.

Rule keys (besides the common ones)::

    model: models/toxicity-v1.model
    threshold: 0.8                 # default: the model's own
    targets: [second-person]
    aimed_threshold: 0.9
    aimed_severity: medium
    undirected: [swearing]
    negators: negators
    terms: [insults, mild-insults]
    praise: [praise-words]
    affection: [affection-cues]
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import sys
import zlib
from array import array
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bot.detectors.base import MessageContext
from bot.detectors.people import person_spans
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.phrases import not_names_of, words_apart
from bot.detectors.spec import BuiltFromRule, RuleError, RuleLists, RuleSpec
from bot.finding import Finding
from bot.normalize.edits import pieces_outside
from bot.taxonomy import Severity

FILE_FORMAT = "policybot-linear-model"
#: Words whose summed weights a model remembers (a few MB at most), then starts afresh.
TOKEN_CACHE_SIZE = 50_000
FEATURES_VERSION = 1

#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "model",
        "threshold",
        "targets",
        "aimed_threshold",
        "aimed_severity",
        "undirected",
        "negators",
        "terms",
        "praise",
        "affection",
        "not_names",
        "evidence",
    }
)
#: Words between a negator and the term it negates: "not a complete idiot".
NEGATION_WORDS = 3
_THING_AFTER = re.compile(r"\W{0,2}(?:this|that|these|those|the)\s+[a-z]")
_LAST_WORD = re.compile(r"([a-z']+)\W{0,2}$")

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"<@!?\w+>|(?<!\w)@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")
_REPEATED = re.compile(r"(.)\1\1")
_TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """How text becomes hashed features; stored in the model file so both sides agree."""

    buckets_log2: int = 20
    char_min: int = 3
    char_max: int = 5
    word_bigrams: bool = True
    version: int = FEATURES_VERSION


def prepare(text: str) -> str:
    """Return the text as the model reads it: lower-cased, links and mentions replaced."""
    # Each pattern runs only where it can match: most chat has no link, mention or stretch.
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    text = text.lower()
    return _REPEAT.sub(r"\1\1", text) if _REPEATED.search(text) else text


def features(text: str, spec: FeatureSpec) -> list[int]:
    """Return the hashed feature buckets of a text, one entry per occurrence."""
    mask = (1 << spec.buckets_log2) - 1
    crc = zlib.crc32
    out: list[int] = []
    add = out.append
    previous = "<s>"
    for token in _TOKEN.findall(prepare(text)):
        add(crc(("w " + token).encode()) & mask)
        if spec.word_bigrams:
            add(crc(("b " + previous + " " + token).encode()) & mask)
        previous = token
        out += _char_grams(token, spec, mask)
    return out


def _char_grams(token: str, spec: FeatureSpec, mask: int) -> list[int]:
    """Return the hashed character n-grams of one token (none for a lone symbol)."""
    if len(token) == 1 and not token.isalnum():
        return []
    crc = zlib.crc32
    # Character n-grams are taken over the UTF-8 bytes: one encode per word, not per gram.
    padded = (" " + token + " ").encode()
    length = len(padded)
    return [
        crc(padded[i : i + n]) & mask
        for n in range(spec.char_min, spec.char_max + 1)
        for i in range(length - n + 1)
    ]


class _Token(NamedTuple):
    """One word as a model weighs it; ``pair_start`` is the CRC of ``"b <word> "``."""

    weight: int
    features: int
    utf8: bytes
    pair_start: int


#: The CRC a message's first word pair starts from (the pair of "<s>" and the first word).
_START_PAIR = zlib.crc32(b"b <s> ")


T = TypeVar("T")


def remember(cache: dict[str, T], word: str, make: Callable[[str], T]) -> T:
    """Return ``make(word)``, kept in a word cache that is emptied when it grows too big."""
    if len(cache) >= TOKEN_CACHE_SIZE:
        cache.clear()
    made = cache[word] = make(word)
    return made


class ModelFileError(Exception):
    """A model file that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Quantized weights of a logistic regression over :func:`features`, and its metadata.

    ``threshold`` is the probability the model was calibrated to fire at; ``meta`` records
    where it came from (training data, held-out scores) for the record, never for scoring.
    """

    version: str
    spec: FeatureSpec
    bias: float
    scale: float
    weights: array[int]
    threshold: float
    meta: Mapping[str, Any] = field(default_factory=dict)
    # Each token's word and character n-gram weights, summed once: chat reuses its words.
    _tokens: dict[str, _Token] = field(default_factory=dict, init=False, repr=False, compare=False)

    def margin(self, text: str) -> float:
        """Return the model's log-odds that the text is offensive.

        The sum over :func:`features`, taken token by token: a token's own features are
        weighed once and remembered; a word pair's hash continues the CRC of its first word.
        """
        spec = self.spec
        mask = (1 << spec.buckets_log2) - 1
        w = self.weights
        tokens = self._tokens
        crc = zlib.crc32
        total = count = 0
        previous = _START_PAIR
        for word in _TOKEN.findall(prepare(text)):
            weight, features, utf8, pair_start = tokens.get(word) or remember(
                tokens, word, self._token
            )
            total += weight
            count += features
            if spec.word_bigrams:
                total += w[crc(utf8, previous) & mask]
                count += 1
            previous = pair_start
        if not count:
            return self.bias
        return self.bias + self.scale * total / math.sqrt(count)

    def _token(self, word: str) -> _Token:
        """Weigh one word's own features: the word and its character n-grams.

        The same features as :func:`features` (see ``_char_grams``), summed as they are
        hashed: this runs for every word the model has not met yet.
        """
        spec = self.spec
        mask = (1 << spec.buckets_log2) - 1
        w = self.weights
        crc = zlib.crc32
        utf8 = word.encode()
        weight = w[crc(b"w " + utf8) & mask]
        count = 1
        if len(word) > 1 or word.isalnum():
            padded = b" " + utf8 + b" "
            length = len(padded)
            for n in range(spec.char_min, spec.char_max + 1):
                for i in range(length - n + 1):
                    weight += w[crc(padded[i : i + n]) & mask]
                count += max(0, length - n + 1)
        return _Token(weight, count, utf8, crc(b"b " + utf8 + b" "))

    def probability(self, text: str) -> float:
        """Return the model's probability that the text is offensive."""
        m = self.margin(text)
        if m < -60:
            return 0.0
        return 1.0 / (1.0 + math.exp(-m))


def save_model(model: LinearModel, path: Path) -> None:
    """Write a model file: a JSON header line, then the int16 weights, all gzip-compressed."""
    data = _little_endian(model.weights).tobytes()
    header = {
        "format": FILE_FORMAT,
        "version": model.version,
        "features": asdict(model.spec),
        "bias": model.bias,
        "scale": model.scale,
        "threshold": model.threshold,
        "weights": len(model.weights),
        "sha256": hashlib.sha256(data).hexdigest(),
        "meta": dict(model.meta),
    }
    line = json.dumps(header, sort_keys=True).encode() + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    # No name and mtime=0 in the gzip header: the same weights give a byte-identical file.
    with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as out:
        out.write(line + data)


def load_model(path: Path) -> LinearModel:
    """Read a model file written by :func:`save_model`; raise ModelFileError on any problem."""
    try:
        blob = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        raise ModelFileError(f"{path}: model file not found") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise ModelFileError(f"{path}: not a policybot model file ({exc})") from None
    line, _, data = blob.partition(b"\n")
    try:
        header = json.loads(line)
        if header.get("format") != FILE_FORMAT:
            raise ModelFileError(f"{path}: format is {header.get('format')!r}, not {FILE_FORMAT}")
        spec = FeatureSpec(**header["features"])
        if spec.version != FEATURES_VERSION:
            raise ModelFileError(
                f"{path}: features version {spec.version}, this policybot reads "
                f"{FEATURES_VERSION}: retrain with python -m bench.train_toxicity"
            )
        if hashlib.sha256(data).hexdigest() != header["sha256"]:
            raise ModelFileError(f"{path}: weights do not match their checksum (damaged file)")
        weights = array("h")
        weights.frombytes(data)
        if len(weights) != header["weights"] or len(weights) != 1 << spec.buckets_log2:
            raise ModelFileError(f"{path}: expected {header['weights']} weights")
        return LinearModel(
            version=str(header["version"]),
            spec=spec,
            bias=float(header["bias"]),
            scale=float(header["scale"]),
            weights=_little_endian(weights),
            threshold=float(header["threshold"]),
            meta=header.get("meta", {}),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{path}: bad model header: {exc}") from None


def _little_endian(values: array[int]) -> array[int]:
    """Return int16 weights in file order (little-endian) or back; a copy on big-endian hosts."""
    if sys.byteorder == "little":
        return values
    swapped = array("h", values)
    swapped.byteswap()
    return swapped


@dataclass(frozen=True, slots=True)
class ToxicityModelDetector(BuiltFromRule):
    """Fire when the linear model finds a message offensive; aimed messages weigh more."""

    spec: RuleSpec
    model: LinearModel
    threshold: float
    aimed_threshold: float
    aimed_severity: Severity
    targets: PhraseMatcher | None = None
    undirected: PhraseMatcher | None = None
    negators: PhraseMatcher | None = None
    terms: PhraseMatcher | None = None
    praise: PhraseMatcher | None = None
    #: Fondness said in so many words ("love u tho"): an insult between friends stays low.
    affection: PhraseMatcher | None = None
    #: The single words of ``terms`` and ``undirected``, to tell "stupidly" before "good".
    term_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    evidence: str = "offensive language (toxicity model)"

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding when the model's probability reaches the threshold."""
        p = self.model.probability(ctx.message.text)
        if p < self.threshold:
            return []
        severity = self.spec.severity
        if (
            p >= self.aimed_threshold
            and self._addresses_someone(ctx)
            and not (self.affection is not None and self.affection.search(ctx.normalized))
            and self.model.probability(self.aimed_text(ctx)) >= self.threshold
        ):
            severity = self.aimed_severity
        return [
            self.spec.finding(self.evidence, score=round(p * self.spec.score, 3), severity=severity)
        ]

    def aimed_text(self, ctx: MessageContext) -> str:
        """Return the message without what aims at no one.

        That is undirected swearing, and terms that are negated, praise or describe a thing.
        """
        norm = ctx.normalized
        text = norm.text
        drops: list[tuple[int, int]] = []
        terms = self.terms.spans(norm) if self.terms is not None else []
        if self.undirected is not None:
            # Swearing inside an insult ("a piece of shit") is the insult's.
            drops += [
                u
                for u in self.undirected.spans(norm)
                if not any(u[0] < t[1] and t[0] < u[1] for t in terms)
            ]
        if terms:
            negations = self.negators.spans(norm) if self.negators is not None else []
            for t in terms:
                negated = any(
                    n[1] <= t[0] and words_apart(text, n, t) <= NEGATION_WORDS for n in negations
                )
                # "how stupid this assignment is": the term describes the thing after it.
                if negated or _THING_AFTER.match(text, t[1]):
                    drops.append(t)
        if self.praise is not None:
            for p in self.praise.spans(norm):
                last = _LAST_WORD.search(text, 0, p[0])
                if last and _stem_of(last.group(1)) & self.term_words:
                    drops.append(last.span(1))
        if not drops:
            return text
        return " ".join("".join(pieces_outside(text, drops)).split())

    def _addresses_someone(self, ctx: MessageContext) -> bool:
        if ctx.message.mentions:
            return True
        if self.targets is not None and self.targets.search(ctx.normalized):
            return True
        return bool(person_spans(ctx, self.not_names))


def _stem_of(word: str) -> frozenset[str]:
    """Return a word and what it may be an adverb of: "stupidly" -> {"stupidly", "stupid"}."""
    forms = {word}
    for ending, back in (("ingly", ""), ("ly", ""), ("ily", "y"), ("ally", "al")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms.add(word[: -len(ending)] + back)
    return frozenset(forms)


def rules_folder(spec: RuleSpec) -> Path:
    """Return the folder of the rules file a rule came from (``where`` starts with its path)."""
    return Path(spec.where.rsplit(": rules[", 1)[0]).parent


def build(spec: RuleSpec, lists: RuleLists) -> ToxicityModelDetector:
    """Build a model detector from its rule data, loading the model file it names."""
    name = spec.text("model")
    path = Path(name)
    if not path.is_absolute():
        path = rules_folder(spec) / path
    try:
        model = load_model(path)
    except ModelFileError as exc:
        raise RuleError([f"{spec.where}.model: {exc}"]) from None
    threshold = spec.number("threshold", model.threshold)
    aimed_threshold = spec.number("aimed_threshold", threshold)
    for key, value in (("threshold", threshold), ("aimed_threshold", aimed_threshold)):
        if not 0.0 <= value <= 1.0:
            raise spec.error(key, f"expected a probability from 0 to 1, got {value}")
    targets = spec.names("targets")
    term_words: set[str] = set()
    for key in ("terms", "undirected"):
        for name in spec.names(key):
            term_words.update(
                p.lower() for p in lists.phrases(name, f"{spec.where}.{key}") if " " not in p
            )
    return ToxicityModelDetector(
        spec=spec,
        model=model,
        threshold=threshold,
        aimed_threshold=aimed_threshold,
        aimed_severity=spec.severity_param("aimed_severity", spec.severity),
        targets=lists.matcher(targets, f"{spec.where}.targets") if targets else None,
        undirected=lists.optional_matcher(spec, "undirected"),
        negators=lists.optional_matcher(spec, "negators"),
        terms=lists.optional_matcher(spec, "terms"),
        praise=lists.optional_matcher(spec, "praise"),
        affection=lists.optional_matcher(spec, "affection"),
        term_words=frozenset(term_words),
        not_names=not_names_of(spec, lists),
        evidence=spec.text("evidence", "offensive language (toxicity model)"),
    )
