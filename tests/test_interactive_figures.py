"""The interactive figures (handwriting/explorables.py) in a real, headless Chromium.

Each figure's page is served from this machine, with every other address
blocked. The tests drive each figure from the keyboard, as a reader without a
mouse would (typing into its number fields, choosing from its lists, pressing
its buttons), read what the figure computed, and check it against NumPy or
Keras on the same inputs, within 1e-6:

- the neuron of book/neurons.md: its weighted sum and its output over the
  inputs, for each activation, against a Keras neuron with the same weight and
  bias, and its mean squared error on the points; this page's untrained neuron
  and the trained neuron of the model store;
- gradient descent in book/training.md: every step of the path from the
  learning rate and the start the reader picks (typed, or clicked on the
  landscape), and the limit on the learning rate, 2 divided by the steepest
  curvature, against NumPy; the path converges below the limit (slowly, just
  below it) and diverges above it, and the figure says which; a path that
  leaves the landscape is drawn to its edge and no farther;
- the convolution of book/convnets.md: the feature map, the map after ReLU and
  2 x 2 max pooling, and the window's nine products and their sum, against
  Keras's convolution and pooling; the filters it offers are the hand-made
  ones and the book's network's, numbered from 0; the map is drawn in the
  book's colours, with a key naming its scale; pointing at the pooled map
  moves the window to the output each 2 x 2 square keeps.

Every number box shows its value rounded while the figure computes with all
its digits (a learned filter, the trained neuron), and a box emptied or left
holding no number gets its last value back.

Each figure also carries the numbers of its chapter; every control is in the
tab order with a name; a change is read out (aria-live); axe-core finds
nothing serious in either theme; nothing is wider than a 360 px phone; the
page logs no error and asks for nothing outside the site. The tests print each
figure's own files' size over the wire. Set ``BROWSER_SCREENSHOTS`` to a
folder to keep screenshots of each figure (360 px and desktop, both themes).
"""

from __future__ import annotations

import base64

import numpy as np
import pytest

from booktools.browser import WatchedPage, axe_violations, screenshot_folder, site_in_chromium

PAGES = {
    "neuron": "book/neurons.html",
    "gradient-descent": "book/training.html",
    "convolution": "book/convnets.html",
}
TOLERANCE = 1e-6
pytestmark = pytest.mark.browser


# ------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site():
    """Chromium, and the built site served: (browser, base URL)."""
    with site_in_chromium() as (browser, base_url):
        yield browser, base_url


@pytest.fixture(scope="module")
def screenshots():
    return screenshot_folder("explorables-")


