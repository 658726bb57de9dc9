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
  // The limits of lenet_explain/limits.py, with the same messages (tests check the numbers are the same).
  var MAX_DIGITS = 100; // digits of any whole number the calculator reads
  var MAX_DEPTH = 64; // nesting of lists and objects in a stack file
  var MAX_LAYERS = 1000; // layers in one stack
  var MAX_STACK_FILE_BYTES = 1024 * 1024; // a stack file
  var KEY_ORDER = typeof Symbol === "function" ? Symbol("key order") : "__keyOrder__";

  // Messages come from the word tables (docs/i18n/: the English table is the command line's text, word for word;
  // the Chinese one says the same with the same numbers); in Node (no page) the English table is loaded here.
  var i18n = root.lxI18n;
  if (!i18n && typeof require === "function") {
    i18n = require("../i18n/i18n.js");
    require("../i18n/en.js");
  }

  /** The page language's message ``key`` with its placeholders filled. */
  function message(key, params) {
    return i18n.section("errors")(key, params);
  }

  /** A field's name in messages: the table's word for a known field (input, kernel, …), else as written. */
  function fieldWord(what) {
    var key = "what_" + String(what).replace(/ /g, "_");
    var table = (root.lxStrings && root.lxStrings.en && root.lxStrings.en.errors) || {};
    return Object.prototype.hasOwnProperty.call(table, key) ? message(key) : what;
  }

  /** The one error type readers see: a one-line message, as lenet_explain.errors.LenetError. */
  class LenetError extends Error {
    constructor(message) {
      super(message);
      this.name = "LenetError";
    }
  }

  // ---------------------------------------------------------------- Python's values in JavaScript
  //
  // Python's int is exact at any size and so is the calculator: whole numbers are BigInt inside, and
  // come out as plain numbers when they are safe integers (else as BigInt). A value read from a stack
  // file or typed in a field keeps what its text said: 5.0 is a float (PyFloat), not the int 5, as in
  // Python; a plain JavaScript number that is a safe integer counts as an int (JavaScript cannot tell
  // 5.0 from 5), any other number as a float.

  /** A float whose value is a whole number (5.0, 1e308): Python tells it from an int, so we do too. */
  function PyFloat(value) {
    this.value = value;
  }

  /** A whole number typed or read with more digits than the calculator takes (never converted). */
  function LongNumber(text) {
    this.text = text;
    this.digits = text.replace(/^[+-]/, "").length;
  }

  /** True for a Python int (JavaScript booleans are not numbers, as bool is excluded in Python). */
  function isInt(value) {
    return typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value));
  }

  /** True for a Python float. */
  function isFloat(value) {
    return value instanceof PyFloat || (typeof value === "number" && !Number.isSafeInteger(value));
  }

  /** The number of a float (PyFloat or number). */
  function floatValue(value) {
    return value instanceof PyFloat ? value.value : value;
  }

  /** An int as a BigInt. */
  function big(value) {
    return typeof value === "bigint" ? value : BigInt(value);
  }

  var MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

  /** A computed int as the results give it: a plain number when safe, else the BigInt (arrays too). */
  function out(value) {
    if (Array.isArray(value)) return value.map(out);
    if (typeof value === "bigint" && value <= MAX_SAFE && value >= -MAX_SAFE) return Number(value);
    return value;
  }

  /** Python's truthiness of a value. */
  function pyTruthy(value) {
    if (value === null || value === undefined) return false;
    if (typeof value === "bigint") return value !== 0n;
    if (typeof value === "number") return value !== 0; // NaN is truthy in Python
    if (value instanceof PyFloat) return value.value !== 0;
    if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
    if (typeof value === "object") return keysOf(value).length > 0;
    return Boolean(value);
  }

  /**
   * The keys of a parsed object in the order its text gave them (JavaScript would put "5" before "a");
   * keys set or deleted since (by the page's editor) are followed too.
   */
  function keysOf(object) {
    var order = object[KEY_ORDER];
    if (!order) return Object.keys(object);
    var keys = [], seen = new Set();
    order.concat(Object.keys(object)).forEach(function (key) {
      if (!seen.has(key) && has(object, key)) {
        seen.add(key);
        keys.push(key);
      }
    });
    return keys;
  }

  /** True when ``object`` has its own key ``key`` (never one inherited from Object.prototype). */
  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /** Set a key on a parsed object, keeping the text's order (any key, "__proto__" included). */
  function setKey(object, key, value) {
    if (!has(object, key)) object[KEY_ORDER].push(key);
    Object.defineProperty(object, key, { value: value, enumerable: true, writable: true, configurable: true });
  }

  /** An empty object for parsed data. */
  function newObject() {
    var object = {};
    Object.defineProperty(object, KEY_ORDER, { value: [], enumerable: false, writable: true });
    return object;
  }

  /** A deep copy of parsed or typed data (BigInt, PyFloat and key order kept). */
  function copyData(value) {
    if (Array.isArray(value)) return value.map(copyData);
    if (value instanceof PyFloat || value instanceof LongNumber || value === null || typeof value !== "object") {
      return value;
    }
    var copied = newObject();
    keysOf(value).forEach(function (key) { setKey(copied, key, copyData(value[key])); });
    return copied;
  }

  /** Python's sorted() of strings: by code point (JavaScript's sort compares UTF-16 units). */
  function pySorted(keys) {
    return keys.slice().sort(function (a, b) {
      var x = Array.from(a), y = Array.from(b);
      for (var i = 0; i < Math.min(x.length, y.length); i++) {
        var d = x[i].codePointAt(0) - y[i].codePointAt(0);
        if (d) return d;
      }
      return x.length - y.length;
    });
  }

  /** Python's repr() of a float: shortest digits, exponent below 1e-4 and from 1e16, ".0" on whole numbers. */
  function floatRepr(value) {
    if (Number.isNaN(value)) return "nan";
    if (value === Infinity) return "inf";
    if (value === -Infinity) return "-inf";
    if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
    var parts = value.toExponential().split("e"); // shortest round-trip digits
    var exponent = parseInt(parts[1], 10);
    if (exponent >= -4 && exponent < 16) return Number.isInteger(value) ? String(value) + ".0" : String(value);
    var sign = exponent < 0 ? "-" : "+";
    var digits = String(Math.abs(exponent));
    return parts[0] + "e" + sign + (digits.length < 2 ? "0" + digits : digits);
  }

  var NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

  /** Python's repr() of a string (its escapes for what str.isprintable() calls unprintable). */
  function strRepr(text) {
    var quote = text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' : "'";
    var result = "";
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (ch === "\\" || ch === quote) result += "\\" + ch;
      else if (ch === "\n") result += "\\n";
      else if (ch === "\r") result += "\\r";
      else if (ch === "\t") result += "\\t";
      else if (ch !== " " && NOT_PRINTABLE.test(ch)) {
        result += code < 0x100 ? "\\x" + code.toString(16).padStart(2, "0")
          : code < 0x10000 ? "\\u" + code.toString(16).padStart(4, "0") : "\\U" + code.toString(16).padStart(8, "0");
      } else result += ch;
    }
    return quote + result + quote;
  }

  /**
   * Python's repr() of a value as Python would hold it. Arrays print as lists, or as tuples when
   * ``tuples`` is set (the stack file reader turns JSON lists into tuples).
   */
  function pyRepr(value, tuples) {
    if (value === null || value === undefined) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (isInt(value)) return String(value);
    if (isFloat(value)) return floatRepr(floatValue(value));
    if (value instanceof LongNumber) return value.text;
    if (typeof value === "string") return strRepr(value);
    if (Array.isArray(value)) {
      var items = value.map(function (v) { return pyRepr(v, tuples); });
      if (!tuples) return "[" + items.join(", ") + "]";
      return "(" + items.join(", ") + (items.length === 1 ? ",)" : ")");
    }
    return "{" + keysOf(value).map(function (k) { return strRepr(k) + ": " + pyRepr(value[k], tuples); })
      .join(", ") + "}";
  }

  /** Python's str() of a shape tuple: (28, 28, 6) or (120,). */
  function tupleStr(shape) {
    return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
  }

  /** a // b for a >= 0 and b > 0 (BigInt). */
  function floorDiv(a, b) {
    return a / b;
  }

  /** -(-a // b): a / b rounded up, for a >= 0 and b > 0 (BigInt). */
  function ceilDiv(a, b) {
    return a / b + (a % b === 0n ? 0n : 1n);
  }

  /** The product of a shape's sizes (math.prod), as a BigInt. */
  function prod(values) {
    return values.reduce(function (a, b) { return a * big(b); }, 1n);
  }

  /** The larger of two BigInts. */
  function maxBig(a, b) {
    return a > b ? a : b;
  }

  // ---------------------------------------------------------------- limits (safe_data.py)

  /** The digits of a whole number beyond the limit, or null for anything else (too_many_digits). */
  function tooManyDigits(value) {
    if (value instanceof LongNumber) return value.digits;
    if (typeof value === "bigint") {
      var digits = (value < 0n ? -value : value).toString().length;
      return digits > MAX_DIGITS ? digits : null;
    }
    return null;
  }

  /** The one message for a whole number over the limit. */
  function digitsMessage(what, digits) {
    return message("too_many_digits", { what: fieldWord(what), digits: formatInt(digits), max: MAX_DIGITS });
  }

  /** Refuse a whole number with more digits than the calculator takes. */
  function checkDigits(value, what) {
    var digits = tooManyDigits(value);
    if (digits !== null) throw new LenetError(digitsMessage(what, digits));
  }

  /** The one message for data nested too deeply. */
  function depthMessage(where) {
    return where + ": nested more than " + MAX_DEPTH + " levels deep (lists and objects nest at most " +
      MAX_DEPTH + " deep)";
  }

  /** Where in a file a value is: layer 2 kernel_size[0], input[1] (path_text). */
  function pathText(path) {
    var head = "", rest = path;
    if (path.length >= 2 && path[0] === "layers" && typeof path[1] === "number") {
      head = "layer " + (path[1] + 1);
      rest = path.slice(2);
    }
    var text = "";
    rest.forEach(function (part) {
      text += typeof part === "number" ? "[" + part + "]" : (text || head ? "." + part : part);
    });
    if (head && text) return head + " " + text.replace(/^\./, "");
    return head || text || "the top level";
  }

  /**
   * Refuse data nested more than MAX_DEPTH deep or holding a whole number of more than MAX_DIGITS
   * digits, reporting the first problem in document order (check_data).
   */
  function checkData(data, where) {
    var pending = [[data, [], 0]];
    while (pending.length) {
      var item = pending.pop();
      var value = item[0], path = item[1], depth = item[2];
      var container = Array.isArray(value) || (value !== null && typeof value === "object" &&
        !(value instanceof PyFloat) && !(value instanceof LongNumber));
      if (container) {
        if (depth + 1 > MAX_DEPTH) throw new LenetError(depthMessage(where));
        var keys = Array.isArray(value) ? value.map(function (_, i) { return i; }) : keysOf(value);
        for (var i = keys.length - 1; i >= 0; i--) pending.push([value[keys[i]], path.concat([keys[i]]), depth + 1]);
        continue;
      }
      var digits = tooManyDigits(value);
      if (digits !== null) throw new LenetError(where + ": " + digitsMessage(pathText(path), digits));
    }
  }

  /** True when JSON text opens more than ``limit`` lists and objects inside each other, strings skipped. */
  function jsonNestingExceeds(text, limit) {
    var depth = 0;
    var tokens = /"(?:[^"\\]|\\[\s\S])*"?|[[\]{}]/g;
    var match;
    while ((match = tokens.exec(text)) !== null) {
      var token = match[0];
      if (token === "[" || token === "{") {
        depth += 1;
        if (depth > limit) return true;
      } else if (token === "]" || token === "}") {
        depth -= 1;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- reading text as Python does

  var INTEGER_TEXT = /^[+-]?\d+$/;
  var FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

  /** A float from its text: a PyFloat when its value is a whole number (5.0), else a number. */
  function floatFromText(text) {
    var value = Number(text);
    return Number.isInteger(value) ? new PyFloat(value) : value;
  }

  /** An int from its text: a number when safe, else a BigInt, or a LongNumber beyond the digit limit. */
  function intFromText(text) {
    if (text.replace(/^[+-]/, "").length > MAX_DIGITS) return new LongNumber(text);
    var value = BigInt(text);
    return out(value);
  }

  /**
   * A number typed in a field, read as the command line reads it (cli._number): digits are an int,
   * a decimal or exponent is a float, anything else stays (trimmed) text to be refused.
   */
  function parseNumberText(text) {
    var t = String(text).trim();
    if (INTEGER_TEXT.test(t)) return intFromText(t);
    if (FLOAT_TEXT.test(t)) return floatFromText(t);
    return t;
  }

  /**
   * Parse JSON exactly as Python's json.loads does (same values, same error messages and positions),
   * keeping what JavaScript's JSON.parse loses: 5.0 stays a float, integers stay exact (BigInt), keys
   * keep their order. Text nested more than MAX_DEPTH deep is refused before it is parsed.
   */
  function parseJson(text, where) {
    if (where === undefined) where = "stack";
    text = String(text);
    if (jsonNestingExceeds(text, MAX_DEPTH)) throw new LenetError(depthMessage(where));
    var NUMBER = /(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?/y;
    // eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters (U+0000–U+001F)
    var PLAIN = /[^"\\\x00-\x1f]*/y;
    var at = 0;

    function fail(message, position) {
      var before = text.slice(0, position);
      var index = Array.from(before).length; // Python counts code points
      var line = before.split("\n").length;
      var column = index - (before.lastIndexOf("\n") >= 0 ? Array.from(before.slice(0, before.lastIndexOf("\n")))
        .length : -1);
      throw new LenetError(where + ": not valid JSON: " + message + ": line " + line + " column " + column +
        " (char " + index + ")");
    }
    function skip() {
      while (at < text.length && " \t\n\r".indexOf(text[at]) >= 0) at++;
    }
    function value() {
      var ch = text[at];
      if (ch === '"') return string();
      if (ch === "{") return object();
      if (ch === "[") return array();
      var words = [["null", null], ["true", true], ["false", false], ["NaN", NaN], ["Infinity", Infinity],
        ["-Infinity", -Infinity]];
      for (var i = 0; i < words.length; i++) {
        if (text.startsWith(words[i][0], at)) {
          at += words[i][0].length;
          return words[i][1];
        }
      }
      NUMBER.lastIndex = at;
      var match = NUMBER.exec(text);
      if (!match) fail("Expecting value", at);
      at += match[0].length;
      return match[2] || match[3] ? floatFromText(match[0]) : intFromText(match[0]);
    }
    function string() {
      var begin = at;
      at++;
      var result = "";
      for (;;) {
        PLAIN.lastIndex = at;
        var chunk = PLAIN.exec(text)[0];
        result += chunk;
        at += chunk.length;
        if (at >= text.length) fail("Unterminated string starting at", begin);
        var ch = text[at];
        if (ch === '"') {
          at++;
          return result;
        }
        if (ch !== "\\") fail("Invalid control character at", at);
        if (at + 1 >= text.length) fail("Unterminated string starting at", begin);
        var escape = text[at + 1];
        var simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (escape !== "u") {
          if (!has(simple, escape)) fail("Invalid \\escape", at);
          result += simple[escape];
          at += 2;
          continue;
        }
        var hex = text.slice(at + 2, at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Invalid \\uXXXX escape", at + 1);
        result += String.fromCharCode(parseInt(hex, 16)); // surrogate pairs join as in Python
        at += 6;
      }
    }
    function object() {
      var result = newObject();
      at++;
      skip();
      if (text[at] === "}") {
        at++;
        return result;
      }
      for (;;) {
        if (text[at] !== '"') fail("Expecting property name enclosed in double quotes", at);
        var key = string();
        skip();
        if (text[at] !== ":") fail("Expecting ':' delimiter", at);
        at++;
        skip();
        setKey(result, key, value());
        skip();
        if (text[at] === "}") {
          at++;
          return result;
        }
        if (text[at] !== ",") fail("Expecting ',' delimiter", at);
        at++;
        skip();
      }
    }
    function array() {
      var result = [];
      at++;
      skip();
      if (text[at] === "]") {
        at++;
        return result;
      }
      for (;;) {
        result.push(value());
        skip();
        if (text[at] === "]") {
          at++;
          return result;
        }
        if (text[at] !== ",") fail("Expecting ',' delimiter", at);
        at++;
        skip();
      }
    }

    if (text.charAt(0) === "\ufeff") fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
    skip();
    var result = value();
    skip();
    if (at !== text.length) fail("Extra data", at);
    return result;
  }

  /** JSON as Python's json.dumps writes it (", " and ": "), exact for BigInt, 5.0 kept a float. */
  function toJson(value) {
    if (value === null || value === undefined) return "null";
    if (value === true || value === false) return String(value);
    if (value instanceof LongNumber) return value.text;
    if (isInt(value)) return String(value);
    if (isFloat(value)) {
      var number = floatValue(value);
      if (Number.isNaN(number)) return "NaN";
      if (!Number.isFinite(number)) return number > 0 ? "Infinity" : "-Infinity";
      return floatRepr(number);
    }
    if (typeof value === "string") return JSON.stringify(value);
    if (Array.isArray(value)) return "[" + value.map(toJson).join(", ") + "]";
    return "{" + keysOf(value).map(function (k) { return JSON.stringify(k) + ": " + toJson(value[k]); })
      .join(", ") + "}";
  }

  // ---------------------------------------------------------------- one axis: output_size

  /** ``value`` as a BigInt if it is a positive integer, else throw a one-line error naming it. */
  function checkPositive(value, what) {
    checkDigits(value, what);
    if (!isInt(value) || big(value) < 1n) {
      throw new LenetError(message("positive_integer", { what: fieldWord(what), value: pyRepr(value) }));
    }
    return big(value);
  }

  /** ``padding`` if it is 'valid', 'same' or an integer >= 0 (an int as a BigInt). */
  function checkPadding(padding) {
    checkDigits(padding, "padding");
    if (padding === "valid" || padding === "same") return padding;
    if (isInt(padding) && big(padding) >= 0n) return big(padding);
    throw new LenetError(message("bad_padding", { value: pyRepr(padding) }));
  }

  /** Explain in words that the kernel does not fit in the (padded) input. */
  function tooLargeMessage(input, kernel, dilation, pad) {
    var effective = dilation * (kernel - 1n) + 1n;
    var what = dilation === 1n ? message("kernel_n", { kernel: kernel })
      : message("dilated_kernel_n", { effective: effective, kernel: kernel, dilation: dilation });
    var where = pad === 0n ? message("the_input_n", { input: input })
      : message("the_padded_input_n", { padded: input + 2n * pad, input: input, pad: pad });
    return message("larger_than", { what: what, where: where });
  }

  /**
   * How one axis of size ``input`` goes through a kernel: the fields of Python's AxisSize, whole
   * numbers as BigInt. ``stride`` null or undefined means the default (1, or the pool size for pooling).
   */
  function outputSize(input, kernel, stride, padding, dilation, op, ceilMode) {
    if (padding === undefined) padding = "valid";
    if (dilation === undefined) dilation = 1;
    if (op === undefined) op = "conv";
    if (ceilMode === undefined) ceilMode = false;
    if (OPS.indexOf(op) < 0) {
      throw new LenetError(message("unknown_op", { op: pyRepr(op) }));
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
    if (pyTruthy(ceilMode) && op === "conv") {
      throw new LenetError(message("ceil_conv"));
    }
    if (pyTruthy(ceilMode) && padding === "same") {
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
    if (effective > input + 2n * pad) throw new LenetError(tooLargeMessage(input, kernel, dilation, pad));
    var numerator = input - effective + 2n * pad;
    var result;
    if (pyTruthy(ceilMode)) {
      result = ceilDiv(numerator, stride) + 1n;
      if ((result - 1n) * stride >= input + pad) {
        result -= 1n;
        axis.dropped_last = true;
      }
    } else {
      result = floorDiv(numerator, stride) + 1n;
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
  function decimalText(numerator, denominator, places) {
    var scaled = numerator * 10n ** BigInt(places);
    var whole = scaled / denominator, rest = scaled % denominator;
    if (2n * rest > denominator || (2n * rest === denominator && whole % 2n === 1n)) whole += 1n;
    if (places === 0) return String(whole);
    var digits = String(whole).padStart(places + 1, "0");
    return digits.slice(0, -places) + "." + digits.slice(-places);
  }

  /** numerator/denominator for a formula: an integer as is, else up to 3 decimals, exactly (format_quotient). */
  function formatQuotient(numerator, denominator) {
    if (numerator % denominator === 0n) return String(numerator / denominator);
    for (var places = 3; ; places++) {
      var text = decimalText(numerator, denominator, places);
      if (/[1-9]/.test(text.split(".")[1])) return text.replace(/0+$/, "");
    }
  }

  /** The lecture's (in − k + pad)/stride + 1 with the numbers in, floor or ceil made visible. */
  function formatSizeFormula(axis) {
    var inner = "(" + axis.input + " " + MINUS + " " + axis.effective_kernel + " + " + axisPad(axis) + ")/" +
      axis.stride;
    var text;
    if (axisExact(axis)) {
      text = inner + " + 1 = " + (floorDiv(axis.numerator, axis.stride) + 1n);
    } else {
      var ceil = pyTruthy(axis.ceil_mode);
      var left = ceil ? "\u2308" : "\u230a";
      var right = ceil ? "\u2309" : "\u230b";
      var quotient = formatQuotient(axis.numerator, axis.stride);
      var rounded = ceil ? ceilDiv(axis.numerator, axis.stride) : floorDiv(axis.numerator, axis.stride);
      text = left + inner + right + " + 1 = " + left + quotient + right + " + 1 = " + (rounded + 1n);
    }
    if (axis.dropped_last) {
      text += " " + MINUS + " 1 = " + axis.output + " (a last window would start past the input)";
    }
    return text;
  }

  /** A short note on what the formula's numbers stand for (padding rule, dilation). */
  function describeAxis(axis) {
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
    if (pyTruthy(axis.ceil_mode)) notes.push(message("note_ceil"));
    return notes.join(message("note_separator"));
  }

  /** One axis' numbers and formula as formatting.axis_to_dict returns them. */
  function axisToDict(axis) {
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
   * The testing contract: ``size({input, kernel, stride, padding, dilation, op, ceilMode})`` returns
   * what ``lenet-explain size ... --json`` prints, or throws the LenetError the CLI reports. Whole
   * numbers may be BigInt (beyond 2^53 they come back as BigInt too).
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
      ["dilation_rate", [1, 1]], ["activation", null], ["use_bias", true], ["groups", 1],
    ],
    MaxPooling2D: POOL_FIELDS,
    AveragePooling2D: POOL_FIELDS,
    ZeroPadding2D: [["padding", [[1, 1], [1, 1]]]],
    Flatten: [],
    Dense: [["units", REQUIRED], ["activation", null], ["use_bias", true]],
    Dropout: [["rate", 0.5]],
    Activation: [["activation", "relu"]],
    BatchNormalization: [["center", true], ["scale", true]],
    GlobalAveragePooling2D: [["keepdims", false]],
    GlobalMaxPooling2D: [["keepdims", false]],
  };
  var LAYER_TYPES = ["Input"].concat(Object.keys(LAYER_FIELDS));
  var SUPPORTED = Object.keys(LAYER_FIELDS).join(", ") + "; and the other Keras layers listed in the README";

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
    return isInt(value) && big(value) >= 1n;
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
  function makeLayer(type, args) {
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
    return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof PyFloat) &&
      !(value instanceof LongNumber);
  }

  /** The layer described by one ``{"type": ..., **arguments}`` entry (layer_from_dict). */
  function layerFromDict(spec, number, where) {
    var place = where + ": layer " + number;
    if (!isObject(spec) || !has(spec, "type")) throw new LenetError(place + ": expected an object with a 'type'");
    var kind = spec.type;
    if (typeof kind !== "string" || LAYER_TYPES.indexOf(kind) < 0 || kind === "Input") {
      throw new LenetError(place + ": unsupported layer type " + pyRepr(kind, true) + " (supported: " +
        SUPPORTED + ")");
    }
    var allowed = LAYER_FIELDS[kind].map(function (f) { return f[0]; }).concat(["name"]).sort();
    var args = {};
    keysOf(spec).forEach(function (key) {
      if (key === "type") return;
      if (allowed.indexOf(key) < 0) {
        throw new LenetError(place + " (" + kind + "): unknown argument " + pyRepr(key) + " (allowed: " +
          allowed.join(", ") + ")");
      }
      args[key] = spec[key];
    });
    if (has(args, "name") && typeof args.name !== "string") {
      throw new LenetError(place + ": 'name' must be text, got " + pyRepr(args.name, true));
    }
    try {
      return makeLayer(kind, args);
    } catch (error) {
      if (!(error instanceof LenetError)) throw error;
      throw new LenetError(error.missing ? place + " (" + kind + "): " + error.message
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
    checkData(data, where);
    if (!isObject(data)) throw new LenetError(where + ": expected an object with 'input' and 'layers'");
    var unknown = pySorted(keysOf(data).filter(function (k) {
      return ["name", "input", "layers"].indexOf(k) < 0;
    }));
    if (unknown.length) {
      throw new LenetError(where + ": unknown key " + pyRepr(unknown[0]) + " (expected name, input, layers)");
    }
    if (!has(data, "input") || !has(data, "layers")) {
      throw new LenetError(where + ": missing " + pyRepr(has(data, "input") ? "layers" : "input"));
    }
    if (!Array.isArray(data.layers)) throw new LenetError(where + ": 'layers' must be a list");
    if (data.layers.length > MAX_LAYERS) throw new LenetError(where + ": " + layersMessage(data.layers.length));
    var name = has(data, "name") ? data.name : defaultName;
    if (typeof name !== "string") throw new LenetError(where + ": 'name' must be text, got " + pyRepr(name, true));
    var shape = data.input;
    if (!Array.isArray(shape)) {
      throw new LenetError(where + ": input must be a list like [28, 28, 1], got " + pyRepr(shape, true));
    }
    if (shape.length < 1 || shape.length > 4 || !shape.every(positive)) {
      throw new LenetError(where + ": Input: shape must be (height, width, channels), (steps, channels), " +
        "(depth, height, width, channels) or (features,) of positive integers, got " + pyRepr(shape, true));
    }
    var layers = data.layers.map(function (spec, i) { return layerFromDict(spec, i + 1, where); });
    try {
      return makeStack(name, shape, layers);
    } catch (error) {
      if (!(error instanceof LenetError)) throw error;
      throw new LenetError(where + ": " + error.message);
    }
  }

  /** The one message for a stack with too many layers. */
  function layersMessage(count) {
    return formatInt(count) + " layers; a stack has at most " + formatInt(MAX_LAYERS) + " layers";
  }

  /**
   * The stack in a JSON stack file's text, read as ``lenet-explain summary --model FILE.json`` reads it
   * (stack_from_json_text): what the page reads from a file and from its address.
   */
  function readStackText(text, defaultName, where) {
    if (where === undefined) where = "stack";
    return stackFromFile(parseJson(text, where), defaultName, where);
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
      if (!primary && field[1] !== REQUIRED && toJson(value) === toJson(field[1])) return;
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

  /** The stack file's text: JSON with one layer per line (each on one line, as Python's json.dumps). */
  function stackFileText(stack) {
    var data = stackToFile(stack);
    var lines = data.layers.map(function (spec) { return "    " + toJson(spec); });
    return "{\n  \"name\": " + JSON.stringify(data.name) + ",\n  \"input\": " + toJson(data.input) +
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
    if (field.size.length !== sizes.length) return { size: null, jump: null };
    return {
      size: sizes.map(function (a, i) { return field.size[i] + (a.effective_kernel - 1n) * field.jump[i]; }),
      jump: sizes.map(function (a, i) { return field.jump[i] * a.stride; }),
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

  var TRAIL_STEPS = 7; // size changes a "too small" message lists before it elides the earlier ones

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
  function summarize(stack) {
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
  function formatInt(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /** A shape like Keras prints it: (None, 28, 28, 6) with ``batch``, else (28, 28, 6) (format_shape). */
  function formatShape(shape, batch) {
    if (shape === null) return "all";
    return tupleStr((batch ? ["None"] : []).concat(shape.map(function (v) {
      return v instanceof PyFloat || v instanceof LongNumber ? pyRepr(v) : String(v);
    })));
  }

  /** A receptive field or jump: 5 when square, 5×3 otherwise, all when global (format_field). */
  function formatField(value) {
    if (value === null) return "all";
    var same = value.every(function (v) { return String(v) === String(value[0]); });
    return same ? String(value[0]) : value.join("\u00d7");
  }

  /** A byte count the way Keras' summary does: 241.04 KB, exact at any size (format_bytes). */
  function formatBytes(count) {
    var units = ["B", "KB", "MB", "GB"];
    var value = big(count);
    var power = 0;
    while (power < units.length - 1 && value >= 1024n ** BigInt(power + 1)) power++;
    return decimalText(value, 1024n ** BigInt(power), 2) + " " + units[power];
  }

  /** The totals under the table, worded like Keras' summary plus MACs and memory (total_lines). */
  function totalLines(summary) {
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
      if (pyTruthy(padding)) lines.push("keras.layers.ZeroPadding2D(" + padding + ", name=" + pyStr(layer.name + "_pad") + ")");
      padding = "valid";
    }
    var args = [];
    var pad = padding === "valid" ? [] : ["padding=" + pyStr(padding)];
    var act = layer.activation ? ["activation=" + pyStr(layer.activation)] : [];
    var ones = function (pair) { return big(pair[0]) === 1n && big(pair[1]) === 1n; };
    switch (layer.type) {
      case "Conv2D":
        if (!ones(layer.strides) && !ones(layer.dilation_rate)) {
          throw new LenetError(layer.name + ": Keras cannot combine strides " + pyTuple(layer.strides) +
            " with dilation_rate " + pyTuple(layer.dilation_rate));
        }
        args = [String(layer.filters), pyTuple(layer.kernel_size)]
          .concat(ones(layer.strides) ? [] : ["strides=" + pyTuple(layer.strides)], pad,
            ones(layer.dilation_rate) ? [] : ["dilation_rate=" + pyTuple(layer.dilation_rate)], act,
            layer.use_bias ? [] : ["use_bias=False"], big(layer.groups) === 1n ? [] : ["groups=" + layer.groups]);
        break;
      case "GlobalAveragePooling2D":
      case "GlobalMaxPooling2D":
        args = layer.keepdims ? ["keepdims=True"] : [];
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
        args = [pyRepr(layer.rate)];
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
    var names = { input: "the model's input" };
    stack.layers.forEach(function (layer) {
      if (String(layer.name).indexOf("/") >= 0) {
        throw new LenetError(pyRepr(layer.name) + ": Keras layer names cannot contain '/'");
      }
      kerasLines(layer).forEach(function (call, i, calls) {
        var name = i < calls.length - 1 ? layer.name + "_pad" : layer.name;
        if (has(names, name)) {
          throw new LenetError(pyRepr(name) + ": Keras needs unique layer names, and " + names[name] +
            " has this one");
        }
        names[name] = i < calls.length - 1 ? "the padding layer of " + pyRepr(layer.name) : "layer " + pyRepr(name);
        lines.push("model.add(" + call + ")");
      });
    });
    lines.push("model.summary()");
    return lines.join("\n") + "\n";
  }


  // ---------------------------------------------------------------- saved Keras models (stackfile.py, graphs)

  var MAX_KERAS_CONFIG_BYTES = 8 * 1024 * 1024; // config.json inside a .keras archive, once inflated
  var MAX_ARCHIVE_MEMBERS = 64; // files inside a .keras archive
  // The layers of a saved model this page reads beyond the stack file's (the command line reads every layer in
  // the README): [config keys, kind].
  var SAME_SHAPE = ["ReLU", "LeakyReLU", "ELU", "Softmax", "Rescaling", "SpatialDropout2D", "GaussianNoise",
    "GaussianDropout", "Identity", "RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast"];
  var MERGES = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"];
  var WINDOWED = ["DepthwiseConv2D", "SeparableConv2D"];
  var KERAS_KEYS = ["filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias",
    "groups", "depth_multiplier", "pool_size", "units", "rate", "center", "scale", "keepdims", "axis",
    "target_shape"];

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
  function readKerasArchive(buffer, fileName) {
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
    KERAS_KEYS.forEach(function (key) { if (has(config, key)) args[key] = copyData(config[key]); });
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
  function stackFromKerasConfig(config, defaultName) {
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
  function computeKerasRow(layer, shapes, fields) {
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
    message: message,
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
    formatQuotient: formatQuotient,
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
    readKerasArchive: readKerasArchive,
    stackFromKerasConfig: stackFromKerasConfig,
    // Python's values and the limits (see "Python's values in JavaScript" above).
    MAX_DIGITS: MAX_DIGITS,
    MAX_DEPTH: MAX_DEPTH,
    MAX_LAYERS: MAX_LAYERS,
    MAX_STACK_FILE_BYTES: MAX_STACK_FILE_BYTES,
    PyFloat: PyFloat,
    LongNumber: LongNumber,
    isInt: isInt,
    parseNumberText: parseNumberText,
    parseJson: parseJson,
    readStackText: readStackText,
    toJson: toJson,
    copyData: copyData,
    checkDigits: checkDigits,
  };
  root.convArithmetic = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
