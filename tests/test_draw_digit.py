"""The "Draw a digit" page (book/draw-a-digit.md) in a real, headless Chromium.

The built site is served from this machine, and every request to any other
host is aborted (as if the network were cut off). The tests check that

1. the page's own JavaScript classifies 1,000 MNIST test digits as Keras does
   (the same answer for at least 999, probabilities within 1e-4), with the
   weights the page itself carries;
2. digits written with scripted pointer strokes (mouse, touch and pen) are
   read correctly, for at least 9 of the 10 digits, and the Clear button
   works from the keyboard;
3. the page logs no error and asks for nothing outside the site.

They also print the time the page takes to read a drawing. The site is read
from ``BOOK_HTML`` (default: ``_build/html``); set ``BROWSER_SCREENSHOTS`` to a
folder to keep the screenshots (desktop and phone, light and dark theme).
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from booktools import paths
from booktools.browser import chromium_or_skip, collect_errors, launch_chromium, serve, watch_requests

HTML = paths.HTML
PAGE = "book/draw-a-digit.html"
N_AGREEMENT = 1000


# ----------------------------------------------------------------- the digits
#
# Each digit is a list of strokes; each stroke a list of (x, y) points on the
# drawing pad, both from 0 to 1, y downwards. Curves are sampled from ellipses.

def arc(cx, cy, rx, ry, start, end, n=40):
    """Points on an ellipse from angle ``start`` to ``end`` (degrees; 0 is right, 90 is down)."""
    angles = np.radians(np.linspace(start, end, n))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


DIGITS = {
    0: [arc(0.50, 0.50, 0.21, 0.35, 260, 635)],
    1: [[(0.53, 0.14), (0.47, 0.86)]],
    2: [arc(0.49, 0.33, 0.20, 0.18, 190, 395) + [(0.27, 0.86), (0.76, 0.85)]],
    3: [arc(0.47, 0.32, 0.19, 0.17, 210, 450) + arc(0.47, 0.67, 0.22, 0.19, 270, 520)],
    4: [[(0.31, 0.14), (0.26, 0.58), (0.76, 0.57)], [(0.64, 0.15), (0.63, 0.87)]],
    5: [[(0.36, 0.15), (0.32, 0.48)] + arc(0.48, 0.66, 0.22, 0.20, 228, 490),
        [(0.36, 0.15), (0.73, 0.14)]],
    6: [arc(0.86, 0.62, 0.52, 0.49, 228, 180, 20) + arc(0.53, 0.68, 0.19, 0.18, 180, -175)],
    7: [[(0.26, 0.16), (0.75, 0.16), (0.44, 0.86)]],
    8: [arc(0.50, 0.31, 0.16, 0.16, 90, 450) + arc(0.50, 0.67, 0.20, 0.20, 270, -90)],
    9: [arc(0.50, 0.33, 0.19, 0.18, 0, -360) + [(0.69, 0.33), (0.64, 0.87)]],
}


def small_in_a_corner(strokes, scale=0.45, corner=(0.05, 0.05)):
    """The same digit drawn at a fraction of the size, near the top-left corner of the pad."""
    return [[(corner[0] + scale * x, corner[1] + scale * y) for x, y in stroke] for stroke in strokes]


def dense_path(stroke, box, step=4.0):
    """The stroke in page pixels, with points at most ``step`` pixels apart."""
    points = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in stroke]
    path = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, int(np.ceil(np.hypot(x1 - x0, y1 - y0) / step)))
        path += [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.arange(1, n + 1) / n]
    return path


def draw_with_mouse(page, strokes):
    box = page.locator(".dd-canvas").bounding_box()
    for stroke in strokes:
        path = dense_path(stroke, box)
        page.mouse.move(*path[0])
        page.mouse.down()
        for x, y in path[1:]:
            page.mouse.move(x, y)
        page.mouse.up()


def draw_with_cdp(page, cdp, strokes, pointer="touch"):
    """Draw through Chromium's DevTools protocol: a finger (touch) or a pen."""
    box = page.locator(".dd-canvas").bounding_box()
    for stroke in strokes:
        path = dense_path(stroke, box)
        if pointer == "touch":
            kinds = ["touchStart"] + ["touchMove"] * (len(path) - 1)
            for kind, (x, y) in zip(kinds, path):
                cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        else:
            pen = {"pointerType": "pen", "button": "left", "clickCount": 1, "force": 0.5}
            x, y = path[0]
            cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "buttons": 1, **pen})
            for x, y in path[1:]:
                cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "buttons": 1, **pen})
            cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "buttons": 0, **pen})


