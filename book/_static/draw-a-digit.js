/*
 * Draw a digit: the reader draws, the book's classifier reads it, in the browser.
 *
 * No library and nothing fetched: the model's weights are a JSON document
 * that the chapter's code writes into the page itself, in
 * <script type="application/json" id="digit-model">, and this file holds the
 * whole forward pass. It also turns a drawing into a digit in MNIST's shape:
 * cropped to its ink, scaled to fit 20 by 20 pixels, centred by its centre of
 * mass in 28 by 28, with grey levels in [0, 1].
 *
 * For tests and the curious, window.digitReader exposes:
 *   predict(pixels)    784 values in [0, 1] (row by row) -> Float32Array(10) of probabilities
 *   preprocess(canvas) a white canvas with dark ink -> Float32Array(784), what the model sees
 *   read()             preprocess the drawing, predict, update the page; returns the probabilities
 *   clear()            wipe the drawing and the answer
 *   lastInferenceMs    time of the last read (preprocessing and forward pass), in ms
 *   lastForwardMs      time of the last forward pass alone, in ms
 *   model              the decoded layers (or null when the weights are missing)
 *   penWidth           the pen's width, as a share of the pad's side
 */
(function () {
  "use strict";

  var SIDE = 28;          // MNIST's images: 28 by 28 pixels
  var BOX = 20;           // ... with each digit scaled to fit a 20 by 20 box inside them
  var INK_THRESHOLD = 0.05; // canvas pixels darker than this count as ink for the bounding box
  // The pen's width as a share of the pad's side, so that a digit drawn across
  // most of the pad gets strokes about as wide as MNIST's. The chapter chooses
  // it and sends it along with the weights ("pen_width"); this is a fallback.
  var PEN_WIDTH = 0.11;

  // ---------------------------------------------------------------- the model

  // A float32 array stored as base64 of its little-endian bytes.
  function decodeFloat32(base64, count) {
    var binary = atob(base64);
    if (binary.length !== 4 * count) {
      throw new Error("expected " + 4 * count + " bytes of weights, got " + binary.length);
    }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var view = new DataView(bytes.buffer);
    var values = new Float32Array(count);
    for (var k = 0; k < count; k++) values[k] = view.getFloat32(4 * k, true);
    return values;
  }

  function product(shape) {
    return shape.reduce(function (a, b) { return a * b; }, 1);
  }

  // The JSON the chapter writes into the page: {"pen_width": ..., "layers": [...]}.
  function readSpec() {
    var element = document.getElementById("digit-model");
    return element ? JSON.parse(element.textContent) : null;
  }

  function loadModel(spec) {
    return spec.layers.map(function (layer) {
      var shape = layer.kernel.shape;
      return {
        inputs: shape[0],
        units: shape[1],
        activation: layer.activation,
        kernel: decodeFloat32(layer.kernel.data, product(shape)),
        bias: decodeFloat32(layer.bias.data, product(layer.bias.shape))
      };
    });
  }

  // [forward-pass]
  // One Dense layer: out[j] = activation(bias[j] + sum over i of x[i] * kernel[i][j]).
  // Keras stores the kernel as an inputs-by-units matrix, row after row.
  function dense(layer, x) {
    var out = new Float64Array(layer.units);
    for (var j = 0; j < layer.units; j++) out[j] = layer.bias[j];
    for (var i = 0; i < layer.inputs; i++) {
      var xi = x[i];
      if (xi === 0) continue;          // most pixels are blank: nothing to add
      var row = i * layer.units;
      for (var k = 0; k < layer.units; k++) out[k] += xi * layer.kernel[row + k];
    }
    return activations[layer.activation](out);
  }

  var activations = {
    relu: function (z) {
      for (var j = 0; j < z.length; j++) if (z[j] < 0) z[j] = 0;
      return z;
    },
    softmax: function (z) {
      var top = Math.max.apply(null, z);   // subtracting the largest score avoids overflow
      var total = 0;
      for (var j = 0; j < z.length; j++) { z[j] = Math.exp(z[j] - top); total += z[j]; }
      for (var k = 0; k < z.length; k++) z[k] /= total;
      return z;
    },
    linear: function (z) { return z; }
  };

  // The whole network: Flatten is a no-op on 784 values in row order, and
  // Dropout does nothing at prediction time, so only the Dense layers remain.
  function forward(layers, pixels) {
    var x = pixels;
    for (var l = 0; l < layers.length; l++) x = dense(layers[l], x);
    return Float32Array.from(x);
  }
  // [/forward-pass]

  // ------------------------------------------------------------ preprocessing

  // Resample a 1-D signal of n values into m by area averaging: output cell j
  // covers [j * n / m, (j + 1) * n / m) of the input, and takes the mean over it.
  function areaWeights(n, m) {
    var scale = n / m;
    var weights = [];
    for (var j = 0; j < m; j++) {
      var start = j * scale, end = (j + 1) * scale, taps = [];
      for (var i = Math.floor(start); i < Math.min(n, Math.ceil(end)); i++) {
        var cover = Math.min(end, i + 1) - Math.max(start, i);
        if (cover > 0) taps.push([i, cover / scale]);
      }
      weights.push(taps);
    }
    return weights;
  }

  // Shrink an h-by-w image (a Float32Array, row by row) to outH by outW.
  function resize(image, h, w, outH, outW) {
    var across = areaWeights(w, outW), down = areaWeights(h, outH);
    var rows = new Float32Array(h * outW);
    for (var y = 0; y < h; y++) {
      for (var x = 0; x < outW; x++) {
        var sum = 0;
        across[x].forEach(function (tap) { sum += tap[1] * image[y * w + tap[0]]; });
        rows[y * outW + x] = sum;
      }
    }
    var out = new Float32Array(outH * outW);
    for (var y2 = 0; y2 < outH; y2++) {
      for (var x2 = 0; x2 < outW; x2++) {
        var total = 0;
        down[y2].forEach(function (tap) { total += tap[1] * rows[tap[0] * outW + x2]; });
        out[y2 * outW + x2] = total;
      }
    }
    return out;
  }

  // What the model sees: a drawing (dark ink on a white canvas) in MNIST's shape.
  function preprocess(canvas) {
    var width = canvas.width, height = canvas.height;
    var rgba = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    // 1. Ink is 1 and paper is 0, as in MNIST (whose digits are light on dark).
    var ink = new Float32Array(width * height);
    var top = height, bottom = -1, left = width, right = -1;
    for (var y = 0; y < height; y++) {
      for (var x = 0; x < width; x++) {
        var p = y * width + x;
        var value = 1 - rgba[4 * p] / 255;
        ink[p] = value;
        if (value > INK_THRESHOLD) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    var pixels = new Float32Array(SIDE * SIDE);
    if (bottom < 0) return pixels; // nothing drawn
    // 2. Crop the drawing to the bounding box of its ink.
    var h = bottom - top + 1, w = right - left + 1;
    var crop = new Float32Array(h * w);
    for (var cy = 0; cy < h; cy++) {
      crop.set(ink.subarray((top + cy) * width + left, (top + cy) * width + left + w), cy * w);
    }
    // 3. Scale it so that its longer side is 20 pixels, keeping its aspect ratio,
    //    by averaging over the area each small pixel covers: that is the anti-aliasing.
    var scale = BOX / Math.max(h, w);
    var outH = Math.max(1, Math.round(h * scale)), outW = Math.max(1, Math.round(w * scale));
    var small = resize(crop, h, w, outH, outW);
    // 4. Place it in 28 by 28 so that its centre of mass falls on pixel (14, 14),
    //    as MNIST did: a whole-pixel shift, so no extra blur.
    var mass = 0, rowMoment = 0, colMoment = 0;
    for (var sy = 0; sy < outH; sy++) {
      for (var sx = 0; sx < outW; sx++) {
        var v = small[sy * outW + sx];
        mass += v; rowMoment += v * sy; colMoment += v * sx;
      }
    }
    var offsetY = Math.round(SIDE / 2 - rowMoment / mass);
    var offsetX = Math.round(SIDE / 2 - colMoment / mass);
    for (var ty = 0; ty < outH; ty++) {
      var Y = ty + offsetY;
      if (Y < 0 || Y >= SIDE) continue;
      for (var tx = 0; tx < outW; tx++) {
        var X = tx + offsetX;
        if (X < 0 || X >= SIDE) continue;
        // 5. Values in [0, 1], the scale the model was trained on (pixel / 255).
        pixels[Y * SIDE + X] = Math.min(1, Math.max(0, small[ty * outW + tx]));
      }
    }
    return pixels;
  }

  // ------------------------------------------------------------------ the page

  function Reader(root, model, penWidth) {
    this.model = model;
    this.penWidth = penWidth;
    this.root = root;
    this.canvas = root.querySelector(".dd-canvas");
    this.preview = root.querySelector(".dd-preview");
    this.digit = root.querySelector(".dd-digit");
    this.confidence = root.querySelector(".dd-confidence");
    this.bars = root.querySelector(".dd-bars");
    this.timing = root.querySelector(".dd-timing");
    this.strokes = [];     // each stroke is a list of [x, y] points in [0, 1]
    this.current = null;   // the stroke being drawn, while the pen is down
    this.pointer = null;
    this.frame = 0;
    this.lastRead = 0;
    this.lastInferenceMs = null;
    this.lastForwardMs = null;
    this.buildBars();
    this.resize();
    this.listen();
    this.show(null, null);
  }

  Reader.prototype.buildBars = function () {
    this.barFills = [];
    this.barValues = [];
    this.barRows = [];
    for (var d = 0; d < 10; d++) {
      var row = document.createElement("div");
      row.className = "dd-bar-row";
      var label = document.createElement("span");
      label.className = "dd-bar-label";
      label.textContent = String(d);
      var track = document.createElement("span");
      track.className = "dd-bar-track";
      var fill = document.createElement("span");
      fill.className = "dd-bar-fill";
      track.appendChild(fill);
      var value = document.createElement("span");
      value.className = "dd-bar-value";
      row.appendChild(label);
      row.appendChild(track);
      row.appendChild(value);
      this.bars.appendChild(row);
      this.barRows.push(row);
      this.barFills.push(fill);
      this.barValues.push(value);
    }
  };

  // Size the canvas's pixels to its size on screen times the device's pixel
  // ratio, so strokes are sharp on any screen, and redraw what is there.
  Reader.prototype.resize = function () {
    var ratio = window.devicePixelRatio || 1;
    var side = Math.max(1, Math.round(this.canvas.getBoundingClientRect().width * ratio));
    if (this.canvas.width !== side || this.canvas.height !== side) {
      this.canvas.width = side;
      this.canvas.height = side;
      this.draw();
    }
  };

  Reader.prototype.draw = function () {
    var ctx = this.canvas.getContext("2d");
    var side = this.canvas.width;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, side, side);
    ctx.strokeStyle = "#000000";
    ctx.fillStyle = "#000000";
    ctx.lineWidth = this.penWidth * side;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    var strokes = this.current ? this.strokes.concat([this.current]) : this.strokes;
    strokes.forEach(function (points) {
      if (points.length === 1) { // a dot
        ctx.beginPath();
        ctx.arc(points[0][0] * side, points[0][1] * side, ctx.lineWidth / 2, 0, 2 * Math.PI);
        ctx.fill();
        return;
      }
      ctx.beginPath();
      ctx.moveTo(points[0][0] * side, points[0][1] * side);
      for (var i = 1; i < points.length; i++) ctx.lineTo(points[i][0] * side, points[i][1] * side);
      ctx.stroke();
    });
  };

  Reader.prototype.point = function (event) {
    var box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height];
  };

  Reader.prototype.listen = function () {
    var self = this, canvas = this.canvas;
    canvas.addEventListener("pointerdown", function (event) {
      if (!event.isPrimary || event.button !== 0 || self.current) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      self.pointer = event.pointerId;
      self.current = [self.point(event)];
      self.schedule();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!self.current || event.pointerId !== self.pointer) return;
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      if (!events.length) events = [event];
      events.forEach(function (e) { self.current.push(self.point(e)); });
      self.schedule();
    });
    var finish = function (event) {
      if (!self.current || event.pointerId !== self.pointer) return;
      self.strokes.push(self.current);
      self.current = null;
      self.pointer = null;
      self.draw();
      self.read();
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("lostpointercapture", finish);
    this.root.querySelector(".dd-clear").addEventListener("click", function () { self.clear(); });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { self.resize(); }).observe(canvas);
    } else {
      window.addEventListener("resize", function () { self.resize(); });
    }
  };

  // Redraw at most once a frame while the pen moves, and read the digit at
  // most every tenth of a second, so the bars follow the pen.
  Reader.prototype.schedule = function () {
    var self = this;
    if (this.frame) return;
    this.frame = window.requestAnimationFrame(function () {
      self.frame = 0;
      self.draw();
      if (performance.now() - self.lastRead > 100) self.read();
    });
  };

  Reader.prototype.read = function () {
    this.lastRead = performance.now();
    if (!this.strokes.length && !this.current) { this.show(null, null); return null; }
    var start = performance.now();
    var pixels = preprocess(this.canvas);
    var middle = performance.now();
    var probabilities = this.model ? forward(this.model, pixels) : null;
    var end = performance.now();
    this.lastInferenceMs = end - start;
    this.lastForwardMs = end - middle;
    this.show(pixels, probabilities);
    return probabilities;
  };

  Reader.prototype.clear = function () {
    this.strokes = [];
    this.current = null;
    this.pointer = null;
    this.draw();
    this.show(null, null);
  };

  // Browsers round performance.now() to a tenth of a millisecond or so.
  function milliseconds(ms) {
    return ms < 0.1 ? "under 0.1 ms" : ms.toFixed(1) + " ms";
  }

  function percent(p) {
    var value = 100 * p;
    return (value > 0 && value < 0.5 ? "<1" : value.toFixed(0)) + "%";
  }

  Reader.prototype.show = function (pixels, probabilities) {
    // what the model sees, ink dark on white like the book's figures
    var ctx = this.preview.getContext("2d");
    var image = ctx.createImageData(SIDE, SIDE);
    for (var p = 0; p < SIDE * SIDE; p++) {
      var grey = Math.round(255 * (1 - (pixels ? pixels[p] : 0)));
      image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = grey;
      image.data[4 * p + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);

    var best = -1;
    if (probabilities) {
      best = 0;
      for (var d = 1; d < 10; d++) if (probabilities[d] > probabilities[best]) best = d;
    }
    var described = [];
    for (var k = 0; k < 10; k++) {
      var value = probabilities ? probabilities[k] : 0;
      this.barFills[k].style.width = (100 * value).toFixed(1) + "%";
      this.barValues[k].textContent = probabilities ? percent(value) : "";
      this.barRows[k].classList.toggle("dd-best", k === best);
      if (probabilities) described.push(k + ": " + percent(value));
    }
    this.bars.setAttribute("aria-label", probabilities
      ? "Probability of each digit. " + described.join(", ")
      : "Probability of each digit: nothing drawn yet");
    if (!this.model) {
      this.digit.textContent = "?";
      this.confidence.textContent = "The model's weights are missing from this page.";
    } else if (probabilities) {
      this.digit.textContent = String(best);
      this.confidence.textContent = "with probability " + percent(probabilities[best]);
    } else {
      this.digit.textContent = "?";
      this.confidence.textContent = "Draw a digit in the box.";
    }
    this.timing.textContent = probabilities
      ? "Read in " + milliseconds(this.lastInferenceMs) + ", of which the network took " +
        milliseconds(this.lastForwardMs) + ", in this browser."
      : "";
  };

  function start() {
    var root = document.getElementById("digit-reader");
    var model = null, penWidth = PEN_WIDTH;
    try {
      var spec = readSpec();
      if (spec) {
        model = loadModel(spec);
        if (spec.pen_width > 0) penWidth = spec.pen_width;
      } else {
        console.error("Draw a digit: the model's weights (#digit-model) are missing from this page");
      }
    } catch (error) {
      console.error("Draw a digit: cannot read the model's weights:", error);
      model = null;
    }
    var api = {
      model: model,
      penWidth: penWidth,
      predict: function (pixels) {
        if (!model) throw new Error("the model's weights are missing from this page");
        return forward(model, pixels);
      },
      preprocess: preprocess,
      read: function () { return reader ? reader.read() : null; },
      clear: function () { if (reader) reader.clear(); },
      get lastInferenceMs() { return reader ? reader.lastInferenceMs : null; },
      get lastForwardMs() { return reader ? reader.lastForwardMs : null; }
    };
    var reader = root ? new Reader(root, model, penWidth) : null;
    api.reader = reader;
    window.digitReader = api;
    if (root) root.classList.add("dd-ready");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
