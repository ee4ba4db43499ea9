"""Read a register file (CSV or XLSX) into text columns, keeping spreadsheet row numbers.

Every cell is read as text ("" when empty), nothing is converted: the checks decide. A table's
columns are positions 0..n-1 (:meth:`RawTable.values`, :meth:`RawTable.coded`), its rows keep
their spreadsheet row numbers (:attr:`RawTable.rows`, header = row 1), the user's headers are kept
in :attr:`RawTable.headers` (a header given twice too). Of a workbook, only the columns whose header
names a codebook column are kept (the check ignores the others).

A CSV is read by polars when it can (several times faster than pandas on a national register,
issue 10) and by pandas otherwise: a file with a carriage return that does not end a line, or any
file polars refuses (a row with more or fewer fields than the header, a stray quote, text that
is not UTF-8 ...). Where polars reads a file, the cells are the ones pandas reads (tested on
generated files with quotes, separators, line breaks, blank rows, BOM and CRLF); pandas' reading
gives the messages that say what is wrong with a file.

A workbook is checked before openpyxl opens it: one that could expand beyond what a register
needs (a "zip bomb", a cell longer than Excel's, markup Excel never writes) is refused
(:mod:`.workbook_limits`), and openpyxl reads at most Excel's 1,048,576 rows and the header's
columns (at most :data:`MAX_COLUMNS`), whatever the sheet's dimension says.

A file that is not what its extension says (an ``.xlsx`` that is really CSV, a zip that is not a
workbook, an old ``.xls``, UTF-16 text ...) raises :class:`NotReadable` with a message saying
what it is and what to do.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import sys
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import codebook as cb
from . import workbook_limits

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_ROWS = 1_048_576  # the rows of a sheet
MAX_COLUMNS = 256  # columns in a register's header row (Excel 2003's limit; the codebook has 21)
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_SNIFF_BYTES = 1 << 16


class NotReadable(Exception):
    """The file cannot be read as a register; ``expected`` says what would be readable."""

    def __init__(self, value: str, expected: str, hint: str = ""):
        super().__init__(f"{value}: {expected}" + (f" ({hint})" if hint else ""))
        self.value, self.expected, self.hint = value, expected, hint


@dataclass
class RawTable:
    path: Path
    kind: str  # "csv" | "xlsx"
    sheet: str | None  # sheet read (XLSX) or None
    headers: list[str]
    # the cells: text columns 0..n-1 of the non-blank rows, as a pandas frame whose index is the
    # spreadsheet row, or (a CSV read by polars) a polars frame with the rows in ``rows``
    frame: pd.DataFrame | None
    # XLSX: (row, column position) of number cells of >= 15 digits (Excel keeps 15 digits)
    long_numbers: list[tuple[int, int]] = field(default_factory=list)
    delimiter: str | None = None
    # CSV: data rows read, blank ones included (row r of the sheet is read row r - 2)
    read_rows: int | None = None
    polars_frame: object | None = None  # polars.DataFrame, columns "0".."n-1"
    nul_free: bool = False  # the file is known to hold no NUL byte (so no cell holds one)
    rows: np.ndarray | None = None  # spreadsheet row of each row kept (int64)
    reader: str = "pandas"  # "pandas" | "polars" | "openpyxl": which library read the cells

    def __post_init__(self):
        if self.rows is None:
            self.rows = np.asarray(self.frame.index, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.rows)

    def keep_only(self, positions) -> None:
        """Free the cells of every column but ``positions`` (a national register's columns
        take hundreds of MB; the import keeps only the personal ones once it has checked)."""
        keep = sorted(set(positions))
        if self.polars_frame is not None:
            self.polars_frame = self.polars_frame.select([str(p) for p in keep])
        else:
            self.frame = self.frame[keep]

    def all_distinct(self, pos: int) -> bool:
        """Whether the cells of column ``pos`` are all different (polars counts them without
        making a million Python strings)."""
        if self.polars_frame is not None:
            column = self.polars_frame[str(pos)]
            # distinct 64-bit hashes are distinct cells; fewer: count the cells themselves
            return column.hash(seed=0).n_unique() == len(self) or column.n_unique() == len(self)
        cells = self.frame[pos].tolist()
        return len(set(cells)) == len(cells)

    def values(self, pos: int) -> np.ndarray:
        """The cells of column ``pos``, one per row kept (object array of str)."""
        if self.polars_frame is not None:
            return self.polars_frame[str(pos)].to_numpy().astype(object, copy=False)
        return self.frame[pos].to_numpy(dtype=object)

    def coded(self, pos: int) -> tuple[np.ndarray, np.ndarray]:
        """(codes, distinct cells) of column ``pos``: ``distinct[codes]`` are its cells; the
        distinct cells in order of first appearance, as :func:`pandas.factorize` gives them."""
        if self.polars_frame is not None:
            return polars_codes(self.polars_frame[str(pos)])
        codes, uniques = pd.factorize(self.frame[pos].to_numpy(dtype=object))
        return codes.astype(np.intp, copy=False), np.asarray(uniques, dtype=object)


def _progress(message: str, enabled: bool) -> None:
    if enabled:
        print(message, file=sys.stderr, flush=True)


def sniff_kind(path: Path) -> str:
    """"csv" or "xlsx" from the extension, after checking the content agrees."""
    suffix = path.suffix.lower()
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    is_zip = head.startswith(b"PK\x03\x04")
    is_ole = head.startswith(b"\xd0\xcf\x11\xe0")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) > 8 and head.count(b"\x00") > len(head) // 4)
    if suffix in XLSX_SUFFIXES:
        if is_ole:
            raise NotReadable(f"{path.name} is an old Excel .xls file (or encrypted)",
                              "an .xlsx workbook", "open it in Excel and save as .xlsx")
        if not is_zip:
            what = "UTF-16 text" if utf16 else "a text (CSV) file" if _looks_text(head) \
                else "not a workbook"
            raise NotReadable(f"{path.name} is {what}, not an .xlsx workbook",
                              "an .xlsx workbook",
                              "rename it to .csv" if what == "a text (CSV) file"
                              else "save it from Excel as .xlsx")
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            raise NotReadable(f"{path.name} is a damaged zip file", "an .xlsx workbook",
                              "save it again from Excel") from None
        if "xl/workbook.xml" not in names:
            kind = ("a Word document" if "word/document.xml" in names else
                    "an OpenDocument file" if "content.xml" in names else "a zip archive")
            raise NotReadable(f"{path.name} is {kind}, not an .xlsx workbook",
                              "an .xlsx workbook", "save the register from Excel as .xlsx")
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        if is_zip:
            raise NotReadable(f"{path.name} is a zip/Excel workbook, not a CSV text file",
                              "a CSV text file", "rename it to .xlsx, or save as CSV UTF-8")
        if is_ole:
            raise NotReadable(f"{path.name} is an old Excel .xls file, not a CSV text file",
                              "a CSV text file", "save it as CSV UTF-8 or .xlsx")
        if utf16:
            raise NotReadable(f"{path.name} is UTF-16 text", "CSV in UTF-8",
                              "in Excel: Save As > 'CSV UTF-8 (Comma delimited)'")
        return "csv"
    raise NotReadable(f"{path.name}: unsupported file type '{suffix or '(none)'}'",
                      "a .csv or .xlsx file")


def _looks_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte sequence at the end is fine
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return b"\x00" not in head


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: 0 for d in ",;\t|"}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def csv_layout(path: Path) -> tuple[str, list[str]]:
    """(delimiter, headers) of a CSV register, from its first line."""
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            raise NotReadable(f"{path.name} is not UTF-8 text (byte {exc.start + 1})",
                              "CSV in UTF-8",
                              "in Excel: Save As > 'CSV UTF-8 (Comma delimited)'") from None
        text = head[:exc.start].decode("utf-8-sig")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise NotReadable(f"{path.name} is empty or its first line is blank",
                          "a header row in row 1")
    delimiter = _sniff_delimiter(lines[0])
    return delimiter, next(csv.reader([lines[0]], delimiter=delimiter))


def _csv_options(delimiter: str, ncols: int) -> dict:
    """How pandas reads a register CSV: every cell as text, nothing converted."""
    return dict(sep=delimiter, header=None, skiprows=1, names=list(range(ncols)), dtype=str,
                keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                skip_blank_lines=False, quotechar='"', engine="c", index_col=False,
                on_bad_lines="error")


# ---------------------------------------------------------------------------- polars
_LONE_CR = re.compile(rb"\r(?!\n)")


def has_lone_cr(path: Path, block: int = 1 << 23) -> bool:
    """True if the file holds a carriage return not followed by a line feed. pandas ends a
    row there; polars keeps it in the cell, so such a file is read by pandas."""
    return scan_bytes(path, block)[0]


def scan_bytes(path: Path, block: int = 1 << 23) -> tuple[bool, bool]:
    """(a carriage return alone, a NUL byte) anywhere in the file, in one pass (memchr for the
    NUL, so the pass costs what reading the file does)."""
    lone = nul = False
    with path.open("rb") as f:
        carry = b""
        while True:
            piece = f.read(block)
            data = carry + piece
            if not piece:
                return lone or data.endswith(b"\r"), nul
            nul = nul or b"\x00" in piece
            # a CR at the very end may be followed by LF in the next block: look at it then
            carry = b"\r" if data.endswith(b"\r") else b""
            lone = lone or _LONE_CR.search(data, 0, len(data) - len(carry)) is not None


def _polars():
    try:
        import polars
    except ImportError:  # pragma: no cover - a dependency; pandas reads without it
        return None
    return polars


def polars_csv(path: Path, delimiter: str, ncols: int, lone_cr: bool | None = None):
    """The CSV's data rows as a polars frame of text columns named "0".."ncols-1", read as
    :func:`_csv_options` has pandas read them; None where polars would not read the file as
    pandas does (see the module's docstring). ``lone_cr``: whether the file holds a carriage
    return alone, if known."""
    pl = _polars()
    if lone_cr is None:
        lone_cr = has_lone_cr(path)
    if pl is None or ncols == 0 or lone_cr:
        return None
    try:
        frame = pl.read_csv(path, has_header=False, skip_rows=1, separator=delimiter,
                            quote_char='"', infer_schema=False, empty_string_is_null=False,
                            encoding="utf8", raise_if_empty=False,
                            truncate_ragged_lines=False, ignore_errors=False)
    except Exception:  # noqa: BLE001 - any refusal: pandas reads the file and explains
        return None
    if frame.width != ncols:
        return None
    frame.columns = [str(p) for p in range(ncols)]
    if frame.null_count().sum_horizontal().item():  # a short row: pandas says which
        return None
    return frame


def polars_codes(series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values) of a polars text column, as :func:`pandas.factorize` gives
    them (distinct values in order of first appearance): factorised by a 64-bit hash of each
    value, then checked value by value, so a hash collision cannot merge two values (they are
    then factorised exactly)."""
    n = len(series)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=object)
    codes, _ = pd.factorize(series.hash(seed=0).to_numpy())
    codes = codes.astype(np.intp, copy=False)
    seen = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.r_[True, codes[1:] > seen[:-1]])  # first row of each code
    distinct = series.gather(first)
    if not (distinct.gather(codes) == series).all():  # pragma: no cover - a 64-bit collision
        codes, uniques = pd.factorize(series.to_numpy().astype(object))
        return codes.astype(np.intp, copy=False), np.asarray(uniques, dtype=object)
    return codes, distinct.to_numpy().astype(object, copy=False)


