/*
 * LeNet-5 in plain JavaScript: load the weights, run the network, explain one unit, and turn a
 * drawing into a 28×28 MNIST-style input. No libraries. Read it top to bottom:
 *
 *   1. Tensors            a tensor is {shape, values}; values is a flat Float32Array, channels last
 *   2. The layers         convolution, pooling, flatten, dense, and their activations
 *   2b. The 1998 layers   sparse convolution, trainable subsampling, Euclidean RBF, scaled tanh
 *   3. The forward pass   the layers in order, keeping every layer's output (3b: the same on the train
 *                         page's engine, with its WebAssembly SIMD products, when the browser has them)
 *   4. Explaining a unit  the input window, the weights, the weighted sum and the activation
 *   5. Loading            fetch the manifest and the weights, check the sha256, build the model
 *
 * Preprocessing (the same MNIST-style steps as lenet_explain/walkthrough/images.py) and SHA-256 are in
 * ../shared/, where the train page uses them too. The page (page.js) and the tests use the same functions,
 * through window.lenet.
 */
import { section } from "../i18n/i18n.js";
import { NoInkError, preprocess, usePreprocessing } from "../shared/preprocess.js";
import { sha256Hex, sha256HexPlain } from "../shared/sha256.js";
import { LenetEngine } from "../train/engine.js";

/* ---------------------------------------------------------------------------------------------
 * 1. Tensors. Keras keeps images as (height, width, channels) and so do we: the value of channel
 *    c at row y, column x is values[(y * width + x) * channels + c]. Same order as numpy's
 *    array.reshape(-1), so our numbers can be compared with Keras' one for one.
 * ------------------------------------------------------------------------------------------- */
function tensor(shape, values) {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape: shape, values: values || new Float32Array(size) };
}

function imageShape(shape) {
  // A (units) vector is treated as a 1×1 image with `units` channels.
  return shape.length === 3 ? shape : [1, 1, shape[shape.length - 1]];
}

/* ---------------------------------------------------------------------------------------------
 * 2. The layers.
 * ------------------------------------------------------------------------------------------- */
function sigmoid(z) {
  return 1 / (1 + Math.exp(-z));
}

const ACTIVATIONS = {
  sigmoid: sigmoid,
  relu: (z) => (z > 0 ? z : 0),
  tanh: Math.tanh,
  linear: (z) => z,
};

// softmax turns the 10 weighted sums into probabilities that add up to 1.
// Subtracting the largest sum first changes nothing mathematically and avoids overflow.
function softmax(sums) {
  let largest = -Infinity;
  for (const z of sums) largest = Math.max(largest, z);
  const exps = Array.from(sums, (z) => Math.exp(z - largest));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

// Apply a layer's activation to its weighted sums and store the results in `out`.
function activate(name, sums, out) {
  if (name === "softmax") {
    out.set(softmax(sums));
    return;
  }
  const f = ACTIVATIONS[name];
  for (let i = 0; i < sums.length; i++) out[i] = f(sums[i]);
}

// Convolution: every output unit is  activation( bias + Σ over the kernel window of weight × input ).
// kernel shape is (kernelHeight, kernelWidth, inputChannels, filters), as in Keras, so the weights
// of all filters for one input value sit side by side: we take each input value of the window once
// and add its contribution to every filter's sum (the same sums, in a cache-friendly order).
function conv2d(input, layer) {
  const [inH, inW, inC] = input.shape;
  const [outH, outW, filters] = layer.output_shape;
  const [kh, kw] = layer.kernel_size;
  const [sy, sx] = layer.strides;
  const [padTop, padLeft] = layer.pad; // zeros around the input ('same' padding keeps 28×28)
  const kernel = layer.kernel;
  const sums = new Float64Array(outH * outW * filters);
  const z = new Float64Array(filters); // the weighted sums of one output position, one per filter
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      z.set(layer.bias);
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sy + ky - padTop;
        if (iy < 0 || iy >= inH) continue; // a padding row: input 0, adds nothing
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sx + kx - padLeft;
          if (ix < 0 || ix >= inW) continue; // a padding column
          for (let c = 0; c < inC; c++) {
            const x = input.values[(iy * inW + ix) * inC + c];
            const w = ((ky * kw + kx) * inC + c) * filters; // kernel[ky][kx][c][0]
            for (let f = 0; f < filters; f++) z[f] += x * kernel[w + f];
          }
        }
      }
      sums.set(z, (oy * outW + ox) * filters);
    }
  }
  const out = tensor(layer.output_shape);
  activate(layer.activation, sums, out.values);
  return out;
}

