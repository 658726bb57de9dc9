/*
 * keras-archive.js: a saved .keras archive read in the browser (stackfile.read_keras_archive): its
 * config.json, the page's subset of Keras' layers, and their arithmetic.
 */
import DATA from "./calculator-data.js";
import { BYTES_PER_VALUE, LenetError, MAX_LAYERS, big, copyData, has, prod, pyRepr, tupleStr } from "./numbers.js";
import { checkData, parseJson } from "./reading.js";
import { outputSize } from "./axis.js";
import { LAYER_FIELDS, makeLayer, makeStack, setPair } from "./layers.js";
import { isObject, layersMessage } from "./stackfile.js";
import { formatInt, growField, imageShape } from "./summary.js";

// ---------------------------------------------------------------- saved Keras models (stackfile.py, graphs)

var MAX_KERAS_CONFIG_BYTES = DATA.limits.MAX_KERAS_CONFIG_BYTES; // config.json in a .keras archive, inflated
var MAX_ARCHIVE_MEMBERS = DATA.limits.MAX_ARCHIVE_MEMBERS; // files inside a .keras archive
// The layers of a saved model this page reads beyond the stack file's (the command line reads every layer in
// the README), by family, and the config keys each one takes (its fields).
var SAME_SHAPE = DATA.keras_families.same_shape;
var MERGES = DATA.keras_families.merges;
var WINDOWED = DATA.keras_families.windowed;
var KERAS_FIELDS = DATA.keras_fields;

/** The bytes of config.json in a .keras archive (a zip), inflated by the browser (DecompressionStream). */
function readKerasConfigBytes(buffer) {
  var bytes = new Uint8Array(buffer);
  var view = new DataView(buffer);
  var end = -1;
  for (var i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) return Promise.reject(new LenetError("not a readable .keras archive: not a zip file"));
  var count = view.getUint16(end + 10, true);
  if (count > MAX_ARCHIVE_MEMBERS) {
    return Promise.reject(new LenetError("not a readable .keras archive: " + count + " files; a .keras " +
      "archive holds at most " + MAX_ARCHIVE_MEMBERS));
  }
  var at = view.getUint32(end + 16, true);
  for (var n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) break;
    var method = view.getUint16(at + 10, true);
    var packed = view.getUint32(at + 20, true);
    var size = view.getUint32(at + 24, true);
    var nameLength = view.getUint16(at + 28, true);
    var skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    var local = view.getUint32(at + 42, true);
    var name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (name !== "config.json") continue;
    if (size > MAX_KERAS_CONFIG_BYTES) {
      return Promise.reject(new LenetError("not a readable .keras archive: config.json is more than " +
        formatInt(MAX_KERAS_CONFIG_BYTES) + " bytes"));
    }
    var start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    var data = bytes.subarray(start, start + packed);
    if (method === 0) return Promise.resolve(data);
    if (method !== 8) return Promise.reject(new LenetError("not a readable .keras archive: unknown compression"));
    var stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).arrayBuffer().then(function (inflated) {
      if (inflated.byteLength > MAX_KERAS_CONFIG_BYTES) {
        throw new LenetError("not a readable .keras archive: config.json is more than " +
          formatInt(MAX_KERAS_CONFIG_BYTES) + " bytes");
      }
      return new Uint8Array(inflated);
    }, function () { throw new LenetError("not a readable .keras archive: config.json is damaged"); });
  }
  return Promise.reject(new LenetError("not a readable .keras archive: no config.json in it"));
}

/** The stack of a saved .keras file (an ArrayBuffer), read as ``lenet-explain summary --model`` reads it. */
export function readKerasArchive(buffer, fileName) {
  return readKerasConfigBytes(buffer).then(function (bytes) {
    var text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return stackFromKerasConfig(parseJson(text, fileName + ": config.json"), fileName.replace(/\.keras$/i, ""));
  }).catch(function (error) {
    if (error instanceof LenetError) throw new LenetError(fileName + ": " + error.message);
    throw new LenetError(fileName + ": cannot read: not UTF-8 text");
  });
}

/** The layers a Functional layer entry reads, per call ("name#k" for a shared layer's k-th output). */
function kerasCalls(entry, name) {
  var calls = [];
  (Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : []).forEach(function (node) {
    var refs = [];
    var pending = isObject(node) && Array.isArray(node.args) ? node.args.slice() : [];
    while (pending.length) {
      var arg = pending.shift();
      if (Array.isArray(arg)) { pending = arg.concat(pending); continue; }
      var history = isObject(arg) && isObject(arg.config) ? arg.config.keras_history : null;
      if (Array.isArray(history) && typeof history[0] === "string") {
        refs.push(big(history[1]) === 0n ? history[0] : history[0] + "#" + history[1]);
      } else {
        throw new LenetError("layer " + pyRepr(name) + ": reads a constant; this page does not read tensor " +
          "operations (the command line does: lenet-explain summary --model FILE.keras)");
      }
    }
    if (!refs.length) throw new LenetError("layer " + pyRepr(name) + " reads no layer");
    calls.push(refs);
  });
  return calls;
}

