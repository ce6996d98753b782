"""How long the "Draw a digit" page takes to read a drawing, in headless Chromium.

The page (book/draw-a-digit.html, from the built site) is opened in Debian's
Chromium, served from this machine. For each of ten drawn digits the page's
own ``digitReader.benchmark`` reads the drawing many times, timing the
preprocessing and each network's forward pass; this script reports the median
and the largest time over all reads:

    python scripts/benchmark_draw.py            # a table
    python scripts/benchmark_draw.py --json     # the same numbers, as JSON

A read by a network is the preprocessing plus that network's forward pass:
what the page does each time the reader lifts the pen.
"""

from __future__ import annotations

import argparse
import json
import math

import numpy as np

from booktools import paths
from booktools.browser import launch_chromium, serve

PAGE = "book/draw-a-digit.html"


def _arc(cx, cy, rx, ry, start, end, n=24):
    angles = np.radians(np.linspace(start, end, n))
    return [[cx + rx * math.cos(a), cy + ry * math.sin(a)] for a in angles]


#: Ten plain digits, in pad coordinates (0 to 1, y down): enough ink to time a read.
DIGITS = [
    [_arc(0.5, 0.5, 0.22, 0.35, 0, 360)],
    [[[0.5, 0.15], [0.5, 0.85]]],
    [_arc(0.5, 0.33, 0.2, 0.18, 190, 395) + [[0.27, 0.86], [0.76, 0.85]]],
    [_arc(0.47, 0.32, 0.19, 0.17, 210, 450) + _arc(0.47, 0.67, 0.22, 0.19, 270, 520)],
    [[[0.31, 0.14], [0.26, 0.58], [0.76, 0.57]], [[0.64, 0.15], [0.63, 0.87]]],
    [
        [[0.36, 0.15], [0.32, 0.48]] + _arc(0.48, 0.66, 0.22, 0.2, 228, 490),
        [[0.36, 0.15], [0.73, 0.14]],
    ],
    [_arc(0.86, 0.62, 0.52, 0.49, 228, 180, 12) + _arc(0.53, 0.68, 0.19, 0.18, 180, -175)],
    [[[0.26, 0.16], [0.75, 0.16], [0.44, 0.86]]],
    [_arc(0.5, 0.31, 0.16, 0.16, 90, 450) + _arc(0.5, 0.67, 0.2, 0.2, 270, -90)],
    [_arc(0.5, 0.33, 0.19, 0.18, 0, -360) + [[0.69, 0.33], [0.64, 0.87]]],
]


def measure(html=paths.HTML, runs: int = 50) -> dict:
    """Times in ms of every read, per step: {"preprocess": [...], "mlp": [...], "cnn": [...]}."""
    from playwright.sync_api import sync_playwright

    times = {"preprocess": [], "mlp": [], "cnn": []}
    with serve(html) as base_url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(base_url + PAGE)
        page.wait_for_function("window.digitReader && window.digitReader.models")
        for strokes in DIGITS:
            page.evaluate("strokes => window.digitReader.drawStrokes(strokes)", strokes)
            page.evaluate(f"window.digitReader.benchmark({runs // 5})")  # warm up the JIT
            measured = page.evaluate(f"window.digitReader.benchmark({runs})")
            for key, values in measured.items():
                times[key] += values
        browser.close()
    return times


def summary(times: dict) -> dict:
    """Median and largest time of a read by each network (preprocessing included), and of a step."""
    pre = np.array(times["preprocess"])
    result = {}
    for key in ("mlp", "cnn"):
        forward = np.array(times[key])
        result[key] = {
            "median_ms": float(np.median(pre + forward)),
            "max_ms": float(np.max(pre + forward)),
            "forward_median_ms": float(np.median(forward)),
        }
    result["preprocess"] = {"median_ms": float(np.median(pre)), "max_ms": float(np.max(pre))}
    result["reads"] = len(pre)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="reads of each drawing (default 50)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = summary(measure(runs=args.runs))
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['reads']} reads of ten drawings in headless Chromium ({paths.HTML / PAGE})")
    print(f"{'step':28} {'median ms':>10} {'max ms':>8}")
    pre = result["preprocess"]
    print(f"{'preprocessing':28} {pre['median_ms']:10.2f} {pre['max_ms']:8.2f}")
    for key, name in (("mlp", "dense network"), ("cnn", "convolutional network")):
        print(
            f"{'read by the ' + name:28} {result[key]['median_ms']:10.2f} "
            f"{result[key]['max_ms']:8.2f}   "
            f"(forward pass alone: median {result[key]['forward_median_ms']:.2f})"
        )


if __name__ == "__main__":
    main()
