"""The case register's codebook: the single source of its columns, types, rules and words.

``data/registers/CODEBOOK.md``, ``data/registers/register.schema.json`` (Frictionless Table
Schema of the *stored*, pseudonymised ``cases.csv``) and ``data/registers/register_template.xlsx``
are generated from this module (``scripts/make_register_template.py``); a test keeps them equal.

One row of a register is one ASN neutrality case. A user's spreadsheet may name the columns in
Indonesian or English, in any case, spacing and order (:data:`COLUMNS` ``aliases``); category
values may be Indonesian or English words (:data:`COLUMNS` ``categories``), stored as the
canonical English codes.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

PERSONAL = ("nip", "name")  # personal data: never stored, never printed
DATE_COLUMNS = ("date_incident", "date_report", "date_forwarded", "date_recommendation",
                "date_sanction")
# (earlier, later): ``later`` must not be before ``earlier`` (both given)
DATE_ORDER = (
    ("date_incident", "date_report"),
    ("date_report", "date_forwarded"),
    ("date_report", "date_recommendation"),
    ("date_report", "date_sanction"),
)
MIN_YEAR, MAX_YEAR = 1990, 2100
NIP_DIGITS = 18
PERSON_ID_HEX = 16  # 64 bits; see CODEBOOK.md "person_id"


def nip_digits(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text)


def normalise_nip(text: str) -> str:
    """The NIP as the check keeps it: stripped, and without spaces, dots and dashes."""
    text = text.strip()
    return text if text.isdigit() else nip_digits(text)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | date | boolean
    header_id: str  # the header of the template (Indonesian)
    en: str
    id: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    # code -> accepted words (first: Indonesian)
    categories: dict[str, tuple[str, ...]] | None = None
    personal: bool = False
    stored: bool = True  # False: replaced by person_id in the stored register
    free_text: bool = False


def _cats(**kw: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return dict(kw)


COLUMNS: tuple[Column, ...] = (
    Column("case_id", "string", "Nomor Register",
           "register number of the case, unique in the register",
           "nomor register perkara, unik dalam register", required=True,
           aliases=("No. Register", "No Register", "Nomor Register", "Nomor Registrasi",
                    "No. Registrasi", "Nomor Perkara", "No. Perkara", "case id", "case number",
                    "register number", "id")),
    Column("nip", "string", "NIP",
           "civil-servant identity number (18 digits); personal data, replaced by person_id",
           "Nomor Induk Pegawai (18 digit); data pribadi, diganti person_id",
           aliases=("NIP", "Nomor Induk Pegawai", "NIP ASN", "employee id"), personal=True,
           stored=False),
    Column("name", "string", "Nama",
           "name of the civil servant; personal data, replaced by person_id",
           "nama ASN; data pribadi, diganti person_id",
           aliases=("Nama", "Nama ASN", "Nama Terlapor", "name", "full name"), personal=True,
           stored=False),
    Column("position", "string", "Jabatan", "position held", "jabatan",
           aliases=("Jabatan", "Nama Jabatan", "position", "job title"), free_text=True),
    Column("position_level", "string", "Tingkat Jabatan",
           "level of the position (echelon, JPT, administrator, fungsional ...)",
           "tingkat jabatan (eselon, JPT, administrator, fungsional ...)",
           aliases=("Eselon", "Tingkat Jabatan", "Jenjang Jabatan", "position level", "level",
                    "echelon"), free_text=True),
    Column("agency", "string", "Instansi", "agency (instansi) employing the civil servant",
           "instansi tempat ASN bekerja",
           aliases=("Instansi", "Unit Kerja", "Instansi/Unit Kerja", "agency", "institution"),
           free_text=True),
    Column("region", "string", "Wilayah",
           "province, regency or city of the case, as in data/raw/regions.csv (aliases allowed); "
           "required unless region_code is given",
           "provinsi, kabupaten atau kota perkara, seperti data/raw/regions.csv (alias boleh); "
           "wajib kecuali Kode Wilayah diisi",
           aliases=("Wilayah", "Daerah", "Kabupaten/Kota", "Kab/Kota", "Kabupaten", "Kota",
                    "Provinsi", "region", "regency", "province", "district")),
    Column("region_code", "string", "Kode Wilayah",
           "Kemendagri region code (e.g. 19 or 1901), as in regions.csv kemendagri_code",
           "kode wilayah Kemendagri (mis. 19 atau 1901), seperti kemendagri_code di regions.csv",
           aliases=("Kode Wilayah", "Kode Daerah", "Kode Kemendagri", "region code")),
    Column("cycle", "integer", "Tahun Pemilihan", "year of the election (e.g. 2024)",
           "tahun pemilihan (mis. 2024)", required=True,
           aliases=("Tahun Pemilihan", "Tahun", "Tahun Pemilu", "Tahun Pilkada", "cycle",
                    "election year", "year")),
    Column("election_type", "string", "Jenis Pemilihan",
           "kind of election: pilkada (regional head) or pemilu (general election)",
           "jenis pemilihan: pilkada atau pemilu", required=True,
           aliases=("Jenis Pemilihan", "Pemilihan", "election type", "election"),
           categories=_cats(pilkada=("pilkada", "pemilihan kepala daerah", "pemilihan",
                                     "regional election", "local election"),
                            pemilu=("pemilu", "pemilihan umum", "general election"))),
    Column("violation_type", "string", "Jenis Pelanggaran",
           "kind of neutrality violation, as recorded", "jenis pelanggaran netralitas",
           aliases=("Jenis Pelanggaran", "Bentuk Pelanggaran", "Pelanggaran", "violation type",
                    "violation"), free_text=True),
    Column("detection_source", "string", "Sumber Temuan",
           "how the case came to light", "asal perkara",
           aliases=("Sumber", "Sumber Temuan", "Sumber Laporan", "Asal Perkara",
                    "detection source", "source"),
           categories=_cats(bawaslu_finding=("temuan", "temuan bawaslu", "finding",
                                             "bawaslu finding"),
                            public_report=("laporan", "laporan masyarakat", "public report",
                                           "report"),
                            social_media_monitoring=("patroli siber", "patroli media sosial",
                                                     "pengawasan media sosial",
                                                     "social media monitoring",
                                                     "cyber patrol"),
                            ombudsman=("Ombudsman",),
                            other=("lainnya", "lain-lain", "other"))),
    Column("date_incident", "date", "Tanggal Kejadian", "date of the alleged violation",
           "tanggal kejadian", aliases=("Tanggal Kejadian", "Tgl Kejadian", "date incident",
                                        "incident date")),
    Column("date_report", "date", "Tanggal Laporan",
           "date the finding was registered or the report received",
           "tanggal temuan diregister atau laporan diterima", required=True,
           aliases=("Tanggal Laporan", "Tgl Laporan", "Tanggal Temuan", "Tanggal Register",
                    "date report", "report date")),
    Column("date_forwarded", "date", "Tanggal Diteruskan",
           "date Bawaslu forwarded the case (to KASN/BKN/PPK)",
           "tanggal Bawaslu meneruskan perkara (ke KASN/BKN/PPK)",
           aliases=("Tanggal Diteruskan", "Tanggal Penerusan", "Tgl Diteruskan",
                    "date forwarded", "forwarded date")),
    Column("date_recommendation", "date", "Tanggal Rekomendasi",
           "date of the KASN/BKN recommendation", "tanggal rekomendasi KASN/BKN",
           aliases=("Tanggal Rekomendasi", "Tgl Rekomendasi", "date recommendation",
                    "recommendation date")),
    Column("date_sanction", "date", "Tanggal Sanksi",
           "date the sanction was imposed by the PPK", "tanggal sanksi dijatuhkan PPK",
           aliases=("Tanggal Sanksi", "Tgl Sanksi", "Tanggal Penjatuhan Sanksi",
                    "date sanction", "sanction date")),
    Column("outcome", "string", "Status", "state of the case at the data date",
           "status perkara pada tanggal data", required=True,
           aliases=("Status", "Status Perkara", "Hasil", "outcome", "status"),
           categories=_cats(sanctioned=("dijatuhi sanksi", "disanksi", "sanksi", "sanctioned"),
                            not_proven=("tidak terbukti", "not proven", "tidak terbukti melanggar"),
                            stopped=("dihentikan", "stopped", "dihentikan penanganannya"),
                            pending=("dalam proses", "proses", "pending", "in process",
                                     "belum selesai"))),
    Column("sanction_severity", "string", "Tingkat Sanksi",
           "severity of the (recommended) sanction; empty allowed; a warning when the outcome is "
           "sanctioned and it is empty, or it is given for another outcome",
           "tingkat sanksi (yang direkomendasikan); boleh kosong",
           aliases=("Tingkat Sanksi", "Kategori Sanksi", "Jenis Hukuman Disiplin",
                    "sanction severity", "severity"),
           categories=_cats(moral=("moral", "sanksi moral", "moral tertutup", "moral terbuka"),
                            light=("ringan", "light", "hukuman disiplin ringan"),
                            moderate=("sedang", "moderate", "hukuman disiplin sedang"),
                            heavy=("berat", "heavy", "hukuman disiplin berat"))),
    Column("sanction_type", "string", "Jenis Sanksi",
           "the sanction as worded (e.g. teguran tertulis)", "jenis sanksi (mis. teguran tertulis)",
           aliases=("Jenis Sanksi", "Bentuk Sanksi", "Sanksi", "sanction type", "sanction"),
           free_text=True),
    Column("incumbent_running", "boolean", "Petahana Maju",
           "did the incumbent regional head run in this election? (ya/tidak; empty = unknown)",
           "apakah petahana maju dalam pemilihan ini? (ya/tidak; kosong = tidak diketahui)",
           aliases=("Petahana Maju", "Petahana", "Petahana Mencalonkan", "incumbent running",
                    "incumbent"),
           categories=_cats(true=("ya", "y", "yes", "true", "benar", "1"),
                            false=("tidak", "t", "no", "false", "salah", "0", "n"))),
)
BY_NAME = {c.name: c for c in COLUMNS}
CANONICAL_COLUMNS = [c.name for c in COLUMNS]
STORED_COLUMNS = (["case_id", "person_id"]
                  + [c.name for c in COLUMNS if c.stored and c.name != "case_id"])
REQUIRED = [c.name for c in COLUMNS if c.required]  # plus region or region_code
PERSON_ID_DESCRIPTION = (
    f"pseudonym of the civil servant: the first {PERSON_ID_HEX} hex digits of HMAC-SHA256 with "
    "the register key of 'nip:' + the NIP's digits, or, when there is no NIP, of 'name:' + the "
    "normalised name (NFKC, casefolded, spaces collapsed); empty when neither is given")


def key(text: str) -> str:
    """Matching key of a header or category word: NFKC, casefold, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


