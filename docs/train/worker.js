/*
 * A training worker. The page (trainer.js) starts one or two of them. Every batch is split into two
 * shards; the gradient of the batch is shard 0's + shard 1's, added in that order, then Adam takes a step.
 * Who computes a shard never changes its numbers, so one worker or two give the same weights to the last bit.
 *
 * With two workers, worker 0 (the leader) computes shard 0 and worker 1 (the helper) shard 1, at the same
 * time on two cores. The leader waits a moment for the helper's shard; if it does not come (the helper's
 * core is busy with other work), the leader computes shard 1 itself rather than stall. It then sends both
 * shards to the helper, and both apply the same Adam step: their weights stay identical without being sent.
 * A helper that fell behind only applies the steps it missed (cheap) until it has caught up.
 *
 * Whether two workers are quicker than one depends on the machine and its load, so the leader measures it:
 * after a warm-up it times a window of steps with the helper and one without, keeps the quicker way, and
 * tries the other way again now and then. Without help the leader trains alone and sends the helper nothing:
 * the helper sleeps, using no processor time, until the leader wants it again and sends it the weights and
 * Adam's state once ("sync"). The page's thread never trains: the leader posts it small reports, at most
 * every POST_EVERY_MS (the new points of the curves, the counters, C1's weights), the guesses on the test
 * digits after each test, and all the weights only when it stops (pause, time, steps, epochs).
 *
 * A pause takes effect after the step under way: the leader reads the page's messages between two steps,
 * and between two slices of a test of the test digits (a test under way when the pause comes is dropped).
 * It stops, reports, and only then tests the model as it was paused (dropped if the page resumes first).
 *
 * Messages from the page: init {role, workers, port, model, optimizer, data, config} to both, then
 * run {seconds, steps} (start or resume), pause and read {id, x} (a drawing to read while training, or null)
 * to the leader only.
 * Messages to the page: ready {role, kernels}, progress {points, step, samples, seconds, epoch, c1, reading},
 * evaluation {step, samples, accuracy, loss, guesses}, stopped {reason, params, workersUsed, ...},
 * error {message}.
 * Between the workers: "sync" (leader → helper: the weights and Adam's state; help from this step on),
 * "shard" (helper → leader: shard 1 of a step), "step" (leader → helper: both shards and what comes next),
 * "tested" (helper → leader: its half of the test digits).
 */
import { LenetEngine as E } from "./engine.js";

