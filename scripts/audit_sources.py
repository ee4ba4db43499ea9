"""Audit the collected published figures in ``../shared/sources`` before curation.

Reads ``national_figures.csv``, ``babel_and_exposure.csv``, ``additional_figures.csv`` and
``scout_2026_12.csv`` (its own columns mapped as the curation maps them: the region is its
``geography``, the note its confidence note and quote) and writes
``scripts/audit_findings.csv`` with one row per finding::

    source_file,source_row,check,severity,field,value,expected,message

``source_row`` is the 1-based data row (the first row after the header is 1). There is no
internet access, so every check compares a row with what came from the *same page*: the URL,
the title, the note and the sibling rows that share the URL (in any of the files).

Checks (one function each, output sorted by file, row, check):

``url_date``               date embedded in the URL vs ``published_date``
``published_before_as_of`` ``published_date`` earlier than ``as_of_date``
``title_number``           numbers in the title that match no value on that URL (field
                           ``source_title``); percentages in the note that disagree with the
                           ratio of sibling counts (field ``note``)
``share_vs_counts``        ``share``/``rate`` rows vs the ratio of sibling counts
``snapshot_order``         executed <= recommended <= reported, violation_found <= reported
``duplicate``              identical rows
``conflict``               same quantity, different values on different URLs (info)
``value_format``           non-numeric, negative, percent out of range, fractional counts
``qualifier``              note/unit says "more than", "about", "below", "forecast", ... (info)
``weak_source``            mirrors, blogs, Wikipedia, reconstructed titles, ... (info)
``cycle_label``            cycle values that are not a plain year (info, once per label)

Severities: ``error`` (the value cannot be used as is), ``warning`` (the same page points to a
different value or date; look at it), ``info`` (listed for the curator, no action implied).

Usage: ``python scripts/audit_sources.py [--sources DIR] [--out FILE]``
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from curate_ledger import ADAPTERS  # the scout file read as the curation reads it

SOURCES = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"
FILES = ("national_figures.csv", "babel_and_exposure.csv", "additional_figures.csv",
         "scout_2026_12.csv")
OUT = Path(__file__).resolve().parent / "audit_findings.csv"
COLUMNS = ["source_file", "source_row", "check", "severity", "field", "value", "expected",
           "message"]

RATE_TOLERANCE = 0.6  # percentage points
# as_of is an event date, may follow publication
SCHEDULED_METRICS = {"voting_day", "election_held"}


# --------------------------------------------------------------------------------------------
# Loading and small helpers
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    file: str
    n: int  # 1-based data row
    d: dict

    def __getitem__(self, key: str) -> str:
        return (self.d.get(key) or "").strip()

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.n}"


@dataclass(frozen=True)
class Finding:
    source_file: str
    source_row: int
    check: str
    severity: str
    field: str
    value: str
    expected: str
    message: str


def finding(row: Row, check: str, severity: str, field: str, value, expected,
            message: str) -> Finding:
    return Finding(row.file, row.n, check, severity, field, str(value), str(expected), message)


def load(sources: Path) -> list[Row]:
    rows: list[Row] = []
    for name in FILES:
        adapt = ADAPTERS.get(name, lambda d: d)
        with (sources / name).open(encoding="utf-8-sig", newline="") as f:
            for i, d in enumerate(csv.DictReader(f), start=1):
                rows.append(Row(name, i, adapt({k: (v or "").strip() for k, v in d.items()})))
    return rows


def num(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.4g}" if abs(x) < 1000 else f"{x:.0f}"


def by_url(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r["source_url"]:
            out[r["source_url"]].append(r)
    return out


def is_percent(row: Row) -> bool:
    unit = row["unit"].lower()
    return "percent" in unit or unit == "%"


def unit_kind(unit: str) -> str:
    """Coarse kind of a count unit, so that only like is compared with like."""
    u = unit.lower()
    base = re.sub(r"\s*\(.*\)$", "", u).strip()
    if base in {"asn", "pns", "persons", "pppk"}:
        return "persons"
    if base in {"reports", "complaints"}:
        return "reports"
    return base


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

def parse_date(text: str) -> tuple[tuple[int, ...], int] | None:
    """'2020', '2020-12' or '2020-12-08' -> ((y, m, d)[:precision], precision)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not m:
        return None
    parts = tuple(int(p) for p in m.groups() if p is not None)
    return parts, len(parts)


