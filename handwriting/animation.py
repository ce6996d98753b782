"""A matplotlib animation made fit for a page of the book.

book/training.md animates gradient descent. matplotlib's ``to_jshtml`` makes
an HTML player that carries every frame as a PNG; :func:`web_animation`
shrinks those frames, drops the player's link to an icon font on the web
(the book's theme has its own icons), and gives the picture alt text and the
slider a name, for readers who use a screen reader.
"""

import base64
import io
import re

from PIL import Image

FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)")
ICON_FONT = re.compile(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">')


def png(fig, dpi):
    """The figure as the bytes of a PNG file, at the given resolution."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def small_png(png_bytes):
    """The same picture in at most 64 colours, base64-encoded: a PNG a few times smaller."""
    image = Image.open(io.BytesIO(png_bytes)).convert("RGB").quantize(colors=64)
    buffer = io.BytesIO()
    image.save(buffer, format="png", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def web_animation(animation, alt, slider_label):
    """The animation as an HTML player with small frames, alt text and a named slider."""
    frames = []

    def shrink(found):
        frames.append(small_png(base64.b64decode(found.group(1).replace("\\\n", ""))))
        return "data:image/png;base64," + frames[-1]

    html = FRAME.sub(shrink, animation.to_jshtml(default_mode="once"))
    html = ICON_FONT.sub("", html)
    html = html.replace(
        "<img id=", f'<img alt="{alt}" src="data:image/png;base64,{frames[0]}" id=', 1
    )
    return html.replace(
        '<input id="_anim_slider', f'<input aria-label="{slider_label}" id="_anim_slider', 1
    )