# ---------------------------------------------------------------------------- CSV
def read_csv(path: Path, progress: bool = False) -> RawTable:
    delimiter, headers = csv_layout(path)
    if path.stat().st_size > 20_000_000:
        _progress(f"reading {path.name} ...", progress)
    lone_cr, nul = scan_bytes(path)
    fast = polars_csv(path, delimiter, len(headers), lone_cr)
    if fast is not None:
        pl = _polars()
        read_rows = fast.height
        rows = np.arange(2, 2 + read_rows, dtype=np.int64)
        if fast.width and read_rows:
            blank = fast.select(pl.all_horizontal(pl.all() == "")).to_series().to_numpy()
            if blank.any():
                fast, rows = fast.filter(~pl.Series(blank)), rows[~blank]
        return RawTable(path, "csv", None, headers, None, delimiter=delimiter,
                        read_rows=read_rows, polars_frame=fast, rows=rows, reader="polars",
                        nul_free=not nul)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(path, **_csv_options(delimiter, len(headers)))
    except pd.errors.ParserWarning:
        raise NotReadable(f"{path.name}: some rows have more fields than the header "
                          f"({len(headers)})", f"every row with at most {len(headers)} fields "
                          f"separated by '{delimiter}'",
                          "check for a stray separator, or quote values that contain it") from None
    except UnicodeDecodeError as exc:
        raise NotReadable(f"{path.name} is not UTF-8 text", "CSV in UTF-8",
                          "in Excel: Save As > 'CSV UTF-8 (Comma delimited)'") from exc
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            raise NotReadable(f"{path.name}: line {m.group(2)} has {m.group(3)} fields, more "
                              f"fields than the header ({len(headers)})",
                              f"every row with at most {len(headers)} fields separated by "
                              f"'{delimiter}'", "check for a stray separator, or quote values "
                              "that contain it") from None
        raise NotReadable(f"{path.name}: rows do not match the header ({exc})".strip(),
                          f"every row with at most {len(headers)} fields separated by "
                          f"'{delimiter}'", "check for a stray separator or quote") from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame({i: pd.Series([], dtype=str) for i in range(len(headers))})
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    read_rows = len(frame)
    frame = _drop_empty_rows(frame)
    return RawTable(path, "csv", None, headers, frame, delimiter=delimiter, read_rows=read_rows,
                    nul_free=not nul)


