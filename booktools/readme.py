"""Put a generated table into README.md, between a pair of markers.

The README quotes measured tables (the build benchmark, the page weights)
between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``; this script
replaces what lies between them, and nothing else. Usage::

    python -m booktools.readme page-weights _build/page-weights.md

(``make test`` writes _build/page-weights.md; scripts/benchmark.py --readme
calls :func:`write_section` itself.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from booktools.paths import README


def write_section(name: str, text: str, readme: Path = README) -> None:
    """Replace the text between ``name``'s markers in ``readme``.

    Exits with a message if the markers are missing.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = readme.read_text(encoding="utf-8")
    if content.count(start) != 1 or content.count(end) != 1:
        sys.exit(f"{readme} needs exactly one {start} and one {end}")
    before, rest = content.split(start, 1)
    _, after = rest.split(end, 1)
    readme.write_text(f"{before}{start}\n{text.strip()}\n{end}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="the markers' name, e.g. page-weights")
    parser.add_argument("table", type=Path, help="the file whose text goes between them")
    args = parser.parse_args(argv)
    if not args.table.is_file():
        sys.exit(f"{args.table} does not exist: run the step that writes it first")
    write_section(args.name, args.table.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
