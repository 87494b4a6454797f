"""Write the short, friendly private messages the author sees, citing the policy's own clauses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.config import WELLBEING, Config, WellbeingConfig
from bot.decision import Action, Notice, RouteInfo
from bot.finding import Finding
from bot.policy import Policy

#: How each label reads in a sentence to the author.
LABEL_PHRASES: dict[str, str] = {
    "confidential-info": "confidential information",
    "personal-info": "someone else's personal information",
    "impersonation": "posting as someone else",
    "account-details": "other students' account details",
    "abusive-content": "abusive or discriminatory content",
    "non-consensual-recording": "a recording made without consent",
    "learning-platform-content": "content from DMU Replay or a learning platform",
    "criminal-content": "material that may be a criminal offence",
    "academic-misconduct": "material for an academic offence",
    "assessment-content": "material from an assessment or exam",
    "coursework-sharing": "academic work shared for others to use",
    "disrepute": "something that may bring the university into disrepute",
    "rumours": "spreading rumours or gossip",
    "intimidation": "intimidating behaviour",
    "offensive-or-threatening": "offensive or threatening comments",
    "mocking": "mocking someone",
    "repeated-unwanted-contact": "posting about someone who asked you to stop",
    "third-party-account-misuse": "using someone else's account",
    "implied-official-view": "speaking as if for the university",
}

#: How a label reads to the moderators, where the author's wording would speak to the wrong
#: person ("who asked you to stop" in the moderators' log reads as if they had been asked).
MODERATOR_PHRASES: dict[str, str] = {
    "repeated-unwanted-contact": "posting about someone who asked them to stop",
}

_BREACH_ROUTES = ("student-complaints", "security")
#: Breaches a student may commit while calling someone out (naming them, posting their details,
#: a video or what they are said to have done): their reminder points to where concerns go
#: (4.2: evidence posted in a channel can spoil a complaint). Other reminders stay short.
CALL_OUT_LABELS = frozenset(
    {"personal-info", "rumours", "non-consensual-recording", "confidential-info", "disrepute"}
)
_REPORT_ROUTES = ("student-complaints", "security", "police")


def route_warnings(config: Config, policy: Policy) -> list[str]:
    """Return one warning per route a reminder or ``/report`` would name but cannot: no contact.

    The wellbeing service has its own warning (``Config.warnings``).
    """
    where = str(config.source) if config.source else "config"
    out = []
    for rid in dict.fromkeys((*_BREACH_ROUTES, *_REPORT_ROUTES)):
        route = policy.routes.get(rid)
        if route is not None and not route.contact.strip():
            out.append(
                f"{where}: routes.{rid}.contact: empty — reminders and /report leave out the "
                f"{route.name} until you add how to reach it (a web page, an email or a phone)"
            )
    return out


def moderator_phrase(label: str) -> str:
    """Return how ``label`` reads in the moderators' log: about the author, not to them."""
    return MODERATOR_PHRASES.get(label) or LABEL_PHRASES.get(label, label)


