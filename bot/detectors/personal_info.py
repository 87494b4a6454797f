"""Personal-information rules: contact details, bank details and ids, and whose they are.

Items are found in the original text (digits as typed):

* phone numbers: phonenumbers' matcher (region GB, so "+CC" numbers parse in their own
  country) finds the candidates; a number counts alone when it is written whole (a leading 0,
  "+" or "00") and is valid, or is shaped like a UK number (Ofcom's drama ranges such as
  07700 900xxx are unassigned, so phonenumbers calls them invalid), or is an international
  "+" number. Anything else that merely could be a phone number ("467 3395", "78 651 450")
  needs a phone word close by ("phone:", "call me at", "not answering at") and no
  other-number word nearer ("order number", "room");
* emails; payment cards (Luhn, python-stdnum; the brands' own prefixes and lengths, and the
  loose ones such as Maestro only next to a card word); IBANs (python-stdnum);
* a sort code with an account number (bank-account), or a sort code next to "sort code"
  alone (sort-code); DMU student numbers;
* street addresses (a following postcode joins the address), UK postcodes in every shape
  (A9 9AA … AA9A 9AA, any case, with or without the space) whose area is a real one, dates of
  birth and social-media handles.

Whose is it? The nearest cue within ``cue_window`` words decides (a tie goes to the author):

* the author's own ("my number is", "text me on", "email me at") -> ``self_label``
  (``privacy-tip``: a route, never a breach);
* someone else's ("ring Jess on", "her insta is", "his address is", a mention or member's name)
  -> the rule's label (``personal-info``, 4.5) at the rule's severity;
* no cue, a bare dump -> the rule's label at ``bare_severity``. Postcodes, sort codes alone,
  dates of birth and handles are too weak alone: without a whose-cue, a postcode next to an
  address word ("send it to", "sat nav to") or a sort code next to "sort code" is a
  ``weak_severity`` signal, and the rest stay quiet.

The official routes' own contacts come from the ``allow`` list and are never flagged. Evidence
names the kind of item ("UK mobile number"), never its value. Each item gets its own finding
(with its span), up to ``MAX_ITEMS`` a message; the engine keeps the strongest per label.

Rule keys (besides the common ones)::

    kinds: [phone, email, payment-card, iban, bank-account, sort-code, student-number,
            postcode, street-address, date-of-birth, social-handle]
    self_cues: [self-disclosure]
    third_party_cues: [third-party-disclosure]
    cue_window: 8
    self_label: privacy-tip
    bare_severity: medium
    bare_score: 0.6
    weak_severity: low
    allow: [official-contacts]
    phone_cues: [phone-cues]            # words that make a loose number a phone number
    not_phone_cues: [not-phone-cues]    # words that make it some other number
    card_cues: [card-cues]              # words that make a loose card-like number a card
    sort_code_cues: [sort-code-cues]
    address_cues: [address-cues]        # words that make a postcode somebody's address
    postcode_areas: postcode-areas      # the letters a UK postcode may start with
    number_cue_window: 4
    street_suffixes: street-suffixes
    not_street_words: not-street-words
    not_names: not-names
    first_names: first-names
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

import phonenumbers
from phonenumbers import Leniency, PhoneNumber, PhoneNumberMatcher, PhoneNumberType
from stdnum import iban, luhn

from bot.detectors.base import MessageContext
from bot.detectors.people import first_names_of, person_spans
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.phrases import not_names_of, words_apart
from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.finding import Finding
from bot.normalize import NormalizedText
from bot.taxonomy import Severity

Span = tuple[int, int]

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A run of 12 to 19 digits, spaces or dashes allowed between them; never part of a "+" number.
_CARD = re.compile(r"(?<![\d+-])(?:\d[ -]?){11,18}\d(?![\d-])")
# Brands whose prefix and length alone make a Luhn-valid number a card.
_CARD_BRANDS = re.compile(
    r"4\d{12}(?:\d{3}){0,2}"  # Visa: 13, 16 or 19 digits
    r"|(?:5[1-5]\d\d|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))\d{12}"  # Mastercard
    r"|3[47]\d{13}"  # American Express
    r"|(?:6011|64[4-9]\d|65\d\d)\d{12}(?:\d{3})?"  # Discover
    r"|35(?:2[89]|[3-8]\d)\d{12,15}"  # JCB
    r"|3(?:0[0-5]\d|095|[689]\d\d)\d{10}(?:\d\d)?"  # Diners Club
)
# Brands with loose prefixes or lengths (Maestro, UnionPay, early JCB): only next to a card word.
_CARD_LOOSE = re.compile(r"(?:1800|2131)\d{11}|(?:5[06-9]|6\d)\d{10,17}|3\d{11,18}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)
# NN-NN-NN or NN NN NN (one separator throughout), not a piece of a longer run of pairs.
_SORT_CODE = re.compile(
    r"(?<![\d/.:-])(?<!\d )(?<!\d-)(?:\d\d([- ])\d\d\1\d\d|\d{6})(?![\d/.:]|-\d|[- ]\d\d(?!\d))"
)
_ACCOUNT = re.compile(r"(?<!\d)\d{8}(?!\d)")
_STUDENT_NUMBER = re.compile(r"\b[Pp]\d{7,8}\b")
# Outward code (A9, A99, A9A, AA9, AA99, AA9A), an optional space, inward code (9AA).
_POSTCODE_SHAPE = r"(?P<area>[A-Z]{1,2})\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"(?<![\w-]){_POSTCODE_SHAPE}(?![\w-])", re.IGNORECASE)
# After a street address: an optional town, then the postcode.
_POSTCODE_AFTER = re.compile(
    rf",?[ \t]+(?:[A-Za-z][A-Za-z'-]*(?: [A-Za-z][A-Za-z'-]*){{0,2}},?[ \t]+)?"
    rf"(?P<code>{_POSTCODE_SHAPE})(?![\w-])",
    re.IGNORECASE,
)
_MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"  # noqa: E501
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\s*,?\s*\d{{4}}"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
# Dates and year spans a phone matcher may take for a number: 20240312, 2024-03-12, 12.03.2025,
# 2010-2015.
_DATE_LIKE = re.compile(
    r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"|(?:19|20)\d\d[-./ ]\d{1,2}[-./ ]\d{1,2}"
    r"|\d{1,2}[-./ ]\d{1,2}[-./ ](?:19|20)?\d\d"
    r"|(?:19|20)\d\d ?[-/] ?(?:19|20)?\d\d"
)
# Digit groups joined by single spaces, dots or dashes, maybe in brackets or after a "+".
_LOOSE_NUMBER = re.compile(
    r"(?<![\w#&/£$€.,+-])(?:\+ ?)?\(?\d{1,5}\)?(?:[ .-]\(?\d{1,5}\)?){1,6}(?!\w|[.,-]\d)"
)
_NO_DIGITS = str.maketrans("", "", "0123456789")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DECIMAL = re.compile(r"\d+[.,]\d+")
# An extension after a phone number: "x4587", "ext. 12".
_EXTENSION = re.compile(r"\s?(?:x|ext\.?)\s?\d{1,5}\b", re.IGNORECASE)
# A phone number written whole: national trunk 0, "+" or an international 00 prefix.
_WHOLE_NUMBER = re.compile(r"\(?(?:\+|00|0)")
_DOB_CUE = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born|birthday)(?:\s+(?:is|was|on))?\W{0,3}$", re.I
)
_HANDLE = re.compile(
    r"\b(?:insta(?:gram)?|ig|snap(?:chat)?|sc|tiktok|tik tok|twitter|fb|facebook|discord)\b"
    r"(?:\s+(?:is|handle is|name is|username is))?\s*[:=\-]?\s*"
    r"(@[A-Za-z0-9_.]{2,30}|(?=[A-Za-z0-9_.]*[A-Za-z])[A-Za-z0-9_.]*[_\d][A-Za-z0-9_.]*)",
    re.IGNORECASE,
)

#: Every kind of item, in the order they are looked for (an earlier item hides a later one).
KINDS = (
    "payment-card",
    "iban",
    "bank-account",
    "sort-code",
    "email",
    "student-number",
    "phone",
    "street-address",
    "postcode",
    "date-of-birth",
    "social-handle",
)
#: Items looked at per message: enough for any real message, and a message of a thousand
#: numbers costs no more than twenty.
MAX_ITEMS = 20
#: Candidates phonenumbers' matcher may try, and numbers it may find, per message.
MAX_PHONE_CANDIDATES = 40
#: Kinds the author may share about themselves without a tip ("follow my insta @me").
OWN_IS_FINE = frozenset({"social-handle"})
#: The kinds the ``allow`` list is checked against (a postcode's digits are not a phone number).
ALLOWABLE_KINDS = frozenset({"phone", "email"})
#: The kinds that a bare number or string alone does not make personal information.
WEAK_KINDS = frozenset({"postcode", "sort-code", "date-of-birth", "social-handle"})


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
        "weak_severity",
        "allow",
        "phone_cues",
        "not_phone_cues",
        "card_cues",
        "sort_code_cues",
        "address_cues",
        "postcode_areas",
        "number_cue_window",
        "street_suffixes",
        "not_street_words",
        "not_names",
        "first_names",
    }
)


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of personal information found in the original text.

    ``context`` is True when the words around a weak kind of item say what it is ("sort code",
    "send it to"), so it may count without saying whose it is.
    """

    kind: str
    description: str
    span: Span
    value: str
    context: bool = False


