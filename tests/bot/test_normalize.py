from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.normalize import Normalizer, normalize
from bot.rules import load_rules

EVASIONS = [
    # (typed, cleaned)
    ("y o u  a r e  a  l o s e r", "you are a loser"),
    ("f.u.c.k off", "fuck off"),
    ("f . u . c . k", "fuck"),
    ("s-t-u-p-i-d", "stupid"),
    ("stuuupid", "stuupid"),
    ("nooooob", "noob"),
    ("f\u200bu\u200bc\u200bk", "fuck"),  # zero-width spaces
    ("i\u2060d\ufeffi\u00adot", "idiot"),  # word joiner, BOM, soft hyphen
    ("\u0456d\u0456\u043et", "idiot"),  # Cyrillic і and о
    ("\u0441\u0443\u043a\u0430", "cyka"),  # all-Cyrillic look-alikes fold too
    ("\u03bfk", "ok"),  # Greek omicron
    ("\uff26\uff35\uff23\uff2b", "fuck"),  # full-width
    ("\U0001d41f\U0001d42e\U0001d41c\U0001d424", "fuck"),  # mathematical bold
    ("f\u0336u\u0336c\u0336k\u0336", "fuck"),  # combining strike-through
    ("f\u00fcck", "fuck"),
    ("sh1t", "shit"),
    ("1d10t", "idiot"),
    ("l0s3r", "loser"),
    ("b@stard", "bastard"),
    ("$hit", "shit"),
    ("a$$hole", "asshole"),
    ("sh!t", "shit"),
    ("n000b", "noob"),
    ("k1ll", "kill"),
    ("YOU'RE", "you're"),
    ("don\u2019t", "don't"),
    ("tabs\tand\nnewlines", "tabs and newlines"),
    ("  padded  ", "padded"),
    # letters stretched or spaced out in mixed case, as plain ASCII
    ("NoOoOb", "noob"),
    ("sOoO sad", "soo sad"),
    ("S_T_U_P_I_D", "stupid"),
    ("I'm F.U.C.K.I.N.G done", "i'm fucking done"),
]

KEPT = [
    # numbers, ids and chat shorthand that must stay as typed
    ("07700 900123", "07700 900123"),
    ("+44 7700 900123", "+44 7700 900123"),
    ("2024", "2024"),
    ("P12345678", "p12345678"),
    ("CS2001", "cs2001"),
    ("2nd year at 10am", "2nd year at 10am"),
    ("@jess_x", "@jess_x"),
    ("u r a star", "u r a star"),
    ("i c u", "i c u"),
    ("hi!", "hi!"),
    ("Scunthorpe", "scunthorpe"),
    ("good luck on the exam everyone", "good luck on the exam everyone"),
    ("assistance", "assistance"),
]


@pytest.mark.parametrize(("typed", "cleaned"), EVASIONS + KEPT)
def test_cleaned_text(typed: str, cleaned: str) -> None:
    assert normalize(typed).text == cleaned


@pytest.mark.parametrize(("typed", "_"), EVASIONS + KEPT)
def test_offsets_map_every_character_back(typed: str, _: str) -> None:
    norm = normalize(typed)
    assert len(norm.offsets) == len(norm.text)
    assert list(norm.offsets) == sorted(norm.offsets)
    assert all(0 <= o < len(typed) for o in norm.offsets)


def test_original_span_covers_the_evasion() -> None:
    typed = "ok so y o u  a r e  a  l o s e r mate"
    norm = normalize(typed)
    start = norm.text.index("loser")
    span = norm.original_span(start, start + len("loser"))
    assert typed[span[0] : span[1]] == "l o s e r"


def test_original_span_includes_invisible_characters_inside() -> None:
    typed = "f\u200buck"
    norm = normalize(typed)
    assert norm.original_span(0, 4) == (0, 5)


def test_empty_text() -> None:
    norm = normalize("")
    assert norm.text == ""
    assert norm.original_span(0, 0) == (0, 0)


def test_is_frozen() -> None:
    norm = normalize("hello")
    with pytest.raises(AttributeError):
        norm.text = "x"  # type: ignore[misc]


# -- the rules' normalizer: tricks only a word list can undo, and contact details ------------

