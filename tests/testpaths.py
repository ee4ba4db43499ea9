"""Paths the tests share, whatever folder a test file sits in (tests mirror the package)."""
import http.server
import shutil
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
NOTEBOOK_FIXTURE = FIXTURES / "notebooks" / "01_fixture.py"
REGISTER_FIXTURES = FIXTURES / "registers"
REFERENCE_FIXTURES = FIXTURES / "reference"
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"


def reference(name: str) -> Path:
    """An R reference file: from shared/ when present, else the copy in tests/fixtures/reference.
    (A function, not a fixture: the reference tables are read when a test module loads.)"""
    path = SHARED_REFERENCE / name
    return path if path.exists() else REFERENCE_FIXTURES / name


def project_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment of a command run in a subprocess on the project at ``root``."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "NETRALITAS_PROCESSED"}
    return {**env, "NETRALITAS_ROOT": str(root), **extra}


def make_project(root: Path, raw: str | None = "copy", notebooks=(),
                 processed: dict[str, str] | bool = True) -> Path:
    """A project at ``root``: ``raw`` "copy" (the real data/raw), "tiny" (one small CSV) or
    None; ``notebooks`` paths to copy into notebooks/, or ``{name: text}``; ``processed``
    ``{name: text}`` in data/processed, True for an empty folder, False for none."""
    (root / "data").mkdir(parents=True)
    if processed is not False:
        (root / "data" / "processed").mkdir()
    if raw == "copy":
        shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    else:
        (root / "data" / "raw").mkdir()
        if raw == "tiny":
            (root / "data" / "raw" / "tiny.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    for name, text in (processed if isinstance(processed, dict) else {}).items():
        (root / "data" / "processed" / name).write_text(text, encoding="utf-8")
    (root / "notebooks").mkdir()
    items = notebooks.items() if isinstance(notebooks, dict) else \
        ((Path(p).name, Path(p).read_text(encoding="utf-8")) for p in notebooks)
    for name, text in items:
        (root / "notebooks" / name).write_text(text, encoding="utf-8")
    return root


def copy_last_build(out: Path) -> bool:
    """Copy the checkout's own ``reports/`` (the last ``make report``, as CI and the README run
    it before the tests) into the empty ``out``: every file its manifest lists, and the manifest.
    False, with ``out`` emptied again, when there is no manifest or a listed file is missing;
    files the manifest does not list are never copied."""
    import json

    from analysis import paths

    published = paths.REPORTS
    try:
        manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
        listed = [*manifest["files"], *manifest.get("kept_files", {}), "manifest.json"]
        for relative in listed:
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(published / relative, out / relative)
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        return False
    return True


class QuietServer(http.server.ThreadingHTTPServer):
    """The tests' local web server: a browser that drops a connection it no longer needs (a
    page left while an image loads) is not an error worth a traceback in the test log."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
