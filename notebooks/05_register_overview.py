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
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
register = ""  # empty: the SYNTHETIC demo register; else a name in data/private/registers or a path
threshold = 5  # counts from 1 to threshold - 1 are suppressed

# %%
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from analysis.data.registers import opening
from analysis.data.registers.rollup import rollup
from analysis.data.schemas import unpublished_sources
from analysis.findings import register_overview as ro
from analysis.findings import register_tables as rt
from analysis.publish.formatting import fmt_date, fmt_int, fmt_pct
from analysis.publish.formatting import fmt_shown_count as local, localised_counts as localised
from analysis.publish import plots
from analysis.publish.disclosure_gate import save_protected_table
from analysis.publish.outputs import save_figures, show_table
from analysis.publish.plots import MUTED, PALETTE, finish
from analysis.publish.reader_tables import Col, en, reader_table
from analysis.publish.safe_text import md

opened = opening.open_register(register)
cases, meta = opened.cases, opened.meta
facts = ro.summary(cases, meta, threshold)
synthetic = facts["synthetic"]
name = md(facts["name"])
elections = facts["elections"]


if synthetic:
    banner = (f"**SINTETIS / {en('SYNTHETIC')}** — register demo {name}: data buatan, bukan perkara "
              "nyata; angka di sini hanya menunjukkan cara kerja analisis. / " + en(
                  f"**SYNTHETIC** demo register {name}: generated data, not real cases; the "
                  "numbers here only show how the analysis works."))
else:
    banner = (f"Register {name} (data tidak dipublikasikan, dipseudonimkan). / "
              + en(f"Register {name} (unpublished data, pseudonymised)."))
display(Markdown(
    banner + "\n\n" +
    f"**{local(facts['cases'])} perkara** dari {len(elections)} pemilihan "
    f"({', '.join(md(e) for e in elections)}), {facts['regions']} wilayah, laporan "
    f"{fmt_date(facts['first_report'])} – {fmt_date(facts['last_report'])}; tanggal data "
    f"{fmt_date(facts['data_date'])}. / " + en(
        f"**{local(facts['cases'], 'en')} cases** from {len(elections)} elections, "
        f"{facts['regions']} regions, reported {fmt_date(facts['first_report'], 'en')} – "
        f"{fmt_date(facts['last_report'], 'en')}; data date "
        f"{fmt_date(facts['data_date'], 'en')}.")))
display(Markdown(
    f"*Sensor / {en('Suppression')}:* " + ro.SUPPRESSION_NOTE["id"].format(k=threshold - 1, t=threshold)
    + " / " + en(ro.SUPPRESSION_NOTE["en"].format(k=threshold - 1, t=threshold))))

def source(lang):
    """The source line of every figure, in the figure's language."""
    if lang == "id":
        return (f"register {facts['name']}" + (" (SINTETIS)" if synthetic else "")
                + f", tanggal data {fmt_date(facts['data_date'])}; «x» = disembunyikan")
    return (f"register {facts['name']}" + (" (SYNTHETIC)" if synthetic else "")
            + f", data date {fmt_date(facts['data_date'], 'en')}; \"x\" = hidden")


def in_lang(text, lang):
    """One language of an 'Indonesian / English' label."""
    id_text, sep, en_text = str(text).partition(" / ")
    return en_text if sep and lang == "en" else id_text


def bars(ax, labels, displays, lang, colour=PALETTE[0]):
    """Horizontal bars of the shown counts; a hidden count gets no bar, only its mark."""
    values = [ro.shown_number(d) for d in displays]
    top = max([v for v in values if v is not None] or [1])
    for i, (value, shown) in enumerate(zip(values, displays)):
        if value is None:
            ax.text(top * 0.01, i, str(shown), va="center", ha="left", color=MUTED,
                    fontsize=plots.MIN_FONT_PT)
        else:
            ax.barh(i, value, color=colour)
            ax.text(value + top * 0.01, i, fmt_int(value, lang), va="center",
                    fontsize=plots.MIN_FONT_PT)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlim(0, top * 1.25)
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)


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
by_election_published = by_election[["category", "cases"]].rename(
    columns={"category": "election"})
save_protected_table(by_election_published, "05_cases_by_election", reports_dir,
                     tables["05_cases_by_election"], {"category": "election"})
reader_table(localised(by_election_published, ["cases"]),
             [Col("election", "Pemilihan", "Election", "pair"), Col("cases", "Perkara", "Cases")],
             "Perkara menurut pemilihan", "Cases by election")