// Pooling: each output is the average (or the largest) of a small window, channel by channel.
// No weights, no activation.
function pool2d(input, layer) {
  const [, inW, channels] = input.shape;
  const [outH, outW] = layer.output_shape;
  const [ph, pw] = layer.pool_size;
  const [sy, sx] = layer.strides;
  const average = layer.type === "AveragePooling2D";
  const out = tensor(layer.output_shape);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let c = 0; c < channels; c++) {
        let acc = average ? 0 : -Infinity;
        for (let py = 0; py < ph; py++) {
          for (let px = 0; px < pw; px++) {
            const v = input.values[((oy * sy + py) * inW + (ox * sx + px)) * channels + c];
            acc = average ? acc + v : Math.max(acc, v);
          }
        }
        out.values[(oy * outW + ox) * channels + c] = average ? acc / (ph * pw) : acc;
      }
    }
  }
  return out;
}

// Flatten: the same numbers in the same order, seen as one long vector.
function flatten(input, layer) {
  return tensor(layer.output_shape, input.values.slice());
}

// Dense (fully connected): output j is  activation( bias[j] + Σ_i input[i] × kernel[i][j] ).
// kernel shape is (inputs, units), as in Keras.
function dense(input, layer) {
  const inputs = input.values.length;
  const units = layer.units;
  const sums = Float64Array.from(layer.bias);
  for (let i = 0; i < inputs; i++) {
    const x = input.values[i];
    for (let j = 0; j < units; j++) sums[j] += x * layer.kernel[i * units + j]; // kernel[i][j]
  }
  const out = tensor(layer.output_shape);
  activate(layer.activation, sums, out.values);
  return out;
}

const LAYER_FUNCTIONS = {
  Conv2D: conv2d,
  AveragePooling2D: pool2d,
  MaxPooling2D: pool2d,
  Flatten: flatten,
  Dense: dense,
};

/* ---------------------------------------------------------------------------------------------
 * 2b. The layers of LeNet-5 as published in 1998 (LeCun et al., section II.B), used when the page
 *     is opened with ?model=lenet1998. The constants come from the manifest, which takes them from
 *     lenet_explain/calculator/base.py and lenet_explain/walkthrough/training1998.py.
 * ------------------------------------------------------------------------------------------- */
// The squashing function f(a) = A·tanh(S·a), with A = 1.7159 and S = 2/3 so that f(±1) = ±1.
function useScaledTanh(constants) {
  ACTIVATIONS.scaled_tanh = (z) => constants.A * Math.tanh(constants.S * z);
}

// C3's connection table: filter f reads only the input maps in its row. The kernel stores one
// kh×kw slice per link of the table, filter after filter, so its shape is (kh, kw, links).
function tableLinks(layer) {
  if (!layer.links) {
    let column = 0;
    layer.links = layer.connection_table.map((row) =>
      row.slice().sort((a, b) => a - b).map((channel) => ({ channel: channel, column: column++ })));
    layer.linkCount = column;
  }
  return layer.links;
}

// Sparse convolution: unit (y, x) of map f is  activation( bias[f] + Σ over its maps and window of w × input ).
function sparseConv2d(input, layer) {
  const [, inW, inC] = input.shape;
  const [outH, outW, filters] = layer.output_shape;
  const [kh, kw] = layer.kernel_size;
  const links = tableLinks(layer);
  const n = layer.linkCount;
  const sums = new Float64Array(outH * outW * filters);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let f = 0; f < filters; f++) {
        let z = layer.bias[f];
        for (const { channel, column } of links[f]) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              z += input.values[((oy + ky) * inW + ox + kx) * inC + channel] * layer.kernel[(ky * kw + kx) * n + column];
            }
          }
        }
        sums[(oy * outW + ox) * filters + f] = z;
      }
    }
  }
  const out = tensor(layer.output_shape);
  activate(layer.activation, sums, out.values);
  return out;
}

