/*
 * keras-archive.js: a saved .keras archive read in the browser (stackfile.read_keras_archive): its
 * config.json, the page's subset of Keras' layers, and their arithmetic.
 */
import DATA from "./calculator-data.js";
import {
  LenetError, MAX_LAYERS, colon, copyData, fieldOf, has, isInt, isObject, message, prefixed, valueText,
} from "./numbers.js";
import { checkData, readJson } from "./reading.js";
import { KERAS_FIELDS, LAYER_FIELDS, callOrder, makeLayer, makeStack, positive, setPair } from "./layers.js";
import { readZipMember } from "./zip-reader.js";
import { layersMessage } from "./stackfile.js";

// ---------------------------------------------------------------- saved Keras models (stackfile.py, graphs)

var MAX_KERAS_CONFIG_BYTES = DATA.limits.MAX_KERAS_CONFIG_BYTES; // config.json in a .keras archive, inflated
var MAX_ARCHIVE_MEMBERS = DATA.limits.MAX_ARCHIVE_MEMBERS; // files inside a .keras archive
// The saved-model layers with a window of their own (DepthwiseConv2D, SeparableConv2D): their pairs are filled in.
const WINDOWED = DATA.keras_families.windowed;
// Every Keras layer class the command line reads (the others are refused by both).
const KERAS_LAYER_TYPES = new Set(DATA.keras_layer_types);

/** The value of ``object``'s own key ``key``, else undefined (never one inherited from Object.prototype). */
function own(object, key) {
  return has(object, key) ? object[key] : undefined;
}

/** Whether Python would take ``value`` as true (``x or y``): not null, false, zero, "", [] or {}. */
function truthy(value) {
  if (value === undefined || value === null || value === false || value === 0 || value === 0n || value === "") {
    return false;
  }
  if (Array.isArray(value)) return value.length > 0;
  return !isObject(value) || Object.keys(value).length > 0;
}

/** Whether Python would find ``value == 0`` (0, 0.0, False). */
function isZero(value) {
  return value === 0n || value === 0 || value === false;
}

/** The text of config.json's bytes: UTF-8 without a byte order mark, as the command line reads it. */
function configText(bytes) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new LenetError(message("archive_unreadable", { problem: message("not_utf8") }));
  }
  if (text.startsWith("\uFEFF")) throw new LenetError(message("json_bom_at", { where: "config.json" }));
  return text;
}

/**
 * The stack of a saved .keras file (an ArrayBuffer), read as ``lenet-explain summary --model`` reads it;
 * ``inputSize`` (BigInts, no batch) fills the input's open sizes as ``--input`` does.
 */
export async function readKerasArchive(buffer, fileName, inputSize = null) {
  try {
    const bytes = await readZipMember(buffer, "config.json", MAX_KERAS_CONFIG_BYTES, MAX_ARCHIVE_MEMBERS);
    const config = readJson(configText(bytes), "config.json");
    return stackFromKerasConfig(config, fileName.replace(/\.keras$/i, ""), inputSize);
  } catch (error) {
    throw prefixed(error, fileName + colon());
  }
}

/** The name a call's argument reads ("name#k" for a shared layer's k-th output), or null for a constant. */
function readsName(arg, name) {
  const config = isObject(arg) ? own(arg, "config") : undefined;
  const history = isObject(config) ? own(config, "keras_history") : undefined;
  if (!Array.isArray(history) || history.length !== 3 || typeof history[0] !== "string") return null;
  const [source, node, tensor] = history;
  if (!isZero(tensor)) {
    throw new LenetError(message("keras_tensor_index", { layer: valueText(name), index: valueText(tensor),
      source: valueText(source) }));
  }
  return isZero(node) ? source : source + "#" + (isInt(node) ? String(node) : valueText(node));
}

