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
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
province = "Kepulauan Bangka Belitung"
per = 10_000
province_cycles = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                   [2024, "pemilu", "KASN", "cases"]]

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis.findings import casestudy, evidence, verdicts
from analysis.publish.safe_text import md
from analysis.publish import funnel_chart, report_marks
from analysis.data import ledger
from analysis import paths
from analysis.publish.formatting import fmt_date, fmt_days, fmt_int, fmt_num
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish import plots
from analysis.publish.reader_tables import Col, en, reader_table
from analysis.publish.tile_map import short_name

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
    RACES = {"pilbup": "bupati / regent", "pilwalkot": "wali kota / mayor",
             "pilwako": "wali kota / mayor",
             "pilgub": "gubernur / governor", "all": "semua / all"}
    INCUMBENT = {1: "ya / yes", 0: "tidak / no"}
    display(reader_table(
        calendar.assign(
            race_text=calendar["race"].map(lambda r: RACES.get(r, r)),
            incumbent_text=calendar["incumbent_running"].map(
                lambda v: INCUMBENT.get(v, "tidak diketahui / unknown") if pd.notna(v)
                else "tidak diketahui / unknown"),
            first_source=calendar["sources"].fillna("").str.split(" | ", regex=False).str[0]),
        [Col("election", "Pemilihan", "Election"), Col("region", "Wilayah", "Region"),
         Col("race_text", "Jabatan dipilih", "Office", "pair"),
         Col("voting_day", "Hari pemungutan suara", "Voting day", "date"),
         Col("incumbent_text", "Petahana maju", "Incumbent ran", "pair"),
         Col("first_source", "Sumber", "Source", "url")],
        "Kalender pemilihan dan petahana", "Election calendar and incumbents"))

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
QUALITY = {"primary": "utama / primary", "secondary": "sekunder / secondary",
           "weak": "lemah / weak"}
reader_table(own.assign(quality=own["source_quality"].map(lambda q: QUALITY.get(q, q))),
             [Col("id", "Kode", "Id"), Col("election", "Pemilihan", "Election"),
              Col("region", "Wilayah", "Region"), Col("agency", "Lembaga", "Agency"),
              Col("metric", "Tahap", "Stage", "word"), Col("category", "Kategori", "Category"),
              Col("value", "Nilai", "Value", "num", 0), Col("unit", "Satuan", "Unit", "word"),
              Col("as_of_date", "Tanggal data", "As of", "date"),
              Col("published_date", "Terbit", "Published", "date"),
              Col("quality", "Mutu sumber", "Source quality", "pair"),
              Col("source_url", "Sumber", "Source", "url")],
             f"Angka tentang {province}", f"Figures about {province}")

# %% tags=["researcher_only"]
show_table(own[["id", "election", "region", "agency", "metric", "category", "value", "unit",
                "as_of_date", "published_date", "source_quality", "source_url"]])

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
done = comparisons[comparisons["status"] == "compared"] if "status" in comparisons else comparisons
verdict = verdicts.province(done.to_dict("records"), province)
lines = []
for r in done.itertuples():
    phi = (f">= {fmt_num(r.phi_used, 'en', 1)}" if r.phi_kind == "lower bound" else
           fmt_num(r.phi_used, 'en', 1))
    lines.append(
        f"- **{md(r.election)}** ({md(r.agency)}): {fmt_int(r.count)} kasus / cases in a "
        f"**snapshot** of {md(r.as_of_date)} ("
        f"{fmt_days(r.days_since_vote, 'en', r.days_since_vote_min, r.days_since_vote_max)} "
        "days from the vote; not a "
        f"cycle total); {fmt_num(r.rate, 'id', 2)} per 10.000 PNS vs nasional / national "
        f"{fmt_num(r.national_rate, 'id', 2)}; rasio terhadap provinsi lain / ratio to the rest "
        f"{fmt_num(r.ratio_to_rest, 'id', 2)}, quasi-Poisson interval with the province's phi "
        f"{phi} ({md(r.phi_kind)}): {fmt_num(r.ratio_low, 'en', 3)} to "
        f"{fmt_num(r.ratio_high, 'en', 1)}; funnel position (adjusted) {md(r.position_adj)}; "
        f"FDR flag: {md(r.flag) or 'none'}.")
