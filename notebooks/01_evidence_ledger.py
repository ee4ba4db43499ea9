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
# # 01 · Buku besar bukti / Evidence ledger
#
# Angka apa saja yang telah dipublikasikan tentang pelanggaran netralitas ASN dan penegakannya,
# per siklus, lembaga dan satuan; di mana angka-angka itu saling bertentangan; dan apa yang harus
# diketahui pembaca sebelum memakai satu angka. / What has been published about ASN-neutrality
# violations and their enforcement, per cycle, agency and unit; where figures conflict; and what
# a reader must know before using any single figure.

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
top_conflicts = 15

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from analysis.findings import evidence
from analysis.data import ledger
from analysis import paths
from analysis.publish.formatting import fmt_date, fmt_int, fmt_pct
from analysis.publish.outputs import save_figure, save_table, show_table
from analysis.publish.plots import bilingual, finish
from analysis.data.vocabulary import FUNNEL, METRICS

figures = ledger.load_ledger()
coverage = pd.read_csv(paths.PROCESSED / "coverage.csv", keep_default_na=False)
conflicts = pd.read_csv(paths.PROCESSED / "conflicts.csv", keep_default_na=False)
facts = evidence.caveat_facts(figures, conflicts)
last_published = max(d for d in figures["published_date"] if d)

# %% [markdown]
# ## 1. Apa yang ada / What exists

# %%
display(Markdown(
    f"Buku besar memuat **{fmt_int(facts['n_figures'])} angka** dari "
    f"**{fmt_int(facts['n_sources'])} halaman sumber** dan {facts['n_agencies']} lembaga, "
    f"siklus {facts['first_cycle']}–{facts['last_cycle']}, terbit hingga "
    f"{fmt_date(last_published)}. / The ledger holds **{fmt_int(facts['n_figures'], 'en')} "
    f"figures** from **{fmt_int(facts['n_sources'], 'en')} source pages** and "
    f"{facts['n_agencies']} agencies, cycles {facts['first_cycle']}–{facts['last_cycle']}, "
    f"published up to {fmt_date(last_published, 'en')}."
))
by_agency = evidence.figures_by(figures, "agency")
save_table(by_agency.reset_index(), "01_figures_by_election_agency", reports_dir)
show_table(by_agency.reset_index())

# %%
by_unit = evidence.figures_by(figures, "unit").T  # units as rows: elections fit across
by_unit.index.name = "unit"
save_table(by_unit.reset_index(), "01_figures_by_unit_election", reports_dir)
show_table(by_unit.reset_index())

# %% [markdown]
# ## 2. Cakupan / Coverage
#
# Jumlah angka per tahap penegakan dan siklus, tingkat nasional dan provinsi. Sel kosong berarti
# tidak ada angka yang dipublikasikan. / Figures per enforcement stage and cycle, national and
# provincial scope. An empty cell means nothing was published.

# %%
stages = list(FUNNEL) + ["forwarded", "not_violation", "pending", "share"]
panels = [("national",), ("province", "regency")]
elections_only = coverage[coverage["election_type"] != "calendar_year"]
matrices = [evidence.coverage_matrix(elections_only, stages, scopes) for scopes in panels]
columns = sorted(set(matrices[0].columns) | set(matrices[1].columns),
                 key=lambda e: (int(e[-4:]), e))
matrices = [m.reindex(columns=columns, fill_value=0) for m in matrices]

fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), sharey=True)
for ax, matrix, scopes in zip(axes, matrices, panels):
    values = matrix.to_numpy()
    ax.imshow(np.where(values > 0, np.log1p(values), np.nan), cmap="Blues", aspect="auto",
              vmin=0, vmax=np.log1p(max(m.to_numpy().max() for m in matrices)))
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, str(v) if v else "–", ha="center", va="center", fontsize=8,
                color="white" if v > 20 else "black")
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
    ax.set_yticks(range(len(stages)), stages)
    ax.set_title(bilingual("nasional", "national") if scopes == ("national",)
                 else bilingual("provinsi & kabupaten/kota", "province & regency"), fontsize=10)
    ax.spines[:].set_visible(False)
national = matrices[0]
executed = national.loc["sanction_executed"]
missing = [c for c in executed.index if executed[c] == 0]
busiest = national.sum().idxmax()
title = (f"{busiest} has the most published figures; no national count of executed sanctions "
         f"for {', '.join(missing) if missing else 'none'}")
finish(fig, title, f"evidence ledger (data/raw/published_figures.csv), {facts['n_figures']} "
       f"figures published up to {last_published}; count of figures per cell")
saved = save_figure(fig, "01_coverage", reports_dir,
                    alt_text="Two heat maps of the number of published figures per enforcement "
                             f"stage (rows) and election (columns), national and sub-national. "
                             f"{title}.")
plt.close(fig)
saved

# %%
display(Markdown(
    f"**Temuan / Finding.** {busiest} memiliki angka terbanyak. Tanpa angka nasional sanksi "
    f"yang dijalankan: {', '.join(missing) or '–'}. / {busiest} has the most figures. No "
    f"national count of executed sanctions: {', '.join(missing) or '–'}."
))

# %% [markdown]
# ## 3. Angka yang bertentangan / Conflicting figures
#
# Kelompok angka tentang hal yang sama (siklus, wilayah, lembaga, tahap, satuan, tanggal data
# sama — atau sama-sama tanpa tanggal) yang nilainya berbeda, diurutkan menurut selisih relatif.
# Semua angka tetap disimpan; tabel lanjutan memilih satu dengan aturan tertulis. / Groups of
# figures about the same thing (same cycle, region, agency, stage, unit and as-of date, or all
# undated) that disagree, by relative spread. All are kept; downstream tables pick one by a
# written rule.

