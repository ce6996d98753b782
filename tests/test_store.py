"""The model store: each model trained once per build, never stale, never half-written.

The first tests use tiny stand-in recipes in a scratch store, so they run in
seconds; the last ones check the store the build filled (``make book``).
"""

import inspect
import json
import os
import subprocess
import sys
from dataclasses import replace

import keras
import numpy as np
import pytest

from booktools import paths
from handwriting import store


def tiny_data():
    x = np.random.default_rng(0).random((64, 4)).astype("float32")
    y = (x.sum(axis=1) > 2).astype("int64")
    return ((x, y), (x[:8], y[:8])), x, y


def build_tiny():
    return keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation="softmax")])


TRAINED = []


def train_tiny(x, y, epochs=2):
    TRAINED.append(epochs)
    keras.utils.set_random_seed(1)
    model = build_tiny()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model, model.fit(x, y, epochs=epochs, verbose=0).history


TINY_CODE = (tiny_data, build_tiny, train_tiny)


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    """A store in a scratch folder with one tiny recipe, "tiny"."""
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "models"))
    recipe = store.Recipe(tiny_data, build_tiny, train_tiny, {"epochs": 2}, TINY_CODE)
    monkeypatch.setitem(store.RECIPES, "tiny", recipe)
    TRAINED.clear()
    return tmp_path / "models"


@pytest.mark.unit
def test_a_model_is_trained_once_then_loaded(tiny):
    first = store.trained("tiny")
    second = store.trained("tiny")
    assert TRAINED == [2], "trained once, with the recipe's settings"
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert second.history == first.history and len(second.history["loss"]) == 2
    assert second.seconds == first.seconds > 0
    assert [entry.name.split("-")[0] for entry in tiny.iterdir()] == ["tiny"]


@pytest.mark.unit
def test_the_key_changes_with_the_data_the_settings_and_the_code(tiny, monkeypatch):
    key = store.entry_key("tiny", "data-1")
    assert store.entry_key("tiny", "data-1") == key
    assert store.entry_key("tiny", "data-2") != key
    tiny_recipe = store.RECIPES["tiny"]
    monkeypatch.setitem(store.RECIPES, "tiny", replace(tiny_recipe, settings={"epochs": 3}))
    assert store.entry_key("tiny", "data-1") != key
    monkeypatch.setitem(store.RECIPES, "tiny", replace(tiny_recipe, code=(tiny_data, build_tiny)))
    assert store.entry_key("tiny", "data-1") != key


@pytest.mark.unit
def test_a_new_entry_replaces_the_recipes_older_ones(tiny, monkeypatch):
    store.trained("tiny")
    monkeypatch.setitem(
        store.RECIPES, "tiny", replace(store.RECIPES["tiny"], settings={"epochs": 3})
    )
    newer = store.trained("tiny")
    assert TRAINED == [2, 3]
    assert [entry.name for entry in tiny.iterdir()] == [store._folder("tiny", newer.key).name]


@pytest.mark.unit
def test_an_interrupted_write_is_never_loaded(tiny, monkeypatch):
    def interrupted(self, path):
        path.write_bytes(b"half a model")
        raise KeyboardInterrupt  # the build is stopped mid-save

    with monkeypatch.context() as patch:
        patch.setattr(keras.Model, "save", interrupted)
        with pytest.raises(KeyboardInterrupt):
            store.trained("tiny")
    assert not tiny.exists() or not any(tiny.iterdir()), "nothing is left behind"
    # A build killed outright leaves its scratch folder; it is never read.
    key = store.entry_key("tiny", store.fingerprint(tiny_data()[0]))
    leftover = tiny / f".{store._folder('tiny', key).name}.killed"
    leftover.mkdir(parents=True)
    train_tiny(*tiny_data()[1:])[0].save(leftover / store.MODEL_FILE)
    (leftover / store.ENTRY_FILE).write_text(json.dumps({"key": key, "history": {}, "seconds": 1}))
    TRAINED.clear()
    store.trained("tiny")
    assert TRAINED == [2], "the leftover was not used: the model was trained"


