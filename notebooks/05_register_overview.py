# %% [markdown]
# # 05 · Ikhtisar register perkara / <span lang="en">Register overview</span>
#
# Apa isi sebuah register perkara netralitas ASN: perkara menurut pemilihan, wilayah, tingkat
# jabatan, jenis pelanggaran dan sumber temuan; corong penegakan dari register; dan mutu datanya.
# Setiap tabel disensor (sel kecil disembunyikan). Tanpa `-p register=NAMA` buku ini memakai
# register demo SINTETIS. / <span lang="en">What a register of ASN neutrality cases holds: cases
# by election, region, position level, violation type and detection source; the enforcement
# funnel from the register; and its data quality. Every table is suppressed (small cells
# hidden). Without `-p register=NAME` this notebook uses the SYNTHETIC demo register.</span>

# %% tags=["parameters"]
# interactive runs write here; only `python -m analysis report` publishes
reports_dir = "../scratch"
register = ""  # empty: the SYNTHETIC demo register; else a name in data/private/registers or a path
threshold = 5  # counts from 1 to threshold - 1 are suppressed

# %%
from IPython.display import Markdown, display

from analysis.data.registers import opening
from analysis.data.registers.rollup import rollup
from analysis.data.schemas import unpublished_sources
from analysis.findings import register_overview as ro
from analysis.findings import register_tables as rt
from analysis.publish.disclosure_gate import save_protected_table
from analysis.publish.formatting import fmt_date
from analysis.publish.formatting import fmt_shown_count as local
from analysis.publish.outputs import save_figures, show_table
from analysis.publish.reader_tables import en
from analysis.publish.views import register_overview as view
from analysis.publish.views.register_page import RegisterPage

opened = opening.open_register(register)
cases, meta = opened.cases, opened.meta
facts = ro.summary(cases, meta, threshold)
page = RegisterPage.from_meta(meta | {"synthetic": facts["synthetic"]})
display(Markdown(view.banner(facts, page)))
display(Markdown(view.suppression_note(threshold)))

# %% [markdown]
# ## 1. Perkara menurut pemilihan dan wilayah / <span lang="en">Cases by election and region</span>
#
# Satu baris register adalah satu ASN dalam satu perkara. Tabel wilayah menampilkan jumlah baris,
# kolom dan total, sehingga selain sel kecil beberapa sel lain ikut disembunyikan; semuanya
# bertanda «x». / <span lang="en">One register row is one civil servant in one case. The region
# table shows row, column and grand totals, so besides small cells some other cells are hidden
# too; all are marked "x".</span>

# %%
tables = rt.overview_tables(cases, meta, threshold)  # every table, protected together
by_election = tables["05_cases_by_election"].published
save_protected_table(by_election[["category", "cases"]].rename(columns={"category": "election"}),
                     "05_cases_by_election", reports_dir, tables["05_cases_by_election"],
                     {"category": "election"})
display(view.one_way_table(by_election, "election", "Pemilihan", "Election"))
save_figures(lambda lang: view.draw_by_election(by_election, facts, page, lang),
             "05_cases_by_election", reports_dir)

# %%
by_region = tables["05_cases_by_region"].published
save_protected_table(by_region, "05_cases_by_region", reports_dir, tables["05_cases_by_region"])
hidden = ro.hidden_cells(by_region, "wilayah / region")
view.wide_table(by_region, "wilayah / region", "Wilayah", "Region",
                f"Perkara menurut wilayah dan pemilihan ({hidden} sel disembunyikan)",
                f"Cases by region and election ({hidden} cells hidden)")

# %% [markdown]
# ## 2. Siapa dan apa / <span lang="en">Who and what</span>
#
# Tingkat jabatan ASN terlapor, jenis pelanggaran, dan bagaimana perkara diketahui. /
# <span lang="en">Position level of the civil servants reported, the kind of violation, and how
# the case came to light.</span>

# %%
one_way = {column: tables[f"05_cases_by_{column}"].published for column in view.ONE_WAY}
for column, (id_title, en_title) in view.ONE_WAY.items():
    shown = one_way[column][["category", "cases"]].rename(columns={"category": column})
    save_protected_table(shown, f"05_cases_by_{column}", reports_dir,
                         tables[f"05_cases_by_{column}"], {"category": column})
    display(view.one_way_table(one_way[column], column, id_title, en_title))
