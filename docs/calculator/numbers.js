/*
 * numbers.js: the calculator's words and numbers: its one error type, messages from the word tables,
 * whole numbers as BigInt inside, and the small helpers every other module uses.
 */
import DATA from "./calculator-data.js";
import { hasString, section } from "../i18n/i18n.js";

export var MINUS = "\u2212";
export var OPS = ["conv", "maxpool", "avgpool"];
export var BYTES_PER_VALUE = DATA.bytes_per_value; // float32
// The limits of lenet_explain/limits.py (calculator-data.js is generated from it).
export var MAX_DIGITS = DATA.limits.MAX_DIGITS; // digits of any whole number the calculator reads
export var MAX_DEPTH = DATA.limits.MAX_DEPTH; // nesting of lists and objects in a stack file
export var MAX_LAYERS = DATA.limits.MAX_LAYERS; // layers in one stack
export var MAX_STACK_FILE_BYTES = DATA.limits.MAX_STACK_FILE_BYTES; // a stack file
var KEY_ORDER = Symbol("key order");

// Messages come from the word tables (docs/i18n/: the English table is the command line's text, word for word;
// the Chinese one says the same with the same numbers); in Node (no page) the language is English.

/** The page language's message ``key`` with its placeholders filled. */
export function message(key, params) {
  return section("errors")(key, params);
}

/** A field's name in messages: the table's word for a known field (input, kernel, …), else as written. */
export function fieldWord(what) {
  var key = "what_" + String(what).replace(/ /g, "_");
  return hasString("errors", key) ? message(key) : what;
}

/** The one error type readers see: a one-line message, as lenet_explain.errors.LenetError. */
export class LenetError extends Error {
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
export function PyFloat(value) {
  this.value = value;
}

/** A whole number typed or read with more digits than the calculator takes (never converted). */
export function LongNumber(text) {
  this.text = text;
  this.digits = text.replace(/^[+-]/, "").length;
}

/** True for a Python int (JavaScript booleans are not numbers, as bool is excluded in Python). */
export function isInt(value) {
  return typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value));
}

/** True for a Python float. */
export function isFloat(value) {
  return value instanceof PyFloat || (typeof value === "number" && !Number.isSafeInteger(value));
}

/** The number of a float (PyFloat or number). */
export function floatValue(value) {
  return value instanceof PyFloat ? value.value : value;
}

/** An int as a BigInt. */
export function big(value) {
  return typeof value === "bigint" ? value : BigInt(value);
}

var MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A computed int as the results give it: a plain number when safe, else the BigInt (arrays too). */
export function out(value) {
  if (Array.isArray(value)) return value.map(out);
  if (typeof value === "bigint" && value <= MAX_SAFE && value >= -MAX_SAFE) return Number(value);
  return value;
}

/** Python's truthiness of a value. */
export function pyTruthy(value) {
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
export function keysOf(object) {
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
export function has(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Set a key on a parsed object, keeping the text's order (any key, "__proto__" included). */
export function setKey(object, key, value) {
  if (!has(object, key)) object[KEY_ORDER].push(key);
  Object.defineProperty(object, key, { value: value, enumerable: true, writable: true, configurable: true });
}

/** An empty object for parsed data. */
export function newObject() {
  var object = {};
  Object.defineProperty(object, KEY_ORDER, { value: [], enumerable: false, writable: true });
  return object;
}

/** A deep copy of parsed or typed data (BigInt, PyFloat and key order kept). */
export function copyData(value) {
  if (Array.isArray(value)) return value.map(copyData);
  if (value instanceof PyFloat || value instanceof LongNumber || value === null || typeof value !== "object") {
    return value;
  }
  var copied = newObject();
  keysOf(value).forEach(function (key) { setKey(copied, key, copyData(value[key])); });
  return copied;
}

/** Python's sorted() of strings: by code point (JavaScript's sort compares UTF-16 units). */
export function pySorted(keys) {
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
export function floatRepr(value) {
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
export function pyRepr(value, tuples) {
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
export function tupleStr(shape) {
  return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
}

/** a // b for a >= 0 and b > 0 (BigInt). */
export function floorDiv(a, b) {
  return a / b;
}

/** -(-a // b): a / b rounded up, for a >= 0 and b > 0 (BigInt). */
export function ceilDiv(a, b) {
  return a / b + (a % b === 0n ? 0n : 1n);
}

/** The product of a shape's sizes (math.prod), as a BigInt. */
export function prod(values) {
  return values.reduce(function (a, b) { return a * big(b); }, 1n);
}

/** The larger of two BigInts. */
export function maxBig(a, b) {
  return a > b ? a : b;
}