/** Our description of one layer of a Keras config (the page's subset of stackfile._layer_from_keras). */
function layerFromKeras(className, config, name) {
  var where = "layer " + pyRepr(name);
  var known = has(LAYER_FIELDS, className) || SAME_SHAPE.indexOf(className) >= 0 ||
    MERGES.indexOf(className) >= 0 || WINDOWED.indexOf(className) >= 0 || className === "Reshape";
  if (!known) {
    throw new LenetError(where + ": layer type " + pyRepr(className) + " is not read on this page; the " +
      "command line reads it: lenet-explain summary --model FILE.keras");
  }
  if (has(config, "data_format") && config.data_format !== "channels_last") {
    throw new LenetError(where + ": only data_format='channels_last' is supported");
  }
  var args = { name: name };
  var keys = has(KERAS_FIELDS, className) ? KERAS_FIELDS[className] : LAYER_FIELDS[className].map(function (f) {
    return f[0];
  });
  keys.forEach(function (key) { if (has(config, key)) args[key] = copyData(config[key]); });
  if (isObject(args.activation)) args.activation = isObject(args.activation.config) ?
    args.activation.config.name || args.activation.class_name : args.activation.class_name;
  if (args.activation === "linear" && className !== "Activation") args.activation = null;
  if (has(LAYER_FIELDS, className)) {
    var fields = LAYER_FIELDS[className].map(function (f) { return f[0]; });
    Object.keys(args).forEach(function (key) { if (key !== "name" && fields.indexOf(key) < 0) delete args[key]; });
    try { return makeLayer(className, args); } catch (error) {
      if (!(error instanceof LenetError)) throw error;
      throw new LenetError(where + ": " + error.message);
    }
  }
  var layer = Object.assign({ type: className }, args);
  if (WINDOWED.indexOf(className) >= 0) {
    ["kernel_size", "strides", "dilation_rate"].forEach(function (attr) {
      if (layer[attr] === undefined) layer[attr] = 1;
      setPair(layer, attr);
    });
    if (layer.padding === undefined) layer.padding = "valid";
    if (layer.depth_multiplier === undefined) layer.depth_multiplier = 1;
    if (layer.use_bias === undefined) layer.use_bias = true;
  }
  return layer;
}

/**
 * The stack of a Keras model config (stack_from_keras_config): Sequential, or a Functional graph whose layers
 * say what they read (``inbound``); a plain chain stays a chain.
 */
export function stackFromKerasConfig(config, defaultName) {
  checkData(config, "config.json");
  if (!isObject(config) || !isObject(config.config)) throw new LenetError("config.json does not describe a Keras model");
  var kind = config.class_name;
  if (["Sequential", "Functional", "Model"].indexOf(kind) < 0) {
    throw new LenetError("unsupported model class " + pyRepr(kind, true) + " (only Sequential or Functional models)");
  }
  var body = config.config;
  if (!Array.isArray(body.layers)) throw new LenetError("config.json has no list of layers");
  if (body.layers.length > MAX_LAYERS + 1) throw new LenetError(layersMessage(body.layers.length - 1));
  var shape = null, inputName = "", layers = [], inbound = [];
  body.layers.forEach(function (entry, i) {
    if (!isObject(entry) || typeof entry.class_name !== "string" || !isObject(entry.config || {})) {
      throw new LenetError("layer entry " + (i + 1) + " is malformed");
    }
    var cfg = entry.config || {};
    var name = typeof cfg.name === "string" ? cfg.name : "";
    if (entry.class_name === "InputLayer") {
      shape = cfg.batch_shape || cfg.batch_input_shape || null;
      inputName = name;
      return;
    }
    if (entry.class_name === "Sequential" || entry.class_name === "Functional") {
      throw new LenetError("layer " + pyRepr(name) + ": this page does not read nested models; the command " +
        "line does: lenet-explain summary --model FILE.keras");
    }
    var previous = layers.length ? layers[layers.length - 1].name : inputName;
    inbound.push(kind === "Sequential" ? [[previous]] : kerasCalls(entry, name));
    layers.push(layerFromKeras(entry.class_name, cfg, name));
  });
  if (shape === null) shape = body.build_input_shape || (isObject(config.build_config) ?
    config.build_config.input_shape : null);
  if (!Array.isArray(shape) || shape.length < 2 || shape.slice(1).some(function (v) { return v === null; })) {
    throw new LenetError("the model's input shape is not fixed (" + pyRepr(shape, true) +
      "); the calculator needs one");
  }
  var names = [inputName].concat(layers.map(function (l) { return l.name; }));
  var chain = inbound.every(function (calls, i) {
    return calls.length === 1 && calls[0].length === 1 && calls[0][0] === names[i];
  });
  var name = typeof body.name === "string" && body.name ? body.name : defaultName;
  var stack = makeStack(name, shape.slice(1), layers);
  if (!chain) { stack.inbound = inbound; stack.inputName = inputName || "input"; }
  return stack;
}