@pytest.mark.unit
def test_an_unreadable_entry_is_trained_again(tiny):
    entry = store._folder("tiny", store.trained("tiny").key)
    (entry / store.MODEL_FILE).write_bytes(b"not a model")
    again = store.trained("tiny")
    assert TRAINED == [2, 2] and len(again.model.get_weights()) == 2
    assert json.loads((entry / store.ENTRY_FILE).read_text())["key"] == again.key


@pytest.mark.unit
def test_an_entry_records_what_trained_it(tiny, monkeypatch):
    first = store.trained("tiny")
    assert first.machine == store.machine.record()
    assert first.trained_on == store.machine.describe()
    # an entry from another computer keeps that computer's description
    entry = store._folder("tiny", first.key) / store.ENTRY_FILE
    other = {**first.machine, "cpus": 64, "gpus": ["gpu:0"]}
    entry.write_text(json.dumps({**json.loads(entry.read_text()), "machine": other}))
    loaded = store.trained("tiny")
    assert TRAINED == [2], "loaded, not trained again"
    assert loaded.trained_on.startswith("1 GPU and 64 CPUs, TensorFlow ")


@pytest.mark.unit
def test_an_entry_of_an_older_format_is_trained_again(tiny):
    entry = store._folder("tiny", store.trained("tiny").key) / store.ENTRY_FILE
    older = json.loads(entry.read_text())
    del older["format"], older["machine"]
    entry.write_text(json.dumps(older))
    store.trained("tiny")
    assert TRAINED == [2, 2]


@pytest.mark.unit
def test_keeping_a_model_that_is_not_the_recipes_fails_clearly(tiny):
    other = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
    with pytest.raises(ValueError, match="is not the one handwriting.models builds"):
        store.keep_trained("tiny", other, {"loss": [1.0]}, 1.0)


# The store the build filled: the teaching chapters' models, loaded, not trained again.


@pytest.fixture(scope="module")
def built_store():
    if not paths.MODELS.is_dir():
        pytest.fail(f"{paths.MODELS} is missing: build the book first (`make book`)")
    return paths.MODELS


@pytest.mark.built
@pytest.mark.parametrize("name", sorted(store.RECIPES))
def test_the_build_kept_every_model(built_store, name, monkeypatch):
    monkeypatch.setenv(store.ENV_VAR, str(built_store))

    def no_training(*args, **kwargs):
        raise AssertionError(f"the build's store has no current {name!r}: it would train again")

    recipe = store.RECIPES[name]
    epochs = recipe.settings.get(
        "epochs", inspect.signature(recipe.train).parameters["epochs"].default
    )
    monkeypatch.setitem(store.RECIPES, name, replace(recipe, train=no_training))
    kept = store.trained(name)
    assert kept.seconds > 0 and len(kept.history["loss"]) == epochs


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mlp", "mlp_validated", "neuron"])
def test_a_chapter_alone_trains_the_model_the_book_kept(built_store, name, monkeypatch, tmp_path):
    """The kept model came from a chapter's own cells; the recipe, run alone, trains it again.

    A chapter opened alone runs in a fresh kernel, so the recipe runs in a fresh
    Python here too, with an empty store of its own. The single neuron is the
    store's own training, but cheap enough to check that a fresh Python gets the
    very same weights, as a page run alone would.
    """
    alone = tmp_path / "alone"
    script = f"from handwriting import store; store.trained({name!r})"
    environment = {**os.environ, store.ENV_VAR: str(alone)}
    subprocess.run([sys.executable, "-c", script], check=True, env=environment, capture_output=True)
    monkeypatch.setenv(store.ENV_VAR, str(built_store))
    kept = store.trained(name)
    monkeypatch.setenv(store.ENV_VAR, str(alone))
    trained_alone = store.trained(name)
    assert trained_alone.key == kept.key
    for a, b in zip(kept.model.get_weights(), trained_alone.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