HEADER_LOOKUP: dict[str, str] = {}
for _c in COLUMNS:
    for _alias in (_c.name, _c.header_id, *_c.aliases):
        HEADER_LOOKUP.setdefault(key(_alias), _c.name)

CATEGORY_LOOKUP: dict[str, dict[str, str]] = {}
for _c in COLUMNS:
    if _c.categories:
        CATEGORY_LOOKUP[_c.name] = {}
        for _code, _words in _c.categories.items():
            for _w in (_code, *_words):
                CATEGORY_LOOKUP[_c.name].setdefault(key(_w), _code)


def column_for_header(header: str) -> str | None:
    """Canonical column named by a user's header, or None."""
    return HEADER_LOOKUP.get(key(header))


def category_code(column: str, value: str) -> str | None:
    """Canonical code of a category word (any case, Indonesian or English), or None."""
    return CATEGORY_LOOKUP[column].get(key(value))


def template_words(column: str) -> list[str]:
    """The words offered in the template's drop-down list (the first, Indonesian, per code)."""
    cats = BY_NAME[column].categories or {}
    return [words[0] for words in cats.values()]


# --------------------------------------------------------------------------- generated files
def _frictionless_field(c: Column) -> dict:
    f: dict = {"name": c.name, "type": c.type, "title": c.header_id,
               "description": f"{c.en} / {c.id}"}
    if c.type == "date":
        f["format"] = "%Y-%m-%d"
    if c.type == "boolean":
        f["trueValues"], f["falseValues"] = ["true", "True"], ["false", "False"]
    constraints: dict = {}
    if c.required:
        constraints["required"] = True
    if c.categories and c.type != "boolean":
        constraints["enum"] = list(c.categories)
    if c.name == "case_id":
        constraints["unique"] = True
    if c.name == "cycle":
        constraints["minimum"], constraints["maximum"] = MIN_YEAR, MAX_YEAR
    if constraints:
        f["constraints"] = constraints
    return f


