"""What a province's own record holds: its supervision measures, the supervision figures the
ledger holds about it (posts, working groups, supervision acts, red-zone status, cyber-patrol
counts), its published case counts per regency for one Pilkada, the sanctions published about
it, and its re-run elections with their figures.

Everything is read from ``data/raw`` for the province and its regencies/cities
(``casestudy.province_regions``), so any province gives the same record. Plain rows and words in
both languages (``KIND_WORDS``, ``ACTIVITY_WORDS``, ``METRIC_WORDS``); the verdicts on what the
record shows come from :mod:`analysis.findings.verdicts`.
"""
from __future__ import annotations

import pandas as pd

from . import casestudy, verdicts

# a measure's kind (vocabulary.MEASURE_KINDS) in plain words: (Indonesian, English)
KIND_WORDS = {
    "decree": ("surat keputusan bersama", "joint decree"),
    "circular": ("surat edaran", "circular letter"),
    "mou": ("nota kesepahaman", "memorandum of understanding"),
    "monitoring": ("pemantauan dan patroli siber", "monitoring and cyber patrol"),
    "complaint_channel": ("kanal pengaduan", "complaint channel"),
    "pledge": ("ikrar atau pakta integritas", "neutrality pledge or integrity pact"),
    "training": ("sosialisasi dan pembekalan ASN", "briefing of civil servants"),
    "blocking_of_records": ("pemblokiran data kepegawaian", "blocking of personnel records"),
    "working_group": ("kelompok kerja", "working group"),
    "reprimand": ("teguran kepada kepala daerah", "reprimand of regional heads"),
    "appeal_letter": ("surat imbauan", "appeal letter"),
    "institutional_change": ("pengalihan tugas KASN ke BKN", "handover from KASN to BKN"),
}
# a supervision figure's category in the ledger, in plain words
ACTIVITY_WORDS = {
    "supervision acts": ("kegiatan pengawasan kampanye", "campaign supervision acts"),
    "contents": ("konten internet melanggar dari patroli siber",
                 "violating internet contents found by cyber patrol"),
    "flag (1=red zone)": ("ditetapkan zona merah kerawanan netralitas ASN",
                          "designated a red zone for ASN-neutrality risk"),
    "indications": ("dugaan pelanggaran yang ditelusuri", "indications traced"),
    "posko": ("posko pengaduan", "complaint post"),
    "pokja": ("kelompok kerja", "working group"),
    "portal": ("portal pengaduan daring", "online complaint portal"),
    "mou": ("nota kesepahaman", "memorandum of understanding"),
    "letter": ("surat imbauan", "appeal letter"),
    "event": ("kegiatan (ikrar, rapat, kunjungan)", "event (pledge, meeting, visit)"),
    "circular": ("surat edaran", "circular letter"),
    "plan": ("rencana tim bersama", "planned joint team"),
    "system": ("sistem", "system"),
}
# what a case figure counts
METRIC_WORDS = {
    "reported": ("dilaporkan atau ditemukan", "reported or found"),
    "forwarded": ("diteruskan", "forwarded"),
    "not_violation": ("dinyatakan bukan pelanggaran", "found not a violation"),
    "sanction_executed": ("sanksi dijalankan", "sanction executed"),
    "other": ("semua jenis pelanggaran, bukan hanya ASN", "all kinds of violation, not only ASN"),
}
CASE_METRICS = tuple(METRIC_WORDS)
# supervision figures that count activity (the other categories record one measure each, and
# the measures table already lists those)
ACTIVITY_COUNTS = ("supervision acts", "contents", "flag (1=red zone)")
CASE_UNITS = ("cases", "reports", "ASN", "persons")
NOT_CASE_AGENCIES = ("KPU",)  # candidate pairs and votes, not cases


def _when(frame: pd.DataFrame) -> pd.Series:
    """The date a figure held: its as-of date, else its publication date (ISO text)."""
    return frame["as_of_date"].where(frame["as_of_date"] != "", frame["published_date"])


