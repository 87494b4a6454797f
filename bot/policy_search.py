"""Rank a policy's clauses against a few words, tolerating typos, plurals and short forms.

Every clause is tokenised once, when the index is built. A query word matches a clause word
exactly, as a prefix ("info" → "information", "bully" → "bullying") or, for longer words, by
rapidfuzz's ratio ("recordngs" → "recordings"); rarer words count for more (inverse document
frequency), and words in a clause's heading or keywords count for more than in its body text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: How much a word counts, by where in the clause it appears.
FIELD_WEIGHTS: dict[str, float] = {
    "heading": 3.0,
    "keywords": 3.0,
    "items": 2.0,
    "section": 1.5,
    "text": 1.0,
}
#: Share of a word's other (non-best) field matches added to its best one, so a clause that
#: uses a word in its heading, keywords and bullets beats one that uses it only in its heading.
BREADTH = 0.1
#: Shortest query word matched by prefix or fuzzily; shorter ones must match exactly.
MIN_FUZZY_LENGTH = 4
#: rapidfuzz ratio (0-100) a word needs to count as a misspelling of a clause word.
FUZZY_CUTOFF = 80.0
#: The ratio a real English word needs: "swearing" is not a misspelling of "sharing" (80),
#: though "bulling" may be one of "bullying" (93).
KNOWN_WORD_CUTOFF = 90.0
#: Similarity (0-1) a bullet's word needs for the bullet to be reported as matched.
ITEM_MATCH = 0.8
#: Matches scoring below this share of the best one are dropped as noise.
RELATIVE_CUTOFF = 0.3

# Words that say nothing about which clause is wanted.
_STOPWORDS = frozenset(
    {
        *("a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "can", "could"),
        *("do", "does", "for", "from", "get", "how", "i", "if", "in", "into", "is", "it"),
        *("its", "me", "my", "no", "not", "of", "on", "or", "our", "say", "should", "so"),
        *("than", "that", "the", "their", "them", "then", "there", "these", "they", "this"),
        *("to", "us", "was", "we", "what", "when", "where", "which", "who", "why", "will"),
        *("with", "would", "you", "your"),
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s\b")


def tokenise(text: str) -> list[str]:
    """Return the lower-case words of ``text``, possessives folded ("person's" → "person")."""
    folded = _POSSESSIVE.sub("", text.casefold().replace("\u2019", "'"))
    return _WORD.findall(folded.replace("'", ""))


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One clause as the index sees it: its key and the texts to search, field by field."""

    key: str
    heading: str
    section: str
    text: str
    items: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A clause that matched: its key, a 0-1 score and the indexes of the bullets that matched."""

    key: str
    score: float
    matched_items: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _IndexedDoc:
    key: str
    fields: dict[str, frozenset[str]]
    items: tuple[frozenset[str], ...]


class ClauseIndex:
    """Weighted, typo-tolerant word search over a fixed set of clauses."""

    def __init__(
        self, docs: Sequence[SearchDoc], known_words: AbstractSet[str] = frozenset()
    ) -> None:
        """Index ``docs``; a query word in ``known_words`` is only taken for a near-identical word."""
        self._known = known_words
        self._docs = tuple(
            _IndexedDoc(
                key=doc.key,
                fields={
                    "heading": frozenset(tokenise(doc.heading)),
                    "keywords": frozenset(w for k in doc.keywords for w in tokenise(k)),
                    "section": frozenset(tokenise(doc.section)),
                    "text": frozenset(tokenise(doc.text)),
                },
                items=tuple(frozenset(tokenise(item)) for item in doc.items),
            )
            for doc in docs
        )
        frequency: Counter[str] = Counter()
        for indexed in self._docs:
            frequency.update(frozenset().union(*indexed.fields.values(), *indexed.items))
        count = max(len(self._docs), 1)
        self._idf = {word: math.log(1 + count / n) for word, n in frequency.items()}
        self._vocabulary = tuple(sorted(frequency))

    def similar(self, word: str) -> dict[str, float]:
        """Return the indexed words ``word`` may stand for, each with a 0-1 similarity."""
        found: dict[str, float] = {}
        if word in self._idf:
            found[word] = 1.0
        if len(word) < MIN_FUZZY_LENGTH:
            return found
        for other in self._vocabulary:
            shorter, longer = sorted((word, other), key=len)
            if other != word and len(shorter) >= MIN_FUZZY_LENGTH and longer.startswith(shorter):
                # "report" → "reporting" is closer than "info" → "information".
                found[other] = max(0.7, 0.92 - 0.03 * (len(longer) - len(shorter)))
        cutoff = KNOWN_WORD_CUTOFF if word in self._known else FUZZY_CUTOFF
        for other, ratio, _ in process.extract(
            word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            found[other] = max(found.get(other, 0.0), 0.85 * ratio / 100)
        return found

    def search(self, query: str, limit: int = 5) -> list[SearchHit]:
        """Return the clauses matching ``query``'s words, best first, at most ``limit``."""
        words = [w for w in dict.fromkeys(tokenise(query)) if w not in _STOPWORDS]
        candidates = [self.similar(w) for w in words]
        if not any(candidates):
            return []
        # A word found exactly in every field of one clause scores 1 for that word.
        weights = FIELD_WEIGHTS.values()
        per_word = max(weights) + BREADTH * (sum(weights) - max(weights))
        best_possible = sum(
            per_word * max(sim * self._idf[w] for w, sim in c.items()) for c in candidates if c
        )
        hits = []
        for doc in self._docs:
            raw, matched = self._score(doc, candidates)
            if raw > 0:
                hits.append(SearchHit(doc.key, min(1.0, raw / best_possible), matched))
        if not hits:
            return []
        top = max(hit.score for hit in hits)
        # sorted() is stable, so equal scores keep document order.
        ranked = sorted(
            (hit for hit in hits if hit.score >= RELATIVE_CUTOFF * top),
            key=lambda hit: -hit.score,
        )
        return ranked[:limit]

    def _score(
        self, doc: _IndexedDoc, candidates: list[dict[str, float]]
    ) -> tuple[float, tuple[int, ...]]:
        raw = 0.0
        matched: set[int] = set()
        for similar in candidates:
            per_field = [
                FIELD_WEIGHTS[name] * self._best(similar, words)
                for name, words in doc.fields.items()
            ]
            best_item = 0.0
            for i, words in enumerate(doc.items):
                value = self._best(similar, words)
                best_item = max(best_item, value)
                if any(similar.get(w, 0.0) >= ITEM_MATCH for w in words):
                    matched.add(i)
            per_field.append(FIELD_WEIGHTS["items"] * best_item)
            top = max(per_field)
            raw += top + BREADTH * (sum(per_field) - top)
        return raw, tuple(sorted(matched))

    def _best(self, similar: dict[str, float], words: frozenset[str]) -> float:
        return max((sim * self._idf[w] for w, sim in similar.items() if w in words), default=0.0)
