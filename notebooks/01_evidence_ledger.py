# %% [markdown]
# # 01 · Buku besar bukti / <span lang="en">Evidence ledger</span>
#
# Angka apa saja yang telah dipublikasikan tentang pelanggaran netralitas ASN dan penegakannya,
# per siklus, lembaga dan satuan; di mana angka-angka itu saling bertentangan; dan apa yang harus
# diketahui pembaca sebelum memakai satu angka. / <span lang="en">What has been published about
# ASN-neutrality violations and their enforcement, per cycle, agency and unit; where figures
# conflict; and what a reader must know before using any single figure.</span>

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
top_conflicts = 15

# %%

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from analysis.findings import evidence
from analysis.data import ledger
from analysis import paths
from analysis.publish.formatting import fmt_date, fmt_int, fmt_pct
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish import plots
from analysis.publish.plots import finish
from analysis.publish.reader_tables import Col, en, reader_table, word
from analysis.data.vocabulary import FUNNEL

figures = ledger.load_ledger()
coverage = pd.read_csv(paths.PROCESSED / "coverage.csv", keep_default_na=False)
conflicts = pd.read_csv(paths.PROCESSED / "conflicts.csv", keep_default_na=False)
facts = evidence.caveat_facts(figures, conflicts)
last_published = max(d for d in figures["published_date"] if d)

# %% [markdown]
# ## 1. Apa yang ada / <span lang="en">What exists</span>

# %%
display(Markdown(
    f"Buku besar memuat **{fmt_int(facts['n_figures'])} angka** dari "
    f"**{fmt_int(facts['n_sources'])} halaman sumber** dan {facts['n_agencies']} lembaga, "
    f"siklus {facts['first_cycle']}–{facts['last_cycle']}, terbit hingga "
    f"{fmt_date(last_published)}. / " + en(
    f"The ledger holds **{fmt_int(facts['n_figures'], 'en')} "
    f"figures** from **{fmt_int(facts['n_sources'], 'en')} source pages** and "
    f"{facts['n_agencies']} agencies, cycles {facts['first_cycle']}–{facts['last_cycle']}, "
    f"published up to {fmt_date(last_published, 'en')}.")
))
by_agency = evidence.figures_by(figures, "agency")
_ = save_table(by_agency.reset_index(), "01_figures_by_election_agency", reports_dir)
by_agency_shown = by_agency.reset_index()
reader_table(by_agency_shown,
             [Col("election", "Pemilihan", "Election")]
             + [Col(c, "jumlah" if c == "total" else c, "total" if c == "total" else c, "int")
                for c in by_agency_shown.columns if c != "election"],
             "Jumlah angka per pemilihan dan lembaga", "Figures per election and agency")

# %% tags=["researcher_only"]
show_table(by_agency.reset_index())

# %%
by_unit = evidence.figures_by(figures, "unit").T  # units as rows: elections fit across
by_unit.index.name = "unit"
_ = save_table(by_unit.reset_index(), "01_figures_by_unit_election", reports_dir)
by_unit_shown = by_unit.reset_index()
reader_table(by_unit_shown,
             [Col("unit", "Satuan", "Unit", "word")]
             + [Col(c, c, c.replace("Tahun / year", "Year"), "int")
                for c in by_unit_shown.columns if c != "unit"],
             "Jumlah angka per satuan dan pemilihan", "Figures per unit and election")

# %% tags=["researcher_only"]
show_table(by_unit.reset_index())

# %% [markdown]
# ## 2. Cakupan / <span lang="en">Coverage</span>
#
# Jumlah angka per tahap penegakan dan siklus, tingkat nasional dan provinsi. Sel bertanda
# garis berarti tidak ada angka yang dipublikasikan. / <span lang="en">Figures per enforcement
# stage and cycle, national and provincial scope. A cell with a dash means nothing was
# published.</span>

# %%
stages = list(FUNNEL) + ["forwarded", "not_violation", "pending", "share"]
panels = [("national",), ("province", "regency")]
elections_only = coverage[coverage["election_type"] != "calendar_year"]
matrices = [evidence.coverage_matrix(elections_only, stages, scopes) for scopes in panels]
columns = sorted(set(matrices[0].columns) | set(matrices[1].columns),
                 key=lambda e: (int(e[-4:]), e))
