# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Studi kasus provinsi / Province case study
#
# Kalender pemilihan dan petahana per kabupaten/kota, setiap angka provinsi dengan sumbernya,
# tingkat pelanggaran dibandingkan angka nasional, posisi pada plot corong, batas yang tidak dapat
# dijelaskan oleh angka kecil, dan data yang perlu dikumpulkan provinsi berikutnya. Provinsi
# dipilih dengan parameter `province` (bawaan: Kepulauan Bangka Belitung). / Election calendar
# and incumbents per regency, every provincial figure with its source, rates against the
# national rate, the place in the funnel plot, what sparse counts cannot tell, and which data the
# province should collect next. The province is the `province` parameter (default: Kepulauan
# Bangka Belitung).

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
province = "Kepulauan Bangka Belitung"
per = 10_000
province_cycles = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                   [2024, "pemilu", "KASN", "cases"]]

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.findings import casestudy, evidence, provinces, series, verdicts
from analysis.publish.safe_text import md
from analysis.publish import funnel_chart
from analysis.data import ledger
from analysis import paths
from analysis.publish.formatting import fmt_int, fmt_num
from analysis.publish.outputs import save_figure, save_table, show_table
from analysis.publish.plots import finish

figures = ledger.load_ledger()
elections = ledger.load_elections()
headcount = ledger.load_headcount()
regions = ledger.read_raw(paths.REGIONS)
names = casestudy.province_regions(regions, province)
display(Markdown(f"## {province}\n\n{len(names) - 1} kabupaten/kota dalam `regions.csv` / "
                 f"regencies and cities in `regions.csv`: {', '.join(names[1:]) or '–'}."))

# %% [markdown]
# ## 1. Kalender pemilihan dan petahana / Election calendar and incumbents

# %%
calendar = evidence.with_cycle_label(casestudy.election_calendar(elections, names))
save_table(calendar, "04_calendar", reports_dir)
if calendar.empty:
    display(Markdown("Belum ada data kalender untuk provinsi ini di `elections.csv`. / No "
                     "calendar rows for this province in `elections.csv` yet."))
else:
    known = calendar["incumbent_running"].notna().sum()
    display(Markdown(
        f"{len(calendar)} pemilihan tercatat; status petahana diketahui untuk {known}. / "
        f"{len(calendar)} races recorded; incumbent status known for {known}."))
    display(show_table(calendar.drop(columns=["sources"])))

# %% [markdown]
# ## 2. Setiap angka provinsi dengan sumbernya / Every provincial figure with its source

# %%
own = evidence.with_cycle_label(casestudy.province_figures(figures, names))
save_table(own, "04_figures", reports_dir)
display(Markdown(f"{len(own)} angka dari {own['source_url'].nunique()} halaman sumber. / "
                 f"{len(own)} figures from {own['source_url'].nunique()} source pages."))
show_table(own[["id", "election", "region", "agency", "metric", "category", "value", "unit",
                "as_of_date", "published_date", "source_quality", "source_url"]])

# %% [markdown]
# ## 3. Tingkat pelanggaran dibanding nasional / Rates against the national rate
#
# Untuk setiap rilis yang menyebut provinsi ini dan total nasional: tingkat per 10.000 PNS dengan
# interval Poisson eksak, dan rasio terhadap provinsi lain (nasional dikurangi provinsi ini)
# dengan interval eksak bersyarat. PNS provinsi dari satu tahun untuk semua provinsi. / For each
# release naming this province and a national total: the rate per 10,000 PNS with an exact
# Poisson interval, and the ratio to the rest of the country with an exact conditional interval.
# Provincial PNS from one year for every province.

# %%
compared = casestudy.compare_with_nation(figures, headcount, province, province_cycles, per,
                                        elections=elections)
comparisons, funnels = compared["comparisons"], compared["funnels"]
pns_province, pns_year = compared["pns"], compared["pns_year"]
save_table(comparisons, "04_rates_vs_national", reports_dir)
show_table(comparisons)

