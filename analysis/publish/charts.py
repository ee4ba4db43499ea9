"""The key charts of the policy brief, drawn in the brief's language from the headlines.

Each function returns (figure, alt text, title). Every title starts with the verdict of its
headline (``analysis.findings.verdicts``) and states no difference the verdict does not
support: a "cannot tell" title names no direction (tests/test_briefs.py checks this).
"""
from __future__ import annotations

import matplotlib.pyplot as plt

from .formatting import fmt_date, fmt_num, fmt_pct
from .plots import HIGHLIGHT, NEUTRAL, PALETTE, finish

TEXT = {
    "id": {
        "days": "hari sejak pemungutan suara",
        "follow_up": "sanksi dijalankan / direkomendasikan (%)",
        "vote": "hari pemungutan suara",
        "follow_title": "[{verdict}] Tindak lanjut kumulatif Pilkada 2020: {first} (hari {d1}), "
                        "{vote} (hari {dv}), {last} (hari {d2})",
        "follow_alt": "Grafik titik tindak lanjut sanksi KASN menurut hari sejak pemungutan suara "
                      "Pilkada 2020, dengan interval 95%. {title}.",
        "follow_source": "KASN, potret {first} s.d. {last}; interval Wilson 95%",
        "lag_x": "% ASN dilaporkan yang sudah disanksi pada hari ke-{lag}",
        "lag_title": "[{verdict}] Hari ke-{lag}: Pilkada 2020 ({old_agency}) antara {b_low} dan "
                     "{b_high} (diinterpolasi {p2020}), Pilkada 2024 ({new_agency}) {p2024}",
        "lag_alt": "Rentang 2020 di antara dua potret dan titik 2024 dengan interval 95%. {title}.",
        "lag_source": "{old_agency} 2020: potret hari {lo} dan {hi} (interval Wilson), rentang "
                      "berlaku untuk hitungan kumulatif; {new_agency} 2024 (Wilson 95%). "
                      "Dinyatakan setara: {decl}",
        "snap": "potret hari {lag}",
        "interp": "diinterpolasi (bukan hitungan)",
        "prov_x": "kasus per 10.000 PNS (potret, bukan total siklus)",
        "prov_alt": "Tingkat kasus per 10.000 PNS untuk {province} dan nasional per rilis. "
                    "{title}.",
        "prov_source": "Bawaslu (daftar provinsi dan total nasional, potret bertanggal); PNS per "
                       "provinsi {year}; tanpa interval Poisson karena overdispersi",
        "national": "nasional",
        "prov_title": "[{verdict}] {province} dibanding provinsi lain: {items}",
        "prov_item": "{election} {count} kasus, potret {date} (hari {lag})",
    },
    "en": {
        "days": "days since voting day",
        "follow_up": "sanctions executed / recommended (%)",
        "vote": "voting day",
        "follow_title": "[{verdict}] Pilkada 2020 cumulative follow-up: {first} (day {d1}), "
                        "{vote} (day {dv}), {last} (day {d2})",
        "follow_alt": "Dot chart of KASN sanction follow-up by days since the Pilkada 2020 vote, "
                      "with 95% intervals. {title}.",
        "follow_source": "KASN, snapshots {first} to {last}; Wilson 95% intervals",
        "lag_x": "% of reported ASN sanctioned by day {lag}",
        "lag_title": "[{verdict}] Day {lag}: Pilkada 2020 ({old_agency}) between {b_low} and "
                     "{b_high} (interpolated {p2020}), Pilkada 2024 ({new_agency}) {p2024}",
        "lag_alt": "The 2020 range between two snapshots and the 2024 point with its 95% "
                   "interval. {title}.",
        "lag_source": "{old_agency} 2020: snapshots of day {lo} and {hi} (Wilson intervals); the "
                      "range holds for cumulative counts; {new_agency} 2024 (Wilson 95%). "
                      "Declared equivalent: {decl}",
        "snap": "snapshot day {lag}",
        "interp": "interpolated (not a count)",
        "prov_x": "cases per 10,000 PNS (snapshots, not cycle totals)",
        "prov_alt": "Case rates per 10,000 PNS for {province} and the country, per release. "
                    "{title}.",
        "prov_source": "Bawaslu (province lists and national totals, dated snapshots); PNS by "
                       "province {year}; no Poisson intervals because of overdispersion",
        "national": "national",
        "prov_title": "[{verdict}] {province} against the other provinces: {items}",
        "prov_item": "{election} {count} case(s), snapshot {date} (day {lag})",
    },
}


