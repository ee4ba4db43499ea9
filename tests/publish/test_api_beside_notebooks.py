"""The API reference runs beside the notebooks (:class:`PendingApi`): its failure is reported
with pdoc's last line, and a build that ends first leaves no pdoc process or temp folder."""
import time

import pytest

from analysis.publish.build import landing
from analysis.publish.build.errors import ReportBuildError


def test_a_failing_pdoc_is_reported_with_its_last_line_and_leaves_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(landing, "_PDOC", "import sys; sys.stderr.write('first\\nno module x\\n');"
                                          " sys.exit(3)")
    pending = landing.PendingApi()
    with pytest.raises(ReportBuildError, match="pdoc failed: no module x"):
        pending.wait_into(tmp_path / "staging" / "api")
    pending.stop()
    assert not pending.folder.exists() and not (tmp_path / "staging" / "api").exists()


def test_stop_ends_a_pdoc_still_running_at_once(monkeypatch):
    monkeypatch.setattr(landing, "_PDOC", "import time; time.sleep(60)")
    pending = landing.PendingApi()
    start = time.perf_counter()
    pending.stop()
    assert time.perf_counter() - start < 10
    assert pending.process.returncode is not None and not pending.folder.exists()


def test_its_pages_are_moved_into_the_staging_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(landing, "_PDOC", "import pathlib, sys; out = pathlib.Path(sys.argv[1]);"
                                          " out.mkdir(); (out / 'index.html').write_text('ok')")
    pending = landing.PendingApi()
    pending.wait_into(tmp_path / "staging" / "api")
    pending.stop()
    assert (tmp_path / "staging" / "api" / "index.html").read_text() == "ok"
    assert not pending.folder.exists()
