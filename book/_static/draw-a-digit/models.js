// Draw a digit: the forward pass of the book's networks, written by hand.
//
// A tensor is {shape: [height, width, channels], values: Float64Array}, its
// numbers in Keras's order: row by row, and within a pixel channel by channel.
// A flat vector has shape [n]. Each function below runs one kind of layer of
// the JSON that handwriting/weights_json.py writes; `forward` runs them all.

// [forward-pass]
const activations = {
  relu(z) {
    for (let j = 0; j < z.length; j++) if (z[j] < 0) z[j] = 0;
  },
  softmax(z) {
    let top = -Infinity;              // subtracting the largest score avoids overflow
    for (let j = 0; j < z.length; j++) top = Math.max(top, z[j]);
    let total = 0;
    for (let j = 0; j < z.length; j++) { z[j] = Math.exp(z[j] - top); total += z[j]; }
    for (let j = 0; j < z.length; j++) z[j] /= total;
  },
  linear() {},
};

// Rows or columns of output, and the padding before the first, for a window
// of `size` moved by `stride` (Keras's "valid": no padding; "same": enough
// zeros, split evenly with the odd one after, to keep length / stride).
function span(length, size, stride, padding) {
  if (padding === "same") {
    const out = Math.ceil(length / stride);
    return { out, before: Math.floor(Math.max((out - 1) * stride + size - length, 0) / 2) };
  }
  return { out: Math.floor((length - size) / stride) + 1, before: 0 };
}

// Conv2D: every output pixel and channel o is bias[o] plus the sum, over the
// window of pixels around it and every input channel c, of input times
// kernel[ky][kx][c][o]; then the activation. The kernel is stored with the
// output channel last: row r of it (kernel[ky][kx][c]) holds one input's
// weights for every output channel.
//
// For each output pixel, the loop first lists the window's non-zero inputs
// and the kernel rows they meet (zeros add nothing, and blank paper and ReLU
// make many of a layer's inputs zero); then it adds them up for eight
// output channels at a time, in eight local sums the engine can keep in
// registers, which reads each weight once.
//
// Most of a drawing is blank paper, and a layer's inputs there are the same
// for every drawing. So `rest` holds this layer's input and sums for a blank
// pad, computed once; when fewer inputs differ from the blank pad's than are
// non-zero, the sums start from the blank pad's and add only the differences.
// (With `keepSums`, the result also holds the sums before the activation.)
function conv2d(layer, x, rest, keepSums = false) {
  const [h, w, cin] = x.shape;
  const [kh, kw, , cout] = layer.kernel.shape;
  const [sh, sw] = layer.strides;
  const rows = span(h, kh, sh, layer.padding), cols = span(w, kw, sw, layer.padding);
  const out = new Float64Array(rows.out * cols.out * cout);
  const kernel = layer.kernel.values, bias = layer.bias.values;
  const activate = activations[layer.activation];
  let input = x.values, base = null;
  if (rest) {
    let differ = 0, nonzero = 0;
    for (let i = 0; i < input.length; i++) {
      if (input[i] !== rest.input[i]) differ++;
      if (input[i] !== 0) nonzero++;
    }
    if (differ < nonzero) {
      base = rest;
      input = input.map((v, i) => v - rest.input[i]);
    }
  }
  const sums = keepSums ? new Float64Array(out.length) : null;
  const values = new Float64Array(kh * kw * cin);   // the window's non-zero inputs
  const kernelRow = new Int32Array(kh * kw * cin);  // where each one's weights start
  const acc = new Float64Array(cout);
  for (let oy = 0; oy < rows.out; oy++) {
    for (let ox = 0; ox < cols.out; ox++) {
      let n = 0;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh + ky - rows.before;
        if (iy < 0 || iy >= h) continue;              // the zero padding adds nothing
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sw + kx - cols.before;
          if (ix < 0 || ix >= w) continue;
          const i = (iy * w + ix) * cin, r = (ky * kw + kx) * cin;
          for (let c = 0; c < cin; c++) {
            if (input[i + c] === 0) continue;
            values[n] = input[i + c];
            kernelRow[n] = (r + c) * cout;
            n++;
          }
        }
      }
      const o = (oy * cols.out + ox) * cout;
      acc.set(base ? base.sums.subarray(o, o + cout) : bias);
      let j = 0;
      for (; j + 7 < cout; j += 8) {
        let s0 = acc[j], s1 = acc[j + 1], s2 = acc[j + 2], s3 = acc[j + 3];
        let s4 = acc[j + 4], s5 = acc[j + 5], s6 = acc[j + 6], s7 = acc[j + 7];
        for (let t = 0; t < n; t++) {
          const v = values[t], k = kernelRow[t] + j;
          s0 += v * kernel[k]; s1 += v * kernel[k + 1]; s2 += v * kernel[k + 2]; s3 += v * kernel[k + 3];
          s4 += v * kernel[k + 4]; s5 += v * kernel[k + 5]; s6 += v * kernel[k + 6]; s7 += v * kernel[k + 7];
        }
        acc[j] = s0; acc[j + 1] = s1; acc[j + 2] = s2; acc[j + 3] = s3;
        acc[j + 4] = s4; acc[j + 5] = s5; acc[j + 6] = s6; acc[j + 7] = s7;
      }
      for (; j < cout; j++) {                         // channels left over, one by one
        let s = acc[j];
        for (let t = 0; t < n; t++) s += values[t] * kernel[kernelRow[t] + j];
        acc[j] = s;
      }
      if (sums) sums.set(acc, o);
      activate(acc);
      out.set(acc, o);
    }
  }
  return { shape: [rows.out, cols.out, cout], values: out, sums };
}