def shown(page):
    """What the page shows: the digit in large type, and the probabilities it read."""
    state = page.evaluate("""() => {
        const p = window.digitReader.read();
        return {digit: document.querySelector('.dd-digit').textContent,
                probabilities: p ? Array.from(p) : null,
                pixels: Array.from(window.digitReader.preprocess(document.querySelector('.dd-canvas'))),
                ms: window.digitReader.lastInferenceMs};
    }""")
    return state


def stroke_runs(image, threshold=0.5):
    """Lengths of the runs of ink along the rows (the chapter's measure of stroke width)."""
    ink = np.pad(image > threshold, ((0, 0), (1, 1))).astype(np.int8)
    edges = np.diff(ink, axis=1).ravel()
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)


# ------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def site():
    if not (HTML / PAGE).is_file():
        pytest.fail(f"{HTML / PAGE} is missing: build the book first (`make book`)")
    with serve(HTML) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser():
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = launch_chromium(playwright)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def screenshots():
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    path = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="draw-a-digit-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


class Visit:
    """One open page with its watchers: console errors and requests."""

    def __init__(self, browser, url, theme=None, **context_options):
        self.context = browser.new_context(**context_options)
        self.requests = watch_requests(self.context)
        if theme:  # the theme's own setting, as the theme switcher stores it
            self.context.add_init_script(
                f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
        self.page = self.context.new_page()
        self.errors = collect_errors(self.page)
        self.page.goto(url)
        self.page.wait_for_function("window.digitReader && window.digitReader.model !== null")
        self.page.locator("#digit-reader").scroll_into_view_if_needed()

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def visits():
    opened = []
    yield opened
    for visit in opened:
        visit.close()


@pytest.fixture(scope="module")
def desktop(browser, site, visits):
    visit = Visit(browser, site + PAGE, viewport={"width": 1100, "height": 900})
    visits.append(visit)
    return visit


# ---------------------------------------------------------------------- tests

def model_from_page(page):
    """The weights the page carries, decoded in Python: [(kernel, bias, activation), ...]."""
    spec = json.loads(page.evaluate("document.getElementById('digit-model').textContent"))
    layers = []
    for layer in spec["layers"]:
        arrays = [
            np.frombuffer(base64.b64decode(part["data"]), dtype="<f4").reshape(part["shape"])
            for part in (layer["kernel"], layer["bias"])
        ]
        layers.append((*arrays, layer["activation"]))
    return layers


def test_the_page_agrees_with_keras(desktop):
    import handwriting  # quiets TensorFlow's log before Keras loads
    import keras

    (_, _), (x_test, y_test) = handwriting.load_mnist()
    pixels = (x_test[:N_AGREEMENT].astype("float32") / 255).reshape(N_AGREEMENT, 784)
    # one call: the pixels as base64 of float32 bytes, decoded and read by the page's own code
    from_page = np.array(desktop.page.evaluate(
        """([data, n]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const pixels = new Float32Array(bytes.buffer);
            const out = [];
            for (let i = 0; i < n; i++) {
                out.push(...window.digitReader.predict(pixels.subarray(784 * i, 784 * (i + 1))));
            }
            return out;
        }""",
        [base64.b64encode(pixels.astype("<f4").tobytes()).decode("ascii"), N_AGREEMENT],
    )).reshape(N_AGREEMENT, 10)

    layers = model_from_page(desktop.page)
    assert [(kernel.shape, activation) for kernel, _, activation in layers] == [
        ((784, 128), "relu"), ((128, 10), "softmax")
    ], "the page carries the Part I classifier"

    # Keras, with the weights read back from the page
    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten()] + [
        keras.layers.Dense(kernel.shape[1], activation=activation) for kernel, _, activation in layers
    ])
    model.set_weights([array for kernel, bias, _ in layers for array in (kernel, bias)])
    by_keras = model.predict(pixels.reshape(-1, 28, 28), verbose=0)

    # ... and numpy in float32, as a third opinion
    x = pixels
    for kernel, bias, activation in layers:
        x = x @ kernel + bias
        if activation == "relu":
            x = np.maximum(x, 0)
        else:
            x = np.exp(x - x.max(axis=1, keepdims=True))
            x /= x.sum(axis=1, keepdims=True)

    agree = int(np.sum(from_page.argmax(axis=1) == by_keras.argmax(axis=1)))
    difference = float(np.abs(from_page - by_keras).max())
    print(f"\nagreement with Keras: {agree} of {N_AGREEMENT}; largest probability difference {difference:.2e}"
          f" (numpy float32: {float(np.abs(from_page - x).max()):.2e})")
    assert agree >= N_AGREEMENT - 1
    assert difference < 1e-4
    assert float(np.abs(from_page - x).max()) < 1e-4
    np.testing.assert_allclose(from_page.sum(axis=1), 1, atol=1e-5)
    # the model on the page is a trained one: the Part I classifier's accuracy on the full test set
    accuracy = float(np.mean(model.predict(x_test.astype("float32") / 255, verbose=0).argmax(axis=1) == y_test))
    print(f"test accuracy of the page's model: {accuracy:.2%}")
    assert accuracy >= 0.97


