"""Shared bits for the security tests."""

import logging

import pytest


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
