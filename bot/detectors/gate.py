"""Run only the detectors a message's words can set off, with one set intersection a message.

Most phrase and toxicity rules can fire only when some phrase of their lists occurs, and a
phrase can occur only in a text holding its key words (see
:meth:`bot.detectors.phrase_matcher.PhraseMatcher.trigger_keys`). The gate files each such
rule under those keys once, at load time; per message it intersects the text's keys with all
of them and runs the rules filed under the keys found, plus every rule without keys, in their
order. The findings are exactly those of running every rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.detectors.base import Detector, MessageContext, WordTriggered
from bot.detectors.phrase_matcher import text_keys
from bot.finding import MODEL_KIND, Finding


class DetectorGate:
    """Every enabled detector, each run only when the message can set it off."""

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self.detectors = tuple(detectors)
        self._always: list[int] = []
        # The policy classifier's detectors: skipped where a community turned the model off,
        # so the encoder costs nothing there.
        self._model = frozenset(
            i
            for i, d in enumerate(self.detectors)
            if getattr(getattr(d, "spec", None), "kind", None) == MODEL_KIND
        )
        filed: dict[str, list[int]] = {}
        for i, detector in enumerate(self.detectors):
            keys = detector.trigger_keys() if isinstance(detector, WordTriggered) else None
            if keys is None:
                self._always.append(i)
                continue
            for key in keys:
                filed.setdefault(key, []).append(i)
        self._filed = {key: tuple(indices) for key, indices in filed.items()}
        self._keys = frozenset(self._filed)

    def detect(self, ctx: MessageContext, *, model: bool = True) -> list[Finding]:
        """Return the findings of every detector, in order, running only those that can fire.

        ``model`` False leaves out the policy classifier (a community that turned it off).
        """
        found = self._keys & text_keys(ctx.normalized.text) if self._keys else self._keys
        order: Sequence[int] = self._always
        if found:
            chosen = set(self._always)
            for key in found:
                chosen.update(self._filed[key])
            order = sorted(chosen)
        findings: list[Finding] = []
        for i in order:
            if not model and i in self._model:
                continue
            findings.extend(self.detectors[i].detect(ctx))
        return findings
