/*
 * summary.js: a stack summarized into one row per layer call (lenet_explain.calculator.arithmetic.summarize and
 * formatting.summary_to_dict), and the totals under the table. One row type for every layer: computeLayer.
 */
import DATA from "./calculator-data.js";
import {
  BYTES_PER_VALUE, LenetError, MAX_RESULT_DIGITS, formatInt, message, out, prod, tupleStr, valueText, word,
} from "./numbers.js";
import { axisToDict, decimalText } from "./axis.js";
import { computeLayer, mergeFields } from "./arithmetic.js";
import { callName, callOrder } from "./layers.js";
import { stackFromFile } from "./stackfile.js";

const TRAIL_STEPS = DATA.trail_steps; // size changes a "too small" message lists before it elides the earlier ones

/** The parameter count as the lecture writes it, e.g. 1×(5×5)×6 + 6 = 156 (format_param_formula). */
export function formatParamFormula(row) {
  const terms = row.param_terms;
  let text;
  if (terms.kind === "conv") {
    text = terms.inputs + "\u00d7(" + terms.kernel[0] + "\u00d7" + terms.kernel[1] + ")\u00d7" + terms.outputs;
  } else if (terms.kind === "dense") {
    text = terms.inputs + "\u00d7" + terms.outputs;
  } else if (terms.kind === "formula") {
    return terms.text ? terms.text + " = " + row.params : String(row.params);
  } else if (terms.kind === "batchnorm") {
    return word("param_batchnorm", { formula: terms.per_channel + "\u00d7" + terms.inputs, params: row.params,
      trainable: terms.trainable_per_channel + "\u00d7" + terms.inputs, fixed: "2\u00d7" + terms.inputs });
  } else {
    return "0";
  }
  if (terms.bias) text += " + " + terms.bias;
  return text + " = " + row.params;
}

/** One layer call's row: what computeLayer says, with the layer's name, type and input shape. */
function layerRow(layer, shapes, done) {
  return {
    name: layer.name, type: layer.type, input_shape: shapes[0].slice(), output_shape: done.out,
    params: done.trainable + done.fixed, trainable_params: done.trainable, non_trainable_params: done.fixed,
    param_terms: done.terms, macs: done.macs,
    receptive_field: done.field.size ? done.field.size.slice() : null,
    jump: done.field.jump ? done.field.jump.slice() : null,
    activation_bytes: prod(done.out) * BYTES_PER_VALUE, sizes: done.sizes,
    activation: layer.activation === undefined ? null : layer.activation,
  };
}

/** One layer's numbers as formatting.row_to_dict returns them. */
function rowToDict(row) {
  const result = {
    name: row.name, type: row.type, input_shape: out(row.input_shape), output_shape: out(row.output_shape),
    params: out(row.params), trainable_params: out(row.trainable_params),
    non_trainable_params: out(row.non_trainable_params), param_formula: formatParamFormula(row), macs: out(row.macs),
    receptive_field: row.receptive_field && out(row.receptive_field), jump: row.jump && out(row.jump),
    activation_bytes: out(row.activation_bytes), activation: row.activation,
    size: row.sizes ? row.sizes.map(axisToDict) : null,
  };
  if (row.inbound) result.connected_to = row.inbound.slice();
  return result;
}

/**
 * Add to a "kernel larger than the input" refusal the sizes that led there, layer by layer
 * (with_size_trail): C5: kernel 5 is larger than the input 4 (sizes: input 28×28 → C1 24×24 → …).
 */
function withSizeTrail(error, inputShape, rows) {
  if (!error.tooLarge || inputShape.length !== 3) return error.message;
  let steps = [message("trail_input", { size: inputShape[0] + "\u00d7" + inputShape[1] })];
  let previous = inputShape.slice(0, 2);
  for (const row of rows) {
    const shape = row.output_shape;
    if (shape.length === 3 && (shape[0] !== previous[0] || shape[1] !== previous[1])) {
      steps.push(row.name + " " + shape[0] + "\u00d7" + shape[1]);
      previous = shape.slice(0, 2);
    }
  }
  if (steps.length === 1) return error.message;
  if (steps.length > TRAIL_STEPS + 1) steps = [steps[0], "\u2026"].concat(steps.slice(-TRAIL_STEPS));
  return error.message + message("size_trail", { steps: steps.join(" \u2192 ") });
}

/** The outputs a call reads, by the names of the layers (or the input) that made them. */
function callInputs(layer, call, outputs) {
  return call.map((ref) => {
    if (!outputs.has(ref)) {
      throw new LenetError(message("reads_unknown", { layer: valueText(layer.name), ref: valueText(ref) }));
    }
    return outputs.get(ref);
  });
}

const TOO_LONG = 10n ** BigInt(MAX_RESULT_DIGITS);

/**
 * Refuse a stack whose numbers have more than MAX_RESULT_DIGITS digits (check_result_sizes): a row's output shape,
 * parameters, MACs, activation bytes, receptive field or jump, or the totals (parameter bytes, activation bytes, MACs).
 */
