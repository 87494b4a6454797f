from __future__ import annotations

import pytest

from bot.detectors.base import ChannelSettings
from bot.detectors.links import split_link
from bot.message import Attachment

from .conftest import Run


@pytest.mark.parametrize(
    ("rule_id", "text", "links"),
    [
        (
            "learning-platform-links",
            "here's the replay link for week 5 lecture",
            ("https://replay.dmu.ac.uk/Panopto/Pages/Viewer.aspx?id=1",),
        ),
        (
            "learning-platform-links",
            "week 5: https://dmu.cloud.panopto.eu/Panopto/Pages/Viewer.aspx?id=9",
            (),
        ),
        ("learning-platform-links", "slides at vle.dmu.ac.uk/ultra/courses/_1/outline", ()),
        ("learning-platform-links", "join https://eu.bbcollab.com/guest/abc", ()),
        ("learning-platform-links", "https://teams.microsoft.com/l/meetingrecap?threadId=1", ()),
        (
            "learning-platform-links",
            "https://dmu365.sharepoint.com/sites/x/Recordings/Week5.mp4",
            (),
        ),
        ("learning-platform-links", "https://web.microsoftstream.com/video/abc", ()),
        (
            "academic-misconduct-links",
            "just use chegg.com/homework-help/questions-and-answers/q1",
            (),
        ),
        ("academic-misconduct-links", "https://www.coursehero.com/file/123/", ()),
        ("academic-misconduct-links", "try ukessays.com for that", ()),
        (
            "academic-misconduct-links",
            "https://www.studocu.com/en-gb/document/dmu/law/exam-answers/1",
            (),
        ),
        ("academic-misconduct-links", "https://quizlet.com/explanations/textbook-solutions/x", ()),
        ("academic-misconduct-links", "try UKESSAYS.COM/x, it's quick", ()),
        ("academic-misconduct-links", "see http://ukessays.com", ()),
    ],
)
def test_listed_links_fire(run_rule: Run, rule_id: str, text: str, links: tuple[str, ...]) -> None:
    (finding,) = run_rule(rule_id, text, links=links)
    assert finding.rule == rule_id


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        ("learning-platform-links", "https://teams.microsoft.com/l/meetup-join/19%3ameeting"),
        (
            "learning-platform-links",
            "https://dmu365.sharepoint.com/sites/society/Shared%20Documents/minutes.docx",
        ),
        ("learning-platform-links", "see https://www.dmu.ac.uk/about-dmu/news"),
        ("learning-platform-links", "notablackboard.com.evil.example/x"),
        (
            "academic-misconduct-links",
            "https://www.studocu.com/en-gb/document/dmu/law/lecture-notes-week-1/1",
        ),
        ("academic-misconduct-links", "https://quizlet.com/gb/123/spanish-vocab-flash-cards/"),
        ("academic-misconduct-links", "the library has essays on law, e.g. in the catalogue"),
        ("academic-misconduct-links", "mychegg.community/post"),
    ],
)
def test_other_links_stay_quiet(run_rule: Run, rule_id: str, text: str) -> None:
    assert run_rule(rule_id, text) == []


def test_message_links_are_checked_even_when_not_in_text(run_rule: Run) -> None:
    findings = run_rule("learning-platform-links", "look", links=("https://replay.dmu.ac.uk/x",))
    assert findings and "replay.dmu.ac.uk" in findings[0].evidence


@pytest.mark.parametrize(
    ("link", "host", "path"),
    [
        ("https://Replay.DMU.ac.uk/a?b=1", "replay.dmu.ac.uk", "/a?b=1"),
        ("chegg.com/homework-help", "chegg.com", "/homework-help"),
        ("http://[broken", "", ""),
    ],
)
def test_split_link(link: str, host: str, path: str) -> None:
    assert split_link(link) == (host, path)


PANOPTO = "https://dmu.cloud.panopto.eu/Panopto/Pages/Viewer.aspx?id=9"


@pytest.mark.parametrize(
    ("text", "twin"),
    [
        (
            "log in first: https://vle.dmu.ac.uk/webapps/login/",
            "slides: https://vle.dmu.ac.uk/bbcswebdav/pid-1/week5.pptx",
        ),
        (
            "submit here https://vle.dmu.ac.uk/ultra/courses/_1_1/assignments",
            "the recording https://vle.dmu.ac.uk/ultra/courses/_1_1/recordings/abc",
        ),
        ("grades are out https://vle.dmu.ac.uk/ultra/grades", f"week 5 {PANOPTO}"),
        (f"can I post {PANOPTO} here or is that not allowed?", f"posting {PANOPTO} here lol"),
        (f"is it ok to share {PANOPTO} with my flatmate", f"sharing {PANOPTO} with my flatmate"),
    ],
)
def test_pages_without_content_and_questions_are_not_shared_content(
    run_rule: Run, text: str, twin: str
) -> None:
    assert run_rule("learning-platform-links", text) == []
    assert run_rule("learning-platform-links", twin) != []


@pytest.mark.parametrize(
    ("rule_id", "text", "attachments"),
    [
        ("learning-platform-links", f"week 5 recording {PANOPTO}", ()),
        ("learning-platform-phrases", "here's the replay recording from Monday", ()),
        (
            "lecture-recording-attachments",
            "",
            (Attachment("lecture 5 recording.mp4", "video/mp4"),),
        ),
    ],
)
def test_a_course_space_expects_its_platforms_content(
    run_rule: Run, rule_id: str, text: str, attachments: tuple[Attachment, ...]
) -> None:
    course = ChannelSettings(course_space=True)
    assert run_rule(rule_id, text, attachments=attachments, settings=course) == []
    assert run_rule(rule_id, text, attachments=attachments) != []


@pytest.mark.parametrize(
    ("text", "twin"),
    [
        (
            "is it allowed to share replay recordings with people not on the course?",
            "sharing the replay recordings with people not on the course",
        ),
        ("are we allowed to share the lecture recordings here?", "here are the lecture recordings"),
    ],
)
def test_a_question_about_what_is_allowed_is_not_the_breach(
    run_rule: Run, text: str, twin: str
) -> None:
    assert run_rule("learning-platform-phrases", text) == []
    assert run_rule("learning-platform-phrases", twin) != []


@pytest.mark.parametrize(
    ("text", "twin"),
    [
        (
            "i'll share the answers to the pub quiz later",
            "i'll share the answers to the exam later",
        ),
        ("here are the answers to the trivia round", "here are the answers to the phase test"),
        ("is it ok to share the exam answers I wrote?", "anyone want the leaked exam answers?"),
    ],
)
def test_a_game_or_a_question_is_not_assessment_content(
    run_rule: Run, text: str, twin: str
) -> None:
    assert run_rule("assessment-content", text) == []
    assert run_rule("assessment-content", twin) != []
