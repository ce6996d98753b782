"""Figures that cost a phone little: compressed, sized, and loaded when needed.

This step of the finishing pass, for every PNG figure of the site (``_images``):

- scales the image down if it is wider than twice the widest column it is shown in
  (a high-density screen needs no more), then writes it again as a 256-colour PNG
  when that is smaller, as it is for the book's plots and diagrams (about a third
  of the bytes; the test pictures of MNIST are grey and lose nothing), unless the
  256 colours would visibly change some (a colour bar's shades);
- gives every ``<img>`` of a page's article that shows it its ``width`` and
  ``height``, so the browser reserves its place before it arrives and nothing shifts;
- sizes and compresses matplotlib's animations like any figure: the moved-data
  step, which runs first, has moved their base64 frames into ``_images``;
- makes every figure but the first of a page load lazily (``loading="lazy"``),
  fetched only as the reader scrolls towards it; the first, which may be in view
  when the page opens, is fetched at once.

Pillow only, nothing to install. A processed figure carries its original size in a
PNG text chunk, so processing the same file twice is harmless.
"""

from __future__ import annotations

import io
from pathlib import Path

from booktools.sphinx import markup

#: The widest the article column gets, in CSS pixels (sphinx-book-theme, wide screen).
MAX_DISPLAY_WIDTH = 900
MAX_PIXELS_WIDE = 2 * MAX_DISPLAY_WIDTH
#: How far, in 0-255 units per channel, a 256-colour copy may move a colour (see faithful).
MAX_COLOUR_ERROR = 16
#: The PNG text chunk that marks a processed figure (named when this was book_figures.py).
MARKER = "book_figures"


def optimise(path: Path) -> tuple[int, int]:
    """Compress one PNG in place (once); returns its size in CSS pixels as shown before."""
    from PIL import Image, PngImagePlugin

    with Image.open(path) as image:
        image.load()
    size = image.size
    if image.info.get(MARKER):
        return tuple(int(n) for n in image.info[MARKER].split("x"))
    original = path.read_bytes()
    if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # opaque anyway: the alpha channel is dead weight
    if image.width > MAX_PIXELS_WIDE:
        height = round(image.height * MAX_PIXELS_WIDE / image.width)
        image = image.resize((MAX_PIXELS_WIDE, height), Image.Resampling.LANCZOS)
    info = PngImagePlugin.PngInfo()
    info.add_text(MARKER, f"{size[0]}x{size[1]}")
    candidates = [_png(image, info)]
    if image.mode in ("RGB", "L"):
        quantized = image.quantize(256, dither=Image.Dither.NONE)
        if faithful(image, quantized):
            candidates.append(_png(quantized, info))
    best = min(candidates, key=len)
    if len(best) < len(original):
        path.write_bytes(best)
    return size


def faithful(image, quantized) -> bool:
    """Whether a 256-colour copy keeps the picture's colours: 999 pixels in 1,000 within
    MAX_COLOUR_ERROR in every channel.

    Median cut gives its 256 colours to the most common ones; a colour bar's rare
    shades can come out visibly wrong (bands, steps) while a plot of a few colours
    loses nothing. Such a figure stays in full colour.
    """
    import numpy as np

    error = np.abs(
        np.asarray(image, dtype=np.int16)
        - np.asarray(quantized.convert(image.mode), dtype=np.int16)
    )
    if error.ndim == 3:
        error = error.max(axis=-1)
    return float(np.percentile(error, 99.9)) <= MAX_COLOUR_ERROR


def _png(image, info) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True, pnginfo=info)
    return out.getvalue()


def with_attributes(tag: str, attrs: dict, width: int, height: int, lazy: bool) -> str:
    """An ``<img>`` start tag with its size, lazy loading and asynchronous decoding."""
    extra = ""
    if "width" not in attrs and "height" not in attrs:
        extra += f' width="{width}" height="{height}"'
    if lazy and "loading" not in attrs:
        extra += ' loading="lazy"'
    if "decoding" not in attrs:
        extra += ' decoding="async"'
    end = "/>" if tag.endswith("/>") else ">"
    return tag[: -len(end)].rstrip() + extra + " " + end


def size_figures(text: str, page: Path, sizes: dict[Path, tuple[int, int]]) -> str:
    """The page with the figures of its article sized, and all but the first lazy."""
    found = markup.elements(text, "article", "img")
    article = next((element for element in found if element.tag == "article"), None)
    if article is None:  # only the article: the theme's logo and icons are not figures
        return text
    edits, count = [], 0
    for img in markup.within(found, article):
        if img.tag != "img":
            continue
        source = img.attrs.get("src") or ""
        if not source or source.startswith(("data:", "http:", "https:")):
            continue
        target = (page.parent / source).resolve()
        if target not in sizes:
            continue
        count += 1
        tag = img.start_tag(text)
        edits.append(
            (img.start, img.open_end, with_attributes(tag, img.attrs, *sizes[target], count > 1))
        )
    return markup.splice(text, edits)


def finish(site) -> None:
    """The finishing pass's step: the PNGs compressed, then every page's figures sized."""
    images = site.outdir / "_images"
    sizes = {path.resolve(): optimise(path) for path in images.glob("*.png")}
    for page, text in site.pages.items():
        site.pages[page] = size_figures(text, page, sizes)
