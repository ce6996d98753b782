"""The model store: each of the book's models trained once, then loaded by every chapter.

Training the convolutional network takes minutes; the chapters that study it
(error analysis, the drawing page) should not pay that again, and should see
the very model the chapter that teaches it trained. ``trained_mlp()`` and
``trained_cnn()`` return the trained model from the store, or train it with
:mod:`handwriting.models` and keep it there first.

An entry is keyed by everything that determines the trained model: the code
of its recipe (the functions of :mod:`handwriting.models`,
:mod:`handwriting.neurons` and this module that build, compile, prepare the
data and train it), the contents of the data's arrays (MNIST's, or the single
neuron's points), and the versions of Python, TensorFlow, Keras and NumPy. A
change to any of them makes a new key, so an entry is never stale. An entry
is written to a temporary folder and renamed into place when complete, so an
interrupted build leaves nothing that a later one would load; an entry that
cannot be read is trained again.

An entry also records what trained it (:func:`handwriting.machine.record`: the
CPUs, the GPUs, the processor and the versions), because the machine is not
part of the key: a store restored from an earlier build on another computer
holds that computer's training times, and :attr:`Trained.trained_on` says so
in words a page can glue beside a time.

The store lives in ``_build/models`` of the book's checkout, or in the folder
named by ``HANDWRITING_MODELS``; a chapter run outside a checkout (a
downloaded notebook, Colab) uses ``~/.cache/handwriting/models``, and trains
what it needs the first time, with the same seed and so the same numbers.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import machine, models, neurons
from .data import fingerprint, load_mnist, scale

ENV_VAR = "HANDWRITING_MODELS"
MODEL_FILE, ENTRY_FILE = "model.keras", "entry.json"
#: The entries' layout; an entry of another format is trained again.
FORMAT = 2


@dataclass(frozen=True)
class Trained:
    """A trained model, its per-epoch history, how long its training took, and on what."""

    model: object  # a keras.Model
    history: dict[str, list[float]]
    seconds: float
    key: str
    machine: dict = field(default_factory=dict)  # handwriting.machine.record() of the training

    @property
    def trained_on(self) -> str:
        """What trained the model, in words: "2 CPUs and no GPU, TensorFlow 2.21.0"."""
        return machine.describe(self.machine)


def location() -> Path:
    """The store's folder: ``HANDWRITING_MODELS``, ``_build/models`` of a checkout, or a cache."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "_toc.yml").is_file() and (checkout / "_config.yml").is_file():
        return checkout / "_build" / "models"
    return Path.home() / ".cache" / "handwriting" / "models"


def _mlp_data():
    (x_train, y_train), _ = splits = load_mnist()
    return splits, scale(x_train), y_train


def _cnn_data():
    (x_train, y_train), _ = splits = load_mnist()
    return splits, scale(x_train)[..., np.newaxis], y_train


def _neuron_data():
    x, y = neurons.line_data()
    return ((x, y),), x, y


@dataclass(frozen=True)
class Recipe:
    """How a model is made: its data, its layers, its training, and the code that decides it."""

    prepare: Callable  # () -> (the data's arrays in pairs, for the key; x_train, y_train)
    build: Callable
    train: Callable  # (x_train, y_train, **settings) -> (model, history)
    settings: dict = field(default_factory=dict)
    code: tuple[Callable, ...] = ()  # every function whose code decides the trained model


MLP_CODE = (_mlp_data, scale, models.build_mlp, models.compile_mlp, models.train_mlp)
CNN_CODE = (_cnn_data, scale, models.build_cnn, models.train_cnn)
NEURON_CODE = (_neuron_data, neurons.line_data, neurons.build_neuron, neurons.train_neuron)

