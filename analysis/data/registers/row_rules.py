"""The rules across a register's columns: required values, region from its code, unique case
ids, dates in order, outcome and sanction consistent, no date after the data date, a known
election, and NIPs typed as numbers in Excel.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ... import paths
from . import codebook as cb
from .coded import Coded
from .problem import hidden

if TYPE_CHECKING:
    from .check import Checker


def required_values(ck: Checker) -> None:
    """A value in every required column, and a region or region code in every row."""
    for canon in cb.REQUIRED:
        if canon not in ck.out:
            continue
        mask = ck.raw[canon].blank()
        if not mask.any():
            continue
        ck.add_rows(mask, canon, lambda pos: ("", f"a value ({canon} is required)", ""),
                    "error", "required_value")
    # region or region_code in every row
    have = np.zeros(ck.n, dtype=bool)
    for canon in ("region", "region_code"):
        if canon in ck.raw:
            filled = np.array([v.strip() != "" for v in ck.raw[canon].values], dtype=bool)
            have |= filled[ck.raw[canon].codes] if len(filled) else False
    if ("region" in ck.raw or "region_code" in ck.raw) and not have.all():
        ck.add_rows(~have, "region" if "region" in ck.raw else "region_code",
                    lambda pos: ("", "a region (or region code)", ""), "error",
                    "required_value")

def region_from_code(ck: Checker) -> None:
    """Fill an empty region from a known region_code; warn when the two disagree."""
    if "region_code" not in ck.out:
        return
    names = [ck.region_codes.get(v, "") for v in ck.out["region_code"].values]
    if not any(names) and "region" in ck.out:
        return
    code_names = np.array(names or [""], dtype=object)
    by_code = code_names[ck.out["region_code"].codes] if ck.n else np.array([], object)
    if "region" not in ck.out:
        codes, uniques = pd.factorize(by_code)
        ck.out["region"] = Coded(codes.astype(np.intp), np.asarray(uniques, dtype=object))
        return
    region = ck.out["region"].array()
    disagree = (by_code != "") & (region != "") & (by_code != region)
    if disagree.any():
        rc = ck.out["region_code"]
        ck.add_rows(disagree, "region_code", lambda pos: (
            rc.values[rc.codes[pos]],
            f"the code of {region[pos]} (the region given)",
            f"this code is {by_code[pos]}"), "warning", "region_mismatch")
    filled = np.where(region == "", by_code, region)
    codes, uniques = pd.factorize(filled)
    ck.out["region"] = Coded(codes.astype(np.intp), np.asarray(uniques, dtype=object))

def unique_case_ids(ck: Checker) -> None:
    """Every case id used once (compared after normalising)."""
    if "case_id" not in ck.out:
        return
    coded = ck.out["case_id"]
    position = ck.positions.get("case_id")
    if coded is ck.raw["case_id"] and position is not None:  # not normalised
        if ck.t.all_distinct(position):  # the cells as read: the common case, fast
            return
    values = coded.array()
    if len(set(values.tolist())) == len(values):  # normalised values all distinct
        return
    dup = pd.Series(values).duplicated(keep=False).to_numpy() & (values != "")
    if not dup.any():
        return
    per_row, _ = pd.factorize(values)
    positions = np.flatnonzero(dup)
    rows_of: dict[int, list[int]] = {}
    for pos in positions:
        rows_of.setdefault(int(per_row[pos]), []).append(int(ck.rows[pos]))
    raw = ck.raw["case_id"]

    def describe(pos):
        others = [r for r in rows_of[int(per_row[pos])] if r != ck.rows[pos]]
        shown = ", ".join(map(str, others[:5])) + (" ..." if len(others) > 5 else "")
        return raw.values[raw.codes[pos]], "a case id used only once", f"also in row {shown}"
    ck.add_rows(positions, "case_id", describe, "error", "duplicate_case_id")

def date_order(ck: Checker) -> None:
    """Dates in the order of :data:`.codebook.DATE_ORDER` (a later step never earlier)."""
    for early, late in cb.DATE_ORDER:
        if early not in ck.ords or late not in ck.ords:
            continue
        a, b = ck.ords[early], ck.ords[late]
        wrong = (a > 0) & (b > 0) & (b < a)
        if not wrong.any():
            continue
        ra, rb = ck.raw[late], ck.out[early]

        def describe(pos, ra=ra, rb=rb, early=early):
            return (ra.values[ra.codes[pos]],
                    f"a date not before {ck.header[early]} ({rb.values[rb.codes[pos]]})",
                    "check the day/month order and the year")
        ck.add_rows(wrong, late, describe, "error", "date_order")

def row_is(ck: Checker, canon: str, test) -> np.ndarray:
    """Per row: does ``test`` hold for the normalised value (evaluated per distinct value)."""
    coded = ck.out[canon]
    per_value = np.fromiter((bool(test(v)) for v in coded.values.tolist()), dtype=bool,
                            count=len(coded.values))
    return per_value[coded.codes] if len(per_value) else np.zeros(ck.n, dtype=bool)

def consistency(ck: Checker) -> None:
    """Warnings where severity or sanction date do not fit the outcome."""
    if "outcome" not in ck.out:
        return
    outcome = ck.out["outcome"].array()
    sanctioned = row_is(ck, "outcome", lambda v: v == "sanctioned")
    if "sanction_severity" in ck.out:
        sev = ck.out["sanction_severity"].array()
        miss = sanctioned & row_is(ck, "sanction_severity", lambda v: v == "")
        ck.add_rows(miss, "sanction_severity", lambda pos: (
            "", "a severity (moral, ringan, sedang, berat) when the outcome is sanctioned",
            ""), "warning", "severity_missing")
        extra = (row_is(ck, "outcome", lambda v: v in ("not_proven", "stopped"))
                 & row_is(ck, "sanction_severity", lambda v: v != ""))
        ck.add_rows(extra, "sanction_severity", lambda pos: (
            sev[pos], f"no severity when the outcome is {outcome[pos]}", ""),
            "warning", "severity_unexpected")
    if "date_sanction" in ck.out:
        ds = ck.out["date_sanction"].array()
        extra = (~sanctioned & row_is(ck, "outcome", lambda v: v != "")
                 & row_is(ck, "date_sanction", lambda v: v != ""))
        ck.add_rows(extra, "date_sanction", lambda pos: (
            ds[pos], f"no sanction date when the outcome is {outcome[pos]}", ""),
            "warning", "sanction_date_unexpected")

def after_data_date(ck: Checker) -> None:
    """No date after the register's data date: a register records what had happened by
    then (open cases are censored there)."""
    if ck.data_date is None:
        return
    limit = ck.data_date.toordinal()
    for canon in cb.DATE_COLUMNS:
        if canon not in ck.ords:
            continue
        late = ck.ords[canon] > limit
        if not late.any():
            continue
        raw = ck.raw[canon]
        ck.add_rows(late, canon, lambda pos, raw=raw: (
            raw.values[raw.codes[pos]],
            f"a date on or before the data date {ck.data_date.isoformat()}",
            "a register records what had happened by its data date: check the year, or "
            "give a later --data-date"), "error", "date_after_data_date")

def elections(ck: Checker) -> None:
    """Every (cycle, election type) must be an election with a national voting day in
    elections.csv: lags after voting day, and so the aggregates, are counted from it."""
    if "cycle" not in ck.out or "election_type" not in ck.out:
        return
    cycle, etype = ck.out["cycle"], ck.out["election_type"]
    known = known_elections(ck.elections_path)
    nc = len(etype.values)
    pair = cycle.codes.astype(np.int64) * nc + etype.codes
    present = np.unique(pair)
    bad = [int(p) for p in present
           if cycle.values[p // nc] and etype.values[p % nc]
           and (int(cycle.values[p // nc]), etype.values[p % nc]) not in known]
    if not bad:
        return
    raw = ck.raw["cycle"]
    mask = np.isin(pair, np.asarray(bad, dtype=np.int64))

    def describe(pos):
        kind = etype.values[etype.codes[pos]]
        years = sorted(y for y, t in known if t == kind)
        return (raw.values[raw.codes[pos]],
                f"a year with a {kind} voting day in data/raw/elections.csv ("
                + ", ".join(map(str, years)) + ")",
                f"{ck.header.get('election_type', 'election_type')} is "
                f"'{ck.raw['election_type'].values[ck.raw['election_type'].codes[pos]]}'"
                "; a new election needs its voting day in elections.csv")
    ck.add_rows(mask, "cycle", describe, "error", "unknown_election")

def long_numbers(ck: Checker, found: dict[str, list[int]]) -> None:
    """An NIP typed as a number in Excel (15 digits kept): an error, it cannot be recovered."""
    if "nip" not in found or not ck.t.long_numbers:
        return
    nip_positions = set(found["nip"])
    where = {r: None for r, c in ck.t.long_numbers if c in nip_positions}
    if not where:
        return
    mask = np.isin(ck.rows, np.fromiter(where, dtype=np.int64))
    raw = ck.raw["nip"]
    ck.add_rows(mask, "nip", lambda pos: (
        hidden(raw.values[raw.codes[pos]]), "an NIP typed as text",
        "the cell is a number: Excel keeps only 15 digits; format the NIP column as Text "
        "and type the NIP again"), "error", "nip_number_cell")


def known_elections(path: Path | None = None) -> set[tuple[int, str]]:
    """(cycle, election type) of every election with a national voting day in elections.csv
    (:func:`..ledger.voting_days`)."""
    from .. import ledger

    days = ledger.voting_days(ledger.load_elections(path or paths.ELECTIONS))
    return {(int(c), str(t)) for c, t in zip(days["cycle"], days["election_type"])}

