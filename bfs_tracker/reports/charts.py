"""Geometry of the burden chart for the web pages: an inline SVG drawn by the template, no script needed."""

import datetime as dt
from dataclasses import dataclass

from bfs_tracker.reports.assembly import ReportData

WIDTH, HEIGHT = 720, 230
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 22, 28


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    label: str


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class EventMark:
    x: float
    label_y: float
    short: str
    label: str


# The word on the chart for each kind of timeline event; the full line is in the mark's title and the text list.
EVENT_WORDS = {"visit": "Visit", "emg": "EMG", "blood": "Blood", "imaging": "Imaging", "diagnosis": "Diagnosis"}


@dataclass(frozen=True)
class BurdenChart:
    width: int
    height: int
    plot_left: int
    plot_right: float
    plot_top: int
    plot_bottom: float
    plot_height: float
    remission_y: float
    x_label_y: float
    y_label_x: float
    lines: list[str]  # SVG polyline points, one per run of consecutive logged days
    dots: list[tuple[float, float]]  # single logged days between gaps
    average: list[str]  # the 7-day average, polyline points per run of days that have one
    flares: list[Band]
    remissions: list[Band]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    red_flags: list[Tick]  # x of each day with a red-flag sign, with its date
    events: list[EventMark]
    remedy_marks: list[EventMark]  # remedy and medication starts, dose changes and stops, labelled at the foot
    axis_title_y: float = 0


def burden_chart(report: ReportData) -> BurdenChart:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    n = max(report.days_in_range - 1, 1)
    logged = [b for _, b in report.burden_series if b is not None]
    y_max = max(10, max(logged, default=0))
    y_max = int((y_max + 9) // 10 * 10)

    def x(day: dt.date) -> float:
        return round(LEFT + (day - report.start).days / n * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - value / y_max * plot_h, 1)

    runs = [[(x(day), y(burden)) for day, burden in run] for run in report.logged_runs()]
    lines = [" ".join(f"{px},{py}" for px, py in run) for run in runs if len(run) > 1]
    dots = [run[0] for run in runs if len(run) == 1]
    average: list[str] = []
    current: list[str] = []
    for i, value in enumerate([*report.average7, None]):
        if value is None:
            if len(current) > 1:
                average.append(" ".join(current))
            current = []
            continue
        current.append(f"{x(report.start + dt.timedelta(days=i))},{y(value)}")

    def band(p) -> Band:
        x0 = x(max(p.start, report.start))  # a period may begin before the range or run past it
        width = max(round(x(min(p.end, report.end)) - x0, 1), 2)
        return Band(x0, width, f"{p.label} {p.start.isoformat()} to {p.end.isoformat()}")

    x_ticks: list[Tick] = []
    step = 1 if report.days_in_range <= 120 else 3 if report.days_in_range <= 800 else 12
    for i in range(report.days_in_range):
        day = report.start + dt.timedelta(days=i)
        if day.day == 1 and (day.month - 1) % step == 0:
            x_ticks.append(Tick(x(day), day.strftime("%b %Y" if day.month == 1 or not x_ticks else "%b")))
    if not x_ticks:
        x_ticks = [Tick(x(report.start), report.start.isoformat()), Tick(x(report.end), report.end.isoformat())]
    y_ticks = [Tick(y(v), str(v)) for v in range(0, y_max + 1, max(5, y_max // 4))]
    return BurdenChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=TOP + plot_h,
        plot_height=plot_h,
        remission_y=TOP + plot_h - 6,
        x_label_y=HEIGHT - 8,
        y_label_x=LEFT - 4,
        lines=lines,
        dots=dots,
        average=average,
        flares=[band(p) for p in report.flares],
        remissions=[band(p) for p in report.remissions],
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        red_flags=[Tick(x(day), day.isoformat()) for day in report.red_flag_days],
        axis_title_y=TOP - 8,
        # Labels step down in three rows so events a few days apart stay readable.
        events=[
            EventMark(x(e.date), TOP + 10 + (i % 3) * 12, EVENT_WORDS.get(e.kind, e.kind), f"{e.date} {e.label}")
            for i, e in enumerate(report.events)
        ],
        remedy_marks=[
            EventMark(x(e.date), TOP + plot_h - 6 - (i % 3) * 12, e.short, f"{e.date} {e.text}")
            for i, e in enumerate(report.remedy_events)
        ],
    )
