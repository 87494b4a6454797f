"""The detector kinds a rule may name, each a function from rule data to a detector."""

from __future__ import annotations

from collections.abc import Callable

from bot.detectors import (
    attachments,
    generalisation,
    impersonation,
    links,
    personal_info,
    phrases,
    policy_classifier,
    regex,
    toxicity,
    toxicity_model,
)
from bot.detectors.base import Detector
from bot.detectors.spec import RuleLists, RuleSpec

DetectorFactory = Callable[[RuleSpec, RuleLists], Detector]

#: ``kind:`` in rules.yaml -> the function that builds that kind of detector.
DETECTOR_KINDS: dict[str, DetectorFactory] = {
    "phrases": phrases.build,
    "regex": regex.build,
    "links": links.build,
    "attachments": attachments.build,
    "personal-info": personal_info.build,
    "toxicity": toxicity.build,
    "linear-model": toxicity_model.build,
    "display-name": impersonation.build,
    "classifier": policy_classifier.build,
    "generalisation": generalisation.build,
}

#: ``kind:`` -> the keys a rule of that kind may have besides the common ones.
DETECTOR_PARAMS: dict[str, frozenset[str]] = {
    "phrases": phrases.PARAMS,
    "regex": regex.PARAMS,
    "links": links.PARAMS,
    "attachments": attachments.PARAMS,
    "personal-info": personal_info.PARAMS,
    "toxicity": toxicity.PARAMS,
    "linear-model": toxicity_model.PARAMS,
    "display-name": impersonation.PARAMS,
    "classifier": policy_classifier.PARAMS,
    "generalisation": generalisation.PARAMS,
}