RULES = load_rules(
    Path(__file__).resolve().parents[2] / "policy_rules" / "dmu",
    {"3.11", "4.2", "4.5", "4.9", "5.2", "7.5"},
)
NORMALIZE = RULES.normalizer

# (typed, cleaned, its innocent twin typed, the twin cleaned): each trick and a text it
# must leave alone.
WORD_TRICKS = [
    ("i,d,i,o,t", "idiot", "a, b, c or d", "a, b, c or d"),
    ("i/d/i/o/t", "idiot", "n/a", "n/a"),
    ("i\U0001f525d\U0001f525i\U0001f525o\U0001f525t", "idiot", "lol \U0001f525", "lol \U0001f525"),
    ("you're an id*ot", "you're an idiot", "5* hotel", "5* hotel"),
    ("I know wh*re you live", "i know where you live", "c# is fun", "c# is fun"),
    ("sh*t happens", "shit happens", "*great* work", "great work"),
    ("you're an idi ot", "you're an idiot", "you use less data", "you use less data"),
    ("you're a mo ron", "you're a moron", "be at the pub", "be at the pub"),
    ("go fuck your self", "go fuck yourself", "the other one", "the other one"),
    ("youreanidiot", "youre an idiot", "therapist", "therapist"),
    ("iknowwhereyoulive", "i know where you live", "the assassin", "the assassin"),
    ("you'reanidiot", "you're an idiot", "scunthorpe", "scunthorpe"),
    ("you're a stupidly good cook", "you're a stupidly good cook", "idiotic", "idiotic"),
    ("you%27re%20an%20idiot", "you're an idiot", "100% sure", "100% sure"),
    (
        "\u028f\u1d0f\u1d1c'\u0280\u1d07 \u1d00\u0274 \u026a\u1d05\u026a\u1d0f\u1d1b",
        "you're an idiot",
        "ok",
        "ok",
    ),
    ("\U0001f178\U0001f173\U0001f178\U0001f17e\U0001f183", "idiot", "\U0001f600", "\U0001f600"),
    ("Ioser", "loser", "It is", "it is"),
    ("kiII you", "kill you", "Illinois", "illinois"),
    ("\u04c0 know where you live", "i know where you live", "I know", "i know"),
    ("you're a m o r o n", "you're a moron", "u r a star", "u r a star"),
    ("k y s", "kys", "i c u", "i c u"),
    # Stretched letters: each run read once or twice, whichever is a word.
    ("shut up you faaaaaat piiiiig", "shut up you fat pig", "soooo good", "soo good"),
    ("kyyyyys", "kys", "nooooo way", "no way"),
    ("the passwooooord is", "the password is", "gooood morning", "good morning"),
    # Symbols in place of letters, filled in from the lists; leetspeak reads its own.
    ("just k%ll y%%rs%lf", "just kill yourself", "100% sure", "100% sure"),
    ("ur a us@l@ss cow", "ur a useless cow", "h@ppy days", "happy days"),
    ("@jo you st@p@d", "@jo you stupid", "email jo@gmail.com", "email jo@gmail.com"),
    # Leetspeak with 8 and 9, and digit runs, only where the token then reads as a word.
    (
        "keep talking and i'll 8r34k your legs",
        "keep talking and i'll break your legs",
        "q8 is b",
        "q8 is b",
    ),
    (
        "all 7rav3113r5 are cr!min415",
        "all travellers are criminals",
        "dan415 and gb82",
        "dan415 and gb82",
    ),
    ("the l3c7ure r3c0rd!n9$", "the lecture recordings", "postcode LE1 9BH", "postcode le1 9bh"),
    # Markdown emphasis that cuts a word; a link's underscores stay.
    ("everyone *bu*lly him", "everyone bully him", "/courses/_123_1/", "/courses/_123_1/"),
    ("hope you **d**ie", "hope you die", "2 * 3 * 4", "2 * 3 * 4"),
    ("||kill yourself||", "kill yourself", "a || b", "a || b"),
    # An emoji inside a word; a dash between words is punctuation.
    (
        "why dont you un\U0001f440alive",
        "why dont you unalive",
        "moodle\u2014sorry",
        "moodle\u2014sorry",
    ),
    # A doubled marker inside a word; a single * there is a mask.
    ("the email p**asswo**rd is", "the email password is", "f**k off", "fuck off"),
    # Emoji that stand for a means of harm; others stay emoji.
    ("i'll \U0001f52a you", "i'll knife you", "nice one \U0001f480", "nice one \U0001f480"),
    # Words typed without their vowels, read as the one listed word that fits.
    ("going to kll you", "going to kill you", "brb smh ngl lmk", "brb smh ngl lmk"),
    ("all the qstns from the exm", "all the questions from the exam", "thx ppl", "thx ppl"),
    # A symbol typed between a word's letters, where the letters alone are a word.
    (
        "bl.ack pe.ople are l.ess smart",
        "black people are less smart",
        "gmail.com st.john",
        "gmail.com st.john",
    ),
    (
        "wri*te yo*ur di*ssertation",
        "write your dissertation",
        "don't, she'll, we'd",
        "don't, she'll, we'd",
    ),
    (
        "just k-ill yo-urself",
        "just kill yourself",
        "file_name.py snake_case",
        "file_name.py snake_case",
    ),
    # One slip of the keyboard in a word the lists mark (a letter dropped, doubled, swapped or
    # mistyped); a slip that is an English word, or a word the lists do not mark, stays.
    ("kil urself harriet", "kill urself harriet", "stil here, kiln's hot", "stil here, kiln's hot"),
    ("im gonna stabb him", "im gonna stab him", "stag do, stable vibes", "stag do, stable vibes"),
    ("rhys is a nonse", "rhys is a nonce", "paeds for me, nurse", "paeds for me, nurse"),
    ("i'll strangel you", "i'll strangle you", "a strange tangle", "a strange tangle"),
    (
        "i can wright your disertation",
        "i can wright your dissertation",
        "a desertion of the post",
        "a desertion of the post",
    ),
    # A listed word broken over a line with a hyphen; a hyphenated pair of words stays.
    (
        "i will mur-\nder you",
        "i will murder you",
        "a well-\nknown pre- and post-lecture quiz",
        "a well- known pre- and post-lecture quiz",
    ),
    # Any word the hyphen at a line's end splits, though both halves are words themselves.
    (
        "Hamza's pass-\nword is Hamza2004",
        "hamza's password is hamza2004",
        "a self-\nmade man, pass- fail",
        "a self- made man, pass- fail",
    ),
    # Faux Cyrillic.
    ("all \u0456\u043c\u043cigr\u0430\u0578\u0442\u0455", "all immigrants", "ok", "ok"),
    # A line typed backwards; a line of ordinary words that also read backwards stays.
    ("uoy llik lliw i", "i will kill you", "star rats live evil", "star rats live evil"),
    ("nwolc daedniarb uoy", "you braindead clown", "rt @etaks2evil: nice", "rt @etaks2evil: nice"),
    ("drawoc a dna rail a er'uoy", "you're a liar and a coward", "on no", "on no"),
    (
        "read this backwards: gip taf uoy pu tuhs",
        "read this backwards: shut up you fat pig",
        "was it a rat i saw",
        "was it a rat i saw",
    ),
    # A part set off by brackets or a pointing hand is turned on its own; a forward note stays.
    (
        "gip taf uoy pu tuhs (read it backwards ben)",
        "shut up you fat pig (read it backwards ben)",
        "see you at the match (lol) - bring snacks",
        "see you at the match (lol) - bring snacks",
    ),
    # An arrow either way or two dots set a part off too; "flip it" is a note like "backwards".
    (
        "uoy truh ot gniog ma i \u2190 backwards, you know what it says",
        "i am going to hurt you \u2190 backwards, you know what it says",
        "see you at the social.. cant wait \u2190 back to the menu",
        "see you at the social.. cant wait \u2190 back to the menu",
    ),
    (
        "yenom slaets niatpac eht .. flip it",
        "the captain steals money .. flip it",
        "wait.. what time is it",
        "wait.. what time is it",
    ),
    # A stretched word reads as the listed word that is a phrase of its own.
    ("sellin weeeed, dm me", "sellin weed, dm me", "gooood morning", "good morning"),
    # An acrostic, where the message says to read the first letters: the words they spell
    # are added after the text, said to the reader (down the lines, with and without the
    # note's own line).
    (
        "Keep\nYour\nSmile\nxx for Jamie, read it down",
        "keep your smile xx for jamie, read it down you kysx you kys you ysx",
        "Keep\nYour\nSmile\nxx for Jamie",
        "keep your smile xx for jamie",
    ),
    # A first line that titles the poem is no letter of it; "initials" points at the trick.
    (
        "ode to Becca 💐\nSo sweet\nLovely hair\nAlways there\nGenerous with the lads (initials tho)",
        "ode to becca 💐 so sweet lovely hair always there generous with the lads (initials tho)"
        " you oslag you osla you slag you sla",
        "ode to Becca 💐\nSo sweet\nLovely hair\nAlways there\nGenerous with her time",
        "ode to becca 💐 so sweet lovely hair always there generous with her time",
    ),
    (
        "Kind Yellow Sunflowers for you, first letters",
        "kind yellow sunflowers for you, first letters you kys",
        "the first letters of each line spell the author's name",
        "the first letters of each line spell the author's name",
    ),
    # Letters spelt out by name: read when they spell a word; a run of names that are all
    # words of chat ("oh see you") or that spells nothing stays as typed.
    ("kay why ess @ollie", "kys @ollie", "oh see you there", "oh see you there"),
    # The NATO alphabet spells, three names or more in a row; a hotel and golf do not.
    (
        "kilo yankee sierra @ben",
        "kys @ben",
        "meet at the hotel, golf after, charlie is driving",
        "meet at the hotel, golf after, charlie is driving",
    ),
    (
        "papa alpha papa echo romeo for sale",
        "paper for sale",
        "hotel india golf",
        "hotel india golf",
    ),
    (
        "got the see oh kay ee, ring me",
        "got the coke, ring me",
        "el em en oh pee",
        "el em en oh pee",
    ),
    (
        "em dee em ay for the ball",
        "mdma for the ball",
        "my grades are bee see dee",
        "my grades are bee see dee",
    ),
    (
        "decode this \U0001f449 uoy llik lliw i",
        "decode this \U0001f449 i will kill you",
        "decode this \U0001f449 was it a rat i saw",
        "decode this \U0001f449 was it a rat i saw",
    ),
    # A glued run splits into the listed word it hides ("the replay", not "there play"); a word
    # that doubles its last letter before an ending is one word ("spammed", not "spam med").
    (
        "here'sthereplayrecordingfromMonday",
        "here's the replay recording from monday",
        "i got spammed again",
        "i got spammed again",
    ),
    # A masked plural of a listed word ("n*ggers"); a masked word no list knows stays.
    (
        "team full of sp*cs, no wonder",
        "team full of spics, no wonder",
        "the b*ses are late",
        "the b*ses are late",
    ),
    # English typed in Cyrillic or Greek letters, read by sound; Russian and Greek as typed
    # read as no English and stay as they are (folded by shape).
    (
        "селлинг вид энд кет, dm",
        "selling vid end ket, dm",
        "Привет, как дела?",
        "npnbet, kak aeлa?",
    ),
    # Faux Cyrillic: letters chosen for the Latin letter they look like, not their sound.
    (
        "ЄЖДМ ДИЅШЄЯЅ for the 2pm one, 3 quid each",
        "exam answers for the 2pm one, 3 quid each",
        "ЅLДVIC ЅФC ИIGHT friday 7pm",
        "slavic soc night friday 7pm",
    ),
    (
        "send ми йор логин to verify",
        "send mi yor login to verify",
        "Ελληνικά μαθήματα σήμερα",
        "eλλnvikά uaθήuata oήuepa",
    ),
    # Hyphenated pig latin, two words or more; hyphenated English stays as typed.
    (
        "ill-kay ourself-yay @noah",
        "kill yourself @noah",
        "a well-known x-ray, day-to-day stuff",
        "a well-known x-ray, day-to-day stuff",
    ),
    (
        "exam-way answers-way available",
        "exam answers available",
        "pig latin is like ig-pay atin-lay",
        "pig latin is like pig latin",
    ),
    # Pig latin without hyphens, when two words or more read only that way ("friday" and
    # "okay" are English).
    (
        "illkay ourselfyay @noah",
        "kill yourself @noah",
        "see you on friday, okay? the holiday display is away",
        "see you on friday, okay? the holiday display is away",
    ),
    (
        "ellingsay eedway, dm",
        "selling weed, dm",
        "the mayday relay at the bay today",
        "the mayday relay at the bay today",
    ),
    # Thinking sounds without commas: two of them, and the fillers beside them go.
    (
        "i um will like uh hurt you",
        "i will hurt you",
        "um i like pizza",
        "um i like pizza",
    ),
    # A line chopped by commas and fillers reads without them; a list with one "like" stays.
    (
        "kill, um, like, your, like, self, ok? @dan",
        "kill yourself ok? @dan",
        "eggs, milk, bread, like, cheese and jam",
        "eggs, milk, bread, like, cheese and jam",
    ),
    (
        "i, honestly, will, like, literally, hurt, you know, you, @ryan",
        "i will hurt you @ryan",
        "so, um, the social, like, is friday, yeah, see you there",
        "the social is friday see you there",
    ),
    # A backwards line whose note ("read it backwards") reads forwards is still turned.
    (
        "nayr flesruoy llik, read it backwards",
        "sdrawkcab ti daer ,kill yourself ryan",
        "i read it backwards by mistake lol",
        "i read it backwards by mistake lol",
    ),
    # First letters of words typed in lower case, where the message says to read them.
    (
        "@ben keep yourself safe (first letters, ben)",
        "@ben keep yourself safe (first letters, ben) you kys",
        "@ben keep yourself safe x",
        "@ben keep yourself safe x",
    ),
]

