/*
 * keras-archive.js: a saved .keras archive read in the browser (stackfile.read_keras_archive): its
 * config.json, the page's subset of Keras' layers, and their arithmetic.
 */
import DATA from "./calculator-data.js";
import {
  LenetError, MAX_LAYERS, colon, copyData, formatInt, has, isInt, isObject, message, prefixed, valueText,
} from "./numbers.js";
import { checkData, readJson } from "./reading.js";
import { KERAS_FIELDS, LAYER_FIELDS, makeLayer, makeStack, positive, setPair } from "./layers.js";
import { layersMessage } from "./stackfile.js";

// ---------------------------------------------------------------- saved Keras models (stackfile.py, graphs)

var MAX_KERAS_CONFIG_BYTES = DATA.limits.MAX_KERAS_CONFIG_BYTES; // config.json in a .keras archive, inflated
var MAX_ARCHIVE_MEMBERS = DATA.limits.MAX_ARCHIVE_MEMBERS; // files inside a .keras archive
// The saved-model layers with a window of their own (DepthwiseConv2D, SeparableConv2D): their pairs are filled in.
const WINDOWED = DATA.keras_families.windowed;

/** A refusal of an archive this page cannot read: ``key`` says why. */
function archiveError(key, params) {
  return new LenetError(message("archive_unreadable", { problem: message(key, params) }));
}

/** Where the zip's central directory ends, or -1 (not a zip file). */
function directoryEnd(bytes, view) {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) return i;
  }
  return -1;
}

/** The bytes of config.json in a .keras archive (a zip), inflated by the browser (DecompressionStream). */
async function readKerasConfigBytes(buffer) {
  const bytes = new Uint8Array(buffer), view = new DataView(buffer);
  const end = directoryEnd(bytes, view);
  if (end < 0) throw archiveError("archive_not_zip");
  const count = view.getUint16(end + 10, true);
  if (count > MAX_ARCHIVE_MEMBERS) throw archiveError("archive_members", { count: count, max: MAX_ARCHIVE_MEMBERS });
  const tooBig = () => archiveError("archive_config_size", { bytes: formatInt(MAX_KERAS_CONFIG_BYTES) });
  let at = view.getUint32(end + 16, true);
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) break;
    const method = view.getUint16(at + 10, true), packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true), nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (name !== "config.json") continue;
    if (size > MAX_KERAS_CONFIG_BYTES) throw tooBig();
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + packed);
    if (method === 0) return data;
    if (method !== 8) throw archiveError("archive_compression");
    let inflated;
    try {
      const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      inflated = await new Response(stream).arrayBuffer();
    } catch {
      throw archiveError("archive_damaged");
    }
    if (inflated.byteLength > MAX_KERAS_CONFIG_BYTES) throw tooBig();
    return new Uint8Array(inflated);
  }
  throw archiveError("archive_no_config");
}

/** The stack of a saved .keras file (an ArrayBuffer), read as ``lenet-explain summary --model`` reads it. */
export async function readKerasArchive(buffer, fileName) {
  try {
    const bytes = await readKerasConfigBytes(buffer);
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new LenetError(message("not_utf8"));
    }
    return stackFromKerasConfig(readJson(text, fileName + ": config.json"), fileName.replace(/\.keras$/i, ""));
  } catch (error) {
    throw prefixed(error, fileName + colon());
  }
}

/** The layers a Functional layer entry reads, per call ("name#k" for a shared layer's k-th output). */
function kerasCalls(entry, name) {
  const calls = [];
  for (const node of Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : []) {
    const refs = [];
    let pending = isObject(node) && Array.isArray(node.args) ? node.args.slice() : [];
    while (pending.length) {
      const arg = pending.shift();
      if (Array.isArray(arg)) { pending = arg.concat(pending); continue; }
      const history = isObject(arg) && isObject(arg.config) ? arg.config.keras_history : null;
      if (!Array.isArray(history) || typeof history[0] !== "string" || !isInt(history[1])) {
        throw new LenetError(message("keras_constant", { layer: valueText(name) }));
      }
      refs.push(history[1] === 0n ? history[0] : history[0] + "#" + history[1]);
    }
    if (!refs.length) throw new LenetError(message("keras_no_input", { layer: valueText(name) }));
    calls.push(refs);
  }
  return calls;
}

/** The name of a serialised activation: {"class_name": …, "config": {"name": …}}. */
function activationName(activation) {
  if (!isObject(activation)) return activation;
  return isObject(activation.config) && activation.config.name ? activation.config.name : activation.class_name;
}

/** Fill in and check a windowed saved-model layer's fields (the ones its arithmetic reads). */
function checkWindowed(layer) {
  for (const attr of ["kernel_size", "strides", "dilation_rate"]) {
    if (layer[attr] === undefined) layer[attr] = 1n;
    setPair(layer, attr);
  }
  if (layer.padding === undefined) layer.padding = "valid";
  if (layer.depth_multiplier === undefined) layer.depth_multiplier = 1n;
  if (layer.use_bias === undefined) layer.use_bias = true;
  const filters = layer.type === "SeparableConv2D" ? [["filters", layer.filters]] : [];
  for (const [what, value] of [["depth_multiplier", layer.depth_multiplier], ...filters]) {
    if (!positive(value)) {
      throw new LenetError(message("positive_integer", { what: layer.type + colon() + what, value: valueText(value) }));
    }
  }
  if (layer.padding !== "valid" && layer.padding !== "same") {
    throw new LenetError(layer.type + colon() + message("bad_padding", { value: valueText(layer.padding) }));
  }
}

