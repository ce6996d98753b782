// One neuron with one input, in the reader's hands (book/neurons.md): its
// weight, its bias and its activation; its weighted sum w x + b and its output
// over the inputs, among the points that book/neuron-training.md trains it on.
// The chapter writes the points, this page's untrained neuron (where the
// figure starts) and the trained one (a button away).
//
// For the tests, window.explorables.neuron has, once ready:
//   state()      {weight, bias, activation, x: [...], sum: [...], output: [...], error}
//                (error: the mean squared error on the points drawn)

import { Announcer, NumberControl, Plot, button, choice, format, legend, make, start } from "./common.js";

const NAME = "neuron";
const SAMPLES = 401;  // points along the curve, as the chapter's figure has

export const ACTIVATIONS = {
  tanh: { text: "tanh", apply: (z) => Math.tanh(z) },
  sigmoid: { text: "sigmoid", apply: (z) => 1 / (1 + Math.exp(-z)) },
  relu: { text: "ReLU", apply: (z) => Math.max(0, z) },
};

// The weighted sum and the output at each of SAMPLES inputs across `range`.
export function curve(weight, bias, activation, range) {
  const apply = ACTIVATIONS[activation].apply;
  const x = [], sum = [], output = [];
  for (let i = 0; i < SAMPLES; i++) {
    const xi = range[0] + ((range[1] - range[0]) * i) / (SAMPLES - 1);
    const z = weight * xi + bias;
    x.push(xi);
    sum.push(z);
    output.push(apply(z));
  }
  return { x, sum, output };
}

// The mean squared error of the neuron's outputs on the points (x, y).
export function meanSquaredError(weight, bias, activation, x, y) {
  const apply = ACTIVATIONS[activation].apply;
  return x.reduce((total, xi, i) => total + (apply(weight * xi + bias) - y[i]) ** 2, 0) / x.length;
}

function build(box, data) {
  const palette = data.style.palette;
  const state = { weight: data.start[0], bias: data.start[1], activation: "tanh" };
  const say = new Announcer();
  const weight = new NumberControl({
    label: "Weight w", min: -4, max: 4, step: 0.01, value: state.weight,
    onChange: (value) => { state.weight = value; update(); },
  });
  const bias = new NumberControl({
    label: "Bias b", min: -3, max: 3, step: 0.01, value: state.bias,
    onChange: (value) => { state.bias = value; update(); },
  });
  const activation = choice({
    label: "Activation",
    options: Object.entries(ACTIVATIONS).map(([value, { text }]) => ({ value, text })),
    value: state.activation,
    onChange: (value) => { state.activation = value; update(); },
  });
  const set = ([w, b]) => {
    weight.set(w);
    bias.set(b);
    activation.select.value = "tanh";
    Object.assign(state, { weight: weight.value, bias: bias.value, activation: "tanh" });
    update();
  };
  const view = new Plot({
    label: "The neuron's weighted sum and its output over the inputs, among the points of the next page",
    x: data.x_range, y: [-2, 2], xLabel: "input x", yLabel: "output", style: data.style, redraw: () => draw(),
  });

  box.replaceChildren(
    make("div", { class: "ex-controls" },
      weight.root, bias.root, activation.root,
      make("div", { class: "ex-row" },
        button("The trained neuron", () => set(data.trained)),
        button("This page's untrained neuron", () => set(data.start)))),
    make("div", { class: "ex-plots ex-plots-one" }, make("figure", { class: "ex-panel" }, view.canvas)),
    legend([
      { colour: palette[5], dot: true, text: "points of the next page" },
      { colour: palette[0], dash: true, text: "weighted sum w x + b" },
      { colour: palette[1], text: "output" },
    ]),
    ...say.elements,
  );

  function error() {
    return meanSquaredError(state.weight, state.bias, state.activation, data.x, data.y);
  }

  function current() {
    return curve(state.weight, state.bias, state.activation, data.x_range);
  }

  function draw() {
    const { x, sum, output } = current();
    view.begin();
    view.line([[data.x_range[0], 0], [data.x_range[1], 0]], { colour: data.style.grid, width: 1 });
    view.dots(data.x.map((xi, i) => [xi, data.y[i]]), { colour: palette[5], radius: 2.2, alpha: 0.55 });
    view.line(x.map((xi, i) => [xi, sum[i]]), { colour: palette[0], width: 1.8, dash: [6, 4] });
    view.line(x.map((xi, i) => [xi, output[i]]), { colour: palette[1], width: 2.8 });
    view.axes();
  }

  function update() {
    draw();
    const apply = ACTIVATIONS[state.activation].apply;
    const at = (x) => format(apply(state.weight * x + state.bias), 3);
    const sign = state.bias < 0 ? "\u2212" : "+";
    say.say(`Output ${ACTIVATIONS[state.activation].text}(${format(state.weight)} x ${sign} ` +
      `${format(Math.abs(state.bias))}): ${at(-1)} at x = \u22121, ${at(0)} at x = 0, ${at(1)} at x = 1. ` +
      `Mean squared error on the points: ${format(error(), 3)}.`);
  }

  update();
  return { state: () => ({ ...state, ...current(), error: error() }) };
}

start(NAME, build);
