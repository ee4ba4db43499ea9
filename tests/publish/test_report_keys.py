"""Specification of what each report step depends on (analysis/publish/build/closure.py, keys.py):
a notebook is keyed on its own import closure within ``analysis``, the data and its parameters,
so an edit in a module it does not import (the command line) runs no notebook again, and the
build says which file changed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.publish.build import keys
from analysis.publish.build.closure import CodeIndex
from testpaths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def package(tmp_path: Path, modules: dict[str, str]) -> CodeIndex:
    """A small package ``analysis`` under ``tmp_path`` with the given module sources."""
    for name, text in {"__init__.py": "", **modules}.items():
        path = tmp_path / "analysis" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return CodeIndex(tmp_path / "analysis")


@pytest.fixture
def small(tmp_path):
    return package(tmp_path, {
        "paths.py": "",
        "a/__init__.py": "",
        "a/one.py": "from .. import paths\nfrom . import two\n",
        "a/two.py": "def f():\n    from analysis.b import lazy  # inside a function\n",
        "a/three.py": "",
        "b/__init__.py": "",
        "b/lazy.py": "",
        "b/spare.py": "",
        "c/__init__.py": "",
        "c/x.py": "",
        "c/y.py": "",
        "cli.py": "import analysis.a.one\n",
    })


def test_the_closure_follows_relative_absolute_and_lazy_imports_and_their_packages(small):
    closure = small.source_closure("from analysis.a import one\n")
    assert closure == {"analysis", "analysis.paths", "analysis.a", "analysis.a.one",
                       "analysis.a.two", "analysis.b", "analysis.b.lazy"}
    assert "analysis.cli" not in closure and "analysis.a.three" not in closure


def test_dynamic_imports_count_what_they_may_import(small):
    assert "analysis.c.x" in small.source_closure(
        "import importlib\nimportlib.import_module('analysis.c.x')\n")
    computed = small.source_closure(
        "import importlib\nimportlib.import_module(f'analysis.c.{n}')\n")
    assert {"analysis.c.x", "analysis.c.y"} <= computed and "analysis.b.lazy" not in computed
    assert small.source_closure("__import__(name)\n") == small.everything
    # a string naming a module (an nbconvert preprocessor, say) counts it
    assert "analysis.b.spare" in small.source_closure("P = 'analysis.b.spare.Preprocessor'\n")


def test_what_cannot_be_read_counts_the_whole_package(small, tmp_path):
    assert small.source_closure("import analysis\n") == small.everything
    assert small.source_closure("def broken(:\n") == small.everything
    (tmp_path / "analysis" / "a" / "two.py").write_text("def broken(:\n", encoding="utf-8")
    assert CodeIndex(tmp_path / "analysis").source_closure("from analysis.a import two\n") \
        == small.everything


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory):
    """A copy of the real package, to edit."""
    folder = tmp_path_factory.mktemp("code") / "analysis"
    shutil.copytree(paths.PACKAGE, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def inputs_of_every_notebook(folder: Path) -> dict[str, dict]:
    index = CodeIndex(folder)
    return {nb.stem: keys.notebook_inputs(index, nb, {}, {}, {}, "python3", {})
            for nb in NOTEBOOKS}


def test_a_docstring_edit_in_the_command_module_changes_no_notebook_key(code_copy):
    before = inputs_of_every_notebook(code_copy)
    command = code_copy / "publish" / "build" / "command.py"
    original = command.read_text(encoding="utf-8")
    try:
        command.write_text(original.replace('"""', '"""Edited. ', 1), encoding="utf-8")
        after = inputs_of_every_notebook(code_copy)
    finally:
        command.write_text(original, encoding="utf-8")
    assert after == before
    for stem, inputs in before.items():
        assert "analysis/publish/build/command.py" not in inputs["files"], stem
        assert "analysis/cli.py" not in inputs["files"], stem


def test_an_edit_in_a_module_runs_only_the_notebooks_that_import_it(code_copy):
    before = inputs_of_every_notebook(code_copy)
    edited = code_copy / "findings" / "enforcement.py"
    original = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(original + "\n# edited\n", encoding="utf-8")
        after = inputs_of_every_notebook(code_copy)
    finally:
        edited.write_text(original, encoding="utf-8")
    changed = {stem for stem in before
               if keys.input_key(before[stem]) != keys.input_key(after[stem])}
    importing = {stem for stem, inputs in before.items()
                 if "analysis/findings/enforcement.py" in inputs["files"]}
    assert "02_enforcement_across_cycles" in changed
    assert changed == importing and changed != set(before)
    assert keys.what_changed(before["02_enforcement_across_cycles"],
                             after["02_enforcement_across_cycles"]) \
        == ["analysis/findings/enforcement.py changed"]


def test_reasons_name_the_file_or_parameter_that_changed():
    old = {"files": {"data/raw/regions.csv": "a", "notebooks/01_x.py": "b"},
           "parameters": {"label": "a"}, "kernel": "python3"}
    new = {"files": {"data/raw/regions.csv": "c", "notebooks/01_x.py": "b",
                     "data/raw/new.csv": "d"},
           "parameters": {"label": "b"}, "kernel": "python3"}
    assert keys.what_changed(old, new) == ["data/raw/new.csv added", "data/raw/regions.csv changed",
                                           'parameter label changed ("a" -> "b")']
    entry = {"input_key": keys.input_key(old), "inputs": old}
    assert keys.reasons_to_run(entry, old, force=False, intact=True) == []
    assert keys.reasons_to_run(entry, old, force=False, intact=False) \
        == ["its published files were changed or removed"]
    assert keys.reasons_to_run(entry, old, force=True, intact=True) == ["--force"]
    assert keys.reasons_to_run(None, old, force=False, intact=True) == ["not built before"]
    many = {"files": {f"data/raw/{i}.csv": "x" for i in range(9)}}
    assert keys.what_changed({"files": {}}, many)[-1] == "6 more files changed"


def test_a_register_is_keyed_as_one_digest_of_its_folder(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "cases.csv").write_text("a\n1\n", encoding="utf-8")
    with paths.scoped(root=tmp_path):
        first = keys.register_digest(folder)
        (folder / "cases.csv").write_text("a\n2\n", encoding="utf-8")
        second = keys.register_digest(folder)
    assert list(first) == ["reg"] and first != second
    assert keys.register_digest(None) == {}


# ------------------------------------------------------------------ the fast paths of the keys

def test_reading_statements_finds_exactly_what_walking_every_node_finds(small, monkeypatch):
    """The statement-only walk (closure._statements) against the full walk, on every module of
    the real package and on imports nested in every kind of block."""
    import re

    from analysis.publish.build import closure

    nested = small.package_dir / "c" / "nested.py"
    nested.write_text(
        "async def f(x):\n"
        "    try:\n        from analysis.a import one\n"
        "    except ImportError:\n        from analysis.a import two\n"
        "    else:\n        import analysis.a.three\n"
        "    finally:\n        from analysis.b import lazy\n"
        "    with open(x) as h:\n        from analysis.b import spare\n"
        "    for _ in x:\n        pass\n    else:\n        from analysis.c import x\n"
        "    while x:\n        break\n    else:\n        from analysis.c import y\n"
        "    match x:\n        case 1:\n            from analysis import paths\n"
        "    class Inner:\n        def g(self):\n            import analysis.cli\n",
        encoding="utf-8")
    cases = [(small, "analysis.c", nested.read_text(encoding="utf-8"))]
    real = CodeIndex(paths.PACKAGE)
    for module, path in real.modules.items():
        package_name = module if path.name == "__init__.py" else module.rpartition(".")[0]
        cases.append((real, package_name, path.read_text(encoding="utf-8")))
    fast = [closure._imports_in(text, index, pkg) for index, pkg, text in cases]
    monkeypatch.setattr(closure, "_NEEDS_FULL_WALK", re.compile(""))  # every text: full walk
    full = [closure._imports_in(text, index, pkg) for index, pkg, text in cases]
    assert fast == full
    assert fast[0] == {"analysis.a.one", "analysis.a.two", "analysis.a.three", "analysis.b.lazy",
                       "analysis.b.spare", "analysis.c.x", "analysis.c.y", "analysis.paths",
                       "analysis.cli"}


def test_a_step_reuses_its_previous_closure_only_while_its_code_is_unchanged(code_copy,
                                                                           monkeypatch):
    from analysis.publish.build import closure

    before = inputs_of_every_notebook(code_copy)

    def no_parsing(*_):
        raise AssertionError("the closure was parsed although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr(closure, "_imports_in", no_parsing)
        index = CodeIndex(code_copy)
        reused = {nb.stem: keys.notebook_inputs(index, nb, {}, {}, {}, "python3", {},
                                                reuse=before[nb.stem]) for nb in NOTEBOOKS}
    assert reused == before

    # an edit that adds an import: the reuse must notice, and the closure grows
    edited = code_copy / "findings" / "enforcement.py"
    original = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(original + "\nfrom analysis.publish.build import command\n",
                          encoding="utf-8")
        index = CodeIndex(code_copy)
        after = {nb.stem: keys.notebook_inputs(index, nb, {}, {}, {}, "python3", {},
                                               reuse=before[nb.stem]) for nb in NOTEBOOKS}
        fresh = inputs_of_every_notebook(code_copy)
    finally:
        edited.write_text(original, encoding="utf-8")
    assert after == fresh
    assert "analysis/publish/build/command.py" in after["02_enforcement_across_cycles"]["files"]


def test_closures_are_reused_only_when_the_package_has_the_same_modules(tmp_path):
    from types import SimpleNamespace

    from analysis.publish.build import plan

    index = package(tmp_path, {"a.py": "", "b.py": ""})
    old = {"inputs": {"files": {"analysis/a.py": "x"}}}
    ctx = SimpleNamespace(code=index, previous={"code_modules": keys.modules_digest(index)})
    assert plan._reusable(ctx, old) == old["inputs"]
    assert plan._reusable(SimpleNamespace(code=index, previous={}), old) is None
    grown = package(tmp_path, {"c.py": ""})  # a new module may change what a name resolves to
    assert keys.modules_digest(grown) != keys.modules_digest(index)
    assert plan._reusable(SimpleNamespace(code=grown, previous=ctx.previous), old) is None
