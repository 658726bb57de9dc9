/*
 * How it learns: one training step of LeNet-5 on one digit, with every number kept for the page to show.
 * The numbers are the train page's engine's (../train/engine.js: the same forward pass, backward pass and
 * Adam that the train page runs, checked against TensorFlow by tests/test_learn.py). Read it top to bottom:
 *
 *   1. Loading            the train page's manifest and its test digits, checked (../train/data.js)
 *   2. One step           the seeded first weights, the forward pass, the loss, every gradient, one Adam step
 *   3. Looking closer     one C1 kernel gradient as a correlation; the chain rule for one weight
 *   4. Checking           the loss again in double precision with one weight nudged (finite differences)
 *
 * window.lenetLearn is what the page (page.js) and the tests use:
 *   ready                         a Promise: the manifest and the test digits are loaded and checked
 *   step({model, seed, digit, learning_rate})   (or {model, seed, pixels, label, learning_rate} for a drawing)
 *       resolves to {input, label, loss, weights, gradients, after}: `input` the 784 numbers fed (28×28×1, row by
 *       row); `weights`, `gradients` and `after` lists of {name, shape, values} in the order and layouts of
 *       Keras' model.trainable_weights (kernels (kh, kw, in, out), dense (in, out)); `after` the weights after one
 *       step of Keras' Adam, from a fresh optimizer, with that learning rate. `digit` counts from 0 in the
 *       official order of the test digits the train page ships (the page counts from 1).
 *   explain(result)               the page's view of a step: every layer's outputs and gradients
 *   kernelCell(view, filter, row, col)   C1's kernel gradient at (row, col) of `filter`, as a correlation
 *   chainRule(view, layer, from, to)     ∂L/∂w for one weight of a layer with one output position, factor by factor
 *   adamUpdate(view, name, index)        Keras' Adam step for one weight: m, v, the corrections, the step
 *   lossWith(view, name, index, value)   the loss, in double precision, with one weight set to `value`
 */
import { checkedModel, checkedRate, checkedSeed, isWhole, loadManifest, loadSplit } from "../train/data.js";
import { LenetEngine as E } from "../train/engine.js";

const api = {};

/* -------------------------------------------------------------------------------------------------
 * 1. Loading. The test digits are the train page's: the first of MNIST's official test set.
 * ----------------------------------------------------------------------------------------------- */
async function load() {
  const manifest = await loadManifest();
  api.manifest = manifest;
  api.test = await loadSplit(manifest.data.test);
  return api;
}

/* -------------------------------------------------------------------------------------------------
 * 2. One step.
 * ----------------------------------------------------------------------------------------------- */
// The options, checked (the model, the seed and the learning rate as the train page checks them: ../train/data.js);
// errors a reader may meet carry the word tables' key (TrainerError, "train" section).
function settings(options) {
  const o = options || {};
  const m = api.manifest;
  const model = checkedModel(m, o.model);
  const seed = checkedSeed(m, o.seed);
  const rate = checkedRate(m, o.learning_rate);
  const size = E.createNetwork(m.models[model], 1, "js").inSize;
  let input, label, digit = null;
  if (o.pixels !== undefined) {
    const pixels = o.pixels;
    const ok = pixels && typeof pixels.length === "number" && pixels.length === size &&
      Array.prototype.every.call(pixels, (v) => typeof v === "number" && v >= 0 && v <= 1);
    if (!ok) throw new Error("pixels must be " + size + " numbers from 0 to 1");
    if (!isWhole(o.label, 0, 9)) throw new Error("a drawing needs its label, a whole number from 0 to 9");
    input = Float32Array.from(pixels);
    label = o.label;
  } else {
    digit = o.digit === undefined ? 0 : o.digit;
    if (!isWhole(digit, 0, api.test.count - 1)) {
      throw new Error("digit must be a whole number from 0 to " + (api.test.count - 1));
    }
    input = new Float32Array(size);
    const bytes = api.test.images.subarray(digit * size, (digit + 1) * size);
    for (let i = 0; i < size; i++) input[i] = E.BYTE_TO_UNIT[bytes[i]];
    label = api.test.labels[digit];
  }
  return { model: model, seed: seed, learningRate: rate, input: input, label: label, digit: digit };
}

