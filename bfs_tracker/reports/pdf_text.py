"""The person's own words in the PDF: a font that draws most of the world's scripts, right-to-left text in reading
order, and a visible mark where no glyph exists.

People write notes in their own language. ReportLab's built-in Helvetica draws only Western European letters, so
Greek, Cyrillic, Hebrew or Arabic notes came out as rows of black squares. DejaVu Sans (from npm, like the other
front-end files; see docs/decisions.md) covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic and many
symbols and emoticons. ReportLab lays text out left to right, so a right-to-left run is reordered for display
(python-bidi, the Unicode bidirectional algorithm) and Arabic letters are given their joined forms
(arabic-reshaper). This happens one printed line at a time, after the line breaks are chosen, so a long
right-to-left note keeps its lines in order. Characters the font has no glyph for (Chinese, Japanese, most newer
emoji) print as ■, and the report says once what that mark means; the CSV export keeps every character.

When the font files are missing (node_modules not installed), the PDF falls back to Helvetica and marks everything
outside its character set the same way: it still renders.
"""

import functools
import logging
import re
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from django.conf import settings
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

MISSING = "■"
FONT_FILES = {"BFSSans": "DejaVuSans.ttf", "BFSSans-Bold": "DejaVuSans-Bold.ttf"}

# Strong right-to-left letters: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms. Text without
# any is left exactly as it is (the common case costs one regex search).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def _font_dir() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "dejavu-fonts-ttf" / "ttf"


@functools.cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once per process; Helvetica when the font files are missing."""
    folder = _font_dir()
    if not all((folder / file).is_file() for file in FONT_FILES.values()):
        log.warning("PDF font files not found in %s; using Helvetica (non-Latin text prints as %s)", folder, MISSING)
        return "Helvetica", "Helvetica-Bold"
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    regular, bold = FONT_FILES
    # <b> inside a Paragraph asks the family for its bold face.
    pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    addMapping(regular, 1, 0, bold)
    return regular, bold


@functools.cache
def _glyphs() -> frozenset[int] | None:
    """Code points the regular and bold faces both draw; None when the fallback (Helvetica) is in use."""
    regular, bold = fonts()
    if regular == "Helvetica":
        return None
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in (regular, bold)]
    return frozenset(faces[0]).intersection(faces[1])


def _can_draw(char: str, glyphs: frozenset[int] | None) -> bool:
    if char in "\n\t":
        return True
    if glyphs is None:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True
    return ord(char) in glyphs


def drawable(text: str) -> bool:
    """Whether every character of the text prints as itself."""
    glyphs = _glyphs()
    return all(_can_draw(char, glyphs) for char in set(text))


def printable(text: str) -> str:
    """The text with every character the font cannot draw replaced by ■ (same length, so cuts stay where they
    were). Joining marks the font has no glyph for (variation selectors, zero-width joiners in emoji sequences)
    are dropped rather than shown as a second mark."""
    glyphs = _glyphs()
    missing = {char for char in set(text) if not _can_draw(char, glyphs)}
    if not missing:
        return text
    invisible = {
        c for c in missing if c in "\u200c\u200d" or "\ufe00" <= c <= "\ufe0f" or "\U0001f3fb" <= c <= "\U0001f3ff"
    }
    return "".join("" if c in invisible else MISSING if c in missing else c for c in text)


def visual(line: str) -> str:
    """One printed line in display order: right-to-left runs reversed, Arabic letters joined. A line with no
    right-to-left letter is returned unchanged. The paragraph direction follows the line's first strong letter,
    as a browser's `dir="auto"` does."""
    if not _RTL.search(line):
        return line
    if _ARABIC.search(line):
        line = arabic_reshaper.reshape(line)
    return str(get_display(line))
