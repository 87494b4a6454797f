"""Personal-information rules: contact details, bank details and ids, and whose they are.

Items are found in the message's normalized text (:mod:`bot.normalize`), where contact
details typed to dodge a check are written plainly ("jake [at] gmail [dot] com", "O77OO
9OO123", digits spelled out or separated by thin spaces or zero-width characters), and each
finding's span points back at the original:

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

Not every contact is someone's personal information, and the evidence says which:

* published contacts: the official routes' and the university's (``allow``; its switchboard),
  a community's own (``ChannelSettings.published_contacts``), staff addresses on a university's
  domains (``published_domains``, less ``student_mail_hosts``), role mailboxes ("info@",
  "gamesoc@", ``role_mailboxes``) and a contact an organisation word names ("the SU reception
  is on", "the venue is at", ``organisation_cues``);
* placeholders: example and test domains and mailboxes (``placeholder_emails``), numbers such
  as 555-1234 or 0000000 (``placeholder_numbers``), and, where a community says so, the
  drama ranges (``drama_numbers``);
* technical strings: anything inside a code span, a link, an SSH remote ("git@github.com:"),
  an IRC address ("#chan@irc.server.net", "nick!user@host"), a modem command or a line of a
  log or stack trace;
* the author's own: an address whose mailbox is the author's name, or a contact in the
  author's signature, is a privacy tip at most.

An e-mail or street address posted alone, without saying whose, is a low signal the default
config does not act on (it is most often the author's own or a venue's); a flat's address,
a phone number, card or account is not. Evidence names the kind of item ("UK mobile number"),
never its value. Each item gets its own finding (with its span), up to ``MAX_ITEMS`` findings
a message; the engine keeps the strongest per label. Candidates are found in one linear pass:
no number of other numbers before a phone number hides it.

Rule keys (besides the common ones)::

    kinds: [phone, email, payment-card, iban, bank-account, sort-code, student-number,
            postcode, street-address, residence-room, date-of-birth, social-handle]
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
    residence_words: residence-words    # "Bede Hall", "Liberty Park": a room there is a home
    not_residences: [teaching-buildings]  # buildings whose rooms are classrooms
    not_names: not-names
    first_names: first-names
    organisation_cues: [organisation-cues]  # words that make a contact an organisation's
    consent_cues: [personal-info-consent]   # "with her OK", "he asked me to share it": a
                                            #   detail shared with its owner's consent is fine
    role_mailboxes: role-mailboxes          # mailbox words of a role, not a person ("info")
    published_domains: [university-domains] # staff addresses there are published
    student_mail_hosts: student-mail-hosts  # ... except students' own mailboxes
    placeholder_emails: placeholder-emails  # example domains and mailboxes
    placeholder_numbers: placeholder-numbers  # RE2 patterns over a number's digits
    drama_numbers: drama-numbers            # ditto, placeholders where a community says so
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import Leniency, PhoneNumber, PhoneNumberMatcher, PhoneNumberType
from stdnum import iban, luhn

from bot.detectors.base import MessageContext
from bot.detectors.people import first_names_of, person_spans
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.phrases import not_names_of, words_apart
from bot.detectors.regex import compile_re2
from bot.detectors.spec import BuiltFromRule, RuleError, RuleLists, RuleSpec
from bot.finding import Finding
from bot.normalize import NormalizedText
from bot.taxonomy import Severity

Span = tuple[int, int]

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
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

# Digit runs that may hold phone numbers: digits with the separators numbers are typed with.
# Each run is handed to phonenumbers' matcher on its own, so the cost is linear in the text.
_NUMBER_RUN = re.compile(r"(?:\+ ?)?\(?\d(?:[\d \t().\-/]*\d)?\)?")
# A number written whole somewhere in a run: a "+", "00" or a group starting with 0.
_WHOLE_IN_RUN = re.compile(r"(?:^|[\s(./-])\(?(?:\+|0)")
# Where a text is code, a link or a log, digits and "@" are not contact details.
_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)
_LINK = re.compile(r"\b(?:https?|ftp|ssh|git|irc)://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")
_CODE_SIGNALS = re.compile(
    r"traceback|\w*exception\b|\w*error\b|\bwarn(?:ing)?\b|\bdebug\b|\bline \d+|\bat [\w.$<>]+\("
    r"|0x[0-9a-f]{3,}|::|=>|->|[{};]$|\b[\w-]+\.(?:py|js|ts|java|c|cc|cpp|h|go|rb|rs|php|cs|sh"
    r"|log|json|xml|yaml|yml|ini|cfg|conf|txt|so|dll|exe)\b|\d\d:\d\d:\d\d|\[(?:info|debug|warn|warning|error|main|trace|fatal)\]|\bpid\b"
    r"|\b(?:errno|stderr|stdout|segfault|null|undefined|localhost|ttys?\d*|baud|modem)\b"
    r"|\b[a-z_]+\([^)]*\)",
    re.MULTILINE,
)
# A modem command just before a number: "ATDT 0116 ...", "atd*99#", "AT+CGDCONT=1".
_MODEM = re.compile(r"\bat(?:d[tp]?|&\w+|\+\w+=?|z|s\d+=)\W{0,3}$")
# An SSH remote or IRC address: "git@github.com:", "#chan@irc.net", "nick!user@host".
_REMOTE_AFTER = re.compile(r":[\w~./-]")
_IRC_HOST = re.compile(r"^irc\.|\.irc\.")
# A sign-off before the author's signature: "Cheers, Dan", "-- ", "Kind regards".
_SIGN_OFF = re.compile(
    r"(?:^|[\n.!,] ?)(?:cheers|thanks|thank you|many thanks|regards|kind regards|best wishes|"
    r"best regards|best|all the best|sincerely|yours sincerely|--|—)(?![a-z])[ ,.!]*"
)
# What may stand between a sign-off and a contact in a signature: a few words (a name, a role)
# ending in a line break or a separator ("Best, Tom (", "Dan Smith | Events Officer | ").
_SIGNATURE_GAP = re.compile(r"[\s,.!]*(?:[^\W\d_]+[\s,.'!|—–-]*){0,6}[(<:]?\s*")
#: Characters after a sign-off within which a contact is in the author's signature.
SIGNATURE_CHARS = 120
# A residential address: a flat, apartment or room before the house number.
_RESIDENTIAL = re.compile(r"^(?:flat|apartment|apt|room|unit)\b", re.IGNORECASE)

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
    "residence-room",
    "postcode",
    "date-of-birth",
    "social-handle",
)
#: Findings per message: enough for any real message, and a message of a thousand numbers
#: costs no more than this many.
MAX_ITEMS = 20
#: Kinds the author may share about themselves without a tip ("follow my insta @me").
OWN_IS_FINE = frozenset({"social-handle"})
#: The kinds the ``allow`` list is checked against (a postcode's digits are not a phone number).
ALLOWABLE_KINDS = frozenset({"phone", "email"})
#: The kinds that a bare number or string alone does not make personal information.
WEAK_KINDS = frozenset({"postcode", "sort-code", "date-of-birth", "social-handle"})
#: The kinds an organisation has as published contacts: a venue's address, a reception's number,
#: and the account a society's members pay their subs into.
ORGANISATION_KINDS = frozenset(
    {"phone", "email", "street-address", "postcode", "bank-account", "sort-code", "iban"}
)
#: Kinds that, posted without saying whose, are a low signal: most e-mail addresses and street
#: addresses posted alone are the author's or a venue's (a flat's address is not).
SIGNAL_KINDS = frozenset({"email", "street-address", "residence-room"})


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
        "residence_words",
        "not_residences",
        "not_street_words",
        "not_names",
        "first_names",
        "organisation_cues",
        "consent_cues",
        "role_mailboxes",
        "published_domains",
        "student_mail_hosts",
        "placeholder_emails",
        "placeholder_numbers",
        "drama_numbers",
    }
)


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of personal information found in the normalized text.

    ``span`` is in the normalized text; ``value`` is as it reads there. ``context`` is True
    when the words around a weak kind of item say what it is ("sort code", "send it to"), or
    when a street address is a flat's, so it may count without saying whose.
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


@dataclass(frozen=True, slots=True)
class NotPersonal:
    """What makes a contact something other than a person's details, as the rules' data says."""

    organisation: PhraseMatcher = field(default_factory=lambda: PhraseMatcher(()))
    role_mailboxes: frozenset[str] = frozenset()
    published_domains: tuple[str, ...] = ()
    student_mail_hosts: tuple[str, ...] = ()
    placeholder_domains: tuple[str, ...] = ()
    placeholder_mailboxes: frozenset[str] = frozenset()
    placeholder_numbers: tuple[Any, ...] = ()
    drama_numbers: tuple[Any, ...] = ()


@dataclass
class Scan:
    """One message's text as the finders read it, with each cue list searched at most once."""

    norm: NormalizedText
    found: dict[int, list[Span]] = field(default_factory=dict)
    digits: int = field(init=False)
    _technical: list[Span] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        # Most messages hold no digits: every finder of numbers stops at once on those.
        self.digits = _digit_count(self.norm.text)

    @property
    def text(self) -> str:
        """Return the normalized text, where items are found."""
        return self.norm.text

    def cue_spans(self, matcher: PhraseMatcher) -> list[Span]:
        """Return the spans of ``matcher``'s phrases in the normalized text."""
        key = id(matcher)
        if key not in self.found:
            self.found[key] = matcher.spans(self.norm) if matcher else []
        return self.found[key]

    def technical(self) -> list[Span]:
        """Return the spans of the original text that are code, links or log lines.

        Read in the original, where the lines of a log or stack trace still are lines.
        """
        if self._technical is None:
            text = self.norm.original.lower()
            spans = [m.span() for m in _CODE_SPAN.finditer(text)] if "`" in text else []
            spans += [m.span() for m in _LINK.finditer(text)]
            signals = list(_CODE_SIGNALS.finditer(text))
            if len(signals) >= 2:
                # A message that reads as code or a log: each line with a signal is technical,
                # and the whole message when most of its lines have one (a stack trace).
                lines = {text.rfind("\n", 0, m.start()) + 1 for m in signals}
                if 2 * len(lines) >= len([x for x in text.split("\n") if x.strip()]):
                    spans.append((0, len(text)))
                for start in lines:
                    end = text.find("\n", start)
                    spans.append((start, len(text) if end < 0 else end))
            self._technical = spans
        return self._technical

    def near(
        self,
        span: Span,
        matcher: PhraseMatcher,
        window: int,
        veto: PhraseMatcher | None = None,
        *,
        before: bool = False,
    ) -> bool:
        """Return True when a cue is within ``window`` words of a span of the text.

        With ``veto``, the nearest of both lists decides and a tie goes to the veto: "order
        number 1234 5678" is not a phone number although "number" is a phone word. With
        ``before``, only cues that come before the span count.
        """
        text = self.norm.text
        best: tuple[int, int] | None = None  # (words apart, 0 for a veto)
        tagged = [(s, 1) for s in self.cue_spans(matcher)]
        if veto is not None:
            tagged += [(s, 0) for s in self.cue_spans(veto)]
        for cue, tag in tagged:
            if (cue[0] < span[1] and span[0] < cue[1]) or (before and cue[1] > span[0]):
                continue
            apart = words_apart(text, cue, span)
            if apart <= window and (best is None or (apart, tag) < best):
                best = (apart, tag)
        return best is not None and best[1] == 1