# %%
shown = evidence.with_cycle_label(conflicts).assign(
    as_of=lambda d: d["as_of_date"].where(d["as_of_date"] != "", "–"),
    published=lambda d: d["published_from"].where(
        d["published_from"] == d["published_to"], d["published_from"] + " … " + d["published_to"]),
    relative_spread=lambda d: pd.to_numeric(d["relative_spread"]).round(3),
)[["election", "scope", "region", "agency", "metric", "breakdown", "category", "unit", "as_of",
   "published", "values", "spread", "relative_spread", "n_sources", "ids"]]
save_table(shown, "01_conflicting_figures", reports_dir)
display(Markdown(
    f"**{fmt_int(len(conflicts))} kelompok** angka bertentangan; {top_conflicts} dengan selisih "
    f"relatif terbesar ditampilkan (semua ada di tabel CSV). / **{fmt_int(len(conflicts), 'en')} "
    f"groups** of conflicting figures; the {top_conflicts} with the largest relative spread are "
    "shown (all are in the CSV table)."
))
show_table(shown.drop(columns=["ids", "n_sources", "spread"]).head(top_conflicts))

# %%
totals = conflicts[(conflicts["breakdown"] == "") & (conflicts["kind"] == "same_as_of_date")]
totals = evidence.with_cycle_label(totals).sort_values("relative_spread").tail(12)
fig, ax = plt.subplots(figsize=(9, 0.45 * len(totals) + 1.6))
labels = [f"{r.election} · {r.region} · {r.agency} · {r.metric} ({r.unit}) · {r.as_of_date}"
          for r in totals.itertuples()]
for i, r in enumerate(totals.itertuples()):
    values = [float(v) for v in r.values.split("|")]
    ax.plot([min(values), max(values)], [i, i], color="#999999", lw=2, zorder=1)
    ax.scatter(values, [i] * len(values), color="#0072B2", zorder=2, s=25)
ax.set_yticks(range(len(totals)), labels, fontsize=8)
ax.set_xscale("log")
ax.set_xlabel(bilingual("nilai yang dipublikasikan (skala log)", "published value (log scale)"))
widest = pd.to_numeric(totals["relative_spread"]).max()
title = (f"{len(totals)} totals were published with two or more values for the same as-of "
         f"date, up to {fmt_pct(widest, 'en', 0)} apart")
finish(fig, title, "evidence ledger; totals with two or more published values for the same "
       f"as-of date, published up to {last_published}")
saved = save_figure(fig, "01_conflicts", reports_dir,
                    alt_text="Dot plot: for each total with conflicting published values for one "
                             f"as-of date, a dot per distinct value joined by a line. {title}.")
plt.close(fig)
saved

# %% [markdown]
# ## 4. Yang harus diketahui pembaca / Caveats a reader must know

# %%
display(Markdown(f"""
- **Satuan berbeda / Units differ.** Bawaslu menghitung *kasus* (satu kasus bisa melibatkan
  beberapa ASN); KASN dan BKN menghitung *ASN* atau *laporan/aduan*. Buku besar memakai
  {facts['n_units']} satuan; rasio hanya dihitung di dalam satu seri. / Bawaslu counts *cases*
  (one case may involve several ASN); KASN and BKN count *ASN* or *reports/complaints*. The ledger
  uses {facts['n_units']} units; ratios are computed within one series only.
- **Angka adalah potret / Figures are snapshots.** Sanksi yang dijalankan terus bertambah
  berbulan-bulan setelah pemungutan suara; bandingkan siklus pada jeda yang sama. /
  Executed sanctions keep rising for months after voting day; compare cycles at equal lags.
  {fmt_int(facts['n_undated'])} angka tidak menyebut tanggal data (hanya tanggal terbit) dan
  {fmt_int(facts['n_month_or_year'])} hanya bulan atau tahun. / {fmt_int(facts['n_undated'], 'en')}
  figures give no as-of date (only a publication date) and
  {fmt_int(facts['n_month_or_year'], 'en')} only a month or year.
- **Kualitas sumber / Source quality.** {fmt_int(facts['n_weak'])} angka berasal dari situs
  cermin, blog atau salinan Wikipedia dan {fmt_int(facts['n_secondary'])} diteruskan pihak
  ketiga. / {fmt_int(facts['n_weak'], 'en')} figures come from mirrors, blogs or Wikipedia copies
  and {fmt_int(facts['n_secondary'], 'en')} are relayed by a third party.
- **Angka tidak pasti / Inexact figures.** {fmt_int(facts['n_not_exact'])} angka dipublikasikan
  sebagai perkiraan, batas ("lebih dari") atau proyeksi. / {fmt_int(facts['n_not_exact'], 'en')}
  figures were published as approximate, as a bound ("more than") or as a forecast.
- **Aturan pemilihan / Selection rule.** Bila satu angka dibutuhkan: {ledger.RULE_TEXT_ID}. /
  Where one figure is needed: {ledger.RULE_TEXT}.
- **Deteksi bukan perilaku / Detection is not behaviour.** Lebih banyak pengawasan (patroli
  siber, kanal aduan) menaikkan pelanggaran yang *terdeteksi*. / More supervision (cyber patrols,
  complaint channels) raises *detected* violations.
"""))
