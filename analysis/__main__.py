"""Command line: ``python -m analysis {validate,build,report,datapackage}``."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = ("validate", "build", "report", "datapackage")
    if not argv or argv[0] not in commands:
        print("usage: python -m analysis {" + ",".join(commands) + "} [options]\n"
              "  validate [FILE ...]   check raw files, report every problem (exit 1 on errors)\n"
              "  build                 validate, then write data/processed/\n"
              "  report [options]      build, then run the notebooks into reports/\n"
              "                        (--province NAME: the province studied, default Kepulauan\n"
              "                        Bangka Belitung; --notebook STEM; -p KEY=VALUE)\n"
              "  datapackage           regenerate data/raw/datapackage.json from the schemas",
              file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "validate":
        from . import validate
        return validate.main(rest)
    if command == "build":
        from . import build
        return build.main(rest)
    if command == "datapackage":
        from . import datapackage
        return datapackage.main(rest)
    from . import build, report
    rest = _province_option(rest)
    code = build.main([])
    return code or report.main(rest)


def _province_option(argv: list[str]) -> list[str]:
    """``--province NAME`` sets the ``province`` parameter of every notebook that has one."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] == "--province" and i + 1 < len(argv):
            out += ["-p", f"province={argv[i + 1]}"]
            i += 2
        elif argv[i].startswith("--province="):
            out += ["-p", "province=" + argv[i].split("=", 1)[1]]
            i += 1
        else:
            out.append(argv[i])
            i += 1
    return out


if __name__ == "__main__":
    sys.exit(main())
