/*
 * arithmetic.js: what each layer type computes from its inputs (the layer families' ``compute`` in
 * lenet_explain/calculator/), all in one shape, Python's ``Computed``: the output shape, the receptive field,
 * the trainable and fixed weights, the multiply-accumulates, how the weights are counted, and the window sizes.
 * LAYERS maps a Keras class name to its family's arithmetic (as registry.py maps it to its description).
 */
import DATA from "./calculator-data.js";
import { LenetError, formatInt, layerAt, message, prefixed, prod, tupleStr, valueText } from "./numbers.js";
import { outputSize } from "./axis.js";

const EVERYTHING = Object.freeze({ size: null, jump: null }); // a unit that sees the whole input

/** One call's result; ``terms`` says how the weights are counted (formatParamFormula writes it). */
function computed(out, field, extra) {
  return Object.assign({ out: out, field: field, trainable: 0n, fixed: 0n, macs: 0n, sizes: null,
    terms: { kind: "none" } }, extra);
}

/** ``shape`` as (height, width, channels), or a refusal that ``layer`` needs an image. */
function imageShape(layer, shape) {
  if (shape.length !== 3) {
    throw new LenetError(layerAt(layer.name) + message("needs_image", { type: layer.type, shape: tupleStr(shape) }));
  }
  return shape;
}

/** Receptive field after a window: r += (ke − 1)·jump, jump *= stride. */
function growField(field, sizes) {
  if (field.size === null || field.jump === null) return field;
  if (field.size.length !== sizes.length) return EVERYTHING;
  return {
    size: sizes.map((a, i) => field.size[i] + (a.effective_kernel - 1n) * field.jump[i]),
    jump: sizes.map((a, i) => field.jump[i] * a.stride),
  };
}

/** Both axes' sizes of a window (kernel, strides, padding, dilation), errors prefixed with the layer's name. */
function windowSizes(layer, image, op, kernel, strides, ceil) {
  try {
    return [0, 1].map((i) =>
      outputSize(image[i], kernel[i], strides[i], layer.padding, layer.dilation_rate[i], op, ceil));
  } catch (error) {
    throw prefixed(error, layerAt(layer.name));
  }
}

/** Conv2D: filters over (groups of) the input maps. */
function computeConv(layer, [shape], [field]) {
  const image = imageShape(layer, shape);
  const sizes = windowSizes(layer, image, "conv", layer.kernel_size, layer.strides, false);
  const [kh, kw] = layer.kernel_size;
  const { filters, groups } = layer;
  if (image[2] % groups !== 0n || filters % groups !== 0n) {
    throw new LenetError(layerAt(layer.name) + message("groups_divide", { groups: groups, channels: image[2],
      filters: filters }));
  }
  const reads = image[2] / groups; // each filter reads one group of the input maps
  const bias = layer.use_bias ? filters : 0n;
  const out = [sizes[0].output, sizes[1].output, filters];
  return computed(out, growField(field, sizes), {
    trainable: kh * kw * reads * filters + bias, macs: out[0] * out[1] * filters * kh * kw * reads, sizes: sizes,
    terms: { kind: "conv", inputs: reads, kernel: [kh, kw], outputs: filters, bias: bias },
  });
}

/** MaxPooling2D and AveragePooling2D: a window per map, no weights. */
function computePooling(layer, [shape], [field]) {
  const image = imageShape(layer, shape);
  const op = layer.type === "MaxPooling2D" ? "maxpool" : "avgpool";
  const sizes = windowSizes(layer, image, op, layer.pool_size, layer.strides || layer.pool_size, layer.ceil_mode);
  return computed([sizes[0].output, sizes[1].output, image[2]], growField(field, sizes), { sizes: sizes });
}

