"""The prose of a MyST page, found by MyST's own parser.

A chapter mixes prose with much that is not prose: code cells, maths, roles
such as ``{glue:text}``, links, directive options, the front matter. The
glossary linker (``booktools/glossary.py``) must link terms in the prose only,
and the page-length test (``tests/test_pages.py``) counts the prose's words.
Both take it from here.

The page is parsed by markdown-it-py built exactly as ``myst_parser`` builds it
for the book (``create_md_parser``, with the MyST settings Jupyter Book derives
from ``_config.yml``: colon fences, dollar maths, amsmath, definition lists,
front matter, MyST roles and directives). Prose is the text of

- paragraphs, wherever they are: at the top level, in list items, block
  quotes and definitions;
- the terms of definition lists;
- the bodies of the directives in :data:`PROSE_DIRECTIVES` (admonitions,
  exercises and solutions, a figure's caption), parsed in turn as MyST, after
  their options.

Not prose: headings, tables, code (fenced, indented, inline), maths (inline,
display, amsmath), roles (``{term}``, ``{glue:text}``, ``{doc}`` ...), links and
images, HTML, comments, targets, block breaks, front matter, directive options
and the bodies of every other directive (``code-cell``, ``raw``, ``only``,
``glossary`` ...).

markdown-it's inline tokens do not say where in the page they came from, so
each paragraph's inline rules are run once more in markdown-it's own loop
(:func:`_inline_matches`, the loop of ``ParserInline.tokenize`` in
markdown-it-py 3.0), noting where each rule matched; whatever no rule but the
plain-text one consumed is prose.

    python -m booktools.prose            # every page's prose words, longest first
    python -m booktools.prose book/mnist.md --show   # the prose itself, one paragraph a line
"""

from __future__ import annotations

import argparse
import bisect
import functools
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path

from docutils.parsers.rst import Directive

from booktools import paths

#: Directives whose body is prose, each with whether it takes an argument on its
#: first line (a title or a label: True) or starts its body there (False).
PROSE_DIRECTIVES = {
    "admonition": True,
    "attention": False,
    "caution": False,
    "danger": False,
    "error": False,
    "hint": False,
    "important": False,
    "note": False,
    "seealso": False,
    "tip": False,
    "warning": False,
    "exercise": True,
    "solution": True,
    "figure": True,  # its body is the caption, then the legend
    "dropdown": True,
    "margin": True,
    "sidebar": True,
    "topic": True,
}

#: Inline tokens that are running text; every other token (code, maths, a role,
#: a link, an image, HTML, an escaped character or entity) is not prose.
PROSE_TOKENS = {"text", "softbreak", "hardbreak"}

#: Block tokens whose inline content is prose.
PROSE_BLOCKS = {"paragraph_open", "dt_open"}

#: A word: letters or digits, with inner apostrophes or hyphens ("don't", "one-hot").
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class ProseError(ValueError):
    """The page's text and the parser's view of it cannot be lined up."""


@functools.cache
def parser():
    """markdown-it-py set up as ``myst_parser`` sets it up for the book.

    The MyST settings are the ones Jupyter Book hands Sphinx for ``_config.yml``
    (``jupyter_book.config.get_final_config``, which ``jupyter-book build`` calls).
    """
    from jupyter_book.config import get_final_config
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    sphinx_config, _ = get_final_config(
        user_yaml=paths.CONFIG,
        cli_config={"latex_individualpages": False},
        sourcedir=paths.ROOT,
    )
    names = {option.name for option in fields(MdParserConfig)}
    settings = {
        key[len("myst_") :]: value
        for key, value in sphinx_config.items()
        if key.startswith("myst_") and key[len("myst_") :] in names
    }
    return create_md_parser(MdParserConfig(**settings), RendererHTML)


@dataclass(frozen=True)
class Role:
    """A MyST role in prose, such as ``{term}`weights <weight>```."""

    name: str
    content: str
    start: int  # where it is in the page
    end: int

    def _parts(self) -> tuple[str, str]:
        match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", self.content, re.S)
        shown, target = match.groups() if match else (self.content, self.content)
        return " ".join(shown.split()), " ".join(target.split())

    @property
    def shown(self) -> str:
        """What the reader sees: the text before ``<target>``, or the whole content."""
        return self._parts()[0]

    @property
    def target(self) -> str:
        """What it refers to: ``<target>``, or the whole content."""
        return self._parts()[1]


