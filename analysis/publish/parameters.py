"""Notebook parameters are data, never code.

``-p KEY=VALUE`` sets a parameter that a notebook declares in its first code cell (tagged
``parameters``). Before anything runs:

* ``KEY`` must be a Python identifier that at least one notebook's parameters cell assigns
  (a misspelt key is an error, with the closest declared names suggested);
* ``VALUE`` is read as JSON when it parses, else kept as a string, and must be a plain literal
  (string, number, boolean, null, or lists/objects of them); papermill writes it into the
  notebook as a Python literal, so no value can become code;
* ``--province`` is resolved to a canonical province through ``data/raw/regions.csv``
  (``Babel``, ``sultra``, any case), with the closest names suggested for a typo.

Each notebook receives only the parameters its own cell declares.
"""
from __future__ import annotations

import ast
import difflib
import json
import keyword
import re
from pathlib import Path

from ..data.vocabulary import DEFAULT_PROVINCE  # noqa: F401 - the report build's default

__all__ = ["ParameterError", "declared_parameters", "parse_param", "check_parameters",
           "resolve_province", "HEADLINE_PARAMETERS"]

PARAMETERS_TAG = "parameters"
RESERVED = frozenset({"reports_dir"})  # set by the build, never by -p
# Parameters the headline findings (briefs, landing page) depend on: a value given for one of
# these must reach the briefs too, or the build refuses to mix editions.
HEADLINE_PARAMETERS = ("province", "decree_date", "lags_days", "placebo_days", "its_max_lag")


class ParameterError(ValueError):
    """A parameter or the province cannot be used; the message says why and what would work."""


_CELL = re.compile(r"^# %%(?P<header>.*)$", re.M)


def _parameters_cell_source(notebook: Path) -> str:
    """The first code cell of a py:percent notebook, which must be tagged ``parameters``.

    Read from the text directly (cells start at ``# %%`` lines; ``[markdown]`` cells are
    skipped) rather than through jupytext, whose import costs seconds: the CLI checks every
    notebook's parameters before anything runs, and a no-op build must be instant."""
    text = Path(notebook).read_text(encoding="utf-8")
    marks = list(_CELL.finditer(text))
    for i, mark in enumerate(marks):
        header = mark.group("header")
        if re.search(r"\[(markdown|md|raw)\]", header):
            continue
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        if not re.search(r"tags\s*=\s*\[[^\]]*[\"']parameters[\"']", header):
            break
        return text[mark.end():end].strip("\n") + "\n"
    raise ParameterError(
        f"{Path(notebook).name}: the first code cell must be tagged 'parameters' (py:percent: "
        "`# %% tags=[\"parameters\"]`)")


def declared_parameters(notebook: Path) -> dict[str, object]:
    """Names assigned in ``notebook``'s parameters cell, with their default values (``None``
    where the default is not a literal)."""
    source = _parameters_cell_source(Path(notebook))
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{Path(notebook).name}: parameters cell is not valid Python: {exc}")
    out: dict[str, object] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    out[target.id] = ast.literal_eval(node.value) if node.value else None
                except ValueError:
                    out[target.id] = None
    return out


def _is_literal(value) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_is_literal(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_literal(v) for k, v in value.items())
    return False


def parse_param(text: str) -> tuple[str, object]:
    """``"KEY=VALUE"`` -> ``(KEY, VALUE)``; VALUE is JSON when it parses, else the text.

    Raises :class:`ParameterError` when KEY is not an identifier (so ``-p 'import os;x=1'``
    is refused) or VALUE is not a plain literal.
    """
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ParameterError(f"-p/--param expects KEY=VALUE, got {text!r}")
    if not key.isidentifier() or keyword.iskeyword(key):
        raise ParameterError(f"-p key {key!r} is not a parameter name (letters, digits and _ "
                             "only, not starting with a digit)")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    if not _is_literal(parsed):
        raise ParameterError(f"-p {key}: value must be text, a number, true/false, null or a "
                             "JSON list/object of those")
    return key, parsed


def check_parameters(parameters: dict, declared: dict[str, dict]) -> None:
    """Refuse any key that no notebook declares, or that the build sets itself.

    ``declared`` maps a notebook name to its declared parameters.
    """
    known = sorted({name for names in declared.values() for name in names} - RESERVED)
    for key in parameters:
        if key in RESERVED:
            raise ParameterError(f"-p {key}: set by the build (use --reports-dir)")
        if key not in known:
            close = difflib.get_close_matches(key, known, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ParameterError(
                f"-p {key}: no notebook declares this parameter{hint} "
                f"(declared: {', '.join(known) or 'none'})")


def resolve_province(name: str, regions_csv: Path) -> str:
    """The canonical province for ``name`` (a canonical name or alias, any case and spacing)."""
    import csv

    provinces: dict[str, str] = {}
    aliases: dict[str, str] = {}
    key = lambda s: " ".join(str(s).casefold().split())  # noqa: E731
    with Path(regions_csv).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            canonical = (row.get("canonical_name") or "").strip()
            if (row.get("level") or "").strip() != "province" or not canonical:
                continue
            provinces[key(canonical)] = canonical
            for alias in (row.get("aliases") or "").split("|"):
                if alias.strip():
                    aliases.setdefault(key(alias), canonical)
    wanted = key(name)
    if wanted in provinces:
        return provinces[wanted]
    if wanted in aliases:
        return aliases[wanted]
    names = sorted(set(provinces.values()))
    close = difflib.get_close_matches(wanted, list(provinces) + list(aliases), n=3, cutoff=0.4)
    suggestions = sorted({provinces.get(c) or aliases[c] for c in close})
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
    raise ParameterError(f"--province {name!r} is not a province in data/raw/regions.csv{hint} "
                         f"({len(names)} provinces known; aliases such as Babel work too)")
