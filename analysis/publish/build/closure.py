"""Which modules of the ``analysis`` package a notebook or module depends on, found statically.

The import closure of a source is every module of the package it imports, transitively, read
with :mod:`ast` (nothing is imported or run): ``import analysis.x``, ``from analysis.x import
y`` and relative imports, at any depth (imports inside functions count), with the packages
whose ``__init__`` an import runs. It errs on the side of more:

* a dynamic import (``importlib.import_module``, ``__import__``) of a literal name counts that
  module; of a computed name, the whole subpackage it names (the literal start of the name, or
  the calling module's own package when ``package=`` is given), else the whole package;
* a string naming a module (``"analysis.publish.reader_page.ReaderPagePreprocessor"`` in an
  nbconvert configuration) counts that module;
* a bare ``import analysis``, or a source or module that cannot be parsed, counts the whole
  package.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE_NAME = "analysis"
_MODULE_STRING = re.compile(rf"^{PACKAGE_NAME}(\.[A-Za-z_]\w*)+$")
_DYNAMIC = {"import_module", "__import__"}
# Only a text that may hold a dynamic import or a string naming a module needs every node
# walked; any other text is read statement by statement (imports are statements), which is
# about five times faster and finds the same imports. The test errs on the side of the full walk.
_NEEDS_FULL_WALK = re.compile(rf"""import_module|__import__|['"]{PACKAGE_NAME}\.""")


class CodeIndex:
    """The modules of the package in ``package_dir`` and what each imports."""

    def __init__(self, package_dir: Path):
        self.package_dir = Path(package_dir).resolve()
        self.modules: dict[str, Path] = {}
        for path in sorted(self.package_dir.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(self.package_dir).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            self.modules[".".join([PACKAGE_NAME, *parts])] = path
        self._direct: dict[str, set[str]] = {}

    @property
    def everything(self) -> set[str]:
        return set(self.modules)

    def relative(self, module: str) -> str:
        """The module's file as a path from the project root (``analysis/x/y.py``)."""
        return f"{PACKAGE_NAME}/{self.modules[module].relative_to(self.package_dir).as_posix()}"

    def source_closure(self, text: str) -> set[str]:
        """The closure of a top-level source (a notebook's py:percent text)."""
        direct = _imports_in(text, self, package="")
        return self.everything if direct is None else self.closure(direct)

    def closure(self, modules) -> set[str]:
        """``modules`` with everything they import, transitively, and their packages."""
        seen: set[str] = set()
        todo = [m for m in modules if m in self.modules]
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            todo.extend(self._parents(module) | self._imports_of(module))
        return seen

    def within(self, package: str) -> set[str]:
        """Every module of ``package`` (itself included)."""
        return {m for m in self.modules if m == package or m.startswith(package + ".")}

    def resolve(self, name: str) -> str | None:
        """The module ``name`` refers to: itself, else its longest prefix that is a module
        (``analysis.x.function`` -> ``analysis.x``); None outside the package."""
        parts = name.split(".")
        while parts:
            candidate = ".".join(parts)
            if candidate in self.modules:
                return candidate
            parts.pop()
        return None

    def _parents(self, module: str) -> set[str]:
        parts = module.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts))} & set(self.modules)

    def _imports_of(self, module: str) -> set[str]:
        if module not in self._direct:
            path = self.modules[module]
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
            direct = None if text is None else _imports_in(text, self, package)
            self._direct[module] = self.everything if direct is None else direct
        return self._direct[module]


def _imports_in(text: str, index: CodeIndex, package: str) -> set[str] | None:
    """The package's modules that ``text`` imports directly (``package``: the dotted package
    the text belongs to, "" for a notebook); None when that cannot be told (whole package)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    found: set[str] = set()
    nodes = ast.walk(tree) if _NEEDS_FULL_WALK.search(text) else _statements(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE_NAME:
                    return None
                if alias.name.startswith(PACKAGE_NAME + "."):
                    found.add(index.resolve(alias.name) or PACKAGE_NAME)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            if base is None or not (base == PACKAGE_NAME or base.startswith(PACKAGE_NAME + ".")):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in index.modules
                          else index.resolve(base) or PACKAGE_NAME)
        elif isinstance(node, ast.Call) and _called_name(node.func) in _DYNAMIC:
            found |= _dynamic_import(node, index, package)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and _MODULE_STRING.match(node.value):
            module = index.resolve(node.value)
            if module:
                found.add(module)
    return found


def _statements(tree: ast.Module):
    """Every statement of ``tree`` at any depth (function and class bodies, branches, handlers,
    match cases), without descending into expressions."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                todo.extend(children)


def _absolute(module: str | None, level: int, package: str) -> str | None:
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or not parts:
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _dynamic_import(node: ast.Call, index: CodeIndex, package: str) -> set[str]:
    """What a call to ``import_module``/``__import__`` may import."""
    first = node.args[0] if node.args else None
    given_package = len(node.args) > 1 or any(k.arg == "package" for k in node.keywords)
    relative_to = package if given_package else ""
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        name = first.value
        if name.startswith("."):
            level = len(name) - len(name.lstrip("."))
            name = _absolute(name.lstrip(".") or None, level, relative_to) or ""
        if not (name == PACKAGE_NAME or name.startswith(PACKAGE_NAME + ".")):
            return set()
        module = index.resolve(name)
        return {module} if module else index.everything
    prefix = ""
    if isinstance(first, ast.JoinedStr) and first.values \
            and isinstance(first.values[0], ast.Constant):
        prefix = str(first.values[0].value)
    elif isinstance(first, ast.BinOp) and isinstance(first.left, ast.Constant):
        prefix = str(first.left.value)
    if prefix.startswith(PACKAGE_NAME + "."):
        package_named = index.resolve(prefix.rstrip("."))
        return index.within(package_named) if package_named else index.everything
    if relative_to:
        return index.within(relative_to)
    return index.everything