/** DepthwiseConv2D and SeparableConv2D: a window per map (times the depth multiplier), then 1×1 for the latter. */
function computeDepthwise(layer, [shape], [field]) {
  const image = imageShape(layer, shape);
  const sizes = windowSizes(layer, image, "conv", layer.kernel_size, layer.strides, false);
  const [kh, kw] = layer.kernel_size;
  const maps = image[2] * layer.depth_multiplier, window = kh * kw, positions = sizes[0].output * sizes[1].output;
  const kernel = image[2] + "\u00d7(" + kh + "\u00d7" + kw + ")\u00d7" + layer.depth_multiplier;
  const grown = growField(field, sizes);
  if (layer.type === "DepthwiseConv2D") {
    const bias = layer.use_bias ? maps : 0n;
    return computed([sizes[0].output, sizes[1].output, maps], grown, {
      trainable: window * maps + bias, macs: positions * maps * window, sizes: sizes,
      terms: { kind: "formula", text: kernel + (bias ? " + " + bias : "") },
    });
  }
  const filters = layer.filters, bias = layer.use_bias ? filters : 0n;
  return computed([sizes[0].output, sizes[1].output, filters], grown, {
    trainable: window * maps + maps * filters + bias, macs: positions * (maps * window + maps * filters),
    sizes: sizes,
    terms: { kind: "formula", text: kernel + " + " + maps + "\u00d7" + filters + (bias ? " + " + bias : "") },
  });
}

/** ZeroPadding2D: zeros around each map. */
function computeZeroPadding(layer, [shape], [field]) {
  const [h, w, c] = imageShape(layer, shape);
  const [[top, bottom], [left, right]] = layer.padding;
  return computed([h + top + bottom, w + left + right, c], field);
}

/** GlobalAveragePooling2D and GlobalMaxPooling2D: one number per map. */
function computeGlobalPooling(layer, [shape]) {
  const channels = imageShape(layer, shape)[2];
  return computed(layer.keepdims ? [1n, 1n, channels] : [channels], EVERYTHING);
}

/** Flatten: every value in one vector. */
function computeFlatten(layer, [shape]) {
  return computed([prod(shape)], EVERYTHING);
}

/** Dense: every unit reads the last axis. */
function computeDense(layer, [shape], [field]) {
  const inputs = shape[shape.length - 1], units = layer.units;
  const bias = layer.use_bias ? units : 0n;
  return computed(shape.slice(0, -1).concat([units]), shape.length === 1 ? EVERYTHING : field, {
    trainable: inputs * units + bias, macs: prod(shape.slice(0, -1)) * inputs * units,
    terms: { kind: "dense", inputs: inputs, outputs: units, bias: bias },
  });
}

/** The index into ``shape`` (no batch axis) of a Keras axis, which counts the batch as 0 (windows.axis_index). */
function axisIndex(layer, axis, shape) {
  const index = axis > 0n ? Number(axis) - 1 : shape.length + Number(axis);
  if (!(index >= 0 && index < shape.length)) {
    throw new LenetError(message("axis_outside", { name: layer.name, axis: String(axis), shape: tupleStr(shape) }));
  }
  return index;
}

/** BatchNormalization: a scale and a shift learned per channel of ``axis``, a mean and a variance kept. */
function computeBatchNorm(layer, [shape], [field]) {
  const channels = shape[axisIndex(layer, layer.axis === undefined ? -1n : layer.axis, shape)];
  const learned = BigInt(Number(layer.center) + Number(layer.scale));
  return computed(shape.slice(), field, { trainable: learned * channels, fixed: 2n * channels,
    terms: { kind: "batchnorm", inputs: channels, per_channel: learned + 2n, trainable_per_channel: learned } });
}

/** A layer that keeps its input's shape and field and has no weights (activations, dropout, noise, …). */
function computeSameShape(layer, [shape], [field]) {
  return computed(shape.slice(), field);
}

/** The element-wise result shape of several inputs (a size 1 stretches). */
function broadcastShapes(layer, shapes) {
  const rank = Math.max(...shapes.map((s) => s.length));
  const result = [];
  for (let i = 0; i < rank; i++) {
    const sizes = new Set();
    for (const s of shapes) {
      const j = i - rank + s.length;
      if (j >= 0 && s[j] !== 1n) sizes.add(s[j]);
    }
    if (sizes.size > 1) {
      throw new LenetError(layerAt(layer.name) + message("cannot_combine", { type: layer.type,
        shapes: shapes.map(tupleStr).join(message("list_separator")) }));
    }
    result.push(sizes.size ? [...sizes][0] : 1n);
  }
  return result;
}

