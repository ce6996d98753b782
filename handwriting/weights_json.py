"""A trained Keras network as JSON text for the "Draw a digit" page, and back.

The page runs the book's networks in the reader's browser with a forward pass
written by hand in JavaScript (``book/_static/draw-a-digit/``). It reads them
from the JSON this module writes: one entry per layer that computes something,
in order, with its weights as the base64 text of their little-endian bytes::

    {"name": "cnn", "input_shape": [28, 28, 1], "layers": [
        {"type": "conv2d", "name": "conv_1",
         "kernel": {"shape": [3, 3, 1, 32], "data": "...", "scale": "...", "groups": 1},
         "bias": {"shape": [32], "data": "..."}, "activation": "relu", "padding": "valid",
         "strides": [1, 1]},
        {"type": "max_pool", "name": "pool_1", "pool_size": [2, 2], "strides": [2, 2],
         "padding": "valid"},
        {"type": "scale_shift", "name": "norm_1", "scale": {...}, "shift": {...}},
        {"type": "flatten", "name": "flatten"},
        {"type": "dense", "name": "dense", "kernel": {...}, "bias": {...}, "activation": "relu"},
        ...]}

Batch normalization, at prediction time, multiplies each channel by
``gamma / sqrt(running variance + epsilon)`` and adds ``beta - running mean *
that``. Where the next layer that computes is a dense layer, or a convolution
without padding, those numbers are folded into its weights (its ``"folded"``
lists the layers folded in), which gives the same result with less work: the
folded layer's inputs are then the zeros of the ReLU before, which the page
skips. Elsewhere they stay a ``scale_shift`` layer. Layers that do nothing at
prediction time (dropout, random translation) are left out.

An array with a ``"scale"`` holds whole numbers from -127 to 127, one byte a
weight, and float32 scales beside them (base64 too), one per output unit (the
array's last axis) and input channel (``"groups"`` of them): a weight is its
whole number times its scale, which is the largest absolute weight sharing it
divided by 127. Kernels are written so, after folding; biases and the rest stay
float32, four bytes each.

The chapter, the tests and the page share this one definition: :func:`export`
writes it, :func:`decode` reads an array back, :func:`forward` runs it in NumPy
(float64, as the page does), :func:`to_keras` makes a Keras network with the
same weights, and :func:`stroke_widths` is the measure of stroke width that
sets the page's pen.
"""

from __future__ import annotations

import base64
import json

import numpy as np

#: Keras layers that leave an image unchanged when the network predicts.
INACTIVE_AT_PREDICTION = (
    "Dropout",
    "RandomTranslation",
    "RandomRotation",
    "RandomZoom",
    "InputLayer",
)
#: The activations the page's forward pass knows.
ACTIVATIONS = ("relu", "softmax", "linear")


def _base64(array: np.ndarray) -> str:
    return base64.b64encode(array.tobytes()).decode("ascii")


def encode(array, bits: int | None = None, groups: int = 1) -> dict:
    """An array as ``{"shape": [...], "data": base64 of its little-endian bytes}``.

    Without ``bits``, the bytes are float32. With ``bits`` (2 to 8), each weight
    is a whole number of at most that many bits, stored in a byte, times a
    scale: one scale per output unit (the last axis) and per group, where the
    weights of the ``groups`` input channels take turns along the other axes
    (a convolution's input channels; a dense layer's inputs after a Flatten of
    a ``groups``-channel image). The scales are stored beside the bytes.
    """
    array = np.asarray(array, dtype="<f4")
    if bits is None:
        return {"shape": list(array.shape), "data": _base64(array)}
    if not 2 <= bits <= 8:
        raise ValueError(f"weights are stored in 2 to 8 bits, not {bits}")
    grouped = array.reshape(-1, groups, array.shape[-1])
    largest = np.abs(grouped).max(axis=0)
    scale = (np.where(largest > 0, largest, 1) / (2 ** (bits - 1) - 1)).astype("<f4")
    integers = np.rint(grouped / scale).astype("i1")
    return {
        "shape": list(array.shape),
        "data": _base64(integers),
        "scale": _base64(scale),
        "groups": groups,
    }


