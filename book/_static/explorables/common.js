// What the book's explorables share: reading the data their chapter wrote into
// the page, labelled controls that work from the keyboard, the sentence a
// screen reader hears after a change, and plots drawn on a canvas. The page's
// part of each explorable (an empty box and its JSON) comes from
// handwriting/explorables.py; each explorable's module fills the box.

// ------------------------------------------------------------------ the data

// The chapter's data for the explorable `name`: the JSON of
// #explorable-<name>-data, fetched from its src where the build moved it into
// a file of its own.
export async function loadData(name) {
  const id = `explorable-${name}-data`;
  const element = document.getElementById(id);
  if (!element) throw new Error(`the data of the figure "${name}" (#${id}) are missing from this page`);
  if (!element.hasAttribute("src")) return JSON.parse(element.textContent);
  const response = await fetch(element.src);
  if (!response.ok) throw new Error(`${element.src}: ${response.status} ${response.statusText}`);
  return response.json();
}

// Start an explorable once its data are read: `build(box, data)` fills its box,
// #explorable-<name>, and returns what the tests may read;
// window.explorables[name] holds it, with `ready`, a promise settled when the
// figure is drawn.
export function start(name, build) {
  const box = document.getElementById(`explorable-${name}`);
  const api = {};
  window.explorables = window.explorables || {};
  window.explorables[name] = api;
  api.ready = loadData(name).then((data) => {
    Object.assign(api, build(box, data));
    box.classList.add("ex-ready");
  }).catch((error) => {
    console.error(`The interactive figure "${name}" cannot start:`, error);
    if (box) box.textContent = "This interactive figure could not load its data.";
  });
  return api;
}

// ------------------------------------------------------------- page elements

// An element with attributes ("text" sets its text, "onclick" and the like add
// listeners) and children.
export function make(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

let made = 0;
export function uniqueId(prefix) {
  made += 1;
  return `${prefix}-${made}`;
}

const SUPERSCRIPT = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074",
  5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };

// A number shown as people write it: a true minus sign, no minus on a zero, and a
// power of ten (3.38 × 10¹²) for a number too large to read in full.
export function format(value, digits = 2) {
  if (!Number.isFinite(value)) return value > 0 ? "more than any number" : "not a number";
  let text = value.toFixed(digits);
  if (Math.abs(value) >= 1e5) {
    const [mantissa, power] = value.toExponential(2).split("e");
    text = `${mantissa} × 10${[...String(Number(power))].map((c) => SUPERSCRIPT[c]).join("")}`;
  }
  return text.replace(/^-/, "\u2212").replace(/^\u2212(0\.?0*)$/, "$1");
}

// A number the reader sets with a slider or by typing it; the two stay in step.
// `onChange(value)` runs after every change the reader makes. The control keeps
// the exact value (`value`), which the figure computes with, and shows it
// rounded to `digits` decimals (by default two more than its step has), so a
// weight such as -0.13791677355766296 reads -0.138. A box left empty, or
// holding no number, gets back the last value it held; one outside the
// bounds gets the nearest bound.
export class NumberControl {
  constructor({ label, min, max, step, value, onChange, slider = true, list = null, id = null, digits = null }) {
    this.min = min;
    this.max = max;
    this.onChange = onChange;
    this.digits = digits ?? decimalsOf(step) + 2;
    this.current = value;
    const numberId = id || uniqueId("ex-number");
    this.number = make("input", {
      type: "number", id: numberId, class: "ex-number", min, max, step, value: this.shown(value), inputmode: "decimal",
    });
    this.range = slider
      ? make("input", { type: "range", class: "ex-range", min, max, step, value, "aria-label": `${label} (slider)`, list })
      : null;
    this.label = make("label", { for: numberId, text: label });
    this.root = make("div", { class: slider ? "ex-control" : "ex-control ex-control-short" },
      this.label, this.range, this.number);
    if (this.range) {
      this.range.addEventListener("input", () => {
        this.current = Number(this.range.value);
        this.number.value = this.shown(this.current);
        this.onChange(this.current);
      });
    }
    this.number.addEventListener("input", () => {
      const typed = Number(this.number.value);
      if (this.number.value.trim() === "" || !Number.isFinite(typed)) return;  // still typing
      if (typed < this.min || typed > this.max) return;                        // clamped on change
      this.current = typed;
      if (this.range) this.range.value = String(typed);
      this.onChange(typed);
    });
    this.number.addEventListener("change", () => {
      const typed = Number(this.number.value);
      if (this.number.value.trim() === "" || !Number.isFinite(typed)) {
        this.set(this.current);  // emptied or not a number: the last value comes back, unchanged
      } else if (typed < this.min || typed > this.max) {
        this.set(typed, true);
      }
    });
  }

