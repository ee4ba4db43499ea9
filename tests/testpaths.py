"""Paths the tests share, whatever folder a test file sits in (tests mirror the package)."""
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
