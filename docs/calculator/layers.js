/*
 * layers.js: the layer types the page knows, their fields and defaults (generated from Python: calculator-data.js),
 * checked as the dataclasses check them, and a stack of them with Keras-style names. Every lookup by a layer type
 * or a key goes through a Map or Object.hasOwn: a type called "constructor" or "__proto__" is just unknown.
 */
import DATA from "./calculator-data.js";
import { LenetError, copyData, exactData, fieldOf, has, isInt, message, valueText } from "./numbers.js";

export const ACTIVATIONS = DATA.activations; // Keras' activations, in the order the page lists them
export const REQUIRED = Object.freeze({ required: true }); // marks a field without a default

/** The generated field tables as [[name, default or REQUIRED], …] by layer type (whole numbers as BigInt). */
function fieldTables(types) {
  const tables = new Map();
  for (const [type, table] of Object.entries(types)) {
    tables.set(type, table.fields.map(([name, value]) =>
      [name, table.required.includes(name) ? REQUIRED : exactData(value)]));
  }
  return tables;
}

/** The types the page edits (a stack file's types): their fields in declaration order with their defaults. */
export const LAYER_FIELDS = fieldTables(DATA.layer_types);
/** The further types the page reads from a saved model: the config keys each one takes. */
export const KERAS_FIELDS = new Map(Object.entries(DATA.keras_fields));
export const KERAS_BASE_NAMES = new Map(Object.entries(DATA.keras_base_names));

/** True for a whole number >= 1. */
export function positive(value) {
  return isInt(value) && value >= 1n;
}

