/*
 * layers.js: the layers the page edits, their fields and defaults (generated from Python), checked as the
 * dataclasses check them; a stack of them with Keras-style names.
 */
import DATA from "./calculator-data.js";
import { LenetError, big, copyData, floatValue, has, isFloat, isInt, pyRepr, pyTruthy } from "./numbers.js";

// ---------------------------------------------------------------- layer descriptions (layers.py)

export var ACTIVATIONS = DATA.activations; // Keras' activations, in the order the page lists them

export var REQUIRED = Object.freeze({}); // marks a field without a default

/** Every layer type the page edits: its fields in declaration order with their defaults (the dataclasses'). */
export var LAYER_FIELDS = fieldTables(DATA.layer_types);
export var LAYER_TYPES = ["Input"].concat(Object.keys(LAYER_FIELDS));
export var SUPPORTED = Object.keys(LAYER_FIELDS).join(", ") + "; and the other Keras layers listed in the README";

export var KERAS_BASE_NAMES = DATA.keras_base_names;

/** The generated field tables as [[name, default or REQUIRED], …] by layer type. */
function fieldTables(types) {
  var tables = {};
  Object.keys(types).forEach(function (type) {
    tables[type] = types[type].fields.map(function (f) {
      return [f[0], types[type].required.indexOf(f[0]) >= 0 ? REQUIRED : f[1]];
    });
  });
  return tables;
}

/** True for an int >= 1. */
export function positive(value) {
  return isInt(value) && big(value) >= 1n;
}