// A flat Float32Array in the engine's layout → [{name, shape, values}] in Keras' trainable_weights order.
function kerasList(net, flat) {
  const tensors = E.toKeras(net, flat);
  return E.tensorsOf(net).map((t) => ({ name: t.name, shape: t.shape.slice(), values: Array.from(tensors[t.name]) }));
}

// The whole step, with the engine's network kept for explain().
function run(options) {
  const s = settings(options);
  const spec = api.manifest.models[s.model];
  const net = E.createNetwork(spec, 1, "js");
  E.initialize(net, s.seed);
  const weights = kerasList(net, net.params);
  const start = Float32Array.from(net.params);
  const grad = new Float32Array(net.parameters);
  net.trace = [];
  const loss = E.imageGradient(net, s.input, s.label, grad);
  const adam = E.createAdam(net.parameters, Object.assign({}, api.manifest.optimizer, { learning_rate: s.learningRate }));
  E.adamStep(adam, net.params, grad);
  const result = {
    input: Array.from(s.input), label: s.label, loss: loss, weights: weights,
    gradients: kerasList(net, grad), after: kerasList(net, net.params),
  };
  Object.defineProperty(result, "internal", {
    value: { settings: s, spec: spec, net: net, start: start, grad: grad, adam: adam }, enumerable: false,
  });
  return result;
}

async function step(options) {
  await api.ready;
  return run(options);
}

/* -------------------------------------------------------------------------------------------------
 * The page's view of a step: per layer, what it computed and the gradients that came back through it.
 *   out       the layer's outputs a (for the output layer: the probabilities p)
 *   dOut      ∂L/∂a, what came back from the layer above (for the output layer: ∂L/∂z = p − y)
 *   dSum      ∂L/∂z, after the activation's derivative (layers with weights)
 *   kernel, bias, dKernel, dBias   the weights and their gradients, in Keras' layouts
 * ----------------------------------------------------------------------------------------------- */
function explain(result) {
  const { net, spec, start, grad, settings: s } = result.internal;
  const weights = E.toKeras(net, start);
  const grads = E.toKeras(net, grad);
  const layers = net.layers.map((layer, i) => {
    const view = {
      name: layer.name, type: layer.type, activation: layer.activation, spec: spec.layers[i],
      inShape: layer.inShape, outShape: layer.outShape,
      out: Float32Array.from(layer.out.subarray(0, layer.outSize)),
      dOut: net.trace[i],
    };
    if (layer.kernelGrad) {
      view.dSum = Float32Array.from(layer.outGrad.subarray(0, layer.outSize));
      view.kernel = weights[layer.name + "/kernel"];
      view.bias = weights[layer.name + "/bias"];
      view.dKernel = grads[layer.name + "/kernel"];
      view.dBias = grads[layer.name + "/bias"];
      view.kernelShape = layer.tensors[0].shape;
    }
    return view;
  });
  const last = layers[layers.length - 1];
  return {
    model: s.model, seed: s.seed, digit: s.digit, label: s.label, learningRate: s.learningRate,
    input: s.input, loss: result.loss, probabilities: last.out, layers: layers, result: result,
    weights: weights, gradients: grads, // by tensor name ("C1/kernel"), in Keras' layouts
  };
}

/* -------------------------------------------------------------------------------------------------
 * 3. Looking closer.
 * ----------------------------------------------------------------------------------------------- */

// C1's kernel gradient at (row, col) of `filter` is a correlation of C1's input with C1's ∂L/∂z: each output
// position (y, x) adds input(y + row − pad, x + col − pad) × ∂L/∂z(y, x, filter) (0 outside the input).
// Returns {terms: Float64Array(outH × outW), sum, engine: the engine's gradient of that weight}.
function kernelCell(view, filter, row, col) {
  const c1 = view.layers[0];
  const [inH, inW] = c1.inShape;
  const [outH, outW, filters] = c1.outShape;
  const [padTop, padLeft] = c1.spec.pad;
  const [sy, sx] = c1.spec.strides;
  const terms = new Float64Array(outH * outW);
  let sum = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const iy = y * sy + row - padTop, ix = x * sx + col - padLeft;
      const v = iy >= 0 && iy < inH && ix >= 0 && ix < inW ? view.input[iy * inW + ix] : 0;
      const term = v * c1.dSum[(y * outW + x) * filters + filter];
      terms[y * outW + x] = term;
      sum += term;
    }
  }
  const [, kw, inC, out] = c1.kernelShape;
  return { terms: terms, sum: sum, engine: c1.dKernel[((row * kw + col) * inC) * out + filter] };
}

