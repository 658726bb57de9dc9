/*
 * The "How it learns" page: the settings, the forward pass and the loss, the backward pass layer by layer, the
 * stepper that builds one C1 kernel gradient cell by cell, the chain rule for one weight with a finite-difference
 * check, and Adam's update of that weight. Every number comes from learn.js (window.lenetLearn), which runs the
 * train page's engine; this file only draws. A drawing is preprocessed by the visualizer's code
 * (../shared/preprocess.js) with the constants of the visualizer's manifest.
 */
import { hasString, section } from "../i18n/i18n.js";
import { paintInk } from "../shared/canvas.js";
import { make } from "../shared/dom.js";
import { attachDrawPad } from "../shared/drawpad.js";
import { probability } from "../shared/format.js";
import { NoInkError, preprocess, usePreprocessing } from "../shared/preprocess.js";
import { moveTo } from "../steppers/steppers.js";

(function () {
  const root = document.getElementById("ll-root");
  if (!root) return;
  const learn = window.lenetLearn;
  const words = section("learn");
  // A sentence in the page's language; a Chinese one filled with a Chinese layer name (输出层) has no space left
  // between two Chinese characters.
  const t = (key, params) => words(key, params).replace(/([\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, "$1");
  // A layer's name as the page says it: Keras' name, or the word tables' (the output layer, Flatten) where they have one.
  const named = (name) => (hasString("learn", "layer_" + name) ? t("layer_" + name) : name);
  const terr = section("train"); // the data's and the settings' errors are the train page's
  const VISUALIZER_MANIFEST = new URL("../visualizer/lenet5_manifest.json", import.meta.url);
  const PAD = 200, PEN = 16, KEY_STEP = 8;
  const EPSILONS = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6];
  const integer = new Intl.NumberFormat("en-US"); // 2,000 in both languages, as the pages' macros write it
  const el = {};
  const ui = { view: null, drawn: null, source: "test", chain: null, cell: 0, filter: 0 };

  /* ---------------------------------------------------------------- numbers */
  const SUPERSCRIPT = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074", 5: "\u2075",
    6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };
  const minus = (text) => text.replace(/^-/, "\u2212");

  // `v` with 3 significant digits: plainly from 0.001 to 9999, else as m×10ⁿ (a real minus sign either way).
  function sig(v, digits = 3) {
    if (v === 0) return "0";
    if (!Number.isFinite(v)) return String(v);
    const exponent = Math.floor(Math.log10(Math.abs(v)));
    if (exponent >= -3 && exponent < 4) return minus(v.toPrecision(digits));
    const [mantissa, power] = v.toExponential(digits - 1).split("e");
    const sup = String(Number(power)).split("").map((c) => SUPERSCRIPT[c]).join("");
    return minus(mantissa) + "\u00d710" + sup;
  }

  // 10ⁿ, written with a superscript.
  function power(n) {
    return "10" + String(n).split("").map((c) => SUPERSCRIPT[c]).join("");
  }

  /* ---------------------------------------------------------------- heat maps */
  // Blue for negative, red for positive, pale grey for 0; symmetric about 0, so the scale is one number.
  const NEGATIVE = [33, 102, 172], ZERO = [240, 240, 240], POSITIVE = [178, 24, 43];

  function colour(v, scale) {
    const s = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
    const end = s < 0 ? NEGATIVE : POSITIVE;
    const a = Math.abs(s);
    return ZERO.map((z, i) => Math.round(z + (end[i] - z) * a));
  }

  function largest(values) {
    let m = 0;
    for (const v of values) if (Math.abs(v) > m) m = Math.abs(v);
    return m;
  }

  // A canvas of rows × cols cells from values[index(r, c)], each cell `zoom` pixels, labelled for screen readers.
  function heatmap(rows, cols, value, scale, zoom, label, zoomY) {
    const canvas = make("canvas", { width: cols, height: rows, role: "img", "aria-label": label, class: "ll-map" });
    // Its drawn size; on a narrow screen it shrinks to the column's width (CSS max-width), keeping its proportions.
    canvas.style.width = cols * zoom + "px";
    canvas.style.aspectRatio = cols * zoom + " / " + rows * (zoomY || zoom);
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(cols, rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [red, green, blue] = colour(value(r, c), scale);
        const o = (r * cols + c) * 4;
        image.data[o] = red; image.data[o + 1] = green; image.data[o + 2] = blue; image.data[o + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
    return canvas;
  }

  // Every channel of an (h, w, c) tensor as its own small map, side by side, on one scale.
  function channelMaps(shape, values, what, layerName) {
    // Units (a dense layer's, or a convolution's with one position, like C5's) are one strip; maps are side by side.
    const units = shape.length !== 3 || (shape[0] === 1 && shape[1] === 1);
    const [h, w, c] = units ? [1, shape[shape.length - 1], 1] : shape;
    const scale = largest(values);
    const zoom = Math.max(1, Math.min(8, Math.floor(84 / Math.max(h, w))));
    const maps = [];
    for (let k = 0; k < c; k++) {
      const label = t("map_label", { what: what, layer: layerName, map: k + 1, low: sig(minOf(values, c, k)), high: sig(maxOf(values, c, k)) });
      maps.push(make("figure", { class: "ll-tile" }, [
        // A layer of units (h = 1) is one strip of cells, each tall enough to see.
        heatmap(h, w, (r, col) => values[(r * w + col) * c + k], scale, h === 1 ? Math.max(3, Math.min(24, Math.floor(336 / w))) : zoom,
          label, h === 1 ? 14 : zoom),
        c > 1 ? make("figcaption", { text: String(k + 1), "aria-hidden": "true" }) : null,
      ].filter(Boolean)));
    }
    return { maps: make("div", { class: "ll-maps" }, maps), scale: scale };
  }

  function minOf(values, stride, offset) {
    let m = Infinity;
    for (let i = offset; i < values.length; i += stride) m = Math.min(m, values[i]);
    return m;
  }

  function maxOf(values, stride, offset) {
    let m = -Infinity;
    for (let i = offset; i < values.length; i += stride) m = Math.max(m, values[i]);
    return m;
  }

  function colourKey() {
    return make("p", { class: "ll-scale", text: t("scale") });
  }

  /* ---------------------------------------------------------------- the settings */
  function field(id, labelText, control, help) {
    return make("div", { class: "lt-field" }, [make("label", { for: id, text: labelText }), control,
      help ? make("p", { class: "lt-help", id: id + "-help", text: help }) : null].filter(Boolean));
  }

  function buildSettings() {
    const m = learn.manifest;
    el.model = make("select", { id: "ll-model" }, Object.keys(m.models).map((name) =>
      make("option", { value: name, text: t("model_" + name) })));
    el.seed = make("input", { id: "ll-seed", type: "number", min: "0", step: "1", value: String(m.recipe.seed),
      inputmode: "numeric" });
    el.digit = make("input", { id: "ll-digit", type: "number", min: "1", max: String(learn.test.count), step: "1",
      value: "1", inputmode: "numeric", "aria-describedby": "ll-digit-help" });
    el.rate = make("input", { id: "ll-rate", type: "number", min: "0", max: "1", step: "any",
      value: String(m.optimizer.learning_rate) });
    el.error = make("p", { class: "lt-error", id: "ll-error", role: "alert" });
    el.pad = make("canvas", { id: "ll-pad", width: PAD, height: PAD, tabindex: "0", role: "application",
      "aria-label": t("pad_label"), "aria-describedby": "ll-pad-help" });
    el.cursor = make("div", { class: "lt-cursor", hidden: "" });
    el.clear = make("button", { type: "button", class: "lt-button lt-secondary", id: "ll-clear", text: t("clear") });
    el.label = make("select", { id: "ll-label" }, Array.from({ length: 10 }, (_, d) => make("option", { value: String(d), text: String(d) })));
    el.source = make("p", { class: "ll-source", id: "ll-source", "aria-live": "polite" });
    const controls = make("div", { class: "lt-controls" }, [
      field("ll-model", t("label_model"), el.model),
      field("ll-seed", t("label_seed"), el.seed),
      field("ll-digit", t("label_digit"), el.digit, t("digit_help", { count: integer.format(learn.test.count) })),
      field("ll-rate", t("label_rate"), el.rate),
    ]);
    const draw = make("div", { class: "ll-draw" }, [
      make("div", { class: "lt-pad-frame" }, [el.pad, el.cursor]),
      make("div", { class: "ll-draw-side" }, [
        make("p", { class: "lt-help", id: "ll-pad-help", text: t("pad_help") }),
        field("ll-label", t("label_label"), el.label), el.clear,
      ]),
    ]);
    el.settings.replaceChildren(controls, el.error, el.source, draw);
    for (const input of [el.model, el.seed, el.digit, el.rate]) input.addEventListener("change", () => {
      if (input === el.digit) ui.source = "test";
      update();
    });
    el.label.addEventListener("change", () => { if (ui.drawn) update(); });
    el.clear.addEventListener("click", () => pad.clear());
    pad = attachDrawPad(el.pad, el.cursor, { penWidth: PEN, keyStep: KEY_STEP, penDownClass: "lt-pen-down",
      onDrawn: readPad, onClear: onPadCleared });
    pad.clear();
  }

  let pad = null;

  function readPad() {
    try {
      ui.drawn = preprocess(pad.context().getImageData(0, 0, PAD, PAD));
      ui.source = "drawing";
    } catch (error) {
      if (!(error instanceof NoInkError)) throw error;
      ui.drawn = null;
      ui.source = "test";
    }
    update();
  }

  function onPadCleared() {
    const had = ui.drawn !== null;
    ui.drawn = null;
    ui.source = "test";
    if (had) update();
  }

  function options() {
    const o = { model: el.model.value, seed: Number(el.seed.value), learning_rate: Number(el.rate.value) };
    if (el.seed.value.trim() === "") o.seed = NaN;
    if (ui.source === "drawing" && ui.drawn) {
      o.pixels = ui.drawn;
      o.label = Number(el.label.value);
    } else {
      o.digit = Number(el.digit.value) - 1;
    }
    return o;
  }

  function update() {
    let view;
    try {
      const o = options();
      if (o.digit !== undefined && !(Number.isInteger(o.digit) && o.digit >= 0 && o.digit < learn.test.count)) {
        throw Object.assign(new Error("digit"), { key: "err_digit" });
      }
      view = learn.explain(learn.run(o));
    } catch (error) {
      el.error.textContent = error.key ? (error.key === "err_digit" ? t("err_digit", { count: integer.format(learn.test.count) }) : terr(error.key, error.values))
        : String(error.message);
      return;
    }
    el.error.textContent = "";
    ui.view = view;
    el.source.textContent = ui.source === "drawing" ? t("source_drawing", { label: view.label })
      : t("source_test", { digit: view.digit + 1, label: view.label });
    drawForward();
    drawBackward();
    resetStepper();
    if (!ui.chain || !learn.chainLayers(view).some((l) => l.name === ui.chain.layer)) chooseDefaultWeight();
    drawChain();
    root.dataset.ready = "true";
    document.dispatchEvent(new CustomEvent("lenet-learn-updated"));
  }

  /* ---------------------------------------------------------------- forward and the loss */
  function drawForward() {
    const v = ui.view;
    const input = heatInput(v.input, 4, t("input_label", { label: v.label }));
    const rows = [];
    for (let d = 0; d < v.probabilities.length; d++) {
      const p = v.probabilities[d], y = d === v.label ? 1 : 0;
      const tr = make("tr", d === v.label ? { class: "ll-true" } : {}, [
        make("th", { scope: "row", text: String(d) }),
        make("td", { text: probability(p) }),
        make("td", { text: String(y) }),
        make("td", { text: sig(p - y) }),
      ]);
      rows.push(tr);
    }
    const table = make("table", { class: "ll-table", id: "ll-probabilities" }, [
      make("caption", { text: t("prob_caption") }),
      make("thead", {}, [make("tr", {}, [t("col_digit"), t("col_p"), t("col_y"), t("col_pmy")].map((h) => make("th", { scope: "col", text: h })))]),
      make("tbody", {}, rows),
    ]);
    const p = v.probabilities[v.label];
    el.loss.replaceChildren(make("p", { id: "ll-loss-line", text: t("loss_line", {
      label: v.label, p: sig(p, 4), loss: sig(v.loss, 4) }) }));
    el.forward.replaceChildren(make("div", { class: "ll-forward" }, [make("figure", { class: "ll-input" }, [input,
      make("figcaption", { text: t("input_caption") })]), make("div", { class: "ll-scroll", tabindex: "0", role: "region",
      "aria-label": t("prob_caption") }, [table])]));
  }

  // The input in grey levels (ink dark), as MNIST shows it.
  function heatInput(values, zoom, label) {
    const canvas = make("canvas", { width: 28, height: 28, role: "img", "aria-label": label, class: "ll-map" });
    canvas.style.width = 28 * zoom + "px";
    paintInk(canvas, values);
    return canvas;
  }

  /* ---------------------------------------------------------------- backward, layer by layer */
  function rule(layer, index, layers) {
    if (index === layers.length - 1) return t("rule_output");
    if (layer.type === "Flatten") return t("rule_flatten");
    if (layer.type === "AveragePooling2D") return t("rule_average", { n: layer.spec.pool_size[0] * layer.spec.pool_size[1] });
    if (layer.type === "MaxPooling2D") return t("rule_max");
    const act = layer.activation === "sigmoid" ? t("rule_sigmoid") : t("rule_relu");
    const weights = layer.type === "Dense" ? t("rule_dense") : index === 0 || layer.outShape[0] > 1 ? t("rule_conv") : t("rule_c5");
    return act + t("rule_join") + weights;
  }

  function describe(layer) {
    const s = layer.outShape;
    return s.length === 3 ? t("shape_maps", { n: s[2], h: s[0], w: s[1] }) : t("shape_units", { n: s[0] });
  }

  function drawBackward() {
    const v = ui.view;
    const cards = [];
    for (let i = v.layers.length - 1; i >= 0; i--) {
      const layer = v.layers[i];
      const parts = [make("h3", { id: "ll-layer-" + layer.name, text: named(layer.name) + " · " + layer.type + " · " + describe(layer) }),
        make("p", { class: "ll-rule", text: rule(layer, i, v.layers) })];
      if (layer.type === "Flatten") {
        cards.push(make("section", { class: "ll-card", "data-layer": layer.name, "aria-labelledby": "ll-layer-" + layer.name }, parts));
        continue;
      }
      const last = i === v.layers.length - 1;
      if (!last) {
        const shown = channelMaps(layer.outShape, layer.dOut, "\u2202L/\u2202a", named(layer.name));
        parts.push(make("p", { class: "ll-what", text: t("what_dout", { layer: named(layer.name), max: sig(shown.scale) }) }), shown.maps);
      }
      if (layer.dSum) {
        if (!last) {
          const z = channelMaps(layer.outShape, layer.dSum, "\u2202L/\u2202z", named(layer.name));
          parts.push(make("p", { class: "ll-what", text: t("what_dsum", { layer: named(layer.name), max: sig(z.scale) }) }), z.maps);
        } else {
          const z = channelMaps(layer.outShape, layer.dSum, "\u2202L/\u2202z", named(layer.name));
          parts.push(make("p", { class: "ll-what", text: t("what_dsum_output", { max: sig(z.scale) }) }), z.maps);
        }
        parts.push(kernelPicture(layer));
      }
      cards.push(make("section", { class: "ll-card", "data-layer": layer.name, "aria-labelledby": "ll-layer-" + layer.name }, parts));
    }
    el.backward.replaceChildren(colourKey(), ...cards);
  }

  // A layer's kernel gradient: a dense layer's as one (inputs × units) matrix, a convolution's as one
  // kh × kw tile per (input channel, filter), input channels down, filters across.
  function kernelPicture(layer) {
    const shape = layer.kernelShape;
    const g = layer.dKernel;
    const scale = largest(g);
    let canvas;
    const label = t("kernel_label", { layer: named(layer.name), shape: shape.join("×"), max: sig(scale) });
    if (shape.length === 2) {
      const [inputs, units] = shape;
      canvas = heatmap(inputs, units, (r, c) => g[r * units + c], scale, Math.max(2, Math.min(24, Math.floor(360 / units))), label,
        Math.max(2, Math.floor(240 / inputs)));
    } else {
      const [kh, kw, inC, out] = shape;
      const gap = 1;
      const rows = inC * (kh + gap) - gap, cols = out * (kw + gap) - gap;
      canvas = heatmap(rows, cols, (r, c) => {
        const ci = Math.floor(r / (kh + gap)), ky = r % (kh + gap), f = Math.floor(c / (kw + gap)), kx = c % (kw + gap);
        if (ky === kh || kx === kw) return 0;
        return g[((ky * kw + kx) * inC + ci) * out + f];
      }, scale, Math.max(1, Math.min(8, Math.floor(480 / Math.max(rows, cols)))), label);
    }
    return make("figure", { class: "ll-kernel" }, [make("div", { class: "ll-scroll", tabindex: "0", role: "region", "aria-label": label }, [canvas]),
      make("figcaption", { text: shape.length === 2 ? t("kernel_dense", { layer: named(layer.name), max: sig(scale), rows: shape[0], cols: shape[1] })
        : t("kernel_conv", { layer: named(layer.name), max: sig(scale), h: shape[0], w: shape[1], inputs: shape[2], filters: shape[3] }) })]);
  }

  /* ---------------------------------------------------------------- the stepper: C1's kernel gradient, cell by cell */
  function buildStepper() {
    const s = el.stepper; // the page's root element, with its instructions and its status line
    el.filterButtons = [];
    const group = make("div", { class: "lx-step-options", role: "group", "aria-label": t("filter_group") },
      [make("span", { class: "lx-step-label", text: t("filter_group") })]);
    el.stepperStage = make("div", { class: "lx-stepper-stage ll-stepper-stage" });
    el.status = s.querySelector(".lx-stepper-status");
    el.back = make("button", { type: "button", class: "lx-step-move", "data-move": "back", text: t("back") });
    el.next = make("button", { type: "button", class: "lx-step-move", "data-move": "next", text: t("next") });
    el.back.addEventListener("click", () => goCell(ui.cell - 1));
    el.next.addEventListener("click", () => goCell(ui.cell + 1));
    s.insertBefore(make("div", { class: "lx-stepper-bar" }, [group, make("div", { class: "lx-step-transport", role: "group",
      "aria-label": t("move_cell") }, [el.back, el.next])]), el.status);
    s.insertBefore(el.stepperStage, el.status);
    el.filterGroup = group;
    s.addEventListener("keydown", onStepperKey);
  }

  function resetStepper() {
    const v = ui.view;
    const c1 = v.layers[0];
    const [kh, kw] = c1.kernelShape;
    const filters = c1.kernelShape[3];
    if (el.filterButtons.length !== filters) {
      el.filterButtons.forEach((b) => b.remove());
      el.filterButtons = Array.from({ length: filters }, (_, f) => {
        const b = make("button", { type: "button", class: "lx-step-choice", "data-choice": String(f),
          "aria-pressed": String(f === ui.filter), text: String(f + 1), "aria-label": t("filter_name", { n: f + 1 }) });
        b.addEventListener("click", () => { ui.filter = f; el.filterButtons.forEach((x, k) => x.setAttribute("aria-pressed", String(k === f))); showCell(); });
        el.filterGroup.append(b);
        return b;
      });
    }
    if (ui.filter >= filters) ui.filter = 0;
    ui.kh = kh; ui.kw = kw;
    ui.cells = null; // a new step: its cells are computed again
    el.cellGrid = [];
    const body = make("tbody");
    for (let r = 0; r < kh; r++) {
      const tr = make("tr");
      el.cellGrid.push([]);
      for (let c = 0; c < kw; c++) {
        const td = make("td");
        td.addEventListener("click", () => goCell(r * kw + c));
        el.cellGrid[r].push(td);
        tr.append(td);
      }
      body.append(tr);
    }
    el.cellCaption = make("caption");
    el.cellTable = make("table", { class: "lx-step-grid lx-pickable ll-cells" }, [el.cellCaption, body]);
    el.window = make("div", { class: "ll-step-window" });
    el.products = make("div", { class: "ll-step-products" });
    el.cellSum = make("p", { class: "lx-step-formula", id: "ll-cell-sum" });
    el.stepperStage.replaceChildren(make("div", { class: "ll-step-panels" }, [el.window, el.products,
      make("div", { class: "ll-step-result" }, [el.cellTable, el.cellSum])]));
    showCell();
  }

  function goCell(i) {
    const n = ui.kh * ui.kw;
    ui.cell = ((i % n) + n) % n;
    showCell();
  }

  function onStepperKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target !== el.stepper && event.target.tagName !== "BUTTON") return;
    const to = moveTo(event.key, ui.cell, ui.kh * ui.kw, ui.kw); // as every stepper moves (../steppers/)
    if (to !== null) {
      event.preventDefault();
      goCell(to);
    }
  }

  function showCell() {
    const v = ui.view;
    const c1 = v.layers[0];
    const f = ui.filter;
    const row = Math.floor(ui.cell / ui.kw), col = ui.cell % ui.kw;
    if (!ui.cells || ui.cells.filter !== f) { // every cell of this filter's kernel, once per step and filter
      const all = [];
      for (let r = 0; r < ui.kh; r++) for (let c = 0; c < ui.kw; c++) all.push(learn.kernelCell(v, f, r, c));
      ui.cells = { filter: f, all: all, scale: largest(all.map((cell) => cell.sum)) };
    }
    const cells = ui.cells.all, scale = ui.cells.scale;
    // The cells share one stated scale (×10ⁿ of the largest), so each shows three digits at most and the grid fits
    // a phone; the status line says each value in full.
    const exponent = scale > 0 ? Math.floor(Math.log10(scale)) : 0;
    const unit = Math.pow(10, exponent);
    el.cellCaption.textContent = t("cells_caption", { filter: f + 1, unit: power(exponent) });
    cells.forEach((cell, k) => {
      const r = Math.floor(k / ui.kw), c = k % ui.kw;
      const td = el.cellGrid[r][c];
      const shown = k <= ui.cell;
      td.textContent = shown ? minus((cell.sum / unit).toFixed(2)) : "";
      const [red, green, blue] = colour(shown ? cell.sum : 0, scale);
      td.style.background = shown ? "rgb(" + red + "," + green + "," + blue + ")" : "";
      td.style.color = shown ? (Math.abs(cell.sum) > 0.55 * scale ? "#ffffff" : "#000000") : "";
      td.classList.toggle("lx-current", k === ui.cell);
    });
    const cell = cells[ui.cell];
    const [outH, outW] = c1.outShape;
    const [padTop, padLeft] = c1.spec.pad;
    // The input as C1 sees it at this kernel cell: shifted by (row − pad, col − pad), zeros outside.
    const shifted = new Float32Array(outH * outW);
    for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) {
      const iy = y + row - padTop, ix = x + col - padLeft;
      shifted[y * outW + x] = iy >= 0 && iy < 28 && ix >= 0 && ix < 28 ? v.input[iy * 28 + ix] : 0;
    }
    const dz = new Float32Array(outH * outW);
    for (let k = 0; k < outH * outW; k++) dz[k] = c1.dSum[k * c1.outShape[2] + f];
    el.window.replaceChildren(make("figure", { class: "ll-tile" }, [heatInput(shifted, 3, t("shifted_label", { row: row + 1, col: col + 1 })),
      make("figcaption", { text: t("shifted_caption", { dy: signedInt(row - padTop), dx: signedInt(col - padLeft) }) })]),
    make("span", { class: "lx-step-times", "aria-hidden": "true", text: "\u00d7" }),
    make("figure", { class: "ll-tile" }, [heatmap(outH, outW, (r, c) => dz[r * outW + c], largest(dz), 3,
      t("dz_label", { filter: f + 1, max: sig(largest(dz)) })), make("figcaption", { text: t("dz_caption", { filter: f + 1 }) })]));
    el.products.replaceChildren(make("figure", { class: "ll-tile" }, [heatmap(outH, outW, (r, c) => cell.terms[r * outW + c],
      largest(cell.terms), 3, t("terms_label", { max: sig(largest(cell.terms)) })), make("figcaption", { text: t("terms_caption") })]));
    el.cellSum.textContent = t("cell_sum", { n: outH * outW, sum: sig(cell.sum), engine: sig(cell.engine) });
    el.status.textContent = t("cell_status", { row: row + 1, col: col + 1, value: sig(cell.sum) });
  }

  function signedInt(n) {
    return n < 0 ? "\u2212" + String(-n) : n > 0 ? "+" + n : "0";
  }

  /* ---------------------------------------------------------------- the chain rule, finite differences, Adam */
  function chooseDefaultWeight() {
    // The weight of the layer before the output with the largest gradient: a long chain, a visible number.
    const layers = learn.chainLayers(ui.view);
    const layer = layers[layers.length - 2] || layers[0];
    let best = 0;
    layer.dKernel.forEach((g, i) => { if (Math.abs(g) > Math.abs(layer.dKernel[best])) best = i; });
    const units = layer.outShape[layer.outShape.length - 1];
    ui.chain = { layer: layer.name, from: Math.floor(best / units), to: best % units };
  }

  function buildChainControls() {
    el.chainLayer = make("select", { id: "ll-chain-layer" });
    el.chainFrom = make("input", { id: "ll-chain-from", type: "number", min: "1", step: "1", inputmode: "numeric" });
    el.chainTo = make("input", { id: "ll-chain-to", type: "number", min: "1", step: "1", inputmode: "numeric" });
    el.epsilon = make("select", { id: "ll-epsilon" }, EPSILONS.map((e) => make("option", { value: String(e), text: sig(e, 1) })));
    el.epsilon.value = String(1e-4);
    el.nudge = make("button", { type: "button", class: "lt-button", id: "ll-nudge", text: t("nudge") });
    el.chainError = make("p", { class: "lt-error", id: "ll-chain-error", role: "alert" });
    el.chainBody = make("div", { id: "ll-chain-body" });
    el.check = make("div", { id: "ll-check-body", "aria-live": "polite" });
    el.adamBody = make("div", { id: "ll-adam-body" });
    el.chain.replaceChildren(make("div", { class: "lt-controls" }, [
      field("ll-chain-layer", t("label_chain_layer"), el.chainLayer),
      field("ll-chain-from", t("label_chain_from"), el.chainFrom),
      field("ll-chain-to", t("label_chain_to"), el.chainTo),
    ]), el.chainError, el.chainBody);
    el.checkRoot.replaceChildren(make("div", { class: "lt-controls" }, [field("ll-epsilon", t("label_epsilon"), el.epsilon),
      make("div", { class: "lt-buttons" }, [el.nudge])]), el.check);
    el.adam.replaceChildren(el.adamBody);
    el.chainLayer.addEventListener("change", () => { ui.chain = { layer: el.chainLayer.value, from: 0, to: 0 }; drawChain(); });
    for (const input of [el.chainFrom, el.chainTo]) input.addEventListener("change", () => {
      const from = Number(el.chainFrom.value) - 1, to = Number(el.chainTo.value) - 1;
      const layer = ui.view.layers.find((l) => l.name === ui.chain.layer);
      const units = layer.outShape[layer.outShape.length - 1], inputs = layer.kernel.length / units;
      if (!(Number.isInteger(from) && from >= 0 && from < inputs && Number.isInteger(to) && to >= 0 && to < units)) {
        el.chainError.textContent = t("err_weight", { inputs: inputs, units: units });
        return;
      }
      el.chainError.textContent = "";
      ui.chain = { layer: ui.chain.layer, from: from, to: to };
      drawChain();
    });
    el.nudge.addEventListener("click", runCheck);
  }

  function line(term, value, note) {
    return make("tr", {}, [make("th", { scope: "row", text: term }), make("td", { text: value }), make("td", { text: note || "" })]);
  }

  function table(id, caption, rows) {
    return make("div", { class: "ll-scroll", tabindex: "0", role: "region", "aria-label": caption }, [
      make("table", { class: "ll-table", id: id }, [make("caption", { text: caption }), make("tbody", {}, rows)])]);
  }

  function drawChain() {
    const v = ui.view;
    const layers = learn.chainLayers(v);
    el.chainLayer.replaceChildren(...layers.map((l) => make("option", { value: l.name, text: named(l.name) })));
    el.chainLayer.value = ui.chain.layer;
    const c = learn.chainRule(v, ui.chain.layer, ui.chain.from, ui.chain.to);
    ui.chainResult = c;
    el.chainFrom.max = String(c.inputs);
    el.chainTo.max = String(c.units);
    el.chainFrom.value = String(c.from + 1);
    el.chainTo.value = String(c.to + 1);
    const index = v.layers.findIndex((l) => l.name === c.layer);
    const before = index === 0 ? t("the_input") : named(v.layers[index - 1].name);
    const rows = [line(t("chain_weight", { layer: named(c.layer), from: c.from + 1, to: c.to + 1 }), sig(c.weight, 4))];
    rows.push(line(t("chain_input", { before: before, from: c.from + 1 }), sig(c.input), t("chain_input_note")));
    let formula;
    if (c.last) {
      rows.push(line(t("chain_p", { to: c.to }), sig(c.output, 4)), line(t("chain_y", { to: c.to }), String(c.y)),
        line("\u2202L/\u2202z = p \u2212 y", sig(c.dSum)));
      formula = t("chain_formula_output", { a: sig(c.input), d: sig(c.dSum), product: sig(c.product) });
    } else {
      rows.push(line(t("chain_a", { layer: named(c.layer), to: c.to + 1 }), sig(c.output, 4)),
        line(t(v.layers[index].activation === "sigmoid" ? "chain_sigmoid" : "chain_relu"), sig(c.derivative)),
        line(t("chain_dout", { layer: named(c.layer), to: c.to + 1, next: named(c.next), n: c.terms.length }), sig(c.dOut), t("chain_dout_note", { engine: sig(c.engineDOut) })));
      formula = t("chain_formula", { a: sig(c.input), f: sig(c.derivative), d: sig(c.dOut), product: sig(c.product) });
    }
    rows.push(line(t("chain_backprop"), sig(c.backprop), t("chain_backprop_note")));
    const parts = [table("ll-chain-table", t("chain_caption"), rows), make("p", { class: "ll-formula", id: "ll-chain-formula", text: formula })];
    if (!c.last) {
      const terms = c.terms.slice().sort((a, b) => Math.abs(b.product) - Math.abs(a.product));
      const shown = terms.slice(0, 10);
      const rest = terms.slice(10).reduce((s, x) => s + x.product, 0);
      const termRows = shown.map((x) => make("tr", {}, [make("th", { scope: "row", text: String(x.unit + 1) }),
        make("td", { text: sig(x.weight) }), make("td", { text: sig(x.dSum) }), make("td", { text: sig(x.product) })]));
      if (terms.length > shown.length) {
        termRows.push(make("tr", {}, [make("th", { scope: "row", text: t("other_terms", { n: terms.length - shown.length }) }),
          make("td"), make("td"), make("td", { text: sig(rest) })]));
      }
      termRows.push(make("tr", { class: "ll-total" }, [make("th", { scope: "row", text: t("total") }), make("td"), make("td"), make("td", { text: sig(c.dOut) })]));
      parts.push(make("div", { class: "ll-scroll", tabindex: "0", role: "region", "aria-label": t("terms_caption_table", { next: named(c.next) }) }, [
        make("table", { class: "ll-table", id: "ll-terms" }, [make("caption", { text: t("terms_caption_table", { next: named(c.next) }) }),
          make("thead", {}, [make("tr", {}, [t("col_unit", { next: named(c.next) }), t("col_w"), t("col_dz"), t("col_product")].map((h) => make("th", { scope: "col", text: h })))]),
          make("tbody", {}, termRows)])]));
    }
    el.chainBody.replaceChildren(...parts);
    el.check.replaceChildren(make("p", { text: t("check_ready") }));
    drawAdam(c);
  }

  function runCheck() {
    const v = ui.view, c = ui.chainResult;
    const e = Number(el.epsilon.value);
    const name = c.layer + "/kernel";
    const up = learn.lossWith(v, name, c.weightIndex, c.weight + e);
    const down = learn.lossWith(v, name, c.weightIndex, c.weight - e);
    const estimate = (up - down) / (2 * e);
    const difference = Math.abs(estimate - c.backprop) / Math.max(Math.abs(c.backprop), 1e-30);
    el.check.replaceChildren(table("ll-check", t("check_caption", { epsilon: sig(e, 1) }), [
      line(t("check_up"), sig(up, 9)), line(t("check_down"), sig(down, 9)),
      line(t("check_estimate"), sig(estimate, 4)), line(t("chain_backprop"), sig(c.backprop, 4)),
      line(t("check_difference"), sig(difference, 2)),
    ]));
  }

  function drawAdam(c) {
    const a = learn.adamUpdate(ui.view, c.layer + "/kernel", c.weightIndex);
    el.adamBody.replaceChildren(table("ll-adam", t("adam_caption", { layer: named(c.layer), from: c.from + 1, to: c.to + 1 }), [
      line("g", sig(a.g, 4), t("adam_g")),
      line("m = (1 \u2212 \u03b2\u2081) g", sig(a.m, 4), t("adam_m", { beta: a.beta1 })),
      line("v = (1 \u2212 \u03b2\u2082) g\u00b2", sig(a.v, 4), t("adam_v", { beta: a.beta2 })),
      line("1 \u2212 \u03b2\u2081\u1d57", sig(a.correction1, 4), t("adam_t", { t: a.t })),
      line("1 \u2212 \u03b2\u2082\u1d57", sig(a.correction2, 4)),
      line("m\u0302 = m / (1 \u2212 \u03b2\u2081\u1d57)", sig(a.mHat, 4)),
      line("v\u0302 = v / (1 \u2212 \u03b2\u2082\u1d57)", sig(a.vHat, 4)),
      line("\u03b1 = lr \u221a(1 \u2212 \u03b2\u2082\u1d57) / (1 \u2212 \u03b2\u2081\u1d57)", sig(a.alpha, 4), t("adam_lr", { lr: a.learningRate })),
      line("m \u03b1 / (\u221av + \u03b5)", sig(a.step, 4), t("adam_eps", { epsilon: sig(a.epsilon, 1) })),
      line(t("adam_before"), sig(a.before, 6)),
      line(t("adam_after"), sig(a.after, 6), t("adam_after_note")),
    ]));
  }

  /* ---------------------------------------------------------------- start */
  async function loadPreprocessing() {
    const response = await fetch(VISUALIZER_MANIFEST);
    if (!response.ok) throw new Error(terr("err_load", { file: "lenet5_manifest.json", status: response.status }));
    usePreprocessing((await response.json()).preprocessing);
  }

  el.settings = document.getElementById("ll-settings");
  el.forward = document.getElementById("ll-forward");
  el.loss = document.getElementById("ll-loss");
  el.backward = document.getElementById("ll-backward");
  el.stepper = document.getElementById("ll-stepper");
  el.chain = document.getElementById("ll-chain");
  el.checkRoot = document.getElementById("ll-check-root");
  el.adam = document.getElementById("ll-adam-root");
  Promise.all([learn.ready, loadPreprocessing()]).then(() => {
    buildSettings();
    buildStepper();
    buildChainControls();
    update();
  }).catch((error) => {
    root.dataset.ready = "error";
    el.settings.replaceChildren(make("p", { class: "lt-error", role: "alert",
      text: error.key ? terr(error.key, error.values) : String(error.message) }));
  });
})();
