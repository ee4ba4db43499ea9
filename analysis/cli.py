"""The command line: ``python -m analysis COMMAND [options]``.

Every command is a subparser (argparse), so ``--help`` at any level answers at once, without
importing pandas or building anything: the work is imported inside each handler.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths

DESCRIPTION = (
    "Netralitas: evaluate the supervision of civil-servant (ASN) neutrality in Pilkada. "
    "Validate the raw data, build the processed tables, run the notebooks into reports/."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate", help="check the raw files; every problem with file, row, column and value",
        description="Check data/raw (or the FILEs given) and report every problem; "
                    "exit 1 on errors.")
    validate.add_argument("files", nargs="*", metavar="FILE",
                          help="files to check (default: every file in data/raw)")
    validate.set_defaults(handler=_validate)

    build = commands.add_parser(
        "build", help="validate, then write the tidy tables in data/processed/",
        description="Complete a publication an interrupted report build left, validate "
                    "data/raw, then write data/processed/ as one set.")
    build.set_defaults(handler=_build)

    report = commands.add_parser(
        "report", help="build, then run the notebooks into reports/ (incremental, parallel)",
        description="Validate and build the data once, run every notebook whose inputs changed "
                    "(in parallel), write the briefs and the landing page, and publish "
                    "everything to the reports folder at once.")
    report.add_argument("--province", metavar="NAME",
                        help="the province studied in report 04 and the briefs: a canonical name "
                             "or an alias from data/raw/regions.csv (Babel, Sultra; any case); "
                             "default Kepulauan Bangka Belitung")
    report.add_argument("--notebook", action="append", metavar="STEM",
                        help="build only this notebook, e.g. 02_enforcement_across_cycles "
                             "(repeatable; default: all)")
    report.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                        help="set a notebook parameter declared in a parameters cell; VALUE is "
                             "read as JSON if it parses, else as a string (repeatable)")
    report.add_argument("--reports-dir", type=Path, default=paths.REPORTS,
                        help="where to publish (default: reports/)")
    report.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="notebooks run at once (default: twice the number of cores)")
    report.add_argument("--force", action="store_true",
                        help="re-run every step even if its inputs are unchanged")
    report.add_argument("--kernel", default="python3",
                        help="Jupyter kernel name (default: python3)")
    report.add_argument("--no-landing", action="store_true",
                        help="skip the policy briefs, the data downloads and the landing page's "
                             "findings (the index then says so); the API reference is still built")
    report.add_argument("--no-api", action="store_true",
                        help="skip the API reference (reports/api/)")
    report.add_argument("--dry-run", action="store_true",
                        help="say which steps would run and why (the file or parameter that "
                             "changed), without running or writing anything")
    report.set_defaults(handler=_report)

    datapackage = commands.add_parser(
        "datapackage", help="regenerate data/raw/datapackage.json from the schemas")
    datapackage.set_defaults(handler=_datapackage)

    register = commands.add_parser(
        "register", help="case registers (CSV/XLSX): check, import (pseudonymised), synthesise",
        description="Bring your own case-level register: check it, import it pseudonymised into "
                    "data/private/registers/NAME (git-ignored, never published), or write a "
                    "SYNTHETIC demo register. See data/registers/CODEBOOK.md.")
    actions = register.add_subparsers(dest="register_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="report every problem with sheet, row, column and value; exit 1 on errors "
                      "(only reads)")
    check.add_argument("file", type=Path, metavar="FILE", help="the register (.csv or .xlsx)")
    check.add_argument("--sheet", help="XLSX sheet (default: the first)")
    check.add_argument("--data-date", metavar="YYYY-MM-DD",
                       help="the register's data date: a date after it is an error (as on "
                            "import)")
    check.set_defaults(handler=_register_check)
    imp = actions.add_parser(
        "import", help="check, pseudonymise NIP and names (HMAC-SHA256), store under "
                       "data/private/registers/NAME")
    imp.add_argument("file", type=Path, metavar="FILE", help="the register (.csv or .xlsx)")
    imp.add_argument("--name", required=True, help="a name for the register ([A-Za-z0-9_-])")
    imp.add_argument("--data-date", required=True, metavar="YYYY-MM-DD",
                     help="the register's data date: open cases are censored there")
    imp.add_argument("--key-file", type=Path, metavar="PATH",
                     help="file holding the pseudonymisation key, outside the repository "
                          "(default: the NETRALITAS_KEY environment variable)")
    imp.add_argument("--sheet", help="XLSX sheet (default: the first)")
    imp.set_defaults(handler=_register_import)
    synth = actions.add_parser(
        "synth", help="write a SYNTHETIC register calibrated to the ledger, with planted effects "
                      "and their ground truth")
    synth.add_argument("--rows", type=int, default=None,
                       help="number of cases (default: the ledger's published totals)")
    synth.add_argument("--seed", type=int, required=True, help="random seed (recorded)")
    synth.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    synth.set_defaults(handler=_register_synth)
    _add_ledger_command(commands)
    return parser


def _add_ledger_command(commands) -> None:
    """``ledger add``: append one published figure, checked as ``validate`` checks the file."""
    from .data import ledger_add  # the schema only: no pandas until the command runs

    ledger = commands.add_parser(
        "ledger", help="the evidence ledger: add one published figure by command",
        description="Work on data/raw/published_figures.csv without editing it by hand.")
    actions = ledger.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="append one figure after the checks of `validate`; a duplicate or "
                    "conflicting figure only with --reason; data/raw unchanged on any error",
        description="Append one published figure to the evidence ledger. The row is checked "
                    "by the validator on a copy of the ledger and written only when clean; a "
                    "figure for the same thing at the same as-of date (duplicate or conflict) "
                    "needs --reason, recorded in its note. Exit 1 when refused.")
    ledger_add.add_arguments(add)
    add.set_defaults(handler=_ledger_add)


def _ledger_add(args) -> int:
    from .data import ledger_add
    return ledger_add.main(args)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return int(exc.code or 0)
    return int(args.handler(args) or 0)


def _validate(args) -> int:
    from .data import validate
    return validate.main(args.files)


def _build(args) -> int:
    from .data import build
    return build.main([])


def _datapackage(args) -> int:
    from .data import datapackage
    return datapackage.main([])


def _register_check(args) -> int:
    from .data.registers import commands
    return commands.check_main(args.file, args.sheet, args.data_date)


def _register_import(args) -> int:
    from .data.registers import commands
    return commands.import_main(args.file, args.name, args.data_date, args.key_file, args.sheet)


def _register_synth(args) -> int:
    from .data.registers import synth
    return synth.synth_main(args.rows, args.seed, args.out)


def _report(args) -> int:
    from .publish.build import command
    return command.run_from_cli(args)


if __name__ == "__main__":
    sys.exit(main())
