"""The pieces of the explorable site, without a build: tables that carry their raw values and
their CSV, ledger ids linked to the ledger page, links that follow the researcher edition into
its folder, charts whose points carry their values (and nothing else), and the ledger page with
hostile text escaped and formula cells neutralised."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import paths
from analysis.publish import explore, hover_svg, outputs, plots, site_links
from analysis.publish.quantities import mark, marked
from analysis.publish.reader_tables import Col, clean_fragment, table_html
from testpaths import ROOT


def test_table_cells_carry_raw_values_for_sorting_and_the_table_links_its_csv():
    df = pd.DataFrame({"name": ["<b>Babel</b>", "Aceh"], "n": [1116, -3.5],
                       "day": ["2020-12-09", ""]})
    page = table_html(df, [Col("name", "Nama", "Name"), Col("n", "Jumlah", "Count", "num"),
                           Col("day", "Tanggal", "Date", "date")], "Judul", "Title",
                      csv="02_x", row_ids="name")
    assert '<th scope="col" data-sort-method="number">Jumlah' in page
    assert '<td class="num" data-sort="1116.0">1.116,0</td>' in page
    assert '<td class="num" data-sort="-3.5">\u22123,5</td>' in page
    assert '<td data-sort="2020-12-09">9 Desember 2020</td>' in page
    assert '<tr id="&lt;b&gt;Babel&lt;/b&gt;">' in page and "<b>" not in page
    assert '<a href="tables/02_x.csv">' in page


def test_reader_table_links_the_table_saved_just_before_it_when_the_rows_match(tmp_path):
    from analysis.publish.reader_tables import reader_table

    df = pd.DataFrame({"a": [1, 2, 3]})
    outputs.save_table(df, "01_saved", tmp_path)
    cols = [Col("a", "A", "A", "int")]
    assert 'href="tables/01_saved.csv"' in reader_table(df, cols, "x", "y").data
    assert "tables/" not in reader_table(df.head(2), cols, "x", "y").data
    assert 'href="tables/01_other.csv"' in reader_table(df.head(2), cols, "x", "y",
                                                        csv="01_other").data


IDS = frozenset({"nf-0542", "bb-0007"})


def test_ledger_ids_in_text_link_to_their_ledger_row_once():
    text = ('<p>nf-0542 and bb-0007, not nf-05421 or xx-0001; '
            '<a href="https://x.org">nf-0542</a></p><td>bb-0007</td>')
    linked = site_links.link_ledger_ids(text, IDS)
    assert linked.count('href="ledger.html#nf-0542"') == 1
    assert linked.count('href="ledger.html#bb-0007"') == 2
    assert "nf-05421" in linked and "ledger.html#nf-05421" not in linked
    assert "ledger.html#xx-0001" not in linked
    assert site_links.link_ledger_ids(text, IDS, "../").count('href="../ledger.html#') == 3


def test_links_into_the_reports_folder_follow_the_researcher_edition():
    fragment = ('<a href="tables/02_x.csv">t</a> <a href="ledger.html#nf-0542">l</a> '
                '<a href="https://e.org/tables/x">e</a> <a href="03_rates.html">r</a>')
    moved = site_links.from_subfolder(fragment, "../")
    assert 'href="../tables/02_x.csv"' in moved and 'href="../ledger.html#nf-0542"' in moved
    assert 'href="https://e.org/tables/x"' in moved and 'href="03_rates.html"' in moved
    assert site_links.from_subfolder(fragment, "") == fragment


def test_the_sanitiser_keeps_marked_quantities_and_sort_values_but_not_handlers():
    html = (f'<p>{mark("equal_lag.share_2024", 0.0164, "1,6%", ["nf-0542"])}</p>'
            '<table><tr><th data-sort-method="number" onclick="x()">a</th>'
            '<td data-sort="1.5" data-evil="1">b</td></tr></table>')
    clean = clean_fragment(html)
    assert marked(clean) == [("equal_lag.share_2024", 0.0164, "1,6%")]
    assert 'data-sort-method="number"' in clean and 'data-sort="1.5"' in clean
    assert "onclick" not in clean and "data-evil" not in clean


def _hover_figure(texts):
    fig, ax = plt.subplots()
    plots.hover(ax.scatter([1, 2], [3, 4]), texts[:2])
    plots.hover(ax.errorbar([1], [2], yerr=[0.1], fmt="o")[0], texts[2:])
    return fig


def test_each_marked_point_gets_its_title_in_the_svg_escaped(tmp_path):
    saved = outputs.save_figure(_hover_figure(["Babel: 0,57 <b>&", "Aceh", "2024: 1,6%"]),
                                "01_hover", tmp_path, alt_text="alt")
    svg = saved.svg.read_text(encoding="utf-8")
    assert saved.hover and svg.count('<g class="point" role="img"><title>') == 3
    assert "Babel: 0,57 &lt;b&gt;&amp;" in svg
    bundle, meta = saved._repr_mimebundle_()
    assert "image/svg+xml" in bundle and "image/png" in bundle
    assert meta["image/svg+xml"]["stem"] == "01_hover"


def test_a_figure_without_hover_values_stays_a_png(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2], "o")
    saved = outputs.save_figure(fig, "01_plain", tmp_path, alt_text="alt")
    assert not saved.hover and "image/svg+xml" not in saved._repr_mimebundle_()[0]


@pytest.mark.parametrize("hostile", [
    ('<g ', '<g onload="alert(1)" '),
    ('xlink:href="#', 'xlink:href="http://evil.example/#'),
    ("<defs>", "<defs><script>alert(1)</script>"),
    ("<defs>", '<defs><image href="http://evil.example/x.png"/>'),
    ('style="', 'style="background: url(http://evil.example/x) '),
])
def test_an_svg_with_anything_but_matplotlibs_drawing_is_not_inlined(tmp_path, hostile):
    saved = outputs.save_figure(_hover_figure(["a", "b", "c"]), "01_h", tmp_path, alt_text="x")
    svg = saved.svg.read_text(encoding="utf-8")
    assert hover_svg.inline_svg(svg, "alt", "01_h") is not None
    assert hover_svg.inline_svg(svg.replace(*hostile, 1), "alt", "01_h") is None


def test_inlined_charts_have_their_own_ids_and_are_labelled(tmp_path):
    saved = outputs.save_figure(_hover_figure(["a", "b", "c"]), "01_h", tmp_path, alt_text="x")
    svg = saved.svg.read_text(encoding="utf-8")
    one, two = (hover_svg.inline_svg(svg, 'Alt "quoted"', p) for p in ("01_h", "01_h_en"))
    ids = lambda s: set(pd.Series(s.split('id="')[1:]).str.split('"').str[0])  # noqa: E731
    assert not ids(one) & ids(two)
    assert 'aria-label="Alt &quot;quoted&quot;"' in one and 'role="group"' in one
    assert "<metadata" not in one and 'href="#01_h-' in one
    assert "<style" not in one  # a <style> in a page would style the whole page


HOSTILE_LEDGER = """id,cycle,election_type,scope,region,agency,agency_detail,metric,breakdown,category,value,value_qualifier,unit,as_of_date,as_of_precision,published_date,published_precision,source_url,source_title,source_quality,note,source_file,source_row,source_kind,source_register
nf-0001,2020,pilkada,national,Indonesia,KASN,KASN,reported,,,1116,exact,ASN,2020-12-09,day,2020-12-10,day,https://example.org/a,"<script>alert(1)</script>",primary,"=HYPERLINK(""http://evil.example"")",x.csv,1,url,
nf-0002,2024,pilkada,province,Kepulauan Bangka Belitung,Bawaslu,Bawaslu,reported,,,0.5,approximate,cases,,,2024-12-01,day,javascript:alert(1),Title,secondary,note,x.csv,2,url,
"""  # noqa: E501 - the rows as the CSV file holds them


def test_the_ledger_page_lists_every_row_with_its_anchor_and_source_safely(tmp_path):
    ledger_csv = tmp_path / "project" / "data" / "raw" / "published_figures.csv"
    ledger_csv.parent.mkdir(parents=True)
    ledger_csv.write_text(HOSTILE_LEDGER, encoding="utf-8")
    with paths.scoped(root=tmp_path / "project"):
        written = explore.write_site_files(tmp_path / "site", say=lambda _: None)
    page = (tmp_path / "site" / "ledger.html").read_text(encoding="utf-8")
    assert {"ledger.html", "tables/published_figures.csv", "assets/tables.js"} <= set(written)
    assert page.count('<tr id="nf-') == 2 and '<tr id="nf-0002">' in page
    assert '<a href="https://example.org/a">&lt;script&gt;alert(1)&lt;/script&gt;</a>' in page
    assert "javascript:" not in page and "<script>alert" not in page
    assert "1.116" in page and "0,5" in page and 'lang="id"' in page
    assert page.index("Buku besar bukti") < page.index("Evidence ledger")
    assert 'class="site-footer"' in page
    csv = pd.read_csv(tmp_path / "site" / "tables" / "published_figures.csv", dtype=str)
    assert csv.loc[0, "note"].startswith("'=")


def test_tablesort_comes_from_npm_and_is_copied_with_its_licence(tmp_path):
    if not explore.tablesort_available():
        pytest.skip("node_modules/tablesort missing: run `npm ci`")
    explore.write_site_files(tmp_path, say=lambda _: None)
    assert (tmp_path / "assets" / "tablesort.min.js").read_bytes() == \
        (ROOT / "node_modules" / "tablesort" / "dist" / "tablesort.min.js").read_bytes()
    assert "MIT" in (tmp_path / "assets" / "tablesort.LICENCE.txt").read_text(encoding="utf-8") \
        or "Permission" in (tmp_path / "assets" / "tablesort.LICENCE.txt").read_text()
    assert explore.page_assets()["js"] == ["assets/lang.js", "assets/tablesort.min.js",
                                           "assets/tables.js", "assets/charts.js"]