// Trainable subsampling: the sum of a window, times its map's coefficient, plus its map's bias.
function subsampling2d(input, layer) {
  const [, inW, channels] = input.shape;
  const [outH, outW] = layer.output_shape;
  const [ph, pw] = layer.pool_size;
  const [sy, sx] = layer.strides;
  const sums = new Float64Array(outH * outW * channels);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let c = 0; c < channels; c++) {
        let total = 0;
        for (let py = 0; py < ph; py++) {
          for (let px = 0; px < pw; px++) total += input.values[((oy * sy + py) * inW + ox * sx + px) * channels + c];
        }
        sums[(oy * outW + ox) * channels + c] = layer.coefficient[c] * total + layer.bias[c];
      }
    }
  }
  const out = tensor(layer.output_shape);
  activate(layer.activation, sums, out.values);
  return out;
}

// Euclidean RBF output: penalty i = Σ_j (x_j − w_ij)², w_i the ±1 pixels of digit i's 7×12 bitmap.
// The lowest penalty wins: F6's 84 values are closest to that digit's bitmap.
function euclideanRbf(input, layer) {
  const inputs = input.values.length;
  const units = layer.output_shape[0];
  const out = tensor(layer.output_shape);
  for (let i = 0; i < units; i++) {
    let penalty = 0;
    for (let j = 0; j < inputs; j++) {
      const d = input.values[j] - layer.prototypes[i * inputs + j];
      penalty += d * d;
    }
    out.values[i] = penalty;
  }
  return out;
}

Object.assign(LAYER_FUNCTIONS, { SparseConv2D: sparseConv2d, Subsampling2D: subsampling2d, EuclideanRBF: euclideanRbf });

// The paper's input: the 28×28 digit (0 paper, 1 ink) padded to 32×32, background −0.1, full ink 1.175.
function paperInput(model, x) {
  const { pad, background, full_ink: ink } = model.inputScaling;
  const [size] = model.inputShape;
  const inner = size - 2 * pad;
  if (!(x instanceof Float32Array) || x.length !== inner * inner) {
    throw new TypeError("forward expects a Float32Array(" + inner * inner + ")");
  }
  const values = new Float32Array(size * size).fill(background);
  for (let y = 0; y < inner; y++) {
    for (let xx = 0; xx < inner; xx++) values[(y + pad) * size + xx + pad] = background + (ink - background) * x[y * inner + xx];
  }
  return tensor(model.inputShape, values);
}

// Either network on the page's 28×28 input. The 1998 one first scales it as the paper does; its
// outputs are penalties, and its probabilities a softmax over −penalty so both pages' guesses compare.
export function forwardModel(model, x) {
  if (model.engine) return forwardOnEngine(model, x);
  if (!model.inputScaling) return forward(model, x);
  const input = paperInput(model, x);
  const result = forward(model, input.values);
  const penalties = result.probabilities;
  return {
    layers: result.layers, input: input, penalties: penalties,
    probabilities: Float32Array.from(softmax(Array.from(penalties, (p) => -p))),
  };
}

// What a unit of a 1998 layer is computed from (the other layers are explained in section 4).
function explainUnit1998(layer, input, position) {
  const [, inW, inC] = input.shape;
  if (layer.type === "EuclideanRBF") {
    const n = input.values.length;
    const weights = layer.prototypes.slice(position.channel * n, (position.channel + 1) * n);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (input.values[j] - weights[j]) ** 2;
    return { window: { shape: [n], values: input.values.slice(), padding: null }, weights: weights, bias: 0, sum: sum };
  }
  const sparse = layer.type === "SparseConv2D";
  const [kh, kw] = sparse ? layer.kernel_size : layer.pool_size;
  const [sy, sx] = sparse ? [1, 1] : layer.strides;
  const links = sparse ? tableLinks(layer)[position.channel] : [{ channel: position.channel, column: null }];
  const top = position.row * sy;
  const left = position.col * sx;
  const values = new Float32Array(kh * kw * links.length);
  const weights = new Float32Array(kh * kw * links.length);
  const bias = layer.bias[position.channel];
  let sum = bias;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      links.forEach(({ channel, column }, m) => {
        const k = (ky * kw + kx) * links.length + m;
        values[k] = input.values[((top + ky) * inW + left + kx) * inC + channel];
        weights[k] = sparse ? layer.kernel[(ky * kw + kx) * layer.linkCount + column] : layer.coefficient[channel];
        sum += weights[k] * values[k];
      });
    }
  }
  return {
    window: { shape: [kh, kw, links.length], values: values, padding: new Uint8Array(values.length), top: top,
              left: left, channels: sparse ? null : position.channel, maps: links.map((l) => l.channel) },
    weights: weights, bias: bias, sum: sum,
  };
}