/** The element-wise result shape of several inputs (a size 1 stretches). */
function broadcastShapes(layer, shapes) {
  var rank = Math.max.apply(null, shapes.map(function (s) { return s.length; }));
  var result = [];
  for (var i = 0; i < rank; i++) {
    var sizes = [];
    shapes.forEach(function (s) {
      var j = i - rank + s.length;
      if (j >= 0 && s[j] !== 1n && sizes.indexOf(s[j]) < 0) sizes.push(s[j]);
    });
    if (sizes.length > 1) {
      throw new LenetError(layer.name + ": " + layer.type + " cannot combine shapes " +
        shapes.map(tupleStr).join(", "));
    }
    result.push(sizes.length ? sizes[0] : 1n);
  }
  return result;
}

/** The largest receptive field of several inputs; "all" when any is. */
function mergeFields(fields) {
  if (fields.some(function (f) { return f.size === null; })) return { size: null, jump: null };
  var best = fields[0];
  fields.forEach(function (f) { if (prod(f.size) > prod(best.size)) best = f; });
  return {
    size: best.size.map(function (_, i) {
      return fields.reduce(function (m, f) { return f.size[i] > m ? f.size[i] : m; }, 0n);
    }),
    jump: best.jump,
  };
}

/** One call of a layer this page reads from saved models beyond the stack file's (the layer families' compute). */
export function computeKerasRow(layer, shapes, fields) {
  var type = layer.type;
  var shape = shapes[0], field = fields[0];
  var result = { out: shape.slice(), field: field, trainable: 0n, fixed: 0n, macs: 0n, formula: "", sizes: null };
  if (MERGES.indexOf(type) >= 0) {
    if (shapes.length < 2) throw new LenetError(layer.name + ": " + type + " needs at least 2 inputs, got " +
      shapes.length);
    result.field = mergeFields(fields);
    if (type === "Concatenate") {
      var axis = big(layer.axis === undefined ? -1 : layer.axis);
      var index = axis > 0n ? Number(axis) - 1 : shape.length + Number(axis);
      result.out = shape.slice();
      result.out[index] = shapes.reduce(function (a, s) { return a + s[index]; }, 0n);
    } else {
      result.out = broadcastShapes(layer, shapes);
    }
  } else if (type === "Reshape") {
    var target = layer.target_shape.map(big);
    var total = prod(shape);
    var known = prod(target.filter(function (v) { return v !== -1n; }));
    target = target.map(function (v) { return v === -1n ? total / known : v; });
    if (prod(target) !== total) {
      throw new LenetError(layer.name + ": cannot reshape " + formatInt(total) + " values " + tupleStr(shape) +
        " into " + pyRepr(layer.target_shape, true));
    }
    var same = target.length === shape.length && target.every(function (v, i) { return v === shape[i]; });
    result.out = target;
    if (!same) result.field = { size: null, jump: null };
  } else if (WINDOWED.indexOf(type) >= 0) {
    var img = imageShape(layer, shape);
    var sizes = ["0", "1"].map(function (i) {
      try {
        return outputSize(img[i], layer.kernel_size[i], layer.strides[i], layer.padding, layer.dilation_rate[i],
          "conv", false);
      } catch (error) {
        if (!(error instanceof LenetError)) throw error;
        throw new LenetError(layer.name + ": " + error.message);
      }
    });
    var kh = big(layer.kernel_size[0]), kw = big(layer.kernel_size[1]), dm = big(layer.depth_multiplier);
    var maps = img[2] * dm, window = kh * kw, positions = sizes[0].output * sizes[1].output;
    var kernel = img[2] + "\u00d7(" + kh + "\u00d7" + kw + ")\u00d7" + dm;
    var bias;
    if (type === "DepthwiseConv2D") {
      bias = layer.use_bias ? maps : 0n;
      result.out = [sizes[0].output, sizes[1].output, maps];
      result.trainable = window * maps + bias;
      result.macs = positions * maps * window;
      result.formula = kernel + (bias ? " + " + bias : "");
    } else {
      var filters = big(layer.filters);
      bias = layer.use_bias ? filters : 0n;
      result.out = [sizes[0].output, sizes[1].output, filters];
      result.trainable = window * maps + maps * filters + bias;
      result.macs = positions * (maps * window + maps * filters);
      result.formula = kernel + " + " + maps + "\u00d7" + filters + (bias ? " + " + bias : "");
    }
    result.sizes = sizes;
    result.field = growField(field, sizes);
  } else if (SAME_SHAPE.indexOf(type) < 0) {
    throw new LenetError(layer.name + ": unsupported layer type " + type);
  }
  var params = result.trainable + result.fixed;
  return {
    row: {
      name: layer.name, type: type, input_shape: shape.slice(), output_shape: result.out, params: params,
      trainable_params: result.trainable, non_trainable_params: result.fixed,
      param_terms: { kind: "formula", text: result.formula }, macs: result.macs,
      receptive_field: result.field.size ? result.field.size.slice() : null,
      jump: result.field.jump ? result.field.jump.slice() : null,
      activation_bytes: prod(result.out) * BigInt(BYTES_PER_VALUE), sizes: result.sizes,
      activation: layer.activation === undefined ? null : layer.activation,
    },
    field: result.field,
  };
}