class Figure(WatchedPage):
    """One explorable, open in its page (the theme following the system's), and ready."""

    def __init__(self, browser, base_url, name, theme="light", **context_options):
        context_options.setdefault("viewport", {"width": 1100, "height": 900})
        self.name = name
        ready = f"window.explorables && window.explorables['{name}'] && window.explorables['{name}'].state"
        super().__init__(
            browser, base_url + PAGES[name], ready, color_scheme=theme, **context_options
        )
        self.box = self.page.locator(f"#explorable-{name}")
        self.box.scroll_into_view_if_needed()

    def state(self):
        return self.page.evaluate("name => window.explorables[name].state()", self.name)

    def data(self):
        """The JSON the chapter wrote for the figure (fetched, where the build moved it)."""
        return self.page.evaluate(
            """async name => {
                const element = document.getElementById('explorable-' + name + '-data');
                return element.src ? (await fetch(element.src)).json()
                                   : JSON.parse(element.textContent);
            }""",
            self.name,
        )

    def field(self, label):
        return self.box.get_by_label(label, exact=True)

    def type(self, label, value):
        """Type a number into the field named ``label``, then leave it (Tab)."""
        field = self.field(label)
        field.focus()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.type(str(value))
        self.page.keyboard.press("Tab")

    def press(self, text, key="Enter"):
        """Press a button from the keyboard: focus it, then Enter (or Space)."""
        self.box.get_by_role("button", name=text, exact=True).focus()
        self.page.keyboard.press(key)

    def choose(self, label, text):
        """Choose ``text`` in the list named ``label`` with the arrow keys."""
        select = self.field(label)
        options = select.evaluate("s => Array.from(s.options).map(o => o.text)")
        target = options.index(text)
        select.focus()
        for _ in range(200):
            current = select.evaluate("s => s.selectedIndex")
            if current == target:
                return
            self.page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
        raise AssertionError(f"could not choose {text!r} in {label!r} from the keyboard")

    def shoot(self, path):
        """A screenshot of the figure with its caption, as the page lays it out (without
        the theme's header, which stays at the top of the window and would cover it)."""
        hide = self.page.add_style_tag(
            content=".bd-header, .bd-header-article, #pst-skip-link { visibility: hidden; }"
        )
        box = self.page.locator(f"figure:has(#explorable-{self.name})").bounding_box()
        top = box["y"] + self.page.evaluate("scrollY")
        clip = {"x": box["x"], "y": top, "width": box["width"], "height": box["height"]}
        self.page.screenshot(path=path, full_page=True, clip=clip)
        hide.evaluate("style => style.remove()")

    def spoken(self):
        """What a screen reader hears: the live region, once it has caught up."""
        self.page.wait_for_timeout(500)
        return self.box.locator("[aria-live]").inner_text()


@pytest.fixture(scope="module")
def opened():
    figures = []
    yield figures
    for figure in figures:
        figure.close()


@pytest.fixture(scope="module")
def figures(site, opened):
    """Each explorable at desktop width, in the light theme."""
    found = {name: Figure(*site, name) for name in PAGES}
    opened.extend(found.values())
    return found


def keras_neuron(weight, bias, activation):
    """A one-input Keras neuron in 64-bit arithmetic, with this weight and bias."""
    import keras

    neuron = keras.Sequential(
        [
            keras.Input(shape=(1,), dtype="float64"),
            keras.layers.Dense(1, activation=activation, dtype="float64"),
        ]
    )
    neuron.set_weights([np.array([[weight]]), np.array([bias])])
    return neuron


# ----------------------------------------------------------------- the neuron


def test_the_neuron_carries_its_chapters_numbers(figures):
    import keras

    from handwriting.neurons import build_neuron, line_data
    from handwriting.store import trained

    data = figures["neuron"].data()
    keras.utils.set_random_seed(3)
    untrained = build_neuron().get_weights()
    trained_weights = trained("neuron").model.get_weights()
    assert data["start"] == [float(untrained[0][0, 0]), float(untrained[1][0])]
    assert data["trained"] == [float(trained_weights[0][0, 0]), float(trained_weights[1][0])]
    x_points, y_points = line_data()
    np.testing.assert_array_equal(data["x"], x_points[::5, 0])
    np.testing.assert_array_equal(data["y"], y_points[::5, 0])
    state = figures["neuron"].state()
    assert [state["weight"], state["bias"], state["activation"]] == [*data["start"], "tanh"], (
        "the figure starts as the page's untrained neuron"
    )