/** (height, width) from a whole number or a two-item list of them (to_pair). */
function toPair(value, what) {
  if (isInt(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every(isInt)) return [value[0], value[1]];
  throw new LenetError(message("pair_expected", { what: what, value: valueText(value) }));
}

/** Normalise ``layer[attr]`` to a (height, width) pair of positive whole numbers (_set_pair). */
export function setPair(layer, attr) {
  const pair = toPair(layer[attr], fieldOf(layer.type, attr));
  if (!pair.every(positive)) {
    const what = fieldOf(layer.type, attr);
    throw new LenetError(message("pair_positive", { what: what, value: valueText(layer[attr]) }));
  }
  layer[attr] = pair;
}

/** Reject an activation name that Keras does not know. */
function checkActivation(activation) {
  if (activation !== null && !ACTIVATIONS.includes(activation)) {
    throw new LenetError(message("unknown_activation", { value: valueText(activation) }));
  }
}

/** Reject a value that is not a positive whole number. */
function checkInt(layer, what, value) {
  if (!positive(value)) {
    throw new LenetError(message("positive_integer", { what: fieldOf(layer.type, what), value: valueText(value) }));
  }
}

/** Reject a padding that is not 'valid', 'same' or a whole number >= 0. */
function checkLayerPadding(layer, padding) {
  if (padding === "valid" || padding === "same" || (isInt(padding) && padding >= 0n)) return;
  throw new LenetError(message("bad_padding", { what: fieldOf(layer.type, "padding"), value: valueText(padding) }));
}

/** Reject a flag that is not true or false. */
function checkBool(layer, what, value) {
  if (typeof value !== "boolean") {
    throw new LenetError(message("must_be_bool", { what: fieldOf(layer.type, what), value: valueText(value) }));
  }
}

/** ZeroPadding2D's padding as ((top, bottom), (left, right)) from P, (H, W) or the full form. */
function zeroPadding(layer) {
  let value = layer.padding;
  if (isInt(value)) value = [[value, value], [value, value]];
  else if (Array.isArray(value) && value.length === 2 && value.every(isInt)) {
    value = [[value[0], value[0]], [value[1], value[1]]];
  }
  const fits = Array.isArray(value) && value.length === 2 && value.every((side) =>
    Array.isArray(side) && side.length === 2 && side.every((v) => isInt(v) && v >= 0n));
  if (!fits) throw new LenetError(message("zero_padding", { value: valueText(layer.padding) }));
  layer.padding = [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
}

/** Shared checks of the two pooling layers; strides may stay null (the pool size). */
function validatePooling(layer) {
  setPair(layer, "pool_size");
  if (layer.strides !== null) setPair(layer, "strides");
  setPair(layer, "dilation_rate");
  checkLayerPadding(layer, layer.padding);
  checkBool(layer, "ceil_mode", layer.ceil_mode);
}

/** The checks of each edited layer type, in the order of its dataclass. */
export const VALIDATE = new Map([
  ["Conv2D", (layer) => {
    checkInt(layer, "filters", layer.filters);
    checkInt(layer, "groups", layer.groups);
    ["kernel_size", "strides", "dilation_rate"].forEach((attr) => setPair(layer, attr));
    checkLayerPadding(layer, layer.padding);
    checkActivation(layer.activation);
    checkBool(layer, "use_bias", layer.use_bias);
  }],
  ["MaxPooling2D", validatePooling],
  ["AveragePooling2D", validatePooling],
  ["ZeroPadding2D", zeroPadding],
  ["Flatten", () => {}],
  ["Dense", (layer) => {
    checkInt(layer, "units", layer.units);
    checkActivation(layer.activation);
    checkBool(layer, "use_bias", layer.use_bias);
  }],
  ["Dropout", (layer) => {
    const rate = layer.rate;
    const fits = isInt(rate) ? rate === 0n : typeof rate === "number" && rate >= 0 && rate < 1;
    if (!fits) throw new LenetError(message("dropout_rate", { value: valueText(rate) }));
  }],
  ["Activation", (layer) => {
    if (layer.activation === null) throw new LenetError(message("activation_named"));
    checkActivation(layer.activation);
  }],
  ["BatchNormalization", (layer) => {
    checkBool(layer, "center", layer.center);
    checkBool(layer, "scale", layer.scale);
    if (!isInt(layer.axis) || layer.axis === 0n) {
      throw new LenetError(message("nonzero_axis", { what: fieldOf(layer.type, "axis"), value: valueText(layer.axis) }));
    }
  }],
  ["GlobalAveragePooling2D", (layer) => checkBool(layer, "keepdims", layer.keepdims)],
  ["GlobalMaxPooling2D", (layer) => checkBool(layer, "keepdims", layer.keepdims)],
]);

/**
 * A checked layer of an edited type with every field filled in (pairs as two-item arrays), from its arguments;
 * missing arguments are named (a LenetError marked ``missing``).
 */
export function makeLayer(type, args) {
  const layer = { type: type, name: has(args, "name") ? args.name : "" };
  const missing = [];
  for (const [key, fallback] of LAYER_FIELDS.get(type)) {
    if (has(args, key) && args[key] !== undefined) layer[key] = copyData(args[key]);
    else if (fallback === REQUIRED) missing.push(key);
    else layer[key] = copyData(fallback);
  }
  if (missing.length) {
    const names = missing.map((name) => "'" + name + "'").join(message("list_and"));
    const error = new LenetError(message(missing.length > 1 ? "missing_arguments" : "missing_argument",
      { names: names }));
    error.missing = true;
    throw error;
  }
  VALIDATE.get(type)(layer);
  return layer;
}

/** A stack with every unnamed layer given its Keras-style name, checked for duplicate names. */
export function makeStack(name, input, layers) {
  const counts = new Map();
  const named = layers.map((layer) => {
    if (layer.name) return layer;
    const base = KERAS_BASE_NAMES.get(layer.type); // the name Keras gives the first unnamed layer of a type
    const n = counts.get(base) || 0;
    counts.set(base, n + 1);
    return Object.assign({}, layer, { name: n === 0 ? base : base + "_" + n });
  });
  const seen = new Set();
  for (const layer of named) {
    if (seen.has(layer.name)) throw new LenetError(message("duplicate_name", { name: valueText(layer.name) }));
    seen.add(layer.name);
  }
  return { name: name, input: input.slice(), layers: named, checked: true };
}

/** The name of a layer's ``k``-th call's output: the layer's name, then ``name#1``, ``name#2``, … (call_name). */
export function callName(layerName, k) {
  return k === 0 ? layerName : layerName + "#" + k;
}

/** Whether call pair ``a`` ([layer index, call index]) comes before ``b`` in the listed order. */
function listedBefore(a, b) {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** Push ``pair`` on the binary heap ``heap`` (the first listed on top). */
function heapPush(heap, pair) {
  heap.push(pair);
  for (let i = heap.length - 1; i > 0;) {
    const parent = (i - 1) >> 1;
    if (!listedBefore(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

/** Take the first listed pair off the binary heap ``heap``. */
function heapPop(heap) {
  const top = heap[0], last = heap.pop();
  if (heap.length) {
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && listedBefore(heap[l], heap[m])) m = l;
      if (r < heap.length && listedBefore(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}

/**
 * The [layer index, call index] pairs in an order where each call comes after everything it reads, the listed
 * order first (layers.call_order): a shared layer's later call may read a layer listed after it (``d(e(d(x)))``)
 * or its own earlier call (``d(d(x))``); a call that reads nothing there, or a loop of calls, is refused.
 */
export function callOrder(inputName, layers, inbound) {
  const made = new Set();
  layers.forEach((layer, i) => inbound[i].forEach((_, k) => made.add(callName(layer.name, k))));
  layers.forEach((layer, i) => inbound[i].forEach((call) => call.forEach((ref) => {
    if (ref !== inputName && !made.has(ref)) {
      throw new LenetError(message("reads_unknown", { layer: valueText(layer.name), ref: valueText(ref) }),
        { layer: i + 1 });
    }
  })));
  const waiting = new Map(), missing = new Map(), ready = [];
  inbound.forEach((calls, i) => calls.forEach((call, k) => {
    const reads = new Set(call.filter((ref) => ref !== inputName));
    missing.set(i + "," + k, reads.size);
    for (const ref of reads) {
      if (!waiting.has(ref)) waiting.set(ref, []);
      waiting.get(ref).push([i, k]);
    }
    if (!reads.size) heapPush(ready, [i, k]);
  }));
  const order = [];
  while (ready.length) {
    const [i, k] = heapPop(ready);
    order.push([i, k]);
    const name = callName(layers[i].name, k);
    for (const waiter of waiting.get(name) || []) {
      const key = waiter[0] + "," + waiter[1];
      missing.set(key, missing.get(key) - 1);
      if (missing.get(key) === 0) heapPush(ready, waiter);
    }
    waiting.delete(name);
  }
  if (order.length < missing.size) {
    const [i, k] = [...missing].filter(([, count]) => count).map(([key]) => key.split(",").map(Number))
      .reduce((a, b) => (listedBefore(a, b) ? a : b));
    const which = inbound[i].length > 1 ? message("loop_call", { k: k + 1 }) : message("loop_it");
    throw new LenetError(message("loop", { layer: valueText(layers[i].name), which: which }), { layer: i + 1 });
  }
  return order;
}