@dataclass(frozen=True)
class Piece:
    """A stretch of a paragraph: prose (``shown`` is its text, ``"\\n"`` for a
    line break) or not (``shown`` is None), perhaps a role."""

    start: int
    end: int
    shown: str | None
    role: Role | None = None


@dataclass
class View:
    """A paragraph as a string to search, and the stretch of the page each character stands for."""

    text: str
    spans: list[tuple[int, int]]

    def where(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the page that ``text[start:end]`` stands for."""
        return self.spans[start][0], self.spans[end - 1][1]


@dataclass
class Paragraph:
    """One paragraph of prose (or a list item's, a definition's, a term's), in page order."""

    pieces: list[Piece]
    line: int  # 1-based line of the page where it starts

    @property
    def roles(self) -> list[Role]:
        return [piece.role for piece in self.pieces if piece.role is not None]

    def view(self, show: frozenset[str] | set[str] = frozenset()) -> View:
        """The paragraph as a string: prose as it is, each other stretch as one NUL
        character, except roles named in ``show``, which read as what they show."""
        text, spans = [], []
        for piece in self.pieces:
            if piece.shown is not None:
                shown = piece.shown
            elif piece.role is not None and piece.role.name in show:
                shown = piece.role.shown
            else:
                shown = "\0"
            if len(shown) == piece.end - piece.start:
                spans += [(piece.start + i, piece.start + i + 1) for i in range(len(shown))]
            else:
                spans += [(piece.start, piece.end)] * len(shown)
            text.append(shown)
        return View("".join(text), spans)

    def words(self) -> int:
        return len(WORD.findall(self.view().text))


@dataclass
class _Page:
    text: str
    name: str
    line_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        if "\r" in self.text:
            raise ProseError(f"{self.name} has carriage returns: save it with Unix line ends (\\n)")
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line(self, number: int) -> str:
        """Line ``number`` (0-based), without its line end."""
        start = self.line_starts[number]
        end = self.text.find("\n", start)
        return self.text[start : len(self.text) if end < 0 else end]


def _inline_matches(src: str) -> list[tuple[int, int, list]]:
    """Where each inline rule of the parser matched in ``src``, with the tokens it made.

    The loop of ``markdown_it.parser_inline.ParserInline.tokenize`` (markdown-it-py
    3.0.0), which keeps no positions, with each match's start and end noted.
    Characters that no rule consumes, and the plain-text rule's, are text.
    """
    from markdown_it.rules_inline import StateInline

    md = parser()
    state = StateInline(src, md, {}, [])
    rules = md.inline.ruler.getRules("")
    matches = []
    while state.pos < state.posMax:
        start, made = state.pos, len(state.tokens)
        if any(rule(state, False) for rule in rules):
            matches.append((start, state.pos, state.tokens[made:]))
        else:
            state.pending += src[state.pos]
            state.pos += 1
    return matches


def _paragraph(page: _Page, content: str, first_line: int) -> Paragraph:
    """The pieces of an inline token's ``content``, whose first line is line ``first_line`` of the page."""
    # Where each line of the content starts in the page: each is the end of its
    # page line, after the container's markers and indentation (the last one
    # without trailing spaces).
    starts, offset, content_starts = [], 0, []
    for number, part in enumerate(content.split("\n")):
        line = page.line(first_line + number)
        if line.endswith(part):
            column = len(line) - len(part)
        elif line.rstrip().endswith(part):
            column = len(line.rstrip()) - len(part)
        else:
            raise ProseError(
                f"{page.name}, line {first_line + number + 1}: the parser read {part!r}"
                f" from {line!r}; indent with spaces, not tabs"
            )
        starts.append(page.line_starts[first_line + number] + column)
        content_starts.append(offset)
        offset += len(part) + 1

    def at(index: int) -> int:
        number = bisect.bisect_right(content_starts, index) - 1
        return starts[number] + index - content_starts[number]

    pieces: list[Piece] = []

    def add_prose(start: int, end: int) -> None:
        for match in re.finditer(r"[^\n]+|\n", content[start:end]):
            a, b = start + match.start(), start + match.end()
            if match.group() == "\n":
                number = bisect.bisect_right(content_starts, a)
                pieces.append(Piece(at(a), starts[number], "\n"))
            else:
                pieces.append(Piece(at(a), at(b - 1) + 1, match.group()))

    done = 0
    for start, end, tokens in _inline_matches(content):
        if all(token.type in PROSE_TOKENS for token in tokens):
            continue
        add_prose(done, start)
        role = next((token for token in tokens if token.type == "myst_role"), None)
        page_start, page_end = at(start), at(end - 1) + 1
        pieces.append(
            Piece(
                page_start,
                page_end,
                None,
                Role(role.meta["name"], role.content, page_start, page_end) if role else None,
            )
        )
        done = end
    add_prose(done, len(content))
    return Paragraph(pieces, first_line + 1)


class _TitledDirective(Directive):
    """What ``myst_parser``'s directive parser reads of a directive: it may have
    options (read as YAML: none is checked), an argument and content."""

    option_spec = {"class": str}  # not empty, so that an options block is looked for
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True


def directive_body(token, titled: bool) -> list[tuple[str, int]]:
    """A directive's body without its options: its stretches of text, each with
    the line of the token it starts on.

    An untitled directive (a ``note``) may start its body on its own first
    line; that line is a stretch of its own, since options may follow it.
    """
    from myst_parser.parsers.directives import parse_directive_text

    first_line = re.sub(r"^\{[^}]*\}", "", token.info.strip()).strip()
    parsed = parse_directive_text(
        _TitledDirective, first_line, token.content, validate_options=False
    )
    body = [("\n".join(parsed.body), 1 + parsed.body_offset)]
    return [(first_line, 0), *body] if first_line and not titled else body


def _walk(page: _Page, source: str, first_line: int, found: list[Paragraph]) -> None:
    """Add the prose paragraphs of ``source``, whose first line is line ``first_line`` of the page."""
    md = parser()
    open_blocks: list[str] = []
    for token in md.parse(source, {}):
        if token.nesting == 1:
            open_blocks.append(token.type)
        elif token.nesting == -1:
            open_blocks.pop()
        elif token.type == "inline":
            if open_blocks and open_blocks[-1] in PROSE_BLOCKS:
                found.append(_paragraph(page, token.content, first_line + token.map[0]))
        elif token.type in ("fence", "colon_fence"):
            name = re.match(r"\{([^}\s]+)\}", token.info.strip())
            if name and name.group(1) in PROSE_DIRECTIVES:
                for body, offset in directive_body(token, PROSE_DIRECTIVES[name.group(1)]):
                    _walk(page, body, first_line + token.map[0] + offset, found)


def paragraphs(text: str, name: str = "the page") -> list[Paragraph]:
    """The prose paragraphs of a MyST page's ``text``, in page order.

    ``name`` (the page's path) is what an error about the page calls it.
    """
    page = _Page(text, str(name))
    found: list[Paragraph] = []
    _walk(page, text, 0, found)
    return found


def word_count(text: str, name: str = "the page") -> int:
    """How many words of prose a MyST page's ``text`` has."""
    return sum(paragraph.words() for paragraph in paragraphs(text, name))


def shown_path(path: Path) -> str:
    """``path`` relative to the project when it is inside it, for messages."""
    return str(path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path)


def main(argv: list[str] | None = None) -> int:
    from booktools.extract_tests import toc_files

    parser_ = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser_.add_argument("page", nargs="*", type=Path, help="pages (default: every page)")
    parser_.add_argument("--show", action="store_true", help="print the prose itself")
    args = parser_.parse_args(argv)
    pages = [page.resolve() for page in args.page] or [paths.ROOT / p for p in toc_files()]
    counts = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if args.show:
            for paragraph in paragraphs(text, page):
                shown = paragraph.view().text.replace("\0", "·").replace("\n", " ")
                print(f"{page.name}:{paragraph.line}: {shown}")
        counts.append((word_count(text, page), page))
    for count, page in sorted(counts, key=lambda item: -item[0]):
        print(f"{count:6,}  {shown_path(page)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
