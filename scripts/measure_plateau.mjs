/*
 * The first steps of training, measured layer by layer: the train page's run (docs/train/worker.js) with its
 * defaults, replayed in node with the engine's plain-JavaScript products. scripts/measure_plateau.py runs it and
 * writes docs/learn/plateau.json; tests/test_plateau.py runs it again for a few steps and compares.
 *
 *   node scripts/measure_plateau.mjs <docs/train folder> <steps> <probe every k steps>
 *
 * Prints one JSON object. For each model (lecture, modern) and each step t = 1 … steps (Adam's t):
 *   loss[t−1]     the batch's mean loss at the weights before step t
 *   per layer with weights (its kernel only), at step 1 and every k steps (the steps are in `at`):
 *     grad        RMS of the batch's gradient g_t
 *     step        RMS of Adam's change of the weights, w_t − w_{t−1}
 *     weight      RMS of the weights before the step, w_{t−1}
 *     ratio       mean of |m̂|/√v̂ after step t (m and v with Keras' bias corrections): 1 when every batch
 *                 pushes a weight the same way, near 0 when the pushes cancel
 *   probe, every k steps from 0 (after t steps): on the first PROBE test digits, the spread of F6's outputs
 *   (for each unit the standard deviation over the digits, averaged over the units; `spreads`: the same for
 *   C1, C3, C5 and F6), the accuracy and the loss.
 * Numbers are rounded to 6 significant digits (the run itself is exact: the same inputs give the same numbers).
 */
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [folder, stepsArg, everyArg] = process.argv.slice(2);
const STEPS = Number(stepsArg);
const EVERY = Number(everyArg);
const PROBE = 200; // test digits whose F6 outputs are compared
const SHARDS = 2; // as worker.js: every batch in two halves, added in order
const { LenetEngine: E } = await import(pathToFileURL(join(folder, "engine.js")).href);

const manifest = JSON.parse(readFileSync(join(folder, "train_manifest.json"), "utf8"));
function load(entry) {
  const raw = inflateRawSync(readFileSync(join(folder, entry.file)));
  return { labels: raw.subarray(0, entry.count), images: raw.subarray(entry.count) };
}
const train = load(manifest.data.train);
const test = load(manifest.data.test);
const round = (x) => Number(x.toPrecision(6));

// The spread of a layer's outputs over the probe digits: for each output (unit, or map position), the standard
// deviation over the digits, averaged over the outputs.
function spreadOf(layer) {
  const U = layer.outSize;
  let spread = 0;
  for (let u = 0; u < U; u++) {
    let mean = 0;
    for (let b = 0; b < PROBE; b++) mean += layer.out[b * U + u];
    mean /= PROBE;
    let square = 0;
    for (let b = 0; b < PROBE; b++) square += (layer.out[b * U + u] - mean) ** 2;
    spread += Math.sqrt(square / PROBE);
  }
  return round(spread / U);
}

// At the weights `params`: the spread of F6's outputs over the probe digits (and of every hidden layer with
// weights: `spreads`), their accuracy and mean loss.
function probe(net, params) {
  net.params.set(params);
  const out = new Float32Array(PROBE * net.classes);
  const result = E.predictBatch(net, test.images, 0, PROBE, out, test.labels);
  const spreads = {};
  for (const layer of net.layers) if (layer.kernelOffset !== undefined && layer.activation !== "softmax") {
    spreads[layer.name] = spreadOf(layer);
  }
  return { spread: spreads.F6, spreads: spreads, accuracy: result.correct / PROBE, loss: round(result.loss / PROBE) };
}

function measure(name) {
  const { recipe, optimizer } = manifest;
  const batch = recipe.batch_size;
  const net = E.createNetwork(manifest.models[name], Math.ceil(batch / SHARDS), "js");
  E.initialize(net, recipe.seed);
  const adam = E.createAdam(net.parameters, optimizer);
  const probeNet = E.createNetwork(manifest.models[name], PROBE, "js");
  const n = train.labels.length;
  const next = E.random(recipe.seed, E.ORDER_STREAM);
  let order = null;
  let inEpoch = Infinity;
  const grads = [new Float32Array(net.parameters), new Float32Array(net.parameters)];
  const total = new Float32Array(net.parameters);
  const layers = net.layers.filter((layer) => layer.kernelOffset !== undefined);
  const series = layers.map((layer) => ({ name: layer.name, count: layer.biasOffset - layer.kernelOffset,
    grad: [], step: [], weight: [], ratio: [] }));
  const at = []; // the steps the layers' numbers are measured at
  const loss = [];
  const probes = [Object.assign({ step: 0 }, probe(probeNet, net.params))];
  for (let t = 1; t <= STEPS; t++) {
    if (inEpoch * batch >= n) { // a new epoch: a new order, as worker.js's newEpoch
      order = E.shuffle(Uint32Array.from({ length: n }, (_, i) => i), next);
      inEpoch = 0;
    }
    const from = inEpoch * batch;
    const count = Math.min(batch, n - from);
    inEpoch += 1;
    const sizes = E.shardSizes(count, SHARDS);
    const r0 = E.shardGradient(net, train.images, train.labels, order, from, sizes[0], count, grads[0]);
    const r1 = E.shardGradient(net, train.images, train.labels, order, from + sizes[0], sizes[1], count, grads[1]);
    E.addInto(total, grads[0], grads[1]);
    loss.push(round((r0.loss + r1.loss) / count));
    const before = net.params.slice();
    E.adamStep(adam, net.params, total);
    if (t !== 1 && t % EVERY !== 0) continue;
    at.push(t);
    const c1 = 1 - Math.pow(Math.fround(adam.beta1), t), c2 = 1 - Math.pow(Math.fround(adam.beta2), t);
    layers.forEach((layer, i) => {
      let g2 = 0, d2 = 0, w2 = 0, ratio = 0;
      for (let j = layer.kernelOffset; j < layer.biasOffset; j++) {
        g2 += total[j] ** 2;
        d2 += (net.params[j] - before[j]) ** 2;
        w2 += before[j] ** 2;
        const v = adam.v[j] / c2;
        ratio += v > 0 ? Math.abs(adam.m[j] / c1) / Math.sqrt(v) : 0;
      }
      const s = series[i];
      s.grad.push(round(Math.sqrt(g2 / s.count)));
      s.step.push(round(Math.sqrt(d2 / s.count)));
      s.weight.push(round(Math.sqrt(w2 / s.count)));
      s.ratio.push(round(ratio / s.count));
    });
    if (t % EVERY === 0) probes.push(Object.assign({ step: t }, probe(probeNet, net.params)));
  }
  return { loss: loss, at: at, layers: series, probes: probes };
}

const models = {};
for (const name of ["lecture", "modern"]) models[name] = measure(name);
process.stdout.write(JSON.stringify({
  steps: STEPS, probe_every: EVERY, probe_digits: PROBE, shards: SHARDS, seed: manifest.recipe.seed,
  batch_size: manifest.recipe.batch_size, learning_rate: manifest.optimizer.learning_rate, models: models,
}));
