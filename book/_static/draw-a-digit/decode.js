// Draw a digit: the networks' weights, from the JSON the chapter writes
// (<script type="application/json" id="digit-models">, whose text the build
// moves into a file of its own, named by the element's src) to arrays.
// The format is described in handwriting/weights_json.py.

function bytesOf(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function float32s(base64, count) {
  const bytes = bytesOf(base64);
  if (bytes.length !== 4 * count) {
    throw new Error(`expected ${4 * count} bytes of float32 numbers, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(count);
  for (let k = 0; k < count; k++) values[k] = view.getFloat32(4 * k, true);
  return values;
}

// An array stored as base64 of its little-endian float32 bytes, or, where it
// has a "scale", of one signed byte a weight, each times its scale: one per
// output unit (the last axis) and per group of inputs, the `groups` input
// channels taking turns along the other axes. (The forward pass adds up in
// JavaScript's own 64-bit numbers; the weights are kept as 32-bit ones, as
// Keras has them.)
export function decodeArray(entry) {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  if (!("scale" in entry)) return { shape: entry.shape, values: float32s(entry.data, count) };
  const units = entry.shape[entry.shape.length - 1];
  const groups = entry.groups;
  const scale = float32s(entry.scale, groups * units);
  const bytes = bytesOf(entry.data);
  if (bytes.length !== count) throw new Error(`expected ${count} bytes of weights, got ${bytes.length}`);
  const integers = new Int8Array(bytes.buffer);
  const values = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    values[k] = integers[k] * scale[(Math.floor(k / units) % groups) * units + (k % units)];
  }
  return { shape: entry.shape, values };
}

// One network: its input's shape and its layers, each with its arrays decoded.
export function decodeModel(spec) {
  const layers = spec.layers.map((layer) => {
    const decoded = { ...layer };
    for (const [key, value] of Object.entries(layer)) {
      if (value && typeof value === "object" && "data" in value) decoded[key] = decodeArray(value);
    }
    return decoded;
  });
  return { name: spec.name, inputShape: spec.input_shape, layers };
}

// The pen's width alone, from the element's data-pen-width, so that the pad
// can draw before the weights have arrived.
export function readPenWidth(id = "digit-models") {
  const element = document.getElementById(id);
  const width = element ? Number(element.dataset.penWidth) : NaN;
  if (!(width > 0)) throw new Error(`the pen's width is missing from #${id}`);
  return width;
}

// The page's document, {"pen_width": ..., "models": {"mlp": ..., "cnn": ...}}:
// fetched from the element's src, or read from its text where it has none.
export async function fetchDocument(id = "digit-models") {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the networks' weights (#${id}) are missing from this page`);
  if (!element.hasAttribute("src")) return JSON.parse(element.textContent);
  const response = await fetch(element.src);
  if (!response.ok) throw new Error(`${element.src}: ${response.status} ${response.statusText}`);
  return response.json();
}