@pytest.mark.parametrize(
    "weight, bias, activation, text",
    [(1.5, -0.3, "tanh", "tanh"), (-2.25, 0.5, "sigmoid", "sigmoid"), (0.8, -0.4, "relu", "ReLU")],
)
def test_the_neuron_computes_what_keras_does(figures, weight, bias, activation, text):
    figure = figures["neuron"]
    figure.type("Weight w", weight)
    figure.type("Bias b", bias)
    figure.choose("Activation", text)
    state = figure.state()
    assert (state["weight"], state["bias"], state["activation"]) == (weight, bias, activation)
    x = np.array(state["x"])
    assert x[0] == -2 and x[-1] == 2 and len(x) == 401
    np.testing.assert_allclose(state["sum"], weight * x + bias, rtol=0, atol=TOLERANCE)
    by_keras = keras_neuron(weight, bias, activation).predict(x[:, None], verbose=0)[:, 0]
    np.testing.assert_allclose(state["output"], by_keras, rtol=0, atol=TOLERANCE)
    data = figure.data()
    on_points = keras_neuron(weight, bias, activation).predict(
        np.array(data["x"])[:, None], verbose=0
    )
    error = np.mean((on_points[:, 0] - data["y"]) ** 2)
    assert abs(state["error"] - error) < TOLERANCE
    spoken = figure.spoken()
    assert spoken.startswith(f"Output {text}(") and "at x = 1." in spoken, spoken
    assert f"Mean squared error on the points: {error:.3f}." in spoken, spoken


def test_the_trained_neuron_is_one_key_press_away(figures):
    from handwriting.store import trained

    figure = figures["neuron"]
    figure.choose("Activation", "ReLU")
    figure.press("The trained neuron")
    state = figure.state()
    stored = trained("neuron").model
    assert state["activation"] == "tanh"
    assert [state["weight"], state["bias"]] == [float(w.ravel()[0]) for w in stored.get_weights()]
    x = np.array(state["x"], dtype="float32")
    np.testing.assert_allclose(
        state["output"], stored.predict(x[:, None], verbose=0)[:, 0], rtol=0, atol=TOLERANCE
    )
    data = figure.data()
    on_points = stored.predict(np.array(data["x"], dtype="float32")[:, None], verbose=0)[:, 0]
    assert abs(state["error"] - np.mean((on_points - data["y"]) ** 2)) < 1e-6
    figure.press("This page's untrained neuron", key="Space")
    assert [figure.state()["weight"], figure.state()["bias"]] == figure.data()["start"]


# ------------------------------------------------------------ gradient descent


def descend(x, y, rate, w, b, n_steps):
    """The chapter's gradient descent of the line, in NumPy: (w, b, loss) at every step."""
    steps = []
    for _ in range(n_steps + 1):
        error = w * x + b - y
        steps.append((w, b, np.mean(error**2)))
        w, b = w - rate * 2 * np.mean(error * x), b - rate * 2 * np.mean(error)
    return np.array(steps)


def steepest_curvature(x):
    hessian = 2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
    return np.linalg.eigvalsh(hessian)[-1]


def assert_same_path(state, data):
    x, y = np.array(data["x"]), np.array(data["y"])
    expected = descend(x, y, state["rate"], *state["start"], data["max_steps"])
    # JSON writes a whole large number without a point, which Python reads as an int
    shown = np.array([[s["w"], s["b"], s["loss"]] for s in state["steps"]], dtype="float64")
    np.testing.assert_allclose(shown, expected, rtol=TOLERANCE, atol=TOLERANCE)
    return expected


def test_gradient_descent_carries_its_chapters_numbers(figures):
    figure = figures["gradient-descent"]
    data, state = figure.data(), figure.state()
    x = np.array(data["x"])
    w_best, b_best = np.polyfit(x, data["y"], deg=1)
    np.testing.assert_allclose(data["best"], [w_best, b_best], rtol=0, atol=1e-12)
    limit = 2 / steepest_curvature(x)
    assert abs(data["rate_limit"] - limit) < 1e-12, "the chapter's limit, 2 / steepest curvature"
    assert abs(state["limit"] - limit) < TOLERANCE, "the figure's own limit"
    assert (state["rate"], state["start"], state["shown"]) == (
        data["learning_rate"],
        data["start"],
        data["n_steps"],
    ), "the figure starts as the chapter's run"
    expected = assert_same_path(state, data)
    assert abs(expected[data["n_steps"], 0] - w_best) < 0.01, (
        "the chapter's run ends on least squares"
    )
    # exercise 1, at 0.1, gets within 0.01 of least squares inside the steps the figure computes
    slow = descend(x, np.array(data["y"]), 0.1, *data["start"], data["max_steps"])
    assert np.all(np.abs(slow[-1, :2] - [w_best, b_best]) < 0.01)
    # the key shows the minimum as the plot does, a star, in the page's text colour
    star = figure.box.locator(".ex-legend li").last.evaluate(
        "li => [li.firstElementChild.textContent, li.firstElementChild.getAttribute('style')]"
    )
    assert star == ["\u2605", None], star


