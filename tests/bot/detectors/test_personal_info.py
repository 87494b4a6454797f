from __future__ import annotations

import pytest

from bot.detectors.personal_info import MAX_ITEMS, build
from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.taxonomy import Severity

from .conftest import Run


def labels(findings: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f.label, f.evidence) for f in findings]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ring Jess on 07700 900123", "UK mobile number"),
        ("here's her number 07700900123", "UK mobile number"),
        ("his number is +44 7700 900123", "UK mobile number"),
        ("call him on (0116) 496 0123", "UK landline number"),
        ("her landline is 0116 496 0123", "UK landline number"),
        # An assigned +44 mobile range libphonenumber files under Guernsey.
        ("ring Priya on 07911 123456", "UK mobile number"),
        ("her cousin's number is +1 415 555 2671", "international phone number"),
        ("his email is jake.t@gmail.com", "email address"),
        ("his address is 12 Oak Street", "street address"),
        ("she lives at flat 3, 22 Mill Lane", "street address"),
        # The rest of the UK's street types, and a home found by following someone.
        ("priya's address is flat 3, 14 aylestone walk", "street address"),
        ("followed him home, he's at 7 Fosse Way Syston", "street address"),
        ("her DOB is 12/03/2004", "date of birth"),
        ("Jess was born 12 March 2004", "date of birth"),
        ("her insta is @jess_x", "social media handle"),
        ("his P number is P12345678", "DMU student number"),
        ("her card is 4111 1111 1111 1111", "payment card number"),
        ("his bank is GB82 WEST 1234 5698 7654 32", "bank account number (IBAN)"),
        ("her bank details: 20-00-00 12345678", "bank sort code and account number"),
        ("she lives at LE1 9BH", "UK postcode"),
        # A name after a comma is the one addressed when the message says whose: "her".
        ("ring her on 07700 900123, Jess", "UK mobile number"),
        ("my mate's details: Lucas Moreno, 07700 900123", "UK mobile number"),
        (
            "refunds to Noah please, sort code 20-45-77 acc 43918260",
            "bank sort code and account number",
        ),
        # A move told of someone else, and a number passed on with "hmu".
        ("Priya's moved, new address is 4 Elm Road LE2 1AB", "street address"),
        ("hmu if you want Jake's number, it's 07700 900111", "UK mobile number"),
    ],
)
def test_someone_elses_details_are_personal_info(
    rules,  # type: ignore[no-untyped-def]
    run_rule: Run,
    text: str,
    kind: str,
) -> None:
    spec = next(s for s in rules.rules if s.id == "personal-info")
    findings = run_rule("personal-info", text)
    assert ("personal-info", f"{kind} about someone else") in labels(findings)
    found = next(f for f in findings if f.label == "personal-info")
    assert found.clauses == ("4.5",)
    assert found.severity == spec.severity
    assert found.span is not None


@pytest.mark.parametrize(
    "text",
    [
        "my number is 07700 900123",
        "text me on 07700900123",
        "email me at sam.k@gmail.com",
        "ring me on 0116 496 0123",
        "my card is 4111 1111 1111 1111 lol",
        "my P number is P12345678",
        "I live at 12 Oak Street",
        # A word between "my" and the detail.
        "my personal email's tamsin.k@gmail.com, send me your headshots there",
        "my home address is 5 Hazel Grove, Market Harborough",
        "my student ID's P2398812 if the SU need it",
        "new phone who dis, my new number is 07700 900555",
        "for the tickets it's sort code 20-45-77 acc 43918260, name's the same as my discord",
        # The author's own chat apps.
        "my whatsapp is 07700 900734 if you want adding to the group",
        # Where to collect from or pay to, a form filled in for the author.
        "anyone who wants the high chair, collect from mine, 8 Ferncroft Road LE4 5PD",
        "for the ingredients money pls send to me: sort code 40-11-62, acc 71938204",
        "number for the visa letter form is 07700 900562, can someone fill it in for me",
        "student number for the printing credit: P2519034, can someone top me up",
        # The author signing off with their name.
        "subs refunds to me, sort code 20-45-77 acc 43918260, Noah",
        "lifts home from the social, text 07700 900321\n- Mia x",
        # The account holder's name after "my bank details:" is the author's.
        "my bank details for the kit refund: Lucas Moreno, 20-45-77, 43918260. ta",
        "for the bake sale money send it straight to me: Kai Osei, sort code 20-45-77, acc 43918260",
        # Contact me in chat's words; a move announced; a refund owed to the author.
        "hmu on 07700 900698 for the spare ball tickets",
        "lost my lanyard, if found msg me on 07700 900740",
        "I've moved flats! new address 11a Fosse Road North, LE3 5EN",
        "refund for the cancelled trip pls: sort code 07-04-36, acc 88201564",
    ],
)
def test_own_details_are_a_privacy_tip(run_rule: Run, text: str) -> None:
    findings = run_rule("personal-info", text)
    assert [f.label for f in findings] == ["privacy-tip"]
    assert findings[0].severity == Severity.LOW
    assert findings[0].is_route


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        # A message that says the details are the author's and names no one else's: a list
        # running past the cue's window is the author's too.
        (
            "can someone check if my details are right for the bank form? passport no on the"
            " pic, DOB 03/04/2003, sort code 04-00-04 acc 12345678",
            ["privacy-tip", "privacy-tip"],
        ),
        # Someone else's named anywhere: the bare details stay bare ones.
        (
            "can someone check if my details are right for Jess? ring Jess on 07700 900419, DOB"
            " 03/04/2003, sort code 04-00-04 acc 12345678",
            ["personal-info", "personal-info", "personal-info"],
        ),
    ],
)
def test_a_message_that_owns_its_details_owns_the_whole_list(
    run_rule: Run, text: str, labels: list[str]
) -> None:
    assert [f.label for f in run_rule("personal-info", text)] == labels