CONTACT_TRICKS = [
    ("07700\u2009900\u202f123", "07700 900 123"),
    ("0 7 7 0 0 9 0 0 1 2 3", "07700900123"),
    ("O77OO 9OO123", "07700 900123"),
    ("oh seven seven oh oh nine oh oh one two three", "07700900123"),
    ("07700 nine oh oh one two three", "07700900123"),
    ("\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13", "07700 900123"),
    ("0\ufe0f\u20e37\ufe0f\u20e37\ufe0f\u20e3", "077"),
    ("0\u200b7\u200b7\u200b0\u200b0", "07700"),
    ("jake [at] gmail [dot] com", "jake@gmail.com"),
    ("jake(at)gmail(dot)com", "jake@gmail.com"),
    ("jake dot smith at gmail dot com", "jake.smith@gmail.com"),
    ("jake @ gmail.com", "jake@gmail.com"),
    ("jake\uff20gmail.com", "jake@gmail.com"),
]

CONTACT_TWINS = [
    ("look at gmail.com", "look at gmail.com"),
    ("ring 1 2 3 4 5 6 7 8", "ring 1 2 3 4 5 6 7 8"),
    ("one two three four five", "one two three four five"),
    ("jo@gmail.com", "jo@gmail.com"),
    ("LE1 9BH", "le1 9bh"),
    ("2oo many", "2oo many"),
]