def frictionless_schema() -> dict:
    """Frictionless Table Schema of a stored ``cases.csv`` (person_id instead of nip/name)."""
    fields = []
    for name in STORED_COLUMNS:
        if name == "person_id":
            fields.append({"name": "person_id", "type": "string", "title": "person_id",
                           "description": PERSON_ID_DESCRIPTION,
                           "constraints": {"pattern": f"[0-9a-f]{{{PERSON_ID_HEX}}}|"}})
        else:
            fields.append(_frictionless_field(BY_NAME[name]))
    return {
        "$comment": "GENERATED from analysis/data/registers/codebook.py by "
                    "scripts/make_register_template.py; do not edit",
        "title": "Register of ASN neutrality cases (stored, pseudonymised)",
        "description": "One row per case. region or region_code is required (at least one). "
                       "Dates ISO YYYY-MM-DD; empty = not (yet) known.",
        "fields": fields,
        "primaryKey": ["case_id"],
        "missingValues": [""],
    }


def schema_json() -> str:
    return json.dumps(frictionless_schema(), indent=2, ensure_ascii=False) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def codebook_markdown() -> str:
    from . import workbook_limits as limits
    from .cell_content import CELL_MAX as cell_max
    from .reader import EXCEL_ROWS as excel_rows
    from .reader import MAX_COLUMNS as max_columns

    total_gb = limits.MAX_TOTAL / 1024 ** 3

    def mb(size: int) -> str:
        return f"{size / 1024 ** 2:g} MB"

    lines = [
        "<!-- GENERATED from analysis/data/registers/codebook.py by "
        "scripts/make_register_template.py; do not edit -->",
        "# Codebook: register of ASN neutrality cases / Buku kode register perkara netralitas ASN",
        "",
        "One row per case. Headers may be Indonesian or English, in any case, spacing and order;",
        "columns not listed here are ignored (and named in a warning). Category values may be",
        "Indonesian or English words in any case; they are stored as the English codes.",
        "",
        "Satu baris per perkara. Judul kolom boleh bahasa Indonesia atau Inggris, "
        "huruf besar/kecil",
        "dan urutan bebas; kolom lain diabaikan (dengan peringatan).",
        "",
        "## Rules / Aturan",
        "",
        "* Required / wajib: " + ", ".join(f"`{c}`" for c in REQUIRED)
        + ", and `region` or `region_code` (at least one).",
        "* Dates / tanggal: Excel date cells, `dd/mm/yyyy`, `dd-mm-yyyy`, `d/m/yyyy` "
        f"(day first) or ISO `yyyy-mm-dd`; years {MIN_YEAR}-{MAX_YEAR}. "
        "Impossible dates (31/02/2024) are errors.",
        "* Date order / urutan tanggal: "
        + "; ".join(f"`{b}` not before `{a}`" for a, b in DATE_ORDER) + ". "
        "No date after the register's data date (`--data-date` of `register import`, or of "
        "`register check` when given).",
        "* Election / pemilihan: `cycle` and `election_type` must name an election with a "
        "national voting day in `data/raw/elections.csv` (there was no Pilkada in 2019).",
        f"* `nip`: {NIP_DIGITS} digits (spaces, dots and dashes are removed first). In Excel, "
        "format the NIP column as Text: a number cell keeps only 15 digits.",
        "* `case_id` unique. `region` must be a name or alias in `data/raw/regions.csv`; "
        "`region_code` a `kemendagri_code` there.",
        "* `sanction_severity` may be empty; a *warning* (not an error) when `outcome` is "
        "`sanctioned` and it is empty, or when it is given for another outcome; likewise "
        "`date_sanction` given for an outcome other than `sanctioned`.",
        "* `nip` and `name` are personal data: never printed in a message (only their length), "
        "never stored. On import they become `person_id`:",
        f"  {PERSON_ID_DESCRIPTION}.",
        "  The key comes from `NETRALITAS_KEY` or `--key-file` (outside the repository, at least "
        "16 bytes); the same key gives the same person_id across imports, and `register.json` "
        "keeps a key fingerprint so a different key is detected.",
        f"  With {PERSON_ID_HEX} hex digits (64 bits) the chance that any two of n distinct "
        "persons share a person_id is about n^2 / 2^65: 3e-8 for 1,000,000 persons.",
        "* Personal data only in `nip` and `name`: `case_id` and the free-text columns ("
        + ", ".join(f"`{c.name}`" for c in COLUMNS if c.free_text) + ") are stored as "
        "written, so an NIP or NIK in them, or an NIP of the register's `nip` column written "
        "with any separators, is an error; so is a name of the register's `name` column (with "
        "or without its titles and degrees, in any case) in a free-text column. A name that "
        "is not in the `name` column cannot be recognised.",
        "* One column per header: a header given twice (in any case) is an error naming both "
        "columns, and so are two headers of one column (except a province and a "
        "regency/city column for `region`).",
        f"* No cell holds a NUL byte or more than {cell_max:,} characters (Excel's limit).",
        f"* A workbook is read only if it expands to at most {total_gb:g} GB in all, no part of "
        f"more than {mb(limits.RATIO_GRACE)} expands more than {limits.MAX_RATIO} times, no "
        f"text or tag in its XML is longer than {mb(limits.MAX_MARKUP)}, and row 1 has at most "
        f"{max_columns} columns; columns not in this codebook are not read, nor rows after "
        f"Excel's {excel_rows:,}th.",
        "",
        "## Columns / Kolom",
        "",
        "| column | template header | type | required | description (EN) | keterangan (ID) "
        "| accepted headers |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in COLUMNS:
        req = "yes" if c.required else ("one of region/region_code"
                                        if c.name in ("region", "region_code") else "")
        aliases = ", ".join(f"`{a}`" for a in dict.fromkeys((c.name, c.header_id, *c.aliases)))
        lines.append(f"| `{c.name}` | {c.header_id} | {c.type} | {req} | {_md_escape(c.en)} | "
                     f"{_md_escape(c.id)} | {_md_escape(aliases)} |")
    lines += ["", "## Categories / Kategori", ""]
    for c in COLUMNS:
        if not c.categories:
            continue
        lines += [f"### `{c.name}` ({c.header_id})", "", "| code | accepted words |", "|---|---|"]
        for code, words in c.categories.items():
            lines.append(f"| `{code}` | " + ", ".join(f"`{w}`" for w in words) + " |")
        lines.append("")
    lines += ["## Stored register / register tersimpan", "",
              "`data/private/registers/NAME/cases.csv` with columns "
              + ", ".join(f"`{c}`" for c in STORED_COLUMNS)
              + " (ISO dates, canonical codes, `true`/`false`); `rollup.csv`, the register's "
              "ledger-shaped aggregates at import (cumulative counts per region, cycle and "
              "as-of date); `names.json`, keyed hashes of the names for the publication scan "
              "(never the names); and `register.json`. "
              "The Frictionless schema of `cases.csv` is `register.schema.json`.", ""]
    return "\n".join(lines)


def template_xlsx_bytes() -> bytes:
    """The register template (sheet "Register" with Indonesian headers and drop-down lists,
    sheet "Petunjuk" with the codebook), byte-stable: fixed timestamps, fixed zip dates."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    last_row = 5000
    for j, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=j, value=c.header_id)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(14, len(c.header_id) + 4)
        rng = f"{letter}2:{letter}{last_row}"
        if c.categories:
            words = template_words(c.name)
            dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"',
                                allow_blank=True, showErrorMessage=False)
            dv.promptTitle, dv.prompt = c.header_id[:32], ("; ".join(words))[:255]
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(rng)
        elif c.type == "date":
            dv = DataValidation(type="date", operator="between",
                                formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)",
                                allow_blank=True, showErrorMessage=True,
                                error="Tanggal dd/mm/yyyy", errorTitle=c.header_id[:32])
            ws.add_data_validation(dv)
            dv.add(rng)
            ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        elif c.name == "nip":
            ws.column_dimensions[letter].number_format = "@"
            ws.column_dimensions[letter].width = 22
            dv = DataValidation(type="textLength", operator="equal", formula1=str(NIP_DIGITS),
                                allow_blank=True, showErrorMessage=True,
                                error="NIP: 18 digit (format Teks)", errorTitle="NIP")
            ws.add_data_validation(dv)
            dv.add(rng)
    ws.freeze_panes = "A2"

    info = wb.create_sheet("Petunjuk")
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 20
    info.column_dimensions["C"].width = 60
    info.column_dimensions["D"].width = 60
    info.column_dimensions["E"].width = 50
    rows = [
        ("Petunjuk / Instructions",),
        ("Satu baris per perkara netralitas ASN. Isi sheet 'Register'; urutan kolom bebas, "
         "kolom lain diabaikan. One row per case; column order is free, other columns are "
         "ignored.",),
        ("Tanggal: sel tanggal Excel atau dd/mm/yyyy. NIP: 18 digit, format Teks. Wajib: "
         + ", ".join(BY_NAME[c].header_id for c in REQUIRED) + ", dan Wilayah atau Kode "
         "Wilayah. NIP dan Nama adalah data pribadi: diganti pseudonim saat impor; NIP, NIK "
         "atau nama di kolom lain (Jabatan, Instansi, Nomor Register ...) ditolak.",),
        (),
        ("Judul kolom / header", "kode / column", "Keterangan", "Description", "Isian / values"),
    ]
    for c in COLUMNS:
        values = ("; ".join(f"{ws_[0]} = {code}" for code, ws_ in c.categories.items())
                  if c.categories else {"date": "dd/mm/yyyy", "integer": "2024"}.get(c.type, ""))
        rows.append((c.header_id + (" *" if c.required else ""), c.name, c.id, c.en, values))
    for r in rows:
        info.append(list(r))
    info["A1"].font = Font(bold=True, size=14)
    for cell in info[5]:
        cell.font, cell.fill = bold, fill
    for row in info.iter_rows(min_row=2, max_row=3):
        row[0].alignment = Alignment(wrap_text=False)

    from ..stable_xlsx import workbook_bytes

    return workbook_bytes(wb)
