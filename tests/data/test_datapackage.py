"""data/raw/datapackage.json is generated from analysis/schemas.py and must not drift from it."""
import json

from analysis.data import datapackage, schemas
from analysis import paths


def test_committed_descriptor_equals_the_schemas():
    assert paths.RAW_PACKAGE.read_text(encoding="utf-8") == datapackage.render(), (
        "run `python -m analysis datapackage` after changing analysis/schemas.py")


def test_every_raw_csv_is_described_with_every_column():
    package = json.loads(paths.RAW_PACKAGE.read_text(encoding="utf-8"))
    described = {r["path"]: [f["name"] for f in r["schema"]["fields"]]
                 for r in package["resources"]}
    for csv_path in sorted(paths.RAW.glob("*.csv")):
        header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert described[csv_path.name] == header, csv_path.name
        assert csv_path.name in schemas.BY_PATH
