"""The prose of a page, as MyST's parser finds it (booktools/prose.py).

The glossary linker links terms in it and the page-length test counts its words,
so what it leaves out (code, maths, roles, links, options ...) must stay out,
and every character it keeps must be the page's own, at the right place.
"""

import re

import pytest

from booktools import paths, prose
from booktools.extract_tests import toc_files

pytestmark = pytest.mark.unit  # MyST's parser on the sources: nothing built

#: A page with every kind of block: the words "inN" are prose, the words "outN" are not.
PAGE = """\
---
description: out1 in the front matter
---

# A heading with out2

(a-target-out3)=
% a comment with out4

The first in1 paragraph, with `out5` code, $out6$ maths, a {term}`out7 <weight>`
role, a [link out8](https://example.org), an ![image out9](x.png), <span class="out10"></span>
html and an escaped \\* star; in2 on its second line.

+++ {"out11": true}

- a list item in3
  continued in4
- and a second in5

1. a numbered in6

Term in7
: its definition in8

> a quote in9

| out12 | out13 |
| --- | --- |
| out14 | out15 |

$$
out16
$$

\\begin{align}
out17
\\end{align}

```{code-cell} ipython3
:tags: [out18]
out19 = 1
```

    out20 indented code

<div>out21</div>

:::{note} in10 on the note's first line
:class: out22

The note's body in11.
:::

::::{exercise}
:label: out23

An exercise in12, with a code cell inside:

```{code-cell} ipython3
out24 = 2
```
::::

:::{solution} out25
:class: dropdown

A solution in13.
:::

```{solution} out30
---
class: dropdown
---
A solution with YAML options in14.
```

```{figure} out26.png
:name: out27

A caption in15.
```

```{only} latex
out28 is for the PDF alone.
```

```{raw} html
<p>out29</p>
```
"""


def test_prose_is_what_a_reader_reads_as_text():
    words = [word for p in prose.paragraphs(PAGE) for word in prose.WORD.findall(p.view().text)]
    inside = [word for word in words if re.fullmatch(r"(in|out)\d+", word)]
    assert inside == [f"in{n}" for n in range(1, 16)], inside


def test_every_prose_character_is_the_page_s_own():
    for paragraph in prose.paragraphs(PAGE):
        for piece in paragraph.pieces:
            if piece.shown == "\n":
                assert PAGE[piece.start] == "\n"
            elif piece.shown is not None:
                assert PAGE[piece.start : piece.end] == piece.shown
            else:
                assert "in" not in re.findall(r"[a-z]+", PAGE[piece.start : piece.end])[:1]


def test_roles_are_found_where_they_are_and_read_as_what_they_show():
    (first, *_) = prose.paragraphs(PAGE)
    (role,) = first.roles
    assert PAGE[role.start : role.end] == "{term}`out7 <weight>`"
    assert (role.name, role.shown, role.target) == ("term", "out7", "weight")
    assert "a out7\nrole" in first.view(show={"term"}).text
    assert "out7" not in first.view().text


def test_words_are_counted_in_prose_only():
    text = "# Title words\n\nOne two, three-four don't 5.\n\n```{code-cell}\nx = 1\n```\n"
    assert prose.word_count(text) == 5


@pytest.mark.parametrize("page", toc_files(), ids=lambda page: page.stem)
def test_the_prose_of_every_page_lines_up_with_its_text(page):
    text = (paths.ROOT / page).read_text(encoding="utf-8")
    for paragraph in prose.paragraphs(text):
        for piece in paragraph.pieces:
            if piece.shown == "\n":
                assert text[piece.start] == "\n", (page, paragraph.line)
            elif piece.shown is not None:
                assert text[piece.start : piece.end] == piece.shown, (page, paragraph.line)
            elif piece.role is not None:
                assert text[piece.start :].startswith("{" + piece.role.name + "}")


def test_a_page_the_parser_cannot_line_up_is_an_error():
    with pytest.raises(prose.ProseError, match="book/x.md has carriage returns"):
        prose.paragraphs("Windows\r\nline ends.\r\n", "book/x.md")


#: Tokens that only mark up running text: the pieces of prose are found without them.
MARKUP = {"text", "softbreak", "hardbreak", "em_open", "em_close", "strong_open", "strong_close"}


@pytest.mark.parametrize("page", toc_files(), ids=lambda page: page.stem)
def test_the_inline_rules_rerun_find_what_markdown_it_finds(page):
    """booktools/prose.py re-runs markdown-it's inline loop to note positions
    (markdown-it-py's own loop keeps none). If an upgrade changes that loop, the
    tokens found here stop matching the parser's own, and this test says where."""
    text = (paths.ROOT / page).read_text(encoding="utf-8")
    for token in prose.parser().parse(text, {}):
        if token.type != "inline":
            continue
        own = [(t.type, t.content) for t in token.children if t.type not in MARKUP]
        rerun = [
            (t.type, t.content)
            for _, _, made in prose._inline_matches(token.content)
            for t in made
            if t.type not in MARKUP
        ]
        assert rerun == own, (page, token.map)
