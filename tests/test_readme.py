"""The README says what the code does: its rules are the code's own text, and every command and
make target it names exists."""
import re
import subprocess
import sys

from analysis.data import ledger
from analysis.findings import series
from testpaths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
FLAT = " ".join(README.split())


def test_selection_and_denominator_rules_are_quoted_from_the_code():
    assert " ".join(ledger.RULE_TEXT.split()) in FLAT
    assert " ".join(series.HEADCOUNT_RULE.split()) in FLAT


def test_every_make_target_named_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))
    named = set(re.findall(r"`make ([a-z-]+)", README))
    assert named and named <= targets, named - targets


def test_every_command_named_answers_its_help():
    commands = set(re.findall(r"python -m analysis ((?:register )?[a-z]+)", README))
    assert {"report", "validate", "build", "register check", "register import",
            "register synth", "datapackage"} <= commands
    for command in sorted(commands):
        result = subprocess.run([sys.executable, "-m", "analysis", *command.split(), "--help"],
                                capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, (command, result.stderr)


def test_every_report_listed_has_its_notebook():
    listed = set(re.findall(r"^\d\. \*\*(\d\d) · ", README, flags=re.M))
    notebooks = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.py")}
    assert listed == notebooks
