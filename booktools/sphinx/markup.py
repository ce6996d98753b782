"""Find elements in a written HTML page with Python's HTML parser, and edit the page in place.

The web pages are finished after Sphinx has written them (booktools/sphinx/web.py).
Sending a whole page through a parser and writing out its tree would rewrite every
tag of it; here the parser only *finds* elements: where each one starts and ends in
the page's text, and its attributes, whatever their order or quoting. The edits are
then spliced into the text at those places, and the rest of the page stays byte for
byte as Sphinx wrote it. The parser is the standard library's ``html.parser``, the
one BeautifulSoup uses in the tests: it knows that a script's or a style's content
is not markup, which no regular expression over the page does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

#: Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass(frozen=True)
class Element:
    """One element of a page: its tag, attributes, and where its parts are in the text."""

    tag: str
    attrs: dict[str, str | None]
    start: int  # the "<" of its start tag
    open_end: int  # just after its start tag's ">"
    close_start: int  # the "<" of its end tag (open_end for an element without one)
    end: int  # just after the whole element

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def start_tag(self, text: str) -> str:
        """The start tag as the page writes it."""
        return text[self.start : self.open_end]

    def content(self, text: str) -> str:
        """What the element holds, as the page writes it."""
        return text[self.open_end : self.close_start]


class _Finder(HTMLParser):
    def __init__(self, text: str, tags: set[str]):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.tags = tags
        self.line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self.open: dict[str, list[tuple[dict, int, int]]] = {}
        self.found: list[Element] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag not in self.tags:
            return
        start = self._offset()
        open_end = start + len(self.get_starttag_text())
        if tag in VOID:
            self.found.append(Element(tag, dict(attrs), start, open_end, open_end, open_end))
        else:
            self.open.setdefault(tag, []).append((dict(attrs), start, open_end))

    def handle_startendtag(self, tag, attrs):
        if tag in self.tags:
            start = self._offset()
            open_end = start + len(self.get_starttag_text())
            self.found.append(Element(tag, dict(attrs), start, open_end, open_end, open_end))

    def handle_endtag(self, tag):
        if tag not in self.tags or not self.open.get(tag):
            return
        attrs, start, open_end = self.open[tag].pop()
        close_start = self._offset()
        end = self.text.index(">", close_start) + 1
        self.found.append(Element(tag, attrs, start, open_end, close_start, end))


def elements(text: str, *tags: str) -> list[Element]:
    """Every element of the given tags in ``text``, in the order they start."""
    finder = _Finder(text, set(tags))
    finder.feed(text)
    finder.close()
    return sorted(finder.found, key=lambda element: element.start)


def first(text: str, tag: str) -> Element | None:
    """The first element of ``tag`` in ``text``, if any."""
    found = elements(text, tag)
    return found[0] if found else None


def within(found: Iterable[Element], outer: Element) -> list[Element]:
    """The elements that lie inside ``outer``."""
    return [element for element in found if outer.open_end <= element.start < outer.close_start]


def splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) applied; the spans must not overlap."""
    ordered = sorted(edits)
    starts = [start for start, _, _ in ordered]
    for (_, end, _), later in zip(ordered, starts[1:]):
        if end > later:
            raise ValueError("overlapping edits of one page")
    pieces, position = [], 0
    for start, end, replacement in ordered:
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def with_leading_space(text: str, element: Element) -> tuple[int, int]:
    """The span of ``element`` together with the white space just before it (to remove both)."""
    start = element.start
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start, element.end


def attribute(name: str, value: str | None) -> str:
    """One attribute as the pages write them: ``name="value"``, or ``name`` alone."""
    if value is None:
        return name
    return f'{name}="{value.replace("&", "&amp;").replace(chr(34), "&quot;")}"'


__all__ = ["Element", "attribute", "elements", "first", "splice", "with_leading_space", "within"]
