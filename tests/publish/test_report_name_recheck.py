"""Reports built without the register key are checked for register names by the next build
that has the key, even when nothing else is to be built (issue 10 item 4).

A build without ``NETRALITAS_KEY`` cannot compare the published text with a register's name
hashes: it says so and records it in the manifest (``names_not_checked``). A later build with
the key that finds nothing to rebuild used to say "up to date" and never check them.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.data.registers import pseudonymise as ps
from analysis.data.registers import store
from analysis.publish.build.errors import ReportBuildError
from analysis.publish.build.manifest import NAMES_NOT_CHECKED
from analysis.publish.build.pipeline import build_reports
from testpaths import NOTEBOOK_FIXTURE

FIXTURE = NOTEBOOK_FIXTURE
pytestmark = pytest.mark.slow  # builds the fixture notebook five times
KEY = "a-test-key-that-is-long-enough-0123456789"
NAME = "Budi Santoso Wibowo"  # an invented name, in no fixture notebook


@pytest.fixture
def project(project_copy, monkeypatch):
    root = project_copy(raw="tiny")
    monkeypatch.delenv("NETRALITAS_KEY", raising=False)
    # a register whose names.json holds NAME's hashes (only the name index matters here)
    key = KEY.encode()
    with store.StagedRegister("reg", store.registers_dir()) as staged:
        staged.write_names(ps.name_index(key, [NAME]))
        staged.commit({"data_date": "2024-12-31", "synthetic": False,
                       "key_fingerprint": ps.key_fingerprint(key)})
    return root


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_a_build_with_the_key_checks_reports_built_without_it(project, monkeypatch, capsys):
    reports = project / "reports"
    build_reports([FIXTURE], {"label": "x"}, reports)
    said = capsys.readouterr().out
    assert "names from register reg not checked: no key" in said
    assert "no key" in _manifest(reports)[NAMES_NOT_CHECKED][0]

    build_reports([FIXTURE], {"label": "x"}, reports)  # still no key: said again
    assert "built without checking them" in capsys.readouterr().out
    assert NAMES_NOT_CHECKED in _manifest(reports)

    monkeypatch.setenv("NETRALITAS_KEY", KEY)
    before = {p.name for p in reports.rglob("*") if p.is_file()}
    build_reports([FIXTURE], {"label": "x"}, reports)  # nothing to rebuild: checked
    said = capsys.readouterr().out
    assert "checked in the published reports: none found" in said
    assert NAMES_NOT_CHECKED not in _manifest(reports)
    assert {p.name for p in reports.rglob("*") if p.is_file()} == before


def test_a_name_in_reports_built_without_the_key_stops_the_next_build(project, monkeypatch):
    reports = project / "reports"
    build_reports([FIXTURE], {"label": "x"}, reports)
    # a file in the reports folder (the user's, published with the reports) shows the name
    (reports / "notes.html").write_text(f"<p>Kasus: {NAME.upper()}, S.Pd.</p>\n",
                                        encoding="utf-8")
    monkeypatch.setenv("NETRALITAS_KEY", KEY)
    with pytest.raises(ReportBuildError) as caught:
        build_reports([FIXTURE], {"label": "x"}, reports)
    message = str(caught.value)
    assert "notes.html: line 1" in message and "built without checking" in message
    assert NAME.lower() not in message.lower()  # the file and line, never the name
