// A convolution in the reader's hands (book/convnets.md): a digit, a 3 x 3
// filter and its bias, which the reader picks or edits; the feature map the
// filter makes of the digit (no padding, so 26 by 26), the map after ReLU and
// 2 x 2 max pooling (13 by 13), and the window under the pointer with its
// nine products and their sum. The chapter writes the digits (a byte a pixel),
// the hand-made filters, the first layer of the book's convolutional network
// (its filters numbered from 0, as the code and every page number them) and
// the book's colours for signed values (red positive, blue negative).
//
// For the tests, window.explorables.convolution has, once ready:
//   state()   {image, weights, bias, map, relu, pooled, top, window: {row,
//              column, products, sum, output, pooled}}, the maps flat, row by
//              row; top is the size of output drawn deepest red (and blue)

import {
  Announcer, NumberControl, choice, colourTable, make, start, weightColour,
} from "./common.js";

const NAME = "convolution";
const SIDE = 28, K = 3, MAP = SIDE - K + 1, POOLED = Math.floor(MAP / 2);

function pixelsOf(base64) {
  const binary = atob(base64);
  if (binary.length !== SIDE * SIDE) throw new Error(`a digit of ${binary.length} pixels, not ${SIDE * SIDE}`);
  return Float64Array.from(binary, (c) => c.charCodeAt(0) / 255);
}

// The chapter's sum: y[i][j] = b + sum over u, v of w[u][v] x[i + u][j + v].
export function convolve(image, weights, bias) {
  const map = new Float64Array(MAP * MAP);
  for (let i = 0; i < MAP; i++) {
    for (let j = 0; j < MAP; j++) {
      let sum = bias;
      for (let u = 0; u < K; u++) {
        for (let v = 0; v < K; v++) sum += weights[u * K + v] * image[(i + u) * SIDE + (j + v)];
      }
      map[i * MAP + j] = sum;
    }
  }
  return map;
}

// ReLU, then the largest value of each 2 x 2 square (26 = 2 x 13: every row and column is in one).
export function reluAndPool(map) {
  const relu = map.map((v) => Math.max(0, v));
  const pooled = new Float64Array(POOLED * POOLED);
  for (let i = 0; i < POOLED; i++) {
    for (let j = 0; j < POOLED; j++) {
      pooled[i * POOLED + j] = Math.max(
        relu[2 * i * MAP + 2 * j], relu[2 * i * MAP + 2 * j + 1],
        relu[(2 * i + 1) * MAP + 2 * j], relu[(2 * i + 1) * MAP + 2 * j + 1]);
    }
  }
  return { relu, pooled };
}

// A square picture of n by n cells on a canvas, sharp at any size on screen.
class Grid {
  constructor(n, label) {
    this.n = n;
    this.canvas = make("canvas", { class: "ex-grid", role: "img", "aria-label": label });
  }

  begin() {
    const ratio = window.devicePixelRatio || 1;
    const cell = Math.max(2, Math.ceil(((this.canvas.clientWidth || 4 * this.n) * ratio) / this.n));
    if (this.canvas.width !== cell * this.n) {
      this.canvas.width = this.canvas.height = cell * this.n;
    }
    this.cell = cell;
    this.ctx = this.canvas.getContext("2d");
    return this.ctx;
  }

  paint(colour) {
    const { ctx, cell, n } = this;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const [r, g, b] = colour(i, j);
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(j * cell, i * cell, cell, cell);
      }
    }
  }

  // A frame around size x size cells, thin enough to leave a lone cell's colour in sight.
  outline(row, column, size, colour) {
    const { ctx, cell } = this;
    const width = Math.max(2, cell / (size === 1 ? 6 : 3));
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.strokeRect(column * cell + width / 2, row * cell + width / 2, size * cell - width, size * cell - width);
  }

  // The cell under a pointer event.
  at(event) {
    const box = this.canvas.getBoundingClientRect();
    const clamp = (v) => Math.min(this.n - 1, Math.max(0, Math.floor(v)));
    return [clamp(((event.clientY - box.top) / box.height) * this.n),
      clamp(((event.clientX - box.left) / box.width) * this.n)];
  }
}

