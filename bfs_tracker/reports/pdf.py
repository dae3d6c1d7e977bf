"""The report as a PDF, drawn with ReportLab's platypus and graphics (the burden chart is vector, not an image).

Page 1 is the clinical summary a doctor reads in a minute; then the flare list and the day-by-day table. Every page
carries the footer that says what this is and what it is not. Only ReportData goes in: no queries here.
"""

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape  # nosec B406

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from bfs_tracker.reports.assembly import NOTE_CUT, NOTE_MAX_CHARS, NOTE_MAX_LINES, ReportData
from bfs_tracker.reports.pdf_text import MISSING, drawable, fonts, printable, visual
from bfs_tracker.trends.change import describe_rule as change_rule
from bfs_tracker.trends.experiments import EXPERIMENTS_NOTE

PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
FRAME_W = PAGE_W - 2 * MARGIN

INK = colors.HexColor("#1c1f24")
MUTED = colors.HexColor("#5b6470")
LINE = colors.HexColor("#c9ced6")
ACCENT = colors.HexColor("#2459a6")
DANGER = colors.HexColor("#b3261e")
FLARE_FILL = colors.HexColor("#f8dcae")
REMISSION_FILL = colors.HexColor("#d3ecdc")
REMISSION_MARK = colors.HexColor("#1f7a4d")
FLARE_MARK = colors.HexColor("#b26a00")
DAILY_LINE = colors.HexColor("#8fa9d6")
HEADER_BG = colors.HexColor("#eef1f5")
EVENT_MARK = colors.HexColor("#6d3fa0")  # timeline events (visits, tests) on the burden chart
REMEDY_MARK = colors.HexColor("#0f766e")  # remedy and medication starts, dose changes and stops on the chart
EVENT_WORDS = {"visit": "Visit", "emg": "EMG", "blood": "Blood", "imaging": "Imaging", "diagnosis": "Diagnosis"}

FONT, FONT_BOLD = fonts()

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle(
        "title", parent=_base["Title"], fontName=FONT_BOLD, fontSize=16, leading=19, alignment=TA_LEFT, spaceAfter=2
    ),
    "h2": ParagraphStyle(
        "h2", parent=_base["Heading2"], fontName=FONT_BOLD, fontSize=11, leading=13, spaceBefore=7, spaceAfter=3
    ),
    "body": ParagraphStyle("body", parent=_base["BodyText"], fontName=FONT, fontSize=8.5, leading=10.5, spaceAfter=2),
    "small": ParagraphStyle("small", parent=_base["BodyText"], fontName=FONT, fontSize=7.5, leading=9, textColor=MUTED),
    "cell": ParagraphStyle("cell", parent=_base["BodyText"], fontName=FONT, fontSize=7, leading=8.4),
    # The day table's narrow number columns: at 6.5 points "Burden" and "Caffeine" fit without breaking the word.
    "head": ParagraphStyle("head", parent=_base["BodyText"], fontName=FONT, fontSize=6.5, leading=7.8),
    "flag": ParagraphStyle(
        "flag", parent=_base["BodyText"], fontName=FONT, fontSize=8.5, leading=10.5, textColor=DANGER
    ),
    "month": ParagraphStyle(
        "month", parent=_base["Heading3"], fontName=FONT_BOLD, fontSize=9, leading=11, spaceBefore=5, spaceAfter=2
    ),
    "note": ParagraphStyle("note", parent=_base["BodyText"], fontName=FONT, fontSize=8.5, leading=10.5, spaceAfter=3),
}


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _n(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:g}"
    return f"{text} {unit}".strip()


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, STYLES[style])


# A table row taller than a page cannot be laid out (ReportLab raises LayoutError), so long text is cut; the CSV
# holds every word. Characters alone are not enough: 90 one-word lines are short but taller than a page.
MAX_CELL_CHARS = NOTE_MAX_CHARS
MAX_CELL_LINES = 40  # at the 8.4-point leading of table cells, well under half a page
NOTE_LINES = NOTE_MAX_LINES  # a note in the Notes section: about two thirds of a page
CUT = NOTE_CUT


