"""The single neuron of book/neurons.md, defined once, and its training.

book/neurons.md shows ``build_neuron`` in a cell tagged ``library:
handwriting.neurons`` and looks at what the untrained neuron computes;
book/neuron-training.md imports it and trains the same neuron.
tests/test_library.py fails when the cell and this module differ.

``line_data`` and ``train_neuron`` are the data and the training that
book/neuron-training.md runs in its own cells, step by step, so that the
model store (``trained("neuron")``) can hand the trained neuron to the
earlier page book/neurons.md, whose interactive neuron starts untrained and
offers the trained one behind a button; tests/test_chapters.py fails when the
stored neuron and the chapter's differ.
"""

import keras
import numpy as np


def build_neuron(activation="tanh", seed=3):
    """One neuron with one input; its weight drawn uniformly from [-1, 1], its bias 0."""
    return keras.Sequential(
        [
            keras.Input(shape=(1,)),
            keras.layers.Dense(
                1,
                activation=activation,
                kernel_initializer=keras.initializers.RandomUniform(minval=-1, maxval=1, seed=seed),
            ),
        ]
    )


def line_data(n_points=1000, seed=42):
    """Points along y = 0.8 x: x uniform in [-1, 1], plus Gaussian noise of deviation 0.2."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n_points, 1)).astype("float32")
    noise = rng.normal(0, 0.2, size=(n_points, 1)).astype("float32")
    return x, 0.8 * x + noise


def train_neuron(x, y, epochs=50):
    """The seeded tanh neuron, trained with Adam at 0.01 on the mean squared error."""
    keras.utils.set_random_seed(3)
    neuron = build_neuron()
    neuron.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mean_squared_error")
    history = neuron.fit(x, y, epochs=epochs, verbose=0)
    return neuron, history.history
