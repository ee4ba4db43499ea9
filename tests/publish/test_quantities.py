"""Marked quantities: written and read back, and a disagreement between pages is caught."""
import pytest

from analysis.publish.quantities import disagreements, mark, marked


def test_a_mark_reads_back_as_key_value_and_text():
    page = f"<p>Baru {mark('equal_lag.share_2024', 19 / 1158, '1,6%', ['nf-0543'], '../')}</p>"
    assert marked(page) == [("equal_lag.share_2024", pytest.approx(19 / 1158), "1,6%")]
    assert 'href="../ledger.html#nf-0543"' in page


def test_text_from_data_is_escaped():
    html = str(mark("x.count", 3, "<script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_two_pages_with_different_values_for_one_key_disagree():
    a = str(mark("province.detectable_now", 12.45, "12,5"))
    b = str(mark("province.detectable_now", 13.94, "13.9"))
    c = str(mark("province.detectable_now", 12.45, "12.5"))
    assert disagreements({"brief_id.html": a, "04.html": b}) == [
        "province.detectable_now: 13.94 on 04.html but 12.45 on brief_id.html"]
    assert disagreements({"brief_id.html": a, "brief_en.html": c}) == []


@pytest.mark.parametrize("key", ["Bad Key", "a/b", ""])
def test_a_key_must_be_a_plain_name(key):
    with pytest.raises(ValueError):
        mark(key, 1, "1")
