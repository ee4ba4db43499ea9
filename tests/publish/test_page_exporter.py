"""The report pages' exporter skips nbconvert's BeautifulSoup re-parse of each finished page
(a quarter of a second per page) and does its two changes itself: the page it writes, read
and written out by BeautifulSoup, is nbconvert's page to the byte."""
from __future__ import annotations

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from analysis import paths
from analysis.publish.build import editions
from analysis.publish.build.page_exporter import NO_ALT, PageExporter, finish_page

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJ"
       "RU5ErkJggg==")


def _both(nb, reader: bool) -> tuple[str, str]:
    resources = {"metadata": {"name": "01 · Uji / Test", "path": str(paths.NOTEBOOKS)}}
    config = editions.exporter_config(reader)
    ours, _ = PageExporter(config=config).from_notebook_node(nb, dict(resources))
    theirs, _ = HTMLExporter(config=config).from_notebook_node(nb, dict(resources))
    return ours, theirs


def _notebook():
    v4 = nbformat.v4
    nb = v4.new_notebook(metadata={"language_info": {"name": "python"}})
    nb.cells = [
        v4.new_markdown_cell('# 01 · Uji / <span lang="en">Test</span>\n\nTeks <b>tebal</b> / '
                             '<span lang="en">bold</span>.\n\n| a | b |\n|---|---|\n| 1 | 2 |'),
        v4.new_code_cell("x = 1", outputs=[
            v4.new_output("display_data", data={
                "text/html": '<div class="table-scroll" tabindex="0"><table class="reader-table">'
                             '<thead><tr><th scope="col">Nilai<br><span class="en" lang="en">'
                             'Value</span></th></tr></thead><tbody><tr><td>1.234</td></tr>'
                             '</tbody></table></div><img src="x.png">'}),
            v4.new_output("display_data", data={"image/png": PNG},
                          metadata={"image/png": {"alt": "Grafik / Chart"}}),
            v4.new_output("display_data", data={"image/png": PNG}),
            v4.new_output("display_data", data={"text/markdown": "**Penilaian** / x"}),
            v4.new_output("stream", name="stdout", text="1 < 2 & 3\n"),
        ]),
        v4.new_code_cell("y = 2", metadata={"tags": ["researcher_only"]},
                         outputs=[v4.new_output("execute_result", data={"text/plain": "2"},
                                                execution_count=2)]),
    ]
    return nb


@pytest.mark.parametrize("reader", [True, False], ids=["reader", "researcher"])
def test_the_page_read_by_beautifulsoup_is_nbconverts_page(reader):
    ours, theirs = _both(_notebook(), reader)
    assert ours != theirs  # the re-parse is really skipped
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs
    assert ours.count('tabindex="0"') >= 3
    assert NO_ALT not in ours  # every image has its alt text (an <img> from data is removed)


def test_finish_page_marks_only_the_areas_nbconvert_marks():
    page = ('<head><div class="jp-OutputArea-output"></div></head><body class="jp-Notebook">'
            '<div class="jp-Cell-inputWrapper"><div class="x jp-OutputArea-output y">'
            '<div class="jp-OutputArea-output-child"><div class="jp-OutputArea-output" '
            'tabindex="-1"><img alt="" src="a"><img src="b"/></div></div></div></div></body>')
    done = finish_page(page)
    assert done.startswith('<head><div class="jp-OutputArea-output"></div></head>')
    assert '<div class="jp-Cell-inputWrapper" tabindex="0">' in done
    assert '<div class="x jp-OutputArea-output y" tabindex="0">' in done
    assert '<div class="jp-OutputArea-output-child">' in done  # a longer class, not the class
    assert '<div class="jp-OutputArea-output" tabindex="-1">' in done  # its own stays
    assert '<img alt="" src="a">' in done and f'<img src="b" alt="{NO_ALT}"/>' in done


@pytest.mark.parametrize("stem", ["03_violation_rates", "06_supervision_effects"])
def test_on_real_reports_the_page_is_nbconverts_page(published_site, stem):
    """The two reports with the most kinds of output (inline SVG charts, folded English
    charts, tables, verdicts, a SYNTHETIC register)."""
    nb = nbformat.read(published_site / "researcher" / f"{stem}.ipynb", as_version=4)
    for reader in (True, False):
        ours, theirs = _both(nb, reader)
        assert str(BeautifulSoup(ours, features="html.parser")) == theirs, (stem, reader)
