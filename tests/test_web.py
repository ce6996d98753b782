"""The web site's pages are finished in one pass: each step in its place, each page written once.

booktools/sphinx/web.py edits a page's scripts while Sphinx renders it, then,
once the HTML builder has written the site, reads every page once, applies its
steps in order and writes each page it changed once. These tests run the pass
on a small site made here, page by page as Sphinx and the theme write them.
"""

import base64
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from booktools.sphinx import head, icons, markup, maths, moved_data, web

pytestmark = pytest.mark.unit


def png(width: int = 40, height: int = 20) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def page_text(article: str, title: str = "A page") -> str:
    """A page as Sphinx and pydata-sphinx-theme write one, around ``article``."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<title>{title}</title>
  <script defer src="../_static/scripts/fontawesome.js?digest=1"></script>
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=1" />
  <script src="../_static/documentation_options.js?v=1"></script>
  <script src="../_static/searchtools.js"></script>
  <script src="../searchindex.js"></script>
</head>
<body data-default-mode="auto">
<img src="../_static/images/logo_colab.png" alt="Colab">
<i class="fa-solid fa-book" aria-hidden="true"></i>
<article class="bd-article">
{article}
</article>
</body>
</html>
"""


@pytest.fixture
def site(tmp_path) -> Path:
    """A site of two pages, with everything each step of the pass works on."""
    outdir = tmp_path / "html"
    (outdir / "_images").mkdir(parents=True)
    (outdir / "_static" / "styles").mkdir(parents=True)
    (outdir / "_images" / "plot.png").write_bytes(png(40, 20))
    frame = base64.b64encode(png(30, 10)).decode("ascii")
    data = "[" + "1," * moved_data.MIN_MOVED + "1]"
    (outdir / "book").mkdir()
    (outdir / "book" / "a.html").write_text(
        page_text(
            f'<img alt="a plot" src="../_images/plot.png" />\n'
            f'<img alt="a frame" src="data:image/png;base64,{frame}">\n'
            '<span class="math notranslate nohighlight">\\(x^2\\)</span>\n'
            f'<script type="application/json" id="weights">{data}</script>'
        ),
        encoding="utf-8",
    )
    (outdir / "book" / "b.html").write_text(page_text("<p>No figure.</p>"), encoding="utf-8")
    return outdir


def test_the_steps_and_their_order():
    """Moved data before figures: the figures step sizes the frames that step moved out."""
    assert [name for name, _ in web.STEPS] == ["moved data", "figures", "head", "icons", "maths"]


def test_figures_sizes_the_frames_that_moved_data_moved_out(site):
    web.finish(site)
    soup = BeautifulSoup((site / "book" / "a.html").read_text(encoding="utf-8"), "html.parser")
    frame = soup.find("img", alt="a frame")
    assert frame["src"].startswith("../_images/inline-"), frame
    assert (frame["width"], frame["height"]) == ("30", "10"), "the moved frame is sized"
    assert frame["loading"] == "lazy", "the second figure of the page loads lazily"
    plot = soup.find("img", alt="a plot")
    assert (plot["width"], plot["height"]) == ("40", "20") and "loading" not in plot.attrs


@pytest.fixture
def page_io(monkeypatch) -> dict[str, list[Path]]:
    """The pages read and written, each time it happens."""
    seen = {"read": [], "written": []}
    read_text, write_text = Path.read_text, Path.write_text

    def counting_read(path, *args, **kwargs):
        if path.suffix == ".html":
            seen["read"].append(path)
        return read_text(path, *args, **kwargs)

    def counting_write(path, *args, **kwargs):
        if path.suffix == ".html":
            seen["written"].append(path)
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting_read)
    monkeypatch.setattr(Path, "write_text", counting_write)
    return seen


def test_each_page_is_read_once_and_written_once(site, page_io):
    web.finish(site)
    pages = web.site_pages(site)
    assert sorted(page_io["read"]) == pages, "every page is read once"
    assert sorted(page_io["written"]) == pages, "every page, changed, is written once"