  get value() {
    return this.current;
  }

  // `value` as the box shows it: rounded, with no trailing zeros.
  shown(value) {
    return String(Number(value.toFixed(this.digits)));
  }

  // Take `value` (within the control's bounds) and show it; tell the figure when `notify`.
  set(value, notify = false) {
    const kept = Math.min(this.max, Math.max(this.min, value));
    this.current = kept;
    this.number.value = this.shown(kept);
    if (this.range) this.range.value = String(kept);
    if (notify) this.onChange(kept);
  }
}

// How many decimals a step such as 0.1 or 0.05 has (0 for a whole step).
function decimalsOf(step) {
  const text = String(step ?? 1);
  return text.includes(".") ? text.split(".")[1].length : 0;
}

// A labelled drop-down list of {value, text} options.
export function choice({ label, options, value, onChange }) {
  const id = uniqueId("ex-choice");
  const select = make("select", { id, class: "ex-select", onchange: () => onChange(select.value) },
    ...options.map((option) => make("option", { value: option.value, text: option.text })));
  select.value = value;
  const root = make("div", { class: "ex-control ex-control-short" }, make("label", { for: id, text: label }), select);
  return { root, select };
}

export function button(text, onClick, attributes = {}) {
  return make("button", { type: "button", class: "ex-button", text, onclick: onClick, ...attributes });
}

// The sentence that says what the figure shows now: written at once where
// everyone sees it, and read out by screen readers once the reader pauses
// (a polite live region, updated at most every few tenths of a second, so a
// slider dragged across its range is not read out value by value).
export class Announcer {
  constructor(className = "ex-status") {
    this.shown = make("p", { class: className });
    this.live = make("p", { class: "ex-live", "aria-live": "polite" });
    this.timer = 0;
  }

  get elements() {
    return [this.shown, this.live];
  }

  say(text) {
    this.shown.textContent = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.live.textContent = text; }, 350);
  }
}

// ---------------------------------------------------------------- the plots

// Colours as the book's figures have them (handwriting.style, through the data).
export function inkOf(style) {
  return { text: style.text, edge: style.edge, grid: style.grid, palette: style.palette };
}

