/*
 * The trainer on the page: loads the manifest and the MNIST files (checking their sha256), starts the
 * training workers (worker.js), passes their reports on, and keeps the latest weights to answer
 * predict(). window.lenetTrainer is what the page (page.js), the benchmark and the tests use:
 *
 *   ready                     a Promise: the manifest and the data are loaded and checked
 *   run({model, seed, seconds, steps, batchSize, learningRate, workers, kernels, evaluateEvery})
 *                             trains from a fresh seeded start for `seconds` of training (or `steps` steps),
 *                             then measures the test digits; resolves to
 *                             {samples, seconds, test_accuracy, test_size, loss, workers_used, kernels, ...}
 *                             workers: "auto" (the default: two on a computer with two cores or more, and the
 *                             leader measures whether the second one helps), 1, or 2 (both, always);
 *                             kernels: "wasm" (the default) or "js", the engine's matrix products
 *   predict(Float32Array(784))  the 10 probabilities of the model as it last stopped (paused or finished)
 *   start(options) / pause() / resume() / reset()   what the page's buttons do
 *   read(Float32Array(784) or null)  a drawing for the leader to read while it trains (in each progress report)
 *   on(type, listener)        "state", "progress", "evaluation", "error" ({message, key, values})
 *
 * The page's thread does no training work: the workers send small reports, and all the weights only when
 * they stop (for predict()).
 *
 * Its errors are in English; the ones a reader may meet (TrainerError) also carry `key` and `values`: the same
 * sentence in the word tables' "train" section (docs/i18n/), which the page says in its language.
 * A module: the engine from engine.js (also window.LenetEngine), the data loaded and checked by data.js.
 */
import { TrainerError, checkedModel, checkedRate, checkedSeed, isWhole, loadManifest, loadSplit } from "./data.js";
import { LenetEngine as E } from "./engine.js";

