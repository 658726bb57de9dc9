/*
 * axis.js: one axis' output size (lenet_explain.calculator.windows) and its formula text (formatting.py).
 */
import { LenetError, MINUS, OPS, ceilDiv, fieldWord, isInt, maxBig, message, out, valueText } from "./numbers.js";
import { checkDigits } from "./reading.js";

// ---------------------------------------------------------------- one axis: output_size

/** ``value`` as a BigInt if it is a positive integer, else throw a one-line error naming it. */
function checkPositive(value, what) {
  checkDigits(value, what);
  if (!isInt(value) || value < 1n) {
    throw new LenetError(message("positive_integer", { what: fieldWord(what), value: valueText(value) }));
  }
  return value;
}

/** ``padding`` if it is 'valid', 'same' or an integer >= 0 (an int as a BigInt). */
function checkPadding(padding) {
  checkDigits(padding, "padding");
  if (padding === "valid" || padding === "same") return padding;
  if (isInt(padding) && padding >= 0n) return padding;
  throw new LenetError(message("bad_padding", { what: fieldWord("padding"), value: valueText(padding) }));
}

/** A refusal saying in words that the kernel does not fit in the (padded) input (marked ``tooLarge``). */
function tooLargeError(input, kernel, dilation, pad) {
  var effective = dilation * (kernel - 1n) + 1n;
  var what = dilation === 1n ? message("kernel_n", { kernel: kernel })
    : message("dilated_kernel_n", { effective: effective, kernel: kernel, dilation: dilation });
  var where = pad === 0n ? message("the_input_n", { input: input })
    : message("the_padded_input_n", { padded: input + 2n * pad, input: input, pad: pad });
  const error = new LenetError(message("larger_than", { what: what, where: where }));
  error.tooLarge = true; // a stack's summary adds the sizes that led there
  return error;
}

/**
 * How one axis of size ``input`` goes through a kernel: the fields of Python's AxisSize, whole
 * numbers as BigInt. ``stride`` null or undefined means the default (1, or the pool size for pooling).
 */
export function outputSize(input, kernel, stride, padding, dilation, op, ceilMode) {
  if (padding === undefined) padding = "valid";
  if (dilation === undefined) dilation = 1n;
  if (op === undefined) op = "conv";
  if (ceilMode === undefined) ceilMode = false;
  if (!OPS.includes(op)) {
    throw new LenetError(message("unknown_op", { op: valueText(op) }));
  }
  input = checkPositive(input, "input");
  kernel = checkPositive(kernel, "kernel");
  if (stride === null || stride === undefined) stride = op === "conv" ? 1n : kernel;
  stride = checkPositive(stride, "stride");
  dilation = checkPositive(dilation, "dilation");
  padding = checkPadding(padding);
  if (op === "avgpool" && dilation !== 1n) {
    throw new LenetError(message("avgpool_dilation", { dilation: dilation }));
  }
  ceilMode = Boolean(ceilMode);
  if (ceilMode && op === "conv") {
    throw new LenetError(message("ceil_conv"));
  }
  if (ceilMode && padding === "same") {
    throw new LenetError(message("ceil_same"));
  }
  if (op !== "conv" && typeof padding === "bigint" && padding > kernel / 2n) {
    throw new LenetError(message("pad_half_pool", { padding: padding, kernel: kernel }));
  }
  var effective = dilation * (kernel - 1n) + 1n;
  var axis = {
    input: input, kernel: kernel, stride: stride, dilation: dilation, effective_kernel: effective,
    op: op, dropped_last: false,
  };
  if (padding === "same") {
    var output = ceilDiv(input, stride);
    var total = maxBig((output - 1n) * stride + effective - input, 0n);
    axis.mode = "same";
    axis.pad_before = total / 2n;
    axis.pad_after = total - total / 2n;
    axis.ceil_mode = false;
    axis.numerator = input - effective + total;
    axis.output = output;
    return axis;
  }
  var pad = padding === "valid" ? 0n : padding;
  if (effective > input + 2n * pad) throw tooLargeError(input, kernel, dilation, pad);
  var numerator = input - effective + 2n * pad;
  var result;
  if (ceilMode) {
    result = ceilDiv(numerator, stride) + 1n;
    if ((result - 1n) * stride >= input + pad) {
      result -= 1n;
      axis.dropped_last = true;
    }
  } else {
    result = numerator / stride + 1n;
  }
  axis.mode = padding === "valid" ? "valid" : "explicit";
  axis.pad_before = pad;
  axis.pad_after = pad;
  axis.ceil_mode = ceilMode;
  axis.numerator = numerator;
  axis.output = result;
  return axis;
}

