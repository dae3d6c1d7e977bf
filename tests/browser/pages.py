"""The main pages every browser check visits: (name for screenshots, path, signed in?).

Extend this list as screens land; the accessibility and screenshot tests pick new entries up automatically.
"""

import datetime as dt

SIGNED_OUT = [
    ("sign-in", "/accounts/login/"),
    ("sign-up", "/accounts/signup/"),
]


def signed_in_pages(today: dt.date) -> list[tuple[str, str]]:
    return [
        ("today", "/"),
        ("day", f"/days/{today - dt.timedelta(days=1):%Y-%m-%d}/"),
        ("calendar", "/calendar/"),
        ("dashboard", "/dashboard/"),
        ("report", "/report/"),
        ("alerts", "/alerts/"),
        ("about-bfs", "/about-bfs/"),
        ("settings", "/settings/"),
        ("reminders", "/settings/reminders/"),
        ("offline", "/offline/"),
    ]
