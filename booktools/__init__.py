"""The book's build and test tooling: importable by scripts/ and tests/ alike.

``handwriting`` is what the chapters import; ``booktools`` is what builds,
tests and measures them. Both are installed by ``make setup``
(``pip install --editable .``), so no script or test edits ``sys.path``.
"""
