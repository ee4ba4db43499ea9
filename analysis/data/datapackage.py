"""Write ``data/raw/datapackage.json`` (Frictionless Data Package) from ``analysis.schemas``.

The schemas are the single source of truth; this descriptor is their published form, and a test
fails when the committed file and the schemas differ. Run ``python -m analysis datapackage``
after changing a schema.
"""
from __future__ import annotations

import json

from .. import paths
from .atomic import atomic_write_text
from .schemas import ALL, Field, Schema
from .vocabulary import METRICS, UNITS

LICENCE_NOTE = (
    "Figures are facts published by Indonesian public bodies (Bawaslu, KASN, BKN, Kemendagri, "
    "BPS, KPU, Ombudsman) and quoted by news outlets; each row links to the page it was read "
    "from. The pages keep their own copyright; the curation (selection, harmonisation, notes) "
    "is released under CC BY 4.0."
)
_TYPES = {"partial_date": "string", "date": "date", "integer": "integer", "number": "number",
          "string": "string"}


def field_descriptor(f: Field) -> dict:
    out: dict = {"name": f.name, "type": _TYPES[f.type], "description": f.description}
    if f.type == "partial_date":
        out["format"] = "default"
        out["description"] += " [partial date]"
    constraints: dict = {}
    if f.required:
        constraints["required"] = True
    if f.enum is not None:
        constraints["enum"] = list(f.enum)
    if f.minimum is not None:
        constraints["minimum"] = f.minimum
    if f.maximum is not None:
        constraints["maximum"] = f.maximum
    if f.type == "partial_date":
        constraints["pattern"] = r"^\d{4}(-\d{2}(-\d{2})?)?$"
    if constraints:
        out["constraints"] = constraints
    if f.unit:
        out["unit"] = f.unit
    return out


def resource(schema: Schema) -> dict:
    out = {
        "name": schema.name,
        "path": schema.path,
        "title": schema.title,
        "description": schema.description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": {"fields": [field_descriptor(f) for f in schema.fields],
                   "missingValues": [""]},
        "sources": [{"title": "Collected published figures (shared/sources), each row citing "
                              "its page in source_url"}],
    }
    if schema.primary_key:
        out["schema"]["primaryKey"] = list(schema.primary_key)
    return out


def descriptor() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "netralitas-raw",
        "title": "Netralitas: published figures on ASN neutrality supervision in Pilkada",
        "description": "Raw, cited evidence for the Netralitas toolkit. Never modified by code; "
                       "validated by `python -m analysis validate`.",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "licence_note": LICENCE_NOTE,
        "vocabularies": {"metric": METRICS, "unit": UNITS},
        "resources": [resource(s) for s in ALL],
    }


def render() -> str:
    return json.dumps(descriptor(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    atomic_write_text(paths.RAW_PACKAGE, render())
    print(f"wrote {paths.RAW_PACKAGE}")
    return 0