/** Total padding of an axis (both sides). */
function axisPad(axis) {
  return axis.pad_before + axis.pad_after;
}

/** True when the stride divides the numerator, so no floor or ceil is needed. */
function axisExact(axis) {
  return axis.numerator % axis.stride === 0n;
}

// ---------------------------------------------------------------- formatting (formatting.py)

/** numerator/denominator (BigInts >= 0) with exactly ``places`` decimals, ties to even (decimal_text). */
export function decimalText(numerator, denominator, places) {
  var scaled = numerator * 10n ** BigInt(places);
  var whole = scaled / denominator, rest = scaled % denominator;
  if (2n * rest > denominator || (2n * rest === denominator && whole % 2n === 1n)) whole += 1n;
  if (places === 0) return String(whole);
  var digits = String(whole).padStart(places + 1, "0");
  return digits.slice(0, -places) + "." + digits.slice(-places);
}

/** numerator/denominator for a formula: an integer as is, else up to 3 decimals, exactly (format_quotient). */
export function formatQuotient(numerator, denominator) {
  if (numerator % denominator === 0n) return String(numerator / denominator);
  for (var places = 3; ; places++) {
    var text = decimalText(numerator, denominator, places);
    if (/[1-9]/.test(text.split(".")[1])) return text.replace(/0+$/, "");
  }
}

/** The lecture's (in − k + pad)/stride + 1 with the numbers in, floor or ceil made visible. */
export function formatSizeFormula(axis) {
  var inner = "(" + axis.input + " " + MINUS + " " + axis.effective_kernel + " + " + axisPad(axis) + ")/" +
    axis.stride;
  var text;
  if (axisExact(axis)) {
    text = inner + " + 1 = " + (axis.numerator / axis.stride + 1n);
  } else {
    var ceil = axis.ceil_mode;
    var left = ceil ? "\u2308" : "\u230a";
    var right = ceil ? "\u2309" : "\u230b";
    var quotient = formatQuotient(axis.numerator, axis.stride);
    var rounded = ceil ? ceilDiv(axis.numerator, axis.stride) : axis.numerator / axis.stride;
    text = left + inner + right + " + 1 = " + left + quotient + right + " + 1 = " + (rounded + 1n);
  }
  if (axis.dropped_last) {
    text += " " + MINUS + " 1 = " + axis.output + message("note_dropped");
  }
  return text;
}

/** A short note on what the formula's numbers stand for (padding rule, dilation). */
export function describeAxis(axis) {
  var notes = [];
  if (axis.dilation > 1n) {
    notes.push(message("note_dilated", { effective: axis.effective_kernel, dilation: axis.dilation,
      kernel: axis.kernel }));
  }
  if (axis.mode === "same") {
    notes.push(message("note_same", { input: axis.input, stride: axis.stride, output: axis.output,
      pad: axisPad(axis), before: axis.pad_before, after: axis.pad_after }));
  } else if (axis.mode === "explicit") {
    notes.push(message("note_explicit", { pad: axis.pad_before }));
  }
  if (axis.ceil_mode) notes.push(message("note_ceil"));
  return notes.join(message("note_separator"));
}

/** One axis' numbers and formula as formatting.axis_to_dict returns them. */
export function axisToDict(axis) {
  return {
    output: out(axis.output),
    input: out(axis.input),
    kernel: out(axis.kernel),
    stride: out(axis.stride),
    dilation: out(axis.dilation),
    effective_kernel: out(axis.effective_kernel),
    padding: axis.mode !== "explicit" ? axis.mode : out(axis.pad_before),
    pad_before: out(axis.pad_before),
    pad_after: out(axis.pad_after),
    pad: out(axisPad(axis)),
    op: axis.op,
    ceil_mode: axis.ceil_mode,
    numerator: out(axis.numerator),
    exact: axisExact(axis),
    dropped_last: axis.dropped_last,
    formula: formatSizeFormula(axis),
    note: describeAxis(axis),
  };
}

/**
 * The testing contract: ``size({input, kernel, stride, padding, dilation, op, ceilMode})`` returns what
 * ``lenet-explain size ... --json`` prints, or throws a LenetError where the CLI refuses. Whole numbers are
 * BigInt (results beyond 2^53 come back as BigInt too); a Number is a float, refused where a size belongs.
 */
export function size(setting) {
  var s = setting || {};
  return axisToDict(outputSize(s.input, s.kernel, s.stride, s.padding, s.dilation, s.op, s.ceilMode));
}
