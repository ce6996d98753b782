"""The glossary's terms, and the first use of each on every page linked to it.

``book/glossary.md`` defines the book's terms with Sphinx's ``glossary``
directive. On every other page the first use of a term in prose (not in a
heading, code, maths, a role, a link or a directive's options: see
``booktools/prose.py``, which finds the prose with MyST's own parser) must be a
``{term}`` role, so that a reader can look the word up where they meet it:

    python -m booktools.glossary            # list first uses that are not linked
    python -m booktools.glossary --fix      # link them
    python -m booktools.glossary --fix book/mnist.md   # in one page

A term matches in the singular or plural (``weight``, ``weights``; ``batch``,
``batches``) and in any case; its link keeps the page's wording:
``{term}`Weights <weight>```.

The longest term wins: where "activation function" is written, that is the
term used, and "activation" is neither linked inside it nor counted as used
there. A link to a shorter term inside a longer one (``{term}`activation`
function``) is reported too, and ``--fix`` unwraps it before linking the longer
term. ``tests/test_pages.py`` runs the check, and lists the terms that no page
links.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from booktools import paths, prose

GLOSSARY = paths.BOOK / "glossary.md"

#: Pages whose prose is not checked: the glossary itself, the bibliography.
UNCHECKED = {"glossary", "references"}


def terms(glossary: Path = GLOSSARY) -> list[str]:
    """The terms the glossary defines, in its order.

    In the body of the ``glossary`` directive (found by the parser, after its
    options), a term is a line that starts in the first column; its definition
    is indented under it.
    """
    text = glossary.read_text(encoding="utf-8")
    for token in prose.parser().parse(text, {}):
        if token.type in ("fence", "colon_fence") and token.info.strip() == "{glossary}":
            ((body, _),) = prose.directive_body(token, titled=True)
            return [line.strip() for line in body.splitlines() if line[:1].strip()]
    raise ValueError(f"{glossary} has no glossary directive (```{{glossary}})")


@functools.cache
def _pattern(term: str) -> re.Pattern:
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"(?<![\w\-/.])" + r"\s+".join(words) + r"(?:s|es)?(?![\w\-])", re.I)


@dataclass(frozen=True)
class Use:
    """A term written in a page's prose: where (offsets in the page), and which term."""

    start: int
    end: int
    term: str


def uses(view: prose.View, glossary_terms: Iterable[str]) -> list[Use]:
    """Every use of a term in ``view``, the longest term winning where two overlap.

    "activation" inside "activation function" is no use of "activation": it is
    part of the longer term's use. Offsets are the page's.
    """
    found = [
        (match.start(), match.end(), term)
        for term in glossary_terms
        for match in _pattern(term).finditer(view.text)
    ]
    kept: list[tuple[int, int, str]] = []
    for start, end, term in sorted(found, key=lambda use: (use[0] - use[1], use[0])):
        if all(end <= a or b <= start for a, b, _ in kept):
            kept.append((start, end, term))
    return [Use(*view.where(start, end), term) for start, end, term in sorted(kept)]


def term_links(text: str, name: str = "the page") -> list[prose.Role]:
    """The ``{term}`` roles of a page's prose, in page order (``name``: the page, for errors)."""
    return [
        role
        for paragraph in prose.paragraphs(text, name)
        for role in paragraph.roles
        if role.name == "term"
    ]


def linked_terms(text: str, name: str = "the page") -> dict[str, int]:
    """The terms a page links, each with the offset of its first link."""
    found: dict[str, int] = {}
    for role in term_links(text, name):
        found.setdefault(role.target.lower(), role.start)
    return found


def first_uses(
    text: str, glossary_terms: list[str], name: str = "the page"
) -> list[tuple[int, int, str]]:
    """(start, end, term) of each term's first use in prose that comes before its first link."""
    links = linked_terms(text, name)
    first: dict[str, Use] = {}
    for paragraph in prose.paragraphs(text, name):
        for use in uses(paragraph.view(), glossary_terms):
            first.setdefault(use.term.lower(), use)
    return sorted(
        (use.start, use.end, use.term)
        for term, use in first.items()
        if use.start < links.get(term, len(text))
    )


def links_inside_longer_terms(
    text: str, glossary_terms: list[str], name: str = "the page"
) -> list[tuple[prose.Role, str]]:
    """Each ``{term}`` link that covers part of a longer term's use, with that term.

    ``{term}`activation` function`` links "activation" where the page writes
    "activation function": read with its links shown as their words, the page
    uses the longer term there, and the link points at the wrong definition.
    """
    found = []
    for paragraph in prose.paragraphs(text, name):
        view = paragraph.view(show={"term"})
        for use in uses(view, glossary_terms):
            for role in paragraph.roles:
                inside = use.start <= role.start and role.end <= use.end
                if role.name == "term" and inside and role.target.lower() != use.term.lower():
                    found.append((role, use.term))
    return found


@dataclass
class Problem:
    """Something wrong with a page's glossary links."""

    path: Path
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{prose.shown_path(self.path)}:{self.line}: {self.text!r} ({self.why})"


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def check(path: Path, glossary_terms: list[str], text: str | None = None) -> list[Problem]:
    """A page's first uses left unlinked, and its links inside longer terms.

    ``text`` is the page's text, read from ``path`` unless given.
    """
    text = path.read_text(encoding="utf-8") if text is None else text
    problems = [
        Problem(path, _line(text, role.start), text[role.start : role.end], f"inside {term!r}")
        for role, term in links_inside_longer_terms(text, glossary_terms, path)
    ]
    problems += [
        Problem(path, _line(text, start), text[start:end], term)
        for start, end, term in first_uses(text, glossary_terms, path)
    ]
    return sorted(problems, key=lambda problem: problem.line)


def _replace(text: str, changes: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(changes, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def link(text: str, glossary_terms: list[str], name: str = "the page") -> str:
    """``text`` with its links inside longer terms unwrapped and the first use of every term linked."""
    text = _replace(
        text,
        [
            (role.start, role.end, role.shown)
            for role, _ in links_inside_longer_terms(text, glossary_terms, name)
        ],
    )
    changes = []
    for start, end, term in first_uses(text, glossary_terms, name):
        words = " ".join(text[start:end].split())
        role = (
            f"{{term}}`{words}`" if words.lower() == term.lower() else f"{{term}}`{words} <{term}>`"
        )
        changes.append((start, end, role))
    return _replace(text, changes)


def orphans(pages: list[Path], glossary_terms: list[str]) -> list[str]:
    """The terms that no page links, in the glossary's order."""
    linked = {
        role.target.lower()
        for page in pages
        for role in term_links(page.read_text(encoding="utf-8"), page)
    }
    return [term for term in glossary_terms if term.lower() not in linked]


def pages() -> list[Path]:
    from booktools.extract_tests import toc_files

    return [paths.ROOT / path for path in toc_files() if path.stem not in UNCHECKED]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="link the first uses")
    parser.add_argument("page", nargs="*", type=Path, help="pages to check (default: all)")
    args = parser.parse_args(argv)
    glossary_terms = terms()
    problems = []
    for path in [page.resolve() for page in args.page] or pages():
        if args.fix:
            text = path.read_text(encoding="utf-8")
            fixed = link(text, glossary_terms, path)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
        problems += check(path, glossary_terms)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
