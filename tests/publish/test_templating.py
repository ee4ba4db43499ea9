"""Environments with the same options compile each template once per process; other options,
or an edited template, get their own compiled code."""
import jinja2
import pytest

from analysis import paths
from analysis.publish import templating


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A templates folder of its own (so no other test has compiled its templates yet), with a
    counter of compilations."""
    monkeypatch.setattr(paths, "TEMPLATES", tmp_path)
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)
    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    (tmp_path / "page.html.j2").write_text(
        "{% include 'part.j2' %}<p>{{ text | mark }}</p>\n", encoding="utf-8")
    (tmp_path / "part.j2").write_text("<h1>{{ title }}</h1>\n", encoding="utf-8")
    return tmp_path, compiled


def _render(env, mark, **values):
    env.filters["mark"] = mark
    return env.get_template("page.html.j2").render(**values)


def test_two_environments_compile_a_template_once_and_keep_their_own_filters(templates):
    _, compiled = templates
    first = _render(templating.environment(), lambda v: f"[{v}]", title="A", text="<b>x</b>")
    second = _render(templating.environment(), lambda v: f"({v})", title="B", text="y")
    assert sorted(compiled) == ["page.html.j2", "part.j2"]
    assert first == "<h1>A</h1><p>[&lt;b&gt;x&lt;/b&gt;]</p>"  # autoescaped, own filter
    assert second == "<h1>B</h1><p>(y)</p>"


def test_other_options_do_not_share_compiled_code(templates):
    _, compiled = templates
    plain = _render(templating.environment(), str, title="A", text="x")
    kept = _render(templating.environment(keep_trailing_newline=True), str, title="A", text="x")
    assert sorted(compiled) == ["page.html.j2", "page.html.j2", "part.j2", "part.j2"]
    assert (plain, kept) == ("<h1>A</h1><p>x</p>", "<h1>A</h1>\n<p>x</p>\n")
    reference = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates[0])),
                                   autoescape=True, undefined=jinja2.StrictUndefined,
                                   trim_blocks=True, lstrip_blocks=True,
                                   keep_trailing_newline=True)
    assert kept == _render(reference, str, title="A", text="x")


def test_an_edited_template_is_compiled_again(templates):
    folder, compiled = templates
    assert _render(templating.environment(), str, title="A", text="x") == "<h1>A</h1><p>x</p>"
    (folder / "part.j2").write_text("<h2>{{ title }}</h2>\n", encoding="utf-8")
    assert _render(templating.environment(), str, title="A", text="x") == "<h2>A</h2><p>x</p>"
    assert sorted(compiled) == ["page.html.j2", "part.j2", "part.j2"]


def test_an_undefined_name_is_an_error(templates):
    with pytest.raises(jinja2.UndefinedError):
        _render(templating.environment(), str, text="x")
