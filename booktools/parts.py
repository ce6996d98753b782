"""The parts of the book, as the captions of _toc.yml name them.

A caption reads "Part I: the quick tour"; LaTeX numbers its parts itself, so
the PDF's part pages (booktools/sphinx/pdf.py) and the tests that look for
them (tests/test_pdf.py) both want the name without its number.
"""

import re

NUMBER = re.compile(r"^Part [IVXLC]+:\s*")


def part_name(caption: str) -> str:
    """ "Part I: the quick tour" -> "the quick tour"; other captions are returned as they are."""
    return NUMBER.sub("", caption)