@dataclass(frozen=True, slots=True)
class PersonalInfoDetector(BuiltFromRule):
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
    not_personal: NotPersonal = field(default_factory=NotPersonal)
    postcode_areas: frozenset[str] = frozenset()
    street: re.Pattern[str] | None = None
    not_street_words: frozenset[str] = frozenset()
    #: A room or flat in a named hall or street ("Bede Hall room 314", "flat 4C Dover St").
    rooms: tuple[re.Pattern[str], ...] = ()
    #: Buildings whose rooms are teaching rooms, not anyone's home ("Edith Murphy House").
    not_residences: PhraseMatcher | None = None
    not_names: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    consent: PhraseMatcher | None = None

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding per item, labelled by whose it appears to be."""
        findings: list[Finding] = []
        cues: list[tuple[Span, str]] | None = None
        scan = Scan(ctx.normalized)
        published = contact_keys(ctx.settings.published_contacts)
        read: list[tuple[Item, str]] = []
        for item in self.items(scan):
            if len(read) >= MAX_ITEMS:
                break
            if item.kind in ALLOWABLE_KINDS and (
                contact_key(item.value) in self.allowed or contact_key(item.value) in published
            ):
                continue
            if self._not_personal(ctx, scan, item):
                continue
            if cues is None:
                cues = self.whose_cues(ctx)
            read.append((item, self.whose(ctx, item, cues)))
        # "I'm at 9 Clarendon Mews, ring 07700 900694": when the author says some details are
        # their own and none are anyone else's, a detail of another kind said without a cue is
        # theirs too (a second phone number may be a friend's: "text me on ..., jess is on ...").
        owners = {whose for _, whose in read}
        own_kinds = {item.kind for item, whose in read if whose == "self"}
        # Shared with the owner's say-so ("Coach asked me to share her number... with her OK"):
        # 4.5 forbids posting someone's details without consent, not with it.
        consented = bool(read) and self.consent is not None and self.consent.search(ctx.normalized)
        # "can someone check my details are right? passport no ..., DOB ..., sort code ...": a
        # message that says the details are the author's, and names no one else's anywhere,
        # owns a list that runs past the cue's window too.
        cue_owners = {whose for _, whose in cues or ()}
        all_own = "self" in cue_owners and "other" not in cue_owners and "other" not in owners
        for item, whose in read:
            if whose == "" and (all_own or ("other" not in owners and own_kinds - {item.kind})):
                whose = "self"
            span = ctx.normalized.original_span(*item.span)
            if whose == "organisation" or (whose == "self" and item.kind in OWN_IS_FINE):
                continue
            if consented and whose != "self":
                continue
            if whose == "self" and item.kind == "email" and self._university_mail(item.value):
                continue  # one's own university address is in its directory already
            if whose == "self":
                findings.append(
                    self.spec.finding(
                        f"{item.description} shared by its owner",
                        span=span,
                        label=self.self_label,
                        severity=Severity.LOW,
                    )
                )
            elif whose == "other":
                findings.append(
                    self.spec.finding(f"{item.description} about someone else", span=span)
                )
            elif item.kind not in WEAK_KINDS or item.context:
                # A landline posted alone is far more often a venue's or an office's than a
                # student's (students' numbers are mobiles): a low signal, as an e-mail is.
                weak = (
                    item.kind in WEAK_KINDS
                    or (item.kind in SIGNAL_KINDS and not item.context)
                    or item.description == "UK landline number"
                )
                findings.append(
                    self.spec.finding(
                        f"{item.description} posted without saying whose",
                        span=span,
                        severity=self.weak_severity if weak else self.bare_severity,
                        score=self.bare_score,
                        whose_unsaid=True,
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

    def _not_personal(self, ctx: MessageContext, scan: Scan, item: Item) -> bool:
        """Return True for a published contact, a placeholder or a technical string."""
        at = item.span
        here = scan.norm.original_span(*at)
        if any(s <= here[0] and here[1] <= e for s, e in scan.technical()):
            return True
        n = self.not_personal
        text = scan.text
        if item.kind == "email":
            mailbox, _, domain = item.value.rpartition("@")
            before = text[at[0] - 1] if at[0] else " "
            if before in "#!" or _IRC_HOST.search(domain) or _REMOTE_AFTER.match(text, at[1]):
                return True  # an IRC channel or hostmask, an SSH remote
            if mailbox == "git" or _under(domain, n.placeholder_domains):
                return True
            parts = [p for p in re.split(r"[._+-]+", mailbox) if p]
            if mailbox in n.placeholder_mailboxes or "".join(parts) in n.placeholder_mailboxes:
                return True
            # "info@", "events.team@", "dmu.gamesoc@": a role's or a society's mailbox.
            if parts and (
                parts[0] in n.role_mailboxes
                or "".join(parts) in n.role_mailboxes
                or parts[-1].endswith(("soc", "society", "club", "union"))
            ):
                return True
            return _under(domain, n.published_domains) and not _under(domain, n.student_mail_hosts)
        if item.kind == "phone":
            if _MODEM.search(text, 0, at[0]):
                return True
            digits = re.sub(r"\D", "", item.value)
            if any(p.search(digits) for p in n.placeholder_numbers):
                return True
            if ctx.settings.drama_numbers_are_placeholders:
                national = _national(item.value)
                return any(p.search(national) for p in n.drama_numbers)
        return False

    def _university_mail(self, address: str) -> bool:
        """Return True for an address on a university's domains, a student's mailbox included."""
        domain = address.rpartition("@")[2]
        n = self.not_personal
        return _under(domain, n.published_domains) or _under(domain, n.student_mail_hosts)

    def whose_cues(self, ctx: MessageContext) -> list[tuple[Span, str]]:
        """Return the spans in the normalized text that say whose an item is, tagged.

        A person named is someone else, unless it is the author: "Dan Smith | events officer".
        """
        norm = ctx.normalized
        organisations = self.not_personal.organisation.spans(norm)
        cues = [(s, "self") for s in self.self_cues.spans(norm)]
        # "ring the accommodation office on", "email the society at": the one rung is an
        # organisation, named inside the cue.
        cues += [
            (
                s,
                "organisation"
                if any(s[0] <= o[0] and o[1] <= s[1] for o in organisations)
                or _theirs_is_organisations(norm.text, s, organisations)
                else "other",
            )
            for s in self.third_party_cues.spans(norm)
        ]
        cues += [(s, "organisation") for s in organisations]
        own = _author_words(ctx)
        told_of_other = any(whose == "other" for _, whose in cues)
        own_spans = [span for span, whose in cues if whose == "self"]
        # A name given as one's own counts only where no he or she is talked of.
        no_one_else = _HE_OR_SHE.search(norm.text) is None
        # A titled name is usually staff, whose work contacts are published: no cue either way.
        for s in person_spans(ctx, self.not_names, self.first_names, titled=False):
            word = norm.text[s[0] : s[1]].removesuffix("'s").lstrip("@")
            # Signing off, or the account holder's name after "my bank details:" or "send it
            # to me:", unless the message also says "her", "his" ... of the details.
            signed = not told_of_other and (
                (
                    _SIGNED_OFF.fullmatch(norm.text, s[1]) is not None
                    and _SIGN_OFF_BEFORE.search(norm.text[: s[0]]) is not None
                )
                or any(end <= s[0] and ":" in norm.text[end : s[0]] for (_, end) in own_spans)
                or (
                    no_one_else
                    and not norm.text.startswith("'s", s[1])
                    and _INTRODUCED.search(norm.text, max(0, s[0] - 60), s[0]) is not None
                )
            )
            cues.append((s, "self" if word in own or signed else "other"))
        return cues

    def whose(
        self, ctx: MessageContext, item: Item, cues: list[tuple[Span, str]] | None = None
    ) -> str:
        """Return "self", "other", "organisation" or "" (no cue) for an item, by the nearest cue.

        An address whose mailbox is the author's name, or a contact just after a sign-off, is
        the author's own.
        """
        norm = ctx.normalized
        text = norm.text
        at = item.span
        if item.kind == "email" and _mailbox_is_authors(item.value, _author_words(ctx), ctx):
            return "self"
        if _in_signature(norm, at):
            return "self"
        best: tuple[int, int, str] | None = None  # (words apart, rank, whose)
        rank = {"organisation": 0, "self": 1, "other": 2}
        for span, whose in self.whose_cues(ctx) if cues is None else cues:
            if whose == "organisation" and item.kind not in ORGANISATION_KINDS:
                continue  # a library has a number, not a student number
            if span[0] < at[1] and at[0] < span[1]:
                continue
            apart = words_apart(text, span, at)
            if apart > self.cue_window:
                continue
            candidate = (apart, rank[whose], whose)
            if best is None or candidate < best:
                best = candidate
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
            ("residence-room", self._rooms),
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
        cue = self._phone_cue_in(scan)
        found: list[Span] = []  # numbers taken, or turned down as something else
        for run in _NUMBER_RUN.finditer(text):
            raw_run = run.group()
            if _digit_count(raw_run) < 7:
                continue
            # A run with no number written whole counts only after a phone word: most runs of
            # digits (dates, counts, ids) are turned down here without parsing.
            if not cue and not _WHOLE_IN_RUN.search(raw_run):
                continue
            yield from self._phones_in(scan, run.start(), run.end(), found)
        # Groups of digits phonenumbers does not take for one number ("21 284 698 2548"),
        # after a phone word.
        if not cue:
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

    def _phones_in(self, scan: Scan, start: int, end: int, found: list[Span]) -> Iterator[Item]:
        """Yield the phone numbers in one run of digits (``text[start:end]``)."""
        text = scan.text
        # The matcher reads the run with a character either side, so "+" and brackets and the
        # letters that glue digits to a word are seen.
        left = max(0, start - 1)
        window = text[left : min(len(text), end + 1)]
        matcher = PhoneNumberMatcher(
            window, "GB", leniency=Leniency.POSSIBLE, max_tries=len(window) + 1
        )
        for match in matcher:
            raw = match.raw_string
            span = (left + match.start, left + match.end)
            if _digit_count(raw) < 7:
                continue
            if _not_a_phone(raw) or _inside_word(text, span) or _organisation(match.number, raw):
                found.append(span)
                continue
            description = _phone_description(match.number, raw)
            if description is None and self._phone_cue_before(scan, span):
                description = "phone number"
            if description is not None:
                extension = _EXTENSION.match(text, span[1])
                if extension:
                    span = (span[0], extension.end())
                found.append(span)
                yield Item("phone", description, span, text[span[0] : span[1]])

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
            residential = bool(_RESIDENTIAL.match(m.group()))
            yield Item(
                "street-address",
                "street address",
                (m.start(), end),
                text[m.start() : end],
                context=residential,
            )

    def _rooms(self, scan: Scan) -> Iterator[Item]:
        """Yield each room or flat in a hall or on a street, but not in a teaching building."""
        text = scan.text
        if not self.rooms or not scan.digits:
            return
        found: list[Span] = []
        for pattern in self.rooms:
            for m in pattern.finditer(text):
                span = (m.start(), m.end())
                if any(span[0] < e and s < span[1] for s, e in found):
                    continue
                name = m.start("name"), m.end("name")
                if self.not_residences is not None and any(
                    name[0] <= a and b <= name[1] for a, b in scan.cue_spans(self.not_residences)
                ):
                    continue
                found.append(span)
                yield Item("residence-room", "room in a hall or flat", span, m.group())

    def _postcodes(self, scan: Scan) -> Iterator[Item]:
        if not scan.digits:
            return
        for m in _POSTCODE.finditer(scan.text):
            if m.group("area").upper() not in self.postcode_areas:
                continue
            context = scan.near(m.span(), self.numbers.address, self.cue_window)
            yield Item("postcode", "UK postcode", m.span(), m.group(), context=context)


def contact_key(value: str) -> str:
    """Return the form items and allowlist entries are compared in."""
    if "@" in value:
        return value.strip().lower()
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+44"):
        digits = "0" + digits[2:]
    return digits


@lru_cache(maxsize=64)
def contact_keys(values: frozenset[str]) -> frozenset[str]:
    """Return the keys of a community's published contacts (a few; remembered)."""
    return frozenset(k for k in map(contact_key, values) if k)


