"""The PDF's handling of the person's own words (reports.pdf_text): which characters print, what replaces the rest,
and right-to-left lines in display order."""

import pytest

from bfs_tracker.reports import pdf_text
from bfs_tracker.reports.pdf_text import MISSING, drawable, fonts, printable, visual


def test_the_pdf_uses_a_unicode_font_from_the_installed_front_end_packages():
    assert fonts() == ("BFSSans", "BFSSans-Bold")


@pytest.mark.parametrize(
    "text",
    ["left calf, 5/10", "Дёргается икра", "Σπασμοί", "שלום", "مرحبا", "Ցնցում", "café ½ °C", "☺ 😀"],
)
def test_common_scripts_and_symbols_are_drawable_and_left_alone(text):
    assert drawable(text)
    assert printable(text) is text


def test_characters_without_a_glyph_become_one_visible_mark_each():
    assert printable("calf 中文 ok") == f"calf {MISSING}{MISSING} ok"
    assert not drawable("中")


def test_emoji_modifiers_and_joiners_without_a_glyph_are_dropped_not_marked():
    # thumbs up with a skin tone: one mark, not two
    assert printable("\U0001f44d\U0001f3fd") == MISSING


def test_a_left_to_right_line_is_returned_unchanged():
    line = "left calf 3, right eyelid 2"
    assert visual(line) is line


def test_a_hebrew_line_is_reversed_for_display():
    assert visual("שלום") == "םולש"
    # a left-to-right word inside keeps its own order
    assert visual("שלום calf") == "calf םולש"


def test_arabic_letters_are_joined_before_reordering():
    shown = visual("مرحبا")
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shown)
    assert len(shown) == len("مرحبا")


@pytest.fixture
def no_font_files(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_text, "_font_dir", lambda: tmp_path)
    pdf_text.fonts.cache_clear()
    pdf_text._glyphs.cache_clear()
    yield
    pdf_text.fonts.cache_clear()
    pdf_text._glyphs.cache_clear()


def test_without_the_font_files_the_pdf_falls_back_to_helvetica_and_marks_the_rest(no_font_files):
    assert fonts() == ("Helvetica", "Helvetica-Bold")
    assert printable("café Дё") == f"café {MISSING}{MISSING}"
    assert drawable("café")
