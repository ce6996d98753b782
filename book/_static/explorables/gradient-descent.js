// Gradient descent on the line of book/training.md, with the learning rate and
// the start the reader picks. Left, the line over the data; right, the path of
// the slope w and the intercept b over the contours of the loss. The chapter
// writes the data, the start, its learning rate, the least-squares answer, its
// limit on the learning rate and the contour lines of its figure.
//
// For the tests, window.explorables["gradient-descent"] has, once ready:
//   state()          {rate, start, shown, steps: [{w, b, loss}], curvature, limit, verdict, leftAt}
//                    (leftAt: the first step shown outside the landscape's box, or null)
//   descend(rate, w, b, n)   the chapter's n steps from (w, b), as computed here

import { Announcer, NumberControl, Plot, button, format, legend, make, start } from "./common.js";

const NAME = "gradient-descent";
const PLAY_EVERY = 350;      // milliseconds between steps while playing

// The chapter's loop: the loss at (w, b), then a step against the gradient of
// the mean squared error, 2 mean(error x) for w and 2 mean(error) for b.
export function descend(x, y, rate, w, b, nSteps) {
  const n = x.length;
  const steps = [];
  for (let s = 0; s <= nSteps; s++) {
    let squares = 0, gw = 0, gb = 0;
    for (let i = 0; i < n; i++) {
      const error = w * x[i] + b - y[i];
      squares += error * error;
      gw += error * x[i];
      gb += error;
    }
    steps.push({ w, b, loss: squares / n });
    w -= rate * ((2 * gw) / n);
    b -= rate * ((2 * gb) / n);
  }
  return steps;
}

// The steepest curvature of the loss: the larger eigenvalue of its matrix of
// second derivatives, 2 [[mean x^2, mean x], [mean x, 1]].
export function steepestCurvature(x) {
  const n = x.length;
  let mx = 0, mxx = 0;
  for (const v of x) {
    mx += v / n;
    mxx += (v * v) / n;
  }
  const a = 2 * mxx, c = 2 * mx, d = 2;
  return (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + c * c);
}

const inside = (box, [w, b]) => box.w[0] <= w && w <= box.w[1] && box.b[0] <= b && b <= box.b[1];

// The point where the segment from p (inside the box) to q (outside) crosses its edge.
export function edgeCrossing(box, p, q) {
  let t = 1;
  [[box.w, 0], [box.b, 1]].forEach(([[low, high], k]) => {
    const d = q[k] - p[k];
    if (d > 0) t = Math.min(t, (high - p[k]) / d);
    if (d < 0) t = Math.min(t, (low - p[k]) / d);
  });
  return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
}

