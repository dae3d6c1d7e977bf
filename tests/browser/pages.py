"""The main pages every browser check visits: (name for screenshots, path, signed in?).

Extend this list as screens land; the accessibility and screenshot tests pick new entries up automatically.
"""

import datetime as dt
import re
import time

from django.core import mail

SIGNED_OUT = [
    ("sign-in", "/accounts/login/"),
    ("sign-up", "/accounts/signup/"),
    ("check-your-email", "/accounts/signup/sent/"),
]


def signed_in_pages(today: dt.date) -> list[tuple[str, str]]:
    return [
        ("today", "/"),
        ("day", f"/days/{today - dt.timedelta(days=1):%Y-%m-%d}/"),
        ("calendar", "/calendar/"),
        ("dashboard", "/dashboard/"),
        ("report", "/report/"),
        ("visit-report", "/report/visit/"),
        ("alerts", "/alerts/"),
        ("timeline", "/timeline/"),
        ("timeline-add-blood-test", "/timeline/add/blood/"),
        ("about-bfs", "/about-bfs/"),
        ("settings", "/settings/"),
        ("change-email", "/settings/email/"),
        ("log-out-everywhere", "/settings/log-out-everywhere/"),
        ("reminders", "/settings/reminders/"),
        ("remedies", "/settings/remedies/"),
        ("own-factors", "/settings/own-factors/"),
        ("experiments", "/experiments/"),
        ("experiment-plan", "/experiments/plan/"),
        ("offline", "/offline/"),
    ]


def finish_sign_up(page, password: str) -> None:
    """Open the link in the last sign-up mail (locmem backend) and type the password again, as a person would."""
    match = re.search(r"https?://\S+/accounts/confirm/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    page.goto(match.group(0))
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Create my account").click()


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression (a promise is awaited) until it is truthy.

    Not page.wait_for_function: that re-evaluates its expression with eval() from requestAnimationFrame, which the
    app's Content-Security-Policy (no 'unsafe-eval') blocks once the first check is false, and a promise counts
    as true at once. page.evaluate runs through the DevTools protocol, which the policy allows.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


def wait_for_service_worker(page) -> None:
    """The page is controlled by the service worker, so its next load goes through it."""
    page.evaluate("navigator.serviceWorker.ready")
    wait_until(page, "navigator.serviceWorker.controller !== null")
