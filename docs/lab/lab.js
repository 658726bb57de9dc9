/*
 * The invariance lab's engine, window.lenetLab: both networks (the visualizer's lenet.js), the transforms
 * (transforms.js), each unit's favourite test digits and the occlusion map. page.js draws; the tests call the same
 * functions. Pixels are 784 numbers, 28×28 row by row, 0 background to 1 ink (MNIST ÷ 255). Indices of test digits
 * count from 0 in the official order (the page counts from 1).
 *
 *   lenetLab.ready                      a Promise: both networks and lab_data.json loaded and checked
 *   lenetLab.transform(pixels, {dx, dy, rotate, scale, thickness, noise, affine, elastic, seed})  → 784 values
 *   lenetLab.topDigits({model, layer, unit, k})   → the k (≤ 9) test digits on which the unit is most active
 *   lenetLab.occlusion(pixels, {model, patch, cls})  → (29 − patch)² values, row by row: entry (r, c)
 *       is p(cls | x) − p(cls | x with the patch×patch square whose top-left pixel is (r, c) set to 0)
 */
import { section } from "../i18n/i18n.js";
import { sha256Hex } from "../shared/sha256.js";
import { forwardModel, loadModel } from "../visualizer/lenet.js";
import { transform as applyTransforms } from "./transforms.js";

const here = new URL(".", import.meta.url);
const say = (key, params) => section("lab")(key, params);
const SIDE = 28;
const CHUNK_MS = 12; // occlusion: forward passes between two looks at the page, at most this long

const lab = {
  data: null, models: new Map(), digits: new Map(),
  forward: (model, x) => forwardModel(modelNamed(model), x),
};

function modelNamed(name) {
  if (!lab.models.has(name)) throw new RangeError("no model " + JSON.stringify(name) + " (lecture or lenet1998)");
  return lab.models.get(name);
}

async function fetchOk(file) {
  const response = await fetch(new URL(file, here));
  if (!response.ok) throw new Error(say("err_load", { file: file, status: response.status }));
  return response;
}

// The shipped test digits: raw DEFLATE of labels then images, checked against the sha256 in lab_data.json.
async function loadDigits(entry) {
  const compressed = await (await fetchOk(entry.file)).arrayBuffer();
  const digest = await sha256Hex(compressed);
  if (compressed.byteLength !== entry.bytes || digest !== entry.sha256) {
    throw new Error(say("err_checksum", { file: entry.file, digest: digest.slice(0, 12) }));
  }
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  if (raw.length !== entry.raw_bytes) throw new Error(say("err_checksum", { file: entry.file, digest: digest.slice(0, 12) }));
  const n = entry.count;
  entry.indices.forEach((index, i) => {
    const pixels = Float32Array.from(raw.subarray(n + i * SIDE * SIDE, n + (i + 1) * SIDE * SIDE), (v) => v / 255);
    lab.digits.set(index, { index: index, label: raw[i], pixels: pixels });
  });
}

async function load() {
  lab.data = await (await fetchOk("lab_data.json")).json();
  const [lecture, paper] = await Promise.all([loadModel("lecture"), loadModel("lenet1998"), loadDigits(lab.data.digits)]);
  lab.models.set("lecture", lecture);
  lab.models.set("lenet1998", paper);
  return lab;
}

function transform(pixels, options) {
  return applyTransforms(pixels, options, lab.data.conventions);
}

function unitList(model, layer) {
  const top = lab.data.units.top;
  if (!Object.hasOwn(top, model)) throw new RangeError("no model " + JSON.stringify(model));
  if (!Object.hasOwn(top[model], layer)) throw new RangeError("no layer " + JSON.stringify(layer) + " (C1, C3, C5, F6)");
  return top[model][layer];
}

// Each entry: {index, label, row, col, activation, patch: {top, left, bottom, right}} (the unit's receptive field
// where its largest value is, on the 28×28 digit; bottom and right excluded; it may reach past the picture).
function topEntries({ model, layer, unit, k }) {
  const units = unitList(model, layer);
  if (!Number.isInteger(unit) || unit < 0 || unit >= units.length) {
    throw new RangeError(layer + " has units 0 to " + (units.length - 1));
  }
  const count = k === undefined ? lab.data.units.k : k;
  if (!Number.isInteger(count) || count < 1 || count > lab.data.units.k) throw new RangeError("k must be 1 to " + lab.data.units.k);
  const field = lab.data.units.fields[model][layer];
  return units[unit].slice(0, count).map(([index, row, col, activation]) => {
    const top = field.first[0] + row * field.jump[0];
    const left = field.first[1] + col * field.jump[1];
    return { index: index, label: lab.digits.get(index).label, row: row, col: col, activation: activation,
      patch: { top: top, left: left, bottom: top + field.size[0], right: left + field.size[1] } };
  });
}

// The probability the model gives class cls (the 1998 network: a softmax over −penalty, as on the visualizer).
function probabilityOf(model, x, cls) {
  return forwardModel(model, x).probabilities[cls];
}

// The occlusion map, one row of positions at a time (a generator: occlusion() runs it through at once, the page in
// chunks between which it draws). Its value is the map: (29 − patch)² numbers, row by row.
function* occlusionRows(pixels, { model, patch, cls } = {}) {
  const net = modelNamed(model || "lecture");
  const p = patch === undefined ? 4 : patch;
  if (!Number.isInteger(p) || p < 1 || p > SIDE) throw new RangeError("patch must be 1 to " + SIDE);
  const x = Float32Array.from(pixels);
  if (x.length !== SIDE * SIDE) throw new RangeError("occlusion expects 784 numbers");
  const probabilities = forwardModel(net, x).probabilities;
  const target = cls === undefined ? probabilities.indexOf(Math.max(...probabilities)) : cls;
  if (!Number.isInteger(target) || target < 0 || target > 9) throw new RangeError("cls must be a digit 0 to 9");
  const base = probabilities[target];
  const positions = SIDE + 1 - p;
  const out = new Float64Array(positions * positions);
  const covered = new Float32Array(x.length);
  for (let r = 0; r < positions; r++) {
    for (let c = 0; c < positions; c++) {
      covered.set(x);
      for (let dr = 0; dr < p; dr++) covered.fill(0, (r + dr) * SIDE + c, (r + dr) * SIDE + c + p);
      out[r * positions + c] = base - probabilityOf(net, covered, target);
    }
    yield r;
  }
  return Array.from(out);
}

// The testing contract's occlusion: the whole map at once.
function occlusion(pixels, options) {
  const rows = occlusionRows(pixels, options);
  let step = rows.next();
  while (!step.done) step = rows.next();
  return step.value;
}

// The same map for the page, in chunks of at most CHUNK_MS, so the page can draw and answer in between.
async function occlusionInChunks(pixels, options) {
  const rows = occlusionRows(pixels, options);
  let start = performance.now();
  let step = rows.next();
  while (!step.done) {
    if (performance.now() - start > CHUNK_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      start = performance.now();
    }
    step = rows.next();
  }
  return step.value;
}

const api = {
  ready: null,
  transform: transform,
  topDigits: (query) => topEntries(query).map((e) => e.index),
  topEntries: topEntries,
  occlusion: occlusion,
  occlusionInChunks: occlusionInChunks,
  digit: (index) => lab.digits.get(index) || null,
  lab: lab,
};
api.ready = load().then(() => api);
window.lenetLab = api;
