/*
 * summary.js: a stack summarized into one row per layer (lenet_explain.calculator.arithmetic.summarize),
 * and the totals under the table.
 */
import DATA from "./calculator-data.js";
import {
  BYTES_PER_VALUE, LenetError, LongNumber, PyFloat, big, has, out, prod, pyRepr, pyTruthy, tupleStr,
} from "./numbers.js";
import { axisToDict, decimalText, outputSize } from "./axis.js";
import { LAYER_FIELDS } from "./layers.js";
import { stackFromFile } from "./stackfile.js";
import { computeKerasRow } from "./keras-archive.js";

// ---------------------------------------------------------------- the whole stack (summarize)

/** ``shape`` as (height, width, channels) or an explanation that ``layer`` needs an image. */
export function imageShape(layer, shape) {
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
export function growField(field, sizes) {
  if (field.size === null || field.jump === null) return field;
  if (field.size.length !== sizes.length) return { size: null, jump: null };
  return {
    size: sizes.map(function (a, i) { return field.size[i] + (a.effective_kernel - 1n) * field.jump[i]; }),
    jump: sizes.map(function (a, i) { return field.jump[i] * a.stride; }),
  };
}

/** The parameter count as the lecture writes it, e.g. 1×(5×5)×6 + 6 = 156 (format_param_formula). */
export function formatParamFormula(row) {
  var t = row.param_terms;
  var text;
  if (t.kind === "conv" && t.kernel !== null) {
    text = t.inputs + "\u00d7(" + t.kernel[0] + "\u00d7" + t.kernel[1] + ")\u00d7" + t.outputs;
  } else if (t.kind === "dense") {
    text = t.inputs + "\u00d7" + t.outputs;
  } else if (t.kind === "formula") {
    return t.text ? t.text + " = " + row.params : String(row.params);
  } else if (t.kind === "batchnorm") {
    return t.per_channel + "\u00d7" + t.inputs + " = " + row.params + " (" + t.trainable_per_channel + "\u00d7" +
      t.inputs + " trainable, 2\u00d7" + t.inputs + " non-trainable)";
  } else {
    return "0";
  }
  if (pyTruthy(t.bias)) text += " + " + t.bias;
  return text + " = " + row.params;
}

/** One layer's row given its input ``shape`` and the receptive field so far (compute_row); BigInt inside. */
function computeRow(layer, shape, field) {
  var terms = { kind: "none", inputs: 0n, kernel: null, outputs: 0n, bias: 0n, per_channel: 0n,
    trainable_per_channel: 0n };
  var trainable = 0n, nonTrainable = 0n, macs = 0n, sizes = null, shapeOut, bias;
  var type = layer.type;
  if (type === "Conv2D" || type === "MaxPooling2D" || type === "AveragePooling2D") {
    var img = imageShape(layer, shape);
    sizes = windowedSizes(layer, img[0], img[1]);
    field = growField(field, sizes);
    if (type === "Conv2D") {
      var kh = big(layer.kernel_size[0]), kw = big(layer.kernel_size[1]), filters = big(layer.filters);
      var groups = big(layer.groups);
      bias = layer.use_bias ? filters : 0n;
      if (img[2] % groups !== 0n || filters % groups !== 0n) {
        throw new LenetError(layer.name + ": groups=" + groups + " must divide the " + img[2] +
          " input channels and the " + filters + " filters");
      }
      var reads = img[2] / groups; // each filter reads one group of the input maps
      trainable = kh * kw * reads * filters + bias;
      terms = Object.assign(terms, { kind: "conv", inputs: reads, kernel: [kh, kw], outputs: filters,
        bias: bias });
      shapeOut = [sizes[0].output, sizes[1].output, filters];
      macs = shapeOut[0] * shapeOut[1] * filters * kh * kw * reads;
    } else {
      shapeOut = [sizes[0].output, sizes[1].output, img[2]];
    }
  } else if (type === "ZeroPadding2D") {
    var im = imageShape(layer, shape);
    var p = layer.padding.map(function (side) { return side.map(big); });
    shapeOut = [im[0] + p[0][0] + p[0][1], im[1] + p[1][0] + p[1][1], im[2]];
  } else if (type === "GlobalAveragePooling2D" || type === "GlobalMaxPooling2D") {
    var pooled = imageShape(layer, shape)[2];
    shapeOut = layer.keepdims ? [1n, 1n, pooled] : [pooled];
    field = { size: null, jump: null };
  } else if (type === "Flatten") {
    shapeOut = [prod(shape)];
    field = { size: null, jump: null };
  } else if (type === "Dense") {
    var nIn = shape[shape.length - 1], units = big(layer.units);
    bias = layer.use_bias ? units : 0n;
    trainable = nIn * units + bias;
    terms = Object.assign(terms, { kind: "dense", inputs: nIn, outputs: units, bias: bias });
    shapeOut = shape.slice(0, -1).concat([units]);
    macs = prod(shape.slice(0, -1)) * nIn * units;
    if (shape.length === 1) field = { size: null, jump: null };
  } else if (type === "BatchNormalization") {
    var channels = shape[shape.length - 1];
    var learned = BigInt((layer.center ? 1 : 0) + (layer.scale ? 1 : 0));
    trainable = learned * channels;
    nonTrainable = 2n * channels;
    terms = Object.assign(terms, { kind: "batchnorm", inputs: channels, per_channel: learned + 2n,
      trainable_per_channel: learned });
    shapeOut = shape.slice();
  } else if (type === "Dropout" || type === "Activation") {
    shapeOut = shape.slice();
  } else {
    throw new LenetError(layer.name + ": unsupported layer type " + type);
  }
  var row = {
    name: layer.name,
    type: type,
    input_shape: shape.slice(),
    output_shape: shapeOut,
    params: trainable + nonTrainable,
    trainable_params: trainable,
    non_trainable_params: nonTrainable,
    param_terms: terms,
    macs: macs,
    receptive_field: field.size ? field.size.slice() : null,
    jump: field.jump ? field.jump.slice() : null,
    activation_bytes: prod(shapeOut) * BigInt(BYTES_PER_VALUE),
    sizes: sizes,
    activation: layer.activation === undefined ? null : layer.activation,
  };
  return { row: row, field: field };
}

/** One layer's numbers as formatting.row_to_dict returns them. */
function rowToDict(row) {
  var result = {
    name: row.name,
    type: row.type,
    input_shape: out(row.input_shape),
    output_shape: out(row.output_shape),
    params: out(row.params),
    trainable_params: out(row.trainable_params),
    non_trainable_params: out(row.non_trainable_params),
    param_formula: formatParamFormula(row),
    macs: out(row.macs),
    receptive_field: row.receptive_field && out(row.receptive_field),
    jump: row.jump && out(row.jump),
    activation_bytes: out(row.activation_bytes),
    activation: row.activation,
    size: row.sizes ? row.sizes.map(axisToDict) : null,
  };
  if (row.inbound) result.connected_to = row.inbound.slice();
  return result;
}

var TRAIL_STEPS = DATA.trail_steps; // size changes a "too small" message lists before it elides the earlier ones

/**
 * Add to a "kernel larger than the input" message the sizes that led there, layer by layer
 * (with_size_trail): C5: kernel 5 is larger than the input 4 (sizes: input 28×28 → C1 24×24 → …).
 */
function withSizeTrail(message, inputShape, rows) {
  if (message.indexOf(" is larger than ") < 0 || inputShape.length !== 3) return message;
  var steps = ["input " + inputShape[0] + "\u00d7" + inputShape[1]];
  var previous = inputShape.slice(0, 2);
  rows.forEach(function (row) {
    var shape = row.output_shape;
    if (shape.length === 3 && (shape[0] !== previous[0] || shape[1] !== previous[1])) {
      steps.push(row.name + " " + shape[0] + "\u00d7" + shape[1]);
      previous = shape.slice(0, 2);
    }
  });
  if (steps.length === 1) return message;
  if (steps.length > TRAIL_STEPS + 1) steps = [steps[0], "\u2026"].concat(steps.slice(-TRAIL_STEPS));
  return message + " (sizes: " + steps.join(" \u2192 ") + ")";
}

/**
 * Every layer's row and the totals of a stack, as ``lenet-explain summary --json`` prints them
 * (summarize + summary_to_dict). ``stack`` is a checked stack, or stack file data.
 */
export function summarize(stack) {
  if (!stack.checked) stack = stackFromFile(stack);
  var input = stack.input.map(big);
  var shape = input.slice();
  var spatial = shape.slice(1).map(function () { return 1n; }); // one pixel (step, voxel) per spatial axis
  var field = spatial.length ? { size: spatial, jump: spatial.slice() } : { size: null, jump: null };
  var rows = [];
  var outputs = {};
  var inputName = stack.inputName || "input";
  outputs[inputName] = { shape: shape, field: field };
  stack.layers.forEach(function (layer, i) {
    var calls = stack.inbound ? stack.inbound[i] : [[i ? stack.layers[i - 1].name : inputName]];
    var first = null;
    calls.forEach(function (call, k) {
      var result;
      try {
        var ins = call.map(function (ref) {
          if (!has(outputs, ref)) {
            throw new LenetError("layer " + pyRepr(layer.name) + " reads " + pyRepr(ref) +
              ", which is not the input or a layer before it");
          }
          return outputs[ref];
        });
        var shapes = ins.map(function (o) { return o.shape; });
        var fields = ins.map(function (o) { return o.field; });
        if (has(LAYER_FIELDS, layer.type)) {
          if (ins.length !== 1) {
            throw new LenetError(layer.name + ": " + layer.type + " reads one input, got " + ins.length);
          }
          result = computeRow(layer, shapes[0], fields[0]);
        } else {
          result = computeKerasRow(layer, shapes, fields);
        }
      } catch (error) {
        if (!(error instanceof LenetError)) throw error;
        throw new LenetError(withSizeTrail(error.message, input, rows));
      }
      if (first === null) {
        first = result.row;
      } else {
        first.macs += result.row.macs;
        first.activation_bytes += result.row.activation_bytes;
      }
      outputs[k === 0 ? layer.name : layer.name + "#" + k] = { shape: result.row.output_shape,
        field: result.field };
    });
    if (stack.inbound) first.inbound = [].concat.apply([], calls);
    rows.push(first);
  });
  var sum = function (key) { return rows.reduce(function (a, r) { return a + r[key]; }, 0n); };
  var trainable = sum("trainable_params");
  var nonTrainable = sum("non_trainable_params");
  var summary = {
    model: stack.name,
    input_shape: out(input),
    output_shape: out(rows.length ? rows[rows.length - 1].output_shape : input),
    layers: rows.map(rowToDict),
  };
  if (stack.inbound) summary.graph = true;
  return Object.assign(summary, {
    total_params: out(trainable + nonTrainable),
    trainable_params: out(trainable),
    non_trainable_params: out(nonTrainable),
    total_macs: out(sum("macs")),
    param_bytes: out((trainable + nonTrainable) * BigInt(BYTES_PER_VALUE)),
    activation_bytes: out(prod(input) * BigInt(BYTES_PER_VALUE) + sum("activation_bytes")),
  });
}

/** An integer with thousands separators, as Python's f"{n:,}" (number or BigInt). */
export function formatInt(value) {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A shape like Keras prints it: (None, 28, 28, 6) with ``batch``, else (28, 28, 6) (format_shape). */
export function formatShape(shape, batch) {
  if (shape === null) return "all";
  return tupleStr((batch ? ["None"] : []).concat(shape.map(function (v) {
    return v instanceof PyFloat || v instanceof LongNumber ? pyRepr(v) : String(v);
  })));
}

/** A receptive field or jump: 5 when square, 5×3 otherwise, all when global (format_field). */
export function formatField(value) {
  if (value === null) return "all";
  var same = value.every(function (v) { return String(v) === String(value[0]); });
  return same ? String(value[0]) : value.join("\u00d7");
}

/** A byte count the way Keras' summary does: 241.04 KB, exact at any size (format_bytes). */
export function formatBytes(count) {
  var units = ["B", "KB", "MB", "GB"];
  var value = big(count);
  var power = 0;
  while (power < units.length - 1 && value >= 1024n ** BigInt(power + 1)) power++;
  return decimalText(value, 1024n ** BigInt(power), 2) + " " + units[power];
}

/** The totals under the table, worded like Keras' summary plus MACs and memory (total_lines). */
export function totalLines(summary) {
  var bytes = BigInt(BYTES_PER_VALUE);
  return [
    "Total params: " + formatInt(summary.total_params) + " (" + formatBytes(summary.param_bytes) + ")",
    "Trainable params: " + formatInt(summary.trainable_params) + " (" +
      formatBytes(big(summary.trainable_params) * bytes) + ")",
    "Non-trainable params: " + formatInt(summary.non_trainable_params) + " (" +
      formatBytes(big(summary.non_trainable_params) * bytes) + ")",
    "Multiply-accumulates (MACs): " + formatInt(summary.total_macs) + " per image",
    "Activation memory: " + formatBytes(summary.activation_bytes) + " per image (float32, input included)",
  ];
}
