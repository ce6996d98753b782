// Draw a digit: the networks' weights, from the JSON the chapter writes into
// the page (<script type="application/json" id="digit-models">) to arrays.
// The format is described in handwriting/weights_json.py.

// A float32 array stored as base64 of its little-endian bytes. (The forward
// pass adds up in JavaScript's own 64-bit numbers; the weights stay 32-bit,
// as Keras has them, which halves the memory they take.)
export function decodeArray(entry) {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const binary = atob(entry.data);
  if (binary.length !== 4 * count) {
    throw new Error(`expected ${4 * count} bytes of weights, got ${binary.length}`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(count);
  for (let k = 0; k < count; k++) values[k] = view.getFloat32(4 * k, true);
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

// The pen's width alone, from the head of the document (which the chapter
// writes first), so that the pad can draw before the weights are decoded.
export function readPenWidth(id = "digit-models") {
  const element = document.getElementById(id);
  const head = element && element.firstChild ? element.firstChild.data.slice(0, 200) : "";
  const found = /"pen_width":\s*([0-9.eE+-]+)/.exec(head);
  if (!found) throw new Error(`the pen's width is missing from #${id}`);
  return Number(found[1]);
}

// The page's document: {"pen_width": ..., "models": {"mlp": ..., "cnn": ...}}.
export function readDocument(id = "digit-models") {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the networks' weights (#${id}) are missing from this page`);
  const spec = JSON.parse(element.textContent);
  const models = {};
  for (const [name, model] of Object.entries(spec.models)) models[name] = decodeModel(model);
  return { penWidth: spec.pen_width, models };
}
