"""Shared bits for the security tests."""

import logging
from pathlib import Path

import pytest

FALLBACK_TEMPLATES = Path(__file__).resolve().parent / "templates"


@pytest.fixture
def login_template(settings):
    """The real sign-in template when the account screens provide one; a bare form otherwise."""
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], FALLBACK_TEMPLATES]
    settings.TEMPLATES = templates


@pytest.fixture
def security_log(caplog):
    """Records of the bfs_tracker.security logger (which does not propagate to the root logger caplog watches)."""
    logger = logging.getLogger("bfs_tracker.security")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="bfs_tracker.security")
    yield caplog
    logger.removeHandler(caplog.handler)


def events(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bfs_tracker.security"]
