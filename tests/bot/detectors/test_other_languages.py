"""Everyday messages in other languages produce no finding from any shipped rule."""

from __future__ import annotations

import pytest

from .conftest import Run

EVERYDAY = [
    # French
    "Salut tout le monde, on se retrouve à 18h devant la bibliothèque ?",
    "Tu viens en ville ce soir ? Il y a un concert sympa",
    "Je suis mort de rire, cette vidéo est trop drôle",
    # Spanish
    "¿Alguien tiene los apuntes de la clase de ayer? Ya no encuentro los míos",
    "Nos vemos a las 7 en la biblioteca, no llegues tarde jaja",
    # German
    "Hat jemand Lust, morgen zusammen für die Prüfung zu lernen?",
    "Wir treffen uns um 18 Uhr im Raum 2.15, bringt Snacks mit",
    # Polish
    "Cześć, ktoś idzie dziś na imprezę u Kasi?",
    "Spotkanie koła o 19:00 w sali 105, do zobaczenia!",
    # Urdu in Latin script
    "Pakki baat hai, kal library mein milte hain",
    "Yaar kal ki class cancel ho gayi kya? Mujhe kisi ne bataya nahi",
    # Chinese
    "我们明天下午三点在图书馆见面吧",
    "这次考试太难了，我要好好复习",
    # Arabic
    "مرحبا بالجميع، هل يوجد اجتماع للجمعية غدا؟",
    "الامتحان كان صعبا جدا لكن الحمد لله انتهى",
    # Hindi, romanised
    "ye lecture ya to bahut boring hai ya useless",
    "Kal mera exam hai, bahut tension ho rahi hai yaar",
    "Bhai tum log kahan ho? Main canteen mein wait kar raha hoon",
    # Portuguese
    "Alguém quer ir ao jantar da associação na sexta?",
    "Vou te matar se você não vier hoje kkkk",
    # Italian
    "Qualcuno ha gli appunti della lezione di ieri?",
    "Ci vediamo alle otto davanti alla mensa, ciao!",
    # Saying who someone is, in the words an insult would follow.
    "Du bist so lieb, danke für die Hilfe!",
    "C'est un plaisir, merci à tous",
    "Lena ist eine super Kapitänin",
    "Es una buena idea, vamos mañana",
    "Marja is coming to the social tonight",
    "La vaca Lola tiene cabeza y tiene cola",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_messages_in_other_languages_stay_quiet(run_all: Run, text: str) -> None:
    assert run_all(text) == [], text


# Threats against someone spoken of, "go die" and aimed insults, in the languages members
# switch to: the same breach as in English.
BREACHES = [
    "Voy a matar a Lewis después del entreno, en serio",
    "Jess, vai a morire. nessuno ti vuole",
    "je vais le tuer s'il revient au club",
    "Priya est une salope, tout le monde le sait",
    "@marco sei uno stronzo",
    "Tom du Arschloch, gib mir mein Ladekabel",
    "Lena ist eine Schlampe, die mit dem Dozenten schläft, sagt es allen",
    "ammazzati @giulia, nessuno ti vuole qui",
    "voy a romperle la cara a @samir cuando lo vea en el gimnasio",
    "@theo tue-toi, personne ne t'aime",
    "mar ja tu @ravi, koi tujhe nahi chahta",
    "ik vermoord je @tim als je dat nog een keer doet",
    "chutiya hai tu @aman",
    "Tomás, vete a matarte, nadie te quiere en el equipo",
    "Dani, voy a matarte si lo vuelves a hacer",
]


@pytest.mark.parametrize("text", BREACHES)
def test_threats_and_aimed_insults_in_other_languages_are_caught(run_all: Run, text: str) -> None:
    assert any(f.label == "offensive-or-threatening" for f in run_all(text)), text
