"""The chapters as notebooks read like their pages, and run on their own.

Every published notebook (the download in the side bar, the copy in
``_sources``, and the tree booktools/publish_notebooks.py commits to the launch
branch) is plain Markdown for Jupyter, Colab and VS Code: MyST's own parser
finds no role, directive, label or other MyST-only syntax in it. The numbers
the pages glue into their text appear in the notebooks as the pages show
them. The cheapest notebooks run top to bottom in a fresh kernel outside the
checkout, their helpers installed by their own first cell.
"""

import json
import subprocess
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup, NavigableString
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from booktools import extract_tests, notebooks, paths, publish_notebooks, run_notebooks

CHAPTERS = extract_tests.chapters()
IDS = [chapter.name for chapter in CHAPTERS]

#: MyST with every extension the book enables (and more): what a MyST reader would see.
MYST = create_md_parser(
    MdParserConfig(
        enable_extensions={
            "amsmath",
            "colon_fence",
            "deflist",
            "dollarmath",
            "substitution",
            "fieldlist",
            "attrs_inline",
        }
    ),
    RendererHTML,
)
#: Token types that only MyST has: a Jupyter front end would show their source.
MYST_ONLY = {
    "myst_role": "a role",
    "myst_target": "a label",
    "myst_line_comment": "a MyST comment",
    "myst_block_break": "a block break (+++)",
    "substitution_inline": "a substitution",
    "substitution_block": "a substitution",
    "field_list_open": "a field list",
}


def myst_left_in(markdown: str) -> list[str]:
    """What MyST syntax ``markdown`` holds, named."""
    found = []
    tokens = MYST.parse(markdown)
    for token in tokens + [child for parent in tokens for child in parent.children or []]:
        if token.type in MYST_ONLY:
            found.append(f"{MYST_ONLY[token.type]}: {token.content or token.meta}")
        elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            found.append(f"a directive: {token.info.strip()}")
    if "{glue" in markdown:
        found.append("a glue role or directive")
    return found


def markdown_of(book) -> str:
    return "\n\n".join(cell.source for cell in book.cells if cell.cell_type == "markdown")


def published(chapter, folder: str) -> Path:
    path = paths.HTML / folder / chapter.path.with_suffix(".ipynb")
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first (`make book`)")
    return path


@pytest.mark.built
def test_the_checker_finds_myst():
    """The check below would catch what the old notebooks held (so its clean pass means something)."""
    samples = [
        "The loss is {glue:text}`loss_raw:.0f` on average.",
        "Its {term}`weights <weight>` start at random.",
        ":::{exercise}\n:label: x\n\nWhy?\n:::",
        "```{code-cell} ipython3\nx = 1\n```",
        "(fig-loss)=\n# A title",
        "See {numref}`fig-loss`.",
        "A number: {glue}`n`",
    ]
    for sample in samples:
        assert myst_left_in(sample), sample
    assert not myst_left_in("Its [weights](https://example.org/glossary.html#term-weight), $x^2$.")


@pytest.mark.built
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_myst_in_the_downloaded_notebooks(chapter):
    download = published(chapter, "_notebooks")
    book = nbformat.read(download, as_version=4)
    nbformat.validate(book)
    for number, cell in enumerate(book.cells, start=1):
        if cell.cell_type == "markdown":
            left = myst_left_in(cell.source)
            assert not left, f"{download}, cell {number}: {left}\n{cell.source[:500]}"
    assert published(chapter, "_sources").read_bytes() == download.read_bytes(), (
        "_sources holds the same notebook as the download"
    )


