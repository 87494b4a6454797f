from __future__ import annotations

import pytest

from bot.message import Attachment

from .conftest import Run


@pytest.mark.parametrize(
    ("rule_id", "filename", "content_type"),
    [
        ("assessment-attachments", "CS2001_mark_scheme.pdf", None),
        ("assessment-attachments", "exam-answers-2025.docx", None),
        ("assessment-attachments", "Phase Test 2 solutions.pdf", None),
        ("assessment-attachments", "answer key quiz 3.png", None),
        ("assessment-attachments", "leaked_paper.pdf", None),
        ("assessment-attachments", "model_answers_law.docx", None),
        ("lecture-recording-attachments", "Week5_Lecture.mp4", None),
        ("lecture-recording-attachments", "lec3-networks.m4a", None),
        ("lecture-recording-attachments", "replay download.mov", None),
        ("lecture-recording-attachments", "Meeting Recording.webm", None),
        ("lecture-recording-attachments", "wk 7 seminar", "video/mp4"),
    ],
)
def test_named_files_fire(
    run_rule: Run, rule_id: str, filename: str, content_type: str | None
) -> None:
    attachment = Attachment(filename=filename, content_type=content_type)
    (finding,) = run_rule(rule_id, "", attachments=(attachment,))
    assert finding.rule == rule_id
    assert filename not in finding.evidence


@pytest.mark.parametrize(
    ("rule_id", "filename", "content_type"),
    [
        ("assessment-attachments", "past_paper_2019.pdf", None),
        ("assessment-attachments", "revision_notes.pdf", None),
        ("assessment-attachments", "exam timetable.png", None),
        ("assessment-attachments", "society_minutes.docx", None),
        ("lecture-recording-attachments", "holiday.mp4", None),
        ("lecture-recording-attachments", "Week5_Lecture_slides.pdf", None),
        ("lecture-recording-attachments", "voice note.m4a", None),
        ("lecture-recording-attachments", "electric-guitar.mp3", None),
    ],
)
def test_other_files_stay_quiet(
    run_rule: Run, rule_id: str, filename: str, content_type: str | None
) -> None:
    attachment = Attachment(filename=filename, content_type=content_type)
    assert run_rule(rule_id, "", attachments=(attachment,)) == []
