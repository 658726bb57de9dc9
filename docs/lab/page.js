/*
 * The invariance lab's page: a digit (drawn, or an MNIST test digit), its transforms, every layer and the output
 * live, a sweep across one transform, the occlusion map and each unit's favourite test digits. The networks and
 * the transforms are in lab.js (window.lenetLab); this file only draws.
 */
import { section } from "../i18n/i18n.js";
import { hexTable, paint, paintInk, pixelCanvas } from "../shared/canvas.js";
import { fillBars, make } from "../shared/dom.js";
import { attachDrawPad } from "../shared/drawpad.js";
import { probability, signed } from "../shared/format.js";
import { NoInkError, preprocess } from "../shared/preprocess.js";

(function () {
  const root = document.getElementById("lab-root");
  if (!root) return;
  const lab = window.lenetLab;
  const t = section("lab");
  const PAD_SIZE = 280;
  const SIDE = 28;
  const MAP_LAYERS = ["C1", "S2", "C3", "S4", "C5", "F6"];
  const CONTROLS = ["dx", "dy", "rotate", "scale", "thickness", "noise", "affine", "elastic"];
  const state = { model: "lecture", source: null, x: null, shown: null, result: null, options: {}, examples: [] };
  const el = {};

  /* ---------------------------------------------------------------- drawing helpers */
  const model = () => lab.lab.models.get(state.model);
  const range = () => (model().manifest.scaled_tanh ? [-model().manifest.scaled_tanh.A, model().manifest.scaled_tanh.A] : [0, 1]);
  const conventions = () => lab.lab.data.conventions;

  /* ---------------------------------------------------------------- building the page */
  function build() {
    el.models = make("div", { class: "lab-models", role: "group", "aria-label": t("model_label") },
      ["lecture", "lenet1998"].map((name) => {
        const button = make("button", { type: "button", class: "lv-toggle", "data-model": name,
          "aria-pressed": String(name === state.model), text: t("model_" + name) });
        button.addEventListener("click", () => chooseModel(name));
        return button;
      }));
    el.pad = make("canvas", { id: "lab-pad", width: PAD_SIZE, height: PAD_SIZE, tabindex: "0", role: "application",
      "aria-label": t("pad_label"), "aria-describedby": "lab-pad-help" });
    el.cursor = make("div", { class: "lv-cursor", hidden: "" });
    el.clear = make("button", { type: "button", class: "lv-button", id: "lab-clear", text: t("clear") });
    el.examples = make("div", { class: "lv-examples", role: "group", "aria-label": t("examples_label") });
    const padArea = make("section", { class: "lab-pad-area" }, [
      make("h3", { text: t("draw_here") }),
      make("div", { class: "lv-pad-frame lab-pad-frame" }, [el.pad, el.cursor]),
      make("div", { class: "lv-buttons" }, [el.clear]),
      make("p", { class: "lv-hint", id: "lab-pad-help", text: t("pad_help") }),
      make("h3", { text: t("or_load") }), el.examples,
    ]);
    el.controls = make("div", { class: "lab-controls" });
    for (const name of CONTROLS) el.controls.append(slider(name));
    el.seed = make("input", { type: "number", id: "lab-seed", min: "0", step: "1", value: "1", class: "lab-seed" });
    el.seed.addEventListener("input", () => update());
    el.reset = make("button", { type: "button", class: "lv-button", id: "lab-reset", text: t("reset") });
    el.reset.addEventListener("click", resetControls);
    el.controls.append(make("div", { class: "lab-control" }, [make("label", { for: "lab-seed", text: t("seed") }), el.seed]),
      make("div", { class: "lv-buttons" }, [el.reset]));
    const controlArea = make("section", { class: "lab-control-area" }, [make("h3", { text: t("transforms") }), el.controls]);
    el.input = pixelCanvas(SIDE, SIDE, 5, t("input_seen"), "lab-cells");
    el.guess = make("p", { class: "lv-guess", id: "lab-guess", text: "–" });
    el.bars = make("div", { class: "lv-bars", "aria-hidden": "true" });
    for (let d = 0; d < 10; d++) {
      el.bars.append(make("div", { class: "lv-bar" }, [make("span", { class: "lv-bar-fill" }), make("span", { class: "lv-bar-label", text: String(d) })]));
    }
    el.status = make("p", { class: "lv-status", id: "lab-status", text: t("loading") });
    const summary = make("section", { class: "lab-summary", "aria-live": "polite" },
      [make("h3", { text: t("transformed") }), el.input, el.guess, el.bars, el.status]);
    el.layers = make("div", { class: "lab-layers", id: "lab-layers" });
    root.replaceChildren(el.models, make("div", { class: "lab-top" }, [padArea, controlArea, summary]), el.layers);
    el.pad.lvPad = attachDrawPad(el.pad, el.cursor, { penWidth: 22, keyStep: 10, penDownClass: "lv-pen-down",
      onDrawing: () => { state.source = "pad"; schedule(); }, onDrawn: () => { state.source = "pad"; readPad(); },
      onClear: () => { state.source = "pad"; readPad(); } });
    el.pad.lvPad.clear();
  }

  function slider(name) {
    const [lo, hi, step] = conventions().ranges[name];
    const input = make("input", { type: "range", id: "lab-" + name, min: String(lo), max: String(hi), step: String(step),
      value: String(conventions().defaults[name]), "data-control": name });
    const output = make("output", { for: "lab-" + name, id: "lab-" + name + "-value" });
    input.addEventListener("input", () => update());
    el[name] = input;
    el[name + "Value"] = output;
    return make("div", { class: "lab-control" }, [make("label", { for: "lab-" + name, text: t("control_" + name) }), input, output]);
  }

  function resetControls() {
    for (const name of CONTROLS) el[name].value = String(conventions().defaults[name]);
    el.seed.value = String(conventions().defaults.seed);
    update();
  }

  function options() {
    const o = {};
    for (const name of CONTROLS) o[name] = Number(el[name].value);
    o.seed = Math.max(0, Math.floor(Number(el.seed.value) || 0));
    return o;
  }

  function valueText(name, v) {
    return t("value_" + name, { v: name === "scale" || name === "noise" || name === "affine" ? v.toFixed(2) : signed(v, 0) });
  }

  /* ---------------------------------------------------------------- the input */
  let pending = 0;
  function schedule() {
    if (pending) return;
    pending = requestAnimationFrame(() => { pending = 0; readPad(); });
  }

  function readPad() {
    if (!lab.lab.data) return;
    const image = el.pad.lvPad.context().getImageData(0, 0, PAD_SIZE, PAD_SIZE);
    try {
      state.x = preprocess(image);
    } catch (error) {
      if (!(error instanceof NoInkError)) throw error;
      state.x = null;
    }
    update();
  }

  function loadDigit(pixels, label) {
    const small = make("canvas", { width: SIDE, height: SIDE });
    paintInk(small, pixels);
    const ctx = el.pad.lvPad.context();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, PAD_SIZE, PAD_SIZE);
    state.source = "example";
    state.label = label;
    state.x = Float32Array.from(pixels);
    update();
  }

  async function buildExamples() {
    const response = await fetch(new URL("../visualizer/examples.json", import.meta.url));
    if (!response.ok) return;
    const examples = await response.json();
    examples.digits.forEach((digit) => {
      const pixels = Float32Array.from(digit.pixels, (v) => v / 255);
      const canvas = make("canvas", { width: SIDE, height: SIDE, "aria-hidden": "true" });
      paintInk(canvas, pixels);
      const button = make("button", { type: "button", class: "lv-example",
        "aria-label": t("example_label", { number: digit.index + 1, label: digit.label }) }, [canvas]);
      button.addEventListener("click", () => loadDigit(pixels, digit.label));
      el.examples.append(button);
      state.examples.push({ pixels: pixels, label: digit.label });
    });
  }

  /* ---------------------------------------------------------------- the network, live */
  function chooseModel(name) {
    state.model = name;
    el.models.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.model === name)));
    buildLayers();
    update();
    showUnits();
  }

  function buildLayers() {
    el.maps = {};
    el.layers.replaceChildren();
    for (const layer of model().layers.filter((l) => MAP_LAYERS.includes(l.name))) {
      const shape = layer.output_shape;
      const maps = make("div", { class: "lab-maps" });
      if (shape.length === 3 && shape[0] > 1) {
        for (let c = 0; c < shape[2]; c++) maps.append(pixelCanvas(shape[1], shape[0], layer.name === "C1" ? 3 : 5, t("map_label", { layer: layer.name, map: c + 1 }), "lab-cells"));
      } else {
        const units = shape[shape.length - 1];
        const columns = layer.name === "C5" ? 20 : 21;
        maps.append(pixelCanvas(columns, Math.ceil(units / columns), 10, t("units_label", { layer: layer.name, units: units }), "lab-cells"));
      }
      el.maps[layer.name] = { layer: layer, maps: maps };
      el.layers.append(make("section", { class: "lab-layer" }, [make("h4", { text: layer.name }), maps]));
    }
  }

  function update() {
    if (!lab.lab.data || !el.maps) return; // not built yet
    const o = options();
    for (const name of CONTROLS) el[name + "Value"].textContent = valueText(name, o[name]);
    state.options = o;
    state.shown = state.x ? lab.transform(state.x, o) : null;
    state.result = state.shown ? lab.lab.forward(state.model, state.shown) : null;
    draw();
  }

  function draw() {
    const lut = el.lut[state.model];
    paint(el.input, state.shown || new Float32Array(SIDE * SIDE), lut, 0, 1);
    const fills = el.bars.querySelectorAll(".lv-bar-fill");
    if (!state.result) {
      el.guess.textContent = "–";
      el.status.textContent = t("status_empty");
      fillBars(fills, null);
    } else {
      const p = state.result.probabilities;
      const best = p.indexOf(Math.max(...p));
      el.guess.textContent = t("guess", { digit: best, p: probability(p[best]) });
      el.status.textContent = state.source === "example" ? t("status_example", { label: state.label }) : "";
      fillBars(fills, p, best, "lv-top1");
    }
    const [lo, hi] = range();
    for (const { layer, maps } of Object.values(el.maps)) {
      const entry = state.result ? state.result.layers.find((l) => l.name === layer.name) : null;
      const size = layer.output_shape.reduce((a, b) => a * b, 1);
      const values = entry ? entry.values : new Float32Array(size);
      const canvases = maps.querySelectorAll("canvas");
      if (canvases.length === 1) {
        paint(canvases[0], values, lut, lo, hi);
        continue;
      }
      const [h, w, channels] = layer.output_shape;
      canvases.forEach((canvas, c) => paint(canvas, Float32Array.from({ length: h * w }, (_, i) => values[i * channels + c]), lut, lo, hi));
    }
  }

  /* ---------------------------------------------------------------- the sweep */
  function buildSweep() {
    const target = document.getElementById("lab-sweep");
    if (!target) return;
    el.sweepChoice = make("select", { id: "lab-sweep-choice" },
      CONTROLS.map((name) => make("option", { value: name, text: t("control_" + name) })));
    el.sweepRun = make("button", { type: "button", class: "lv-button", id: "lab-sweep-run", text: t("sweep_run") });
    el.sweepRun.addEventListener("click", runSweep);
    el.sweepChart = make("div", { class: "lab-chart", id: "lab-sweep-chart" });
    el.sweepTable = make("div", { class: "lab-sweep-table" });
    target.replaceChildren(make("div", { class: "lab-row" }, [make("label", { for: "lab-sweep-choice", text: t("sweep_label") }),
      el.sweepChoice, el.sweepRun]), el.sweepChart, el.sweepTable);
  }

  function sweepValues(name) {
    const [lo, hi, step] = conventions().ranges[name];
    const n = conventions().sweep_steps;
    const values = [];
    for (let i = 0; i < n; i++) values.push(Math.round((lo + ((hi - lo) * i) / (n - 1)) / step) * step);
    return [...new Set(values.map((v) => Number(v.toFixed(6))))];
  }

  function runSweep() {
    if (!state.x) {
      el.sweepChart.replaceChildren(make("p", { text: t("status_empty") }));
      el.sweepTable.replaceChildren();
      return;
    }
    const name = el.sweepChoice.value;
    const values = sweepValues(name);
    const rows = values.map((v) => Array.from(lab.lab.forward(state.model, lab.transform(state.x, Object.assign({}, state.options, { [name]: v }))).probabilities));
    el.sweepChart.replaceChildren(sweepChart(name, values, rows));
    const header = make("tr", {}, [make("th", { scope: "col", text: t("control_" + name) }),
      ...Array.from({ length: 10 }, (_, d) => make("th", { scope: "col", text: "p(" + d + ")" }))]);
    const body = rows.map((p, i) => make("tr", {}, [make("th", { scope: "row", text: valueText(name, values[i]) }),
      ...p.map((v) => make("td", { text: (100 * v).toFixed(1) }))]));
    el.sweepTable.replaceChildren(make("details", {}, [make("summary", { text: t("sweep_table") }),
      make("div", { class: "lab-scroll", tabindex: "0", role: "region", "aria-label": t("sweep_table") },
        [make("table", {}, [make("caption", { text: t("sweep_caption", { name: t("control_" + name) }) }),
          make("thead", {}, [header]), make("tbody", {}, body)])])]));
  }

  function svg(tag, attrs, children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  // Ten lines, p(digit) against the transform's value; each line named at its end (and in the table below).
  function sweepChart(name, values, rows) {
    const W = 420, H = 220, L = 40, R = 30, T = 10, B = 34;
    const x = (i) => L + ((W - L - R) * i) / Math.max(1, values.length - 1);
    const y = (p) => T + (H - T - B) * (1 - p);
    const winners = rows.map((p) => p.indexOf(Math.max(...p)));
    const summary = values.map((v, i) => valueText(name, v) + " → " + winners[i]).join(t("list_separator"));
    const chart = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "lab-sweep-svg", role: "img",
      "aria-label": t("sweep_alt", { name: t("control_" + name), summary: summary }) });
    for (const p of [0, 0.5, 1]) {
      chart.append(svg("line", { x1: L, x2: W - R, y1: y(p), y2: y(p), class: "lab-grid" }),
        svg("text", { x: L - 4, y: y(p) + 4, "text-anchor": "end", text: (100 * p).toFixed(0) + "%" }));
    }
    values.forEach((v, i) => {
      if (i % Math.ceil(values.length / 7) === 0 || i === values.length - 1) {
        chart.append(svg("text", { x: x(i), y: H - B + 14, "text-anchor": "middle", text: valueText(name, v) }));
      }
    });
    chart.append(svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle", text: t("control_" + name) }));
    for (let d = 0; d < 10; d++) {
      const points = rows.map((p, i) => x(i).toFixed(1) + "," + y(p[d]).toFixed(1)).join(" ");
      const top = winners.includes(d);
      chart.append(svg("polyline", { points: points, class: "lab-line lab-line-" + d + (top ? " lab-line-top" : "") }));
      if (top) chart.append(svg("text", { x: W - R + 4, y: y(rows[rows.length - 1][d]) + 4, class: "lab-line-label", text: String(d) }));
    }
    return chart;
  }

  /* ---------------------------------------------------------------- occlusion */
  function buildOcclusion() {
    const target = document.getElementById("lab-occlusion");
    if (!target) return;
    el.patch = make("select", { id: "lab-patch" }, [2, 3, 4, 5, 6, 7, 8].map((p) => make("option", { value: String(p), text: p + "×" + p })));
    el.patch.value = "4";
    el.cls = make("select", { id: "lab-cls" }, [make("option", { value: "", text: t("cls_guess") }),
      ...Array.from({ length: 10 }, (_, d) => make("option", { value: String(d), text: String(d) }))]);
    el.occlusionRun = make("button", { type: "button", class: "lv-button", id: "lab-occlusion-run", text: t("occlusion_run") });
    el.occlusionRun.addEventListener("click", runOcclusion);
    el.occlusionMap = make("div", { class: "lab-occlusion-map" });
    el.occlusionText = make("p", { id: "lab-occlusion-text", "aria-live": "polite" });
    target.replaceChildren(make("div", { class: "lab-row" }, [
      make("label", { for: "lab-patch", text: t("patch") }), el.patch,
      make("label", { for: "lab-cls", text: t("cls") }), el.cls, el.occlusionRun]), el.occlusionMap, el.occlusionText);
  }

  async function runOcclusion() {
    if (!state.shown) {
      el.occlusionText.textContent = t("status_empty");
      return;
    }
    const patch = Number(el.patch.value);
    const p = state.result.probabilities;
    const cls = el.cls.value === "" ? p.indexOf(Math.max(...p)) : Number(el.cls.value);
    el.occlusionRun.disabled = true;
    el.occlusionText.textContent = t("occlusion_busy");
    const drops = await lab.occlusionInChunks(state.shown, { model: state.model, patch: patch, cls: cls });
    el.occlusionRun.disabled = false;
    const n = SIDE + 1 - patch;
    const largest = Math.max(...drops.map(Math.abs), 1e-9);
    const canvas = pixelCanvas(n, n, Math.floor(168 / n), t("occlusion_label", { cls: cls, patch: patch }), "lab-cells");
    paint(canvas, drops, el.weightLut[state.model], -largest, largest);
    const at = drops.indexOf(Math.max(...drops));
    el.occlusionMap.replaceChildren(canvas);
    el.occlusionText.textContent = t("occlusion_result", { cls: cls, p: probability(p[cls]), drop: signed(drops[at], 4),
      row: Math.floor(at / n) + 1, col: (at % n) + 1, patch: patch, largest: signed(largest, 4) });
  }

  /* ---------------------------------------------------------------- each unit's favourite digits */
  function buildUnits() {
    const target = document.getElementById("lab-units");
    if (!target) return;
    el.unitLayer = make("select", { id: "lab-unit-layer" }, lab.lab.data.units.layers.map((l) => make("option", { value: l, text: l })));
    el.unit = make("input", { type: "number", id: "lab-unit", min: "1", value: "1", class: "lab-seed" });
    el.unitLayer.addEventListener("change", showUnits);
    el.unit.addEventListener("input", showUnits);
    el.unitDigits = make("div", { class: "lab-unit-digits", id: "lab-unit-digits" });
    el.unitText = make("p", { id: "lab-unit-text" });
    target.replaceChildren(make("div", { class: "lab-row" }, [make("label", { for: "lab-unit-layer", text: t("unit_layer") }),
      el.unitLayer, make("label", { for: "lab-unit", text: t("unit_number") }), el.unit]), el.unitText, el.unitDigits);
  }

  function showUnits() {
    if (!el.unitLayer) return;
    const layer = el.unitLayer.value;
    const count = lab.lab.data.units.top[state.model][layer].length;
    el.unit.max = String(count);
    const unit = Math.min(count, Math.max(1, Math.floor(Number(el.unit.value) || 1)));
    const entries = lab.topEntries({ model: state.model, layer: layer, unit: unit - 1 });
    el.unitText.textContent = t("unit_text", { layer: layer, unit: unit, count: count, k: entries.length,
      total: lab.lab.data.test.count.toLocaleString("en-US") });
    el.unitDigits.replaceChildren(...entries.map((e) => {
      const digit = lab.digit(e.index);
      const canvas = make("canvas", { width: SIDE * 3, height: SIDE * 3, "aria-hidden": "true" });
      const small = make("canvas", { width: SIDE, height: SIDE });
      paintInk(small, digit.pixels);
      const ctx = canvas.getContext("2d");
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, SIDE * 3, SIDE * 3);
      ctx.strokeStyle = "#d55e00";
      ctx.lineWidth = 2;
      const top = Math.max(0, e.patch.top), left = Math.max(0, e.patch.left);
      const bottom = Math.min(SIDE, e.patch.bottom), right = Math.min(SIDE, e.patch.right);
      ctx.strokeRect(left * 3 + 1, top * 3 + 1, (right - left) * 3 - 2, (bottom - top) * 3 - 2);
      const words = t("unit_digit", { number: e.index + 1, label: e.label, value: signed(e.activation, 4),
        rows: (top + 1) + "–" + bottom, cols: (left + 1) + "–" + right });
      const button = make("button", { type: "button", class: "lab-unit-digit", "aria-label": words + t("load_it") },
        [canvas, make("span", { text: t("unit_caption", { number: e.index + 1, value: signed(e.activation, 2) }) })]);
      button.addEventListener("click", () => loadDigit(digit.pixels, digit.label));
      return button;
    }));
  }

  /* ---------------------------------------------------------------- start */
  lab.ready.then(async () => {
    el.lut = {};
    el.weightLut = {};
    for (const [name, m] of lab.lab.models) {
      el.lut[name] = hexTable(m.manifest.colormaps.activation);
      el.weightLut[name] = hexTable(m.manifest.colormaps.weight);
    }
    build();
    buildLayers();
    buildSweep();
    buildOcclusion();
    buildUnits();
    showUnits();
    await buildExamples();
    // The lab opens on the first example digit, so every layer shows something before the reader draws.
    if (state.examples.length) loadDigit(state.examples[0].pixels, state.examples[0].label);
    else update();
    root.dataset.ready = "true";
  }).catch((error) => {
    root.textContent = t("could_not_start", { message: error.message });
    root.dataset.ready = "error";
  });

  lab.ui = { state: state, loadDigit: loadDigit, chooseModel: chooseModel, update: update, runSweep: runSweep, runOcclusion: runOcclusion };
})();