@pytest.mark.parametrize(("typed", "cleaned", "twin", "twin_cleaned"), WORD_TRICKS)
def test_the_rules_normalizer_reads_each_trick_and_leaves_its_twin(
    typed: str, cleaned: str, twin: str, twin_cleaned: str
) -> None:
    assert NORMALIZE(typed).text == cleaned
    assert NORMALIZE(twin).text == twin_cleaned


@pytest.mark.parametrize(("typed", "cleaned"), CONTACT_TRICKS + CONTACT_TWINS)
def test_contact_details_are_read_as_what_they_are(typed: str, cleaned: str) -> None:
    assert normalize(typed).text == cleaned
    assert NORMALIZE(typed).text == cleaned


def test_without_a_lexicon_no_word_is_guessed() -> None:
    assert normalize("youreanidiot").text == "youreanidiot"
    assert normalize("id*ot").text == "id*ot"
    assert Normalizer(["idiot"])("id*ot").text == "idiot"


def test_a_spelled_number_points_back_at_its_words() -> None:
    typed = "call oh seven seven oh oh nine oh oh one two three now"
    norm = normalize(typed)
    start = norm.text.index("077")
    span = norm.original_span(start, start + 11)
    assert typed[span[0] : span[1]] == "oh seven seven oh oh nine oh oh one two three"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("abdeiklnorstuy 0123456789*#@.,/%'-_!|")
            + ["\u200b", "\u2009", "\u0456", "\u1d00", "\uff10", "\U0001f525", "\u04c0", "%20"]
            + [" at ", " dot ", "[at]", "oh ", "seven ", "idiot", "you"]
        ),
        max_size=40,
    ).map("".join)
)
def test_offsets_map_every_character_back_whatever_is_typed(typed: str) -> None:
    # A line typed backwards is turned round, its offsets with it (the next test covers it).
    assume(NORMALIZE._backwards_lines(typed) is None)
    norm = NORMALIZE(typed)
    assert len(norm.offsets) == len(norm.text)
    assert list(norm.offsets) == sorted(norm.offsets)
    assert all(0 <= o < len(typed) for o in norm.offsets)


