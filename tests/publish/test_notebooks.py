"""The real notebooks run from a fresh kernel on the real data and produce what they promise;
every notebook that speaks of the chosen province is built for a second one, and no Bangka
Belitung name is left where the chosen province is meant."""
import html
import json
import re

import pytest

from analysis.data import ledger
from analysis import paths
from analysis.findings import casestudy
from analysis.publish import parameters as params
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


BABEL_WORDS = re.compile(r"Bangka|Belitung|Pangkalpinang|Babel")
# a notebook that speaks of a province: where its page may name other provinces' places (tables
# of every province or of every curated measure), by the caption that opens that table
CATALOGUES = {"06_supervision_effects": ["Langkah pengawasan yang dikurasi"]}


def _without_catalogues(page: str, captions: list[str]) -> str:
    """The page without the tables whose caption starts with one of ``captions``, and without
    the charts' drawings (a funnel's hover values name every province)."""
    page = re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S)
    for caption in captions:
        page = re.sub(r'<table[^>]*>\s*<caption>' + re.escape(caption) + r".*?</table>", "",
                      page, flags=re.S)
    return page


@pytest.fixture(scope="module")
def second_province(tmp_path_factory):
    """The notebooks that declare ``province``, built for Sulawesi Tenggara."""
    out = tmp_path_factory.mktemp("sultra")
    stems = [n for n in NOTEBOOKS if "province" in params.declared_parameters(n)]
    build_reports(notebooks=stems, parameters={"province": "Sulawesi Tenggara"}, reports_dir=out,
                  progress=lambda _: None)
    return out, [n.stem for n in stems]


def test_every_notebook_that_speaks_of_the_chosen_province_declares_it_and_derives_its_regions():
    for notebook in NOTEBOOKS:
        text = notebook.read_text(encoding="utf-8")
        declared = params.declared_parameters(notebook)
        if re.search(r"provinsi pilihan|chosen province|province_regions\(|short_name\(province\)",
                     text, re.I):
            assert "province" in declared, notebook.name
        # no parameter but the province itself names one of its places (regions are derived)
        fixed = {k: v for k, v in declared.items()
                 if k != "province" and BABEL_WORDS.search(str(v))}
        assert fixed == {}, (notebook.name, fixed)


@pytest.mark.slow  # builds the four notebooks that declare a province
def test_a_second_province_replaces_bangka_belitung_wherever_the_chosen_province_is_meant(
        second_province):
    out, stems = second_province
    assert {"04_province_case_study", "06_supervision_effects"} <= set(stems)
    sultra = casestudy.province_regions(ledger.read_raw(paths.REGIONS), "Sulawesi Tenggara")
    for stem in ("04_province_case_study", "06_supervision_effects"):
        page = (out / f"{stem}.html").read_text(encoding="utf-8")
        assert "Sulawesi Tenggara" in page, stem
        text = visible_text(_without_catalogues(page, CATALOGUES.get(stem, [])))
        text = re.sub(r"\((?:bawaan|default): [^)]*\)", "", re.sub(r"<[^>]+>", " ", text))
        found = BABEL_WORDS.findall(text)  # the default may be named as the default
        assert found == [], (stem, found)
    figures = (out / "tables" / "04_figures.csv").read_text(encoding="utf-8")
    assert "Sulawesi Tenggara" in figures and "Kepulauan Bangka Belitung" not in figures
    page = visible_text((out / "06_supervision_effects.html").read_text(encoding="utf-8"))
    assert "Untuk satu provinsi (Sulawesi Tenggara:" in page
    cases = out / "tables" / "06_province_cases.csv"
    if cases.exists():
        import pandas as pd

        assert set(pd.read_csv(cases)["region"]) <= set(sultra) | {"Total"}


def _alt_texts(page: str) -> list[str]:
    """The text alternative of every chart: an image's alt, an inline drawing's aria-label."""
    found = re.findall(r'\salt="([^"]*)"|<svg\b[^>]*?\saria-label="([^"]*)"', page)
    return [html.unescape(alt or label) for alt, label in found]


@pytest.mark.slow
def test_the_province_marked_on_the_funnels_and_the_map_is_the_chosen_one(second_province):
    out, stems = second_province
    assert {"03_violation_rates", "07_province_overview"} <= set(stems)
    funnels = [a for a in _alt_texts((out / "03_violation_rates.html").read_text(encoding="utf-8"))
               if "PNS" in a and ("corong" in a or "Funnel" in a)]
    assert funnels and all("Sultra" in a and "Babel" not in a for a in funnels)
    text = visible_text((out / "03_violation_rates.html").read_text(encoding="utf-8"))
    assert "Sulawesi Tenggara tercantum dengan" in re.sub(r"<[^>]+>", " ", text)
    executed = json.loads((out / "researcher" / "07_province_overview.ipynb").read_text("utf-8"))
    injected = [c for c in executed["cells"] if "injected-parameters" in
                c.get("metadata", {}).get("tags", [])]
    assert injected and 'province = "Sulawesi Tenggara"' in "".join(injected[0]["source"])


def test_cli_province_option_becomes_a_notebook_parameter():
    from analysis import cli

    args = cli.build_parser().parse_args(["report", "--province", "Bali", "--notebook", "x"])
    assert args.province == "Bali" and args.notebook == ["x"]
