"""The book's plot style: opaque white figures that read well in both themes.

A transparent figure vanishes on the dark theme's background; a white one
reads the same in the light theme, the dark theme and the PDF.
"""

import matplotlib as mpl

#: Colours that stay distinct for readers with colour-vision deficiencies
#: (Okabe and Ito's palette).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

#: The colour that marks a mistake in a figure.
MISTAKE = "#D55E00"

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
}


def use_book_style() -> None:
    """Apply the book's style to every figure drawn from now on."""
    mpl.rcParams.update(BOOK_STYLE)