@pytest.mark.built
def test_no_myst_in_the_launch_branch(tmp_path, monkeypatch):
    """The tree the Pages workflow commits to the launch branch, as it commits it."""
    for name, value in [("NAME", "Test"), ("EMAIL", "test@example.org")]:
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(paths.ROOT), str(clone)], check=True)
    folder = paths.HTML / "_notebooks"
    made_from = {
        nbformat.read(path, as_version=4).metadata[notebooks.METADATA_KEY]["commit"]
        for path in folder.rglob("*.ipynb")
    }
    head = publish_notebooks.git("rev-parse", "HEAD", cwd=clone)
    if made_from != {head}:
        # A build from changed helpers (or from another commit) must not be published.
        with pytest.raises(SystemExit, match="not from HEAD"):
            publish_notebooks.publish(folder, "notebooks", clone)
        return
    publish_notebooks.publish(folder, "notebooks", clone)
    names = publish_notebooks.git("ls-tree", "--name-only", "notebooks", "book/", cwd=clone)
    branch = [name for name in names.splitlines() if name.endswith(".ipynb")]
    assert sorted(branch) == sorted(c.path.with_suffix(".ipynb").as_posix() for c in CHAPTERS)
    for name in branch:
        book = nbformat.reads(
            publish_notebooks.git("show", f"notebooks:{name}", cwd=clone), as_version=4
        )
        left = myst_left_in(markdown_of(book))
        assert not left, f"{name} on the launch branch: {left}"


def glued_on_the_page(chapter) -> list[str]:
    """Each number the page glues into its text, with the words just before it on the page."""
    page = paths.HTML / chapter.path.with_suffix(".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for span in soup.select("article .pasted-text"):
        before = span.previous_sibling
        words = ""
        if isinstance(before, NavigableString) and before.strip():
            words = " ".join(before.split()[-3:]) + (" " if before[-1].isspace() else "")
        found.append(words + span.get_text())
    return found


def text_of(markdown: str) -> str:
    html = MarkdownIt("commonmark").render(markdown)
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


@pytest.mark.built
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_glued_numbers_read_as_on_the_page(chapter):
    glued = glued_on_the_page(chapter)
    assert glued, f"{chapter.name}'s page glues no number (or the page's markup changed)"
    text = text_of(markdown_of(nbformat.read(published(chapter, "_notebooks"), as_version=4)))
    missing = [words for words in glued if " ".join(words.split()) not in text]
    assert not missing, f"{chapter.name}: the notebook lacks {missing[:5]} ({len(missing)} in all)"


def cheapest(count: int) -> list[str]:
    """The chapters that ran fastest in the build, among those that load no stored model.

    A chapter that loads a model from the store trains it when it runs on its
    own, so its time in the build says nothing about its time alone.
    """
    from jupyter_cache import get_cache

    from booktools.fingerprint import helper_modules

    if not paths.EXECUTION_CACHE.is_dir():
        pytest.fail(f"{paths.EXECUTION_CACHE} is missing: build the book first (`make book`)")
    seconds = {
        Path(record.uri).stem: record.data.get("execution_seconds")
        for record in get_cache(paths.EXECUTION_CACHE).list_cache_records()
    }
    standalone = [
        chapter.path.stem
        for chapter in CHAPTERS
        if paths.HELPERS / "store.py"
        not in helper_modules((paths.ROOT / chapter.path).read_text(encoding="utf-8"))
        and seconds.get(chapter.path.stem) is not None
    ]
    assert len(standalone) >= count, "too few chapters run without the model store"
    return sorted(standalone, key=seconds.get)[:count]


@pytest.mark.slow
def test_the_cheapest_notebooks_run_on_their_own():
    """In a fresh kernel, outside the checkout, helpers installed by the notebook's first cell."""
    import psutil

    chapters = cheapest(2)
    took = run_notebooks.run(chapters)
    assert set(took) == set(chapters)
    left = [" ".join(child.cmdline()) for child in psutil.Process().children(recursive=True)]
    assert not left, f"kernels still running after their notebooks: {left}"


# The first cell's logic, run here with pip replaced by a recorder.


@pytest.fixture
def pip_calls(monkeypatch):
    calls = []

    def recorded(command, check):
        calls.append(command[command.index("install") + 1 :])

    monkeypatch.setattr(subprocess, "run", recorded)
    return calls


@pytest.mark.unit
def test_the_first_cell_installs_nothing_where_the_helpers_are_right(pip_calls):
    right = notebooks.helpers_digest(paths.HELPERS)
    notebooks.install_helpers("handwriting @ git+https://x/y@abc", helpers=right, glue="myst-nb")
    assert pip_calls == []


@pytest.mark.unit
def test_the_first_cell_installs_missing_helpers_at_its_commit(pip_calls, monkeypatch):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name in ("handwriting", "myst_nb") else find_spec(name, *args),
    )
    pinned = "handwriting @ git+https://x/y@abc"
    notebooks.install_helpers(pinned, helpers="0" * 64, glue="myst-nb==1.4.0")
    assert pip_calls == [
        ["--quiet", "--no-deps", "--force-reinstall", pinned],
        ["--quiet", "myst-nb==1.4.0"],
    ]


