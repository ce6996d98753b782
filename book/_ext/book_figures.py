"""Figures that cost a phone little: compressed, sized, and loaded when needed.

After the build, for every PNG figure of the site (``_images``):

- the image is scaled down if it is wider than twice the widest column it is
  shown in (a high-density screen needs no more), then written again as a
  256-colour PNG when that is smaller, as it is for the book's plots and
  diagrams (about a third of the bytes; the test pictures of MNIST are grey
  and lose nothing);
- every ``<img>`` of a page that shows it gets its ``width`` and ``height``,
  so the browser reserves its place before it arrives and nothing shifts;
- matplotlib's animations are sized and compressed like any figure: book_speed,
  which runs first, has moved their base64 frames into ``_images``;
- every figure but the first of a page loads lazily (``loading="lazy"``),
  fetched only as the reader scrolls towards it; the first, which may be in
  view when the page opens, is fetched at once.

Pillow only, nothing to install. A processed figure carries its original
size in a PNG text chunk, so running this twice on the same file is harmless.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from sphinx.application import Sphinx

#: The widest the article column gets, in CSS pixels (sphinx-book-theme, wide screen).
MAX_DISPLAY_WIDTH = 900
MAX_PIXELS_WIDE = 2 * MAX_DISPLAY_WIDTH
MARKER = "book_figures"
IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r"\ssrc=\"([^\"]+)\"")


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
        candidates.append(_png(image.quantize(256, dither=Image.Dither.NONE), info))
    best = min(candidates, key=len)
    if len(best) < len(original):
        path.write_bytes(best)
    return size


def _png(image, info) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True, pnginfo=info)
    return out.getvalue()


def with_attributes(tag: str, width: int, height: int, lazy: bool) -> str:
    extra = ""
    if " width=" not in tag and " height=" not in tag:
        extra += f' width="{width}" height="{height}"'
    if lazy and " loading=" not in tag:
        extra += ' loading="lazy"'
    if " decoding=" not in tag:
        extra += ' decoding="async"'
    end = "/>" if tag.endswith("/>") else ">"
    return tag[: -len(end)].rstrip() + extra + " " + end


def rewrite_page(page: Path, sizes: dict[Path, tuple[int, int]]) -> None:
    original = text = page.read_text(encoding="utf-8")
    count = 0

    def repl(match: re.Match) -> str:
        nonlocal count
        tag = match.group(0)
        src = SRC.search(tag)
        if not src or src.group(1).startswith(("data:", "http:", "https:")):
            return tag
        target = (page.parent / src.group(1)).resolve()
        if target not in sizes:
            return tag
        count += 1
        return with_attributes(tag, *sizes[target], lazy=count > 1)

    # Only the article: the theme's logo and icons are not figures.
    start = text.find("<article")
    end = text.rfind("</article>")
    if start < 0 or end < 0:
        return
    rewritten = text[:start] + IMG.sub(repl, text[start:end]) + text[end:]
    if rewritten != original:
        page.write_text(rewritten, encoding="utf-8")


def process_site(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    sizes = {path.resolve(): optimise(path) for path in (outdir / "_images").glob("*.png")}
    for page in outdir.rglob("*.html"):
        if "_static" not in page.relative_to(outdir).parts:
            rewrite_page(page, sizes)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", process_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