@pytest.mark.parametrize(
    "rate, start", [(0.3, (2.5, 0.0)), (0.7, (-1.0, -0.5)), (0.95, (0.5, 2.5))]
)
def test_gradient_descent_steps_as_numpy_does(figures, rate, start):
    figure = figures["gradient-descent"]
    figure.type("Start: slope w", start[0])
    figure.type("intercept b", start[1])
    figure.type("Learning rate", rate)
    state = figure.state()
    assert (state["rate"], tuple(state["start"]), state["shown"]) == (rate, start, 0)
    expected = assert_same_path(state, figure.data())
    for presses in (1, 2, 3):
        figure.press("Step")
        assert figure.state()["shown"] == presses
    w, b, loss = expected[3]
    spoken = figure.spoken()
    assert spoken.startswith("Step 3: w = ") and f"loss {loss:.4f}" in spoken.replace("\u2212", "-")


def test_gradient_descent_diverges_above_the_limit_and_says_so(figures):
    figure = figures["gradient-descent"]
    data = figure.data()
    limit = figure.state()["limit"]
    best = np.array(data["best"])
    figure.type("Start: slope w", data["start"][0])
    figure.type("intercept b", data["start"][1])
    for rate, verdict in (
        (round(limit - 0.05, 2), "converges."),
        (round(limit + 0.1, 2), "diverges."),
        (0.72, "converges, but slowly"),  # the slider's stop at the limit's tick, just below it
    ):
        figure.type("Learning rate", rate)
        state = figure.state()
        path = assert_same_path(state, data)
        distance = np.hypot(*(path[:, :2] - best).T)
        if verdict == "converges.":
            assert distance[-1] < 0.01 * distance[0]
        elif verdict == "diverges.":
            assert distance[-1] > 10 * distance[0]
        else:
            assert 0.01 * distance[0] < distance[-1] < distance[0]
            share = f"still {100 * distance[-1] / distance[0]:.0f}% of its first distance"
            assert share in state["verdict"], state["verdict"]
        assert f"the limit of {limit:.3f}" in state["verdict"], state["verdict"]
        assert f"the path {verdict}" in state["verdict"], state["verdict"]
        assert verdict in figure.spoken()


def test_a_diverging_path_is_drawn_to_the_landscapes_edge(figures):
    figure = figures["gradient-descent"]
    data = figure.data()
    figure.type("Start: slope w", data["start"][0])
    figure.type("intercept b", data["start"][1])
    figure.type("Learning rate", 1.0)
    path = assert_same_path(figure.state(), data)
    (w_low, w_high), (b_low, b_high) = data["box"]["w"], data["box"]["b"]
    outside = (
        (path[:, 0] < w_low) | (path[:, 0] > w_high) | (path[:, 1] < b_low) | (path[:, 1] > b_high)
    )
    first_out = int(np.argmax(outside))
    assert outside[first_out] and first_out > 1
    for presses in range(1, first_out + 2):
        figure.press("Step")
        expected = first_out if presses >= first_out else None
        assert figure.state()["leftAt"] == expected, presses
    assert f"The path left the landscape at step {first_out}." in figure.spoken()
    # once the path has left, its later steps (long lines across the landscape) are not drawn
    count = """c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;  // pixels of the path's colour, #D55E00
        for (let i = 0; i < d.length; i += 4) if (d[i] > 180 && d[i + 1] < 140 && d[i + 2] < 60) n++;
        return n;
    }"""
    canvas = figure.box.locator("canvas").nth(1)
    drawn = canvas.evaluate(count)
    assert drawn > 0
    for _ in range(5):
        figure.press("Step")
    assert figure.state()["shown"] == first_out + 6 and canvas.evaluate(count) == drawn


