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


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """Every real notebook built once, with the briefs and landing page, into a temporary folder
    shared (read-only) by the notebook, reader-edition and browser tests."""
    from analysis import paths
    from analysis.data import build
    from analysis.publish import report

    assert build.main([]) == 0
    out = tmp_path_factory.mktemp("published_site")
    report.build_reports(notebooks=sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.py")),
                         reports_dir=out, landing=True, progress=lambda _: None)
    return out
