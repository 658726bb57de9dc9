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
 * The leader decides whether there is a next step (the time is up, the page asked for a pause, the epochs
 * are done) and when to measure the test set, and it alone reports to the page.
 *
 * Messages from the page: init {role, workers, port, model, optimizer, data, config} to both, then
 * run {seconds, steps} (start or resume) and pause to the leader only.
 * Messages to the page: progress {points, step, samples, seconds, epoch, params},
 * evaluation {step, samples, accuracy, loss, guesses, params}, stopped {reason, ...}, error {message}.
 * Between the workers: "shard" (helper → leader: shard 1 of a step), "step" (leader → helper: both shards
 * and what comes next), "tested" (helper → leader: its half of the test digits), "go" (leader → helper).
 */
import { LenetEngine as E } from "./engine.js";

(function () {
  const SHARDS = 2; // a batch is always split in two, whether one worker computes both halves or two do
  const POST_EVERY_MS = 250; // progress reports to the page, at most this often
  const MIN_WAIT_MS = 1; // how long the leader waits for the helper's shard: at least this,
  const WAIT_FRACTION = 0.5; // and up to this fraction of the time its own shard took
  const WARM_UP_STEPS = 10; // the first steps are slow (the JavaScript engine compiles): not timed
  const WINDOW_STEPS = 25; // the leader times this many steps with help and without, and keeps the quicker
  const RETRY_EVERY = 8; // windows; then it tries the other way again (the machine's load changes)
  let S = null; // this worker's whole state, made by init

  /* --------------------------------------------------------------------- messages between workers */
  const inbox = []; // messages from the other worker not yet taken
  let wake = null; // resolves the wait of whoever waits for a message

  function onPeer(message) {
    if (message.type === "go") { // the leader resumes: follow it, or go on following if still catching up
      if (S.following) S.goAgain = true;
      else follow().catch(fail);
      return;
    }
    inbox.push(message);
    if (wake) wake();
  }

  // Take the message of this type for this step, if it is here (older ones are stale: drop them).
  function take(type, step) {
    for (let i = 0; i < inbox.length; i++) {
      const m = inbox[i];
      if (m.type !== type) continue;
      if (m.step === step) return inbox.splice(i, 1)[0];
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
    const [train, test] = await Promise.all([inflate(message.data.train), inflate(message.data.test)]);
    const trainCount = train.labels.length;
    const net = E.createNetwork(message.model, Math.ceil(config.batchSize / SHARDS));
    const adam = E.createAdam(net.parameters, message.optimizer);
    adam.learningRate = config.learningRate;
    S = {
      role: message.role, workers: message.workers, port: message.port, config: config, net: net, adam: adam,
      trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels,
      next: E.random(config.seed, E.ORDER_STREAM), // the order of the digits, epoch after epoch
      order: new Uint32Array(trainCount), trainCount: trainCount,
      grads: [new Float32Array(net.parameters), new Float32Array(net.parameters)],
      total: new Float32Array(net.parameters),
      probabilities: new Float32Array(net.maxBatch * net.classes),
      step: 0, epoch: 0, stepInEpoch: 0, samples: 0, seconds: 0, shardMs: 0, stolen: 0, helped: 0, following: false,
      goAgain: false, helping: message.workers === 2, // the leader: does the helper compute shard 1 now?
      window: { steps: 0, samples: 0, ms: 0, count: 0, rate: { duo: 0, solo: 0 } },
      running: false, pauseRequested: false, limits: { seconds: Infinity, steps: Infinity },
      points: [], interval: { loss: 0, correct: 0, samples: 0, steps: 0 }, lastPost: 0,
    };
    E.initialize(net, config.seed); // the same first weights in both workers
    newEpoch();
    if (S.port) S.port.onmessage = (event) => onPeer(event.data);
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
  function evaluateRange(range) {
    const [from, to] = range;
    const guesses = new Uint8Array(to - from);
    let correct = 0;
    let loss = 0;
    const chunk = S.net.maxBatch;
    const classes = S.net.classes;
    for (let start = from; start < to; start += chunk) {
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
      const evaluate = reason !== null || (S.config.evaluateEvery > 0 && (S.step + 1) % S.config.evaluateEvery === 0);
      const helpedThisStep = S.helping;
      if (S.workers === 2) {
        chooseHelp(batch.count, performance.now() - started);
        S.port.postMessage({ type: "step", step: k, grads: S.grads, results: results, next: reason === null,
          evaluate: evaluate, help: S.helping, tested: evaluate && helpedThisStep });
      }
      applyStep(batch, results);
      tickClock();
      if (evaluate) {
        if (reason !== null) flushInterval();
        await evaluateTestSet(helpedThisStep);
        clock = performance.now(); // time spent on the test set is not training time
      }
      if (reason !== null || performance.now() - S.lastPost >= POST_EVERY_MS) postProgress();
      if (reason === null) await yieldToEvents(); // read the page's messages (a pause) between two steps
    }
    S.running = false;
    self.postMessage({ type: "stopped", reason: reason, step: S.step, samples: S.samples, seconds: S.seconds,
      epoch: S.epoch, runSeconds: S.seconds - run.seconds, runSteps: S.step - run.step, stolen: S.stolen,
      helped: S.helped, rates: S.window.rate });
  }

  // Two workers are quicker on an idle machine; on one busy with other programs the helper's core may be
  // taken and waiting for it costs more than it gives. So the leader times windows of steps with and
  // without help, keeps the quicker way, and now and then tries the other one again. Who computes a shard
  // never changes a number, so this changes the speed only.
  function chooseHelp(samples, ms) {
    const w = S.window;
    if (S.step < WARM_UP_STEPS) return;
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

  async function evaluateTestSet(withHelp) {
    const halves = testHalves();
    const step = S.step;
    const started = performance.now();
    const mine = evaluateRange(halves[0]);
    const waitMs = Math.max(MIN_WAIT_MS, WAIT_FRACTION * (performance.now() - started));
    const helped = withHelp ? await receive("tested", step, waitMs) : null;
    const theirs = helped || evaluateRange(halves[1]);
    const n = S.testLabels.length;
    const guesses = new Uint8Array(n);
    guesses.set(mine.guesses, 0);
    guesses.set(theirs.guesses, halves[1][0]);
    self.postMessage({ type: "evaluation", step: step, samples: S.samples, epoch: S.epoch,
      accuracy: (mine.correct + theirs.correct) / n, loss: (mine.loss + theirs.loss) / n, guesses: guesses,
      params: S.net.params.slice() }, [guesses.buffer]);
  }

  function postProgress() {
    S.lastPost = performance.now();
    const params = S.net.params.slice();
    self.postMessage({ type: "progress", points: S.points, step: S.step, samples: S.samples,
      seconds: S.seconds, epoch: S.epoch, stepInEpoch: S.stepInEpoch, params: params }, [params.buffer]);
    S.points = [];
  }

  /* --------------------------------------------------------------------- worker 1: the helper */
  async function follow() {
    S.following = true;
    for (;;) {
      const k = S.step;
      const batch = nextBatch();
      let lead = take("step", k);
      if (!lead && S.helping) { // not behind, and asked to help: compute shard 1 for the leader
        const mine = shard(batch, 1);
        S.port.postMessage({ type: "shard", step: k, grad: S.grads[1], loss: mine.loss, correct: mine.correct });
      }
      if (!lead) lead = await receive("step", k);
      S.helping = lead.help; // for the next step
      S.grads[0].set(lead.grads[0]);
      S.grads[1].set(lead.grads[1]); // the same numbers as ours, or the leader's own when it did not wait
      applyStep(batch, lead.results);
      if (lead.tested && !inbox.some((m) => m.type === "step")) { // skip it when behind: the leader went on
        const r = evaluateRange(testHalves()[1]);
        S.port.postMessage({ type: "tested", step: S.step, guesses: r.guesses, correct: r.correct, loss: r.loss });
      }
      if (!lead.next) {
        if (S.goAgain) { // the leader resumed while this worker was still catching up
          S.goAgain = false;
          continue;
        }
        S.following = false;
        return; // until the leader says "go"
      }
    }
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
        init(message).then(() => self.postMessage({ type: "ready", role: S.role, parameters: S.net.parameters }), fail);
      } else if (message.type === "run") {
        if (S.running) return;
        // The limits count from this run or resume.
        S.limits = { seconds: message.seconds > 0 ? message.seconds : Infinity,
          steps: message.steps > 0 ? message.steps : Infinity };
        if (S.workers === 2) S.port.postMessage({ type: "go" });
        lead().catch(fail);
      } else if (message.type === "pause") {
        S.pauseRequested = true;
      }
    } catch (error) {
      fail(error);
    }
  };
})();
