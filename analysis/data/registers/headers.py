"""A register's headers: each mapped to a codebook column, or ignored with a warning."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..duplicate_headers import duplicated_headers, message, where
from . import codebook as cb
from .parsing import closest

if TYPE_CHECKING:
    from .check import Checker


def map_headers(ck: Checker) -> dict[str, list[int]]:
    """Canonical column -> the positions read for it; a warning for each ignored header, an
    error for a missing column or a column given twice."""
    found: dict[str, list[int]] = {}
    extras = []
    shown_choices = {cb.key(a): a for c in cb.COLUMNS for a in (c.header_id, *c.aliases)}
    for pos, header in enumerate(ck.t.headers):
        canon = cb.column_for_header(header) if header.strip() else None
        if canon is None and not header.strip():
            continue  # an unnamed (usually empty) column, e.g. from a trailing separator
        if canon is None:
            extras.append(header)
            hint = closest(header, shown_choices) if header.strip() else ""
            ck.add(1, header, "", "a column of the codebook; this column is ignored",
                   f"did you mean '{hint}'?" if hint else "", "warning", "",
                   "extra_column")
            continue
        found.setdefault(canon, []).append(pos)
    ck.extras = extras
    twice = duplicated_headers(ck.t.headers, key=cb.key)
    for header, first, again in twice:  # one header twice (as headers are matched: any case)
        ck.add(1, header, "", message(header, first, again), "", "error",
               cb.column_for_header(header) or "", "duplicate_header")
    repeated = {again - 1 for _, _, again in twice}
    for canon, positions in found.items():
        others = [p for p in positions if p not in repeated]
        if len(others) > 1 and canon != "region":  # two different headers of one column
            names = " and ".join(f"'{ck.t.headers[p]}' in column {where(p + 1)}"
                                 for p in others)
            ck.add(1, ck.t.headers[others[1]], "", f"one column for {canon}; found {names}",
                   "delete or rename the extra one", "error", canon, "duplicate_column")
    for c in cb.REQUIRED:
        if c not in found:
            col = cb.BY_NAME[c]
            ck.add(1, c, "", f"a column '{col.header_id}' ({c})",
                   "accepted headers: " + ", ".join(col.aliases[:4]), "error", c,
                   "missing_column")
    if "region" not in found and "region_code" not in found:
        ck.add(1, "region", "", "a column 'Wilayah' (region) or 'Kode Wilayah' "
               "(region_code)", "accepted headers: Wilayah, Kabupaten/Kota, Provinsi, "
               "Daerah", "error", "region", "missing_column")
    for canon, positions in found.items():
        ck.header[canon] = ck.t.headers[positions[0]]
    return found

