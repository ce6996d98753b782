"""Every page is one sitting, ends with exercises, and links its terms to the glossary."""

import re

import pytest

from booktools import glossary, paths, prose
from booktools.extract_tests import toc_files

pytestmark = pytest.mark.unit

PAGES = [paths.ROOT / path for path in toc_files()]

#: Pages without exercises: the welcome and the back matter.
NO_EXERCISES = {"welcome", "glossary", "references", "changelog"}

#: Words of prose a page may have: about ten minutes of reading, one sitting.
MAX_WORDS = 2_000


def test_a_page_reads_in_one_sitting():
    """A page's prose (booktools/prose.py: not its code, maths, roles or directive
    options) stays within MAX_WORDS words; a longer page is split by idea."""
    counts = {page: prose.word_count(page.read_text(encoding="utf-8"), page) for page in PAGES}
    over = [page.name for page, count in counts.items() if count > MAX_WORDS]
    table = "\n".join(
        f"{count:6,}  {page.name}{'  <- too long' if count > MAX_WORDS else ''}"
        for page, count in sorted(counts.items(), key=lambda item: -item[1])
    )
    assert not over, (
        f"{', '.join(over)}: more than {MAX_WORDS:,} words of prose; split by idea."
        f" Words of prose per page (python -m booktools.prose):\n{table}"
    )


def exercises_and_solutions(text):
    """The labels of a page's exercises, and the exercises its solutions answer."""
    exercises = re.findall(r"^:::\{exercise\}\n:label: (\S+)$", text, re.M)
    solutions = re.findall(r"^:::\{solution(?:-start)?\} (\S+)$", text, re.M)
    return exercises, solutions


def exercise_problems(name: str, text: str) -> list[str]:
    """What is wrong with the exercises of the page ``name`` (its stem), or nothing."""
    problems = []
    if "\n## Exercises\n" not in text:
        problems.append(f"{name} has no '## Exercises' section")
    exercises, solutions = exercises_and_solutions(text)
    if text.count("{exercise}") != len(exercises):
        problems.append(f"{name}: an exercise without a label")
    if len(exercises) < 2:
        problems.append(f"{name} has {len(exercises)} exercises; two or three")
    if not all(label.startswith(name + "-") for label in exercises):
        problems.append(f"{name}: exercise labels start with '{name}-': {exercises}")
    if sorted(solutions) != sorted(exercises):
        problems.append(
            f"{name}: one solution per exercise: {sorted(exercises)} against {sorted(solutions)}"
        )
    if not all(
        re.search(r"\{solution(?:-start)?\} " + re.escape(label) + r"\n:class: dropdown", text)
        for label in solutions
    ):
        problems.append(f"{name}: every solution is a dropdown, hidden until opened")
    if text.count("{solution-start}") != text.count("{solution-end}"):
        problems.append(f"{name}: a gated solution without its end")
    if re.search(r"solution to exercise \d", text, re.I):
        problems.append(f"{name} still has a hand-numbered solution; use sphinx-exercise")
    return problems


@pytest.mark.parametrize(
    "page", [page for page in PAGES if page.stem not in NO_EXERCISES], ids=lambda page: page.stem
)
def test_a_page_ends_with_exercises_and_their_solutions(page):
    assert not exercise_problems(page.stem, page.read_text(encoding="utf-8"))


def test_exercises_are_referred_to_from_their_own_page():
    """sphinx-exercise numbers a reference to another page's exercise on the site, but the
    PDF leaves it undefined ("??"): such a reference names the page instead."""
    labels = {}
    for page in PAGES:
        for label in exercises_and_solutions(page.read_text(encoding="utf-8"))[0]:
            labels[label] = page
    elsewhere = [
        f"{page.name}: {{ref}}`{label}` (an exercise of {labels[label].name})"
        for page in PAGES
        for label in re.findall(r"\{ref\}`([^`<]+)`", page.read_text(encoding="utf-8"))
        if label in labels and labels[label] != page
    ]
    assert not elsewhere, elsewhere


