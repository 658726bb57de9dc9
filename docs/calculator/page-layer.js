/*
 * page-layer.js: the calculator page's one-layer part: its controls, the input and output grids, the
 * window a chosen output cell reads.
 */
import * as CA from "./conv-arithmetic.js";
import { GRID_LIMIT, byId, el, parseNumber, scheduleUrl, state, svg, t, view } from "./page-common.js";

// ---------------------------------------------------------------- one layer

var LAYER_IDS = { op: "ca-op", h: "ca-h", w: "ca-w", c: "ca-c", k: "ca-k", s: "ca-s", pm: "ca-pm", p: "ca-p",
  d: "ca-d", f: "ca-f" };
var fieldLabel = function (key) { return t("field_" + key); }; // Input height, Kernel, … (the one-layer fields)

/** Put state.layer into the controls. */
export function writeLayerControls() {
  Object.keys(LAYER_IDS).forEach(function (key) { byId(LAYER_IDS[key]).value = state.layer[key]; });
  byId("ca-ceil").checked = Boolean(state.layer.ceil);
}

/** Read the controls into state.layer. */
export function readLayerControls() {
  Object.keys(LAYER_IDS).forEach(function (key) {
    var input = byId(LAYER_IDS[key]);
    state.layer[key] = input.value;
    // A number field empties what it cannot hold (more than about 300 digits): say so, not "empty".
    view.badInput[key] = Boolean(input.validity && input.validity.badInput);
  });
  state.layer.ceil = byId("ca-ceil").checked;
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
  if (!CA.isInt(value) || value < 1n) {
    throw new CA.LenetError(CA.message("positive_integer", { what: what, value: CA.valueText(value) }));
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
  if (errors.length) {
    throw new CA.LenetError(errors.map(function (e) { return t("axis_error", { axis: e[0], message: e[1] }); })
      .join(t("axis_join")));
  }
  var channels = positiveNumber("c", CA.message("what_input_channels"));
  var spec;
  if (L.op === "conv") {
    var filters = positiveNumber("f", CA.message("what_filters"));
    spec = { type: "Conv2D", filters: filters, kernel_size: setting.kernel, strides: BigInt(axes[0].stride),
      padding: setting.padding, dilation_rate: setting.dilation, name: "layer" };
  } else {
    spec = { type: L.op === "maxpool" ? "MaxPooling2D" : "AveragePooling2D", pool_size: setting.kernel,
      strides: BigInt(axes[0].stride), padding: setting.padding, ceil_mode: setting.ceilMode,
      dilation_rate: setting.dilation, name: "layer" };
  }
  var summary = CA.summarize({ name: "layer", input: [height, width, channels], layers: [spec] });
  return { axes: axes, row: summary.layers[0], channels: channels };
}

/**
 * Recompute and redraw the one-layer part, unless neither the setting nor the width changed (a
 * redraw between a mouse press and release on the grid would swallow the click).
 */
export function updateLayer() {
  var L = state.layer;
  var signature = JSON.stringify(L) + "@" + byId("ca-layer").clientWidth;
  if (signature === view.signature) return;
  view.signature = signature;
  var conv = L.op === "conv";
  byId("ca-p").disabled = L.pm !== "explicit";
  byId("ca-f").disabled = !conv;
  byId("ca-k-label").textContent = conv ? t("field_k") : t("pool_size");
  byId("ca-s").placeholder = conv ? "1" : t("stride_placeholder");
  var result;
  try {
    result = computeLayer();
  } catch (error) {
    if (!(error instanceof CA.LenetError)) throw error;
    showError("ca-error", error.message);
    byId("ca-results").hidden = true;
    byId("ca-grids").hidden = true;
    byId("ca-legend").hidden = true;
    byId("ca-window").textContent = "";
    view.axes = null;
    return;
  }
  showError("ca-error", "");
  byId("ca-results").hidden = false;
  var axes = result.axes;
  var row = result.row;
  var shape = row.output_shape;
  byId("ca-shape").textContent = t("output_shape", { shape: shape.join(" × "), input: row.input_shape.join(" × ") });
  ["h", "w"].forEach(function (key, i) {
    byId("ca-formula-" + key).textContent = axes[i].formula;
    byId("ca-note-" + key).textContent = axes[i].note;
  });
  byId("ca-params").textContent = row.param_formula;
  byId("ca-params-note").textContent = conv
    ? t("params_note_conv") : t("params_note_pool");
  if (conv) {
    var k = row.size[0].kernel, kw = row.size[1].kernel;
    byId("ca-macs").textContent = shape[0] + "×" + shape[1] + " × " + shape[2] + " × (" + k + "×" + kw + "×" +
      result.channels + ") = " + CA.formatInt(row.macs);
    byId("ca-macs-note").textContent = t("macs_note_conv");
  } else {
    byId("ca-macs").textContent = "0";
    byId("ca-macs-note").textContent = L.op === "maxpool" ? t("macs_note_max") : t("macs_note_avg");
  }
  view.axes = null; // set by drawGrids when the grids are drawn
  drawGrids(axes, row);
}

/** Show an error message in a role=alert box, or hide the box for an empty message. */
export function showError(id, message) {
  var box = byId(id);
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
  byId("ca-grids").hidden = false;
  byId("ca-legend").hidden = false;
  byId("ca-in-caption").textContent = t(axes[0].pad || axes[1].pad ? "in_caption_padded" : "in_caption",
    { h: axes[0].input, w: axes[1].input, channels: row.input_shape[2] });
  byId("ca-out-caption").textContent = t("out_caption", { h: outRows, w: outCols, channels: row.output_shape[2] });
  if (rows > GRID_LIMIT || cols > GRID_LIMIT) {
    byId("ca-in-grid").textContent = "";
    byId("ca-out-grid").textContent = "";
    byId("ca-in-grid").appendChild(el("p", { class: "ca-hint", text: t("grid_too_big", { limit: GRID_LIMIT,
      h: rows, w: cols }) }));
    view.rects = view.outRects = null;
    byId("ca-window").textContent = "";
    return;
  }
  axes = axes.map(numericAxis);
  view.axes = axes;
  // Side by side when the cells can stay 10 pixels or more, else one above the other (phones).
  var width = Math.max(200, byId("ca-layer").clientWidth || 600);
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
  byId("ca-in-grid").textContent = "";
  byId("ca-in-grid").appendChild(inSvg);
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
  byId("ca-out-grid").textContent = "";
  byId("ca-out-grid").appendChild(outSvg);
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
export function listenToOutputGrid() {
  var box = byId("ca-out-grid");
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
  byId("ca-window").textContent = describeWindow(r, c, rowsIdx, colsIdx, counts);
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
  } else if (inside.length) parts.push(t("input_" + noun + "s_list", { list: inside.join(CA.message("list_separator")) }));
  if (padBefore) parts.push(t("padding_" + noun + many(padBefore), { n: padBefore, side: t(before) }));
  if (padAfter) parts.push(t("padding_" + noun + many(padAfter), { n: padAfter, side: t(after) }));
  if (beyond) parts.push(t("beyond_" + noun + many(beyond), { n: beyond }));
  return parts.join(t("and"));
}
