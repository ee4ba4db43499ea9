"""Report 06, section 4: incumbency on a register (rate ratio of recorded cases, hazard ratio of
the executed sanction), and the national counts of incumbents running as context."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FixedLocator, NullLocator

from .. import plots
from ..formatting import fmt_date, fmt_int, fmt_num
from ..plots import PALETTE, finish
from ..reader_tables import Col, en, reader_table
from .register_page import RegisterPage, prose

QUANTITY_WORDS = {
    "incumbents_running": ("petahana maju lagi", "incumbents running again"),
    "incumbent_pairs_rerunning": ("pasangan petahana maju bersama lagi",
                                  "incumbent pairs running again together"),
    "incumbents_won": ("daerah dengan petahana menang", "regions where the incumbent won"),
    "incumbents_lost": ("daerah dengan petahana kalah", "regions where the incumbent lost"),
    "incumbents_eligible": ("petahana yang berhak maju (bukan calon)",
                            "incumbents eligible to run (not candidates)"),
    "candidate_pairs": ("pasangan calon", "candidate pairs"),
    "single_candidate_races": ("daerah dengan calon tunggal", "single-candidate races"),
}
OFFICE_WORDS = {
    "governor": ("gubernur", "governor"), "vice_governor": ("wakil gubernur", "vice-governor"),
    "regent": ("bupati", "regent"), "vice_regent": ("wakil bupati", "vice-regent"),
    "mayor": ("wali kota", "mayor"), "vice_mayor": ("wakil wali kota", "vice-mayor"),
    "head_or_deputy": ("kepala daerah atau wakil", "head or deputy"),
}
UNIT_WORDS = {"persons": ("orang", "persons"), "regions": ("daerah", "regions"),
              "candidate_pairs": ("pasangan calon", "candidate pairs"),
              "percent": ("persen", "percent")}


def _pair(words: dict, code: str) -> str:
    pair = words.get(code)
    if pair is None:
        return str(code).replace("_", " ") if code else "–"
    return f"{pair[0]} / {pair[1]}"


def _ratio_text(lang: str, what: str, result: dict, value: str, planted: float | None) -> str:
    num = lambda x: fmt_num(x, lang, 2)  # noqa: E731
    text = (f"{what} {num(result[value])} (95%: {num(result['low'])}–{num(result['high'])}; "
            f"G = {result['n_clusters']})")
    if planted is not None:
        text += f"; {'ditanam' if lang == 'id' else 'planted'} {num(planted)}"
    return text


def effects_text(effects: dict, planted: dict, page: RegisterPage) -> str:
    """The two incumbency ratios with their intervals, clusters, planted values (synthetic) and
    verdicts (Markdown, both languages)."""
    rate, hz = effects["rate"], effects["hazard"]
    v_rate, v_hz = effects["rate_verdict"], effects["hazard_verdict"]
    p_rate, p_hz = planted.get("incumbent_rate_ratio"), planted.get("incumbent_hazard_ratio")
    return (
        f"{page.mark_md}**Deteksi**: "
        + _ratio_text("id", "rasio laju", rate, "rate_ratio", p_rate)
        + f". {prose(v_rate.text('id'))} / " + en(
            "**Detection**: " + _ratio_text("en", "rate ratio", rate, "rate_ratio", p_rate)
            + f". {prose(v_rate.text('en'))}") + "\n\n"
        "**Penegakan**: "
        + _ratio_text("id", "rasio bahaya", hz, "hazard_ratio", p_hz)
        + f". {prose(v_hz.text('id'))} / " + en(
            "**Enforcement**: " + _ratio_text("en", "hazard ratio", hz, "hazard_ratio", p_hz)
            + f". {prose(v_hz.text('en'))}"))


def draw_incumbency(effects: dict, page: RegisterPage, lang: str):
    """Rate ratio of recorded cases and hazard ratio of the executed sanction where the
    incumbent runs, with 95% intervals, on a log scale around 1; verdicts in the title."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    rate, hz = effects["rate"], effects["hazard"]
    v_rate, v_hz = effects["rate_verdict"], effects["hazard_verdict"]
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 2.6))
    labels = [t("deteksi:\nrasio laju", "detection:\nrate ratio"),
              t("penegakan:\nrasio bahaya", "enforcement:\nhazard ratio")]
    vals = [(rate["rate_ratio"], rate["low"], rate["high"]),
            (hz["hazard_ratio"], hz["low"], hz["high"])]
    for i, (e, lo, hi) in enumerate(vals):
        ax.errorbar(e, i, xerr=[[e - lo], [hi - e]], fmt="o", capsize=3, color=PALETTE[i])
    ax.axvline(1, color="black", lw=0.8)
    ax.set_yticks([0, 1], labels)
    ax.set_ylim(-0.6, 1.6)
    ax.set_xscale("log")
    low = min(v[1] for v in vals + [(1, 1, 1)])
    high = max(v[2] for v in vals + [(1, 1, 1)])
    ax.set_xlim(low / 1.15, high * 1.15)
    ticks = [x for x in (0.25, 0.5, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4)
             if low / 1.15 <= x <= high * 1.15]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 2))
    ax.set_xlabel(t("petahana maju vs tidak (skala log)", "incumbent running vs not (log scale)"))
    title = t(f"Petahana maju: rasio laju {fmt_num(rate['rate_ratio'], 'id', 2)} "
              f"[{v_rate.label('id')}], rasio bahaya sanksi "
              f"{fmt_num(hz['hazard_ratio'], 'id', 2)} [{v_hz.label('id')}]",
              f"Incumbent running: rate ratio {fmt_num(rate['rate_ratio'], 'en', 2)} "
              f"[{v_rate.label('en')}], hazard ratio of sanction "
              f"{fmt_num(hz['hazard_ratio'], 'en', 2)} [{v_hz.label('en')}]")
    g = rate["n_clusters"]
    finish(fig, title, page.source(
               lang, f"binomial negatif dan Cox, galat ber-klaster; G\u00a0=\u00a0{g}; "
               "garis: interval 95%",
               f"NB with clustered errors, Cox with clustered errors; G\u00a0=\u00a0{g}; "
               "bars: 95% intervals"),
           synthetic=page.synthetic, lang=lang)
    alt = t(f"{page.mark('id')}Rasio laju kasus tercatat dan rasio bahaya sanksi yang "
            f"dijalankan di wilayah tempat petahana maju. {title}.",
            f"{page.mark('en')}Rate ratio of recorded cases and hazard ratio of the executed "
            f"sanction where the incumbent runs. {title}.")
    return fig, alt