(function () {
  const SHARDS = 2; // a batch is always split in two, whether one worker computes both halves or two do
  const POST_EVERY_MS = 250; // progress reports to the page, at most this often
  const SLICE_MS = 8; // a test of the test digits reads the page's messages after this much work
  const MIN_WAIT_MS = 1; // how long the leader waits for the helper's shard: at least this,
  const WAIT_FRACTION = 0.5; // and up to this fraction of the time its own shard took
  const WARM_UP_STEPS = 10; // the first steps are slow (the JavaScript engine compiles): not timed
  const WINDOW_STEPS = 25; // the leader times this many steps with help and without, and keeps the quicker
  const RETRY_EVERY = 8; // windows; then it tries the other way again (the machine's load changes)
  let S = null; // this worker's whole state, made by init
  let drawing = null; // the leader: the page's drawing to read with each report, {id, x} (it may come before init)

  /* --------------------------------------------------------------------- messages between workers */
  const inbox = []; // messages from the other worker not yet taken
  let wake = null; // resolves the wait of whoever waits for a message

  function onPeer(message) {
    inbox.push(message);
    if (wake) wake();
  }

  // Take the message of this type for this step, if it is here (older ones are stale: drop them).
  // A "sync" is taken whatever its step.
  function take(type, step) {
    for (let i = 0; i < inbox.length; i++) {
      const m = inbox[i];
      if (m.type !== type) continue;
      if (type === "sync" || m.step === step) return inbox.splice(i, 1)[0];
      if (m.step < step) inbox.splice(i--, 1);
    }
    return null;
  }

  // Wait for the message of this type and step, at most `ms` milliseconds (forever without a limit).
  async function receive(type, step, ms) {
    const deadline = ms === undefined ? Infinity : performance.now() + ms;
    for (;;) {
      const found = take(type, step);
      if (found || performance.now() >= deadline) return found;
      await new Promise((resolve) => {
        wake = resolve;
        if (deadline !== Infinity) setTimeout(resolve, Math.max(0, deadline - performance.now()));
      });
      wake = null;
    }
  }

  // Let messages from the page in between two steps (a pause, say).
  const tick = new MessageChannel();
  let ticked = null;
  tick.port1.onmessage = () => ticked();
  function yieldToEvents() {
    return new Promise((resolve) => {
      ticked = resolve;
      tick.port2.postMessage(0);
    });
  }

  /* --------------------------------------------------------------------- set-up */
  // One data file (labels, then images), inflated here by the browser itself.
  async function inflate(entry) {
    const stream = new Blob([entry.compressed]).stream().pipeThrough(new DecompressionStream(entry.compression));
    const raw = new Uint8Array(await new Response(stream).arrayBuffer());
    if (raw.length !== entry.rawBytes) {
      throw Object.assign(new Error("a data file has the wrong size once inflated"), { key: "err_worker_size" });
    }
    return { labels: raw.subarray(0, entry.count), images: raw.subarray(entry.count) };
  }

  async function init(message) {
    const config = message.config;
    // The engine's matrix products: WebAssembly or plain JavaScript, when the engine offers the choice.
    const kernels = E.loadKernels ? await E.loadKernels(config.kernels) : "js";
    const [train, test] = await Promise.all([inflate(message.data.train), inflate(message.data.test)]);
    const trainCount = train.labels.length;
    const net = E.createNetwork(message.model, Math.ceil(config.batchSize / SHARDS));
    const adam = E.createAdam(net.parameters, message.optimizer);
    adam.learningRate = config.learningRate;
    S = {
      role: message.role, workers: message.workers, port: message.port, config: config, net: net, adam: adam,
      kernels: kernels,
      trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels,
      next: E.random(config.seed, E.ORDER_STREAM), // the order of the digits, epoch after epoch
      order: new Uint32Array(trainCount), trainCount: trainCount,
      grads: [new Float32Array(net.parameters), new Float32Array(net.parameters)],
      total: new Float32Array(net.parameters),
      probabilities: new Float32Array(net.maxBatch * net.classes),
      step: 0, epoch: 0, stepInEpoch: 0, samples: 0, seconds: 0, shardMs: 0, stolen: 0, helped: 0,
      helping: message.workers === 2, // the leader: does the helper compute shard 1 of this step?
      helperInSync: false, // the leader: is the helper's state this step's (no sync needed)? Not before a run.
      window: { steps: 0, samples: 0, ms: 0, count: 0, rate: { duo: 0, solo: 0 } },
      running: false, pauseRequested: false, resumeRequested: false, afterPause: null,
      limits: { seconds: Infinity, steps: Infinity },
      points: [], interval: { loss: 0, correct: 0, samples: 0, steps: 0 }, lastPost: 0,
    };
    E.initialize(net, config.seed); // the same first weights in both workers
    newEpoch();
    if (S.port) S.port.onmessage = (event) => onPeer(event.data);
    if (S.role === 1) follow().catch(fail);
  }

  function newEpoch() {
    for (let i = 0; i < S.trainCount; i++) S.order[i] = i;
    E.shuffle(S.order, S.next);
    S.stepInEpoch = 0;
  }

  // The next batch: its first position in the shuffled order and its size (the last one may be short).
  function nextBatch() {
    if (S.stepInEpoch * S.config.batchSize >= S.trainCount) {
      S.epoch += 1;
      newEpoch();
    }
    const from = S.stepInEpoch * S.config.batchSize;
    const count = Math.min(S.config.batchSize, S.trainCount - from);
    S.stepInEpoch += 1;
    return { from: from, count: count };
  }

  function shard(batch, index) {
    const sizes = E.shardSizes(batch.count, SHARDS);
    const from = batch.from + (index === 0 ? 0 : sizes[0]);
    return E.shardGradient(S.net, S.trainImages, S.trainLabels, S.order, from, sizes[index], batch.count, S.grads[index]);
  }

  /* --------------------------------------------------------------------- one step */
  function applyStep(batch, results) {
    E.addInto(S.total, S.grads[0], S.grads[1]); // shard 0 + shard 1, in this order in every worker
    E.adamStep(S.adam, S.net.params, S.total);
    S.step += 1;
    S.samples += batch.count;
    const it = S.interval;
    for (const r of results) {
      it.loss += r.loss;
      it.correct += r.correct;
    }
    it.samples += batch.count;
    it.steps += 1;
    if (it.steps === S.config.reportEvery) flushInterval();
  }

  // One point of the curves: the mean loss and accuracy over the last reportEvery steps.
  function flushInterval() {
    const it = S.interval;
    if (!it.samples) return;
    S.points.push({ step: S.step, samples: S.samples, seconds: S.seconds, loss: it.loss / it.samples,
      accuracy: it.correct / it.samples });
    S.interval = { loss: 0, correct: 0, samples: 0, steps: 0 };
  }

  // The guess for each test digit of [from, to) (its most probable class), how many are right, their loss.
  // With `stop`, it reads the messages from the page every SLICE_MS and gives up (null) when stop() is true.
  async function evaluateRange(range, stop) {
    const [from, to] = range;
    const guesses = new Uint8Array(to - from);
    let correct = 0;
    let loss = 0;
    const chunk = S.net.maxBatch;
    const classes = S.net.classes;
    let sliceStart = performance.now();
    for (let start = from; start < to; start += chunk) {
      if (stop && performance.now() - sliceStart >= SLICE_MS) {
        await yieldToEvents();
        if (stop()) return null;
        sliceStart = performance.now();
      }
      const n = Math.min(chunk, to - start);
      const r = E.predictBatch(S.net, S.testImages, start, n, S.probabilities, S.testLabels);
      correct += r.correct;
      loss += r.loss;
      for (let b = 0; b < n; b++) {
        let best = 0;
        for (let j = 1; j < classes; j++) if (S.probabilities[b * classes + j] > S.probabilities[b * classes + best]) best = j;
        guesses[start - from + b] = best;
      }
    }
    return { guesses: guesses, correct: correct, loss: loss };
  }

  function testHalves() {
    const n = S.testLabels.length;
    const middle = Math.ceil(n / 2);
    return [[0, middle], [middle, n]];
  }

  /* --------------------------------------------------------------------- worker 0: the leader */
  // The helper's state becomes the leader's (it slept through the steps the leader took alone).
  function syncHelper() {
    const copies = [S.net.params.slice(), S.adam.m.slice(), S.adam.v.slice()];
    S.port.postMessage({ type: "sync", step: S.step, params: copies[0], m: copies[1], v: copies[2],
      adamStep: S.adam.step }, copies.map((c) => c.buffer));
    S.helperInSync = true;
  }

  async function lead() {
    S.running = true;
    S.pauseRequested = false;
    const run = { seconds: S.seconds, step: S.step }; // where this run (or resume) started
    let clock = performance.now();
    const tickClock = () => { // add the time since the last tick to the training time
      const now = performance.now();
      S.seconds += (now - clock) / 1000;
      clock = now;
    };
    let reason = null;
    while (reason === null) {
      if (S.helping && !S.helperInSync) syncHelper();
      const k = S.step;
      const batch = nextBatch();
      const started = performance.now();
      const results = [shard(batch, 0)];
      S.shardMs = S.shardMs ? 0.8 * S.shardMs + 0.2 * (performance.now() - started) : performance.now() - started;
      let helped = null;
      if (S.helping) helped = await receive("shard", k, Math.max(MIN_WAIT_MS, WAIT_FRACTION * S.shardMs));
      if (helped) {
        S.helped += 1;
        S.grads[1].set(helped.grad);
        results.push({ loss: helped.loss, correct: helped.correct });
      } else {
        results.push(shard(batch, 1)); // alone, or the helper is late: compute shard 1 here
        if (S.helping) S.stolen += 1;
      }
      tickClock();
      // Decide whether this step is the last one; the helper learns it with this step.
      const epochDone = S.stepInEpoch * S.config.batchSize >= S.trainCount;
      if (S.pauseRequested) reason = "paused";
      else if (S.seconds - run.seconds >= S.limits.seconds) reason = "time";
      else if (S.step + 1 - run.step >= S.limits.steps) reason = "steps";
      else if (epochDone && S.config.epochs > 0 && S.epoch + 1 >= S.config.epochs) reason = "epochs";
      // A run that ends is tested before it reports; a pause reports first (see below).
      const evaluate = reason === null ? S.config.evaluateEvery > 0 && (S.step + 1) % S.config.evaluateEvery === 0
        : reason !== "paused";
      const helpedThisStep = S.helping;
      if (S.workers === 2) chooseHelp(batch.count, performance.now() - started);
      if (helpedThisStep) { // the helper follows this step; it sleeps after it if alone is quicker now
        const next = reason === null && S.helping;
        S.port.postMessage({ type: "step", step: k, grads: S.grads, results: results, next: next,
          tested: evaluate });
        if (!next) S.helperInSync = false;
      }
      applyStep(batch, results);
      tickClock();
      if (evaluate) {
        if (reason !== null) flushInterval();
        // A pause that comes during a periodic test drops it: the model is tested once it has paused.
        await evaluateTestSet(helpedThisStep, reason === null ? () => S.pauseRequested : null);
        clock = performance.now(); // time spent on the test set is not training time
      }
      if (reason === "paused") flushInterval();
      if (reason !== null || performance.now() - S.lastPost >= POST_EVERY_MS) postProgress();
      if (reason === null) await yieldToEvents(); // read the page's messages (a pause) between two steps
    }
    const params = S.net.params.slice(); // once, when it stops: for predict() on the page
    self.postMessage({ type: "stopped", reason: reason, step: S.step, samples: S.samples, seconds: S.seconds,
      epoch: S.epoch, runSeconds: S.seconds - run.seconds, runSteps: S.step - run.step, stolen: S.stolen,
      helped: S.helped, rates: S.window.rate, workersUsed: workersUsed(), kernels: S.kernels, params: params },
    [params.buffer]);
    if (reason === "paused") { // now test the model as it was paused, unless the page resumes first
      S.resumeRequested = false;
      S.afterPause = evaluateTestSet(false, () => S.resumeRequested);
      await S.afterPause;
      S.afterPause = null;
    }
    S.running = false;
  }

  // Two workers are quicker on an idle machine; on one busy with other programs the helper's core may be
  // taken and waiting for it costs more than it gives. So the leader times windows of steps with and
  // without help, keeps the quicker way, and now and then tries the other one again. Who computes a shard
  // never changes a number, so this changes the speed only.
  function chooseHelp(samples, ms) {
    const w = S.window;
    if (!S.config.chooseWorkers || S.step < WARM_UP_STEPS) return;
    w.samples += samples;
    w.ms += ms;
    if (++w.steps < WINDOW_STEPS) return;
    w.rate[S.helping ? "duo" : "solo"] = w.samples / w.ms;
    w.count += 1;
    w.steps = w.samples = w.ms = 0;
    const better = w.rate.duo >= w.rate.solo ? "duo" : "solo";
    const explore = w.count === 1 || w.count % RETRY_EVERY === 0; // the first window is with help: try without
    const next = explore ? (better === "duo" ? "solo" : "duo") : better;
    S.helping = next === "duo";
  }

  // How many workers the measurement chose (the quicker way once both were timed; until then, the ones started).
  function workersUsed() {
    const rate = S.window.rate;
    if (S.workers === 1 || !S.config.chooseWorkers || !(rate.duo > 0 && rate.solo > 0)) return S.workers;
    return rate.duo >= rate.solo ? 2 : 1;
  }

  // Test the model on the test digits (the helper reads half when it follows this step); null when stopped.
  async function evaluateTestSet(withHelp, stop) {
    const halves = testHalves();
    const step = S.step;
    const started = performance.now();
    const mine = await evaluateRange(halves[0], stop);
    if (!mine) return;
    const waitMs = Math.max(MIN_WAIT_MS, WAIT_FRACTION * (performance.now() - started));
    const helped = withHelp ? await receive("tested", step, waitMs) : null;
    const theirs = helped || await evaluateRange(halves[1], stop);
    if (!theirs) return;
    const n = S.testLabels.length;
    const guesses = new Uint8Array(n);
    guesses.set(mine.guesses, 0);
    guesses.set(theirs.guesses, halves[1][0]);
    self.postMessage({ type: "evaluation", step: step, samples: S.samples, epoch: S.epoch,
      accuracy: (mine.correct + theirs.correct) / n, loss: (mine.loss + theirs.loss) / n, guesses: guesses },
    [guesses.buffer]);
  }

  // A small report: the new points, the counters, C1's weights (for its picture), the drawing's reading.
  function postProgress() {
    S.lastPost = performance.now();
    const c1 = S.net.layers[0];
    const weights = S.net.params.slice(c1.kernelOffset, c1.biasOffset);
    const reading = drawing ? { id: drawing.id, probabilities: E.predict(S.net, drawing.x) } : null;
    self.postMessage({ type: "progress", points: S.points, step: S.step, samples: S.samples,
      seconds: S.seconds, epoch: S.epoch, stepInEpoch: S.stepInEpoch, c1: weights, reading: reading },
    [weights.buffer]);
    S.points = [];
  }

  /* --------------------------------------------------------------------- worker 1: the helper */
  // Sleeps until the leader wants help ("sync"), then computes shard 1 of each step until told to stop.
  async function follow() {
    for (;;) {
      catchUp(await receive("sync"));
      for (;;) {
        const k = S.step;
        const batch = nextBatch();
        let lead = take("step", k);
        if (!lead) { // not behind: compute shard 1 for the leader
          const mine = shard(batch, 1);
          S.port.postMessage({ type: "shard", step: k, grad: S.grads[1], loss: mine.loss, correct: mine.correct });
          lead = await receive("step", k);
        }
        S.grads[0].set(lead.grads[0]);
        S.grads[1].set(lead.grads[1]); // the same numbers as ours, or the leader's own when it did not wait
        applyStep(batch, lead.results);
        if (lead.tested && !inbox.some((m) => m.type === "step")) { // skip it when behind: the leader went on
          const r = await evaluateRange(testHalves()[1]);
          S.port.postMessage({ type: "tested", step: S.step, guesses: r.guesses, correct: r.correct, loss: r.loss });
        }
        if (!lead.next) break; // the leader stops, or goes on alone: sleep until the next sync
      }
    }
  }

  // Take the leader's weights and Adam's state, and skip the batches of the steps it took alone.
  function catchUp(sync) {
    while (S.step < sync.step) {
      nextBatch();
      S.step += 1;
    }
    S.net.params.set(sync.params);
    S.adam.m.set(sync.m);
    S.adam.v.set(sync.v);
    S.adam.step = sync.adamStep;
  }

  /* --------------------------------------------------------------------- messages from the page */
  function fail(error) {
    // The page says an error with a key (trainer.js' TrainerError) in its language; others as they are.
    self.postMessage({ type: "error", message: String(error && error.message ? error.message : error),
      key: error && error.key, values: error && error.values });
  }

  self.onmessage = (event) => {
    const message = event.data;
    try {
      if (message.type === "init") {
        init(message).then(() => self.postMessage({ type: "ready", role: S.role, kernels: S.kernels }), fail);
      } else if (message.type === "run") {
        S.resumeRequested = true; // drops a test of the paused model still under way
        // The limits count from this run or resume.
        const limits = { seconds: message.seconds > 0 ? message.seconds : Infinity,
          steps: message.steps > 0 ? message.steps : Infinity };
        Promise.resolve(S.afterPause).then(() => {
          if (S.running) return;
          S.limits = limits; // (the helper sleeps since the last stop: the first step with help wakes it)
          lead().catch(fail);
        });
      } else if (message.type === "pause") {
        S.pauseRequested = true;
      } else if (message.type === "read") {
        drawing = message.x ? { id: message.id, x: message.x } : null;
      }
    } catch (error) {
      fail(error);
    }
  };
})();