function build(box, data) {
  const { x, y, best, style } = data;
  const palette = style.palette;
  const curvature = steepestCurvature(x);
  const limit = 2 / curvature;
  const MAX_STEPS = data.max_steps;  // the chapter's: computed ahead of what is shown
  const state = { rate: data.learning_rate, start: [...data.start], shown: data.n_steps, steps: [], timer: 0 };

  const say = new Announcer();
  const listId = `${NAME}-limit`;
  const rate = new NumberControl({
    label: "Learning rate", min: data.rate_range[0], max: data.rate_range[1], step: 0.01,
    value: state.rate, list: listId, onChange: (value) => { state.rate = value; update(); },
  });
  const startW = new NumberControl({
    label: "Start: slope w", min: data.box.w[0], max: data.box.w[1], step: 0.1,
    value: state.start[0], slider: false, onChange: (value) => { state.start[0] = value; restart(); },
  });
  const startB = new NumberControl({
    label: "intercept b", min: data.box.b[0], max: data.box.b[1], step: 0.1,
    value: state.start[1], slider: false, onChange: (value) => { state.start[1] = value; restart(); },
  });
  const step = button("Step", () => { stop(); advance(); });
  const play = button("Play", () => (state.timer ? stop() : go()), { "aria-pressed": "false" });
  const back = button("Back to step 0", () => { stop(); state.shown = 0; update(); });

  const lineView = new Plot({
    label: "The data, the least-squares line, and the line of gradient descent at the step shown",
    x: data.box.x, y: data.box.y, xLabel: "x", yLabel: "y", style, redraw: () => draw(),
  });
  const lossView = new Plot({
    label: "Contour lines of the loss over the slope w and the intercept b, its minimum, " +
      "and the path of gradient descent from the start; click to start from another point",
    x: data.box.w, y: data.box.b, xLabel: "slope w", yLabel: "intercept b", style, redraw: () => draw(),
  });
  lossView.canvas.classList.add("ex-clickable");
  lossView.canvas.addEventListener("pointerdown", (event) => {
    const [w, b] = lossView.at(event);
    startW.set(Math.round(10 * w) / 10);  // to the fields' step, so that a corner is one click
    startB.set(Math.round(10 * b) / 10);
    state.start = [startW.value, startB.value];
    restart();
  });

  const key = legend([
    { colour: palette[0], dot: true, text: "data" },
    { colour: "#888888", dash: true, text: "least squares" },
    { colour: palette[3], text: "gradient descent" },
    { colour: "#000000", dot: true, text: "minimum of the loss" },
  ]);
  // The minimum is a star, in the page's own text colour: a black dot would vanish in the dark theme.
  const starKey = key.lastElementChild.firstElementChild;
  starKey.className = "";
  starKey.removeAttribute("style");
  starKey.textContent = "\u2605";

  box.replaceChildren(
    make("div", { class: "ex-controls" },
      rate.root,
      make("datalist", { id: listId }, make("option", { value: limit.toFixed(2) })),
      make("p", { class: "ex-note", text: "The tick on the slider marks the limit on the learning rate " +
        "that the text after the figure explains." }),
      make("div", { class: "ex-row" }, startW.root, startB.root),
      make("p", { class: "ex-note", text: "Or click the landscape to start there." }),
      make("div", { class: "ex-row" }, step, play, back)),
    make("div", { class: "ex-plots" },
      make("figure", { class: "ex-panel" }, lineView.canvas),
      make("figure", { class: "ex-panel" }, lossView.canvas)),
    key,
    ...say.elements,
  );

  // What the computed steps show, said with the limit to three digits (0.72 is below 0.721).
  function verdict() {
    const distance = ({ w, b }) => Math.hypot(w - best[0], b - best[1]);
    const first = distance(state.steps[0]), last = distance(state.steps[MAX_STEPS]);
    const rate = `Learning rate ${format(state.rate)}`, bound = `the limit of ${format(limit, 3)}`;
    if (first < 1e-9) return `${rate}: the path starts at the minimum, where the gradient is 0, and stays there.`;
    if (Math.abs(state.rate - limit) < 1e-9) {
      return `${rate}, at the limit: the path bounces across the valley for ever.`;
    }
    if (state.rate < limit) {
      return last <= 0.01 * first
        ? `${rate}, below ${bound}: the path converges.`
        : `${rate}, below ${bound}: the path converges, but slowly; after ${MAX_STEPS} steps it is still ` +
          `${format(100 * last / first, 0)}% of its first distance from the minimum.`;
    }
    return last > first
      ? `${rate}, above ${bound}: each step lands farther from the minimum across the valley, ` +
        "and the path diverges."
      : `${rate}, above ${bound}: each step lands farther from the minimum across the valley, but this ` +
        `start lies so near the valley's floor that after ${MAX_STEPS} steps the path is not yet farther away.`;
  }

  // The first step shown that lies outside the landscape's box, or null.
  function leftAt() {
    const k = state.steps.slice(0, state.shown + 1).findIndex((p) => !inside(data.box, [p.w, p.b]));
    return k < 0 ? null : k;
  }

  function update() {
    state.steps = descend(x, y, state.rate, state.start[0], state.start[1], MAX_STEPS);
    draw();
    const now = state.steps[state.shown];
    const left = leftAt();
    const away = left === null ? "" : ` The path left the landscape at step ${left}.`;
    say.say(`Step ${state.shown}: w = ${format(now.w, 3)}, b = ${format(now.b, 3)}, ` +
      `loss ${format(now.loss, 4)}.${away} ${verdict()}`);
  }

  function restart() {
    state.shown = 0;
    update();
  }

  function advance() {
    if (state.shown < MAX_STEPS) state.shown += 1;
    update();
    return state.shown < MAX_STEPS;
  }

  function go() {
    if (state.shown >= MAX_STEPS) state.shown = 0;
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    state.timer = setInterval(() => { if (!advance()) stop(); }, PLAY_EVERY);
  }

  function stop() {
    clearInterval(state.timer);
    state.timer = 0;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }

  function draw() {
    if (!state.steps.length) return;
    const path = state.steps.slice(0, state.shown + 1);
    const now = path[path.length - 1];
    const ends = data.box.x;

    lineView.begin();
    lineView.dots(x.map((xi, i) => [xi, y[i]]), { colour: palette[0], radius: 2.6 });
    lineView.line(ends.map((e) => [e, best[0] * e + best[1]]), { colour: "#888888", width: 1.4, dash: [5, 4] });
    lineView.line(ends.map((e) => [e, now.w * e + now.b]), { colour: palette[3], width: 2.6 });
    lineView.axes();

    // The path up to where it leaves the box, then to the box's edge: the later, huge
    // steps of a diverging path would be drawn as long lines across the landscape.
    const left = leftAt();
    const points = path.slice(0, left === null ? path.length : left).map((p) => [p.w, p.b]);
    lossView.begin();
    data.contours.forEach((level) => level.forEach((segment) =>
      lossView.line(segment, { colour: "#888888", width: 0.8 })));
    const exit = left === null ? [] : [edgeCrossing(data.box, points[points.length - 1], [path[left].w, path[left].b])];
    lossView.line([...points, ...exit], { colour: palette[3], width: 1.6 });
    lossView.dots(points, { colour: palette[3], radius: 2.6 });
    if (left === null) lossView.ring(now.w, now.b, { colour: palette[3], radius: 6 });
    lossView.star(best[0], best[1], { colour: "#000000", size: 8 });  // on top of the path
    lossView.axes();
  }

  update();
  return {
    state: () => ({ ...state, timer: undefined, curvature, limit, verdict: verdict(), leftAt: leftAt() }),
    descend: (r, w, b, n) => descend(x, y, r, w, b, n),
  };
}

start(NAME, build);