# The author giving their own name: "I'm Amara, 07700 ...", "Name: Abdirahman Yusuf. Email:",
# "acc name Jamal Ferreira, sort code ...". Only where nothing in the message says the details
# are someone else's.
_INTRODUCED = re.compile(
    r"(?:^|[^a-z'])(?:(?:i'?m|i am|my name is|my name's)\s*|(?:full name:?|name:|acc(?:ount)? "
    r"name:?|name on (?:the )?(?:account|card):?|account holder:?|under the name)"
    r"\s*(?:[^\W\d_]+ )?)$"
)
# Someone else talked of ("she's the one who ..."): a name given in a form is then theirs.
_HE_OR_SHE = re.compile(r"\b(?:she|he|her|hers|his|him)\b")
#: A name that ends the message after a comma, a dash or a line break is the author signing
#: off ("sort code 20-32-06, account 55418823, Mia", "... for the subs\n- Leo x"), not the
#: person the details belong to.
_SIGN_OFF_BEFORE = re.compile(r"(?:[,\n]|\s[-\u2013\u2014~])\s*$")
_SIGNED_OFF = re.compile(r"(?:\s*(?:x{1,3}|xo|thanks|ta|cheers))?\W*")


# A dash, a name and a comma or line break just before an item, as a message signed mid-line
# is: "that's all for this week -- Amira, amira.k@...".
_DASHED_NAME = re.compile(r"\s(?:--|\u2014)\s*[^\W\d_]+(?: [^\W\d_]+)?\s*[,\n|]\s*$")


