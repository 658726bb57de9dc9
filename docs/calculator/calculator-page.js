/*
 * calculator-page.js: draws the calculator page. All arithmetic comes from conv-arithmetic.js
 * (window.convArithmetic); this file reads the controls, draws the grids and the stack table,
 * writes the exports and keeps the state in the page's address (query string).
 */
(function () {
  "use strict";

  var CA = window.convArithmetic;
  var t = window.lxI18n.section("calculator"); // the page's words, in its language (docs/i18n/)
  var SVG_NS = "http://www.w3.org/2000/svg";
  var GRID_LIMIT = 72; // largest grid side (cells) that is drawn
  // The one-layer part starts as the lecture's first convolution, C1.
  var C1 = CA.LECTURE.layers[0];
  var LAYER_DEFAULTS = { op: "conv", h: String(CA.LECTURE.input[0]), w: String(CA.LECTURE.input[1]),
    c: String(CA.LECTURE.input[2]), k: String(C1.kernel_size), s: "", pm: C1.padding || "valid", p: "1", d: "1",
    ceil: false, f: String(C1.filters) };
  var NEW_LAYERS = {
    Conv2D: { filters: 16, kernel_size: 3, padding: "same", activation: "relu" },
    MaxPooling2D: { pool_size: 2 },
    AveragePooling2D: { pool_size: 2 },
    ZeroPadding2D: { padding: 1 },
    Flatten: {},
    Dense: { units: 32, activation: "relu" },
    Dropout: { rate: 0.5 },
    Activation: { activation: "relu" },
    BatchNormalization: {},
    GlobalAveragePooling2D: {},
    GlobalMaxPooling2D: {},
  };
  // The arguments each layer type shows in the editor: [file key, label, kind].
  var POOL_ARGS = [["pool_size", "pool", "pair"], ["strides", "strides", "pair"], ["padding", "padding", "padding"],
    ["dilation_rate", "dilation", "pair"], ["ceil_mode", "ceil mode", "bool"]];
  var ARGS = {
    Conv2D: [["filters", "filters", "number"], ["kernel_size", "kernel", "pair"], ["strides", "strides", "pair"],
      ["padding", "padding", "padding"], ["dilation_rate", "dilation", "pair"], ["activation", "activation", "activation"],
      ["use_bias", "bias", "bool"]],
    MaxPooling2D: POOL_ARGS,
    AveragePooling2D: POOL_ARGS,
    ZeroPadding2D: [["padding", "padding", "zeropad"]],
    Flatten: [],
    Dense: [["units", "units", "number"], ["activation", "activation", "activation"], ["use_bias", "bias", "bool"]],
    Dropout: [["rate", "rate", "number"]],
    Activation: [["activation", "activation", "activation"]],
    BatchNormalization: [["center", "center", "bool"], ["scale", "scale", "bool"]],
    GlobalAveragePooling2D: [],
    GlobalMaxPooling2D: [],
  };
  var FIELD_DEFAULTS = {};
  var REQUIRED = CA.LAYER_FIELDS.Conv2D[0][1]; // the marker of an argument without a default
  Object.keys(CA.LAYER_FIELDS).forEach(function (type) {
    FIELD_DEFAULTS[type] = {};
    CA.LAYER_FIELDS[type].forEach(function (f) { FIELD_DEFAULTS[type][f[0]] = f[1]; });
  });

  var state = {
    layer: Object.assign({}, LAYER_DEFAULTS),
    cell: [0, 0],
    stack: copy(CA.LECTURE),
  };
  var view = { rects: null, outRects: null, axes: null, preview: null, checked: null, badInput: {} };
  var urlTimer = null;

  function $(id) { return document.getElementById(id); }

  function copy(value) { return CA.copyData(value); }

  /** Create an element with attributes and children. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /** Create an SVG element with attributes. */
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  /**
   * A typed number, read as the command line reads it: digits are a whole number (exact at any size),
   * a decimal or exponent is a float (5.0 stays a float, as in Python), anything else stays text.
   */
  function parseNumber(text) {
    return CA.parseNumberText(text);
  }

  /** A size typed as "5" or "5,3" (also "5x3", "5×3", "5 3"); empty means the default. */
  function parsePair(text) {
    var t = String(text).trim();
    if (t === "") return undefined;
    var parts = t.split(/\s*[,×]\s*|(?<=\d)\s*x\s*(?=\d)|\s+/);
    if (parts.some(function (p) { return p === ""; })) return t;
    if (parts.length === 1) return parseNumber(parts[0]);
    if (parts.length === 2) return [parseNumber(parts[0]), parseNumber(parts[1])];
    return t;
  }

  /** Padding typed as 'valid', 'same' or pixels per side. */
  function parsePadding(text) {
    var t = String(text).trim().replace(/^['"]|['"]$/g, "");
    if (t === "") return undefined;
    return t === "valid" || t === "same" ? t : parseNumber(t);
  }

  /** ZeroPadding2D typed as "P", "H,W" or "top,bottom,left,right". */
  function parseZeroPad(text) {
    var t = String(text).trim();
    if (t === "") return undefined;
    var parts = t.split(/\s*,\s*|\s+/);
    if (parts.some(function (p) { return p === ""; })) return t;
    parts = parts.map(parseNumber);
    if (parts.length === 1) return parts[0];
    if (parts.length === 2) return parts;
    if (parts.length === 4) return [[parts[0], parts[1]], [parts[2], parts[3]]];
    return t;
  }

  /** A value as the editor shows it in a text field (a required argument without a value shows nothing). */
  function showValue(value) {
    if (value === undefined || value === null || value === REQUIRED) return "";
    if (Array.isArray(value)) {
      var flat = [].concat.apply([], value);
      return flat.map(showValue).join(",");
    }
    if (typeof value === "object") return CA.pyRepr(value); // 5.0 shows as 5.0
    return String(value);
  }

  // ---------------------------------------------------------------- one layer

  var LAYER_IDS = { op: "ca-op", h: "ca-h", w: "ca-w", c: "ca-c", k: "ca-k", s: "ca-s", pm: "ca-pm", p: "ca-p",
    d: "ca-d", f: "ca-f" };
  var fieldLabel = function (key) { return t("field_" + key); }; // Input height, Kernel, … (the one-layer fields)

  /** Put state.layer into the controls. */
  function writeLayerControls() {
    Object.keys(LAYER_IDS).forEach(function (key) { $(LAYER_IDS[key]).value = state.layer[key]; });
    $("ca-ceil").checked = Boolean(state.layer.ceil);
  }

  /** Read the controls into state.layer. */
  function readLayerControls() {
    Object.keys(LAYER_IDS).forEach(function (key) {
      var input = $(LAYER_IDS[key]);
      state.layer[key] = input.value;
      // A number field empties what it cannot hold (more than about 300 digits): say so, not "empty".
      view.badInput[key] = Boolean(input.validity && input.validity.badInput);
    });
    state.layer.ceil = $("ca-ceil").checked;
  }

  /** The typed value of a one-layer field, or an error naming the empty field. */
  function layerNumber(key) {
    var text = String(state.layer[key]).trim();
    if (text === "" && view.badInput[key]) {
      throw new CA.LenetError(t("field_too_long", { field: fieldLabel(key), digits: CA.MAX_DIGITS }));
    }
    if (text === "") throw new CA.LenetError(t("field_empty", { field: fieldLabel(key) }));
    return parseNumber(text);
  }

  /** The typed positive whole number of a one-layer field, or an error naming it. */
  function positiveNumber(key, what) {
    var value = layerNumber(key);
    CA.checkDigits(value, what);
    if (!CA.isInt(value) || BigInt(value) < 1n) {
      throw new CA.LenetError(CA.message("positive_integer", { what: what, value: CA.pyRepr(value) }));
    }
    return value;
  }

  /** Both axes of the one-layer setting (or the reason it is impossible). */
  function computeLayer() {
    var L = state.layer;
    var setting = {
      kernel: layerNumber("k"),
      stride: String(L.s).trim() === "" ? null : parseNumber(L.s),
      padding: L.pm === "explicit" ? layerNumber("p") : L.pm,
      dilation: layerNumber("d"),
      op: L.op,
      ceilMode: Boolean(L.ceil),
    };
    var height = layerNumber("h");
    var width = layerNumber("w");
    var errors = [];
    var axes = [height, width].map(function (input, i) {
      try {
        return CA.size(Object.assign({ input: input }, setting));
      } catch (error) {
        if (!(error instanceof CA.LenetError)) throw error;
        errors.push([i === 0 ? t("height") : t("width"), error.message]);
        return null;
      }
    });
    if (errors.length === 2 && errors[0][1] === errors[1][1]) throw new CA.LenetError(errors[0][1]);
    if (errors.length) throw new CA.LenetError(errors.map(function (e) { return t("axis_error", { axis: e[0], message: e[1] }); }).join(" "));
    var channels = positiveNumber("c", CA.message("what_input_channels"));
    var spec;
    if (L.op === "conv") {
      var filters = positiveNumber("f", CA.message("what_filters"));
      spec = { type: "Conv2D", filters: filters, kernel_size: setting.kernel, strides: axes[0].stride,
        padding: setting.padding, dilation_rate: setting.dilation, name: "layer" };
    } else {
      spec = { type: L.op === "maxpool" ? "MaxPooling2D" : "AveragePooling2D", pool_size: setting.kernel,
        strides: axes[0].stride, padding: setting.padding, ceil_mode: setting.ceilMode,
        dilation_rate: setting.dilation, name: "layer" };
    }
    var summary = CA.summarize({ name: "layer", input: [height, width, channels], layers: [spec] });
    return { axes: axes, row: summary.layers[0], channels: channels };
  }

  /**
   * Recompute and redraw the one-layer part, unless neither the setting nor the width changed (a
   * redraw between a mouse press and release on the grid would swallow the click).
   */
  function updateLayer() {
    var L = state.layer;
    var signature = JSON.stringify(L) + "@" + $("ca-layer").clientWidth;
    if (signature === view.signature) return;
    view.signature = signature;
    var conv = L.op === "conv";
    $("ca-p").disabled = L.pm !== "explicit";
    $("ca-f").disabled = !conv;
    $("ca-k-label").textContent = conv ? t("field_k") : t("pool_size");
    $("ca-s").placeholder = conv ? "1" : t("stride_placeholder");
    var result;
    try {
      result = computeLayer();
    } catch (error) {
      if (!(error instanceof CA.LenetError)) throw error;
      showError("ca-error", error.message);
      $("ca-results").hidden = true;
      $("ca-grids").hidden = true;
      $("ca-legend").hidden = true;
      $("ca-window").textContent = "";
      view.axes = null;
      return;
    }
    showError("ca-error", "");
    $("ca-results").hidden = false;
    var axes = result.axes;
    var row = result.row;
    var shape = row.output_shape;
    $("ca-shape").textContent = t("output_shape", { shape: shape.join(" × "), input: row.input_shape.join(" × ") });
    ["h", "w"].forEach(function (key, i) {
      $("ca-formula-" + key).textContent = axes[i].formula;
      $("ca-note-" + key).textContent = axes[i].note;
    });
    $("ca-params").textContent = row.param_formula;
    $("ca-params-note").textContent = conv
      ? t("params_note_conv") : t("params_note_pool");
    if (conv) {
      var k = row.size[0].kernel, kw = row.size[1].kernel;
      $("ca-macs").textContent = shape[0] + "×" + shape[1] + " × " + shape[2] + " × (" + k + "×" + kw + "×" +
        result.channels + ") = " + CA.formatInt(row.macs);
      $("ca-macs-note").textContent = t("macs_note_conv");
    } else {
      $("ca-macs").textContent = "0";
      $("ca-macs-note").textContent = L.op === "maxpool" ? t("macs_note_max") : t("macs_note_avg");
    }
    view.axes = null; // set by drawGrids when the grids are drawn
    drawGrids(axes, row);
  }

  /** Show an error message in a role=alert box, or hide the box for an empty message. */
  function showError(id, message) {
    var box = $(id);
    box.textContent = message;
    box.hidden = !message;
  }

  /**
   * The extent of one axis as drawn: padding, input, and cells beyond the edge that ceil mode reaches
   * (exact for any size: the sizes may be BigInt; a grid is drawn only when they are small).
   */
  function axisExtent(axis) {
    var b = function (v) { return BigInt(v); };
    var padded = b(axis.pad_before) + b(axis.input) + b(axis.pad_after);
    var reach = (b(axis.output) - 1n) * b(axis.stride) + b(axis.effective_kernel);
    var total = padded > reach ? padded : reach;
    var small = total <= BigInt(GRID_LIMIT);
    return { padded: small ? Number(padded) : padded, total: small ? Number(total) : total };
  }

  /** An axis with every number a plain number (for drawing a grid, whose sides are small). */
  function numericAxis(axis) {
    var copied = {};
    Object.keys(axis).forEach(function (key) {
      copied[key] = typeof axis[key] === "bigint" ? Number(axis[key]) : axis[key];
    });
    return copied;
  }

  /** Draw the input grid (with padding) and the output grid, same cell size. */
  function drawGrids(axes, row) {
    var ext = axes.map(axisExtent);
    var rows = ext[0].total, cols = ext[1].total;
    var outRows = axes[0].output, outCols = axes[1].output;
    $("ca-grids").hidden = false;
    $("ca-legend").hidden = false;
    $("ca-in-caption").textContent = t(axes[0].pad || axes[1].pad ? "in_caption_padded" : "in_caption",
      { h: axes[0].input, w: axes[1].input, channels: row.input_shape[2] });
    $("ca-out-caption").textContent = t("out_caption", { h: outRows, w: outCols, channels: row.output_shape[2] });
    if (rows > GRID_LIMIT || cols > GRID_LIMIT) {
      $("ca-in-grid").textContent = "";
      $("ca-out-grid").textContent = "";
      $("ca-in-grid").appendChild(el("p", { className: "ca-hint", text: t("grid_too_big", { limit: GRID_LIMIT,
        h: rows, w: cols }) }));
      view.rects = view.outRects = null;
      $("ca-window").textContent = "";
      return;
    }
    axes = axes.map(numericAxis);
    view.axes = axes;
    // Side by side when the cells can stay 10 pixels or more, else one above the other (phones).
    var width = Math.max(200, $("ca-layer").clientWidth || 600);
    var sideBySide = Math.floor((width - 48) / (cols + outCols));
    var cell = sideBySide >= 10 ? Math.min(16, sideBySide)
      : Math.max(4, Math.min(16, Math.floor((width - 8) / cols)));
    // Input grid.
    var inSvg = svg("svg", { width: cols * cell + 2, height: rows * cell + 2, role: "img", id: "ca-in-svg",
      viewBox: "-1 -1 " + (cols * cell + 2) + " " + (rows * cell + 2),
      "aria-label": t("in_grid_label", { h: axes[0].input, w: axes[1].input, above: axes[0].pad_before,
        below: axes[0].pad_after, left: axes[1].pad_before, right: axes[1].pad_after }) });
    view.rects = [];
    for (var r = 0; r < rows; r++) {
      var line = [];
      for (var c = 0; c < cols; c++) {
        var kind = cellKind(r, axes[0], ext[0]) === "in" && cellKind(c, axes[1], ext[1]) === "in" ? "in"
          : r >= ext[0].padded || c >= ext[1].padded ? "ghost" : "pad";
        var rect = svg("rect", { x: c * cell, y: r * cell, width: cell, height: cell, class: "ca-cell ca-" + kind });
        inSvg.appendChild(rect);
        line.push(rect);
      }
      view.rects.push(line);
    }
    view.windowBox = svg("rect", { class: "ca-window-box", x: 0, y: 0, width: 0, height: 0 });
    inSvg.appendChild(view.windowBox);
    view.cell = cell;
    $("ca-in-grid").textContent = "";
    $("ca-in-grid").appendChild(inSvg);
    // Output grid: focusable, arrow keys move the chosen cell.
    var outSvg = svg("svg", { width: outCols * cell + 2, height: outRows * cell + 2, id: "ca-out-svg",
      viewBox: "-1 -1 " + (outCols * cell + 2) + " " + (outRows * cell + 2), tabindex: "0", role: "group",
      "aria-label": t("out_grid_label", { h: outRows, w: outCols }),
      "aria-describedby": "ca-window" });
    view.outRects = [];
    for (var i = 0; i < outRows; i++) {
      var outLine = [];
      for (var j = 0; j < outCols; j++) {
        var out = svg("rect", { x: j * cell, y: i * cell, width: cell, height: cell, class: "ca-cell ca-out",
          "data-row": i, "data-col": j });
        outSvg.appendChild(out);
        outLine.push(out);
      }
      view.outRects.push(outLine);
    }
    var hadFocus = document.activeElement && document.activeElement.id === "ca-out-svg";
    $("ca-out-grid").textContent = "";
    $("ca-out-grid").appendChild(outSvg);
    if (hadFocus) outSvg.focus();
    state.cell = [Math.min(state.cell[0], outRows - 1), Math.min(state.cell[1], outCols - 1)];
    highlight(state.cell[0], state.cell[1]);
  }

  /** Whether drawn row/column ``index`` of an axis is padding, input or beyond the padded edge. */
  function cellKind(index, axis, ext) {
    if (index >= ext.padded) return "ghost";
    if (index < axis.pad_before || index >= axis.pad_before + axis.input) return "pad";
    return "in";
  }

  /** Listen on the output grid's (lasting) container: hover and click choose a cell, keys move it. */
  function listenToOutputGrid() {
    var box = $("ca-out-grid");
    var cellOf = function (event) {
      var target = event.target;
      if (!target.getAttribute || target.getAttribute("data-row") === null) return null;
      return [+target.getAttribute("data-row"), +target.getAttribute("data-col")];
    };
    box.addEventListener("mouseover", function (event) {
      var cell = cellOf(event);
      if (cell) highlight(cell[0], cell[1]);
    });
    box.addEventListener("mouseleave", function () { highlight(state.cell[0], state.cell[1]); });
    box.addEventListener("click", function (event) {
      var cell = cellOf(event);
      if (cell) chooseCell(cell[0], cell[1]);
    });
    box.addEventListener("keydown", onGridKey);
  }

  /** Move the chosen output cell with the keyboard. */
  function onGridKey(event) {
    if (!view.axes || !view.outRects) return;
    var r = state.cell[0], c = state.cell[1];
    var rows = view.axes[0].output, cols = view.axes[1].output;
    var moves = { ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1],
      Home: [r, 0], End: [r, cols - 1] };
    var next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    chooseCell(Math.max(0, Math.min(rows - 1, next[0])), Math.max(0, Math.min(cols - 1, next[1])));
  }

  /** Make an output cell the chosen one (kept in the address). */
  function chooseCell(r, c) {
    state.cell = [r, c];
    highlight(r, c);
    scheduleUrl();
  }

  /** The drawn rows (or columns) that output index ``i`` reads on one axis. */
  function windowIndices(i, axis) {
    var out = [];
    for (var a = 0; a < axis.kernel; a++) out.push(i * axis.stride + a * axis.dilation);
    return out;
  }

  /** Highlight the input window of output cell (r, c) and describe it in words. */
  function highlight(r, c) {
    if (!view.rects || !view.outRects || !view.axes) return;
    var axes = view.axes;
    var ext = axes.map(axisExtent);
    document.querySelectorAll("#ca-in-svg .ca-hit").forEach(function (n) { n.classList.remove("ca-hit"); });
    document.querySelectorAll("#ca-out-svg .ca-sel").forEach(function (n) { n.classList.remove("ca-sel"); });
    view.outRects[r][c].classList.add("ca-sel");
    var rowsIdx = windowIndices(r, axes[0]);
    var colsIdx = windowIndices(c, axes[1]);
    var counts = { in: 0, pad: 0, ghost: 0 };
    rowsIdx.forEach(function (ri) {
      colsIdx.forEach(function (ci) {
        view.rects[ri][ci].classList.add("ca-hit");
        var kr = cellKind(ri, axes[0], ext[0]), kc = cellKind(ci, axes[1], ext[1]);
        var kind = kr === "ghost" || kc === "ghost" ? "ghost" : kr === "pad" || kc === "pad" ? "pad" : "in";
        counts[kind] += 1;
      });
    });
    var cell = view.cell;
    var box = view.windowBox;
    box.setAttribute("x", colsIdx[0] * cell);
    box.setAttribute("y", rowsIdx[0] * cell);
    box.setAttribute("width", axes[1].effective_kernel * cell);
    box.setAttribute("height", axes[0].effective_kernel * cell);
    $("ca-window").textContent = describeWindow(r, c, rowsIdx, colsIdx, counts);
  }

  /** Words for the window of an output cell: which input rows and columns, how much of it is padding. */
  function describeWindow(r, c, rowsIdx, colsIdx, counts) {
    var axes = view.axes;
    var size = axes[0].kernel + "×" + axes[1].kernel;
    var text = t("window_reads", { row: r + 1, col: c + 1, size: size,
      rows: axisWords(rowsIdx, axes[0], "row", "above", "below"),
      cols: axisWords(colsIdx, axes[1], "column", "on_left", "on_right") });
    var total = rowsIdx.length * colsIdx.length;
    var padding = axes[0].op === "conv" ? t("zero_padding") : axes[0].op === "maxpool" ? t("padding_max") : t("padding");
    if (counts.pad) text += t("window_padding", { n: counts.pad, total: total, padding: padding });
    if (counts.ghost) text += t("window_beyond", { n: counts.ghost, total: total });
    return text;
  }

  /** Words for one axis of a window: the input rows (1-based) it reads, and its padding rows. */
  function axisWords(indices, axis, noun, before, after) {
    var inside = [], padBefore = 0, padAfter = 0, beyond = 0;
    var padded = axis.pad_before + axis.input + axis.pad_after;
    indices.forEach(function (i) {
      if (i >= padded) beyond += 1;
      else if (i < axis.pad_before) padBefore += 1;
      else if (i >= axis.pad_before + axis.input) padAfter += 1;
      else inside.push(i - axis.pad_before + 1);
    });
    var parts = [];
    var many = function (n) { return n === 1 ? "" : "s"; }; // the table's key for one or several
    if (inside.length === 1) parts.push(t("input_" + noun, { n: inside[0] }));
    else if (inside.length && axis.dilation === 1) {
      parts.push(t("input_" + noun + "s_to", { first: inside[0], last: inside[inside.length - 1] }));
    } else if (inside.length) parts.push(t("input_" + noun + "s_list", { list: inside.join(", ") }));
    if (padBefore) parts.push(t("padding_" + noun + many(padBefore), { n: padBefore, side: t(before) }));
    if (padAfter) parts.push(t("padding_" + noun + many(padAfter), { n: padAfter, side: t(after) }));
    if (beyond) parts.push(t("beyond_" + noun + many(beyond), { n: beyond }));
    return parts.join(t("and"));
  }

  // ---------------------------------------------------------------- the stack editor

  /** Build the editor rows from state.stack (after a structural change). */
  function renderStackEditor() {
    $("ca-model-name").value = typeof state.stack.name === "string" ? state.stack.name : "";
    $("ca-model-input").value = showValue(state.stack.input).replace(/,/g, ", ");
    var body = $("ca-rows");
    body.textContent = "";
    body.appendChild(el("tr", { className: "ca-input-row", id: "ca-row-0" }, [
      el("td", { text: "0" }), el("td", { text: "input" }), el("td", { text: "Input" }),
      el("td", { className: "ca-args", text: "" }), el("td", { className: "ca-out-shape", "data-label": t("col_output") }),
      el("td", { className: "ca-num", text: "0", "data-label": t("col_params") }),
      el("td", { className: "ca-num", text: "0", "data-label": t("col_macs") }),
      el("td", { className: "ca-num ca-rf", "data-label": t("col_rf") }),
    ]));
    state.stack.layers.forEach(function (spec, index) { body.appendChild(layerRow(spec, index)); });
    var addAfter = $("ca-add-after");
    addAfter.textContent = "";
    addAfter.appendChild(el("option", { value: "0", text: t("the_input") }));
    state.stack.layers.forEach(function (spec, index) {
      addAfter.appendChild(el("option", { value: String(index + 1), text: layerOption(index, spec.name) }));
    });
    addAfter.value = String(state.stack.layers.length);
  }

  /** One editable row of the stack table. */
  function layerRow(spec, index) {
    var number = index + 1;
    var nameInput = el("input", { type: "text", value: spec.name || "", spellcheck: "false", size: "8",
      "aria-label": t("layer_name", { n: number }), "data-key": "name", className: "ca-name" });
    nameInput.addEventListener("input", function () {
      setArg(index, "name", nameInput.value.trim() === "" ? undefined : nameInput.value);
    });
    var typeSelect = el("select", { "aria-label": t("layer_type", { n: number }) });
    Object.keys(CA.LAYER_FIELDS).forEach(function (type) {
      typeSelect.appendChild(el("option", { value: type, text: type }));
    });
    typeSelect.value = spec.type;
    typeSelect.addEventListener("change", function () {
      var name = state.stack.layers[index].name;
      state.stack.layers[index] = Object.assign({ type: typeSelect.value }, copy(NEW_LAYERS[typeSelect.value]),
        name ? { name: name } : {});
      structureChanged(t("now_a", { n: number, type: typeSelect.value }), "[data-row-index='" + index +
        "'] select");
    });
    var args = el("td", { className: "ca-args" });
    (ARGS[spec.type] || []).forEach(function (arg) { args.appendChild(argControl(spec, index, arg)); });
    var actions = el("div", { className: "ca-actions" }, [
      button("↑", t("move_up", { n: number }), "up", index === 0, function () { moveLayer(index, -1); }),
      button("↓", t("move_down", { n: number }), "down", index === state.stack.layers.length - 1,
        function () { moveLayer(index, 1); }),
      button("✕", t("remove", { n: number }), "remove", false, function () { removeLayer(index); }),
    ]);
    return el("tr", { id: "ca-row-" + number, "data-row-index": String(index) }, [
      el("td", { text: String(number) }), el("td", { className: "ca-name-cell" }, [nameInput, actions]),
      el("td", {}, [typeSelect]), args,
      el("td", { className: "ca-out-shape", "data-label": t("col_output") }),
      el("td", { className: "ca-num ca-params", "data-label": t("col_params") }),
      el("td", { className: "ca-num ca-macs", "data-label": t("col_macs") }),
      el("td", { className: "ca-num ca-rf", "data-label": t("col_rf") }),
    ]);
  }

  /** A small button with an accessible name; ``action`` (up, down, remove) finds it again after a rebuild. */
  function button(text, label, action, disabled, onClick) {
    var node = el("button", { type: "button", className: "ca-icon", "aria-label": label, title: label, text: text,
      "data-action": action });
    node.disabled = disabled;
    node.addEventListener("click", onClick);
    return node;
  }

  /** The control for one argument of a layer. */
  function argControl(spec, index, arg) {
    var key = arg[0], label = t("arg_" + arg[1].replace(" ", "_")), kind = arg[2];
    var aria = t("layer_arg", { n: index + 1, arg: label });
    var value = spec[key];
    var input;
    if (kind === "bool") {
      var fallback = FIELD_DEFAULTS[spec.type][key];
      input = el("input", { type: "checkbox", "aria-label": aria, "data-key": key });
      input.checked = value === undefined ? Boolean(fallback) : Boolean(value);
      input.addEventListener("change", function () {
        setArg(index, key, input.checked === fallback ? undefined : input.checked);
      });
      return el("label", { className: "ca-arg ca-arg-bool" }, [input, el("span", { text: label })]);
    }
    if (kind === "activation") {
      input = el("select", { "aria-label": aria, "data-key": key });
      if (spec.type !== "Activation") input.appendChild(el("option", { value: "", text: t("no_activation") }));
      CA.ACTIVATIONS.forEach(function (name) { input.appendChild(el("option", { value: name, text: name })); });
      input.value = value === undefined || value === null ? (spec.type === "Activation" ? "relu" : "") : value;
      input.addEventListener("change", function () { setArg(index, key, input.value === "" ? undefined : input.value); });
      return el("label", { className: "ca-arg" }, [el("span", { text: label }), input]);
    }
    var parse = { pair: parsePair, padding: parsePadding, zeropad: parseZeroPad, number: function (t) {
      return String(t).trim() === "" ? undefined : parseNumber(t);
    } }[kind];
    var placeholder = kind === "pair" && key === "strides" && spec.type !== "Conv2D" ? t("arg_pool")
      : showValue(FIELD_DEFAULTS[spec.type][key]);
    input = el("input", { type: "text", value: showValue(value), size: kind === "zeropad" ? "7" : kind === "padding" ? "5" : "4",
      spellcheck: "false", "aria-label": aria, "data-key": key, placeholder: placeholder === "" ? "" : placeholder });
    if (kind === "padding") input.setAttribute("list", "ca-padding-values");
    if (kind !== "padding") input.setAttribute("inputmode", kind === "number" && key === "rate" ? "decimal" : "text");
    input.addEventListener("input", function () { setArg(index, key, parse(input.value)); });
    return el("label", { className: "ca-arg" }, [el("span", { text: label }), input]);
  }

  /** Set (or, with undefined, drop) one argument of layer ``index`` and recompute. */
  function setArg(index, key, value) {
    var spec = state.stack.layers[index];
    if (value === undefined) delete spec[key];
    else spec[key] = value;
    if (key === "name") renameAddOption(index);
    updateStack();
  }

  /** Keep the "add after" list's names in step with the name fields. */
  function renameAddOption(index) {
    var option = $("ca-add-after").options[index + 1];
    var name = state.stack.layers[index].name;
    if (option) option.textContent = layerOption(index, name);
  }

  /** The "add after" list's words for layer ``index`` (counted from 0) and its name. */
  function layerOption(index, name) {
    return name ? t("layer_named", { n: index + 1, name: name }) : t("layer_n", { n: index + 1 });
  }

  function moveLayer(index, step) {
    var layers = state.stack.layers;
    var moved = layers.splice(index, 1)[0];
    layers.splice(index + step, 0, moved);
    var dir = step < 0 ? "up" : "down";
    structureChanged(t("moved_" + dir, { n: index + 1 }),
      "[data-row-index='" + (index + step) + "'] button[data-action='" + dir + "']");
  }

  function removeLayer(index) {
    state.stack.layers.splice(index, 1);
    var focusIndex = Math.min(index, state.stack.layers.length - 1);
    structureChanged(t("removed", { n: index + 1 }),
      focusIndex >= 0 ? "[data-row-index='" + focusIndex + "'] button[data-action='remove']" : "#ca-add");
  }

  function addLayer() {
    var type = $("ca-add-type").value;
    var after = parseInt($("ca-add-after").value, 10);
    state.stack.layers.splice(after, 0, Object.assign({ type: type }, copy(NEW_LAYERS[type])));
    structureChanged(t("added", { type: type, n: after + 1 }), "[data-row-index='" + after + "'] select");
  }

  /** Rebuild the editor after layers were added, removed, moved or retyped; focus ``focusSelector``. */
  function structureChanged(message, focusSelector) {
    renderStackEditor();
    updateStack();
    status(message);
    var target = focusSelector && document.querySelector(focusSelector.charAt(0) === "#" ? focusSelector
      : "#ca-rows " + focusSelector);
    if (target && !target.disabled) target.focus();
  }

  /** A short message for screen readers (and sighted readers) after an action. */
  function status(message) {
    $("ca-status").textContent = message;
  }

  /** Parse the model input field: "28, 28, 1" → [28, 28, 1]. */
  function parseShape(text) {
    var t = String(text).trim();
    if (t === "") return [];
    var parts = t.split(/\s*[,×]\s*|(?<=\d)\s*x\s*(?=\d)|\s+/);
    return parts.map(function (p) { return p === "" ? "" : parseNumber(p); });
  }

  /** The row number (1-based) that an error message points at, or 0 for the input, or -1. */
  function errorRow(message, checked) {
    var m = /^stack: layer (\d+)/.exec(message);
    if (m) return parseInt(m[1], 10);
    if (/^stack: (Input|input)/.test(message)) return 0;
    if (checked) {
      for (var i = 0; i < checked.layers.length; i++) {
        if (message.indexOf(checked.layers[i].name + ": ") === 0) return i + 1;
      }
    }
    return -1;
  }

  /** Recompute the stack table, totals, exports and address. */
  function updateStack() {
    var data = state.stack;
    var checked = null, summary = null, message = "", rows = [];
    try {
      checked = CA.stackFromFile(data, "stack", "stack");
      summary = CA.summarize(checked);
      rows = summary.layers;
    } catch (error) {
      if (!(error instanceof CA.LenetError)) throw error;
      message = error.message;
      rows = partialRows(data, checked, errorRow(message, checked));
    }
    view.checked = checked && !message ? checked : null;
    var bad = message ? errorRow(message, checked) : -1;
    var inputShape = Array.isArray(data.input) ? data.input : [];
    var inputRow = $("ca-row-0");
    var inputOk = bad !== 0 && !/^stack: (input|Input)/.test(message);
    inputRow.querySelector(".ca-out-shape").textContent = inputOk ? CA.formatShape(inputShape, false) : "—";
    inputRow.querySelector(".ca-rf").textContent = inputOk ? (inputShape.length === 3 ? "1" : "all") : "—";
    inputRow.classList.toggle("ca-bad", bad === 0);
    data.layers.forEach(function (spec, index) {
      var tr = $("ca-row-" + (index + 1));
      if (!tr) return;
      var row = rows[index];
      tr.classList.toggle("ca-bad", bad === index + 1);
      var nameInput = tr.querySelector(".ca-name");
      if (checked) nameInput.placeholder = checked.layers[index].name;
      fillCell(tr.querySelector(".ca-out-shape"), row ? CA.formatShape(row.output_shape, false) : "—",
        row && row.size ? sizeFormula(row) : "");
      fillCell(tr.querySelector(".ca-params"), row ? CA.formatInt(row.params) : "—",
        row && row.params ? row.param_formula.replace(/ = [\d]+$/, "") : "");
      tr.querySelector(".ca-macs").textContent = row ? CA.formatInt(row.macs) : "—";
      tr.querySelector(".ca-rf").textContent = row ? CA.formatField(row.receptive_field) : "—";
    });
    showError("ca-stack-error", message);
    $("ca-totals").textContent = summary ? CA.totalLines(summary).join("\n") : "";
    $("ca-totals").hidden = !summary;
    updateExports(view.checked);
    scheduleUrl();
  }

  /** The size formula of a row: one formula when both axes agree, else H: …; W: … (size_formula_text). */
  function sizeFormula(row) {
    var h = row.size[0].formula, w = row.size[1].formula;
    return h === w ? h : "H: " + h + "; W: " + w; // as size_formula_text writes it (the command line's words)
  }

  /** Put a value and, under it, a small formula into a table cell. */
  function fillCell(td, value, formula) {
    td.textContent = value;
    if (formula) td.appendChild(el("span", { className: "ca-formula", text: formula }));
  }

  /** The rows that can be computed before the layer an error points at. */
  function partialRows(data, checked, bad) {
    if (bad < 1) return [];
    try {
      var prefix = checked ? Object.assign({}, checked, { layers: checked.layers.slice(0, bad - 1) })
        : CA.stackFromFile({ name: data.name, input: data.input, layers: data.layers.slice(0, bad - 1) });
      return CA.summarize(prefix).layers;
    } catch (error) {
      if (!(error instanceof CA.LenetError)) throw error;
      return [];
    }
  }

  /** Write the stack file and the Keras code, or say why they cannot be written. */
  function updateExports(checked) {
    var json = "", keras = "", jsonError = "", kerasError = "";
    if (!checked) {
      jsonError = kerasError = t("fix_first");
    } else {
      json = CA.stackFileText(checked);
      try {
        keras = CA.kerasCode(checked);
      } catch (error) {
        if (!(error instanceof CA.LenetError)) throw error;
        kerasError = t("keras_cannot", { message: error.message });
      }
    }
    $("ca-json").textContent = json || jsonError;
    $("ca-json").classList.toggle("ca-muted", !json);
    $("ca-keras").textContent = keras || kerasError;
    $("ca-keras").classList.toggle("ca-muted", !keras);
    $("ca-download-json").disabled = $("ca-copy-json").disabled = !json;
    $("ca-download-py").disabled = $("ca-copy-py").disabled = !keras;
    view.json = json;
    view.keras = keras;
  }

  /** Offer ``text`` as a file download (a blob: URL, nothing leaves the page). */
  function download(text, filename, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = el("a", { href: url, download: filename });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    status(t("saved", { file: filename }));
  }

  /** Copy ``text`` to the clipboard, saying whether it worked. */
  function copyText(text, what) {
    var done = function () { status(t("copied", { what: what })); };
    var failed = function () { status(t("copy_failed")); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, failed);
    else failed();
  }

  /** Text safe inside HTML. */
  function html(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  /** Read a saved .keras model in the browser and show its table and totals, as the command line prints them. */
  function readKerasFile(file) {
    var started = performance.now();
    var say = function (text) { $("ca-keras-status").textContent = text; };
    say(t("keras_reading", { file: file.name }));
    file.arrayBuffer().then(function (buffer) {
      return CA.readKerasArchive(buffer, file.name);
    }).then(function (stack) {
      var summary = CA.summarize(stack);
      renderKerasSummary(summary);
      view.kerasSummary = summary;
      say(t("keras_read", { file: file.name, layers: CA.formatInt(summary.layers.length),
        ms: Math.round(performance.now() - started) }));
    }).catch(function (error) {
      if (!(error instanceof CA.LenetError)) throw error;
      $("ca-keras-wrap").hidden = true;
      $("ca-keras-totals").hidden = true;
      view.kerasSummary = null;
      say(error.message);
    });
  }

  /** The table of a saved model: one row per layer, "Connected to" for a graph. */
  function renderKerasSummary(summary) {
    var graph = !!summary.graph;
    var head = ["Layer (type)", "Output Shape", "Param #", "Param formula", "MACs", "RF"]
      .concat(graph ? ["Connected to"] : []);
    var parts = ["<thead><tr>" + head.map(function (h) { return '<th scope="col">' + h + "</th>"; }).join("") +
      "</tr></thead><tbody>"];
    summary.layers.forEach(function (row) {
      var cells = [
        ["", html(row.name + " (" + row.type + ")")],
        ["ca-out-shape", CA.formatShape(row.output_shape, true)],
        ["ca-num", CA.formatInt(row.params)],
        ["", html(row.params ? row.param_formula : "")],
        ["ca-num", CA.formatInt(row.macs)],
        ["ca-num", CA.formatField(row.receptive_field)],
      ];
      if (graph) cells.push(["", html((row.connected_to || []).join(", "))]);
      parts.push("<tr>" + cells.map(function (c) {
        return (c[0] ? '<td class="' + c[0] + '">' : "<td>") + c[1] + "</td>";
      }).join("") + "</tr>");
    });
    parts.push("</tbody>");
    $("ca-keras-table").innerHTML = parts.join("");
    $("ca-keras-totals").textContent = CA.totalLines(summary).join("\n");
    $("ca-keras-wrap").hidden = false;
    $("ca-keras-totals").hidden = false;
  }

  /** Load a stack file chosen by the reader: read and checked as ``lenet-explain summary --model`` does. */
  function loadFile(file) {
    if (file.size > CA.MAX_STACK_FILE_BYTES) {
      status(CA.message("file_too_big", { file: file.name, bytes: CA.formatInt(file.size),
        mib: CA.MAX_STACK_FILE_BYTES / (1024 * 1024) }));
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      try {
        var checked = CA.readStackText(String(reader.result), file.name.replace(/\.json$/i, ""), file.name);
        state.stack = CA.stackToFile(checked);
      } catch (error) {
        if (!(error instanceof CA.LenetError)) throw error;
        status(error.message);
        return;
      }
      structureChanged(t("loaded", { file: file.name }));
    };
    reader.readAsText(file);
  }

  // ---------------------------------------------------------------- the address (URL state)

  // Whole words: Material's search highlighting owns the "h" parameter.
  var URL_KEYS = { op: "op", h: "height", w: "width", c: "channels", k: "kernel", s: "stride", d: "dilation",
    f: "filters" };

  /** Write the state into the query string (replacing the history entry). */
  function writeUrl() {
    urlTimer = null;
    var L = state.layer;
    var params = new URLSearchParams();
    Object.keys(URL_KEYS).forEach(function (key) {
      if (key === "s" && String(L.s).trim() === "") return;
      if (key === "f" && L.op !== "conv") return;
      params.set(URL_KEYS[key], L[key]);
    });
    params.set("pad", L.pm === "explicit" ? L.p : L.pm);
    if (L.ceil) params.set("ceil", "1");
    params.set("cell", (state.cell[0] + 1) + "," + (state.cell[1] + 1));
    var stackText = CA.toJson(state.stack);
    if (stackText !== CA.toJson(CA.LECTURE)) params.set("stack", stackText);
    var url = location.pathname + "?" + params.toString() + location.hash;
    history.replaceState(history.state, "", url);
  }

  function scheduleUrl() {
    if (urlTimer === null) urlTimer = setTimeout(writeUrl, 0);
  }

  /** Read the state from the query string; unknown or broken values fall back to the defaults. */
  function readUrl() {
    var params = new URLSearchParams(location.search);
    var L = state.layer;
    Object.keys(URL_KEYS).forEach(function (key) {
      if (params.has(URL_KEYS[key])) L[key] = params.get(URL_KEYS[key]);
    });
    if (CA.OPS.indexOf(L.op) < 0) L.op = LAYER_DEFAULTS.op;
    if (params.has("pad")) {
      var pad = params.get("pad");
      if (pad === "valid" || pad === "same") L.pm = pad;
      else { L.pm = "explicit"; L.p = pad; }
    }
    L.ceil = params.get("ceil") === "1";
    var cell = /^(\d+),(\d+)$/.exec(params.get("cell") || "");
    if (cell) state.cell = [Math.max(0, parseInt(cell[1], 10) - 1), Math.max(0, parseInt(cell[2], 10) - 1)];
    if (params.has("stack")) readUrlStack(params.get("stack"));
  }

  /**
   * Take the stack in the address when the editor can show it (its errors are then shown in place);
   * else refuse it with the message the command line gives for the same file, and keep LeNet-5.
   */
  function readUrlStack(text) {
    var data;
    try {
      data = CA.parseJson(text, "stack");
      if (!editable(data)) CA.stackFromFile(data, "stack", "stack"); // throws the command line's message
    } catch (error) {
      if (!(error instanceof CA.LenetError)) throw error;
      status(t("url_refused", { message: error.message }));
      return;
    }
    state.stack = data;
  }

  /** True for stack data whose every part has a place in the editor (a name, an input, layer objects). */
  function editable(data) {
    var scalar = function (v) {
      return v === null || typeof v !== "object" || v instanceof CA.PyFloat || v instanceof CA.LongNumber;
    };
    var pairOrScalar = function (v) { return scalar(v) || (Array.isArray(v) && v.every(scalar)); };
    var simple = function (v) { return pairOrScalar(v) || (Array.isArray(v) && v.every(pairOrScalar)); };
    var isObject = function (v) { return v !== null && typeof v === "object" && !Array.isArray(v) && !scalar(v); };
    var known = function (k) { return ["name", "input", "layers"].indexOf(k) >= 0; };
    var layerOk = function (layer) {
      return isObject(layer) && Object.keys(layer).every(function (k) { return simple(layer[k]); }) &&
        (layer.name === undefined || typeof layer.name === "string");
    };
    return isObject(data) && Object.keys(data).every(known) &&
      (data.name === undefined || typeof data.name === "string") &&
      Array.isArray(data.input) && data.input.every(scalar) &&
      Array.isArray(data.layers) && data.layers.length <= CA.MAX_LAYERS && data.layers.every(layerOk);
  }

  // ---------------------------------------------------------------- start

  function init() {
    if (!$("ca-layer") || !CA) return;
    readUrl();
    writeLayerControls();
    readLayerControls(); // what the controls accept (a number field drops text) is the state
    listenToOutputGrid();
    $("ca-controls").addEventListener("input", function () { readLayerControls(); updateLayer(); scheduleUrl(); });
    $("ca-controls").addEventListener("change", function () { readLayerControls(); updateLayer(); scheduleUrl(); });
    var datalist = el("datalist", { id: "ca-padding-values" });
    ["valid", "same", "0", "1", "2"].forEach(function (v) { datalist.appendChild(el("option", { value: v })); });
    $("ca-stack").appendChild(datalist);
    Object.keys(CA.LAYER_FIELDS).forEach(function (type) {
      $("ca-add-type").appendChild(el("option", { value: type, text: type }));
    });
    $("ca-add").addEventListener("click", addLayer);
    $("ca-reset").addEventListener("click", function () {
      state.stack = copy(CA.LECTURE);
      structureChanged(t("reset", { size: "28×28" }));
    });
    $("ca-reset32").addEventListener("click", function () {
      state.stack = copy(CA.LECTURE32);
      structureChanged(t("reset", { size: "32×32" }));
    });
    $("ca-model-name").addEventListener("input", function () {
      state.stack.name = $("ca-model-name").value;
      updateStack();
    });
    $("ca-model-input").addEventListener("input", function () {
      state.stack.input = parseShape($("ca-model-input").value);
      updateStack();
    });
    $("ca-download-json").addEventListener("click", function () {
      download(view.json, "stack.json", "application/json");
    });
    $("ca-download-py").addEventListener("click", function () {
      download(view.keras, "model.py", "text/x-python");
    });
    $("ca-copy-json").addEventListener("click", function () { copyText(view.json, t("the_stack_file")); });
    $("ca-copy-py").addEventListener("click", function () { copyText(view.keras, t("the_keras_code")); });
    $("ca-load").addEventListener("change", function () {
      if (this.files && this.files[0]) loadFile(this.files[0]);
    });
    $("ca-keras-file").addEventListener("change", function () {
      if (this.files && this.files[0]) readKerasFile(this.files[0]);
    });
    var drop = $("ca-keras-drop");
    drop.addEventListener("dragover", function (event) { event.preventDefault(); });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files[0]) readKerasFile(files[0]);
    });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(updateLayer, 100);
    });
    updateLayer();
    renderStackEditor();
    updateStack();
    document.documentElement.setAttribute("data-calculator", "ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
