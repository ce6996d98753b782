"""The site's PNG figures are made smaller without changing what they show."""

import numpy as np
import pytest
from PIL import Image

from booktools.sphinx import figures

pytestmark = pytest.mark.unit


def _plot_like():
    """A white canvas with a few flat colours, as a line plot has."""
    pixels = np.full((120, 200, 3), 255, dtype=np.uint8)
    pixels[20:30, :, :] = (31, 119, 180)
    pixels[60:70, :, :] = (255, 127, 14)
    pixels[:, 100:102, :] = 0
    return Image.fromarray(pixels)


def _many_colours():
    """A grey picture with a band of 30,000 pixels of random colours: more than 256 can hold."""
    pixels = np.full((300, 700, 3), 128, dtype=np.uint8)
    band = np.random.default_rng(0).integers(0, 256, size=(50, 600, 3), dtype=np.uint8)
    pixels[10:60, 50:650] = band
    return Image.fromarray(pixels)


def test_a_plot_of_a_few_colours_is_written_with_256():
    image = _plot_like()
    quantized = image.quantize(256, dither=Image.Dither.NONE)
    assert figures.faithful(image, quantized)


def test_a_picture_whose_colours_256_cannot_hold_keeps_them(tmp_path):
    image = _many_colours()
    quantized = image.quantize(256, dither=Image.Dither.NONE)
    assert not figures.faithful(image, quantized)
    path = tmp_path / "figure.png"
    image.save(path)
    figures.optimise(path)
    with Image.open(path) as written:
        assert written.mode == "RGB"
        assert np.array_equal(np.asarray(written), np.asarray(image))