def decode(entry: dict) -> np.ndarray:
    """The float32 array that :func:`encode` wrote (whole numbers times scales where it has them)."""
    raw = base64.b64decode(entry["data"])
    if "scale" not in entry:
        return np.frombuffer(raw, dtype="<f4").reshape(entry["shape"])
    groups, units = entry["groups"], entry["shape"][-1]
    scale = np.frombuffer(base64.b64decode(entry["scale"]), dtype="<f4").reshape(groups, units)
    integers = np.frombuffer(raw, dtype="i1").reshape(-1, groups, units)
    return (integers.astype("<f4") * scale).reshape(entry["shape"])


def _activation(layer) -> str:
    name = layer.activation.__name__
    if name not in ACTIVATIONS:
        raise ValueError(f"layer {layer.name}: the page has no {name!r} activation")
    return name


def _pair(value) -> list[int]:
    return [int(v) for v in value] if np.ndim(value) else [int(value)] * 2


def _layer(layer) -> dict | None:
    """The JSON entry for one Keras layer, or None for a layer inactive at prediction."""
    kind = type(layer).__name__
    entry = {"name": layer.name}
    if kind in INACTIVE_AT_PREDICTION:
        return None
    if kind == "Conv2D":
        if _pair(layer.dilation_rate) != [1, 1] or layer.groups != 1:
            raise ValueError(f"layer {layer.name}: the page has no dilated or grouped convolution")
        return entry | {
            "type": "conv2d",
            "kernel": encode(layer.kernel),
            "bias": encode(layer.bias),
            "activation": _activation(layer),
            "padding": layer.padding,
            "strides": _pair(layer.strides),
        }
    if kind == "MaxPooling2D":
        return entry | {
            "type": "max_pool",
            "pool_size": _pair(layer.pool_size),
            "strides": _pair(layer.strides),
            "padding": layer.padding,
        }
    if kind == "BatchNormalization":
        variance = np.asarray(layer.moving_variance, dtype=np.float64)
        scale = 1 / np.sqrt(variance + layer.epsilon)
        if layer.gamma is not None:
            scale = scale * np.asarray(layer.gamma)
        shift = -np.asarray(layer.moving_mean) * scale
        if layer.beta is not None:
            shift = shift + np.asarray(layer.beta)
        return entry | {"type": "scale_shift", "scale": encode(scale), "shift": encode(shift)}
    if kind == "Flatten":
        return entry | {"type": "flatten"}
    if kind == "Dense":
        return entry | {
            "type": "dense",
            "kernel": encode(layer.kernel),
            "bias": encode(layer.bias),
            "activation": _activation(layer),
        }
    raise ValueError(f"layer {layer.name}: the page cannot run a {kind} layer")