/* ---------------------------------------------------------------------------------------------
 * 3. The forward pass: x is the 28×28 input (784 numbers in [0, 1], row by row).
 * ------------------------------------------------------------------------------------------- */
function checkInput(model, x) {
  if (!(x instanceof Float32Array) || x.length !== model.inputSize) {
    throw new TypeError("forward expects a Float32Array(" + model.inputSize + ")");
  }
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError("forward: input value " + bad + " is " + x[bad] + "; every value must be finite");
}

function forward(model, x) {
  checkInput(model, x);
  let current = tensor(model.inputShape, x);
  const layers = [];
  for (const layer of model.layers) {
    current = LAYER_FUNCTIONS[layer.type](current, layer);
    layers.push({ name: layer.name, shape: current.shape.slice(), values: current.values });
  }
  return { layers: layers, probabilities: current.values };
}

/* ---------------------------------------------------------------------------------------------
 * 3b. The same forward pass on the train page's engine (../train/engine.js): its layers, and its matrix
 *     products in WebAssembly with SIMD (../train/kernels.wat), several times faster than section 2's loops.
 *     Used for the networks the engine can run (the lecture's); section 2 stays the readable reference,
 *     the 1998 network's pass, and the fallback where the browser has no WebAssembly SIMD.
 * ------------------------------------------------------------------------------------------- */
const ENGINE_LAYERS = new Set(["Conv2D", "AveragePooling2D", "MaxPooling2D", "Flatten", "Dense"]);
const ENGINE_ACTIVATIONS = new Set(["sigmoid", "relu", "linear", "softmax", undefined]);

function engineCanRun(model) {
  const layers = model.layers;
  return !model.inputScaling && layers[layers.length - 1].activation === "softmax" &&
    layers.every((l) => ENGINE_LAYERS.has(l.type) && ENGINE_ACTIVATIONS.has(l.activation));
}

// An engine network (one image at a time) with the model's weights, its products of the given kind.
function engineNetwork(model, kind) {
  const layers = model.layers;
  // The engine's description of the model (lenet_explain/site/train_data.py's form): each layer's input
  // shape is the shape before it; the tensors are the manifest's, in Keras' order.
  let shape = model.inputShape;
  const spec = layers.map((l) => {
    const entry = Object.assign({}, l, { input_shape: shape, tensors: l.tensors.map((t) => ({ name: t.name, shape: t.shape })) });
    shape = l.output_shape;
    return entry;
  });
  const net = LenetEngine.createNetwork({ input_shape: model.inputShape, layers: spec }, 1, kind);
  const tensors = {};
  for (const l of layers) for (const t of l.tensors) tensors[l.name + "/" + t.name] = l[t.name];
  LenetEngine.fromKeras(net, tensors, net.params);
  return LenetEngine.fixWeights(net);
}

// Section 3's forward(), on the engine: every layer's output, copied out of the engine's buffers.
function forwardOnEngine(model, x) {
  checkInput(model, x);
  const net = model.engine;
  const probabilities = LenetEngine.predict(net, x);
  const layers = model.layers.map((layer, i) => ({
    name: layer.name, shape: layer.output_shape.slice(),
    values: i === model.layers.length - 1 ? probabilities : net.layers[i].out.slice(0, net.layers[i].outSize),
  }));
  return { layers: layers, probabilities: probabilities };
}

/* ---------------------------------------------------------------------------------------------
 * 4. Explaining one unit: what it is computed from. `result` comes from forward(); `index` is
 *    the unit's position in that layer's values. Returns plain data; page.js draws it.
 * ------------------------------------------------------------------------------------------- */
