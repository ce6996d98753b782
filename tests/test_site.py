"""The built HTML book: every page of _toc.yml is there, and its outputs are clean.

`make test` builds the book (from the execution cache) before running pytest,
so these tests read the site the build just wrote.
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from booktools import extract_tests, paths

HTML = paths.HTML
PAGES = [path.with_suffix(".html") for path in extract_tests.toc_files()]

# What must never reach a reader: TensorFlow's C++ log lines (absl format, such
# as "I0000 00:00:17... port.cc:153] ..."), Python warnings, Keras's progress
# bars and the carriage returns that draw them, and terminal colour codes.
DEBRIS = {
    "an absl/TensorFlow log line": re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d", re.M),
    "an absl notice": re.compile(r"absl::|InitializeLog"),
    "a oneDNN notice": re.compile(r"oneDNN"),
    "a TensorFlow source path": re.compile(r"tensorflow/(core|compiler|tsl)/"),
    "a Python warning": re.compile(r"\w*Warning: "),
    # TensorFlow's Python logger writes to stdout in a notebook, so -W cannot catch it
    "a TensorFlow/absl log message": re.compile(r"^(WARNING|ERROR|INFO):(tensorflow|absl)", re.M | re.I),
    # "12/938 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step" (not the box lines of model.summary())
    "a progress bar": re.compile(r"\d+/\d+ [━─]+|\[=+>?\.*\]"),
    "a carriage return": re.compile(r"\r"),
    "a terminal colour code": re.compile(r"\x1b\["),
}


def page(relative: Path) -> BeautifulSoup:
    path = HTML / relative
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first (`make book`; `make test` does it)")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_page_is_built_with_a_title(relative):
    soup = page(relative)
    assert soup.find("h1") is not None and soup.find("h1").get_text(strip=True)


@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_cell_outputs_are_clean(relative):
    soup = page(relative)
    assert not soup.select(".output.stderr"), "a cell wrote to stderr"
    assert not soup.select(".output.traceback"), "a cell's output is a traceback"
    for output in soup.select(".cell_output"):
        text = output.get_text()
        for what, pattern in DEBRIS.items():
            match = pattern.search(text)
            assert match is None, f"{relative}: {what} in a cell output: {text[:300]!r}"


@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_images_are_local_and_have_alt_text(relative):
    for image in page(relative).find_all("img"):
        source = image.get("src", "")
        assert not re.match(r"^(https?:)?//", source), f"{relative}: hot-linked image {source}"
        if source.startswith("data:"):
            continue
        assert (HTML / relative).parent.joinpath(source).resolve().is_file(), source
        assert image.get("alt", "").strip(), f"{relative}: image {source} has no alt text"


def test_the_debris_patterns_catch_what_they_should():
    """The patterns above would catch the real thing (so the clean pass means something)."""
    samples = {
        "an absl/TensorFlow log line": "I0000 00:00:1795632997.308771    2107 port.cc:153] oneDNN custom",
        "a Python warning": "UserWarning: Do not pass an `input_shape`",
        "a progress bar": "938/938 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step",
        "a carriage return": "Epoch 1/10\r 12/938",
        "a TensorFlow/absl log message": "WARNING:tensorflow:5 out of the last 5 calls to <function",
    }
    for what, sample in samples.items():
        assert DEBRIS[what].search(sample), what
    clean = [
        "938/938 - 2s - 2ms/step - accuracy: 0.9023",  # fit(..., verbose=2)
        "┏━━━━━━━━━━━━━━━┳━━━━━━━━━┓\n┃ Layer (type)  ┃ Param # ┃",  # model.summary()
    ]
    for sample in clean:
        assert not any(pattern.search(sample) for pattern in DEBRIS.values()), sample


@pytest.mark.parametrize("chapter", extract_tests.chapters(), ids=lambda c: c.name)
def test_each_chapter_offers_its_notebook_and_source(chapter):
    """The side bar links to the chapter as .ipynb (made from its source) and to its .md."""
    import nbformat

    relative = chapter.path.with_suffix(".html")
    links = {a["href"] for a in page(relative).select(".sidebar-downloads a")}
    notebook_link = next(link for link in links if link.endswith(".ipynb"))
    notebook = nbformat.read(HTML / relative.parent / notebook_link, as_version=4)
    nbformat.validate(notebook)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert "setup" in notebook.cells[0].metadata.get("tags", []), "the notebook opens with its set-up cell"
    assert code[1:] == [cell.source for cell in chapter.cells]
    source_link = next(link for link in links if link.endswith(".md"))
    assert (HTML / relative.parent / source_link).read_text(encoding="utf-8") == (
        paths.ROOT / chapter.path
    ).read_text(encoding="utf-8")


def launch_settings():
    import yaml

    config = yaml.safe_load((paths.CONFIG).read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/")
    org_repo = url.removeprefix("https://github.com/")
    return url, org_repo, config["repository"]["branch"]


@pytest.mark.parametrize("chapter", extract_tests.chapters(), ids=lambda c: c.name)
def test_launch_buttons_open_the_chapter_as_a_notebook(chapter):
    """Colab and Binder open book/<chapter>.ipynb from the launch branch, the notebook this build made."""
    url, org_repo, branch = launch_settings()
    relative = chapter.path.with_suffix(".html")
    links = {a["href"] for a in page(relative).select(".dropdown-launch-buttons a")}
    notebook = chapter.path.with_suffix(".ipynb").as_posix()
    assert f"https://colab.research.google.com/github/{org_repo}/blob/{branch}/{notebook}" in links, links
    assert f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{notebook}" in links, links
    # booktools/publish_notebooks.py puts the site's _notebooks/<page>.ipynb at that path
    assert (HTML / "_notebooks" / notebook).is_file()


def test_the_set_up_cell_installs_the_helpers_only_where_they_are_missing(monkeypatch):
    """On Colab the first cell pip-installs `handwriting` from the launch branch; here it does nothing."""
    import importlib.util

    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    url, _, branch = launch_settings()
    chapter = extract_tests.chapters()[0]
    notebook = nbformat.read(HTML / "_notebooks" / chapter.path.with_suffix(".ipynb"), as_version=4)
    setup = notebook.cells[0].source
    shell = InteractiveShell.instance()
    line_magics = shell.magics_manager.magics["line"]
    monkeypatch.setitem(line_magics, "pip", line_magics["pip"])  # restored afterwards
    installs = []
    shell.register_magic_function(installs.append, "line", "pip")

    assert shell.run_cell(setup).success and installs == [], "handwriting is installed here"

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *args: None if name == "handwriting" else find_spec(name, *args)
    )
    assert shell.run_cell(setup).success
    assert installs == [f'install --quiet "handwriting @ git+{url}@{branch}"']


def test_previous_and_next_links_follow_the_table_of_contents():
    order = [path.with_suffix(".html").as_posix() for path in extract_tests.toc_files()]
    for index, relative in enumerate(order):
        area = page(Path(relative)).select_one(".prev-next-area")
        assert area is not None, f"{relative} has no previous/next links"
        folder = Path(relative).parent
        for selector, neighbour in (("a.left-prev", index - 1), ("a.right-next", index + 1)):
            link = area.select_one(selector)
            if 0 <= neighbour < len(order):
                assert link is not None, f"{relative} lacks {selector}"
                target = (folder / link["href"].split("#")[0]).as_posix()
                assert target == order[neighbour], f"{relative}: {selector} goes to {target}"
            else:
                assert link is None, f"{relative}: {selector} leads outside the book"
