"""booktools.fingerprint: what each chapter runs besides its cells, and where that goes.

tests/test_build_cache.py shows the whole mechanism in real builds; these
check its parts on the book's own chapters, quickly.
"""

import pytest

from booktools import fingerprint as fp
from booktools import paths

pytestmark = pytest.mark.unit


def helpers_of(chapter: str) -> set[str]:
    text = (paths.BOOK / chapter).read_text(encoding="utf-8")
    return {path.name for path in fp.helper_modules(text)}


def test_a_chapter_runs_the_helpers_it_imports_and_what_they_import():
    # first-classifier imports data, figures, style and the store; the store imports
    # models, machine (which records what trained a model) and neurons (the single
    # neuron's recipe).
    assert helpers_of("first-classifier.md") == {
        "__init__.py",
        "data.py",
        "figures.py",
        "machine.py",
        "models.py",
        "neurons.py",
        "store.py",
        "style.py",
    }
    assert helpers_of("welcome.md") == {"__init__.py"}


def test_the_fingerprint_covers_requirements_helpers_and_data(tmp_path, monkeypatch):
    (tmp_path / "handwriting").mkdir()
    for name in ("__init__.py", "data.py"):
        (tmp_path / "handwriting" / name).write_text("x = 1\n")
    (tmp_path / "requirements.txt").write_text("keras==3\n")
    (tmp_path / "mnist.npz").write_bytes(b"one")
    monkeypatch.setenv("MNIST_NPZ", str(tmp_path / "mnist.npz"))
    chapter = (
        "```{code-cell} ipython3\n:tags: [remove-cell]\n\nfrom handwriting.data import x\n```\n"
    )
    first = fp.fingerprint(chapter, tmp_path)
    (tmp_path / "requirements.txt").write_text("keras==4\n")
    second = fp.fingerprint(chapter, tmp_path)
    (tmp_path / "handwriting" / "data.py").write_text("x = 2\n")
    third = fp.fingerprint(chapter, tmp_path)
    (tmp_path / "other.npz").write_bytes(b"two")
    monkeypatch.setenv("MNIST_NPZ", str(tmp_path / "other.npz"))
    fourth = fp.fingerprint(chapter, tmp_path)
    assert len({first, second, third, fourth}) == 4


def test_the_fingerprint_goes_into_the_hidden_first_cell():
    text = (paths.BOOK / "mnist.md").read_text(encoding="utf-8")
    marked = fp.with_fingerprint(text, "book/mnist", "abc123")
    first_cell = marked[marked.index("```{code-cell}") :]
    first_cell = first_cell[: first_cell.index("\n```", 3)]
    assert "remove-cell" in first_cell and first_cell.endswith(f"{fp.MARK} abc123")
    assert marked.replace(f"{fp.MARK} abc123\n", "") == text


def test_a_chapter_whose_first_cell_shows_fails_clearly():
    text = "# A chapter\n\n```{code-cell} ipython3\nprint('visible')\n```\n"
    with pytest.raises(fp.FingerprintError, match="book/visible: the first code cell must be"):
        fp.with_fingerprint(text, "book/visible", "abc123")


def test_the_first_cell_is_judged_on_its_tags_not_on_its_code():
    """Its options are read as jupytext reads them, with or without a blank line after them."""
    shown = "```{code-cell} ipython3\n:tags: [hide-input]\nx = 'remove-cell'\n```\n"
    with pytest.raises(fp.FingerprintError, match="book/shown"):
        fp.with_fingerprint(shown, "book/shown", "abc123")
    hidden = "```{code-cell} ipython3\n---\ntags: [remove-cell]\n---\nx = 1\n```\n"
    assert fp.with_fingerprint(hidden, "book/hidden", "abc123").endswith(
        f"x = 1\n{fp.MARK} abc123\n```\n"
    )
