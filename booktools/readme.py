"""The measured tables of README.md: written by the measurements, never by hand.

The README quotes three tables that measurements make: the build benchmark
(``python scripts/benchmark.py``), the page weights (the browser tests, in
``make test``) and Lighthouse's report (``make test``). Each measurement writes
its table into ``_build/`` (:data:`TABLES`); one command copies every table found
there into the README, between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``,
and nothing else::

    python -m booktools.readme                   # every table _build/ holds
    python -m booktools.readme page-weights _build/page-weights.md   # one table, from a file

The start marker records a digest of the table it holds, so a table edited by
hand no longer matches it, and tests/test_docs.py says so and names the command.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

from booktools.paths import BUILD, README

#: Each measured table, and the file its measurement writes it to.
TABLES = {
    "benchmark": BUILD / "benchmark.md",
    "page-weights": BUILD / "page-weights.md",
    "lighthouse": BUILD / "lighthouse.md",
}


def digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def _section(name: str, content: str) -> re.Match | None:
    pattern = rf"<!-- {re.escape(name)}:start(?: sha256:(\w+))? -->\n(.*?)\n?<!-- {re.escape(name)}:end -->"
    found = list(re.finditer(pattern, content, re.DOTALL))
    return found[0] if len(found) == 1 else None


def write_section(name: str, text: str, readme: Path = README) -> None:
    """Replace the text between ``name``'s markers in ``readme``, and record its digest.

    Exits with a message if the markers are missing.
    """
    content = readme.read_text(encoding="utf-8")
    section = _section(name, content)
    if section is None:
        sys.exit(f"{readme} needs exactly one <!-- {name}:start --> and one <!-- {name}:end -->")
    table = text.strip()
    replacement = f"<!-- {name}:start sha256:{digest(table)} -->\n{table}\n<!-- {name}:end -->"
    content = content[: section.start()] + replacement + content[section.end() :]
    readme.write_text(content, encoding="utf-8")


def edited_by_hand(readme: Path = README) -> list[str]:
    """The tables whose text is not what the command that wrote them wrote."""
    content = readme.read_text(encoding="utf-8")
    edited = []
    for name in TABLES:
        section = _section(name, content)
        if section is not None and section.group(1) != digest(section.group(2)):
            edited.append(name)
    return edited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", nargs="?", help="one table's markers' name, e.g. page-weights")
    parser.add_argument("table", nargs="?", type=Path, help="the file whose text goes there")
    args = parser.parse_args(argv)
    if args.name:
        tables = {args.name: args.table or TABLES.get(args.name)}
    else:
        tables = {name: path for name, path in TABLES.items() if path.is_file()}
        if not tables:
            sys.exit("_build/ holds no measured table: run make test or scripts/benchmark.py first")
    for name, path in tables.items():
        if path is None or not path.is_file():
            sys.exit(f"{path} does not exist: run the step that writes it first")
        write_section(name, path.read_text(encoding="utf-8"))
        print(f"README.md: {name} from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
