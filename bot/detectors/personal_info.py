"""Personal-information rules: contact details, bank details and ids, and whose they are.

Items are found in the original text (digits as typed): phone numbers (phonenumbers, region GB,
plus UK-mobile-shaped numbers it deems unassigned such as 07700 900xxx), emails, payment
cards (Luhn, python-stdnum), IBANs (python-stdnum), sort code + account number, DMU student
numbers, UK postcodes, street addresses, dates of birth and social-media handles.

Whose is it? The nearest cue within ``cue_window`` words decides (a tie goes to the author):

* the author's own ("my number is", "text me on", "email me at") -> ``self_label``
  (``privacy-tip``: a route, never a breach);
* someone else's ("ring Jess on", "her insta is", "his address is", a mention or member's name)
  -> the rule's label (``personal-info``, 4.5) at the rule's severity;
* no cue, a bare dump -> the rule's label at ``bare_severity``; postcodes, dates of birth and
  handles are too weak alone and need a cue.

The official routes' own contacts come from the ``allow`` list and are never flagged. Evidence
names the kind of item ("UK mobile number"), never its value.

Rule keys (besides the common ones)::

    kinds: [phone, email, payment-card, iban, bank-account, student-number, postcode,
            street-address, date-of-birth, social-handle]
    self_cues: [self-disclosure]
    third_party_cues: [third-party-disclosure]
    cue_window: 8
    self_label: privacy-tip
    bare_severity: medium
    bare_score: 0.6
    allow: [official-contacts]
    street_suffixes: street-suffixes
    not_street_words: not-street-words
    not_names: not-names
    first_names: first-names
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType
from stdnum import iban, luhn

from bot.detectors.base import MessageContext
from bot.detectors.people import first_names_of, person_spans
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.phrases import not_names_of, words_apart
from bot.detectors.spec import RuleLists, RuleSpec
from bot.finding import Finding
from bot.normalize import NormalizedText
from bot.taxonomy import Severity

Span = tuple[int, int]

_UK_MOBILE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?7|07)\d{3}[\s-]?\d{3}[\s-]?\d{3}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_CARD_PREFIX = re.compile(r"4|5[1-5]|2[2-7]|3[47]|6(?:011|5)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)
_SORT_CODE = re.compile(r"(?<![\d/-])\d{2}[- ]\d{2}[- ]\d{2}(?![\d/-])")
_ACCOUNT = re.compile(r"(?<!\d)\d{8}(?!\d)")
_STUDENT_NUMBER = re.compile(r"\b[Pp]\d{7,8}\b")
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)
_MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"  # noqa: E501
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\s*,?\s*\d{{4}}"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
_DOB_CUE = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born|birthday)(?:\s+(?:is|was|on))?\W{0,3}$", re.I
)
_HANDLE = re.compile(
    r"\b(?:insta(?:gram)?|ig|snap(?:chat)?|sc|tiktok|tik tok|twitter|fb|facebook|discord)"
    r"(?:\s+(?:is|handle is|name is|username is|@))?\s*[:=\-]?\s*"
    r"(@[A-Za-z0-9_.]{2,30}|[A-Za-z0-9_.]*[_.\d][A-Za-z0-9_.]*)",
    re.IGNORECASE,
)

#: Every kind of item, in the order they are looked for (an earlier item hides a later one).
KINDS = (
    "payment-card",
    "iban",
    "bank-account",
    "email",
    "phone",
    "student-number",
    "street-address",
    "postcode",
    "date-of-birth",
    "social-handle",
)
#: Kinds the author may share about themselves without a tip ("follow my insta @me").
OWN_IS_FINE = frozenset({"social-handle"})
#: The kinds that a bare number or string alone does not make personal information.
WEAK_KINDS = frozenset({"postcode", "date-of-birth", "social-handle"})


#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "kinds",
        "self_cues",
        "third_party_cues",
        "cue_window",
        "self_label",
        "bare_severity",
        "bare_score",
        "allow",
        "street_suffixes",
        "not_street_words",
        "not_names",
        "first_names",
    }
)


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of personal information found in the original text."""

    kind: str
    description: str
    span: Span
    value: str


