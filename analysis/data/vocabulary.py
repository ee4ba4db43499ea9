"""Controlled vocabularies of the raw files: the words a figure may use, and what each means.

Units matter: Bawaslu counts *cases* (one case may involve several civil servants), KASN and BKN
count *ASN* (persons) or the *reports/complaints* they received. Figures in different units never
share a ratio.
"""
from __future__ import annotations

# the flagship case study's province, the default of every province parameter
DEFAULT_PROVINCE = "Kepulauan Bangka Belitung"

# Funnel stages and other figure kinds (``metric`` column of published_figures.csv).
METRICS: dict[str, str] = {
    "reported": "alleged violations entering the process (Bawaslu: its own findings plus public "
                "reports; KASN/BKN: reports or complaints received)",
    "violation_found": "examined and found to be a violation (proven)",
    "recommended": "sanction recommended by KASN/BKN to the official with staffing authority (PPK)",
    "forwarded": "passed on by Bawaslu to KASN, BKN or the PPK for a decision",
    "sanction_executed": "sanction imposed by the PPK",
    "not_violation": "examined and found not to be a violation, or not proven",
    "stopped": "handling stopped (formal or material requirements not met)",
    "pending": "still under examination or awaiting follow-up at the as-of date",
    "share": "a percentage stated by the source (its basis in breakdown/category)",
    "supervision_measure": "a supervision measure taken (MoU, post, portal, pledge, event ...)",
    "vulnerability_index": "Bawaslu's election vulnerability index (IKP) score for ASN neutrality",
    "other": "a context figure that is none of the above; the note says what it counts",
}

# Stages that form the enforcement funnel, in order (used for order checks and the build).
FUNNEL = ("reported", "violation_found", "recommended", "sanction_executed")

UNITS: dict[str, str] = {
    "ASN": "civil servants (persons), as counted by KASN/BKN",
    "PNS": "civil servants with permanent status (persons)",
    "PPPK": "government employees on contract (persons)",
    "persons": "persons (may include non-ASN staff)",
    "cases": "cases as counted by Bawaslu or the reporting body (one case may involve several ASN)",
    "reports": "reports received",
    "complaints": "complaints received",
    "recommendations": "recommendation letters issued",
    "percent": "percentage, 0-100",
    "percent_change": "percentage change (may exceed 100)",
    "list_position": "position in a list as printed (not necessarily a rank)",
    "rank": "rank stated by the source (1 = most)",
    "provinces": "number of provinces",
    "asn_records": "personnel records (blocked in the BKN system)",
    "violation_forms": "distinct forms of violation",
    "reports_per_day": "reports per day",
    "complaints_per_day": "complaints per day",
    "officials": "officials (regional heads, acting heads)",
    "court_rulings": "court rulings",
    "index_score": "index score, 0-100",
    "flag": "1 = yes, 0 = no",
    "items": "number of supervision measures of the kind named in category",
    "candidate_pairs": "candidate pairs",
    "votes": "votes",
    "regions": "number of regions (provinces, regencies or cities)",
    "cases_incl_non_asn": "cases counted by Bawaslu together with other barred actors (soldiers, "
                          "police, village heads and officials, BUMN/BUMD staff): not ASN-only",
    "persons_incl_non_asn": "persons counted together with people who are not ASN (such as "
                            "village heads): not ASN-only",
    "cases_all_violations": "alleged election violations of every kind (administrative, "
                            "criminal, ethics, neutrality ...): not ASN-only",
}
COUNT_UNITS = frozenset(UNITS) - {"percent", "index_score", "flag", "rank", "list_position",
                                  "reports_per_day", "complaints_per_day",
                                  "percent_change"}

# Units of figures that are not ASN-only. They are in no rate series and in no unit family, so no
# ASN rate or ratio can use them (tests/findings/test_not_asn_only.py proves it on the ledger).
NOT_ASN_ONLY_UNITS = frozenset({"cases_incl_non_asn", "persons_incl_non_asn",
                                "cases_all_violations"})

# Series of counts: KASN/BKN count persons (ASN, or the reports/complaints/recommendations about
# them); Bawaslu counts cases. A ratio is only formed within one family.
UNIT_FAMILY = {"ASN": "persons", "PNS": "persons", "persons": "persons",
               "recommendations": "persons", "complaints": "persons", "reports": "persons",
               "cases": "cases"}

VALUE_QUALIFIERS = {
    "exact": "the figure as published",
    "approx": "published as approximate or rounded ('about', 'sekitar')",
    "lower_bound": "published as 'more than' / 'at least'",
    "upper_bound": "published as 'below' / 'less than'",
    "forecast": "a projection, not an observed count",
}

