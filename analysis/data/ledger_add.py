"""Add one published figure to the evidence ledger: ``python -m analysis ledger add``.

The new row is appended to a candidate copy of ``data/raw/published_figures.csv`` and the copy is
checked by the validator (:func:`analysis.data.validate.validate_files`, the same rules as
``python -m analysis validate``). Only a clean copy replaces the ledger, in one atomic step, and
only if the ledger did not change meanwhile: on any error ``data/raw/`` stays byte for byte as
it was.

Beyond the validator, the ledger must not already hold a figure for the same thing at the same
date (``build.CONFLICT_KEY``: cycle, election type, scope, region, agency, metric, breakdown,
category, unit and as-of date). With the same value the new row is a *duplicate*, with another a
*conflict*; either is added only with ``--reason``, which goes into the note with the ids of the
figures it stands beside (conflicts are kept; ``ledger.choose_figure`` picks one). The id is the
next free number of a prefix (``ad-0001``, ``ad-0002`` ...) unless ``--id`` gives one; precisions
follow from the form of the dates; the region is stored under its canonical name.
"""
from __future__ import annotations

import csv
import io
import re
import sys
import tempfile
from pathlib import Path

from .schemas import LEDGER

ID_PATTERN = re.compile(r"[a-z]{2,8}-\d{4,}", re.ASCII)
# Columns the command fills itself, and those a user must give.
DERIVED = ("id", "as_of_precision", "published_precision", "source_file", "source_row")
REQUIRED = ("cycle", "election_type", "scope", "region", "agency", "metric", "value", "unit",
            "as_of_date", "published_date", "source_quality", "note")
DEFAULTS = {"value_qualifier": "exact", "source_kind": "url"}


