"""Resolve region names as printed in sources to the canonical names of ``regions.csv``."""
from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class RegionResolver:
    """Case- and whitespace-insensitive lookup of canonical names and their aliases."""

    lookup: dict[str, str] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: Path) -> "RegionResolver":
        resolver = cls()
        with Path(path).open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                name = row["canonical_name"].strip()
                resolver.levels[name] = row["level"].strip()
                resolver.parents[name] = (row.get("parent_province") or "").strip()
                names = [name] + [a for a in (row.get("aliases") or "").split("|") if a.strip()]
                for alias in names:
                    resolver.lookup[_key(alias)] = name
        return resolver

    def resolve(self, name: str) -> str | None:
        """Canonical name for ``name``, or None when no canonical name or alias matches."""
        return self.lookup.get(_key(name)) if name and name.strip() else None

    def closest(self, name: str) -> str:
        """The nearest known name, for error messages ("did you mean ...")."""
        matches = difflib.get_close_matches(_key(name), list(self.lookup), n=1, cutoff=0.0)
        return self.lookup[matches[0]] if matches else ""

    @property
    def canonical_names(self) -> list[str]:
        return sorted(self.levels)