function build(box, data) {
  const table = colourTable(data.colours);
  const images = data.images.map((entry) => ({ name: entry.name, pixels: pixelsOf(entry.pixels) }));
  const window_ = data.style.palette[1];   // the window's outline: orange, apart from red and blue
  const state = { image: 0, filter: 0, weights: [...data.filters[0].weights], bias: data.filters[0].bias,
    row: 10, column: 12 };
  const say = new Announcer();

  const digit = choice({
    label: "Digit", value: "0",
    options: images.map((image, k) => ({ value: String(k), text: image.name })),
    onChange: (value) => { state.image = Number(value); update(); },
  });
  const OWN = "own";
  const preset = choice({
    label: "Filter", value: "0",
    options: [...data.filters.map((f, k) => ({ value: String(k), text: f.name })), { value: OWN, text: "your own" }],
    onChange: (value) => {
      if (value === OWN) return;
      const chosen = data.filters[Number(value)];
      state.weights = [...chosen.weights];
      state.bias = chosen.bias;
      inputs.forEach((input, k) => input.set(state.weights[k]));
      bias.set(state.bias);
      update();
    },
  });
  const edited = () => {
    preset.select.value = OWN;
    state.weights = inputs.map((input) => input.value);
    state.bias = bias.value;
    update();
  };
  const inputs = state.weights.map((w, k) => new NumberControl({
    label: `Weight in row ${Math.floor(k / K) + 1}, column ${(k % K) + 1}`, min: -10, max: 10, step: 0.1,
    value: w, slider: false, onChange: edited,
  }));
  const bias = new NumberControl({ label: "Bias", min: -10, max: 10, step: 0.1, value: state.bias,
    slider: false, onChange: edited });
  const row = new NumberControl({ label: "Window row", min: 0, max: MAP - 1, step: 1, value: state.row,
    slider: false, onChange: (value) => { state.row = value; update(); } });
  const column = new NumberControl({ label: "Window column", min: 0, max: MAP - 1, step: 1, value: state.column,
    slider: false, onChange: (value) => { state.column = value; update(); } });

  const filterView = new Grid(K, "The filter's weights, red positive and blue negative");
  const digitView = new Grid(SIDE, "The digit, with the 3 by 3 window that makes the output under the pointer");
  const mapView = new Grid(MAP, "The feature map: red where the filter's output is positive, blue where negative");
  const pooledView = new Grid(POOLED, "The feature map after ReLU and 2 by 2 max pooling");
  const products = make("table", { class: "ex-products" });
  const key = make("p", { class: "ex-note" });
  // The window for the cell under the pointer: in the digit, the window centred
  // on it; in the map, that output's; in the pooled map, the output its 2 x 2
  // square keeps (the first of them, on a tie).
  const place = {
    digit: ([i, j]) => [i - 1, j - 1],
    map: ([i, j]) => [i, j],
    pooled: ([i, j]) => {
      const { relu } = compute();
      let best = [2 * i, 2 * j];
      for (const [u, v] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        if (relu[(2 * i + u) * MAP + 2 * j + v] > relu[best[0] * MAP + best[1]]) best = [2 * i + u, 2 * j + v];
      }
      return best;
    },
  };
  const move = (view, where) => (event) => {
    const clamp = (v) => Math.min(MAP - 1, Math.max(0, v));
    const [i, j] = place[where](view.at(event));
    state.row = clamp(i);
    state.column = clamp(j);
    row.set(state.row);
    column.set(state.column);
    update();
  };
  for (const [view, where] of [[digitView, "digit"], [mapView, "map"], [pooledView, "pooled"]]) {
    view.canvas.classList.add("ex-clickable");
    view.canvas.addEventListener("pointermove", move(view, where));
    view.canvas.addEventListener("pointerdown", move(view, where));
  }
  const weightGrid = make("div", { class: "ex-weights", role: "group", "aria-label": "The filter's nine weights" },
    ...inputs.map((input) => {
      input.label.classList.add("ex-hidden-label");
      return input.root;
    }));
  const panel = (view, caption) => make("figure", { class: "ex-panel ex-grid-panel" }, view.canvas,
    make("figcaption", { text: caption }));

  box.replaceChildren(
    make("div", { class: "ex-controls" },
      make("div", { class: "ex-row" }, digit.root, preset.root),
      make("div", { class: "ex-filter" },
        make("div", { class: "ex-filter-inputs" }, make("p", { class: "ex-note", text: "Weights" }), weightGrid,
          bias.root),
        panel(filterView, "The filter")),
      make("div", { class: "ex-row" }, row.root, column.root),
      make("p", { class: "ex-note", text: "Or point at the digit or a map; in the pooled map, the window goes " +
        "to the output that its 2 × 2 square keeps. Rows and columns count from 0: the window's top left pixel " +
        "in the digit, and its output in the feature map." })),
    make("div", { class: "ex-plots ex-grids" },
      panel(digitView, "The digit and the window"),
      panel(mapView, "Feature map"),
      panel(pooledView, "After ReLU and 2 × 2 max pooling")),
    key,
    products,
    ...say.elements,
  );

  function compute() {
    const image = images[state.image].pixels;
    const map = convolve(image, state.weights, state.bias);
    const { relu, pooled } = reluAndPool(map);
    const terms = [];
    for (let u = 0; u < K; u++) {
      for (let v = 0; v < K; v++) {
        const x = image[(state.row + u) * SIDE + state.column + v];
        terms.push({ x, w: state.weights[u * K + v], product: x * state.weights[u * K + v] });
      }
    }
    const sum = terms.reduce((total, t) => total + t.product, 0);
    const window = {
      row: state.row, column: state.column, products: terms.map((t) => t.product), sum,
      output: map[state.row * MAP + state.column],
      pooled: pooled[Math.floor(state.row / 2) * POOLED + Math.floor(state.column / 2)],
    };
    return { image, map, relu, pooled, window, terms };
  }

  function draw({ image, map, pooled }) {
    let top = 0;
    for (const v of map) top = Math.max(top, Math.abs(v));
    let wTop = 0;
    for (const w of state.weights) wTop = Math.max(wTop, Math.abs(w));
    filterView.begin();
    filterView.paint((i, j) => weightColour(table, state.weights[i * K + j], wTop));
    digitView.begin();
    digitView.paint((i, j) => {
      const grey = Math.round(255 * (1 - image[i * SIDE + j]));
      return [grey, grey, grey];
    });
    digitView.outline(state.row, state.column, K, window_);
    mapView.begin();
    mapView.paint((i, j) => weightColour(table, map[i * MAP + j], top));
    mapView.outline(state.row, state.column, 1, window_);
    pooledView.begin();
    pooledView.paint((i, j) => weightColour(table, pooled[i * POOLED + j], top));
    pooledView.outline(Math.floor(state.row / 2), Math.floor(state.column / 2), 1, window_);
    return top;
  }

  function describe({ window, terms }, top) {
    const f = (v) => (Math.abs(v) < 5e-4 ? "0" : v.toFixed(2)).replace(/^-/, "\u2212");
    key.textContent = `Colours in both maps: white is 0; deepest red is ${f(top)} and deepest blue ${f(-top)}, ` +
      "the largest output in this feature map, sign aside. The scale changes with the filter and the digit.";
    products.replaceChildren(
      make("caption", { text: `Pixel × weight in the window at row ${window.row}, column ${window.column}` }),
      ...[0, 1, 2].map((u) => make("tr", {}, ...[0, 1, 2].map((v) => {
        const t = terms[u * K + v];
        return make("td", {}, make("span", { text: `${f(t.x)} × ${f(t.w)}` }),
          make("span", { text: `= ${f(t.product)}` }));
      }))));
    const pooled = `its 2 × 2 square keeps ${f(window.pooled)} after ReLU and pooling`;
    say.say(`Window at row ${window.row}, column ${window.column}: the nine products add up to ${f(window.sum)}; ` +
      `with the bias, ${f(state.bias)}, the output is ${f(window.output)}, and ${pooled}.`);
  }

  function update() {
    const computed = compute();
    describe(computed, draw(computed));
  }

  new ResizeObserver(() => draw(compute())).observe(mapView.canvas);
  update();
  return {
    state: () => {
      const { image, map, relu, pooled, window } = compute();
      return { image: Array.from(image), weights: [...state.weights], bias: state.bias, map: Array.from(map),
        relu: Array.from(relu), pooled: Array.from(pooled), top: Math.max(0, ...Array.from(map, Math.abs)), window };
    },
  };
}

start(NAME, build);