/** Check what the arithmetic of a merge or a reshape reads (the axis, the target shape). */
function checkShapes(layer) {
  if (layer.type === "Concatenate" && layer.axis !== undefined && !isInt(layer.axis)) {
    throw new LenetError(message("positive_integer", { what: layer.type + ": axis", value: valueText(layer.axis) }));
  }
  if (layer.type === "Reshape" && !(Array.isArray(layer.target_shape) &&
    layer.target_shape.every((v) => positive(v) || v === -1n))) {
    throw new LenetError(message("bad_target", { value: valueText(layer.target_shape) }));
  }
}

/** Our description of one layer of a Keras config (the page's subset of stackfile._layer_from_keras). */
function layerFromKeras(className, config, name) {
  const where = message("layer_named", { name: valueText(name) });
  const edited = LAYER_FIELDS.has(className);
  if (!edited && !KERAS_FIELDS.has(className)) {
    throw new LenetError(where + colon() + message("keras_not_read", { type: valueText(className) }));
  }
  if (has(config, "data_format") && config.data_format !== "channels_last") {
    throw new LenetError(where + colon() + message("channels_last"));
  }
  const keys = edited ? LAYER_FIELDS.get(className).map((field) => field[0]) : KERAS_FIELDS.get(className);
  const args = { name: name };
  for (const key of keys) if (has(config, key)) args[key] = copyData(config[key]);
  if (has(args, "activation")) args.activation = activationName(args.activation);
  if (args.activation === "linear" && className !== "Activation") args.activation = null;
  if (className === "BatchNormalization" && Array.isArray(args.axis) && args.axis.length === 1) {
    args.axis = args.axis[0]; // older Keras wrote the one axis as a list
  }
  try {
    if (edited) return makeLayer(className, args);
    const layer = Object.assign({ type: className }, args);
    if (WINDOWED.includes(className)) checkWindowed(layer);
    checkShapes(layer);
    return layer;
  } catch (error) {
    throw prefixed(error, where + colon());
  }
}

/** The input shape of a config: its InputLayer's, else the one it was built with. */
function inputShape(body, config, shape) {
  if (shape === null) shape = body.build_input_shape || (isObject(config.build_config) ?
    config.build_config.input_shape : null);
  if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every(positive)) {
    throw new LenetError(message("input_not_fixed", { shape: valueText(shape) }));
  }
  return shape.slice(1);
}

/**
 * The stack of a Keras model config (stack_from_keras_config): Sequential, or a Functional graph whose layers
 * say what they read (``inbound``); a plain chain stays a chain.
 */
export function stackFromKerasConfig(config, defaultName) {
  checkData(config, "config.json");
  if (!isObject(config) || !isObject(config.config)) throw new LenetError(message("not_a_model"));
  const kind = config.class_name;
  if (!["Sequential", "Functional", "Model"].includes(kind)) {
    throw new LenetError(message("model_class", { kind: valueText(kind) }));
  }
  const body = config.config;
  if (!Array.isArray(body.layers)) throw new LenetError(message("no_layer_list"));
  if (body.layers.length > MAX_LAYERS + 1) throw new LenetError(layersMessage(body.layers.length - 1));
  let shape = null, inputName = "";
  const layers = [], inbound = [];
  body.layers.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.class_name !== "string" || (has(entry, "config") && !isObject(entry.config))) {
      throw new LenetError(message("bad_entry", { number: i + 1 }));
    }
    const cfg = entry.config || {};
    const name = typeof cfg.name === "string" ? cfg.name : "";
    if (entry.class_name === "InputLayer") {
      shape = cfg.batch_shape || cfg.batch_input_shape || null;
      inputName = name;
      return;
    }
    if (entry.class_name === "Sequential" || entry.class_name === "Functional") {
      throw new LenetError(message("nested_model", { layer: valueText(name) }));
    }
    const previous = layers.length ? layers[layers.length - 1].name : inputName;
    inbound.push(kind === "Sequential" ? [[previous]] : kerasCalls(entry, name));
    layers.push(layerFromKeras(entry.class_name, cfg, name));
  });
  const input = inputShape(body, config, shape);
  const names = [inputName].concat(layers.map((l) => l.name));
  const chain = inbound.every((calls, i) => calls.length === 1 && calls[0].length === 1 && calls[0][0] === names[i]);
  const name = typeof body.name === "string" && body.name ? body.name : defaultName;
  const stack = makeStack(name, input, layers);
  if (!chain) Object.assign(stack, { inbound: inbound, inputName: inputName || "input" });
  return stack;
}