#: Words within which "their" after an organisation is the organisation's.
THEIR_WORDS = 15


def _theirs_is_organisations(text: str, cue: Span, organisations: list[Span]) -> bool:
    """Return True for "their number" after an organisation in the same sentence.

    "the chippy on Narborough Rd does student discount, their number is ...": "their" is the
    chippy's. "Sam moved out, their number is ..." names no organisation, and stays a person's.
    """
    if not text.startswith("their", cue[0]):
        return False
    return any(
        o[1] <= cue[0]
        and not re.search(r"[.!?\n]", text[o[1] : cue[0]])
        and words_apart(text, o, cue) <= THEIR_WORDS
        for o in organisations
    )


def _in_signature(norm: NormalizedText, span: Span) -> bool:
    """Return True if an item comes just after a sign-off, as the author's signature does."""
    original = norm.original
    start = norm.original_span(*span)[0]
    lower = original[max(0, start - SIGNATURE_CHARS) : start].lower()
    for m in _SIGN_OFF.finditer(lower):
        gap = lower[m.end() :]
        # A signature's gap ends in a line break or a separator, or is empty.
        if _SIGNATURE_GAP.fullmatch(gap) and (
            not gap.strip() or gap.rstrip(" ")[-1:] in "\n|—–(:<-"
        ):
            return True
    return _DASHED_NAME.search(lower) is not None


