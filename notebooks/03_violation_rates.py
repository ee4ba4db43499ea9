# %% [markdown]
# # 03 · Tingkat pelanggaran dan perbandingan provinsi / <span lang="en">Violation rates and provinces compared</span>
#
# Apakah pelanggaran per 10.000 PNS menurun antarsiklus, berapa per daerah yang menyelenggarakan
# pemilihan, provinsi mana yang berbeda dari angka nasional lebih dari yang dapat dijelaskan oleh
# kebetulan, dan bagaimana profil pelanggaran berubah. / <span lang="en">Are violations per 10,000
# civil servants falling across cycles, how many per region holding an election, which provinces
# differ from the national rate by more than chance explains, and how the profile of violations
# changes.</span>

# %% tags=["parameters"]
# interactive runs write here; only `python -m analysis report` publishes
reports_dir = "../scratch"
province = "Kepulauan Bangka Belitung"
per = 10_000
province_cycles = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                   [2024, "pemilu", "KASN", "cases"]]

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis.data import ledger
from analysis.findings import headlines, provinces, series
from analysis.publish import report_marks
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.reader_tables import en, verdict_md
from analysis.publish.safe_text import md
from analysis.publish.views import province_funnel
from analysis.publish.views import rates as view

figures = ledger.load_ledger()
elections = ledger.load_elections()
headcount = ledger.load_headcount()
inputs = headlines.Inputs.load()

# %% [markdown]
# ## 1. Pelanggaran per 10.000 PNS / <span lang="en">Violations per 10,000 civil servants</span>
#
# Untuk tiap pemilihan dan seri dipakai satu angka nasional menurut aturan pemilihan tertulis;
# penyebutnya PNS nasional pada tahun pemilihan. Kolom "hari dari pemungutan suara" menunjukkan
# kapan angka itu berlaku: angka pada jeda berbeda tidak sebanding. / <span lang="en">For each
# election and series one national figure is used, chosen by the written rule; the denominator
# is national PNS of the election year. The "days from the vote" column shows when the figure
# held: figures at different lags are not comparable.</span>

# %%
series_names = ["asn_reported", "asn_proven", "bawaslu_cases"]
rates = series.rates_of(figures, elections, headcount, series_names, per)
rates_verdict = headlines.reported_rates(inputs).attrs["verdict"]
display(Markdown(f"{verdict_md(rates_verdict)} "
                 "Satu satuan per seri (ASN, atau kasus untuk Bawaslu); ASN dibagi ASN bila "
                 "jumlahnya ada, selain itu PNS dan ketidakcocokan disebut; tanpa interval karena "
                 "hitungan overdispersi. / " + en(
                     "One unit per series (ASN, or cases for Bawaslu); ASN over ASN where the "
                     "headcount exists, else PNS with the mismatch stated; no intervals, because "
                     "the counts are overdispersed and one figure per election admits no model of "
                     f"it. {md(series.EXPOSURE_NOTE_EN)}.")))
_ = save_table(rates[series.RATE_COLUMNS], "03_rates_per_10k_pns", reports_dir)
view.rates_table(rates, per)

# %% tags=["researcher_only"]
show_table(rates[series.RATE_COLUMNS])

# %%
save_figures(lambda lang: view.draw_rates(rates, series_names, per, rates_verdict, lang),
             "03_rates_per_10k", reports_dir)

# %% [markdown]
# ## 2. Rasio antarsiklus / <span lang="en">Rate ratios between cycles</span>
#
# Rasio tingkat dengan interval eksak bersyarat dan dua uji: uji binomial eksak bersyarat dan
# uji-E (Krishnamoorthy–Thomson). Perbedaan jeda membuat sebagian perbandingan tidak setara;
# kolom jeda disertakan. / <span lang="en">Rate ratios with exact conditional intervals and two
# tests: the exact conditional binomial test and the E-test. Lag differences make some
# comparisons unequal; the lag columns are shown.</span>

# %%
ratios = series.pilkada_ratios(rates)
_ = save_table(ratios, "03_rate_ratios", reports_dir)
if len(ratios):
    display(view.ratios_table(ratios))
display(Markdown("Rasio ditampilkan tanpa interval atau nilai p: hitungannya overdispersi dan "
                 "jedanya berbeda. / " + en("Ratios are shown without intervals or p-values: the "
                                            "counts are overdispersed and the lags differ.")))

# %% tags=["researcher_only"]
show_table(ratios)

# %% [markdown]
# ## 3. Per daerah yang menyelenggarakan pemilihan / <span lang="en">Per region holding an election</span>

# %%
per_region = series.cases_per_region(rates, elections)
_ = save_table(per_region, "03_cases_per_region", reports_dir)
if len(per_region):
    display(view.per_region_table(per_region))

