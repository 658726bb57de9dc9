/*
 * layers.js: the layer types the page knows, their fields and defaults (generated from Python: calculator-data.js),
 * checked as the dataclasses check them, and a stack of them with Keras-style names. Every lookup by a layer type
 * or a key goes through a Map or Object.hasOwn: a type called "constructor" or "__proto__" is just unknown.
 */
import DATA from "./calculator-data.js";
import { LenetError, colon, copyData, exactData, has, isInt, message, valueText } from "./numbers.js";

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
  const pair = toPair(layer[attr], layer.type + colon() + attr);
  if (!pair.every(positive)) {
    const what = layer.type + colon() + attr;
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
    throw new LenetError(message("positive_integer", { what: layer.type + colon() + what, value: valueText(value) }));
  }
}

/** Reject a padding that is not 'valid', 'same' or a whole number >= 0. */
function checkLayerPadding(layer, padding) {
  if (padding === "valid" || padding === "same" || (isInt(padding) && padding >= 0n)) return;
  throw new LenetError(layer.type + colon() + message("bad_padding", { value: valueText(padding) }));
}

/** Reject a flag that is not true or false. */
function checkBool(layer, what, value) {
  if (typeof value !== "boolean") {
    throw new LenetError(message("must_be_bool", { what: layer.type + colon() + what, value: valueText(value) }));
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
      throw new LenetError(message("nonzero_axis", { what: layer.type + colon() + "axis", value: valueText(layer.axis) }));
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
    const names = missing.map((name) => "'" + name + "'").join(" and ");
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
