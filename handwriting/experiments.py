"""The experiments of Part III: one setting changed at a time, each run seeded.

book/training-dynamics.md teaches the first definitions (the split into a fit
set and a validation set, the classifier with a chosen dropout rate, learning
rate and weight decay, and a seeded training run) and shows them in cells
tagged ``library: handwriting.experiments``; book/batch-size.md and
book/overfitting.md import them, so that the three pages train their models
in exactly the same way (tests/test_library.py fails when a shown definition
and this module's differ).

The other functions are experiments for :func:`handwriting.seeds.over_seeds`:
each is called as ``experiment(seed=seed, **setting)``, loads its data, seeds
everything from ``seed``, trains, and returns plain numbers measured on the
validation set, never the test set. The page that teaches each one shows it:
:func:`classifier_run` in book/training-dynamics.md, :func:`brief_run` in
book/convnets-plain.md, :func:`cnn_without` in book/convnets-ablation.md.
"""

import functools
import math

import keras
import numpy as np

from .data import load_mnist, scale
from .models import build_cnn, build_mlp, build_plain_cnn


def hold_out(x_train, y_train):
    """Split the training images into a fit set and, the last tenth, a validation set."""
    n_val = len(x_train) // 10
    return (x_train[:-n_val], y_train[:-n_val]), (x_train[-n_val:], y_train[-n_val:])


def build_classifier(dropout=0.2, learning_rate=0.001, weight_decay=None, steps_per_execution=1):
    """The classifier of Part I, with a chosen dropout rate, learning rate and weight decay."""
    model = build_mlp()
    model.get_layer(index=2).rate = dropout  # the Dropout layer
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate, weight_decay=weight_decay),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,  # speed only (book/evaluation.md)
    )
    return model


def train(x, y, epochs, batch_size=64, validation_data=None, callbacks=(), seed=42, **settings):
    """Train a fresh classifier, seeded with `seed`, on the images x with labels y."""
    keras.utils.set_random_seed(seed)
    model = build_classifier(**settings)
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation_data,
        validation_batch_size=1000,  # the loss is a mean per image whatever the batch size
        callbacks=list(callbacks),
        verbose=0,
    )
    return model, history.history


@functools.cache
def fit_and_validation(channel=False):
    """MNIST's training images, scaled and split by hold_out (with a channel axis if asked)."""
    (x_train, y_train), _ = load_mnist()
    x_train = scale(x_train)
    if channel:
        x_train = x_train[..., np.newaxis]
    return hold_out(x_train, y_train)


def classifier_run(seed, n_fit, epochs, batch_size=64, **settings):
    """Train the classifier on the first n_fit images of the fit set; what its training did.

    Returns, for every epoch, the training loss and accuracy (means over the epoch's
    batches, dropout on) and the validation loss and accuracy after it; then, for the
    trained model, the share of hidden neurons that output 0 for every validation
    image, how far a weight of the hidden layer moved from its start at most, and the
    mean probability it gives its answer on the validation images it gets wrong.
    """
    (x_fit, y_fit), (x_val, y_val) = fit_and_validation()
    keras.utils.set_random_seed(seed)
    start = build_classifier(**settings).layers[1].get_weights()[0]  # the run's first weights
    model, history = train(
        x_fit[:n_fit],
        y_fit[:n_fit],
        epochs,
        batch_size=batch_size,
        validation_data=(x_val, y_val),
        seed=seed,
        steps_per_execution=32,  # 32 batches per call into TensorFlow: faster, same updates
        **settings,
    )
    # Direct calls in inference mode: predict() would compile a function for each new model.
    hidden = keras.Model(model.inputs[0], model.layers[1].output)
    silent = np.all(keras.ops.convert_to_numpy(hidden(x_val, training=False)) == 0, axis=0)
    probabilities = keras.ops.convert_to_numpy(model(x_val, training=False))
    wrong = probabilities.argmax(axis=1) != y_val
    return {
        **{name: [float(value) for value in values] for name, values in history.items()},
        "dead": float(np.mean(silent)),
        "moved": float(np.abs(model.layers[1].get_weights()[0] - start).max()),
        "sure_wrong": float(probabilities[wrong].max(axis=1).mean()),
    }


def build_dense(units):
    """A dense network of one hidden layer of `units` ReLU neurons, without dropout."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def brief_run(seed, network, n_fit, epochs, units=None, batch_size=64):
    """Train a network briefly, as Part I's classifier; its validation loss and accuracy.

    ``network`` is "plain convolutional" (build_plain_cnn) or "dense": Part I's
    classifier (build_mlp), or, given ``units``, build_dense(units).
    """
    (x_fit, y_fit), (x_val, y_val) = fit_and_validation()  # the last tenth held out
    keras.utils.set_random_seed(seed)
    if network == "plain convolutional":
        model = build_plain_cnn()
    else:
        model = build_mlp() if units is None else build_dense(units)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    shape = (-1, *model.input_shape[1:])  # the convolutional network wants a channel axis
    x, y = x_fit[:n_fit].reshape(shape), y_fit[:n_fit]
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    loss, accuracy = model.evaluate(x_val.reshape(shape), y_val, batch_size=1000, verbose=0)
    return {"val_loss": float(loss), "val_accuracy": float(accuracy)}


def cnn_without(seed, refinement, n_fit, epochs, batch_size=128):
    """The book's network without one refinement, trained on the first n_fit fit images.

    ``refinement`` is "shift", "batch normalization", "dropout", "third convolution",
    "schedule", or None to keep all five. Returns the loss and accuracy on the
    validation set.
    """
    (x_fit, y_fit), (x_val, y_val) = fit_and_validation(channel=True)
    keras.utils.set_random_seed(seed)
    layers_of = {
        "shift": ("shift",),
        "batch normalization": ("norm_1", "norm_2"),
        "dropout": ("dropout_1", "dropout_2"),
        "third convolution": ("conv_3",),
    }
    kept = [
        layer for layer in build_cnn().layers if layer.name not in layers_of.get(refinement, ())
    ]
    copies = [type(layer).from_config(layer.get_config()) for layer in kept]  # fresh weights
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), *copies])
    steps = epochs * math.ceil(n_fit / batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.003, decay_steps=steps
    )
    model.compile(
        optimizer=keras.optimizers.Adam(
            learning_rate=0.003 if refinement == "schedule" else schedule
        ),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x_fit[:n_fit], y_fit[:n_fit], epochs=epochs, batch_size=batch_size, verbose=0)
    recalibrate_normalization(model, x_fit[:1000])  # its first 1,000 training images
    loss, accuracy = model.evaluate(x_val, y_val, batch_size=1000, verbose=0)
    return {"val_loss": float(loss), "val_accuracy": float(accuracy)}


def recalibrate_normalization(model, images):
    """Set each BatchNormalization layer's running averages to its inputs' statistics on images.

    The statistics are those of the inputs as prediction sees them (the shift layer
    does nothing then), layer by layer, in order, so that each layer sees its inputs
    as they will be. In a short training the running averages, which move 1 % of the
    way per step, are still far from them.
    """
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            before = keras.Model(model.inputs[0], layer.input)
            # One direct call in inference mode: predict() would compile a function
            # for every new model, which TensorFlow warns about as retracing.
            values = keras.ops.convert_to_numpy(before(images, training=False))
            layer.moving_mean.assign(values.mean(axis=(0, 1, 2)))
            layer.moving_variance.assign(values.var(axis=(0, 1, 2)))