function explainUnit(model, x, result, layerIndex, index) {
  if (!Number.isInteger(layerIndex) || layerIndex < 0 || layerIndex >= model.layers.length) {
    throw new RangeError("explain: no layer " + layerIndex + " (the network has " + model.layers.length + ")");
  }
  const units = result.layers[layerIndex].values.length;
  if (!Number.isInteger(index) || index < 0 || index >= units) {
    throw new RangeError("explain: no unit " + index + " in " + model.layers[layerIndex].name + " (" + units + " units)");
  }
  const layer = model.layers[layerIndex];
  const input = layerIndex === 0
    ? tensor(model.inputShape, x)
    : tensor(result.layers[layerIndex - 1].shape, result.layers[layerIndex - 1].values);
  const inputName = layerIndex === 0 ? "input" : model.layers[layerIndex - 1].name;
  const [, outW, outC] = imageShape(layer.output_shape);
  const position = { row: Math.floor(index / (outW * outC)), col: Math.floor(index / outC) % outW, channel: index % outC };
  const info = {
    layer: layer.name, type: layer.type, index: index, position: position, inputName: inputName,
    activationName: layer.activation || "none", value: result.layers[layerIndex].values[index],
  };
  if (new Set(["SparseConv2D", "Subsampling2D", "EuclideanRBF"]).has(layer.type)) {
    return Object.assign(info, explainUnit1998(layer, input, position));
  }
  if (layer.type === "Conv2D" || layer.type === "AveragePooling2D" || layer.type === "MaxPooling2D") {
    return Object.assign(info, explainWindow(layer, input, position));
  }
  if (layer.type === "Dense") {
    const units = layer.units;
    const weights = new Float32Array(input.values.length);
    for (let i = 0; i < weights.length; i++) weights[i] = layer.kernel[i * units + position.channel];
    let sum = layer.bias[position.channel];
    for (let i = 0; i < weights.length; i++) sum += weights[i] * input.values[i];
    info.window = { shape: [input.values.length], values: input.values.slice(), padding: null };
    info.weights = weights;
    info.bias = layer.bias[position.channel];
    info.sum = sum;
    if (layer.activation === "softmax") info.sums = allDenseSums(layer, input.values);
    return info;
  }
  // Flatten: a copy of one input value.
  info.window = { shape: [1], values: Float32Array.of(input.values[index]), padding: null };
  info.weights = null;
  info.bias = 0;
  info.sum = input.values[index];
  return info;
}

function allDenseSums(layer, inputValues) {
  const sums = [];
  for (let j = 0; j < layer.units; j++) {
    let z = layer.bias[j];
    for (let i = 0; i < inputValues.length; i++) z += inputValues[i] * layer.kernel[i * layer.units + j];
    sums.push(z);
  }
  return sums;
}

// The window of a convolution or pooling unit: the input values it sees (0 where it hangs over
// the padding) and the weights they are multiplied by. Shape (windowHeight, windowWidth, channels).
function explainWindow(layer, input, position) {
  const [inH, inW, inC] = input.shape;
  const isConv = layer.type === "Conv2D";
  const [kh, kw] = isConv ? layer.kernel_size : layer.pool_size;
  const [sy, sx] = layer.strides;
  const [padTop, padLeft] = layer.pad;
  const top = position.row * sy - padTop;
  const left = position.col * sx - padLeft;
  const channels = isConv ? inC : 1; // pooling looks at one channel only
  const values = new Float32Array(kh * kw * channels);
  const weights = new Float32Array(kh * kw * channels);
  const padding = new Uint8Array(kh * kw * channels);
  let sum = isConv ? layer.bias[position.channel] : 0;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let c = 0; c < channels; c++) {
        const k = (ky * kw + kx) * channels + c;
        const iy = top + ky;
        const ix = left + kx;
        const inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
        const inputChannel = isConv ? c : position.channel;
        values[k] = inside ? input.values[(iy * inW + ix) * inC + inputChannel] : 0;
        padding[k] = inside ? 0 : 1;
        weights[k] = isConv
          ? layer.kernel[((ky * kw + kx) * inC + c) * layer.filters + position.channel]
          : layer.type === "AveragePooling2D" ? 1 / (kh * kw) : NaN; // max pooling has no weights
        if (isConv || layer.type === "AveragePooling2D") sum += weights[k] * values[k];
        else sum = Math.max(k === 0 ? -Infinity : sum, values[k]);
      }
    }
  }
  return {
    window: { shape: [kh, kw, channels], values: values, padding: padding, top: top, left: left,
              channels: isConv ? null : position.channel },
    weights: layer.type === "MaxPooling2D" ? null : weights,
    bias: isConv ? layer.bias[position.channel] : 0,
    sum: sum,
  };
}