/** (height, width) from an int or a two-item list of ints (to_pair). */
function toPair(value, what) {
  if (isInt(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every(isInt)) return [value[0], value[1]];
  throw new LenetError(what + " must be an integer or two integers, got " + pyRepr(value, true));
}

/** Normalise ``layer[attr]`` to a (height, width) pair of positive integers (_set_pair). */
export function setPair(layer, attr) {
  var pair = toPair(layer[attr], layer.type + ": " + attr);
  if (!pair.every(positive)) {
    throw new LenetError(layer.type + ": " + attr + " must be positive, got " + pyRepr(layer[attr], true));
  }
  layer[attr] = pair;
}

/** Reject an activation name that Keras does not know. */
function checkActivation(activation) {
  if (activation !== null && ACTIVATIONS.indexOf(activation) < 0) {
    throw new LenetError("unknown activation " + pyRepr(activation, true));
  }
}

/** Reject a value that is not a positive integer (_check_int). */
function checkInt(layer, what, value) {
  if (!positive(value)) {
    throw new LenetError(layer.type + ": " + what + " must be a positive integer, got " + pyRepr(value, true));
  }
}

/** Reject a padding that is not 'valid', 'same' or an integer >= 0. */
function checkLayerPadding(layer, padding) {
  if (padding === "valid" || padding === "same") return;
  if (isInt(padding) && big(padding) >= 0n) return;
  throw new LenetError(layer.type + ": padding must be 'valid', 'same' or a number of pixels >= 0, got " +
    pyRepr(padding, true));
}

/** Reject a flag that is not a bool. */
function checkBool(layer, what, value) {
  if (typeof value !== "boolean") {
    throw new LenetError(layer.type + ": " + what + " must be true or false, got " + pyRepr(value, true));
  }
}

/** The checks of each layer type's __post_init__, in the same order. */
var VALIDATE = {
  Conv2D: function (layer) {
    checkInt(layer, "filters", layer.filters);
    checkInt(layer, "groups", layer.groups);
    ["kernel_size", "strides", "dilation_rate"].forEach(function (attr) { setPair(layer, attr); });
    checkLayerPadding(layer, layer.padding);
    checkActivation(layer.activation);
    checkBool(layer, "use_bias", layer.use_bias);
  },
  MaxPooling2D: validatePooling,
  AveragePooling2D: validatePooling,
  ZeroPadding2D: function (layer) {
    var value = layer.padding;
    if (isInt(value)) {
      value = [[value, value], [value, value]];
    } else if (Array.isArray(value) && value.length === 2 && value.every(function (v) {
      return isInt(v) || typeof v === "boolean";
    })) {
      value = [[value[0], value[0]], [value[1], value[1]]];
    }
    var ok = Array.isArray(value) && value.length === 2 && value.every(function (side) {
      return Array.isArray(side) && side.length === 2 && side.every(function (v) {
        return isInt(v) && big(v) >= 0n;
      });
    });
    if (!ok) {
      throw new LenetError("ZeroPadding2D: padding must be P, (H, W) or ((top, bottom), (left, right)) of " +
        "integers >= 0, got " + pyRepr(layer.padding, true));
    }
    layer.padding = [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
  },
  Flatten: function () {},
  Dense: function (layer) {
    checkInt(layer, "units", layer.units);
    checkActivation(layer.activation);
    checkBool(layer, "use_bias", layer.use_bias);
  },
  Dropout: function (layer) {
    var rate = layer.rate;
    var fits = isInt(rate) ? big(rate) >= 0n && big(rate) < 1n
      : isFloat(rate) && floatValue(rate) >= 0 && floatValue(rate) < 1;
    if (!fits) {
      throw new LenetError("Dropout: rate must be a number from 0 up to (not including) 1, got " +
        pyRepr(rate, true));
    }
  },
  Activation: function (layer) {
    if (layer.activation === null) throw new LenetError("Activation: activation must be named");
    checkActivation(layer.activation);
  },
  BatchNormalization: function (layer) {
    checkBool(layer, "center", layer.center);
    checkBool(layer, "scale", layer.scale);
  },
  GlobalAveragePooling2D: function (layer) { checkBool(layer, "keepdims", layer.keepdims); },
  GlobalMaxPooling2D: function (layer) { checkBool(layer, "keepdims", layer.keepdims); },
};

/** Shared checks of the two pooling layers; strides may stay null (the pool size). */
function validatePooling(layer) {
  setPair(layer, "pool_size");
  if (layer.strides !== null) setPair(layer, "strides");
  setPair(layer, "dilation_rate");
  checkLayerPadding(layer, layer.padding);
  checkBool(layer, "ceil_mode", layer.ceil_mode);
}

/** The one message for missing arguments (build_layer): "missing argument 'filters'". */
function missingMessage(missing) {
  return "missing argument" + (missing.length > 1 ? "s " : " ") +
    missing.map(function (m) { return "'" + m + "'"; }).join(" and ");
}

/**
 * A checked layer with every field filled in (pairs as two-item arrays), from a layer type and
 * its arguments; missing arguments are named (a LenetError marked ``missing``), as build_layer does.
 */
export function makeLayer(type, args) {
  var layer = { type: type, name: has(args, "name") ? args.name : "" };
  var missing = [];
  LAYER_FIELDS[type].forEach(function (field) {
    var key = field[0];
    if (has(args, key) && args[key] !== undefined) layer[key] = copyData(args[key]);
    else if (field[1] === REQUIRED) missing.push(key);
    else layer[key] = copyData(field[1]);
  });
  if (missing.length) {
    var error = new LenetError(missingMessage(missing));
    error.missing = true;
    throw error;
  }
  VALIDATE[type](layer);
  return layer;
}

/** A stack with every unnamed layer given its Keras-style name, checked for duplicate names. */
export function makeStack(name, input, layers) {
  var counts = {};
  var named = layers.map(function (layer) {
    if (pyTruthy(layer.name)) return layer;
    var base = KERAS_BASE_NAMES[layer.type];
    var n = counts[base] || 0;
    counts[base] = n + 1;
    return Object.assign({}, layer, { name: n === 0 ? base : base + "_" + n });
  });
  var seen = {};
  named.forEach(function (layer) {
    var key = typeof layer.name + ":" + layer.name;
    if (seen[key]) throw new LenetError("two layers are named " + pyRepr(layer.name, true));
    seen[key] = true;
  });
  return { name: name, input: input.slice(), layers: named, checked: true };
}
