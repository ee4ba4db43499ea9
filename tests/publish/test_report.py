"""Specification of the report build (analysis/publish/build/) and the output helpers it relies on.

The fixture notebook is built twice into a temporary folder (module-scoped, ~4 s each); a
broken notebook is built once. Nothing is written under the project's own reports/.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from analysis import cli
from analysis import paths
from analysis.publish import outputs
from analysis.publish import parameters as params
from analysis.publish.build import editions, manifest
from analysis.publish.build.pipeline import build_reports
from testpaths import NOTEBOOK_FIXTURE

FIXTURE = NOTEBOOK_FIXTURE
LABEL = "injected-label-7"
EXTERNAL = re.compile(
    r"<script[^>]*\bsrc\s*=\s*[\"']?\s*(https?:)?//"
    r"|<link[^>]*\bhref\s*=\s*[\"']?\s*(https?:)?//"
    r"|@import\s+(url\()?[\"']?\s*(https?:)?//"
    r"|\bfrom\s+[\"'](https?:)?//",
    re.IGNORECASE,
)

BROKEN = '''# %% [markdown]
# # Broken report
#
# Writes a figure and a table, then fails.

# %% tags=["parameters"]
reports_dir = "."

# %%
import matplotlib.pyplot as plt
import pandas as pd
from analysis.publish.outputs import save_figure, save_table
fig, ax = plt.subplots()
save_figure(fig, "02_broken_fig", reports_dir, alt_text="Empty.")
save_table(pd.DataFrame({"a": [1]}), "02_broken_table", reports_dir)

# %%
raise ValueError("deliberate failure in the fixture")
'''


EMPTY = '''# %% [markdown]
# # Empty report
#
# Saves a table that has no rows.

# %% tags=["parameters"]
reports_dir = "."

# %%
import pandas as pd
from analysis.publish.outputs import save_table
save_table(pd.DataFrame([]), "03_empty_summary", reports_dir, columns=["measure", "estimate"],
           empty_reason=("tidak ada langkah", "no measure"))
'''


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(module_project):
    """A throwaway project root with one raw and one processed file; paths point into it."""
    return module_project


@pytest.fixture(scope="module")
def built(project):
    """Build the fixture twice into the same folder; keep both results."""
    reports_dir = project / "reports"
    first = build_reports([FIXTURE], {"label": LABEL}, reports_dir)
    first_files = snapshot(reports_dir)
    second = build_reports([FIXTURE], {"label": LABEL}, reports_dir)
    return {"dir": reports_dir, "manifest": first, "files": first_files,
            "second_manifest": second, "second_files": snapshot(reports_dir)}


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


# --------------------------------------------------------------------------- build

def test_build_publishes_reader_and_researcher_editions_and_executed_notebook(built):
    d = built["dir"]
    for relative in ("index.html", "manifest.json", "01_fixture.html",
                     "researcher/01_fixture.html", "researcher/01_fixture.ipynb"):
        assert (d / relative).is_file(), relative
    assert not [p for p in d.parent.iterdir() if "staging" in p.name]


def test_reader_edition_has_no_code_and_researcher_edition_has_it(built):
    reader = (built["dir"] / "01_fixture.html").read_text(encoding="utf-8")
    researcher = (built["dir"] / "researcher" / "01_fixture.html").read_text(encoding="utf-8")
    # identifiers with "_" cannot occur by chance in the base64 of embedded images
    for code in ("save_table", "save_figure", "tight_layout", "reports_dir"):
        assert code not in reader, code
        assert code in researcher, code
    assert "Fixture report: a tiny figure and table" in reader
    image = re.search(r'<img\b[^>]*>', reader).group(0)  # attributes in any order
    assert 'alt="Reports fell in 2022 and rose in 2024."' in image
    assert 'src="data:image/png;base64,' in image
    assert '<html lang="id">' in reader


def test_injected_parameter_reaches_the_output(built):
    reader = (built["dir"] / "01_fixture.html").read_text(encoding="utf-8")
    assert f"label is {LABEL}" in reader
    executed = nbformat.read(built["dir"] / "researcher" / "01_fixture.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters["label"] == LABEL


def test_notebook_figures_and_tables_exist_and_are_linked_from_the_index(built):
    d = built["dir"]
    index = (d / "index.html").read_text(encoding="utf-8")
    for relative in ("figures/01_fixture_reports.png", "figures/01_fixture_reports.svg",
                     "tables/01_fixture_counts.csv"):
        assert (d / relative).is_file(), relative
        assert f'href="{relative}"' in index, relative
    assert (d / "figures/01_fixture_reports.alt.txt").read_text(encoding="utf-8").strip() \
        == "Reports fell in 2022 and rose in 2024."
    assert pd.read_csv(d / "tables/01_fixture_counts.csv")["reports"].tolist() == [3, 1, 5]


def test_index_lists_title_summary_editions_and_synthetic_flag(built):
    for page, lang, mark in (("index.html", "id", "SINTETIS"),
                             ("index_en.html", "en", "SYNTHETIC")):
        index = (built["dir"] / page).read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in index and 'name="viewport"' in index
        assert index.count("<h1") == 1 and "<h2" in index
        assert "<title>Netralitas</title>" in index
        # a report whose output says SYNTHETIC says it beside its title, in the page's language
        assert re.search(r">Fixture report: a tiny figure and table</a> "
                         r"<strong class=\"synthetic\">" + mark + "</strong>", index)
        assert "SINTETIS / SYNTHETIC" not in index  # one language at a time
        assert "The smallest notebook the report build can publish" in index
        assert 'href="01_fixture.html"' in index and 'href="researcher/01_fixture.html"' in index
        assert not re.search(r"\b20\d\d-\d\d-\d\d", index)  # no build date on the page


def test_manifest_records_parameters_hashes_versions_and_kernel(built, project):
    m = json.loads((built["dir"] / "manifest.json").read_text(encoding="utf-8"))
    assert m == built["second_manifest"]
    entry = m["notebooks"]["01_fixture"]
    # effective parameters (declared defaults plus injected values); paths relative to the root
    assert entry["parameters"] == {"label": LABEL, "reports_dir": "reports"}
    # the venv's python ran the notebook (recorded relative to the project when inside it)
    assert entry["kernel"]["python"] == manifest.unresolved_relative(sys.executable)
    for relative, digest in entry["outputs"].items():
        assert hashlib.sha256((built["dir"] / relative).read_bytes()).hexdigest() == digest
    assert {"figures/01_fixture_reports.png", "tables/01_fixture_counts.csv",
            "01_fixture.html"} <= set(entry["outputs"])
    raw = hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert m["data"] == {"data/processed/tiny_out.csv": hashlib.sha256(b"a\n3\n").hexdigest(),
                         "data/raw/tiny.csv": raw}
    assert set(m["git"]) == {"commit", "dirty", "date"}
    assert set(m["packages"]) == set(manifest.PACKAGES) and m["packages"]["papermill"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", m["build_time"])
    text = (built["dir"] / "manifest.json").read_text(encoding="utf-8")
    assert text == json.dumps(m, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_pages_load_nothing_from_the_network(built):
    pages = html_files(built["dir"])
    assert len(pages) == 4  # both editions, the landing page in two languages (no ledger here)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not EXTERNAL.search(html), page
        assert "require.js" not in html and "mathjax" not in html.lower()
        assert re.search(r'<img[^>]*src="data:image/png;base64,', html) or \
            page.name in ("index.html", "index_en.html", "ledger.html")


def test_rebuild_with_same_inputs_gives_identical_pages_and_figures(built):
    first, second = built["files"], built["second_files"]
    assert set(first) == set(second)
    for relative in first:
        if relative.endswith((".html", ".png", ".svg", ".csv", ".ipynb", ".txt")):
            assert first[relative] == second[relative], relative


def test_failed_notebook_leaves_reports_untouched_and_names_the_notebook(project, tmp_path, capsys,
                                                                         monkeypatch):
    from analysis.data import build_state
    # the fixture project has no ledger
    monkeypatch.setattr(build_state, "is_current", lambda *a: True)
    notebooks = project / "notebooks"
    (notebooks / "02_broken.py").write_text(BROKEN, encoding="utf-8")
    reports_dir = tmp_path / "reports"
    (reports_dir / "figures").mkdir(parents=True)
    (reports_dir / "index.html").write_text("previous index", encoding="utf-8")
    (reports_dir / "figures" / "02_broken_old.png").write_bytes(b"previous figure")
    before = snapshot(reports_dir)
    processed_before = (paths.PROCESSED, os.environ.get("NETRALITAS_PROCESSED"))

    code = cli.main(["report", "--no-landing", "--no-api", "--notebook", "02_broken",
                     "--reports-dir", str(reports_dir)])

    assert code != 0
    # the build leaves the caller's processed folder as it was (a later build or subprocess in
    # the same process must not inherit this one's)
    assert (paths.PROCESSED, os.environ.get("NETRALITAS_PROCESSED")) == processed_before
    err = capsys.readouterr().err
    assert "02_broken.py" in err and "code cell 3 (line 18)" in err
    assert "ValueError: deliberate failure in the fixture" in err
    assert snapshot(reports_dir) == before
    # no staging folder left behind; the lock file stays (reused by the next build)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".reports.lock", "reports"]


# --------------------------------------------------------------------------- small pieces

def test_param_values_are_json_when_they_parse_else_text():
    assert params.parse_param("seed=3") == ("seed", 3)
    assert params.parse_param("regions=[\"19\", \"11\"]") == ("regions", ["19", "11"])
    assert params.parse_param("province=Bangka Belitung") == ("province", "Bangka Belitung")
    with pytest.raises(ValueError, match="KEY=VALUE"):
        params.parse_param("no-equals-sign")


def test_reports_dir_cannot_be_passed_as_a_parameter(tmp_path):
    with pytest.raises(ValueError, match="reports_dir"):
        build_reports([FIXTURE], {"reports_dir": "x"}, tmp_path / "reports")


def test_summary_comes_from_metadata_when_present_else_first_paragraph():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(
            "# Title here\n\n## Sub\n\nFirst paragraph\ncontinues.\n\nSecond."),
    ])
    assert editions.title_and_summary(nb) == ("Title here", "First paragraph continues.")
    nb.metadata["jupytext"] = {"summary": "From metadata."}
    assert editions.title_and_summary(nb) == ("Title here", "From metadata.")


def test_synthetic_is_detected_in_outputs_only():
    cell = nbformat.v4.new_code_cell("print('x')")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("SYNTHETIC"), cell])
    assert not editions.is_synthetic(nb)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="data: SYNTHETIC\n")]
    assert editions.is_synthetic(nb)


def test_save_figure_is_deterministic_and_records_alt_text(tmp_path):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [1, 0])
    first = outputs.save_figure(fig, "01_line", tmp_path, alt_text="A falling line.")
    png, svg = first.png.read_bytes(), first.svg.read_bytes()
    outputs.save_figure(fig, "01_line", tmp_path, alt_text="A falling line.")
    plt.close(fig)
    assert (png, svg) == (first.png.read_bytes(), first.svg.read_bytes())
    assert b"<dc:date>" not in svg and b"Software" not in png
    assert first.alt_text.read_text(encoding="utf-8") == "A falling line.\n"
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "01_line.alt.txt", "01_line.png", "01_line.svg"]  # no temporary files left
    with pytest.raises(ValueError, match="plain file name"):
        outputs.save_figure(fig, "../01_line", tmp_path, alt_text="x")


def test_an_empty_table_keeps_its_header_and_a_table_without_columns_is_refused(tmp_path):
    empty = outputs.save_table(pd.DataFrame({"measure": [], "estimate": []}), "06_x", tmp_path)
    assert empty.read_text(encoding="utf-8") == "measure,estimate\n"
    with pytest.raises(ValueError, match="'06_y' has no columns.*columns="):
        outputs.save_table(pd.DataFrame([]), "06_y", tmp_path)
    assert not (tmp_path / "tables" / "06_y.csv").exists()
    given = outputs.save_table(pd.DataFrame([]), "06_y", tmp_path, columns=["a", "b"])
    assert given.read_text(encoding="utf-8") == "a,b\n"


def test_an_empty_table_is_published_with_its_header_and_its_page_says_why(project, tmp_path):
    (project / "notebooks" / "03_empty.py").write_text(EMPTY, encoding="utf-8")
    reports = tmp_path / "reports"
    build_reports([project / "notebooks" / "03_empty.py"], reports_dir=reports)
    assert (reports / "tables" / "03_empty_summary.csv").read_bytes() == b"measure,estimate\n"
    reader = (reports / "03_empty.html").read_text(encoding="utf-8")
    assert "03_empty_summary" in reader and "is empty" in reader and "no measure" in reader
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="tables/03_empty_summary.csv">CSV</a> \(kosong', index)
