"""The real notebooks run from a fresh kernel on the real data and produce what they promise;
the province case study runs for the default province and for a second one."""
import re

import pytest

from analysis.data import ledger
from analysis import paths
from analysis.publish.build.pipeline import build_reports
from analysis.publish.formatting import fmt_int

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.py"))


@pytest.fixture(scope="module")
def built(published_site):
    """Every notebook built once for the session (tests/conftest.py), read-only here."""
    return published_site


def visible_text(html):
    return re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)


@pytest.mark.parametrize("notebook", [n.stem for n in NOTEBOOKS])
def test_every_notebook_has_reader_and_researcher_editions_without_code(built, notebook):
    reader = (built / f"{notebook}.html").read_text(encoding="utf-8")
    assert (built / "researcher" / f"{notebook}.html").exists()
    assert "import " not in visible_text(reader)
    assert 'alt="Gambar / Figure"' not in reader  # every figure carries its own alt text
    index = (built / "index.html").read_text(encoding="utf-8")
    assert f'href="{notebook}.html"' in index


def test_evidence_ledger_numbers_come_from_the_ledger(built):
    n = len(ledger.load_ledger())
    html = (built / "01_evidence_ledger.html").read_text(encoding="utf-8")
    assert f"{fmt_int(n)} angka" in html and f"{fmt_int(n, 'en')} figures" in html
    for stem in ("01_coverage", "01_conflicts"):
        assert (built / "figures" / f"{stem}.png").stat().st_size > 10_000


def test_enforcement_report_reproduces_the_december_2020_claim(built):
    claims = (built / "tables" / "02_follow_up_claims.csv").read_text(encoding="utf-8")
    assert "nf-0310" in claims and "635/872" in claims


def test_rates_and_funnel_outputs_exist(built):
    for stem in ("03_rates_per_10k_pns", "03_rate_ratios", "03_funnel_2020_pilkada"):
        assert (built / "tables" / f"{stem}.csv").exists()
    assert (built / "figures" / "03_funnel_2020_pilkada.svg").exists()


def test_case_study_defaults_to_babel(built):
    html = (built / "04_province_case_study.html").read_text(encoding="utf-8")
    assert "Kepulauan Bangka Belitung" in html and "Kota Pangkalpinang" in html


@pytest.mark.slow
def test_case_study_runs_for_a_second_province(tmp_path):
    build_reports(notebooks=[paths.NOTEBOOKS / "04_province_case_study.py"],
                  parameters={"province": "Sulawesi Tenggara"}, reports_dir=tmp_path)
    html = (tmp_path / "04_province_case_study.html").read_text(encoding="utf-8")
    assert "Sulawesi Tenggara" in html
    figures = (tmp_path / "tables" / "04_figures.csv").read_text(encoding="utf-8")
    assert "Sulawesi Tenggara" in figures and "Kepulauan Bangka Belitung" not in figures


def test_cli_province_option_becomes_a_notebook_parameter():
    from analysis import cli

    args = cli.build_parser().parse_args(["report", "--province", "Bali", "--notebook", "x"])
    assert args.province == "Bali" and args.notebook == ["x"]
