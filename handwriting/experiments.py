"""The experiments with training settings: one classifier, one setting changed at a time.

book/training-dynamics.md teaches these definitions and shows them in cells
tagged ``library: handwriting.experiments``; book/batch-size.md and
book/overfitting.md import them, so that the three pages train their models
in exactly the same way (tests/test_library.py fails when a shown definition
and this module's differ).
"""

import keras

from .models import build_mlp


def hold_out(x_train, y_train):
    """Split the training images into a fit set and, the last tenth, a validation set."""
    n_val = len(x_train) // 10
    return (x_train[:-n_val], y_train[:-n_val]), (x_train[-n_val:], y_train[-n_val:])


def build_classifier(dropout=0.2, learning_rate=0.001):
    """The classifier of Part I, with a chosen dropout rate and learning rate."""
    model = build_mlp()
    model.get_layer(index=2).rate = dropout  # the Dropout layer
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def train(x, y, epochs, batch_size=64, validation_data=None, callbacks=(), **settings):
    """Train a fresh, seeded classifier on the images x with labels y."""
    keras.utils.set_random_seed(42)
    model = build_classifier(**settings)
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation_data,
        callbacks=list(callbacks),
        verbose=0,
    )
    return model, history.history
