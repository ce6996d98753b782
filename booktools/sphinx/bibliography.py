"""The bibliography's labels in the citations' own form, author and year.

The chapters cite with ``bibtex_reference_style: author_year`` ("Glorot and
Bengio [2010]", "[LeCun et al., 1998]"), but pybtex's built-in styles label the
list of references with abbreviations ("[GB10]") or numbers, so a reader could
not find a citation in the list by eye. This extension registers a pybtex
formatting style, ``book_author_year``, that is pybtex's ``alpha`` style
(sorted by author, year and title) with labels written as the citations are:
the authors' last names (one, two joined by "and", or the first and "et al."),
a comma and the year, and a letter after the year where two works would
otherwise share a label. ``_config.yml`` selects it as ``bibtex_default_style``.

The citations in the text carry the same letter ("LeCun et al., 1998a"): the
referencing style ``book_author_year`` is sphinxcontrib-bibtex's
``author_year`` with the year of each citation read from the entry's label,
which is where the letter is decided (``bibtex_reference_style``).
Checked with pybtex 0.26.1 and sphinxcontrib-bibtex 2.7.0: the ``year`` node of
its referencing templates is the one replaced (listed in patches.py; no upstream
issue asks for a year suffix in author-year citations).
"""

from collections import Counter
from dataclasses import dataclass

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import Node, node
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import year


def _last_name(person) -> str:
    """A person's last name as plain text: "LeCun", "de la Fuente"."""
    return str(Text.from_latex(" ".join(person.prelast_names + person.last_names)))


def author_year(entry) -> str:
    """An entry's label without disambiguation: "Glorot and Bengio, 2010"."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last_name(person) for person in persons]
    if not names:
        raise ValueError(f"the reference {entry.key!r} names no author or editor: add one")
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2 and names[1] != "others":
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels as the citations read: "Glorot and Bengio, 2010", "LeCun et al., 1998a"."""

    def format_labels(self, sorted_entries):
        labels = [author_year(entry) for entry in sorted_entries]
        shared, seen = Counter(labels), Counter()
        for label in labels:
            if shared[label] > 1:
                seen[label] += 1
                label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label


class AuthorYearStyle(AlphaStyle):
    """pybtex's alpha style, labelled by author and year."""

    default_label_style = "book_author_year"


@node
def label_year(children, data) -> Text:
    """The year as the entry's label gives it, with its letter: "1998a"."""
    assert not children
    return Text(data["formatted_entry"].label.rpartition(", ")[2])


def _with_label_year(template):
    """The template with every ``year`` node replaced by :func:`label_year`."""
    if template is year:
        return label_year
    if isinstance(template, Node):
        template.children = [_with_label_year(child) for child in template.children]
    return template


@dataclass
class AuthorLabelYearReferenceStyle(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's author-year citations, each year as its entry's label has it."""

    def __post_init__(self):
        super().__post_init__()
        for style in self.styles:
            inner = style.inner
            style.inner = lambda role_name, inner=inner: _with_label_year(inner(role_name))


def setup(app):
    register_plugin("pybtex.style.labels", "book_author_year", AuthorYearLabelStyle)
    register_plugin("pybtex.style.formatting", "book_author_year", AuthorYearStyle)
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", "book_author_year", AuthorLabelYearReferenceStyle
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
