"""The libraries policybot is measured against, each behind one small interface.

Offensive-language peers answer ``flags(text) -> bool``; personal-info peers answer
``spans(text) -> list[Span]``. Peers are benchmark-only dependencies (the ``bench`` extra):
one that is not installed is reported as missing, never a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bench.datasets import Span

#: presidio runs without its spaCy model (a download that fails offline): pattern recognizers
#: and the phone-number recognizer only, on a no-op NLP engine. Shown under its tables.
PRESIDIO_NOTE = (
    "presidio-analyzer runs with its pattern recognizers only (no-op NLP engine): its default "
    "spaCy model is a download that fails offline, so PERSON and address recognition are off; "
    "results scored below 0.3 (e.g. its 0.01 US driving-licence guesses) are dropped"
)
PRESIDIO_MIN_SCORE = 0.3


@dataclass(frozen=True, slots=True)
class OffensivePeer:
    """A library that says whether a text is offensive."""

    name: str
    flags: Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class PiiPeer:
    """A library that finds personal-info spans in a text."""

    name: str
    spans: Callable[[str], list[Span]]


def _alt_profanity_check() -> OffensivePeer:
    from profanity_check import predict

    return OffensivePeer("alt-profanity-check", lambda text: bool(predict([text])[0]))


def _better_profanity() -> OffensivePeer:
    from better_profanity import profanity

    profanity.load_censor_words()
    return OffensivePeer("better-profanity", profanity.contains_profanity)


def _glin_profanity() -> OffensivePeer:
    from glin_profanity import Filter

    f = Filter()
    return OffensivePeer("glin-profanity", lambda text: bool(f.is_profane(text)))


OFFENSIVE_PEERS: dict[str, Callable[[], OffensivePeer]] = {
    "alt-profanity-check": _alt_profanity_check,
    "better-profanity": _better_profanity,
    "glin-profanity": _glin_profanity,
}


def _phonenumbers() -> PiiPeer:
    import phonenumbers

    # Its default leniency (VALID) rejects Ofcom's drama ranges, which the generated UK set
    # uses so that no real person's number is in the repo: its UK-mobile recall there is 0.
    def spans(text: str) -> list[Span]:
        return [
            Span("PHONE_NUMBER", m.start, m.end)
            for m in phonenumbers.PhoneNumberMatcher(text, "GB")
        ]

    return PiiPeer("phonenumbers", spans)


def _scrubadub() -> PiiPeer:
    import scrubadub

    # en_GB turns on its UK phone and postcode detectors.
    scrubber = scrubadub.Scrubber(locale="en_GB")

    def spans(text: str) -> list[Span]:
        return [Span(f.type, f.beg, f.end) for f in scrubber.iter_filth(text)]

    return PiiPeer("scrubadub", spans)


def _presidio() -> PiiPeer:
    # tldextract (used by presidio's URL and e-mail recognizers) tries to refresh its suffix
    # list over the network and logs a traceback when it cannot; its bundled copy is used.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    nlp.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    registry.add_recognizer(UkPostcodeRecognizer())
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])

    def spans(text: str) -> list[Span]:
        return [
            Span(r.entity_type, r.start, r.end)
            for r in engine.analyze(text, language="en")
            if r.score >= PRESIDIO_MIN_SCORE
        ]

    return PiiPeer("presidio (patterns only)", spans)


PII_PEERS: dict[str, Callable[[], PiiPeer]] = {
    "phonenumbers": _phonenumbers,
    "scrubadub": _scrubadub,
    "presidio": _presidio,
}


P = TypeVar("P")


def load_peers(factories: dict[str, Callable[[], P]]) -> tuple[list[P], list[str]]:
    """Return the peers that import, and one line for each that is not installed."""
    peers: list[P] = []
    missing: list[str] = []
    for name, factory in factories.items():
        try:
            peers.append(factory())
        except ImportError as exc:
            missing.append(f"{name}: not installed ({exc.name}); pip install -e '.[bench]'")
    return peers, missing
