# %% [markdown]
# # 07 · Ringkasan provinsi / <span lang="en">Province overview</span>
#
# "Bagaimana dengan provinsi saya?" Untuk setiap provinsi: berapa angka yang dipublikasikan
# tentangnya, hitungan terbarunya dalam daftar provinsi yang dipublikasikan, tanggal hitungan itu
# dan jaraknya dari hari pemungutan suara, serta penilaian perbandingannya dengan provinsi lain.
# / <span lang="en">"And my province?" For every province: how many published figures name it,
# its latest count in a published province list, the date that count held and how far it was
# from voting day, and the verdict of its comparison with the rest of the country.</span>

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
province = "Kepulauan Bangka Belitung"
per = 10_000
province_cycles = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                   [2024, "pemilu", "KASN", "cases"]]

# %%
from IPython.display import Markdown, display

from analysis import paths
from analysis.data import ledger
from analysis.findings import overview
from analysis.publish import plots, tile_map
from analysis.publish.formatting import fmt_date, fmt_int
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.reader_tables import Col, en, reader_table

figures = ledger.load_ledger()
elections = ledger.load_elections()
headcount = ledger.load_headcount()
regions = ledger.read_raw(paths.REGIONS)
table = overview.province_overview(figures, headcount, regions, elections, province_cycles, per)
_ = save_table(table, "07_province_overview", reports_dir)

# %%
CATEGORIES = {  # tile colour, tile text colour, legend (id, en)
    "supported": ("#A34400", "white", ("berbeda: didukung", "differs: supported")),
    "suggestive": ("#E8A33D", plots.INK, ("berbeda: indikatif", "differs: suggestive")),
    "listed": ("#7FB2D5", plots.INK, ("dalam daftar, belum dapat disimpulkan",
                                      "listed, cannot tell")),
    "figures": ("#D4E4F0", plots.INK, ("ada angka, tidak dalam daftar provinsi",
                                       "figures, in no province list")),
    "none": ("#F2F2F2", plots.INK, ("belum ada angka", "no figures yet")),
}


def category(row) -> str:
    if row["verdict"] in ("supported", "suggestive"):
        return row["verdict"]
    if row["n_releases_listed"] > 0:
        return "listed"
    return "figures" if row["n_figures"] > 0 else "none"


table["category"] = table.apply(category, axis=1)
counts = table["category"].value_counts()
n = {k: int(counts.get(k, 0)) for k in CATEGORIES}
listed = n["supported"] + n["suggestive"] + n["listed"]
display(Markdown(
    f"Dari {fmt_int(len(table))} provinsi, {fmt_int(listed)} tercantum dalam setidaknya satu "
    f"daftar provinsi yang dipublikasikan; {fmt_int(n['supported'])} berbeda dari provinsi lain "
    f"dengan penilaian *didukung* dan {fmt_int(n['suggestive'])} *indikatif*; "
    f"{fmt_int(n['none'])} provinsi belum memiliki satu pun angka yang dipublikasikan. / "
    + en(f"Of {fmt_int(len(table), 'en')} provinces, {fmt_int(listed, 'en')} appear in at least "
         f"one published province list; {fmt_int(n['supported'], 'en')} "
         f"{'differs' if n['supported'] == 1 else 'differ'} from the rest of "
         f"the country with a *supported* verdict and {fmt_int(n['suggestive'], 'en')} a "
         f"*suggestive* one; {fmt_int(n['none'], 'en')} provinces have no published figure "
         "yet.")))

# %% [markdown]
# ## 1. Peta ubin / <span lang="en">Tile map</span>
#
# Satu ubin per provinsi, kira-kira menurut letaknya (barat ke timur: Sumatra, Jawa dan Nusa
# Tenggara, Kalimantan, Sulawesi, Maluku, Papua); warnanya menunjukkan penilaian atau
# ketersediaan data. / <span lang="en">One tile per province, roughly where it lies (west to
# east: Sumatra, Java and Nusa Tenggara, Kalimantan, Sulawesi, Maluku, Papua); the colour shows
# the verdict or what data exist.</span>