def test_a_page_the_steps_leave_alone_is_not_written(site, page_io):
    web.finish(site)
    page_io["written"].clear()
    web.finish(site)
    assert page_io["written"] == [], "a second pass over a finished site changes nothing"


def test_the_pass_runs_for_the_html_builder_only(monkeypatch, tmp_path):
    finished = []
    monkeypatch.setattr(web, "finish", finished.append)
    for name in ("html", "epub", "latex"):
        app = SimpleNamespace(builder=SimpleNamespace(name=name), outdir=tmp_path / name)
        web.finish_site(app, None)
    web.finish_site(SimpleNamespace(builder=SimpleNamespace(name="html"), outdir=tmp_path), "boom")
    assert finished == [tmp_path / "html"]


def test_the_head_defers_scripts_and_keeps_the_search_tools_for_the_search_page():
    text = page_text("<p>x</p>")
    soup = BeautifulSoup(head.rewrite(text), "html.parser")
    scripts = {tag["src"]: tag for tag in soup.head.find_all("script")}
    assert set(scripts) == {
        "../_static/scripts/fontawesome.js?digest=1",
        "../_static/documentation_options.js?v=1",
    }, "the search tools leave every page but the search page"
    assert all(tag.has_attr("defer") for tag in scripts.values())
    assert not soup.find("link", rel="preload"), "the theme's script preloads are gone"
    assert soup.find("img", alt="Colab")["loading"] == "lazy"
    search = BeautifulSoup(head.rewrite(text, search_page=True), "html.parser")
    assert search.find("script", src="../searchindex.js").has_attr("defer")


def test_the_icons_are_inline_svg_and_font_awesome_is_gone():
    text = page_text('<span class="fa-solid fa-no-such-icon-here"></span>')
    soup = BeautifulSoup(icons.rewrite_page(text), "html.parser")
    assert not [s for s in soup.find_all("script") if "fontawesome" in s.get("src", "")]
    svg = soup.find("svg", class_="book-icon")
    assert svg is not None and svg["aria-hidden"] == "true" and svg.path["d"]
    assert soup.find("span", class_="fa-no-such-icon-here"), "an unknown icon is left as it was"


