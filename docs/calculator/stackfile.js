/*
 * stackfile.js: the JSON stack file (lenet_explain.calculator.stackfile): read it (name, input, layers), and
 * write a stack back as one (what ``lenet-explain summary --model FILE.json`` reads).
 */
import { LenetError, MAX_LAYERS, colon, formatInt, has, isObject, message, valueText } from "./numbers.js";
import { checkData, readJson, toJson } from "./reading.js";
import { LAYER_FIELDS, REQUIRED, callOrder, makeLayer, makeStack, positive } from "./layers.js";

const TOP_KEYS = ["name", "input", "layers"];

/** The layer described by one ``{"type": ..., **arguments}`` entry (layer_from_dict). */
function layerFromDict(spec, number, where) {
  const place = where + colon() + message("layer_n", { number: number });
  if (!isObject(spec) || !has(spec, "type")) throw new LenetError(place + colon() + message("layer_object"));
  const kind = spec.type;
  if (typeof kind !== "string" || !LAYER_FIELDS.has(kind)) {
    throw new LenetError(place + colon() + message("unknown_layer_type", { type: valueText(kind),
      supported: [...LAYER_FIELDS.keys()].join(message("list_separator")) }));
  }
  const allowed = LAYER_FIELDS.get(kind).map((field) => field[0]).concat(["name"]).sort();
  const args = Object.create(null);
  for (const key of Object.keys(spec)) {
    if (key === "type") continue;
    if (!allowed.includes(key)) {
      throw new LenetError(message("with_type", { place: place, type: kind }) + colon() +
        message("unknown_argument", { key: valueText(key), allowed: allowed.join(message("list_separator")) }));
    }
    args[key] = spec[key];
  }
  if (has(args, "name") && typeof args.name !== "string") {
    throw new LenetError(place + colon() + message("name_text", { value: valueText(args.name) }));
  }
  try {
    return makeLayer(kind, args);
  } catch (error) {
    if (!(error instanceof LenetError)) throw error;
    const where = error.missing ? message("with_type", { place: place, type: kind }) : place; // a missing argument: the type says which
    throw new LenetError(where + colon() + error.message);
  }
}

/** A layer entry's calls from ``"inbound"`` (_inbound_from_dict): names (one call) or lists of names (shared). */
function inboundFromDict(spec, number, where) {
  if (!isObject(spec) || !has(spec, "inbound")) return null;
  let value = spec.inbound;
  if (typeof value === "string") value = [value];
  const names = (list) => Array.isArray(list) && list.length > 0 && list.every((v) => typeof v === "string");
  if (names(value)) return [value.slice()];
  if (Array.isArray(value) && value.length > 0 && value.every(names)) return value.map((call) => call.slice());
  throw new LenetError(where + colon() + message("layer_n", { number: number }) + colon() +
    message("inbound_bad", { value: valueText(spec.inbound) }), { layer: number });
}

/** A layer entry without its graph key. */
function withoutInbound(spec) {
  if (!isObject(spec) || !has(spec, "inbound")) return spec;
  const copy = Object.create(null);
  for (const key of Object.keys(spec)) if (key !== "inbound") copy[key] = spec[key];
  return copy;
}

/** The one message for a stack with too many layers. */
export function layersMessage(count) {
  return message("too_many_layers", { count: formatInt(count), max: formatInt(MAX_LAYERS) });
}

/**
 * The stack described by stack file data (``name``, ``input``, ``layers``), checked as ``lenet-explain summary
 * --model FILE`` checks it; ``where`` prefixes the error messages.
 */