/** The layers a Functional layer entry reads, per call ("name#k" for a shared layer's k-th output). */
function kerasCalls(entry, name) {
  const raw = own(entry, "inbound_nodes");
  const nodes = !truthy(raw) ? [] : Array.isArray(raw) ? raw : [raw];
  const calls = [];
  for (const node of nodes) {
    const args = isObject(node) && has(node, "args") ? node.args : [];
    let pending = Array.isArray(args) ? args.slice() : [args];
    const refs = [];
    while (pending.length) {
      const arg = pending.shift();
      if (Array.isArray(arg)) { pending = arg.concat(pending); continue; }
      const ref = readsName(arg, name);
      if (ref !== null) refs.push(ref);
      else if (!calls.length) throw new LenetError(message("keras_constant", { layer: valueText(name) }));
    }
    if (!refs.length) throw new LenetError(message("keras_no_input", { layer: valueText(name) }));
    calls.push(refs);
  }
  if (!calls.length) throw new LenetError(message("keras_not_connected", { layer: valueText(name) }));
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
      throw new LenetError(message("positive_integer", { what: fieldOf(layer.type, what), value: valueText(value) }));
    }
  }
  if (layer.padding !== "valid" && layer.padding !== "same") {
    throw new LenetError(message("bad_padding", { what: fieldOf(layer.type, "padding"),
      value: valueText(layer.padding) }));
  }
}

/** Check what the arithmetic of a merge or a reshape reads (the axis, the target shape). */
function checkShapes(layer) {
  if (layer.type === "Concatenate" && layer.axis !== undefined && !isInt(layer.axis)) {
    throw new LenetError(message("positive_integer", { what: fieldOf(layer.type, "axis"), value: valueText(layer.axis) }));
  }
  if (layer.type === "Reshape" && !(Array.isArray(layer.target_shape) &&
    layer.target_shape.every((v) => positive(v) || v === -1n))) {
    throw new LenetError(message("bad_target", { value: valueText(layer.target_shape) }));
  }
}

/** Refuse a class the page does not read: one the command line reads (it says so), or one neither knows. */
function checkReadable(entry, className, where) {
  const module = own(entry, "module");
  if (module !== "keras.src.ops.numpy" && !KERAS_LAYER_TYPES.has(className)) {
    const origin = typeof module === "string" && module && !module.startsWith("keras.layers") ?
      message("keras_from_module", { module: module }) : "";
    throw new LenetError(where + colon() + message("keras_unknown_type", { type: valueText(className),
      origin: origin }));
  }
  if (module === "keras.src.ops.numpy" || (!LAYER_FIELDS.has(className) && !KERAS_FIELDS.has(className))) {
    throw new LenetError(where + colon() + message("keras_not_read", { type: valueText(className) }));
  }
}

/** Our description of one layer of a Keras config (the page's subset of stackfile._layer_from_keras). */
function layerFromKeras(entry, className, config, name) {
  const where = message("layer_named", { name: valueText(name) });
  checkReadable(entry, className, where);
  const edited = LAYER_FIELDS.has(className);
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

/** An input shape with its open sizes as None: (None, None, 3) (stackfile.format_open_shape). */
export function formatOpenShape(shape) {
  return "(" + shape.map((v) => (v === null ? "None" : String(v))).join(", ") + (shape.length === 1 ? "," : "") + ")";
}

/** ``shape`` (no batch) with its open sizes taken from ``given``; a size that disagrees is refused (fill_input_size). */
function fillInputSize(shape, given) {
  if (given.length !== shape.length) {
    throw new LenetError(message("input_count", { given: given.length, count: shape.length,
      shape: formatOpenShape(shape) }));
  }
  shape.forEach((own, i) => {
    if (own !== null && own !== given[i]) {
      throw new LenetError(message("input_fixed", { wanted: String(given[i]), axis: i + 1, own: String(own),
        shape: formatOpenShape(shape) }));
    }
  });
  return given.slice();
}

/**
 * The input shape of a config (no batch): its InputLayer's, else the one it was built with; its open sizes filled
 * from ``inputSize``, else refused with ``openShape`` set (the page then asks for them).
 */
function inputShape(body, config, shape, inputSize) {
  if (shape === undefined || shape === null) {
    const built = own(config, "build_config");
    const candidates = [own(body, "build_input_shape"), isObject(built) ? own(built, "input_shape") : null];
    shape = candidates.find(truthy) || null;
  }
  if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every((v) => v === null || isInt(v))) {
    throw new LenetError(message("input_not_shape", { shape: valueText(shape) }));
  }
  let sizes = shape.slice(1);
  if (inputSize) sizes = fillInputSize(sizes, inputSize);
  else if (sizes.includes(null)) {
    throw new LenetError(message("input_open", { shape: formatOpenShape(sizes) }), { openShape: sizes });
  }
  if (!sizes.every(positive)) throw new LenetError(message("input_not_fixed", { shape: valueText(shape) }));
  return sizes;
}

