"""The real notebooks run from a fresh kernel on the real data and produce what they promise."""
import re

import pytest

from analysis import build, paths, report


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    assert build.main([]) == 0
    out = tmp_path_factory.mktemp("reports")
    report.build_reports(notebooks=[paths.NOTEBOOKS / "01_evidence_ledger.py"], reports_dir=out)
    return out


def test_evidence_ledger_report_has_both_editions_figures_and_tables(built):
    assert (built / "01_evidence_ledger.html").exists()
    assert (built / "researcher" / "01_evidence_ledger.html").exists()
    for stem in ("01_coverage", "01_conflicts"):
        assert (built / "figures" / f"{stem}.png").stat().st_size > 10_000
        assert (built / "figures" / f"{stem}.svg").exists()
    for stem in ("01_figures_by_election_agency", "01_conflicting_figures"):
        assert (built / "tables" / f"{stem}.csv").exists()
    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="01_evidence_ledger.html"' in index


def test_evidence_ledger_numbers_come_from_the_ledger(built):
    from analysis import ledger
    from analysis.formatting import fmt_int

    n = len(ledger.load_ledger())
    html = (built / "01_evidence_ledger.html").read_text(encoding="utf-8")
    assert f"{fmt_int(n)} angka" in html and f"{fmt_int(n, 'en')} " in html
    assert "import " not in re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
