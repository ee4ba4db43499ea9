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
        description="Check data/raw (or the FILEs given) and report every problem; exit 1 on errors.")
    validate.add_argument("files", nargs="*", metavar="FILE",
                          help="files to check (default: every file in data/raw)")
    validate.set_defaults(handler=_validate)

    build = commands.add_parser(
        "build", help="validate, then write the tidy tables in data/processed/",
        description="Validate data/raw, then write data/processed/ (skipped when its inputs are "
                    "unchanged).")
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
                        help="notebooks run at once (default: the number of cores)")
    report.add_argument("--force", action="store_true",
                        help="re-run every step even if its inputs are unchanged")
    report.add_argument("--kernel", default="python3", help="Jupyter kernel name (default: python3)")
    report.add_argument("--no-landing", action="store_true",
                        help="skip the policy briefs and the landing page's findings (the index "
                             "then says so)")
    report.set_defaults(handler=_report)

    datapackage = commands.add_parser(
        "datapackage", help="regenerate data/raw/datapackage.json from the schemas")
    datapackage.set_defaults(handler=_datapackage)
    return parser


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


def _report(args) -> int:
    from .publish import report
    return report.run_from_cli(args)


if __name__ == "__main__":
    sys.exit(main())
