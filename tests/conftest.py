"""Shared set-up for the tests: plots never open a window.

The tooling the tests use is the ``booktools`` package, installed with the
book's helpers by ``make setup``.
"""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
