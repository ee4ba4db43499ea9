"""Report 06, sections 1 and 2: case outcomes per election and in the chosen province's regions
(protected counts), the time from recommendation to sanction, and the competing ends from the
report."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import plots
from ..formatting import fmt_num, fmt_pct
from ..formatting import localised_counts as localised
from ..plots import PALETTE, finish
from ..reader_tables import Col, en, reader_table
from .register_page import RegisterPage, outcome_col, total_pair

READ_DAYS = (30, 90, 180, 365)  # the days of the reader's table of the share executed


def outcomes_table(wide: pd.DataFrame, page: RegisterPage):
    """Case outcomes by election, small cells hidden (the published protected table)."""
    cols = [c for c in wide.columns if c != "election"]
    return reader_table(
        localised(wide, cols).assign(election=wide["election"].map(total_pair)),
        [Col("election", "Pemilihan", "Election", "pair")]
        + [Col(c, "Jumlah", "Total") if c == "Total" else outcome_col(c) for c in cols],
        f"{page.mark_md}Hasil kasus menurut pemilihan (sel kecil disembunyikan)",
        "Case outcomes by election (small cells hidden)")


def province_cases_table(wide: pd.DataFrame, province: str, page: RegisterPage):
    """Cases per regency of the chosen province and election (the published protected table);
    ``province`` is data and is escaped."""
    from html import escape

    cols = [c for c in wide.columns if c != "region"]
    name = escape(province)
    return reader_table(
        localised(wide, cols).assign(region=wide["region"].map(total_pair)),
        [Col("region", "Kabupaten/kota", "Regency/city", "pair")]
        + [Col(c, "Jumlah", "Total") if c == "Total" else Col(c, c, c) for c in cols],
        f"{page.mark_md}Kasus per kabupaten/kota dan pemilihan: {name}",
        f"Cases per regency and election: {name}")


def hidden_cells_text(counts: pd.DataFrame, province: str, page: RegisterPage) -> str:
    """'k of n cells hidden' of the province's table, in both languages (Markdown)."""
    from ..safe_text import md

    hidden, n = int(counts["suppressed"].sum()), len(counts)
    return (f"{page.mark_md}Kasus per kabupaten/kota di {md(province)}: {hidden} dari {n} sel "
            "disembunyikan. / " + en(f"Cases per regency in {md(province)}: {hidden} of {n} "
                                      "cells hidden."))


def draw_time_to_sanction(curves: pd.DataFrame, at_90: pd.DataFrame, page: RegisterPage,
                          lang: str):
    """Step curves of the share executed since the recommendation, one per election, read on
    the published days only, with 95% log-log bands; the title gives the share by day 90."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3.6))
    for k, (election, g) in enumerate(curves.groupby("election")):
        # the published days only: the curve steps where it is read (day 0 reads 0 executed)
        days = g["time"].to_numpy()
        ex, lo, hi = (g[c].fillna(0).to_numpy()
                      for c in ("executed", "executed_low", "executed_high"))
        ax.step(days, 100 * ex, where="post", color=PALETTE[k % len(PALETTE)], label=election,
                marker="o", markersize=3)
        ax.fill_between(days, 100 * lo, 100 * hi, step="post", alpha=0.15,
                        color=PALETTE[k % len(PALETTE)])
    ax.set_xlabel(t("hari sejak rekomendasi", "days since recommendation"))
    ax.set_ylabel(t("sanksi dijalankan", "sanction executed"))
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(plots.percent_axis(lang))
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    if len(at_90):
        title = t("Dijalankan dalam 90 hari: " + ", ".join(
                      f"{e} {fmt_pct(r.executed, 'id', 0)}" for e, r in at_90.iterrows()),
                  "Executed within 90 days: " + ", ".join(
                      f"{e} {fmt_pct(r.executed, 'en', 0)}" for e, r in at_90.iterrows()))
    else:
        title = t("Bagian yang dijalankan setelah rekomendasi, menurut pemilihan",
                  "Share executed after recommendation, by election")
    finish(fig, title, page.source(
               lang, "Kaplan–Meier dari hitungan yang dibulatkan (blok 5), disensor pada "
               "tanggal data, dibaca pada hari yang ditandai titik, pita: interval log-log 95%",
               "Kaplan–Meier from counts rounded in blocks of 5, censored at the data date, "
               "read on the marked days, bands: 95% log-log intervals"),
           synthetic=page.synthetic, lang=lang, legend=ax.get_legend_handles_labels())
    alt = t(f"{page.mark('id')}Kurva tangga bagian rekomendasi sanksi yang dijalankan menurut "
            f"hari sejak rekomendasi, satu per pemilihan. {title}.",
            f"{page.mark('en')}Step curves of the share of recommended sanctions executed "
            f"against days since the recommendation, one per election. {title}.")
    return fig, alt


def read_days(published: pd.DataFrame, days=READ_DAYS) -> pd.DataFrame:
    """The published time-to-sanction rows on the reader's days."""
    return published[published["time"].isin(list(days))][
        ["election", "time", "n_risk", "executed", "executed_low", "executed_high"]]


def time_to_sanction_table(short: pd.DataFrame, page: RegisterPage, csv: str | None = None):
    """The share executed on the reader's days, numbers at risk rounded to multiples of 5;
    ``csv``: the saved table of every read day."""
    first, last = min(READ_DAYS), max(READ_DAYS)
    return reader_table(
        localised(short, ["n_risk"]),
        [Col("election", "Pemilihan", "Election"),
         Col("time", "Hari sejak rekomendasi", "Days since recommendation", "int"),
         Col("n_risk", "Belum disanksi (masih diikuti, dibulatkan ke kelipatan 5)",
             "Not yet sanctioned (still followed, rounded to a multiple of 5)"),
         Col("executed", "Dijalankan", "Executed", "pct"),
         Col("executed_low", "Batas bawah 95%", "95% lower limit", "pct"),
         Col("executed_high", "Batas atas 95%", "95% upper limit", "pct")],
        f"{page.mark_md}Bagian rekomendasi sanksi yang dijalankan, {first} sampai {last} hari "
        "setelah rekomendasi",
        f"Share of sanction recommendations executed, {first} to {last} days after the "
        "recommendation", csv=csv)


def competing_table(at_day: pd.DataFrame, page: RegisterPage, day: int = 365,
                    csv: str | None = None):
    """Cumulative incidence of each end ``day`` days after the report, per election; ``csv``:
    the saved table of every day."""
    return reader_table(
        at_day,
        [Col("election", "Pemilihan", "Election")]
        + [outcome_col(c, "pct") for c in at_day.columns if c != "election"],
        f"{page.mark_md}Insidensi kumulatif tiap akhir, {day} hari setelah laporan",
        f"Cumulative incidence of each end, {day} days after the report", csv=csv)


def competing_text(summary: dict, page: RegisterPage) -> str:
    """How much 1 − KM overstates the sanction's incidence, and how much the placement of the
    undated decisions moves it (Markdown, both languages)."""
    over, spread = 100 * summary["overstate"], 100 * summary["spread"]
    return (f"{page.mark_md}1 − KM dari laporan melebihi insidensi kumulatif sanksi hingga "
            f"{fmt_num(over, 'id')} poin persentase; penempatan putusan tanpa tanggal menggeser "
            f"insidensi sanksi paling banyak {fmt_num(spread, 'id')} poin. / " + en(
                f"From the report, 1 − KM exceeds the cumulative incidence of the sanction by up "
                f"to {fmt_num(over, 'en')} percentage points; the placement of the undated "
                f"decisions moves the sanction's incidence by at most {fmt_num(spread, 'en')} "
                "points."))
