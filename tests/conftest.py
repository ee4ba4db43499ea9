"""Shared test switches."""
import os

import pytest

from analysis.publish.browser import MISSING_REASON


@pytest.fixture(scope="session")
def require_browser():
    """Call when no browser is found: skips with the reason, or fails when the environment
    demands the browser tests (``NETRALITAS_REQUIRE_BROWSER=1``, set by ``make test`` and CI, which
    install Chromium first), so a missing install step cannot hide behind a skip."""
    def missing(what: str):
        if os.environ.get("NETRALITAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{what}: {MISSING_REASON}")
        pytest.skip(f"{what} skipped: {MISSING_REASON}")
    return missing
