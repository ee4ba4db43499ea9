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
    """An R reference file from shared/ (where CI lays it beside the clone), else the copy in
    tests/fixtures/reference."""
    path = SHARED_REFERENCE / name
    return path if path.exists() else REFERENCE_FIXTURES / name