# %%
done = comparisons[comparisons["status"] == "compared"] if "status" in comparisons else comparisons
verdict = verdicts.province(done.to_dict("records"), province)
lines = []
for r in done.itertuples():
    phi = (f">= {fmt_num(r.phi, 'en', 1)}" if r.phi_kind == "lower bound" else
           fmt_num(r.phi, 'en', 1))
    lines.append(
        f"- **{md(r.election)}** ({md(r.agency)}): {fmt_int(r.count)} kasus / cases in a "
        f"**snapshot** of {md(r.as_of_date)} ({int(r.days_since_vote)} days from the vote; not a "
        f"cycle total); {fmt_num(r.rate, 'id', 2)} per 10.000 PNS vs nasional / national "
        f"{fmt_num(r.national_rate, 'id', 2)}; rasio terhadap provinsi lain / ratio to the rest "
        f"{fmt_num(r.ratio_to_rest, 'id', 2)}, quasi-Poisson interval with the release's phi "
        f"{phi} ({md(r.phi_kind)}): {fmt_num(r.ratio_low, 'en', 3)} to "
        f"{fmt_num(r.ratio_high, 'en', 1)}; funnel position (adjusted) {md(r.position_adj)}; "
        f"FDR flag: {md(r.flag) or 'none'}.")
display(Markdown("\n".join(lines) or "Tidak ada perbandingan yang dapat dihitung. / No "
                 "comparison can be computed."))
display(Markdown(f"**{md(verdict.text('id'))}**\n\n**{md(verdict.text('en'))}**"))

# %% [markdown]
# ## 4. Posisi pada plot corong / Place in the funnel plot

# %%
for label, (table, info) in funnels.items():
    if province not in set(table["region"]):
        display(Markdown(f"{label}: {province} tidak ada dalam daftar {info['agency']} "
                         f"({info['n_provinces']} provinsi). / not in {info['agency']}'s list "
                         f"({info['n_provinces']} provinces)."))
        continue
    row = table.set_index("region").loc[province]
    fig = funnel_chart.plot_funnel(table, highlight=province, per=per)
    position = row["position_adj"] if "position_adj" in row else row["position"]
    where = {"inside": "inside the 95% limits", "above_95": "above the 95% limit",
             "above_998": "above the 99.8% limit", "below_95": "below the 95% limit",
             "below_998": "below the 99.8% limit"}[position]
    title = (f"[{verdict.label('en')}] {label} snapshot {info['snapshot']}: {province} at "
             f"{fmt_num(row['rate'], 'en', 2)} per 10,000 PNS is {where}"
             f"{' (overdispersion-adjusted)' if 'position_adj' in row else ''}"
             f"{'; flagged ' + row['flag'] if row['flag'] else '; not flagged after FDR'}")
    finish(fig, title, f"{info['agency']} province counts ({info['snapshot']}, a snapshot, not a "
           f"cycle total); PNS by province {pns_year} (BPS); additive random-effect limits "
           f"(sqrt scale) around the national rate; phi {table.attrs['phi_kind']}")
    slug = label.lower().replace(" ", "_")
    saved = save_figure(fig, f"04_funnel_{slug}", reports_dir,
                        alt_text=f"Funnel plot with {province} highlighted. {title}.")
    plt.close(fig)
    display(saved)

# %% [markdown]
# ## 5. Yang tidak dapat dijelaskan oleh angka kecil / What sparse counts cannot tell

# %%
sparse = []
for r in done.itertuples():
    sparse.append({"election": r.election, "count": r.count, "snapshot": r.as_of_date,
                   "days_since_vote": r.days_since_vote, "expected": r.expected,
                   "phi": r.phi, "phi_kind": r.phi_kind,
                   "detectable_ratio_80pct_power": r.detectable_ratio,
                   "detectable_ratio_poisson": r.detectable_ratio_poisson,
                   "detectable_lower_ratio": r.detectable_lower})