@pytest.mark.parametrize(
    "text",
    ["07700 900123", "P12345678", "flat 3, 22 Mill Lane"],
)
def test_bare_dump_is_personal_info_at_medium(run_rule: Run, text: str) -> None:
    (finding,) = run_rule("personal-info", text)
    assert finding.label == "personal-info"
    assert finding.severity == Severity.MEDIUM


@pytest.mark.parametrize(
    "text",
    ["jake.t@gmail.com", "22 Mill Lane", "0116 496 0500 for the night rate", "020 7946 0123"],
)
def test_an_address_alone_is_a_signal_the_default_does_not_act_on(run_rule: Run, text: str) -> None:
    # Most e-mail and street addresses posted alone are the author's own or a venue's, and so
    # are landlines: students' own numbers are mobiles.
    (finding,) = run_rule("personal-info", text)
    assert finding.label == "personal-info"
    assert finding.severity == Severity.LOW


@pytest.mark.parametrize(
    "text",
    [
        "email security@dmu.ac.uk or ring (0116) 257 7642",
        "call 0116 257 7642 for campus security",
        "in an emergency ring 999, or 101 for the police",
        "Samaritans are on 116 123, any time",
        "the exam is on 12/03/2025",
        "it's a 10 minute walk from the station",
        "we won 3 in a row at the quiz",
        "the 2 way radios are in the kit cupboard",
        "meet at 5 by the green",
        "we got 2 more close calls in the match",
        "my birthday is 12 March lol",
        "in 2024 we had 1234567 visitors",
        "module CS2001 is in room 2.14",
        "her insta is amazing",
        "follow my insta @jess_x",
        "the lecture is at 10am in Hugh Aston",
        "ring her on her birthday",
        "LE1 9BH",
        "4111 1111 1111 1112",
    ],
)
def test_stays_quiet(run_rule: Run, text: str) -> None:
    assert run_rule("personal-info", text) == []


def test_evidence_never_holds_the_value(run_rule: Run) -> None:
    (finding,) = run_rule("personal-info", "ring Jess on 07700 900123")
    assert "07700" not in finding.evidence
    assert finding.evidence == "UK mobile number about someone else"


def test_span_points_at_the_number(run_rule: Run) -> None:
    text = "ring Jess on 07700 900123 tonight"
    (finding,) = run_rule("personal-info", text)
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "07700 900123"


def test_mention_before_a_number_is_someone_else(run_rule: Run) -> None:
    (finding,) = run_rule("personal-info", "<@u1> 07700 900123", mentions=("u1",))
    assert finding.label == "personal-info"
    assert finding.evidence == "UK mobile number about someone else"


