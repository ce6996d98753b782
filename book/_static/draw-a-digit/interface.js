// Draw a digit: the page. The reader draws on the pad; both networks read the
// drawing and show their answers and probability bars; the convolutional
// network's feature maps show what it made of the drawing.
//
// The pad works as soon as the page is shown. The weights (about 0.5 MB of
// JSON in a file of their own, named by the page's #digit-models) are fetched
// once the page is parsed and decoded when the browser is idle, so they do not
// hold up the first view.
//
// For tests, the benchmark and the curious, window.digitReader exposes:
//   ready                    a promise, settled once the weights are decoded
//   models                   {mlp, cnn}, the decoded networks (null until ready)
//   colours                  the book's colours for weights, as the page draws the filters
//   penWidth                 the pen's width, as a share of the pad's side (data-pen-width)
//   preprocess(canvas)       a white canvas with dark ink -> Float32Array(784)
//   predict(name, pixels)    784 values in [0, 1] -> Float32Array(10) of probabilities
//   outputs(name, pixels)    every layer's output, as {shape, values}
//   drawStrokes(strokes)     draw strokes ([[x, y], ...] in [0, 1], y down) and read them
//   read()                   read the drawing, update the page -> {mlp, cnn} probabilities
//   clear()                  wipe the drawing and the answers
//   times                    the last read, in ms: {preprocess, mlp, cnn}
//   benchmark(runs)          read the drawing `runs` times -> lists of those times

import { decodeModel, fetchDocument, readPenWidth } from "./decode.js";
import { forward } from "./models.js";
import { SIDE, preprocess } from "./preprocess.js";
import { buildInside, showFilters, showMaps, summarise } from "./inside.js";

const NAMES = { mlp: "the dense network", cnn: "the convolutional network" };

function percent(p) {
  const value = 100 * p;
  return `${value > 0 && value < 0.5 ? "<1" : value.toFixed(0)}%`;
}