sparse = pd.DataFrame(sparse)
save_table(sparse, "04_sparse_counts", reports_dir)
if len(sparse):
    worst = sparse.loc[sparse["detectable_ratio_80pct_power"].idxmax()]
    lower = ("tingkat yang lebih rendah tidak dapat terdeteksi sama sekali / no lower rate could "
             "be detected at all" if sparse["detectable_lower_ratio"].isna().all() else
             "lihat tabel / see the table")
    display(Markdown(
        f"Perhitungan daya (normal, quasi-Poisson dengan phi rilis yang sama, alfa 5%, daya 80%; "
        f"`analysis.methods.power`): dengan {fmt_int(pns_province)} PNS ({pns_year}), tingkat "
        f"provinsi harus sekitar {fmt_num(worst['detectable_ratio_80pct_power'], 'id', 1)} kali "
        f"tingkat nasional agar terdeteksi ({md(worst['election'])}; tanpa overdispersi "
        f"{fmt_num(worst['detectable_ratio_poisson'], 'id', 1)} kali); {lower}. / Power "
        f"calculation (normal, quasi-Poisson with the release's phi, alpha 5%, power 80%): with "
        f"{fmt_int(pns_province, 'en')} PNS ({pns_year}), the provincial rate would have to be "
        f"about {fmt_num(worst['detectable_ratio_80pct_power'], 'en', 1)} times the national rate "
        f"to be detected ({md(worst['election'])}; "
        f"{fmt_num(worst['detectable_ratio_poisson'], 'en', 1)} times without overdispersion). "
        "Zero or one case does not prove compliance: it may also mean weak supervision or "
        "reporting."))
    show_table(sparse)

# %% [markdown]
# ## 6. Petahana dan pelanggaran / Incumbents and violations

# %%
regency_counts = own[(own["scope"] == "regency") & (own["metric"] == "reported")
                     & (own["unit"].isin(["cases", "reports", "ASN"]))]
merged = calendar.merge(regency_counts.groupby(["cycle", "election_type", "region"])["value"]
                        .max().rename("reported").reset_index(),
                        on=["cycle", "election_type", "region"], how="left")
merged = merged[merged["race"] != "all"]
save_table(merged.drop(columns="sources"), "04_incumbents_and_counts", reports_dir)
usable = merged.dropna(subset=["reported", "incumbent_running"])
display(Markdown(
    f"{len(usable)} pemilihan kabupaten/kota memiliki status petahana dan hitungan kasus "
    f"sekaligus (dari {len(merged)}); terlalu sedikit untuk menguji efek petahana. / "
    f"{len(usable)} regency races have both incumbent status and a case count (of "
    f"{len(merged)}): too few to test an incumbent effect."))
show_table(merged.drop(columns="sources"))

# %% [markdown]
# ## 7. Data yang perlu dikumpulkan / Data the province should collect next

# %%
gaps = []
no_pns = pns_province is None
if no_pns:
    gaps.append("PNS headcount for the province / jumlah PNS provinsi")
missing_lists = comparisons[comparisons["status"] != "compared"]["election"].tolist()
if missing_lists:
    gaps.append("ASN-neutrality case counts for " + ", ".join(missing_lists)
                + " / hitungan kasus untuk pemilihan tersebut")
unknown_inc = calendar[calendar["incumbent_running"].isna()]
if len(unknown_inc):
    gaps.append("whether an incumbent ran in " + ", ".join(
        f"{r.region} ({r.election})" for r in unknown_inc.itertuples())
        + " / status petahana")
no_count_races = merged[merged["reported"].isna()]
if len(no_count_races):
    gaps.append(f"case counts per regency for {len(no_count_races)} races / hitungan kasus per "
                "kabupaten/kota")
executed = own[own["metric"] == "sanction_executed"]
gaps.append(f"sanction outcomes with dates (only {len(executed)} executed-sanction figures "
            "published) / hasil dan tanggal sanksi, sebagai register kasus")
gaps.append("a case register (date reported, date recommended, date executed or closed, position "
            "level, detection source) so that time to sanction can be analysed with open cases "
            "treated as censored / register kasus dengan tanggal untuk analisis waktu ke sanksi")
display(Markdown("\n".join(f"{i}. {g}" for i, g in enumerate(gaps, start=1))))