# -- how each kind is written: cases written for the project ----------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # UK mobiles as typed in chat, drama range 07700 900xxx (phonenumbers calls it invalid)
        ("ring Jess on 07700 900123", "UK mobile number"),
        ("ring Jess on 07700900123", "UK mobile number"),
        ("ring Jess on 07700 900 123", "UK mobile number"),
        ("ring Jess on 0770 090 0123", "UK mobile number"),
        ("ring Jess on 07700-900123", "UK mobile number"),
        ("ring Jess on (07700) 900123", "UK mobile number"),
        ("ring Jess on +44 7700 900123", "UK mobile number"),
        ("ring Jess on +447700900123", "UK mobile number"),
        ("ring Jess on +44 (0) 7700 900123", "UK mobile number"),
        ("ring Jess on 0044 7700 900123", "UK mobile number"),
        # UK landlines, valid and drama ranges
        ("ring Jess on 0116 496 0123", "UK landline number"),
        ("ring Jess on 0115 496 0817", "UK landline number"),
        ("ring Jess on 01632 960123", "UK landline number"),
        ("ring Jess on 01632-960123", "UK landline number"),
        ("ring Jess on 0115-496-0123", "UK landline number"),
        ("ring Jess on (0115) 496 0123", "UK landline number"),
        ("ring Jess on +44 115 496 0123", "UK landline number"),
        ("ring Jess on 020 7946 0123", "UK landline number"),
        # another country's "+" number, in its own country code
        ("ring Jess on +1 415 555 2671", "international phone number"),
        ("ring Jess on +33 6 12 34 56 78", "international phone number"),
        ("ring Jess on +41 (0)44 668 18 00", "international phone number"),
        ("ring Jess on +1-212-555-0147 x204", "international phone number"),
        # numbers that could be anything, after a phone word
        ("her phone: 467 3395", "phone number"),
        ("Jess's mobile: 0490 75 40 81", "phone number"),
        ("Jess isn't answering at 78 651 450", "phone number"),
        ("Jess's US number (415) 555-2671", "phone number"),
        ("Jess's cell 212.555.0147", "phone number"),
        ("Jess's desk phone: 21 284 698 2548", "phone number"),
        # cards with spaces or dashes, by brand
        ("Jess's card: 4111-1111-1111-1111", "payment card number"),
        ("Jess's card: 5555 5555 5555 4444", "payment card number"),
        ("Jess's card: 3782 822463 10005", "payment card number"),
        ("Jess's card: 3530111333300000", "payment card number"),
        ("Jess's card: 6011 1111 1111 1117", "payment card number"),
        ("Jess's card: 3056 9309 0259 04", "payment card number"),
        # loose brands next to a card word: Maestro's 12 digits, early JCB's 15
        ("Jess's card: 5018 0000 0009", "payment card number"),
        ("Jess lost her card 180000000000002", "payment card number"),
        # sort codes: with an account number, or next to "sort code" alone
        ("Jess's bank details: 20-00-00 / 12345678", "bank sort code and account number"),
        ("Jess's details are s/c 200000 acc 12345678", "bank sort code and account number"),
        ("Jess's sort code is 20-00-00", "bank sort code"),
        ("Jess's sort code is 20 00 00", "bank sort code"),
        # postcodes in every shape, any case, with or without the space
        ("Jess lives at M1 1AE", "UK postcode"),
        ("Jess lives at B33 8TH", "UK postcode"),
        ("Jess lives at W1A 0AX", "UK postcode"),
        ("Jess lives at CR2 6XH", "UK postcode"),
        ("Jess lives at DN55 1PT", "UK postcode"),
        ("Jess lives at EC1A 1BB", "UK postcode"),
        ("Jess lives at le1 9bh", "UK postcode"),
        ("Jess lives at LE19BH", "UK postcode"),
        ("Jess lives at ec1a1bb", "UK postcode"),
    ],
)
def test_each_way_of_writing_an_item_is_found(run_rule: Run, text: str, kind: str) -> None:
    findings = run_rule("personal-info", text)
    assert ("personal-info", f"{kind} about someone else") in labels(findings)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("new number: 07700 900123", "07700 900123"),
        ("the landlord's number is 0116 496 0123", "0116 496 0123"),
        ("send it to LE2 5EH, flat 3", "LE2 5EH"),
        ("sat nav to cv1 9ww and park round the back", "cv1 9ww"),
        ("transfer it to sort code 40-47-84 please", "40-47-84"),
        ("the house is at 14 Oxford Street, LE1 9BH", "14 Oxford Street, LE1 9BH"),
        ("the flat is at 3 Mill Lane, Leicester, LE2 7DR", "3 Mill Lane, Leicester, LE2 7DR"),
    ],
)
def test_found_without_saying_whose(run_rule: Run, text: str, value: str) -> None:
    (finding,) = run_rule("personal-info", text)
    assert finding.label == "personal-info"
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == value