// The layers whose every unit has one output position (C5, F6, the output layer): a weight there joins one
// input to one unit, and its gradient is one product of three factors.
function chainLayers(view) {
  return view.layers.filter((l) => l.kernel && l.outShape.slice(0, -1).every((d) => d === 1));
}

// ∂L/∂w for the weight from input `from` (flat, in Keras' order) to unit `to` of `layerName`:
//   ∂L/∂w = a_in × f′(z) × ∂L/∂a      (the output layer: a_in × (p − y), its softmax and loss taken together)
// and ∂L/∂a = Σ_k w_next[to, k] × ∂L/∂z_next[k] over the units k of the next layer with weights.
function chainRule(view, layerName, from, to) {
  const index = view.layers.findIndex((l) => l.name === layerName);
  const layer = view.layers[index];
  if (!layer || !chainLayers(view).includes(layer)) throw new Error("no chain rule for " + layerName);
  const units = layer.outShape[layer.outShape.length - 1];
  const inputs = layer.kernel.length / units;
  if (!isWhole(from, 0, inputs - 1) || !isWhole(to, 0, units - 1)) throw new Error("no such weight");
  const previous = index === 0 ? null : view.layers[index - 1];
  const aIn = previous ? previous.out[from] : view.input[from];
  const a = layer.out[to];
  const last = index === view.layers.length - 1;
  const result = { layer: layerName, from: from, to: to, input: aIn, output: a, last: last, units: units,
    inputs: inputs, weightIndex: from * units + to };
  result.weight = layer.kernel[result.weightIndex];
  result.backprop = layer.dKernel[result.weightIndex];
  if (last) {
    result.y = to === view.label ? 1 : 0;
    result.dSum = a - result.y; // p − y
    result.product = aIn * result.dSum;
    return result;
  }
  result.derivative = layer.activation === "sigmoid" ? a * (1 - a) : layer.activation === "relu" ? (a > 0 ? 1 : 0) : 1;
  // The next layer with weights (Flatten between changes no value) and its ∂L/∂z.
  const next = view.layers.slice(index + 1).find((l) => l.kernel);
  const nextUnits = next.outShape[next.outShape.length - 1];
  result.next = next.name;
  result.terms = [];
  let dOut = 0;
  for (let k = 0; k < nextUnits; k++) {
    const w = next.kernel[to * nextUnits + k];
    const d = next.dSum[k];
    result.terms.push({ unit: k, weight: w, dSum: d, product: w * d });
    dOut += w * d;
  }
  result.dOut = dOut;
  result.engineDOut = layer.dOut[to];
  result.dSum = result.derivative * dOut;
  result.product = aIn * result.derivative * dOut;
  return result;
}

// Keras' Adam (keras/src/optimizers/adam.py) for one weight, on step t = 1 from a fresh optimizer:
//   m = m₀ + (g − m₀)(1 − β1),  v = v₀ + (g² − v₀)(1 − β2),  α = lr √(1 − β2^t) / (1 − β1^t),
//   w ← w − m α / (√v + ε). The textbook's corrected m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t) give the same step
//   but for where ε sits.
function adamUpdate(view, name, index) {
  const { net, adam: o } = view.result.internal;
  const g = view.gradients[name][index];
  const t = o.step;
  const b1t = 1 - Math.pow(o.beta1, t), b2t = 1 - Math.pow(o.beta2, t);
  const m = E.toKeras(net, o.m)[name][index];
  const v = E.toKeras(net, o.v)[name][index];
  const alpha = o.learningRate * Math.sqrt(b2t) / b1t;
  const before = view.weights[name][index];
  const after = E.toKeras(net, net.params)[name][index];
  return {
    t: t, g: g, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, learningRate: o.learningRate,
    m: m, v: v, correction1: b1t, correction2: b2t, mHat: m / b1t, vHat: v / b2t, alpha: alpha,
    step: (m * alpha) / (Math.sqrt(v) + o.epsilon), before: before, after: after,
  };
}