def national_candidates_table(national: pd.DataFrame):
    """The national counts of candidates and incumbents per election, as published (context,
    never a count of violations)."""
    return reader_table(
        national.assign(
            cycle=national["cycle"].astype(str),
            quantity_text=national["quantity"].map(lambda q: _pair(QUANTITY_WORDS, q)),
            office_text=national["office"].map(lambda o: _pair(OFFICE_WORDS, o) if o else "–"),
            unit_text=national["unit"].map(lambda u: _pair(UNIT_WORDS, u)),
            value_text=[fmt_int(v) if float(v).is_integer() else fmt_num(v, "id", 2)
                        for v in national["value"]]),
        [Col("cycle", "Pilkada", "Pilkada"),
         Col("quantity_text", "Yang dihitung", "What is counted", "pair"),
         Col("office_text", "Jabatan", "Office", "pair"),
         Col("value_text", "Jumlah", "Count"),
         Col("unit_text", "Satuan", "Unit", "pair"),
         Col("as_of_date", "Tanggal data", "As of", "date"),
         Col("source_url", "Sumber", "Source", "url", label="agency")],
        "Angka nasional calon dan petahana per Pilkada, sebagaimana dipublikasikan (konteks, "
        "bukan hitungan pelanggaran)",
        "National counts of candidates and incumbents per Pilkada, as published (context, not "
        "a count of violations)")


def incumbents_running_text(running: pd.DataFrame) -> str:
    """Per cycle, the published national count of incumbents on the ballot, its unit and
    source (Markdown, both languages); figures of different sources are listed apart."""
    from ..safe_text import md

    def one(r, lang):
        unit = UNIT_WORDS.get(r.unit, (r.unit, r.unit))[0 if lang == "id" else 1]
        when = fmt_date(r.as_of_date, lang) if r.as_of_date else (
            "tanpa tanggal" if lang == "id" else "undated")
        return f"Pilkada {r.cycle}: {fmt_int(r.value, lang)} {unit} ({md(r.agency)}, {when})"

    if running.empty:
        return ("Belum ada angka nasional petahana yang maju. / "
                + en("No national count of incumbents running has been published."))
    parts_id = "; ".join(one(r, "id") for r in running.itertuples())
    parts_en = "; ".join(one(r, "en") for r in running.itertuples())
    return (f"Petahana yang maju lagi, angka nasional yang dipublikasikan: {parts_id}. Kepala "
            "daerah dan wakil dijumlahkan hanya dalam satu sumber dan satu tanggal. / " + en(
                f"Incumbents running again, published national counts: {parts_en}. Heads and "
                "deputies are added up only within one source and one date."))