# %%
latest_date = max(d for d in table["latest_date"].dropna().astype(str) if d)


def draw_tiles(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    cats = dict(zip(table["region"], table["category"]))
    colours = {k: v[0] for k, v in CATEGORIES.items()}
    labels = {k: v[2][0 if lang == "id" else 1] for k, v in CATEGORIES.items()}
    fig, ax = tile_map.plot_tile_map(cats, colours, labels,
                                     highlight=province if province in cats else None,
                                     text_colours={k: v[1] for k, v in CATEGORIES.items()})
    # the title says no more than the verdicts: a difference only where it is supported
    title = t(f"{fmt_int(listed)} dari {fmt_int(len(table))} provinsi tercantum dalam daftar "
              f"provinsi yang dipublikasikan; {fmt_int(n['supported'])} berbeda dari provinsi "
              f"lain (didukung), {fmt_int(n['suggestive'])} indikatif",
              f"{fmt_int(listed, 'en')} of {fmt_int(len(table), 'en')} provinces appear in a "
              f"published province list; {fmt_int(n['supported'], 'en')} "
              f"{'differs' if n['supported'] == 1 else 'differ'} from the rest of the country "
              f"(supported), {fmt_int(n['suggestive'], 'en')} suggestive")
    source = t(f"buku besar bukti; daftar provinsi Bawaslu dan KASN, paling akhir "
               f"{fmt_date(latest_date)}; PNS per provinsi (BPS); garis tebal: "
               f"{tile_map.short_name(province)}",
               f"evidence ledger; Bawaslu and KASN province lists, "
               f"{fmt_date(latest_date, 'en')} at the latest; PNS by province (BPS); thick "
               f"outline: {tile_map.short_name(province)}")
    plots.finish(fig, title, source, lang=lang,
                 legend=tile_map.legend_handles(colours, labels, list(CATEGORIES)))
    alt = t("Peta ubin 38 provinsi Indonesia, diwarnai menurut penilaian perbandingan dengan "
            f"provinsi lain atau ketersediaan data. {title}.",
            "Tile map of Indonesia's 38 provinces, coloured by the verdict of the comparison with "
            f"the rest of the country or by what data exist. {title}.")
    return fig, alt


save_figures(draw_tiles, "07_tile_map", reports_dir)

# %% [markdown]
# ## 2. Setiap provinsi / <span lang="en">Every province</span>
#
# Hitungan terbaru adalah potret pada tanggalnya, bukan total siklus; tanggal negatif berarti
# sebelum hari pemungutan suara. Provinsi yang tidak tercantum dalam daftar tidak berarti nol
# pelanggaran. / <span lang="en">The latest count is a snapshot at its date, not a cycle total;
# negative days mean before voting day. A province missing from the lists does not mean zero
# violations.</span>
#
# Penilaian: *didukung* bila provinsi ditandai setelah kendali FDR atas semua provinsi di setiap
# daftar yang memuatnya; *indikatif* bila interval rasio dengan overdispersi tidak memuat 1
# tetapi tidak ditandai; selain itu *belum dapat disimpulkan*. Alasan lengkap per provinsi ada di
# tabel CSV dan edisi peneliti. / <span lang="en">Verdict: *supported* when the province is
# flagged after FDR control over all provinces in every list that names it; *suggestive* when the
# overdispersion-aware ratio interval excludes 1 but it is not flagged; otherwise *cannot tell*.
# The full reason for each province is in the CSV table and the researcher edition.</span>

# %%
VERDICT = {"supported": "didukung / supported", "suggestive": "indikatif / suggestive",
           "cannot tell": "belum dapat disimpulkan / cannot tell"}
DATE_BASIS = {"as_of": "tanggal data / as of", "published": "tanggal terbit / published"}
shown = table.assign(
    verdict_text=table["verdict"].map(VERDICT),
    reason=[f"{i} / {e}" for i, e in zip(table["verdict_id"], table["verdict_en"])],
    basis=table["date_basis"].map(DATE_BASIS))
reader_table(
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

# %% tags=["researcher_only"]
show_table(table)
