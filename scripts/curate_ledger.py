"""Curate the collected source tables into the evidence ledger ``data/raw/published_figures.csv``.

A developer tool, not part of the build: run it (``make curate``, or
``python scripts/curate_ledger.py --sources DIR``) when ``../shared/sources/`` changes, review the
diff of the ledger, and commit both. Every harmonisation decision lives here, as a rule or as a
row in ``scripts/curation_overrides.csv``; nothing is edited by hand in the ledger. Figures added
with ``python -m analysis ledger add`` (empty ``source_file``) are kept as they are, after the
curated rows. ``scripts/curation_log.csv`` accounts for every source row: which raw file took it
(the ledger, ``candidates.csv``, or the hand-curated elections / headcount / regions files) or
why it was left out (an ``exclude`` override, with its reason).

``scout_2026_12.csv`` has its own columns: each row carries the quote it was read from and the
collector's confidence note, which become the row's note. A scout row is kept only when its
quote (or, for the region and election, the page address) states the value, the unit, the
region and the election; the speaker and the dates may come from the confidence note, which
records them from the page. Rows that fail are excluded with the reason.

Rules, in order:
1. cycle/election type: labels such as "Pilkada 2020" become ``2020`` + ``pilkada``; races
   (pilbup, pilwako, pilgub) are ``pilkada``; re-runs are ``pilkada_rerun``; figures about a
   calendar year or between cycles are ``calendar_year``.
2. rows that belong to another raw file are routed there (voting days, regions holding
   elections, incumbents -> elections.csv; PNS/ASN/PPPK totals -> asn_headcount.csv; region
   codes -> regions.csv); national counts of candidates and incumbents are written to
   candidates.csv (``CANDIDATE_METRICS``).
3. region: resolved through ``data/raw/regions.csv`` (canonical name or alias); national rows
   are ``Indonesia``.
4. agency: the body whose data the figure is (``AGENCY_RULES``); the agency as printed is kept
   in ``agency_detail``; relays ("via", "citing") make the source ``secondary``.
5. metric: one funnel vocabulary across files (``analysis.vocabulary.METRICS``); Bawaslu
   "recommended to KASN/BKN" is ``forwarded``; Bawaslu findings and public reports are
   ``reported`` with breakdown ``detection_source``; rows about non-ASN staff are ``other``;
   counts that mix ASN with other people or other violations keep their stage and take a unit
   of ``analysis.vocabulary.NOT_ASN_ONLY_UNITS`` (overrides), which no ASN rate uses.
6. unit: one vocabulary (``UNIT_MAP``); qualifiers printed in the unit or note ("more than",
   "about", "forecast") go to ``value_qualifier``.
7. exact duplicates (same figure, same page, in two source files) are merged; the kept row's
   note names the other. Conflicting figures are all kept.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import paths  # noqa: E402
from analysis.data.regions import RegionResolver  # noqa: E402
from analysis.data.schemas import CANDIDATES  # noqa: E402
from analysis.data.vocabulary import LEDGER_COLUMNS, METRICS, UNITS  # noqa: E402

SOURCES_DIR = ROOT.parent / "shared" / "sources"
SOURCE_FILES = {
    "national_figures.csv": "nf",
    "babel_and_exposure.csv": "bb",
    "additional_figures.csv": "af",
    "scout_2026_12.csv": "sd",
}
OVERRIDES = ROOT / "scripts" / "curation_overrides.csv"
LOG = ROOT / "scripts" / "curation_log.csv"
LOG_COLUMNS = ["id", "source_file", "source_row", "destination", "reason"]

ROUTED = {
    "voting_day": "elections.csv",
    "regions_in_election": "elections.csv",
    "election_held": "elections.csv",
    "incumbent_running": "elections.csv",
    "asn_total": "asn_headcount.csv",
    "pns_total": "asn_headcount.csv",
    "pppk_total": "asn_headcount.csv",
    "region_code": "regions.csv",
}
# National counts of candidates and incumbents (source metric -> candidates.csv quantity).
CANDIDATE_METRICS = {
    "candidate_pairs": "candidate_pairs",
    "single_candidate_regions": "single_candidate_races",
    "incumbents_running": "incumbents_running",
    "incumbent_pairs_rerunning": "incumbent_pairs_rerunning",
    "incumbents_potential": "incumbents_eligible",
    "incumbents_potential_share": "incumbents_eligible",
    "incumbents_won": "incumbents_won",
    "incumbents_lost": "incumbents_lost",
}
# unit as printed -> (candidates.csv unit, office whose incumbency is counted)
CANDIDATE_UNITS = {
    "governors": ("persons", "governor"), "vice_governors": ("persons", "vice_governor"),
    "regents": ("persons", "regent"), "vice_regents": ("persons", "vice_regent"),
    "mayors": ("persons", "mayor"), "vice_mayors": ("persons", "vice_mayor"),
    "incumbents": ("persons", "head_or_deputy"), "percent": ("percent", "head_or_deputy"),
    "regions": ("regions", ""), "pairs": ("candidate_pairs", ""),
}
OFFICE_RACE = {"governor": "pilgub", "vice_governor": "pilgub", "regent": "pilbup",
               "vice_regent": "pilbup", "mayor": "pilwako", "vice_mayor": "pilwako"}
RACE_WORDS = {"gubernatorial races": "pilgub", "regency races": "pilbup", "city races": "pilwako"}

# (pattern on the agency as printed, canonical agency, quality if it is a relay or None)
AGENCY_RULES: list[tuple[str, str, str | None]] = [
    (r"^Bawaslu \(citing KASN\)", "KASN", "secondary"),
    (r"^KASN \((via|cited by)", "KASN", "secondary"),
    (r"^KASN", "KASN", None),
    (r"^Panwaslu", "Bawaslu", None),  # Bawaslu's election supervisory committee of a regency
    (r"^Kemendagri/BKN$", "BKN", None),  # BKN complaint data presented by Kemendagri
    (r"^Kemendagri \(RDP Komisi II\)$", "BKN", None),  # same BKN data, same hearing
    (r"^Kemendagri", "Kemendagri", None),
    (r"^BKN \(via", "BKN", "secondary"),
    (r"^BKN", "BKN", None),
    (r"^(BKPSDMD?|BKPPD?|BKD)\b", "BKPSDM", None),
    (r"^Bawaslu", "Bawaslu", None),
    (r"^Ombudsman", "Ombudsman", None),
    (r"^BPS", "BPS", None),
    (r"^KPU \(via", "KPU", "secondary"),
    (r"^KPU", "KPU", None),
    (r"^Perludem \(via", "Perludem", "secondary"),
    (r"^SPD", "SPD", "secondary"),
    (r"^(Pemprov|Pemkab|Pemkot|Pj |Pjs |Sekda )", "Pemda", None),
    (r"^press$", "press", "secondary"),
    (r"^public", "public", None),
    (r"^Parties", "party", None),
]

UNIT_MAP = {
    "cases": ("cases", ""),
    "violations": ("cases", ""),
    "ASN": ("ASN", ""),
    "PNS": ("PNS", ""),
    "PPPK": ("PPPK", ""),
    "percent": ("percent", ""),
    "reports": ("reports", ""),
    "reports (count of persons not given)": ("reports", ""),
    "reports (more than)": ("reports", "lower_bound"),
    "complaints": ("complaints", ""),
    "recommendations": ("recommendations", ""),
    "persons": ("persons", ""),
    "persons (approx.)": ("persons", "approx"),
    "list position": ("list_position", ""),
    "rank": ("rank", ""),
    "provinces": ("provinces", ""),
    "ASN records": ("asn_records", ""),
    "violation forms": ("violation_forms", ""),
    "cases (forecast)": ("cases", "forecast"),
    "reports per day": ("reports_per_day", ""),
    "complaints per day": ("complaints_per_day", ""),
    "regional heads": ("officials", ""),
    "governors": ("officials", ""),
    "regents": ("officials", ""),
    "mayors": ("officials", ""),
    "officials": ("officials", ""),
    "court rulings": ("court_rulings", ""),
    "index score (0-100)": ("index_score", ""),
    "flag": ("flag", ""),
    "flag (1=red zone)": ("flag", ""),
    "pairs": ("candidate_pairs", ""),
    "votes": ("votes", ""),
    "regencies_cities": ("regions", ""),
}
# Units that count supervision measures (events, MoUs, posts ...): metric supervision_measure.
MEASURE_UNITS = {
    "event", "MoU", "posko", "letter", "portal", "pokja", "circular", "plan", "system",
    "contents", "supervision acts", "indications",
}

# Babel file: free-text breakdowns that are real breakdowns (the rest are descriptions -> note).
BABEL_BREAKDOWNS = {
    "temuan": ("detection_source", "temuan"),
    "laporan masyarakat": ("detection_source", "laporan"),
    "social-media support": ("violation_type", "social_media"),
    "social-media acts favouring participants": ("violation_type", "social_media"),
    "share via social-media campaigning": ("violation_type", "social_media"),
    "dismissal (PTDH)": ("sanction_severity", "berat_ptdh"),
    "female": ("sex", "female"),
    "male": ("sex", "male"),
}
NON_ASN = re.compile(r"honorer \(|non-ASN|village apparatus|not ASN|village-head", re.I)

QUALIFIER_PATTERNS = [
    ("forecast", re.compile(r"forecast|projection", re.I)),
    ("lower_bound", re.compile(r"more than|at least|lower bound|stated as over|over \d", re.I)),
    ("upper_bound", re.compile(r"upper bound", re.I)),
    ("approx", re.compile(r"approx|rounded|sekitar|almost|\babout \d|\(approx", re.I)),
]

CYCLE_LABEL = re.compile(r"^(Pilkada ulang|Pilkada|Pemilu) (\d{4})$")


class CurationError(Exception):
    pass


def parse_cycle(label: str, election_type: str) -> tuple[int, str, str]:
    """Return (cycle, election_type, note prefix) for a source cycle label."""
    label, et = label.strip(), election_type.strip()
    if re.fullmatch(r"\d{4}", label):
        if et == "calendar_year":
            return int(label), "calendar_year", ""
        return int(label), {"pilkada": "pilkada", "pemilu": "pemilu"}[et], ""
    m = CYCLE_LABEL.match(label)
    if m:
        kind = {"Pilkada ulang": "pilkada_rerun", "Pilkada": "pilkada", "Pemilu": "pemilu"}[m[1]]
        return int(m[2]), kind, ""
    if label == "2020-2022 (mainly Pilkada 2020)":
        return 2020, "pilkada", "period 2020-2022, mainly Pilkada 2020"
    if label == "Pilkada 2020 + pre-Pemilu 2024":
        return 2020, "pilkada", "covers Pilkada 2020 and the run-up to Pemilu 2024"
    m = re.fullmatch(r"post-(\d{4})", label)
    if m:
        year = int(m[1]) + (0 if label == "post-2025" else 1)
        return year, "calendar_year", f"between cycles ({label})"
    raise CurationError(f"unknown cycle label {label!r}")


def canonical_agency(printed: str) -> tuple[str, str | None]:
    for pattern, agency, quality in AGENCY_RULES:
        if re.search(pattern, printed):
            return agency, quality
    raise CurationError(f"no agency rule for {printed!r}")


def date_precision(value: str) -> str:
    if not value:
        return ""
    for pattern, precision in ((r"\d{4}-\d{2}-\d{2}", "day"), (r"\d{4}-\d{2}", "month"),
                               (r"\d{4}", "year")):
        if re.fullmatch(pattern, value):
            return precision
    raise CurationError(f"unparseable date {value!r}")


def format_value(raw: str) -> str:
    number = float(raw)
    return str(int(number)) if number == int(number) else repr(number)


def source_quality(row: dict, relay: str | None) -> str:
    text = " ".join((row["note"], row["agency"], row["source_title"], row["source_url"]))
    if re.search(r"mirror|blog|wikipedia|unofficial|garbled|treat with caution|title reconstructed"
                 r"|cloudflare-ipfs", text, re.I):
        return "weak"
    return relay or "primary"


def map_metric(prefix: str, row: dict, agency: str, unit_raw: str) -> tuple[str, str, str, str]:
    """Return (metric, breakdown, category, detail text moved to the note)."""
    metric, breakdown, category = row["metric"], row["breakdown"].strip(), row["category"].strip()
    detail = ""
    if prefix == "bb":
        # The Babel file's `category` is a topic tag and its `breakdown` free text.
        detail = breakdown
        breakdown, category = BABEL_BREAKDOWNS.get(breakdown, ("", ""))
        if breakdown:
            detail = ""
    elif prefix == "af" and not breakdown and category:
        detail, category = category, ""  # additional file: category names an "other" figure
    elif prefix == "af" and breakdown == "severity":
        breakdown = "sanction_severity"
    if unit_raw in MEASURE_UNITS or row["category"] == "babel_supervision":
        return "supervision_measure", "measure_kind", unit_raw.lower(), detail
    if row["category"] == "vulnerability_index":
        return "vulnerability_index", "", "", detail
    if NON_ASN.search(row["breakdown"]):
        return "other", breakdown, category, ("non-ASN staff: " + detail).strip()
    if prefix == "bb" and metric == "other" and row["breakdown"] == "violations":
        metric = "reported"  # KASN's province list; national_figures.csv records it as reported
    if metric == "forwarded_to_kasn":
        metric = "forwarded"
    elif metric in ("bawaslu_finding", "bawaslu_report", "public_report"):
        kind = {"bawaslu_finding": "temuan", "bawaslu_report": "laporan",
                "public_report": "laporan"}[metric]
        if prefix == "bb" and metric == "bawaslu_finding" and not breakdown:
            kind = ""  # Babel file: Bawaslu's case count (findings and reports together)
        if prefix == "nf" and breakdown == "registration":
            kind = "temuan"
            detail = f"{category} findings"
            breakdown = category = ""
        if kind and not breakdown:
            breakdown, category = "detection_source", kind
        metric = "reported"
    elif metric == "ombudsman_report":
        metric = "reported"
    elif metric == "stopped_or_not_violation":
        metric = "not_violation"
    elif metric == "recommended" and agency == "Bawaslu":
        metric = "forwarded"  # Bawaslu "recommends" a case to KASN/BKN: it forwards it
    return metric, breakdown, category, detail


def qualifier(row: dict, unit_qualifier: str) -> str:
    if unit_qualifier:
        return unit_qualifier
    for name, pattern in QUALIFIER_PATTERNS:
        if pattern.search(row["note"]) or pattern.search(row["breakdown"]):
            return name
    return "exact"


def load_overrides() -> dict[str, list[dict]]:
    overrides: dict[str, list[dict]] = {}
    with OVERRIDES.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            overrides.setdefault(row["id"], []).append(row)
    return overrides


def scout_columns(row: dict) -> dict:
    """A row of scout_2026_12.csv in the columns of the other source files. Its quote and the
    collector's confidence note become the note: the quote is what the figure was checked
    against, and stays with it."""
    return {
        "cycle": row["cycle"], "election_type": row["election_type"], "scope": row["scope"],
        "region": row["geography"], "agency": row["agency"], "metric": row["metric"],
        "breakdown": "", "category": "", "value": row["value"], "unit": row["unit"],
        "as_of_date": row["as_of_date"], "published_date": row["published_date"],
        "source_url": row["source_url"], "source_title": "",
        "note": f"{row['confidence_note']}; quote: {row['quote']}",
    }


ADAPTERS = {"scout_2026_12.csv": scout_columns}


def read_source(path: Path) -> list[dict]:
    """The data rows of one source file in the common columns, cells stripped."""
    adapt = ADAPTERS.get(path.name, lambda row: row)
    with path.open(encoding="utf-8", newline="") as f:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]
    return [adapt(row) for row in rows]


def apply_overrides(out: dict, changes: list[dict]) -> None:
    """The curator's overrides of one row: each field changed from its expected old value, the
    change and its reason recorded in the note; ``note_append`` adds a remark only."""
    for change in changes:
        field = change["field"]
        if field == "note_append":  # a curator's remark; the figure stays as published
            out["note"] = f"{out['note']} [curator: {change['new_value']}]".strip()
            continue
        if out[field] != change["old_value"]:
            raise CurationError(f"override for {out['id']}.{field}: expected old value "
                                f"{change['old_value']!r}, found {out[field]!r}")
        out[field] = change["new_value"]
        out["note"] = (out["note"] + f" [curated: {field} {change['old_value']!r}->"
                       f"{change['new_value']!r}: {change['reason']}]").strip()


def curate(sources: Path = SOURCES_DIR, files: dict[str, str] = SOURCE_FILES,
           overrides: dict[str, list[dict]] | None = None
           ) -> tuple[list[dict], list[dict], list[dict]]:
    """(ledger rows, candidates.csv rows, log) from the source ``files`` in ``sources``."""
    resolver = RegionResolver.from_csv(paths.REGIONS)
    overrides = load_overrides() if overrides is None else dict(overrides)
    ledger: list[dict] = []
    candidates: list[dict] = []
    log: list[dict] = []
    for filename, prefix in files.items():
        for number, row in enumerate(read_source(sources / filename), start=1):
            rid = f"{prefix}-{number:04d}"
            entry = {"source_file": filename, "source_row": number, "id": rid}
            changes = overrides.pop(rid, [])
            excluded = [c["reason"] for c in changes if c["field"] == "exclude"]
            if excluded:
                log.append(entry | {"destination": "excluded", "reason": "; ".join(excluded)})
                continue
            if row["metric"] in ROUTED:
                log.append(entry | {"destination": ROUTED[row["metric"]], "reason": row["metric"]})
                continue
            if row["cycle"] == "denominator":
                log.append(entry | {"destination": "asn_headcount.csv or excluded",
                                    "reason": "denominator row (see asn_headcount.csv)"})
                continue
            if row["unit"] in ("date (yyyymmdd)",):
                log.append(entry | {"destination": "excluded",
                                    "reason": "an event date, not a figure: " + row["note"][:80]})
                continue
            candidate = row["metric"] in CANDIDATE_METRICS
            try:
                out = (candidate_row if candidate else curate_row)(prefix, row, resolver)
            except (CurationError, KeyError, ValueError) as exc:
                raise CurationError(f"{filename} row {number}: {exc}") from exc
            out["id"] = rid
            out["source_file"], out["source_row"] = filename, str(number)
            apply_overrides(out, changes)
            (candidates if candidate else ledger).append(out)
            log.append(entry | {"destination": CANDIDATES.path if candidate
                                else "published_figures.csv", "reason": ""})
    if overrides:
        raise CurationError(f"overrides for unknown ids: {sorted(overrides)}")
    ledger = merge_duplicates(ledger, log)
    for row in ledger:
        if row["metric"] not in METRICS or row["unit"] not in UNITS:
            raise CurationError(f"{row['id']}: metric {row['metric']!r} / unit {row['unit']!r} "
                                "outside the vocabulary")
    return ledger, candidates, log


def resolve_region(row: dict, resolver: RegionResolver, text: str | None = None) -> str:
    """The canonical region of a source row (national rows without one are Indonesia)."""
    text = row["region"] if text is None else text
    text = text or ("Indonesia" if row["scope"] == "national" else "")
    region = resolver.resolve(text)
    if region is None:
        raise CurationError(f"region {text!r} not in regions.csv (closest: "
                            f"{resolver.closest(text)})")
    return region


def provenance(row: dict) -> dict:
    """Agency, dates with their precision and source of a source row, in raw-file columns."""
    agency, relay = canonical_agency(row["agency"]) if row["agency"] else ("", None)
    return {
        "agency": agency,
        "agency_detail": row["agency"],
        "as_of_date": row["as_of_date"],
        "as_of_precision": date_precision(row["as_of_date"]),
        "published_date": row["published_date"],
        "published_precision": date_precision(row["published_date"]),
        "source_url": row["source_url"],
        "source_title": row["source_title"],
        "source_quality": source_quality(row, relay),
    }


def curate_row(prefix: str, row: dict, resolver: RegionResolver) -> dict:
    cycle, election_type, cycle_note = parse_cycle(row["cycle"], row["election_type"])
    if row["election_type"] in ("pilkada (re-run)", "pilwako (re-run)"):
        election_type = "pilkada_rerun"
    source = provenance(row)
    unit_raw = row["unit"]
    unit, unit_qualifier = UNIT_MAP.get(unit_raw, ("items", "")) if unit_raw in MEASURE_UNITS \
        else UNIT_MAP[unit_raw]
    metric, breakdown, category, detail = map_metric(prefix, row, source["agency"], unit_raw)
    note_parts = [p for p in (cycle_note, f"detail: {detail}" if detail else "", row["note"]) if p]
    return {
        "cycle": str(cycle),
        "election_type": election_type,
        "scope": row["scope"],
        "region": resolve_region(row, resolver),
        "metric": metric,
        "breakdown": breakdown,
        "category": category,
        "value": format_value(row["value"]),
        "value_qualifier": qualifier(row, unit_qualifier),
        "unit": unit,
        **source,
        "note": "; ".join(note_parts),
        "source_kind": "url",  # every collected source is a web page
        "source_register": "",
    }


def candidate_row(prefix: str, row: dict, resolver: RegionResolver) -> dict:
    """A national count of candidates or incumbents, in the columns of candidates.csv. The
    office comes from the unit as printed (``regents``), the race from the office or from the
    words in brackets after the region ("Indonesia (city races)")."""
    cycle, election_type, _ = parse_cycle(row["cycle"], row["election_type"])
    place = re.fullmatch(r"(.*?)\s*\((.*)\)", row["region"])
    region_text, races = (place[1], place[2]) if place else (row["region"], "")
    unit, office = CANDIDATE_UNITS[row["unit"]]
    return {
        "cycle": str(cycle),
        "election_type": election_type,
        "scope": row["scope"],
        "region": resolve_region(row, resolver, region_text),
        "race": OFFICE_RACE.get(office) or RACE_WORDS.get(races, "all"),
        "quantity": CANDIDATE_METRICS[row["metric"]],
        "office": office,
        "value": format_value(row["value"]),
        "value_qualifier": qualifier(row, ""),
        "unit": unit,
        **provenance(row),
        "note": row["note"],
    }


DUP_KEY = ("cycle", "election_type", "scope", "region", "agency", "metric", "breakdown",
           "category", "value", "unit", "as_of_date", "published_date", "source_url")


def merge_duplicates(ledger: list[dict], log: list[dict]) -> list[dict]:
    kept: dict[tuple, dict] = {}
    out = []
    where = {(e["source_file"], str(e["source_row"])): e for e in log}
    for row in ledger:
        key = tuple(row[k] for k in DUP_KEY)
        if key in kept:
            first = kept[key]
            first["note"] += f" [same figure also at {row['source_file']} row {row['source_row']}]"
            entry = where[(row["source_file"], row["source_row"])]
            entry["destination"], entry["reason"] = "merged", f"duplicate of {first['id']}"
            continue
        kept[key] = row
        out.append(row)
    return out


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def added_rows(path: Path) -> list[dict]:
    """Figures added with ``python -m analysis ledger add`` (no source file): kept as they are."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if not (row.get("source_file") or "").strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, default=SOURCES_DIR,
                        help="folder of the collected source tables (default: ../shared/sources)")
    args = parser.parse_args(argv)
    try:
        ledger, candidates, log = curate(args.sources)
        added = added_rows(paths.LEDGER)
        clash = sorted({r["id"] for r in ledger} & {r["id"] for r in added})
        if clash:
            raise CurationError(f"added figures reuse curated ids: {clash}")
    except (CurationError, OSError) as exc:
        print(f"curation failed: {exc}", file=sys.stderr)
        return 1
    write_csv(paths.LEDGER, ledger + added, LEDGER_COLUMNS)
    write_csv(paths.RAW / CANDIDATES.path, candidates, CANDIDATES.columns)
    write_csv(LOG, log, LOG_COLUMNS)
    print(f"wrote {len(ledger)} curated and {len(added)} added ledger rows to "
          f"{paths.LEDGER.relative_to(paths.ROOT)}, {len(candidates)} rows to "
          f"{CANDIDATES.path}; log of {len(log)} source rows in {LOG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
