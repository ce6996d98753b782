"""The book's classifiers, each defined once.

The chapter that teaches a model shows its definitions in cells tagged
``library: handwriting.models``: book/first-classifier.md the dense classifier
of Part I, book/convnets-plain.md a plain convolutional network, and
book/convnets-training.md the book's convolutional network (and
book/convnets-plain.md ``receptive_field``, how far a unit of a stack of
convolutions and poolings sees, and ``multiplications``, what a forward pass
costs). tests/test_library.py
fails when such a cell and this module differ, so the code a reader sees is
the code every later chapter runs. Later chapters get the trained models from
the model store (:mod:`handwriting.store`), which calls ``train_mlp``
and ``train_cnn`` once per build.
"""

import keras
import numpy as np


def build_mlp():
    """The classifier of Part I: 784 pixels in, 128 ReLU neurons, 10 probabilities out."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def compile_mlp(model):
    """Adam, the sparse categorical cross-entropy, and the accuracy as a metric."""
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])


def train_mlp(x_train, y_train, epochs=10, validation_split=0.0, verbose=0):
    """Part I's training as one function: seed, build, compile, fit in batches of 64."""
    keras.utils.set_random_seed(42)
    model = build_mlp()
    compile_mlp(model)
    history = model.fit(
        x_train,
        y_train,
        epochs=epochs,
        batch_size=64,
        validation_split=validation_split,
        verbose=verbose,
    )
    return model, history.history


def receptive_field(layers):
    """Side of the square of input pixels that one unit after `layers` can see."""
    side, step = 1, 1
    for kind, size in layers:
        side += (size - 1) * step
        if kind == "pool":
            step *= size
    return side


def multiplications(model):
    """Multiplications in one image's forward pass: each kernel's weights at each position."""
    total = 0
    for layer in model.layers:
        if hasattr(layer, "kernel"):
            positions = int(np.prod(layer.output.shape[1:-1]))  # pixels of a map, or 1
            total += positions * int(np.prod(layer.kernel.shape))
    return total


def build_plain_cnn():
    """A plain convolutional network: two blocks of convolution and pooling, then Part I's head."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu", name="conv_1"),
            keras.layers.MaxPooling2D(2, name="pool_1"),
            keras.layers.Conv2D(64, 3, activation="relu", name="conv_2"),
            keras.layers.MaxPooling2D(2, name="pool_2"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(128, activation="relu", name="dense"),
            keras.layers.Dense(10, activation="softmax", name="output"),
        ]
    )


def build_cnn():
    """The book's convolutional network for MNIST, not yet compiled."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.RandomTranslation(0.05, 0.05, fill_mode="constant", name="shift"),
            keras.layers.Conv2D(32, 3, activation="relu", name="conv_1"),
            keras.layers.MaxPooling2D(2, name="pool_1"),
            keras.layers.BatchNormalization(name="norm_1"),
            keras.layers.Conv2D(64, 3, activation="relu", name="conv_2"),
            keras.layers.Conv2D(64, 3, activation="relu", name="conv_3"),
            keras.layers.MaxPooling2D(2, name="pool_2"),
            keras.layers.BatchNormalization(name="norm_2"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dropout(0.5, name="dropout_1"),
            keras.layers.Dense(128, activation="relu", name="dense"),
            keras.layers.Dropout(0.5, name="dropout_2"),
            keras.layers.Dense(10, activation="softmax", name="output"),
        ]
    )


def train_cnn(x_train, y_train, epochs=4, batch_size=128, verbose=0):
    """Seed, build and compile the network, then train it with a cosine learning-rate schedule.

    A tenth of the training images is held out for validation.
    """
    keras.utils.set_random_seed(42)
    model = build_cnn()
    n_fit = len(x_train) - len(x_train) // 10  # validation_split=0.1 keeps the rest
    steps_per_epoch = -(-n_fit // batch_size)  # rounded up
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.003, decay_steps=epochs * steps_per_epoch
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        x_train,
        y_train,
        epochs=epochs,
        batch_size=batch_size,
        validation_split=0.1,
        verbose=verbose,
    )
    return model, history.history
