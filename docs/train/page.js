/*
 * The "Train LeNet-5" page: the controls, the live curves, the C1 filters, the confusion matrix, the
 * test digits with their current guesses, and a pad to draw a digit for the model being trained.
 * Training itself runs in workers (trainer.js, worker.js, engine.js); this file only draws, on the
 * page's main thread: each report from the workers (a few a second) marks what it changes, and the next
 * animation frame redraws only that (the curves and numbers, C1's filters, the test digits and the
 * confusion matrix, the drawing's guess). While it trains, the leading worker reads the drawing; once it
 * stops, the trainer's predict() does, with the weights it sent. A drawing is preprocessed by the visualizer's code
 * (../shared/preprocess.js) with the constants and colour tables of the visualizer's manifest.
 */
import { section } from "../i18n/i18n.js";
import { fillBars, make } from "../shared/dom.js";
import { attachDrawPad } from "../shared/drawpad.js";
import { percent as pct, signed } from "../shared/format.js";
import { NoInkError, preprocess, usePreprocessing } from "../shared/preprocess.js";

(function () {

  const root = document.getElementById("lt-root");
  if (!root) return;
  const trainer = window.lenetTrainer;
  // The visualizer's manifest: its preprocessing constants and colour tables (not its weights).
  const VISUALIZER_MANIFEST = new URL("../visualizer/lenet5_manifest.json", import.meta.url);
  const SHOWN_DIGITS = 24; // test digits shown with their current guess
  const PAD = 240; // drawing pad pixels
  const PEN = 18; // pen width on the pad: about MNIST's stroke once scaled into 20×20
  const KEY_STEP = 8;

  const ui = {
    status: "loading", config: null, points: [], evaluations: [], lastEvaluation: null,
    samples: 0, seconds: 0, step: 0, firstOver: {}, drawn: null, redrawPending: false,
    changed: new Set(), // what the next frame redraws: "layout", "curves", "filters", "tested", "guess"
    colours: null, chartWidth: 0, // read from the page when its layout or colour scheme changes ("layout")
  };
  const EVERYTHING = ["layout", "curves", "filters", "tested", "guess"];
  const el = {};
  const t = section("train"); // the page's words in its language (docs/i18n/en.js, zh.js)

  /* ---------------------------------------------------------------- small helpers */
  // Digits grouped the same way in both languages (30,000), so both editions show identical numbers.
  const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  // Colours with enough contrast on Material's light and dark backgrounds (Okabe–Ito's palette). Read from the
  // page's style once per colour scheme (reading a computed style in every frame would make the browser recompute it).
  function colours() {
    if (!ui.colours) ui.colours = readColours();
    return ui.colours;
  }

  function readColours() {
    const style = getComputedStyle(document.body);
    return {
      text: style.getPropertyValue("--md-default-fg-color").trim() || (dark() ? "#e2e4e9" : "#000000"),
      grid: style.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ccc",
      train: dark() ? "#56b4e9" : "#0072b2",
      test: dark() ? "#f0a830" : "#b35900",
      lecture: dark() ? "#e2e4e9" : "#000000",
    };
  }

  /* ---------------------------------------------------------------- building the page */
  function field(id, label, input, help) {
    input.id = id;
    const children = [make("label", { for: id, text: label }), input];
    if (help) {
      input.setAttribute("aria-describedby", id + "-help");
      children.push(make("span", { class: "lt-help", id: id + "-help", text: help }));
    }
    return make("div", { class: "lt-field" }, children);
  }

  function build() {
    const m = trainer.manifest;
    el.model = make("select", {}, Object.keys(m.models).map((name) => make("option", { value: name,
      text: t(name === "lecture" ? "model_lecture" : "model_modern") })));
    el.rate = make("input", { type: "number", min: "0.00001", max: "1", step: "any", inputmode: "decimal" });
    el.batch = make("input", { type: "number", min: "1", max: "512", step: "1", inputmode: "numeric" });
    el.seed = make("input", { type: "number", min: "0", max: "4294967295", step: "1", inputmode: "numeric" });
    el.start = make("button", { type: "button", class: "lt-button", id: "lt-start", text: t("start") });
    el.pause = make("button", { type: "button", class: "lt-button", id: "lt-pause", text: t("pause"), disabled: "" });
    el.resume = make("button", { type: "button", class: "lt-button", id: "lt-resume", text: t("resume"), disabled: "" });
    el.reset = make("button", { type: "button", class: "lt-button lt-secondary", id: "lt-reset", text: t("reset"), disabled: "" });
    el.formError = make("p", { class: "lt-error", id: "lt-form-error", role: "alert" });
    const controls = make("form", { class: "lt-controls", id: "lt-controls", "aria-label": t("settings_label") }, [
      field("lt-model", t("field_model"), el.model),
      field("lt-rate", t("field_rate"), el.rate, t("help_rate", { rate: m.optimizer.learning_rate })),
      field("lt-batch", t("field_batch"), el.batch, t("help_batch", { batch: m.recipe.batch_size })),
      field("lt-seed", t("field_seed"), el.seed, t("help_seed")),
      make("div", { class: "lt-buttons" }, [el.start, el.pause, el.resume, el.reset]),
      el.formError,
    ]);
    el.state = make("p", { class: "lt-state", id: "lt-state", role: "status" });
    el.numbers = make("dl", { class: "lt-numbers", id: "lt-numbers" });
    el.lossChart = chartCanvas("lt-loss-chart", t("chart_loss"));
    el.accChart = chartCanvas("lt-accuracy-chart", t("chart_accuracy"));
    el.compare = make("p", { class: "lt-compare", id: "lt-compare" });
    el.filters = make("div", { class: "lt-filters", id: "lt-filters" });
    el.filterScale = make("p", { class: "lt-help", id: "lt-filter-scale" });
    el.confusion = make("div", { class: "lt-confusion", id: "lt-confusion" });
    el.digits = make("div", { class: "lt-digits", id: "lt-digits" });
    el.pad = make("canvas", { id: "lt-pad", width: PAD, height: PAD, tabindex: "0", role: "application",
      "aria-label": t("pad_label"), "aria-describedby": "lt-pad-help" });
    el.cursor = make("div", { class: "lt-cursor", hidden: "" });
    el.clear = make("button", { type: "button", class: "lt-button lt-secondary", id: "lt-clear", text: t("clear") });
    el.guess = make("p", { class: "lt-guess", id: "lt-guess", "aria-live": "polite" });
    el.bars = make("div", { class: "lt-bars", "aria-hidden": "true" });
    for (let d = 0; d < 10; d++) {
      el.bars.append(make("div", { class: "lt-bar" }, [make("span", { class: "lt-bar-fill" }), make("span", { class: "lt-bar-label", text: String(d) })]));
    }
    root.replaceChildren(
      make("section", { class: "lt-panel lt-setup", "aria-labelledby": "lt-h-setup" }, [
        make("h2", { id: "lt-h-setup", text: t("h_settings") }), controls, el.state, el.numbers,
      ]),
      make("section", { class: "lt-panel lt-curves", "aria-labelledby": "lt-h-curves" }, [
        make("h2", { id: "lt-h-curves", text: t("h_curves") }),
        make("div", { class: "lt-charts" }, [el.lossChart.figure, el.accChart.figure]),
        el.compare,
      ]),
      make("div", { class: "lt-row" }, [
        make("section", { class: "lt-panel", "aria-labelledby": "lt-h-filters" }, [
          make("h2", { id: "lt-h-filters", text: t("h_filters") }), el.filters, el.filterScale,
        ]),
        make("section", { class: "lt-panel lt-draw", "aria-labelledby": "lt-h-draw" }, [
          make("h2", { id: "lt-h-draw", text: t("h_draw") }),
          make("div", { class: "lt-pad-frame" }, [el.pad, el.cursor]),
          make("div", { class: "lt-buttons" }, [el.clear]),
          make("p", { class: "lt-help", id: "lt-pad-help", text: t("pad_help") }),
          el.guess, el.bars,
        ]),
      ]),
      make("section", { class: "lt-panel", "aria-labelledby": "lt-h-digits" }, [
        make("h2", { id: "lt-h-digits", text: t("h_digits") }), el.digits,
      ]),
      make("section", { class: "lt-panel", "aria-labelledby": "lt-h-confusion" }, [
        make("h2", { id: "lt-h-confusion", text: t("h_confusion") }), el.confusion,
      ]),
    );
    buildDigits();
    buildFilters();
    pad = attachDrawPad(el.pad, el.cursor, { penWidth: PEN, keyStep: KEY_STEP, penDownClass: "lt-pen-down",
      onDrawn: readPad, onClear: onPadCleared });
    clearPad();
  }

  function chartCanvas(id, title) {
    const canvas = make("canvas", { id: id, role: "img", "aria-label": t("no_training", { title: title }) });
    const caption = make("figcaption", {});
    return { canvas: canvas, caption: caption, figure: make("figure", { class: "lt-chart" }, [canvas, caption]) };
  }

  /* ---------------------------------------------------------------- settings and the address */
  const PARAMS = { model: "model", lr: "rate", batch: "batch", seed: "seed" };

  function readAddress() {
    const query = new URLSearchParams(location.search);
    const m = trainer.manifest;
    el.model.value = Object.hasOwn(m.models, query.get("model") || "") ? query.get("model") : "lecture";
    el.rate.value = query.get("lr") || String(m.optimizer.learning_rate);
    el.batch.value = query.get("batch") || String(m.recipe.batch_size);
    el.seed.value = query.get("seed") || String(m.recipe.seed);
    checkForm();
  }

  function writeAddress() {
    const query = new URLSearchParams(location.search);
    for (const [key, name] of Object.entries(PARAMS)) query.set(key, el[name].value);
    history.replaceState(null, "", location.pathname + "?" + query.toString() + location.hash);
  }

  // A field's number; an empty field (nothing typed, or text a number field could not take) is no number at all.
  function fieldNumber(input) {
    return input.value.trim() === "" ? NaN : Number(input.value);
  }

  function formOptions() {
    return { model: el.model.value, learningRate: fieldNumber(el.rate), batchSize: fieldNumber(el.batch),
      seed: fieldNumber(el.seed) };
  }

  // Returns the settings, or null after saying what is wrong.
  function checkForm() {
    for (const input of [el.rate, el.batch, el.seed]) input.removeAttribute("aria-invalid");
    try {
      const options = formOptions();
      trainer.settings(options);
      el.formError.textContent = "";
      return options;
    } catch (error) {
      el.formError.textContent = t("check_settings", { message: readerMessage(error) });
      const field = new Map([["err_rate", el.rate], ["err_batch", el.batch], ["err_seed", el.seed]]).get(error.key);
      if (field) field.setAttribute("aria-invalid", "true");
      return null;
    }
  }

  /* ---------------------------------------------------------------- buttons */
  function onStart() {
    const options = checkForm();
    if (!options) return;
    writeAddress();
    resetView();
    const session = trainer.start(options);
    trainer.go(session, {}).catch(showError);
  }

  function onResume() {
    const resumed = trainer.resume();
    if (resumed) resumed.catch(showError);
  }

  function onReset() {
    trainer.reset();
    resetView();
    guessDrawing(); // at once: the model it read with is gone
  }

  function showError(error) {
    if (error.key === "err_reset") return;
    el.state.textContent = t("stopped", { message: readerMessage(error) });
  }

  // The trainer's errors (trainer.js, worker.js) are its API's, in English; the ones a reader meets carry the key
  // of the same sentence in the word tables, said here in the page's language with the same file names and numbers.
  // Anything else (the browser's own) is shown as is.
  function readerMessage(error) {
    if (error && error.key) return t(error.key, error.values);
    return String(error && error.message !== undefined ? error.message : error);
  }

  function setButtons(status) {
    const running = status === "running" || status === "starting" || status === "pausing";
    el.start.disabled = running || status === "paused"; // a paused run resumes, or is reset first
    el.pause.disabled = status !== "running";
    el.resume.disabled = status !== "paused";
    el.reset.disabled = status === "idle" || status === "loading";
    for (const input of [el.model, el.rate, el.batch, el.seed]) input.disabled = running || status === "paused";
  }

  function resetView() {
    Object.assign(ui, { points: [], evaluations: [], lastEvaluation: null, samples: 0, seconds: 0, step: 0,
      firstOver: {} });
    scheduleRedraw(EVERYTHING);
  }

  /* ---------------------------------------------------------------- reports from the trainer */
  function onState(detail) {
    ui.status = detail.status;
    ui.config = detail.config || ui.config;
    setButtons(detail.status);
    const c = ui.config;
    const run = c ? t(c.model === "lecture" ? "run_lecture" : "run_modern",
      { seed: c.seed, batch: c.batchSize, rate: c.learningRate }) : "";
    const finished = detail.reason === "epochs" ? "state_finished_epochs" :
      detail.reason === "time" ? "state_finished_time" : "state_finished_steps";
    const key = {
      idle: "state_idle",
      starting: c && c.workers === 1 ? "state_starting_one" : "state_starting_two",
      running: "state_running",
      pausing: "state_pausing",
      paused: "state_paused",
      finished: finished,
      error: "state_error",
    }[detail.status];
    const text = key && t(key, { run: run, passes: c ? c.epochs : "", epochs: trainer.manifest.recipe.epochs });
    if (text) el.state.textContent = text;
    if (detail.status === "idle") showNumbers();
    if (detail.status === "running" && ui.drawn) trainer.read(ui.drawn); // a resumed run reads it again
    if (detail.status === "paused" || detail.status === "finished") scheduleRedraw(["guess"]); // with the weights
  }

  function onProgress(detail) {
    ui.points.push(...detail.points);
    ui.samples = detail.samples;
    ui.seconds = detail.seconds;
    ui.step = detail.step;
    for (const p of detail.points) {
      // When this run first reached each multiple of the lecture's epoch (60,000 digits).
      const epochs = Math.floor(p.samples / trainer.manifest.lecture_history.train_size);
      if (epochs >= 1 && ui.firstOver[epochs] === undefined) ui.firstOver[epochs] = p.seconds;
    }
    scheduleRedraw(detail.reading ? ["curves", "filters", "guess"] : ["curves", "filters"]);
  }

  function onEvaluation(detail) {
    ui.evaluations.push({ samples: detail.samples, accuracy: detail.accuracy, loss: detail.loss });
    ui.lastEvaluation = detail;
    scheduleRedraw(["curves", "tested"]);
  }

  // Mark what changed; the next animation frame redraws it (once, however many reports came in between).
  function scheduleRedraw(what) {
    for (const part of Array.isArray(what) ? what : EVERYTHING) ui.changed.add(part);
    if (ui.redrawPending) return;
    ui.redrawPending = true;
    requestAnimationFrame(redraw);
  }

  function redraw() {
    const changed = ui.redrawPending ? ui.changed : new Set(EVERYTHING); // called directly: everything
    ui.changed = new Set();
    ui.redrawPending = false;
    if (changed.has("layout")) { // read the page first, before this frame writes to it
      ui.colours = null;
      ui.chartWidth = el.lossChart.canvas.parentElement.clientWidth;
      changed.add("curves");
    }
    if (changed.has("curves")) {
      showNumbers();
      drawCharts();
      showComparison();
    }
    if (changed.has("filters")) drawFilters();
    if (changed.has("tested")) {
      showDigits();
      showConfusion();
    }
    if (changed.has("guess")) guessDrawing();
  }

  /* ---------------------------------------------------------------- numbers and curves */
  function lastPoint() {
    return ui.points[ui.points.length - 1];
  }

  function showNumbers() {
    const m = trainer.manifest;
    const p = lastPoint();
    const e = ui.lastEvaluation;
    const rows = [
      [t("n_digits_seen"), t("digits_seen_value", { samples: integer.format(ui.samples),
        passes: (ui.samples / m.data.train.count).toFixed(2), count: integer.format(m.data.train.count) })],
      [t("n_time"), t("seconds_value", { seconds: ui.seconds.toFixed(1) })],
      [t("n_speed"), ui.seconds > 0 ? t("speed_value", { speed: integer.format(ui.samples / ui.seconds) }) : "–"],
      [t("n_loss"), p ? p.loss.toFixed(4) : "–"],
      [t("n_train_accuracy"), p ? pct(p.accuracy) : "–"],
      [t("n_test_accuracy"), e ? t("test_accuracy_value", { accuracy: pct(e.accuracy),
        count: integer.format(e.guesses.length) }) : "–"],
    ];
    if (el.numbers.children.length !== 2 * rows.length) {
      el.numbers.replaceChildren(...rows.flatMap(([k]) => [make("dt", { text: k }), make("dd", {})]));
    }
    rows.forEach(([, v], i) => {
      const value = el.numbers.children[2 * i + 1];
      if (value.textContent !== v) value.textContent = v;
    });
  }

  function setupCanvas(canvas) {
    const width = Math.max(260, Math.min(560, ui.chartWidth || 480));
    const height = Math.round(width * 0.56);
    const scale = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * scale)) {
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.clearRect(0, 0, width, height);
    return { ctx: ctx, width: width, height: height };
  }

  // One chart: axes, then each series as a line (and markers when asked). x is digits seen; the y axis
  // has a grid line every yStep from 0 to yMax.
  function plot(chart, series, yMax, yStep, yLabel, xMax) {
    const { ctx, width, height } = setupCanvas(chart.canvas);
    const c = colours();
    const left = 46, right = 10, top = 10, bottom = 34;
    const w = width - left - right, h = height - top - bottom;
    const X = (x) => left + (w * x) / xMax;
    const Y = (y) => top + h - (h * Math.min(y, yMax)) / yMax;
    ctx.font = "12px sans-serif";
    ctx.fillStyle = c.text;
    ctx.strokeStyle = c.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let i = 0; i * yStep <= yMax + 1e-9; i++) {
      const y = i * yStep;
      ctx.beginPath();
      ctx.moveTo(left, Y(y));
      ctx.lineTo(left + w, Y(y));
      ctx.stroke();
      ctx.fillText(yLabel(y), left - 4, Y(y));
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const stepX = niceStep(xMax / 4);
    // Ticks in the language's unit of large numbers: 20k in English, 2 万 (2 × 10,000) in Chinese.
    const unit = Number(t("axis_tick_unit"));
    for (let x = 0; x <= xMax + 1e-9; x += stepX) ctx.fillText(x >= unit ? t("axis_tick", { n: x / unit }) : String(x), X(x), top + h + 4);
    ctx.fillText(t("axis_x"), left + w / 2, top + h + 19);
    for (const s of series) {
      ctx.strokeStyle = ctx.fillStyle = s.colour;
      ctx.lineWidth = s.width || 2;
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      s.points.forEach((p, i) => (i ? ctx.lineTo(X(p[0]), Y(p[1])) : ctx.moveTo(X(p[0]), Y(p[1]))));
      if (!s.markersOnly) ctx.stroke();
      ctx.setLineDash([]);
      if (s.markers) {
        for (const p of s.points) {
          ctx.beginPath();
          if (s.markers === "square") ctx.rect(X(p[0]) - 4, Y(p[1]) - 4, 8, 8);
          else ctx.arc(X(p[0]), Y(p[1]), 3.5, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
    }
  }

  function niceStep(raw) {
    const power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    for (const f of [1, 2, 2.5, 5, 10]) if (f * power >= raw) return f * power;
    return 10 * power;
  }

  function drawCharts() {
    const c = colours();
    const history = trainer.manifest.lecture_history;
    const epoch = history.train_size;
    const xMax = Math.max(epoch, niceStep(ui.samples * 1.1 / 4) * 4);
    const trainLoss = ui.points.map((p) => [p.samples, p.loss]);
    const lectureLoss = history.loss.map((v, i) => [(i + 1) * epoch, v]).filter((p) => p[0] <= xMax);
    const lectureAcc = history.val_accuracy.map((v, i) => [(i + 1) * epoch, v]).filter((p) => p[0] <= xMax);
    const lossMax = Math.ceil(2 * Math.max(2.5, ...trainLoss.slice(0, 3).map((p) => p[1]))) / 2;
    plot(el.lossChart, [
      { points: trainLoss, colour: c.train },
      { points: lectureLoss, colour: c.lecture, markers: "square", markersOnly: true },
    ], lossMax, 0.5, (y) => y.toFixed(1), xMax);
    plot(el.accChart, [
      { points: ui.points.map((p) => [p.samples, p.accuracy]), colour: c.train },
      { points: ui.evaluations.map((e) => [e.samples, e.accuracy]), colour: c.test, markers: "dot", width: 2.5 },
      { points: lectureAcc, colour: c.lecture, markers: "square", markersOnly: true },
    ], 1, 0.25, (y) => Math.round(y * 100) + "%", xMax);
    const p = lastPoint();
    const e = ui.lastEvaluation;
    el.lossChart.canvas.setAttribute("aria-label", p ?
      t("loss_aria", { loss: p.loss.toFixed(3), samples: integer.format(p.samples) }) : t("loss_aria_empty"));
    el.accChart.canvas.setAttribute("aria-label", t("accuracy_aria", { now:
      (p ? t("accuracy_aria_train", { accuracy: pct(p.accuracy, 1) }) : "") +
      (e ? t("accuracy_aria_test", { accuracy: pct(e.accuracy, 1) }) : "") }));
    el.lossChart.caption.replaceChildren(legend(c.train, "line", t("legend_loss", { n: pointSize() })),
      legend(c.lecture, "square", t("legend_lecture_loss", { n: integer.format(epoch) })));
    el.accChart.caption.replaceChildren(legend(c.train, "line", t("legend_accuracy")),
      legend(c.test, "dot", t("legend_test", { n: integer.format(trainer.manifest.data.test.count) })),
      legend(c.lecture, "square", t("legend_lecture_accuracy")));
  }

  function pointSize() {
    const c = ui.config;
    return c ? integer.format(c.reportEvery * c.batchSize) : "320";
  }

  function legend(colour, kind, text) {
    const key = make("span", { class: "lt-key lt-key-" + kind, "aria-hidden": "true" });
    key.style.setProperty("--lt-key", colour);
    return make("span", { class: "lt-legend" }, [key, make("span", { text: text })]);
  }

  // How this run compares with the lecture's printed history (Keras, 60,000 digits per epoch): its digits seen are
  // the counter's (they move with every report), its accuracy the last test's, said with the digits it was tested at.
  function showComparison() {
    const h = trainer.manifest.lecture_history;
    const e = ui.lastEvaluation;
    const first = t("compare_lecture", { size: integer.format(h.train_size), batch: h.batch_size,
      first: pct(h.val_accuracy[0]), seconds: h.seconds[0], last: pct(h.val_accuracy[h.epochs - 1]), epochs: h.epochs });
    if (!ui.samples) {
      el.compare.textContent = t("compare_start", { lecture: first });
      return;
    }
    const epochs = Math.min(h.epochs, Math.floor(ui.samples / h.train_size));
    const seen = { samples: integer.format(ui.samples), share: pct(ui.samples / h.train_size, 0), lecture: first };
    const tested = e ? { tested: integer.format(e.samples), accuracy: pct(e.accuracy) } : null;
    let text;
    if (!tested) {
      text = t("compare_untested", Object.assign(seen, { every: integer.format(trainer.manifest.recipe.evaluate_every) }));
    } else if (epochs < 1) {
      text = t("compare_early", Object.assign(seen, tested));
    } else {
      const when = ui.firstOver[epochs];
      const digits = integer.format(epochs * h.train_size);
      text = t("compare_epochs", Object.assign({ digits: digits, epochs: epochs, lecture: pct(h.val_accuracy[epochs - 1]),
        seconds: h.seconds.slice(0, epochs).reduce((a, b) => a + b, 0), samples: seen.samples,
        reached: when !== undefined ? t("compare_reached", { digits: digits, seconds: when.toFixed(1) }) : "" }, tested));
    }
    el.compare.textContent = t("compare_data", { text: text, train: integer.format(trainer.manifest.data.train.count),
      test: integer.format(trainer.manifest.data.test.count), all_train: integer.format(h.train_size),
      all_test: integer.format(h.test_size) });
  }

  /* ---------------------------------------------------------------- C1's filters */
  function buildFilters() {
    const spec = trainer.manifest.models.lecture.layers[0];
    el.filterCanvases = [];
    for (let f = 0; f < spec.filters; f++) {
      const canvas = make("canvas", { width: spec.kernel_size[1], height: spec.kernel_size[0], role: "img",
        "aria-label": t("filter_untrained", { n: f + 1 }) });
      el.filterCanvases.push(canvas);
      el.filters.append(make("figure", { class: "lt-filter" }, [canvas, make("figcaption", { text: String(f + 1) })]));
    }
  }

  // The weights' colours: the visualizer manifest's table as CSS colours, set when the page starts.
  function useWeightColours(table) {
    el.weightLut = [];
    for (let i = 0; i < table.steps; i++) el.weightLut.push("#" + table.rgb.substr(6 * i, 6));
  }

  // C1's kernels as the leader last sent them: one row of kh·kw weights per filter.
  function drawFilters() {
    const session = trainer.session();
    const lut = el.weightLut;
    if (!session || !session.c1 || !lut) return;
    const [kh, kw] = trainer.manifest.models.lecture.layers[0].kernel_size; // both models: the same C1
    const layer = { K: kh * kw };
    const weights = session.c1;
    let largest = 1e-12;
    for (const w of weights) largest = Math.max(largest, Math.abs(w));
    el.filterCanvases.forEach((canvas, f) => {
      const ctx = canvas.getContext("2d");
      let sum = 0;
      for (let k = 0; k < kh * kw; k++) {
        const w = weights[f * layer.K + k];
        sum += w;
        const index = Math.round(((w / largest + 1) / 2) * (lut.length - 1));
        ctx.fillStyle = lut[Math.max(0, Math.min(lut.length - 1, index))];
        ctx.fillRect(k % kw, Math.floor(k / kw), 1, 1);
      }
      const [lo, hi] = minMax(weights, layer, f);
      canvas.setAttribute("aria-label", t("filter_weights", { n: f + 1, lo: lo, hi: hi, sum: signed(sum, 2) }));
    });
    el.filterScale.textContent = t("filter_scale", { largest: largest.toFixed(3) });
  }

  function minMax(weights, layer, f) {
    let lo = Infinity, hi = -Infinity;
    for (let k = 0; k < layer.K; k++) {
      const w = weights[f * layer.K + k];
      lo = Math.min(lo, w);
      hi = Math.max(hi, w);
    }
    return [signed(lo, 3), signed(hi, 3)];
  }

  /* ---------------------------------------------------------------- test digits and the confusion matrix */
  function buildDigits() {
    const test = trainer.data.test;
    el.digitGuesses = [];
    for (let i = 0; i < SHOWN_DIGITS; i++) {
      const canvas = make("canvas", { width: 28, height: 28, "aria-hidden": "true" });
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(28, 28);
      for (let j = 0; j < 784; j++) {
        const v = 255 - test.images[i * 784 + j]; // dark ink on white
        image.data.set([v, v, v, 255], 4 * j);
      }
      ctx.putImageData(image, 0, 0);
      const guess = make("figcaption", { text: t("digit_is", { label: test.labels[i] }) });
      el.digitGuesses.push(guess);
      el.digits.append(make("figure", { class: "lt-digit" }, [canvas, guess]));
    }
  }

  function showDigits() {
    const e = ui.lastEvaluation;
    const labels = trainer.data.test.labels;
    el.digitGuesses.forEach((caption, i) => {
      const label = labels[i];
      if (!e) {
        caption.textContent = t("digit_no_guess", { label: label });
        caption.className = "";
        return;
      }
      const right = e.guesses[i] === label;
      caption.textContent = t(right ? "digit_right" : "digit_wrong", { label: label, guess: e.guesses[i] });
      caption.className = right ? "lt-right" : "lt-wrong";
    });
  }

  // A cell's colour: light to dark blue on the diagonal (right), light to dark orange elsewhere (mistakes),
  // darker for more digits; the text black or white, whichever contrasts more (at least 4.5:1 on any colour).
  const SCALES = { right: [[222, 235, 247], [8, 81, 156]], wrong: [[254, 230, 206], [166, 54, 3]] };

  function cellColours(share, right) {
    const [from, to] = SCALES[right ? "right" : "wrong"];
    const rgb = from.map((v, i) => Math.round(v + (to[i] - v) * Math.sqrt(share)));
    const linear = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : Math.pow((v / 255 + 0.055) / 1.055, 2.4)));
    const luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    const onBlack = (luminance + 0.05) / 0.05;
    const onWhite = 1.05 / (luminance + 0.05);
    return ["rgb(" + rgb.join(",") + ")", onBlack >= onWhite ? "#000000" : "#ffffff"];
  }

  // The table is built once; each test then changes its cells' numbers and colours in place.
  function buildConfusion() {
    const head = make("tr", {}, [make("td", {}), ...Array.from({ length: 10 }, (_, d) => make("th", { scope: "col", text: String(d) }))]);
    el.confusionCells = [];
    const rows = Array.from({ length: 10 }, (_, truth) => {
      const cells = Array.from({ length: 10 }, () => make("td", {}));
      el.confusionCells.push(cells);
      return make("tr", {}, [make("th", { scope: "row", text: String(truth) }), ...cells]);
    });
    el.confusionCaption = make("caption", {});
    const table = make("table", { class: "lt-matrix", id: "lt-confusion-table" }, [
      el.confusionCaption, make("thead", {}, [head]), make("tbody", {}, rows),
    ]);
    el.confusionTable = make("div", { class: "lt-matrix-scroll", tabindex: "0", role: "region",
      "aria-label": t("confusion_region") }, [table]);
  }

  function showConfusion() {
    const e = ui.lastEvaluation;
    if (!e) {
      el.confusion.replaceChildren(make("p", { text: t("confusion_empty") }));
      return;
    }
    if (!el.confusionTable) buildConfusion();
    const labels = trainer.data.test.labels;
    const counts = Array.from({ length: 10 }, () => new Array(10).fill(0));
    for (let i = 0; i < e.guesses.length; i++) counts[labels[i]][e.guesses[i]] += 1;
    const largest = Math.max(1, ...counts.flat());
    counts.forEach((row, truth) => row.forEach((n, guess) => {
      const cell = el.confusionCells[truth][guess];
      cell.textContent = String(n);
      const [background, text] = n ? cellColours(n / largest, guess === truth) : ["", ""];
      cell.style.background = background;
      cell.style.color = text;
    }));
    el.confusionCaption.textContent = t("confusion_caption", { samples: integer.format(e.samples),
      count: integer.format(e.guesses.length), accuracy: pct(e.accuracy) });
    if (el.confusionTable.parentNode !== el.confusion) el.confusion.replaceChildren(el.confusionTable);
  }

  /* ---------------------------------------------------------------- draw a digit */
  let pad = null; // ../shared/drawpad.js, attached once the page is built

  function clearPad() {
    pad.clear();
  }

  function onPadCleared() {
    ui.drawn = null;
    guessDrawing();
  }

  function readPad() {
    try {
      ui.drawn = preprocess(pad.context().getImageData(0, 0, PAD, PAD));
    } catch (error) {
      if (!(error instanceof NoInkError)) throw error;
      ui.drawn = null;
    }
    trainer.read(ui.drawn); // while it trains, the leading worker reads it with each report
    guessDrawing();
  }

  // The probabilities of the drawing: the leader's reading while it trains (the last one, until the next report
  // comes), the trainer's predict() with the weights it sent when it stopped; null when there is none yet.
  function readDrawing(session) {
    if (!ui.drawn || !session) return null;
    if (session.status === "paused" || session.status === "finished") return trainer.predict(ui.drawn);
    return session.reading; // the trainer keeps only a reading of the drawing it was last given
  }

  function guessDrawing() {
    const fills = el.bars.querySelectorAll(".lt-bar-fill");
    const session = trainer.session();
    const p = readDrawing(session);
    if (!p) {
      el.guess.textContent = t(!ui.drawn ? "guess_draw" : session && session.status === "running" ? "guess_reading" :
        "guess_start");
      fillBars(fills, null);
      return;
    }
    let best = 0;
    for (let d = 1; d < 10; d++) if (p[d] > p[best]) best = d;
    el.guess.textContent = t("guess", { digit: best, probability: pct(p[best], 1) });
    fillBars(fills, p, best, "lt-top");
  }

  /* ---------------------------------------------------------------- start */
  async function loadVisualizerManifest() {
    const response = await fetch(VISUALIZER_MANIFEST);
    if (!response.ok) throw new Error(t("err_load", { file: "lenet5_manifest.json", status: response.status }));
    const manifest = await response.json();
    usePreprocessing(manifest.preprocessing);
    useWeightColours(manifest.colormaps.weight);
  }

  Promise.all([trainer.ready, loadVisualizerManifest()]).then(() => {
    build();
    readAddress();
    el.clear.addEventListener("click", clearPad);
    for (const input of [el.model, el.rate, el.batch, el.seed]) {
      input.addEventListener("change", () => {
        if (checkForm()) writeAddress();
      });
    }
    el.start.addEventListener("click", onStart);
    el.pause.addEventListener("click", () => trainer.pause());
    el.resume.addEventListener("click", onResume);
    el.reset.addEventListener("click", onReset);
    root.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (!el.start.disabled) onStart();
    });
    trainer.on("state", onState);
    trainer.on("progress", onProgress);
    trainer.on("evaluation", onEvaluation);
    trainer.on("error", (detail) => (el.state.textContent = t("stopped", { message: readerMessage(detail) })));
    onState({ status: "idle", config: null });
    redraw();
    // Redraw the charts in the other colour scheme when the reader switches it.
    new MutationObserver(() => scheduleRedraw()).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    window.addEventListener("resize", () => scheduleRedraw());
    root.dataset.ready = "true";
  }).catch((error) => {
    root.replaceChildren(make("p", { class: "lt-error", text: t("could_not_start", { message: readerMessage(error) }) }));
    root.dataset.ready = "error";
  });

  window.lenetTrainerPage = { ui: ui, redraw: redraw, readPad: readPad, clearPad: clearPad,
    readerMessage: readerMessage };
})();