/** The largest receptive field of several inputs; everything when any sees everything. */
export function mergeFields(fields) {
  if (fields.some((f) => f.size === null || f.jump === null) || new Set(fields.map((f) => f.size.length)).size !== 1) {
    return EVERYTHING;
  }
  let best = fields[0];
  for (const f of fields) if (prod(f.size) > prod(best.size)) best = f;
  return { size: best.size.map((_, i) => fields.reduce((m, f) => (f.size[i] > m ? f.size[i] : m), 0n)),
    jump: best.jump };
}

/** Add, Concatenate, …: several inputs into one. */
function computeMerge(layer, shapes, fields) {
  if (shapes.length < 2) {
    throw new LenetError(layerAt(layer.name) + message("needs_inputs", { type: layer.type, count: shapes.length }));
  }
  if (layer.type !== "Concatenate") return computed(broadcastShapes(layer, shapes), mergeFields(fields));
  const shape = shapes[0];
  const index = axisIndex(layer, layer.axis === undefined ? -1n : layer.axis, shape);
  const out = shape.slice();
  out[index] = shapes.reduce((total, s) => total + s[index], 0n);
  return computed(out, mergeFields(fields));
}

/** Reshape: the same values in another shape (one size may be -1: what is left). */
function computeReshape(layer, [shape], [field]) {
  const total = prod(shape);
  const known = prod(layer.target_shape.filter((v) => v !== -1n));
  const target = layer.target_shape.map((v) => (v === -1n ? total / known : v));
  if (prod(target) !== total) {
    throw new LenetError(layerAt(layer.name) + message("cannot_reshape", { count: formatInt(total),
      shape: tupleStr(shape),
      target: valueText(layer.target_shape) }));
  }
  const same = target.length === shape.length && target.every((v, i) => v === shape[i]);
  return computed(target, same ? field : EVERYTHING);
}

/** Each family's arithmetic, and whether it reads one input or several. */
const FAMILIES = {
  same_shape: { compute: computeSameShape, inputs: "one" },
  merges: { compute: computeMerge, inputs: "many" },
  windowed: { compute: computeDepthwise, inputs: "one" },
  reshapes: { compute: computeReshape, inputs: "one" },
};

/** Every layer type the page computes: its arithmetic and how many inputs it reads. */
export const LAYERS = new Map([
  ["Conv2D", { compute: computeConv, inputs: "one" }],
  ["MaxPooling2D", { compute: computePooling, inputs: "one" }],
  ["AveragePooling2D", { compute: computePooling, inputs: "one" }],
  ["ZeroPadding2D", { compute: computeZeroPadding, inputs: "one" }],
  ["Flatten", { compute: computeFlatten, inputs: "one" }],
  ["Dense", { compute: computeDense, inputs: "one" }],
  ["Dropout", { compute: computeSameShape, inputs: "one" }],
  ["Activation", { compute: computeSameShape, inputs: "one" }],
  ["BatchNormalization", { compute: computeBatchNorm, inputs: "one" }],
  ["GlobalAveragePooling2D", { compute: computeGlobalPooling, inputs: "one" }],
  ["GlobalMaxPooling2D", { compute: computeGlobalPooling, inputs: "one" }],
  ...Object.entries(DATA.keras_families).flatMap(([family, types]) => types.map((type) => [type, FAMILIES[family]])),
]);

/** What one call of ``layer`` computes from its inputs' shapes and receptive fields. */
export function computeLayer(layer, shapes, fields) {
  const entry = LAYERS.get(layer.type);
  if (!entry) throw new LenetError(layerAt(layer.name) + message("unsupported_type", { type: layer.type }));
  if (entry.inputs === "one" && shapes.length !== 1) {
    throw new LenetError(layerAt(layer.name) + message("reads_one", { type: layer.type, count: shapes.length }));
  }
  return entry.compute(layer, shapes, fields);
}
