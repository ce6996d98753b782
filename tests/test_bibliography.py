"""The list of references is labelled as the citations read: author and year.

The chapters cite with an author-year style ("Glorot and Bengio [2010]"); the
bibliography's labels come from booktools/sphinx/bibliography.py. These tests
check the label style on made-up entries, then the built site: every
citation in a chapter points to an entry of the list whose label names the
same authors and year, and every entry that is a web page or software has
its address.
"""

import re

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from booktools.paths import HTML, ROOT
from booktools.sphinx import bibliography

BIB = ROOT / "book" / "references.bib"


def labels(bibtex: str) -> dict[str, str]:
    """The label of each entry of some BibTeX, in the list's order (by author, year, title)."""
    entries = sorted(parse_string(bibtex, "bibtex").entries.values(), key=bibliography.author_year)
    made = bibliography.AuthorYearLabelStyle().format_labels(entries)
    return {entry.key: label for entry, label in zip(entries, made, strict=True)}


@pytest.mark.unit
def test_labels_name_one_two_or_the_first_author_and_the_year():
    found = labels(
        """
        @misc{one, author = {Hornik, Kurt}, title = {A}, year = {1991}}
        @misc{two, author = {Glorot, Xavier and Bengio, Yoshua}, title = {B}, year = {2010}}
        @misc{many, author = {LeCun, Yann and Bottou, L{\\'e}on and Bengio, Yoshua}, title = {C},
              year = {1998}}
        @misc{others, author = {Chollet, Fran{\\c{c}}ois and others}, title = {D}, year = {2015}}
        """
    )
    assert found == {
        "one": "Hornik, 1991",
        "two": "Glorot and Bengio, 2010",
        "many": "LeCun et al., 1998",
        "others": "Chollet et al., 2015",
    }


@pytest.mark.unit
def test_two_works_that_would_share_a_label_get_letters():
    found = labels(
        """
        @misc{first, author = {Smith, Ann}, title = {Alpha}, year = {2020}}
        @misc{second, author = {Smith, Ann}, title = {Beta}, year = {2020}}
        @misc{other, author = {Smith, Ann}, title = {Gamma}, year = {2021}}
        """
    )
    assert found == {"first": "Smith, 2020a", "second": "Smith, 2020b", "other": "Smith, 2021"}


@pytest.mark.unit
def test_an_entry_without_authors_fails_naming_it():
    with pytest.raises(ValueError, match="'nobody' names no author"):
        labels("@misc{nobody, title = {Anonymous}, year = {2000}}")


@pytest.mark.unit
def test_every_label_of_the_books_bibliography_is_unique():
    made = labels(BIB.read_text(encoding="utf-8"))
    assert len(set(made.values())) == len(made)


@pytest.mark.unit
def test_web_and_software_entries_have_their_address():
    entries = parse_string(BIB.read_text(encoding="utf-8"), "bibtex").entries
    for key, entry in entries.items():
        if entry.type == "misc" and "eprint" not in entry.fields:
            assert "url" in entry.fields, f"{key} is a web page or software but has no url"


@pytest.fixture(scope="module")
def references():
    page = HTML / "book" / "references.html"
    if not page.is_file():
        pytest.fail(f"{page} is missing: build the book first (`make book`)")
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.built
def test_the_list_is_labelled_by_author_and_year(references):
    shown = [label.get_text().strip("[]") for label in references.select(".citation .label")]
    made = labels(BIB.read_text(encoding="utf-8"))
    assert sorted(shown) == sorted(made.values())


@pytest.mark.built
def test_every_citation_names_the_authors_and_year_of_its_entry(references):
    entries = {
        citation["id"]: citation.select_one(".label").get_text().strip("[]")
        for citation in references.select(".citation[id]")
    }
    checked = 0
    for chapter in sorted((HTML / "book").glob("*.html")):
        soup = BeautifulSoup(chapter.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select('a[href*="references.html#"]'):
            target = link["href"].split("#", 1)[1]
            assert target in entries, f"{chapter.name} cites {target}, which the list lacks"
            year = re.search(r"\d{4}[a-z]?", link.get_text())
            # the year as the list labels it, with its letter where two works share one
            labelled = entries[target].rpartition(", ")[2]
            assert year and year.group() == labelled, (chapter.name, link.get_text(), labelled)
            checked += 1
    assert checked > 30