@pytest.mark.unit
def test_the_first_cell_leaves_a_checkout_alone(pip_calls, capsys):
    """Here the helpers are this checkout's, installed editable: other helpers only warn."""
    notebooks.install_helpers("handwriting @ git+https://x/y@abc", helpers="0" * 64, glue="m")
    assert pip_calls == []
    assert "differ from this notebook's" in capsys.readouterr().out


@pytest.mark.unit
def test_the_first_cell_installs_the_commit_the_build_names(tmp_path):
    source = notebooks.setup_source("https://github.com/o/r", "f" * 40, "a" * 64, "myst-nb==1.4.0")
    assert f'"handwriting @ git+https://github.com/o/r@{"f" * 40}"' in source
    compile(source, "setup", "exec")  # plain Python: it runs on any front end
    unpinned = notebooks.setup_source("https://github.com/o/r", None, "a" * 64, "myst-nb==1.4.0")
    assert "install_helpers(\n    None," in unpinned


@pytest.mark.unit
def test_a_dirty_helper_means_no_commit_holds_them(tmp_path):
    repo = tmp_path / "repo"
    (repo / "handwriting").mkdir(parents=True)
    (repo / "handwriting" / "data.py").write_text("A = 1\n")
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "T"}
    env |= {"GIT_COMMITTER_EMAIL": "t@x", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert notebooks.helpers_commit(repo) == head
    (repo / "handwriting" / "data.py").write_text("A = 2\n")
    assert notebooks.helpers_commit(repo) is None
    assert notebooks.helpers_commit(tmp_path / "elsewhere") is None


@pytest.mark.unit
@pytest.mark.parametrize(
    "source, reason",
    [
        (
            "from myst_nb import glue\nfrom h import use_book_style\nuse_book_style()",
            "figure style",
        ),
        ('glue("n", 1, display=False)', "hands the text its numbers (glue)"),
        ("assert x > 0", "checks what the text claims"),
        ("published = {}", "names the values the book's tests check again"),
        ("x = 1", "code the page runs without showing it"),
    ],
)
def test_a_hidden_cell_says_why_it_is_there(source, reason):
    comment = notebooks.hidden_comment(source)
    assert comment.startswith(notebooks.HIDDEN) and reason in comment and "\n" not in comment


@pytest.mark.built
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_every_cell_of_the_chapter_is_in_its_notebook(chapter):
    """Hidden cells included, in the chapter's order, each hidden one with its comment first."""
    book = nbformat.read(published(chapter, "_notebooks"), as_version=4)
    code = [cell for cell in book.cells[1:] if cell.cell_type == "code"]
    shown = []
    for cell in code:
        lines = cell.source.split("\n")
        hidden = "remove-cell" in cell.metadata.get("tags", [])
        assert lines[0].startswith(notebooks.HIDDEN) == hidden, cell.source[:200]
        shown.append("\n".join(lines[1:]) if hidden else cell.source)
    assert shown == [cell.source for cell in chapter.cells]
    made_from = json.loads(json.dumps(book.metadata[notebooks.METADATA_KEY]))
    assert made_from["helpers_sha256"] == notebooks.helpers_digest(paths.HELPERS)


@pytest.mark.built
def test_the_built_first_cell_installs_nothing_here(pip_calls):
    """This checkout's helpers are those the build pinned: its notebooks' first cell does nothing."""
    book = nbformat.read(published(CHAPTERS[0], "_notebooks"), as_version=4)
    assert "setup" in book.cells[0].metadata.get("tags", [])
    exec(compile(book.cells[0].source, "set-up cell", "exec"), {})
    assert pip_calls == []