@pytest.mark.parametrize(
    "text",
    ["send it to LE2 5EH, flat 3", "transfer it to sort code 40-47-84 please"],
)
def test_a_postcode_or_sort_code_alone_is_a_signal_the_default_does_not_act_on(
    run_rule: Run, text: str
) -> None:
    (finding,) = run_rule("personal-info", text)
    assert finding.severity == Severity.LOW


@pytest.mark.parametrize(
    "text",
    [
        "my number is 467 3395",
        "call me at 0490 75 40 81",
        "my sort code is 40-47-84",
        "party at mine, postcode LE2 5EH",
        "my card is 5018 0000 0009",
    ],
)
def test_own_loose_numbers_are_a_privacy_tip(run_rule: Run, text: str) -> None:
    assert [f.label for f in run_rule("personal-info", text)] == ["privacy-tip"]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        # Asking to be paid or sent something: the details are the author's.
        ("pay me for the kit pls: acc 40598123 sort 20-41-93", {"privacy-tip"}),
        ("can someone send my deposit back? sort code 20-14-93 acc 31926485", {"privacy-tip"}),
        ("post presents to me at flat 2, 22 Fosbrook Terrace, Leicester LE2 7XJ", {"privacy-tip"}),
        ("for the kit order send money to me: sort code 40-11-62 acc 31927745", {"privacy-tip"}),
        ("lost my phone, text my other number 07700 900512 if you find it", {"privacy-tip"}),
        # The same details as someone else's.
        ("pay Jess for the kit: her account number 40598123 sort 20-41-93", {"personal-info"}),
        # One detail said to be one's own makes another kind, said without a cue, one's own too.
        ("I'm at 9 Clarendon Mews tonight, buzzer's broken so ring 07700 900694", {"privacy-tip"}),
        (
            "I'm at 9 Clarendon Mews tonight, ring his number 07700 900694",
            {"privacy-tip", "personal-info"},
        ),
    ],
)
def test_whose_details_a_payment_or_delivery_gives(
    run_rule: Run, text: str, labels: set[str]
) -> None:
    assert {f.label for f in run_rule("personal-info", text)} == labels


@pytest.mark.parametrize(
    "text",
    [
        # dates, times, years
        "deadline 2025-03-12, call if stuck",
        "exam on 12.03.2025, call me after",
        "lecture capture 20240312, call it up",
        "call me on my birthday 12 03 2004",
        "meet at 19:30 by the fountain, call me if late",
        "the 2024-25 committee, call a meeting",
        "the 2010-2015 archive, ring the library",
        "the years 1999 2000 2001 were good, call it nostalgia",
        # prices, counts, decimals
        "we raised £1 250 000 lol call the paper",
        "tickets are £12.50 each, £1,250 total, text me",
        "the number 3.14159265, call it pi",
        "ring 1 2 3 4 5 6 7 8",
        "in 2024 we had 1234567 visitors",
        "photos are in the folder 2019 02 10 448812",
        # module codes, rooms, versions, scores
        "module CS1001 and CTEC2121 and IMAT3423, text me",
        "room 2.14 or 0.07, call me",
        "version 2.3.1.4567 of the app, call it stable",
        "we won 3-1, then 4-2, call it a comeback",
        "results: 21 19 21 17, text me",
        # other numbers, even after a phone word
        "order number 1234 5678 for the hoodies",
        "ticket number 1234 5678 9012 for the gig",
        "text me the code 123 456 789 when it arrives",
        "call the library about isbn 978-0-14-143951-8",
        "the wifi password is 1234 5678 call IT",
        # the routes' and organisations' numbers
        "ring security on 0116 257 7642",
        "call 999, or 101, or 111, or 116 123",
        "call 0800 1111 for childline",
        "ring student finance on 0300 100 0607",
        "call 0845 123 4567 to book",
        # sort-code shapes without "sort code"
        "20-00-00 is the date we meet",
        "we meet 12-03-25 at the sort of cafe",
        "sort the 12 34 56 cables",
        "payment ref 12-34-56 please",
        # card-shaped numbers: Luhn fails, or a loose brand without a card word
        "4111 1111 1111 1112",
        "my order was 5018 0000 0009",
        "card ending 1234",
        # postcode shapes: not a UK area, no address word, not a whole postcode
        "she lives at XY1 2AB",
        "the news said LE1 9BH flooded",
        "it's 30 minutes from LE1 station by bus",
        "b1 2nd floor",
        "the new number plate is AB12 CDE",
        # handles that are ordinary words
        "this is scary. so scary",
        "twitter.. that's what folks do",
        "not over no twitter shit.",
        # street addresses that are not
        "Joshua 1:3 Every place is a street",
        "50k followers but she drive",
    ],
)
def test_must_stay_quiet(run_rule: Run, text: str) -> None:
    assert run_rule("personal-info", text) == []