@pytest.mark.parametrize(
    ("typed", "cleaned", "shown"),
    [
        # After a right-to-left override the text shows reversed, up to a pop or a line's end.
        ("\u202eoy llik lliw i\u202c", "i will kill yo", "oy llik lliw i"),
        ("hey \u202euoy bats lliw i\u202c ok", "hey i will stab you ok", None),
        ("ab\u202edc\nef", "abcd ef", None),
        # Upside-down text is turned over: read backwards, each letter the right way up.
        ("noʎ llıʞ llıʍ ı", "i will kill you", "noʎ llıʞ llıʍ ı"),
        ("sʎʞ", "kys", "sʎʞ"),
        ("ʇsǝʇ ǝsɐɥd ǝɥʇ oʇ sɹǝʍsuɐ ǝɥʇ", "the answers to the phase test", None),
        # One dotless i is a Turkish name, not upside-down text.
        ("Işık is on the rota", "isik is on the rota", None),
    ],
)
def test_text_reads_as_it_shows(typed: str, cleaned: str, shown: str | None) -> None:
    norm = normalize(typed)
    assert norm.text == cleaned
    if shown is not None:
        start, end = norm.original_span(0, len(norm.text))
        assert typed[start:end] == shown


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        # Text that turns round: overrides, upside-down letters, backwards lines.
        st.lists(
            st.sampled_from(
                list("abik lo 07*%nudpqʎʞıɐ")
                + ["\u202e", "\u202c", "\n", "%20", "you", "\u200b", "noʎ", "llıʍ"]
                + [" uoy ", " llik ", " lliw ", "read this: "]
            ),
            max_size=30,
        ).map("".join),
        # Words that move or go: pig latin, commas and fillers.
        st.lists(
            st.sampled_from(
                ["ill", "ou", "ourself", "exam", "a", "i", "-", "ay", "-kay", "-yay", "-way"]
                + [", ", ",", " um", " like", "kill", " ", "\n", "ok?", "ʞ", "\u200b", "-ay"]
                + [" uh", "illkay", "ourselfyay", " kilo", " yankee", " sierra", "x-ray"]
            ),
            max_size=40,
        ).map("".join),
    )
)
def test_offsets_stay_in_the_text_whatever_the_direction_or_order(typed: str) -> None:
    norm = NORMALIZE(typed)
    assert len(norm.offsets) == len(norm.text)
    assert all(0 <= o < len(typed) for o in norm.offsets)
    for start in range(len(norm.text)):
        a, b = norm.original_span(start, len(norm.text))
        assert 0 <= a < b <= len(typed)


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        # A base64 run of plain words is read; keys, tokens and hashes stay as typed.
        (
            "S2llcmFuIGlzIGEgbG9zZXIgYW5kIEkgd2lsbCBodXJ0IGhpbQ== decode it",
            "kieran is a loser and i will hurt him decode it",
        ),
        ("Y29rZSA0MCBhIGcsIGRtIG1l menu", "coke 40 a g, dm me menu"),
        (
            "token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            "token eyjhbgcioijiuziiniisinrscci6ikpxvcj9",
        ),
        # rot13 where the message names it, and only the words it makes English of.
        ("fryyvat gur rknz cncre (rot13)", "selling the exam paper (rotie)"),
        ("xvyy lbhefrys, rot 13 lol", "kill yourself, rot 13 lol"),
        (
            "gur ercynl ivqrbf ner nyy ba zl qevir (13)",
            "the replay videos are all on my drive (13)",
        ),
        ("xvyy lbhefrys @theo, u know how to rot it", "kill yourself @theo, u know how to rot it"),
        # Without a pointer, a message read only when it is mostly rot13 ...
        ("gur pyho vf sha", "the club is fun"),
        ("xvyy lbhefrys @theo", "kill yourself @theo"),
        # ... never English that has a rot13 word or two in it by chance ("gnat" is "tang").
        ("the gnat bit me, or so i think", "the gnat bit me, or so i think"),
        (
            "fnq gur ynxr is a typo of mine, ignore the rest of this message please",
            "fnq gur ynxr is a typo of mine, ignore the rest of this message please",
        ),
    ],
)
def test_text_in_an_encoding_anyone_can_undo_is_read(typed: str, cleaned: str) -> None:
    norm = NORMALIZE(typed)
    assert norm.text == cleaned
    assert len(norm.offsets) == len(norm.text)
    assert list(norm.offsets) == sorted(norm.offsets)


