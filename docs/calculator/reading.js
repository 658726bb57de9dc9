/*
 * reading.js: reading numbers and JSON within the limits (MAX_DIGITS, MAX_DEPTH), and writing JSON back.
 */
import {
  LenetError, LongNumber, MAX_DEPTH, MAX_DIGITS, PyFloat, fieldWord, floatRepr, floatValue, has, isFloat, isInt,
  keysOf, message, newObject, out, setKey,
} from "./numbers.js";
import { formatInt } from "./summary.js";

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
export function checkDigits(value, what) {
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
export function checkData(data, where) {
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
export function parseNumberText(text) {
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
export function parseJson(text, where) {
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
export function toJson(value) {
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