def test_every_item_gets_its_own_finding(run_rule: Run) -> None:
    text = "Mobile: 07700 900123\nDesk: +1 415 555 2671\nFax: 467 3395"
    findings = run_rule("personal-info", text)
    assert [text[f.span[0] : f.span[1]] for f in findings if f.span] == [
        "07700 900123",
        "+1 415 555 2671",
        "467 3395",
    ]


def test_a_bad_postcode_area_is_one_line() -> None:
    spec = RuleSpec(
        id="pi",
        label="personal-info",
        clauses=("4.5",),
        severity=Severity.MEDIUM,
        kind="personal-info",
        params={"kinds": ["postcode"], "postcode_areas": "areas"},
        where="rules.yaml: rules[9]",
    )
    lists = RuleLists({"areas": ["LE", "L1"]}, {"areas": "lists/personal-info.yaml"})
    with pytest.raises(RuleError) as err:
        build(spec, lists)
    assert err.value.problems == [
        "lists/personal-info.yaml: areas[1]: expected a postcode area (one or two letters), got 'L1'"
    ]


def test_a_message_of_many_numbers_gives_at_most_max_items(run_rule: Run) -> None:
    text = "call " + ", ".join(f"07700 900{n:03d}" for n in range(100))
    assert len(run_rule("personal-info", text)) == MAX_ITEMS


# -- whose is it, and is it information at all: each shape and its breach twin ---------------
# (message, its twin that is someone else's details)
NOT_PERSONAL = [
    # "their" after a business in the same sentence is the business's
    (
        "the chippy on Narborough Rd does student discount, their number is 0116 496 0871",
        "Sam moved out of the flat last week, their number is 0116 496 0871",
    ),
    (
        "the barbers on Granby St do cuts for a tenner, their insta is @granbycuts",
        "Sam's on the course too, their insta is @granbycuts",
    ),
    # placeholders
    ("put noemail@example.com if you have none", "his email is noah.e.mail@gmail.com"),
    ("the form rejects youremail@test.com", "her email is jess.w@testco.com"),
    ("in the film he says call 555-0123", "ring Jess on 07700 900123"),
    ("use (555) 555-1234 in the fixture", "ring Jess on +1 415 555 2671"),
    ("type 0000000 if it forces a number", "her phone: 467 3395"),
    # technical strings
    ("git clone git@github.com:dmu-hack/site.git", "his email is gitte.h@gmail.com"),
    ("join #dmu@irc.libera.chat tonight", "her email is dmu.jess@gmail.com"),
    ("kicked by ChanServ!ChanServ@services.libera.chat", "his email is chan.serv@gmail.com"),
    ("`int('07700900123')` raises", "ring Jess on 07700900123"),
    ("ATDT 01162577000 then it hangs", "ring Jess on 0116 257 7000"),
    (
        "Traceback:\n  File \"app.py\", line 44 in main\nValueError: '07700900123'",
        "Jess's number:\n07700900123",
    ),
    ("http://localhost/api/users/07700900123 returns 404", "her number is 07700900123"),
    # published contacts
    ("email the society at dmu.gamesoc@gmail.com", "email Jess at dmu.jess@gmail.com"),
    ("questions? committee@dmu-anime.co.uk", "her email is jess.w@dmu-anime.co.uk"),
    ("SU reception is on 0116 255 5576", "Jess is on 0116 255 5576, ring her"),
    ("ring the accommodation office on 0116 257 7500", "ring Jess on 0116 257 7500"),
    ("uni switchboard 0116 255 1551", "his landline 0116 255 1552"),
    ("email Dr Jones at ajones@dmu.ac.uk", "email Jess at p1234567@my365.dmu.ac.uk"),
    ("the venue is at 14 Oxford Street", "his address is 14 Oxford Street"),
    # "drop me an email at" is the author's (not "email <someone> at"); a uni address, no tip.
    (
        "drop me an email at my uni address p2398177@my365.dmu.ac.uk for kit questions",
        "her uni address is p2398177@my365.dmu.ac.uk, email her about the kit",
    ),
    (
        "subs go to the society account: sort code 30-96-14, acc 00482155",
        "her bank details are sort code 30-96-14, acc 00482155",
    ),
]


