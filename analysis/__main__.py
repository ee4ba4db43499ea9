"""``python -m analysis``: see :mod:`analysis.cli`."""
import sys

from .publish.build.lean_imports import skip_unused_iri_checker

skip_unused_iri_checker()  # 1 s of every command's start-up; see the module

from .cli import main  # noqa: E402  (after the line above, which must precede jsonschema)

sys.exit(main())
