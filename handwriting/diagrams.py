"""Diagrams of neurons and networks, drawn with matplotlib.

The chapters call these to draw their schematic figures; the code that trains
and inspects models stays in the chapters.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .style import PALETTE

INK = "#222222"
EDGE = "#9a9a9a"
INPUT, HIDDEN, OUTPUT = PALETTE[5], PALETTE[0], PALETTE[1]


def _canvas(width: float, height: float, xlim, ylim):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _node(ax, x, y, radius, color, label="", fontsize=11, text_color=INK):
    ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor=INK, linewidth=1.2, zorder=3))
    if label:
        ax.text(
            x, y, label, ha="center", va="center", fontsize=fontsize, color=text_color, zorder=4
        )


def _arrow(ax, start, end, color=INK, width=1.2, shrink=0.0):
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12,
            color=color,
            linewidth=width,
            shrinkA=shrink,
            shrinkB=shrink,
            zorder=2,
        )
    )


def draw_neuron(n_inputs: int = 3) -> plt.Figure:
    """One artificial neuron k: inputs, weights, bias, weighted sum, activation, output."""
    fig, ax = _canvas(7.2, 3.6, (-0.4, 10.2), (-0.6, 4.6))
    ys = [3.6 - i * (3.0 / max(n_inputs - 1, 1)) for i in range(n_inputs)]
    sum_xy, act_xy, out_x = (5.0, 2.0), (7.3, 2.0), 9.6
    for i, y in enumerate(ys, start=1):
        last = i == n_inputs
        name = "n" if last and n_inputs > 2 else str(i)
        _node(ax, 0.4, y, 0.38, INPUT, f"$x_{{{name}}}$")
        start, end = (0.8, y), (sum_xy[0] - 0.55, sum_xy[1] + (y - 2.0) * 0.25)
        _arrow(ax, start, end)
        label_x = 2.45  # the weight's label sits just above its arrow
        label_y = start[1] + (end[1] - start[1]) * (label_x - start[0]) / (end[0] - start[0])
        ax.text(
            label_x,
            label_y + 0.12,
            f"$w_{{k{name}}}$",
            fontsize=11,
            color=PALETTE[0],
            ha="center",
            va="bottom",
        )
    if n_inputs > 2:
        ax.text(0.4, (ys[-2] + ys[-1]) / 2, "$\\vdots$", ha="center", va="center", fontsize=14)
    # bias: the weight of an input that is always 1
    _node(ax, sum_xy[0], 0.0, 0.32, "#eeeeee", "$1$", fontsize=10)
    _arrow(ax, (sum_xy[0], 0.32), (sum_xy[0], sum_xy[1] - 0.56))
    ax.text(sum_xy[0] + 0.15, 0.85, "$b_k$", fontsize=11, color=PALETTE[0])
    _node(ax, *sum_xy, 0.55, "white", "$\\Sigma$", fontsize=15)
    ax.add_patch(
        FancyBboxPatch(
            (act_xy[0] - 0.55, act_xy[1] - 0.45),
            1.1,
            0.9,
            boxstyle="round,pad=0.05",
            facecolor=HIDDEN,
            edgecolor=INK,
            zorder=3,
        )
    )
    ax.text(*act_xy, "$\\varphi$", ha="center", va="center", fontsize=15, color="white", zorder=4)
    _arrow(ax, (sum_xy[0] + 0.55, 2.0), (act_xy[0] - 0.6, 2.0))
    _arrow(ax, (act_xy[0] + 0.6, 2.0), (out_x - 0.2, 2.0))
    ax.text(out_x, 2.0, "$y_k$", ha="left", va="center", fontsize=13)
    captions = [
        (0.4, 4.35, "inputs"),
        (2.45, 4.35, "weights"),
        (sum_xy[0], 4.35 - 1.2, "weighted sum"),
        (act_xy[0], 4.35 - 1.2, "activation"),
        (out_x + 0.2, 4.35 - 1.2, "output"),
        (sum_xy[0] + 1.0, -0.05, "bias"),
    ]
    for x, y, text in captions:
        ax.text(x, y, text, ha="center", va="center", fontsize=9, color="#555555")
    return fig


def draw_network(
    sizes: Sequence[int] = (784, 128, 10),
    labels: Sequence[str] = ("input: 784 pixels", "Dense 128, ReLU", "Dense 10, softmax"),
    shown: Sequence[int] = (9, 7, 10),
) -> plt.Figure:
    """A fully connected network, one column of neurons per layer.

    Layers with more neurons than ``shown`` draw the first and last few with a
    gap between them, and say how many there are in all.
    """
    if not len(sizes) == len(labels) == len(shown):
        raise ValueError("sizes, labels and shown must have the same length")
    spacing, gap = 0.55, 3.2
    tallest = max(min(n, s) for n, s in zip(sizes, shown))
    height = tallest * spacing
    fig, ax = _canvas(
        2.4 * len(sizes) + 1.2,
        0.55 * tallest + 1.6,
        (-1.2, gap * (len(sizes) - 1) + 1.2),
        (-1.3, height + 0.3),
    )
    columns = []
    for index, (size, count) in enumerate(zip(sizes, shown)):
        count = min(size, count)
        x = index * gap
        top = height - (height - count * spacing) / 2 - spacing / 2
        ys = [top - i * spacing for i in range(count)]
        truncated = size > count
        if truncated:  # leave a slot for the dots in the middle
            middle = count // 2
            dots_y = ys[middle]
            ys = ys[:middle] + ys[middle + 1 :]
            ax.text(x, dots_y, "$\\vdots$", ha="center", va="center", fontsize=15)
        columns.append((x, ys))
    colors = [INPUT] + [HIDDEN] * (len(sizes) - 2) + [OUTPUT]
    for (x0, ys0), (x1, ys1) in zip(columns, columns[1:]):
        for y0 in ys0:
            for y1 in ys1:
                ax.plot([x0, x1], [y0, y1], color=EDGE, linewidth=0.4, zorder=1)
    for (x, ys), color, label in zip(columns, colors, labels):
        for y in ys:
            _node(ax, x, y, 0.18, color)
        ax.text(x, -0.55, label, ha="center", va="top", fontsize=9.5)
    if sizes[-1] == len(columns[-1][1]) == 10:
        for digit, y in enumerate(columns[-1][1]):
            ax.text(
                columns[-1][0] + 0.35, y, str(digit), va="center", fontsize=8.5, color="#555555"
            )
    return fig


def draw_dense_layer(n_in: int = 4, n_out: int = 3) -> plt.Figure:
    """A fully connected (dense) layer: every input feeds every neuron."""
    span = max(n_in, n_out) - 1
    fig, ax = _canvas(5.0, 0.75 * span + 1.6, (-0.9, 4.9), (-1.0, span + 0.6))
    ins = [(0.0, span / 2 + (n_in - 1) / 2 - i) for i in range(n_in)]
    outs = [(3.2, span / 2 + (n_out - 1) / 2 - j) for j in range(n_out)]
    for x0, y0 in ins:
        for x1, y1 in outs:
            _arrow(ax, (x0 + 0.3, y0), (x1 - 0.3, y1), color=EDGE, width=0.9)
    for i, (x, y) in enumerate(ins, start=1):
        _node(ax, x, y, 0.28, INPUT, f"$x_{i}$", fontsize=10)
    for j, (x, y) in enumerate(outs, start=1):
        _node(ax, x, y, 0.28, HIDDEN, f"$y_{j}$", fontsize=10, text_color="white")
        ax.text(x + 0.45, y, f"$+\\,b_{j}$", va="center", fontsize=9, color="#555555")
    ax.text(0.0, -0.75, f"{n_in} inputs", ha="center", fontsize=9)
    ax.text(3.2, -0.75, f"{n_out} neurons", ha="center", fontsize=9)
    ax.text(
        1.6,
        span + 0.35,
        f"{n_in} × {n_out} = {n_in * n_out} weights, {n_out} biases",
        ha="center",
        fontsize=9.5,
    )
    return fig
