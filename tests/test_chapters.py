"""One test per chapter: run its code cells in order, as the build does.

The tests are made from the chapters when pytest collects them (see
scripts/extract_tests.py), so they always run the chapters as they are now.
The chapters state their claims as ``assert`` statements in their cells (the
classifier's test accuracy, the shapes of the data ...), so a claim that stops
holding fails its chapter's test here, and the book's build too. The claims
below are checked once more on the namespace a chapter leaves behind, so that
deleting an ``assert`` from a chapter does not quietly drop the claim.
"""

import numpy as np
import pytest

import extract_tests

CHAPTERS = extract_tests.chapters()


def welcome(ns):
    assert ns["keras"].__version__.startswith("3.")
    assert ns["keras"].backend.backend() == "tensorflow"


def mnist(ns):
    assert ns["x_train"].shape == (60000, 28, 28) and ns["x_test"].shape == (10000, 28, 28)
    assert ns["n_classes"] == 10
    assert list(ns["classes"]) == list(range(10))
    assert ns["train_counts"].sum() == 60000 and ns["test_counts"].sum() == 10000
    # the preprocessing the chapter describes: float32 in [0, 1]
    assert ns["x_train"].dtype == np.float32
    assert ns["x_train"].min() == 0.0 and ns["x_train"].max() == 1.0


def first_classifier(ns):
    model = ns["model"]
    assert [layer.__class__.__name__ for layer in model.layers] == [
        "Flatten", "Dense", "Dropout", "Dense"
    ]
    assert model.count_params() == 784 * 128 + 128 + 128 * 10 + 10 == 101_770
    assert len(ns["history"].history["loss"]) == 10
    assert ns["predictions"].shape == (10000,)
    assert np.mean(ns["predictions"] == ns["y_test"]) >= 0.97
    np.testing.assert_allclose(ns["probabilities"].sum(axis=1), 1, atol=1e-5)


CLAIMS = {
    "book/welcome.md": welcome,
    "book/mnist.md": mnist,
    "book/first-classifier.md": first_classifier,
}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[chapter.name for chapter in CHAPTERS])
def test_chapter_runs_and_its_claims_hold(chapter):
    namespace = extract_tests.run_chapter(chapter)
    check = CLAIMS.get(chapter.name)
    if check is not None:
        check(namespace)


def test_the_quick_tour_is_tested():
    """The chapters found in _toc.yml include every chapter with stated claims."""
    names = [chapter.name for chapter in CHAPTERS]
    assert set(CLAIMS) <= set(names), f"claims for chapters not in _toc.yml: {set(CLAIMS) - set(names)}"