// The 256 colours of the book's weight colour map, from handwriting.style.weight_colours().
export function colourTable(hex) {
  const table = new Uint8Array(hex.length / 2);
  for (let i = 0; i < table.length; i++) table[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return table;
}

// The colour of `value` on a scale from -top to top: the entry matplotlib picks.
export function weightColour(table, value, top) {
  const share = top > 0 ? (value + top) / (2 * top) : 0.5;
  const k = Math.min(255, Math.max(0, Math.floor(share * 256)));
  return [table[3 * k], table[3 * k + 1], table[3 * k + 2]];
}

// Round steps of 1, 2 or 5 times a power of ten, about `count` of them across [low, high].
export function ticks(low, high, count = 5) {
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) || 10 * power;
  const first = Math.ceil(low / step - 1e-9) * step;
  const found = [];
  for (let t = first; t <= high + 1e-9 * step; t += step) found.push(Math.abs(t) < 1e-12 ? 0 : t);
  return { values: found, digits: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

// A plot on a canvas: a white sheet like the book's figures, data coordinates
// mapped into a frame with ticks and axis labels. It follows the canvas's size
// on screen (times the screen's pixel ratio) and draws again when that changes.
export class Plot {
  constructor({ label, x, y, xLabel, yLabel, style, redraw, square = false }) {
    this.canvas = make("canvas", { class: "ex-plot", role: "img", "aria-label": label });
    this.x = x;
    this.y = y;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.ink = inkOf(style);
    this.square = square;
    this.margin = { left: 46, right: 12, top: 10, bottom: 40 };
    if (redraw) new ResizeObserver(() => redraw()).observe(this.canvas);
  }

  // Size the canvas and paint it white; returns the 2D context in CSS pixels.
  begin() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(120, this.canvas.clientWidth || 320);
    const height = Math.max(100, this.canvas.clientHeight || Math.round(0.75 * width));
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    const m = this.margin;
    this.frame = { left: m.left, top: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom };
    if (this.square) {  // one unit as long across as up
      const unit = Math.min(this.frame.width / (this.x[1] - this.x[0]), this.frame.height / (this.y[1] - this.y[0]));
      this.frame.width = unit * (this.x[1] - this.x[0]);
      this.frame.height = unit * (this.y[1] - this.y[0]);
    }
    this.ctx = ctx;
    return ctx;
  }

  px(x) {
    return this.frame.left + ((x - this.x[0]) / (this.x[1] - this.x[0])) * this.frame.width;
  }

  py(y) {
    return this.frame.top + ((this.y[1] - y) / (this.y[1] - this.y[0])) * this.frame.height;
  }

  // Data coordinates of a point given in CSS pixels from the canvas's top left.
  fromPixel(left, top) {
    return [
      this.x[0] + ((left - this.frame.left) / this.frame.width) * (this.x[1] - this.x[0]),
      this.y[1] - ((top - this.frame.top) / this.frame.height) * (this.y[1] - this.y[0]),
    ];
  }

  // The data coordinates under a pointer event.
  at(event) {
    const box = this.canvas.getBoundingClientRect();
    return this.fromPixel(event.clientX - box.left, event.clientY - box.top);
  }

  axes() {
    const { ctx, frame, ink } = this;
    ctx.save();
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    ctx.fillStyle = ink.text;
    ctx.strokeStyle = ink.edge;
    ctx.lineWidth = 1;
    const xt = ticks(this.x[0], this.x[1], frame.width < 220 ? 3 : 5);
    const yt = ticks(this.y[0], this.y[1], frame.height < 160 ? 3 : 5);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of xt.values) {
      const x = this.px(t);
      ctx.beginPath();
      ctx.moveTo(x, frame.top + frame.height);
      ctx.lineTo(x, frame.top + frame.height + 4);
      ctx.stroke();
      ctx.fillText(format(t, xt.digits), x, frame.top + frame.height + 6);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of yt.values) {
      const y = this.py(t);
      ctx.beginPath();
      ctx.moveTo(frame.left - 4, y);
      ctx.lineTo(frame.left, y);
      ctx.stroke();
      ctx.fillText(format(t, yt.digits), frame.left - 6, y);
    }
    ctx.strokeRect(frame.left, frame.top, frame.width, frame.height);
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText(this.xLabel, frame.left + frame.width / 2, frame.top + frame.height + 38);
    ctx.translate(12, frame.top + frame.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(this.yLabel, 0, 0);
    ctx.restore();
  }

  // Draw inside the frame only: what leaves the frame is cut off at its edge.
  clipped(draw) {
    const { ctx, frame } = this;
    ctx.save();
    ctx.beginPath();
    ctx.rect(frame.left, frame.top, frame.width, frame.height);
    ctx.clip();
    draw(ctx);
    ctx.restore();
  }

  // A line through points [[x, y], ...].
  line(points, { colour, width = 2, dash = [], alpha = 1 }) {
    this.clipped((ctx) => {
      ctx.globalAlpha = alpha;
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.setLineDash(dash);
      ctx.lineJoin = ctx.lineCap = "round";
      ctx.beginPath();
      points.forEach(([x, y], i) => (i ? ctx.lineTo(this.px(x), this.py(y)) : ctx.moveTo(this.px(x), this.py(y))));
      ctx.stroke();
    });
  }

  dots(points, { colour, radius = 3, alpha = 1 }) {
    this.clipped((ctx) => {
      ctx.globalAlpha = alpha;
      ctx.fillStyle = colour;
      for (const [x, y] of points) {
        ctx.beginPath();
        ctx.arc(this.px(x), this.py(y), radius, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
  }

  star(x, y, { colour, size = 8 }) {
    this.clipped((ctx) => {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let k = 0; k < 10; k++) {
        const r = k % 2 ? size * 0.45 : size;
        const a = -Math.PI / 2 + (k * Math.PI) / 5;
        ctx.lineTo(this.px(x) + r * Math.cos(a), this.py(y) + r * Math.sin(a));
      }
      ctx.closePath();
      ctx.fill();
    });
  }

  // A ring, to mark a point without hiding what lies under it.
  ring(x, y, { colour, radius = 6, width = 2 }) {
    this.clipped((ctx) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(this.px(x), this.py(y), radius, 0, 2 * Math.PI);
      ctx.stroke();
    });
  }
}

// A key to a plot's lines, in the page's text: a short sample of each line's
// colour and dash, and its name.
export function legend(entries) {
  return make("ul", { class: "ex-legend" }, ...entries.map(({ colour, dash, dot, text }) => make("li", {},
    make("span", {
      class: dot ? "ex-swatch ex-swatch-dot" : "ex-swatch",
      style: dot ? `background:${colour}` : `border-top:3px ${dash ? "dashed" : "solid"} ${colour}`,
      "aria-hidden": "true",
    }),
    text)));
}