def test_gradient_descent_starts_where_the_landscape_is_clicked_and_plays(figures):
    figure = figures["gradient-descent"]
    canvas = figure.box.locator("canvas").nth(1)
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.77, "y": box["height"] * 0.33})
    state = figure.state()
    data = figure.data()
    assert state["shown"] == 0 and state["start"] != data["start"]
    assert all(abs(10 * v - round(10 * v)) < 1e-9 for v in state["start"]), "the fields' step"

    assert data["box"]["w"][0] < state["start"][0] < data["box"]["w"][1]
    assert_same_path(state, data)
    figure.press("Play")
    figure.page.wait_for_function(
        "() => window.explorables['gradient-descent'].state().shown >= 3", timeout=10_000
    )
    figure.press("Pause")
    paused = figure.state()["shown"]
    figure.page.wait_for_timeout(800)
    assert figure.state()["shown"] == paused, "Pause stops the steps"
    figure.press("Back to step 0")
    assert figure.state()["shown"] == 0


# ----------------------------------------------------------------- convolution


def byte_pixels(entry):
    """An image as the page carries it: MNIST's bytes, 0 to 255."""
    return np.frombuffer(base64.b64decode(entry), dtype=np.uint8).reshape(28, 28)


def keras_maps(image, weights, bias):
    """The map, and the map after ReLU and 2 x 2 max pooling, by Keras in 64-bit arithmetic."""
    import keras

    x = np.asarray(image, dtype="float64").reshape(1, 28, 28, 1)
    kernel = np.asarray(weights, dtype="float64").reshape(3, 3, 1, 1)
    feature_map = keras.ops.conv(x, kernel) + bias
    pooled = keras.ops.max_pool(keras.ops.relu(feature_map), pool_size=2, strides=2)
    return (
        keras.ops.convert_to_numpy(feature_map)[0, ..., 0],
        keras.ops.convert_to_numpy(pooled)[0, ..., 0],
    )


