/*
 * reading.js: the values the calculator reads, within its limits (MAX_DIGITS, MAX_DEPTH): JSON text read with
 * whole numbers exact (BigInt) and floats kept floats (Number), a number typed in a field, and JSON written back.
 */
import {
  LenetError, MAX_DEPTH, MAX_DIGITS, colon, fieldWord, floatText, formatInt, isObject, message,
} from "./numbers.js";

/** The one message for a whole number over the limit. */
function digitsMessage(what, digits) {
  return message("too_many_digits", { what: fieldWord(what), digits: formatInt(digits), max: MAX_DIGITS });
}

/** The digits of a whole number (BigInt) beyond the limit, or null. */
function tooManyDigits(value) {
  if (typeof value !== "bigint") return null;
  const digits = (value < 0n ? -value : value).toString().length;
  return digits > MAX_DIGITS ? digits : null;
}

/** Refuse a whole number with more digits than the calculator takes. */
export function checkDigits(value, what) {
  const digits = tooManyDigits(value);
  if (digits !== null) throw new LenetError(digitsMessage(what, digits));
}

/** The one message for data nested too deeply. */
function depthMessage(where) {
  return message("too_deep", { where: where, max: MAX_DEPTH });
}

/** Where in a file a value is: layer 2 kernel_size[0], input[1]. */
function pathText(path) {
  let head = "", rest = path;
  if (path.length >= 2 && path[0] === "layers" && typeof path[1] === "number") {
    head = message("layer_n", { number: path[1] + 1 });
    rest = path.slice(2);
  }
  let text = "";
  rest.forEach((part) => { text += typeof part === "number" ? "[" + part + "]" : (text || head ? "." : "") + part; });
  if (head && text) return head + " " + text.replace(/^\./, "");
  return head || text || message("top_level");
}

/** Refuse data (read or typed) nested more than MAX_DEPTH deep or holding a whole number of too many digits. */
export function checkData(data, where) {
  const pending = [[data, [], 0]];
  while (pending.length) {
    const [value, path, depth] = pending.pop();
    if (Array.isArray(value) || isObject(value)) {
      if (depth + 1 > MAX_DEPTH) throw new LenetError(depthMessage(where));
      const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) pending.push([value[keys[i]], path.concat([keys[i]]), depth + 1]);
      continue;
    }
    const digits = tooManyDigits(value);
    if (digits !== null) throw new LenetError(where + colon() + digitsMessage(pathText(path), digits));
  }
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number typed in a field, read as the command line reads it: digits are a whole number (BigInt), a decimal
 * or an exponent is a float (Number), anything else stays (trimmed) text to be refused.
 */
export function parseNumberText(text) {
  const trimmed = String(text).trim();
  if (INTEGER_TEXT.test(trimmed)) return BigInt(trimmed);
  if (FLOAT_TEXT.test(trimmed)) return Number(trimmed);
  return trimmed;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y; // eslint-disable-line no-control-regex
const SPACE = /[ \t\n\r]*/y;
// JSON's words, and the three that Python's json module (so Keras) writes and reads for floats.
const WORDS = [["true", true], ["false", false], ["null", null], ["NaN", NaN], ["Infinity", Infinity],
  ["-Infinity", -Infinity]];

/**
 * Read JSON text: objects (a repeated key keeps its last value, any key is a plain key), lists, strings, true,
 * false, null; whole numbers as BigInt (at most MAX_DIGITS digits), others as floats (NaN, Infinity and -Infinity
 * too, as Python's json module writes them). Refused, with where: text nested more than MAX_DEPTH deep, and
 * anything else that is not JSON.
 */
export function readJson(text, where = "stack") {
  const source = String(text);
  let at = 0;

  const fail = (key, position = at) => {
    const before = source.slice(0, position);
    const line = before.split("\n").length;
    const column = position - before.lastIndexOf("\n");
    throw new LenetError(message("not_json", { where: where, problem: message(key), line: line, column: column }));
  };
  const skip = () => { SPACE.lastIndex = at; SPACE.exec(source); at = SPACE.lastIndex; };
  if (source.charCodeAt(0) === 0xfeff) fail("json_bom"); // as Python's json.loads: a BOM is not JSON
  const expect = (char, key) => { skip(); if (source[at] !== char) fail(key); at++; };
  const string = () => {
    STRING.lastIndex = at;
    const match = STRING.exec(source);
    if (!match) fail("json_string");
    at = STRING.lastIndex;
    return JSON.parse(match[0]);
  };
  const number = () => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(source);
    if (!match) fail("json_value");
    const start = at;
    at = NUMBER.lastIndex;
    if (match[1] || match[2]) return Number(match[0]);
    const digits = match[0].replace("-", "").length;
    if (digits > MAX_DIGITS) {
      const line = source.slice(0, start).split("\n").length;
      const what = message("number_at", { line: line, column: start - source.lastIndexOf("\n", start - 1) });
      throw new LenetError(where + colon() + digitsMessage(what, digits));
    }
    return BigInt(match[0]);
  };
  const items = (close, readItem) => {
    skip();
    if (source[at] === close) { at++; return; }
    for (;;) {
      readItem();
      skip();
      if (source[at] === close) { at++; return; }
      if (source[at] !== ",") fail("json_comma");
      at++;
    }
  };
  const value = (depth) => {
    skip();
    const char = source[at];
    if (char === "{" || char === "[") {
      if (depth >= MAX_DEPTH) throw new LenetError(depthMessage(where));
      at++;
      if (char === "[") {
        const list = [];
        items("]", () => list.push(value(depth + 1)));
        return list;
      }
      const object = Object.create(null); // "__proto__" and "constructor" are keys like any other
      items("}", () => {
        skip();
        if (source[at] !== '"') fail("json_key");
        const key = string();
        expect(":", "json_colon");
        object[key] = value(depth + 1);
      });
      return object;
    }
    if (char === '"') return string();
    for (const [word, result] of WORDS) {
      if (source.startsWith(word, at)) { at += word.length; return result; }
    }
    if (at >= source.length) fail("json_end");
    return number();
  };

  const result = value(0);
  skip();
  if (at < source.length) fail("json_extra");
  return result;
}

/** JSON text of read or typed data, one line (", " and ": "): whole numbers exact, floats with their point. */
export function toJson(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? floatText(value) : "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(toJson).join(", ") + "]";
  return "{" + Object.keys(value).map((key) => JSON.stringify(key) + ": " + toJson(value[key])).join(", ") + "}";
}
