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
* The **site files** (the ledger page, its CSV and the tables' scripts) depend on the closure of
  :data:`SITE_CODE`, every template, the ledger, the scripts' sources, the reports' titles (the
  navigation), ``CITATION.cff`` and the commit and its clean or modified state (the footer).

A docstring edited in a module that no notebook imports (the command line, say) runs no notebook
again.

Finding a closure parses the package (0.3 s). A step whose previous inputs are handed in as
``reuse`` skips that when it can: a closure depends only on the source, the package's list of
modules and the contents of the modules in it, so when the list is the same (the caller checks
:func:`modules_digest`) and none of the previous step's code files changed, its code files are
the previous ones. Any change falls back to parsing.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ... import paths
from ...data.build_state import changed_files, sha256
from .closure import PACKAGE_NAME, CodeIndex

EDITION_CODE = ("analysis.publish.build.execute", "analysis.publish.build.editions")
BRIEF_CODE = ("analysis.publish.brief", "analysis.publish.build.landing")
SITE_CODE = ("analysis.publish.explore",)
TEMPLATES = "publish/templates"  # inside the package
NBCONVERT_TEMPLATES = f"{TEMPLATES}/nbconvert"
SHOWN_PER_KIND = 3  # changed files named in a reason; the rest are counted


def input_key(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def modules_digest(index: CodeIndex) -> str:
    """One hash of the package's list of modules (not their contents)."""
    return hashlib.sha256("\n".join(sorted(index.modules)).encode("utf-8")).hexdigest()


def notebook_inputs(index: CodeIndex, source: Path, parameters: dict, data: dict,
                    register: dict, kernel: str, versions: dict, reuse: dict | None = None) -> dict:
    """The inputs of notebook ``source`` run with ``parameters``; ``data``: the data files'
    hashes (:func:`~.manifest.data_checksums`); ``register``: :func:`register_digest` of the
    register it reads, if any; ``reuse``: its previous inputs (see the module)."""
    files = {paths.shown(source): sha256(source)}
    code = _unchanged_code(index, reuse, also=files)
    if code is not None:
        templates = TEMPLATES if any(
            f.startswith(f"analysis/{TEMPLATES}/") and not f.startswith(
                f"analysis/{NBCONVERT_TEMPLATES}/") for f in reuse["files"]) \
            else NBCONVERT_TEMPLATES
    else:
        try:
            modules = index.source_closure(source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            modules = index.everything
        edition = index.closure(EDITION_CODE)  # uses the nbconvert templates only
        code = code_files(index, modules | edition)
        templates = TEMPLATES if _renders_templates(index, modules - edition) \
            else NBCONVERT_TEMPLATES
    files |= code | template_files(index, templates)
    files |= data | register
    from ..site_assets import page_assets  # the scripts every edition links (tablesort or not)

    return {"files": dict(sorted(files.items())), "parameters": parameters, "kernel": kernel,
            "packages": versions, "assets": page_assets()}


def briefs_inputs(index: CodeIndex, data: dict, headline: dict, commit: str | None,
                  reuse: dict | None = None) -> dict:
    code = _unchanged_code(index, reuse)
    if code is None:
        code = code_files(index, index.closure(BRIEF_CODE))
    files = code | template_files(index, TEMPLATES)
    return {"files": dict(sorted((files | data).items())), "parameters": headline,
            "commit": commit or ""}


def api_inputs(index: CodeIndex) -> dict:
    return {"files": code_files(index, index.everything)}


def site_inputs(index: CodeIndex, git: dict, reuse: dict | None = None) -> dict:
    """The inputs of :func:`analysis.publish.explore.write_site_files`. Files outside the
    project (the scripts, the citation) are named as the site names them, never by a path of
    this machine: the manifest is published."""
    from ..site_assets import asset_sources

    code = _unchanged_code(index, reuse)
    if code is None:
        code = code_files(index, index.closure(SITE_CODE))
    files = code | template_files(index, TEMPLATES)
    files |= {relative: sha256(source) for relative, source in asset_sources().items()}
    files |= {paths.shown(p): sha256(p)
              for p in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.py"))}  # the navigation
    if paths.LEDGER.is_file():
        files[paths.shown(paths.LEDGER)] = sha256(paths.LEDGER)
    if paths.CITATION.is_file():
        files[paths.CITATION.name] = sha256(paths.CITATION)
    return {"files": dict(sorted(files.items())), "commit": git.get("commit") or "",
            "dirty": bool(git.get("dirty"))}


def _unchanged_code(index: CodeIndex, reuse: dict | None, also: dict | None = None
                    ) -> dict[str, str] | None:
    """The previous inputs' code files when none of them (nor the files in ``also``, the
    notebook's source) changed; None when the closure must be found again."""
    if not reuse or not isinstance(reuse.get("files"), dict):
        return None
    old = reuse["files"]
    if any(old.get(name) != digest for name, digest in (also or {}).items()):
        return None
    prefix = f"{PACKAGE_NAME}/"
    code = {name: digest for name, digest in old.items()
            if name.startswith(prefix) and name.endswith(".py")}
    if not code:
        return None
    for name, digest in code.items():
        path = index.package_dir / name[len(prefix):]
        if not path.is_file() or sha256(path) != digest:
            return None
    return code


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
