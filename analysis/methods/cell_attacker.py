"""The attacker of published count tables: the smallest and largest value of every hidden cell.

A published cell counts the records that match its *identity*: a mapping from a dimension to
the values counted (``{"region": ["Bangka"], "election": ["Pilkada 2020"]}``); a dimension left
out counts every value, and :class:`Not` counts every value but those listed. Cells of several
tables counted from the same records are linked through their identities: a cell with the same
identity is the same unknown everywhere, and a margin of one table is a sum of cells of another.

The attacker knows every shown count, the set of values each hidden cell's mark can stand for (a
union of integer intervals, e.g. "0 or at least 5"), and that counts are non-negative integers.
It finds each hidden cell's minimum and maximum by integer programming:

* The records are split into *atoms* by every value an identity names (plus one class for every
  other value of each dimension); a cell is the sum of its atoms. Atoms are built per clique of
  a junction tree of the dimensions that appear together, and neighbouring cliques must agree on
  the counts of the dimensions they share. That is exact, not a relaxation: non-negative integer
  tables that agree on their shared margins along a junction tree can always be joined into one
  table of records (one transport problem per value of each separator).
* A mark whose values are several intervals gets one binary variable per interval.
* Each bound is an integer programme (``scipy.optimize.milp``); its LP relaxation is solved first
  (:mod:`.lp_relaxation`: one loaded HiGHS programme per set of shown cells) and kept when its
  optimum is integral and inside the marks' sets (it is then the integer optimum). A side
  unbounded in the relaxation is unbounded for integers too (a rational recession direction of
  non-negative atoms only raises counts).

Only ``numpy``, ``pandas`` and ``scipy`` are used: this module is general statistics.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .lp_relaxation import Relaxation

ANY_COUNT = ((0, None),)  # the domain of a mark that says nothing: any count, 0 included
MAX_ATOMS = 2_000_000
_TOL = 1e-6


class InconsistentCells(ValueError):
    """The shown cells cannot all be true at once (a table or an identity is wrong)."""


@dataclass(frozen=True)
class Not:
    """Every value of a dimension except ``values``."""

    values: tuple


# --------------------------------------------------------------------------- identities
def canonical(identity: Mapping) -> tuple:
    """A hashable form of an identity: ``((dim, "in"|"not", (values...)), ...)``, values as text,
    dimensions that restrict nothing dropped."""
    items = []
    for dim, spec in dict(identity).items():
        if (isinstance(spec, tuple) and len(spec) == 2 and spec[0] in ("in", "not")
                and isinstance(spec[1], (tuple, list))):
            kind, values = spec
        elif isinstance(spec, Not):
            kind, values = "not", spec.values
        elif isinstance(spec, (str, bytes, int, float)):
            kind, values = "in", (spec,)
        else:
            kind, values = "in", tuple(spec)
        values = tuple(sorted({str(v) for v in values}))
        if kind == "not" and not values:
            continue
        items.append((str(dim), kind, values))
    return tuple(sorted(items))


def both(a: Mapping | tuple, b: Mapping | tuple) -> tuple:
    """The identity of the records matching ``a`` and ``b`` (canonical)."""
    out = {d: (k, set(v)) for d, k, v in canonical_of(a)}
    for d, k, v in canonical_of(b):
        if d not in out:
            out[d] = (k, set(v))
            continue
        k0, v0 = out[d]
        if k0 == "in" and k == "in":
            out[d] = ("in", v0 & set(v))
        elif k0 == "in":
            out[d] = ("in", v0 - set(v))
        elif k == "in":
            out[d] = ("in", set(v) - v0)
        else:
            out[d] = ("not", v0 | set(v))
    return canonical({d: (k, tuple(v)) for d, (k, v) in out.items()})


def canonical_of(identity) -> tuple:
    return identity if isinstance(identity, tuple) else canonical(identity)


# --------------------------------------------------------------------------- atoms
def _cliques(dims: list, edges: list) -> list[tuple]:
    """Maximal cliques of the dimensions' co-occurrence graph made chordal (min-fill order)."""
    adj = {d: set() for d in dims}
    for edge in edges:
        for a, b in itertools.combinations(sorted(edge), 2):
            adj[a].add(b)
            adj[b].add(a)
    remaining, found = set(dims), []

    def fill(v):
        near = sorted(adj[v] & remaining)
        return sum(b not in adj[a] for a, b in itertools.combinations(near, 2))

    while remaining:
        v = min(remaining, key=lambda d: (fill(d), len(adj[d] & remaining), d))
        near = adj[v] & remaining
        for a, b in itertools.combinations(sorted(near), 2):
            adj[a].add(b)
            adj[b].add(a)
        found.append(frozenset(near | {v}))
        remaining.remove(v)
    maximal = [c for c in found if not any(c < o for o in found)]
    unique = list(dict.fromkeys(maximal)) or [frozenset()]
    return [tuple(sorted(c)) for c in unique]