def test_base64_of_one_word_or_of_bytes_stays_as_typed() -> None:
    assert "abcdefghijklmnop" not in NORMALIZE("key QUJDREVGR0hJSktMTU5PUA== ok").text
    assert NORMALIZE("id /w8AAP8AAAD/////AAAAAA==").text.startswith("id /w8aap8a")


def test_a_finding_in_decoded_base64_points_at_the_run() -> None:
    typed = "lol S2llcmFuIGlzIGEgbG9zZXIgYW5kIEkgd2lsbCBodXJ0IGhpbQ== ok"
    norm = NORMALIZE(typed)
    start = norm.text.index("loser")
    a, b = norm.original_span(start, start + len("loser"))
    assert typed.index("S2ll") <= a < b <= typed.index(" ok")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ABCDEFGHabcdefgh0123456789+/= ", max_size=60))
def test_offsets_stay_in_the_text_whatever_base64_is_typed(typed: str) -> None:
    # A line typed backwards is turned round, its offsets with it (tested above).
    assume(NORMALIZE._backwards_lines(typed) is None)
    norm = NORMALIZE(typed)
    assert len(norm.offsets) == len(norm.text)
    assert all(0 <= o < len(typed) for o in norm.offsets)
    assert list(norm.offsets) == sorted(norm.offsets)