export function stackFromFile(data, defaultName = "stack", where = "stack") {
  checkData(data, where);
  if (!isObject(data)) throw new LenetError(where + colon() + message("stack_object"));
  const unknown = Object.keys(data).filter((key) => !TOP_KEYS.includes(key)).sort();
  if (unknown.length) throw new LenetError(where + colon() + message("unknown_key", { key: valueText(unknown[0]) }));
  if (!has(data, "input") || !has(data, "layers")) {
    throw new LenetError(where + colon() + message("missing_key", { key: has(data, "input") ? "layers" : "input" }));
  }
  if (!Array.isArray(data.layers)) throw new LenetError(where + colon() + message("layers_list"));
  if (data.layers.length > MAX_LAYERS) throw new LenetError(where + colon() + layersMessage(data.layers.length));
  const name = has(data, "name") ? data.name : defaultName;
  if (typeof name !== "string") {
    throw new LenetError(where + colon() + message("name_text", { value: valueText(name) }));
  }
  const shape = data.input;
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 4 || !shape.every(positive)) {
    throw new LenetError(where + colon() + message("bad_input", { value: valueText(shape) }), { layer: 0 });
  }
  const inbound = data.layers.map((spec, i) => inboundFromDict(spec, i + 1, where)); // first, as the CLI does
  const layers = data.layers.map((spec, i) => {
    try {
      return layerFromDict(withoutInbound(spec), i + 1, where);
    } catch (error) {
      if (error instanceof LenetError) error.layer = i + 1; // the row it is about
      throw error;
    }
  });
  try {
    const stack = makeStack(name, shape, layers);
    if (!inbound.some((calls) => calls !== null)) return stack;
    // A graph: a layer without "inbound" reads the one listed before it; the input is called "input".
    const names = ["input"].concat(stack.layers.map((layer) => layer.name));
    if (names.indexOf("input", 1) > 0) throw new LenetError(message("duplicate_name", { name: valueText("input") }));
    stack.inbound = inbound.map((calls, i) => calls || [[names[i]]]);
    stack.inputName = "input";
    callOrder(stack.inputName || "input", stack.layers, stack.inbound); // every call reachable, none reads itself
    return stack;
  } catch (error) {
    if (!(error instanceof LenetError)) throw error;
    throw new LenetError(where + colon() + error.message, { layer: error.layer });
  }
}

/**
 * A stack file's bytes as text, decoded as the command line decodes them: UTF-8 or refused; a byte order mark
 * is kept, so that the JSON reader refuses it as Python's json.loads does.
 */
export function decodeStackBytes(bytes, where = "stack") {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new LenetError(where + colon() + message("not_utf8"));
  }
}

/** The stack in a stack file's text (JSON). */
export function readStackText(text, defaultName = "stack", where = "stack") {
  return stackFromFile(readJson(text, where), defaultName, where);
}

/** A pair of equal items as one item (the file's short form). */
function shortPair(value) {
  return Array.isArray(value) && value.length === 2 && value[0] === value[1] && !Array.isArray(value[0])
    ? value[0] : value;
}

/** A layer's arguments that differ from the defaults, with its type first (the file's form). */
export function layerToFile(layer, keepName) {
  const spec = { type: layer.type };
  const fields = LAYER_FIELDS.get(layer.type);
  fields.forEach(([key, fallback], index) => {
    const value = layer[key];
    const primary = index === 0 && layer.type !== "BatchNormalization";
    if (!primary && fallback !== REQUIRED && toJson(value) === toJson(fallback)) return;
    let short = shortPair(value);
    if (layer.type === "ZeroPadding2D" && key === "padding") {
      const [[top, bottom], [left, right]] = value;
      short = top === bottom && left === right ? (top === left ? top : [top, left]) : value;
    }
    spec[key] = short;
  });
  if (keepName && layer.name) spec.name = layer.name;
  return spec;
}

/** A graph layer's "inbound" as the file writes it: a name, a list of names, or one list per call. */
function inboundToFile(calls) {
  if (calls.length > 1) return calls.map((call) => call.slice());
  return calls[0].length === 1 ? calls[0][0] : calls[0].slice();
}

/** The stack as a stack file's data (what ``lenet-explain summary --model FILE.json`` reads). */
export function stackToFile(stack) {
  const layers = stack.layers.map((layer, i) => {
    const spec = layerToFile(layer, true);
    if (stack.inbound) spec.inbound = inboundToFile(stack.inbound[i]);
    return spec;
  });
  return { name: stack.name, input: stack.input.slice(), layers: layers };
}

/** The stack file's text: JSON with one layer per line. */
export function stackFileText(stack) {
  const data = stackToFile(stack);
  const lines = data.layers.map((spec) => "    " + toJson(spec));
  return "{\n  \"name\": " + JSON.stringify(data.name) + ",\n  \"input\": " + toJson(data.input) +
    ",\n  \"layers\": [\n" + lines.join(",\n") + "\n  ]\n}\n";
}