matrices = [m.reindex(columns=columns, fill_value=0) for m in matrices]

national = matrices[0]
executed = national.loc["sanction_executed"]
missing = [c for c in executed.index if executed[c] == 0]
busiest = national.sum().idxmax()


def draw_coverage(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, axes = plt.subplots(2, 1, figsize=(plots.WIDTH_IN, 8.2), sharex=True)
    vmax = np.log1p(max(m.to_numpy().max() for m in matrices))
    for ax, matrix, scopes in zip(axes, matrices, panels):
        values = matrix.to_numpy()
        ax.imshow(np.where(values > 0, np.log1p(values), np.nan), cmap="Blues", aspect="auto",
                  vmin=0, vmax=vmax)
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, str(v) if v else "–", ha="center", va="center",
                    fontsize=plots.MIN_FONT_PT, color="white" if np.log1p(v) > 0.55 * vmax else "black")
        ax.set_xticks(range(len(columns)), [c.replace("Tahun / year", t("Tahun", "Year"))
                                            .replace("Pilkada ulang", t("Ulang", "Rerun"))
                                            for c in columns], rotation=90)
        ax.set_yticks(range(len(stages)), [word(s_, lang) for s_ in stages])
        ax.set_title(t("nasional", "national") if scopes == ("national",)
                     else t("provinsi & kabupaten/kota", "province & regency"), loc="left")
        ax.spines[:].set_visible(False)
    missing_text = ", ".join(missing) if missing else t("tidak ada", "none")
    title = t(f"{busiest} memiliki angka terbanyak; tanpa angka nasional sanksi dijalankan untuk "
              f"{missing_text}",
              f"{busiest} has the most published figures; no national count of executed "
              f"sanctions for {missing_text}")
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


save_figures(draw_coverage, "01_coverage", reports_dir)

# %%
display(Markdown(
    f"**Temuan / {en('Finding')}.** {busiest} memiliki angka terbanyak. Tanpa angka nasional "
    f"sanksi yang dijalankan: {', '.join(missing) or '–'}. / "
    + en(f"{busiest} has the most figures. No national count of executed sanctions: "
         f"{', '.join(missing) or '–'}.")
))

# %% [markdown]
# ## 3. Angka yang bertentangan / <span lang="en">Conflicting figures</span>
#
# Kelompok angka tentang hal yang sama (siklus, wilayah, lembaga, tahap, satuan, tanggal data
# sama — atau sama-sama tanpa tanggal) yang nilainya berbeda, diurutkan menurut selisih relatif.
# Semua angka tetap disimpan; tabel lanjutan memilih satu dengan aturan tertulis. /
# <span lang="en">Groups of figures about the same thing (same cycle, region, agency, stage, unit
# and as-of date, or all undated) that disagree, by relative spread. All are kept; downstream
# tables pick one by a written rule.</span>

# %%
shown = evidence.with_cycle_label(conflicts).assign(
    as_of=lambda d: d["as_of_date"].where(d["as_of_date"] != "", "–"),
    published=lambda d: d["published_from"].where(
        d["published_from"] == d["published_to"], d["published_from"] + " … " + d["published_to"]),
    relative_spread=lambda d: pd.to_numeric(d["relative_spread"]).round(3),
)[["election", "scope", "region", "agency", "metric", "breakdown", "category", "unit", "as_of",
   "published", "values", "spread", "relative_spread", "n_sources", "ids"]]
_ = save_table(shown, "01_conflicting_figures", reports_dir)
n_shown = min(top_conflicts, len(shown))
display(Markdown(
    f"**{fmt_int(len(conflicts))} kelompok** angka bertentangan; {fmt_int(n_shown)} dengan "
    f"selisih relatif terbesar ditampilkan (semua ada di tabel CSV). / "
    + en(f"**{fmt_int(len(conflicts), 'en')} groups** of conflicting figures; the "
         f"{fmt_int(n_shown, 'en')} with the largest relative spread are shown (all are in the "
         "CSV table).")
))
conflicts_shown = shown.head(top_conflicts).assign(
    values=lambda d: d["values"].str.replace("|", " · ", regex=False),
    as_of=lambda d: d["as_of"].where(d["as_of"] != "–", None))
