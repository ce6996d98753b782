"""One test per chapter: run its code cells in order, as the build does.

The tests are made from the chapters when pytest collects them (see
booktools/extract_tests.py), so they always run the chapters as they are now.
The chapters state their claims as ``assert`` statements in their cells (the
classifier's test accuracy, the shapes of the data ...), so a claim that stops
holding fails its chapter's test here, and the book's build too. The claims
below are checked once more, so that deleting an ``assert`` from a chapter
does not quietly drop the claim. They read only what a chapter *publishes*:
its last cell sets ``published``, a dictionary of the values checked here.
That cell is the contract between a chapter and this file: renaming a
variable fails in the chapter's own cell, naming the variable, and a check
that asks for a value the chapter does not publish says so.
"""

import math

import numpy as np
import pytest

from booktools import extract_tests

CHAPTERS = extract_tests.chapters()


def assert_part_one_classifier(model):
    """The classifier of Part I: its layers, and 784 x 128 + 128 + 128 x 10 + 10 parameters."""
    layers = [layer.__class__.__name__ for layer in model.layers]
    assert layers == ["Flatten", "Dense", "Dropout", "Dense"], layers
    assert model.count_params() == 784 * 128 + 128 + 128 * 10 + 10 == 101_770


def assert_filters_figure(figure, kernel):
    """The first layer's filters as every page shows them: filter k titled k, counting from
    0 as the code indexes them, in the book's colours for weights on one symmetric scale
    (red positive, blue negative: handwriting.style.WEIGHT_CMAP, which the drawing page and
    the convolution of book/convnets.md draw with too)."""
    from handwriting.style import WEIGHT_CMAP

    top = np.abs(kernel).max()
    panels = [ax for ax in figure.axes if ax.images]
    assert [ax.get_title() for ax in panels] == [str(k) for k in range(kernel.shape[-1])]
    for k, ax in enumerate(panels):
        image = ax.images[0]
        assert image.get_cmap().name == WEIGHT_CMAP and image.get_clim() == (-top, top)
        np.testing.assert_array_equal(image.get_array(), kernel[:, :, k])


def welcome(ns):
    assert ns["keras"].__version__.startswith("3.")
    assert ns["keras"].backend.backend() == "tensorflow"


def mnist(ns):
    assert ns["x_train"].shape == (60000, 28, 28) and ns["x_test"].shape == (10000, 28, 28)
    assert ns["n_classes"] == 10
    assert list(ns["classes"]) == list(range(10))
    assert ns["train_counts"].sum() == 60000 and ns["test_counts"].sum() == 10000
    # the preprocessing the chapter describes: float32 in [0, 1]
    assert ns["x_train"].dtype == np.float32
    assert ns["x_train"].min() == 0.0 and ns["x_train"].max() == 1.0
    # unscaled pixels: the untrained network's answers stay, its confidence and its loss soar
    assert ns["right_raw"] == ns["right_scaled"]
    assert ns["sure_share"] > 0.9 and ns["confidence_scaled"] < 0.3
    assert ns["loss_raw"] > 20 * ns["loss_scaled"] and abs(ns["loss_scaled"] - np.log(10)) < 0.3
    # and after one epoch of training, every scaled run beats every raw one on validation
    runs = ns["scale_runs"]["val_accuracy"]
    assert runs.loc["scaled"].min() > runs.loc["raw"].max()
    # exercise: the test set's largest pixel is 255 too, but thousands of images are dimmer
    assert ns["x_test"].max() == 1.0 and (ns["darkest"]["training"] < 1).sum() > 1000


def first_classifier(ns):
    model = ns["model"]
    assert_part_one_classifier(model)
    assert model.count_params() == 784 * 128 + 128 + 128 * 10 + 10 == 101_770
    assert len(ns["history"].history["loss"]) == 10
    assert ns["predictions"].shape == (10000,)
    test_accuracy = np.mean(ns["predictions"] == ns["y_test"])
    assert test_accuracy >= 0.97
    np.testing.assert_allclose(ns["probabilities"].sum(axis=1), 1, atol=1e-5)
    # the final weights on the training images beat the log's average, which beats the test set
    assert ns["train_accuracy"] > ns["history"].history["accuracy"][-1] > test_accuracy
    # exercise: a blank image gets one digit far above an even tenth
    assert ns["blank_probabilities"].max() > 0.2


def neurons(ns):
    neuron = ns["neuron"]
    dense = neuron.layers[0]
    assert [layer.__class__.__name__ for layer in neuron.layers] == ["Dense"]
    assert dense.units == 1 and dense.kernel.shape == (1, 1) and neuron.count_params() == 2
    # untrained: a weight drawn from [-1, 1], a zero bias, and tanh(w x + b) as outputs
    kernel, bias = ns["kernel"], ns["bias"]
    assert -1 <= kernel[0, 0] <= 1 and bias[0] == 0
    assert ns["x_few"].shape == ns["y_few"].shape == (4, 1)
    np.testing.assert_allclose(ns["y_few"], np.tanh(ns["x_few"] * kernel[0, 0]), atol=1e-6)
    # exercises: the output at x = 0 whatever the weight; a neuron of three inputs
    assert len(ns["at_zero"]) == 3 and all(output == 0 for output in ns["at_zero"])
    assert abs(ns["three_sum"] - (-0.4)) < 1e-12
    assert abs(ns["three_output"] - np.tanh(-0.4)) < 1e-6
    assert tuple(ns["three"].layers[0].kernel.shape) == (3, 1) and ns["three"].count_params() == 4
    # the neuron in the reader's hands: tanh can follow the points, outputs never negative cannot
    losses = ns["point_losses"]
    assert losses["tanh"] < ns["floor_loss"] <= min(losses["sigmoid"], losses["ReLU"])