@dataclass(frozen=True, slots=True)
class PersonalInfoDetector:
    """Find personal information and decide whether it is the author's or someone else's."""

    spec: RuleSpec
    kinds: frozenset[str]
    self_cues: PhraseMatcher
    third_party_cues: PhraseMatcher
    cue_window: int = 8
    self_label: str = "privacy-tip"
    bare_severity: Severity = Severity.MEDIUM
    bare_score: float = 0.6
    allowed: frozenset[str] = frozenset()
    street: re.Pattern[str] | None = None
    not_street_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()

    @property
    def rule_id(self) -> str:
        """Return the id of the rule this detector was built from."""
        return self.spec.id

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding per kind of item, labelled by whose it appears to be."""
        findings: dict[str, Finding] = {}
        for item in self.items(ctx.normalized.original):
            if item.description in findings or _key(item.value) in self.allowed:
                continue
            whose = self.whose(ctx, item)
            if whose == "self" and item.kind in OWN_IS_FINE:
                continue
            if whose == "self":
                findings[item.description] = self.spec.finding(
                    f"{item.description} shared by its owner",
                    span=item.span,
                    label=self.self_label,
                    severity=Severity.LOW,
                )
            elif whose == "other":
                findings[item.description] = self.spec.finding(
                    f"{item.description} about someone else", span=item.span
                )
            elif item.kind not in WEAK_KINDS:
                findings[item.description] = self.spec.finding(
                    f"{item.description} posted without saying whose",
                    span=item.span,
                    severity=self.bare_severity,
                    score=self.bare_score,
                )
        return list(findings.values())

    def items(self, text: str) -> Iterator[Item]:
        """Yield every item of the enabled kinds, skipping ones inside an earlier item."""
        taken: list[Span] = []
        for kind, finder in self._finders():
            if kind not in self.kinds:
                continue
            for item in finder(text):
                if any(item.span[0] < e and s < item.span[1] for s, e in taken):
                    continue
                taken.append(item.span)
                yield item

    def whose(self, ctx: MessageContext, item: Item) -> str:
        """Return "self", "other" or "" (no cue) for an item, by the nearest cue."""
        norm = ctx.normalized
        text = norm.text
        at = _normalized_span(norm, item.span)
        best: tuple[int, int, str] | None = None  # (words apart, self first, whose)
        cues = [(s, "self") for s in self.self_cues.spans(text)]
        cues += [(s, "other") for s in self.third_party_cues.spans(text)]
        cues += [(s, "other") for s in person_spans(ctx, self.not_names, self.first_names)]
        for span, whose in cues:
            if span[0] < at[1] and at[0] < span[1]:
                continue
            apart = words_apart(text, span, at)
            if apart > self.cue_window:
                continue
            rank = (apart, 0 if whose == "self" else 1, whose)
            if best is None or rank < best:
                best = rank
        return best[2] if best else ""

    def _finders(self) -> list[tuple[str, Callable[[str], Iterator[Item]]]]:
        return [
            ("payment-card", _cards),
            ("iban", _ibans),
            ("bank-account", _bank_accounts),
            ("email", _emails),
            ("phone", _phones),
            ("student-number", _student_numbers),
            ("street-address", self._addresses),
            ("postcode", _postcodes),
            ("date-of-birth", _dates_of_birth),
            ("social-handle", _handles),
        ]

    def _addresses(self, text: str) -> Iterator[Item]:
        if self.street is None or not any(c.isdigit() for c in text):
            return
        for m in self.street.finditer(text):
            words = {w.lower() for w in m.group("name").split()}
            if words & self.not_street_words:
                continue
            yield Item("street-address", "street address", m.span(), m.group())


def _key(value: str) -> str:
    """Return the form items and allowlist entries are compared in."""
    if "@" in value:
        return value.strip().lower()
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+44"):
        digits = "0" + digits[2:]
    return digits


def _normalized_span(norm: NormalizedText, span: Span) -> Span:
    """Return the normalized-text span covering an original-text span."""
    start = bisect.bisect_left(norm.offsets, span[0])
    end = bisect.bisect_left(norm.offsets, span[1])
    return start, max(start, end)


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _phones(text: str) -> Iterator[Item]:
    if _digit_count(text) < 7:
        return
    seen: list[Span] = []
    for match in PhoneNumberMatcher(text, "GB", leniency=Leniency.VALID):
        span = (match.start, match.end)
        seen.append(span)
        yield Item("phone", _phone_description(match.number), span, match.raw_string)
    for m in _UK_MOBILE.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e in seen):
            yield Item("phone", "UK mobile number", m.span(), m.group())


def _phone_description(number: phonenumbers.PhoneNumber) -> str:
    if phonenumbers.region_code_for_number(number) != "GB":
        return "international phone number"
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        return "UK mobile number"
    if kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return "UK landline number"
    return "UK phone number"


def _emails(text: str) -> Iterator[Item]:
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield Item("email", "email address", m.span(), m.group())


def _cards(text: str) -> Iterator[Item]:
    if _digit_count(text) < 13:
        return
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) and luhn.is_valid(digits):
            yield Item("payment-card", "payment card number", m.span(), m.group())


def _ibans(text: str) -> Iterator[Item]:
    if _digit_count(text) < 6:
        return
    for m in _IBAN.finditer(text):
        if iban.is_valid(m.group()):
            yield Item("iban", "bank account number (IBAN)", m.span(), m.group())


def _bank_accounts(text: str) -> Iterator[Item]:
    if _digit_count(text) < 14:
        return
    accounts = [m.span() for m in _ACCOUNT.finditer(text)]
    for m in _SORT_CODE.finditer(text):
        near = [a for a in accounts if abs(a[0] - m.end()) <= 40 or abs(m.start() - a[1]) <= 40]
        if near:
            span = (min(m.start(), near[0][0]), max(m.end(), near[0][1]))
            yield Item("bank-account", "bank sort code and account number", span, m.group())


def _student_numbers(text: str) -> Iterator[Item]:
    for m in _STUDENT_NUMBER.finditer(text):
        yield Item("student-number", "DMU student number", m.span(), m.group())


def _postcodes(text: str) -> Iterator[Item]:
    for m in _POSTCODE.finditer(text):
        yield Item("postcode", "UK postcode", m.span(), m.group())


def _dates_of_birth(text: str) -> Iterator[Item]:
    for m in _DATE.finditer(text):
        if _DOB_CUE.search(text, max(0, m.start() - 30), m.start()):
            yield Item("date-of-birth", "date of birth", m.span(), m.group())


def _handles(text: str) -> Iterator[Item]:
    for m in _HANDLE.finditer(text):
        yield Item("social-handle", "social media handle", m.span(1), m.group(1))


def _street_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    """Return the street-address pattern: number, up to three name words, a street suffix."""
    ends = "|".join(sorted((re.escape(s.lower()) for s in suffixes), key=len, reverse=True))
    return re.compile(
        r"(?<![\w/.-])(?:(?:flat|apartment|apt|room|unit)\s+\d+[a-z]?\s*,?\s+)?"
        rf"\d{{1,4}}[a-z]?,?\s+(?P<name>(?:[a-z][a-z']+\s+){{1,3}})(?:{ends})\b",
        re.IGNORECASE,
    )


def build(spec: RuleSpec, lists: RuleLists) -> PersonalInfoDetector:
    """Build a personal-information detector from its rule data."""
    kinds = frozenset(spec.names("kinds", required=True))
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        known = ", ".join(KINDS)
        raise spec.error("kinds", f"unknown kind {unknown[0]!r} (known: {known})")
    where = spec.where
    allowed: set[str] = set()
    for name in spec.names("allow"):
        allowed.update(_key(v) for v in lists.phrases(name, f"{where}.allow"))
    suffixes: tuple[str, ...] = ()
    for name in spec.names("street_suffixes"):
        suffixes += lists.phrases(name, f"{where}.street_suffixes")
    not_street: set[str] = set()
    for name in spec.names("not_street_words"):
        not_street.update(w.lower() for w in lists.phrases(name, f"{where}.not_street_words"))
    return PersonalInfoDetector(
        spec=spec,
        kinds=kinds,
        self_cues=lists.matcher(spec.names("self_cues"), f"{where}.self_cues"),
        third_party_cues=lists.matcher(spec.names("third_party_cues"), f"{where}.third_party_cues"),
        cue_window=int(spec.number("cue_window", 8)),
        self_label=spec.label_param("self_label", "privacy-tip"),
        bare_severity=spec.severity_param("bare_severity", Severity.MEDIUM),
        bare_score=spec.number("bare_score", 0.6),
        allowed=frozenset(a for a in allowed if a),
        street=_street_pattern(suffixes) if suffixes else None,
        not_street_words=frozenset(not_street),
        not_names=not_names_of(spec, lists),
        first_names=first_names_of(spec, lists, not_names_of(spec, lists)),
    )
