"""Stored registers: ``data/private/registers/NAME/`` with ``register.json`` and its cases file.

``data/private/`` is git-ignored. A stored real register holds ``cases.csv`` (the columns of
:data:`codebook.STORED_COLUMNS`: ``person_id`` instead of ``nip`` and ``name``, ISO dates,
canonical codes), ``rollup.csv`` (its aggregates, :func:`.rollup.rollup`), ``names.json`` (keyed
hashes of the names, for the publication scan) and ``register.json``::

    {"name", "data_date", "synthetic": false, "rows", "source_sha256", "key_fingerprint",
     "cases_file": "cases.csv", "columns", "pseudonymised": true}

The synthetic generator writes the same layout (``"cases_file": "synthetic_cases.csv"``,
``"synthetic": true``); :func:`load_register` reads both.

A register folder is written to a temporary sibling and renamed into place, so a reader sees the
old register or the new one, never half of one.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ... import paths
from ..atomic import atomic_write_by, atomic_write_bytes, atomic_write_text
from . import codebook as cb
from .pseudonymise import NameIndex

REGISTER_FILE = "register.json"
CASES_FILE = "cases.csv"
NAMES_FILE = "names.json"  # keyed hashes of the register's names, for the publication scan
ROLLUP_FILE = "rollup.csv"  # the register's ledger-shaped aggregates, written by the import
NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,100}")


class RegisterError(Exception):
    """A register cannot be stored or loaded; the message says why."""


def registers_dir(base: Path | str | None = None) -> Path:
    """``data/private/registers`` (read from :mod:`analysis.paths` at call time)."""
    return Path(base) if base is not None else paths.DATA / "private" / "registers"


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_RE.fullmatch(name) or name in {".", ".."}:
        raise RegisterError(f"register name {name!r} is not allowed: use 1-100 letters, digits, "
                            "'_' or '-'")
    return name


def register_path(name: str, base: Path | str | None = None) -> Path:
    return registers_dir(base) / check_name(name)


# --------------------------------------------------------------------------- CSV writer
def _quote(value: str) -> str:
    """A CSV field as the writer writes it: quoted if it holds a comma, quote or line break
    (the reference the writer is tested against)."""
    if value and (any(ch in value for ch in ',"\r\n') or value != value.strip()):
        return '"' + value.replace('"', '""') + '"'
    return value


# polars' CSV: a header, "\n" line ends, a field quoted only when it must be
_CSV_OPTIONS = dict(include_header=True, separator=",", quote_char='"', line_terminator="\n",
                    quote_style="necessary")


def _stripped_or_null(name: str, series):
    """``series`` with "" as null (written as an empty field; polars writes "" as a quoted
    pair); refuses values with spaces around them."""
    import polars as pl

    series = pl.select(pl.when(series != "").then(series)).to_series().alias(name)
    if (series.str.strip_chars() != series).any():
        raise RegisterError(f"column {name} has a value with spaces around it; the register "
                            "writer stores stripped values only")
    return series


def _polars_frame(columns: list[tuple[str, np.ndarray, np.ndarray]], nrows: int):
    import polars as pl

    data = {}
    for column in columns:
        if len(column) == 2:  # (name, polars Series of the rows' values)
            data[column[0]] = _stripped_or_null(column[0], column[1])
            continue
        name, codes, values = column
        values = np.asarray(values, dtype=object)
        distinct = _stripped_or_null(
            name, pl.Series(name, values if len(values) else [""], dtype=pl.String))
        codes = np.asarray(codes, dtype=np.int64)[:nrows]
        if len(distinct) == nrows and np.array_equal(codes, np.arange(nrows)):
            data[name] = distinct  # one value per row, in order (case_id)
        else:
            data[name] = distinct.gather(codes) if nrows else distinct.clear()
    return pl.DataFrame(data)


def write_csv(path: Path | str, columns: list[tuple[str, np.ndarray, np.ndarray]],
              nrows: int) -> Path:
    """Write columns given as (name, codes, values) (``values[codes]`` are the rows' fields),
    or as (name, polars Series of the rows' fields, null or "" where empty), to ``path`` as
    CSV, atomically: ``\n`` line ends, UTF-8, a field quoted only when it holds a comma, quote
    or line break. By polars (a million rows of 20 columns in about half a second, several times
    faster than joining the rows in Python). Values with spaces around them are refused: they
    would be quoted by :func:`_quote` but not by polars (the check strips every stored
    value)."""
    frame = _polars_frame(columns, nrows)
    return atomic_write_by(path, lambda tmp: frame.write_csv(tmp, **_CSV_OPTIONS))


def csv_bytes(columns: list[tuple[str, np.ndarray, np.ndarray]], nrows: int) -> bytes:
    """:func:`write_csv`'s file as bytes (for small tables and tests)."""
    import io

    buffer = io.BytesIO()
    _polars_frame(columns, nrows).write_csv(buffer, **_CSV_OPTIONS)
    return buffer.getvalue()


# --------------------------------------------------------------------------- write / read
class StagedRegister:
    """A register folder being written: its files go to a temporary sibling folder, which
    :meth:`commit` renames into place (a reader sees the old register or the new one, never half
    of one) and :meth:`abort` removes. The import writes the cases while the name hashes are
    still being computed. Use as a context manager: leaving it without commit aborts."""

    def __init__(self, name: str, base: Path | str | None = None):
        self.name = name
        self.target = register_path(name, base)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp",
                                         dir=self.target.parent))
        self.meta: dict = {}
        self.done = False

    def __enter__(self) -> "StagedRegister":
        return self

    def __exit__(self, *exc) -> None:
        if not self.done:
            self.abort()

    def write_cases(self, columns: dict[str, tuple[np.ndarray, np.ndarray]], nrows: int
                    ) -> None:
        """``columns`` maps each of STORED_COLUMNS to (codes, values), or to a polars Series of
        the rows' values (null or "" where empty)."""
        missing = [c for c in cb.STORED_COLUMNS if c not in columns]
        if missing:
            raise RegisterError(f"columns missing from the register to store: {missing}")
        if any(c in columns for c in cb.PERSONAL):
            raise RegisterError("refusing to store personal data (nip, name)")
        ordered = [(c, columns[c]) if not isinstance(columns[c], tuple) else (c, *columns[c])
                   for c in cb.STORED_COLUMNS]
        write_csv(self.tmp / CASES_FILE, ordered, nrows)
        self.meta.update({"cases_file": CASES_FILE, "rows": int(nrows),
                          "columns": list(cb.STORED_COLUMNS)})

    def write_rollup(self, table: pd.DataFrame, elections_sha256: str) -> None:
        """The register's ledger-shaped aggregates (:func:`.rollup.rollup`), counted from the
        voting days of the elections.csv whose SHA-256 is given."""
        atomic_write_text(self.tmp / ROLLUP_FILE, table.to_csv(index=False, lineterminator="\n"))
        self.meta.update({"rollup_file": ROLLUP_FILE, "rollup_rows": len(table),
                          "rollup_unit": str(table["unit"].iloc[0]) if len(table) else "ASN",
                          "rollup_elections_sha256": elections_sha256})

    def write_names(self, name_hashes) -> None:
        """``names.json``: keyed hashes of the names (never the names), so the build can refuse
        to publish a page that shows one (:mod:`.scan`). ``name_hashes``: its content
        (:func:`.pseudonymise.name_hashes`) or a :class:`.pseudonymise.NameIndex`."""
        if isinstance(name_hashes, NameIndex):
            atomic_write_bytes(self.tmp / NAMES_FILE, name_hashes.json_bytes())
            self.meta.update({"names_file": NAMES_FILE, "name_hashes": len(name_hashes)})
            return
        else:
            # compact: json's fast encoder (an indented dump of a million hashes takes
            # seconds); one line per key all the same
            text = "{\n" + ",\n".join(f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'))}"
                                      for k, v in sorted(name_hashes.items())) + "\n}\n"
            count = len(name_hashes.get("hashes", ()))
        atomic_write_text(self.tmp / NAMES_FILE, text)
        self.meta.update({"names_file": NAMES_FILE, "name_hashes": count})

    def commit(self, meta: dict) -> Path:
        """Write ``register.json`` (``meta`` and what the files written say) and put the
        folder in place of any register of that name."""
        meta = {**meta, **self.meta, "name": self.name}
        try:
            atomic_write_text(self.tmp / REGISTER_FILE, json.dumps(
                meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
            os.chmod(self.tmp, 0o700)
            old = None
            if self.target.exists():
                old = self.target.parent / f".{self.name}.{os.getpid()}.old"
                os.replace(self.target, old)
            os.replace(self.tmp, self.target)
            self.done = True
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            self.abort()
            raise
        return self.target

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.done = True


def write_register(name: str, columns: dict[str, tuple[np.ndarray, np.ndarray]], nrows: int,
                   meta: dict, base: Path | str | None = None, *,
                   name_hashes: dict | None = None) -> Path:
    """Store a register: ``columns`` maps each of STORED_COLUMNS to (codes, values).

    ``name_hashes`` (from :func:`.pseudonymise.name_hashes`, never the names) is written to
    ``names.json`` so the build can refuse to publish a name from this register
    (:mod:`.scan`); ``register.json`` then says ``"names_file": "names.json"``.
    """
    with StagedRegister(name, base) as staged:
        staged.write_cases(columns, nrows)
        if name_hashes is not None:
            staged.write_names(name_hashes)
        return staged.commit(meta)


def read_meta(folder: Path) -> dict:
    meta_path = folder / REGISTER_FILE
    if not meta_path.is_file():
        raise RegisterError(f"{folder} is not a register folder (no {REGISTER_FILE})")
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RegisterError(f"{meta_path} is not valid JSON: {exc}") from None


def read_name_hashes(folder: Path | str) -> dict | None:
    """``names.json`` of a register folder, or None when the register stores no name hashes
    (a synthetic register, or one imported without names)."""
    folder = Path(folder)
    meta = read_meta(folder)
    names_file = meta.get("names_file", NAMES_FILE)
    if not isinstance(names_file, str) or Path(names_file).name != names_file:
        raise RegisterError(f"{folder / REGISTER_FILE}: names_file must be a file name")
    path = folder / names_file
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RegisterError(f"{path} is not valid JSON: {exc}") from None


def resolve_folder(path_or_name: Path | str, base: Path | str | None = None) -> Path:
    candidate = Path(path_or_name)
    if isinstance(path_or_name, Path) or os.sep in str(path_or_name) or "/" in str(path_or_name):
        return candidate
    return register_path(str(path_or_name), base)


_BOOL = {"true": True, "false": False, "True": True, "False": False, "TRUE": True,
         "FALSE": False, "1": True, "0": False, "": pd.NA}


def load_register(path_or_name: Path | str, base: Path | str | None = None
                  ) -> tuple[pd.DataFrame, dict]:
    """(cases, register.json) of a stored register: a folder path, or a NAME under ``base``.

    Dates become datetime64 (NaT when empty), ``cycle`` Int64, ``incumbent_running`` boolean
    (NA when unknown); categories are checked against the codebook. Optional codebook columns
    missing from the file are added empty; extra columns (e.g. ``synthetic``) are kept.
    """
    folder = resolve_folder(path_or_name, base)
    meta = read_meta(folder)
    cases_file = meta.get("cases_file", CASES_FILE)
    if not isinstance(cases_file, str) or Path(cases_file).name != cases_file \
            or cases_file in {"", ".", ".."}:
        raise RegisterError(f"{folder / REGISTER_FILE}: cases_file must be a file name in the "
                            f"folder, not {cases_file!r}")
    path = folder / cases_file
    if not path.is_file():
        raise RegisterError(f"{path} (the cases_file of {folder / REGISTER_FILE}) is missing")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    cols = list(frame.columns)
    personal = [c for c in cols if c in cb.PERSONAL]
    if personal:
        raise RegisterError(f"{path} holds personal data columns {personal}; registers are "
                            "stored pseudonymised (person_id)")
    required = [c for c in cb.REQUIRED if c not in cols]
    if "region" not in cols and "region_code" not in cols:
        required.append("region")
    if required:
        raise RegisterError(f"{path} lacks the columns {required}")
    if "columns" in meta and list(meta["columns"]) != cols:
        raise RegisterError(f"{path}: its columns {cols} differ from register.json's "
                            f"{meta['columns']}")
    if "rows" in meta and int(meta["rows"]) != len(frame):
        raise RegisterError(f"{path} has {len(frame)} rows; register.json says {meta['rows']}")
    for c in cb.STORED_COLUMNS:
        if c not in frame.columns:
            frame[c] = ""
    problems = []
    for c in cb.STORED_COLUMNS:
        col = cb.BY_NAME.get(c)
        if col is None:
            continue
        if col.type == "date":
            try:
                frame[c] = pd.to_datetime(frame[c].replace("", None), format="%Y-%m-%d")
            except (ValueError, TypeError) as exc:
                problems.append(f"{c}: not ISO dates ({exc})")
        elif col.type == "boolean":
            bad = sorted(set(frame[c].unique()) - set(_BOOL))
            if bad:
                problems.append(f"{c}: values {bad[:5]} (expected true/false/empty)")
            else:
                frame[c] = frame[c].map(_BOOL).astype("boolean")
        elif col.type == "integer":
            try:
                frame[c] = pd.to_numeric(frame[c].replace("", None)).astype("Int64")
            except (ValueError, TypeError) as exc:
                problems.append(f"{c}: not integers ({exc})")
        elif col.categories:
            bad = sorted(set(frame[c].unique()) - set(col.categories) - {""})
            if bad:
                problems.append(f"{c}: values {bad[:5]} not in {list(col.categories)}")
    if frame["case_id"].duplicated().any():
        problems.append("case_id: duplicate ids")
    if problems:
        raise RegisterError(f"{path}: " + "; ".join(problems))
    return frame, meta