def neuron_training(ns):
    neuron = ns["neuron"]
    assert neuron.count_params() == 2
    assert ns["initial_weight"] < 0  # the untrained neuron slopes the wrong way
    assert ns["untrained_loss"] > 0.04 * 1.25
    assert ns["x_data"].shape == ns["y_data"].shape == (1000, 1)
    assert len(ns["history"].history["loss"]) == 50
    assert ns["losses"][-1] < ns["losses"][0]
    # the trained neuron follows the line: slope of its predictions near 0.8,
    # loss near the noise variance 0.04
    x = ns["x_data"][:, 0]
    slope, _ = np.polyfit(x, neuron.predict(ns["x_data"], verbose=0)[:, 0], deg=1)
    assert abs(slope - 0.8) < 0.1
    assert 0.04 / 1.25 < ns["final_loss"] < 0.04 * 1.25
    # tanh bends, so the weight is larger than the slope, and close to the best tanh weight
    kernel, bias = neuron.get_weights()
    assert kernel[0, 0] > 0.8 and ns["noiseless_weight"] > 0.8
    assert abs(kernel[0, 0] - ns["best_data_weight"]) < 0.02
    # the data's own least-squares line, and the linear neuron of the exercise
    data_slope, data_intercept = np.polyfit(x, ns["y_data"][:, 0], 1)
    assert abs(ns["data_slope"] - data_slope) < 1e-9
    assert abs(ns["data_intercept"] - data_intercept) < 1e-9
    assert abs(ns["linear_weight"] - ns["data_slope"]) < 0.02
    assert abs(ns["linear_bias"] - ns["data_intercept"]) < 0.02
    # ... to within its last epoch's swings, and the tanh neuron's excess over the best line
    # is about what the bend of tanh costs
    assert ns["low"][1] < ns["data_intercept"] < ns["high"][1]
    assert 0 < ns["excess_over_line"] < 2 * ns["bend_cost"]
    # the weight after every update: Adam's steps at most about one learning rate (0.01)
    path = np.asarray(ns["weight_path"])
    assert len(path) == 1 + 50 * 32 and path[0] == ns["initial_weight"] and path[-1] == kernel[0, 0]
    assert np.abs(np.diff(path)).max() < 1.05 * 0.01
    # the model store's neuron (handwriting.neurons, which book/neurons.md shows the reader
    # as trained) is this chapter's, weight for weight
    from handwriting.store import trained

    for stored, ours in zip(
        trained("neuron").model.get_weights(), neuron.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(stored, ours)


def activations(ns):
    assert ns["step_error"] is not None  # a step activation gives no gradients
    values, slopes = ns["values"], ns["slopes"]
    assert list(values.columns[:3]) == ["sigmoid", "tanh", "ReLU"]
    z = values.index.to_numpy()
    assert z.min() == -2 and z.max() == 2
    s, t = values["sigmoid"].to_numpy(), values["tanh"].to_numpy()
    assert np.max(np.abs(slopes["sigmoid"].to_numpy() - s * (1 - s))) <= 1e-6
    assert np.max(np.abs(slopes["tanh"].to_numpy() - (1 - t**2))) <= 1e-6
    assert np.max(np.abs(slopes["ReLU"].to_numpy() - (z > 0))) <= 1e-6
    # the step's derivative is set by hand: 0 where it exists, undefined at the jump
    step_slope = slopes["step"].to_numpy()
    assert np.isnan(step_slope[z == 0]).all() and np.all(step_slope[z != 0] == 0)
    # exercises: the largest slopes, ten sigmoids; tanh is a stretched sigmoid
    assert abs(ns["sigmoid_max_slope"] - 0.25) < 1e-6 and abs(ns["tanh_max_slope"] - 1) < 1e-6
    assert abs(ns["ten_sigmoids"] - 0.25**10) < 1e-9
    assert np.max(np.abs(2 * (1 / (1 + np.exp(-2 * z))) - 1 - t)) < 1e-6
    assert ns["stretch_gap"] < 1e-6


def nonlinearity(ns):
    assert ns["collapse_gap"] < 1e-5  # two linear layers are one
    assert ns["relu_gap"] > 1e-2  # ... but not with a ReLU between them,
    assert ns["best_linear_miss"] > 0.1  # and no single linear layer can stand in for them
    # ReLU hinges follow a curve the more closely the more of them there are
    misses = ns["misses"]
    assert misses[4] > misses[8] > misses[16] and misses[16] < 0.1
    assert ns["single"].count_params() == 2
    # the bias shifts the curve: tanh(x + b) crosses zero, ReLU(x + b) switches on, at x = -b
    tanh_frame, relu_frame = ns["tanh_shifted"], ns["relu_shifted"]
    for b, column in zip(ns["biases"], tanh_frame.columns, strict=True):
        assert abs(np.interp(0.0, tanh_frame[column], tanh_frame.index) + b) < 0.01
        assert abs(relu_frame.index[relu_frame[column].to_numpy() > 0].min() + b) < 0.02
    # exercise: a sigmoid neuron with weight 2 and bias 1 outputs 0.5 at x = -1/2
    assert ns["half_point"] == -0.5 and abs(ns["output"] - 0.5) < 1e-6


def layers(ns):
    model = ns["model"]
    assert_part_one_classifier(model)
    hidden, output = model.layers[1], model.layers[3]
    assert tuple(hidden.kernel.shape) == (784, 128) and tuple(hidden.bias.shape) == (128,)
    assert tuple(output.kernel.shape) == (128, 10) and tuple(output.bias.shape) == (10,)
    assert hidden.count_params() == 784 * 128 + 128 == 100_480
    assert output.count_params() == 128 * 10 + 10 == 1_290
    assert model.count_params() == 101_770
    # Flatten: (1, 28, 28) -> (1, 784), row by row: row r, column c lands at 28 r + c
    assert ns["flat"].shape == (1, 784)
    assert np.array_equal(ns["flat"], ns["image"].reshape(1, 784))
    assert ns["flat_position"] == 28 * 14 + 15 == 407
    assert ns["flat"][0, ns["flat_position"]] == ns["image"][0, 14, 15] > 0
    # Dense computes ReLU(x W + b)
    np.testing.assert_allclose(ns["from_keras"], ns["by_hand"], atol=1e-6)
    # exercise: 256 hidden neurons give 203,530 parameters, 10 fewer than 2 x 101,770
    wide = ns["wide"].count_params()
    assert wide == (784 * 256 + 256) + (256 * 10 + 10) == 203_530 == 2 * 101_770 - 10
    # shuffled pixels: the same network, its kernel's rows rearranged, the same answers
    assert ns["kernel_gap"] < 1e-4
    assert np.mean(ns["answers"] != ns["answers_shuffled"]) <= 0.001
    # exercise: without Flatten, Dense works row by row and the labels no longer fit
    assert ns["unflat"].output_shape == (None, 28, 10) and ns["unflat"].count_params() == 5_002
    assert isinstance(ns["unflat_error"], ValueError)


def dropout_softmax(ns):
    # the classifier's Dropout layer: rate 0.2, after the hidden layer
    assert_part_one_classifier(ns["model"])
    assert ns["model"].layers[2].rate == ns["rate"] == 0.2
    # Dropout: identity in inference; zeros and 1 / (1 - rate) in training
    assert np.array_equal(ns["at_inference"], np.ones((1, 20)))
    survivor = np.float32(1 / (1 - ns["rate"]))
    for output_ in ns["in_training"]:
        assert set(np.unique(output_)) <= {0.0, survivor}
        assert (output_ == 0).any()
    assert ns["n_dropped"] == [int(np.sum(o == 0)) for o in ns["in_training"]]
    assert len(set(ns["n_dropped"])) > 1  # a probability, not a quota
    assert abs(ns["many"].mean() - 1) < 0.01
    # masks per image: a unit silenced for one image still gets a gradient from the others
    mask, gradient = ns["mask"], ns["gradient"]
    assert mask.shape == (64, 128) and (~mask[0]).any()
    assert np.all(np.any(gradient != 0, axis=0))
    np.testing.assert_allclose(gradient, ns["batch"].T @ (mask / 0.8), atol=1e-4)
    # dropout left on in inference: answers change between calls, and are worse
    assert ns["n_changed"] > 0 and ns["accuracy_on"] < ns["accuracy_off"]
    assert ns["accuracy_off"] >= 0.97
    # Softmax: probabilities in (0, 1) summing to 1, same order as the scores
    probabilities, scores = ns["probabilities"], ns["scores"]
    assert abs(probabilities.sum() - 1) < 1e-6
    assert np.all((probabilities > 0) & (probabilities < 1))
    assert np.array_equal(np.argsort(probabilities), np.argsort(scores))
    assert ns["prediction"] == int(np.argmax(scores))
    np.testing.assert_allclose(ns["shifted"], probabilities, atol=1e-6)


def compiling(ns):
    # compiling changes no weight
    assert len(ns["weights_before"]) == len(ns["weights_after"]) == 4
    for before, after in zip(ns["weights_before"], ns["weights_after"]):
        assert np.array_equal(before, after)
    keras = ns["keras"]
    assert isinstance(ns["model"].optimizer, keras.optimizers.Adam)
    assert abs(ns["adam_learning_rate"] - 0.001) < 1e-9
    # sparse on integer labels == categorical on one-hot labels == -mean(log p_c)
    p, labels = ns["p"], ns["labels"]
    by_hand = -np.mean(np.log(p[np.arange(len(labels)), labels]))
    np.testing.assert_allclose([ns["sparse_loss"], ns["categorical_loss"]], by_hand, atol=1e-6)
    assert np.array_equal(ns["one_hot"].argmax(axis=1), labels)
    # the loss of an even guess, and the untrained model near it
    assert abs(ns["uniform_loss"] - np.log(10)) < 1e-12
    assert abs(ns["untrained_loss"] - np.log(10)) < 0.3
    assert ns["untrained_accuracy"] < 0.3
    assert ns["refused"]
    # "accuracy" means the sparse categorical accuracy for integer labels, categorical for one-hot
    keras = ns["keras"]
    assert isinstance(ns["accuracy_metric"], keras.metrics.SparseCategoricalAccuracy)
    assert type(ns["one_hot_metric"]) is keras.metrics.CategoricalAccuracy


def cross_entropy(ns):
    assert_part_one_classifier(ns["model"])
    probabilities, y = ns["probabilities"], ns["y_batch"]
    batch = len(y)
    # the mean loss is minus the log of the labels' likelihood, divided by N
    assert abs(-np.log(ns["likelihood"]) / batch - ns["loss"]) < 1e-4
    # the gradient with respect to the scores is (p - y) / B, checked by GradientTape
    one_hot = np.eye(10)[y]
    np.testing.assert_allclose(ns["gradient"], (probabilities - one_hot) / batch, atol=1e-7)
    # the cross-entropy's gradient does not fade for confident mistakes; the squared error's does
    p_c, fade = ns["p_correct"], ns["fade"]
    np.testing.assert_allclose(fade["cross-entropy"], 1 - p_c, rtol=1e-3, atol=1e-6)
    mistake = p_c < 1e-4
    assert fade["cross-entropy"][mistake].min() > 0.99 > 1e-3 > fade["squared error"][mistake].max()
    assert ns["push"]["squared error"] < 1e-6 * ns["push"]["cross-entropy"]
    # from the scores and in evaluate: the true loss; from probabilities: clipped at -log(eps)
    values = list(ns["ways"].values())
    assert abs(values[0] - values[1]) < 1e-3 * values[0]
    assert values[2] <= -np.log(ns["epsilon"]) + 1e-3 < values[0] and np.isinf(values[3])
    # exercises: log-sum-exp keeps large scores finite; mistakes get the large gradients
    assert np.isnan(ns["naive_loss"])
    assert abs(ns["shifted_loss"] - (10 + np.log1p(np.exp(-1.0) + np.exp(-10.0)))) < 1e-4
    assert ns["sizes"][~ns["right"]].min() >= 0.5


def training(ns):
    assert_part_one_classifier(ns["model"])
    assert ns["n_params"] == 101_770
    # the toy gradient descent: the loss falls at every step and lands on least squares
    steps = ns["steps"]
    assert steps.shape == (ns["n_steps"] + 1, 3) and len(steps) <= 25
    assert np.all(np.diff(steps[:, 2]) < 0)
    w_best, b_best = np.polyfit(ns["x"], ns["y"], deg=1)
    assert abs(steps[-1, 0] - w_best) < 0.01 and abs(steps[-1, 1] - b_best) < 0.01
    # the zigzag: the learning rate overshoots along the steep direction only
    gentle, steep = ns["curvatures"]
    assert 1 - ns["learning_rate"] * steep < 0 < 1 - ns["learning_rate"] * gentle
    # exercises: 0.1 converges more slowly; 1.0 is beyond 2 / curvature and diverges
    assert ns["steps_small_rate"] > ns["n_steps"]
    assert 2 / steep < 1.0 and ns["too_large"][-1, 2] > 100 * ns["too_large"][0, 2]
    # the chain rule on the tanh neuron agrees with GradientTape
    assert abs(ns["chain_w"] - ns["tape_w"]) < 1e-5 and abs(ns["chain_b"] - ns["tape_b"]) < 1e-5
    # the tanh neuron's loss against its weight is no bowl: it bends down somewhere
    assert np.any(np.diff(ns["neuron_loss_curve"], 2) < 0)
    # Keras's Adam takes the steps of the formula: about one learning rate while the
    # gradient keeps its sign, much shorter steps while it flips
    np.testing.assert_allclose(ns["in_rates"], np.array(ns["by_hand"]) / 0.01, atol=1e-4)
    assert np.all(np.abs(ns["in_rates"][:, 0]) > 0.9) and np.abs(ns["in_rates"][1:, 1]).max() < 0.5
    # at the limit: just below it every start converges, just above it every start diverges
    assert ns["ratios"][0.95].max() < 0.01 and ns["ratios"][1.05].min() > 1


def training_classifier(ns):
    model = ns["model"]
    assert_part_one_classifier(model)
    # the classifier: 5 epochs, batch 64, a tenth held out for validation
    history = ns["history"].history
    assert len(history["loss"]) == 5 and {"val_loss", "val_accuracy"} <= set(history)
    assert ns["n_fit"] == 54_000 and ns["n_val"] == 6_000
    assert ns["iterations_per_epoch"] == math.ceil(54_000 / 64) == ns["history"].params["steps"]
    assert ns["iterations_128"] == math.ceil(54_000 / 128)
    assert np.all(np.diff(history["loss"]) < 0)
    assert history["val_accuracy"][-1] >= 0.97
    # a block of 64 images is multiplied faster at once than row by row
    assert ns["row_by_row"] > 1.5 * ns["at_once"]
    # exercise: validation below training, most of all in the first epoch
    assert ns["gaps"].argmax() == 0 and np.all(ns["gaps"] > 0)
    split = ns["split"]
    assert split["timing"].to_numpy().argmax() == 0 and (split["dropout"] > 0).all()
    assert split["timing"].iloc[-1] < split["dropout"].iloc[-1]


def evaluation(ns):
    model = ns["model"]
    assert model.count_params() == 101_770
    assert len(ns["history"]["loss"]) == 5
    results = ns["results"]
    assert results["accuracy"] >= 0.97
    probabilities, predictions, y_test = ns["probabilities"], ns["predictions"], ns["y_test"]
    assert probabilities.shape == (10000, 10) and predictions.shape == (10000,)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    np.testing.assert_array_equal(predictions, probabilities.argmax(axis=1))
    assert abs(np.mean(predictions == y_test) - results["accuracy"]) < 1e-6
    assert ns["n_wrong"] == int(np.sum(predictions != y_test))
    p = np.mean(predictions == y_test)
    assert abs(ns["standard_error"] - np.sqrt(p * (1 - p) / 10000)) < 1e-12
    # the ten digits shown: five right, five wrong
    shown = ns["shown"]
    assert len(shown) == 10
    assert list(predictions[shown] == y_test[shown]) == [True] * 5 + [False] * 5
    # exercises: per-digit accuracy, the most confident mistake, the training-set score
    assert ns["per_digit"].shape == (10,)
    worst = ns["worst"]
    assert predictions[worst] != y_test[worst]
    assert ns["confidence"][worst] == ns["confidence"][ns["mistakes"]].max()
    assert ns["fit_results"]["accuracy"] > results["accuracy"]
    # the linear baseline over three seeds, below the classifier's one run on validation images
    linear = ns["linear_runs"]
    assert len(linear) == 3 and (linear["validation"] > 0.9).all()
    assert linear["validation"].max() < ns["history"]["val_accuracy"][-1]


def from_scratch(ns):
    params = ns["params"]
    # the same 784-128-10 network as Part I, in float32 numpy arrays, Glorot-uniform, zero biases
    assert {name: value.shape for name, value in params.items()} == {
        "W1": (784, 128),
        "b1": (128,),
        "W2": (128, 10),
        "b2": (10,),
    }
    assert all(value.dtype == np.float32 for value in params.values())
    assert ns["n_scratch_params"] == sum(v.size for v in params.values()) == 101_770
    assert np.abs(params["W1"]).max() <= math.sqrt(6 / (784 + 128))
    assert not params["b1"].any() and not params["b2"].any()
    # softmax is stable and the loss finite on scores that overflow float32
    big = np.array([[100, 99, 90]], dtype=np.float32)
    stable = np.exp(ns["log_softmax"](big))
    assert np.all(np.isfinite(stable)) and abs(stable.sum() - 1) < 1e-6
    assert np.all(np.isnan(ns["naive"]))
    # the untrained network: probabilities summing to 1, a loss near log 10
    x, y = ns["x_train_flat"][:1000], ns["y_train"][:1000]
    log_p, _ = ns["forward"](params, x)
    assert log_p.shape == (1000, 10)
    np.testing.assert_allclose(np.exp(log_p).sum(axis=1), 1, atol=1e-5)
    assert abs(ns["loss"](log_p, y) - ns["untrained_loss"]) < 1e-6
    assert abs(ns["untrained_loss"] - math.log(10)) < 0.3
    # exercise 2: weights from [-1, 1] blow the signal up, from [-0.01, 0.01] shrink it
    (a_big, z_big, loss_big, top_big, right_big, _) = ns["scales"]["big"]
    (a_small, z_small, loss_small, _, right_small, grad_small) = ns["scales"]["small"]
    assert z_big > a_big > ns["spread_x"] > a_small > z_small
    assert loss_big > 5 * math.log(10) and top_big > 0.9 and right_big < 0.2
    assert abs(loss_small - math.log(10)) < 1e-3
    # ... and the small weights' gradients with them; the big network is the small one scaled
    assert grad_small < ns["scales"]["glorot"][5] / 10
    assert right_big == right_small and abs(z_big / z_small / 1e4 - 1) < 1e-3
    # He's initialisation keeps a deep ReLU stack's signal, Glorot's shrinks it both ways
    (glorot_forward, glorot_backward, glorot_kernel), (he_forward, he_backward, he_kernel) = (
        ns["stack"]["Glorot"],
        ns["stack"]["He"],
    )
    # ... yet relative to the kernels, Glorot's kernel gradients are alike from layer to layer,
    # and all far below He's
    assert max(glorot_kernel) / min(glorot_kernel) < 2
    assert min(np.array(he_kernel) / np.array(glorot_kernel)) > 10
    assert (
        glorot_forward[-1] < glorot_forward[0] / 10
        and glorot_backward[0] < glorot_backward[-1] / 10
    )
    assert 1 / 1.5 < he_forward[-1] / he_forward[0] < 1.5
    assert 1 / 1.5 < he_backward[0] / he_backward[-1] < 1.5


def from_scratch_backprop(ns):
    # the gradient check passed, and passes again on a fresh float64 network
    assert ns["max_check_error"] < 1e-6
    # TensorFlow's automatic differentiation gives backward's gradient, entry for entry
    assert max(ns["tape_errors"].values()) < 1e-12
    rng = np.random.default_rng(7)
    params64 = ns["init"](rng, dtype=np.float64)
    x = ns["x_train_flat"][:8].astype(np.float64)
    errors = ns["gradient_check"](params64, x, ns["y_train"][:8], ns["backward"], rng, n_entries=30)
    assert max(errors.values()) < 1e-6
    # every gradient has the shape of its parameter
    log_p, cache = ns["forward"](params64, x)
    grads = ns["backward"](params64, log_p, ns["y_train"][:8], cache)
    assert {name: g.shape for name, g in grads.items()} == {
        name: p.shape for name, p in params64.items()
    }
    # the backward pass costs about one forward pass in multiplications
    assert abs(ns["backward_ratio"] - 1) < 0.05
    # training keeps A and H of every image of the batch; a batch of 512 outweighs the parameters
    assert ns["cache_bytes"]["A"] == ns["cache_bytes"]["H"] == 128 * 128 * 4
    assert ns["params_bytes"] == 101_770 * 4 < 512 * 2 * 128 * 4
    # no nudge of the gradient check crossed a ReLU kink
    assert ns["closest_to_kink"] > 1e-5
    # exercises: a symmetric start stays symmetric; the check flags a missing ReLU mask
    # in the hidden layer only
    assert ns["symmetric_spread"] < 1e-6 < 0.1 < ns["glorot_spread"]
    broken = ns["broken_errors"]
    assert broken["W1"] > 1e-2 and broken["b1"] > 1e-2
    assert broken["W2"] < 1e-6 and broken["b2"] < 1e-6


def from_scratch_training(ns):
    params = ns["params"]
    assert ns["n_scratch_params"] == sum(v.size for v in params.values()) == 101_770
    assert ns["keras_model"].count_params() == 101_770
    # training: 10 epochs, loss falling, test accuracy of at least 97 %
    history = ns["scratch_history"]
    assert len(history["loss"]) == len(history["accuracy"]) == 10
    assert history["loss"][-1] < history["loss"][0] / 5
    # the test set, watched after each epoch, ends below the training batches
    assert len(history["watch_accuracy"]) == 10
    assert history["watch_accuracy"][-1] < history["accuracy"][-1]
    predictions = ns["forward"](params, ns["x_test_flat"])[0].argmax(axis=1)
    accuracy = float(np.mean(predictions == ns["y_test"]))
    assert accuracy == ns["scratch_accuracy"] >= 0.97
    # the Keras model of Part I, side by side
    assert len(ns["keras_history"]["loss"]) == 10
    assert ns["keras_accuracy"] >= 0.97
    assert abs(ns["scratch_accuracy"] - ns["keras_accuracy"]) < 0.01
    assert list(ns["comparison"].columns) == ["from scratch (numpy)", "Keras (Part I)"]
    # exercises: momentum beats plain steps of the same size; the two networks mostly agree
    assert ns["with_momentum"]["loss"][0] < ns["plain"]["loss"][0]
    assert ns["n_disagree"] == int(np.sum(predictions != ns["keras_predictions"])) < 500


def training_dynamics(ns):
    from handwriting.seeds import SEEDS, separated

    # the validation set is carved from the training data, never the test set
    assert len(ns["x_fit"]) == 54_000 and len(ns["x_val"]) == 6_000
    assert ns["x_val"].shape == (6_000, 28, 28)
    # five learning rates, a factor of 10 apart, three seeds each
    runs = ns["rate_runs"]
    assert list(dict.fromkeys(runs.index.get_level_values("setting"))) == [
        "0.00001",
        "0.0001",
        "0.001",
        "0.01",
        "0.1",
    ]
    assert len(runs) == 5 * len(SEEDS)
    best = ns["best_rate"]
    for seed in SEEDS:  # too small crawls, the best rate ends lowest, too large stalls
        small, right, large = (
            np.array(runs.loc[(r, seed), "loss"]) for r in ("0.00001", best, "0.1")
        )
        assert right[-1] < small[-1] / 5 and right[-1] < large[-1] / 5
        assert np.all(np.diff(small) < 0) and large[0] > np.log(10) > large[1:].max()
        assert runs.loc[("0.1", seed), "dead"] > runs.loc[(best, seed), "dead"] + 0.1
    # the choice: the lowest final validation loss, every run below every run of each other rate
    final = runs["val_loss"].map(lambda losses: losses[-1]).to_frame("final")
    assert best == final["final"].groupby(level="setting").mean().idxmin()
    for other in {"0.00001", "0.0001", "0.001", "0.01", "0.1"} - {best}:
        assert separated(final, "final", best, other, higher=False)
    # exercises: Adam's first step moves a weight by at most the learning rate, and the
    # weights that stay put are exactly those the forward pass gives no gradient
    assert ns["changes"].max() <= 1.0001e-3 and np.mean(ns["changes"] > 9e-4) > 0.3
    assert ns["no_gradient"].shape == (784, 128) and ns["no_gradient"].any()
    assert ns["crawl_epochs"] > 1


def batch_size(ns):
    from handwriting.seeds import separated

    # fewer updates per epoch, faster epochs (the chapter asserts the broad trend itself)
    sweep = ns["sweep"]
    assert list(sweep.index) == [16, 64, 256, 1024]
    assert list(sweep["updates per epoch"]) == [625, 157, 40, 10]
    seconds = sweep["seconds per epoch"]
    assert seconds[16] > 3 * seconds[1024]
    # the text's account of the fitted fixed part matches this run's times (a busy machine
    # can make them too uneven for the split, and the text then says so)
    per_update = sweep["milliseconds per update"]
    fits = 0 < ns["fixed_ms"] < per_update[16] and ns["per_image_ms"] > 0
    assert ns["fixed_consistent"] == fits
    # which batch size was fastest, and what a still larger batch saved, come from the times
    assert ns["fastest"] == seconds.idxmin() > 16
    ratio_small, ratio_large = seconds[64] / seconds[16], seconds[1024] / seconds[256]
    assert ns["saving_consistent"] == (ratio_small < ratio_large < 1)
    assert ("took longer" in ns["saving_words"]) == (ratio_large >= 1)
    # the rate the page starts from is below the one that won training-dynamics' sweep
    assert float(ns["best_rate"]) > 0.001
    # after the same epochs, every run with batches of 1024 is behind every run with 64,
    # and a larger learning rate helps them
    final = ns["final"]
    assert separated(final, "val_accuracy", "64, rate 0.001", "1024, rate 0.001")
    assert separated(final, "val_accuracy", "1024, rate 0.004", "1024, rate 0.001") or separated(
        final, "val_accuracy", "1024, rate 0.016", "1024, rate 0.001"
    )
    # exercise: batch gradient noise ~ 1 / sqrt(B)
    assert len(ns["x_fit"]) == 54_000 and len(ns["x_val"]) == 6_000
    assert 3 < ns["noise"][16] / ns["noise"][256] < 5


def overfitting(ns):
    from handwriting.seeds import SEEDS, separated

    summary = ns["summary"]
    assert len(summary) == 3 * len(SEEDS)
    for seed in SEEDS:  # overfitting on 2,000 images: a perfect fit, a validation loss that rises
        plain = summary.loc[("no dropout", seed)]
        assert plain["final_accuracy"] > 0.999
        assert plain["best_epoch"] < 25 and plain["final_val_loss"] > 1.02 * plain["best_val_loss"]
    # dropout lowers the best and final validation loss, every run below every run without;
    # weight decay the final validation loss and the accuracy gap
    for measure in ("best_val_loss", "final_val_loss"):
        assert separated(summary, measure, "dropout 0.2", "no dropout", higher=False)
    for measure in ("final_val_loss", "accuracy_gap"):
        assert separated(summary, measure, "weight decay 1", "no dropout", higher=False)
    # the validation accuracy does not fall after the loss minimum: overconfidence, not errors
    plain = summary.xs("no dropout")
    assert (plain["final_val_accuracy"] > plain["best_val_accuracy"] - 0.01).all()
    # early stopping: stopped early, 5 epochs after the best, best weights restored
    stopped, best_epoch = ns["stopped"], ns["best_epoch"]
    assert ns["epochs_run"] == len(stopped["val_loss"]) == best_epoch + 5 < 30
    assert abs(ns["restored_loss"] - min(stopped["val_loss"])) < 1e-4
    restored = ns["stopped_model"].evaluate(ns["x_val"], ns["y_val"], batch_size=1000, verbose=0)
    assert abs(restored[0] - min(stopped["val_loss"])) < 1e-4
    # the extra epochs made the model surer of its wrong answers
    assert ns["sure"]["full"] > ns["sure"]["restored"]
    # exercises: the replay agrees with Keras; monitoring the accuracy keeps accurate epochs
    assert ns["replayed"][5] == (ns["epochs_run"], best_epoch)
    assert len(ns["kept"]) == len(SEEDS)


def draw_a_digit(ns):
    import json

    from handwriting import weights_json

    assert ns["test_accuracy"]["dense"] >= 0.97
    assert ns["test_accuracy"]["convolutional"] >= 0.993
    # the JSON written into the page holds both networks' weights as the export rounds them,
    # and the pen's width
    document = json.loads(ns["weights"])
    assert document["pen_width"] == ns["pen_width"]
    for name in ("mlp", "cnn"):
        built = weights_json.export(ns[name], name)
        carried = document["models"][name]
        assert [layer["type"] for layer in carried["layers"]] == [
            layer["type"] for layer in built["layers"]
        ]
        for ours, theirs in zip(carried["layers"], built["layers"], strict=True):
            for key, value in theirs.items():
                if isinstance(value, dict):
                    assert np.array_equal(
                        weights_json.decode(ours[key]), weights_json.decode(value)
                    )
    assert len(ns["weights"]) < len(ns["exact"]) / 3 and len(ns["weights"]) < 500_000
    # shifted digits cost the dense network more than the convolutional one
    dense, conv = ns["shifted"]["dense", "right"], ns["shifted"]["convolutional", "right"]
    assert dense[3] < dense[0] - 0.1 and all(c > d for c, d in zip(conv[1:], dense[1:]))
    assert ns["keeps"]["convolutional"] > ns["keeps"]["dense"] >= 0
    # the shifted digits lose no ink at the edge: moved six pixels either way, they keep it all
    inked = np.count_nonzero(ns["x_some"], axis=(1, 2))
    for right in (ns["shifts"][-1], -ns["shifts"][-1]):
        moved = ns["shift"](ns["x_some"], right=right)
        assert np.array_equal(np.count_nonzero(moved, axis=(1, 2)), inked)
    # nor out of the convolutional network's sight: moved right, columns 26 and 27 stay blank
    assert not ns["shift"](ns["x_some"], right=ns["shifts"][-1])[:, :, 26:].any()
    # shapes that are no digit still get a digit, with a probability above 0.8
    assert all(value > 0.8 for value in ns["sure"].values())
    # the pen draws strokes about as wide as MNIST's
    assert np.median(ns["mnist_widths"]) == 3
    assert 2 <= ns["pen_on_grid"] <= 3
    assert all(
        ns["thick_accuracy"][name] < ns["test_accuracy"][name] for name in ns["thick_accuracy"]
    )


def draw_a_digit_inside(ns):
    # the page's arithmetic, redone in NumPy from the JSON, agrees with Keras on the same
    # weights, and rounding them to a byte changes at most 0.2 % of the answers
    for name in ("mlp", "cnn"):
        same, difference, changed = ns["agreement"][name]
        assert same >= 9_990 and difference < 1e-4 and changed <= 20
    # the page's kernels are a byte a weight, with a scale per unit and input channel
    for layer in ns["specs"]["cnn"]["layers"]:
        if "kernel" in layer:
            assert "scale" in layer["kernel"] and "scale" not in layer["bias"]
    assert ns["changed_by_bits"][4, "cnn"] > ns["changed_by_bits"][8, "cnn"]
    # fewer bits: larger rounding errors on average and at worst, not for every weight
    for name in ("mlp", "cnn"):
        mean = [ns["errors"][bits, name].mean() for bits in (8, 6, 4)]
        worst = [ns["errors"][bits, name].max() for bits in (8, 6, 4)]
        assert mean == sorted(mean) and worst == sorted(worst)
    assert np.any(ns["errors"][6, "cnn"] < ns["errors"][8, "cnn"])
    # many of the inputs of each layer that multiplies are zero, but not all
    assert 0 < min(ns["zero_inputs"]) < max(ns["zero_inputs"]) < 1
    assert 16 <= ns["n_mixed"] < 32
    assert 10 < ns["receptive"] < ns["receptive_pooled"] < 20
    # one scale per unit rounds many folded weights to zero, few unfolded ones
    assert ns["zeros"][1] > 10 * ns["zeros"]["unfolded"]
    assert ns["zeros_last"] > ns["zeros_first"]
    assert ns["best_horizontal"] != ns["best_vertical"]
    assert_filters_figure(ns["filters_figure"], ns["kernel"])


def convnets(ns):
    assert ns["x_train"].shape == (60_000, 28, 28, 1) and ns["x_test"].shape == (10_000, 28, 28, 1)
    assert ns["conv_params"] == 3 * 3 * 1 * 32 + 32
    assert ns["dense_params"] == 784 * 26 * 26 * 32 + 26 * 26 * 32
    assert ns["edges"].shape == (1, 26, 26, 2) and ns["pooled"].shape == (1, 13, 13, 2)
    # pooling keeps the largest value of each 2 x 2 square
    edges = ns["edges"][0, :26, :26]
    squares = edges.reshape(13, 2, 13, 2, 2).max(axis=(1, 3))
    assert np.array_equal(ns["pooled"][0], squares)
    # shifting the digit shifts its maps; pooling makes a one-pixel move matter less
    assert ns["difference"] < 1e-5
    assert ns["change_pooled"] < ns["change_map"]
    # exercises: a convolution's parameters do not depend on the image; ReLU and pooling commute
    assert ns["photo_conv"].count_params() == 3 * 3 * 3 * 32 + 32
    assert np.array_equal(ns["relu_then_pool"], ns["pool_then_relu"])
    # the output-size rule agrees with Keras's shapes, with and without padding and stride
    assert len(ns["checked"]) >= 8
    assert all(keras_side == rule for _, _, keras_side, rule in ns["checked"])
    assert ns["output_size"](28, 3, 1, 1) == 28 and ns["output_size"](11, 2, 0, 2) == 5


def convnets_plain(ns):
    from handwriting.models import build_plain_cnn, receptive_field
    from handwriting.seeds import SEEDS, separated

    model = build_plain_cnn()
    layers = [layer.__class__.__name__ for layer in model.layers]
    assert layers == ["Conv2D", "MaxPooling2D"] * 2 + ["Flatten", "Dense", "Dense"], layers
    assert model.count_params() == ns["plain_params"] == 320 + 18_496 + 1600 * 128 + 128 + 1290
    assert ns["field_last"] == receptive_field(ns["stack"]) == 10
    # the multi-channel sum, by hand, is what keras.ops.conv computes
    assert ns["by_formula"].shape == (11, 11, 64)
    np.testing.assert_allclose(ns["by_formula"], ns["by_keras"], atol=1e-3)
    # every run of the plain network beats every run of both dense networks on the validation set
    runs = ns["brief_runs"]
    assert len(runs) == 3 * len(SEEDS)
    for rival in ("dense (Part I)", "dense, 283 neurons"):
        assert separated(runs, "val_accuracy", "plain convolutional", rival)
    # blind to the image's last two rows
    assert ns["changes"][25] > 0 and ns["changes"][26] == ns["changes"][27] == 0
    assert ns["plain_mults"] > 10 * ns["mlp_mults"]
    # exercises: the second pooling saves parameters; a 1 x 1 convolution is a matrix per pixel
    assert ns["unpooled"].count_params() > 2 * ns["plain_params"]
    assert ns["one_by_one"].count_params() == 32 * 16 + 16
    np.testing.assert_allclose(ns["by_conv"], ns["by_matrix"], atol=1e-5)


def convnets_training(ns):
    model = ns["model"]
    # the build checks the design on the validation set; the test set is only reported
    assert ns["cnn"].history["val_accuracy"][-1] >= 0.993
    assert len(ns["cnn"].history["loss"]) == ns["epochs"]
    assert model.count_params() > ns["n_conv_params"]
    assert ns["n_running"] == 2 * (32 + 64)
    assert ns["conv_mult_share"] > 0.9
    # the optimizer's schedule is the cosine formula, step by step
    np.testing.assert_allclose(ns["used"], ns["by_formula"], atol=1e-9)
    # batch normalization by hand, in training and in prediction, is what the layer computes
    norm_1 = model.get_layer("norm_1")
    saved = norm_1.get_weights()
    pooled = keras_model_upto(model, "pool_1").predict(ns["x_train"][:128], verbose=0)
    for by_hand, training in ((ns["predicting"], False), (ns["in_training"], True)):
        assert by_hand.shape == (128, 13, 13, 32)
        np.testing.assert_allclose(by_hand, norm_1(pooled, training=training), atol=1e-3)
    norm_1.set_weights(saved)  # training mode moved the running averages
    # exercises: shifted digits cost accuracy; the schedule halves the rate halfway
    shifted = ns["shift_accuracy"]
    assert shifted[4] < shifted[2] <= ns["results"]["accuracy"] + 0.001
    assert abs(ns["halfway_rate"] - 0.0015) < 1e-6


def convnets_features(ns):
    assert ns["filters"].shape == (3, 3, 1, 32)
    assert ns["maps_1"].shape == (1, 26, 26, 32) and ns["maps_3"].shape == (1, 9, 9, 64)
    assert ns["maps_1"].min() >= 0 and ns["maps_3"].min() >= 0
    assert ns["field_conv_3"] == 12
    # the learned filters stay close to their seeded start; the most edge-like were so at the start
    start, learned = ns["start_filters"], ns["filters"]
    assert start.shape == learned.shape and not np.allclose(start, learned)
    assert ns["start_cosine_median"] > 0.9
    for name, (index, value) in ns["similarity"].items():
        assert ns["start_similarity"][name][0] == index
        assert abs(ns["start_similarity"][name][1] - value) < 0.05
    # exercises: maps dead for all digits
    assert ns["dead_for_all"] <= ns["dead_maps_3"]
    # gradient descent recovers the hand-made edge filter from its maps
    assert ns["edge_error"] < 0.05
    assert_filters_figure(ns["filters_figure"], ns["filters"][:, :, 0, :])


def error_analysis(ns):
    confusion, y_test = ns["confusion"], ns["y_test"]
    assert ns["accuracy"] >= 0.993
    assert confusion.shape == (10, 10) and confusion.sum() == len(y_test) == 10_000
    assert np.array_equal(confusion.sum(axis=1), np.bincount(y_test, minlength=10))
    assert np.trace(confusion) == ns["n_correct"] == 10_000 - ns["n_mistakes"]
    recall, precision = np.asarray(ns["recall"]), np.asarray(ns["precision"])
    assert np.all((0 <= recall) & (recall <= 1)) and np.all((0 <= precision) & (precision <= 1))
    assert min(recall.min(), precision.min()) == ns["worst_figure"] > 0.985
    # exercises: the most confused pair, both ways; a model that calls every digit a 1
    assert ns["pair_count"] == ns["both_ways"].max() and ns["both_ways"].sum() == ns["n_mistakes"]
    assert ns["ones_recall"] == 1 and ns["ones_precision"] == np.mean(y_test == 1)


def error_analysis_mistakes(ns):
    # the validation set: the last tenth of the training images, which the network never saw
    assert len(ns["correct"]) == 6_000 and ns["accuracy"] > 0.99
    confidence, correct = ns["confidence"], ns["correct"]
    assert np.median(confidence[~correct]) < np.median(confidence[correct])
    ranked = ns["ranked"]
    assert not correct[ranked].any() and len(ranked) == np.sum(~correct)
    assert np.all(np.diff(confidence[ranked]) <= 0) and ns["surest"] == ranked[0]
    # the book's reading sorts every mistake into exactly one group
    assert sorted(i for group in ns["reading"].values() for i in group) == sorted(ranked)
    # exercises: passing unsure digits to a person removes most mistakes; top-2 accuracy
    assert ns["kept_accuracy"] > ns["accuracy"] and ns["share_removed"] > 0.5
    assert ns["top_2_accuracy"] > ns["accuracy"]


def keras_model_upto(model, name):
    """A model that computes `model`'s layers up to the layer `name`."""
    import keras

    return keras.Model(model.inputs, model.get_layer(name).output)


def convnets_ablation(ns):
    from handwriting.seeds import SEEDS, separated, wins

    runs = ns["ablation"]
    assert list(ns["settings"]) == [
        "all five",
        "without shift",
        "without batch normalization",
        "without dropout",
        "without third convolution",
        "without schedule",
    ]
    assert len(runs) == 6 * len(SEEDS)
    # every verdict is what the three seeds say: "helps" and "hurts" only for separated runs
    for refinement, verdict in ns["verdicts"].items():
        name = f"without {refinement}"
        if separated(runs, "val_accuracy", "all five", name):
            assert verdict == "helps"
        elif separated(runs, "val_accuracy", name, "all five"):
            assert verdict == "hurts"
        elif wins(runs, "val_accuracy", "all five", name):
            assert verdict == "lower without it in each seed"
        elif wins(runs, "val_accuracy", name, "all five"):
            assert verdict == "higher without it in each seed"
        else:
            assert verdict == "no difference shown"
    # the table shows the same verdicts as the words after it (both come from verdict())
    for refinement, verdict in ns["verdicts"].items():
        assert ns["table"].loc[f"without {refinement}", "the refinement"] == verdict
    assert ((0 < runs["val_accuracy"]) & (runs["val_accuracy"] <= 1)).all()


CLAIMS = {
    "book/welcome.md": welcome,
    "book/mnist.md": mnist,
    "book/first-classifier.md": first_classifier,
    "book/neurons.md": neurons,
    "book/neuron-training.md": neuron_training,
    "book/activations.md": activations,
    "book/nonlinearity.md": nonlinearity,
    "book/layers.md": layers,
    "book/dropout-softmax.md": dropout_softmax,
    "book/compiling.md": compiling,
    "book/cross-entropy.md": cross_entropy,
    "book/training.md": training,
    "book/training-classifier.md": training_classifier,
    "book/evaluation.md": evaluation,
    "book/from-scratch.md": from_scratch,
    "book/from-scratch-backprop.md": from_scratch_backprop,
    "book/from-scratch-training.md": from_scratch_training,
    "book/convnets.md": convnets,
    "book/convnets-plain.md": convnets_plain,
    "book/convnets-training.md": convnets_training,
    "book/convnets-ablation.md": convnets_ablation,
    "book/convnets-features.md": convnets_features,
    "book/error-analysis.md": error_analysis,
    "book/error-analysis-mistakes.md": error_analysis_mistakes,
    "book/training-dynamics.md": training_dynamics,
    "book/batch-size.md": batch_size,
    "book/overfitting.md": overfitting,
    "book/draw-a-digit.md": draw_a_digit,
    "book/draw-a-digit-inside.md": draw_a_digit_inside,
}


class Published(dict):
    """The values a chapter publishes; asking for one it does not publish names both."""

    def __init__(self, chapter: str, namespace: dict):
        if not isinstance(namespace.get("published"), dict):
            pytest.fail(f"{chapter} publishes nothing: it needs a cell that sets `published`")
        super().__init__(namespace["published"])
        self.chapter = chapter

    def __missing__(self, name):
        pytest.fail(
            f"{self.chapter} does not publish {name!r}; its `published` cell lists {sorted(self)}"
        )


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[chapter.name for chapter in CHAPTERS])
def test_chapter_runs_and_its_claims_hold(chapter):
    namespace = extract_tests.run_chapter(chapter)
    check = CLAIMS.get(chapter.name)
    if check is not None:
        check(Published(chapter.name, namespace))


@pytest.mark.unit
def test_claims_are_only_for_chapters_of_the_toc():
    """Every chapter with claims here is a chapter of _toc.yml (none left behind by a rename)."""
    names = [chapter.name for chapter in CHAPTERS]
    assert set(CLAIMS) <= set(names), (
        f"claims for chapters not in _toc.yml: {set(CLAIMS) - set(names)}"
    )


#: Chapters with code but no claims checked here, each with the reason.
EXEMPT: dict[str, str] = {}


@pytest.mark.unit
def test_every_chapter_with_code_has_its_claims_checked_or_says_why_not():
    """A new chapter adds its function to CLAIMS (or, with a reason, its name to EXEMPT)."""
    names = {chapter.name for chapter in CHAPTERS}
    missing = sorted(names - set(CLAIMS) - set(EXEMPT))
    assert not missing, (
        f"{missing}: add a function that checks what the chapter publishes to CLAIMS in "
        "tests/test_chapters.py, or the chapter to EXEMPT with the reason"
    )
    assert not set(CLAIMS) & set(EXEMPT), "a chapter is both checked and exempt"
    assert all(reason.strip() for reason in EXEMPT.values()), "an exemption gives its reason"
