/*
 * page-stack.js: the calculator page's stack part: the layer editor, the summary table, the exports, and a
 * stack or a saved .keras file loaded from disk.
 */
import * as CA from "./conv-arithmetic.js";
import {
  ARGS, FIELD_DEFAULTS, LAYER_TYPES, NEW_LAYERS, byId, copy, el, parseNumber, parsePadding, parsePair, parseZeroPad,
  scheduleUrl, showValue, state, t, view,
} from "./page-common.js";
import { showError } from "./page-layer.js";

// ---------------------------------------------------------------- the stack editor

// The editor's rows: each one's cells, and what they show now (written again only when it changes).
var rowCells = [], inputCells = null;

/** Build the editor rows from state.stack (after a structural change). */
export function renderStackEditor() {
  byId("ca-model-name").value = typeof state.stack.name === "string" ? state.stack.name : "";
  byId("ca-model-input").value = showValue(state.stack.input).replace(/,/g, ", ");
  var body = byId("ca-rows");
  body.textContent = "";
  var inputRow = body.appendChild(el("tr", { class: "ca-input-row", id: "ca-row-0" }, [
    el("td", { text: "0" }), el("td", { text: "input" }), el("td", { text: "Input" }),
    el("td", { class: "ca-args", text: "" }), el("td", { class: "ca-out-shape", "data-label": t("col_output") }),
    el("td", { class: "ca-num", text: "0", "data-label": t("col_params") }),
    el("td", { class: "ca-num", text: "0", "data-label": t("col_macs") }),
    el("td", { class: "ca-num ca-rf", "data-label": t("col_rf") }),
  ]));
  inputCells = { tr: inputRow, shape: inputRow.querySelector(".ca-out-shape"), rf: inputRow.querySelector(".ca-rf"),
    shown: Object.create(null) };
  rowCells = state.stack.layers.map(function (spec, index) {
    var tr = layerRow(spec, index);
    body.appendChild(tr);
    return { tr: tr, name: tr.querySelector(".ca-name"), shape: tr.querySelector(".ca-out-shape"),
      params: tr.querySelector(".ca-params"), macs: tr.querySelector(".ca-macs"), rf: tr.querySelector(".ca-rf"),
      shown: Object.create(null) };
  });
  var addAfter = byId("ca-add-after");
  addAfter.textContent = "";
  addAfter.appendChild(el("option", { value: "0", text: t("the_input") }));
  state.stack.layers.forEach(function (spec, index) {
    addAfter.appendChild(el("option", { value: String(index + 1), text: layerOption(index, spec.name) }));
  });
  addAfter.value = String(state.stack.layers.length);
  frozen = false; // the columns are measured again once the new rows have their numbers (updateStack)
}

// The table's columns keep the widths the browser gave them (table-layout: fixed) until a value no longer fits:
// then a one-character edit lays out and repaints the rows it changed, not a thousand rows of the whole table.
var frozen = false;
var LAZY_ROWS = 100; // from this many rows on, cells off screen are skipped (a short table gains nothing)

/** Let the browser size the columns for what the table holds now, then keep those widths. */
export function freezeColumns() {
  var table = byId("ca-table");
  var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
  table.classList.remove("ca-lazy"); // every cell counts while the browser sizes the columns
  table.style.tableLayout = "";
  heads.forEach(function (th) { th.style.width = ""; });
  frozen = false;
  if (getComputedStyle(table).display !== "table") return; // a narrow screen: one card per layer, no columns
  var widths = heads.map(function (th) { return th.getBoundingClientRect().width; });
  if (widths.some(function (w) { return !(w > 0); })) return; // not shown
  heads.forEach(function (th, i) { th.style.width = widths[i] + "px"; });
  table.style.tableLayout = "fixed";
  // With the widths fixed, a cell off screen need not be laid out or painted (content-visibility: auto in
  // calculator.css) until it is scrolled to: an edit of a 1,000-layer stack then draws a screenful of rows.
  table.classList.toggle("ca-lazy", rowCells.length > LAZY_ROWS);
  frozen = true;
}

