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
# interactive runs write here; only `python -m analysis report` publishes
reports_dir = "../scratch"
province = "Kepulauan Bangka Belitung"
per = 10_000
province_cycles = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                   [2024, "pemilu", "KASN", "cases"]]

# %%
from IPython.display import Markdown, display

from analysis import paths
from analysis.data import ledger
from analysis.findings import overview, province_status
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.views import province_map

figures = ledger.load_ledger()
elections = ledger.load_elections()
headcount = ledger.load_headcount()
regions = ledger.read_raw(paths.REGIONS)
table = overview.province_overview(figures, headcount, regions, elections, province_cycles, per)
_ = save_table(table, "07_province_overview", reports_dir)
table = province_status.with_status(table)
counts = province_status.status_counts(table)
display(Markdown(province_map.counts_text(counts)))

# %% [markdown]
# ## 1. Peta ubin / <span lang="en">Tile map</span>
#
# Satu ubin per provinsi, kira-kira menurut letaknya (barat ke timur: Sumatra, Jawa dan Nusa
# Tenggara, Kalimantan, Sulawesi, Maluku, Papua); warnanya menunjukkan penilaian atau
# ketersediaan data. / <span lang="en">One tile per province, roughly where it lies (west to
# east: Sumatra, Java and Nusa Tenggara, Kalimantan, Sulawesi, Maluku, Papua); the colour shows
# the verdict or what data exist.</span>

# %%
latest = province_status.latest_list_date(table)
save_figures(lambda lang: province_map.draw_tiles(table, counts, latest, province, lang),
             "07_tile_map", reports_dir)

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
province_map.provinces_table(table, per)

# %% tags=["researcher_only"]
show_table(table)
