"""Spare the person reporting: a victim who quotes what was said to them is not the one in breach.

"Zoe told me "you're a worthless fat pig" in a DM, is that allowed?" holds an insult, and a
student asking for help with it must get the report pointer, not a reminder and a strike. A
message is read as a report of what someone else did when both hold:

* it asks to report or for help (a report-intent route was found in it, by rules or model),
  or asks whether it is allowed ("is that allowed?");
* it gives the other person's words: a passage in quotation marks, or a reported-speech cue
  from the policy's lists ("told me", "called me", "messaged me").

Then its breach findings are dropped and its routes kept. A threat to report someone ("I'll
report you, you fat pig") quotes no one, so it is still the author's breach.

A report that tells what someone else did without quoting them ("a lad in halls secretly
filmed me in the shower, who do I tell?", "someone keeps selling weed outside our flat, who
should I tell?") spares its author too, when a rule (not only the model, whose reading of a
wish to report is looser) found the ask and a cue tells of the other person's act.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.detectors.phrase_matcher import PhraseMatcher
from bot.finding import MODEL_KIND, Finding
from bot.normalize import NormalizedText

#: The route that says a message asks to report something or for help with it.
REPORT_ROUTE = "report-intent"

_DOUBLE = frozenset('"“”«»„')
_SINGLE_OPEN = frozenset("'‘")
_SINGLE_CLOSE = frozenset("'’")
_AFTER_CLOSE = frozenset(".,!?;:)")


def has_quotation(text: str) -> bool:
    """Return True when a text holds a passage of two words or more in quotation marks.

    Double quotes (straight, curly, guillemets) pair with any other; a single quote opens only
    after a space and closes only before one (or punctuation), so an apostrophe inside a word
    ("don't", "it's", "the lads' kit") never counts. One pass, linear in the text: a message
    is outside input.
    """
    double_open = -1  # where the last double quote stands, on this line
    single_open = -1  # where the first unclosed single quote opened, on this line
    space_after_double = space_after_single = False
    for i, ch in enumerate(text):
        if ch == "\n":
            double_open = single_open = -1
            continue
        if ch.isspace():
            # A space counts once a word has started after the quote.
            if double_open >= 0 and i > double_open + 1 and not text[i - 1].isspace():
                space_after_double = True
            if single_open >= 0 and i > single_open + 1 and not text[i - 1].isspace():
                space_after_single = True
            continue
        if ch in _DOUBLE:
            if double_open >= 0 and space_after_double and not text[i - 1].isspace():
                return True
            double_open, space_after_double = i, False
            continue
        if ch in _SINGLE_CLOSE and single_open >= 0 and space_after_single:
            after = text[i + 1 : i + 2]
            if not text[i - 1].isspace() and (
                not after or after.isspace() or after in _AFTER_CLOSE
            ):
                return True
        opens = ch in _SINGLE_OPEN and single_open < 0 and (i == 0 or text[i - 1].isspace())
        if opens and text[i + 1 : i + 2].strip():
            single_open, space_after_single = i, False
    return False


#: A quotation its speaker is named for: a short label and a colon before it ("Dr Morris
#: today: 'I will find you'", "my mum: \"...\"") or a dash and a name after it ("'...' - liam
#: neeson"). Over the original text; the label is at a line's or a sentence's start.
_ATTRIBUTED = re.compile(
    r"(?:^|[\n.!?] *)[^\W\d_][\w .'’-]{0,40}: *[\"“‘']\w"
    r"|[\w.!?,][\"”’'] *[-–—~] *[^\W\d_]"
)


def attributed_quotation(text: str) -> bool:
    """Return True when a text quotes words it names a speaker for, before or after them."""
    return has_quotation(text) and _ATTRIBUTED.search(text) is not None


def quotes_someone(normalized: NormalizedText, reported_speech: PhraseMatcher) -> bool:
    """Return True when a message gives someone else's words: a quotation or a cue."""
    return has_quotation(normalized.original) or reported_speech.search(normalized)


def spare_the_reporter(
    findings: Sequence[Finding],
    raw: Sequence[Finding],
    normalized: NormalizedText,
    reported_speech: PhraseMatcher,
    permission_questions: PhraseMatcher | None = None,
    told_of_others: PhraseMatcher | None = None,
) -> list[Finding]:
    """Return the findings, without the breaches when the message reports someone else's words
    or, with a rule's report-intent, what someone else did (``told_of_others``).

    ``raw`` is every finding before the config's thresholds: a report-intent route counts
    there even where the config would not point to it.
    """
    asks = any(f.label == REPORT_ROUTE for f in raw) or bool(
        permission_questions is not None and permission_questions.search(normalized)
    )
    if not asks:
        return list(findings)
    if quotes_someone(normalized, reported_speech):
        return [f for f in findings if f.is_route]
    asked_in_words = any(f.label == REPORT_ROUTE and f.detector != MODEL_KIND for f in raw)
    if asked_in_words and told_of_others is not None and told_of_others.search(normalized):
        return [f for f in findings if f.is_route]
    return list(findings)