def draw_and_read(page, strokes, digit, label):
    """Draw one digit with the mouse, read what the page shows, clear it from the keyboard."""
    draw_with_mouse(page, strokes)
    state = shown(page)
    probabilities = np.array(state["probabilities"])
    answer = int(probabilities.argmax())
    assert state["digit"] == str(answer), "the page shows the arg-max in large type"
    bars = page.locator(".dd-bar-value").all_text_contents()
    assert len(bars) == 10 and all(text.endswith("%") for text in bars)
    print(f"{label} {digit}: read {answer} ({probabilities[answer]:.1%})  "
          + " ".join(f"{p:.3f}" for p in probabilities))
    return answer, state


def clear_with_keyboard(page):
    page.locator("button.dd-clear").focus()
    page.keyboard.press("Enter")
    assert page.locator(".dd-digit").text_content() == "?"
    blank = page.evaluate("Array.from(window.digitReader.preprocess(document.querySelector('.dd-canvas')))")
    assert not any(blank), "Clear leaves a blank pad"


def test_drawn_digits_are_read(desktop, screenshots):
    page = desktop.page
    assert page.locator("button.dd-clear").evaluate("b => b.tabIndex") >= 0, \
        "the Clear button is in the keyboard's tab order"
    correct, times, previews, runs = 0, [], [], []
    print()
    for digit, strokes in DIGITS.items():
        answer, state = draw_and_read(page, strokes, digit, "drew")
        correct += answer == digit
        times.append(state["ms"])
        image = np.array(state["pixels"]).reshape(28, 28)
        previews.append(image)
        runs.extend(stroke_runs(image))
        if digit == 4:
            page.screenshot(path=screenshots / "desktop-light-drawn-4.png")
        clear_with_keyboard(page)
    # the same digits, small and in a corner: the preprocessing makes them alike
    small_correct = 0
    for digit, strokes in DIGITS.items():
        answer, state = draw_and_read(page, small_in_a_corner(strokes), digit, "drew small, in a corner,")
        small_correct += answer == digit
        previews.append(np.array(state["pixels"]).reshape(28, 28))
        clear_with_keyboard(page)
    # what the model saw, for a person to look at
    np.save(screenshots / "drawn-previews.npy", np.array(previews))

    forward = page.evaluate("""() => {
        const pixels = new Float32Array(784).fill(0.5);
        const times = [];
        for (let i = 0; i < 200; i++) {
            const start = performance.now();
            window.digitReader.predict(pixels);
            times.push(performance.now() - start);
        }
        return times;
    }""")
    print(f"read correctly: {correct} of 10 (small, in a corner: {small_correct} of 10)")
    print(f"time to read a drawing (preprocessing and forward pass), mean over the ten drawings: "
          f"{np.mean(times):.2f} ms (median {np.median(times):.2f} ms); "
          f"forward pass alone, median of 200 on a full image: {np.median(forward):.3f} ms")
    print(f"median stroke width of the drawn digits at 28 by 28: {np.median(runs):.0f} px")
    assert correct >= 9
    assert small_correct >= 8
    assert np.median(forward) < 5, "the forward pass takes under 5 ms"
    assert np.median(times) < 50
    assert 2 <= np.median(runs) <= 4, "the drawn strokes are about as wide as MNIST's"