def _national(value: str) -> str:
    """Return a UK number's digits as dialled at home ("+44 7700 ..." -> "07700 ...")."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0044"):
        return "0" + digits[4:]
    if digits.startswith("44") and value.lstrip("( ").startswith("+"):
        return "0" + digits[2:].removeprefix("0")
    return digits


def _under(domain: str, suffixes: Iterable[str]) -> bool:
    """Return True if ``domain`` is one of ``suffixes`` or a subdomain of one."""
    return any(domain == s or domain.endswith("." + s) for s in suffixes)


def _author_words(ctx: MessageContext) -> frozenset[str]:
    """Return the words of the author's names: display name, member name and user id."""
    message = ctx.message
    names = (message.author_name or "", ctx.names.get(message.author, ""), message.author)
    return _name_words(names)


@lru_cache(maxsize=1024)
def _name_words(names: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set()
    for name in names:
        words.update(w for w in re.findall(r"[a-z]+", name.lower()) if len(w) >= 3)
        compact = re.sub(r"[^a-z0-9]", "", name.lower())
        if len(compact) >= 3:
            words.add(compact)
    return frozenset(words)


def _mailbox_is_authors(address: str, own: frozenset[str], ctx: MessageContext) -> bool:
    """Return True if an address's mailbox is the author's name ("dan.smith", "dsmith", "dan")."""
    if not own:
        return False
    mailbox = address.rpartition("@")[0]
    compact = re.sub(r"[^a-z]", "", mailbox)
    parts = [p for p in re.split(r"[^a-z]+", mailbox) if len(p) >= 3]
    if any(p in own for p in parts) or compact in own:
        return True
    # "dsmith", "smithd": an initial and a surname.
    return any(len(w) >= 4 and w in compact and len(compact) - len(w) <= 2 for w in own)


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


def _inside_word(text: str, span: Span) -> bool:
    """Return True for digits glued to a word or sign: "P12345678", "#1234567", "£1 250 000"."""
    start, end = span
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if after.isalpha() and _EXTENSION.match(text, end):
        return before.isalpha() or before in "#&/£$€=_:"
    return before.isalpha() or before in "#&/£$€=_:" or after.isalpha() or after in "_="


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
        # +44 is the UK's plan, the Channel Islands' and the Isle of Man's too: "07911 123456"
        # is a Guernsey range to libphonenumber, and a UK mobile to anyone reading it.
        if number.country_code != 44:
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
        yield Item("email", "email address", m.span(), m.group().rstrip("."))


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


def _room_patterns(residences: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Return the residence-room patterns: "<name> Hall room 314" and "room 2.17 in <name> Park"."""
    ends = "|".join(sorted((re.escape(s.lower()) for s in residences), key=len, reverse=True))
    name = rf"(?P<name>(?:[a-z][a-z'-]*\s+){{0,3}}(?:{ends}))"
    number = r"[a-z]?\d{1,4}[a-z]?(?:\.\d{1,3}[a-z]?)?"
    room = r"(?:flat|room|rm|apt|apartment)\.?\s*(?:no\.?\s*|number\s+|is\s+)?"
    return (
        re.compile(
            rf"\b{name},?\s+(?:(?:block|floor)\s+[a-z0-9]+,?\s+)?{room}{number}\b"
            rf"(?:,?\s+(?:room|rm)\s+\d{{1,4}}[a-z]?\b)?"
        ),
        re.compile(rf"\b{room}{number},?\s+(?:in|at|of|on)\s+(?:the\s+)?{name}\b"),
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
        allowed.update(contact_key(v) for v in lists.phrases(name, f"{where}.allow"))
    suffixes: tuple[str, ...] = ()
    for name in spec.names("street_suffixes"):
        suffixes += lists.phrases(name, f"{where}.street_suffixes")
    residences: tuple[str, ...] = ()
    for name in spec.names("residence_words"):
        residences += lists.phrases(name, f"{where}.residence_words")
    not_street: set[str] = set()
    for name in spec.names("not_street_words"):
        not_street.update(w.lower() for w in lists.phrases(name, f"{where}.not_street_words"))

    def cues(key: str) -> PhraseMatcher:
        return lists.matcher(spec.names(key), f"{where}.{key}")

    def words(key: str) -> tuple[str, ...]:
        out: list[str] = []
        for name in spec.names(key):
            out += [w.strip().lower() for w in lists.phrases(name, f"{where}.{key}")]
        return tuple(out)

    def patterns(key: str) -> tuple[Any, ...]:
        out: list[Any] = []
        for name in spec.names(key):
            found = lists.phrases(name, f"{where}.{key}")
            out += compile_re2(found, f"{lists.source(name)}: {name}", spec.id)
        return tuple(out)

    placeholders = words("placeholder_emails")

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
        not_personal=NotPersonal(
            organisation=cues("organisation_cues"),
            role_mailboxes=frozenset(words("role_mailboxes")),
            published_domains=words("published_domains"),
            student_mail_hosts=words("student_mail_hosts"),
            placeholder_domains=tuple(p.lstrip("@") for p in placeholders if "@" in p),
            placeholder_mailboxes=frozenset(p for p in placeholders if "@" not in p),
            placeholder_numbers=patterns("placeholder_numbers"),
            drama_numbers=patterns("drama_numbers"),
        ),
        postcode_areas=_postcode_areas(spec, lists),
        street=_street_pattern(suffixes) if suffixes else None,
        not_street_words=frozenset(not_street),
        rooms=_room_patterns(residences + suffixes) if residences else (),
        not_residences=cues("not_residences") if spec.names("not_residences") else None,
        not_names=not_names_of(spec, lists),
        first_names=first_names_of(spec, lists, not_names_of(spec, lists)),
        consent=cues("consent_cues") if spec.names("consent_cues") else None,
    )