(function () {

  const SAMPLES_PER_POINT = 320; // one point of the loss and accuracy curves per this many training digits
  const MAX_RUN_SECONDS = 3600; // run(): an hour of training at most, so a run always ends
  const MAX_RUN_STEPS = 10_000_000;

  const listeners = { state: [], progress: [], evaluation: [], error: [] };
  const api = {};
  let session = null; // the current training run: its workers, settings and latest results
  let runs = 0;

  function on(type, listener) {
    listeners[type].push(listener);
  }

  function emit(type, detail) {
    for (const listener of listeners[type]) listener(detail);
  }

  /* ------------------------------------------------------------------ loading and checking the data (data.js) */
  async function load() {
    const manifest = await loadManifest();
    const [train, test] = await Promise.all([loadSplit(manifest.data.train), loadSplit(manifest.data.test)]);
    api.manifest = manifest;
    api.data = { train: train, test: test };
    // predict() on this page's thread uses the engine's plain-JavaScript products (one digit: no need for more).
    if (E.loadKernels) await E.loadKernels("js");
    return api;
  }

  /* ------------------------------------------------------------------ settings */
  function settings(options) {
    const m = api.manifest;
    const o = options || {};
    const model = checkedModel(m, o.model);
    const batchSize = o.batchSize === undefined ? m.recipe.batch_size : o.batchSize;
    if (!isWhole(batchSize, 1, 512)) {
      throw new TrainerError("batch size must be 1 to 512", "err_batch", { min: 1, max: 512 });
    }
    const learningRate = checkedRate(m, o.learningRate);
    const seed = checkedSeed(m, o.seed);
    const cores = navigator.hardwareConcurrency || 2;
    const asked = o.workers === undefined ? "auto" : o.workers;
    if (asked !== 1 && asked !== 2 && asked !== "auto") throw new Error("workers must be 1, 2 or \"auto\"");
    const workers = asked === "auto" ? (cores > 1 ? 2 : 1) : asked;
    const kernels = o.kernels === undefined ? "wasm" : o.kernels;
    if (kernels !== "wasm" && kernels !== "js") throw new Error("kernels must be \"wasm\" or \"js\"");
    const epochs = o.epochs === undefined ? m.recipe.epochs : o.epochs;
    if (!isWhole(epochs, 0, Number.MAX_SAFE_INTEGER)) throw new Error("epochs must be a whole number ≥ 0");
    const evaluateEvery = o.evaluateEvery === undefined ? Math.ceil(m.recipe.evaluate_every / batchSize) : o.evaluateEvery;
    if (!isWhole(evaluateEvery, 0, Number.MAX_SAFE_INTEGER)) throw new Error("evaluateEvery must be a whole number ≥ 0");
    return {
      model: model, seed: seed, batchSize: batchSize, learningRate: learningRate, workers: workers,
      chooseWorkers: asked === "auto" && workers === 2, kernels: kernels,
      epochs: epochs, evaluateEvery: evaluateEvery,
      reportEvery: Math.max(1, Math.round(SAMPLES_PER_POINT / batchSize)),
    };
  }

  /* ------------------------------------------------------------------ a training session */
  function setStatus(s, status) {
    s.status = status;
    emit("state", { status: status, config: s.config, samples: s.samples, seconds: s.seconds, step: s.step,
      reason: s.reason });
  }

  function start(options) {
    const config = settings(options);
    reset();
    const s = {
      id: ++runs, config: config, status: "starting", workers: [], points: [], evaluations: [],
      samples: 0, seconds: 0, step: 0, epoch: 0, params: null, c1: null, drawing: 0, reading: null, kernels: null,
      workersUsed: null, reason: null, stopped: null, failure: null,
      net: E.createNetwork(api.manifest.models[config.model], 1), // for predict() on this page
    };
    session = s;
    const channel = config.workers === 2 ? new MessageChannel() : null;
    const ready = [];
    for (let role = 0; role < config.workers; role++) {
      const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
      s.workers.push(worker);
      ready.push(new Promise((resolve, reject) => {
        worker.onmessage = (event) => {
          if (event.data.type === "ready") {
            if (event.data.role === 0) s.kernels = event.data.kernels;
            resolve();
          }
          else onWorkerMessage(s, event.data);
        };
        worker.onerror = (event) => {
          event.preventDefault();
          const error = event.message ? new Error(event.message) // the browser's own words
            : new TrainerError("a training worker failed", "err_worker");
          reject(error);
          fail(s, error);
        };
      }));
      const port = channel ? (role === 0 ? channel.port1 : channel.port2) : null;
      // Each worker gets its own copy of the compressed files (already checked) and inflates them itself:
      // the page's thread copies a few megabytes instead of the digits' tens.
      const data = {};
      const buffers = port ? [port] : [];
      for (const split of ["train", "test"]) {
        const d = api.data[split];
        data[split] = { compressed: d.compressed.slice(0), compression: d.compression, count: d.count, rawBytes: d.rawBytes };
        buffers.push(data[split].compressed);
      }
      worker.postMessage({
        type: "init", role: role, workers: config.workers, port: port, model: api.manifest.models[config.model],
        optimizer: api.manifest.optimizer, config: config, data: data,
      }, buffers);
    }
    s.started = Promise.all(ready);
    setStatus(s, "starting");
    return s;
  }

  function onWorkerMessage(s, message) {
    if (s !== session) return; // a report from a run that was reset
    if (message.type === "progress") {
      s.points.push(...message.points);
      s.samples = message.samples;
      s.seconds = message.seconds;
      s.step = message.step;
      s.epoch = message.epoch;
      s.c1 = message.c1;
      s.reading = message.reading && message.reading.id === s.drawing ? message.reading.probabilities : null;
      emit("progress", { points: message.points, samples: s.samples, seconds: s.seconds, step: s.step,
        epoch: s.epoch, config: s.config, c1: message.c1, reading: s.reading });
    } else if (message.type === "evaluation") {
      const evaluation = { step: message.step, samples: message.samples, accuracy: message.accuracy,
        loss: message.loss, guesses: message.guesses };
      s.evaluations.push(evaluation);
      emit("evaluation", Object.assign({ config: s.config }, evaluation));
    } else if (message.type === "stopped") {
      s.reason = message.reason;
      s.samples = message.samples;
      s.seconds = message.seconds;
      s.step = message.step;
      s.params = message.params;
      s.workersUsed = message.workersUsed;
      setStatus(s, message.reason === "paused" ? "paused" : "finished");
      if (s.stopped) s.stopped.resolve(message);
    } else if (message.type === "error") {
      fail(s, message.key ? new TrainerError(message.message, message.key, message.values) : new Error(message.message));
    }
  }

  function fail(s, error) {
    if (s.failure) return;
    s.failure = error;
    for (const worker of s.workers) worker.terminate();
    setStatus(s, "error");
    emit("error", { message: error.message, key: error.key, values: error.values });
    if (s.stopped) s.stopped.reject(error);
  }

  // Train until the workers stop (pause, time, steps or epochs); resolves to the leader's "stopped" report.
  async function go(s, limits) {
    await s.started;
    if (s.failure) throw s.failure;
    const stopped = new Promise((resolve, reject) => (s.stopped = { resolve: resolve, reject: reject }));
    setStatus(s, "running");
    s.workers[0].postMessage({ type: "run", seconds: limits.seconds || 0, steps: limits.steps || 0 });
    return stopped;
  }

  // The leader stops after the step under way; until it says so, the status is "pausing".
  function pause() {
    if (!session || session.status !== "running") return;
    session.workers[0].postMessage({ type: "pause" });
    setStatus(session, "pausing");
  }

  // A drawing for the leader to read with each progress report while it trains (null: none).
  function read(x) {
    if (!session) return;
    session.drawing += 1; // a reading of an earlier drawing, still on its way, is not this one's
    session.reading = null;
    session.workers[0].postMessage({ type: "read", id: session.drawing, x: x ? x.slice() : null });
  }

  function resume() {
    if (session && session.status === "paused") return go(session, {});
    return null;
  }

  function reset() {
    if (!session) return;
    for (const worker of session.workers) worker.terminate();
    const old = session;
    session = null;
    if (old.stopped && (old.status === "running" || old.status === "pausing")) old.stopped.reject(new TrainerError("the run was reset", "err_reset"));
    emit("state", { status: "idle", config: old.config });
  }

  /* ------------------------------------------------------------------ the testing contract */
  async function run(options) {
    await api.ready;
    const o = Object.assign({ epochs: 0, evaluateEvery: 0 }, options);
    const seconds = o.seconds === undefined ? 0 : o.seconds;
    const steps = o.steps === undefined ? 0 : o.steps;
    if (typeof seconds !== "number" || !(seconds >= 0 && seconds <= MAX_RUN_SECONDS)) {
      throw new Error("seconds must be a number from 0 to " + MAX_RUN_SECONDS);
    }
    if (!isWhole(steps, 0, MAX_RUN_STEPS)) throw new Error("steps must be a whole number from 0 to " + MAX_RUN_STEPS);
    if (!(seconds > 0) && !(steps > 0)) throw new Error("run needs seconds > 0 or steps > 0");
    const s = start(o);
    const stopped = await go(s, { seconds: seconds, steps: steps });
    const last = s.evaluations[s.evaluations.length - 1];
    return {
      model: s.config.model, seed: s.config.seed, batch_size: s.config.batchSize,
      learning_rate: s.config.learningRate, workers: s.config.workers, workers_used: stopped.workersUsed,
      kernels: s.kernels,
      samples: stopped.samples, steps: stopped.step, seconds: stopped.runSeconds,
      samples_per_second: stopped.samples / stopped.runSeconds,
      test_accuracy: last.accuracy, test_loss: last.loss, test_size: last.guesses.length,
      loss: s.points.map((p) => p.loss), accuracy: s.points.map((p) => p.accuracy),
      points_every: s.config.reportEvery, helped_steps: stopped.helped, stolen_shards: stopped.stolen, rates: stopped.rates,
    };
  }

  function predict(x) {
    const s = session;
    if (!s || !s.params) throw new Error("nothing trained yet: start or run first");
    const size = api.manifest.models[s.config.model].input_shape.reduce((a, b) => a * b, 1);
    if (!(x instanceof Float32Array) || x.length !== size || !x.every((v) => v >= 0 && v <= 1)) {
      throw new Error("predict takes a Float32Array of " + size + " pixels from 0 to 1");
    }
    s.net.params.set(s.params);
    return E.predict(s.net, x);
  }

  Object.assign(api, {
    engine: E, on: on, start: start, go: go, pause: pause, resume: resume, reset: reset, run: run, read: read,
    predict: predict, settings: settings,
    session: () => session,
  });
  api.ready = load();
  // The page reports a failed load (it waits on api.ready), but its module may start after the failure: without
  // this, the browser would call the rejection unhandled in the meantime.
  api.ready.catch(() => {});
  window.lenetTrainer = api;
  window.LenetEngine = E; // as when engine.js was a classic script: for the tests and the console
})();