# %%
inner = by_election[~by_election["margin"]]
largest = inner.assign(n=inner["cases"].map(ro.shown_number)).dropna(subset=["n"])
largest = largest.loc[largest["n"].idxmax()] if len(largest) else None
def draw_by_election(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 0.5 * len(inner) + 1.2))
    bars(ax, list(inner["category"]), list(inner["cases"]), lang)
    ax.set_xlabel(t("perkara", "cases"))
    if largest is not None:
        title = t(f"Perkara terbanyak pada {largest['category']} ({fmt_int(largest['n'])} dari "
                  f"{local(facts['cases'])})",
                  f"Most cases in {largest['category']} ({fmt_int(largest['n'], 'en')} of "
                  f"{local(facts['cases'], 'en')})")
    else:
        title = t("Perkara menurut pemilihan", "Cases by election")
    finish(fig, title, source(lang), synthetic=synthetic, lang=lang)
    alt = t(f"Grafik batang perkara register per pemilihan. {title}.",
            f"Bar chart of register cases per election. {title}.")
    return fig, alt


save_figures(draw_by_election, "05_cases_by_election", reports_dir)

# %%
by_region = tables["05_cases_by_region"].published
save_protected_table(by_region, "05_cases_by_region", reports_dir, tables["05_cases_by_region"])
hidden_region = ro.suppressed_count(by_region.drop(columns=["wilayah / region"]).stack()
                                    .rename("cases").to_frame())
reader_table(localised(by_region, [c for c in by_region.columns if c != "wilayah / region"]),
             [Col("wilayah / region", "Wilayah", "Region", "pair")]
             + [Col(c, *(c.split(" / ") if " / " in c else (c, c)))
                for c in by_region.columns if c != "wilayah / region"],
             f"Perkara menurut wilayah dan pemilihan ({hidden_region} sel disembunyikan)",
             f"Cases by region and election ({hidden_region} cells hidden)")

# %% [markdown]
# ## 2. Siapa dan apa / <span lang="en">Who and what</span>
#
# Tingkat jabatan ASN terlapor, jenis pelanggaran, dan bagaimana perkara diketahui. /
# <span lang="en">Position level of the civil servants reported, the kind of violation, and how
# the case came to light.</span>

# %%
one_way = {}
for column, (id_title, en_title) in {
        "position_level": ("Tingkat jabatan", "Position level"),
        "violation_type": ("Jenis pelanggaran", "Violation type"),
        "detection_source": ("Sumber temuan", "Detection source")}.items():
    published = tables[f"05_cases_by_{column}"].published
    one_way[column] = (published, id_title, en_title)
    table = published[["category", "cases"]].rename(columns={"category": column})
    save_protected_table(table, f"05_cases_by_{column}", reports_dir,
                         tables[f"05_cases_by_{column}"], {"category": column})
    display(reader_table(localised(table, ["cases"]),
                         [Col(column, id_title, en_title, "pair"),
                          Col("cases", "Perkara", "Cases")],
                         f"Perkara menurut {id_title.lower()}", f"Cases by {en_title.lower()}"))

