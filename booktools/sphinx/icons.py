"""The theme's icons without Font Awesome's script and full fonts.

pydata-sphinx-theme loads ``fontawesome.js`` (530 kB compressed), which turns every
``<i class="fa-...">`` into an SVG in the browser, and two icon fonts (267 kB) for
the icons its style sheets draw (admonitions, external links). A page shows about a
dozen of the two thousand icons. This step of the finishing pass:

- writes each ``<i class="fa-...">`` (or empty ``<span>``) of every page as the
  inline SVG of its glyph, read from the theme's own icon fonts with fontTools;
- removes the ``fontawesome.js`` script from every page;
- removes from the site's copy of the theme's style sheet the table that maps each
  of Font Awesome's two thousand class names to its glyph (20 kB of its 66 kB
  compressed), which no page uses any more;
- writes ``_static/book-icons.css`` with the few glyphs the style sheets draw as a
  font subset (WOFF, a few kilobytes), declared after the theme's ``@font-face``
  rules so that the full fonts are never requested.

A patch of pydata-sphinx-theme 0.17.1 and sphinx-book-theme 1.3.0
(booktools/sphinx/patches.py): it reads the class table of the theme's minified
style sheet and the font files inside its wheel, so a theme that moves them or
writes its icons another way breaks it. Upstream's script is 1.4 MB
(https://github.com/pydata/pydata-sphinx-theme/issues/2379). A page's icon this
step cannot draw is a build warning, and so, with ``-W``, an error.

The icons are Font Awesome Free's (CC BY 4.0, fonts SIL OFL 1.1), as the theme
ships them; nothing of them is kept in this repository.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from sphinx.util import logging

from booktools.sphinx import markup

logger = logging.getLogger(__name__)

STYLESHEET = "book-icons.css"
#: Font files by Font Awesome style: solid is the default.
FONTS = {
    "solid": ("fa-solid-900.ttf", "Font Awesome 6 Free", 900),
    "regular": ("fa-regular-400.ttf", "Font Awesome 6 Free", 400),
    "brands": ("fa-brands-400.ttf", "Font Awesome 6 Brands", 400),
}
STYLE_CLASSES = {
    "fa-solid": "solid",
    "fas": "solid",
    "fa-regular": "regular",
    "far": "regular",
    "fa-brands": "brands",
    "fab": "brands",
}
#: Classes that only size or style an icon; kept on the SVG as book-icon-<size>.
SIZES = {"fa-lg", "fa-sm", "fa-xs", "fa-2x", "fa-fw"}
#: Font Awesome draws its glyphs in a 512-unit square from 448 above the baseline to 64 below.
GLYPH_TOP, GLYPH_HEIGHT = 448, 512
#: A class that makes an element a Font Awesome icon.
ICON_CLASS = re.compile(r"^(?:fa-[a-z0-9-]+|fa[srb])$")
FONT_AWESOME_SCRIPT = re.compile(r"_static/scripts/fontawesome\.js")
#: A glyph of the private use area in a style sheet: "\f105" or the character itself.
PRIVATE_GLYPH = re.compile(r"\"(?:\\([ef][0-9a-f]{3})|([\ue000-\uf8ff]))\"")
#: One rule of Font Awesome's class table: ``.fa-book:before{content:"\\f02d"}``.
CLASS_TABLE_RULE = re.compile(r"(?:\.fa-[a-z0-9-]+:before,?)+\{content:\"[^\"]*\"\}")


def theme_static() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


@functools.cache
def codepoints() -> dict[str, int]:
    """Icon name (``book``) to its code point, from the theme's style sheet."""
    css = (theme_static() / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    names: dict[str, int] = {}
    table = re.findall(
        r"((?:\.fa-[a-z0-9-]+:before,?)+)\{content:\"(\\[0-9a-f]{2,}|\\.|.)\"\}", css
    )
    for selectors, content in table:
        point = int(content[1:], 16) if len(content) > 2 else ord(content[-1])  # "\f02d", "\+", "+"
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", selectors):
            names.setdefault(name, point)
    return names


def _font_file(style: str) -> Path:
    return theme_static() / "vendor" / "fontawesome" / "webfonts" / FONTS[style][0]


@functools.cache
def font(style: str):
    from fontTools.ttLib import TTFont

    return TTFont(_font_file(style))


@functools.cache
def glyph_svg(style: str, point: int) -> tuple[int, int, str] | None:
    """(width, height, path data) of a glyph, y pointing down, or None if the font lacks it."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    face = font(style)
    name = face.getBestCmap().get(point)
    if name is None:
        return None
    glyphs = face.getGlyphSet()
    pen = SVGPathPen(glyphs, ntos=lambda value: f"{value:g}")
    glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, 0, GLYPH_TOP)))
    return face["hmtx"][name][0], GLYPH_HEIGHT, pen.getCommands()


def svg_for(element: markup.Element) -> str | None:
    """The inline SVG that draws an icon element, or None (with a warning) if none can."""
    classes = element.classes
    style = next((STYLE_CLASSES[c] for c in classes if c in STYLE_CLASSES), "solid")
    names = [
        c[3:] for c in classes if c.startswith("fa-") and c not in SIZES and c not in STYLE_CLASSES
    ]
    point = next((codepoints()[n] for n in names if n in codepoints()), None)
    drawn = glyph_svg(style, point) if point is not None else None
    if drawn is None:
        logger.warning("no Font Awesome glyph for <i class=%r>", " ".join(classes), type="icons")
        return None
    width, height, path = drawn
    kept = [c for c in classes if not c.startswith("fa") or c in SIZES]
    kept = ["book-icon"] + [f"book-icon-{c[3:]}" if c in SIZES else c for c in kept]
    attributes = " ".join(
        markup.attribute(name, value) for name, value in element.attrs.items() if name != "class"
    )
    if "aria-hidden" not in element.attrs:
        attributes += ' aria-hidden="true"'
    return (
        f'<svg class="{" ".join(kept)}" {attributes.strip()} viewBox="0 0 {width} {height}" '
        f'focusable="false"><path d="{path}"/></svg>'
    )


def is_icon(element: markup.Element, text: str) -> bool:
    """An empty <i> or <span> with Font Awesome classes: the theme writes its icons as both."""
    return (
        element.tag in ("i", "span")
        and any(ICON_CLASS.match(c) for c in element.classes)
        and not element.content(text).strip()
    )


def rewrite_page(text: str) -> str:
    edits = []
    for element in markup.elements(text, "i", "span", "script"):
        if element.tag == "script":
            if FONT_AWESOME_SCRIPT.search(element.attrs.get("src") or ""):
                edits.append((*markup.with_leading_space(text, element), ""))
        elif is_icon(element, text) and (svg := svg_for(element)) is not None:
            edits.append((element.start, element.end, svg))
    return markup.splice(text, edits)


def stylesheet_glyphs() -> set[int]:
    """The icons the theme's style sheets draw with the icon fonts (admonitions, links...)."""
    import sphinx_book_theme

    book_css = (
        Path(sphinx_book_theme.__file__).parent
        / "theme"
        / "sphinx_book_theme"
        / "static"
        / "styles"
    )
    sheets = [theme_static() / "styles" / "pydata-sphinx-theme.css", *book_css.glob("*.css")]
    found = set()
    for sheet in sheets:
        css = CLASS_TABLE_RULE.sub("", sheet.read_text(encoding="utf-8"))
        for escaped, literal in PRIVATE_GLYPH.findall(css):
            found.add(int(escaped, 16) if escaped else ord(literal))
    return found


def subset_font(style: str, points: set[int]) -> bytes | None:
    from fontTools import subset

    face = font(style)
    wanted = sorted(point for point in points if point in face.getBestCmap())
    if not wanted:
        return None
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = [0, 1, 2]  # keep the copyright and family names: the licence asks for them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    copy = type(face)(io.BytesIO(_font_file(style).read_bytes()))
    subsetter.subset(copy)
    out = io.BytesIO()
    copy.flavor = "woff"
    copy.save(out)
    return out.getvalue()


def write_stylesheet(outdir: Path) -> None:
    points = stylesheet_glyphs()
    rules = [
        "/* Written by booktools/sphinx/icons.py: the icons the theme's style sheets draw,",
        "   a subset of Font Awesome Free (fonts SIL OFL 1.1, icons CC BY 4.0). */",
    ]
    for style, (_, family, weight) in FONTS.items():
        data = subset_font(style, points)
        if data is None:
            continue
        name = f"book-icons-{style}.woff"
        (outdir / "_static" / name).write_bytes(data)
        rules.append(
            f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};'
            f'font-display:block;src:url({name}) format("woff")}}'
        )
    rules.append(
        ".book-icon{display:inline-block;height:1em;width:auto;overflow:visible;"
        "vertical-align:-0.125em;fill:currentColor}"
        ".book-icon-lg{height:1.25em;vertical-align:-0.2em}"
        ".book-icon-sm{height:.875em}.book-icon-xs{height:.75em}.book-icon-2x{height:2em}"
        ".book-icon-fw{width:1.25em}"
    )
    (outdir / "_static" / STYLESHEET).write_text("\n".join(rules) + "\n", encoding="utf-8")


def strip_class_table(outdir: Path) -> None:
    sheet = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if sheet.is_file():
        css = sheet.read_text(encoding="utf-8")
        stripped = CLASS_TABLE_RULE.sub("", css)
        if stripped != css:
            sheet.write_text(stripped, encoding="utf-8")


def finish(site) -> None:
    """The finishing pass's step: the icon style sheet, the theme's class table, every page's icons."""
    codepoints()  # read from the theme's own style sheet, before the site's copy is stripped
    write_stylesheet(site.outdir)
    strip_class_table(site.outdir)
    for page, text in site.pages.items():
        site.pages[page] = rewrite_page(text)