function checkResultSizes(rows, totals) {
  const big = (n) => (typeof n === "bigint" || Number.isInteger(n)) && (n < 0 ? -BigInt(n) : BigInt(n)) >= TOO_LONG;
  const max = formatInt(MAX_RESULT_DIGITS);
  rows.forEach((row, i) => {
    const numbers = row.output_shape.concat([row.params, row.macs, row.activation_bytes], row.receptive_field || [],
      row.jump || []);
    if (numbers.some(big)) {
      throw new LenetError(message("result_digits_layer", { layer: valueText(row.name), max: max }), { layer: i + 1 });
    }
  });
  if (totals.some(big)) throw new LenetError(message("result_digits_totals", { max: max }));
}

/**
 * Every layer's row and the totals of a stack, as ``lenet-explain summary --json`` prints them (summarize +
 * summary_to_dict). ``stack`` is a checked stack, or stack file data.
 */
export function summarize(stack) {
  if (!stack.checked) stack = stackFromFile(stack);
  const input = stack.input.slice();
  const spatial = input.slice(1).map(() => 1n); // one pixel (step, voxel) per spatial axis
  const inputName = stack.inputName || "input";
  const outputs = new Map([[inputName, { shape: input, field: spatial.length ? { size: spatial, jump: spatial }
    : { size: null, jump: null } }]]);
  const calls = stack.inbound || stack.layers.map((_, i) => [[i ? stack.layers[i - 1].name : inputName]]);
  const order = stack.inbound ? callOrder(inputName, stack.layers, calls) : calls.map((_, i) => [i, 0]);
  const made = new Map(); // a layer's index → its row (its calls so far)
  for (const [i, k] of order) {
    const layer = stack.layers[i];
    let row, done;
    try {
      const ins = callInputs(layer, calls[i][k], outputs);
      const shapes = ins.map((o) => o.shape);
      done = computeLayer(layer, shapes, ins.map((o) => o.field));
      row = layerRow(layer, shapes, done);
    } catch (error) {
      if (!(error instanceof LenetError)) throw error;
      const rowsSoFar = [...made.keys()].sort((a, b) => a - b).map((j) => made.get(j));
      throw new LenetError(withSizeTrail(error, input, rowsSoFar), { layer: i + 1 });
    }
    if (!made.has(i)) made.set(i, row);
    else {
      const first = made.get(i);
      first.macs += row.macs;
      first.activation_bytes += row.activation_bytes;
      const field = mergeFields([first, row].map((r) => ({ size: r.receptive_field, jump: r.jump })));
      Object.assign(first, { receptive_field: field.size, jump: field.jump });
    }
    outputs.set(callName(layer.name, k), { shape: done.out, field: done.field });
  }
  const rows = stack.layers.map((_, i) => made.get(i));
  if (stack.inbound) rows.forEach((row, i) => { row.inbound = calls[i].flat(); });
  const sum = (key) => rows.reduce((total, row) => total + row[key], 0n);
  const trainable = sum("trainable_params"), nonTrainable = sum("non_trainable_params");
  checkResultSizes(rows, [(trainable + nonTrainable) * BYTES_PER_VALUE,
    prod(input) * BYTES_PER_VALUE + sum("activation_bytes"), sum("macs")]);
  const summary = {
    model: stack.name, input_shape: out(input),
    output_shape: out(rows.length ? rows[rows.length - 1].output_shape : input), layers: rows.map(rowToDict),
  };
  if (stack.inbound) summary.graph = true;
  return Object.assign(summary, {
    total_params: out(trainable + nonTrainable), trainable_params: out(trainable),
    non_trainable_params: out(nonTrainable), total_macs: out(sum("macs")),
    param_bytes: out((trainable + nonTrainable) * BYTES_PER_VALUE),
    activation_bytes: out(prod(input) * BYTES_PER_VALUE + sum("activation_bytes")),
  });
}

/** A shape like Keras prints it: (None, 28, 28, 6) with ``batch``, else (28, 28, 6) (format_shape). */
export function formatShape(shape, batch) {
  if (shape === null) return word("all");
  return tupleStr((batch ? ["None"] : []).concat(shape.map(String)));
}

/** A receptive field or jump: 5 when square, 5×3 otherwise, all when global (format_field). */
export function formatField(value) {
  if (value === null) return word("all");
  return value.every((v) => String(v) === String(value[0])) ? String(value[0]) : value.join("\u00d7");
}

/** A byte count the way Keras' summary does: 241.04 KB, exact at any size (format_bytes). */
export function formatBytes(count) {
  const units = ["B", "KB", "MB", "GB"];
  const value = BigInt(count);
  let power = 0;
  while (power < units.length - 1 && value >= 1024n ** BigInt(power + 1)) power++;
  return decimalText(value, 1024n ** BigInt(power), 2) + " " + units[power];
}

/** The totals under the table, worded like Keras' summary plus MACs and memory (total_lines), in the page's language. */
export function totalLines(summary) {
  const bytes = (n) => formatBytes(BigInt(n) * BYTES_PER_VALUE);
  return [
    word("total_params", { count: formatInt(summary.total_params), size: formatBytes(summary.param_bytes) }),
    word("trainable_params", { count: formatInt(summary.trainable_params), size: bytes(summary.trainable_params) }),
    word("non_trainable_params", { count: formatInt(summary.non_trainable_params),
      size: bytes(summary.non_trainable_params) }),
    word("total_macs", { count: formatInt(summary.total_macs) }),
    word("activation_memory", { size: formatBytes(summary.activation_bytes) }),
  ];
}
