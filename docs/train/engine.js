/*
 * Training LeNet-5 in plain JavaScript: the forward pass, the backward pass and Adam, on Float32Arrays.
 * No libraries. An ES module: the training workers (worker.js) and the page (trainer.js) import its
 * LenetEngine. Read it top to bottom:
 *
 *   1. Random numbers      a seeded generator: the same seed gives the same weights and the same batches
 *   2. Matrix products     the three products every layer needs, blocked so values stay in the CPU's cache
 *                          (and the same three in WebAssembly with SIMD: kernels.wat, kernels.js, loadKernels)
 *   3. The network         one object per layer with its buffers, made once from the manifest
 *   4. Forward             im2col + product for a convolution, pooling, dense; softmax at the end
 *   5. Backward            the same layers in reverse: the gradient of the loss for every weight
 *   6. Adam                Keras' Adam, step by step as keras/src/optimizers/adam.py writes it
 *   7. Training            one batch split into shards; shards may run in different workers
 *
 * Layout. Images are (height, width, channels) like Keras: channel c of pixel (y, x) is at
 * (y * width + x) * channels + c. A kernel is kept transposed from Keras' (kh, kw, in, filters):
 * row f holds filter f's kh·kw·in weights, in Keras' order, so a filter is one contiguous row.
 * Sums are accumulated in double precision and stored as float32, like TensorFlow's float32 results
 * (the WebAssembly products sum in float32, four lanes at a time).
 */
import { loadWasmModule, placeInWasm } from "./kernels.js";

