/*
 * The "Draw your number here" page: the drawing pad, the guesses, every layer's activations and the
 * unit inspector. The network itself is in lenet.js (window.lenet); this file only draws.
 */
import { hasString, section } from "../i18n/i18n.js";
import { hexTable, paint, paintGray, pixelCanvas } from "../shared/canvas.js";
import { fillBars, make } from "../shared/dom.js";
import { attachDrawPad } from "../shared/drawpad.js";
import { probability } from "../shared/format.js";

(function () {
  const root = document.getElementById("lv-root");
  if (!root) return;
  const here = new URL(".", import.meta.url);
  const lenet = window.lenet;
  const PAD_SIZE = 280; // the pad's pixels (its CSS size may be smaller on a phone)
  const PEN_WIDTH = 22; // about MNIST's stroke width once the digit is scaled into 20×20
  const KEY_STEP = 10; // pad pixels per arrow key press (Shift: 2)

  // How big each layer's cells are drawn, in CSS pixels, and how vectors are wrapped into grids.
  const VIEW = {
    input: { cell: 5 }, C1: { cell: 4 }, S2: { cell: 6 }, C3: { cell: 7 }, S4: { cell: 11 },
    C5: { cell: 14, columns: 20 }, F6: { cell: 14, columns: 21 }, output: { cell: 30, columns: 10 },
  };
  const t = section("visualizer"); // the page's words, in its language (docs/i18n/)
  const kindOf = (type) => t("kind_" + type); // convolution, pooling, … (the 1998 network's kinds too)
  // An activation's name as a reader writes it ("scaled tanh", not the code's "scaled_tanh").
  const activationWords = (name) => (hasString("visualizer", "act_name_" + name) ? t("act_name_" + name) : name);
  // A layer as the page's sentences name it: "input" and "output" in the page's language, the others by their
  // names (C1, S2, …), which both languages keep.
  const layerName = (name) => (hasString("visualizer", "name_" + name) ? t("name_" + name) : name);

  const state = {
    model: null, x: null, result: null, source: null, selected: null, pinned: false,
    visible: {}, lut: null, weightLut: null, examples: [],
    range: [0, 1], // the colour scale's ends for layer values: [−A, A] for the 1998 network's scaled tanh
  };
  const el = {};

  /* ---------------------------------------------------------------- small helpers */
  function fmt(v, digits) {
    const d = digits === undefined ? 4 : digits;
    return (v < 0 ? "−" : "") + Math.abs(v).toFixed(d); // numbers are written the same way in every language
  }

  // A sum written as people write it: "a + b − c", never "+ −c".
  function sumText(values, digits) {
    return Array.from(values, (v, i) => (i === 0 ? fmt(v, digits)
      : (v < 0 ? " − " : " + ") + fmt(Math.abs(v), digits))).join("");
  }

  // A factor of a product: a negative one in parentheses, "0.5 × (−1.2)".
  function factorText(v, digits) {
    return v < 0 ? "(" + fmt(v, digits) + ")" : fmt(v, digits);
  }

  /* ---------------------------------------------------------------- building the page */
  function build() {
    const summary = make("section", { class: "lv-summary", "aria-live": "polite" }, [
      make("h3", { text: t("downsampled") }),
      (el.input28 = pixelCanvas(28, 28, 5, t("input_seen"), "lv-cells")),
      make("p", { class: "lv-guess" }, [
        make("span", { text: t("first_guess") }), (el.first = make("strong", { id: "lv-first", text: "–" })),
        (el.firstP = make("span", { class: "lv-p", id: "lv-first-p" })),
      ]),
      make("p", { class: "lv-guess lv-second" }, [
        make("span", { text: t("second_guess") }), (el.second = make("strong", { id: "lv-second", text: "–" })),
        (el.secondP = make("span", { class: "lv-p", id: "lv-second-p" })),
      ]),
      (el.bars = make("div", { class: "lv-bars", "aria-hidden": "true" })),
      (el.status = make("p", { class: "lv-status", id: "lv-status", text: t("loading") })),
    ]);
    for (let d = 0; d < 10; d++) {
      el.bars.append(make("div", { class: "lv-bar" }, [make("span", { class: "lv-bar-fill" }), make("span", { class: "lv-bar-label", text: String(d) })]));
    }

    el.pad = make("canvas", {
      id: "lv-pad", width: PAD_SIZE, height: PAD_SIZE, tabindex: "0", role: "application",
      "aria-label": t("pad_label"),
      "aria-describedby": "lv-pad-help",
    });
    el.cursor = make("div", { class: "lv-cursor", hidden: "" });
    el.clear = make("button", { id: "lv-clear", type: "button", class: "lv-button", text: t("clear") });
    el.examples = make("div", { class: "lv-examples", role: "group", "aria-label": t("examples_label") });
    const padArea = make("section", { class: "lv-pad-area" }, [
      make("h3", { text: t("draw_here") }),
      make("div", { class: "lv-pad-frame" }, [el.pad, el.cursor]),
      make("div", { class: "lv-buttons" }, [el.clear]),
      make("p", { class: "lv-hint", id: "lv-pad-help",
        text: t("pad_help") }),
      make("h3", { text: t("or_load") }),
      el.examples,
    ]);

    el.toggles = make("ul", { class: "lv-toggles", id: "lv-toggles" });
    const visibility = make("section", { class: "lv-visibility" }, [make("h3", { text: t("visibility") }), el.toggles]);

    el.layers = make("div", { class: "lv-layers", id: "lv-layers" });
    // The inspector: beside the layers on a wide screen; on a phone a bottom sheet (a third of the screen at
    // most, lenet.css) that its button folds away so the layers behind it can be read.
    el.sheetToggle = make("button", { type: "button", class: "lv-sheet-toggle", id: "lv-sheet-toggle",
      "aria-expanded": "true", "aria-controls": "lv-inspector-body", text: t("inspector_title") });
    el.sheetToggle.addEventListener("click", () => {
      const open = el.sheetToggle.getAttribute("aria-expanded") !== "true";
      el.sheetToggle.setAttribute("aria-expanded", String(open));
      el.inspectorSheet.classList.toggle("lv-folded", !open);
    });
    el.inspector = make("div", { class: "lv-inspector-body", id: "lv-inspector-body", "aria-live": "polite" }, [
      make("p", { class: "lv-hint", text: t("inspector_hint") }),
    ]);
    el.inspectorSheet = make("aside", { class: "lv-inspector", id: "lv-inspector", "aria-label": t("inspector_title") },
      [el.sheetToggle, el.inspector]);
    el.legend = make("div", { class: "lv-legend", id: "lv-legend" });

    root.replaceChildren(
      make("div", { class: "lv-top" }, [padArea, summary, visibility]),
      el.legend,
      make("div", { class: "lv-body" }, [el.layers, el.inspectorSheet]),
    );
    pad = attachDrawPad(el.pad, el.cursor, { penWidth: PEN_WIDTH, keyStep: KEY_STEP, penDownClass: "lv-pen-down",
      onDrawing: scheduleUpdate, onDrawn: onPadDrawn, onClear: onPadCleared });
    clearPad();
  }

  function buildLayers() {
    const shown = [{ name: "input", type: "Input", output_shape: state.model.inputShape }]
      .concat(state.model.layers.filter((l) => l.type !== "Flatten"));
    el.sections = {};
    for (const layer of shown) {
      const shape = layer.output_shape;
      const title = layer.name === "input"
        ? t("input_title", { h: layer.output_shape[0], w: layer.output_shape[1] })
        : layerName(layer.name) + " · " + kindOf(layer.type) + " · " + describeShape(shape) +
          (layer.activation ? " · " + activationWords(layer.activation) : "");
      const maps = make("div", { class: "lv-maps", tabindex: "0", "data-layer": layer.name,
        "aria-label": t("maps_label", { title: title }) });
      const section = make("section", { class: "lv-layer", id: "lv-layer-" + layer.name, "data-layer": layer.name }, [
        make("h4", { text: title }), maps,
      ]);
      const view = VIEW[layer.name] || { cell: 8, columns: 16 };
      if (shape.length === 3 && shape[0] > 1) {
        for (let c = 0; c < shape[2]; c++) {
          const canvas = pixelCanvas(shape[1], shape[0], view.cell, t("map_label", { layer: layerName(layer.name), map: c + 1 }), "lv-cells");
          canvas.dataset.channel = String(c);
          maps.append(make("div", { class: "lv-map" }, [canvas, make("div", { class: "lv-hl", hidden: "" })]));
        }
      } else {
        const units = shape[shape.length - 1];
        const columns = Math.min(units, view.columns || 16);
        const canvas = pixelCanvas(columns, Math.ceil(units / columns), view.cell, t("units_label", { layer: layerName(layer.name), units: units }), "lv-cells");
        canvas.dataset.channel = "vector";
        canvas.dataset.columns = String(columns);
        const map = make("div", { class: "lv-map" }, [canvas, make("div", { class: "lv-hl", hidden: "" })]);
        if (layer.name === "output") {
          const labels = make("div", { class: "lv-digit-labels" });
          labels.style.width = columns * view.cell + "px";
          for (let d = 0; d < units; d++) labels.append(make("span", { text: String(d) }));
          map.append(labels);
        }
        maps.append(map);
      }
      el.layers.append(section);
      el.sections[layer.name] = { section: section, maps: maps, layer: layer, view: view };
      state.visible[layer.name] = true;
      const button = make("button", { type: "button", class: "lv-toggle", "aria-pressed": "true",
        "aria-controls": section.id, "data-layer": layer.name, text: t("hide") });
      button.addEventListener("click", () => setVisible(layer.name, !state.visible[layer.name]));
      el.toggles.append(make("li", {}, [make("span", { text: visibilityName(layer) }), button]));
      el.sections[layer.name].button = button;
      maps.addEventListener("pointermove", (e) => onMapPointer(e, false));
      maps.addEventListener("click", (e) => onMapPointer(e, true));
      maps.addEventListener("pointerleave", () => { if (!state.pinned) showSelection(null); });
      maps.addEventListener("keydown", (e) => onMapKey(e, layer.name));
    }
  }

  function describeShape(shape) {
    return shape.length === 3 ? t("shape_maps", { n: shape[2], h: shape[0], w: shape[1] })
      : t("shape_units", { n: shape[0] });
  }

  function visibilityName(layer) {
    const known = ["input", "C1", "S2", "C3", "S4", "C5", "F6", "output"];
    return known.includes(layer.name) ? t("layer_" + layer.name) : layer.name;
  }

  function setVisible(name, visible) {
    state.visible[name] = visible;
    const s = el.sections[name];
    s.section.hidden = !visible;
    s.button.setAttribute("aria-pressed", String(visible));
    s.button.textContent = visible ? t("hide") : t("show");
    if (visible) drawLayer(name);
  }

  function buildLegend() {
    const [lo, hi] = state.range;
    const bar = make("canvas", { width: 256, height: 1, class: "lv-legend-bar", role: "img",
      "aria-label": t("scale_label", { lo: fmt(lo, lo % 1 ? 4 : 0), mid: fmt((lo + hi) / 2, 1), hi: fmt(hi, hi % 1 ? 4 : 0) }) });
    paint(bar, Float32Array.from({ length: 256 }, (_, i) => lo + ((hi - lo) * i) / 255), state.lut, lo, hi);
    el.legend.replaceChildren(
      make("span", { text: t("scale_title", { name: state.model.manifest.colormaps.activation.name }) }),
      make("span", { class: "lv-legend-scale" }, [make("span", { text: fmt(lo, lo % 1 ? 4 : 0) }), bar,
        make("span", { text: fmt(hi, hi % 1 ? 4 : 0) })]),
      make("span", { class: "lv-legend-note", text: state.model.inputScaling ? legendNote1998()
        : t("scale_note") }),
      // The connection lines (connections.js): colour and dash by the sign of w·x, width by its size.
      make("span", { class: "lv-lines-legend", id: "lv-lines-legend" }, [
        make("span", { text: t("lines_title") }),
        make("span", { class: "lv-line-sample lv-line-positive", "aria-hidden": "true" }),
        make("span", { text: t("lines_positive") }),
        make("span", { class: "lv-line-sample lv-line-negative", "aria-hidden": "true" }),
        make("span", { text: t("lines_negative") }),
        make("span", { class: "lv-legend-note", text: t("lines_width") +
          (state.model.manifest.output === "penalties" ? t("next_sentence") + t("lines_rbf") : "") }),
      ]),
    );
  }

  function buildExamples(examples) {
    state.examples = examples.digits;
    examples.digits.forEach((digit, i) => {
      const canvas = make("canvas", { width: 28, height: 28, "aria-hidden": "true" });
      const inverted = Float32Array.from(digit.pixels, (v) => 1 - v / 255);
      paintGray(canvas, inverted);
      const button = make("button", { type: "button", class: "lv-example", "data-example": String(i),
        // examples.json's index counts from 0 (x_test[index]); the page counts from 1, as it counts everything
        "aria-label": t("example_label", { number: digit.index + 1, label: digit.label }),
        title: t("example_title", { number: digit.index + 1, label: digit.label }) }, [canvas]);
      button.addEventListener("click", () => loadExample(i));
      el.examples.append(button);
    });
  }

  /* ---------------------------------------------------------------- the drawing pad */
  let pad = null; // ../shared/drawpad.js, attached once the page is built
  let pending = 0;

  function padContext() {
    return pad.context();
  }

  function clearPad() {
    pad.clear();
  }

  function onPadCleared() {
    state.source = "pad";
    if (state.model) update();
  }

  function scheduleUpdate() {
    state.source = "pad";
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      update();
    });
  }

  function onPadDrawn() {
    state.source = "pad";
    update(); // and always after the stroke
  }

  function loadExample(i) {
    const digit = state.examples[i];
    // Show it on the pad (dark ink on white, smoothed), but feed the network the exact MNIST pixels.
    const small = make("canvas", { width: 28, height: 28 });
    paintGray(small, Float32Array.from(digit.pixels, (v) => 1 - v / 255));
    const ctx = padContext();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, PAD_SIZE, PAD_SIZE);
    state.source = "example";
    state.x = Float32Array.from(digit.pixels, (v) => v / 255);
    run();
  }

  /* ---------------------------------------------------------------- running and drawing the network */
  function update() {
    if (!state.model) return null;
    const t0 = performance.now();
    const image = padContext().getImageData(0, 0, PAD_SIZE, PAD_SIZE);
    try {
      state.x = lenet.preprocess(image);
    } catch (error) {
      if (!(error instanceof lenet.NoInkError)) throw error;
      state.x = null;
    }
    run();
    return performance.now() - t0;
  }

  function run() {
    if (!state.x) {
      state.result = null;
      el.status.textContent = t("status_empty");
    } else {
      state.result = lenet.forward(state.x);
      el.status.textContent = state.source === "example" ? t("status_example") : "";
    }
    drawSummary();
    for (const name of Object.keys(el.sections)) if (state.visible[name]) drawLayer(name);
    if (state.selected) showSelection(state.selected);
  }

  function topTwo(probabilities) {
    const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
    return [order[0], order[1]];
  }

  function drawSummary() {
    const result = state.result;
    paint(el.input28, state.x || new Float32Array(784), state.lut, 0, 1);
    const fills = el.bars.querySelectorAll(".lv-bar-fill");
    if (!result) {
      el.first.textContent = el.second.textContent = "–";
      el.firstP.textContent = el.secondP.textContent = "";
      fillBars(fills, null);
      return;
    }
    const p = result.probabilities;
    // The 1998 network ranks by penalty: far from the winner, softmax probabilities all round to 0.
    const [a, b] = topTwo(result.penalties ? Array.from(result.penalties, (v) => -v) : p);
    el.first.textContent = String(a);
    el.firstP.textContent = probability(p[a]) + penaltyNote(a);
    el.second.textContent = String(b);
    el.secondP.textContent = probability(p[b]) + penaltyNote(b);
    fillBars(fills, p, a, "lv-top1");
  }

  function layerValues(name) {
    if (name === "input") return state.result && state.result.input ? state.result.input.values : state.x;
    if (!state.result) return null;
    const entry = state.result.layers.find((l) => l.name === name);
    return entry ? entry.values : null;
  }

  function drawLayer(name) {
    const { maps, layer } = el.sections[name];
    const values = layerValues(name) || new Float32Array(layer.output_shape.reduce((a, b) => a * b, 1));
    const canvases = maps.querySelectorAll("canvas.lv-cells");
    const shape = layer.output_shape;
    if (canvases.length === 1 && canvases[0].dataset.channel === "vector") {
      if (name === "output" && state.result && state.result.penalties) return drawPenalties(canvases[0]);
      paint(canvases[0], values, state.lut, ...rangeOf(name));
      return;
    }
    const [h, w, channels] = shape;
    const plane = new Float32Array(h * w);
    canvases.forEach((canvas, c) => {
      for (let i = 0; i < h * w; i++) plane[i] = values[i * channels + c];
      paint(canvas, plane, state.lut, ...rangeOf(name));
    });
  }

  /* ---------------------------------------------------------------- the unit inspector */
  function layerIndexOf(name) {
    return state.model.layers.findIndex((l) => l.name === name);
  }

  function unitAt(event) {
    const canvas = event.target.closest && event.target.closest("canvas.lv-cells");
    if (!canvas) return null;
    const maps = canvas.closest(".lv-maps");
    const name = maps.dataset.layer;
    const box = canvas.getBoundingClientRect();
    const col = Math.floor(((event.clientX - box.left) / box.width) * canvas.width);
    const row = Math.floor(((event.clientY - box.top) / box.height) * canvas.height);
    if (col < 0 || row < 0 || col >= canvas.width || row >= canvas.height) return null;
    const shape = el.sections[name].layer.output_shape;
    if (canvas.dataset.channel === "vector") {
      const index = row * Number(canvas.dataset.columns) + col;
      return index < shape[shape.length - 1] ? { name: name, row: 0, col: 0, channel: index } : null;
    }
    return { name: name, row: row, col: col, channel: Number(canvas.dataset.channel) };
  }

  function onMapPointer(event, isClick) {
    if (state.pinned && !isClick) return;
    const unit = unitAt(event);
    if (!unit) return;
    if (isClick) {
      const same = state.pinned && state.selected && sameUnit(state.selected, unit);
      state.pinned = !same;
      if (same) return showSelection(null);
    }
    showSelection(unit);
  }

  function sameUnit(a, b) {
    return a.name === b.name && a.row === b.row && a.col === b.col && a.channel === b.channel;
  }

  function onMapKey(event, name) {
    const shape = el.sections[name].layer.output_shape;
    const [h, w, channels] = shape.length === 3 ? shape : [1, 1, shape[0]];
    const current = state.selected && state.selected.name === name ? state.selected : { name: name, row: 0, col: 0, channel: 0 };
    const u = Object.assign({}, current);
    const vector = shape.length !== 3 || h === 1;
    const keys = {
      ArrowLeft: () => (vector ? (u.channel = Math.max(0, u.channel - 1)) : (u.col = Math.max(0, u.col - 1))),
      ArrowRight: () => (vector ? (u.channel = Math.min(channels - 1, u.channel + 1)) : (u.col = Math.min(w - 1, u.col + 1))),
      ArrowUp: () => (u.row = Math.max(0, u.row - 1)),
      ArrowDown: () => (u.row = Math.min(h - 1, u.row + 1)),
      n: () => (u.channel = (u.channel + 1) % channels),
      p: () => (u.channel = (u.channel + channels - 1) % channels),
      Escape: () => null,
    };
    if (!keys[event.key]) return;
    event.preventDefault();
    event.stopPropagation(); // the theme's own shortcuts (n, p: next and previous page) must not fire
    if (event.key === "Escape") {
      state.pinned = false;
      return showSelection(null);
    }
    keys[event.key]();
    state.pinned = true;
    showSelection(u);
  }

  function hideHighlights() {
    root.querySelectorAll(".lv-hl").forEach((hl) => (hl.hidden = true));
    if (window.lenetConnections) window.lenetConnections.clear(el.layers); // connections.js: lines to the inputs
  }

  function highlight(name, channel, top, left, height, width) {
    const section = el.sections[name];
    if (!section) return;
    const canvases = section.maps.querySelectorAll("canvas.lv-cells");
    canvases.forEach((canvas, c) => {
      if (channel !== null && c !== channel && canvas.dataset.channel !== "vector") return;
      const hl = canvas.parentElement.querySelector(".lv-hl");
      const cw = canvas.clientWidth / canvas.width;
      const ch = canvas.clientHeight / canvas.height;
      const t = Math.max(0, top), l = Math.max(0, left);
      const b = Math.min(canvas.height, top + height), r = Math.min(canvas.width, left + width);
      hl.style.top = t * ch + "px";
      hl.style.left = l * cw + "px";
      hl.style.height = (b - t) * ch + "px";
      hl.style.width = (r - l) * cw + "px";
      hl.hidden = false;
    });
  }

  function showSelection(unit) {
    state.selected = unit;
    hideHighlights();
    if (!unit || unit.name === "input") {
      const text = unit
        ? t("input_pixel", { row: unit.row + 1, col: unit.col + 1,
          value: fmt(state.x ? layerValues("input")[unit.row * state.model.inputShape[1] + unit.col] : 0) }) +
          (state.model.inputScaling ? t("next_sentence") + inputNote1998() : "")
        : t("inspector_hint");
      el.inspector.replaceChildren(make("p", { class: "lv-hint", text: text }));
      if (unit) highlight("input", 0, unit.row, unit.col, 1, 1);
      return;
    }
    if (!state.result) {
      el.inspector.replaceChildren(make("p", { class: "lv-hint", text: t("draw_first") }));
      return;
    }
    const layerIndex = layerIndexOf(unit.name);
    const layer = state.model.layers[layerIndex];
    const shape = layer.output_shape;
    const [, w, channels] = shape.length === 3 ? shape : [1, 1, shape[0]];
    const index = (unit.row * w + unit.col) * channels + unit.channel;
    const info = lenet.explain(state.x, state.result, layerIndex, index);
    if (shape.length === 3 && shape[0] > 1) highlight(unit.name, unit.channel, unit.row, unit.col, 1, 1);
    else highlight(unit.name, null, Math.floor(unit.channel / (el.sections[unit.name].view.columns || 16)), unit.channel % (el.sections[unit.name].view.columns || 16), 1, 1);
    let source = info.inputName === "flatten" ? "C5" : info.inputName;
    if (info.window.top !== undefined) {
      const [kh, kw] = info.window.shape;
      const maps = info.window.maps && info.window.channels === null ? info.window.maps : [info.window.channels];
      maps.forEach((m) => highlight(source, m, info.window.top, info.window.left, kh, kw));
    } else {
      highlight(source, null, 0, 0, 1e6, 1e6);
    }
    el.inspector.replaceChildren(...renderExplanation(info, layer, source));
    if (window.lenetConnections) window.lenetConnections.show(el.layers, el.sections, state.model, layerIndex, unit, info);
  }

  function unitName(info, layer) {
    if (layer.output_shape.length === 3 && layer.output_shape[0] > 1) {
      // Rows and columns are counted from 1, as on every page of the site.
      return t("unit_in_map", { layer: info.layer, map: info.position.channel + 1, row: info.position.row + 1,
        col: info.position.col + 1 });
    }
    return info.layer === "output" ? t("unit_output", { digit: info.position.channel })
      : t("unit_vector", { layer: info.layer, unit: info.position.channel + 1 });
  }

  function renderExplanation(info, layer, source) {
    const parts = [make("h4", { text: unitName(info, layer) }),
      make("p", { class: "lv-hint", text: state.pinned ? t("pinned") : t("click_to_pin") })];
    const win = info.window;
    if (win.top !== undefined) {
      const [kh, kw, c] = win.shape;
      const [sh, sw] = source === "input" ? state.model.inputShape
        : state.model.layers[layerIndexOf(source)].output_shape;
      // Counted from 1, as on every page; the part of the window over the zero padding is said in words,
      // as the calculator page says it.
      const span = (from, n, size, axis, sides) => {
        const first = Math.max(from, 0), last = Math.min(from + n, size) - 1;
        const before = first - from, after = from + n - 1 - last;
        const pad = (k, side) => (k ? t(k > 1 ? "pad_" + axis + "s" : "pad_" + axis, { n: k, side: t(side) }) : "");
        return t("span", { first: first + 1, last: last + 1 }) + pad(before, sides[0]) + pad(after, sides[1]);
      };
      const where = t("window_where", { source: layerName(source), rows: span(win.top, kh, sh, "row", ["above", "below"]),
        cols: span(win.left, kw, sw, "column", ["on_left", "on_right"]) });
      const maps = win.maps && win.channels === null
        ? t("maps_only", { maps: win.maps.map((m) => m + 1).join(t("list_separator")) })
        : win.channels === null ? (c > 1 ? t("all_maps", { n: c }) : "") : t("one_map", { map: win.channels + 1 });
      parts.push(make("p", { text: t("input_window", { where: where + maps }) +
        (win.padding.some((v) => v) ? t("gray_padding") : "") }));
      // Each slice is captioned with the map it comes from: for the 1998 C3, the maps of its column of Table I.
      parts.push(tiles(win.values, win.shape, state.lut, ...rangeOf(source), win.padding, mapsRead(win)));
    } else if (info.type === "EuclideanRBF") {
      return parts.concat(explainPenalty(info, source));
    } else {
      parts.push(make("p", { text: t("input_all", { n: win.values.length, source: layerName(source) }) }));
      parts.push(strip(win.values, state.lut, ...rangeOf(source)));
    }
    if (info.type === "Subsampling2D") return parts.concat(explainSubsampling(info));
    if (info.weights) {
      let m = 0;
      for (const v of info.weights) m = Math.max(m, Math.abs(v));
      const isPool = info.type === "AveragePooling2D";
      // A convolution's weights are its kernel's (卷积核的权重); a dense layer's are just its weights.
      const weightsKey = isPool ? "weights_average" : win.top !== undefined ? "weights_kernel" : "weights_dense";
      parts.push(make("p", { text: t(weightsKey, { n: info.weights.length, m: fmt(m, 3) }) }));
      if (!isPool) {
        parts.push(win.top !== undefined ? tiles(info.weights, win.shape, state.weightLut, -m, m, null, mapsRead(win))
          : strip(info.weights, state.weightLut, -m, m));
        parts.push(weightLegend(m));
      }
    }
    const products = info.sum - info.bias;
    const formula = info.type === "AveragePooling2D"
      ? t("average", { terms: sumText(win.values), n: info.weights.length, value: fmt(info.sum) })
      : info.type === "MaxPooling2D"
        ? t("maximum", { value: fmt(info.sum) })
        : t("weighted_sum", { products: fmt(products), bias: (info.bias < 0 ? "− " : "+ ") + fmt(Math.abs(info.bias)),
          value: fmt(info.sum) });
    parts.push(make("p", { class: "lv-formula", text: formula }));
    let act;
    if (info.activationName === "sigmoid") act = t("act_sigmoid", { value: fmt(info.value) });
    else if (info.activationName === "scaled_tanh") act = scaledTanhText(info);
    else if (info.activationName === "softmax") {
      const total = info.sums.reduce((acc, z) => acc + Math.exp(z), 0);
      act = t("act_softmax", { n: info.sums.length, num: Math.exp(info.sum).toPrecision(4), den: total.toPrecision(4),
        value: fmt(info.value), percent: probability(info.value) });
    } else if (info.activationName === "none") act = t("act_none", { value: fmt(info.value) });
    else act = t("act_other", { name: activationWords(info.activationName), value: fmt(info.value) });
    parts.push(make("p", { class: "lv-formula lv-activation", text: act }));
    return parts;
  }

  // The input maps a window reads (from 0): a sparse layer's list, a pooling unit's one map, or null (all of them).
  function mapsRead(win) {
    return win.maps || (Number.isInteger(win.channels) ? [win.channels] : null);
  }

  // One small picture per map of a window (or kernel); `maps` numbers them (from 0) when they are not 0, 1, 2, …
  function tiles(values, shape, lut, lo, hi, mask, maps) {
    const [kh, kw, c] = shape;
    const box = make("div", { class: "lv-tiles" });
    const cell = c > 6 ? 8 : Math.min(24, Math.floor(60 / kw)); // a 2×2 window big, 5×5 kernels smaller
    for (let ch = 0; ch < c; ch++) {
      const plane = new Float32Array(kh * kw);
      const planeMask = new Uint8Array(kh * kw);
      for (let i = 0; i < kh * kw; i++) {
        plane[i] = values[i * c + ch];
        planeMask[i] = mask ? mask[i * c + ch] : 0;
      }
      const map = (maps && maps.length === c ? maps[ch] : ch) + 1; // counted from 1, as on every page
      const canvas = pixelCanvas(kw, kh, cell, t("tile_label", { map: map }), "lv-cells");
      paint(canvas, plane, lut, lo, hi, mask ? planeMask : null);
      box.append(c > 1 ? make("figure", { class: "lv-tile" }, [canvas, make("figcaption", { text: String(map) })]) : canvas);
    }
    return box;
  }

  function strip(values, lut, lo, hi) {
    const columns = Math.min(values.length, 24); // 120 values: 5 rows; 84: 4 rows
    const canvas = pixelCanvas(columns, Math.ceil(values.length / columns), 10, t("values_label", { n: values.length }), "lv-cells");
    paint(canvas, values, lut, lo, hi);
    return make("div", { class: "lv-tiles" }, [canvas]);
  }

  function weightLegend(m) {
    const bar = make("canvas", { width: 256, height: 1, class: "lv-legend-bar lv-legend-small", role: "img",
      "aria-label": t("weight_scale_label") });
    paint(bar, Float32Array.from({ length: 256 }, (_, i) => -m + (2 * m * i) / 255), state.weightLut, -m, m);
    const name = state.model.manifest.colormaps.weight.name.replace(/_r$/, "");
    return make("div", { class: "lv-weight-legend" }, [
      make("div", { class: "lv-legend-scale" }, [make("span", { text: fmt(-m, 3) }), bar, make("span", { text: "+" + fmt(m, 3) })]),
      make("div", { class: "lv-legend-note", text: t("weight_scale_note", { name: name }) }),
    ]);
  }

  /* ---------------------------------------------------------------- the 1998 network (?model=lenet1998) */
  // Colour scale ends for a layer's values: the lecture's are all in [0, 1]; the paper's input runs from
  // its background to its full ink, and every squashed layer from −A to A.
  function rangeOf(name) {
    const scaling = state.model.inputScaling;
    if (!scaling) return [0, 1];
    return name === "input" ? [scaling.background, scaling.full_ink] : state.range;
  }

  function legendNote1998() {
    const s = state.model.inputScaling;
    const A = state.model.manifest.scaled_tanh.A;
    return t("legend_1998", { background: fmt(s.background, 3), ink: fmt(s.full_ink, 3), lo: fmt(-A), hi: fmt(A) });
  }

  function inputNote1998() {
    const s = state.model.inputScaling;
    return t("input_1998", { pad: s.pad, background: fmt(s.background, 3), ink: fmt(s.full_ink, 3) });
  }

  function penaltyNote(digit) {
    const penalties = state.result && state.result.penalties;
    return penalties ? t("penalty_note", { value: fmt(penalties[digit], 2) }) : "";
  }

  // The output of the RBF layer: cells coloured by probability (softmax over −penalty), penalties written under.
  function drawPenalties(canvas) {
    paint(canvas, state.result.probabilities, state.lut, 0, 1);
    const map = canvas.parentElement;
    let row = map.querySelector(".lv-penalties");
    if (!row) {
      row = make("div", { class: "lv-digit-labels lv-penalties", "aria-label": t("penalties_label") });
      row.style.width = canvas.style.width;
      for (let d = 0; d < 10; d++) row.append(make("span"));
      map.append(row);
    }
    row.querySelectorAll("span").forEach((span, d) => (span.textContent = fmt(state.result.penalties[d], 1)));
  }

  function explainSubsampling(info) {
    const c = info.weights[0];
    const total = info.window.values.reduce((a, b) => a + b, 0);
    return [
      make("p", { text: t("subsampling_weights", { c: fmt(c), n: info.window.values.length, b: fmt(info.bias) }) }),
      make("p", { class: "lv-formula", text: "z = c × (" + sumText(info.window.values) + ") + b = " + fmt(c) + " × " +
        factorText(total) + (info.bias < 0 ? " − " : " + ") + fmt(Math.abs(info.bias)) + " = " + fmt(info.sum) }),
      make("p", { class: "lv-formula lv-activation", text: scaledTanhText(info) }),
    ];
  }

  function scaledTanhText(info) {
    const k = state.model.manifest.scaled_tanh;
    return t("act_scaled_tanh", { A: k.A, S: fmt(k.S, 4), value: fmt(info.value) });
  }

  // An RBF unit: F6's 84 values and the digit's ±1 bitmap, both drawn as 7×12 pictures, and the penalty.
  function explainPenalty(info, source) {
    const n = info.window.values.length;
    const rows = state.model.manifest.rbf_bitmap_shape || [12, 7];
    const shape = rows[0] * rows[1] === n ? [rows[0], rows[1], 1] : [1, n, 1];
    const digit = info.position.channel;
    const p = state.result.probabilities[digit];
    return [
      make("p", { text: t("rbf_input", { n: n, source: layerName(source), w: shape[1], h: shape[0] }) }),
      tiles(info.window.values, shape, state.lut, ...state.range, null),
      make("p", { text: t("rbf_weights", { digit: digit }) }),
      tiles(info.weights, shape, state.weightLut, -1, 1, null),
      make("p", { class: "lv-formula", text: t("rbf_penalty", { n: n, value: fmt(info.sum, 3) }) }),
      make("p", { class: "lv-formula lv-activation", text: t("rbf_probability", { percent: probability(p) }) }),
    ];
  }

  function markChosenModel() {
    document.querySelectorAll("[data-lv-model]").forEach((link) => {
      if (link.dataset.lvModel === state.model.name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    // The page's text about one network (data-lv-for="lecture" or "lenet1998") shows with that network only.
    document.querySelectorAll("[data-lv-for]").forEach((node) => (node.hidden = node.dataset.lvFor !== state.model.name));
  }

  /* ---------------------------------------------------------------- speed and weight figures */
  async function showBenchmark() {
    const target = document.getElementById("lv-benchmark");
    if (!target) return;
    try {
      const response = await fetch(new URL("benchmark.json", here));
      if (!response.ok) throw new Error("HTTP " + response.status);
      const measured = await response.json();
      const bench = Object.assign({}, measured, (measured.models || {})[state.model.name]); // this network's figures
      const stale = bench.weights_sha256 !== state.model.manifest.weights.sha256;
      const rows = [
        [t("bench_forward", { runs: bench.runs }), t("ms", { ms: bench.forward_ms_median.toFixed(2) }),
          t("at_most_ms", { ms: bench.budget.forward_ms })],
        [t("bench_update"), t("ms", { ms: bench.update_ms_median.toFixed(2) }), t("at_most_ms", { ms: bench.budget.update_ms })],
        [t("bench_assets", { files: (bench.asset_files || bench.assets.map((a) => a.file)).join(t("list_separator")) }),
          t("kb", { kb: (bench.asset_bytes / 1024).toFixed(0) }), t("at_most_kb", { kb: bench.budget.asset_kb })],
      ];
      if (bench.keras_forward_ms_median !== null) {
        rows.push([t("bench_keras"), t("bench_keras_value", { ms: bench.keras_forward_ms_median.toFixed(2),
          ratio: bench.keras_over_js_forward.toFixed(1) }), ""]);
      }
      const table = make("table", {}, [
        make("thead", {}, [make("tr", {}, [t("th_what"), t("th_measured"), t("th_budget")].map((t) => make("th", { text: t })))]),
        make("tbody", {}, rows.map((r) => make("tr", {}, r.map((t) => make("td", { text: t }))))),
      ]);
      target.replaceChildren(table, make("p", { text: t("bench_note", { browser: bench.browser, machine: machineName(bench.machine),
        load: bench.load_average, date: bench.date }) + (stale ? t("bench_stale") : "") }));
    } catch {
      target.textContent = t("bench_none");
    }
  }

  // The benchmark's machine, "<processor>, <n> cores" (scripts/bench_visualizer.py), in the page's words.
  function machineName(machine) {
    const parts = /^(.*), (\d+) cores$/.exec(String(machine));
    return parts ? t("machine", { name: parts[1], cores: parts[2] }) : String(machine);
  }

  /* ---------------------------------------------------------------- start */
  build();
  el.clear.addEventListener("click", clearPad);
  const examplesUrl = new URL("examples.json", here);

  lenet.ready.then(async (model) => {
    state.model = model;
    state.lut = hexTable(model.manifest.colormaps.activation);
    state.weightLut = hexTable(model.manifest.colormaps.weight);
    if (model.manifest.scaled_tanh) state.range = [-model.manifest.scaled_tanh.A, model.manifest.scaled_tanh.A];
    if (model.inputScaling) VIEW.output = { cell: 34, columns: 10 }; // room for a penalty under each digit
    markChosenModel();
    buildLayers();
    buildLegend();
    // Numbers in the page's text that come from the preprocessing constants (lenet_explain/walkthrough/images.py).
    document.querySelectorAll("[data-lv-const]").forEach((node) => {
      node.textContent = String(model.manifest.preprocessing[node.dataset.lvConst]);
    });
    const response = await fetch(examplesUrl);
    if (response.ok) buildExamples(await response.json());
    update();
    root.dataset.ready = "true";
    showBenchmark();
  }).catch((error) => {
    el.status.textContent = t("could_not_start", { message: error.message });
    root.dataset.ready = "error";
  });

  // For the benchmark script and the tests: the same functions the page uses. Their indices count from 0
  // (loadExample(0) loads examples.json's first digit; state.selected's row, col and channel), the page's text from 1.
  lenet.ui = { update: update, clearPad: clearPad, loadExample: loadExample, setVisible: setVisible, state: state };
})();