def test_the_exercise_check_finds_a_missing_solution_and_a_missing_section():
    exercise = ":::{{exercise}}\n:label: a-{0}\n\nWhy?\n:::\n\n"
    solution = ":::{{solution}} a-{0}\n:class: dropdown\n\nBecause.\n:::\n\n"
    good = "# A\n\n## Exercises\n\n" + exercise.format(1) + exercise.format(2)
    good += solution.format(1) + solution.format(2)
    assert exercise_problems("a", good) == []
    missing = good.replace(solution.format(2), "")
    assert exercise_problems("a", missing) == [
        "a: one solution per exercise: ['a-1', 'a-2'] against ['a-1']"
    ]
    assert exercise_problems("a", good.replace("## Exercises", "## Questions")) == [
        "a has no '## Exercises' section"
    ]


def test_the_glossary_defines_forty_terms_once_each():
    terms = glossary.terms()
    assert len(terms) >= 40, terms
    assert len({term.lower() for term in terms}) == len(terms), "a term is defined twice"
    for term in ("neuron", "weight", "bias", "activation", "logit", "loss", "epoch", "batch"):
        assert term in terms


def test_every_page_links_the_first_use_of_each_term():
    terms = glossary.terms()
    unlinked = [problem for page in glossary.pages() for problem in glossary.check(page, terms)]
    assert not unlinked, (
        "first uses not linked, or links inside a longer term"
        " (python -m booktools.glossary --fix):\n" + "\n".join(map(str, unlinked[:20]))
    )


def test_every_glossary_term_is_linked_from_some_page():
    """A term no page links is a definition no reader is sent to: use it, or drop it."""
    orphans = glossary.orphans(glossary.pages(), glossary.terms())
    assert not orphans, f"glossary terms that no page links: {', '.join(orphans)}"


def test_the_linker_links_prose_only_and_keeps_the_wording():
    text = (
        "---\ndescription: weights and batches\n---\n\n# Weights\n\n"
        "```{code-cell} ipython3\nweights = 1\n```\n\n"
        "The `weights` and $weights$ are code and maths. Weights\nmatter; the learning\n"
        "rate too, and weights again, batches of them.\n"
    )
    linked = glossary.link(text, ["weight", "learning rate", "batch", "rate"])
    assert "{term}`Weights <weight>`" in linked
    assert "{term}`learning rate`" in linked and "{term}`rate`" not in linked
    assert "{term}`batches <batch>`" in linked
    assert linked.count("{term}") == 3, linked
    assert "# Weights\n" in linked and "weights = 1" in linked and "$weights$" in linked
    assert glossary.first_uses(linked, ["weight", "learning rate", "batch"]) == []


def test_a_use_before_the_first_link_counts_as_unlinked():
    text = "A weight here, then a {term}`weight` there.\n"
    assert glossary.first_uses(text, ["weight"]) == [(2, 8, "weight")]


def test_the_longest_term_wins():
    """The case the old linker got wrong: having linked the first "activation
    function", it linked "activation" inside the second one."""
    terms = ["activation", "activation function"]
    text = (
        "Each neuron has an activation function. Later, a second activation function\n"
        "is chosen, and then the activation itself is plotted.\n"
    )
    linked = glossary.link(text, terms)
    assert linked == (
        "Each neuron has an {term}`activation function`. Later, a second activation function\n"
        "is chosen, and then the {term}`activation` itself is plotted.\n"
    ), linked
    only_longer = "An activation function, then another activation function.\n"
    assert glossary.link(only_longer, terms).count("{term}") == 1


def test_a_link_inside_a_longer_term_is_reported_and_unwrapped():
    terms = ["activation", "activation function", "learning rate", "rate"]
    text = "The {term}`activation` function, and the learning {term}`rate`.\n"
    path = paths.BOOK / "a-page.md"
    problems = [(problem.text, problem.why) for problem in glossary.check(path, terms, text)]
    assert problems == [
        ("{term}`activation`", "inside 'activation function'"),
        ("{term}`rate`", "inside 'learning rate'"),
    ]
    assert glossary.link(text, terms) == (
        "The {term}`activation function`, and the {term}`learning rate`.\n"
    )


def test_orphans_are_the_terms_no_page_links(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("A {term}`weights <weight>` and a bias, in `{term}`code``.\n")
    assert glossary.orphans([page], ["weight", "bias", "code"]) == ["bias", "code"]
