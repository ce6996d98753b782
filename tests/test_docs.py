"""What the documentation names exists: every file path and every Python name.

README.md and CONTRIBUTING.md are read with markdown-it-py (their code spans,
code blocks and links), _config.yml with PyYAML (its values) and line by line
for its comments (which no YAML parser keeps), and every module's docstring with
``ast``. A path is checked when it starts at a folder or file of the project;
a Python name when it starts with ``handwriting.`` or ``booktools.``; a command
``python -m <module>`` when its module is the project's.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest

from booktools import paths

pytestmark = pytest.mark.unit

ROOT = paths.ROOT
#: The project's own packages: a dotted name that starts with one must resolve.
PACKAGES = ("handwriting", "booktools")
#: What the build or a tool makes, which a fresh checkout does not hold.
GENERATED = ("_build", ".venv", "node_modules")
#: File names a path may end with (a token without one of these is not a path).
SUFFIXES = (".py", ".md", ".yml", ".yaml", ".toml", ".txt", ".cff", ".json", ".mjs", ".cjs")
SUFFIXES += (".js", ".css", ".html", ".bib", ".sh")
PATH = re.compile(r"(?<![\w/.<-])\.?[\w][\w.-]*(?:/[\w.-]+)*/?(?![\w/<-])")
NAME = re.compile(r"\b(?:handwriting|booktools)(?:\.\w+)+")
MODULE_RUN = re.compile(r"-m\s+((?:handwriting|booktools)(?:\.\w+)*)")


@cache
def top_level() -> frozenset[str]:
    """The files and folders at the project's top, as a fresh checkout has them."""
    return frozenset(path.name for path in ROOT.iterdir() if path.name not in GENERATED)


def is_project_path(token: str) -> bool:
    first = token.split("/")[0]
    if first not in top_level() or any(char in token for char in "<>*{}$"):
        return False
    return token.endswith("/") or token.endswith(SUFFIXES) or "/" in token


def exists(token: str) -> bool:
    """Whether the file a path names exists, or its source: a page of the built site and a
    chapter's notebook are made from the chapter (book/mnist.html, .ipynb: book/mnist.md)."""
    path = ROOT / token
    made = path.suffix in (".html", ".ipynb") and path.with_suffix(".md").is_file()
    return path.exists() or made


def missing_paths(text: str) -> list[str]:
    found = {token.rstrip(".,;:)") for token in PATH.findall(text)}
    return sorted(token for token in found if is_project_path(token) and not exists(token))


def resolves(name: str) -> bool:
    """Whether a dotted name is a module of the project, or an attribute of one."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def missing_names(text: str) -> list[str]:
    names = set(NAME.findall(text)) | set(MODULE_RUN.findall(text))
    return sorted(name for name in names if not resolves(name))


def markdown_snippets(path: Path) -> str:
    """The code spans, code blocks and link targets of a Markdown file, one a line."""
    from markdown_it import MarkdownIt

    snippets = []
    for token in MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8")):
        if token.type in ("fence", "code_block"):
            snippets.append(token.content)
        for child in token.children or []:
            if child.type == "code_inline":
                snippets.append(child.content)
            elif child.type == "link_open" and "://" not in child.attrs.get("href", "://"):
                snippets.append(str(child.attrs["href"]).split("#")[0])
    return "\n".join(snippets)


def config_text() -> str:
    """_config.yml's values (through PyYAML) and its comments."""
    import yaml

    text = paths.CONFIG.read_text(encoding="utf-8")
    values = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            values.append(value)

    walk(yaml.safe_load(text))
    comments = [
        line.split("#", 1)[1] for line in text.splitlines() if line.lstrip().startswith("#")
    ]
    return "\n".join(values + comments)


def python_files() -> list[Path]:
    folders = ("booktools", "handwriting", "scripts", "tests")
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


SOURCES = {
    "README.md": lambda: markdown_snippets(ROOT / "README.md"),
    "CONTRIBUTING.md": lambda: markdown_snippets(ROOT / "CONTRIBUTING.md"),
    "_config.yml": config_text,
    **{
        f"{path.relative_to(ROOT).as_posix()} (docstring)": lambda path=path: docstring(path)
        for path in python_files()
    },
}


@pytest.mark.parametrize("source", SOURCES)
def test_every_path_named_exists(source):
    missing = missing_paths(SOURCES[source]())
    assert not missing, f"{source} names files that do not exist: {missing}"


@pytest.mark.parametrize("source", SOURCES)
def test_every_python_name_named_exists(source):
    missing = missing_names(SOURCES[source]())
    assert not missing, f"{source} names Python objects that do not exist: {missing}"


def test_the_checks_find_what_is_gone():
    text = (
        "See `book/_ext/book_site.py`, book/, `requirements.txt`, `_build/html/x.html`,\n"
        "book/mnist.html and book/gone.html;\n"
        "call handwriting.use_book_style() or handwriting.style.use_book_style(),\n"
        "run python -m booktools.nothing or python -m booktools.cells."
    )
    assert missing_paths(text) == ["book/_ext/book_site.py", "book/gone.html"]
    assert missing_names(text) == ["booktools.nothing", "handwriting.use_book_style"]
    assert "x.py" in markdown_snippets_of("Run `x.py` or [it](y.md#top), not <https://z.md>.")


def markdown_snippets_of(text: str) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_text(text, encoding="utf-8")
        snippets = markdown_snippets(path)
    assert "y.md" in snippets and "z.md" not in snippets
    return snippets


def test_no_measured_table_of_the_readme_was_edited_by_hand():
    from booktools import readme

    edited = readme.edited_by_hand()
    assert not edited, (
        f"README.md's {edited} tables differ from what their measurement wrote: measure again "
        "(make test; python scripts/benchmark.py) and copy them with python -m booktools.readme"
    )


def test_a_table_edited_by_hand_is_found(tmp_path):
    from booktools import readme

    copy = tmp_path / "README.md"
    copy.write_text("# R\n<!-- lighthouse:start -->\nold\n<!-- lighthouse:end -->\n")
    readme.write_section("lighthouse", "| a | 1 |\n", copy)
    assert readme.edited_by_hand(copy) == []
    assert "| a | 1 |" in copy.read_text()
    copy.write_text(copy.read_text().replace("| a | 1 |", "| a | 2 |"))
    assert readme.edited_by_hand(copy) == ["lighthouse"]