def _tree(cliques: list[tuple]) -> list[tuple[int, int, tuple]]:
    """A junction tree: maximum spanning tree on the size of the shared dimensions."""
    pairs = sorted(((len(set(a) & set(b)), i, j) for (i, a), (j, b)
                    in itertools.combinations(enumerate(cliques), 2)),
                   key=lambda t: (-t[0], t[1], t[2]))
    parent = list(range(len(cliques)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    edges = []
    for _, i, j in pairs:
        if root(i) != root(j):
            parent[root(i)] = root(j)
            edges.append((i, j, tuple(sorted(set(cliques[i]) & set(cliques[j])))))
    return edges


class Atoms:
    """The records split by every value the identities name, one block of atoms per clique."""

    def __init__(self, identities):
        idents = [canonical_of(i) for i in identities]
        named: dict[str, set] = {}
        for ident in idents:
            for dim, _, values in ident:
                named.setdefault(dim, set()).update(values)
        self.classes = {d: sorted(v) for d, v in named.items()}  # index len(...) = any other value
        dims = sorted(named)
        self.cliques = _cliques(dims, [{d for d, _, _ in i} for i in idents])
        self.shapes = [tuple(len(self.classes[d]) + 1 for d in c) for c in self.cliques]
        sizes = [int(np.prod(s, dtype=np.int64)) for s in self.shapes]
        if sum(sizes) > MAX_ATOMS:
            raise ValueError(f"the linked tables split the records into {sum(sizes)} atoms "
                             f"(more than {MAX_ATOMS}); link fewer dimensions at once")
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.n = int(self.offsets[-1])
        self._columns: dict[tuple, np.ndarray] = {}
        self.links = self._links()

    def _mask(self, k: int, spec: dict) -> np.ndarray:
        """Flat mask of clique ``k``'s atoms matching ``spec`` (dim -> class mask)."""
        full = np.ones(self.shapes[k], dtype=bool)
        for axis, dim in enumerate(self.cliques[k]):
            if dim in spec:
                shape = [1] * len(self.shapes[k])
                shape[axis] = -1
                full = full & spec[dim].reshape(shape)
        return full.ravel()

    def _class_mask(self, dim: str, kind: str, values) -> np.ndarray:
        listed = np.array([c in set(values) for c in self.classes[dim]] + [False])
        return listed if kind == "in" else ~listed

    def columns(self, identity) -> np.ndarray:
        """Indices of the atoms whose sum is the count of ``identity``."""
        ident = canonical_of(identity)
        if ident not in self._columns:
            dims = {d for d, _, _ in ident}
            k = min((i for i, c in enumerate(self.cliques) if dims <= set(c)),
                    key=lambda i: self.offsets[i + 1] - self.offsets[i])
            spec = {d: self._class_mask(d, kind, v) for d, kind, v in ident}
            self._columns[ident] = np.flatnonzero(self._mask(k, spec)) + self.offsets[k]
        return self._columns[ident]

    def _links(self):
        """(rows, columns, values, number of rows) of: neighbouring cliques count alike."""
        rows, cols, vals, r = [], [], [], 0
        for i, j, sep in _tree(self.cliques):
            for combo in itertools.product(*[range(len(self.classes[d]) + 1) for d in sep]):
                spec = {}
                for d, c in zip(sep, combo):
                    m = np.zeros(len(self.classes[d]) + 1, dtype=bool)
                    m[c] = True
                    spec[d] = m
                for k, sign in ((i, 1.0), (j, -1.0)):
                    at = np.flatnonzero(self._mask(k, spec)) + self.offsets[k]
                    rows.append(np.full(len(at), r)), cols.append(at)
                    vals.append(np.full(len(at), sign))
                r += 1
        if not rows:
            return np.zeros(0, int), np.zeros(0, int), np.zeros(0), 0
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), r


# --------------------------------------------------------------------------- the programme
def _in_domain(x: float, domain) -> bool:
    return any(x >= lo - _TOL and (hi is None or x <= hi + _TOL) for lo, hi in domain)


class Attacker:
    """Bounds of hidden cells given shown ones, over the atoms of ``identities``."""

    def __init__(self, identities):
        self.atoms = Atoms(identities)

    def ranges(self, known: Mapping, hidden: Mapping, need: Mapping | None = None,
               targets=None, seen: list | None = None) -> dict:
        """``known``: identity -> count shown; ``hidden``: identity -> domain (tuple of
        ``(low, high)``, high None for no bound). Returns identity -> ``(low, high, solved)``
        for every hidden identity (or only ``targets``), high ``inf`` when unbounded.

        With ``need`` (identity -> width), a cell whose values in feasible points already found
        differ by ``need`` or more is not solved for: its ``(low, high)`` are then the spread
        seen and ``solved`` is False. ``seen`` (a list, extended here) keeps those points across
        calls: a point of a problem stays one of any problem that shows less and hides more."""
        known = {canonical_of(k): v for k, v in known.items()}
        hidden = {canonical_of(h): d for h, d in hidden.items()}
        need = {canonical_of(k): v for k, v in (need or {}).items()}
        wanted = set(hidden) if targets is None else {canonical_of(t) for t in targets}
        out = {h: (float(known[h]), float(known[h]), True) for h in hidden
               if h in known and h in wanted}
        free = [h for h in hidden if h not in known]
        if not free or not wanted - set(out):
            return out
        seen = [] if seen is None else seen
        valid = [p for p in seen if all(p.get(k) == v for k, v in known.items())
                 and all(h in p and _in_domain(p[h], hidden[h]) for h in free)]
        prog = None
        for k, h in enumerate(free):
            if h not in wanted:
                continue
            if h in need and valid:
                values = [p[h] for p in valid]
                if max(values) - min(values) >= need[h] - _TOL:
                    out[h] = (min(values), max(values), False)
                    continue
            prog = prog or _Programme(self.atoms, known, {f: hidden[f] for f in free})
            lo, hi, points = prog.spread(k)
            for point in points:
                full = {**known, **dict(zip(free, point))}
                seen.append(full)
                valid.append(full)
            out[h] = (lo, hi, True)
        return out


class _Programme:
    """Variables: atoms, then one per hidden cell, then one binary per interval of a hidden
    cell whose mark stands for several intervals."""

    def __init__(self, atoms: Atoms, known: dict, hidden: dict):
        n, h = atoms.n, len(hidden)
        self.h = h
        self.domains = list(hidden.values())
        multi = [k for k, d in enumerate(self.domains) if len(d) > 1]
        nb = sum(len(self.domains[k]) for k in multi)
        self.nv = n + h + nb
        rows, cols, vals, r = atoms.links
        rows, cols, vals, rhs = [rows], [cols], [vals], [np.zeros(r)]
        for ident, value in known.items():
            at = atoms.columns(ident)
            rows.append(np.full(len(at), r)), cols.append(at), vals.append(np.ones(len(at)))
            rhs.append([float(value)])
            r += 1
        for k, ident in enumerate(hidden):
            at = atoms.columns(ident)
            rows.append(np.full(len(at) + 1, r)), cols.append(np.append(at, n + k))
            vals.append(np.append(np.ones(len(at)), -1.0))
            rhs.append([0.0])
            r += 1
        self.A_eq = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows),
                                                               np.concatenate(cols))),
                                      shape=(r, self.nv))
        self.b_eq = np.concatenate([np.asarray(x, dtype=float) for x in rhs])
        lows = [min(lo for lo, _ in d) for d in self.domains]
        highs = [np.inf if any(hi is None for _, hi in d) else max(hi for _, hi in d)
                 for d in self.domains]
        self.lb = np.concatenate([np.zeros(n), lows, np.zeros(nb)])
        self.ub = np.concatenate([np.full(n, np.inf), highs, np.ones(nb)])
        self.n, self.multi, self.nb = n, multi, nb
        self._ineq = None  # built when an integer programme is needed
        self._relax = None  # the LP relaxation of one copy, loaded once (:mod:`.lp_relaxation`)
        self.total = atoms.columns(())

    def _relaxation(self) -> Relaxation:
        if self._relax is None:
            self._relax = Relaxation(self.A_eq, self.b_eq, self.lb, self.ub)
        return self._relax

    def _disjunctions(self):
        """Rows tying each multi-interval cell to one of its intervals (big-M from the LP bound
        on the total number of records)."""
        if self._ineq is not None:
            return self._ineq
        total_row = np.zeros(self.nv)
        total_row[self.total] = 1.0
        status, fun, _ = self._relaxation().solve(-total_row)
        total = -fun if status == 0 else None
        if total is None:  # the total is unbounded: cap it far above every count shown
            cap = 10.0 * (float(np.abs(self.b_eq).sum()) + 100.0)
        big = total if total is not None else cap
        rows, lo, hi = [], [], []
        col = self.n + self.h
        for k in self.multi:
            d = self.domains[k]
            z = np.arange(col, col + len(d))
            col += len(d)
            one = np.zeros(self.nv)
            one[z] = 1
            rows.append(one), lo.append(1), hi.append(1)
            low = np.zeros(self.nv)
            low[self.n + k] = 1
            low[z] = [-a for a, _ in d]
            rows.append(low), lo.append(0), hi.append(np.inf)
            up = np.zeros(self.nv)
            up[self.n + k] = 1
            up[z] = [-(b if b is not None else big) for _, b in d]
            rows.append(up), lo.append(-np.inf), hi.append(0)
        if total is None:
            rows.append(total_row), lo.append(0), hi.append(cap)
        self._ineq = (np.array(rows), np.array(lo, dtype=float), np.array(hi, dtype=float))
        return self._ineq

    def _solve(self, c, copies: int):
        """Optimum of ``c`` over ``copies`` independent copies of the programme, integral:
        (objective, hidden-cell values per copy), or None when unbounded. The copies share no
        variable, so their relaxation is solved one copy at a time on one loaded programme."""
        fun, points = 0.0, []
        for k in range(copies):
            status, optimum, x = self._relaxation().solve(c[k * self.nv:(k + 1) * self.nv])
            if status == 2:
                raise InconsistentCells("the shown cells contradict each other")
            if status == 3:
                return None
            fun += optimum
            points.append(x)
        x = np.vstack(points)
        cells = x[:, self.n:self.n + self.h]
        head = x[:, :self.n + self.h]
        if (np.all(np.abs(head - np.round(head)) < _TOL)
                and all(_in_domain(v, d) for row in cells for v, d in zip(row, self.domains))):
            return fun, np.round(cells)
        A = sparse.block_diag([self.A_eq] * copies, format="csr")
        b = np.tile(self.b_eq, copies)
        lb, ub = np.tile(self.lb, copies), np.tile(self.ub, copies)
        rows, lo, hi = self._disjunctions()
        constraints = [LinearConstraint(A, b, b)]
        if len(rows):
            constraints.append(LinearConstraint(sparse.block_diag([sparse.csr_matrix(rows)]
                                                                  * copies), np.tile(lo, copies),
                                                np.tile(hi, copies)))
        res = milp(c, constraints=constraints, integrality=np.ones(len(c)), bounds=Bounds(lb, ub))
        if res.status == 2 or res.x is None:
            raise InconsistentCells("no integer table matches the shown cells and marks")
        x = res.x.reshape(copies, self.nv)
        return float(np.round(res.fun)), np.round(x[:, self.n:self.n + self.h])

    def spread(self, k: int):
        """(min, max, points) of hidden cell ``k``: one programme over two copies, maximising
        the cell in one and minimising it in the other."""
        c = np.zeros(2 * self.nv)
        c[self.n + k], c[self.nv + self.n + k] = -1.0, 1.0
        got = self._solve(c, 2)
        if got is not None:
            _, cells = got
            return float(cells[1, k]) + 0.0, float(cells[0, k]) + 0.0, list(cells)
        c = np.zeros(self.nv)
        c[self.n + k] = 1.0
        _, cells = self._solve(c, 1)
        return float(cells[0, k]) + 0.0, np.inf, list(cells)