if len(done):
    display(reader_table(
        done.assign(ratio_interval=[f"{fmt_num(lo, 'id', 2)} – {fmt_num(hi, 'id', 1)}"
                                    for lo, hi in zip(done["ratio_low"], done["ratio_high"])]),
        [Col("election", "Pemilihan", "Election"), Col("agency", "Lembaga", "Agency"),
         Col("as_of_date", "Tanggal potret", "Snapshot date", "date"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("count", "Kasus", "Cases", "int"),
         Col("rate", "Per 10.000 PNS", "Per 10,000 PNS", "num", 2),
         Col("national_rate", "Nasional per 10.000 PNS", "National per 10,000 PNS", "num", 2),
         Col("ratio_to_rest", "Rasio terhadap provinsi lain", "Ratio to the rest", "num", 2),
         Col("ratio_interval", "Interval rasio", "Ratio interval")],
        f"{province} dibanding nasional (potret, bukan total siklus)",
        f"{province} against the national rate (snapshots, not cycle totals)",
        csv="04_rates_vs_national"))
else:
    display(Markdown("Tidak ada perbandingan yang dapat dihitung. / "
                     + en("No comparison can be computed.")))
display(Markdown(f"**{md(verdict.text('id'))}**\n\n**{en(md(verdict.text('en')))}**"))

# %% tags=["researcher_only"]
display(Markdown("\n".join(lines) or "No comparison can be computed."))

# %% [markdown]
# ## 4. Posisi pada plot corong / <span lang="en">Place in the funnel plot</span>

# %%
WHERE = {"inside": ("di dalam batas 95%", "inside the 95% limits"),
         "above_95": ("di atas batas 95%", "above the 95% limit"),
         "above_998": ("di atas batas 99,8%", "above the 99.8% limit"),
         "below_95": ("di bawah batas 95%", "below the 95% limit"),
         "below_998": ("di bawah batas 99,8%", "below the 99.8% limit")}


def snapshot_date(text, lang="id"):
    """A snapshot's date for readers ('4 Oktober 2020'); a label such as 'published 2019' as is."""
    text, prefix = str(text), ""
    if text.startswith("published "):
        prefix, text = ("terbit " if lang == "id" else "published "), text[len("published "):]
    try:
        return prefix + fmt_date(text, lang)
    except ValueError:
        return prefix + text


for label, (table, info) in funnels.items():
    if province not in set(table["term"]):
        display(Markdown(f"{md(label)}: {md(province)} tidak ada dalam daftar {md(info['agency'])} "
                         f"({fmt_int(info['n_provinces'])} provinsi). / " + en(
                             f"not in {md(info['agency'])}'s list "
                             f"({fmt_int(info['n_provinces'], 'en')} provinces).")))
        continue
    row = table.set_index("term").loc[province]
    position = row["position_adj"] if "position_adj" in row else row["position"]

    def draw_case_funnel(lang, table=table, info=info, label=label, row=row, position=position):
        t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
        adjusted = t(" (disesuaikan overdispersi)", " (overdispersion-adjusted)") \
            if "position_adj" in row else ""
        flag = (t(f"; ditandai {row['flag']}", f"; flagged {row['flag']}") if row["flag"]
                else t("; tidak ditandai setelah FDR", "; not flagged after FDR"))
        where = WHERE[position][0 if lang == "id" else 1]
        title = t(f"[{verdict.label('id')}] {label}, potret {snapshot_date(info['snapshot'])}: "
                  f"{short_name(province)} {fmt_num(row['estimate'], 'id', 2)} per 10.000 PNS, "
                  f"{where}{adjusted}{flag}",
                  f"[{verdict.label('en')}] {label}, snapshot "
                  f"{snapshot_date(info['snapshot'], 'en')}: {short_name(province)} at "
                  f"{fmt_num(row['estimate'], 'en', 2)} per 10,000 PNS is {where}{adjusted}{flag}")
        source = t(f"hitungan provinsi {info['agency']} ({snapshot_date(info['snapshot'])}, "
                   f"potret, bukan total siklus); PNS per provinsi {pns_year} (BPS); "
                   f"{funnel_chart.limits_source(table, 'id')} di sekitar angka nasional",
                   f"{info['agency']} province counts ({snapshot_date(info['snapshot'], 'en')}, "
                   f"a snapshot, not a cycle total); PNS by province {pns_year} (BPS); "
                   f"{funnel_chart.limits_source(table, 'en')} around the national rate")
        fig = funnel_chart.plot_funnel(table, highlight=province, per=per, lang=lang,
                                       title=title, source=source)
        alt = t(f"Plot corong dengan {province} disorot. {title}.",
                f"Funnel plot with {province} highlighted. {title}.")
        return fig, alt

    slug = label.lower().replace(" ", "_")
    display(save_figures(draw_case_funnel, f"04_funnel_{slug}", reports_dir))
    display(Markdown(report_marks.funnel_position_sentence(table, province, label)))

# %% [markdown]
# ## 5. Yang tidak dapat dijelaskan oleh angka kecil / <span lang="en">What sparse counts cannot tell</span>

# %%
sparse = []
for r in done.itertuples():
    sparse.append({"election": r.election, "count": r.count, "snapshot": r.as_of_date,
                   "days_since_vote": r.days_since_vote, "expected": r.expected,
                   "phi": r.phi_used, "phi_kind": r.phi_kind,
                   "detectable_ratio_80pct_power": r.detectable_ratio,
                   "detectable_ratio_poisson": r.detectable_ratio_poisson,
                   "detectable_lower_ratio": r.detectable_lower})
sparse = pd.DataFrame(sparse)
_ = save_table(sparse, "04_sparse_counts", reports_dir)
if len(sparse):
    latest = report_marks.latest_release(done)  # the release the policy brief quotes
    lower = ("tingkat yang lebih rendah tidak dapat terdeteksi sama sekali / no lower rate could "
             "be detected at all" if sparse["detectable_lower_ratio"].isna().all() else
             "lihat tabel / see the table")
    display(Markdown(
        f"Perhitungan daya (normal, quasi-Poisson dengan phi rilis yang sama, alfa 5%, daya 80%; "
        f"`analysis.methods.power`): dengan {fmt_int(pns_province)} PNS ({pns_year}), tingkat "
        f"provinsi harus sekitar {report_marks.detectable(latest, 'id')} kali "
        f"tingkat nasional agar terdeteksi ({md(latest['election'])}, rilis terbaru; tanpa overdispersi "
        f"{report_marks.detectable(latest, 'id', poisson=True)} kali); {lower}. / <span lang=\"en\">Power "
        f"calculation (normal, quasi-Poisson with the release's phi, alpha 5%, power 80%): with "
        f"{fmt_int(pns_province, 'en')} PNS ({pns_year}), the provincial rate would have to be "
        f"about {report_marks.detectable(latest, 'en')} times the national rate "
        f"to be detected ({md(latest['election'])}, the latest release; "
        f"{report_marks.detectable(latest, 'en', poisson=True)} times without overdispersion). "
        "Zero or one case does not prove compliance: it may also mean weak supervision or "
        "reporting.</span>"))

# %% tags=["researcher_only"]
if len(sparse):
    show_table(sparse)

# %% [markdown]
# ## 6. Petahana dan pelanggaran / <span lang="en">Incumbents and violations</span>

# %%
regency_counts = own[(own["scope"] == "regency") & (own["metric"] == "reported")
                     & (own["unit"].isin(["cases", "reports", "ASN"]))]
merged = calendar.merge(regency_counts.groupby(["cycle", "election_type", "region"])["value"]
                        .max().rename("reported").reset_index(),
                        on=["cycle", "election_type", "region"], how="left")
merged = merged[merged["race"] != "all"]
_ = save_table(merged.drop(columns="sources"), "04_incumbents_and_counts", reports_dir)
usable = merged.dropna(subset=["reported", "incumbent_running"])
display(Markdown(
    f"{fmt_int(len(usable))} pemilihan kabupaten/kota memiliki status petahana dan hitungan kasus "
    f"sekaligus (dari {fmt_int(len(merged))}); terlalu sedikit untuk menguji efek petahana. / "
    + en(f"{fmt_int(len(usable), 'en')} regency races have both incumbent status and a case "
         f"count (of {fmt_int(len(merged), 'en')}): too few to test an incumbent effect.")))
if len(merged):
    display(reader_table(
        merged.assign(incumbent_text=merged["incumbent_running"].map(
            lambda v: {1: "ya / yes", 0: "tidak / no"}.get(v, "tidak diketahui / unknown")
            if pd.notna(v) else "tidak diketahui / unknown")),
        [Col("election", "Pemilihan", "Election"), Col("region", "Wilayah", "Region"),
         Col("incumbent_text", "Petahana maju", "Incumbent ran", "pair"),
         Col("reported", "Kasus dilaporkan (terbesar)", "Cases reported (largest)", "int")],
        "Petahana dan hitungan kasus per kabupaten/kota",
        "Incumbents and case counts per regency"))

# %% tags=["researcher_only"]
show_table(merged.drop(columns="sources"))

# %% [markdown]
# ## 7. Data yang perlu dikumpulkan / <span lang="en">Data the province should collect next</span>

# %%
gaps = []
E = '<span lang="en">'
no_pns = pns_province is None
if no_pns:
    gaps.append(f"jumlah PNS provinsi / {E}PNS headcount for the province</span>")
missing_lists = comparisons[comparisons["status"] != "compared"]["election"].tolist()
if missing_lists:
    gaps.append(f"hitungan kasus netralitas ASN untuk {md(', '.join(missing_lists))} / "
                f"{E}ASN-neutrality case counts for {md(', '.join(missing_lists))}</span>")
unknown_inc = calendar[calendar["incumbent_running"].isna()]
if len(unknown_inc):
    races = md(", ".join(f"{r.region} ({r.election})" for r in unknown_inc.itertuples()))
    gaps.append(f"status petahana di {races} / {E}whether an incumbent ran in {races}</span>")
no_count_races = merged[merged["reported"].isna()]
if len(no_count_races):
    gaps.append(f"hitungan kasus per kabupaten/kota untuk {fmt_int(len(no_count_races))} "
                f"pemilihan / {E}case counts per regency for "
                f"{fmt_int(len(no_count_races), 'en')} races</span>")
executed = own[own["metric"] == "sanction_executed"]
gaps.append(f"hasil dan tanggal sanksi (baru {fmt_int(len(executed))} angka sanksi dijalankan "
            f"yang dipublikasikan) / {E}sanction outcomes with dates (only "
            f"{fmt_int(len(executed), 'en')} executed-sanction figures published)</span>")
gaps.append("register kasus (tanggal dilaporkan, direkomendasikan, dijalankan atau ditutup, "
            "jabatan, sumber deteksi) agar waktu sampai sanksi dapat dianalisis dengan kasus "
            f"terbuka sebagai data tersensor / {E}a case register (date reported, date "
            "recommended, date executed or closed, position level, detection source) so that "
            "time to sanction can be analysed with open cases treated as censored</span>")
display(Markdown("\n".join(f"{i}. {g}" for i, g in enumerate(gaps, start=1))))