/* -------------------------------------------------------------------------------------------------
 * 4. Checking: the forward pass again, in double precision (Float64), from the step's first weights in
 *    Keras' layouts, with one weight changed. Slow and plain on purpose: a second, independent pass.
 * ----------------------------------------------------------------------------------------------- */
function activate64(activation, z) {
  if (activation === "sigmoid") return z.map((v) => 1 / (1 + Math.exp(-v)));
  if (activation === "relu") return z.map((v) => (v > 0 ? v : 0));
  return z;
}

function convolve64(spec, x, kernel, bias) {
  const [inH, inW, inC] = spec.input_shape;
  const [outH, outW, F] = spec.output_shape;
  const [kh, kw] = spec.kernel_size;
  const [sy, sx] = spec.strides;
  const [pt, pl] = spec.pad;
  const z = new Float64Array(outH * outW * F);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let f = 0; f < F; f++) {
        let sum = bias[f];
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sy + ky - pt;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sx + kx - pl;
            if (ix < 0 || ix >= inW) continue;
            for (let c = 0; c < inC; c++) sum += x[(iy * inW + ix) * inC + c] * kernel[((ky * kw + kx) * inC + c) * F + f];
          }
        }
        z[(oy * outW + ox) * F + f] = sum;
      }
    }
  }
  return z;
}

function pool64(spec, x) {
  const [, inW, C] = spec.input_shape;
  const [outH, outW] = spec.output_shape;
  const [ph, pw] = spec.pool_size;
  const [sy, sx] = spec.strides;
  const out = new Float64Array(outH * outW * C);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let c = 0; c < C; c++) {
        const values = [];
        for (let py = 0; py < ph; py++) for (let px = 0; px < pw; px++) values.push(x[((oy * sy + py) * inW + ox * sx + px) * C + c]);
        out[(oy * outW + ox) * C + c] = spec.type === "MaxPooling2D" ? Math.max(...values)
          : values.reduce((a, b) => a + b, 0) / values.length;
      }
    }
  }
  return out;
}

function dense64(spec, x, kernel, bias) {
  const units = spec.output_shape[0];
  const z = Float64Array.from(bias);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < units; j++) z[j] += x[i] * kernel[i * units + j];
  return z;
}

// The loss of the step's digit with the step's first weights, but weight `index` of tensor `name` set to `value`.
function lossWith(view, name, index, value) {
  const tensors = view.weights;
  if (!Object.hasOwn(tensors, name) || !isWhole(index, 0, tensors[name].length - 1)) throw new Error("no such weight");
  const w = (key) => {
    const values = Float64Array.from(tensors[key]);
    if (key === name) values[index] = value;
    return values;
  };
  let x = Float64Array.from(view.input);
  for (const spec of view.result.internal.spec.layers) {
    if (spec.type === "Conv2D") x = activate64(spec.activation, convolve64(spec, x, w(spec.name + "/kernel"), w(spec.name + "/bias")));
    else if (spec.type === "Dense") {
      const z = dense64(spec, x, w(spec.name + "/kernel"), w(spec.name + "/bias"));
      x = spec.activation === "softmax" ? z : activate64(spec.activation, z);
    } else if (spec.type !== "Flatten") x = pool64(spec, x);
  }
  // The loss from the output layer's sums, as the engine and Keras compute it: log Σ e^z − z_label.
  const largest = Math.max(...x);
  const logTotal = Math.log(x.reduce((a, z) => a + Math.exp(z - largest), 0)) + largest;
  return logTotal - x[view.label];
}

api.step = step;
api.explain = explain;
api.kernelCell = kernelCell;
api.chainLayers = chainLayers;
api.chainRule = chainRule;
api.adamUpdate = adamUpdate;
api.lossWith = lossWith;
api.run = run;
api.ready = load();
api.ready.catch(() => {}); // the page reports a failed load
window.lenetLearn = api;
