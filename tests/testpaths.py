"""Paths the tests share, whatever folder a test file sits in (tests mirror the package)."""
import shutil
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
