"""Schemas of the raw files: the single source of truth for their columns, types and rules.

``data/raw/datapackage.json`` (Frictionless Data Package) is generated from these by
``python -m analysis datapackage`` and a test keeps the two in step; the validator reads these.
Types: ``string``, ``integer``, ``number``, ``date`` (YYYY-MM-DD), ``partial_date`` (YYYY-MM-DD,
YYYY-MM or YYYY, with its precision in a ``*_precision`` column).

String columns are of two kinds. *Name and category* columns (ids, regions, agencies, metrics,
units, breakdowns, categories, codes, file names: every string column not marked
``free_text``) hold short labels that are joined, grouped and published in tables: the validator
rejects ``<``, ``>`` and control characters in them, and a first character ``=``, ``+``, ``-``,
``@`` (spreadsheet formula injection), and limits them to ``NAME_MAX`` characters.
*Free-text* columns (``free_text=True``: notes, titles, URLs) may contain any printable
character, which is escaped on output (HTML escaping, ``spreadsheet_safety.neutralise``), and are
limited to ``FREE_TEXT_MAX`` characters. The ``free_text`` flag is not part of the published
Data Package.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .vocabulary import (CANDIDATE_QUANTITIES, CANDIDATE_UNITS, DATE_PRECISIONS, ELECTION_TYPES,
                         LEDGER_COLUMNS, MEASURE_DATE_BASIS, MEASURE_KINDS, METRICS, OFFICES,
                         SCOPES, SOURCE_KINDS, SOURCE_QUALITY, UNITS, UNPUBLISHED_SOURCE_KINDS,
                         VALUE_QUALIFIERS)


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str | None = None
    free_text: bool = False  # notes, titles, URLs: any printable text (escaped on output)
    # a column added later that a file may lack (then empty in every row); written by the tools
    optional_column: bool = False

    @property
    def is_name(self) -> bool:
        """A name or category column (strict characters), see the module docstring."""
        return self.type == "string" and not self.free_text


NAME_MAX = 200  # characters in a name/category cell (longest in the data: 77)
FREE_TEXT_MAX = 10_000  # characters in a free-text cell (longest note in the data: ~520)
URL_COLUMNS = ("source_url", "code_source_url")  # free text, but each address must be http(s)


@dataclass(frozen=True)
class Schema:
    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    region_columns: tuple[str, ...] = ()  # must resolve through regions.csv
    date_pairs: tuple[tuple[str, str], ...] = ()  # (as-of column, published column)
    sources: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


_PRECISION = tuple(DATE_PRECISIONS)
_SOURCE_FIELDS = (
    Field("source_url", "string", "page the figure was read from", required=True,
          free_text=True),
    Field("source_title", "string", "title of that page", free_text=True),
    Field("source_quality", "string", "how direct the source is", required=True,
          enum=tuple(SOURCE_QUALITY)),
)
# The ledger cites a web page, a document or a register (source_kind): source_url is required
# only for a web page, which the validator checks row by row (analysis.data.validate).
_LEDGER_SOURCE_FIELDS = (
    Field("source_url", "string", "page the figure was read from; required when source_kind is "
          "url (or empty), may be empty for a document, empty for a register", free_text=True),
    Field("source_title", "string", "title of that page; for a document its title with its "
          "number (required)", free_text=True),
    Field("source_quality", "string", "how direct the source is", required=True,
          enum=tuple(SOURCE_QUALITY)),
)
_SOURCE_KIND_FIELDS = (
    Field("source_kind", "string", "what the figure was read from: url (a web page; empty means "
          "url), document (an unpublished document named in source_title) or register (a case "
          "register named in source_register)", enum=tuple(SOURCE_KINDS),
          optional_column=True),
    Field("source_register", "string", "for source_kind register: the register's name "
          "(data/private/registers/NAME); empty otherwise", optional_column=True),
)
_TRACE_FIELDS = (
    Field("source_file", "string", "file in the collected sources (shared/sources) the row was "
          "curated from; empty for figures added directly"),
    Field("source_row", "integer", "1-based data row in that file", minimum=1),
)


def _dates(prefix: str, what: str, required: bool = False) -> tuple[Field, Field]:
    return (
        Field(f"{prefix}_date", "partial_date", what + " (YYYY-MM-DD, or YYYY-MM / YYYY when "
              "only that is known)", required=required),
        Field(f"{prefix}_precision", "string", "precision of " + f"{prefix}_date",
              enum=_PRECISION),
    )


LEDGER = Schema(
    name="published_figures",
    path="published_figures.csv",
    title="Evidence ledger: published figures on ASN neutrality and its enforcement",
    description="One row per figure as published by an agency or reported from its statement. "
                "Conflicting figures are kept; analyses pick one by an explicit rule "
                "(analysis.ledger.choose_figure).",
    fields=(
        Field("id", "string", "stable identifier (source file prefix + row, e.g. nf-0229)",
              required=True),
        Field("cycle", "integer", "election year the figure belongs to", required=True,
              minimum=2010, maximum=2035),
        Field("election_type", "string", "kind of election", required=True,
              enum=tuple(ELECTION_TYPES)),
        Field("scope", "string", "geographic scope", required=True, enum=SCOPES),
        Field("region", "string", "canonical region name (regions.csv); Indonesia for national",
              required=True),
        Field("agency", "string", "body whose data the figure is", required=True),
        Field("agency_detail", "string", "agency as printed by the source"),
        Field("metric", "string", "what the figure counts (analysis.vocabulary.METRICS)",
              required=True, enum=tuple(METRICS)),
        Field("breakdown", "string", "dimension of a breakdown (violation_type, position_level, "
              "detection_source, rate, ...); empty for a total"),
        Field("category", "string", "category within the breakdown"),
        Field("value", "number", "the figure as published", required=True),
        Field("value_qualifier", "string", "exact, approx, lower_bound, upper_bound, forecast",
              required=True, enum=tuple(VALUE_QUALIFIERS)),
        Field("unit", "string", "unit of value (analysis.vocabulary.UNITS)", required=True,
              enum=tuple(UNITS)),
        *_dates("as_of", "date the figure was true (data cut-off)"),
        *_dates("published", "date the figure was published"),
        *_LEDGER_SOURCE_FIELDS,
        Field("note", "string", "what the figure is, in the curator's words; conflicts noted",
              free_text=True),
        *_TRACE_FIELDS,
        *_SOURCE_KIND_FIELDS,
    ),
    primary_key=("id",),
    region_columns=("region",),
    date_pairs=(("as_of_date", "published_date"),),
)
assert LEDGER.columns == LEDGER_COLUMNS


def source_kind(row) -> str:
    """The source kind of a ledger row (a mapping): ``source_kind``, empty or absent = ``url``."""
    value = row.get("source_kind") if hasattr(row, "get") else None
    value = "" if value is None or value != value else str(value).strip()  # None, NaN
    return value or "url"


@dataclass(frozen=True)
class UnpublishedSource:
    """A ledger figure read from unpublished data: a document or a register."""

    id: str
    kind: str  # "document" or "register"
    label: str  # the document's title, or "register NAME"

    def __str__(self) -> str:
        return f"{self.id}: {self.label} ({self.kind})"


def unpublished_sources(rows, ids=None) -> list[UnpublishedSource]:
    """Which of the ledger rows (``ids``; default all) come from unpublished data, in id order.

    ``rows``: a DataFrame of the ledger (or of register roll-up rows) or an iterable of
    mappings with ``id``, ``source_kind``, ``source_title`` and ``source_register``. Rows
    without ``source_kind`` are web pages (``url``) and never listed. Reports print these so a
    reader knows which figures cannot be checked against a public page.
    """
    records = rows.to_dict("records") if hasattr(rows, "to_dict") else rows
    wanted = None if ids is None else {str(i) for i in ids}
    out = []
    for row in records:
        rid = str(row.get("id", ""))
        kind = source_kind(row)
        if (wanted is not None and rid not in wanted) or kind not in UNPUBLISHED_SOURCE_KINDS:
            continue
        if kind == "register":
            name = str(row.get("source_register") or "").strip() or "?"
            label = f"register {name}"
        else:
            label = str(row.get("source_title") or "").strip() or "document without a title"
        out.append(UnpublishedSource(rid, kind, label))
    return sorted(out, key=lambda s: s.id)

ELECTIONS = Schema(
    name="elections",
    path="elections.csv",
    title="Election calendar: voting days, regions holding elections, Babel races and incumbents",
    description="National rows give voting days and the number of regions holding elections; "
                "province/regency rows give Babel's races, whether one was held and whether an "
                "incumbent ran (empty = unknown).",
    fields=(
        Field("cycle", "integer", "election year", required=True, minimum=2010, maximum=2035),
        Field("election_type", "string", "kind of election", required=True,
              enum=("pilkada", "pemilu", "pilkada_rerun")),
        Field("scope", "string", "geographic scope", required=True, enum=SCOPES),
        Field("region", "string", "canonical region name", required=True),
        Field("race", "string", "all, pilgub, pilbup, pilwako, pilbup/pilwako",
              enum=("all", "pilgub", "pilbup", "pilwako", "pilbup/pilwako", "pemilu")),
        Field("voting_day", "date", "voting day"),
        Field("regions_in_election", "integer", "number of regions holding the election",
              minimum=0, unit="regions"),
        Field("region_type", "string", "which regions regions_in_election counts"),
        Field("held", "integer", "1 if the region held this race", minimum=0, maximum=1),
        Field("incumbent_running", "integer", "1 if the incumbent head or deputy ran, 0 if not, "
              "empty if unknown", minimum=0, maximum=1),
        Field("incumbent_detail", "string", "who the incumbent was"),
        Field("agency", "string", "canonical agency"),
        Field("agency_detail", "string", "agency as printed"),
        *_dates("published", "date the source was published"),
        *_SOURCE_FIELDS,
        *_TRACE_FIELDS,
        Field("note", "string", "caveats, conflicts", free_text=True),
    ),
    region_columns=("region",),
)

HEADCOUNT = Schema(
    name="asn_headcount",
    path="asn_headcount.csv",
    title="Civil-servant headcounts (denominators for rates)",
    description="PNS, PPPK and ASN counts by year and region as published; conflicting counts "
                "are kept and the rule in analysis.ledger.choose_headcount picks one.",
    fields=(
        Field("year", "integer", "year the count describes; empty when the source gives no date "
              "(such a count is never used as a denominator)", minimum=2000,
              maximum=2035),
        *_dates("as_of", "date the count was true"),
        Field("scope", "string", "national, province, regency, or election_regions (the regions "
              "holding an election)", required=True, enum=SCOPES),
        Field("region", "string", "canonical region name", required=True),
        Field("employee_type", "string", "PNS, PPPK, ASN (= PNS + PPPK) or a sex breakdown",
              required=True, enum=("PNS", "PPPK", "ASN", "PNS_female", "PNS_male")),
        Field("value", "integer", "headcount", required=True, minimum=0, unit="persons"),
        Field("value_qualifier", "string", "exact, approx, rounded", required=True,
              enum=("exact", "approx", "rounded")),
        Field("unit", "string", "always persons", required=True, enum=("persons",)),
        Field("agency", "string", "canonical agency", required=True),
        Field("agency_detail", "string", "agency as printed"),
        *_dates("published", "date the source was published"),
        *_SOURCE_FIELDS,
        *_TRACE_FIELDS,
        Field("note", "string", "caveats", free_text=True),
    ),
    region_columns=("region",),
    date_pairs=(("as_of_date", "published_date"),),
)

REGIONS = Schema(
    name="regions",
    path="regions.csv",
    title="Regions: the 38 provinces, Babel's 7 regencies/city and other regions named in sources",
    description="Canonical names, BPS and Kemendagri codes (they differ: Bangka Barat and Bangka "
                "Selatan swap codes; the Papua provinces differ) and the aliases found in sources. "
                "Joins use canonical names, never codes.",
    fields=(
        Field("canonical_name", "string", "name used in every other file", required=True),
        Field("level", "string", "country, province, regency or city", required=True,
              enum=("country", "province", "regency", "city")),
        Field("parent_province", "string", "province of a regency or city"),
        Field("bps_code", "string", "BPS code as published (text)"),
        Field("kemendagri_code", "string", "Kemendagri code as published (text)"),
        Field("aliases", "string", "other spellings found in sources, separated by |"),
        Field("formed_year", "integer", "year a province was created (2022 Papua split)",
              minimum=1945, maximum=2035),
        Field("formed_from", "string", "province it was split from"),
        Field("code_source_url", "string", "page(s) the codes were read from, separated by ' | '",
              free_text=True),
        Field("note", "string", "caveats", free_text=True),
    ),
    primary_key=("canonical_name",),
)

MEASURES = Schema(
    name="supervision_measures",
    path="supervision_measures.csv",
    title="Supervision measures on ASN neutrality: one row per measure and region",
    description="Decrees, circulars, MoUs, monitoring, complaint channels, pledges, briefings, "
                "blocking of personnel records and the like, curated by hand from the collected "
                "sources: kind, scope, region, start date with its precision and how the date is "
                "known (date_basis), and the source. A measure covering several regions has one "
                "row per region when the source names them; a national measure has one national "
                "row. Dates are never inferred: a month or year stays a month or year.",
    fields=(
        Field("measure_id", "string", "stable identifier (sm-NNN)", required=True),
        Field("kind", "string", "kind of measure (analysis.vocabulary.MEASURE_KINDS)",
              required=True, enum=tuple(MEASURE_KINDS)),
        Field("title", "string", "the measure in the curator's words", required=True,
              free_text=True),
        Field("title_id", "string", "the same in Bahasa Indonesia (the reports' first "
              "language; without it they show the English title alone)", free_text=True),
        Field("cycle", "integer", "election year the measure is aimed at", required=True,
              minimum=2010, maximum=2035),
        Field("election_type", "string", "kind of election it is aimed at", required=True,
              enum=tuple(ELECTION_TYPES)),
        Field("scope", "string", "geographic scope of the measure", required=True, enum=SCOPES),
        Field("region", "string", "canonical region name (regions.csv); Indonesia for national",
              required=True),
        Field("agency", "string", "body or bodies taking the measure", required=True),
        Field("agency_detail", "string", "agency as printed by the source"),
        *_dates("start", "date the measure started, or the date it is known to be in place by "
                "(see date_basis)"),
        Field("date_basis", "string", "how start_date is known "
              "(analysis.vocabulary.MEASURE_DATE_BASIS)", required=True,
              enum=tuple(MEASURE_DATE_BASIS)),
        *_dates("published", "date the source was published"),
        Field("coverage", "string", "whom the measure binds or reaches, in the curator's words",
              free_text=True),
        *_SOURCE_FIELDS,
        Field("note", "string", "what the source says, caveats", free_text=True),
        *_TRACE_FIELDS,
    ),
    primary_key=("measure_id",),
    region_columns=("region",),
    date_pairs=(("start_date", "published_date"),),
)

CANDIDATES = Schema(
    name="candidates",
    path="candidates.csv",
    title="Candidates and incumbents per election: pairs, uncontested races, incumbents running",
    description="Counts that describe the races rather than the violations (candidate pairs, "
                "single-candidate races, incumbents running, eligible, re-running as a pair, "
                "winning or losing), as published, curated by scripts/curate_ledger.py. "
                "Conflicting counts (two agencies, two definitions) are kept; the note says how "
                "they differ.",
    fields=(
        Field("id", "string", "stable identifier (source file prefix + row, e.g. sd-0026)",
              required=True),
        Field("cycle", "integer", "election year", required=True, minimum=2010, maximum=2035),
        Field("election_type", "string", "kind of election", required=True,
              enum=("pilkada", "pilkada_rerun")),
        Field("scope", "string", "geographic scope", required=True, enum=SCOPES),
        Field("region", "string", "canonical region name (regions.csv); Indonesia for national",
              required=True),
        Field("race", "string", "which races the count covers", required=True,
              enum=ELECTIONS.field("race").enum),
        Field("quantity", "string", "what is counted (analysis.vocabulary.CANDIDATE_QUANTITIES)",
              required=True, enum=tuple(CANDIDATE_QUANTITIES)),
        Field("office", "string", "whose incumbency (analysis.vocabulary.OFFICES); empty for "
              "pairs and races", enum=tuple(OFFICES)),
        Field("value", "number", "the count as published", required=True, minimum=0),
        Field("value_qualifier", "string", "exact, approx, lower_bound, upper_bound, forecast "
              "(a provisional or predicted count)", required=True, enum=tuple(VALUE_QUALIFIERS)),
        Field("unit", "string", "persons, regions, candidate_pairs or percent", required=True,
              enum=CANDIDATE_UNITS),
        *_dates("as_of", "date the count was true"),
        *_dates("published", "date the count was published"),
        Field("agency", "string", "body whose data the count is", required=True),
        Field("agency_detail", "string", "agency as printed by the source"),
        *_SOURCE_FIELDS,
        Field("note", "string", "what the count is, the source's words, caveats",
              free_text=True),
        *_TRACE_FIELDS,
    ),
    primary_key=("id",),
    region_columns=("region",),
    date_pairs=(("as_of_date", "published_date"),),
)

ALL: tuple[Schema, ...] = (LEDGER, ELECTIONS, HEADCOUNT, REGIONS, MEASURES, CANDIDATES)
BY_PATH = {s.path: s for s in ALL}
