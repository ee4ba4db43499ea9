"""Register overview (notebook 05): what a case register holds, every published count suppressed.

A register is case-level data about persons, so nothing counted from it is published as is:
every table goes through :mod:`analysis.methods.disclosure` -- counts from 1 to ``threshold - 1``
(default 5) are hidden, and when a table shows totals, other cells are hidden too until no
hidden cell can be narrowed below the threshold; every hidden cell shows the same mark
(``"x"``), which stands for any count. :mod:`analysis.findings.register_tables` protects the
tables of one register together and plays the attacker over all of them. The published frames
hold the *display text only*, never the counts behind a hidden cell.

A register is opened by :func:`analysis.data.registers.opening.open_register` (empty = the
SYNTHETIC demo register, else a name or a folder path).
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from ..methods import disclosure

THRESHOLD = 5
SUPPRESSED_MARKS = ("<", disclosure.HIDDEN_MARK)  # "<5": prose and rounded tables

# Bilingual labels (Indonesian, English) of the codes of the register's category columns.
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "position_level": {
        "jpt": ("JPT (pimpinan tinggi)", "senior executive (JPT)"),
        "administrator": ("administrator", "administrator"),
        "pengawas": ("pengawas", "supervisor"),
        "pelaksana": ("pelaksana", "staff"),
        "fungsional": ("fungsional", "functional"),
        "other": ("lainnya", "other"),
        "": ("tidak tercatat", "not recorded"),
    },
    "violation_type": {
        "social_media": ("media sosial", "social media"),
        "partisan_activity": ("kegiatan partisan", "partisan activity"),
        "photo_with_candidate": ("foto bersama calon", "photo with a candidate"),
        "attend_declaration": ("menghadiri deklarasi", "attending a declaration"),
        "approach_party": ("mendekati partai", "approaching a party"),
        "other": ("lainnya", "other"),
        "": ("tidak tercatat", "not recorded"),
    },
    "detection_source": {
        "bawaslu_finding": ("temuan Bawaslu", "Bawaslu finding"),
        "public_report": ("laporan masyarakat", "public report"),
        "social_media_monitoring": ("patroli siber", "social media monitoring"),
        "ombudsman": ("Ombudsman", "Ombudsman"),
        "other": ("lainnya", "other"),
        "": ("tidak tercatat", "not recorded"),
    },
    "outcome": {
        "sanctioned": ("dijatuhi sanksi", "sanctioned"),
        "not_proven": ("tidak terbukti", "not proven"),
        "stopped": ("dihentikan", "stopped"),
        "pending": ("dalam proses", "pending"),
    },
}
FUNNEL_STAGES = (  # stage, date column, Indonesian, English
    ("reported", "date_report", "dilaporkan", "reported"),
    ("forwarded", "date_forwarded", "diteruskan", "forwarded"),
    ("recommended", "date_recommendation", "direkomendasikan", "recommended"),
    ("sanction_executed", "date_sanction", "sanksi dijatuhkan", "sanction imposed"),
)
LONG_PENDING_DAYS = 180
NOT_RECORDED = "tidak tercatat / not recorded"

SUPPRESSION_NOTE = {
    "id": ("Sel yang disembunyikan ditandai «x»: angka 1 sampai {k}, dan bila tabel menampilkan "
           "jumlah, sel lain secukupnya agar tidak ada sel tersembunyi yang dapat dihitung dari "
           "jumlah baris, kolom, total atau tabel lain sampai selisih kurang dari {t}. «x» dapat "
           "berarti angka berapa pun, termasuk 0. Angka 0 ditampilkan."),
    "en": ("Hidden cells are marked \"x\": counts from 1 to {k} and, where a table shows totals, "
           "enough other cells that no hidden cell can be worked out from the row, column or "
           "grand totals or from other tables to within less than {t}. \"x\" can stand for any "
           "count, 0 included. Zeros are shown."),
}


def is_synthetic(meta: dict, cases: pd.DataFrame | None = None) -> bool:
    if bool(meta.get("synthetic")):
        return True
    if cases is not None and "synthetic" in cases:
        return cases["synthetic"].astype(str).str.lower().isin(["true", "1"]).any()
    return False


def election_labels(cases: pd.DataFrame) -> pd.Series:
    """'Pilkada 2020', 'Pemilu 2019' ... per case (the order of :func:`election_order`)."""
    kind = cases["election_type"].astype(str).str.replace("_", " ").str.capitalize()
    return kind + " " + cases["cycle"].astype(str)


def election_order(cases: pd.DataFrame) -> list[str]:
    frame = pd.DataFrame({"label": election_labels(cases), "cycle": cases["cycle"].astype(int),
                          "type": cases["election_type"].astype(str)})
    return list(frame.drop_duplicates("label").sort_values(["cycle", "type"])["label"])


def label(column: str, code, lang: str = "id") -> str:
    code = "" if code is None or (isinstance(code, float) and np.isnan(code)) else str(code)
    pair = LABELS.get(column, {}).get(code)
    if pair is None:
        return code.replace("_", " ")
    return pair[0] if lang == "id" else pair[1]


def bilingual_label(column: str, code) -> str:
    a, b = label(column, code, "id"), label(column, code, "en")
    return a if a == b else f"{a} / {b}"


# --------------------------------------------------------------------------- tables
def _published_one_way(result: pd.DataFrame, name: str) -> pd.DataFrame:
    out = pd.DataFrame({name: result["label"], "cases": result["display"],
                        "suppressed": result["suppressed"], "margin": result["margin"]})
    out.attrs.update(result.attrs)
    return out


def cases_by(cases: pd.DataFrame, column: str, threshold: int = THRESHOLD,
             order: list | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases per value of ``column`` with their total, suppressed.

    Returns ``(published, protected)``: ``published`` has the bilingual label, the display text
    ("x" or the count), ``suppressed`` and ``margin``; ``protected`` is the full result of
    :func:`~analysis.methods.disclosure.suppress_one_way` (with the counts: never publish it)."""
    values = cases[column].astype(object).where(cases[column].notna(), "").astype(str)
    counts = values.value_counts()
    if order is None:
        known = list(LABELS.get(column, {}))
        order = sorted(counts.index, key=lambda k: (k not in known,
                                                    known.index(k) if k in known else 0, k))
    keys = list(order)
    counts = counts.reindex(keys, fill_value=0)
    if column == "election":
        counts.index = list(keys)
    else:
        counts.index = [bilingual_label(column, k) for k in keys]
    protected = disclosure.suppress_one_way(counts, threshold, total=True,
                                            total_label="Jumlah / Total")
    return _published_one_way(protected, "category"), protected


