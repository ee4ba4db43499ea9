"""Complementary suppression: hide more cells until the attacker cannot narrow any hidden one.

The rule (:mod:`analysis.methods.disclosure` states it for readers): every hidden cell's feasible
range, as :mod:`analysis.methods.cell_attacker` computes it from everything published, must be
at least ``protection`` wide. Starting from the cells that must be hidden (the small counts),
the cell that falls shortest is taken first, and one more cell is hidden for it:

* the candidates are the shown cells on a line (a row or column with its total, a list with its
  total) through it, else on a line through a hidden cell of those lines, else every shown cell;
* among the candidates that give it the full width, the cheapest (an inner cell before a total,
  a positive count before a zero, then the smallest count); else the one that widens it most;
  else the cheapest on its lines (a later step then protects that one);
* then the attacker runs again, until no hidden cell falls short.

A cell that cannot be protected even with every other free cell hidden (its range is set by
cells whose status is fixed, e.g. tables already published) is shown when it is not small (the
attacker has it anyway), and *withheld* when it is: left out of what is published and said so.

Cells with the same identity are one cell: hidden in every table that shows it, or in none.
"""
from __future__ import annotations

import pandas as pd

from .cell_attacker import ANY_COUNT, Attacker, canonical_of

MAX_CANDIDATES = 40
_TOL = 1e-6


def protect(cells: pd.DataFrame, protection: float, domain=ANY_COUNT) -> pd.DataFrame:
    """Choose the cells to hide.

    ``cells``: one row per published cell with ``identity``, ``value`` (the true count),
    ``hidden`` (must be hidden: the small counts, ``primary`` if given, and cells hidden where
    already published), ``fixed`` (status may not change: cells
    already published elsewhere), ``lines`` (ids of the lines the cell is on) and ``margin``.
    ``domain``: what the mark of a hidden cell stands for. Returns ``cells`` with ``hidden``
    final and ``withheld`` (small cells that could not be protected: publish without them).
    """
    ids = [canonical_of(i) for i in cells["identity"]]
    state = _State(cells, ids, protection, domain)
    state.run()
    out = cells.copy()
    out["hidden"] = [i in state.hidden for i in ids]
    out["withheld"] = [i in state.withheld for i in ids]
    return out


class _State:
    def __init__(self, cells, ids, protection, domain):
        self.order = list(dict.fromkeys(ids))
        self.rank = {ident: k for k, ident in enumerate(self.order)}
        self.value, self.lines, self.fixed, self.small, self.margin = {}, {}, {}, {}, {}
        self.hidden, self.withheld = set(), set()
        wanted, pinned = {}, {}  # identity -> hidden wanted by a free cell / status if fixed
        for ident, (_, row) in zip(ids, cells.iterrows()):
            value = float(row["value"])
            if self.value.setdefault(ident, value) != value:
                raise ValueError(f"cells with one identity have two counts: {ident}")
            self.lines.setdefault(ident, set()).update(row["lines"])
            self.margin[ident] = self.margin.get(ident, True) and bool(row["margin"])
            self.small[ident] = self.small.get(ident, False) or bool(
                row.get("primary", row["hidden"]))
            status = ("withheld" if bool(row.get("withheld", False))
                      else "hidden" if bool(row["hidden"]) else "shown")
            if bool(row["fixed"]):
                if pinned.setdefault(ident, status) != status:
                    raise ValueError(f"a cell published twice is {status} in one table and "
                                     f"{pinned[ident]} in another: {ident}")
            elif status != "shown":
                wanted[ident] = status
        for ident in self.order:  # a cell published already keeps its status everywhere
            status = pinned.get(ident, wanted.get(ident, "shown"))
            self.fixed[ident] = ident in pinned
            if status == "hidden":
                self.hidden.add(ident)
            elif status == "withheld":
                self.withheld.add(ident)
        self.by_line: dict = {}
        for ident in self.order:
            for line in self.lines[ident]:
                self.by_line.setdefault(line, []).append(ident)
        self.protection, self.domain = float(protection), tuple(domain)
        self.attacker = Attacker(self.order)
        self.seen: list = []  # feasible points found so far (they stay feasible as more is hidden)

    # ----------------------------------------------------------------- attacker views
    def ranges(self, hidden, targets=None, need=True):
        known = {i: self.value[i] for i in self.order if i not in hidden and i not in self.withheld}
        needs = {i: self.protection for i in hidden} if need else None
        return self.attacker.ranges(known, {i: self.domain for i in hidden}, needs, targets,
                                    self.seen)

    def width(self, ident, hidden) -> float:
        lo, hi, _ = self.ranges(hidden, [ident], need=False)[ident]
        return hi - lo

    def cost(self, ident):
        v = self.value[ident]
        return (self.margin[ident], v == 0, v, self.rank[ident])

    def free_shown(self):
        return [i for i in self.order
                if i not in self.hidden and i not in self.withheld and not self.fixed.get(i)]

    def neighbours(self, idents):
        free = set(self.free_shown())
        near = {j for i in idents for line in self.lines[i] for j in self.by_line[line]}
        return sorted(near & free, key=self.rank.get)

    # ----------------------------------------------------------------- the loop
    def run(self):
        while True:
            got = self.ranges(self.hidden)
            short = [i for i in self.hidden if got[i][1] - got[i][0] < self.protection - _TOL]
            if not short:
                return
            cell = min(short, key=lambda i: (got[i][1] - got[i][0], self.rank[i]))
            pick = self.choose(cell, got[cell][1] - got[cell][0], self.free_shown())
            if pick is None:
                self.give_up(cell)
            else:
                self.hidden.add(pick)

    def give_up(self, cell):
        if self.fixed.get(cell):
            raise ValueError(f"cell {cell} is fixed hidden and narrowed by fixed cells alone: "
                             "the tables it comes from are not protected")
        self.hidden.discard(cell)
        if self.small.get(cell):
            self.withheld.add(cell)
        else:
            self.fixed[cell] = True  # shown: the attacker has it anyway

    def choose(self, cell, now, free):
        """The cell to hide next for ``cell`` (now ``now`` wide), or None when even hiding every
        free cell would not protect it."""
        if not free:
            return None
        first = self.neighbours([cell])
        pool = first or self.neighbours([cell] + [h for h in self.hidden
                                                 if self.lines[h] & self.lines[cell]]) or free
        pool = sorted(pool, key=self.cost)[:MAX_CANDIDATES]
        widths = {}
        for c in pool:  # cheapest first: the first that is enough is the one to take
            widths[c] = self.width(cell, self.hidden | {c})
            if widths[c] >= self.protection - _TOL:
                return c
        better = [c for c in pool if widths[c] > now + _TOL]
        if better:
            return min(better, key=lambda c: (-widths[c], self.cost(c)))
        if self.width(cell, self.hidden | set(free)) < self.protection - _TOL:
            return None
        return min(first or pool, key=self.cost)
