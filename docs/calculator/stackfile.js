/*
 * stackfile.js: the JSON stack file (lenet_explain.calculator.stackfile): read it, write it.
 */
import { LenetError, LongNumber, MAX_LAYERS, PyFloat, has, keysOf, pyRepr, pySorted, pyTruthy } from "./numbers.js";
import { checkData, parseJson, toJson } from "./reading.js";
import { LAYER_FIELDS, LAYER_TYPES, REQUIRED, SUPPORTED, makeLayer, makeStack, positive } from "./layers.js";
import { formatInt } from "./summary.js";

// ---------------------------------------------------------------- the stack file (stackfile.py)

/** True for a JSON object (a Python dict). */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof PyFloat) &&
    !(value instanceof LongNumber);
}

/** The layer described by one ``{"type": ..., **arguments}`` entry (layer_from_dict). */
function layerFromDict(spec, number, where) {
  var place = where + ": layer " + number;
  if (!isObject(spec) || !has(spec, "type")) throw new LenetError(place + ": expected an object with a 'type'");
  var kind = spec.type;
  if (typeof kind !== "string" || LAYER_TYPES.indexOf(kind) < 0 || kind === "Input") {
    throw new LenetError(place + ": unsupported layer type " + pyRepr(kind, true) + " (supported: " +
      SUPPORTED + ")");
  }
  var allowed = LAYER_FIELDS[kind].map(function (f) { return f[0]; }).concat(["name"]).sort();
  var args = {};
  keysOf(spec).forEach(function (key) {
    if (key === "type") return;
    if (allowed.indexOf(key) < 0) {
      throw new LenetError(place + " (" + kind + "): unknown argument " + pyRepr(key) + " (allowed: " +
        allowed.join(", ") + ")");
    }
    args[key] = spec[key];
  });
  if (has(args, "name") && typeof args.name !== "string") {
    throw new LenetError(place + ": 'name' must be text, got " + pyRepr(args.name, true));
  }
  try {
    return makeLayer(kind, args);
  } catch (error) {
    if (!(error instanceof LenetError)) throw error;
    throw new LenetError(error.missing ? place + " (" + kind + "): " + error.message
      : place + ": " + error.message);
  }
}

/**
 * The stack described by a parsed stack file (``name``, ``input``, ``layers``), checked as
 * ``lenet-explain summary --model FILE`` checks it; ``where`` prefixes the error messages.
 */
export function stackFromFile(data, defaultName, where) {
  if (defaultName === undefined) defaultName = "stack";
  if (where === undefined) where = "stack";
  checkData(data, where);
  if (!isObject(data)) throw new LenetError(where + ": expected an object with 'input' and 'layers'");
  var unknown = pySorted(keysOf(data).filter(function (k) {
    return ["name", "input", "layers"].indexOf(k) < 0;
  }));
  if (unknown.length) {
    throw new LenetError(where + ": unknown key " + pyRepr(unknown[0]) + " (expected name, input, layers)");
  }
  if (!has(data, "input") || !has(data, "layers")) {
    throw new LenetError(where + ": missing " + pyRepr(has(data, "input") ? "layers" : "input"));
  }
  if (!Array.isArray(data.layers)) throw new LenetError(where + ": 'layers' must be a list");
  if (data.layers.length > MAX_LAYERS) throw new LenetError(where + ": " + layersMessage(data.layers.length));
  var name = has(data, "name") ? data.name : defaultName;
  if (typeof name !== "string") throw new LenetError(where + ": 'name' must be text, got " + pyRepr(name, true));
  var shape = data.input;
  if (!Array.isArray(shape)) {
    throw new LenetError(where + ": input must be a list like [28, 28, 1], got " + pyRepr(shape, true));
  }
  if (shape.length < 1 || shape.length > 4 || !shape.every(positive)) {
    throw new LenetError(where + ": Input: shape must be (height, width, channels), (steps, channels), " +
      "(depth, height, width, channels) or (features,) of positive integers, got " + pyRepr(shape, true));
  }
  var layers = data.layers.map(function (spec, i) { return layerFromDict(spec, i + 1, where); });
  try {
    return makeStack(name, shape, layers);
  } catch (error) {
    if (!(error instanceof LenetError)) throw error;
    throw new LenetError(where + ": " + error.message);
  }
}

/** The one message for a stack with too many layers. */
export function layersMessage(count) {
  return formatInt(count) + " layers; a stack has at most " + formatInt(MAX_LAYERS) + " layers";
}

/**
 * The stack in a JSON stack file's text, read as ``lenet-explain summary --model FILE.json`` reads it
 * (stack_from_json_text): what the page reads from a file and from its address.
 */
export function readStackText(text, defaultName, where) {
  if (where === undefined) where = "stack";
  return stackFromFile(parseJson(text, where), defaultName, where);
}

/** A layer's arguments that differ from the defaults, with its type first (the file's form). */
export function layerToFile(layer, keepName) {
  var spec = { type: layer.type };
  LAYER_FIELDS[layer.type].forEach(function (field) {
    var key = field[0];
    var value = layer[key];
    var plain = Array.isArray(value) && value.length === 2 && value[0] === value[1] && !Array.isArray(value[0])
      ? value[0] : value;
    var primary = LAYER_FIELDS[layer.type][0] === field && layer.type !== "BatchNormalization";
    if (!primary && field[1] !== REQUIRED && toJson(value) === toJson(field[1])) return;
    if (layer.type === "ZeroPadding2D" && key === "padding") {
      var p = value;
      plain = p[0][0] === p[0][1] && p[1][0] === p[1][1]
        ? (p[0][0] === p[1][0] ? p[0][0] : [p[0][0], p[1][0]]) : p;
    }
    spec[key] = plain;
  });
  if (keepName && pyTruthy(layer.name)) spec.name = layer.name;
  return spec;
}

/** The stack as a stack file's data (what ``lenet-explain summary --model FILE.json`` reads). */
export function stackToFile(stack) {
  return {
    name: stack.name,
    input: stack.input.slice(),
    layers: stack.layers.map(function (layer) { return layerToFile(layer, true); }),
  };
}

/** The stack file's text: JSON with one layer per line (each on one line, as Python's json.dumps). */
export function stackFileText(stack) {
  var data = stackToFile(stack);
  var lines = data.layers.map(function (spec) { return "    " + toJson(spec); });
  return "{\n  \"name\": " + JSON.stringify(data.name) + ",\n  \"input\": " + toJson(data.input) +
    ",\n  \"layers\": [\n" + lines.join(",\n") + "\n  ]\n}\n";
}
