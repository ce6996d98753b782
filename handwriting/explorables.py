"""Figures the reader moves with their own hands on the web, and still pictures in print.

Three chapters let the reader act on an idea and watch the result: a neuron's
weight, bias and activation (book/neurons.md), gradient descent from the
learning rate and the start the reader picks (book/training.md), and a
convolution with a filter the reader edits (book/convnets.md). Each is an ES
module of its own in ``book/_static/explorables/``, with no library and no
build step; what they share (reading their data, labelled controls, spoken
updates, plots on a canvas) is ``common.js`` beside them.

The numbers are the book's. The chapter computes what its figure needs (the
data, trained weights, the limits it derives) and :func:`show_explorable`
writes them into the page as JSON, a ``<script type="application/json">``
that the module reads (the build moves one of more than 20 kB into a file of
its own, as it does the drawing page's weights: booktools/sphinx/moved_data.py).
The same output carries the figure for print, drawn by the chapter with
matplotlib: the PDF takes it as vector graphics, the EPUB as a picture, and
both add a note with the web address of the interactive one
(booktools/sphinx/explorables.py).

The explorable needs the web site's scripts, so only the book's build writes it:
the build sets ``HANDWRITING_BOOK_BUILD`` for the kernels that run the chapters
(booktools/sphinx/explorables.py). Anywhere else, a notebook a reader runs for
instance, the cell shows its figure as any other cell of the book does.
"""

from __future__ import annotations

import base64
import json
import os

import numpy as np

#: Where a chapter's page (book/<chapter>.html) finds the site's static files.
STATIC = "../_static"
#: Set (to anything) by the book's build, for the kernels that run the chapters.
BUILD_VAR = "HANDWRITING_BOOK_BUILD"


def _plain(value):
    """NumPy arrays and numbers as the lists and numbers JSON knows."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} into an explorable's JSON")


def page_json(data: dict) -> str:
    """``data`` as JSON text that can stand inside a ``<script>`` element."""
    return json.dumps(data, default=_plain, allow_nan=False).replace("</", "<\\/")


def explorable_html(name: str, data: dict) -> str:
    """The web page's part: an empty box that ``explorables/<name>.js`` fills, and its data.

    Their ids start with "explorable-", apart from the ids Sphinx gives sections.
    """
    return (
        f'<div class="explorable" id="explorable-{name}" data-explorable="{name}">'
        "<noscript>This figure is interactive, and needs JavaScript, which is turned off in"
        " this browser.</noscript></div>\n"
        f'<script type="application/json" id="explorable-{name}-data">{page_json(data)}</script>\n'
        f'<link rel="stylesheet" href="{STATIC}/explorables.css">\n'
        f'<script type="module" src="{STATIC}/explorables/{name}.js"></script>'
    )


def byte_image(image) -> str:
    """An image of values in [0, 1] (MNIST's 0 to 255, scaled) as base64 of one byte a pixel."""
    pixels = np.round(np.asarray(image, dtype="float64") * 255)
    if pixels.min() < 0 or pixels.max() > 255:
        raise ValueError("an explorable's image takes values from 0 to 1, as scale() makes them")
    return base64.b64encode(pixels.astype(np.uint8).tobytes()).decode("ascii")


def convolution_data(images: dict, filters: dict, layer) -> dict:
    """The convolution explorable's data: named images, named 3 x 3 filters, a layer's filters.

    ``images`` maps a name to a 28 x 28 image, ``filters`` a name to a 3 x 3
    array of weights (their bias is 0), and ``layer`` is a trained ``Conv2D``
    of one input channel whose filters join them as "learned filter k", numbered
    as the code indexes them, from 0, as every page of the book numbers them.
    """
    from .style import weight_colours

    kernel, bias = layer.get_weights()
    presets = [
        {"name": name, "weights": np.asarray(w).ravel(), "bias": 0.0} for name, w in filters.items()
    ]
    presets += [
        {"name": f"learned filter {k}", "weights": kernel[:, :, 0, k].ravel(), "bias": bias[k]}
        for k in range(kernel.shape[-1])
    ]
    return {
        "images": [{"name": name, "pixels": byte_image(image)} for name, image in images.items()],
        "filters": presets,
        "colours": weight_colours(),
    }


def page_style() -> dict:
    """The colours of the book's figures, for the explorables' plots (handwriting.style)."""
    from .style import BOOK_STYLE, PALETTE

    return {
        "palette": PALETTE,
        "text": BOOK_STYLE["text.color"],
        "edge": BOOK_STYLE["axes.edgecolor"],
        "grid": BOOK_STYLE["grid.color"],
    }


def output_bundle(name: str, data: dict, figure) -> dict:
    """One cell output for every edition: the explorable for the web, ``figure`` for print.

    The PDF takes the PDF (vector graphics), the EPUB the PNG (``_config.yml``,
    ``nb_mime_priority_overrides``). The figure is closed.
    """
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    bundle = {
        "text/html": explorable_html(name, data),
        "text/plain": "In the web edition this figure is interactive.",
    }
    for kind, form in (("image/png", "png"), ("application/pdf", "pdf")):
        picture = print_figure(figure, form, bbox_inches="tight")
        bundle[kind] = base64.b64encode(picture).decode("ascii")
    plt.close(figure)
    return bundle


def show_explorable(name: str, figure, **data) -> None:
    """Show the explorable ``name`` with ``data`` on the web, and ``figure`` in print.

    The data also carry the book's figure colours, as ``style``. Outside the
    book's build (``BUILD_VAR`` unset), the kernel shows ``figure`` as it shows
    every figure, and the data are not written.
    """
    from IPython.display import display

    if not os.environ.get(BUILD_VAR):
        return
    display(output_bundle(name, {"style": page_style(), **data}, figure), raw=True)