/** True when a cell's text is wider than its column (a value grew past the width the columns were given). */
function overflows(td) {
  return td.scrollWidth > td.clientWidth;
}

// Every field says autocomplete="off": the page keeps its state in the address, and a browser that saves the
// state of every form field into the history entry at each change of the address (Chromium does) would spend
// about 0.1 s on the 6,000 fields of a 1,000-layer stack at every edit, for nothing.

/** One editable row of the stack table. */
function layerRow(spec, index) {
  var number = index + 1;
  var nameInput = el("input", { type: "text", value: spec.name || "", spellcheck: "false", autocomplete: "off", size: "8",
    "aria-label": t("layer_name", { n: number }), "data-key": "name", class: "ca-name" });
  nameInput.addEventListener("input", function () {
    setArg(index, "name", nameInput.value.trim() === "" ? undefined : nameInput.value);
  });
  var typeSelect = el("select", { "aria-label": t("layer_type", { n: number }), autocomplete: "off" });
  LAYER_TYPES.forEach(function (type) {
    typeSelect.appendChild(el("option", { value: type, text: type }));
  });
  typeSelect.value = spec.type;
  typeSelect.addEventListener("change", function () {
    var old = state.stack.layers[index];
    state.stack.layers[index] = Object.assign({ type: typeSelect.value }, copy(NEW_LAYERS[typeSelect.value]),
      old.name ? { name: old.name } : {}, Object.hasOwn(old, "inbound") ? { inbound: old.inbound } : {});
    structureChanged(t("now_a", { n: number, type: typeSelect.value }), "[data-row-index='" + index +
      "'] select");
  });
  var args = el("td", { class: "ca-args" });
  (Object.hasOwn(ARGS, spec.type) ? ARGS[spec.type] : []).forEach(function (arg) {
    args.appendChild(argControl(spec, index, arg));
  });
  var actions = el("div", { class: "ca-actions" }, [
    button("↑", t("move_up", { n: number }), "up", index === 0, function () { moveLayer(index, -1); }),
    button("↓", t("move_down", { n: number }), "down", index === state.stack.layers.length - 1,
      function () { moveLayer(index, 1); }),
    button("✕", t("remove", { n: number }), "remove", false, function () { removeLayer(index); }),
  ]);
  return el("tr", { id: "ca-row-" + number, "data-row-index": String(index) }, [
    el("td", { text: String(number) }), el("td", { class: "ca-name-cell" }, [nameInput, actions]),
    el("td", {}, [typeSelect]), args,
    el("td", { class: "ca-out-shape", "data-label": t("col_output") }),
    el("td", { class: "ca-num ca-params", "data-label": t("col_params") }),
    el("td", { class: "ca-num ca-macs", "data-label": t("col_macs") }),
    el("td", { class: "ca-num ca-rf", "data-label": t("col_rf") }),
  ]);
}