save_figures(lambda lang: view.draw_who_and_what(one_way, page, lang), "05_who_and_what",
             reports_dir)

# %% [markdown]
# ## 3. Corong penegakan dari register / <span lang="en">The enforcement funnel from the register</span>
#
# Setiap perkara dihitung pada tahap terakhir yang dicapainya (tanggal tahap itu tercatat).
# Tahap kumulatif (dilaporkan ≥ diteruskan ≥ direkomendasikan ≥ sanksi) hanya ditampilkan bila
# semua sel yang dijumlahkannya tampil: selisih dua tahap juga merupakan hitungan. /
# <span lang="en">Each case is counted at the furthest stage it reached (the date of that stage is
# recorded). A cumulative stage (reported ≥ forwarded ≥ recommended ≥ sanction) is shown only when
# every cell it adds up is shown: the difference of two stages is a count too.</span>

# %%
funnel_table = tables["05_funnel_furthest_stage"].published
save_protected_table(funnel_table, "05_funnel_furthest_stage", reports_dir,
                     tables["05_funnel_furthest_stage"])
cumulative = tables["05_funnel_cumulative"].published
save_protected_table(cumulative, "05_funnel_cumulative", reports_dir,
                     tables["05_funnel_cumulative"])
display(view.wide_table(funnel_table, "tahap terakhir / furthest stage", "Tahap terakhir",
                        "Furthest stage", "Perkara menurut tahap terakhir yang dicapai",
                        "Cases by furthest stage reached", csv="05_funnel_furthest_stage"))
save_figures(lambda lang: view.draw_funnel(ro.shown_counts(cumulative), facts["elections"], page,
                                           lang),
             "05_funnel", reports_dir)

# %% [markdown]
# ## 4. Mutu data / <span lang="en">Data quality</span>
#
# Tanggal dan kategori yang kosong, perkara yang masih diproses pada tanggal data, dan sanksi
# tanpa tanggal atau tingkat. Butir-butir ini saling tumpang tindih, jadi tidak dijumlahkan. /
# <span lang="en">Empty dates and categories, cases still pending at the data date, and
# sanctions without a date or severity. The items overlap, so they are not added up.</span>

# %%
quality = tables["05_data_quality"].published
save_protected_table(quality[["problem", "cases"]], "05_data_quality", reports_dir,
                     tables["05_data_quality"])
pending = quality.set_index("item").loc["pending", "cases"]
display(Markdown(
    f"Pada tanggal data {fmt_date(facts['data_date'])}, **{local(pending)}** dari "
    f"{local(facts['cases'])} perkara masih dalam proses. / " + en(
        f"At the data date {fmt_date(facts['data_date'], 'en')}, **{local(pending, 'en')}** "
        f"of {local(facts['cases'], 'en')} cases were still pending.")))
view.one_way_table(quality.rename(columns={"problem": "category"}), "problem", "Masalah",
                   "Problem", f"Mutu data (dari {local(facts['cases'])} perkara)",
                   f"Data quality (of {local(facts['cases'], 'en')} cases)")

# %% [markdown]
# ## 5. Pemeriksaan sensor / <span lang="en">Suppression check</span>
#
# Program bilangan bulat mencari nilai terkecil dan terbesar yang mungkin bagi setiap sel
# tersembunyi, dengan mengetahui semua sel yang tampil, jumlahnya, dan arti tanda «x», di semua
# tabel register ini sekaligus (tabel-tabel itu berbagi sel dan jumlah). / <span lang="en">Integer
# programmes find the smallest and largest value each hidden cell can take, knowing every shown
# cell, the totals and what the mark "x" stands for, over all of this register's tables at once
# (they share cells and totals).</span>

# %% tags=["researcher_only"]
check = rt.check_summary(tables)
assert check["recoverable"].sum() == 0, check
show_table(check)

# %% tags=["researcher_only"]
figures = rollup(cases, meta)
listed = unpublished_sources(figures)
print(f"{len(figures)} ledger-shaped figures rolled up from register {facts['name']}; "
      f"{len(listed)} of them from unpublished data (source_kind register)"
      + (" — SYNTHETIC" if page.synthetic else ""))

# %%
display(Markdown(view.check_text(check, threshold, facts["name"])))
