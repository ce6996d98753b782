"""The single neuron of book/neurons.md, defined once.

book/neurons.md shows ``build_neuron`` in a cell tagged ``library:
handwriting.neurons`` and looks at what the untrained neuron computes;
book/neuron-training.md imports it and trains the same neuron.
tests/test_library.py fails when the cell and this module differ.
"""

import keras


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