/** A small button with an accessible name; ``action`` (up, down, remove) finds it again after a rebuild. */
function button(text, label, action, disabled, onClick) {
  var node = el("button", { type: "button", class: "ca-icon", "aria-label": label, title: label, text: text,
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
    var fallback = FIELD_DEFAULTS.get(spec.type).get(key);
    input = el("input", { type: "checkbox", "aria-label": aria, "data-key": key, autocomplete: "off" });
    input.checked = value === undefined ? Boolean(fallback) : Boolean(value);
    input.addEventListener("change", function () {
      setArg(index, key, input.checked === fallback ? undefined : input.checked);
    });
    return el("label", { class: "ca-arg ca-arg-bool" }, [input, el("span", { text: label })]);
  }
  if (kind === "activation") {
    input = el("select", { "aria-label": aria, "data-key": key, autocomplete: "off" });
    if (spec.type !== "Activation") input.appendChild(el("option", { value: "", text: t("no_activation") }));
    CA.ACTIVATIONS.forEach(function (name) { input.appendChild(el("option", { value: name, text: name })); });
    input.value = value === undefined || value === null ? (spec.type === "Activation" ? "relu" : "") : value;
    input.addEventListener("change", function () { setArg(index, key, input.value === "" ? undefined : input.value); });
    return el("label", { class: "ca-arg" }, [el("span", { text: label }), input]);
  }
  var parse = { pair: parsePair, padding: parsePadding, zeropad: parseZeroPad, number: function (t) {
    return String(t).trim() === "" ? undefined : parseNumber(t);
  } }[kind];
  var placeholder = kind === "pair" && key === "strides" && spec.type !== "Conv2D" ? t("stride_default")
    : showValue(FIELD_DEFAULTS.get(spec.type).get(key));
  input = el("input", { type: "text", value: showValue(value), size: kind === "zeropad" ? "7" : kind === "padding" ? "5" : "4",
    spellcheck: "false", autocomplete: "off", "aria-label": aria, "data-key": key,
    placeholder: placeholder === "" ? "" : placeholder });
  if (kind === "padding") input.setAttribute("list", "ca-padding-values");
  if (kind !== "padding") input.setAttribute("inputmode", kind === "number" && key === "rate" ? "decimal" : "text");
  input.addEventListener("input", function () { setArg(index, key, parse(input.value)); });
  return el("label", { class: "ca-arg" }, [el("span", { text: label }), input]);
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
  var option = byId("ca-add-after").options[index + 1];
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

export function addLayer() {
  var type = byId("ca-add-type").value;
  var after = parseInt(byId("ca-add-after").value, 10);
  state.stack.layers.splice(after, 0, Object.assign({ type: type }, copy(NEW_LAYERS[type])));
  structureChanged(t("added", { type: type, n: after + 1 }), "[data-row-index='" + after + "'] select");
}

/** Rebuild the editor after layers were added, removed, moved or retyped; focus ``focusSelector``. */
export function structureChanged(message, focusSelector) {
  renderStackEditor();
  updateStack();
  status(message);
  var target = focusSelector && document.querySelector(focusSelector.charAt(0) === "#" ? focusSelector
    : "#ca-rows " + focusSelector);
  if (target && !target.disabled) target.focus();
}

/** A short message for screen readers (and sighted readers) after an action. */
export function status(message) {
  byId("ca-status").textContent = message;
}

/** Parse the model input field: "28, 28, 1" → [28, 28, 1]. */
export function parseShape(text) {
  var t = String(text).trim();
  if (t === "") return [];
  var parts = t.split(/\s*[,×]\s*|(?<=\d)\s*x\s*(?=\d)|\s+/);
  return parts.map(function (p) { return p === "" ? "" : parseNumber(p); });
}

/** The row number (1-based) that a refusal is about, 0 for the input, or -1 (the calculator says which). */
function errorRow(error) {
  return error && error.layer !== undefined ? error.layer : -1;
}

/** Recompute the stack table, totals, exports and address. */
export function updateStack() {
  var data = state.stack;
  var checked = null, summary = null, message = "", rows = [], refusal = null;
  try {
    checked = CA.stackFromFile(data, "stack", t("where_stack"));
    summary = CA.summarize(checked);
    rows = summary.layers;
  } catch (error) {
    if (!(error instanceof CA.LenetError)) throw error;
    message = error.message;
    refusal = error;
    rows = partialRows(data, checked, errorRow(refusal));
  }
  view.checked = checked && !message ? checked : null;
  var bad = errorRow(refusal);
  var inputShape = Array.isArray(data.input) ? data.input : [];
  var inputOk = bad !== 0;
  write(inputCells, "shape", inputOk ? CA.formatShape(inputShape, false) : "—", function (text) {
    inputCells.shape.textContent = text;
  });
  write(inputCells, "rf", inputOk ? (inputShape.length === 3 ? "1" : CA.formatField(null)) : "—", function (text) {
    inputCells.rf.textContent = text;
  });
  write(inputCells, "bad", bad === 0, function (on) { inputCells.tr.classList.toggle("ca-bad", on); });
  var touched = [];
  data.layers.forEach(function (spec, index) {
    var cells = rowCells[index];
    if (!cells) return;
    var row = rows[index];
    var shape = row ? [CA.formatShape(row.output_shape, false), row.size ? sizeFormula(row) : ""] : ["—", ""];
    var params = row ? [CA.formatInt(row.params), row.params ? row.param_formula.replace(/ = [\d]+$/, "") : ""]
      : ["—", ""];
    // Only what changed is written: an edit changes a few rows, and the page lays out only what it touched.
    write(cells, "bad", bad === index + 1, function (on) { cells.tr.classList.toggle("ca-bad", on); });
    if (checked) {
      write(cells, "placeholder", checked.layers[index].name, function (name) { cells.name.placeholder = name; });
    }
    write(cells, "shape", shape, function (text) { fillCell(cells.shape, text[0], text[1]); touched.push(cells.shape); });
    write(cells, "params", params, function (text) { fillCell(cells.params, text[0], text[1]); touched.push(cells.params); });
    write(cells, "macs", row ? CA.formatInt(row.macs) : "—", function (text) {
      cells.macs.textContent = text;
      touched.push(cells.macs);
    });
    write(cells, "rf", row ? CA.formatField(row.receptive_field) : "—", function (text) {
      cells.rf.textContent = text;
      touched.push(cells.rf);
    });
  });
  if (!frozen || touched.some(overflows)) freezeColumns();
  showError("ca-stack-error", message);
  byId("ca-totals").textContent = summary ? CA.totalLines(summary).join("\n") : "";
  byId("ca-totals").hidden = !summary;
  updateExports(view.checked);
  scheduleUrl();
}

/** Call ``show(value)`` when ``value`` differs from what row ``cells`` shows under ``key`` now. */
function write(cells, key, value, show) {
  var text = Array.isArray(value) ? value.join("\n") : value;
  if (cells.shown[key] === text) return;
  cells.shown[key] = text;
  show(value);
}

/** The size formula of a row: one formula when both axes agree, else H: …; W: … (size_formula_text). */
function sizeFormula(row) {
  var h = row.size[0].formula, w = row.size[1].formula;
  return h === w ? h : t("size_hw", { h: h, w: w }); // as size_formula_text writes it (in the page's language)
}

/** Put a value and, under it, a small formula into a table cell. */
function fillCell(td, value, formula) {
  td.textContent = value;
  if (formula) td.appendChild(el("span", { class: "ca-formula", text: formula }));
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
  byId("ca-json").textContent = json || jsonError;
  byId("ca-json").classList.toggle("ca-muted", !json);
  byId("ca-keras").textContent = keras || kerasError;
  byId("ca-keras").classList.toggle("ca-muted", !keras);
  byId("ca-download-json").disabled = byId("ca-copy-json").disabled = !json;
  byId("ca-download-py").disabled = byId("ca-copy-py").disabled = !keras;
  view.json = json;
  view.keras = keras;
}

/** Offer ``text`` as a file download (a blob: URL, nothing leaves the page). */
export function download(text, filename, type) {
  var url = URL.createObjectURL(new Blob([text], { type: type }));
  var link = el("a", { href: url, download: filename });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  status(t("saved", { file: filename }));
}

/** Copy ``text`` to the clipboard, saying whether it worked. */
export function copyText(text, what) {
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
export function readKerasFile(file) {
  var started = performance.now();
  kerasSay(t("keras_reading", { file: file.name }));
  removeKerasSize();
  file.arrayBuffer().then(function (buffer) {
    return showKerasModel(buffer, file.name, null, started);
  }).catch(function (error) {
    kerasFailed(file.name, error, null);
  });
}

/** Say ``text`` in the saved model's status line. */
function kerasSay(text) {
  byId("ca-keras-status").textContent = text;
}

/** Read ``buffer`` (a .keras file), its open input sizes filled from ``sizes``, and show its table; never throws. */
function showKerasModel(buffer, name, sizes, started) {
  return CA.readKerasArchive(buffer, name, sizes).then(function (stack) {
    var summary = CA.summarize(stack);
    renderKerasSummary(summary);
    view.kerasSummary = summary;
    kerasSay(t("keras_read", { file: name, layers: CA.formatInt(summary.layers.length),
      ms: Math.round(performance.now() - started) }));
  }).catch(function (error) {
    kerasFailed(name, error, error && error.openShape ? buffer : null);
  });
}

/** Say why a saved model was not read (any error: the page is never left at "Reading…"); ask for open sizes. */
function kerasFailed(name, error, buffer) {
  byId("ca-keras-wrap").hidden = true;
  byId("ca-keras-totals").hidden = true;
  view.kerasSummary = null;
  kerasSay(error instanceof CA.LenetError ? error.message :
    t("keras_failed", { file: name, problem: String(error && error.message || error) }));
  if (buffer) askKerasSize(buffer, name, error.openShape);
}

/** Remove the form asking for a saved model's input size, if any. */
function removeKerasSize() {
  var form = byId("ca-keras-size");
  if (form) form.remove();
}

/** Ask for the input size of a saved model whose input leaves sizes open (``shape``: null where open). */
function askKerasSize(buffer, name, shape) {
  removeKerasSize();
  var fields = shape.map(function (own, i) {
    return el("input", { type: "text", inputmode: "numeric", size: "6", value: own === null ? "" : String(own),
      "aria-label": t("keras_size_axis", { n: i + 1 }), "data-axis": String(i + 1) });
  });
  var labels = fields.map(function (field, i) {
    return el("label", { class: "ca-keras-axis" }, [t("keras_size_axis", { n: i + 1 }) + " ", field]);
  });
  var form = el("form", { id: "ca-keras-size", class: "ca-keras-size" }, [el("fieldset", {}, [
    el("legend", { text: t("keras_size_legend", { file: name }) }),
  ].concat(labels, [el("button", { type: "submit", text: t("keras_size_show") })]))]);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var sizes = readKerasSizes(fields);
    if (sizes === null) return;
    kerasSay(t("keras_reading", { file: name }));
    showKerasModel(buffer, name, sizes, performance.now()).then(function () {
      if (view.kerasSummary) removeKerasSize();
    });
  });
  byId("ca-keras-status").after(form);
  if (fields.length) fields[shape.indexOf(null) >= 0 ? shape.indexOf(null) : 0].focus();
}

/** The sizes typed in the input size form (BigInts), or null after saying which one is not a positive integer. */
function readKerasSizes(fields) {
  var sizes = [];
  for (var i = 0; i < fields.length; i++) {
    var value = parseNumber(fields[i].value.trim());
    if (typeof value !== "bigint" || value < 1n) {
      kerasSay(CA.message("positive_integer", { what: t("keras_size_axis", { n: i + 1 }),
        value: CA.valueText(value) }));
      fields[i].focus();
      return null;
    }
    sizes.push(value);
  }
  return sizes;
}

/** The table of a saved model: one row per layer, "Connected to" for a graph. */
function renderKerasSummary(summary) {
  var graph = !!summary.graph;
  var head = ["layer", "shape", "params", "formula", "macs", "rf"].concat(graph ? ["connected"] : [])
    .map(function (key) { return html(t("head_" + key)); }); // the command line's headings, in the page's language
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
  byId("ca-keras-table").innerHTML = parts.join("");
  byId("ca-keras-totals").textContent = CA.totalLines(summary).join("\n");
  byId("ca-keras-wrap").hidden = false;
  byId("ca-keras-totals").hidden = false;
}

/** Load a stack file chosen by the reader: read and checked as ``lenet-explain summary --model`` does. */
export function loadFile(file) {
  if (file.size > CA.MAX_STACK_FILE_BYTES) {
    status(CA.message("file_too_big", { file: file.name, bytes: CA.formatInt(file.size),
      mib: CA.MAX_STACK_FILE_BYTES / (1024 * 1024) }));
    return;
  }
  file.arrayBuffer().then(function (buffer) {
    try { // the bytes decoded as the command line decodes them: UTF-8, a byte order mark refused
      var text = CA.decodeStackBytes(new Uint8Array(buffer), file.name);
      var checked = CA.readStackText(text, file.name.replace(/\.json$/i, ""), file.name);
      state.stack = CA.stackToFile(checked);
    } catch (error) {
      if (!(error instanceof CA.LenetError)) throw error;
      status(error.message);
      return;
    }
    structureChanged(t("loaded", { file: file.name }));
  });
}