// Browsers round performance.now() to a tenth of a millisecond or so.
function milliseconds(ms) {
  return ms < 0.1 ? "under 0.1 ms" : `${ms.toFixed(1)} ms`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// One network's answer: the digit in large type, its probability, ten bars.
class Answer {
  constructor(root) {
    this.digit = root.querySelector(".dd-digit");
    this.confidence = root.querySelector(".dd-confidence");
    this.bars = root.querySelector(".dd-bars");
    this.rows = [];
    for (let d = 0; d < 10; d++) {
      const row = element("div", "dd-bar-row");
      const track = element("span", "dd-bar-track");
      const fill = element("span", "dd-bar-fill");
      const value = element("span", "dd-bar-value");
      track.append(fill);
      row.append(element("span", "dd-bar-label", String(d)), track, value);
      this.bars.append(row);
      this.rows.push({ row, fill, value });
    }
  }

  show(probabilities, message) {
    let best = -1;
    if (probabilities) {
      best = 0;
      for (let d = 1; d < 10; d++) if (probabilities[d] > probabilities[best]) best = d;
    }
    const described = [];
    this.rows.forEach(({ row, fill, value }, d) => {
      const p = probabilities ? probabilities[d] : 0;
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      value.textContent = probabilities ? percent(p) : "";
      row.classList.toggle("dd-best", d === best);
      described.push(`${d}: ${percent(p)}`);
    });
    this.bars.setAttribute("aria-label", probabilities
      ? `Probability of each digit. ${described.join(", ")}`
      : "Probability of each digit: nothing drawn yet");
    this.digit.textContent = probabilities ? String(best) : "?";
    this.confidence.textContent = probabilities ? `with probability ${percent(probabilities[best])}` : message;
  }
}

class Reader {
  constructor(root, inside, penWidth) {
    this.root = root;
    this.inside = inside;
    this.canvas = root.querySelector(".dd-canvas");
    this.preview = root.querySelector(".dd-preview");
    this.timing = root.querySelector(".dd-timing");
    this.answers = {};
    for (const box of root.querySelectorAll(".dd-model")) this.answers[box.dataset.model] = new Answer(box);
    this.models = null;
    this.penWidth = penWidth;      // the chapter's, a share of the pad's side
    this.strokes = [];             // each stroke a list of [x, y] points in [0, 1]
    this.current = null;           // the stroke being drawn, while the pen is down
    this.pointer = null;
    this.frame = 0;
    this.lastRead = 0;
    this.times = { preprocess: null, mlp: null, cnn: null };
    this.resize();
    this.draw();
    this.listen();
    this.show(null, null, "Loading the networks…");
  }

  setModels(models, colours) {
    this.models = models;
    if (this.inside && models.cnn) {
      buildInside(this.inside, models.cnn);
      showFilters(this.inside, models.cnn, colours);
    }
    this.read(true);
  }

  // The canvas's pixels follow its size on screen times the device's pixel
  // ratio, so strokes are sharp on any screen.
  resize() {
    const side = Math.max(1, Math.round(this.canvas.getBoundingClientRect().width * (window.devicePixelRatio || 1)));
    if (this.canvas.width !== side || this.canvas.height !== side) {
      this.canvas.width = side;
      this.canvas.height = side;
      this.draw();
    }
  }

  draw() {
    const ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    const side = this.canvas.width;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, side, side);
    ctx.strokeStyle = ctx.fillStyle = "#000000";
    ctx.lineWidth = this.penWidth * side;
    ctx.lineCap = ctx.lineJoin = "round";
    const strokes = this.current ? [...this.strokes, this.current] : this.strokes;
    for (const points of strokes) {
      ctx.beginPath();
      if (points.length === 1) {   // a dot
        ctx.arc(points[0][0] * side, points[0][1] * side, ctx.lineWidth / 2, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.moveTo(points[0][0] * side, points[0][1] * side);
      for (const [x, y] of points.slice(1)) ctx.lineTo(x * side, y * side);
      ctx.stroke();
    }
  }

  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height];
  }

  listen() {
    const canvas = this.canvas;
    canvas.addEventListener("pointerdown", (event) => {
      if (!event.isPrimary || event.button !== 0 || this.current) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      this.pointer = event.pointerId;
      this.current = [this.point(event)];
      this.schedule();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!this.current || event.pointerId !== this.pointer) return;
      event.preventDefault();
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      for (const e of events.length ? events : [event]) this.current.push(this.point(e));
      this.schedule();
    });
    const finish = (event) => {
      if (!this.current || event.pointerId !== this.pointer) return;
      this.strokes.push(this.current);
      this.current = null;
      this.pointer = null;
      this.draw();
      this.read(true);
    };
    for (const kind of ["pointerup", "pointercancel", "lostpointercapture"]) canvas.addEventListener(kind, finish);
    this.root.querySelector(".dd-clear").addEventListener("click", () => this.clear());
    new ResizeObserver(() => this.resize()).observe(canvas);
  }

  // Redraw at most once a frame while the pen moves, and read the digit at
  // most every tenth of a second, so that the bars and maps follow the pen.
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
      if (performance.now() - this.lastRead > 100) this.read(false);
    });
  }

  // Preprocess once, then run each network, timing each step.
  compute() {
    let start = performance.now();
    const pixels = preprocess(this.canvas);
    const times = { preprocess: performance.now() - start };
    const results = {};
    for (const [name, model] of Object.entries(this.models)) {
      start = performance.now();
      results[name] = forward(model, pixels);
      times[name] = performance.now() - start;
    }
    return { pixels, results, times };
  }

  // `settled`: the pen is up, so the screen reader's summary is worth updating.
  read(settled) {
    this.lastRead = performance.now();
    if (!this.strokes.length && !this.current) {
      this.show(null, null, this.models ? "Draw a digit in the box." : "Loading the networks…");
      return null;
    }
    if (!this.models) return null;
    const { pixels, results, times } = this.compute();
    this.times = times;
    this.show(pixels, results, "", settled);
    const probabilities = {};
    for (const [name, result] of Object.entries(results)) probabilities[name] = result.probabilities;
    return probabilities;
  }

  clear() {
    this.strokes = [];
    this.current = null;
    this.pointer = null;
    this.draw();
    this.show(null, null, "Draw a digit in the box.", true);
  }

  show(pixels, results, message, settled = true) {
    // what the networks see, ink dark on white like the book's figures
    const ctx = this.preview.getContext("2d");
    const image = ctx.createImageData(SIDE, SIDE);
    for (let p = 0; p < SIDE * SIDE; p++) {
      const grey = Math.round(255 * (1 - (pixels ? pixels[p] : 0)));
      image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = grey;
      image.data[4 * p + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    for (const [name, answer] of Object.entries(this.answers)) {
      answer.show(results ? results[name].probabilities : null, message);
    }
    const t = this.times;
    this.timing.textContent = results
      ? `Read in this browser: preprocessing ${milliseconds(t.preprocess)}, ` +
        `${NAMES.mlp} ${milliseconds(t.mlp)}, ${NAMES.cnn} ${milliseconds(t.cnn)}.`
      : "";
    if (this.inside && this.models && this.models.cnn) {
      const cnn = results ? results.cnn : null;
      showMaps(this.inside, this.models.cnn, cnn ? cnn.outputs : null);
      if (settled) summarise(this.inside, this.models.cnn, cnn ? cnn.outputs : null);
    }
  }

  benchmark(runs) {
    const all = { preprocess: [], mlp: [], cnn: [] };
    for (let i = 0; i < runs; i++) {
      const { times } = this.compute();
      for (const key of Object.keys(all)) all[key].push(times[key]);
    }
    return all;
  }
}

function whenIdle() {
  return new Promise((resolve) => {
    if (window.requestIdleCallback) requestIdleCallback(resolve, { timeout: 300 });
    else setTimeout(resolve, 0);
  });
}

function start() {
  const root = document.getElementById("digit-reader");
  const inside = document.getElementById("digit-inside");
  let penWidth = null;
  try {
    penWidth = readPenWidth();
  } catch (error) {
    console.error("Draw a digit:", error.message);
  }
  const reader = root && penWidth ? new Reader(root, inside, penWidth) : null;
  const api = {
    models: null,
    penWidth,
    reader,
    preprocess,
    predict(name, pixels) { return forward(api.models[name], pixels).probabilities; },
    outputs(name, pixels) { return forward(api.models[name], pixels).outputs; },
    drawStrokes(strokes) {
      reader.strokes = strokes.map((stroke) => stroke.map(([x, y]) => [x, y]));
      reader.draw();
      return reader.read(true);
    },
    read() { return reader.read(true); },
    clear() { reader.clear(); },
    get times() { return reader.times; },
    benchmark(runs) { return reader.benchmark(runs); },
  };
  window.digitReader = api;
  // The weights are fetched at once, and decoded at idle moments after that, a
  // network at a time, so that no single task keeps the page from answering.
  api.ready = Promise.all([fetchDocument(), whenIdle()]).then(async ([spec]) => {
    const models = {};
    for (const [name, model] of Object.entries(spec.models)) {
      models[name] = decodeModel(model);
      await whenIdle();
    }
    performance.mark("digit-models-decoded");     // the tests check this comes after first paint
    api.models = models;
    api.colours = spec.weight_colours;
    if (reader) reader.setModels(models, spec.weight_colours);
    if (root) root.classList.add("dd-ready");
  }).catch((error) => {
    console.error("Draw a digit: cannot read the networks' weights:", error);
    if (reader) reader.show(null, null, "The networks' weights are missing from this page.");
  });
}

// A module runs after the document is parsed; decoding the weights waits for an idle moment.
start();