def measures(measures_table: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The measures in ``names`` (the province first, then its regencies), oldest first (undated
    last), with ``words_id``/``words_en`` for the kind."""
    rows = measures_table[measures_table["region"].isin(names)].copy()
    rows["words_id"] = rows["kind"].map(lambda k: KIND_WORDS.get(k, (k, k))[0])
    rows["words_en"] = rows["kind"].map(lambda k: KIND_WORDS.get(k, (k, k))[1])
    rows["_undated"] = rows["start_date"] == ""
    return rows.sort_values(["_undated", "start_date", "measure_id"]).drop(
        columns="_undated").reset_index(drop=True)


def activity(figures: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The ledger's counts of supervision activity about ``names`` (metric
    ``supervision_measure``, categories :data:`ACTIVITY_COUNTS`), with the date each held
    (``when``) and plain words for the category, oldest first."""
    rows = figures[(figures["metric"] == "supervision_measure") & figures["region"].isin(names)
                   & figures["category"].isin(ACTIVITY_COUNTS)]
    rows = rows.assign(when=_when(rows))
    rows["words_id"] = rows["category"].map(lambda c: ACTIVITY_WORDS.get(c, (c, c))[0])
    rows["words_en"] = rows["category"].map(lambda c: ACTIVITY_WORDS.get(c, (c, c))[1])
    return rows.sort_values(["when", "id"]).reset_index(drop=True)


def case_figures(figures: pd.DataFrame, names: list[str], cycle: int | None = None,
                 election_type: str | None = None) -> pd.DataFrame:
    """Case counts about ``names`` (every agency but KPU), optionally for one election; ``asn_only``
    is False for figures that count every kind of violation or non-ASN staff."""
    rows = figures[figures["region"].isin(names) & figures["metric"].isin(CASE_METRICS)
                   & figures["unit"].isin(CASE_UNITS) & ~figures["agency"].isin(NOT_CASE_AGENCIES)]
    if cycle is not None:
        rows = rows[rows["cycle"] == cycle]
    if election_type is not None:
        rows = rows[rows["election_type"] == election_type]
    rows = rows.assign(when=_when(rows), asn_only=rows["metric"] != "other")
    rows["words_id"] = rows["metric"].map(lambda m: METRIC_WORDS[m][0])
    rows["words_en"] = rows["metric"].map(lambda m: METRIC_WORDS[m][1])
    order = {n: i for i, n in enumerate(names)}
    rows = rows.assign(_order=rows["region"].map(order))
    return rows.sort_values(["_order", "when", "id"]).drop(columns="_order").reset_index(drop=True)


def reruns(elections: pd.DataFrame, figures: pd.DataFrame, names: list[str]) -> list[dict]:
    """The province's re-run elections (``election_type`` ending in ``_rerun``): cycle, region,
    race, voting day, and the case figures about the same re-run, oldest first."""
    rows = elections[elections["region"].isin(names)
                     & elections["election_type"].str.endswith("_rerun")]
    out = []
    for (cycle, election_type), g in rows.groupby(["cycle", "election_type"], sort=True):
        races = []
        for region, r in g.groupby("region", sort=True):
            day = next((d for d in r["voting_day"] if d), "")
            races.append({"region": region, "race": r["race"].iloc[0], "voting_day": day})
        out.append({"cycle": int(cycle), "election_type": election_type, "races": races,
                    "figures": case_figures(figures, names, int(cycle), election_type)})
    return out


def record(figures: pd.DataFrame, measures_table: pd.DataFrame, elections: pd.DataFrame,
           regions: pd.DataFrame, province: str, cycle: int | None) -> dict:
    """Everything the brief and scorecard show of the province's own material: ``measures``,
    ``national_measures``, ``activity``, ``cases`` (Pilkada ``cycle`` per regency), ``sanctions``
    (every executed-sanction figure about it), ``reruns``, and the verdicts ``measures_verdict``,
    ``national_measures_verdict`` and ``enforcement_verdict``."""
    names = casestudy.province_regions(regions, province)
    own = measures(measures_table, names)
    national = measures(measures_table, ["Indonesia"])
    sanctions = case_figures(figures, names)
    sanctions = sanctions[sanctions["metric"] == "sanction_executed"].sort_values("when")
    cases = (case_figures(figures, names, cycle, "pilkada") if cycle is not None
             else case_figures(figures, [])).query("region != @province")
    return {"province": province, "names": names, "measures": own,
            "national_measures": national, "activity": activity(figures, names),
            "cases": cases.reset_index(drop=True), "cases_cycle": cycle,
            "sanctions": sanctions.reset_index(drop=True),
            "reruns": reruns(elections, figures, names),
            "measures_verdict": verdicts.measures_recorded(own["source_quality"].tolist(),
                                                           province),
            "national_measures_verdict": verdicts.measures_recorded(
                national["source_quality"].tolist(), "Indonesia"),
            "enforcement_verdict": verdicts.province_enforcement(len(sanctions), province)}