def cell_ranges(cells: pd.DataFrame, need: float | pd.Series | None = None) -> pd.DataFrame:
    """Every hidden cell's feasible ``low``/``high`` (``inf`` when unbounded) and ``width``.

    ``cells`` has one row per published cell with ``identity`` (a mapping), ``known`` (the count
    shown, NaN when hidden) and ``domain`` (for a hidden cell: the values its mark stands for, a
    tuple of ``(low, high)`` intervals, high None for no bound). With ``need`` (a width, or one
    per cell) cells already seen to vary by that much are not solved for exactly (``solved``
    False, bounds = the spread seen). Returns the hidden rows of ``cells`` with the bounds.
    """
    idents = [canonical_of(i) for i in cells["identity"]]
    known, hidden = {}, {}
    for ident, value, domain in zip(idents, cells["known"], cells["domain"]):
        if pd.notna(value):
            if ident in known and known[ident] != value:
                raise InconsistentCells(f"one identity shows two counts: {ident}")
            known[ident] = value
        else:
            d = tuple(domain)
            hidden[ident] = _intersect(hidden[ident], d) if ident in hidden else d
    needs = None
    if need is not None:
        per = need if isinstance(need, pd.Series) else pd.Series(need, index=cells.index)
        needs = {}
        for ident, value in zip(idents, per.reindex(cells.index)):
            if ident in hidden and pd.notna(value):
                needs[ident] = max(needs.get(ident, 0.0), float(value))
    got = Attacker(idents).ranges(known, hidden, needs)
    rows = cells[cells["known"].isna()].copy()
    bounds = [got[canonical_of(i)] for i in rows["identity"]]
    rows["low"] = [b[0] for b in bounds]
    rows["high"] = [b[1] for b in bounds]
    rows["width"] = rows["high"] - rows["low"]
    rows["solved"] = [b[2] for b in bounds]
    return rows


def _intersect(a, b):
    out = []
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            lo = max(lo1, lo2)
            hi = hi1 if hi2 is None else hi2 if hi1 is None else min(hi1, hi2)
            if hi is None or lo <= hi:
                out.append((lo, hi))
    if not out:
        raise InconsistentCells("a cell's marks in two tables stand for no common value")
    return tuple(out)