# %%
def draw_who_and_what(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    rows = [len(v[0]) - 1 for v in one_way.values()]
    fig, axes = plt.subplots(3, 1, figsize=(plots.WIDTH_IN, 0.42 * sum(rows) + 2.4),
                             gridspec_kw={"height_ratios": rows})
    leaders = []
    for ax, (column, (published, id_title, en_title)), colour in zip(axes, one_way.items(),
                                                                         PALETTE):
        inner = published[~published["margin"]]
        bars(ax, [in_lang(c, lang) for c in inner["category"]], list(inner["cases"]), lang,
             colour)
        ax.set_title(t(id_title, en_title), loc="left", fontsize=plots.MIN_FONT_PT,
                     fontweight="bold")
        numbers = inner.assign(n=inner["cases"].map(ro.shown_number)).dropna(subset=["n"])
        if len(numbers):
            top = numbers.loc[numbers["n"].idxmax()]
            leaders.append(t(f"{id_title.lower()}: {in_lang(top['category'], 'id')}",
                             f"{en_title.lower()}: {in_lang(top['category'], 'en')}"))
    axes[-1].set_xlabel(t("perkara", "cases"))
    title = t("Paling sering — ", "Most common — ") + "; ".join(leaders)
    finish(fig, title, source(lang), synthetic=synthetic, lang=lang)
    alt = t("Tiga grafik batang perkara register menurut tingkat jabatan, jenis pelanggaran dan "
            f"sumber temuan. {title}.",
            "Three bar charts of register cases by position level, violation type and detection "
            f"source. {title}.")
    return fig, alt


save_figures(draw_who_and_what, "05_who_and_what", reports_dir)

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
cumulative_published = tables["05_funnel_cumulative"].published
save_protected_table(cumulative_published, "05_funnel_cumulative", reports_dir,
                     tables["05_funnel_cumulative"])
cumulative = cumulative_published.assign(cases=cumulative_published["cases"].map(ro.shown_number))
stage_col = "tahap terakhir / furthest stage"
reader_table(localised(funnel_table, [c for c in funnel_table.columns if c != stage_col]),
             [Col(stage_col, "Tahap terakhir", "Furthest stage", "pair")]
             + [Col(c, *(c.split(" / ") if " / " in c else (c, c)))
                for c in funnel_table.columns if c != stage_col],
             "Perkara menurut tahap terakhir yang dicapai", "Cases by furthest stage reached")

# %%
stage_names = {s: (i, e) for s, _, i, e in ro.FUNNEL_STAGES}
shares = cumulative.pivot(index="election", columns="stage", values="cases")
rate = (shares["sanction_executed"] / shares["reported"]).dropna()


def draw_funnel(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 4.2))
    width = 0.8 / len(elections)
    for k, election in enumerate(elections):
        rows = cumulative[cumulative["election"] == election].reset_index(drop=True)
        for i, r in rows.iterrows():
            x = i + (k - (len(elections) - 1) / 2) * width
            if np.isnan(r["cases"]):
                ax.text(x, 0, "x", ha="center", va="bottom", color=MUTED,
                        fontsize=plots.TITLE_PT + 2, fontweight="bold")
            else:
                ax.bar(x, r["cases"], width * 0.95, color=PALETTE[k % len(PALETTE)],
                       label=election if i == 0 else None)
    ax.set_xticks(range(len(ro.FUNNEL_STAGES)),
                  ["\n".join(textwrap.wrap(t(*stage_names[s]), 11, break_long_words=False))
                   for s, *_ in ro.FUNNEL_STAGES])
    ax.set_ylabel(t("perkara", "cases"))
    ax.yaxis.set_major_formatter(plots.number_axis(lang, 0))
    ax.spines[["top", "right"]].set_visible(False)
    if len(rate):
        title = t(f"Sanksi dijatuhkan pada {fmt_pct(rate.min(), 'id', 0)}–"
                  f"{fmt_pct(rate.max(), 'id', 0)} perkara yang dilaporkan, menurut pemilihan",
                  f"A sanction was imposed in {fmt_pct(rate.min(), 'en', 0)}–"
                  f"{fmt_pct(rate.max(), 'en', 0)} of reported cases, by election")
    else:
        title = t("Corong penegakan menurut pemilihan", "Enforcement funnel by election")
    finish(fig, title, source(lang) + t("; tahap tersembunyi: «x»", "; hidden stages: \"x\""),
           synthetic=synthetic, lang=lang, legend=ax.get_legend_handles_labels())
    alt = t("Grafik batang berkelompok perkara yang dilaporkan, diteruskan, direkomendasikan dan "
            "disanksi, satu warna per pemilihan; tahap yang disembunyikan ditandai. "
            f"{title}.",
            "Grouped bars of cases reported, forwarded, recommended and sanctioned, one colour "
            f"per election; hidden stages marked. {title}.")
    return fig, alt


save_figures(draw_funnel, "05_funnel", reports_dir)

# %% [markdown]
# ## 4. Mutu data / <span lang="en">Data quality</span>
#
# Tanggal dan kategori yang kosong, perkara yang masih diproses pada tanggal data, dan sanksi
# tanpa tanggal atau tingkat. Butir-butir ini saling tumpang tindih, jadi tidak dijumlahkan. /
# <span lang="en">Empty dates and categories, cases still pending at the data date, and
# sanctions without a date or severity. The items overlap, so they are not added up.</span>

# %%
quality = tables["05_data_quality"].published
quality_published = quality[["problem", "cases"]]
save_protected_table(quality_published, "05_data_quality", reports_dir, tables["05_data_quality"])
pending = quality.set_index("item").loc["pending", "cases"]
display(Markdown(
    f"Pada tanggal data {fmt_date(facts['data_date'])}, **{local(pending)}** dari "
    f"{local(facts['cases'])} perkara masih dalam proses. / " + en(
        f"At the data date {fmt_date(facts['data_date'], 'en')}, **{local(pending, 'en')}** "
        f"of {local(facts['cases'], 'en')} cases were still pending.")))
reader_table(localised(quality_published, ["cases"]),
             [Col("problem", "Masalah", "Problem", "pair"), Col("cases", "Perkara", "Cases")],
             f"Mutu data (dari {local(facts['cases'])} perkara)",
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
      + (" — SYNTHETIC" if synthetic else ""))

# %%
withheld = int(check["withheld"].sum())
display(Markdown(
    f"Tidak ada sel tersembunyi yang dapat dipersempit sampai kurang dari {threshold} di "
    f"{len(check)} tabel ({int(check['hidden'].sum())} sel disembunyikan"
    + (f", {withheld} di antaranya tidak diterbitkan karena tabel lain membukanya" if withheld
       else "") + "). Semua angka di halaman ini berasal dari data yang tidak dipublikasikan "
    f"(register {name}). / " + en(
        f"No hidden cell can be narrowed to less than {threshold} in any of the {len(check)} "
        f"tables ({int(check['hidden'].sum())} cells hidden"
        + (f", {withheld} of them withheld because other tables give them away" if withheld
           else "") + f"). Every number on this page comes from unpublished data "
        f"(register {name}).")))
