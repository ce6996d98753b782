"""The theme's icons without Font Awesome's script and full fonts.

pydata-sphinx-theme loads ``fontawesome.js`` (530 kB compressed), which turns
every ``<i class="fa-...">`` into an SVG in the browser, and two icon fonts
(267 kB) for the icons its style sheets draw (admonitions, external links).
A page shows about a dozen of the two thousand icons. After the build, this
extension:

- writes each ``<i class="fa-...">`` (or empty ``<span>``) of every page as the inline SVG of its
  glyph, read from the theme's own icon fonts with fontTools;
- removes the ``fontawesome.js`` script from every page;
- removes from the site's copy of the theme's style sheet the table that maps
  each of Font Awesome's two thousand class names to its glyph (20 kB of its
  66 kB compressed), which no page uses any more;
- writes ``_static/book-icons.css`` with the few glyphs the style sheets draw
  as a font subset (WOFF, a few kilobytes), declared after the theme's
  ``@font-face`` rules so that the full fonts are never requested.

The icons are Font Awesome Free's (CC BY 4.0, fonts SIL OFL 1.1), as the theme
ships them; nothing of them is kept in this repository.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

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

#: An empty <i> or <span> with Font Awesome classes: the theme writes its icons as both.
ICON = re.compile(
    r"<(i|span)\s+([^>]*?)\bclass=\"([^\"]*\b(?:fa-[a-z0-9-]+|fa[srb])\b[^\"]*)\"([^>]*)>\s*</\1>"
)
FA_SCRIPT = re.compile(
    r"\s*<script[^>]*src=\"[^\"]*_static/scripts/fontawesome\.js[^\"]*\"[^>]*></script>"
)
#: A glyph of the private use area in a style sheet: "\f105" or the character itself.
PRIVATE_GLYPH = re.compile(r"\"(?:\\([ef][0-9a-f]{3})|([\ue000-\uf8ff]))\"")


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


@functools.cache
def font(style: str):
    from fontTools.ttLib import TTFont

    return TTFont(theme_static() / "vendor" / "fontawesome" / "webfonts" / FONTS[style][0])


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


def svg_for(match: re.Match) -> str:
    before, classes, after = match.group(2, 3, 4)
    classes = classes.split()
    style = next((STYLE_CLASSES[c] for c in classes if c in STYLE_CLASSES), "solid")
    names = [
        c[3:] for c in classes if c.startswith("fa-") and c not in SIZES and c not in STYLE_CLASSES
    ]
    point = next((codepoints()[n] for n in names if n in codepoints()), None)
    drawn = glyph_svg(style, point) if point is not None else None
    if drawn is None:
        logger.warning(
            "no Font Awesome glyph for <i class=%r>", " ".join(classes), type="book_icons"
        )
        return match.group(0)
    width, height, path = drawn
    kept = [c for c in classes if not c.startswith("fa") or c in SIZES]
    kept = ["book-icon"] + [f"book-icon-{c[3:]}" if c in SIZES else c for c in kept]
    attributes = f"{before}{after}".strip()
    if "aria-hidden" not in attributes:
        attributes += ' aria-hidden="true"'
    return (
        f'<svg class="{" ".join(kept)}" {attributes.strip()} viewBox="0 0 {width} {height}" '
        f'focusable="false"><path d="{path}"/></svg>'
    )


def rewrite_page(text: str) -> str:
    text = FA_SCRIPT.sub("", text)
    return ICON.sub(svg_for, text)


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
        css = sheet.read_text(encoding="utf-8")
        css = re.sub(
            r"\.fa-[a-z0-9-]+:before(,\.fa-[a-z0-9-]+:before)*\{content:\"[^\"]*\"\}", "", css
        )
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
    copy = type(face)(io.BytesIO(_font_bytes(style)))
    subsetter.subset(copy)
    out = io.BytesIO()
    copy.flavor = "woff"
    copy.save(out)
    return out.getvalue()


def _font_bytes(style: str) -> bytes:
    return (theme_static() / "vendor" / "fontawesome" / "webfonts" / FONTS[style][0]).read_bytes()


def write_stylesheet(outdir: Path) -> None:
    points = stylesheet_glyphs()
    rules = [
        "/* Written by book/_ext/book_icons.py: the icons the theme's style sheets draw,",
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


#: One rule of Font Awesome's class table: ``.fa-book:before{content:"\\f02d"}``.
CLASS_TABLE_RULE = re.compile(r"(?:\.fa-[a-z0-9-]+:before,?)+\{content:\"[^\"]*\"\}")


def strip_class_table(outdir: Path) -> None:
    sheet = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if sheet.is_file():
        css = sheet.read_text(encoding="utf-8")
        stripped = CLASS_TABLE_RULE.sub("", css)
        if stripped != css:
            sheet.write_text(stripped, encoding="utf-8")


def rewrite_site(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    codepoints()  # read from the theme's own style sheet, before it is stripped
    write_stylesheet(outdir)
    strip_class_table(outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        rewritten = rewrite_page(text)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    # After the theme's style sheets, so that its @font-face rules are overridden.
    app.add_css_file(STYLESHEET, priority=900)
    app.connect("build-finished", rewrite_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
