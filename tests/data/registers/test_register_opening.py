"""One way to open a register (analysis.data.registers.opening), used by notebooks 05 and 06 and
the build's parameter check: empty is the SYNTHETIC demo register, a name is looked up under the
registers folder, a path must be a register folder; an unknown name lists the names there are;
only a synthetic register comes with its planted ground truth."""
import json

import pytest

from analysis.data.registers import demo, opening, store, synth
from analysis.findings import register_overview


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    base = tmp_path_factory.mktemp("registers")
    for name in ("babel", "sulsel"):
        synth.write_synthetic(base / name, 60, 1)
    return base


def test_a_name_is_looked_up_under_the_registers_folder_and_a_path_is_a_folder(base):
    by_name = opening.open_register("babel", base)
    assert len(by_name.cases) == 60 and by_name.synthetic
    by_path = opening.open_register(str(base / "sulsel"))
    assert len(by_path.cases) == 60
    assert opening.resolve_register("babel", base) == base / "babel"
    assert opening.available_registers(base) == ["babel", "sulsel"]


def test_an_unknown_name_or_folder_is_a_usage_error_that_says_what_there_is(base, tmp_path):
    with pytest.raises(opening.UnknownRegister,
                       match=r"'jatim' not found .*available: babel, sulsel"):
        opening.open_register("jatim", base)
    with pytest.raises(opening.UnknownRegister, match="none is imported yet"):
        opening.open_register("jatim", tmp_path / "empty")
    with pytest.raises(opening.UnknownRegister, match="not a register folder"):
        opening.resolve_register(str(tmp_path / "nowhere"), base)
    with pytest.raises(store.RegisterError, match="not allowed"):
        opening.resolve_register("bad name", base)
    assert issubclass(opening.UnknownRegister, ValueError)  # the CLI prints it as usage


def test_empty_means_the_synthetic_demo_register_with_its_ground_truth(tmp_path):
    opened = opening.open_register("", demo_folder=tmp_path / "demo")
    assert opening.resolve_register("") is None and opening.resolve_register(None) is None
    assert opened.synthetic and opened.cases["case_id"].str.startswith("SYN-").all()
    planted = json.loads((tmp_path / "demo" / synth.GROUND_TRUTH_FILE).read_text("utf-8"))
    assert opened.truth == planted and "planted" in opened.truth
    cases, meta, truth = demo.load_demo_register(tmp_path / "demo")
    assert opened.meta == meta and opened.truth == truth and opened.cases.equals(cases)


def test_ground_truth_comes_only_with_a_synthetic_register(base, tmp_path):
    assert opening.open_register("babel", base).truth is not None
    real = tmp_path / "real"
    synth.write_synthetic(real, 30, 2)
    meta = json.loads((real / store.REGISTER_FILE).read_text("utf-8"))
    meta["synthetic"] = False  # a register that is not synthetic never carries planted values
    (real / store.REGISTER_FILE).write_text(json.dumps(meta), encoding="utf-8")
    opened = opening.open_register(str(real))
    assert opened.truth is None and not opened.synthetic
    meta.update(synthetic=True, ground_truth_file="../elsewhere.json")
    (real / store.REGISTER_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(store.RegisterError, match="ground_truth_file must be a file name"):
        opening.open_register(str(real))


def test_the_build_check_and_the_notebooks_use_the_same_resolver():
    from testpaths import ROOT

    check = (ROOT / "analysis" / "publish" / "build" / "request.py").read_text(encoding="utf-8")
    assert "from ...data.registers.opening import resolve_register" in check
    assert not hasattr(register_overview, "resolve_register")  # one resolver, one place

    for stem in ("05_register_overview", "06_supervision_effects"):
        text = (ROOT / "notebooks" / f"{stem}.py").read_text(encoding="utf-8")
        assert "opening.open_register(register)" in text, stem
        assert "load_any_register" not in text and "load_demo_register" not in text, stem
