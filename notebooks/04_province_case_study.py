# %% [markdown]
# # 04 · Studi kasus provinsi / <span lang="en">Province case study</span>
#
# Kalender pemilihan dan petahana per kabupaten/kota, setiap angka provinsi dengan sumbernya,
# tingkat pelanggaran dibandingkan angka nasional, posisi pada plot corong, batas yang tidak dapat
# dijelaskan oleh angka kecil, dan data yang perlu dikumpulkan provinsi berikutnya. Provinsi
# dipilih dengan parameter `province` (bawaan: Kepulauan Bangka Belitung). / <span
# lang="en">Election calendar and incumbents per regency, every provincial figure with its
# source, rates against the national rate, the place in the funnel plot, what sparse counts
# cannot tell, and which data the province should collect next. The province is the `province`
# parameter (default: Kepulauan Bangka Belitung).</span>

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
from analysis.findings import casestudy, evidence, incumbency, verdicts
from analysis.publish.formatting import fmt_int
from analysis.publish import report_marks
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.reader_tables import en, verdict_md
from analysis.publish.safe_text import md
from analysis.publish.views import case_study as view
from analysis.publish.views import incumbency as incumbency_view
from analysis.publish.views import province_funnel

figures = ledger.load_ledger()
elections = ledger.load_elections()
headcount = ledger.load_headcount()
regions = ledger.read_raw(paths.REGIONS)
names = casestudy.province_regions(regions, province)
display(Markdown(f"## {md(province)}\n\n{fmt_int(len(names) - 1)} kabupaten/kota dalam "
                 f"`regions.csv` / " + en("regencies and cities in `regions.csv`") +
                 f": {md(', '.join(names[1:])) or '–'}."))

# %% [markdown]
# ## 1. Kalender pemilihan dan petahana / <span lang="en">Election calendar and incumbents</span>

# %%
calendar = evidence.with_cycle_label(casestudy.election_calendar(elections, names))
_ = save_table(calendar, "04_calendar", reports_dir)
if calendar.empty:
    display(Markdown("Belum ada data kalender untuk provinsi ini di `elections.csv`. / No "
                     "calendar rows for this province in `elections.csv` yet."))
else:
    known = calendar["incumbent_running"].notna().sum()
    display(Markdown(
        f"{fmt_int(len(calendar))} pemilihan tercatat; status petahana diketahui untuk "
        f"{fmt_int(known)}. / " + en(f"{fmt_int(len(calendar), 'en')} races recorded; incumbent "
                                     f"status known for {fmt_int(known, 'en')}.")))
    display(view.calendar_table(calendar))

# %% tags=["researcher_only"]
if not calendar.empty:
    display(show_table(calendar.drop(columns=["sources"])))

# %% [markdown]
# ## 2. Setiap angka provinsi dengan sumbernya / <span lang="en">Every provincial figure with its source</span>

# %%
own = evidence.with_cycle_label(casestudy.province_figures(figures, names))
_ = save_table(own, "04_figures", reports_dir)
display(Markdown(f"{fmt_int(len(own))} angka dari {fmt_int(own['source_url'].nunique())} halaman "
                 "sumber. / " + en(f"{fmt_int(len(own), 'en')} figures from "
                                   f"{fmt_int(own['source_url'].nunique(), 'en')} source pages.")))
view.figures_table(own, province)

# %% tags=["researcher_only"]
show_table(own[["id", "election", "region", "agency", "metric", "category", "value", "unit",
                "as_of_date", "published_date", "source_quality", "source_url"]])

# %%
not_asn_only = casestudy.regency_counts_not_asn_only(own)
if len(not_asn_only):
    _ = save_table(not_asn_only, "04_regency_counts_not_asn_only", reports_dir)
    display(Markdown(
        "Sebagian hitungan per kabupaten/kota yang dipublikasikan bukan hanya tentang ASN "
        "(misalnya semua jenis pelanggaran pemilu). Hitungan itu ditampilkan terpisah dengan "
        "satuannya dan tidak dibandingkan dengan ASN. / " + en(
            "Some published counts per regency are not about ASN only (for instance every kind "
            "of election violation). They are shown apart with their unit and never set against "
            "ASN.")))
    display(view.not_asn_only_table(not_asn_only, province))

