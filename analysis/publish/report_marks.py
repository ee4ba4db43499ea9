"""The quantities the reports share with the briefs and the landing page, written as marks.

Each helper formats one quantity the way the brief does (same finding, same method) and wraps
it with :func:`analysis.publish.quantities.mark`, so a test can check that every page gives it
one value (:func:`analysis.publish.quantities.disagreements`). Where a report also shows the
quantity by another method, it gets another key and words that say which method.

Keys (:data:`KEYS`; the brief and the landing page use the same ones):

* ``equal_lag.share_2024`` (``_low``, ``_high``): share of reported ASN already sanctioned in
  Pilkada 2024 at its first snapshot, with its Wilson 95% interval (0-1);
* ``equal_lag.range_2020_low`` / ``_high``: what Pilkada 2020 can have been at that lag, between
  its two bracketing snapshots (0-1);
* ``province.detectable_ratio`` (and ``_poisson``): how many times the national rate the
  province's rate would have to be for a difference to be detected, in the latest release
  comparing it (with the release's overdispersion / without);
* ``province.funnel_position.adjusted.<release>`` and ``.exact.<release>``: where the province
  lies in a release's funnel plot, against the overdispersion-adjusted limits (the brief's
  reading) or the exact Poisson limits, as a number: −2 below the 99.8% limit, −1 below the
  95% limit, 0 inside, 1 above the 95% limit, 2 above the 99.8% limit.
"""
from __future__ import annotations

import re

import pandas as pd

from .formatting import fmt_days, fmt_num, fmt_pct
from .quantities import mark

KEYS = ("equal_lag.share_2024", "equal_lag.share_2024_low", "equal_lag.share_2024_high",
        "equal_lag.range_2020_low", "equal_lag.range_2020_high", "province.detectable_ratio",
        "province.detectable_ratio_poisson", "province.funnel_position.adjusted.<release>",
        "province.funnel_position.exact.<release>")
POSITIONS = {"below_998": -2, "below_95": -1, "inside": 0, "above_95": 1, "above_998": 2}
WHERE = {"below_998": ("di bawah batas 99,8%", "below the 99.8% limit"),
         "below_95": ("di bawah batas 95%", "below the 95% limit"),
         "inside": ("di dalam batas 95%", "inside the 95% limits"),
         "above_95": ("di atas batas 95%", "above the 95% limit"),
         "above_998": ("di atas batas 99,8%", "above the 99.8% limit")}


def _en(text: str) -> str:
    return f'<span lang="en">{text}</span>'


def _ids(snapshots: pd.DataFrame, cycle: int, agency: str, days) -> list[str]:
    rows = snapshots[(snapshots["cycle"] == cycle) & (snapshots["agency"] == agency)
                     & (snapshots["election_type"] == "pilkada")
                     & snapshots["days_since_vote"].isin(list(days))]
    return sorted({i for ids in rows["source_ids"].dropna() for i in str(ids).split("|") if i})


def equal_lag_sentence(e: dict, snapshots: pd.DataFrame) -> str:
    """Pilkada 2024's share sanctioned at its first snapshot with its Wilson interval, and the
    range Pilkada 2020 can have had at that lag: both languages, Indonesian first."""
    new, old = e[2024], e[2020]
    ids_new = _ids(snapshots, 2024, new["agency"], [e["lag"]])
    ids_old = _ids(snapshots, 2020, old["agency"], [old["lower_lag"], old["upper_lag"]])
    out = []
    for lang in ("id", "en"):
        def m(key, value, ids, fmt=lambda v: fmt_pct(v, lang)):
            return str(mark(key, value, fmt(value), ids))
        day = fmt_days(e["lag"], lang)
        share = (m("equal_lag.share_2024", new["p"], ids_new),
                 m("equal_lag.share_2024_low", new["low"], ids_new),
                 m("equal_lag.share_2024_high", new["high"], ids_new))
        span = (m("equal_lag.range_2020_low", old["bound_low"], ids_old),
                m("equal_lag.range_2020_high", old["bound_high"], ids_old))
        if lang == "id":
            out.append(f"Pilkada 2024 ({new['agency']}), hari {day}: {share[0]} ASN yang "
                       f"dilaporkan sudah disanksi (selang kepercayaan Wilson 95%: {share[1]}–"
                       f"{share[2]}); Pilkada 2020 ({old['agency']}) pada jeda yang sama: antara "
                       f"{span[0]} dan {span[1]}.")
        else:
            out.append(_en(f"Pilkada 2024 ({new['agency']}), day {day}: {share[0]} of reported "
                           f"ASN already sanctioned (Wilson 95% interval: {share[1]}–{share[2]});"
                           f" Pilkada 2020 ({old['agency']}) at the same lag: between {span[0]} "
                           f"and {span[1]}."))
    return " / ".join(out)


def latest_release(rows: pd.DataFrame) -> pd.Series:
    """The comparison the brief quotes: the latest release comparing the province."""
    return rows.sort_values("cycle", kind="stable").iloc[-1]


def detectable(row: pd.Series, lang: str, poisson: bool = False) -> str:
    """The ratio a difference needs to be detected in ``row`` (a comparison of
    :func:`analysis.findings.casestudy.compare_with_nation`), as '12,5': with the release's
    overdispersion, or without it (``poisson``)."""
    column = "detectable_ratio_poisson" if poisson else "detectable_ratio"
    key = "province.detectable_ratio" + ("_poisson" if poisson else "")
    ids = [i for i in (row.get("id"), row.get("national_id")) if isinstance(i, str) and i]
    return str(mark(key, row[column], fmt_num(row[column], lang, 1), ids))


def release_slug(label: str) -> str:
    """'Pilkada 2020' -> 'pilkada_2020' (the release part of a key)."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def funnel_position_sentence(table: pd.DataFrame, province: str, label: str) -> str:
    """Where ``province`` lies in one release's funnel (``label``, e.g. 'Pilkada 2020'), against
    the overdispersion-adjusted limits (as the brief reads it) and against the exact limits,
    each said with its method; empty when the release does not list the province."""
    unit = "term" if "term" in table else "region"  # the unit column of a funnel table
    rows = table[table[unit] == province]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    slug = release_slug(label)
    ids = [row["id"]] if isinstance(row.get("id"), str) and row["id"] else []
    out = []
    for lang in ("id", "en"):
        parts = {}
        for method, column in (("adjusted", "position_adj"), ("exact", "position")):
            position = row.get(column)
            if not isinstance(position, str) or position not in POSITIONS:
                continue
            parts[method] = str(mark(f"province.funnel_position.{method}.{slug}",
                                     POSITIONS[position],
                                     WHERE[position][0 if lang == "id" else 1], ids))
        if not parts:
            return ""
        words = {"id": {"adjusted": "batas yang disesuaikan overdispersi, seperti di ringkasan "
                                    "kebijakan",
                        "exact": "batas eksak Poisson, tanpa overdispersi"},
                 "en": {"adjusted": "limits adjusted for overdispersion, as in the policy brief",
                        "exact": "exact Poisson limits, without overdispersion"}}[lang]
        said = "; ".join(f"{parts[m]} ({words[m]})" for m in ("adjusted", "exact") if m in parts)
        text = f"{province}, {label}: {said}."
        out.append(text if lang == "id" else _en(text))
    return " / ".join(out)
