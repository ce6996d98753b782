"""The classifier of Part I in plain NumPy, as book/from-scratch.md and its sequels teach it.

A 784-128-10 network with a ReLU hidden layer and a softmax output, kept as a
dictionary of four arrays (``W1``, ``b1``, ``W2``, ``b2``): Glorot-uniform
starting weights (:func:`init`), the forward pass with a softmax that cannot
overflow (:func:`forward`, :func:`log_softmax`), the cross-entropy
(:func:`loss`), and backpropagation (:func:`backward`). The chapters show each
function in a cell tagged ``library: handwriting.scratch``;
tests/test_library.py fails when a shown function and this module's differ.
"""

import numpy as np


def glorot_uniform(rng, n_in, n_out, dtype):
    """An n_in x n_out weight matrix drawn uniformly from [-r, r]."""
    r = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_in, n_out)).astype(dtype)


def init(rng, dtype=np.float32):
    """The network's parameters: Glorot-uniform kernels and zero biases."""
    return {
        "W1": glorot_uniform(rng, 784, 128, dtype),
        "b1": np.zeros(128, dtype),
        "W2": glorot_uniform(rng, 128, 10, dtype),
        "b2": np.zeros(10, dtype),
    }


def log_softmax(z):
    """Log of the softmax of each row of z, computed from shifted scores."""
    shifted = z - z.max(axis=1, keepdims=True)  # largest score of each row is 0
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def forward(params, x):
    """Log-probabilities for a batch x of shape (B, 784), and what backward needs."""
    a = x @ params["W1"] + params["b1"]  # (B, 128) pre-activations
    h = np.maximum(a, 0)  # (B, 128) ReLU
    z = h @ params["W2"] + params["b2"]  # (B, 10)  scores
    return log_softmax(z), (x, a, h)


def loss(log_p, y):
    """Mean cross-entropy of a batch, from its log-probabilities and integer labels."""
    return -np.mean(log_p[np.arange(len(y)), y])


def backward(params, log_p, y, cache):
    """Gradients of the mean loss with respect to every parameter."""
    x, a, h = cache
    batch_size = len(y)
    delta2 = np.exp(log_p)  # P
    delta2[np.arange(batch_size), y] -= 1  # P - Y
    delta2 /= batch_size  # step 1: dL/dZ, (B, 10)
    delta1 = (delta2 @ params["W2"].T) * (a > 0)  # steps 2 and 3: dL/dA, (B, 128)
    return {
        "W1": x.T @ delta1,
        "b1": delta1.sum(axis=0),  # step 4
        "W2": h.T @ delta2,
        "b2": delta2.sum(axis=0),  # step 2
    }
