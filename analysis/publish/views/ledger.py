"""Report 01 for readers: the tables and figures of what the evidence ledger holds, where it is
thin and where it disagrees."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import plots
from ..formatting import fmt_date, fmt_int, fmt_pct
from ..plots import finish
from ..reader_tables import Col, reader_table, word


def by_agency_table(by_agency: pd.DataFrame):
    """Figures per election (rows) and agency (columns), with the total."""
    return reader_table(by_agency,
                        [Col("election", "Pemilihan", "Election")]
                        + [Col(c, "jumlah" if c == "total" else c, "total" if c == "total" else c,
                               "int") for c in by_agency.columns if c != "election"],
                        "Jumlah angka per pemilihan dan lembaga", "Figures per election and agency")


def by_unit_table(by_unit: pd.DataFrame):
    """Figures per unit (rows) and election (columns)."""
    return reader_table(by_unit,
                        [Col("unit", "Satuan", "Unit", "word")]
                        + [Col(c, c, c.replace("Tahun / year", "Year"), "int")
                           for c in by_unit.columns if c != "unit"],
                        "Jumlah angka per satuan dan pemilihan", "Figures per unit and election")


def _panel_title(scopes, lang: str) -> str:
    return plots.pick(lang, "nasional", "national") if scopes == ("national",) else \
        plots.pick(lang, "provinsi & kabupaten/kota", "province & regency")


def draw_coverage(matrices: list, scopes: tuple, gaps: dict, facts: dict, last_published: str,
                  lang: str):
    """Heat maps of the number of figures per stage and election, one per scope group; the
    title names the busiest election and those with no national count of executed sanctions."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    stages, columns = list(matrices[0].index), list(matrices[0].columns)
    fig, axes = plt.subplots(len(matrices), 1, figsize=(plots.WIDTH_IN, 8.2), sharex=True)
    vmax = np.log1p(max(m.to_numpy().max() for m in matrices))
    for ax, matrix, scope in zip(axes, matrices, scopes):
        values = matrix.to_numpy()
        ax.imshow(np.where(values > 0, np.log1p(values), np.nan), cmap="Blues", aspect="auto",
                  vmin=0, vmax=vmax)
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, str(v) if v else "–", ha="center", va="center",
                    fontsize=plots.MIN_FONT_PT,
                    color="white" if np.log1p(v) > 0.55 * vmax else "black")
        ax.set_xticks(range(len(columns)), [c.replace("Tahun / year", t("Tahun", "Year"))
                                            .replace("Pilkada ulang", t("Ulang", "Rerun"))
                                            for c in columns], rotation=90)
        ax.set_yticks(range(len(stages)), [word(s, lang) for s in stages])
        ax.set_title(_panel_title(scope, lang), loc="left")
        ax.spines[:].set_visible(False)
    missing = ", ".join(gaps["no_executed"]) or t("tidak ada", "none")
    title = t(f"{gaps['busiest']} memiliki angka terbanyak; tanpa angka nasional sanksi "
              f"dijalankan untuk {missing}",
              f"{gaps['busiest']} has the most published figures; no national count of executed "
              f"sanctions for {missing}")
    finish(fig, title, t(f"buku besar bukti, {fmt_int(facts['n_figures'])} angka terbit hingga "
                         f"{fmt_date(last_published)}; jumlah angka per sel",
                         f"evidence ledger, {fmt_int(facts['n_figures'], 'en')} figures published "
                         f"up to {fmt_date(last_published, 'en')}; number of figures per cell"),
           lang=lang)
    alt = t("Dua peta panas jumlah angka yang dipublikasikan per tahap penegakan (baris) dan "
            f"pemilihan (kolom), nasional dan daerah. {title}.",
            "Two heat maps of the number of published figures per enforcement stage (rows) and "
            f"election (columns), national and sub-national. {title}.")
    return fig, alt


def conflicts_table(table: pd.DataFrame, csv: str | None = None):
    """The conflicting groups for readers (the first rows of
    :func:`analysis.findings.evidence.conflict_table`), values separated by a middle dot;
    ``csv``: the saved table it is taken from (all groups)."""
    shown = table.assign(values=table["values"].str.replace("|", " · ", regex=False),
                         as_of=table["as_of"].where(table["as_of"] != "–", None))
    return reader_table(
        shown,
        [Col("election", "Pemilihan", "Election"), Col("region", "Wilayah", "Region"),
         Col("agency", "Lembaga", "Agency"), Col("metric", "Tahap", "Stage", "word"),
         Col("category", "Kategori", "Category"), Col("unit", "Satuan", "Unit", "word"),
         Col("as_of", "Tanggal data", "As of", "date"),
         Col("published", "Terbit", "Published"), Col("values", "Nilai", "Values"),
         Col("relative_spread", "Selisih relatif", "Relative spread", "pct", 0)],
        "Angka yang bertentangan, selisih relatif terbesar lebih dulu",
        "Conflicting figures, largest relative spread first", csv=csv)


def draw_conflicts(totals: pd.DataFrame, last_published: str, lang: str):
    """For each total published with two or more values for one as-of date, a dot per value
    joined by a line (log scale); the title gives how many and the widest spread."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    widest = pd.to_numeric(totals["relative_spread"]).max()
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 0.62 * len(totals) + 1.4))
    labels = [f"{r.election} · {r.region} · {r.agency}\n{word(r.metric, lang)} "
              f"({word(r.unit, lang)}) · {fmt_date(r.as_of_date, lang)}"
              for r in totals.itertuples()]
    for i, r in enumerate(totals.itertuples()):
        values = [float(v) for v in r.values.split("|")]
        ax.plot([min(values), max(values)], [i, i], color=plots.NEUTRAL, lw=2, zorder=1)
        ax.scatter(values, [i] * len(values), color=plots.BLUE, zorder=2, s=30)
    ax.set_yticks(range(len(totals)), labels, fontsize=plots.MIN_FONT_PT)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    ax.set_xlabel(t("nilai yang dipublikasikan\n(skala log)", "published value\n(log scale)"))
    title = t(f"{fmt_int(len(totals))} total dipublikasikan dengan dua nilai atau lebih untuk "
              f"tanggal data yang sama, selisih hingga {fmt_pct(widest, 'id', 0)}",
              f"{fmt_int(len(totals), 'en')} totals were published with two or more values for "
              f"the same as-of date, up to {fmt_pct(widest, 'en', 0)} apart")
    finish(fig, title, t(f"buku besar bukti; total dengan dua nilai atau lebih untuk tanggal data "
                         f"yang sama, terbit hingga {fmt_date(last_published)}",
                         "evidence ledger; totals with two or more values for the same as-of "
                         f"date, published up to {fmt_date(last_published, 'en')}"), lang=lang)
    alt = t("Grafik titik: untuk setiap total dengan nilai bertentangan pada satu tanggal data, "
            f"satu titik per nilai dihubungkan garis. {title}.",
            "Dot plot: for each total with conflicting published values for one as-of date, a "
            f"dot per distinct value joined by a line. {title}.")
    return fig, alt