@dataclass(frozen=True, slots=True)
class NumberCues:
    """The words that tell what a loose number or postcode is, and how near they must be."""

    phone: PhraseMatcher = field(default_factory=lambda: PhraseMatcher(()))
    not_phone: PhraseMatcher = field(default_factory=lambda: PhraseMatcher(()))
    card: PhraseMatcher = field(default_factory=lambda: PhraseMatcher(()))
    sort_code: PhraseMatcher = field(default_factory=lambda: PhraseMatcher(()))
    address: PhraseMatcher = field(default_factory=lambda: PhraseMatcher(()))
    window: int = 4


@dataclass
class Scan:
    """One message's text as the finders read it, with each cue list searched at most once."""

    norm: NormalizedText
    found: dict[int, list[Span]] = field(default_factory=dict)
    digits: int = field(init=False)

    def __post_init__(self) -> None:
        # Most messages hold no digits: every finder of numbers stops at once on those.
        self.digits = _digit_count(self.norm.original)

    @property
    def text(self) -> str:
        """Return the original text, where items are found."""
        return self.norm.original

    def cue_spans(self, matcher: PhraseMatcher) -> list[Span]:
        """Return the spans of ``matcher``'s phrases in the normalized text."""
        key = id(matcher)
        if key not in self.found:
            self.found[key] = matcher.spans(self.norm) if matcher else []
        return self.found[key]

    def near(
        self,
        span: Span,
        matcher: PhraseMatcher,
        window: int,
        veto: PhraseMatcher | None = None,
        *,
        before: bool = False,
    ) -> bool:
        """Return True when a cue is within ``window`` words of an original-text span.

        With ``veto``, the nearest of both lists decides and a tie goes to the veto: "order
        number 1234 5678" is not a phone number although "number" is a phone word. With
        ``before``, only cues that come before the span count.
        """
        at = _normalized_span(self.norm, span)
        text = self.norm.text
        best: tuple[int, int] | None = None  # (words apart, 0 for a veto)
        tagged = [(s, 1) for s in self.cue_spans(matcher)]
        if veto is not None:
            tagged += [(s, 0) for s in self.cue_spans(veto)]
        for cue, tag in tagged:
            if (cue[0] < at[1] and at[0] < cue[1]) or (before and cue[1] > at[0]):
                continue
            apart = words_apart(text, cue, at)
            if apart <= window and (best is None or (apart, tag) < best):
                best = (apart, tag)
        return best is not None and best[1] == 1


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
    weak_severity: Severity = Severity.LOW
    allowed: frozenset[str] = frozenset()
    numbers: NumberCues = field(default_factory=NumberCues)
    postcode_areas: frozenset[str] = frozenset()
    street: re.Pattern[str] | None = None
    not_street_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()

    @property
    def rule_id(self) -> str:
        """Return the id of the rule this detector was built from."""
        return self.spec.id

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding per item, labelled by whose it appears to be."""
        findings: list[Finding] = []
        cues: list[tuple[Span, str]] | None = None
        for item in islice(self.items(Scan(ctx.normalized)), MAX_ITEMS):
            if item.kind in ALLOWABLE_KINDS and _key(item.value) in self.allowed:
                continue
            if cues is None:
                cues = self.whose_cues(ctx)
            whose = self.whose(ctx, item, cues)
            if whose == "self" and item.kind in OWN_IS_FINE:
                continue
            if whose == "self":
                findings.append(
                    self.spec.finding(
                        f"{item.description} shared by its owner",
                        span=item.span,
                        label=self.self_label,
                        severity=Severity.LOW,
                    )
                )
            elif whose == "other":
                findings.append(
                    self.spec.finding(f"{item.description} about someone else", span=item.span)
                )
            elif item.kind not in WEAK_KINDS or item.context:
                severity = self.bare_severity if item.kind not in WEAK_KINDS else self.weak_severity
                findings.append(
                    self.spec.finding(
                        f"{item.description} posted without saying whose",
                        span=item.span,
                        severity=severity,
                        score=self.bare_score,
                    )
                )
        return findings

    def items(self, scan: Scan) -> Iterator[Item]:
        """Yield every item of the enabled kinds, skipping ones inside an earlier item."""
        taken: list[Span] = []
        for kind, finder in self._finders():
            if kind not in self.kinds:
                continue
            for item in finder(scan):
                if any(item.span[0] < e and s < item.span[1] for s, e in taken):
                    continue
                taken.append(item.span)
                yield item

    def whose_cues(self, ctx: MessageContext) -> list[tuple[Span, str]]:
        """Return the spans in the normalized text that say whose an item is, tagged."""
        norm = ctx.normalized
        cues = [(s, "self") for s in self.self_cues.spans(norm)]
        cues += [(s, "other") for s in self.third_party_cues.spans(norm)]
        cues += [(s, "other") for s in person_spans(ctx, self.not_names, self.first_names)]
        return cues

    def whose(
        self, ctx: MessageContext, item: Item, cues: list[tuple[Span, str]] | None = None
    ) -> str:
        """Return "self", "other" or "" (no cue) for an item, by the nearest cue."""
        norm = ctx.normalized
        text = norm.text
        at = _normalized_span(norm, item.span)
        best: tuple[int, int, str] | None = None  # (words apart, self first, whose)
        for span, whose in self.whose_cues(ctx) if cues is None else cues:
            if span[0] < at[1] and at[0] < span[1]:
                continue
            apart = words_apart(text, span, at)
            if apart > self.cue_window:
                continue
            rank = (apart, 0 if whose == "self" else 1, whose)
            if best is None or rank < best:
                best = rank
        return best[2] if best else ""

    def _finders(self) -> list[tuple[str, Callable[[Scan], Iterator[Item]]]]:
        return [
            ("payment-card", self._cards),
            ("iban", _ibans),
            ("bank-account", self._bank_accounts),
            ("sort-code", self._sort_codes),
            ("email", _emails),
            ("student-number", _student_numbers),
            ("phone", self._phones),
            ("street-address", self._addresses),
            ("postcode", self._postcodes),
            ("date-of-birth", _dates_of_birth),
            ("social-handle", _handles),
        ]

    def _cards(self, scan: Scan) -> Iterator[Item]:
        text = scan.text
        if scan.digits < 12:
            return
        for m in _CARD.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if not luhn.is_valid(digits):
                continue
            if _CARD_BRANDS.fullmatch(digits) or (
                _CARD_LOOSE.fullmatch(digits)
                and scan.near(m.span(), self.numbers.card, self.numbers.window)
            ):
                yield Item("payment-card", "payment card number", m.span(), m.group())

    def _phones(self, scan: Scan) -> Iterator[Item]:
        text = scan.text
        if scan.digits < 7:
            return
        # POSSIBLE leniency finds the candidates, drama-range and foreign numbers included;
        # what a candidate must also be to count is decided here.
        found: list[Span] = []  # numbers taken, or turned down as something else
        matcher = PhoneNumberMatcher(
            text, "GB", leniency=Leniency.POSSIBLE, max_tries=MAX_PHONE_CANDIDATES
        )
        # max_tries counts only the candidates the matcher turns down: bound the rest here.
        for match in islice(matcher, MAX_PHONE_CANDIDATES):
            raw = match.raw_string
            span = (match.start, match.end)
            if _digit_count(raw) < 7:
                continue
            if _not_a_phone(raw) or _inside_word(text, match) or _organisation(match.number, raw):
                found.append(span)
                continue
            description = _phone_description(match.number, raw)
            if description is None and self._phone_cue_before(scan, span):
                description = "phone number"
            if description is not None:
                extension = _EXTENSION.match(text, match.end)
                if extension:
                    span = (span[0], extension.end())
                found.append(span)
                yield Item("phone", description, span, text[span[0] : span[1]])
        # Groups of digits phonenumbers does not take for one number ("21 284 698 2548"),
        # after a phone word.
        if not self._phone_cue_in(scan):
            return
        for m in _LOOSE_NUMBER.finditer(text):
            span = m.span()
            raw = m.group()
            if any(span[0] < e and s < span[1] for s, e in found):
                continue
            if not 7 <= _digit_count(raw) <= 15 or _not_a_phone(raw):
                continue
            if self._phone_cue_before(scan, span):
                yield Item("phone", "phone number", span, raw)

    def _phone_cue_in(self, scan: Scan) -> bool:
        return bool(scan.cue_spans(self.numbers.phone))

    def _phone_cue_before(self, scan: Scan, span: Span) -> bool:
        # Before only: in "21 19 21 17, text me" the phone word is about something else.
        n = self.numbers
        return scan.near(span, n.phone, n.window, n.not_phone, before=True)

    def _bank_accounts(self, scan: Scan) -> Iterator[Item]:
        text = scan.text
        if scan.digits < 14:
            return
        accounts = [m.span() for m in _ACCOUNT.finditer(text)]
        for m in _SORT_CODE.finditer(text):
            if m.group(1) is None and not self._sort_code_cue(scan, m.span()):
                continue
            near = [a for a in accounts if abs(a[0] - m.end()) <= 40 or abs(m.start() - a[1]) <= 40]
            if near:
                span = (min(m.start(), near[0][0]), max(m.end(), near[0][1]))
                yield Item("bank-account", "bank sort code and account number", span, m.group())

    def _sort_codes(self, scan: Scan) -> Iterator[Item]:
        if scan.digits < 6:
            return
        for m in _SORT_CODE.finditer(scan.text):
            if self._sort_code_cue(scan, m.span()):
                yield Item("sort-code", "bank sort code", m.span(), m.group(), context=True)

    def _sort_code_cue(self, scan: Scan, span: Span) -> bool:
        return scan.near(span, self.numbers.sort_code, self.numbers.window)

    def _addresses(self, scan: Scan) -> Iterator[Item]:
        text = scan.text
        if self.street is None or not scan.digits:
            return
        for m in self.street.finditer(text):
            words = {w.lower() for w in m.group("name").split()}
            if words & self.not_street_words:
                continue
            end = m.end()
            # "14 Oxford Street, LE1 9BH" is one address, not an address and a postcode.
            tail = _POSTCODE_AFTER.match(text, end)
            if tail and tail.group("area").upper() in self.postcode_areas:
                end = tail.end()
            yield Item("street-address", "street address", (m.start(), end), text[m.start() : end])

    def _postcodes(self, scan: Scan) -> Iterator[Item]:
        if not scan.digits:
            return
        for m in _POSTCODE.finditer(scan.text):
            if m.group("area").upper() not in self.postcode_areas:
                continue
            context = scan.near(m.span(), self.numbers.address, self.cue_window)
            yield Item("postcode", "UK postcode", m.span(), m.group(), context=context)


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
    return len(text) - len(text.translate(_NO_DIGITS))


def _not_a_phone(raw: str) -> bool:
    """Return True for digits shaped like something else: a date, years, a decimal, a count.

    "2024-03-12", "1999 2000 2001", "3.14159265" and "1 2 3 4 5 6 7" never are phone numbers.
    """
    if _DATE_LIKE.fullmatch(raw) or _DECIMAL.fullmatch(raw):
        return True
    groups = re.findall(r"\d+", raw)
    if len(groups) > 1 and all(_YEAR.fullmatch(g) for g in groups):
        return True
    return sum(len(g) == 1 for g in groups) > 1


def _inside_word(text: str, match: phonenumbers.PhoneNumberMatch) -> bool:
    """Return True for digits glued to a word or sign: "P12345678", "#1234567", "£1 250 000"."""
    before = text[match.start - 1] if match.start else " "
    after = text[match.end] if match.end < len(text) else " "
    if after.isalpha() and _EXTENSION.match(text, match.end):
        return before.isalpha() or before in "#&/£$€"
    return before.isalpha() or before in "#&/£$€" or after.isalpha()


def _organisation(number: PhoneNumber, raw: str) -> bool:
    """Return True for a UK 03, 08 or 09 number (helplines, councils, firms), never a person's.

    Only a number written whole and grouped the UK way counts: "905-674-3793" is not the UK
    premium line 0905 674 3793, and "0341 8387176" is another country's number written
    nationally, not the UK 0341 838 7176.
    """
    if not _WHOLE_NUMBER.match(raw):
        return False
    if number.country_code == 44:
        if phonenumbers.national_significant_number(number)[:1] not in ("3", "8", "9"):
            return False
        exact = PhoneNumberMatcher(raw, "GB", leniency=Leniency.EXACT_GROUPING)
        return any(m.raw_string == raw for m in exact)
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
    )


def _phone_description(number: PhoneNumber, raw: str) -> str | None:
    """Describe a number that counts without a phone word near it; None when it needs one."""
    if not _WHOLE_NUMBER.match(raw):
        return None
    if phonenumbers.is_valid_number(number):
        kind = phonenumbers.number_type(number)
        if phonenumbers.region_code_for_number(number) != "GB":
            return "international phone number"
        if kind == PhoneNumberType.MOBILE:
            return "UK mobile number"
        if kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
            return "UK landline number"
        return "UK phone number"
    national = phonenumbers.national_significant_number(number)
    if number.country_code == 44:
        # Shaped like a UK geographic or mobile number but unassigned (drama ranges): ten
        # digits after the 0, or nine for a few 01 areas.
        if len(national) == 10 and national[0] in "12":
            return "UK landline number"
        if len(national) == 9 and national[0] == "1":
            return "UK landline number"
        if len(national) == 10 and national[0] == "7":
            return "UK mobile number"
        return None
    if raw.lstrip("(").startswith(("+", "00")) and len(national) >= 7:
        return "international phone number"
    return None


def _emails(scan: Scan) -> Iterator[Item]:
    text = scan.text
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield Item("email", "email address", m.span(), m.group())


def _ibans(scan: Scan) -> Iterator[Item]:
    if scan.digits < 6:
        return
    for m in _IBAN.finditer(scan.text):
        if iban.is_valid(m.group()):
            yield Item("iban", "bank account number (IBAN)", m.span(), m.group())


def _student_numbers(scan: Scan) -> Iterator[Item]:
    if scan.digits < 7:
        return
    for m in _STUDENT_NUMBER.finditer(scan.text):
        yield Item("student-number", "DMU student number", m.span(), m.group())


def _dates_of_birth(scan: Scan) -> Iterator[Item]:
    text = scan.text
    if scan.digits < 3:
        return
    for m in _DATE.finditer(text):
        if _DOB_CUE.search(text, max(0, m.start() - 30), m.start()):
            yield Item("date-of-birth", "date of birth", m.span(), m.group())


def _handles(scan: Scan) -> Iterator[Item]:
    for m in _HANDLE.finditer(scan.text):
        handle = m.group(1).rstrip(".")
        if sum(c.isalnum() for c in handle) >= 2:
            span = (m.start(1), m.start(1) + len(handle))
            yield Item("social-handle", "social media handle", span, handle)


def _street_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    """Return the street-address pattern: number, up to three name words, a street suffix."""
    ends = "|".join(sorted((re.escape(s.lower()) for s in suffixes), key=len, reverse=True))
    return re.compile(
        r"(?<![\w/.:-])(?:(?:flat|apartment|apt|room|unit)\s+\d+[a-z]?\s*,?\s+)?"
        rf"\d{{1,4}}[a-h]?,?\s+(?P<name>(?:[a-z][a-z']+\s+){{1,3}})(?:{ends})\b",
        re.IGNORECASE,
    )


def _postcode_areas(spec: RuleSpec, lists: RuleLists) -> frozenset[str]:
    """Return the postcode areas a rule names, each one or two letters."""
    areas: set[str] = set()
    for name in spec.names("postcode_areas"):
        for i, area in enumerate(lists.phrases(name, f"{spec.where}.postcode_areas")):
            if not re.fullmatch(r"[A-Za-z]{1,2}", area.strip()):
                raise RuleError(
                    [
                        f"{lists.source(name)}: {name}[{i}]: expected a postcode area "
                        f"(one or two letters), got {area!r}"
                    ]
                )
            areas.add(area.strip().upper())
    return frozenset(areas)


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

    def cues(key: str) -> PhraseMatcher:
        return lists.matcher(spec.names(key), f"{where}.{key}")

    return PersonalInfoDetector(
        spec=spec,
        kinds=kinds,
        self_cues=cues("self_cues"),
        third_party_cues=cues("third_party_cues"),
        cue_window=int(spec.number("cue_window", 8)),
        self_label=spec.label_param("self_label", "privacy-tip"),
        bare_severity=spec.severity_param("bare_severity", Severity.MEDIUM),
        bare_score=spec.number("bare_score", 0.6),
        weak_severity=spec.severity_param("weak_severity", Severity.LOW),
        allowed=frozenset(a for a in allowed if a),
        numbers=NumberCues(
            phone=cues("phone_cues"),
            not_phone=cues("not_phone_cues"),
            card=cues("card_cues"),
            sort_code=cues("sort_code_cues"),
            address=cues("address_cues"),
            window=int(spec.number("number_cue_window", 4)),
        ),
        postcode_areas=_postcode_areas(spec, lists),
        street=_street_pattern(suffixes) if suffixes else None,
        not_street_words=frozenset(not_street),
        not_names=not_names_of(spec, lists),
        first_names=first_names_of(spec, lists, not_names_of(spec, lists)),
    )