def _fold(norm: dict, layer: dict) -> dict:
    """``layer`` computing from the output of the scale_shift ``norm`` (see the module's text)."""
    scale, shift = (decode(norm[key]).astype(np.float64) for key in ("scale", "shift"))
    kernel, bias = (decode(layer[key]).astype(np.float64) for key in ("kernel", "bias"))
    if layer["type"] == "conv2d":  # kernel: height, width, input channel, output channel
        bias = bias + np.einsum("ijco,c->o", kernel, shift)
        kernel = kernel * scale[:, None]
    else:  # dense, after flatten: input i is channel i % channels
        channels = len(scale)
        bias = bias + np.tile(shift, len(kernel) // channels) @ kernel
        kernel = kernel * np.tile(scale, len(kernel) // channels)[:, None]
    folded = layer.get("folded", []) + [norm["name"]]
    return layer | {"kernel": encode(kernel), "bias": encode(bias), "folded": folded}


def _fold_normalization(layers: list[dict]) -> list[dict]:
    """The layers with each scale_shift folded into the next layer where that is exact."""
    result = list(layers)
    for index in range(len(result) - 1, -1, -1):
        if result[index]["type"] != "scale_shift":
            continue
        after = index + 1
        while after < len(result) and result[after]["type"] == "flatten":
            after += 1
        if after == len(result):
            continue
        target = result[after]
        if target["type"] == "dense" or (
            target["type"] == "conv2d" and target["padding"] == "valid"
        ):
            result[after] = _fold(result[index], target)
            del result[index]
    return result


def _store_kernels(layers: list[dict], bits: int, channels: int) -> list[dict]:
    """The layers with their kernels in ``bits`` bits a weight, grouped by input channel.

    ``channels`` is the number of channels of the network's input.
    """
    stored, flattened = [], None
    for layer in layers:
        if layer["type"] == "flatten":
            flattened = channels
        if "kernel" in layer:
            kernel = decode(layer["kernel"])
            groups = kernel.shape[2] if layer["type"] == "conv2d" else flattened or 1
            layer = layer | {"kernel": encode(kernel, bits=bits, groups=groups)}
            channels, flattened = kernel.shape[-1], None
        stored.append(layer)
    return stored


def export(model, name: str, fold: bool = True, bits: int | None = 8) -> dict:
    """A trained Sequential model as the page's JSON structure (a dict; see the module's text).

    With ``fold`` false, batch normalization stays a scale_shift layer of its own.
    Kernels are stored in ``bits`` bits a weight (see :func:`encode`); with
    ``bits=None``, as float32, exactly as Keras has them.
    """
    layers = [entry for entry in map(_layer, model.layers) if entry is not None]
    if fold:
        layers = _fold_normalization(layers)
    input_shape = [int(n) for n in model.input_shape[1:]]
    if bits is not None:
        layers = _store_kernels(layers, bits, input_shape[-1] if len(input_shape) == 3 else 1)
    return {"name": name, "input_shape": input_shape, "layers": layers}


def dumps(models: dict, bits: int | None = 8, **settings) -> str:
    """The page's JSON document: ``settings`` (such as the pen's width) and the named models.

    ``bits`` is passed to :func:`export`. The document also carries the colours
    the page draws weights in, the book's (:func:`handwriting.style.weight_colours`),
    as ``"weight_colours"``.
    """
    from .style import weight_colours

    exported = {name: export(model, name, bits=bits) for name, model in models.items()}
    return json.dumps(settings | {"weight_colours": weight_colours(), "models": exported})


def to_keras(spec: dict):
    """A Keras network that computes what the JSON's network computes, with its weights.

    The tests hold the page's forward pass to this network, so that they check
    the page's arithmetic on the very weights the page has.
    """
    import keras

    def made(layer: dict):
        kind, name = layer["type"], layer["name"]
        if kind == "conv2d":
            height, width, _, filters = layer["kernel"]["shape"]
            return keras.layers.Conv2D(
                filters,
                (height, width),
                strides=layer["strides"],
                padding=layer["padding"],
                activation=layer["activation"],
                name=name,
            )
        if kind == "max_pool":
            pool, strides, padding = layer["pool_size"], layer["strides"], layer["padding"]
            return keras.layers.MaxPooling2D(pool, strides=strides, padding=padding, name=name)
        if kind == "scale_shift":
            return keras.layers.BatchNormalization(epsilon=0.0, name=name)
        if kind == "flatten":
            return keras.layers.Flatten(name=name)
        if kind == "dense":
            units = layer["kernel"]["shape"][-1]
            return keras.layers.Dense(units, activation=layer["activation"], name=name)
        raise ValueError(f"unknown layer type {kind!r}")

    shape = spec["input_shape"] + ([1] if len(spec["input_shape"]) == 2 else [])
    network = keras.Sequential(
        [keras.Input(shape=shape)] + [made(layer) for layer in spec["layers"]], name=spec["name"]
    )
    for layer, keras_layer in zip(spec["layers"], network.layers, strict=True):
        if layer["type"] in ("conv2d", "dense"):
            keras_layer.set_weights([decode(layer["kernel"]), decode(layer["bias"])])
        elif layer["type"] == "scale_shift":
            scale, shift = decode(layer["scale"]), decode(layer["shift"])
            # gamma * (x - mean) / sqrt(variance + epsilon) + beta, with epsilon 0
            keras_layer.set_weights([scale, shift, np.zeros_like(scale), np.ones_like(scale)])
    return network


# -------------------------------------------------------- the forward pass in NumPy


def _windows(x: np.ndarray, size: list[int], strides: list[int], padding: str, fill: float):
    """Every ``size`` window of images ``x`` (n, h, w, c): an array (n, oh, ow, c, kh, kw)."""
    if padding == "same":
        pads = []
        for length, k, s in zip(x.shape[1:3], size, strides):
            total = max((-(-length // s) - 1) * s + k - length, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, ((0, 0), *pads, (0, 0)), constant_values=fill)
    view = np.lib.stride_tricks.sliding_window_view(x, size, axis=(1, 2))
    return view[:, :: strides[0], :: strides[1]]


def _activate(x: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return np.maximum(x, 0)
    if activation == "softmax":
        x = np.exp(x - x.max(axis=-1, keepdims=True))
        return x / x.sum(axis=-1, keepdims=True)
    return x


def forward(spec: dict, images: np.ndarray, every_layer: bool = False, batch: int = 1000):
    """Run the JSON's network on ``images`` in float64, as the page does.

    Returns the probabilities (n, 10); with ``every_layer``, a list of each
    layer's output instead (the last one being the probabilities).
    """
    images = np.asarray(images, dtype=np.float64).reshape(-1, *spec["input_shape"])
    if len(spec["input_shape"]) == 2:
        images = images[..., None]
    weights = [
        {
            key: decode(value).astype(np.float64)
            for key, value in layer.items()
            if isinstance(value, dict)
        }
        for layer in spec["layers"]
    ]
    chunks = []
    for start in range(0, len(images), batch):
        x, outputs = images[start : start + batch], []
        for layer, arrays in zip(spec["layers"], weights):
            kind = layer["type"]
            if kind == "conv2d":
                kernel = arrays["kernel"]
                view = _windows(x, kernel.shape[:2], layer["strides"], layer["padding"], 0.0)
                x = np.einsum("nhwcij,ijco->nhwo", view, kernel, optimize=True) + arrays["bias"]
                x = _activate(x, layer["activation"])
            elif kind == "max_pool":
                view = _windows(x, layer["pool_size"], layer["strides"], layer["padding"], -np.inf)
                x = view.max(axis=(4, 5))
            elif kind == "scale_shift":
                x = x * arrays["scale"] + arrays["shift"]
            elif kind == "flatten":
                x = x.reshape(len(x), -1)
            elif kind == "dense":
                x = _activate(
                    x.reshape(len(x), -1) @ arrays["kernel"] + arrays["bias"], layer["activation"]
                )
            else:
                raise ValueError(f"unknown layer type {kind!r}")
            outputs.append(x)
        chunks.append(outputs)
    if every_layer:
        return [np.concatenate(parts) for parts in zip(*chunks)]
    return np.concatenate([outputs[-1] for outputs in chunks])


def stroke_widths(images: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """The lengths of the runs of ink pixels (above ``threshold``) along the rows of the images."""
    images = np.asarray(images)
    ink = np.pad(images.reshape(-1, *images.shape[-2:]) > threshold, ((0, 0), (0, 0), (1, 1)))
    edges = np.diff(ink.astype(np.int8), axis=2).ravel()
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
