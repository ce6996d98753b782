// Draw a digit: a drawing (dark ink on a white canvas) turned into what the
// networks were trained on, a digit in MNIST's shape: cropped to its ink,
// scaled to fit 20 by 20 pixels, centred by its centre of mass in 28 by 28,
// with values from 0 (paper) to 1 (ink).

export const SIDE = 28;            // MNIST's images: 28 by 28 pixels
const BOX = 20;                    // ... each digit scaled to fit a 20 by 20 box inside them
const INK_THRESHOLD = 0.05;        // canvas pixels darker than this count as ink for the crop

// Resampling a row of n values to m by area averaging: output cell j covers
// [j n / m, (j + 1) n / m) of the input and takes the mean over it. Returns,
// for each cell, the first input it covers and the weight of each one covered.
function areaWeights(n, m) {
  const scale = n / m, cells = [];
  for (let j = 0; j < m; j++) {
    const start = j * scale, end = (j + 1) * scale, first = Math.floor(start), weights = [];
    for (let i = first; i < Math.min(n, Math.ceil(end)); i++) {
      weights.push((Math.min(end, i + 1) - Math.max(start, i)) / scale);
    }
    cells.push({ first, weights });
  }
  return cells;
}

// Shrink an h-by-w image (row by row) to outH by outW: across, then down.
function resize(image, h, w, outH, outW) {
  const across = areaWeights(w, outW), down = areaWeights(h, outH);
  const rows = new Float32Array(h * outW);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < outW; x++) {
      const { first, weights } = across[x];
      let sum = 0;
      for (let t = 0; t < weights.length; t++) sum += weights[t] * image[y * w + first + t];
      rows[y * outW + x] = sum;
    }
  }
  const out = new Float32Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    const { first, weights } = down[y];
    for (let x = 0; x < outW; x++) {
      let sum = 0;
      for (let t = 0; t < weights.length; t++) sum += weights[t] * rows[(first + t) * outW + x];
      out[y * outW + x] = sum;
    }
  }
  return out;
}

// What the networks see: 784 values in [0, 1], row by row (all zero for a blank pad).
export function preprocess(canvas) {
  const { width, height } = canvas;
  const rgba = canvas.getContext("2d", { willReadFrequently: true })
    .getImageData(0, 0, width, height).data;
  // 1. Find the bounding box of the ink: the pixels darker than the threshold.
  let top = height, bottom = -1, left = width, right = -1;
  const darkest = 255 * (1 - INK_THRESHOLD);
  for (let y = 0; y < height; y++) {
    const row = 4 * y * width;
    for (let x = 0; x < width; x++) {
      if (rgba[row + 4 * x] < darkest) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  const pixels = new Float32Array(SIDE * SIDE);
  if (bottom < 0) return pixels;
  // 2. Crop the drawing to it, with ink as 1 and paper as 0, as in MNIST
  //    (whose digits are light on dark).
  const h = bottom - top + 1, w = right - left + 1;
  const crop = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) crop[y * w + x] = 1 - rgba[4 * ((top + y) * width + left + x)] / 255;
  }
  // 3. Scale it so that its longer side is 20 pixels, keeping its proportions,
  //    each small pixel the mean of those it covers: grey edges, as in MNIST.
  const scale = BOX / Math.max(h, w);
  const outH = Math.max(1, Math.round(h * scale)), outW = Math.max(1, Math.round(w * scale));
  const small = resize(crop, h, w, outH, outW);
  // 4. Place it in 28 by 28 with its centre of mass on pixel (14, 14), as
  //    MNIST did: a whole-pixel shift, so no extra blur.
  let mass = 0, rowMoment = 0, colMoment = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const v = small[y * outW + x];
      mass += v; rowMoment += v * y; colMoment += v * x;
    }
  }
  const offsetY = Math.round(SIDE / 2 - rowMoment / mass);
  const offsetX = Math.round(SIDE / 2 - colMoment / mass);
  for (let y = 0; y < outH; y++) {
    const Y = y + offsetY;
    if (Y < 0 || Y >= SIDE) continue;
    for (let x = 0; x < outW; x++) {
      const X = x + offsetX;
      if (X < 0 || X >= SIDE) continue;
      // 5. Values in [0, 1], the networks' scale (MNIST's pixel / 255).
      pixels[Y * SIDE + X] = Math.min(1, Math.max(0, small[y * outW + x]));
    }
  }
  return pixels;
}