@pytest.mark.parametrize(("text", "twin"), NOT_PERSONAL)
def test_placeholders_technical_strings_and_published_contacts_are_not_personal_info(
    run_rule: Run, text: str, twin: str
) -> None:
    assert [f.label for f in run_rule("personal-info", text)] == []
    assert "personal-info" in [f.label for f in run_rule("personal-info", twin)]


@pytest.mark.parametrize(
    ("text", "author_name"),
    [
        ("Thanks all!\n\nDan Smith | Events Officer | dan.smith@gmail.com", "Dan Smith"),
        ("Cheers,\nPriya\npriya.patel94@outlook.com", "Priya Patel"),
        ("that's everything for this week -- Amira, amira.k@yahoo.com", "Amira Khan"),
        ("see you all friday \u2014 Tom Reid\n07700 900123", "Tom Reid"),
        ("new here! I'm Kofi, 07700 900263, in Bede Hall if anyone's walking over", "Kofi A"),
        ("Name: Yusuf Demir. Email: y.demir01@gmail.com. Happy to help on the stall", "Yusuf D"),
        ("refund for the trip: acc name Maria Lopes, sort code 20-45-77, acc 63018842", "Maria L"),
        ("for the refund of the deposit: Maria Lopes, sort code 20-45-77, acc 63018842", "Maria L"),
        ("my student card expired lol, ID is P2183340, will the library let me in", "Maria L"),
        ("dan.smith@gmail.com", "Dan Smith"),
        ("it's dsmith@fastmail.com if the form needs one", "Dan Smith"),
    ],
)
def test_the_authors_own_address_is_at_most_a_privacy_tip(
    run_rule: Run, text: str, author_name: str
) -> None:
    found = run_rule("personal-info", text, author_name=author_name)
    assert [f.label for f in found] == ["privacy-tip"]
    assert all("someone else" not in f.evidence for f in found)
    # The same message from someone else says nothing of whose it is: a low signal at most.
    other = run_rule("personal-info", text, author_name="Sam Jones")
    assert all(f.severity == Severity.LOW for f in other)


def test_a_communitys_published_contacts_are_never_flagged(run_rule: Run) -> None:
    from bot.detectors.base import ChannelSettings

    text = "ring the society on 07700 900123"
    published = ChannelSettings(published_contacts=frozenset({"07700900123"}))
    assert run_rule("personal-info", "ring Jess on 07700 900123", settings=published) == []
    assert run_rule("personal-info", "ring Jess on 07700 900124", settings=published) != []
    assert run_rule("personal-info", text) == []


def test_drama_numbers_are_placeholders_only_where_a_community_says_so(run_rule: Run) -> None:
    from bot.detectors.base import ChannelSettings

    drama = ChannelSettings(drama_numbers_are_placeholders=True)
    for text in ("ring Jess on 07700 900123", "ring Jess on 0116 496 0123", "+1-212-555-0147"):
        assert run_rule("personal-info", text, settings=drama) == [], text
    assert run_rule("personal-info", "ring Jess on 07700 900123") != []
    assert run_rule("personal-info", "ring Jess on 07712 345678", settings=drama) != []


@pytest.mark.parametrize(
    "text",
    [
        "ring Jess on O77OO 9OO123",
        "ring Jess on 0 7 7 0 0 9 0 0 1 2 3",
        "ring Jess on oh seven seven oh oh nine oh oh one two three",
        "ring Jess on 07700\u2009900123",
        "ring Jess on 07700\u202f900123",
        "ring Jess on \uff10\uff17\uff17\uff10\uff10\uff19\uff10\uff10\uff11\uff12\uff13",
        "ring Jess on 0\u200b7\u200b7\u200b0\u200b0\u200b9\u200b0\u200b0\u200b1\u200b2\u200b3",
        "her email is jess.w [at] gmail [dot] com",
        "her email is jess.w(at)gmail.com",
        "her email is jess dot w at gmail dot com",
        "her email is jess.w @ gmail.com",
        "her email is jess.w\uff20gmail.com",
    ],
)
def test_obfuscated_contact_details_are_read_as_what_they_are(run_rule: Run, text: str) -> None:
    (finding,) = run_rule("personal-info", text)
    assert finding.label == "personal-info"
    assert finding.span is not None and finding.span[1] > text.index(
        " on " if " on " in text else " is "
    )


