"""The book's plot style: opaque white figures that read well in both themes.

A transparent figure vanishes on the dark theme's background; a white one
reads the same in the light theme, the dark theme and the PDF.
"""

import logging

import matplotlib as mpl

#: Colours that stay distinct for readers with colour-vision deficiencies
#: (Okabe and Ito's palette).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

#: The colour that marks a mistake in a figure.
MISTAKE = "#D55E00"

#: The colours of weights, and of other values that can be negative (a filter,
#: a feature map before ReLU), on every page that draws them: red positive, blue
#: negative, white zero, on a scale symmetric about zero. The drawing page and
#: the convolution of book/convnets.md draw with the same 256 colours
#: (:func:`weight_colours`), so a filter looks the same in a figure and in a page.
WEIGHT_CMAP = "RdBu_r"

BOOK_STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "text.color": "#222222",
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#444444",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "figure.dpi": 120,
    "font.size": 10,
    "image.cmap": "gray_r",
    # Images that are pixels by nature (digits, feature maps) are drawn pixel for
    # pixel: on screen each pixel a crisp square, and in a PDF the image embedded
    # at its own size, unsmoothed ("nearest" would resample it at the figure's
    # dpi into uneven squares).
    "image.interpolation": "none",
    # The PDF edition's figures: text as embedded TrueType fonts, not Type 3.
    "pdf.fonttype": 42,
}

#: The formats a notebook kernel shows each figure in: PNG for the web pages,
#: PDF (vector graphics) for the print edition, which myst-nb prefers for LaTeX
#: (``nb_mime_priority_overrides`` in ``_config.yml``).
FIGURE_FORMATS = {"png", "pdf"}


def weight_colours() -> str:
    """The 256 colours of ``WEIGHT_CMAP`` as one string of hexadecimal RGB triples.

    A value ``v`` on a scale from ``-top`` to ``top`` takes colour number
    ``min(255, floor(256 * (v + top) / (2 * top)))``, as matplotlib picks it; the
    pages' JavaScript reads this string and picks the same way.
    """
    colours = mpl.colormaps[WEIGHT_CMAP].resampled(256)(
        range(256), bytes=True
    )  # as images have them
    return "".join(f"{r:02x}{g:02x}{b:02x}" for r, g, b, _ in colours)


def use_book_style() -> None:
    """Apply the book's style to every figure drawn from now on.

    In a notebook kernel, figures are also shown in every format of
    ``FIGURE_FORMATS``. The setting goes to the inline backend's configuration,
    which the backend re-reads whenever it is activated, so an import of pyplot
    after this call keeps it. Outside a kernel (tests, scripts) only the style
    applies.
    """
    mpl.rcParams.update(BOOK_STYLE)
    # Embedding a TrueType font in a PDF figure, fontTools notes on stderr that
    # the dates in the head table of matplotlib's Computer Modern fonts (used for
    # mathematics such as a prime) "seem very low": true, harmless, and a stderr
    # output the book's build does not allow.
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib_inline.config import InlineBackend

    InlineBackend.instance(parent=shell).figure_formats = set(FIGURE_FORMATS)