def follow_up_chart(h: dict, lang: str):
    t = TEXT[lang]
    f = h["follow_up"]
    fig, ax = plt.subplots(figsize=(7.5, 3.3))
    pts = f["points"]
    ax.errorbar([p["day"] for p in pts], [100 * p["p"] for p in pts],
                yerr=[[100 * (p["p"] - p["low"]) for p in pts], [100 * (p["high"] - p["p"]) for p in pts]],
                fmt="o-", color=PALETTE[0], capsize=2)
    ax.axvline(0, color="black", lw=0.8)
    ax.text(3, 5, t["vote"], fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_xlabel(t["days"])
    ax.set_ylabel(t["follow_up"])
    title = t["follow_title"].format(
        verdict=f["verdict"].label(lang), first=fmt_pct(f["first"]["p"], lang, 0),
        d1=f["first"]["day"], vote=fmt_pct(f["at_vote"]["p"], lang, 0), dv=f["at_vote"]["day"],
        last=fmt_pct(f["last"]["p"], lang, 0), d2=f["last"]["day"])
    finish(fig, title, t["follow_source"].format(first=fmt_date(f["first"]["as_of"], lang),
                                                  last=fmt_date(f["last"]["as_of"], lang)))
    return fig, t["follow_alt"].format(title=title), title


def equal_lag_chart(h: dict, lang: str):
    t = TEXT[lang]
    e = h["equal_lag"]
    old, new = e[2020], e[2024]
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    # 2020: the two bracketing snapshots with their intervals, the cumulative range, and the
    # interpolated value drawn hollow (an estimate, not a count)
    ax.hlines(1, 100 * old["bound_low"], 100 * old["bound_high"], color=PALETTE[0], lw=6,
              alpha=0.25)
    for side, dy in (("lower", 0.18), ("upper", -0.18)):
        p = old[f"{side}_p"]
        ax.errorbar(100 * p, 1 + dy, xerr=[[100 * (p - old[f"{side}_low"])],
                                           [100 * (old[f"{side}_high"] - p)]],
                    fmt="o", capsize=3, color=PALETTE[0])
        ax.text(100 * old[f"{side}_high"] + 1, 1 + dy,
                t["snap"].format(lag=old[f"{side}_lag"]) + f" ({old[f'{side}_counts']})",
                va="center", fontsize=7)
    if old["method"] == "interpolated":
        ax.plot(100 * old["p"], 1, "o", mfc="white", color=PALETTE[0])
        ax.text(100 * old["p"], 1.38, t["interp"], fontsize=7, ha="center")
    ax.errorbar(100 * new["p"], 0, xerr=[[100 * (new["p"] - new["low"])],
                                         [100 * (new["high"] - new["p"])]],
                fmt="o", capsize=4, color=PALETTE[1])
    ax.text(100 * new["high"] + 1.5, 0, fmt_pct(new["p"], lang), va="center", fontsize=9)
    ax.set_yticks([0, 1], [f"Pilkada 2024 · {new['agency']}", f"Pilkada 2020 · {old['agency']}"])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlabel(t["lag_x"].format(lag=e["lag"]))
    title = t["lag_title"].format(
        verdict=e["verdict"].label(lang), lag=e["lag"], old_agency=old["agency"],
        new_agency=new["agency"], b_low=fmt_pct(old["bound_low"], lang),
        b_high=fmt_pct(old["bound_high"], lang), p2020=fmt_pct(old["p"], lang),
        p2024=fmt_pct(new["p"], lang))
    decl = e["equivalence"]["source"] if e.get("equivalence") else "–"
    finish(fig, title, t["lag_source"].format(old_agency=old["agency"], lo=old["lower_lag"],
                                              hi=old["upper_lag"], new_agency=new["agency"],
                                              decl=decl))
    return fig, t["lag_alt"].format(title=title), title


def province_chart(h: dict, lang: str):
    t = TEXT[lang]
    pr = h["province"]
    rows = pr["comparisons"]
    fig, ax = plt.subplots(figsize=(7.5, 0.8 * len(rows) + 1.6))
    labels = []
    for i, r in enumerate(rows):
        ax.plot(r["rate"], i + 0.15, "o", color=HIGHLIGHT)
        ax.plot(r["national_rate"], i - 0.15, "o", color=NEUTRAL)
        labels.append(f"{r['election']}\n({fmt_date(r['as_of_date'], lang)})")
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_xlabel(t["prov_x"])
    ax.plot([], [], "o", color=HIGHLIGHT, label=pr["province"])
    ax.plot([], [], "o", color=NEUTRAL, label=t["national"])
    ax.legend(fontsize=8, loc="lower right")
    ax.set_xlim(left=0)
    items = "; ".join(t["prov_item"].format(election=r["election"], count=int(r["count"]),
                                            date=fmt_date(r["as_of_date"], lang),
                                            lag=int(r["days_since_vote"]))
                      for r in rows)
    title = t["prov_title"].format(verdict=pr["verdict"].label(lang), province=pr["province"],
                                   items=items)
    finish(fig, title, t["prov_source"].format(year=pr["pns_year"]))
    return fig, t["prov_alt"].format(province=pr["province"], title=title), title


__all__ = ["follow_up_chart", "equal_lag_chart", "province_chart", "fmt_num"]