/** (class name, config, name) of one layer entry, or a refusal saying what is malformed (stackfile._keras_entry). */
function kerasEntry(entry, number) {
  const className = own(entry, "class_name");
  const config = has(entry, "config") ? entry.config : {};
  if (!isObject(entry) || typeof className !== "string" || !isObject(config)) {
    throw new LenetError(message("bad_entry", { number: number }));
  }
  const name = has(config, "name") ? config.name : has(entry, "name") ? entry.name : "";
  if (typeof name !== "string") {
    throw new LenetError(message("entry_name", { number: number, type: className, value: valueText(name) }));
  }
  return [className, config, name];
}

/** Refuse a Functional model with more than one input (stackfile._check_one_input). */
function checkOneInput(body) {
  const inputs = own(body, "input_layers");
  if (Array.isArray(inputs) && inputs.length > 1 && Array.isArray(inputs[0])) {
    throw new LenetError(message("many_inputs", { count: inputs.length }));
  }
}

/**
 * The stack of a Keras model config (stack_from_keras_config): Sequential, or a Functional graph whose layers
 * say what they read (``inbound``); a plain chain stays a chain. ``inputSize`` fills the input's open sizes.
 */
export function stackFromKerasConfig(config, defaultName, inputSize = null) {
  checkData(config, "config.json");
  if (!isObject(config) || !isObject(own(config, "config"))) throw new LenetError(message("not_a_model"));
  const kind = own(config, "class_name");
  if (!["Sequential", "Functional", "Model"].includes(kind)) {
    throw new LenetError(message("model_class", { kind: valueText(kind) }));
  }
  const body = config.config;
  const entries = own(body, "layers");
  if (!Array.isArray(entries)) throw new LenetError(message("no_layer_list"));
  if (entries.length > MAX_LAYERS + 1) throw new LenetError(layersMessage(entries.length - 1));
  if (kind !== "Sequential") checkOneInput(body);
  let shape = null, inputName = "";
  const layers = [], inbound = [];
  entries.forEach((entry, i) => {
    const [className, cfg, name] = kerasEntry(entry, i + 1);
    if (className === "InputLayer") {
      const batch = own(cfg, "batch_shape");
      shape = truthy(batch) ? batch : own(cfg, "batch_input_shape");
      inputName = name;
      return;
    }
    if ((className === "Sequential" || className === "Functional") && Array.isArray(own(cfg, "layers"))) {
      throw new LenetError(message("nested_model", { layer: valueText(name) }));
    }
    const previous = layers.length ? layers[layers.length - 1].name : inputName;
    inbound.push(kind === "Sequential" ? [[previous]] : kerasCalls(entry, name));
    layers.push(layerFromKeras(entry, className, cfg, name));
  });
  const input = inputShape(body, config, shape, inputSize);
  const names = [inputName].concat(layers.map((l) => l.name));
  const chain = inbound.every((calls, i) => calls.length === 1 && calls[0].length === 1 && calls[0][0] === names[i]);
  const modelName = own(body, "name");
  const stack = makeStack(typeof modelName === "string" && modelName ? modelName : defaultName, input, layers);
  if (!chain) {
    Object.assign(stack, { inbound: inbound, inputName: inputName || "input" });
    const same = stack.layers.find((l) => l.name === stack.inputName); // a graph's input is named like its layers
    if (same) throw new LenetError(message("duplicate_name", { name: valueText(same.name) }));
    callOrder(stack.inputName, stack.layers, inbound); // every call can be reached, and none reads itself
  }
  return stack;
}
