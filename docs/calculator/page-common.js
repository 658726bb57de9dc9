/*
 * page-common.js: what the calculator page's parts share: its words, its state, small DOM and number
 * helpers, and the state kept in the page's address (query string).
 */
import * as CA from "./conv-arithmetic.js";
import { section } from "../i18n/i18n.js";
import { make } from "../shared/dom.js";
import { status } from "./page-stack.js";

export var t = section("calculator"); // the page's words, in its language (docs/i18n/)
var SVG_NS = "http://www.w3.org/2000/svg";
export var GRID_LIMIT = 72; // largest grid side (cells) that is drawn
// The one-layer part starts as the lecture's first convolution, C1.
var C1 = CA.LECTURE.layers[0];
var LAYER_DEFAULTS = { op: "conv", h: String(CA.LECTURE.input[0]), w: String(CA.LECTURE.input[1]),
  c: String(CA.LECTURE.input[2]), k: String(C1.kernel_size), s: "", pm: C1.padding || "valid", p: "1", d: "1",
  ceil: false, f: String(C1.filters) };
export var NEW_LAYERS = CA.exactData({ // whole numbers as BigInt, as read from a file
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
});
// The arguments each layer type shows in the editor: [file key, label, kind].
var POOL_ARGS = [["pool_size", "pool", "pair"], ["strides", "strides", "pair"], ["padding", "padding", "padding"],
  ["dilation_rate", "dilation", "pair"], ["ceil_mode", "ceil mode", "bool"]];
export var ARGS = {
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
/** Each edited layer type's defaults by field (CA.REQUIRED for a field without one). */
export var FIELD_DEFAULTS = new Map([...CA.LAYER_FIELDS].map(([type, fields]) => [type, new Map(fields)]));
/** The layer types the editor offers. */
export var LAYER_TYPES = [...CA.LAYER_FIELDS.keys()];

export var state = {
  layer: Object.assign({}, LAYER_DEFAULTS),
  cell: [0, 0],
  stack: copy(CA.LECTURE),
};
export var view = { rects: null, outRects: null, axes: null, preview: null, checked: null, badInput: {} };
var urlTimer = null;

export function byId(id) { return document.getElementById(id); }

export function copy(value) { return CA.copyData(value); }

/** Create an element with attributes and children (the shared make(), empty children skipped). */
export function el(tag, attrs, children) {
  return make(tag, attrs, (children || []).filter(Boolean));
}

/** Create an SVG element with attributes. */
export function svg(tag, attrs) {
  var node = document.createElementNS(SVG_NS, tag);
  Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
  return node;
}

/**
 * A typed number, read as the command line reads it: digits are a whole number (exact at any size),
 * a decimal or exponent is a float (5.0 stays a float, as in Python), anything else stays text.
 */
export function parseNumber(text) {
  return CA.parseNumberText(text);
}

/** A size typed as "5" or "5,3" (also "5x3", "5×3", "5 3"); empty means the default. */
export function parsePair(text) {
  var t = String(text).trim();
  if (t === "") return undefined;
  var parts = t.split(/\s*[,×]\s*|(?<=\d)\s*x\s*(?=\d)|\s+/);
  if (parts.some(function (p) { return p === ""; })) return t;
  if (parts.length === 1) return parseNumber(parts[0]);
  if (parts.length === 2) return [parseNumber(parts[0]), parseNumber(parts[1])];
  return t;
}

/** Padding typed as 'valid', 'same' or pixels per side. */
export function parsePadding(text) {
  var t = String(text).trim().replace(/^['"]|['"]$/g, "");
  if (t === "") return undefined;
  return t === "valid" || t === "same" ? t : parseNumber(t);
}

/** ZeroPadding2D typed as "P", "H,W" or "top,bottom,left,right". */
export function parseZeroPad(text) {
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
export function showValue(value) {
  if (value === undefined || value === null || value === CA.REQUIRED) return "";
  if (Array.isArray(value)) {
    var flat = [].concat.apply([], value);
    return flat.map(showValue).join(",");
  }
  if (typeof value === "number") return CA.valueText(value); // 5.0 shows as 5.0
  return String(value);
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

export function scheduleUrl() {
  if (urlTimer === null) urlTimer = setTimeout(writeUrl, 0);
}

/** Read the state from the query string; unknown or broken values fall back to the defaults. */
export function readUrl() {
  var params = new URLSearchParams(location.search);
  var L = state.layer;
  Object.keys(URL_KEYS).forEach(function (key) {
    if (params.has(URL_KEYS[key])) L[key] = params.get(URL_KEYS[key]);
  });
  if (!CA.OPS.includes(L.op)) L.op = LAYER_DEFAULTS.op;
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
    data = CA.readJson(text, t("where_stack"));
    if (!editable(data)) CA.stackFromFile(data, "stack", t("where_stack")); // throws what the command line refuses
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
    return v === null || typeof v !== "object";
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
