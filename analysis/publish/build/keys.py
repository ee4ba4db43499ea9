"""What each step of a report build depends on, its input key, and what changed since.

A step's inputs are ``{"files": {path: sha256}, ...settings}``, its key the hash of them; the
manifest keeps both, so the next build (or ``report --dry-run``) can say why a step runs again:
``data/raw/regions.csv changed``, ``analysis/findings/enforcement.py changed``, ``parameter
label changed ('a' -> 'b')``.

* A **notebook** depends on its source; the scripts its editions link (``assets``); the files of
  its import closure within ``analysis``
  (:mod:`.closure`), of the code that runs and exports it (:data:`EDITION_CODE`) and the
  nbconvert templates (every template when its closure renders templates); the data: every
  file under ``data/raw`` and ``data/processed`` (the processed tables are built from all the
  raw files, whose hashes their ``datapackage.json`` lists), and the register its ``register``
  parameter names; its parameters, the kernel and the package versions.
* The **briefs** depend likewise on the closure of :data:`BRIEF_CODE`, every template, the
  data, the headline parameters and the commit (printed in the brief).
* The **API reference** depends on every module of the package (it publishes their docstrings).

A docstring edited in a module that no notebook imports (the command line, say) runs no notebook
again.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ... import paths
from ...data.build_state import changed_files, sha256
from .closure import CodeIndex

EDITION_CODE = ("analysis.publish.build.execute", "analysis.publish.build.editions")
BRIEF_CODE = ("analysis.publish.brief", "analysis.publish.build.landing")
TEMPLATES = "publish/templates"  # inside the package
NBCONVERT_TEMPLATES = f"{TEMPLATES}/nbconvert"
SHOWN_PER_KIND = 3  # changed files named in a reason; the rest are counted


def input_key(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def notebook_inputs(index: CodeIndex, source: Path, parameters: dict, data: dict,
                    register: dict, kernel: str, versions: dict) -> dict:
    """The inputs of notebook ``source`` run with ``parameters``; ``data``: the data files'
    hashes (:func:`~.manifest.data_checksums`); ``register``: :func:`register_digest` of the
    register it reads, if any."""
    try:
        modules = index.source_closure(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        modules = index.everything
    edition = index.closure(EDITION_CODE)  # uses the nbconvert templates only
    files = {paths.shown(source): sha256(source)}
    files |= code_files(index, modules | edition)
    files |= template_files(index, TEMPLATES if _renders_templates(index, modules - edition)
                            else NBCONVERT_TEMPLATES)
    files |= data | register
    from ..explore import page_assets  # the scripts every edition links (tablesort or not)

    return {"files": dict(sorted(files.items())), "parameters": parameters, "kernel": kernel,
            "packages": versions, "assets": page_assets()}


def briefs_inputs(index: CodeIndex, data: dict, headline: dict, commit: str | None) -> dict:
    files = code_files(index, index.closure(BRIEF_CODE)) | template_files(index, TEMPLATES)
    return {"files": dict(sorted((files | data).items())), "parameters": headline,
            "commit": commit or ""}


def api_inputs(index: CodeIndex) -> dict:
    return {"files": code_files(index, index.everything)}


def code_files(index: CodeIndex, modules) -> dict[str, str]:
    """``{analysis/...py: sha256}`` of ``modules``."""
    return {index.relative(m): sha256(index.modules[m]) for m in sorted(modules)}


def template_files(index: CodeIndex, folder: str) -> dict[str, str]:
    root = index.package_dir / folder
    return {f"analysis/{p.relative_to(index.package_dir).as_posix()}": sha256(p)
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _renders_templates(index: CodeIndex, modules) -> bool:
    """A module in ``modules`` reads the templates folder (names ``TEMPLATES``)."""
    for module in modules:
        if module == "analysis.paths":
            continue  # defines it
        try:
            if "TEMPLATES" in index.modules[module].read_text(encoding="utf-8"):
                return True
        except (OSError, UnicodeDecodeError):
            return True
    return False


def register_digest(folder: Path | None) -> dict[str, str]:
    """``{path of the register folder: one hash of all its files}`` (one entry: the manifest is
    published, so the private files are not listed one by one); empty for none."""
    if folder is None or not Path(folder).is_dir():
        return {}
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}\0{sha256(path)}\0".encode())
    return {paths.shown(folder): digest.hexdigest()}


def reasons_to_run(old: dict | None, inputs: dict, *, force: bool, intact: bool) -> list[str]:
    """Why a step runs again (empty: it is carried over). ``old``: its previous manifest entry;
    ``intact``: its published files are as that entry lists them."""
    if force:
        return ["--force"]
    if not old:
        return ["not built before"]
    if "inputs" not in old:
        return ["built by an older version of the build, which recorded no inputs"]
    reasons = what_changed(old["inputs"], inputs)
    if not reasons and old.get("input_key") != input_key(inputs):
        reasons = ["its inputs changed"]
    if not reasons and not intact:
        reasons = ["its published files were changed or removed"]
    return reasons


def what_changed(before: dict, now: dict) -> list[str]:
    """The differences between two inputs: files first (a few named, the rest counted), then
    settings."""
    reasons = _summarised(changed_files(before.get("files", {}), now.get("files", {})))
    for name in sorted((set(before) | set(now)) - {"files"}):
        old, new = before.get(name), now.get(name)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            what = "parameter" if name == "parameters" else name.rstrip("s")
            absent = "default" if name == "parameters" else "unset"  # the notebook's own value
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    reasons.append(f"{what} {key} changed ({_short(old.get(key), absent)} -> "
                                   f"{_short(new.get(key), absent)})")
        else:
            reasons.append(f"{name} changed ({_short(old)} -> {_short(new)})")
    return reasons


def _summarised(files: list[str]) -> list[str]:
    if len(files) <= SHOWN_PER_KIND + 1:
        return files
    return files[:SHOWN_PER_KIND] + [f"{len(files) - SHOWN_PER_KIND} more files changed"]


def _short(value, absent: str = "unset") -> str:
    if value is None:
        return absent
    if isinstance(value, str) and len(value) > 38:
        value = value[:35] + "..."
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
