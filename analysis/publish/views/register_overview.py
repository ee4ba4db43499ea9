"""Report 05: what a case register holds, for readers. Every count comes from a protected table
(:mod:`analysis.findings.register_tables`) as display text; a hidden count is drawn as its mark,
never as a bar."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ...findings import register_overview as ro
from .. import plots
from ..formatting import fmt_date, fmt_int, fmt_pct
from ..formatting import fmt_shown_count as local
from ..formatting import localised_counts as localised
from ..plots import MUTED, PALETTE, finish
from ..reader_tables import Col, en, reader_table
from ..safe_text import md
from .register_page import RegisterPage

HIDDEN_SOURCE = ("«x» = disembunyikan", '"x" = hidden')
ONE_WAY = {"position_level": ("Tingkat jabatan", "Position level"),
           "violation_type": ("Jenis pelanggaran", "Violation type"),
           "detection_source": ("Sumber temuan", "Detection source")}


def in_lang(text, lang: str) -> str:
    """One language of an 'Indonesian / English' label."""
    id_text, sep, en_text = str(text).partition(" / ")
    return en_text if sep and lang == "en" else id_text


def _source(page: RegisterPage, lang: str) -> str:
    return page.source(lang, *HIDDEN_SOURCE)


def banner(facts: dict, page: RegisterPage) -> str:
    """What the register is (SYNTHETIC or unpublished, pseudonymised), how many cases from which
    elections and regions, the report dates and the data date (Markdown, both languages)."""
    name = md(facts["name"])
    if page.synthetic:
        head = (f"**SINTETIS / {en('SYNTHETIC')}** — register demo {name}: data buatan, bukan "
                "perkara nyata; angka di sini hanya menunjukkan cara kerja analisis. / " + en(
                    f"**SYNTHETIC** demo register {name}: generated data, not real cases; the "
                    "numbers here only show how the analysis works."))
    else:
        head = (f"Register {name} (data tidak dipublikasikan, dipseudonimkan). / "
                + en(f"Register {name} (unpublished data, pseudonymised)."))
    elections = facts["elections"]
    listed = ", ".join(md(e) for e in elections)
    return (head + "\n\n"
            f"**{local(facts['cases'])} perkara** dari {len(elections)} pemilihan ({listed}), "
            f"{facts['regions']} wilayah, laporan {fmt_date(facts['first_report'])} – "
            f"{fmt_date(facts['last_report'])}; tanggal data {fmt_date(facts['data_date'])}. / "
            + en(f"**{local(facts['cases'], 'en')} cases** from {len(elections)} elections, "
                 f"{facts['regions']} regions, reported {fmt_date(facts['first_report'], 'en')} – "
                 f"{fmt_date(facts['last_report'], 'en')}; data date "
                 f"{fmt_date(facts['data_date'], 'en')}."))


def suppression_note(threshold: int) -> str:
    """What the mark of a hidden cell stands for (Markdown, both languages)."""
    k = threshold - 1
    return (f"*Sensor / {en('Suppression')}:* "
            + ro.SUPPRESSION_NOTE["id"].format(k=k, t=threshold)
            + " / " + en(ro.SUPPRESSION_NOTE["en"].format(k=k, t=threshold)))


def bars(ax, labels, displays, lang: str, colour=PALETTE[0]) -> None:
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


def one_way_table(published: pd.DataFrame, column: str, id_title: str, en_title: str,
                  caption_id: str | None = None, caption_en: str | None = None):
    """A protected one-way table (cases by one category, headed ``id_title`` / ``en_title``)
    for readers; the caption says 'Cases by ...' unless given."""
    table = published[["category", "cases"]].rename(columns={"category": column})
    return reader_table(localised(table, ["cases"]),
                        [Col(column, id_title, en_title, "pair"),
                         Col("cases", "Perkara", "Cases")],
                        caption_id or f"Perkara menurut {id_title.lower()}",
                        caption_en or f"Cases by {en_title.lower()}")


def wide_table(wide: pd.DataFrame, label: str, id_label: str, en_label: str, caption_id: str,
               caption_en: str, csv: str | None = None):
    """A protected two-way table for readers: its label column and one column per election
    (headers 'Indonesian / English' split into both languages); ``csv``: its saved table."""
    columns = [c for c in wide.columns if c != label]
    return reader_table(localised(wide, columns),
                        [Col(label, id_label, en_label, "pair")]
                        + [Col(c, *(c.split(" / ") if " / " in c else (c, c))) for c in columns],
                        caption_id, caption_en, csv=csv)


def draw_by_election(published: pd.DataFrame, facts: dict, page: RegisterPage, lang: str):
    """Cases per election as bars (hidden counts as their mark); the title names the election
    with the most cases shown."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    inner = published[~published["margin"]]
    largest = ro.largest_shown(published)
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
    finish(fig, title, _source(page, lang), synthetic=page.synthetic, lang=lang)
    alt = t(f"Grafik batang perkara register per pemilihan. {title}.",
            f"Bar chart of register cases per election. {title}.")
    return fig, alt