def _e(text: str) -> str:
    """The person's (or the app's) text as Paragraph markup: drawable, in display order, line by line."""
    return "<br/>".join(escape(visual(line)) for line in printable(text).split("\n"))


def _table(rows: list[list], widths: list[float], *, font_size: float = 8, extra: list | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, font_size),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, font_size),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *(extra or []),
            ]
        )
    )
    return table


class _NumberedCanvas(pdfcanvas.Canvas):
    """Draws the footer on every page once the page count is known ("Page 2 of 7")."""

    footer_text = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        self.saveState()
        self.setStrokeColor(LINE)
        self.line(MARGIN, 12 * mm, PAGE_W - MARGIN, 12 * mm)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, 8 * mm, self.footer_text)
        self.drawRightString(PAGE_W - MARGIN, 8 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def _series_runs(report: ReportData, values: list) -> list[list[tuple[int, float]]]:
    """(day index, value) runs split at missing values, so a gap is drawn as a gap, never as zero."""
    runs: list[list[tuple[int, float]]] = []
    previous = False
    for i, value in enumerate(values):
        if value is None:
            previous = False
            continue
        if not previous:
            runs.append([])
        runs[-1].append((i, value))
        previous = True
    return runs


def burden_chart(report: ReportData, width: float = FRAME_W, height: float = 60 * mm) -> Drawing:
    """Daily burden (thin line) and its 7-day average (thick line); flares and remissions shaded over the whole
    height with their names; red-flag days as red lines with a marker on top. The axis title sits above the axis,
    clear of every tick label."""
    drawing = Drawing(width, height)
    left, bottom, top_pad = 24, 24, 16
    plot_w, plot_h = width - left - 6, height - bottom - top_pad
    n_days = max(report.days_in_range, 2)
    logged = [b for _, b in report.burden_series if b is not None]
    y_max = max(10, max(logged, default=0))
    y_max = int((y_max + 9) // 10 * 10)
    plot_top = bottom + plot_h

    def x_of(day: dt.date) -> float:
        return left + (day - report.start).days / (n_days - 1) * plot_w

    for period in report.periods:
        x0 = x_of(max(period.start, report.start))  # a period may begin before the range or run past it
        x1 = max(x_of(min(period.end, report.end)), x0 + 2)
        fill, ink = (FLARE_FILL, FLARE_MARK) if period.kind == "flare" else (REMISSION_FILL, REMISSION_MARK)
        drawing.add(Rect(x0, bottom, x1 - x0, plot_h, fillColor=fill, strokeColor=None))
        drawing.add(Rect(x0, bottom, x1 - x0, 3, fillColor=ink, strokeColor=None))
        drawing.add(String(x0 + 1.5, plot_top - 8, period.kind, fontName=FONT_BOLD, fontSize=6.5, fillColor=ink))

    daily = [b for _, b in report.burden_series]
    runs = _series_runs(report, daily) or [[(0, 0)]]
    average = _series_runs(report, report.average7) if report.average7 else []

    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = left, bottom, plot_w, plot_h
    plot.data = runs + average
    for i in range(len(runs)):
        plot.lines[i].strokeColor = DAILY_LINE if logged else colors.transparent
        plot.lines[i].strokeWidth = 0.7
    for i in range(len(runs), len(runs) + len(average)):
        plot.lines[i].strokeColor = ACCENT
        plot.lines[i].strokeWidth = 1.8
    plot.joinedLines = 1
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = n_days - 1
    steps = [i for i in range(report.days_in_range) if (report.start + dt.timedelta(days=i)).day == 1]
    if len(steps) > 13:
        steps = steps[::3]
    if not steps or report.days_in_range < 45:
        steps = list(range(0, report.days_in_range, max(1, report.days_in_range // 6)))
    plot.xValueAxis.valueSteps = steps
    plot.xValueAxis.labelTextFormat = lambda v: (report.start + dt.timedelta(days=int(v))).strftime("%d %b")
    plot.xValueAxis.labels.fontName = FONT
    plot.xValueAxis.labels.fontSize = 6.5
    plot.xValueAxis.labels.dy = -2
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = y_max
    plot.yValueAxis.valueStep = max(5, y_max // 4)
    plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.labels.fontSize = 6.5
    plot.yValueAxis.visibleGrid = 1
    plot.yValueAxis.gridStrokeColor = LINE
    plot.yValueAxis.gridStrokeWidth = 0.25
    drawing.add(plot)

    for day in report.red_flag_days:
        x = x_of(day)
        drawing.add(Line(x, bottom, x, plot_top, strokeColor=DANGER, strokeWidth=0.9, strokeDashArray=[2, 1.5]))
        drawing.add(
            Polygon([x - 3, plot_top + 5, x + 3, plot_top + 5, x, plot_top], fillColor=DANGER, strokeColor=None)
        )
    _event_marks(drawing, report, x_of, bottom, plot_top)
    _remedy_marks(drawing, report, x_of, bottom, plot_top)
    drawing.add(String(2, plot_top + 7, "Twitch burden", fontName=FONT, fontSize=6.5, fillColor=MUTED))
    return drawing


def _event_marks(drawing: Drawing, report: ReportData, x_of, bottom: float, top: float) -> None:
    """Timeline events (visits, tests, diagnoses) as purple lines with a short word; the words step down in three
    rows so events a few days apart stay readable. The legend under the chart lists them in full."""
    for i, event in enumerate(report.events):
        x = x_of(event.date)
        dash = [1.5, 1.5] if event.planned else None
        drawing.add(Line(x, bottom, x, top, strokeColor=EVENT_MARK, strokeWidth=1, strokeDashArray=dash))
        word = EVENT_WORDS.get(event.kind, event.kind)
        drawing.add(
            String(x + 1.5, top - 16 - (i % 3) * 7, word, fontName=FONT_BOLD, fontSize=5.5, fillColor=EVENT_MARK)
        )


def _remedy_marks(drawing: Drawing, report: ReportData, x_of, bottom: float, top: float) -> None:
    """Remedy and medication starts, dose changes and stops as dotted teal lines, their words at the foot of the
    plot (the timeline's words are at the top), stepping up in three rows. The legend lists them in full."""
    for i, event in enumerate(report.remedy_events):
        x = x_of(event.date)
        drawing.add(Line(x, bottom, x, top, strokeColor=REMEDY_MARK, strokeWidth=1, strokeDashArray=[0.8, 1.6]))
        drawing.add(
            String(
                x + 1.5,
                bottom + 3 + (i % 3) * 7,
                visual(printable(event.short)),
                fontName=FONT_BOLD,
                fontSize=5.5,
                fillColor=REMEDY_MARK,
            )
        )


def _remedy_legend(report: ReportData) -> str:
    if not report.remedy_events:
        return ""
    listed = "; ".join(f"{e.date.isoformat()} {e.text}" for e in report.remedy_events)
    return f" Teal dotted lines: remedies and medication started, stopped or changed in dose ({listed})."


def _event_legend(report: ReportData) -> str:
    if not report.events:
        return ""
    listed = "; ".join(f"{e.date.isoformat()} {e.label}" for e in report.events)
    return f" Purple lines: visits and tests ({listed})."


def _visit_questions(report: ReportData) -> list:
    """The person's own questions for the coming visit ("prepare for my visit"), numbered, near the top."""
    if not report.visit_questions:
        return []
    when = f" for {report.upcoming_visit.isoformat()}" if report.upcoming_visit else ""
    items = "<br/>".join(f"{i}. {_e(q)}" for i, q in enumerate(report.visit_questions[:12], 1))
    more = len(report.visit_questions) - 12
    if more > 0:
        items += f"<br/>… and {more} more (in the app)"
    return [_p(f"My questions{when}", "h2"), _p(items)]


def _since_last_visit(report: ReportData) -> list:
    """Since the last visit against the same length of time before it, with the change test's verdicts."""
    s = report.since_visit
    if s is None:
        return []
    story: list = [_p(f"Since the last visit ({s.visit.isoformat()})", "h2")]
    story.append(
        _p(
            f"{s.visit.isoformat()} to {s.end.isoformat()} ({s.days} days, {s.logged_since} logged) against the "
            f"{s.days} days before it, from {s.before_start.isoformat()} ({s.logged_before} logged).",
            "small",
        )
    )
    rows: list[list[Any]] = [["", "Before the visit", "Since the visit", "Change"]]
    for line in s.lines:
        verdict = f"<b>{_e(line.verdict)}</b>" if line.change.is_clear else _e(line.verdict)
        rows.append([line.label, line.before, line.since, _p(verdict, "cell")])
    story.append(_table(rows, [38 * mm, 48 * mm, 48 * mm, FRAME_W - 134 * mm]))
    signs = ", ".join(f"{label} {day.isoformat()}" for day, label in s.red_flags_since) or "none reported"
    before = "; ".join(f"{d.isoformat()} {t}" for d, t in s.checks_before) or "none"
    since = "; ".join(f"{d.isoformat()} {t}" for d, t in s.checks_since) or "none"
    story.append(_p(_e(s.new_groups_text), "cell"))
    story.append(_p(_e(f"Red-flag signs since the visit: {signs}."), "cell"))
    story.append(_p(_e(f"Function checks before: {before}. Since: {since}."), "cell"))
    story.append(
        _p(
            "“More” or “less” only when the change test is clear (mean burden: the share of logged days above the "
            "median of both periods); otherwise “no clear change” or “too few days”.",
            "small",
        )
    )
    return story


def _tests_and_results(report: ReportData) -> list:
    """Every test, imaging and diagnosis up to the range's end, newest first (the last ten on page 1)."""
    if not report.tests:
        return []
    rows: list[list[Any]] = [["Date", "Test and result", "Notes"]]
    notes_width = FRAME_W - 100 * mm
    for t in report.tests[:10]:
        notes = _e(" ".join(t.notes.split())[:240] + ("…" if len(t.notes) > 240 else "")) if t.notes else "—"
        rows.append([t.date.isoformat(), _p(_e(t.label), "cell"), _p(notes, "cell")])
    story: list = [_p("Tests and results", "h2"), _table(rows, [20 * mm, 80 * mm, notes_width])]
    if len(report.tests) > 10:
        story.append(_p(f"{len(report.tests) - 10} earlier tests are in the app's timeline and the backup.", "small"))
    return story


def _chart_legend(report: ReportData) -> str:
    legend = "Thin line: burden on each logged day (gaps: not logged). Thick line: 7-day average of logged days."
    if report.flares:
        legend += " Orange: flares."
    if report.remissions:
        legend += " Green: remissions."
    if report.red_flag_days:
        legend += " Red dashed lines: days with a red-flag sign."
    legend += _event_legend(report)
    legend += _remedy_legend(report)
    if report.periods:
        legend += (
            " " + "; ".join(f"{p.label} {p.start.isoformat()} to {p.end.isoformat()}" for p in report.periods) + "."
        )
    elif report.periods_pending:
        legend += f" No flare or remission yet: {report.periods_pending}."
    else:
        legend += " No flare or remission in this range."
    return legend


def _head(report: ReportData) -> list:
    """Who, which range, how many days logged; then the current state and baseline."""
    story: list = [_p("Twitching report for the doctor", "title")]
    who = f"<b>{_e(report.patient_name)}</b>"
    if report.date_of_birth:
        who += f" · born {report.date_of_birth.isoformat()}"
    story.append(_p(who))
    story.append(
        _p(
            f"Range <b>{report.start.isoformat()} to {report.end.isoformat()}</b> · "
            f"<b>{report.days_logged} of {report.days_in_range} days logged</b> · "
            f"mean daily twitch burden {_n(report.mean_burden)} (0–300: intensity × sides, summed over muscle groups)"
        )
    )
    if report.state_text:
        story.append(_p(f"Current state: <b>{_e(report.state_text)}</b>"))
    return story


def _red_flag_section(report: ReportData) -> list:
    story: list = [_p("Red-flag events (signs not typical of BFS)", "h2")]
    if not report.red_flags:
        story.append(_p("None reported in this range."))
        return story
    rows: list[list[Any]] = [["Date", "Sign", "In their words", "Acknowledged"]]
    words_width = FRAME_W - 88 * mm
    for e in report.red_flags:
        label = e.label + (" (urgent)" if e.urgent else "")
        words = "<br/>".join(_e(line) for line in _lines(e.words, words_width, max_lines=6)) if e.words else "—"
        rows.append([e.date.isoformat(), _p(_e(label), "cell"), _p(words, "cell"), _p(_e(e.status_text), "cell")])
    story.append(_table(rows, [20 * mm, 38 * mm, words_width, 30 * mm], extra=[("TEXTCOLOR", (0, 1), (0, -1), DANGER)]))
    return story


def _remedies(report: ReportData) -> list:
    """Remedies and medication with doses and dates (page 1, after tests and results): one row per dose, so a dose
    change reads as the new dose from its date."""
    story: list = [_p("Remedies and medication, with doses and dates", "h2")]
    if not report.remedies:
        story.append(_p("No remedy or medication recorded in this range."))
        return story
    rows: list[list[Any]] = [["Remedy or medication", "Dose and how often", "From", "To"]]
    for course in report.remedies:
        for i, spell in enumerate(course.spells):
            name = course.name if i == 0 else f"{course.name}, new dose"
            rows.append(
                [
                    _p(_e(name), "cell"),
                    _p(_e(spell.dose_text), "cell"),
                    spell.start.isoformat(),
                    spell.stop.isoformat() if spell.stop else "still taking",
                ]
            )
    story.append(_table(rows, [50 * mm, 60 * mm, 22 * mm, FRAME_W - 132 * mm]))
    story.extend(_p(_e(d.text), "small") for d in report.remedies_during_flares)
    return story


def _chart_section(report: ReportData) -> list:
    return [
        _p("Twitch burden per day", "h2"),
        burden_chart(report),
        _p(_e(_chart_legend(report)), "small"),
    ]


def _function_check_section(report: ReportData) -> list:
    """One row per run of checks with the same result, so a year of weekly checks stays a few lines."""
    story: list = [_p("Function checks (everyday tasks compared with before the twitching)", "h2")]
    if not report.function_checks:
        story.append(_p("None taken in this range."))
        return story
    rows: list[list[Any]] = [["Taken", "Result"]]
    for run in report.function_check_runs:
        when = run.first.isoformat()
        if run.count > 1:
            when += f" to {run.last.isoformat()} ({run.count} checks)"
        rows.append([when, _p(_e(run.result), "cell")])
    story.append(_table(rows, [55 * mm, FRAME_W - 55 * mm]))
    return story


def _stability_section(report: ReportData) -> list:
    story: list = [_p("What has not changed (facts from the log, up to the range's end)", "h2")]
    story += [_p(f"- {_e(fact.text)}") for fact in report.stability]
    return story


def _page_one(report: ReportData) -> list:
    """Page 1, in the order a neurologist with ten minutes reads it (issue 12)."""
    return [
        *_head(report),
        *_visit_questions(report),
        *_red_flag_section(report),
        *_since_last_visit(report),
        *_chart_section(report),
        *_groups(report),
        *_tests_and_results(report),
        *_remedies(report),
        *_function_check_section(report),
        *_stability_section(report),
    ]


class _DetailsStart(Spacer):
    """Starts the details on a new page only while still on page 1: when page 1's summary ran over, the details
    follow straight on, so no page is left mostly blank."""

    def __init__(self) -> None:
        super().__init__(0, 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._doctemplateAttr("page") == 1:
            frame = self._doctemplateAttr("frame")
            if frame is not None:
                frame.add_generated_content(PageBreak())
        return 0, 0


def _other_symptoms(report: ReportData) -> list:
    story: list = [_p("Other symptoms, and sleep, stress and caffeine", "h2")]
    rows = [["Symptom (0–10)", "Average", "Days above 0"]]
    rows += [[s.label, _n(s.average), f"{s.days_present} of {s.days}"] for s in report.symptoms]
    factor_rows: list[list[Any]] = [["Factor", "Average", "Days recorded"]]
    factor_rows += [[f.label, _n(f.average, f.unit), f.days] for f in report.factors]
    half = (FRAME_W - 6 * mm) / 2
    story.append(
        Table(
            [
                [
                    _table(rows, [half * 0.5, half * 0.22, half * 0.28]),
                    _table(factor_rows, [half * 0.3, half * 0.42, half * 0.28]),
                ]
            ],
            colWidths=[half + 3 * mm, half + 3 * mm],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
        )
    )
    if report.insights:
        story.append(_p("What goes with worse days (patterns, not causes)", "h2"))
        for insight in report.insights:
            days = f" <font color='#5b6470'>({_e(insight.days)})</font>" if insight.days else ""
            story.append(_p(f"- {_e(insight.text)}{days}"))
    return story


def _experiments(report: ReportData) -> list:
    """Planned self-experiments touching the range, with their verdicts once finished (never an interim one)."""
    story: list = []
    if report.experiments:
        story.append(_p("Planned self-experiments", "h2"))
        for v in report.experiments:
            plan = v.experiment
            head = f"{plan.change}, {v.outcome_label.lower()}, {plan.start:%-d %b %Y} to {v.end:%-d %b %Y}: "
            if v.status == "finished":
                text = f"{v.result.verdict_words}. {v.sentence}"
            elif v.status == "running":
                text = f"under way, {v.days_done} logged days with the change so far."
            else:
                text = "planned."
            story.append(_p(f"- {_e(head + text)}"))
            for warning in v.warnings:
                story.append(_p(f"Warning: {_e(warning)}", "small"))
        story.append(_p(_e(EXPERIMENTS_NOTE), "small"))
    return story


def _tried(report: ReportData) -> list:
    story: list = [_p("What was tried, day by day", "h2")]
    if not report.reliefs:
        story.append(_p("Nothing recorded as tried in this range."))
        return story
    rows: list[list[Any]] = [["Tried", "Days", "First", "Last", "Mean burden on days with / without"]]
    for r in report.reliefs:
        if r.burden_with is None:
            comparison = "too few days to compare"
        else:
            comparison = f"{r.burden_with:g} ({r.days} days) / {r.burden_without:g} ({r.days_without} days)"
        rows.append([_p(_e(r.name), "cell"), r.days, r.first.isoformat(), r.last.isoformat(), comparison])
    story.append(_table(rows, [45 * mm, 12 * mm, 20 * mm, 20 * mm, FRAME_W - 97 * mm]))
    story.append(
        _p("A lower burden on days something was tried shows they went together, not that it helped.", "small")
    )
    return story


def _groups(report: ReportData) -> list:
    """Every muscle group of the range, one compact row each, with the honest change column (trends.change)."""
    story: list = [_p("Where it twitches, and how that changed", "h2")]
    if not report.groups:
        story.append(_p(_e(report.no_twitching_text)))
        return story
    rows: list[list[Any]] = [
        ["Muscle group", "Days", "Mean int.", "Sides (entries)", "1st half: days / logged", "2nd half", "Change"]
    ]
    rows += [
        [
            g.label,
            g.days,
            f"{g.mean_intensity:g}",
            _p(_e(g.sides), "cell"),
            f"{g.compared.days_first} / {g.compared.logged_first}",
            f"{g.compared.days_second} / {g.compared.logged_second}",
            g.change,
        ]
        for g in report.groups
    ]
    clear = [i for i, g in enumerate(report.groups, start=1) if g.compared.is_clear]
    extra: list[tuple[Any, ...]] = [("FONT", (6, i), (6, i), FONT_BOLD, 7) for i in clear]
    extra += [("TOPPADDING", (0, 0), (-1, -1), 0.6), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6)]
    widths = [28 * mm, 11 * mm, 14 * mm, 0, 30 * mm, 18 * mm, 22 * mm]
    widths[3] = FRAME_W - sum(widths)
    story.append(_table(rows, widths, font_size=7, extra=extra))
    split = report.half_split or report.end
    sides = ", ".join(f"{s.label.lower()} {s.days_first}→{s.days_second}" for s in report.sides)
    story.append(
        _p(
            _e(
                f"First half {report.start.isoformat()} to {(split - dt.timedelta(days=1)).isoformat()} "
                f"({report.logged_first} logged days), second half {split.isoformat()} to {report.end.isoformat()} "
                f"({report.logged_second} logged days). {change_rule()} Entries by side, first→second half: {sides}."
            ),
            "small",
        )
    )
    return story


def _flares(report: ReportData) -> list:
    story: list = [_p("Flares and remissions", "h2")]
    if not report.periods:
        none = f"None yet: {report.periods_pending}." if report.periods_pending else None
        story.append(_p(none or "No flare or remission periods detected in this range."))
        return story
    rows: list[list[Any]] = [["Kind", "From", "To", "Days", "Peak", "Mean", "In the days before (vs usual days)"]]
    rows += [
        [
            p.label,
            p.start.isoformat(),
            p.end.isoformat(),
            p.days,
            f"{p.peak:g}",
            f"{p.mean:g}",
            _p(_e(p.before) or "—", "cell"),
        ]
        for p in report.periods
    ]
    story.append(_table(rows, [20 * mm, 20 * mm, 20 * mm, 11 * mm, 12 * mm, 12 * mm, FRAME_W - 95 * mm]))
    story.append(
        _p("Peak and mean are daily twitch burden. Remissions have no 'before' column: they are quiet spells.", "small")
    )
    return story


_DAY_WIDTHS = [17 * mm, 11 * mm, 46 * mm, 10 * mm, 10 * mm, 12 * mm, 27 * mm, 20 * mm, 0]
_DAY_WIDTHS[-1] = FRAME_W - sum(_DAY_WIDTHS)


def _lines(
    text: str,
    width: float,
    font: str = FONT,
    size: float = 7,
    *,
    max_lines: int = MAX_CELL_LINES,
    cut: str = CUT,
) -> list[str]:
    """The text broken into the lines a cell this wide shows: at most MAX_CELL_CHARS characters and `max_lines`
    lines, the last ones saying where the rest is. A word wider than the cell is broken inside the word."""
    over = len(text) > MAX_CELL_CHARS
    text = printable(text[:MAX_CELL_CHARS].rstrip() if over else text)
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        for line in simpleSplit(part, font, size, width - 6) or [""]:
            lines.extend(_break_word(line, width - 6, font, size))
        if len(lines) > max_lines:
            break
    if not over and len(lines) <= max_lines:
        return lines
    note = simpleSplit(cut, font, size, width - 6)
    return [*lines[: max_lines - len(note)], *note]


def _break_word(line: str, width: float, font: str, size: float) -> list[str]:
    """simpleSplit leaves a word longer than the width whole; cut it into pieces that fit."""
    if stringWidth(line, font, size) <= width:
        return [line]
    pieces, piece = [], ""
    for char in line:
        if piece and stringWidth(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def _wrap(text: str, width: float, font: str = FONT, size: float = 7, *, max_lines: int = MAX_CELL_LINES) -> str:
    """Pre-broken lines for a plain table cell: far cheaper than a Paragraph per cell for hundreds of rows."""
    return "\n".join(visual(line) for line in _lines(text, width, font, size, max_lines=max_lines)) if text else ""


def _days(report: ReportData) -> list:
    """The day-by-day table, one table per month under the month's name. A day with notes says "see Notes": the
    notes follow the table as paragraphs, which can run across pages where a table row cannot."""
    story: list = [CondPageBreak(30 * mm), _p("Day by day", "h2")]
    if not report.days:
        story.append(_p("No days logged in this range."))
        return story
    header = [
        "Date",
        "Burden",
        "Twitching (group side intensity)",
        "Stress",
        "Sleep",
        "Caffeine",
        "Symptoms",
        "Red flags",
        "Tried",
    ]
    w = _DAY_WIDTHS
    chunk: list = []
    flagged: list[int] = []
    month: tuple[int, int] | None = None
    for day in report.days:
        this_month = (day.date.year, day.date.month)
        if month != this_month:
            if chunk:
                story.append(_day_table(header, chunk, flagged))
                chunk, flagged = [], []
            # A month's name never sits alone at the foot of a page: a new page when fewer than a few rows fit.
            story += [CondPageBreak(24 * mm), _p(day.date.strftime("%B %Y"), "month")]
            month = this_month
        tried = " · ".join(x for x in (day.reliefs, "see Notes" if day.notes.strip() else "") if x)
        if day.red_flags:
            flagged.append(len(chunk) + 1)
        chunk.append(
            [
                day.date.isoformat(),
                day.burden,
                _wrap(day.twitches, w[2]),
                "" if day.stress is None else day.stress,
                "" if day.sleep_hours is None else f"{day.sleep_hours:g}",
                day.caffeine_mg,
                _wrap(day.symptoms, w[6]),
                _wrap(day.red_flags, w[7], FONT_BOLD),
                _wrap(tried, w[8]),
            ]
        )
    story.append(_day_table(header, chunk, flagged))
    return story


def _day_table(header: list[str], rows: list, flagged: list[int]) -> Table:
    head = [_p(f"<b>{h}</b>", "head") for h in header]
    extra: list[tuple[Any, ...]] = [("LEADING", (0, 1), (-1, -1), 8.4)]
    for row in flagged:
        extra += [("TEXTCOLOR", (7, row), (7, row), DANGER), ("FONT", (7, row), (7, row), FONT_BOLD, 7)]
    return _table([head, *rows], _DAY_WIDTHS, font_size=7, extra=extra)


def _notes(report: ReportData) -> list:
    """Every day's notes in the person's words, as paragraphs that may run across pages (a table row may not).
    Each note is cut after NOTE_LINES lines with a visible mark; the CSV export has every word."""
    noted = [d for d in report.days if d.notes.strip()]
    if not noted:
        return []
    story: list = [_p("Notes, in their words", "h2")]
    for day in noted:
        lines = _lines(day.notes, FRAME_W, size=8.5, max_lines=NOTE_LINES, cut=CUT)
        text = "<br/>".join(_e(line) for line in lines)
        story.append(_p(f"<b>{day.date.isoformat()}</b> {text}", "note"))
    return story


def _undrawable_note(report: ReportData) -> list:
    """Characters the PDF's font has no glyph for print as ■ (pdf_text); say so once, under everything."""
    texts = [
        report.patient_name,
        *(d.notes for d in report.days),
        *(d.reliefs for d in report.days),
        *(e.words for e in report.red_flags),
        *report.visit_questions,
        *(t.label for t in report.tests),
        *(t.notes for t in report.tests),
        *(e.label for e in report.events),
        *(e.text for e in report.remedy_events),
    ]
    if all(drawable(t) for t in texts):
        return []
    return [
        _p(
            f"{MISSING} marks a character the PDF's font cannot show (for example Chinese or Japanese letters and "
            "some emoji); the CSV export has every character.",
            "small",
        )
    ]


def render_pdf(report: ReportData) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=18 * mm,
        title=f"BFS Tracker report {report.start.isoformat()} to {report.end.isoformat()}",
        author="BFS Tracker (patient-reported data)",
    )
    footer = f"Generated by BFS Tracker on {report.generated_on.isoformat()} · patient-reported data; not a diagnosis"
    canvas_class = type("ReportCanvas", (_NumberedCanvas,), {"footer_text": footer})
    story = [
        *_page_one(report),
        _DetailsStart(),
        *_flares(report),
        *_other_symptoms(report),
        *_experiments(report),
        *_tried(report),
        *_days(report),
        *_notes(report),
        *_undrawable_note(report),
    ]
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()