def test_no_number_of_other_numbers_hides_a_phone_number(run_rule: Run) -> None:
    prefix = ", ".join(str(1000000 + 7919 * k) for k in range(400))
    (finding,) = run_rule("personal-info", prefix + ", ring Jess on 07700 900123")
    assert finding.evidence == "UK mobile number about someone else"


def test_published_numbers_do_not_use_up_the_findings_of_a_message(run_rule: Run) -> None:
    text = "call 999. " * 40 + "ring Jess on 07700 900123"
    (finding,) = run_rule("personal-info", text)
    assert finding.label == "personal-info"


@pytest.mark.parametrize(
    "text",
    [
        "thanks, his number is 07700 900123",
        "Cheers! can someone ring 07700 900123 and tell Jess",
        "best of luck to her, she's on 07700 900123",
        "her number -- 07700 900123",
        "ring Amira -- she's on 07700 900123",
        "I'm with Priya, 07700 900123",
        "Name: Jess Smith. Address: 12 Hill Road LE2 1AB. she's the one who grassed",
    ],
)
def test_a_sign_off_before_someone_elses_number_is_no_signature(run_rule: Run, text: str) -> None:
    assert [f.label for f in run_rule("personal-info", text)] == ["personal-info"]


def test_an_organisation_word_does_not_make_an_id_an_organisations(run_rule: Run) -> None:
    (finding,) = run_rule("personal-info", "her student ID is P26832326, tell the library")
    assert finding.label == "personal-info"


@pytest.mark.parametrize(
    ("consented", "twin"),
    [
        (
            "Coach asked me to share her number for the away trip, so with her OK: 07700 900441",
            "Coach's number for the away trip, go and tell her what you think: 07700 900441",
        ),
        (
            "jess said it's fine to share, she said i can share her email: jess.k@gmail.com",
            "jess's email for anyone who wants to tell her what they think: jess.k@gmail.com",
        ),
    ],
)
def test_details_shared_with_their_owners_consent_are_fine(
    run_rule: Run, consented: str, twin: str
) -> None:
    assert run_rule("personal-info", consented) == []
    assert [f.label for f in run_rule("personal-info", twin)] == ["personal-info"]


def test_ones_own_university_address_needs_no_tip(run_rule: Run) -> None:
    # A student's university mailbox is in the directory already; a personal one is not.
    assert run_rule("personal-info", "my uni email is j.okonkwo@my365.dmu.ac.uk, any time") == []
    tip = run_rule("personal-info", "my email is j.okonkwo@gmail.com, any time")
    assert [f.label for f in tip] == ["privacy-tip"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # One's own room in halls: a privacy tip, no strike.
        ("im in Opal Court room 5.14 if anyone wants to revise", "privacy-tip"),
        ("my room is 2.17 in Liberty Park, leave it outside the door", "privacy-tip"),
        ("i'm in Hollis Halls block B room 9, pop round", "privacy-tip"),
        ("for anyone asking, i'm on Newarke St, room 509, come knock", "privacy-tip"),
        # Someone else's: personal information.
        ("her room is 2.17 in Liberty Park, go and tell her what you think", "personal-info"),
        ("Jess is in Bede Hall room 314, go give her a scare", "personal-info"),
    ],
)
def test_a_room_in_halls_is_a_home(run_rule: Run, text: str, label: str) -> None:
    assert label in [f.label for f in run_rule("personal-info", text)]


@pytest.mark.parametrize(
    "text",
    [
        "the seminar is in Edith Murphy House room 2.14",
        "i'm in Hawthorn Building room 0.05 for the revision session",
        "i'm in room 2.14 for the lecture",
        "the AGM is in Queens Building room 1.02 at 6",
    ],
)
def test_a_teaching_room_is_no_ones_home(run_rule: Run, text: str) -> None:
    assert run_rule("personal-info", text) == []


def test_a_room_in_halls_alone_is_a_signal_the_default_does_not_act_on(run_rule: Run) -> None:
    (finding,) = run_rule("personal-info", "Bede Hall room 314 has the spare key")
    assert finding.severity == Severity.LOW
