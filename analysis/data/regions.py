"""Resolve region names as printed in sources to the canonical names of ``regions.csv``.

One resolver serves both the validator (which accepts a canonical name or an alias in any case
and spacing) and the loaders (which replace every region cell by its canonical name, so joins on
region never silently drop a row spelled ``Babel``, ``INDONESIA`` or ``" Jawa  Barat"``).
"""
from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class RegionResolver:
    """Case- and whitespace-insensitive lookup of canonical names and their aliases.

    A canonical name always resolves to itself: an alias that equals another region's canonical
    name (an error the validator reports) never takes that name over.
    """

    lookup: dict[str, str] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: Path) -> "RegionResolver":
        resolver = cls()
        aliases: list[tuple[str, str]] = []
        with Path(path).open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                name = (row.get("canonical_name") or "").strip()
                if not name:
                    continue
                resolver.levels[name] = (row.get("level") or "").strip()
                resolver.parents[name] = (row.get("parent_province") or "").strip()
                resolver.lookup[_key(name)] = name
                aliases += [(a, name) for a in (row.get("aliases") or "").split("|") if a.strip()]
        for alias, name in aliases:
            resolver.lookup.setdefault(_key(alias), name)  # canonical names and first alias win
        return resolver

    def resolve(self, name: str) -> str | None:
        """Canonical name for ``name``, or None when no canonical name or alias matches."""
        return self.lookup.get(_key(name)) if name and name.strip() else None

    def canonical(self, name: str) -> str:
        """Canonical name for ``name``; ``name`` stripped when it resolves to nothing (the
        validator reports such a name; loaders keep it rather than guess)."""
        if not isinstance(name, str):
            return name
        return self.resolve(name) or name.strip()

    def closest(self, name: str) -> str:
        """The nearest known name, for error messages ("did you mean ...")."""
        matches = difflib.get_close_matches(_key(name), list(self.lookup), n=1, cutoff=0.0)
        return self.lookup[matches[0]] if matches else ""

    @property
    def canonical_names(self) -> list[str]:
        return sorted(self.levels)


def load_resolver(path: Path | None = None) -> RegionResolver:
    """The resolver of ``regions.csv`` (default: ``data/raw/regions.csv``)."""
    from .. import paths

    return RegionResolver.from_csv(path or paths.REGIONS)