# %% [markdown]
# ## 4. Provinsi dibandingkan secara adil / <span lang="en">Provinces compared fairly</span>
#
# Plot corong (Spiegelhalter 2005): batas kendali Poisson eksak 95% dan 99,8% di sekitar angka
# nasional, disesuaikan untuk overdispersi; provinsi ditandai dengan kendali false discovery rate
# (Benjamini–Hochberg), bukan peringkat. Sumber hanya menyebut sebagian provinsi (teratas dan
# terbawah): provinsi yang tidak disebut tidak diketahui, bukan nol, sehingga daftar yang ada
# condong ke nilai ekstrem. / <span lang="en">Funnel plots: exact Poisson 95% and 99.8% limits
# around the national rate, adjusted for overdispersion; provinces flagged with
# false-discovery-rate control, not by rank. Sources list only some provinces (top and bottom): a
# province not listed is unknown, not zero, so the lists lean towards extremes.</span>
#
# Cara membaca: setiap titik satu provinsi; makin banyak PNS, makin sempit corong yang dapat
# dijelaskan oleh kebetulan. Provinsi di luar garis putus-putus berbeda lebih dari yang dapat
# dijelaskan kebetulan dan keragaman antarprovinsi; provinsi yang dinamai berada di luar batas,
# ditandai setelah kendali FDR, atau provinsi studi kasus. / <span lang="en">How to read it: each
# dot is a province; the more civil servants, the narrower the funnel that chance explains.
# Provinces outside the dashed lines differ by more than chance and the spread between provinces
# explain; the provinces named are outside the limits, flagged after FDR control, or the case
# study province.</span>

# %%
funnels = provinces.release_funnels(figures, headcount, province_cycles, per)
_, pns_year = provinces.province_headcount(headcount)
for label, release in funnels.items():
    table = release["table"]
    stem = f"03_funnel_{release['cycle']}_{release['election_type']}"
    _ = save_table(table.drop(columns=[c for c in table.columns if c.startswith("adj_")]), stem,
                   reports_dir)
    display(save_figures(lambda lang: province_funnel.draw_release(
        label, release, province, pns_year, per, lang), stem, reports_dir))
    display(Markdown(view.funnel_text(label, provinces.flagged(table),
                                      provinces.below_limits(table))))
    if report_marks.funnel_position_sentence(table, province, label):
        display(Markdown(report_marks.funnel_position_sentence(table, province, label)))

# %% tags=["researcher_only"]
display(Markdown("\n\n".join(view.funnel_note(label, r["table"], r["info"])
                              for label, r in funnels.items())))

# %% [markdown]
# ### Daftar provinsi yang bukan hanya ASN / <span lang="en">Province lists that are not ASN only</span>
#
# Sebagian daftar provinsi Bawaslu menghitung semua pelaku yang dilarang berpihak (ASN, TNI,
# Polri, kepala dan perangkat desa) atau semua jenis pelanggaran. Daftar itu ditampilkan apa
# adanya dengan satuannya, tidak pernah dibagi jumlah ASN dan tidak masuk plot corong di atas:
# tidak ada penyebut yang menghitung semua pelaku itu. / <span lang="en">Some Bawaslu province
# lists count every actor barred from taking sides (ASN, soldiers, police, village heads and
# officials) or every kind of violation. They are shown as published with their unit, never
# divided by an ASN headcount and never in the funnel plots above: no denominator counts all
# those actors.</span>

# %%
for release in provinces.non_asn_province_lists(figures):
    stem = f"03_not_asn_only_{release['cycle']}_{release['election_type']}"
    _ = save_table(release["table"], stem, reports_dir)
    display(view.non_asn_table(release))
    display(Markdown(view.non_asn_text(release, province)))

# %% [markdown]
# ## 5. Profil pelanggaran / <span lang="en">Violation profiles</span>
#
# Sumber deteksi (temuan Bawaslu sendiri dibanding laporan masyarakat) dapat diuji karena
# hitungannya dipublikasikan; jenis pelanggaran dan jabatan hanya dipublikasikan sebagai persen
# dari dasar yang tidak selalu disebut, sehingga ditampilkan secara deskriptif. / <span
# lang="en">Detection source (Bawaslu's own findings against public reports) can be tested
# because counts are published; violation types and positions are published as percentages of a
# base that is not always stated, so they are shown descriptively.</span>

# %%
detection = headlines.detection_shift(inputs)
if detection:
    detection_rows = pd.DataFrame(detection["rows"])
    _ = save_table(detection_rows, "03_detection_source", reports_dir)
    display(view.detection_table(detection_rows))
    v = detection["verdict"]
    display(Markdown(
        f"{verdict_md(v)}\n\nTanpa uji khi-kuadrat: kasus "
        "berkelompok dan kedua pemilihan berbeda jenis dan jeda. Temuan bergantung pada upaya "
        "patroli dan pemantauan: pergeseran berarti perubahan deteksi, belum tentu perilaku. / "
        + en("No chi-square test: cases cluster, and the two elections differ in kind and lag. "
             "Findings depend on patrol and monitoring effort: a shift would be a change in "
             "detection, not necessarily in behaviour.")))

# %% tags=["researcher_only"]
if detection:
    show_table(detection_rows)

# %%
profile = series.latest_profiles(figures)
_ = save_table(profile.reset_index(), "03_profiles_descriptive", reports_dir)
display(Markdown("Persen terbaru yang dipublikasikan per kategori (deskriptif; dasar dan "
                 "tanggal berbeda antarsumber). / " + en(
                     "Latest published percentage per category (descriptive; bases and dates "
                     "differ between sources).")))
view.profiles_table(profile)

# %% tags=["researcher_only"]
show_table(profile.reset_index())