// MaxPooling2D: the largest value in each window, channel by channel.
function maxPool(layer, x) {
  const [h, w, c] = x.shape;
  const [ph, pw] = layer.pool_size, [sh, sw] = layer.strides;
  const rows = span(h, ph, sh, layer.padding), cols = span(w, pw, sw, layer.padding);
  const out = new Float64Array(rows.out * cols.out * c).fill(-Infinity);
  for (let oy = 0; oy < rows.out; oy++) {
    for (let ox = 0; ox < cols.out; ox++) {
      const o = (oy * cols.out + ox) * c;
      for (let py = 0; py < ph; py++) {
        const iy = oy * sh + py - rows.before;
        if (iy < 0 || iy >= h) continue;
        for (let px = 0; px < pw; px++) {
          const ix = ox * sw + px - cols.before;
          if (ix < 0 || ix >= w) continue;
          const i = (iy * w + ix) * c;
          for (let j = 0; j < c; j++) if (x.values[i + j] > out[o + j]) out[o + j] = x.values[i + j];
        }
      }
    }
  }
  return { shape: [rows.out, cols.out, c], values: out };
}

// BatchNormalization at prediction time: each channel times a scale, plus a
// shift, both computed at export from the running mean and variance. (The
// export folds them into the next layer's weights where it can.)
function scaleShift(layer, x) {
  const scale = layer.scale.values, shift = layer.shift.values, c = scale.length;
  const out = new Float64Array(x.values.length);
  for (let i = 0; i < out.length; i++) out[i] = x.values[i] * scale[i % c] + shift[i % c];
  return { shape: x.shape, values: out };
}

// Flatten: the same numbers, already in Keras's order, as one vector.
function flatten(layer, x) {
  return { shape: [x.values.length], values: x.values };
}

// Dense: out[j] = activation(bias[j] + sum over i of x[i] * kernel[i][j]),
// the kernel stored as an inputs-by-units matrix, row after row.
function dense(layer, x) {
  const [inputs, units] = layer.kernel.shape;
  const kernel = layer.kernel.values, input = x.values;
  const out = Float64Array.from(layer.bias.values);
  for (let i = 0; i < inputs; i++) {
    const v = input[i];
    if (v === 0) continue;                            // blank pixels, silent neurons
    const row = i * units;
    for (let j = 0; j < units; j++) out[j] += v * kernel[row + j];
  }
  activations[layer.activation](out);
  return { shape: [units], values: out };
}

const run = { conv2d, max_pool: maxPool, scale_shift: scaleShift, flatten, dense };

// Each convolution's input and sums for a blank pad, found once per network
// by running it on an image of zeros.
const blank = new WeakMap();
function atRest(model) {
  if (!blank.has(model)) {
    const [h, w, c = 1] = model.inputShape;
    let x = { shape: [h, w, c], values: new Float64Array(h * w * c) };
    const rests = model.layers.map((layer) => {
      if (layer.type !== "conv2d") {
        x = run[layer.type](layer, x);
        return null;
      }
      const input = x.values;
      x = conv2d(layer, x, null, true);
      return { input, sums: x.sums };
    });
    blank.set(model, rests);
  }
  return blank.get(model);
}

// The whole network on 784 pixel values in [0, 1], row by row. Returns the
// ten probabilities and, for a look inside, every layer's output.
export function forward(model, pixels) {
  const [h, w, c = 1] = model.inputShape;
  const rests = atRest(model);
  let x = { shape: [h, w, c], values: Float64Array.from(pixels) };
  const outputs = [];
  model.layers.forEach((layer, index) => {
    x = layer.type === "conv2d" ? conv2d(layer, x, rests[index]) : run[layer.type](layer, x);
    outputs.push(x);
  });
  return { probabilities: Float32Array.from(x.values), outputs };
}
// [/forward-pass]