reader_table(conflicts_shown,
             [Col("election", "Pemilihan", "Election"), Col("region", "Wilayah", "Region"),
              Col("agency", "Lembaga", "Agency"), Col("metric", "Tahap", "Stage", "word"),
              Col("category", "Kategori", "Category"), Col("unit", "Satuan", "Unit", "word"),
              Col("as_of", "Tanggal data", "As of", "date"),
              Col("published", "Terbit", "Published"), Col("values", "Nilai", "Values"),
              Col("relative_spread", "Selisih relatif", "Relative spread", "pct", 0)],
             "Angka yang bertentangan, selisih relatif terbesar lebih dulu",
             "Conflicting figures, largest relative spread first", csv="01_conflicting_figures")

# %% tags=["researcher_only"]
show_table(shown.drop(columns=["ids", "n_sources", "spread"]).head(top_conflicts))

# %%
totals = conflicts[(conflicts["breakdown"] == "") & (conflicts["kind"] == "same_as_of_date")]
totals = evidence.with_cycle_label(totals).sort_values("relative_spread").tail(12)
widest = pd.to_numeric(totals["relative_spread"]).max()


def draw_conflicts(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
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


save_figures(draw_conflicts, "01_conflicts", reports_dir)

# %% [markdown]
# ## 4. Yang harus diketahui pembaca / <span lang="en">Caveats a reader must know</span>

# %%
E = '<span lang="en">'
display(Markdown(f"""
- **Satuan berbeda / {E}Units differ.</span>** Bawaslu menghitung *kasus* (satu kasus bisa
  melibatkan beberapa ASN); KASN dan BKN menghitung *ASN* atau *laporan/aduan*. Buku besar
  memakai {fmt_int(facts['n_units'])} satuan; rasio hanya dihitung di dalam satu seri. /
  {E}Bawaslu counts *cases* (one case may involve several ASN); KASN and BKN count *ASN* or
  *reports/complaints*. The ledger uses {fmt_int(facts['n_units'], 'en')} units; ratios are
  computed within one series only.</span>
- **Angka adalah potret / {E}Figures are snapshots.</span>** Sanksi yang dijalankan terus
  bertambah berbulan-bulan setelah pemungutan suara; bandingkan siklus pada jeda yang sama.
  {fmt_int(facts['n_undated'])} angka tidak menyebut tanggal data (hanya tanggal terbit) dan
  {fmt_int(facts['n_month_or_year'])} hanya bulan atau tahun. / {E}Executed sanctions keep
  rising for months after voting day; compare cycles at equal lags.
  {fmt_int(facts['n_undated'], 'en')} figures give no as-of date (only a publication date) and
  {fmt_int(facts['n_month_or_year'], 'en')} only a month or year.</span>
- **Kualitas sumber / {E}Source quality.</span>** {fmt_int(facts['n_weak'])} angka berasal dari
  situs cermin, blog atau salinan Wikipedia dan {fmt_int(facts['n_secondary'])} diteruskan pihak
  ketiga. / {E}{fmt_int(facts['n_weak'], 'en')} figures come from mirrors, blogs or Wikipedia
  copies and {fmt_int(facts['n_secondary'], 'en')} are relayed by a third party.</span>
- **Angka tidak pasti / {E}Inexact figures.</span>** {fmt_int(facts['n_not_exact'])} angka
  dipublikasikan sebagai perkiraan, batas ("lebih dari") atau proyeksi. /
  {E}{fmt_int(facts['n_not_exact'], 'en')} figures were published as approximate, as a bound
  ("more than") or as a forecast.</span>
- **Aturan pemilihan / {E}Selection rule.</span>** Bila satu angka dibutuhkan:
  {ledger.RULE_TEXT_ID}. / {E}Where one figure is needed: {ledger.RULE_TEXT}.</span>
- **Deteksi bukan perilaku / {E}Detection is not behaviour.</span>** Lebih banyak pengawasan
  (patroli siber, kanal aduan) menaikkan pelanggaran yang *terdeteksi*. / {E}More supervision
  (cyber patrols, complaint channels) raises *detected* violations.</span>
"""))
