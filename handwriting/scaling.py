"""Why the pixels are scaled: Part I's classifier trained on raw and on scaled pixels.

book/mnist.md runs :func:`pixel_scale_run` over the book's three seeds with
:func:`handwriting.seeds.over_seeds`, which keeps each run's numbers in the model
store, so that a warm build pays nothing for them. The runs are judged on the
validation set, the last tenth of the training images, never on the test set.
"""

import keras

from .data import load_mnist
from .experiments import hold_out
from .models import build_mlp, compile_mlp


def pixel_scale_run(seed, divide_by, n_fit, epochs=1):
    """Part I's classifier, trained on the first n_fit fit images, every pixel divided by ``divide_by``.

    Returns its loss and accuracy on the validation set, scaled the same way.
    """
    (x_train, y_train), _ = load_mnist()
    (x_fit, y_fit), (x_val, y_val) = hold_out(x_train.astype("float32") / divide_by, y_train)
    keras.utils.set_random_seed(seed)
    model = build_mlp()
    compile_mlp(model)
    model.fit(x_fit[:n_fit], y_fit[:n_fit], epochs=epochs, batch_size=64, verbose=0)
    loss, accuracy = model.evaluate(x_val, y_val, batch_size=1000, verbose=0)
    return {"val_loss": float(loss), "val_accuracy": float(accuracy)}