ELECTION_TYPES = {
    "pilkada": "simultaneous regional-head election (governor, regent, mayor)",
    "pemilu": "general election (president and legislatures)",
    "pilkada_rerun": "re-run of a regional-head election (e.g. after the blank box won)",
    "calendar_year": "a figure about a calendar year or between cycles, not one election",
}
SCOPES = ("national", "province", "regency", "election_regions")
SOURCE_QUALITY = {
    "primary": "the agency's own publication or an official's statement reported by the press",
    "secondary": "relayed by a third party (another agency, an infographic, 'via' another outlet)",
    "weak": "mirror site, blog, Wikipedia copy or an unofficial or garbled page",
}
DATE_PRECISIONS = ("day", "month", "year")

# What a ledger figure was read from (``source_kind``; empty means ``url``). Figures from a
# document or a register are *unpublished data*: reports say which figures come from them
# (:func:`analysis.data.schemas.unpublished_sources`).
SOURCE_KINDS = {
    "url": "a published web page; source_url (http/https) is required",
    "document": "a document that is not (or not reliably) online, such as a decree or a letter; "
                "source_title names it with its number, source_url may be empty",
    "register": "aggregated from a case register (data/private/registers/NAME); source_register "
                "names it and source_url is empty",
}
UNPUBLISHED_SOURCE_KINDS = ("document", "register")

LEDGER_COLUMNS = [
    "id", "cycle", "election_type", "scope", "region", "agency", "agency_detail", "metric",
    "breakdown", "category", "value", "value_qualifier", "unit", "as_of_date", "as_of_precision",
    "published_date", "published_precision", "source_url", "source_title", "source_quality",
    "note", "source_file", "source_row", "source_kind", "source_register",
]

# Supervision measures (``kind`` column of supervision_measures.csv): what a measure is.
MEASURE_KINDS: dict[str, str] = {
    "decree": "a binding joint decree or regulation (e.g. the SKB of five agencies)",
    "circular": "a circular letter (surat edaran) of a regional head or agency to its ASN",
    "mou": "a memorandum of understanding between agencies",
    "monitoring": "active monitoring: monitoring posts, cyber patrols of social media",
    "complaint_channel": "a channel for public complaints: portal, application, complaint post",
    "pledge": "a neutrality pledge (ikrar) or integrity pact signed by ASN",
    "training": "a briefing, socialisation or training session for ASN",
    "blocking_of_records": "BKN blocking the personnel records of ASN whose PPK did not execute "
                           "a recommended sanction",
    "working_group": "a working group or joint team on ASN neutrality",
    "reprimand": "a reprimand to regional heads (PPK) who did not execute recommendations",
    "appeal_letter": "an appeal letter (himbauan) from the supervisor to the ASN employer",
    "institutional_change": "a change of the body that decides cases (KASN to BKN in 2024)",
}

# How the date of a supervision measure is known (``date_basis``).
MEASURE_DATE_BASIS: dict[str, str] = {
    "start": "the date the measure was signed, launched or took effect, as the source states",
    "reported_by": "only the date a source reported the measure in place: it started then or "
                   "earlier",
    "count_as_of": "the date of a count showing the measure in use: it started then or earlier",
    "planned": "announced as planned; no evidence it started",
    "unknown": "the source gives no date; the measure belongs to the cycle named",
}

# Candidates and incumbents per election (``quantity`` column of candidates.csv): context for the
# incumbency analysis, never a count of violations.
CANDIDATE_QUANTITIES: dict[str, str] = {
    "candidate_pairs": "candidate pairs set by KPU for the election",
    "single_candidate_races": "races with a single candidate pair (against the blank box)",
    "incumbents_running": "sitting heads or deputies on the ballot again (in persons, office "
                          "says which; in regions, how many regions had one)",
    "incumbent_pairs_rerunning": "sitting head and deputy running again as the same pair",
    "incumbents_eligible": "sitting heads or deputies eligible to run again: potential "
                           "candidates, not registered ones",
    "incumbents_won": "regions where a sitting head or deputy ran and won",
    "incumbents_lost": "regions where a sitting head or deputy ran and lost",
}
# Whose incumbency a count describes (``office``; empty when the count is of pairs or races).
OFFICES: dict[str, str] = {
    "governor": "governor", "vice_governor": "vice-governor", "regent": "regent (bupati)",
    "vice_regent": "vice-regent", "mayor": "mayor (wali kota)", "vice_mayor": "vice-mayor",
    "head_or_deputy": "a regional head or deputy, not told apart",
}
CANDIDATE_UNITS = ("persons", "regions", "candidate_pairs", "percent")