class NoticeWriter:
    """Build notices from the policy's routes and the config's wellbeing contact."""

    def __init__(self, policy: Policy, wellbeing: WellbeingConfig) -> None:
        self.policy = policy
        self.wellbeing = wellbeing

    def routes(self, ids: Iterable[str]) -> tuple[RouteInfo, ...]:
        """Return the named official routes that exist and can be reached, in the order asked.

        A route with no contact (the policy gives none and the config's ``routes:`` or
        ``wellbeing:`` key adds none) is left out: a student is never sent somewhere without a
        way to get there, and nobody invents a contact the university did not give.
        """
        out = []
        for rid in ids:
            route = self.policy.routes.get(rid)
            if route is None:
                continue
            name, contact = route.name, route.contact.strip()
            if rid == WELLBEING and self.wellbeing.contact.strip():
                contact = self.wellbeing.contact.strip()
                name = self.wellbeing.name.strip() or name
            if contact:
                out.append(RouteInfo(id=rid, name=name, contact=contact))
        return tuple(out)

    def clause_line(self, clauses: Sequence[str]) -> str:
        """Return "clause 4.5: heading" for each clause, joined by "and"."""
        parts = []
        for cid in clauses:
            clause = self.policy.clauses.get(cid)
            parts.append(f"clause {cid}: {clause.heading}" if clause else f"clause {cid}")
        return " and ".join(parts)

    def breach(
        self, action: Action, findings: Sequence[Finding], step: int, case_id: int | None
    ) -> Notice:
        """Return the private reminder (step 1) or warning (a repeat, or serious) for a breach."""
        repeat = step > 1
        clauses = _clauses(findings)
        what = ", ".join(dict.fromkeys(LABEL_PHRASES.get(f.label, f.label) for f in findings))
        cited = self.clause_line(clauses)
        if action is Action.REMIND:
            title = "A quick reminder about the Student Social Media Policy"
            body = (
                f"Your message may include {what} ({cited}). Could you edit or delete it? "
                "If it's fine, tell us with the button."
            )
        elif action is Action.WARN:
            title = "Please check your message: this is a warning"
            body = (
                f"Your message may include {what} ({cited}). This is not the first time "
                "recently, so the society's moderators have been told. Please edit or delete it."
            )
        elif repeat:
            # The ladder's top step: the author hears that it went further than a warning.
            title = "Please check your message: the moderators have been alerted"
            body = (
                f"Your message may include {what} ({cited}). This has happened several times "
                "recently, so the society's moderators have been alerted. Please edit or "
                "delete it."
            )
        else:
            title = "Please check your message"
            body = (
                f"Your message may include {what} ({cited}). Because this could be serious, "
                "the society's moderators have been told. Please edit or delete it."
            )
        routes: tuple[RouteInfo, ...] = ()
        if any(f.label in CALL_OUT_LABELS for f in findings):
            body += (
                " If this is about something someone did to you or others, the official routes"
                " below can act on it; a post in the channel can't."
            )
            routes = self.routes(_BREACH_ROUTES)
        return Notice(
            kind=str(action),
            title=title,
            body=body,
            clauses=clauses,
            routes=routes,
            case_id=case_id,
        )

    def report(self) -> Notice:
        """Return the answer to a report: the official routes, keep evidence, keep it private."""
        return Notice(
            kind="report",
            title="How to report something",
            body=(
                "Thanks for speaking up, you did the right thing. The university can act on it "
                "through the official routes below (policy 4.2 and 7.5); the society's "
                "moderators can help with what happens in this space. Keep your evidence "
                "(screenshots, links, dates) and, where you can, keep the details out of open "
                "channels: it protects the case (4.6). In an emergency call 999."
            ),
            clauses=("4.2", "4.6", "7.5"),
            routes=self.routes(_REPORT_ROUTES),
        )

    def wellbeing_support(self) -> Notice:
        """Return a kind pointer to support; never a warning."""
        return Notice(
            kind="wellbeing",
            title="You're not alone",
            body=(
                "It sounds like things might be really hard right now. You can talk to someone "
                "any time: Samaritans are free on 116 123, day or night. If you are in danger, "
                "call 999."
            ),
            clauses=(),
            routes=self.routes(("wellbeing", "samaritans", "police")),
        )

    def privacy_tip(self) -> Notice:
        """Return a gentle tip when students share their own contact details."""
        return Notice(
            kind="privacy-tip",
            title="A privacy tip",
            body=(
                "You've shared your own contact details. That's your choice, but anything posted "
                "can be copied and shared further (policy 3.11 and Annex A). A direct message "
                "may be safer."
            ),
            clauses=("3.11", "annex"),
            routes=(),
        )


def _clauses(findings: Sequence[Finding]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for f in findings for c in f.clauses))
