"""Figures that several chapters draw."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from .style import MISTAKE


def show_digits(
    images: np.ndarray,
    titles: Sequence[str],
    mistakes: Sequence[bool] | None = None,
    ncols: int | None = None,
) -> plt.Figure:
    """Draw digit images side by side in one figure, each under its title.

    Panels whose entry in ``mistakes`` is true get a coloured frame and title,
    so that wrong predictions stand out (and the title says so in words too).
    """
    images = np.asarray(images)
    if len(images) != len(titles):
        raise ValueError(f"got {len(images)} images but {len(titles)} titles")
    mistakes = [False] * len(images) if mistakes is None else list(mistakes)
    ncols = ncols or len(images)
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.55 * nrows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, title, wrong in zip(axes.flat, images, titles, mistakes):
        ax.axis("on")
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=image.max() or 1, interpolation="none")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_title(title, fontsize=9, color=MISTAKE if wrong else plt.rcParams["text.color"])
        for spine in ax.spines.values():
            spine.set_visible(wrong)
            spine.set_color(MISTAKE)
            spine.set_linewidth(2.5)
    fig.tight_layout()
    return fig