def show_date(parts: tuple[int, ...]) -> str:
    return "-".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]])


def _valid(y: int, m: int, d: int | None = None) -> bool:
    try:
        dt.date(y, m, d or 1)
    except ValueError:
        return False
    return 1995 <= y <= 2035


def url_date(url: str) -> tuple[tuple[int, ...], str] | None:
    """Date embedded in a news URL: (parts, pattern name), parts at the URL's precision.

    Recognised: /2020/12/08/ (also /2020/7/2/), 8-digit /20201208/ or slug-20201208..., date=
    query parameters, /2020/12/ (month), /12-2020/ (KBR month), and 10-digit Unix timestamps at
    the end of a slug (read in WIB, UTC+7). Detik-style d-5123456 ids carry no date.
    """
    if not url:
        return None
    m = re.search(r"[?&](?:date|tanggal|tgl)=((?:19|20)\d\d)-?(\d\d)-?(\d\d)", url)
    if m and _valid(*map(int, m.groups())):
        return tuple(map(int, m.groups())), "query date"
    m = re.search(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?=/|$|[?#])", url)
    if m and _valid(*map(int, m.groups())):
        return tuple(map(int, m.groups())), "/yyyy/mm/dd/"
    for m in re.finditer(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(\d\d)(\d\d)"
                         r"(?=\d*(?:[/\-_.?&#]|$))", url):
        if _valid(*map(int, m.groups())):
            return tuple(map(int, m.groups())), "yyyymmdd"
    m = re.search(r"/((?:19|20)\d\d)/(\d{1,2})/(?!\d{1,2}(?:/|$))", url)
    if m and _valid(int(m.group(1)), int(m.group(2))):
        return (int(m.group(1)), int(m.group(2))), "/yyyy/mm/"
    m = re.search(r"/(\d{1,2})-((?:19|20)\d\d)/", url)
    if m and _valid(int(m.group(2)), int(m.group(1))):
        return (int(m.group(2)), int(m.group(1))), "/mm-yyyy/"
    m = re.search(r"-(1[3-7]\d{8})(?=$|[/?#.])", url)
    if m:
        t = dt.datetime.fromtimestamp(int(m.group(1)), tz=dt.timezone(dt.timedelta(hours=7)))
        return (t.year, t.month, t.day), "unix timestamp"
    return None


def check_url_date(rows: list[Row]) -> list[Finding]:
    out = []
    for r in rows:
        found = url_date(r["source_url"])
        if not found:
            continue
        parts, how = found
        pub = parse_date(r["published_date"])
        if r["published_date"] and pub is None:
            out.append(finding(r, "url_date", "warning", "published_date", r["published_date"],
                               show_date(parts), "published_date is not a yyyy[-mm[-dd]] date"))
            continue
        if pub is None:
            out.append(finding(r, "url_date", "info", "published_date", "", show_date(parts),
                               f"published_date empty; URL ({how}) gives {show_date(parts)}"))
            continue
        p = min(pub[1], len(parts))
        if pub[0][:p] != parts[:p]:
            out.append(finding(
                r, "url_date", "warning", "published_date", r["published_date"], show_date(parts),
                f"URL ({how}) dates the page {show_date(parts)}; compared at "
                f"{['year', 'month', 'day'][p - 1]} precision"))
    return out


def check_published_before_as_of(rows: list[Row]) -> list[Finding]:
    out = []
    for r in rows:
        a, p = parse_date(r["as_of_date"]), parse_date(r["published_date"])
        if not a or not p:
            continue
        k = min(a[1], p[1])
        if p[0][:k] < a[0][:k]:
            scheduled = r["metric"] in SCHEDULED_METRICS
            out.append(finding(
                r, "published_before_as_of", "info" if scheduled else "warning", "published_date",
                r["published_date"], f">= {r['as_of_date']}",
                f"published {r['published_date']} before as_of {r['as_of_date']}"
                + (" (scheduled event date announced in advance; expected)" if scheduled
                   else "; a figure cannot be printed before the date it is true for")))
    return out


# --------------------------------------------------------------------------------------------
# Numbers printed in titles and notes
# --------------------------------------------------------------------------------------------

_MULT = {"juta": 1e6, "million": 1e6, "ribu": 1e3, "thousand": 1e3, "miliar": 1e9, "billion": 1e9}
_NUM_TOKEN = re.compile(r"(?<![\w.,\-/])(\d+(?:[.,]\d+)*)"
                        r"(?:\s*(juta|million|ribu|thousand|miliar|billion))?", re.IGNORECASE)


def number_readings(token: str, mult: str | None = None) -> list[float]:
    """Candidate values of a printed number, Indonesian reading first.

    '1.194' -> 1194 (and 1.194); '72,8' -> 72.8; '1,200' -> 1.2 and 1200 (English titles);
    '3,89 juta' -> 3890000.
    """
    readings: list[float] = []
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        readings.append(float(token.replace(".", "")))
        if token.count(".") == 1:
            readings.append(float(token))
    elif re.fullmatch(r"\d+,\d+", token):
        readings.append(float(token.replace(",", ".")))
        if re.fullmatch(r"\d{1,3},\d{3}", token):
            readings.append(float(token.replace(",", "")))
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
        readings.append(float(token.replace(",", "")))
    elif re.fullmatch(r"\d+\.\d+", token):
        readings.append(float(token))
    elif re.fullmatch(r"\d+", token):
        readings.append(float(token))
    factor = _MULT.get((mult or "").lower(), 1.0)
    return [x * factor for x in readings]


def title_numbers(title: str) -> list[tuple[str, list[float]]]:
    out = []
    for m in _NUM_TOKEN.finditer(title):
        token = m.group(0).strip()
        readings = number_readings(m.group(1), m.group(2))
        if readings:
            out.append((token, readings))
    return out


def _near_miss(a: float, b: float) -> bool:
    """Same digits reordered, or one digit different (same length): a likely mistype."""
    if not (a.is_integer() and b.is_integer()) or a == b or min(a, b) < 100:
        return False
    sa, sb = str(int(a)), str(int(b))
    if len(sa) != len(sb):
        return False
    return sorted(sa) == sorted(sb) or sum(x != y for x, y in zip(sa, sb)) == 1


def _numbers_in_text(text: str) -> set[float]:
    vals = set()
    for m in re.finditer(r"\d[\d.,]*", text):
        tok = m.group(0).rstrip(".,")
        vals.update(number_readings(tok))
    return vals


_DEN_WORDS = {
    "reported": ["reported"], "reports": ["reported"], "complaints": ["reported"],
    "recommended": ["recommended", "violation_found"], "recommendations": ["recommended"],
    "proven": ["violation_found", "recommended"], "violators": [], "the": None,
}
_NUM_METRIC_DEFAULT_DEN = {
    "recommended": ["reported"], "violation_found": ["reported"],
    "sanction_executed": ["recommended", "violation_found"],
}


def _note_percents(note: str) -> list[tuple[float, list[str] | None, str]]:
    """Percentages in a note with the denominator metrics named after 'of' (None = default)."""
    out = []
    for m in re.finditer(r"(\d+(?:[.,]\d+)?)\s*%(?:\s+of\s+(?:the\s+)?(\w+))?", note):
        pct = float(m.group(1).replace(",", "."))
        word = (m.group(2) or "").lower()
        if not word:
            out.append((pct, None, m.group(0)))
        elif word in _DEN_WORDS and _DEN_WORDS[word] is not None:
            out.append((pct, _DEN_WORDS[word], m.group(0)))
        # any other word after 'of' (e.g. '36% of violators were JPT') names another base: skip
    return out


def check_title_number(rows: list[Row]) -> list[Finding]:
    out = []
    groups = by_url(rows)
    # 1. numbers in the title that match no value among the rows from the same URL
    for url, sib in groups.items():
        values = [v for v in (num(s["value"]) for s in sib) if v is not None]
        notes = set().union(*(_numbers_in_text(s["note"]) for s in sib))
        seen_titles = set()
        for r in sib:
            title = r["source_title"]
            if (r.file, title) in seen_titles:
                continue
            seen_titles.add((r.file, title))
            first = min((s for s in sib if s.file == r.file and s["source_title"] == title),
                        key=lambda s: s.n)
            for token, readings in title_numbers(title):
                if any(abs(x - v) < 1e-9 for x in readings for v in values):
                    continue
                shown = fmt(readings[0])
                if (readings[0].is_integer() and 1990 <= readings[0] <= 2035
                        and re.fullmatch(r"\d{4}", token)):
                    continue  # a year (Pilkada 2020, Pemilu 2024)
                near = sorted({fmt(v) for v in values for x in readings if _near_miss(x, v)})
                in_note = any(abs(x - v) < 1e-9 for x in readings for v in notes)
                if near and not in_note:
                    out.append(finding(
                        first, "title_number", "warning", "source_title", token, "|".join(near),
                        f"title prints {shown}; no row from this URL has it, but "
                        f"{', '.join(near)} is one digit or a transposition away (mistype?)"))
                else:
                    out.append(finding(
                        first, "title_number", "info", "source_title", token, "",
                        f"title prints {shown}; no row from this URL has that value"
                        + (" (it appears in a note)" if in_note else "")))
    # 2. percentages in notes vs the ratio of sibling counts
    for url, sib in groups.items():
        for r in sib:
            note = r["note"]
            v = num(r["value"])
            if v is None or not note:
                continue
            stated = re.search(r"\((\d[\d,]*)\s+of\s+(\d[\d,]*)\)", note)
            if stated and is_percent(r):
                a, b = (float(x.replace(",", "")) for x in stated.groups())
                ratio = 100 * a / b
                if abs(ratio - v) > RATE_TOLERANCE:
                    out.append(finding(r, "title_number", "warning", "note", fmt(v), f"{ratio:.1f}",
                                       f"note says '{stated.group(0)}' = {ratio:.2f}%, "
                                       f"row value {fmt(v)}%"))
            if is_percent(r) or r["metric"] not in _NUM_METRIC_DEFAULT_DEN:
                continue
            for pct, den_metrics, text in _note_percents(note):
                dens = (den_metrics if den_metrics is not None
                        else _NUM_METRIC_DEFAULT_DEN[r["metric"]])
                cands = [(s, num(s["value"])) for s in sib
                         if s is not r and s["metric"] in dens and s["cycle"] == r["cycle"]
                         and s["agency"] == r["agency"] and s.file == r.file
                         # babel_and_exposure uses breakdown as free-text description
                         and (s["breakdown"] == r["breakdown"]
                              or r.file == "babel_and_exposure.csv")
                         and s["category"] == r["category"] and not is_percent(s)
                         and num(s["value"])]
                if not cands:
                    continue
                ratios = [(100 * v / d, s) for s, d in cands]
                if any(abs(x - pct) <= RATE_TOLERANCE for x, _ in ratios):
                    continue
                best, s = min(ratios, key=lambda t: abs(t[0] - pct))
                implied = pct * float(s["value"]) / 100
                out.append(finding(
                    r, "title_number", "warning", "note", fmt(v), f"{implied:.0f}",
                    f"note says '{text}' but {fmt(v)} / {s['value']} ({s['metric']}, row {s.n}) = "
                    f"{best:.2f}%; {pct:g}% of {s['value']} would be {implied:.0f}"))
    return out


# --------------------------------------------------------------------------------------------
# Rates and orderings among sibling counts
# --------------------------------------------------------------------------------------------

_RATE_TERMS = {
    "executed": ["sanction_executed"], "recommended": ["recommended", "violation_found"],
    "reported": ["reported"], "violation": ["violation_found", "recommended"],
    "forwarded": ["forwarded_to_kasn", "forwarded"],
}


def check_share_vs_counts(rows: list[Row]) -> list[Finding]:
    out = []
    for url, sib in by_url(rows).items():
        for r in sib:
            if r["metric"] != "share" or r["breakdown"] != "rate":
                continue
            m = re.fullmatch(r"(not_executed|executed|recommended|violation)"
                             r"_of_(recommended|reported|violation|forwarded)", r["category"])
            v = num(r["value"])
            if not m or v is None:
                continue  # qualified categories (prior_years, _2024, kasn_...) have no sibling base
            counts = [s for s in sib
                      if s is not r and s["cycle"] == r["cycle"] and s["agency"] == r["agency"]
                      and s["as_of_date"] == r["as_of_date"] and s["breakdown"] == ""
                      and not is_percent(s) and num(s["value"]) is not None]

            def values(metrics: list[str]) -> list[tuple[float, Row]]:
                for metric in metrics:  # first metric present wins (fallbacks after it)
                    found = [(num(s["value"]), s) for s in counts if s["metric"] == metric]
                    if found:
                        return found
                return []

            num_term, den_term = m.groups()
            dens = values(_RATE_TERMS[den_term])
            if num_term == "not_executed":
                rec, exe = values(["recommended"]), values(["sanction_executed"])
                nums = [(a - b, sa) for a, sa in rec for b, _ in exe]
            else:
                nums = values(_RATE_TERMS[num_term])
            pairs = [(100 * a / b, sa, sb) for a, sa in nums for b, sb in dens
                     if b and sa is not sb]
            if not pairs:
                continue
            if any(abs(x - v) <= RATE_TOLERANCE for x, _, _ in pairs):
                continue
            best, sa, sb = min(pairs, key=lambda t: abs(t[0] - v))
            out.append(finding(
                r, "share_vs_counts", "warning", "value", fmt(v), f"{best:.1f}",
                f"{r['category']}: {sa['metric']} {sa['value']} {sa['unit']} (row {sa.n}) / "
                f"{sb['metric']} {sb['value']} {sb['unit']} (row {sb.n}) = {best:.2f}%, "
                f"stated {fmt(v)}% (tolerance {RATE_TOLERANCE} pt)"))
    return out


_ORDER = [("sanction_executed", "recommended"), ("recommended", "reported"),
          ("violation_found", "reported"), ("sanction_executed", "reported"),
          ("sanction_executed", "violation_found")]


def check_snapshot_order(rows: list[Row]) -> list[Finding]:
    out = []
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for r in rows:
        if r["breakdown"] == "" and r["source_url"] and num(r["value"]) is not None:
            key = (r["source_url"], r["cycle"], r["election_type"], r["region"], r["agency"],
                   r["as_of_date"])
            groups[key].append(r)
    for members in groups.values():
        for low, high in _ORDER:
            for a in (m for m in members if m["metric"] == low):
                for b in (m for m in members if m["metric"] == high):
                    if unit_kind(a["unit"]) != unit_kind(b["unit"]):
                        continue
                    if num(a["value"]) > num(b["value"]):
                        out.append(finding(
                            a, "snapshot_order", "warning", "value", a["value"], f"<= {b['value']}",
                            f"{low} {a['value']} > {high} {b['value']} ({b['unit']}, row {b.n}) "
                            f"in the same snapshot"))
    return out


# --------------------------------------------------------------------------------------------
# Duplicates and conflicts
# --------------------------------------------------------------------------------------------

def check_duplicate(rows: list[Row]) -> list[Finding]:
    keys = ("cycle", "region", "agency", "metric", "breakdown", "category", "value", "unit",
            "as_of_date", "source_url")
    seen: dict[tuple, Row] = {}
    out = []
    for r in rows:
        k = tuple(r[c] for c in keys)
        if k in seen:
            first = seen[k]
            out.append(finding(r, "duplicate", "warning", "value", r["value"], "",
                               f"identical to {first.ref} (cycle, region, agency, metric, "
                               f"breakdown, category, value, unit, as_of_date, source_url)"))
        else:
            seen[k] = r
    return out


def agency_family(agency: str) -> str:
    return re.split(r"[ (]", agency.strip(), maxsplit=1)[0]


def check_conflict(rows: list[Row]) -> list[Finding]:
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for r in rows:
        if num(r["value"]) is None or r["metric"] in {"region_code", "other"}:
            continue  # 'other' is a catch-all: two 'other' rows need not measure the same thing
        key = (r["cycle"], r["election_type"], r["scope"], r["region"], agency_family(r["agency"]),
               r["metric"], r["breakdown"], r["category"], r["unit"], r["as_of_date"])
        groups[key].append(r)
    out = []
    for key, members in groups.items():
        if (len({num(m["value"]) for m in members}) < 2
                or len({m["source_url"] for m in members}) < 2):
            continue
        for r in members:
            others = [m for m in members if m["source_url"] != r["source_url"]
                      and num(m["value"]) != num(r["value"])]
            if not others:
                continue
            alt = sorted({m["value"] for m in others}, key=float)
            where = "; ".join(f"{v} ({', '.join(m.ref for m in others if m['value'] == v)})"
                              for v in alt)
            out.append(finding(
                r, "conflict", "info", "value", r["value"], "|".join(alt),
                f"same {key[5]}/{key[8]} for {key[0] or '?'} {key[4] or '(no agency)'}"
                f"{' ' + key[6] + '=' + key[7] if key[6] else ''}, as_of "
                f"{key[9] or 'empty (snapshots may differ)'}; other URLs give {where}"))
    return out


# --------------------------------------------------------------------------------------------
# Value format and qualifiers
# --------------------------------------------------------------------------------------------

_COUNT_UNITS = {"asn", "pns", "pppk", "persons", "cases", "reports", "complaints",
                "recommendations", "regions", "provinces", "votes", "pairs"}


def check_value_format(rows: list[Row]) -> list[Finding]:
    out = []
    urls = by_url(rows)
    for r in rows:
        raw = r["value"]
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", raw):
            readings = number_readings(raw)
            out.append(finding(r, "value_format", "error", "value", raw,
                               fmt(readings[0]) if readings else "",
                               "value is not a plain number "
                               "(Indonesian separators, range or text?)"))
            continue
        v = float(raw)
        if unit_kind(r["unit"]) in _COUNT_UNITS and re.fullmatch(r"\d{1,3}\.\d{3}", raw):
            out.append(finding(r, "value_format", "error", "value", raw, raw.replace(".", ""),
                               f"count ({r['unit']}) written with an Indonesian thousands "
                               "separator?"))
            continue
        if v < 0:
            out.append(finding(r, "value_format", "error", "value", raw, "", "negative value"))
        if is_percent(r):
            if not 0 <= v <= 100:
                out.append(finding(r, "value_format", "warning", "value", raw, "0-100",
                                   "percent outside 0-100 "
                                   "(a growth rate or a count in a percent row?)"))
            elif v.is_integer() and v >= 2:
                same = [s for s in urls.get(r["source_url"], []) if s is not r and not is_percent(s)
                        and s["cycle"] == r["cycle"] and num(s["value"]) == v
                        and unit_kind(s["unit"]) in _COUNT_UNITS]
                if same:
                    out.append(finding(r, "value_format", "info", "value", raw, "",
                                       f"percent value equals the count in row {same[0].n} "
                                       f"({same[0]['metric']} {same[0]['unit']}); "
                                       "check it is a share"))
        elif unit_kind(r["unit"]) in _COUNT_UNITS and not v.is_integer():
            out.append(finding(r, "value_format", "warning", "value", raw, "integer",
                               f"fractional value for a count unit ({r['unit']})"))
    return out


_QUALIFIER_MARKERS = [  # (pattern, qualifier) that qualify the row's value without a number
    (r"\blower bound\b", "lower_bound"), (r"\bupper bound\b", "upper_bound"),
    (r"\bforecast\b|\bprojection\b|not an observed count", "forecast"),
    (r"\brounded\b", "approx"), (r"\bapprox(?:imate|imately|\.)?(?![a-z])", "approx"),
]
_UNIT_MARKERS = [  # bare phrases that qualify the value when they sit in the unit/breakdown
    (r"more than|at least|over", "lower_bound"), (r"below|less than|fewer than", "upper_bound"),
]
_QUALIFIER_PHRASES = [  # (pattern, qualifier) that qualify the number that follows them
    (r"more than|at least|over|above|lebih dari", "lower_bound"),
    (r"below|under|fewer than|less than|kurang dari", "upper_bound"),
    (r"about|around|almost|nearly|roughly|some|up to|sekitar|hampir|~", "approx"),
]
_PRIORITY = ["forecast", "lower_bound", "upper_bound", "approx"]


def _marker_applies(note: str, pos: int, value: float | None) -> bool:
    """Does a bare marker ('rounded', 'forecast', ...) in a note refer to the row's value?

    Yes when the note does not print the value at all (the note then describes the row), or
    when the nearest number to the marker (years such as 2018 ignored) is the value.
    """
    if value is None:
        return False
    spans = []
    for m in re.finditer(r"\d[\d.,]*", note):
        tok = m.group(0).rstrip(".,")
        if re.fullmatch(r"(?:19|20)\d\d", tok) and float(tok) != value:
            continue
        readings = number_readings(tok)
        if re.fullmatch(r"\d{1,3}(,\d{3})+", tok):
            readings.append(float(tok.replace(",", "")))
        spans.append((m.start(), readings))
    if not any(abs(x - value) < 1e-9 for _, rs in spans for x in rs):
        return True
    _, nearest = min(spans, key=lambda t: abs(t[0] - pos))
    return any(abs(x - value) < 1e-9 for x in nearest)


def qualifiers(row: Row) -> list[tuple[str, str, str]]:
    """(qualifier, field, matched text) cues that bear on this row's value."""
    v = num(row["value"])
    cues = []
    for field in ("note", "unit", "breakdown"):
        text = row[field].lower()
        if not text:
            continue
        for pat, q in _QUALIFIER_MARKERS:
            for m in re.finditer(pat, text):
                if field == "note" and not _marker_applies(text, m.start(), v):
                    continue
                cues.append((q, field, m.group(0)))
        if field != "note":
            for pat, q in _UNIT_MARKERS:
                for m in re.finditer(rf"\b(?:{pat})\b", text):
                    cues.append((q, field, m.group(0)))
        for pat, q in _QUALIFIER_PHRASES:
            for m in re.finditer(rf"(?<![\w])({pat})\s*['\"(]?\s*"
                                 r"(~?\s*\d[\d.,]*(?:\s*(?:juta|ribu|million|k))?)", text):
                token = m.group(2).replace("~", "").strip().rstrip(".,")
                mult = re.search(r"(juta|ribu|million|k)$", token)
                base = re.sub(r"\s*(juta|ribu|million|k)$", "", token)
                word = {"k": "thousand"}.get(mult.group(1), mult.group(1)) if mult else None
                readings = number_readings(base, word)
                if re.fullmatch(r"\d{1,3}(,\d{3})+", base):
                    readings += [float(base.replace(",", ""))]
                if v is not None and any(abs(x - v) < 1e-9 for x in readings):
                    cues.append((q, field, m.group(0).strip()))
    return cues


def check_qualifier(rows: list[Row]) -> list[Finding]:
    out = []
    for r in rows:
        cues = qualifiers(r)
        if not cues:
            continue
        kinds = sorted({q for q, _, _ in cues}, key=_PRIORITY.index)
        # an explicit "(lower/upper bound)" marker beats "about"; a phrase bound beats "rounded"
        best = kinds[0]
        texts = "; ".join(sorted({f"{f}: '{t}'" for _, f, t in cues}))
        also = f"; also {', '.join(kinds[1:])}" if len(kinds) > 1 else ""
        field = sorted({f for _, f, _ in cues})[0]
        out.append(finding(r, "qualifier", "info", field, r["value"], best,
                           f"value qualifier cue(s) {texts}{also}"))
    return out


# --------------------------------------------------------------------------------------------
# Source strength and cycle labels
# --------------------------------------------------------------------------------------------

_WEAK = [r"mirror", r"blog", r"wikipedia", r"wiki-", r"unofficial", r"garbled",
         r"title reconstructed", r"title rebuilt", r"treat with caution", r"\bcaution\b", r"repost"]


def check_weak_source(rows: list[Row]) -> list[Finding]:
    out = []
    for r in rows:
        hits = []
        for field in ("note", "agency", "source_title", "source_url"):
            text = r[field].lower()
            for pat in _WEAK:
                for m in re.finditer(pat, text):
                    # "conflicts with 4,758,730 (blog)", "(date per CNBC mirror)": another page
                    if field == "note" and re.search(r"(conflicts with|\bper)\b[^;]{0,30}$",
                                                     text[:m.start()]):
                        continue
                    hits.append((field, m.group(0)))
                    break
        if hits:
            order = ["note", "agency", "source_title", "source_url"]
            fields = sorted({f for f, _ in hits}, key=order.index)
            terms = sorted({t for _, t in hits})
            out.append(finding(r, "weak_source", "info", fields[0], ", ".join(terms), "",
                               f"weak-source cue(s) in {', '.join(fields)}: {', '.join(terms)}"))
    return out


def check_cycle_label(rows: list[Row]) -> list[Finding]:
    out = []
    labels: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        if not re.fullmatch(r"\d{4}", r["cycle"]):
            labels[(r.file, r["cycle"])].append(r)
    for (file, label), members in labels.items():
        first = min(members, key=lambda m: m.n)
        year = re.findall(r"(?:19|20)\d\d", label)
        out.append(finding(first, "cycle_label", "info", "cycle", label or "(empty)",
                           year[0] if len(set(year)) == 1 else "",
                           f"{len(members)} row(s) in {file} carry this cycle label "
                           f"(first at row {first.n}); map it to a year/election before use"))
    return out


CHECKS = [check_url_date, check_published_before_as_of, check_title_number, check_share_vs_counts,
          check_snapshot_order, check_duplicate, check_conflict, check_value_format,
          check_qualifier, check_weak_source, check_cycle_label]


def audit(sources: Path) -> list[Finding]:
    rows = load(sources)
    findings = {f for check in CHECKS for f in check(rows)}
    order = {name: i for i, name in enumerate(FILES)}
    return sorted(findings, key=lambda f: (order[f.source_file], f.source_row, f.check, f.field,
                                           f.value, f.expected, f.message))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", type=Path, default=SOURCES)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    findings = audit(args.sources)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for x in findings:
            w.writerow([getattr(x, c) for c in COLUMNS])
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for x in findings:
        counts[(x.check, x.severity)] += 1
    print(f"{len(findings)} findings -> {args.out}")
    for (check, sev), n in sorted(counts.items()):
        print(f"  {check:24s} {sev:8s} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
