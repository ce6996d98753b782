"""A baseline that places the classifier's accuracy: a linear classifier, trained like it.

book/evaluation.md teaches these definitions and shows them in a cell tagged
``library: handwriting.baselines``; it runs ``train_linear`` over the book's
three seeds with :func:`handwriting.seeds.over_seeds`, which keeps each run's
numbers in the model store, so that a warm build pays nothing for them.
"""

import keras

from .data import load_mnist, scale


def build_linear():
    """Softmax regression: the 784 pixels straight into ten softmax units, no hidden layer."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def train_linear(seed):
    """Train the linear classifier as Part II trains the classifier: 5 epochs, batches of 64."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = scale(x_train), scale(x_test)
    n_fit = len(x_train) - len(x_train) // 10  # the first nine tenths, as validation_split=0.1
    keras.utils.set_random_seed(seed)
    model = build_linear()
    model.compile(  # as compile_mlp does, plus 32 batches in each call into TensorFlow
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=32,
    )
    model.fit(x_train[:n_fit], y_train[:n_fit], epochs=5, batch_size=64, verbose=0)
    _, validation_accuracy = model.evaluate(x_train[n_fit:], y_train[n_fit:], verbose=0)
    _, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    return {"validation": float(validation_accuracy), "test": float(test_accuracy)}