class Refused(Exception):
    """The figure was not added; ``messages`` say why, one line each."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def option(column: str) -> str:
    return "--" + column.replace("_", "-")


def add_arguments(parser) -> None:
    """One option per ledger column (from the schema), plus --id-prefix and --reason."""
    for f in LEDGER.fields:
        if f.name in DERIVED:
            continue
        default = DEFAULTS.get(f.name)
        text = f.description + (f"; one of: {', '.join(f.enum)}" if f.enum else "")
        parser.add_argument(option(f.name), dest=f.name, required=f.name in REQUIRED,
                            default=default, metavar=f.name.upper(),
                            help=text + (f" (default: {default})" if default else ""))
    parser.add_argument("--id", help="the new row's id (default: the next free PREFIX-NNNN)")
    parser.add_argument("--id-prefix", default="ad", metavar="PREFIX",
                        help="prefix of a generated id: 2-8 lower-case letters (default: ad)")
    parser.add_argument("--reason", help="why a duplicate or conflicting figure is added anyway "
                                         "(recorded in its note)")


def new_row(values: dict, ids: list[str], prefix: str, resolver) -> dict:
    """The ledger row for ``values`` (column -> text): id, precisions and canonical region
    filled in; every cell stripped. Raises Refused for an empty required field or an id that
    breaks the id scheme (the validator checks everything else)."""
    from .ledger import precision_of

    row = {c: (values.get(c) or "").strip() for c in LEDGER.columns}
    refused = [f"field {c} ({option(c)}): value '': expected a value (every figure added "
               "carries its agency, metric, unit, dates, source quality and a note)"
               for c in REQUIRED if not row[c]]
    if row["id"] and not ID_PATTERN.fullmatch(row["id"]):
        refused.append(f"field id (--id): value {row['id']!r}: expected PREFIX-NNNN, 2-8 "
                       "lower-case letters, a hyphen and at least 4 digits (as nf-0229)")
    if not re.fullmatch(r"[a-z]{2,8}", prefix, re.ASCII):
        refused.append(f"field id (--id-prefix): value {prefix!r}: expected 2-8 lower-case "
                       "letters")
    if refused:
        raise Refused(refused)
    row["id"] = row["id"] or next_id(ids, prefix)
    for kind in ("as_of", "published"):
        date = row[f"{kind}_date"]
        row[f"{kind}_precision"] = precision_of(date) if date else ""
    row["region"] = resolver.resolve(row["region"]) or row["region"]
    return row


def next_id(ids: list[str], prefix: str) -> str:
    """``prefix-NNNN`` one above the highest number the prefix has (0001 for a new prefix)."""
    numbers = [int(i.split("-", 1)[1]) for i in ids
               if i.startswith(prefix + "-") and i.split("-", 1)[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:04d}"


def same_figures(rows: list[dict], new: dict, resolver) -> tuple[list[dict], list[dict]]:
    """Rows for the same thing at the same as-of date as ``new``: (those with the same value,
    those with another)."""
    from .build import CONFLICT_KEY

    def key(row):
        return tuple(resolver.canonical(row.get(k) or "") if k == "region"
                     else (row.get(k) or "").strip() for k in CONFLICT_KEY)

    same = [r for r in rows if key(r) == key(new)]
    value = float(new["value"])
    return ([r for r in same if float(r["value"]) == value],
            [r for r in same if float(r["value"]) != value])


def with_reason(new: dict, repeated: list[dict], conflicts: list[dict],
                reason: str | None) -> dict:
    """``new`` with the reason for standing beside the figures it repeats or contradicts in its
    note; Refused when there is something to explain and no reason."""
    if not repeated and not conflicts:
        return new
    described = []
    if repeated:
        described.append("the same figure as " + ", ".join(r["id"] for r in repeated))
    if conflicts:
        described.append("a conflict with " + ", ".join(f"{r['id']} ({r['value']})"
                                                         for r in conflicts))
    if not (reason or "").strip():
        what = " and ".join(described)
        raise Refused([f"field value (--value): value {new['value']!r}: the ledger already has "
                       f"a figure for this cycle, election, scope, region, agency, metric, "
                       f"breakdown, category, unit and as-of date: this would be {what}; "
                       "add it only with --reason \"why\" "
                       "(kept beside them, the reason in the note)"])
    note = f"{new['note']} [added as {' and '.join(described)}: {reason.strip()}]".strip()
    return new | {"note": note}


class Ledger:
    """The ledger file as read once: its bytes, text, header, rows and line ending."""

    BOM = b"\xef\xbb\xbf"

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data = path.read_bytes()
            self.bom = self.BOM if self.data.startswith(self.BOM) else b""
            self.text = self.data[len(self.bom):].decode("utf-8")
            records = list(csv.reader(io.StringIO(self.text)))
            self.header = [h.strip() for h in records[0]]
        except (OSError, UnicodeDecodeError, csv.Error, IndexError) as exc:
            raise Refused([f"{path} cannot be read ({exc.__class__.__name__}: {exc}): "
                           "`python -m analysis validate` says what to fix"]) from None
        self.rows = list(csv.DictReader(io.StringIO(self.text)))
        self.next_row = len(records) + 1  # spreadsheet row of an appended record
        first = self.text.split("\n", 1)[0]
        self.newline = "\r\n" if first.endswith("\r") else "\n"

    def with_row(self, row: dict) -> bytes:
        """The file with ``row`` appended; a value for a column it lacks is refused, not
        dropped."""
        missing = [c for c in row if row[c] and c not in self.header]
        if missing:
            raise Refused([f"field {c} ({option(c)}): value {row[c]!r}: expected a column of "
                           f"the ledger, which has no column {c!r}" for c in missing])
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=self.newline).writerow(
            [row.get(c, "") for c in self.header])
        body = self.text if self.text.endswith(("\n", "\r")) or not self.text \
            else self.text + self.newline
        return self.bom + (body + buffer.getvalue()).encode("utf-8")

    def problems(self, data: bytes) -> list[str]:
        """The validator's errors in ``data`` (the ledger with the new row), as lines naming the
        new row's field and value, or the ledger's own row."""
        from .validate import validate_files

        lines = []
        with tempfile.TemporaryDirectory(prefix="netralitas-ledger-add-") as folder:
            candidate = Path(folder) / self.path.name
            candidate.write_bytes(data)
            for p in validate_files([candidate]):
                if p.severity != "error":
                    continue
                if p.row == self.next_row and p.column:
                    value = "" if p.value is None else f" value {p.value!r}:"
                    lines.append(f"field {p.column} ({option(p.column)}):{value} expected "
                                 f"{p.expected}")
                else:
                    lines.append("the ledger itself (fix it first): "
                                 + str(p).replace(str(candidate), str(self.path)))
        return lines


def add(values: dict, reason: str | None = None, prefix: str = "ad",
        ledger_path: Path | None = None) -> dict:
    """Append one figure to the ledger (see the module docstring); return the row written.
    Raises Refused, leaving the ledger untouched, when it cannot be added."""
    from .. import paths
    from .atomic import atomic_write_bytes
    from .regions import load_resolver

    ledger = Ledger(Path(ledger_path or paths.LEDGER))
    resolver = load_resolver()
    row = new_row(values, [r["id"] for r in ledger.rows], prefix, resolver)
    errors = ledger.problems(ledger.with_row(row))
    if errors:
        raise Refused(errors)
    explained = with_reason(row, *same_figures(ledger.rows, row, resolver), reason)
    data = ledger.with_row(explained)
    if explained != row:  # the reason is checked as any note is
        errors = ledger.problems(data)
        if errors:
            raise Refused(errors)
    if ledger.path.read_bytes() != ledger.data:
        raise Refused([f"{ledger.path} changed while the figure was checked; run the command "
                       "again"])
    atomic_write_bytes(ledger.path, data)
    return explained


def main(args) -> int:
    """The ``ledger add`` command: 0 when the figure was added, 1 when it was refused."""
    from .. import paths

    values = {c: getattr(args, c, None) for c in LEDGER.columns}
    try:
        row = add(values, args.reason, args.id_prefix)
    except Refused as refused:
        print(f"ledger add: refused; nothing was written ({paths.RAW} is unchanged):",
              file=sys.stderr)
        for message in refused.messages:
            print(f"  ERROR {message}", file=sys.stderr)
        return 1
    print(f"added {row['id']} to {paths.LEDGER}: {row['cycle']} {row['election_type']} "
          f"{row['region']}, {row['agency']} {row['metric']} {row['value']} {row['unit']} as of "
          f"{row['as_of_date']}")
    return 0
