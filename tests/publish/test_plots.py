"""Figure checks (overlapping text, phone legibility, marker contrast), the funnel plot and the
tile map, and the reader tables' formatting and sanitising."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.data import ledger
from analysis.findings import provinces
from analysis.publish import funnel_chart, plots, tile_map
from analysis.publish.reader_tables import Col, clean_fragment, reader_table, report_pages


def test_text_overlaps_reports_two_texts_on_top_of_each_other():
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3))
    ax.text(0.5, 0.5, "first label", transform=ax.transAxes)
    ax.text(0.52, 0.5, "second label", transform=ax.transAxes)
    pairs = plots.text_overlaps(fig)
    assert ("annotation: 'first label'", "annotation: 'second label'") in pairs
    plt.close(fig)


def test_text_overlaps_reports_a_label_on_a_data_point_and_text_off_the_figure():
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3))
    ax.scatter([1, 2, 3], [1, 2, 3])
    ax.text(2, 2, "on the point", ha="center", va="center")
    fig.text(0.9, 0.5, "a long text that runs off the right edge of the figure")
    pairs = plots.text_overlaps(fig)
    assert ("annotation: 'on the point'", "data") in pairs
    assert any(b == "figure edge" for _, b in pairs)
    plt.close(fig)


def test_a_finished_figure_with_title_legend_and_source_is_clean():
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3))
    ax.plot([0, 1, 2], [3, 1, 2], "o-", color=plots.BLUE, label="a series")
    ax.set_ylabel("y-axis label, units")
    plots.finish(fig, "A title that states the finding and is long enough to wrap onto a "
                 "second line", "a source line, with its date", lang="en",
                 legend=ax.get_legend_handles_labels())
    assert plots.text_overlaps(fig) == []
    assert plots.phone_text_px(fig) >= plots.MIN_PHONE_TEXT_PX
    plt.close(fig)


def _finished_figure():
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3))
    ax.plot([0, 1, 2], [3, 1, 2], "o-", color=plots.BLUE, label="a series")
    plots.finish(fig, "A finding as the title", "agency, as of 2024-01-31", lang="en",
                 legend=ax.get_legend_handles_labels())
    return fig


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_laid_out_figure_is_drawn_once_per_save_and_saves_the_same_bytes(monkeypatch, fmt):
    """finish() lays the figure out with tight_layout, which leaves an inert placeholder as the
    layout engine: matplotlib then drew each figure twice per savefig. laid_out() drops it."""
    import io

    draws = []
    original = matplotlib.figure.Figure.draw
    monkeypatch.setattr(matplotlib.figure.Figure, "draw",
                        lambda self, renderer: draws.append(1) or original(self, renderer))
    saved = {}
    for name, prepare in (("as finished", lambda f: f), ("laid out", plots.laid_out)):
        fig = prepare(_finished_figure())
        draws.clear()
        buffer = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "fixed"}):
            fig.savefig(buffer, format=fmt, metadata={"Software": None} if fmt == "png"
                        else {"Date": None, "Creator": None})
        saved[name] = (buffer.getvalue(), len(draws))
        plt.close(fig)
    assert saved["as finished"][1] == 2 and saved["laid out"][1] == 1
    assert saved["laid out"][0] == saved["as finished"][0]


def test_laid_out_keeps_a_real_layout_engine():
    fig = plt.figure(layout="constrained")
    assert plots.laid_out(fig).get_layout_engine() is not None
    plt.close(fig)


def test_marker_contrast_flags_the_light_okabe_ito_orange_but_not_the_palette():
    assert plots.contrast_ratio("#E69F00") < 3  # the 2.25:1 marker of the review
    assert all(plots.contrast_ratio(c) >= plots.MIN_MARKER_CONTRAST for c in plots.PALETTE)
    fig, ax = plt.subplots()
    ax.plot([1], [1], "o", color="#E69F00")
    assert [m for m in plots.marker_contrasts(fig) if m[2] < 3]
    plt.close(fig)


def test_locale_ticks_use_the_language_separators():
    assert plots.number_axis("id", 1)(1234.5, None) == "1.234,5"
    assert plots.number_axis("en", 1)(1234.5, None) == "1,234.5"
    assert plots.percent_axis("id")(72.8, None) == "72,8%"
    assert plots.number_axis("en", 0)(-5, None) == "\u22125"


@pytest.fixture(scope="module")
def funnel_2020():
    pns, _ = provinces.province_headcount(ledger.load_headcount())
    counts, info = provinces.province_counts(ledger.load_ledger(), 2020, "pilkada", "Bawaslu",
                                             unit="cases")
    return provinces.province_funnel(counts, info, pns, 10_000)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_funnel_plot_labels_outliers_and_the_province_studied_without_overlaps(funnel_2020, lang):
    babel = "Kepulauan Bangka Belitung"
    fig = funnel_chart.plot_funnel(funnel_2020, highlight=babel, lang=lang,
                                   title="Funnel title", source="a source")
    labels = {t.get_text() for t in fig.axes[0].texts}
    named = funnel_2020[funnel_chart.labelled_units(funnel_2020, [babel], "term")]
    assert {tile_map.short_name(r) for r in named["term"]} <= labels
    assert "Babel" in labels
    flagged = funnel_2020.loc[funnel_2020["flag"] != "", "term"]
    assert {tile_map.short_name(r) for r in flagged} <= labels
    assert plots.figure_checks(fig) == {"overlaps": [], "phone_text_px": pytest.approx(
        plots.phone_text_px(fig), abs=0.01), "low_contrast": []}
    assert plots.phone_text_px(fig) >= plots.MIN_PHONE_TEXT_PX
    plt.close(fig)


def test_funnel_source_line_names_the_variance_form_and_says_when_it_is_a_bound(funnel_2020):
    # the 2020 list names 12 provinces: the form is a bound on each single form, not fitted
    assert funnel_2020.attrs["phi_kind"] == "lower bound"
    phi = funnel_2020.attrs["form"].phi
    bound = f"φ\u00a0≥\u00a0{phi:.2f}"  # kept on one line by no-break spaces
    assert bound in funnel_chart.limits_source(funnel_2020, "en")
    assert bound.replace(".", ",") in funnel_chart.limits_source(funnel_2020, "id")
    assert "not checkable on a partial list" in funnel_chart.form_note(funnel_2020)
    pns, _ = provinces.province_headcount(ledger.load_headcount())
    counts, info = provinces.province_counts(ledger.load_ledger(), 2019, "pemilu", "Bawaslu",
                                             unit="cases")
    fitted = provinces.province_funnel(counts, info, pns)  # implied zeros: all 38 provinces
    assert "fitted to all provinces" in funnel_chart.limits_source(fitted, "en")
    assert "AIC Poisson" in funnel_chart.form_note(fitted)
    assert funnel_chart.FORM_NAMES[fitted.attrs["form_preferred"]] in funnel_chart.form_note(fitted)


def test_tile_map_places_all_38_provinces_on_distinct_tiles():
    regions = ledger.read_raw(__import__("analysis.paths", fromlist=["REGIONS"]).REGIONS)
    names = set(regions.loc[regions["level"] == "province", "canonical_name"])
    assert set(tile_map.TILES) == names and len(names) == 38
    assert len(set(tile_map.TILES.values())) == 38
    fig, ax = tile_map.plot_tile_map({n: "a" for n in names}, {"a": "#cccccc"}, {"a": "all"},
                                     highlight="Kepulauan Bangka Belitung")
    plots.finish(fig, "A tile map", "a source", lang="en",
                 legend=tile_map.legend_handles({"a": "#cccccc"}, {"a": "all"}))
    assert len(ax.patches) == 38
    assert plots.text_overlaps(fig) == []
    assert plots.phone_text_px(fig) >= plots.MIN_PHONE_TEXT_PX
    plt.close(fig)


def test_reader_table_formats_for_reading():
    df = pd.DataFrame({"region": ["<b>Bali</b>", "Aceh"], "count": [1362.0, None],
                       "share": [0.728, float("nan")], "as_of": ["2020-12-09", ""],
                       "url": ["https://example.org/a", "javascript:alert(1)"],
                       "metric": ["sanction_executed", "reported"]})
    html = reader_table(df, [Col("region", "Wilayah", "Region"),
                             Col("count", "Jumlah", "Count", "int"),
                             Col("share", "Porsi", "Share", "pct"),
                             Col("as_of", "Tanggal", "Date", "date"),
                             Col("url", "Sumber", "Source", "url"),
                             Col("metric", "Tahap", "Stage", "word")],
                        "Judul", "Title").data
    assert "1.362" in html and "72,8%" in html and "9 Desember 2020" in html
    assert "NaN" not in html and "<NA>" not in html and "e+0" not in html
    assert "&lt;b&gt;Bali&lt;/b&gt;" in html and "javascript:" not in html
    assert '<a href="https://example.org/a">' in html
    assert 'sanksi dijalankan / <span lang="en">sanction executed</span>' in html
    assert 'tabindex="0"' in html and 'role="region"' in html and "<caption>" in html
    assert 'scope="col"' in html


def test_days_from_the_vote_show_the_span_of_a_coarse_date():
    from analysis.publish.formatting import fmt_days

    assert fmt_days(372) == "+372" and fmt_days(-66) == "\u221266" and fmt_days(0) == "0"
    assert fmt_days(10, "id", 10, 10) == "+10"  # a day: no span
    assert fmt_days(138, "id", -44, 321) == "\u2248 +138 (\u221244 \u2026 +321)"
    assert fmt_days(1372, "en", 1200, 1500) == "\u2248 +1,372 (+1,200 \u2026 +1,500)"
    assert fmt_days(float("nan")) == "\u2013"  # the dash for a missing value
    df = pd.DataFrame({"days_since_vote": [372, 138], "days_since_vote_min": [372, -44],
                       "days_since_vote_max": [372, 321]})
    html = reader_table(df, [Col("days_since_vote", "Hari", "Days", "days")], "J", "T").data
    assert ">+372<" in html and "\u2248 +138 (\u221244 \u2026 +321)" in html


def test_clean_fragment_keeps_structure_and_lang_and_drops_scripts():
    dirty = ('<h2 id="x">T</h2><p onclick="x()">a <span lang="en">b</span></p>'
             '<script>alert(1)</script><a href="javascript:alert(1)">j</a><img src=x onerror=y>'
             '<table><thead><tr><th scope="col">h</th></tr></thead></table>')
    clean = clean_fragment(dirty)
    assert '<h2 id="x">' in clean and '<span lang="en">b</span>' in clean
    assert "<script" not in clean and "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "<img" not in clean
    assert '<th scope="col">' in clean


def test_clean_fragment_remembers_a_text_and_cleans_it_the_same_way_again(monkeypatch):
    """The two editions of a report clean the same fragments: the second time comes from the
    cache, with the same result; bytes and str of one text are one entry."""
    import bleach

    from analysis.publish import reader_tables

    calls = []
    real = bleach.clean
    monkeypatch.setattr(bleach, "clean", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    reader_tables._clean.cache_clear()
    dirty = '<p onclick="x()">unique fragment 7f3a</p><script>alert(1)</script>'
    first = clean_fragment(dirty)
    assert clean_fragment(dirty) == first == clean_fragment(dirty.encode())
    assert calls == [dirty]
    assert "onclick" not in first and "<script" not in first
    assert clean_fragment(dirty + " ") != first and len(calls) == 2


def test_navigation_lists_every_numbered_notebook_with_its_titles():
    from analysis import paths

    pages = report_pages(paths.NOTEBOOKS)
    stems = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    assert [p["stem"] for p in pages] == stems
    first = pages[0]
    assert first["number"] == "01" and first["title_id"] and first["title_en"]
    # the heading's lang span is not part of either title (the nav shows them as tooltips)
    assert all("<" not in p["title_id"] + p["title_en"] for p in pages)
    assert first["title_en"] == "Evidence ledger"


def test_every_tile_label_fits_inside_its_tile():
    """No province name spills over its tile (Sumut, Malut, Babel did at the legible size)."""
    import matplotlib.pyplot as plt
    from matplotlib.transforms import Bbox

    from analysis.publish import tile_map

    from analysis.publish import plots

    cats = {region: "a" for region in tile_map.TILES}
    fig, ax = tile_map.plot_tile_map(cats, {"a": "#dddddd"}, {"a": "x"})
    try:  # as notebook 07 publishes it: a two-line title, a legend and a source line
        plots.finish(fig, "Judul " * 16, "sumber " * 12, lang="id",
                     legend=tile_map.legend_handles({"a": "#dddddd"}, {"a": "x"}))
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for text in ax.texts:
            region = text.get_gid().removeprefix("tile:")
            c, r = tile_map.TILES[region]
            tile = Bbox.from_extents(*ax.transData.transform((c, -r)),
                                     *ax.transData.transform((c + 0.96, -r + 0.96)))
            box = text.get_window_extent(renderer)
            assert (box.x0 >= tile.x0 - 0.5 and box.x1 <= tile.x1 + 0.5
                    and box.y0 >= tile.y0 - 0.5 and box.y1 <= tile.y1 + 0.5), \
                (region, text.get_text())
    finally:
        plt.close(fig)
