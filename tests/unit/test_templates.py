from __future__ import annotations

import pytest

from therapynote.domain import templates
from therapynote.errors import InvalidInput


def test_parse_structured_note_by_headings() -> None:
    text = "## Subjective\nslept badly\n\n## Plan:\nweekly\n# Objective\ncalm\n"
    assert templates.parse_note_text("soap", text) == {
        "subjective": "slept badly",
        "plan": "weekly",
        "objective": "calm",
    }


def test_text_before_first_heading_goes_to_first_section() -> None:
    assert templates.parse_note_text("dap", "intro line\n## Plan\nnext") == {
        "data": "intro line",
        "plan": "next",
    }


def test_free_note_is_whole_text() -> None:
    assert templates.parse_note_text("free", "## Plan\nall of it\n") == {
        "note": "## Plan\nall of it"
    }


def test_sections_of_another_template_are_refused() -> None:
    with pytest.raises(InvalidInput, match="no section 'behavior'"):
        templates.validate_sections("soap", {"behavior": "x"})


def test_unknown_template() -> None:
    with pytest.raises(InvalidInput, match="unknown note template"):
        templates.check_template("narrative")


def test_render_keeps_template_order() -> None:
    text = templates.render_note_text("birp", {"plan": "p", "behavior": "b"})
    assert text == "Behavior: b\n\nPlan: p"
