"""Report 03 for readers: national rates per 10,000 with their lags and denominators, the ratios
between Pilkada cycles, cases per region holding an election, the province funnels' results,
counts that are not ASN-only shown apart, detection sources and violation profiles."""
from __future__ import annotations

import html

import matplotlib.pyplot as plt
import pandas as pd

from ...findings import series
from .. import funnel_chart, plots
from ..formatting import fmt_date, fmt_days, fmt_int, fmt_num
from ..plots import finish
from ..reader_tables import Col, en, reader_table, word
from ..safe_text import md

WHY = {series.LAGS_DIFFER: "jeda berbeda: tanpa interval atau uji / " + series.LAGS_DIFFER,
       series.LAGS_COMPARABLE: "jeda sebanding; tanpa model overdispersi, jadi tanpa interval / "
                               + series.LAGS_COMPARABLE}


def _series_text(names) -> list[str]:
    return [f"{series.SERIES[n].label_id} / {series.SERIES[n].label_en}" for n in names]


def rates_table(rates: pd.DataFrame, per: int):
    """One national figure per election and series, its rate per ``per`` with the denominator's
    kind and year and the day from the vote it held."""
    return reader_table(
        rates.assign(series_text=_series_text(rates["series"]),
                     per_text=[f"{d} {y}" for d, y in zip(rates["denominator_type"],
                                                         rates["denominator_year"])]),
        [Col("series_text", "Seri", "Series", "pair"), Col("election", "Pemilihan", "Election"),
         Col("value", "Jumlah", "Count", "int"), Col("unit", "Satuan", "Unit", "word"),
         Col("agency", "Lembaga", "Agency"), Col("as_of_date", "Tanggal data", "As of", "date"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("denominator", "Penyebut", "Denominator", "int"),
         Col("per_text", "Jenis dan tahun penyebut", "Denominator kind and year"),
         Col("rate", f"Per {fmt_int(per)}", f"Per {fmt_int(per, 'en')}", "num", 2)],
        f"Angka nasional per {fmt_int(per)} ASN/PNS",
        f"National figures per {fmt_int(per, 'en')} ASN/PNS")


def draw_rates(rates: pd.DataFrame, names, per: int, verdict, lang: str):
    """One panel per series: each election's rate, labelled with the day after the vote it held
    and its denominator (circles exact figures, squares inexact); no interval (overdispersed
    counts) and no trend read."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, axes = plt.subplots(len(names), 1, figsize=(plots.WIDTH_IN, 3.0 * len(names)))
    for ax, name in zip(axes, names):
        d = rates[rates["series"] == name].reset_index(drop=True)
        for i, r in d.iterrows():
            exact = r["value_qualifier"] == "exact"
            ax.plot(i, r["rate"], "o" if exact else "s",
                    color=plots.BLUE if exact else plots.VERMILLION)
            lag = "?" if pd.isna(r["days_since_vote"]) else fmt_days(
                r["days_since_vote"], lang, r["days_since_vote_min"], r["days_since_vote_max"])
            ax.annotate(f"{t('h', 'd')}{lag}\n/{r['denominator_type']} {r['denominator_year']}",
                        (i, r["rate"]), textcoords="offset points", xytext=(0, 7), ha="center",
                        va="bottom", fontsize=plots.MIN_FONT_PT)
        ax.set_xticks(range(len(d)), d["election"])
        ax.set_xlim(-0.6, len(d) - 0.4)
        spec = series.SERIES[name]
        ax.set_title(plots.wrap(t(spec.label_id, spec.label_en), plots.WIDTH_IN - 1.2,
                                plots.MIN_FONT_PT), loc="left", fontsize=plots.MIN_FONT_PT)
        ax.set_ylim(0, d["rate"].max() * 1.9)
        ax.yaxis.set_major_formatter(plots.number_axis(lang))
        ax.set_ylabel(t(f"per {fmt_int(per, 'id')}", f"per {fmt_int(per, 'en')}"))
    title = t(f"[{verdict.label('id')}] Angka yang dipublikasikan berlaku pada jeda yang "
              "sangat berbeda (label: hari setelah pemungutan suara, penyebut dan tahunnya): "
              "tidak ada tren yang dapat dibaca",
              f"[{verdict.label('en')}] Published rates at very different lags (labels: "
              "day after the vote, denominator and its year): no trend can be read")
    finish(fig, title, t("KASN, BKN, Bawaslu lewat buku besar bukti; ASN/PNS dari BKN/BPS; "
                         "tanpa interval (hitungan overdispersi); lingkaran: angka tepat, "
                         "persegi: angka tidak tepat",
                         "KASN, BKN, Bawaslu via the evidence ledger; ASN/PNS from BKN/BPS; no "
                         "intervals (overdispersed counts); circles: exact figures, squares: "
                         "inexact figures"), lang=lang)
    alt = t("Tiga panel tingkat pelanggaran per 10.000 pegawai menurut pemilihan, dengan jeda "
            f"setiap angka. {title}.",
            "Three panels of violation rates per 10,000 civil servants by election, with the "
            f"lag of each figure. {title}.")
    return fig, alt


def ratios_table(ratios: pd.DataFrame):
    """Each Pilkada's rate over the previous one's, with both lags, the verdict and why."""
    return reader_table(
        ratios.assign(series_text=_series_text(ratios["series"]),
                      why_text=ratios["why"].map(lambda w: WHY.get(w, w))),
        [Col("series_text", "Seri", "Series", "pair"),
         Col("comparison", "Perbandingan", "Comparison"),
         Col("lag_new", "Hari (baru)", "Days (newer)", "days"),
         Col("lag_old", "Hari (lama)", "Days (older)", "days"),
         Col("ratio", "Rasio", "Ratio", "num", 2), Col("verdict", "Penilaian", "Verdict", "word"),
         Col("why_text", "Alasan", "Why", "pair")],
        "Rasio tingkat antarsiklus Pilkada", "Rate ratios between Pilkada cycles")


def per_region_table(per_region: pd.DataFrame):
    """Bawaslu's cases per region holding the election, with the source of the region count."""
    return reader_table(
        per_region,
        [Col("election", "Pemilihan", "Election"), Col("cases", "Kasus", "Cases", "int"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("regions", "Daerah yang memilih", "Regions voting", "int"),
         Col("cases_per_region", "Kasus per daerah", "Cases per region", "num", 1),
         Col("regions_source", "Sumber jumlah daerah", "Source of the region count", "url")],
        "Kasus Bawaslu per daerah yang menyelenggarakan pemilihan",
        "Bawaslu cases per region holding an election")


def funnel_text(label: str, flagged: pd.DataFrame, below: list) -> str:
    """How many provinces one release's funnel flags, which, and which lie below the exact
    limits (Markdown, both languages)."""
    named = md(", ".join(flagged["term"]))
    below_text = md(", ".join(below))
    return (f"**{md(label)}**: {fmt_int(len(flagged))} provinsi ditandai setelah kendali FDR"
            f"{' (' + named + ')' if named else ''}"
            f"{'; di bawah batas eksak: ' + below_text if below_text else ''}. / "
            + en(f"{fmt_int(len(flagged), 'en')} provinces flagged after FDR control"
                 f"{' (' + named + ')' if named else ''}"
                 f"{'; below the exact limits: ' + below_text if below_text else ''}."))


def funnel_note(label: str, table: pd.DataFrame, info: dict) -> str:
    """The researcher's note on one release's funnel: snapshot, target, Pearson phi and its
    kind, the variance form of the limits, the FDR family and the flags (Markdown, English)."""
    s, phi, kind = table.attrs["summary"], table.attrs["phi"], table.attrs["phi_kind"]
    target = ("national" if table.attrs["target_kind"] == "national"
              else "pooled (no national total of the same release)")
    phi_text = ("not estimable" if kind == "not estimable" else
                f">= {phi:.2f} (lower bound: partial list)" if kind == "lower bound" else
                f"{phi:.2f} ({table.attrs['n_implied_zero']} unlisted provinces entered as "
                "implied zeros)" if kind == "implied zeros" else f"{phi:.2f}")
    flagged = table[table["flag"] != ""]
    return (f"**{md(label)}** (snapshot {md(info['snapshot'])}, not a cycle total). Target: "
            f"{target} rate {fmt_num(s.pooled_rate_per, 'en', 2)} per 10,000 PNS; Pearson phi "
            f"{phi_text}; {funnel_chart.form_note(table)}; FDR over "
            f"{table.attrs['n_provinces']} provinces; flagged: "
            f"{md(', '.join(flagged['term'] + ' (' + flagged['flag'] + ')')) or 'none'}.")


UNIT_TITLES = {  # what a count that is not ASN-only counts, for the title of its table
    "cases_incl_non_asn": ("kasus, termasuk pelaku lain yang dilarang (TNI, Polri, kepala dan "
                           "perangkat desa, pegawai BUMN/BUMD)",
                           "cases including other barred actors (military, police, village "
                           "heads and officials, state-enterprise staff)"),
    "persons_incl_non_asn": ("orang, termasuk non-ASN", "persons including non-ASN"),
    "cases_all_violations": ("dugaan pelanggaran pemilu semua jenis",
                             "alleged election violations of every kind"),
}


def non_asn_table(release: dict):
    """A province list whose unit is not ASN-only, as its own descriptive table with the release
    and the unit in its caption; never a rate (the totals follow in :func:`non_asn_text`)."""
    unit_id, unit_en = UNIT_TITLES.get(release["unit"], (release["unit"],) * 2)
    when = fmt_date(release["as_of_date"]), fmt_date(release["as_of_date"], "en")
    stage = word(release["metric"], "id"), word(release["metric"], "en")
    agency = html.escape(release["agency"])
    return reader_table(
        release["table"],
        [Col("region", "Provinsi", "Province"), Col("value", "Jumlah", "Count", "int"),
         Col("source_url", "Sumber", "Source", "url", label="id")],
        f"{release['election']}, {agency}, {stage[0]} per {when[0]} — satuan: {unit_id}",
        f"{release['election']}, {agency}, {stage[1]} as of {when[1]} — unit: {unit_en}")


def non_asn_text(release: dict, province: str) -> str:
    """What a list that is not ASN-only adds up to against the national total of the same
    release, why it is never a rate, and where the chosen ``province`` stands: its count, or
    that it is not listed (unknown, not zero) (Markdown, both languages)."""
    table = release["table"]
    n, listed = len(table), table["value"].sum()
    national = release["national"]
    total = (fmt_int(national), fmt_int(national, "en")) if national is not None else ("–", "–")
    rows = table[table["region"] == province]
    name = md(province)
    if rows.empty:
        where = (f"{name} tidak tercantum dalam daftar ini: hitungannya tidak diketahui, bukan "
                 "nol.", f"{name} is not in this list: its count is unknown, not zero.")
    else:
        count = float(rows["value"].iloc[0])
        where = (f"{name} tercantum dengan {fmt_int(count)} (satuan yang sama).",
                 f"{name} is listed with {fmt_int(count, 'en')} (the same unit).")
    return (f"{fmt_int(n)} provinsi tercantum, jumlahnya {fmt_int(listed)} dari {total[0]} secara "
            f"nasional; bukan ASN saja, jadi tidak pernah dibagi jumlah ASN. {where[0]} / " + en(
                f"{fmt_int(n, 'en')} provinces listed, adding up to {fmt_int(listed, 'en')} of "
                f"{total[1]} nationally; not ASN only, so never divided by an ASN headcount. "
                f"{where[1]}"))


def detection_table(rows: pd.DataFrame):
    """Bawaslu's own findings against all cases, per election, with the date each held."""
    return reader_table(
        rows,
        [Col("election", "Pemilihan", "Election"),
         Col("own", "Temuan Bawaslu sendiri", "Bawaslu's own findings", "int"),
         Col("total", "Semua kasus", "All cases", "int"),
         Col("share", "Porsi temuan sendiri", "Share found by Bawaslu", "pct"),
         Col("date", "Tanggal", "Date", "date"),
         Col("date_basis", "Jenis tanggal", "Date kind", "word"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days")],
        "Sumber deteksi: temuan Bawaslu dibanding laporan masyarakat",
        "Detection source: Bawaslu's own findings against public reports")


def profiles_table(profile: pd.DataFrame):
    """The latest published percentage per category and election (descriptive)."""
    shown = profile.reset_index()
    shown.columns.name = None
    return reader_table(
        shown,
        [Col("breakdown", "Rincian", "Breakdown", "word"), Col("category", "Kategori", "Category")]
        + [Col(c, f"{c} (%)", f"{c} (%)", "num", 1) for c in profile.columns],
        "Profil pelanggaran: persen terbaru yang dipublikasikan",
        "Violation profiles: latest published percentages")