def _drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or frame.shape[1] == 0:
        return frame
    empty = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        values = frame[col].to_numpy()
        empty &= values == ""
        if not empty.any():
            return frame
    return frame[~empty]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value).strip()


def read_xlsx(path: Path, sheet: str | None = None, progress: bool = False) -> RawTable:
    """The sheet's cells as text. Only the columns whose header names a codebook column are
    kept (the others are ignored by the check); a workbook that could expand beyond what a
    register needs is refused before it is opened (:mod:`.workbook_limits`), and so is a header
    row of more than :data:`MAX_COLUMNS` columns; rows after Excel's last are not read."""
    import openpyxl  # only for XLSX

    try:
        workbook_limits.check_workbook(path)
    except workbook_limits.TooLarge as exc:
        raise NotReadable(f"{path.name} is refused: {exc}", "an .xlsx workbook of a register's "
                          "size", "save the register again from Excel, or as CSV UTF-8") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotReadable(f"{path.name} is a damaged workbook ({exc})", "an .xlsx workbook",
                          "save it again from Excel") from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook fails in any of many ways
        raise NotReadable(f"{path.name} cannot be opened as a workbook ({type(exc).__name__})",
                          "an .xlsx workbook", "save it again from Excel") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise NotReadable(f"{path.name} has no sheet '{sheet}'",
                              "one of: " + ", ".join(wb.sheetnames))
        header_row = next(ws.iter_rows(max_row=1, values_only=True), None)
        if header_row is None or all(v is None for v in header_row):
            raise NotReadable(f"{path.name} sheet '{ws.title}' is empty or row 1 is blank",
                              "a header row in row 1")
        headers = [_cell_text(v) for v in header_row]
        while headers and headers[-1] == "":
            headers.pop()
        n = len(headers)
        if n > MAX_COLUMNS:
            raise NotReadable(f"{path.name} sheet '{ws.title}' has {n:,} columns in row 1",
                              f"a register of at most {MAX_COLUMNS} columns",
                              "delete the columns that are not the register's")
        kept = [c for c in range(n) if cb.column_for_header(headers[c]) is not None]
        columns: dict[int, list[str]] = {c: [] for c in kept}
        index: list[int] = []
        long_numbers: list[tuple[int, int]] = []
        rows = ws.iter_rows(min_row=2, max_row=EXCEL_ROWS, max_col=max(n, 1),
                            values_only=True)
        for r, values in enumerate(rows, start=2):
            if progress and r % 100_000 == 0:
                _progress(f"  read {r:,} rows of {path.name}", True)
            if not any(v is not None and v != "" for v in values):
                continue
            index.append(r)
            for c in kept:
                v = values[c] if c < len(values) else None
                if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 1e14:
                    long_numbers.append((r, c))
                columns[c].append(_cell_text(v))
    finally:
        wb.close()
    frame = pd.DataFrame({c: pd.Series(columns[c], dtype=str) for c in kept})
    frame.index = pd.Index(index, dtype="int64")
    return RawTable(path, "xlsx", ws.title, headers, frame, long_numbers=long_numbers,
                    reader="openpyxl")


def read_table(path: Path | str, sheet: str | None = None, progress: bool = False) -> RawTable:
    """Read ``path`` (CSV or XLSX; ``sheet`` names an XLSX sheet, default the first)."""
    path = Path(path)
    if not path.is_file():
        raise NotReadable(f"{path} does not exist or is not a file", "a .csv or .xlsx file")
    kind = sniff_kind(path)
    if kind == "xlsx":
        return read_xlsx(path, sheet, progress)
    if sheet is not None:
        raise NotReadable(f"{path.name} is a CSV file; it has no sheets",
                          "--sheet only with an .xlsx file")
    return read_csv(path, progress)