# %% [markdown]
# ## 3. Tingkat pelanggaran dibanding nasional / <span lang="en">Rates against the national rate</span>
#
# Untuk setiap rilis yang menyebut provinsi ini dan total nasional: tingkat per 10.000 PNS dengan
# interval Poisson eksak, dan rasio terhadap provinsi lain (nasional dikurangi provinsi ini)
# dengan interval eksak bersyarat. PNS provinsi dari satu tahun untuk semua provinsi. /
# <span lang="en">For each
# release naming this province and a national total: the rate per 10,000 PNS with an exact
# Poisson interval, and the ratio to the rest of the country with an exact conditional interval.
# Provincial PNS from one year for every province.</span>

# %%
compared = casestudy.compare_with_nation(figures, headcount, province, province_cycles, per,
                                         elections=elections)
comparisons, funnels = compared["comparisons"], compared["funnels"]
pns_province, pns_year = compared["pns"], compared["pns_year"]
_ = save_table(comparisons, "04_rates_vs_national", reports_dir)

# %% tags=["researcher_only"]
show_table(comparisons)

# %%
done = casestudy.compared(comparisons)
verdict = verdicts.province(done.to_dict("records"), province)
if len(done):
    display(view.comparisons_table(done, province, csv="04_rates_vs_national"))
else:
    display(Markdown("Tidak ada perbandingan yang dapat dihitung. / "
                     + en("No comparison can be computed.")))
display(Markdown(verdict_md(verdict)))

# %% tags=["researcher_only"]
display(Markdown(view.comparison_lines(done)))

# %% [markdown]
# ## 4. Posisi pada plot corong / <span lang="en">Place in the funnel plot</span>

# %%
for label, (table, info) in funnels.items():
    if province not in set(table["term"]):
        display(Markdown(f"{md(label)}: {md(province)} tidak ada dalam daftar {md(info['agency'])} "
                         f"({fmt_int(info['n_provinces'])} provinsi). / " + en(
                             f"not in {md(info['agency'])}'s list "
                             f"({fmt_int(info['n_provinces'], 'en')} provinces).")))
        continue
    display(save_figures(lambda lang: province_funnel.draw_case(
        label, table, info, province, verdict, pns_year, per, lang),
        f"04_funnel_{label.lower().replace(' ', '_')}", reports_dir))
    display(Markdown(report_marks.funnel_position_sentence(table, province, label)))

# %% [markdown]
# ## 5. Yang tidak dapat dijelaskan oleh angka kecil / <span lang="en">What sparse counts cannot tell</span>

# %%
sparse = casestudy.sparse_counts(done)
_ = save_table(sparse, "04_sparse_counts", reports_dir)
if len(sparse):
    display(Markdown(view.sparse_text(sparse, report_marks.latest_release(done), pns_province,
                                      pns_year)))

# %% tags=["researcher_only"]
if len(sparse):
    show_table(sparse)

# %% [markdown]
# ## 6. Petahana dan pelanggaran / <span lang="en">Incumbents and violations</span>

# %%
races = casestudy.incumbents_and_counts(calendar, own)
_ = save_table(races.drop(columns="sources"), "04_incumbents_and_counts", reports_dir)
usable = races.dropna(subset=["reported", "incumbent_running"])
display(Markdown(
    f"{fmt_int(len(usable))} pemilihan kabupaten/kota memiliki status petahana dan hitungan kasus "
    f"sekaligus (dari {fmt_int(len(races))}); terlalu sedikit untuk menguji efek petahana. / "
    + en(f"{fmt_int(len(usable), 'en')} regency races have both incumbent status and a case "
         f"count (of {fmt_int(len(races), 'en')}): too few to test an incumbent effect.")))
if len(races):
    display(view.races_table(races))
national_incumbents = incumbency.national_candidates(ledger.load_candidates())
display(Markdown(incumbency_view.incumbents_running_text(
    incumbency.incumbents_running(national_incumbents))))

# %% tags=["researcher_only"]
show_table(races.drop(columns="sources"))

# %% [markdown]
# ## 7. Data yang perlu dikumpulkan / <span lang="en">Data the province should collect next</span>

# %%
display(Markdown(view.gaps_text(casestudy.data_gaps(comparisons, calendar, races, own,
                                                    pns_province))))
