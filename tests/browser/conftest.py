"""Real-browser fixtures: Debian's Chromium driven by Playwright against Django's live server.

Every page a test opens listens for console errors, uncaught exceptions and Content-Security-Policy violations;
any of them fails the test, because each one is something a user's browser would have refused or broken on.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

# Reported to the console by the page itself, so CSP violations reach the same collector as script errors.
_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline code")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing, so the browser tests cannot run. Install it with scripts/ensure-chromium "
            "(Debian's chromium package); these tests fail rather than skip so CI never passes without them."
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="package")
def playwright(django_db_setup) -> Iterator[Playwright]:
    """Playwright for this package only, started after the test database exists and stopped before it goes.

    Playwright's sync API keeps an event loop running in the test thread, so Django's async-safety guard would
    refuse every ORM call made by the tests. The guard is lifted exactly while Playwright runs (the browser tests)
    and restored afterwards, so the rest of the suite keeps it.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            yield pw
            # While Playwright's event loop runs in this thread, Django keeps this thread's database connections in
            # a separate, context-local store (asgiref's Local), which the teardown that runs after Playwright
            # stops cannot see. Close them here, or PostgreSQL refuses to drop the test database at the end
            # ("is being accessed by other users").
            connections.close_all()


@pytest.fixture(scope="package")
def browser(playwright, browser_type_launch_args) -> Iterator[Browser]:
    browser = playwright.chromium.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@dataclass
class BrowserProblems:
    """Console errors, page exceptions and CSP violations seen by the pages of one test."""

    seen: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Expect some error (e.g. failed requests while the test has taken the browser offline)."""
        self.allowed.append(re.compile(pattern))

    def record(self, text: str) -> None:
        if not any(p.search(text) for p in self.allowed):
            self.seen.append(text)

    def assert_none(self) -> None:
        assert not self.seen, "The browser reported problems:\n" + "\n".join(self.seen)


@pytest.fixture
def browser_problems() -> Iterator[BrowserProblems]:
    problems = BrowserProblems()
    yield problems
    problems.assert_none()


@pytest.fixture
def signed_in_cookie(live_server) -> Callable:
    def make(user) -> dict:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        return {"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}

    return make


@pytest.fixture
def open_page(browser, live_server, browser_problems, signed_in_cookie) -> Iterator[Callable]:
    """open_page(path, size="phone", user=None, color_scheme="light", **context_args) -> a Page on the live server.

    With a user, the browser carries that user's session cookie (signed in without going through the form).
    context_args go to Playwright's new_context and win over the defaults (British English, Europe/London, the
    size's viewport), e.g. timezone_id="Pacific/Auckland" or java_script_enabled=False.
    With path=None the page is not loaded yet, so the test can add routes or init scripts first.
    """
    contexts = []

    def open_(path: str | None = "/", *, size: str = "phone", user=None, color_scheme: str = "light", **context_args):
        options = {
            **SIZES[size],
            "color_scheme": color_scheme,
            "base_url": live_server.url,
            "locale": "en-GB",
            "timezone_id": "Europe/London",
        }
        context = browser.new_context(**(options | context_args))
        contexts.append(context)
        context.add_init_script(_REPORT_CSP)
        if user is not None:
            context.add_cookies([signed_in_cookie(user)])
        page = context.new_page()
        watch(page)
        if path is not None:
            page.goto(path)
        return page

    def watch(page):
        page.on(
            "console",
            lambda msg: (
                msg.type == "error" and browser_problems.record(f"console: {msg.text} ({msg.location.get('url')})")
            ),
        )
        page.on("pageerror", lambda exc: browser_problems.record(f"uncaught: {exc}"))

    open_.watch = watch
    yield open_
    for context in contexts:
        context.close()


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG under test-artifacts/screenshots/ (gitignored; CI keeps them as artifacts)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def run_axe(page) -> list[dict]:
    """Run axe-core (npm) in the page; returns its serious and critical violations.

    The script is loaded from a same-origin URL answered by Playwright, not inlined, so the page's strict
    Content-Security-Policy (script-src 'self') stays on while axe runs.
    """
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` (axe-core is in package.json).")
    page.route("**/__axe__/axe.min.js", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url="/__axe__/axe.min.js")
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary)}));
        }"""
    )