def test_a_finger_and_a_pen_draw_on_a_phone(browser, site, visits, screenshots):
    phone = Visit(browser, site + PAGE, viewport={"width": 375, "height": 740},
                  device_scale_factor=2, is_mobile=True, has_touch=True)
    visits.append(phone)
    page = phone.page
    # the widget fits the narrow screen: nothing wider than the viewport
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways on a phone, by {overflow} px"
    box = page.locator(".dd-canvas").bounding_box()
    assert 200 <= box["width"] <= 375 and abs(box["width"] - box["height"]) < 1
    # the canvas's pixels follow the device's pixel ratio
    assert page.evaluate("document.querySelector('.dd-canvas').width") == round(2 * box["width"])
    page.locator(".dd-canvas").scroll_into_view_if_needed()
    cdp = phone.context.new_cdp_session(page)
    draw_with_cdp(page, cdp, DIGITS[7], pointer="touch")
    touched = shown(page)
    print(f"\ntouch: drew 7, read {touched['digit']}")
    page.screenshot(path=screenshots / "phone-light-drawn-7.png", full_page=False)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.screenshot(path=screenshots / "phone-dark-drawn-7.png", full_page=False)
    assert touched["digit"] == "7"
    page.locator("button.dd-clear").tap()
    assert page.locator(".dd-digit").text_content() == "?"
    draw_with_cdp(page, cdp, DIGITS[3], pointer="pen")
    penned = shown(page)
    print(f"pen: drew 3, read {penned['digit']}")
    assert penned["digit"] == "3"


def test_the_dark_theme_keeps_a_white_pad(browser, site, visits, screenshots):
    dark = Visit(browser, site + PAGE, theme="dark", viewport={"width": 1100, "height": 900})
    visits.append(dark)
    page = dark.page
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    draw_with_mouse(page, DIGITS[2])
    state = shown(page)
    page.screenshot(path=screenshots / "desktop-dark-drawn-2.png", full_page=False)
    print(f"\nscreenshots in {screenshots}")
    # the drawing pad stays white with black ink in the dark theme: the model reads the same thing
    assert page.evaluate("getComputedStyle(document.querySelector('.dd-canvas')).backgroundColor") == "rgb(255, 255, 255)"
    assert state["digit"] == "2"


def test_no_errors_and_nothing_leaves_the_site(desktop, visits):
    assert visits, "no page was opened"
    for visit in visits:
        assert not visit.errors, visit.errors
        assert not visit.requests.outside, f"requests outside the site: {visit.requests.outside}"
        assert visit.requests.seen, "the watcher saw no request at all"
        # the script and the style sheet came from the site itself
        assert any(url.endswith("_static/draw-a-digit.js") for url in visit.requests.seen)
        assert any(url.endswith("_static/draw-a-digit.css") for url in visit.requests.seen)
    # The page's own weight, under 1.5 MB: the files it loads that a plain page
    # of the book does not (the theme's files are shared by every page, and cached).
    def local_files(requests):
        return {HTML / urlsplit(url).path.lstrip("/") for url in requests.seen}

    plain = desktop.context.browser.new_context()
    plain_requests = watch_requests(plain)
    plain.new_page().goto(desktop.page.url.replace(PAGE, "book/welcome.html"))
    plain.close()
    loaded = local_files(desktop.requests)
    own = loaded - local_files(plain_requests)
    size = sum(path.stat().st_size for path in own if path.is_file())
    everything = sum(path.stat().st_size for path in loaded if path.is_file())
    print(f"\nthe page's own files: {size / 1e6:.2f} MB ({', '.join(sorted(p.name for p in own))}); "
          f"with the theme's shared files: {everything / 1e6:.2f} MB")
    assert HTML / PAGE in own and size < 1.5e6
    # the note for the PDF is not on the web page, the widget and its weights are
    text = desktop.page.locator("article").inner_text()
    assert "This page is interactive" not in text
    assert desktop.page.locator("#digit-model").count() == 1
