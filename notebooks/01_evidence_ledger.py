# %% [markdown]
# # 01 · Buku besar bukti / <span lang="en">Evidence ledger</span>
#
# Angka apa saja yang telah dipublikasikan tentang pelanggaran netralitas ASN dan penegakannya,
# per siklus, lembaga dan satuan; di mana angka-angka itu saling bertentangan; dan apa yang harus
# diketahui pembaca sebelum memakai satu angka. / <span lang="en">What has been published about
# ASN-neutrality violations and their enforcement, per cycle, agency and unit; where figures
# conflict; and what a reader must know before using any single figure.</span>

# %% tags=["parameters"]
# interactive runs write here; only `python -m analysis report` publishes
reports_dir = "../scratch"
top_conflicts = 15

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis import paths
from analysis.data import ledger
from analysis.findings import evidence
from analysis.publish.formatting import fmt_date, fmt_int
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.reader_tables import en
from analysis.publish.views import ledger as view

figures = ledger.load_ledger()
coverage = pd.read_csv(paths.PROCESSED / "coverage.csv", keep_default_na=False)
conflicts = pd.read_csv(paths.PROCESSED / "conflicts.csv", keep_default_na=False)
facts = evidence.caveat_facts(figures, conflicts)
last_published = evidence.last_published(figures)

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
by_agency = evidence.figures_by(figures, "agency").reset_index()
_ = save_table(by_agency, "01_figures_by_election_agency", reports_dir)
view.by_agency_table(by_agency)

# %% tags=["researcher_only"]
show_table(by_agency)

# %%
by_unit = evidence.figures_by(figures, "unit").T  # units as rows: elections fit across
by_unit.index.name = "unit"
by_unit = by_unit.reset_index()
_ = save_table(by_unit, "01_figures_by_unit_election", reports_dir)
view.by_unit_table(by_unit)

# %% tags=["researcher_only"]
show_table(by_unit)

# %% [markdown]
# ## 2. Cakupan / <span lang="en">Coverage</span>
#
# Jumlah angka per tahap penegakan dan siklus, tingkat nasional dan provinsi. Sel bertanda
# garis berarti tidak ada angka yang dipublikasikan. / <span lang="en">Figures per enforcement
# stage and cycle, national and provincial scope. A cell with a dash means nothing was
# published.</span>

# %%
matrices = evidence.coverage_panels(coverage)
gaps = evidence.coverage_gaps(matrices[0])
save_figures(lambda lang: view.draw_coverage(matrices, evidence.COVERAGE_SCOPES, gaps, facts,
                                             last_published, lang),
             "01_coverage", reports_dir)

# %%
display(Markdown(
    f"**Temuan / {en('Finding')}.** {gaps['busiest']} memiliki angka terbanyak. Tanpa angka "
    f"nasional sanksi yang dijalankan: {', '.join(gaps['no_executed']) or '–'}. / "
    + en(f"{gaps['busiest']} has the most figures. No national count of executed sanctions: "
         f"{', '.join(gaps['no_executed']) or '–'}.")
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
shown = evidence.conflict_table(conflicts)
_ = save_table(shown, "01_conflicting_figures", reports_dir)
n_shown = min(top_conflicts, len(shown))
display(Markdown(
    f"**{fmt_int(len(conflicts))} kelompok** angka bertentangan; {fmt_int(n_shown)} dengan "
    f"selisih relatif terbesar ditampilkan (semua ada di tabel CSV). / "
    + en(f"**{fmt_int(len(conflicts), 'en')} groups** of conflicting figures; the "
         f"{fmt_int(n_shown, 'en')} with the largest relative spread are shown (all are in the "
         "CSV table).")
))
view.conflicts_table(shown.head(top_conflicts), csv="01_conflicting_figures")

# %% tags=["researcher_only"]
show_table(shown.drop(columns=["ids", "n_sources", "spread"]).head(top_conflicts))

# %%
totals = evidence.conflicting_totals(conflicts)
save_figures(lambda lang: view.draw_conflicts(totals, last_published, lang), "01_conflicts",
             reports_dir)

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
