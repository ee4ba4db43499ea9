"""Nothing personal is published: the last check before the staged reports are swapped in.

Every file to be published is scanned for ID-number patterns (NIP/NIK, :mod:`analysis.data.pii`)
and for the names of every imported register (compared as keyed hashes,
:mod:`analysis.data.registers.scan`); a match stops the build and nothing is published. Without
a register's key its names cannot be compared: the build says so, and the manifest records it
(:data:`~.manifest.NAMES_NOT_CHECKED`) so that the next build with the key checks the published
reports even when nothing else is to be built.

Further checks over the staged folder join :data:`STAGED_CHECKS`: each is a function taking the
staging folder and returning its problems (objects whose ``str`` names the file and what is
wrong, never the personal data). The first is the joint disclosure check over the register
tables a build publishes (:func:`register_tables`): a table an attacker could undo stops the
build, and nothing is published.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ... import paths
from .errors import ReportBuildError
from .manifest import NAMES_NOT_CHECKED, write_manifest

StagedCheck = Callable[[Path], Iterable[object]]



def register_tables(staging: Path) -> list:
    """The joint disclosure check over every register table staged (METHODS.md G):
    :func:`analysis.publish.disclosure_gate.check_staged_register_tables`."""
    from ..disclosure_gate import check_staged_register_tables

    return check_staged_register_tables(staging)


# Checks run over the staging folder after the personal-data scan; a problem stops the build.
STAGED_CHECKS: list[StagedCheck] = [register_tables]
SHOWN = 10  # problems named in the error; the rest are counted


def check_staged(staging: Path, say=print) -> list[str]:
    """Stop the build if a file to be published holds an ID-number pattern, a register's name,
    or a problem one of :data:`STAGED_CHECKS` finds. Return the notes on registers whose names
    could not be checked (and why)."""
    from ...data import pii
    from ...data.registers.scan import check_published_names

    named, notes = check_published_names(staging)
    for note in notes:
        say(f"[personal data] {note}")
    findings = sorted(list(pii.scan_published(staging)) + list(named), key=str)
    if findings:
        raise ReportBuildError("personal data", f"{len(findings)} match(es) in the files to be "
                               f"published ({_listed(findings)}); nothing was published")
    problems = [problem for check in STAGED_CHECKS for problem in check(staging)]
    if problems:
        raise ReportBuildError("publication check", f"{len(problems)} problem(s) in the files "
                               f"to be published ({_listed(problems)}); nothing was published")
    return notes


def recheck_published_names(reports_dir: Path, previous: dict, say=print) -> dict:
    """The published reports were built without checking some register's names (no key, or
    another key): check them now, when nothing else is to be built. Clean: the manifest says so
    from now on. A match: the build fails, naming the file (never the name), and the reports
    folder is left as it is for the user to remove. Still not checkable: the notes again."""
    from ...data.registers.scan import check_published_names

    findings, notes = check_published_names(reports_dir)
    if findings:
        raise ReportBuildError("personal data", f"the published reports in "
                               f"{paths.shown(reports_dir)}, built without checking register "
                               f"names, hold {len(findings)} match(es) ({_listed(findings)}); "
                               "remove the file or the folder (a new build checks the names "
                               "before it publishes)")
    for note in notes:
        say(f"[personal data] {note} (the published reports were built without checking "
            "them)")
    if notes:
        return previous
    say("[personal data] names from the imported registers checked in the published reports: "
        "none found")
    updated = {k: v for k, v in previous.items() if k != NAMES_NOT_CHECKED}
    write_manifest(reports_dir, updated)
    return updated


def _listed(problems: list) -> str:
    return "; ".join(str(p) for p in problems[:SHOWN])
