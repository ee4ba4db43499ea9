"""Shared fixtures: throwaway projects, the browser switch, and the whole site built once.

Every test that uses :func:`published_site` (all seven notebooks, briefs and landing page, a few
minutes on two cores) or a real browser (:func:`require_browser`: Chromium printing or driven)
is marked ``slow``, so ``pytest -m "not slow"`` (``make test-fast``) runs none of them.
"""
import contextlib
import os
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.publish.browser import MISSING_REASON
from testpaths import copy_last_build, make_project

SLOW_FIXTURES = {"published_site", "require_browser"}


# The longest single tests (builds killed at each stage, the hostile build, the register end to
# end, the simulation studies): run first, so that under pytest-xdist no worker is left with one
# of them at the end while the other idles (they sat last in collection order and made a tail of
# several minutes). The order of the others is unchanged.
LONG_FIRST = ("tests/test_kills.py", "tests/publish/test_hostile_render.py",
              "tests/data/registers/test_register_end_to_end.py",
              "tests/methods/test_disclosure.py", "tests/findings/test_incumbency.py",
              "tests/methods/test_did.py", "tests/methods/test_cox.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    first = {name: rank for rank, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: first.get(item.nodeid.split("::")[0], len(first)))


@pytest.fixture
def project_copy(tmp_path):
    """Make throwaway projects: ``project_copy(name="root", raw=..., notebooks=...,
    processed=...)`` (see :func:`make_project`) returns the root; until the test ends,
    :mod:`analysis.paths` points into the last one made."""
    with contextlib.ExitStack() as scopes:
        def make(name: str = "root", scoped: bool = True, **kwargs) -> Path:
            root = make_project(tmp_path / name, **kwargs)
            if scoped:
                scopes.enter_context(paths.scoped(root=root))
            return root
        yield make


@pytest.fixture
def register_project(project_copy, monkeypatch):
    """``register_project(key)``: a project copy in scope, with ``key`` as the register key in
    the environment."""
    from analysis.data.registers.pseudonymise import ENV_KEY

    def make(key: str) -> Path:
        root = project_copy("repo")
        monkeypatch.setenv(ENV_KEY, key)
        return root
    return make


@pytest.fixture(scope="module")
def module_project(tmp_path_factory):
    """:func:`project_copy` shared by one test module: a project with one tiny raw and one
    processed file, in scope for the module."""
    root = make_project(tmp_path_factory.mktemp("project") / "root", raw="tiny",
                        processed={"tiny_out.csv": "a\n3\n"})
    with paths.scoped(root=root):
        yield root


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


def _build_site(out: Path) -> Path:
    """Build the site into ``out`` as ``make report`` builds it. Where the checkout has a
    report build of its own, the build starts from a copy of it and, like any build, runs again
    only the steps whose inputs changed since and every step whose published files no longer
    match their manifest hash (a fresh clone after ``make report``: nothing to run; without a
    build of its own: everything)."""
    from analysis.data import build
    from analysis.publish.build.pipeline import build_reports
    from analysis.publish.build.request import discover_notebooks

    copy_last_build(out)
    assert build.main([]) == 0
    build_reports(notebooks=discover_notebooks(), reports_dir=out, landing=True,
                  progress=lambda _: None)
    return out


@pytest.fixture(scope="session")
def published_site(tmp_path_factory, worker_id):
    """Every real notebook built once (:func:`_build_site`), with the briefs and landing page,
    into a temporary folder shared (read-only) by the notebook, reader-edition and browser tests.
    Under pytest-xdist the first worker that needs it builds it behind a lock in the run's shared
    temporary folder and the others wait and reuse it, so the site is built once per run, not
    once per worker."""
    if worker_id == "master":
        return _build_site(tmp_path_factory.mktemp("published_site"))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent
    out, done = shared / "published_site", shared / "published_site.done"
    with FileLock(str(shared / "published_site.lock")):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            _build_site(out)
            done.touch()
    return out
