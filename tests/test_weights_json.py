"""The drawing page's weight format (handwriting/weights_json.py), on a small network.

The chapters and tests/test_draw_digit.py check it on the book's own networks;
these tests check its parts on a network small enough to build in a second:
float32 arrays come back exactly, rounded ones within half a scale step, the
bits and groups are what the page reads, and to_keras computes what forward does.
"""

import numpy as np
import pytest

from handwriting import weights_json

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def network():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.BatchNormalization(),
            keras.layers.Conv2D(6, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.BatchNormalization(),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    rng = np.random.default_rng(0)
    for layer in model.layers:  # running statistics that differ from channel to channel
        if isinstance(layer, keras.layers.BatchNormalization):
            gamma, beta, mean, variance = layer.get_weights()
            n = len(gamma)
            layer.set_weights([rng.uniform(0.5, 2, n), rng.normal(0, 0.1, n),
                               rng.normal(0, 0.2, n), rng.uniform(0.01, 4, n)])  # fmt: skip
    return model


def test_float32_arrays_come_back_exactly():
    array = np.random.default_rng(1).normal(size=(3, 3, 2, 5)).astype("float32")
    assert np.array_equal(weights_json.decode(weights_json.encode(array)), array)


@pytest.mark.parametrize("bits", [8, 4])
def test_rounded_weights_are_within_half_a_step_of_their_scale(bits):
    array = np.random.default_rng(2).normal(size=(3, 3, 2, 5)).astype("float32")
    array[..., 1, :] *= 100  # one input channel much larger than the other
    entry = weights_json.encode(array, bits=bits, groups=2)
    assert entry["groups"] == 2 and len(entry["data"]) < len(weights_json.encode(array)["data"])
    step = np.abs(array).reshape(-1, 2, 5).max(axis=0) / (2 ** (bits - 1) - 1)
    error = np.abs(weights_json.decode(entry) - array).reshape(-1, 2, 5)
    assert np.all(error <= step / 2 * (1 + 1e-5))
    assert np.array_equal(np.abs(error).max(axis=0) > 0, np.ones((2, 5), bool))


def test_bits_outside_a_byte_are_refused():
    with pytest.raises(ValueError, match="2 to 8 bits"):
        weights_json.encode(np.ones((2, 2)), bits=9)


def test_the_export_groups_the_kernels_by_input_channel(network):
    spec = weights_json.export(network, "small")
    kernels = [layer["kernel"] for layer in spec["layers"] if "kernel" in layer]
    # conv: its input channels (1, then 4); dense: the 6 channels flattened into it
    assert [kernel["groups"] for kernel in kernels] == [1, 4, 6]
    assert all("scale" not in layer.get("bias", {}) for layer in spec["layers"])
    assert [layer["type"] for layer in spec["layers"]] == [
        "conv2d", "max_pool", "conv2d", "max_pool", "flatten", "dense"
    ]  # fmt: skip


@pytest.mark.parametrize("bits", [None, 8])
def test_keras_and_numpy_compute_the_same_from_the_json(network, bits):
    images = np.random.default_rng(3).uniform(size=(20, 28, 28)).astype("float32")
    spec = weights_json.export(network, "small", bits=bits)
    by_numpy = weights_json.forward(spec, images)
    by_keras = weights_json.to_keras(spec).predict(images[..., None], verbose=0)
    np.testing.assert_allclose(by_numpy, by_keras, atol=1e-5)
    if bits is None:  # exact weights: folding batch normalization changes nothing
        original = network.predict(images[..., None], verbose=0)
        np.testing.assert_allclose(by_numpy, original, atol=1e-5)
