/*
 * conv-arithmetic.js: the calculator page's arithmetic, a line-by-line mirror of the Python package.
 *
 *   size(...)            lenet_explain.calculator.arithmetic.output_size + formatting.axis_to_dict
 *   summarize(stack)     lenet_explain.calculator.arithmetic.summarize  + formatting.summary_to_dict
 *   stackFromFile(data)  lenet_explain.calculator.stackfile.stack_from_dict (the JSON stack file format)
 *   kerasCode(stack)     the Python that lenet_explain.models.keras_model.build_model would run
 *
 * Same rules, same order of checks, same error messages (tests/test_calculator_page.py compares
 * the two on generated settings and stacks). No DOM here: calculator-page.js draws the page.
 */
(function (root) {
  "use strict";

  var MINUS = "\u2212";
  var OPS = ["conv", "maxpool", "avgpool"];
  var BYTES_PER_VALUE = 4; // float32

  /** The one error type readers see: a one-line message, as lenet_explain.errors.LenetError. */
  class LenetError extends Error {
    constructor(message) {
      super(message);
      this.name = "LenetError";
    }
  }

  // ---------------------------------------------------------------- Python-like helpers

  /** True for a whole number (JavaScript booleans are not numbers, as bool is excluded in Python). */
  function isInt(value) {
    return typeof value === "number" && Number.isInteger(value);
  }

  /** Python's truthiness of a value. */
  function pyTruthy(value) {
    if (value === null || value === undefined) return false;
    if (typeof value === "number") return value !== 0; // NaN is truthy in Python
    if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
    if (typeof value === "object") return Object.keys(value).length > 0;
    return Boolean(value);
  }

  /** Python's repr() of a float that is not a whole number: shortest digits, exponent below 1e-4. */
  function floatRepr(value) {
    if (Number.isNaN(value)) return "nan";
    if (value === Infinity) return "inf";
    if (value === -Infinity) return "-inf";
    var parts = value.toExponential().split("e"); // shortest round-trip digits
    var exponent = parseInt(parts[1], 10);
    if (exponent >= -4 && exponent < 16) return String(value);
    var sign = exponent < 0 ? "-" : "+";
    var digits = String(Math.abs(exponent));
    return parts[0] + "e" + sign + (digits.length < 2 ? "0" + digits : digits);
  }

  /** Python's repr() of a string. */
  function strRepr(text) {
    var quote = text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' : "'";
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      var code = ch.charCodeAt(0);
      if (ch === "\\" || ch === quote) out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
      else out += ch;
    }
    return quote + out + quote;
  }

  /**
   * Python's repr() of a value as Python would hold it. Arrays print as lists, or as tuples when
   * ``tuples`` is set (the stack file reader turns JSON lists into tuples).
   */
  function pyRepr(value, tuples) {
    if (value === null || value === undefined) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (typeof value === "number") return isInt(value) ? String(value) : floatRepr(value);
    if (typeof value === "string") return strRepr(value);
    if (Array.isArray(value)) {
      var items = value.map(function (v) { return pyRepr(v, tuples); });
      if (!tuples) return "[" + items.join(", ") + "]";
      return "(" + items.join(", ") + (items.length === 1 ? ",)" : ")");
    }
    var keys = Object.keys(value);
    return "{" + keys.map(function (k) { return strRepr(k) + ": " + pyRepr(value[k], tuples); }).join(", ") + "}";
  }

  /** Python's str() of a shape tuple: (28, 28, 6) or (120,). */
  function tupleStr(shape) {
    return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
  }

  /** a // b for a >= 0 and b > 0, exact for every safe integer. */
  function floorDiv(a, b) {
    return (a - (a % b)) / b;
  }

  /** -(-a // b): a / b rounded up, for a >= 0 and b > 0. */
  function ceilDiv(a, b) {
    return floorDiv(a, b) + (a % b === 0 ? 0 : 1);
  }

  /** The product of a shape's sizes (math.prod). */
  function prod(values) {
    return values.reduce(function (a, b) { return a * b; }, 1);
  }

  // ---------------------------------------------------------------- one axis: output_size

  /** Return ``value`` if it is a positive integer, else throw a one-line error naming it. */
  function checkPositive(value, what) {
    if (!isInt(value) || value < 1) {
      throw new LenetError(what + " must be a positive integer, got " + pyRepr(value));
    }
    return value;
  }

  /** Return ``padding`` if it is 'valid', 'same' or an integer >= 0. */
  function checkPadding(padding) {
    if (padding === "valid" || padding === "same") return padding;
    if (isInt(padding) && padding >= 0) return padding;
    throw new LenetError("padding must be 'valid', 'same' or a number of pixels >= 0, got " + pyRepr(padding));
  }

  /** Explain in words that the kernel does not fit in the (padded) input. */
  function tooLargeMessage(input, kernel, dilation, pad) {
    var effective = dilation * (kernel - 1) + 1;
    var what = dilation === 1 ? "kernel " + kernel
      : "dilated kernel " + effective + " (kernel " + kernel + ", dilation " + dilation + ")";
    var where = pad === 0 ? "the input " + input
      : "the padded input " + (input + 2 * pad) + " (" + input + " + 2\u00d7" + pad + ")";
    return what + " is larger than " + where;
  }

  /**
   * How one axis of size ``input`` goes through a kernel: the fields of Python's AxisSize.
   * ``stride`` null or undefined means the default (1, or the pool size for pooling).
   */
  function outputSize(input, kernel, stride, padding, dilation, op, ceilMode) {
    if (padding === undefined) padding = "valid";
    if (dilation === undefined) dilation = 1;
    if (op === undefined) op = "conv";
    if (ceilMode === undefined) ceilMode = false;
    if (OPS.indexOf(op) < 0) {
      throw new LenetError("unknown operation " + pyRepr(op) + " (choose conv, maxpool or avgpool)");
    }
    checkPositive(input, "input");
    checkPositive(kernel, "kernel");
    if (stride === null || stride === undefined) stride = op === "conv" ? 1 : kernel;
    checkPositive(stride, "stride");
    checkPositive(dilation, "dilation");
    padding = checkPadding(padding);
    if (op === "avgpool" && dilation !== 1) {
      throw new LenetError("average pooling has no dilation (got dilation " + dilation + ")");
    }
    if (pyTruthy(ceilMode) && op === "conv") {
      throw new LenetError("ceil mode applies to pooling only, not to convolution");
    }
    if (pyTruthy(ceilMode) && padding === "same") {
      throw new LenetError("ceil mode applies to 'valid' or explicit padding, not to 'same'");
    }
    if (op !== "conv" && isInt(padding) && padding > floorDiv(kernel, 2)) {
      throw new LenetError("padding " + padding + " is more than half the pool size " + kernel);
    }
    var effective = dilation * (kernel - 1) + 1;
    var axis = {
      input: input, kernel: kernel, stride: stride, dilation: dilation, effective_kernel: effective,
      op: op, dropped_last: false,
    };
    if (padding === "same") {
      var out = ceilDiv(input, stride);
      var total = Math.max((out - 1) * stride + effective - input, 0);
      axis.mode = "same";
      axis.pad_before = floorDiv(total, 2);
      axis.pad_after = total - floorDiv(total, 2);
      axis.ceil_mode = false;
      axis.numerator = input - effective + total;
      axis.output = out;
      return axis;
    }
    var pad = padding === "valid" ? 0 : padding;
    if (effective > input + 2 * pad) throw new LenetError(tooLargeMessage(input, kernel, dilation, pad));
    var numerator = input - effective + 2 * pad;
    var output;
    if (pyTruthy(ceilMode)) {
      output = ceilDiv(numerator, stride) + 1;
      if ((output - 1) * stride >= input + pad) {
        output -= 1;
        axis.dropped_last = true;
      }
    } else {
      output = floorDiv(numerator, stride) + 1;
    }
    axis.mode = padding === "valid" ? "valid" : "explicit";
    axis.pad_before = pad;
    axis.pad_after = pad;
    axis.ceil_mode = ceilMode;
    axis.numerator = numerator;
    axis.output = output;
    return axis;
  }

  /** Total padding of an axis (both sides). */
  function axisPad(axis) {
    return axis.pad_before + axis.pad_after;
  }

  /** True when the stride divides the numerator, so no floor or ceil is needed. */
  function axisExact(axis) {
    return axis.numerator % axis.stride === 0;
  }

  // ---------------------------------------------------------------- formatting (formatting.py)

  /**
   * ``value.toFixed(digits)`` for value >= 0, but rounding exact ties half to even, as Python's
   * format() does. A tie at ``digits`` decimals is exactly an odd multiple of 1/2^(digits + 1).
   */
  function toFixedEven(value, digits) {
    var scaled = value * Math.pow(2, digits + 1); // exact: a power of two
    if (Number.isInteger(scaled) && scaled % 2 === 1) {
      var unit = Math.pow(10, digits);
      var low = Math.floor(value * unit);
      var even = low % 2 === 0 ? low : low + 1;
      return Math.floor(even / unit) + "." + String(even % unit).padStart(digits, "0");
    }
    return value.toFixed(digits);
  }

  /** Format a fraction for a formula: an integer as is, anything else with up to 3 decimals. */
  function formatNumber(value) {
    if (Number.isInteger(value)) return String(value);
    return toFixedEven(value, 3).replace(/0+$/, "");
  }

  /** The lecture's (in − k + pad)/stride + 1 with the numbers in, floor or ceil made visible. */
  function formatSizeFormula(axis) {
    var inner = "(" + axis.input + " " + MINUS + " " + axis.effective_kernel + " + " + axisPad(axis) + ")/" +
      axis.stride;
    var text;
    if (axisExact(axis)) {
      text = inner + " + 1 = " + (floorDiv(axis.numerator, axis.stride) + 1);
    } else {
      var ceil = pyTruthy(axis.ceil_mode);
      var left = ceil ? "\u2308" : "\u230a";
      var right = ceil ? "\u2309" : "\u230b";
      var quotient = formatNumber(axis.numerator / axis.stride);
      var rounded = ceil ? ceilDiv(axis.numerator, axis.stride) : floorDiv(axis.numerator, axis.stride);
      text = left + inner + right + " + 1 = " + left + quotient + right + " + 1 = " + (rounded + 1);
    }
    if (axis.dropped_last) {
      text += " " + MINUS + " 1 = " + axis.output + " (a last window would start past the input)";
    }
    return text;
  }

  /** A short note on what the formula's numbers stand for (padding rule, dilation). */
  function describeAxis(axis) {
    var notes = [];
    if (axis.dilation > 1) {
      notes.push("dilated kernel " + axis.effective_kernel + " = " + axis.dilation + "\u00d7(" + axis.kernel +
        " " + MINUS + " 1) + 1");
    }
    if (axis.mode === "same") {
      notes.push("'same': output \u2308" + axis.input + "/" + axis.stride + "\u2309 = " + axis.output +
        ", padding " + axisPad(axis) + " (" + axis.pad_before + " before, " + axis.pad_after + " after)");
    } else if (axis.mode === "explicit") {
      notes.push("padding " + axis.pad_before + " on each side");
    }
    if (pyTruthy(axis.ceil_mode)) notes.push("ceil mode");
    return notes.join("; ");
  }

  /** One axis' numbers and formula as formatting.axis_to_dict returns them. */
  function axisToDict(axis) {
    return {
      output: axis.output,
      input: axis.input,
      kernel: axis.kernel,
      stride: axis.stride,
      dilation: axis.dilation,
      effective_kernel: axis.effective_kernel,
      padding: axis.mode !== "explicit" ? axis.mode : axis.pad_before,
      pad_before: axis.pad_before,
      pad_after: axis.pad_after,
      pad: axisPad(axis),
      op: axis.op,
      ceil_mode: axis.ceil_mode,
      numerator: axis.numerator,
      exact: axisExact(axis),
      dropped_last: axis.dropped_last,
      formula: formatSizeFormula(axis),
      note: describeAxis(axis),
    };
  }

  /**
   * The testing contract: ``size({input, kernel, stride, padding, dilation, op, ceilMode})`` returns
   * what ``lenet-explain size ... --json`` prints, or throws the LenetError the CLI reports.
   */
  function size(setting) {
    var s = setting || {};
    return axisToDict(outputSize(s.input, s.kernel, s.stride, s.padding, s.dilation, s.op, s.ceilMode));
  }

  // ---------------------------------------------------------------- layer descriptions (layers.py)

  var ACTIVATIONS = [
    "linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu", "gelu",
    "softplus", "softsign", "swish", "silu", "exponential", "hard_sigmoid", "hard_silu",
    "hard_swish", "leaky_relu", "relu6", "mish", "celu", "glu", "sparse_plus", "squareplus",
    "tanh_shrink", "hard_tanh", "soft_shrink", "hard_shrink", "threshold", "sparsemax",
  ];

  var POOL_FIELDS = [
    ["pool_size", [2, 2]], ["strides", null], ["padding", "valid"], ["ceil_mode", false], ["dilation_rate", [1, 1]],
  ];
  var REQUIRED = {}; // marks a field without a default

  /** Every layer type: its fields in declaration order with their defaults, as the dataclasses. */
  var LAYER_FIELDS = {
    Conv2D: [
      ["filters", REQUIRED], ["kernel_size", REQUIRED], ["strides", [1, 1]], ["padding", "valid"],
      ["dilation_rate", [1, 1]], ["activation", null], ["use_bias", true],
    ],
    MaxPooling2D: POOL_FIELDS,
    AveragePooling2D: POOL_FIELDS,
    ZeroPadding2D: [["padding", [[1, 1], [1, 1]]]],
    Flatten: [],
    Dense: [["units", REQUIRED], ["activation", null], ["use_bias", true]],
    Dropout: [["rate", 0.5]],
    Activation: [["activation", "relu"]],
    BatchNormalization: [["center", true], ["scale", true]],
    GlobalAveragePooling2D: [],
    GlobalMaxPooling2D: [],
  };
  var LAYER_TYPES = ["Input"].concat(Object.keys(LAYER_FIELDS));
  var SUPPORTED = Object.keys(LAYER_FIELDS).join(", ");

  var KERAS_BASE_NAMES = {
    Conv2D: "conv2d",
    MaxPooling2D: "max_pooling2d",
    AveragePooling2D: "average_pooling2d",
    ZeroPadding2D: "zero_padding2d",
    Flatten: "flatten",
    Dense: "dense",
    Dropout: "dropout",
    Activation: "activation",
    BatchNormalization: "batch_normalization",
    GlobalAveragePooling2D: "global_average_pooling2d",
    GlobalMaxPooling2D: "global_max_pooling2d",
  };

  /** True for an int >= 1. */
  function positive(value) {
    return isInt(value) && value >= 1;
  }

  /** (height, width) from an int or a two-item list of ints (to_pair). */
  function toPair(value, what) {
    if (isInt(value)) return [value, value];
    if (Array.isArray(value) && value.length === 2 && value.every(isInt)) return [value[0], value[1]];
    throw new LenetError(what + " must be an integer or two integers, got " + pyRepr(value, true));
  }

  /** Normalise ``layer[attr]`` to a (height, width) pair of positive integers (_set_pair). */
  function setPair(layer, attr) {
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
    if (isInt(padding) && padding >= 0) return;
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
        return Array.isArray(side) && side.length === 2 && side.every(function (v) { return isInt(v) && v >= 0; });
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
      if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) {
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
    GlobalAveragePooling2D: function () {},
    GlobalMaxPooling2D: function () {},
  };

  /** Shared checks of the two pooling layers; strides may stay null (the pool size). */
  function validatePooling(layer) {
    setPair(layer, "pool_size");
    if (layer.strides !== null) setPair(layer, "strides");
    setPair(layer, "dilation_rate");
    checkLayerPadding(layer, layer.padding);
    checkBool(layer, "ceil_mode", layer.ceil_mode);
  }

  /** Python's TypeError for missing constructor arguments. */
  function missingMessage(type, missing) {
    var names = missing.map(function (m) { return "'" + m + "'"; });
    var list = names.length === 1 ? names[0]
      : names.length === 2 ? names.join(" and ")
        : names.slice(0, -1).join(", ") + ", and " + names[names.length - 1];
    return type + ".__init__() missing " + missing.length + " required positional argument" +
      (missing.length === 1 ? "" : "s") + ": " + list;
  }

  /** A deep copy of plain JSON data. */
  function copy(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  /**
   * A checked layer with every field filled in (pairs as two-item arrays), from a layer type and
   * its arguments; throws a TypeError-like LenetError for missing arguments, as the dataclass does.
   */
  function makeLayer(type, args) {
    var layer = { type: type, name: args.name === undefined ? "" : args.name };
    var missing = [];
    LAYER_FIELDS[type].forEach(function (field) {
      var key = field[0];
      if (args[key] !== undefined) layer[key] = copy(args[key]);
      else if (field[1] === REQUIRED) missing.push(key);
      else layer[key] = copy(field[1]);
    });
    if (missing.length) {
      var error = new LenetError(missingMessage(type, missing));
      error.typeError = true;
      throw error;
    }
    VALIDATE[type](layer);
    return layer;
  }

  /** A stack with every unnamed layer given its Keras-style name, checked for duplicate names. */
  function makeStack(name, input, layers) {
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

  // ---------------------------------------------------------------- the stack file (stackfile.py)

  /** True for a JSON object (a Python dict). */
  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /** The layer described by one ``{"type": ..., **arguments}`` entry (layer_from_dict). */
  function layerFromDict(spec, number, where) {
    var place = where + ": layer " + number;
    if (!isObject(spec) || !("type" in spec)) throw new LenetError(place + ": expected an object with a 'type'");
    var kind = spec.type;
    if (typeof kind !== "string" || LAYER_TYPES.indexOf(kind) < 0 || kind === "Input") {
      throw new LenetError(place + ": unsupported layer type " + pyRepr(kind, true) + " (supported: " +
        SUPPORTED + ")");
    }
    var allowed = LAYER_FIELDS[kind].map(function (f) { return f[0]; }).concat(["name"]).sort();
    var args = {};
    Object.keys(spec).forEach(function (key) {
      if (key === "type") return;
      if (allowed.indexOf(key) < 0) {
        throw new LenetError(place + " (" + kind + "): unknown argument " + pyRepr(key) + " (allowed: " +
          allowed.join(", ") + ")");
      }
      args[key] = spec[key];
    });
    try {
      return makeLayer(kind, args);
    } catch (error) {
      if (!(error instanceof LenetError)) throw error;
      throw new LenetError(error.typeError ? place + " (" + kind + "): " + error.message
        : place + ": " + error.message);
    }
  }

  /**
   * The stack described by a parsed stack file (``name``, ``input``, ``layers``), checked as
   * ``lenet-explain summary --model FILE`` checks it; ``where`` prefixes the error messages.
   */
  function stackFromFile(data, defaultName, where) {
    if (defaultName === undefined) defaultName = "stack";
    if (where === undefined) where = "stack";
    if (!isObject(data)) throw new LenetError(where + ": expected an object with 'input' and 'layers'");
    var unknown = Object.keys(data).filter(function (k) {
      return ["name", "input", "layers"].indexOf(k) < 0;
    }).sort();
    if (unknown.length) {
      throw new LenetError(where + ": unknown key " + pyRepr(unknown[0]) + " (expected name, input, layers)");
    }
    if (!("input" in data) || !("layers" in data)) {
      throw new LenetError(where + ": missing " + pyRepr("input" in data ? "layers" : "input"));
    }
    if (!Array.isArray(data.layers)) throw new LenetError(where + ": 'layers' must be a list");
    var name = "name" in data ? data.name : defaultName;
    if (typeof name !== "string") throw new LenetError(where + ": 'name' must be text, got " + pyRepr(name, true));
    var shape = data.input;
    if (!Array.isArray(shape)) {
      throw new LenetError(where + ": input must be a list like [28, 28, 1], got " + pyRepr(shape, true));
    }
    if ((shape.length !== 1 && shape.length !== 3) || !shape.every(positive)) {
      throw new LenetError(where + ": Input: shape must be (height, width, channels) or (features,) of positive " +
        "integers, got " + pyRepr(shape, true));
    }
    var layers = data.layers.map(function (spec, i) { return layerFromDict(spec, i + 1, where); });
    try {
      return makeStack(name, shape, layers);
    } catch (error) {
      if (!(error instanceof LenetError)) throw error;
      throw new LenetError(where + ": " + error.message);
    }
  }

  /** A layer's arguments that differ from the defaults, with its type first (the file's form). */
  function layerToFile(layer, keepName) {
    var spec = { type: layer.type };
    LAYER_FIELDS[layer.type].forEach(function (field) {
      var key = field[0];
      var value = layer[key];
      var plain = Array.isArray(value) && value.length === 2 && value[0] === value[1] && !Array.isArray(value[0])
        ? value[0] : value;
      var primary = LAYER_FIELDS[layer.type][0] === field && layer.type !== "BatchNormalization";
      if (!primary && field[1] !== REQUIRED && JSON.stringify(value) === JSON.stringify(field[1])) return;
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
  function stackToFile(stack) {
    return {
      name: stack.name,
      input: stack.input.slice(),
      layers: stack.layers.map(function (layer) { return layerToFile(layer, true); }),
    };
  }

  /** JSON on one line with a space after each comma and colon: {"type": "Dense", "units": 84}. */
  function inlineJson(value) {
    if (Array.isArray(value)) return "[" + value.map(inlineJson).join(", ") + "]";
    if (isObject(value)) {
      return "{" + Object.keys(value).map(function (k) {
        return JSON.stringify(k) + ": " + inlineJson(value[k]);
      }).join(", ") + "}";
    }
    return JSON.stringify(value);
  }

  /** The stack file's text: JSON with one layer per line. */
  function stackFileText(stack) {
    var data = stackToFile(stack);
    var lines = data.layers.map(function (spec) { return "    " + inlineJson(spec); });
    return "{\n  \"name\": " + JSON.stringify(data.name) + ",\n  \"input\": " + inlineJson(data.input) +
      ",\n  \"layers\": [\n" + lines.join(",\n") + "\n  ]\n}\n";
  }

  // ---------------------------------------------------------------- the whole stack (summarize)

  /** ``shape`` as (height, width, channels) or an explanation that ``layer`` needs an image. */
  function imageShape(layer, shape) {
    if (shape.length !== 3) {
      throw new LenetError(layer.name + ": " + layer.type + " needs a (height, width, channels) input, got " +
        tupleStr(shape));
    }
    return shape;
  }

  /** Both axes' sizes for a convolution or pooling layer, errors prefixed with its name. */
  function windowedSizes(layer, height, width) {
    var op, kernel, strides, ceil;
    if (layer.type === "Conv2D") {
      op = "conv"; kernel = layer.kernel_size; strides = layer.strides; ceil = false;
    } else {
      op = layer.type === "MaxPooling2D" ? "maxpool" : "avgpool";
      kernel = layer.pool_size; strides = layer.strides || layer.pool_size; ceil = layer.ceil_mode;
    }
    try {
      return [
        outputSize(height, kernel[0], strides[0], layer.padding, layer.dilation_rate[0], op, ceil),
        outputSize(width, kernel[1], strides[1], layer.padding, layer.dilation_rate[1], op, ceil),
      ];
    } catch (error) {
      if (!(error instanceof LenetError)) throw error;
      throw new LenetError(layer.name + ": " + error.message);
    }
  }

  /** Receptive field after a window: r += (ke − 1)·jump, jump *= stride. */
  function growField(field, sizes) {
    if (field.size === null || field.jump === null) return field;
    return {
      size: [0, 1].map(function (i) { return field.size[i] + (sizes[i].effective_kernel - 1) * field.jump[i]; }),
      jump: [0, 1].map(function (i) { return field.jump[i] * sizes[i].stride; }),
    };
  }

  /** The parameter count as the lecture writes it, e.g. 1×(5×5)×6 + 6 = 156 (format_param_formula). */
  function formatParamFormula(row) {
    var t = row.param_terms;
    var text;
    if (t.kind === "conv" && t.kernel !== null) {
      text = t.inputs + "\u00d7(" + t.kernel[0] + "\u00d7" + t.kernel[1] + ")\u00d7" + t.outputs;
    } else if (t.kind === "dense") {
      text = t.inputs + "\u00d7" + t.outputs;
    } else if (t.kind === "batchnorm") {
      return t.per_channel + "\u00d7" + t.inputs + " = " + row.params + " (" + t.trainable_per_channel + "\u00d7" +
        t.inputs + " trainable, 2\u00d7" + t.inputs + " non-trainable)";
    } else {
      return "0";
    }
    if (t.bias) text += " + " + t.bias;
    return text + " = " + row.params;
  }

  /** One layer's row given its input ``shape`` and the receptive field so far (compute_row). */
  function computeRow(layer, shape, field) {
    var terms = { kind: "none", inputs: 0, kernel: null, outputs: 0, bias: 0, per_channel: 0,
      trainable_per_channel: 0 };
    var trainable = 0, nonTrainable = 0, macs = 0, sizes = null, out, bias;
    var type = layer.type;
    if (type === "Conv2D" || type === "MaxPooling2D" || type === "AveragePooling2D") {
      var img = imageShape(layer, shape);
      sizes = windowedSizes(layer, img[0], img[1]);
      field = growField(field, sizes);
      if (type === "Conv2D") {
        var kh = layer.kernel_size[0], kw = layer.kernel_size[1];
        bias = layer.use_bias ? layer.filters : 0;
        trainable = kh * kw * img[2] * layer.filters + bias;
        terms = Object.assign(terms, { kind: "conv", inputs: img[2], kernel: [kh, kw], outputs: layer.filters,
          bias: bias });
        out = [sizes[0].output, sizes[1].output, layer.filters];
        macs = out[0] * out[1] * layer.filters * kh * kw * img[2];
      } else {
        out = [sizes[0].output, sizes[1].output, img[2]];
      }
    } else if (type === "ZeroPadding2D") {
      var im = imageShape(layer, shape);
      out = [im[0] + layer.padding[0][0] + layer.padding[0][1], im[1] + layer.padding[1][0] + layer.padding[1][1],
        im[2]];
    } else if (type === "GlobalAveragePooling2D" || type === "GlobalMaxPooling2D") {
      out = [imageShape(layer, shape)[2]];
      field = { size: null, jump: null };
    } else if (type === "Flatten") {
      out = [prod(shape)];
      field = { size: null, jump: null };
    } else if (type === "Dense") {
      var nIn = shape[shape.length - 1];
      bias = layer.use_bias ? layer.units : 0;
      trainable = nIn * layer.units + bias;
      terms = Object.assign(terms, { kind: "dense", inputs: nIn, outputs: layer.units, bias: bias });
      out = shape.slice(0, -1).concat([layer.units]);
      macs = prod(shape.slice(0, -1)) * nIn * layer.units;
      if (shape.length === 1) field = { size: null, jump: null };
    } else if (type === "BatchNormalization") {
      var channels = shape[shape.length - 1];
      var learned = (layer.center ? 1 : 0) + (layer.scale ? 1 : 0);
      trainable = learned * channels;
      nonTrainable = 2 * channels;
      terms = Object.assign(terms, { kind: "batchnorm", inputs: channels, per_channel: learned + 2,
        trainable_per_channel: learned });
      out = shape.slice();
    } else if (type === "Dropout" || type === "Activation") {
      out = shape.slice();
    } else {
      throw new LenetError(layer.name + ": unsupported layer type " + type);
    }
    var row = {
      name: layer.name,
      type: type,
      input_shape: shape.slice(),
      output_shape: out,
      params: trainable + nonTrainable,
      trainable_params: trainable,
      non_trainable_params: nonTrainable,
      param_terms: terms,
      macs: macs,
      receptive_field: field.size ? field.size.slice() : null,
      jump: field.jump ? field.jump.slice() : null,
      activation_bytes: prod(out) * BYTES_PER_VALUE,
      sizes: sizes,
      activation: layer.activation === undefined ? null : layer.activation,
    };
    return { row: row, field: field };
  }

  /** One layer's numbers as formatting.row_to_dict returns them. */
  function rowToDict(row) {
    return {
      name: row.name,
      type: row.type,
      input_shape: row.input_shape,
      output_shape: row.output_shape,
      params: row.params,
      trainable_params: row.trainable_params,
      non_trainable_params: row.non_trainable_params,
      param_formula: formatParamFormula(row),
      macs: row.macs,
      receptive_field: row.receptive_field,
      jump: row.jump,
      activation_bytes: row.activation_bytes,
      activation: row.activation,
      size: row.sizes ? row.sizes.map(axisToDict) : null,
    };
  }

  /**
   * Every layer's row and the totals of a stack, as ``lenet-explain summary --json`` prints them
   * (summarize + summary_to_dict). ``stack`` is a checked stack, or stack file data.
   */
  function summarize(stack) {
    if (!stack.checked) stack = stackFromFile(stack);
    var shape = stack.input.slice();
    var field = shape.length === 3 ? { size: [1, 1], jump: [1, 1] } : { size: null, jump: null };
    var rows = [];
    stack.layers.forEach(function (layer) {
      var result = computeRow(layer, shape, field);
      rows.push(result.row);
      field = result.field;
      shape = result.row.output_shape;
    });
    var trainable = rows.reduce(function (a, r) { return a + r.trainable_params; }, 0);
    var nonTrainable = rows.reduce(function (a, r) { return a + r.non_trainable_params; }, 0);
    return {
      model: stack.name,
      input_shape: stack.input.slice(),
      output_shape: rows.length ? rows[rows.length - 1].output_shape : stack.input.slice(),
      layers: rows.map(rowToDict),
      total_params: trainable + nonTrainable,
      trainable_params: trainable,
      non_trainable_params: nonTrainable,
      total_macs: rows.reduce(function (a, r) { return a + r.macs; }, 0),
      param_bytes: (trainable + nonTrainable) * BYTES_PER_VALUE,
      activation_bytes: prod(stack.input) * BYTES_PER_VALUE +
        rows.reduce(function (a, r) { return a + r.activation_bytes; }, 0),
    };
  }

  /** An integer with thousands separators, as Python's f"{n:,}". */
  function formatInt(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /** A shape like Keras prints it: (None, 28, 28, 6) with ``batch``, else (28, 28, 6) (format_shape). */
  function formatShape(shape, batch) {
    if (shape === null) return "all";
    return tupleStr((batch ? ["None"] : []).concat(shape.map(String)));
  }

  /** A receptive field or jump: 5 when square, 5×3 otherwise, all when global (format_field). */
  function formatField(value) {
    if (value === null) return "all";
    return value[0] === value[1] ? String(value[0]) : value[0] + "\u00d7" + value[1];
  }

  /** A byte count the way Keras' summary does: 241.04 KB (format_bytes). */
  function formatBytes(count) {
    var units = ["B", "KB", "MB", "GB"];
    var value = count;
    for (var i = 0; i < units.length; i++) {
      if (value < 1024 || units[i] === "GB") return toFixedEven(value, 2) + " " + units[i];
      value /= 1024;
    }
    throw new Error("unreachable");
  }

  /** The totals under the table, worded like Keras' summary plus MACs and memory (total_lines). */
  function totalLines(summary) {
    return [
      "Total params: " + formatInt(summary.total_params) + " (" + formatBytes(summary.param_bytes) + ")",
      "Trainable params: " + formatInt(summary.trainable_params) + " (" +
        formatBytes(summary.trainable_params * 4) + ")",
      "Non-trainable params: " + formatInt(summary.non_trainable_params) + " (" +
        formatBytes(summary.non_trainable_params * 4) + ")",
      "Multiply-accumulates (MACs): " + formatInt(summary.total_macs) + " per image",
      "Activation memory: " + formatBytes(summary.activation_bytes) + " per image (float32, input included)",
    ];
  }

  // ---------------------------------------------------------------- Keras code (keras_model.py)

  /** A Python tuple literal of ints. */
  function pyTuple(values) {
    return tupleStr(values.map(function (v) { return Array.isArray(v) ? tupleStr(v) : v; }));
  }

  /** A Python string literal (JSON's escapes are valid Python). */
  function pyStr(text) {
    return JSON.stringify(String(text));
  }

  /** The Keras layer call(s) for one described layer, mirroring keras_model.to_keras_layers. */
  function kerasLines(layer) {
    var lines = [];
    var name = pyStr(layer.name);
    var padding = layer.padding;
    var windowed = layer.type === "Conv2D" || layer.type === "MaxPooling2D" || layer.type === "AveragePooling2D";
    if (windowed && isInt(padding)) {
      if (padding) lines.push("keras.layers.ZeroPadding2D(" + padding + ", name=" + pyStr(layer.name + "_pad") + ")");
      padding = "valid";
    }
    var args = [];
    var pad = padding === "valid" ? [] : ["padding=" + pyStr(padding)];
    var act = layer.activation ? ["activation=" + pyStr(layer.activation)] : [];
    var ones = function (pair) { return pair[0] === 1 && pair[1] === 1; };
    switch (layer.type) {
      case "Conv2D":
        if (Math.max.apply(null, layer.strides) > 1 && Math.max.apply(null, layer.dilation_rate) > 1) {
          throw new LenetError(layer.name + ": Keras cannot combine strides " + pyTuple(layer.strides) +
            " with dilation_rate " + pyTuple(layer.dilation_rate));
        }
        args = [String(layer.filters), pyTuple(layer.kernel_size)]
          .concat(ones(layer.strides) ? [] : ["strides=" + pyTuple(layer.strides)], pad,
            ones(layer.dilation_rate) ? [] : ["dilation_rate=" + pyTuple(layer.dilation_rate)], act,
            layer.use_bias ? [] : ["use_bias=False"]);
        break;
      case "MaxPooling2D":
      case "AveragePooling2D":
        if (layer.ceil_mode) {
          throw new LenetError(layer.name + ": Keras pooling has no ceil mode (use padding='same' instead)");
        }
        if (!ones(layer.dilation_rate)) throw new LenetError(layer.name + ": Keras pooling has no dilation");
        args = [pyTuple(layer.pool_size)].concat(layer.strides ? ["strides=" + pyTuple(layer.strides)] : [], pad);
        break;
      case "ZeroPadding2D":
        args = [pyTuple(layer.padding)];
        break;
      case "Dense":
        args = [String(layer.units)].concat(act, layer.use_bias ? [] : ["use_bias=False"]);
        break;
      case "Dropout":
        args = [String(layer.rate)];
        break;
      case "Activation":
        args = [pyStr(layer.activation)];
        break;
      case "BatchNormalization":
        args = (layer.center ? [] : ["center=False"]).concat(layer.scale ? [] : ["scale=False"]);
        break;
      default:
        args = [];
    }
    lines.push("keras.layers." + layer.type + "(" + args.concat(["name=" + name]).join(", ") + ")");
    return lines;
  }

  /** Python code that builds the stack in Keras, as lenet_explain.models.keras_model.build_model does. */
  function kerasCode(stack) {
    var lines = [
      "import keras",
      "",
      "model = keras.Sequential(name=" + pyStr(stack.name) + ")",
      "model.add(keras.Input(shape=" + pyTuple(stack.input) + ", name=\"input\"))",
    ];
    stack.layers.forEach(function (layer) {
      if (String(layer.name).indexOf("/") >= 0) {
        throw new LenetError(pyRepr(layer.name) + ": Keras layer names cannot contain '/'");
      }
      kerasLines(layer).forEach(function (call) { lines.push("model.add(" + call + ")"); });
    });
    lines.push("model.summary()");
    return lines.join("\n") + "\n";
  }

  // ---------------------------------------------------------------- the lecture's LeNet-5 (stacks.py)

  /** LeNet-5 as the lecture builds it (stacks.lenet5), as stack file data. */
  function lenet5File(name, side, firstPadding) {
    var c1 = { type: "Conv2D", filters: 6, kernel_size: 5, activation: "sigmoid", name: "C1" };
    if (firstPadding !== "valid") c1 = { type: "Conv2D", filters: 6, kernel_size: 5, padding: firstPadding,
      activation: "sigmoid", name: "C1" };
    return {
      name: name,
      input: [side, side, 1],
      layers: [
        c1,
        { type: "AveragePooling2D", pool_size: 2, name: "S2" },
        { type: "Conv2D", filters: 16, kernel_size: 5, activation: "sigmoid", name: "C3" },
        { type: "AveragePooling2D", pool_size: 2, name: "S4" },
        { type: "Conv2D", filters: 120, kernel_size: 5, activation: "sigmoid", name: "C5" },
        { type: "Flatten", name: "flatten" },
        { type: "Dense", units: 84, activation: "sigmoid", name: "F6" },
        { type: "Dense", units: 10, activation: "softmax", name: "output" },
      ],
    };
  }

  var api = {
    LenetError: LenetError,
    OPS: OPS,
    ACTIVATIONS: ACTIVATIONS,
    LAYER_FIELDS: LAYER_FIELDS,
    KERAS_BASE_NAMES: KERAS_BASE_NAMES,
    LECTURE: lenet5File("lecture", 28, "same"),
    LECTURE32: lenet5File("lecture32", 32, "valid"),
    size: size,
    outputSize: outputSize,
    axisToDict: axisToDict,
    formatSizeFormula: formatSizeFormula,
    describeAxis: describeAxis,
    formatNumber: formatNumber,
    formatParamFormula: formatParamFormula,
    formatInt: formatInt,
    formatShape: formatShape,
    formatField: formatField,
    formatBytes: formatBytes,
    totalLines: totalLines,
    pyRepr: pyRepr,
    makeLayer: makeLayer,
    stackFromFile: stackFromFile,
    stackToFile: stackToFile,
    stackFileText: stackFileText,
    layerToFile: layerToFile,
    summarize: summarize,
    kerasCode: kerasCode,
  };
  root.convArithmetic = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