def draw_who_and_what(one_way: dict, page: RegisterPage, lang: str):
    """Three bar panels: cases by position level, violation type and detection source
    (``one_way``: {column: published table}); the title names the most common of each."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    rows = [len(published) - 1 for published in one_way.values()]
    fig, axes = plt.subplots(len(one_way), 1,
                             figsize=(plots.WIDTH_IN, 0.42 * sum(rows) + 2.4),
                             gridspec_kw={"height_ratios": rows})
    leaders = []
    for ax, (column, published), colour in zip(axes, one_way.items(), PALETTE):
        id_title, en_title = ONE_WAY[column]
        inner = published[~published["margin"]]
        bars(ax, [in_lang(c, lang) for c in inner["category"]], list(inner["cases"]), lang,
             colour)
        ax.set_title(t(id_title, en_title), loc="left", fontsize=plots.MIN_FONT_PT,
                     fontweight="bold")
        top = ro.largest_shown(published)
        if top is not None:
            leaders.append(t(f"{id_title.lower()}: {in_lang(top['category'], 'id')}",
                             f"{en_title.lower()}: {in_lang(top['category'], 'en')}"))
    axes[-1].set_xlabel(t("perkara", "cases"))
    title = t("Paling sering — ", "Most common — ") + "; ".join(leaders)
    finish(fig, title, _source(page, lang), synthetic=page.synthetic, lang=lang)
    alt = t("Tiga grafik batang perkara register menurut tingkat jabatan, jenis pelanggaran dan "
            f"sumber temuan. {title}.",
            "Three bar charts of register cases by position level, violation type and detection "
            f"source. {title}.")
    return fig, alt


def draw_funnel(cumulative: pd.DataFrame, elections: list, page: RegisterPage, lang: str):
    """Grouped bars of the cumulative stages per election (``cumulative`` with shown counts as
    numbers, NaN hidden: drawn as 'x'); the title gives the range of the sanction's share of
    reported cases."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    stage_names = {s: (i, e) for s, _, i, e in ro.FUNNEL_STAGES}
    rate = ro.sanction_shares(cumulative)
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
    finish(fig, title, _source(page, lang) + t("; tahap tersembunyi: «x»", '; hidden stages: "x"'),
           synthetic=page.synthetic, lang=lang, legend=ax.get_legend_handles_labels())
    alt = t("Grafik batang berkelompok perkara yang dilaporkan, diteruskan, direkomendasikan dan "
            "disanksi, satu warna per pemilihan; tahap yang disembunyikan ditandai. "
            f"{title}.",
            "Grouped bars of cases reported, forwarded, recommended and sanctioned, one colour "
            f"per election; hidden stages marked. {title}.")
    return fig, alt


def check_text(check: pd.DataFrame, threshold: int, name: str) -> str:
    """The attacker's result over every table of the register: no hidden cell narrower than the
    threshold, how many hidden and withheld (Markdown, both languages)."""
    withheld, hidden, n = int(check["withheld"].sum()), int(check["hidden"].sum()), len(check)
    name = md(name)
    return (f"Tidak ada sel tersembunyi yang dapat dipersempit sampai kurang dari {threshold} di "
            f"{n} tabel ({hidden} sel disembunyikan"
            + (f", {withheld} di antaranya tidak diterbitkan karena tabel lain membukanya"
               if withheld else "")
            + "). Semua angka di halaman ini berasal dari data yang tidak dipublikasikan "
            f"(register {name}). / " + en(
                f"No hidden cell can be narrowed to less than {threshold} in any of the {n} "
                f"tables ({hidden} cells hidden"
                + (f", {withheld} of them withheld because other tables give them away"
                   if withheld else "")
                + f"). Every number on this page comes from unpublished data (register {name})."))