def test_a_formula_becomes_svg_with_its_mathml(site):
    if maths.mathjax() is None:
        pytest.skip("Node.js is needed to typeset maths at build time (the build falls back)")
    web.finish(site)
    text = (site / "book" / "a.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    formula = soup.find("span", class_="math")
    assert formula.find("svg") is not None and formula.find("math") is not None
    assert soup.find("style", id="book-math") is not None and "MJX-SVG-global-cache" in text


def test_moving_data_out_writes_files_named_by_content_and_deletes_the_unnamed(tmp_path):
    site = tmp_path / "html"
    page_path = site / "book" / "a.html"
    page_path.parent.mkdir(parents=True)
    data_png = base64.b64encode(b"\x89PNG not really").decode("ascii")
    data = "[" + "1," * moved_data.MIN_MOVED + "1]"
    text = (
        f'<img src="data:image/png;base64,{data_png}">'
        f'<script type="application/json" id="numbers" data-x="1">{data}</script>'
        '<script type="application/json" id="small">[1]</script>'
    )
    moved = moved_data.move_data_out(text, page_path, site)
    soup = BeautifulSoup(moved, "html.parser")
    frame = page_path.parent / soup.img["src"]
    assert soup.img["src"].startswith("../_images/inline-")
    assert frame.read_bytes().startswith(b"\x89PNG")
    numbers = soup.find(id="numbers")
    assert numbers.get_text() == "" and numbers["data-x"] == "1"
    assert (page_path.parent / numbers["src"]).read_text() == data
    assert soup.find(id="small").get_text() == "[1]", "small data stays in the page"
    assert moved_data.move_data_out(moved, page_path, site) == moved, "moving twice changes nothing"
    stale = site / "_static" / "data" / "numbers-0000000000000000.json"
    stale.write_text("[]")
    moved_data.delete_unnamed_files(site, [moved])
    assert not stale.exists() and frame.exists() and (page_path.parent / numbers["src"]).exists()


def test_the_page_context_defers_scripts_and_drops_mathjax_where_unneeded(monkeypatch):
    from sphinx.builders.html._assets import _JavaScript

    monkeypatch.setattr(maths, "mathjax", lambda: None)  # MathJax typesets in the browser
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript("", body="var x = 1;"),
        _JavaScript("_static/copybutton.js", priority=500, **{"async": "async"}),
        _JavaScript("_static/mathjax/tex-chtml.js", priority=500, **{"async": "async"}),
    ]
    app = SimpleNamespace(builder=SimpleNamespace(name="html"))
    context = {"body": "<p>No maths.</p>", "script_files": list(scripts)}
    web.edit_page(app, "book/a", "page.html", context, None)
    edited = context["script_files"]
    assert [s.filename for s in edited] == ["_static/doctools.js", "", "_static/copybutton.js"]
    assert edited[0].attributes == {"defer": "defer"} and edited[0].priority == 200
    assert edited[1] == scripts[1] and edited[2] == scripts[2], "inline and async stay as they are"
    doubled = [*scripts, _JavaScript(None, body="var x = 1;")]  # Sphinx 7.4: None and ""
    options = _JavaScript(None, body="DOCUMENTATION_OPTIONS.pagename = 'a';")
    context = {"body": "<p>x</p>", "script_files": [*doubled, options]}
    web.edit_page(app, "book/a", "page.html", context, None)
    assert [s.attributes.get("body") for s in context["script_files"]] == [None, "var x = 1;", None]
    context = {"body": '<span class="math">x</span>', "script_files": list(scripts)}
    web.edit_page(app, "book/b", "page.html", context, None)
    assert any("mathjax" in s.filename for s in context["script_files"]), "maths needs MathJax"
    context = {"body": "<p>x</p>", "script_files": list(scripts)}
    web.edit_page(SimpleNamespace(builder=SimpleNamespace(name="epub")), "b", "", context, None)
    assert context["script_files"] == scripts, "the EPUB's pages are the EPUB module's business"


def test_search_as_you_type_fails_the_build_when_it_starts():
    from sphinx.errors import ConfigError

    config = SimpleNamespace(html_theme_options={"search_as_you_type": True})
    with pytest.raises(ConfigError, match="search_as_you_type"):
        web.check_config(None, config)
    web.check_config(None, SimpleNamespace(html_theme_options={}))


def test_the_finder_locates_elements_whatever_their_attributes_and_content():
    text = (
        "<head><script src='a.js' defer></script></head>"
        '<body><div class="x"><div>inner</div></div>'
        "<script>if (a < b) { document.write('<div>not an element</div>'); }</script></body>"
    )
    divs = markup.elements(text, "div")
    assert [text[d.start : d.end] for d in divs] == [
        '<div class="x"><div>inner</div></div>',
        "<div>inner</div>",
    ], "a script's content is not markup"
    script = markup.elements(text, "script")[0]
    assert script.attrs == {"src": "a.js", "defer": None}
    assert markup.splice("abcdef", [(4, 5, "E"), (0, 1, "A")]) == "AbcdEf"
    with pytest.raises(ValueError, match="overlapping"):
        markup.splice("abcdef", [(0, 3, ""), (2, 4, "")])


def test_the_table_of_priorities_is_the_code_s():
    """booktools/sphinx/__init__.py tables every handler connected with a priority."""
    import ast
    import re

    import booktools.sphinx

    folder = Path(booktools.sphinx.__file__).parent
    connected = set()
    for module in folder.glob("*.py"):
        for call in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "connect":
                priority = [k.value.value for k in call.keywords if k.arg == "priority"]
                if priority:
                    event, handler = call.args[0].value, ast.unparse(call.args[1])
                    connected.add((event, f"{module.stem}.{handler}", priority[0]))
    tabled = {
        (event, handler, int(priority))
        for event, handler, priority in re.findall(
            r"^([a-z-]+)\s+``([\w.]+)``\s+(\d+)", booktools.sphinx.__doc__, re.M
        )
    }
    assert connected == tabled, (connected - tabled, tabled - connected)