def cases_by_election(cases: pd.DataFrame, threshold: int = THRESHOLD):
    frame = cases.assign(election=election_labels(cases))
    return cases_by(frame, "election", threshold, order=election_order(cases))


def cases_by_region(cases: pd.DataFrame, threshold: int = THRESHOLD
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Region x election with row, column and grand totals, suppressed (two-way).

    Returns ``(published wide display table, protected long result)``."""
    frame = cases.assign(election=election_labels(cases), region=region_labels(cases))
    long = frame.groupby(["region", "election"]).size().rename("cases").reset_index()
    protected = disclosure.suppress(long, "region", "election", "cases", threshold,
                                    total_label="Jumlah / Total")
    wide = disclosure.to_wide(protected)
    order = [e for e in election_order(cases) if e in wide.columns] + ["Jumlah / Total"]
    wide = wide[order].reset_index().rename(columns={"region": "wilayah / region"})
    wide.columns.name = None
    return wide, protected


def region_labels(cases: pd.DataFrame) -> pd.Series:
    """The region of each case as the region table shows it: its name, else its code, else
    'not recorded'."""
    region = cases["region"].astype(object).where(cases["region"].notna(), "")
    code = cases["region_code"].astype(object).where(cases["region_code"].notna(), "") \
        if "region_code" in cases else ""
    coded = "kode / code " + pd.Series(code, index=cases.index).astype(str)
    return pd.Series(np.where(region != "", region,
                              np.where(code != "", coded, NOT_RECORDED)), index=cases.index)


def furthest_stage(cases: pd.DataFrame) -> pd.Series:
    """The last funnel stage each case reached (a stage is reached when its date is recorded;
    a later stage counts even if an earlier date is missing)."""
    stage = pd.Series(FUNNEL_STAGES[0][0], index=cases.index, dtype=object)
    for name, column, _, _ in FUNNEL_STAGES[1:]:
        if column in cases:
            stage = stage.where(cases[column].isna(), name)
    return stage


def funnel(cases: pd.DataFrame, threshold: int = THRESHOLD
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The enforcement funnel per election, safe to publish.

    The cumulative stages (reported >= forwarded >= recommended >= sanction imposed) differ by
    the cases that stopped at each stage, so showing them shows those differences too. The table
    published is therefore the *partition* of cases by the furthest stage reached, per election,
    with totals, suppressed like any two-way table (the attacker check covers it); a cumulative
    stage is shown only when every partition cell it sums is shown.

    Returns ``(published partition, protected long result, cumulative)`` where ``cumulative``
    has election, stage, ``cases`` (NaN when hidden) and ``display``."""
    frame = cases.assign(election=election_labels(cases), stage=furthest_stage(cases))
    elections = election_order(cases)
    stages = [s for s, *_ in FUNNEL_STAGES]
    long = (frame.groupby(["stage", "election"]).size().rename("cases")
            .reindex(pd.MultiIndex.from_product([stages, elections],
                                                names=["stage", "election"]), fill_value=0)
            .reset_index())
    protected = disclosure.suppress(long, "stage", "election", "cases", threshold,
                                    total_label="Jumlah / Total")
    wide = disclosure.to_wide(protected).loc[stages + ["Jumlah / Total"],
                                             elections + ["Jumlah / Total"]]
    names = {s: f"{i} / {e}" for s, _, i, e in FUNNEL_STAGES}
    names["Jumlah / Total"] = "Jumlah / Total"
    wide.index = [names[s] for s in wide.index]
    wide = wide.reset_index().rename(columns={"index": "tahap terakhir / furthest stage"})
    wide.columns.name = None
    cells = protected.set_index(["stage", "election"])
    rows = []
    for election in elections:
        for k, stage in enumerate(stages):
            parts = [cells.loc[(s, election)] for s in stages[k:]]
            if k == 0:
                parts = [cells.loc[("Jumlah / Total", election)]]
            hidden = any(bool(c["suppressed"]) for c in parts)
            n = float(sum(int(c["cases"]) for c in parts))
            rows.append({"election": election, "stage": stage,
                         "cases": np.nan if hidden else n,
                         "display": disclosure.HIDDEN_MARK if hidden else f"{int(n)}"})
    return wide, protected, pd.DataFrame(rows)


def data_quality(cases: pd.DataFrame, meta: dict, threshold: int = THRESHOLD
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts of data problems: missing dates and categories, pending and long-pending cases,
    sanctions without a date or severity. Items overlap (no total), so primary suppression."""
    n = len(cases)
    data_date = pd.Timestamp(meta["data_date"])
    outcome = cases["outcome"].astype(str)

    def missing(column):
        if column not in cases:
            return n
        col = cases[column]
        return int((col.isna() | (col.astype(str).str.strip() == "")).sum())

    region_missing = int(((cases["region"].isna() | (cases["region"].astype(str) == ""))
                          & (cases["region_code"].isna() | (cases["region_code"].astype(str) == ""))
                          ).sum())
    pending = outcome == "pending"
    waited = (data_date - cases["date_report"]).dt.days
    items = [
        ("date_incident", "tanggal kejadian kosong", "incident date missing",
         missing("date_incident")),
        ("region", "wilayah kosong", "region missing", region_missing),
        ("position_level", "tingkat jabatan kosong", "position level missing",
         missing("position_level")),
        ("violation_type", "jenis pelanggaran kosong", "violation type missing",
         missing("violation_type")),
        ("detection_source", "sumber temuan kosong", "detection source missing",
         missing("detection_source")),
        ("pending", "masih dalam proses pada tanggal data", "pending at the data date",
         int(pending.sum())),
        ("long_pending", f"dalam proses lebih dari {LONG_PENDING_DAYS} hari",
         f"pending for more than {LONG_PENDING_DAYS} days",
         int((pending & (waited > LONG_PENDING_DAYS)).sum())),
        ("sanction_no_date", "disanksi tanpa tanggal sanksi", "sanctioned without a sanction date",
         int(((outcome == "sanctioned") & cases["date_sanction"].isna()).sum())),
        ("sanction_no_severity", "disanksi tanpa tingkat sanksi",
         "sanctioned without a severity",
         int(((outcome == "sanctioned") & (cases["sanction_severity"].fillna("").astype(str)
                                           == "")).sum())),
    ]
    counts = pd.Series({f"{i} / {e}": v for _, i, e, v in items})
    protected = disclosure.suppress_one_way(counts, threshold, total=False)
    published = pd.DataFrame({"item": [k for k, *_ in items], "problem": protected["label"],
                              "cases": protected["display"],
                              "suppressed": protected["suppressed"]})
    return published, protected


# --------------------------------------------------------------------------- numbers for prose
def summary(cases: pd.DataFrame, meta: dict, threshold: int = THRESHOLD) -> dict:
    """Figures the notebook's prose cites, each as display text (suppressed like the tables)."""
    def shown(n: int) -> str:
        return f"<{threshold}" if 0 < n < threshold else f"{n}"

    persons = cases["person_id"].astype(str)
    n_persons = int(persons[persons != ""].nunique())
    elections = election_order(cases)
    sanctioned = int(cases["date_sanction"].notna().sum())
    return {
        "name": str(meta.get("name", "")),
        "synthetic": is_synthetic(meta, cases),
        "data_date": str(meta.get("data_date", "")),
        "cases": shown(len(cases)), "cases_n": int(len(cases)),
        "persons": shown(n_persons),
        "elections": elections,
        "regions": int(cases["region"].astype(str).replace("", np.nan).nunique()),
        "first_report": cases["date_report"].min().date().isoformat() if len(cases) else "",
        "last_report": cases["date_report"].max().date().isoformat() if len(cases) else "",
        "sanctioned": shown(sanctioned),
        "sanctioned_share": (sanctioned / len(cases)) if len(cases) >= threshold
        and sanctioned >= threshold else None,
    }


def suppressed_count(published: pd.DataFrame, column: str = "cases") -> int:
    """How many cells of a published frame are hidden (shown as "x", or "<5" in prose)."""
    values = published[column] if column in published else published.stack()
    return int(values.astype(str).str.startswith(SUPPRESSED_MARKS).sum())


def shown_number(text: str) -> float | None:
    """The count behind a display cell, or None when it is hidden."""
    text = str(text)
    return None if text.startswith(SUPPRESSED_MARKS) or not text else float(text)


def hidden_cells(wide: pd.DataFrame, label_column: str) -> int:
    """How many cells of a published wide table (labels in ``label_column``) are hidden."""
    return suppressed_count(wide.drop(columns=[label_column]).stack().rename("cases").to_frame())


def largest_shown(published: pd.DataFrame) -> pd.Series | None:
    """The inner row (not a margin) of a published one-way table with the most cases among
    those shown, with its count as ``n``; None when every inner count is hidden."""
    inner = published[~published["margin"]]
    shown = inner.assign(n=inner["cases"].map(shown_number)).dropna(subset=["n"])
    return shown.loc[shown["n"].idxmax()] if len(shown) else None


def sanction_shares(cumulative: pd.DataFrame) -> pd.Series:
    """Per election, cases with a sanction imposed as a share of cases reported (0-1), from the
    cumulative funnel's shown counts (an election with either stage hidden has none)."""
    counts = cumulative.pivot(index="election", columns="stage", values="cases")
    return (counts["sanction_executed"] / counts["reported"]).dropna()


def shown_counts(published: pd.DataFrame, column: str = "cases") -> pd.DataFrame:
    """``published`` with ``column`` as numbers: the count of a shown cell, NaN for a hidden one."""
    return published.assign(**{column: published[column].map(shown_number).astype(float)})