def test_every_given_name_the_rules_know_reads_as_typed() -> None:
    # A listed word inside a name split it ("themba" read "the mba", "Whitlock" "whit lock"),
    # and a name one letter from a word was respelt ("ciara" read "clara"): the rules then
    # lost the person a message is about.
    names = {
        name
        for spec in RULES.rules
        for list_name in spec.names("first_names")
        for name in RULES.lists.phrases(list_name, "first-names")
    }
    assert names
    misread = [n for n in sorted(names) if NORMALIZE(f"{n} is here").text != f"{n} is here"]
    assert misread == []


@pytest.mark.parametrize(
    ("unit", "read"),
    [("f*ck ", "fuck "), ("a@b.co ", "a@b.co "), ("sh!t ", "shit ")],
)
def test_a_flood_of_masked_words_and_addresses_is_read_whole(unit: str, read: str) -> None:
    # Each masked word is looked up once however often it repeats, and the word before it is
    # sought nearby, not from the start: such floods once took quadratic time.
    assert NORMALIZE(unit * 20_000).text == (read * 20_000).rstrip()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("xm pprs fr nxt wk, gt thm frm th prntrm", "exam papers for next"),
        ("md a fk lnkdn fr Dr Hussain nd pstd rcst stff s hm", "posted racist stuff"),
        ("gnn bt th sht t f him ftr th lctr", "after the lecture"),
    ],
)
def test_a_message_written_without_vowels_is_read_with_them(typed: str, read: str) -> None:
    assert read in NORMALIZE(typed).text


@pytest.mark.parametrize(
    "typed",
    [
        "ngl tbh idk lmk brb rn",
        "brb gtg ttyl",
        "PT ans 4 CSC1001 lvl 4, DM b4 9am",
        "hmm psst shh",
        "brb psst shh",
        "the fr and wk words alone are not enough",
    ],
)
def test_abbreviations_are_not_a_message_without_vowels(typed: str) -> None:
    assert NORMALIZE(typed).text == typed.lower()
