// Draw a digit: a look inside the convolutional network. Three canvases, each
// a grid of small images: the first convolution's filters, the maps it makes
// of the reader's drawing, and the maps of the last convolution (the second
// block). The layers are found in the network's own layer list, so a changed
// network needs no change here. Filters and maps are numbered from 0, row by
// row, as the code indexes them, and the filters drawn in the book's colours
// for weights (red positive, blue negative), as on every page of the book.

import { colourTable, weightColour } from "../explorables/common.js";
import { forward } from "./models.js";

const GAP = 1;                                   // pixels of grid between the tiles
const GRID = [136, 136, 136];                    // mid grey: it frames white and dark tiles alike
const STRONG = 0.5;                              // a map "responds strongly" above this share of the top one

// The layers to show: the first and the last convolution.
export function convolutions(model) {
  const indices = model.layers.flatMap((layer, i) => (layer.type === "conv2d" ? [i] : []));
  return { first: indices[0], last: indices[indices.length - 1] };
}

// The three figures and the spoken summary, named after the network's own
// layers (how many filters, of what size), in the page's #digit-inside.
export function buildInside(inside, model) {
  const { first, last } = convolutions(model);
  const [kh, kw, , nFirst] = model.layers[first].kernel.shape;
  const nLast = model.layers[last].kernel.shape[3];
  const figure = (show, label, caption) => {
    const box = document.createElement("figure");
    box.className = "dd-layer";
    box.dataset.kind = show;
    const canvas = document.createElement("canvas");
    Object.assign(canvas, { className: "dd-maps", width: 1, height: 1 });
    canvas.dataset.show = show;
    canvas.dataset.columns = "8";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
    const text = document.createElement("figcaption");
    text.textContent = caption;
    box.append(canvas, text);
    return box;
  };
  const title = document.createElement("p");
  title.className = "dd-inside-title";
  title.textContent = "Inside the convolutional network, while you draw";
  const summary = document.createElement("p");
  summary.className = "dd-inside-summary";
  summary.setAttribute("aria-live", "polite");
  inside.replaceChildren(
    title,
    figure("filters", `The ${nFirst} learned filters of the first convolution, ${kh} by ${kw} weights ` +
      "each: red for positive weights, blue for negative ones",
    `The first convolution's ${nFirst} filters, ${kh} by ${kw} weights each: red positive, blue negative.`),
    figure("first", `The ${nFirst} feature maps of the first convolution for your drawing, ` +
      "one per filter, darker where the filter responds",
    "Its feature maps of your drawing, one per filter, in the same order: dark where the filter responds."),
    figure("last", `The ${nLast} feature maps of the last convolution for your drawing, ` +
      "darker where each responds",
    `The ${nLast} maps of the last convolution: coarser, each pixel looking at a larger patch of your drawing.`),
    summary,
  );
}

// Paint `count` tiles of h by w into a canvas, `columns` to a row; colour(t, y, x)
// gives the [r, g, b] of pixel (y, x) of tile t.
function paintGrid(canvas, count, h, w, columns, colour) {
  const rows = Math.ceil(count / columns);
  const width = columns * (w + GAP) - GAP, height = rows * (h + GAP) - GAP;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(width, height);
  const data = image.data;
  for (let p = 0; p < width * height; p++) {
    data.set(GRID, 4 * p);
    data[4 * p + 3] = 255;
  }
  for (let t = 0; t < count; t++) {
    const top = Math.floor(t / columns) * (h + GAP), left = (t % columns) * (w + GAP);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) data.set(colour(t, y, x), 4 * ((top + y) * width + left + x));
    }
  }
  ctx.putImageData(image, 0, 0);
}

// White where the value is zero, darkening to black at the layer's largest value.
function paintMaps(canvas, output, columns) {
  const [h, w, c] = output.shape;
  let top = 0;
  if (output.values) for (const v of output.values) top = Math.max(top, v);
  paintGrid(canvas, c, h, w, columns, (t, y, x) => {
    const v = top > 0 ? output.values[(y * w + x) * c + t] / top : 0;
    const grey = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
    return [grey, grey, grey];
  });
}

function columnsFor(canvas) {
  return Number(canvas.dataset.columns) || 8;
}

// The first convolution's filters, in the book's colours for weights (`colours`,
// the page's "weight_colours": red positive, blue negative, on one scale for all).
export function showFilters(inside, model, colours) {
  const canvas = inside.querySelector("canvas[data-show='filters']");
  if (!canvas) return;
  const kernel = model.layers[convolutions(model).first].kernel;
  const [kh, kw, cin, cout] = kernel.shape;
  const table = colourTable(colours);
  let top = 0;
  for (const v of kernel.values) top = Math.max(top, Math.abs(v));
  paintGrid(canvas, cout, kh, kw, columnsFor(canvas), (t, y, x) => {
    let v = 0;                                   // the mean over input channels (MNIST has one)
    for (let c = 0; c < cin; c++) v += kernel.values[((y * kw + x) * cin + c) * cout + t] / cin;
    return weightColour(table, v, top);
  });
}

// The shape of each layer's output, found once by running a blank image.
const shapes = new WeakMap();
function outputShapes(model) {
  if (!shapes.has(model)) {
    const size = model.inputShape.reduce((a, b) => a * b, 1);
    shapes.set(model, forward(model, new Float64Array(size)).outputs.map((output) => output.shape));
  }
  return shapes.get(model);
}

// The maps of the reader's drawing (blank tiles, with nothing drawn).
export function showMaps(inside, model, outputs) {
  for (const [which, index] of Object.entries(convolutions(model))) {
    const canvas = inside.querySelector(`canvas[data-show='${which}']`);
    if (!canvas) continue;
    paintMaps(canvas, outputs ? outputs[index] : { shape: outputShapes(model)[index], values: null },
      columnsFor(canvas));
  }
}

// Which maps respond strongly: those whose largest value is at least STRONG
// times the layer's largest. Returns the map numbers (from 0), strongest first.
export function strongMaps(output) {
  const [h, w, c] = output.shape;
  const peaks = new Float64Array(c);
  for (let p = 0; p < h * w; p++) {
    for (let t = 0; t < c; t++) peaks[t] = Math.max(peaks[t], output.values[p * c + t]);
  }
  const top = Math.max(...peaks);
  return Array.from(peaks.keys())
    .filter((t) => top > 0 && peaks[t] >= STRONG * top)
    .sort((a, b) => peaks[b] - peaks[a]);
}

// The text a screen reader reads out after each stroke.
export function summarise(inside, model, outputs) {
  const summary = inside.querySelector(".dd-inside-summary");
  if (!summary) return;
  if (!outputs) {
    summary.textContent = "Nothing drawn yet: every feature map is blank.";
    return;
  }
  const layers = convolutions(model);
  const describe = (label, index) => {
    const strong = strongMaps(outputs[index]);
    const count = outputs[index].shape[2];
    return `${label}: ${strong.length} of ${count} maps respond strongly, ` +
      `most of all map${strong.length > 1 ? "s" : ""} ${strong.slice(0, 3).join(", ")}`;
  };
  summary.textContent = `${describe("First convolution", layers.first)}. ` +
    `${describe("Last convolution", layers.last)}. Maps are numbered from 0, row by row from the top left.`;
}
