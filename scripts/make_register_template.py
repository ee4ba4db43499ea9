"""Regenerate the register's codebook files from analysis/data/registers/codebook.py.

Writes data/registers/CODEBOOK.md, data/registers/register.schema.json (Frictionless Table
Schema of a stored cases.csv) and data/registers/register_template.xlsx (byte-stable).
Usage: python scripts/make_register_template.py [--check]   (--check: exit 1 if any differs)
"""
from __future__ import annotations

import sys
from pathlib import Path

from analysis import paths
from analysis.data.atomic import atomic_write_bytes
from analysis.data.registers import codebook


def outputs(folder: Path | None = None) -> dict[Path, bytes]:
    folder = folder or paths.DATA / "registers"
    return {
        folder / "CODEBOOK.md": codebook.codebook_markdown().encode("utf-8"),
        folder / "register.schema.json": codebook.schema_json().encode("utf-8"),
        folder / "register_template.xlsx": codebook.template_xlsx_bytes(),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    stale = []
    for path, data in outputs().items():
        current = path.read_bytes() if path.is_file() else None
        if current == data:
            continue
        stale.append(path)
        if "--check" not in argv:
            atomic_write_bytes(path, data)
            print(f"wrote {path}")
    if "--check" in argv and stale:
        print("out of date: " + ", ".join(map(str, stale)))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