/* ---------------------------------------------------------------------------------------------
 * 5. Loading: the manifest says where each tensor is in the weights file; the sha256 proves the
 *    file is the one the manifest was written for.
 * ------------------------------------------------------------------------------------------- */
// The page's address chooses the network: visualizer/?model=lenet1998 is the paper's, anything else the lecture's.
const MANIFESTS = { lecture: "lenet5_manifest.json", lenet1998: "lenet1998_manifest.json" };

function chosenModel() {
  const name = new URLSearchParams(location.search).get("model");
  return name !== null && Object.hasOwn(MANIFESTS, name) ? name : "lecture";
}

// Errors a reader sees (the page shows them) in the page's language (docs/i18n/).
const say = (key, params) => section("visualizer")(key, params);

// One network by name ("lecture" or "lenet1998"), its files next to this module; the invariance lab (../lab/)
// loads both through it.
export async function loadModel(name) {
  return load(baseUrl, name);
}

async function load(baseUrl, name) {
  const manifestResponse = await fetch(new URL(MANIFESTS[name], baseUrl));
  if (!manifestResponse.ok) throw new Error(say("no_manifest", { status: manifestResponse.status }));
  const manifest = await manifestResponse.json();
  const weightsResponse = await fetch(new URL(manifest.weights.file, baseUrl));
  if (!weightsResponse.ok) throw new Error(say("no_weights", { status: weightsResponse.status }));
  const buffer = await weightsResponse.arrayBuffer();
  const digest = await sha256Hex(buffer);
  if (buffer.byteLength !== manifest.weights.bytes || digest !== manifest.weights.sha256) {
    throw new Error(say("weights_mismatch", { sha: digest.slice(0, 12) }));
  }
  if (new Uint8Array(Float32Array.of(1).buffer)[3] !== 0x3f) {
    throw new Error(say("big_endian"));
  }
  usePreprocessing(manifest.preprocessing);
  if (manifest.scaled_tanh) useScaledTanh(manifest.scaled_tanh);
  const model = buildModel(manifest, buffer, name);
  // The engine's WebAssembly products where the browser has them (kinds "wasm" or "js"); none for the 1998 network.
  const kernels = engineCanRun(model) ? await LenetEngine.loadKernels("wasm") : "js";
  model.engine = kernels === "wasm" ? engineNetwork(model, kernels) : null;
  model.kernels = model.engine ? kernels : "js";
  return model;
}

function buildModel(manifest, buffer, name) {
  const layers = manifest.layers.map((entry) => {
    const layer = Object.assign({}, entry);
    for (const t of entry.tensors) layer[t.name] = new Float32Array(buffer, t.offset, t.count);
    return layer;
  });
  return {
    manifest: manifest,
    layers: layers,
    inputShape: manifest.input_shape,
    inputSize: manifest.input_shape.reduce((a, b) => a * b, 1),
    name: name,
    inputScaling: manifest.input_scaling || null, // the 1998 network: pad and scale the 28×28 digit
  };
}

/* ---------------------------------------------------------------------------------------------
 * window.lenet: the functions the page and the tests use.
 * ------------------------------------------------------------------------------------------- */
const baseUrl = new URL(".", import.meta.url);
const api = {
  model: null,
  preprocess: preprocess,
  forward: (x) => forwardModel(api.model, x),
  // Section 3's plain-JavaScript pass, whichever pass forward() uses ("wasm" or "js": api.model.kernels).
  forwardPlain: (x) => forwardModel(Object.assign({}, api.model, { engine: null }), x),
  // The 1998 network's first layer reads the scaled 32×32 input that forward() returns, not x itself.
  explain: (x, result, layerIndex, index) =>
    explainUnit(api.model, result.input ? result.input.values : x, result, layerIndex, index),
  sha256Hex: sha256Hex,
  sha256HexPlain: sha256HexPlain,
  NoInkError: NoInkError,
};
// The visualizer's page (and only it) loads the network its address names, at once.
if (document.getElementById("lv-root")) {
  api.ready = load(baseUrl, chosenModel()).then((model) => {
    api.model = model;
    return model;
  });
  window.lenet = api;
}