def assert_maps_as_keras(state):
    image = np.array(state["image"]).reshape(28, 28)
    feature_map, pooled = keras_maps(image, state["weights"], state["bias"])
    np.testing.assert_allclose(
        np.reshape(state["map"], (26, 26)), feature_map, rtol=0, atol=TOLERANCE
    )
    np.testing.assert_allclose(
        np.reshape(state["relu"], (26, 26)), np.maximum(feature_map, 0), rtol=0, atol=TOLERANCE
    )
    np.testing.assert_allclose(
        np.reshape(state["pooled"], (13, 13)), pooled, rtol=0, atol=TOLERANCE
    )
    window = state["window"]
    i, j = window["row"], window["column"]
    patch = image[i : i + 3, j : j + 3].ravel()
    np.testing.assert_allclose(window["products"], patch * np.array(state["weights"]), atol=1e-12)
    assert abs(window["sum"] - np.sum(patch * state["weights"])) < TOLERANCE
    assert abs(window["output"] - feature_map[i, j]) < TOLERANCE
    if i < 26 and j < 26:
        assert abs(window["pooled"] - pooled[i // 2, j // 2]) < TOLERANCE
    return feature_map


def test_the_convolution_carries_its_chapters_numbers(figures):
    from handwriting.data import load_mnist
    from handwriting.store import trained_cnn
    from handwriting.style import weight_colours

    data = figures["convolution"].data()
    (x_train, _), (x_test, y_test) = load_mnist()
    names = [image["name"] for image in data["images"]]
    assert names == ["the digit above"] + [f"a test {d}" for d in range(10)]
    first_of = [int(np.argmax(y_test == d)) for d in range(10)]  # each digit's first test image
    expected_images = [x_train[0]] + [x_test[i] for i in first_of]
    for image, expected in zip(data["images"], expected_images, strict=True):
        np.testing.assert_array_equal(byte_pixels(image["pixels"]), expected)
    kernel, bias = trained_cnn().model.get_layer("conv_1").get_weights()
    filters = {f["name"]: f for f in data["filters"]}
    vertical = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(filters["vertical edges"]["weights"], vertical.ravel())
    np.testing.assert_array_equal(filters["horizontal edges"]["weights"], vertical.T.ravel())
    for k in range(kernel.shape[-1]):  # numbered as the code indexes them, from 0
        learned = filters[f"learned filter {k}"]
        np.testing.assert_array_equal(learned["weights"], kernel[:, :, 0, k].ravel())
        assert learned["bias"] == bias[k]
    assert len(filters) == 2 + kernel.shape[-1] and data["colours"] == weight_colours()


def test_the_convolution_computes_what_keras_does(figures):
    figure = figures["convolution"]
    state = figure.state()
    assert state["weights"] == [-1, 0, 1, -2, 0, 2, -1, 0, 1], "it starts with the vertical edges"
    assert_maps_as_keras(state)
    figure.choose("Filter", "horizontal edges")
    figure.choose("Digit", "a test 3")
    figure.type("Window row", 7)
    figure.type("Window column", 20)
    state = figure.state()
    assert state["weights"] == [-1, -2, -1, 0, 0, 0, 1, 2, 1]
    assert (state["window"]["row"], state["window"]["column"]) == (7, 20)
    assert_maps_as_keras(state)
    assert "the nine products add up to" in figure.spoken()


def test_a_learned_filter_is_the_networks_first_block(figures):
    """Learned filter 5 on a test digit: what the network's conv_1 and pool_1 compute."""
    import keras

    from handwriting.store import trained_cnn

    figure = figures["convolution"]
    figure.choose("Filter", "learned filter 5")
    figure.choose("Digit", "a test 0")
    state = figure.state()
    assert_maps_as_keras(state)
    model = trained_cnn().model
    inside = keras.Model(
        model.inputs, [model.get_layer("conv_1").output, model.get_layer("pool_1").output]
    )
    image = np.array(state["image"], dtype="float32").reshape(1, 28, 28, 1)
    relu, pooled = (output[0, ..., 5] for output in inside.predict(image, verbose=0))
    np.testing.assert_allclose(np.reshape(state["relu"], (26, 26)), relu, rtol=0, atol=1e-5)
    np.testing.assert_allclose(np.reshape(state["pooled"], (13, 13)), pooled, rtol=0, atol=1e-5)


def test_an_edited_filter_and_the_pointer(figures):
    figure = figures["convolution"]
    figure.choose("Digit", "the digit above")
    for k in range(9):
        figure.type(f"Weight in row {k // 3 + 1}, column {k % 3 + 1}", 1 if k == 4 else 0)
    figure.type("Bias", 0)
    state = figure.state()
    assert figure.field("Filter").evaluate("s => s.value") == "own", (
        "the list says the filter is yours"
    )
    image = np.array(state["image"]).reshape(28, 28)
    np.testing.assert_array_equal(np.reshape(state["map"], (26, 26)), image[1:27, 1:27])
    figure.type("Bias", -0.5)
    state = figure.state()
    assert_maps_as_keras(state)
    np.testing.assert_array_equal(np.reshape(state["relu"], (26, 26)) > 0, image[1:27, 1:27] > 0.5)
    # the pointer over the map moves the window to the cell under it
    canvas = figure.box.locator("canvas.ex-grid").nth(2)
    box = canvas.bounding_box()
    canvas.hover(position={"x": box["width"] * (12.5 / 26), "y": box["height"] * (5.5 / 26)})
    window = figure.state()["window"]
    assert (window["row"], window["column"]) == (5, 12)


def test_the_map_is_drawn_in_the_books_colours(figures):
    from handwriting.style import weight_colours

    figure = figures["convolution"]
    figure.choose("Filter", "vertical edges")
    state = figure.state()
    drawn = (
        figure.box.locator("canvas.ex-grid")
        .nth(2)
        .evaluate(
            """c => {
            const cell = c.width / 26, data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const colours = [];
            for (let i = 0; i < 26; i++) for (let j = 0; j < 26; j++) {
                const p = 4 * (Math.floor((i + 0.5) * cell) * c.width + Math.floor((j + 0.5) * cell));
                colours.push([data[p], data[p + 1], data[p + 2]]);
            }
            return colours;
        }"""
        )
    )
    table = np.frombuffer(bytes.fromhex(weight_colours()), dtype=np.uint8).reshape(256, 3)
    values = np.array(state["map"])
    top = np.abs(values).max()
    expected = table[np.clip(np.floor((values + top) / (2 * top) * 256), 0, 255).astype(int)]
    window = 12 + 26 * 10  # the outlined cell
    mask = np.arange(26 * 26) != window
    assert np.array_equal(np.array(drawn)[mask], expected[mask])


def test_a_learned_filter_shows_rounded_and_computes_exact(figures):
    """The boxes show a learned weight to three decimals; the maps use all its digits,
    and so does an edit of one weight, which leaves the other eight exact."""
    figure = figures["convolution"]
    learned = next(f for f in figure.data()["filters"] if f["name"] == "learned filter 18")
    figure.choose("Filter", "learned filter 18")
    label = "Weight in row 1, column 1"
    shown = figure.field(label).input_value()
    assert shown == str(round(learned["weights"][0], 3)), shown
    assert figure.field("Bias").input_value() == str(round(learned["bias"], 3))
    state = figure.state()
    assert state["weights"] == learned["weights"] and state["bias"] == learned["bias"]
    assert_maps_as_keras(state)
    figure.type("Weight in row 2, column 2", 1)
    state = figure.state()
    assert state["weights"] == learned["weights"][:4] + [1] + learned["weights"][5:]
    assert state["bias"] == learned["bias"]


def test_pointing_at_the_pooled_map_shows_the_output_it_keeps(figures):
    figure = figures["convolution"]
    figure.choose("Filter", "vertical edges")
    figure.choose("Digit", "the digit above")
    relu = np.reshape(figure.state()["relu"], (26, 26))
    canvas = figure.box.locator("canvas.ex-grid").nth(3)
    box = canvas.bounding_box()
    for i, j in ((4, 6), (6, 5), (0, 0)):
        canvas.hover(
            position={"x": box["width"] * (j + 0.5) / 13, "y": box["height"] * (i + 0.5) / 13}
        )
        state = figure.state()
        window = state["window"]
        square = relu[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
        u, v = np.unravel_index(np.argmax(square), (2, 2))
        assert (window["row"], window["column"]) == (2 * i + u, 2 * j + v)
        assert window["pooled"] == square.max() == max(window["output"], 0)
    key = figure.box.locator("p.ex-note").last.inner_text()
    assert f"deepest red is {state['top']:.2f}" in key, key


# -------------------------------------------------------- every figure, alike


@pytest.mark.parametrize("name", list(PAGES))
def test_an_emptied_or_unreadable_box_gets_its_last_value_back(figures, name):
    """Emptying a box to type a new number, then leaving it, changes nothing (it used
    to become the control's minimum); so does leaving a lone minus sign in it."""
    figure = figures[name]
    field = figure.box.locator("input[type=number]").first
    before, shown = figure.state(), field.input_value()
    for typed in ("", "-"):
        field.focus()
        figure.page.keyboard.press("ControlOrMeta+a")
        figure.page.keyboard.press("Backspace")
        if typed:
            figure.page.keyboard.type(typed)
        figure.page.keyboard.press("Tab")
        # the same number (a box typed as "1.0" comes back written "1")
        assert float(field.input_value()) == float(shown), (typed, field.input_value())
        assert figure.state() == before


def test_the_trained_neuron_shows_rounded_and_computes_exact(figures):
    from handwriting.store import trained

    figure = figures["neuron"]
    figure.press("The trained neuron")
    weight, bias = (float(w.ravel()[0]) for w in trained("neuron").model.get_weights())
    assert figure.field("Weight w").input_value() == str(round(weight, 4))
    assert figure.field("Bias b").input_value() == str(round(bias, 4))
    assert [figure.state()["weight"], figure.state()["bias"]] == [weight, bias]


@pytest.mark.parametrize("name", list(PAGES))
def test_every_control_is_named_and_in_the_tab_order(figures, name):
    controls = (
        figures[name]
        .box.locator("input, select, button")
        .evaluate_all(
            """nodes => nodes.map(n => ({
            tab: n.tabIndex,
            name: (n.labels && n.labels.length ? n.labels[0].textContent : '') ||
                  n.getAttribute('aria-label') || n.textContent}))"""
        )
    )
    assert controls, "the figure has no controls"
    for control in controls:
        assert control["tab"] >= 0 and control["name"].strip(), control
    assert figures[name].box.locator("[aria-live='polite']").count() == 1
    assert figures[name].box.locator("canvas:not([aria-label])").count() == 0


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_each_figure_reads_on_a_phone_and_in_both_themes(site, opened, screenshots, name, theme):
    phone = Figure(
        *site,
        name,
        theme,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    opened.append(phone)
    page = phone.page
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways on a phone, by {overflow} px"
    rights = phone.box.evaluate(
        "b => Array.from(b.querySelectorAll('*')).map(e => e.getBoundingClientRect().right)"
    )
    assert max(rights) <= 360 + 0.5, f"the figure reaches {max(rights)} px, beyond 360"
    canvases = phone.box.locator("canvas")
    for index in range(canvases.count()):
        assert canvases.nth(index).bounding_box()["width"] >= 60, "a plot too small to read"
    phone.shoot(screenshots / f"{name}-360px-{theme}.png")
    # the figure alone: the rest of the page is audited by tests/test_site_browser.py
    assert not axe_violations(page, within=f"#explorable-{name}"), f"{name}: phone, {theme}"
    desktop = Figure(*site, name, theme)
    opened.append(desktop)
    desktop.shoot(screenshots / f"{name}-desktop-{theme}.png")
    assert not axe_violations(desktop.page, within=f"#explorable-{name}"), f"{name}: {theme}"


def test_axe_finds_nothing_serious_once_used(figures):
    for name, figure in figures.items():
        assert not axe_violations(figure.page, within=f"#explorable-{name}"), name


def test_no_errors_nothing_outside_and_what_each_figure_weighs(figures, opened):
    print()
    for figure in opened:
        assert not figure.errors, figure.errors
        assert not figure.requests.outside, f"requests outside the site: {figure.requests.outside}"
    for name, figure in figures.items():
        own = figure.page.evaluate(
            """name => performance.getEntriesByType('resource')
                .filter(e => e.name.includes('/_static/explorables') ||
                             e.name.includes('/_static/data/explorable-' + name))
                .map(e => [e.name.split('/').pop(), e.transferSize])""",
            name,
        )
        own = list(dict(reversed(own)).items())  # the page's own fetch, not the tests' again
        names = {file for file, _ in own}
        assert {f"{name}.js", "common.js", "explorables.css"} <= names, names
        inline = len(
            figure.page.locator(f"#explorable-{name}-data").evaluate("e => e.textContent").encode()
        )
        total = sum(size for _, size in own)
        print(
            f"{name}: {total / 1000:.1f} kB over the wire for its own files "
            f"({', '.join(f'{file} {size / 1000:.1f}' for file, size in sorted(own))}), "
            f"and {inline / 1000:.1f} kB of JSON in the page"
        )
