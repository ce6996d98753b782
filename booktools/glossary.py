"""The glossary's terms, and the first use of each on every page linked to it.

``book/glossary.md`` defines the book's terms with Sphinx's ``glossary``
directive. On every other page the first use of a term in prose (not in a
heading, code, maths, a link or a directive's options) must be a ``{term}``
role, so that a reader can look the word up where they meet it:

    python -m booktools.glossary            # list first uses that are not linked
    python -m booktools.glossary --fix      # link them
    python -m booktools.glossary --fix book/mnist.md   # in one page

A term matches in the singular or plural (``weight``, ``weights``; ``batch``,
``batches``) and in any case; its link keeps the page's wording:
``{term}`Weights <weight>```. ``tests/test_pages.py`` runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from booktools import paths

GLOSSARY = paths.BOOK / "glossary.md"

#: Pages whose prose is not checked: the glossary itself, the bibliography.
UNCHECKED = {"glossary", "references"}

#: Directives whose content is not prose.
NOT_PROSE = {"raw", "glossary", "bibliography", "toctree", "code", "math", "list-table"}

ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
TERM_ROLE = re.compile(r"\{term\}`([^`<]*?)\s*(?:<([^`>]+)>)?`")
INLINE = [
    ROLE,
    re.compile(r"(`+).*?\1", re.S),  # inline code
    re.compile(r"\$[^$\n]+\$"),  # inline maths
    re.compile(r"!?\[[^\]]*\]\([^)]*\)"),  # links and images
    re.compile(r"<[^>\n]+>"),  # HTML tags and autolinks
    re.compile(r"https?://\S+"),
]


def terms(glossary: Path = GLOSSARY) -> list[str]:
    """The terms the glossary defines, in its order."""
    found, inside = [], False
    for line in glossary.read_text(encoding="utf-8").splitlines():
        if re.match(r"^(```|:::)\{glossary\}", line):
            inside = True
        elif inside and re.match(r"^(```|:::)\s*$", line):
            break
        elif inside and line.strip() and not line[0].isspace() and not line.startswith(":"):
            found.append(line.strip())
    return found


def _blank(text: str) -> str:
    """``text`` with every character but the newlines replaced by NUL."""
    return re.sub(r"[^\n]", "\0", text)


def prose_mask(text: str) -> str:
    """``text`` with everything that is not prose replaced by NUL characters.

    Newlines stay, so that a term broken across two lines of a paragraph
    still matches and every offset is that of ``text``.
    """
    lines = text.splitlines(keepends=True)
    keep = [True] * len(lines)
    fence = None  # the backticks that close the code block we are in
    front_matter = False
    skip_block = False
    options = False
    math = False
    for n, line in enumerate(lines):
        stripped = line.strip()
        if n == 0 and stripped == "---":
            front_matter = True
            keep[n] = False
            continue
        if front_matter:
            keep[n] = False
            front_matter = stripped != "---"
            continue
        if fence is not None:
            keep[n] = False
            if stripped.startswith(fence) and stripped.strip("`") == "":
                fence = None
            continue
        if math:
            keep[n] = False
            math = not stripped.endswith("$$")
            continue
        opened = re.match(r"^(`{3,})", stripped)
        if opened:
            fence = opened.group(1)
            keep[n] = False
            continue
        colons = re.match(r"^(:{3,})\{?([\w-]*)\}?", stripped)
        if colons and colons.group(2):  # a directive opens
            keep[n] = False
            options = True
            skip_block = colons.group(2) in NOT_PROSE
            continue
        if colons:  # a directive closes
            keep[n] = False
            skip_block = options = False
            continue
        if options and re.match(r"^:[\w-]+:", stripped):
            keep[n] = False
            continue
        options = False
        if stripped.startswith("$$"):
            keep[n] = False
            math = not (len(stripped) > 2 and stripped.endswith("$$"))
            continue
        if (
            skip_block
            or stripped.startswith(("#", "+++", "<", "%"))
            or re.match(r"^\([\w-]+\)=$", stripped)
        ):
            keep[n] = False
    masked = "".join(line if kept else _blank(line) for line, kept in zip(lines, keep))
    for pattern in INLINE:
        masked = pattern.sub(lambda m: _blank(m.group(0)), masked)
    return masked


def _pattern(term: str) -> re.Pattern:
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"(?<![\w\-/.])" + r"\s+".join(words) + r"(?:s|es)?(?![\w\-])", re.I)


@dataclass
class Unlinked:
    """A term whose first use in a page's prose is not linked."""

    path: Path
    line: int
    term: str
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(paths.ROOT)}:{self.line}: {self.text!r} ({self.term})"


def linked_terms(text: str) -> dict[str, int]:
    """The terms a page links, each with the offset of its first link."""
    found: dict[str, int] = {}
    for match in TERM_ROLE.finditer(text):
        target = (match.group(2) or match.group(1)).strip().lower()
        found.setdefault(target, match.start())
    return found


def first_uses(text: str, glossary_terms: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of each term's first use in prose that comes before its first link.

    Longer terms first, so that "learning rate" is linked before "rate" would be.
    """
    masked = prose_mask(text)
    links = linked_terms(text)
    found = []
    taken: list[tuple[int, int]] = []
    for term in sorted(glossary_terms, key=len, reverse=True):
        link = links.get(term.lower(), len(text))
        for match in _pattern(term).finditer(masked):
            start, end = match.span()
            if start > link:
                break
            if any(a < end and start < b for a, b in taken):
                continue  # inside a longer term, "loss" in "loss function"
            found.append((start, end, term))
            taken.append((start, end))
            break
    return sorted(found)


def check(path: Path, glossary_terms: list[str]) -> list[Unlinked]:
    text = path.read_text(encoding="utf-8")
    return [
        Unlinked(path, text.count("\n", 0, start) + 1, term, text[start:end])
        for start, end, term in first_uses(text, glossary_terms)
    ]


def link(text: str, glossary_terms: list[str]) -> str:
    """``text`` with the first use of every term linked."""
    for start, end, term in reversed(first_uses(text, glossary_terms)):
        words = " ".join(text[start:end].split())
        role = (
            f"{{term}}`{words}`"
            if words.lower() == term.lower()
            else (f"{{term}}`{words} <{term}>`")
        )
        text = text[:start] + role + text[end:]
    return text


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
            fixed = link(text, glossary_terms)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
        problems += check(path, glossary_terms)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