export const LenetEngine = (function () {

  /* -------------------------------------------------------------------------------------------------
   * 1. Random numbers: mulberry32, a tiny 32-bit generator, seeded through splitmix32 so that nearby
   *    seeds give unrelated streams. Not Keras' generator: same seed, same run here, not in Keras.
   * ----------------------------------------------------------------------------------------------- */
  function splitmix32(seed) {
    let z = (seed + 0x9e3779b9) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  // `stream` picks one of several independent sequences for the same seed (the weights, the order of the digits).
  function random(seed, stream) {
    let state = splitmix32((seed >>> 0) ^ Math.imul((stream || 0) + 1, 0x9e3779b9));
    // A number in [0, 1) with 32 random bits.
    return function next() {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Fisher–Yates: every order of 0..n-1 equally likely. Keras shuffles its training data every epoch too.
  function shuffle(order, next) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /* -------------------------------------------------------------------------------------------------
   * 2. Matrix products. Every layer with weights is one product: a convolution turns each window of
   *    its input into a row ("im2col"), then outputs = rows × filters; a dense layer is the same with one
   *    row per image. Training needs three products; all are written as loops over contiguous rows, in
   *    blocks of 4 × 4 (the running sums stay in registers, and each value loaded is used four times).
   *    Matrices are flat, row by row; an offset says where each one starts in its array.
   * ----------------------------------------------------------------------------------------------- */

  // C[m][n] = bias[n] + Σ_k A[m][k] · W[n][k]   (A: M×K rows; W: N×K, one row per filter or unit)
  // Blocks of 4 rows × 4 filters: 16 running sums, each value loaded is used 4 times.
  function productWithRows(M, N, K, A, a0, W, w0, bias, b0, C, c0) {
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      const x0 = a0 + m * K, x1 = x0 + K, x2 = x1 + K, x3 = x2 + K;
      const c = c0 + m * N;
      let n = 0;
      for (; n + 4 <= N; n += 4) {
        const r0 = w0 + n * K, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K;
        const z0 = bias[b0 + n], z1 = bias[b0 + n + 1], z2 = bias[b0 + n + 2], z3 = bias[b0 + n + 3];
        let s00 = z0, s01 = z1, s02 = z2, s03 = z3, s10 = z0, s11 = z1, s12 = z2, s13 = z3;
        let s20 = z0, s21 = z1, s22 = z2, s23 = z3, s30 = z0, s31 = z1, s32 = z2, s33 = z3;
        for (let k = 0; k < K; k++) {
          const w0_ = W[r0 + k], w1 = W[r1 + k], w2 = W[r2 + k], w3 = W[r3 + k];
          const a = A[x0 + k];
          s00 += a * w0_; s01 += a * w1; s02 += a * w2; s03 += a * w3;
          const b = A[x1 + k];
          s10 += b * w0_; s11 += b * w1; s12 += b * w2; s13 += b * w3;
          const d = A[x2 + k];
          s20 += d * w0_; s21 += d * w1; s22 += d * w2; s23 += d * w3;
          const e = A[x3 + k];
          s30 += e * w0_; s31 += e * w1; s32 += e * w2; s33 += e * w3;
        }
        C[c + n] = s00; C[c + n + 1] = s01; C[c + n + 2] = s02; C[c + n + 3] = s03;
        C[c + N + n] = s10; C[c + N + n + 1] = s11; C[c + N + n + 2] = s12; C[c + N + n + 3] = s13;
        C[c + 2 * N + n] = s20; C[c + 2 * N + n + 1] = s21; C[c + 2 * N + n + 2] = s22; C[c + 2 * N + n + 3] = s23;
        C[c + 3 * N + n] = s30; C[c + 3 * N + n + 1] = s31; C[c + 3 * N + n + 2] = s32; C[c + 3 * N + n + 3] = s33;
      }
      for (; n + 2 <= N; n += 2) { // two more filters (C1 has 6)
        const r0 = w0 + n * K, r1 = r0 + K;
        const z0 = bias[b0 + n], z1 = bias[b0 + n + 1];
        let s00 = z0, s01 = z1, s10 = z0, s11 = z1, s20 = z0, s21 = z1, s30 = z0, s31 = z1;
        for (let k = 0; k < K; k++) {
          const w0_ = W[r0 + k], w1 = W[r1 + k];
          const a = A[x0 + k], b = A[x1 + k], d = A[x2 + k], e = A[x3 + k];
          s00 += a * w0_; s01 += a * w1; s10 += b * w0_; s11 += b * w1;
          s20 += d * w0_; s21 += d * w1; s30 += e * w0_; s31 += e * w1;
        }
        C[c + n] = s00; C[c + n + 1] = s01; C[c + N + n] = s10; C[c + N + n + 1] = s11;
        C[c + 2 * N + n] = s20; C[c + 2 * N + n + 1] = s21; C[c + 3 * N + n] = s30; C[c + 3 * N + n + 1] = s31;
      }
      for (; n < N; n++) { // the last filter, when N is odd
        const r = w0 + n * K;
        let s0 = bias[b0 + n], s1 = s0, s2 = s0, s3 = s0;
        for (let k = 0; k < K; k++) {
          const w = W[r + k];
          s0 += A[x0 + k] * w; s1 += A[x1 + k] * w; s2 += A[x2 + k] * w; s3 += A[x3 + k] * w;
        }
        C[c + n] = s0; C[c + N + n] = s1; C[c + 2 * N + n] = s2; C[c + 3 * N + n] = s3;
      }
    }
    for (; m < M; m++) { // the last rows, when M is not a multiple of 4
      for (let n = 0; n < N; n++) {
        let s = bias[b0 + n];
        for (let k = 0; k < K; k++) s += A[a0 + m * K + k] * W[w0 + n * K + k];
        C[c0 + m * N + n] = s;
      }
    }
  }

  // G[n][k] += Σ_m D[m][n] · A[m][k]   (the weights' gradient: D is M×N output gradients, A is M×K rows)
  // G is a Float64Array: thousands of terms are summed into each weight's gradient (float32 with WebAssembly).
  function gradientOfRows(M, N, K, D, d0, A, a0, G) {
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      const x0 = a0 + m * K, x1 = x0 + K, x2 = x1 + K, x3 = x2 + K;
      const e0 = d0 + m * N, e1 = e0 + N, e2 = e1 + N, e3 = e2 + N;
      let n = 0;
      for (; n + 4 <= N; n += 4) {
        const p0 = D[e0 + n], p1 = D[e1 + n], p2 = D[e2 + n], p3 = D[e3 + n];
        const q0 = D[e0 + n + 1], q1 = D[e1 + n + 1], q2 = D[e2 + n + 1], q3 = D[e3 + n + 1];
        const r0 = D[e0 + n + 2], r1 = D[e1 + n + 2], r2 = D[e2 + n + 2], r3 = D[e3 + n + 2];
        const t0 = D[e0 + n + 3], t1 = D[e1 + n + 3], t2 = D[e2 + n + 3], t3 = D[e3 + n + 3];
        if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0 &&
            r0 === 0 && r1 === 0 && r2 === 0 && r3 === 0 && t0 === 0 && t1 === 0 && t2 === 0 && t3 === 0) continue;
        const g0 = n * K, g1 = g0 + K, g2 = g1 + K, g3 = g2 + K;
        for (let k = 0; k < K; k++) {
          const a = A[x0 + k], b = A[x1 + k], c = A[x2 + k], d = A[x3 + k];
          G[g0 + k] += p0 * a + p1 * b + p2 * c + p3 * d;
          G[g1 + k] += q0 * a + q1 * b + q2 * c + q3 * d;
          G[g2 + k] += r0 * a + r1 * b + r2 * c + r3 * d;
          G[g3 + k] += t0 * a + t1 * b + t2 * c + t3 * d;
        }
      }
      for (; n + 2 <= N; n += 2) {
        const p0 = D[e0 + n], p1 = D[e1 + n], p2 = D[e2 + n], p3 = D[e3 + n];
        const q0 = D[e0 + n + 1], q1 = D[e1 + n + 1], q2 = D[e2 + n + 1], q3 = D[e3 + n + 1];
        const g0 = n * K, g1 = g0 + K;
        for (let k = 0; k < K; k++) {
          const a = A[x0 + k], b = A[x1 + k], c = A[x2 + k], d = A[x3 + k];
          G[g0 + k] += p0 * a + p1 * b + p2 * c + p3 * d;
          G[g1 + k] += q0 * a + q1 * b + q2 * c + q3 * d;
        }
      }
      for (; n < N; n++) {
        const p0 = D[e0 + n], p1 = D[e1 + n], p2 = D[e2 + n], p3 = D[e3 + n];
        const g = n * K;
        for (let k = 0; k < K; k++) G[g + k] += p0 * A[x0 + k] + p1 * A[x1 + k] + p2 * A[x2 + k] + p3 * A[x3 + k];
      }
    }
    for (; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const p = D[d0 + m * N + n];
        for (let k = 0; k < K; k++) G[n * K + k] += p * A[a0 + m * K + k];
      }
    }
  }

  // R[m][k] = Σ_n D[m][n] · W[n][k]   (the inputs' gradient: back through the filters to every window)
  // `rows` is a Float64Array(4 × K) scratch: the sums of 4 rows at a time.
  function gradientToRows(M, N, K, D, d0, W, w0, R, r0, rows) {
    for (let m = 0; m < M; m += 4) {
      const count = Math.min(4, M - m);
      rows.fill(0);
      const e0 = d0 + m * N;
      const e1 = count > 1 ? e0 + N : e0, e2 = count > 2 ? e0 + 2 * N : e0, e3 = count > 3 ? e0 + 3 * N : e0;
      let n = 0;
      for (; n + 4 <= N; n += 4) {
        const p0 = D[e0 + n], p1 = D[e0 + n + 1], p2 = D[e0 + n + 2], p3 = D[e0 + n + 3];
        const q0 = D[e1 + n], q1 = D[e1 + n + 1], q2 = D[e1 + n + 2], q3 = D[e1 + n + 3];
        const r0 = D[e2 + n], r1 = D[e2 + n + 1], r2 = D[e2 + n + 2], r3 = D[e2 + n + 3];
        const t0 = D[e3 + n], t1 = D[e3 + n + 1], t2 = D[e3 + n + 2], t3 = D[e3 + n + 3];
        const w0_ = w0 + n * K, w1 = w0_ + K, w2 = w1 + K, w3 = w2 + K;
        for (let k = 0; k < K; k++) {
          const a = W[w0_ + k], b = W[w1 + k], c = W[w2 + k], d = W[w3 + k];
          rows[k] += p0 * a + p1 * b + p2 * c + p3 * d;
          rows[K + k] += q0 * a + q1 * b + q2 * c + q3 * d;
          rows[2 * K + k] += r0 * a + r1 * b + r2 * c + r3 * d;
          rows[3 * K + k] += t0 * a + t1 * b + t2 * c + t3 * d;
        }
      }
      for (; n < N; n++) {
        const p = D[e0 + n], q = D[e1 + n], r = D[e2 + n], t = D[e3 + n];
        const w = w0 + n * K;
        for (let k = 0; k < K; k++) {
          const a = W[w + k];
          rows[k] += p * a; rows[K + k] += q * a; rows[2 * K + k] += r * a; rows[3 * K + k] += t * a;
        }
      }
      // With fewer than 4 rows left, the extra sums repeat row m and are not written.
      const out = r0 + m * K;
      for (let k = 0; k < count * K; k++) R[out + k] = rows[k];
    }
  }

  // Which products createNetwork gives a network: "js" (the functions above) or "wasm" (kernels.wasm).
  let kernelKind = "js";

  // Load the products of `kind` for the networks made from now on. "wasm" falls back to "js" where the
  // browser has no WebAssembly SIMD. Resolves to the kind in use.
  async function loadKernels(kind) {
    if (kind !== "wasm" && kind !== "js") throw new RangeError("loadKernels: kind is \"wasm\" or \"js\"");
    kernelKind = kind === "wasm" && await loadWasmModule() ? "wasm" : "js";
    return kernelKind;
  }

  /* -------------------------------------------------------------------------------------------------
   * 3. The network: made once from a model of the manifest (lenet_explain/site/train_data.py writes
   *    it from lenet_explain.calculator.stacks), for batches of at most `maxBatch` images. Every buffer
   *    is allocated here; a training step allocates nothing.
   * ----------------------------------------------------------------------------------------------- */
  const ACTIVATIONS = ["sigmoid", "relu", "linear", "softmax"];

  function size(shape) {
    return shape.reduce((a, b) => a * b, 1);
  }

  function createNetwork(model, maxBatch, kind) {
    if (!(maxBatch >= 1)) throw new RangeError("maxBatch must be at least 1");
    const layers = [];
    let offset = 0;
    let previous = null;
    for (const spec of model.layers) {
      if (spec.activation !== undefined && !ACTIVATIONS.includes(spec.activation)) {
        throw new Error(spec.name + ": no " + spec.activation + " activation here");
      }
      const layer = {
        name: spec.name, type: spec.type, activation: spec.activation || "linear",
        inShape: spec.input_shape, outShape: spec.output_shape,
        inSize: size(spec.input_shape), outSize: size(spec.output_shape),
        first: previous === null, tensors: [],
      };
      if (spec.type === "Conv2D" || spec.type === "Dense") {
        const conv = spec.type === "Conv2D";
        layer.filters = conv ? spec.filters : spec.units;
        layer.positions = conv ? spec.output_shape[0] * spec.output_shape[1] : 1; // rows per image
        layer.K = conv ? spec.kernel_size[0] * spec.kernel_size[1] * spec.input_shape[2] : spec.input_shape[0];
        if (conv) {
          layer.kernel = spec.kernel_size;
          layer.strides = spec.strides;
          layer.pad = spec.pad;
          if (spec.pad[0] > 0 || spec.pad[1] > 0) { // a zero frame around one image, for im2col
            // As tall and wide as the windows reach: the padding before, the image, the padding after.
            const reach = (axis) => (spec.output_shape[axis] - 1) * spec.strides[axis] + spec.kernel_size[axis];
            const height = Math.max(spec.input_shape[0] + spec.pad[0], reach(0));
            layer.paddedWidth = Math.max(spec.input_shape[1] + spec.pad[1], reach(1));
            layer.padded = new Float32Array(height * layer.paddedWidth * spec.input_shape[2]);
          }
          // A window that covers the whole input is a dense layer: its one row is the input itself.
          layer.whole = layer.positions === 1 && spec.pad[0] === 0 && spec.pad[1] === 0 &&
            spec.kernel_size[0] === spec.input_shape[0] && spec.kernel_size[1] === spec.input_shape[1];
        }
        layer.kernelOffset = offset;
        layer.biasOffset = offset + layer.filters * layer.K;
        offset = layer.biasOffset + layer.filters;
        layer.tensors = spec.tensors.map((t) => ({
          name: spec.name + "/" + t.name, shape: t.shape,
          offset: t.name === "kernel" ? layer.kernelOffset : layer.biasOffset, count: size(t.shape),
        }));
        const rows = maxBatch * layer.positions;
        layer.rows = conv && !layer.whole ? new Float32Array(rows * layer.K) : null; // im2col
        layer.rowGrads = conv && !layer.whole && !layer.first ? new Float32Array(rows * layer.K) : null;
        layer.kernelGrad = new Float64Array(layer.filters * layer.K);
        layer.biasGrad = new Float64Array(layer.filters);
        layer.scratch = new Float64Array(4 * layer.K);
      } else if (spec.type === "AveragePooling2D" || spec.type === "MaxPooling2D") {
        layer.pool = spec.pool_size;
        layer.strides = spec.strides;
        layer.offsets = windowOffsets(layer);
        if (spec.type === "MaxPooling2D") layer.argmax = new Int32Array(maxBatch * layer.outSize);
      } else if (spec.type !== "Flatten") {
        throw new Error(spec.name + ": no " + spec.type + " layer here");
      }
      // Flatten changes no value: it shares its input's buffers.
      layer.out = spec.type === "Flatten" ? previous.out : new Float32Array(maxBatch * layer.outSize);
      layer.outGrad = spec.type === "Flatten" ? previous.outGrad : new Float32Array(maxBatch * layer.outSize);
      layers.push(layer);
      previous = layer;
    }
    const last = layers[layers.length - 1];
    if (last.activation !== "softmax") throw new Error("the last layer must be a softmax");
    const net = {
      model: model, layers: layers, maxBatch: maxBatch, parameters: offset,
      inSize: size(model.input_shape), classes: last.outSize,
      params: new Float32Array(offset),
      input: new Float32Array(maxBatch * size(model.input_shape)),
      losses: new Float64Array(maxBatch),
      kernels: kind || kernelKind, wasm: null,
    };
    // With the WebAssembly products, the buffers they use move into the network's WebAssembly memory.
    if (net.kernels === "wasm") net.wasm = placeInWasm(net);
    return net;
  }

  const WEIGHTS_STREAM = 0;
  const ORDER_STREAM = 1;

  // Keras' glorot_uniform for every kernel (uniform in ±√(6 / (fan_in + fan_out))) and zeros for biases.
  function initialize(net, seed) {
    const next = random(seed, WEIGHTS_STREAM);
    net.params.fill(0);
    for (const layer of net.layers) {
      if (layer.kernelOffset === undefined) continue;
      const receptive = layer.type === "Conv2D" ? layer.kernel[0] * layer.kernel[1] : 1;
      const fanIn = layer.K;
      const fanOut = receptive * layer.filters;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const end = layer.biasOffset;
      for (let i = layer.kernelOffset; i < end; i++) net.params[i] = limit * (2 * next() - 1);
    }
    return net;
  }

  /* -------------------------------------------------------------------------------------------------
   * 4. Forward. `count` images of the batch are in net.input (float32 in [0, 1]).
   * ----------------------------------------------------------------------------------------------- */

  // Bytes to [0, 1] as Keras' x.astype("float32") / 255 computes them.
  const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

  function loadImages(net, images, order, from, count) {
    const n = net.inSize;
    for (let i = 0; i < count; i++) {
      const src = order ? order[from + i] * n : (from + i) * n;
      const dst = i * n;
      for (let j = 0; j < n; j++) net.input[dst + j] = BYTE_TO_UNIT[images[src + j]];
    }
  }

  // im2col: one row per output position, holding the window it sees in Keras' kernel order
  // (ky, kx, channel). A layer with padding first copies each image into the middle of a zeroed frame
  // (layer.padded), so that every window lies inside and each kernel row is one contiguous copy.
  function windowsToRows(net, layer, input, count) {
    const [inH, inW, inC] = layer.inShape;
    const [outH, outW] = layer.outShape;
    const [kh, kw] = layer.kernel;
    const [sy, sx] = layer.strides;
    const K = layer.K;
    const rows = layer.rows;
    const rowWidth = kw * inC; // one kernel row of the window
    const padded = layer.padded;
    const width = padded ? layer.paddedWidth : inW;
    const padTop = layer.pad[0], padLeft = layer.pad[1];
    let r = 0;
    for (let b = 0; b < count; b++) {
      let source = input;
      let image = b * layer.inSize;
      if (padded) {
        for (let y = 0; y < inH; y++) {
          const from = image + y * inW * inC;
          const to = ((y + padTop) * width + padLeft) * inC;
          for (let j = 0; j < inW * inC; j++) padded[to + j] = input[from + j];
        }
        source = padded;
        image = 0;
      }
      if (net.wasm && net.wasm.windowsToRows(layer, source, image, width, rows, r)) {
        r += outH * outW * K;
        continue;
      }
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, r += K) {
          for (let ky = 0; ky < kh; ky++) {
            const src = image + ((oy * sy + ky) * width + ox * sx) * inC;
            const dst = r + ky * rowWidth;
            for (let j = 0; j < rowWidth; j++) rows[dst + j] = source[src + j];
          }
        }
      }
    }
  }

  function activate(activation, values, n) {
    if (activation === "sigmoid") {
      for (let i = 0; i < n; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
    } else if (activation === "relu") {
      for (let i = 0; i < n; i++) if (!(values[i] > 0)) values[i] = 0;
    }
  }

  // softmax of each image's sums, in place; the loss of image i is log Σ e^z − z_label (computed from
  // the sums, as Keras' fit does for a softmax layer: no clipping, no log of a rounded probability).
  function softmaxLoss(net, layer, count, labels, order, from) {
    const N = layer.filters;
    const z = layer.out;
    let correct = 0;
    for (let b = 0; b < count; b++) {
      const o = b * N;
      let largest = -Infinity;
      let guess = 0;
      for (let j = 0; j < N; j++) {
        if (z[o + j] > largest) {
          largest = z[o + j];
          guess = j;
        }
      }
      let total = 0;
      for (let j = 0; j < N; j++) total += Math.exp(z[o + j] - largest);
      const logTotal = Math.log(total) + largest;
      if (labels) {
        const label = labels[order ? order[from + b] : from + b];
        net.losses[b] = logTotal - z[o + label];
        if (guess === label) correct++;
      }
      for (let j = 0; j < N; j++) z[o + j] = Math.exp(z[o + j] - logTotal);
    }
    return correct;
  }

  // Where each value of a pooling window sits, relative to the window's first value (channels last).
  function windowOffsets(layer) {
    const [, inW, C] = layer.inShape;
    const [ph, pw] = layer.pool;
    const offsets = new Int32Array(ph * pw);
    for (let py = 0; py < ph; py++) for (let px = 0; px < pw; px++) offsets[py * pw + px] = (py * inW + px) * C;
    return offsets;
  }

  function poolForward(layer, input, count) {
    const [, inW, C] = layer.inShape;
    const [outH, outW] = layer.outShape;
    const [sy, sx] = layer.strides;
    const out = layer.out;
    const offsets = layer.offsets;
    const n = offsets.length;
    const average = layer.type === "AveragePooling2D";
    const scale = 1 / n;
    for (let b = 0, o = 0; b < count; b++) {
      const image = b * layer.inSize;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const corner = image + (oy * sy * inW + ox * sx) * C;
          for (let c = 0; c < C; c++, o++) {
            const first = corner + c;
            if (average) {
              let sum = 0;
              for (let k = 0; k < n; k++) sum += input[first + offsets[k]];
              out[o] = sum * scale;
            } else {
              let at = first;
              for (let k = 1; k < n; k++) if (input[first + offsets[k]] > input[at]) at = first + offsets[k];
              out[o] = input[at];
              layer.argmax[o] = at;
            }
          }
        }
      }
    }
  }

  // Run `count` images (already in net.input) through every layer. Returns how many were guessed right.
  function forward(net, count, labels, order, from) {
    let input = net.input;
    let correct = 0;
    for (const layer of net.layers) {
      if (layer.type === "Conv2D" || layer.type === "Dense") {
        const M = count * layer.positions;
        let A = input;
        if (layer.rows) {
          windowsToRows(net, layer, input, count);
          A = layer.rows;
        }
        const N = layer.filters, K = layer.K, W = net.params, w0 = layer.kernelOffset, b0 = layer.biasOffset;
        // The WebAssembly product reads the filters transposed (layer.transposed): made on each pass, or once
        // for weights that do not change (fixWeights).
        const ready = net.fixedWeights && layer.transposedReady;
        if (net.wasm && net.wasm.productWithRows(M, N, K, A, 0, W, w0, W, b0, layer.out, 0, layer.transposed, ready)) {
          layer.transposedReady = true;
        } else {
          productWithRows(M, N, K, A, 0, W, w0, W, b0, layer.out, 0);
        }
        if (layer.activation === "softmax") correct = softmaxLoss(net, layer, count, labels, order, from);
        else if (!(layer.activation === "sigmoid" && net.wasm && net.wasm.sigmoid(layer.out, M * layer.filters))) {
          activate(layer.activation, layer.out, M * layer.filters);
        }
      } else if (layer.type !== "Flatten") {
        poolForward(layer, input, count);
      }
      input = layer.out;
    }
    return correct;
  }

  /* -------------------------------------------------------------------------------------------------
   * 5. Backward: from the loss back to every weight. outGrad holds ∂loss/∂(layer output).
   * ----------------------------------------------------------------------------------------------- */

  // ∂loss/∂(weighted sums) from ∂loss/∂(outputs), in place (σ' = σ(1 − σ); ReLU' = 1 where the output > 0),
  // and the biases' gradient: the sum of those over every row, filter by filter.
  function activationBackward(layer, M) {
    const y = layer.out;
    const g = layer.outGrad;
    const F = layer.filters;
    const biasGrad = layer.biasGrad;
    if (layer.activation === "sigmoid") {
      for (let i = 0; i < M * F; i++) g[i] *= y[i] * (1 - y[i]);
    } else if (layer.activation === "relu") {
      for (let i = 0; i < M * F; i++) if (!(y[i] > 0)) g[i] = 0;
    }
    for (let m = 0, i = 0; m < M; m++) {
      for (let f = 0; f < F; f++, i++) biasGrad[f] += g[i];
    }
  }

  // col2im: every window's gradient added back onto the input pixels it came from.
  function rowsToWindows(layer, inputGrad, count) {
    const [inH, inW, inC] = layer.inShape;
    const [outH, outW] = layer.outShape;
    const [kh, kw] = layer.kernel;
    const [sy, sx] = layer.strides;
    const [padTop, padLeft] = layer.pad;
    const K = layer.K;
    const R = layer.rowGrads;
    inputGrad.fill(0, 0, count * layer.inSize);
    let r = 0;
    for (let b = 0; b < count; b++) {
      const image = b * layer.inSize;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, r += K) {
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sy + ky - padTop;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sx + kx - padLeft;
              if (ix < 0 || ix >= inW) continue;
              const dst = image + (iy * inW + ix) * inC;
              const src = r + (ky * kw + kx) * inC;
              for (let c = 0; c < inC; c++) inputGrad[dst + c] += R[src + c];
            }
          }
        }
      }
    }
  }

  function poolBackward(layer, inputGrad, count) {
    const [, inW, C] = layer.inShape;
    const [outH, outW] = layer.outShape;
    const [sy, sx] = layer.strides;
    const g = layer.outGrad;
    inputGrad.fill(0, 0, count * layer.inSize);
    if (layer.type === "MaxPooling2D") {
      // The gradient goes to the one input that was the maximum.
      for (let o = 0; o < count * layer.outSize; o++) inputGrad[layer.argmax[o]] += g[o];
      return;
    }
    const offsets = layer.offsets; // an average: each input of the window gets an equal share
    const n = offsets.length;
    for (let b = 0, o = 0; b < count; b++) {
      const image = b * layer.inSize;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const corner = image + (oy * sy * inW + ox * sx) * C;
          for (let c = 0; c < C; c++, o++) {
            const share = g[o] / n;
            for (let k = 0; k < n; k++) inputGrad[corner + c + offsets[k]] += share;
          }
        }
      }
    }
  }

  // Back through every layer for the `count` images of the last forward(), adding each weight's
  // gradient (scaled by 1 / batchSize: Keras' loss is the batch's mean) to the layers' Float64 sums.
  function backward(net, count, labels, order, from, batchSize) {
    const layers = net.layers;
    const last = layers[layers.length - 1];
    // softmax + cross-entropy: ∂loss/∂z = (p − one-hot label) / batchSize.
    const N = last.filters;
    for (let b = 0; b < count; b++) {
      const label = labels[order ? order[from + b] : from + b];
      for (let j = 0; j < N; j++) {
        const p = last.out[b * N + j];
        last.outGrad[b * N + j] = (j === label ? p - 1 : p) / batchSize;
      }
    }
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i];
      const input = i === 0 ? net.input : layers[i - 1].out;
      const inputGrad = i === 0 ? null : layers[i - 1].outGrad;
      // For the "how it learns" page: ∂loss/∂(layer output), before the activation's derivative replaces it.
      if (net.trace) net.trace[i] = Float32Array.from(layer.outGrad.subarray(0, count * layer.outSize));
      if (layer.type === "Conv2D" || layer.type === "Dense") {
        const M = count * layer.positions;
        const F = layer.filters;
        activationBackward(layer, M); // the softmax's gradient is already with respect to the sums
        const D = layer.outGrad;
        const A = layer.rows || input;
        if (!(net.wasm && net.wasm.gradientOfRows(M, F, layer.K, D, 0, A, 0, layer.kernelGrad))) {
          gradientOfRows(M, F, layer.K, D, 0, A, 0, layer.kernelGrad);
        }
        if (inputGrad) {
          const R = layer.rows ? layer.rowGrads : inputGrad; // the windows' gradient, or the input's itself
          if (!(net.wasm && net.wasm.gradientToRows(M, F, layer.K, D, 0, net.params, layer.kernelOffset, R, 0))) {
            gradientToRows(M, F, layer.K, D, 0, net.params, layer.kernelOffset, R, 0, layer.scratch);
          }
          if (layer.rows) rowsToWindows(layer, inputGrad, count);
        }
      } else if (layer.type !== "Flatten" && inputGrad) {
        poolBackward(layer, inputGrad, count);
      }
    }
  }

  /* -------------------------------------------------------------------------------------------------
   * 6. Adam, as Keras 3 computes it (keras/src/optimizers/adam.py, update_step), for step t = 1, 2, …:
   *      m ← m + (g − m)(1 − β1)        v ← v + (g² − v)(1 − β2)
   *      α = lr · √(1 − β2^t) / (1 − β1^t)          w ← w − m·α / (√v + ε)
   *    Keras' defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7 (from the manifest).
   * ----------------------------------------------------------------------------------------------- */
  function createAdam(n, settings) {
    return {
      learningRate: settings.learning_rate, beta1: settings.beta_1, beta2: settings.beta_2,
      epsilon: settings.epsilon, step: 0, m: new Float32Array(n), v: new Float32Array(n),
    };
  }

  function adamStep(adam, params, grad) {
    adam.step += 1;
    const t = adam.step;
    const b1 = Math.fround(adam.beta1), b2 = Math.fround(adam.beta2);
    const alpha = Math.fround(adam.learningRate * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
    const c1 = Math.fround(1 - b1), c2 = Math.fround(1 - b2);
    const eps = adam.epsilon;
    const m = adam.m, v = adam.v;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      m[i] += (g - m[i]) * c1;
      v[i] += (g * g - v[i]) * c2;
      params[i] -= (m[i] * alpha) / (Math.sqrt(v[i]) + eps);
    }
  }

  /* -------------------------------------------------------------------------------------------------
   * 7. Training. A batch is split into shards (two by default: one per CPU core). Each shard's gradient
   *    is summed over its images only; the batch's gradient is shard 0 + shard 1, added in that order,
   *    so one worker or two give the same numbers to the last bit.
   * ----------------------------------------------------------------------------------------------- */
  function shardSizes(batchSize, shards) {
    const sizes = [];
    for (let s = 0; s < shards; s++) sizes.push(Math.floor(batchSize / shards) + (s < batchSize % shards ? 1 : 0));
    return sizes;
  }

  // The gradient of images order[from .. from+count) into `grad` (float32, the params' layout).
  // Returns { loss: the sum of their losses, correct: how many were guessed right }.
  // The layers' gradient sums start at 0 ...
  function clearGradients(net) {
    for (const layer of net.layers) {
      if (layer.kernelGrad) {
        layer.kernelGrad.fill(0);
        layer.biasGrad.fill(0);
      }
    }
  }

  // ... and end in `grad`, in the params' layout (Float64 → float32).
  function collectGradients(net, grad) {
    for (const layer of net.layers) {
      if (!layer.kernelGrad) continue;
      grad.set(layer.kernelGrad, layer.kernelOffset);
      grad.set(layer.biasGrad, layer.biasOffset);
    }
  }

  function shardGradient(net, images, labels, order, from, count, batchSize, grad) {
    clearGradients(net);
    let loss = 0;
    let correct = 0;
    for (let done = 0; done < count; done += net.maxBatch) {
      const n = Math.min(net.maxBatch, count - done);
      loadImages(net, images, order, from + done, n);
      correct += forward(net, n, labels, order, from + done);
      for (let b = 0; b < n; b++) loss += net.losses[b];
      backward(net, n, labels, order, from + done, batchSize);
    }
    collectGradients(net, grad);
    return { loss: loss, correct: correct };
  }

  // The gradient of one image given as floats in [0, 1] (a drawing, or a test digit already scaled) with its
  // label, into `grad` (the params' layout); returns its loss. The loss is this one image's (a batch of one), and
  // every layer keeps its outputs and their gradients (and net.trace, when set) for a reader to look at.
  function imageGradient(net, x, label, grad) {
    if (!(x instanceof Float32Array) || x.length !== net.inSize) {
      throw new TypeError("imageGradient expects a Float32Array(" + net.inSize + ")");
    }
    clearGradients(net);
    const labels = [label];
    net.input.set(x);
    forward(net, 1, labels, null, 0);
    backward(net, 1, labels, null, 0, 1);
    collectGradients(net, grad);
    return net.losses[0];
  }

  function addInto(total, a, b) {
    for (let i = 0; i < total.length; i++) total[i] = a[i] + b[i];
    return total;
  }

  // The network's weights will not change from now on (the visualizer's): the WebAssembly forward product
  // transposes each layer's filters on the next pass only, not on every pass.
  function fixWeights(net) {
    net.fixedWeights = true;
    for (const layer of net.layers) layer.transposedReady = false;
    return net;
  }

  // Class probabilities for images from .. from+count of `images` (bytes), into `out` (count × classes).
  // With labels, also counts the right guesses and sums the losses.
  function predictBatch(net, images, from, count, out, labels) {
    const last = net.layers[net.layers.length - 1];
    let correct = 0;
    let loss = 0;
    for (let done = 0; done < count; done += net.maxBatch) {
      const n = Math.min(net.maxBatch, count - done);
      loadImages(net, images, null, from + done, n);
      correct += forward(net, n, labels || null, null, from + done);
      if (labels) for (let b = 0; b < n; b++) loss += net.losses[b];
      out.set(last.out.subarray(0, n * net.classes), done * net.classes);
    }
    return { correct: correct, loss: loss };
  }

  // The probabilities of one image given as 784 floats in [0, 1] (a drawing, already preprocessed).
  function predict(net, x) {
    if (!(x instanceof Float32Array) || x.length !== net.inSize) {
      throw new TypeError("predict expects a Float32Array(" + net.inSize + ")");
    }
    net.input.set(x);
    forward(net, 1, null, null, 0);
    return Float32Array.from(net.layers[net.layers.length - 1].out.subarray(0, net.classes));
  }

  /* -------------------------------------------------------------------------------------------------
   * Keras' layout ↔ ours, for tests and for reading or writing a Keras model's weights.
   * ----------------------------------------------------------------------------------------------- */
  function tensorsOf(net) {
    const out = [];
    for (const layer of net.layers) for (const t of layer.tensors) out.push(Object.assign({ layer: layer }, t));
    return out;
  }

  // Our flat params (or gradient) → { "C1/kernel": Float32Array in Keras' order, ... }.
  function toKeras(net, flat) {
    const result = {};
    for (const t of tensorsOf(net)) {
      const values = new Float32Array(t.count);
      if (t.name.endsWith("/kernel")) {
        const F = t.layer.filters, K = t.layer.K;
        for (let f = 0; f < F; f++) for (let k = 0; k < K; k++) values[k * F + f] = flat[t.offset + f * K + k];
      } else {
        values.set(flat.subarray(t.offset, t.offset + t.count));
      }
      result[t.name] = values;
    }
    return result;
  }

  // { "C1/kernel": values in Keras' order, ... } → our flat layout (into `flat`).
  function fromKeras(net, tensors, flat) {
    for (const t of tensorsOf(net)) {
      const values = tensors[t.name];
      if (!values || values.length !== t.count) throw new Error("missing or wrong-sized tensor " + t.name);
      if (t.name.endsWith("/kernel")) {
        const F = t.layer.filters, K = t.layer.K;
        for (let f = 0; f < F; f++) for (let k = 0; k < K; k++) flat[t.offset + f * K + k] = values[k * F + f];
      } else {
        flat.set(values, t.offset);
      }
    }
    return flat;
  }

  return {
    random: random, ORDER_STREAM: ORDER_STREAM, BYTE_TO_UNIT: BYTE_TO_UNIT, shuffle: shuffle, loadKernels: loadKernels,
    createNetwork: createNetwork, initialize: initialize, fixWeights: fixWeights,
    shardSizes: shardSizes, shardGradient: shardGradient, imageGradient: imageGradient, addInto: addInto,
    createAdam: createAdam, adamStep: adamStep, predictBatch: predictBatch, predict: predict,
    toKeras: toKeras, fromKeras: fromKeras, tensorsOf: tensorsOf,
    products: { productWithRows: productWithRows, gradientOfRows: gradientOfRows, gradientToRows: gradientToRows },
  };
})();
