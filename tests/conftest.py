"""Shared set-up for the tests: plots never open a window, and every test has its kind.

The tooling the tests use is the ``booktools`` package, installed with the book's
helpers by ``make setup``.

Every test carries exactly one of the markers declared in pyproject.toml: ``unit``
(needs nothing built), ``built`` (reads the built book, PDF or EPUB), ``browser``
(opens pages in Chromium) or ``slow`` (runs the chapters or builds the book again).
CONTRIBUTING.md says which a new test gets; a test with none, or two, stops the run.
"""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

KINDS = ("unit", "built", "browser", "slow")


def pytest_collection_modifyitems(config, items):
    wrong = []
    for item in items:
        kinds = sorted({mark.name for mark in item.iter_markers() if mark.name in KINDS})
        if len(kinds) != 1:
            wrong.append(f"{item.nodeid}: {', '.join(kinds) or 'no kind'}")
    if wrong:
        raise pytest.UsageError(
            "every test is marked with exactly one of "
            f"{', '.join(KINDS)} (see CONTRIBUTING.md, 'Where a test goes'):\n  "
            + "\n  ".join(wrong)
        )