RECIPES = {
    # The classifier of Part I, as book/first-classifier.md trains it.
    "mlp": Recipe(_mlp_data, models.build_mlp, models.train_mlp, code=MLP_CODE),
    # The same classifier after 5 epochs with a tenth held out, as book/training-classifier.md
    # trains it.
    "mlp_validated": Recipe(
        _mlp_data,
        models.build_mlp,
        models.train_mlp,
        {"epochs": 5, "validation_split": 0.1},
        code=MLP_CODE,
    ),
    # The book's convolutional network, as book/convnets-training.md trains it.
    "cnn": Recipe(_cnn_data, models.build_cnn, models.train_cnn, code=CNN_CODE),
    # The single tanh neuron of book/neuron-training.md, as that page trains it.
    "neuron": Recipe(_neuron_data, neurons.build_neuron, neurons.train_neuron, code=NEURON_CODE),
}


def entry_key(name: str, data_fingerprint: str) -> str:
    """The key of a recipe's entry: a sha256 of its code, its data and the package versions."""
    recipe = RECIPES[name]
    sources = [inspect.getsource(function) for function in recipe.code]
    material = json.dumps(
        {
            "recipe": name,
            "code": sources,
            "settings": recipe.settings,
            "data": data_fingerprint,
            "versions": machine.versions(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _folder(name: str, key: str) -> Path:
    return location() / f"{name}-{key[:20]}"


def _load(folder: Path, key: str) -> Trained | None:
    import keras

    try:
        entry = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        if entry["key"] != key or entry.get("format") != FORMAT:
            raise ValueError("the entry's key or format does not match")
        model = keras.models.load_model(folder / MODEL_FILE)
    except Exception:  # unreadable, foreign or of an older format: train again, never use it
        return None
    return Trained(model, entry["history"], entry["seconds"], key, entry["machine"])


def _keep(name: str, key: str, model, history: dict, seconds: float) -> Trained:
    """Write an entry to a temporary folder, then rename it into place in one step."""
    target = _folder(name, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        model.save(scratch / MODEL_FILE)
        history = {metric: [float(v) for v in values] for metric, values in history.items()}
        trained_on = machine.record()
        entry = {"format": FORMAT, "key": key, "recipe": name, "history": history}
        entry.update(seconds=seconds, machine=trained_on)
        (scratch / ENTRY_FILE).write_text(json.dumps(entry, indent=1), encoding="utf-8")
        if target.exists():  # an unreadable entry, or one another build just wrote
            shutil.rmtree(target)
        os.replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for older in target.parent.glob(f"{name}-*"):  # entries for other code, data or versions
        if older != target:
            shutil.rmtree(older, ignore_errors=True)
    return Trained(model, history, seconds, key, trained_on)


def trained(name: str) -> Trained:
    """The model of recipe ``name`` (a key of ``RECIPES``), from the store or trained and kept now."""
    recipe = RECIPES[name]
    splits, x_train, y_train = recipe.prepare()
    key = entry_key(name, fingerprint(splits))
    found = _load(_folder(name, key), key)
    if found is not None:
        return found
    start = time.perf_counter()
    model, history = recipe.train(x_train, y_train, **recipe.settings)
    return _keep(name, key, model, history, time.perf_counter() - start)


def trained_mlp() -> Trained:
    """The classifier of Part I, trained as book/first-classifier.md trains it."""
    return trained("mlp")


def trained_cnn() -> Trained:
    """The convolutional network of book/convnets-training.md, trained as that page trains it."""
    return trained("cnn")


def keep_trained(name: str, model, history: dict, seconds: float) -> Trained:
    """Keep a model that a chapter trained with the recipe's own code, as the store's entry.

    book/first-classifier.md trains the Part I classifier in plain sight and
    keeps it here, so that later chapters load that very model. The model must
    be built by the recipe: the same layers with the same settings.
    """
    recipe = RECIPES[name]
    expected = _layers(recipe.build())
    if _layers(model) != expected:
        raise ValueError(
            f"the model to keep as {name!r} is not the one handwriting.models builds: "
            f"its layers are {_layers(model)}, the recipe's {expected}"
        )
    splits, _, _ = recipe.prepare()
    return _keep(name, entry_key(name, fingerprint(splits)), model, history, seconds)


def _layers(model) -> list[tuple[str, dict]]:
    """A model's layers as (class, configuration without the layer's name)."""
    described = []
    for layer in model.layers:
        config = {k: v for k, v in layer.get_config().items() if k != "name"}
        described.append((type(layer).__name__, config))
    return described
