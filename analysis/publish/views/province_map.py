"""Report 07 for readers: every province's status as a tile map, the sentence that counts them,
and the table of every province with its latest figures, dates and verdict."""
from __future__ import annotations

import pandas as pd

from .. import plots, tile_map
from ..formatting import fmt_date, fmt_int
from ..reader_tables import Col, en, reader_table

STYLE = {  # tile colour, tile text colour, legend (id, en)
    "supported": ("#A34400", "white", ("berbeda: didukung", "differs: supported")),
    "suggestive": ("#E8A33D", plots.INK, ("berbeda: indikatif", "differs: suggestive")),
    "listed": ("#7FB2D5", plots.INK, ("dalam daftar, belum dapat disimpulkan",
                                      "listed, cannot tell")),
    "figures": ("#D4E4F0", plots.INK, ("ada angka, tidak dalam daftar provinsi",
                                       "figures, in no province list")),
    "none": ("#F2F2F2", plots.INK, ("belum ada angka", "no figures yet")),
}
VERDICT = {"supported": "didukung / supported", "suggestive": "indikatif / suggestive",
           "cannot tell": "belum dapat disimpulkan / cannot tell"}
DATE_BASIS = {"as_of": "tanggal data / as of", "published": "tanggal terbit / published"}


def _differ(n: int) -> str:
    return "differs" if n == 1 else "differ"


def counts_text(n: dict) -> str:
    """How many provinces are listed, differ (supported, suggestive) or have no figure
    (Markdown, both languages; ``n`` from
    :func:`analysis.findings.province_status.status_counts`)."""
    return (f"Dari {fmt_int(n['total'])} provinsi, {fmt_int(n['listed_any'])} tercantum dalam "
            f"setidaknya satu daftar provinsi yang dipublikasikan; {fmt_int(n['supported'])} "
            f"berbeda dari provinsi lain dengan penilaian *didukung* dan "
            f"{fmt_int(n['suggestive'])} *indikatif*; {fmt_int(n['none'])} provinsi belum "
            "memiliki satu pun angka yang dipublikasikan. / " + en(
                f"Of {fmt_int(n['total'], 'en')} provinces, {fmt_int(n['listed_any'], 'en')} "
                f"appear in at least one published province list; "
                f"{fmt_int(n['supported'], 'en')} {_differ(n['supported'])} from the rest of the "
                f"country with a *supported* verdict and {fmt_int(n['suggestive'], 'en')} a "
                f"*suggestive* one; {fmt_int(n['none'], 'en')} provinces have no published "
                "figure yet."))


def draw_tiles(table: pd.DataFrame, n: dict, latest: str, province: str, lang: str):
    """The 38 provinces as tiles coloured by status, the chosen ``province`` outlined; the
    title says no more than the verdicts (a difference only where it is supported)."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    statuses = dict(zip(table["region"], table["status"]))
    colours = {k: v[0] for k, v in STYLE.items()}
    labels = {k: v[2][0 if lang == "id" else 1] for k, v in STYLE.items()}
    fig, ax = tile_map.plot_tile_map(statuses, colours, labels,
                                     highlight=province if province in statuses else None,
                                     text_colours={k: v[1] for k, v in STYLE.items()})
    title = t(f"{fmt_int(n['listed_any'])} dari {fmt_int(n['total'])} provinsi tercantum dalam "
              f"daftar provinsi yang dipublikasikan; {fmt_int(n['supported'])} berbeda dari "
              f"provinsi lain (didukung), {fmt_int(n['suggestive'])} indikatif",
              f"{fmt_int(n['listed_any'], 'en')} of {fmt_int(n['total'], 'en')} provinces appear "
              f"in a published province list; {fmt_int(n['supported'], 'en')} "
              f"{_differ(n['supported'])} from the rest of the country (supported), "
              f"{fmt_int(n['suggestive'], 'en')} suggestive")
    source = t(f"buku besar bukti; daftar provinsi Bawaslu dan KASN, paling akhir "
               f"{fmt_date(latest)}; PNS per provinsi (BPS); garis tebal: "
               f"{tile_map.short_name(province)}",
               f"evidence ledger; Bawaslu and KASN province lists, {fmt_date(latest, 'en')} at "
               f"the latest; PNS by province (BPS); thick outline: "
               f"{tile_map.short_name(province)}")
    plots.finish(fig, title, source, lang=lang,
                 legend=tile_map.legend_handles(colours, labels, list(STYLE)))
    alt = t("Peta ubin 38 provinsi Indonesia, diwarnai menurut penilaian perbandingan dengan "
            f"provinsi lain atau ketersediaan data. {title}.",
            "Tile map of Indonesia's 38 provinces, coloured by the verdict of the comparison with "
            f"the rest of the country or by what data exist. {title}.")
    return fig, alt


def provinces_table(table: pd.DataFrame, per: int):
    """Every province: published figures, latest election and count, its rate per ``per`` PNS,
    date, kind of date, days from the vote and the verdict."""
    shown = table.assign(verdict_text=table["verdict"].map(VERDICT),
                         basis=table["date_basis"].map(DATE_BASIS))
    return reader_table(
        shown,
        [Col("region", "Provinsi", "Province"),
         Col("n_figures", "Angka dipublikasikan", "Published figures", "int"),
         Col("latest_election", "Pemilihan terbaru", "Latest election"),
         Col("latest_count", "Kasus", "Cases", "int"),
         Col("latest_rate", f"Per {fmt_int(per)} PNS", f"Per {fmt_int(per, 'en')} PNS", "num", 2),
         Col("latest_date", "Tanggal", "Date", "date"),
         Col("basis", "Jenis tanggal", "Date kind", "pair"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("verdict_text", "Penilaian", "Verdict", "pair")],
        "Setiap provinsi: angka terbaru, tanggalnya dan penilaiannya",
        "Every province: latest figures, their dates and the verdict")
