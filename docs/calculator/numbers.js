/*
 * numbers.js: the calculator's words and numbers: its one error type, messages from the word tables, and the
 * values it reads. A whole number is a BigInt (exact at any size, as Python's int); a number written with a
 * decimal point or an exponent is a Number, a float (so 5.0 is not the whole number 5, as for the command line).
 * Computed whole numbers come out as plain numbers when they are safe integers, else as BigInt.
 */
import DATA from "./calculator-data.js";
import { STRINGS, hasString, language } from "../i18n/i18n.js";

export const MINUS = "\u2212";
export const OPS = DATA.ops; // the one-axis operations: conv, maxpool, avgpool
export const BYTES_PER_VALUE = BigInt(DATA.bytes_per_value); // float32
// The limits of lenet_explain/limits.py (calculator-data.js is generated from it).
export const MAX_DIGITS = DATA.limits.MAX_DIGITS; // digits of any whole number the calculator reads
export const MAX_DEPTH = DATA.limits.MAX_DEPTH; // nesting of lists and objects in a stack file
export const MAX_LAYERS = DATA.limits.MAX_LAYERS; // layers in one stack
export const MAX_STACK_FILE_BYTES = DATA.limits.MAX_STACK_FILE_BYTES; // a stack file
export const MAX_RESULT_DIGITS = DATA.limits.MAX_RESULT_DIGITS; // digits of any number a summary prints

const WIDE = /[\u3400-\u9fff]/; // a Chinese character
const NARROW = /[A-Za-z0-9'"()[\]\-\u2212.+]/; // a Latin word, a number, a quoted or bracketed value at a value's edge

/**
 * ``template`` with its {placeholders} filled from ``params``; in Chinese, a space between a value and the Chinese
 * character it meets (Conv2D 的 filters 必须…, 卷积核 5 比输入 4 大), as Chinese text sets Latin words and numbers.
 */
function fill(template, params, lang) {
  const parts = String(template).split(/\{(\w+)\}/);
  let text = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = params && Object.hasOwn(params, parts[i]) ? String(params[parts[i]]) : "{" + parts[i] + "}";
    const after = parts[i + 1];
    const spaceBefore = lang === "zh" && WIDE.test(text.slice(-1)) && NARROW.test(value.charAt(0));
    const spaceAfter = lang === "zh" && NARROW.test(value.slice(-1)) && WIDE.test(after.charAt(0));
    text += (spaceBefore ? " " : "") + value + (spaceAfter ? " " : "") + after;
  }
  return text;
}

/** The string ``key`` of section ``name`` in the page's language (English when that table lacks it), filled in. */
function words(name, key, params) {
  const lang = language();
  const table = Object.hasOwn(STRINGS[lang], name) && Object.hasOwn(STRINGS[lang][name], key) ? lang : "en";
  if (!Object.hasOwn(STRINGS[table][name], key)) throw new Error("i18n: no string " + name + "." + key);
  return fill(STRINGS[table][name][key], params, table);
}

/** The page language's message ``key`` of the calculator's errors, its placeholders filled. */
export function message(key, params) {
  return words("errors", key, params);
}

/** The page language's word ``key`` of the calculator (its tables, totals and formulas), its placeholders filled. */
export function word(key, params) {
  return words("calculator", key, params);
}

/** What separates a place from what is wrong there: ": " in English, "：" in Chinese. */
export function colon() {
  return message("colon");
}

/** What a message about layer ``name`` starts with: "conv: " in English, "层 conv：" in Chinese. */
export function layerAt(name) {
  return message("layer_at", { name: name });
}

/** A layer type's field in messages: "Conv2D: filters" in English, "Conv2D 的 filters" in Chinese. */
export function fieldOf(type, field) {
  return message("field_of", { type: type, field: field });
}

/** A field's name in messages: the table's word for a known field (input, kernel, …), else as written. */
export function fieldWord(what) {
  const key = "what_" + String(what).replace(/ /g, "_");
  return hasString("errors", key) ? message(key) : what;
}

/**
 * The one error type readers see: a one-line message, as lenet_explain.errors.LenetError; ``details`` may say
 * which row of a stack it is about (``layer``: 1-based, 0 for the input), whatever the page's language.
 */
export class LenetError extends Error {
  constructor(text, details) {
    super(text);
    this.name = "LenetError";
    Object.assign(this, details);
  }
}

/** The calculator's refusal ``error`` with ``prefix`` before its message (what it is marked with kept). */
export function prefixed(error, prefix) {
  if (!(error instanceof LenetError)) return error;
  return new LenetError(prefix + error.message, { tooLarge: error.tooLarge, missing: error.missing,
    layer: error.layer, openShape: error.openShape });
}

/** True when ``object`` has its own key ``key`` (never one inherited from Object.prototype). */
export function has(object, key) {
  return object !== null && typeof object === "object" && Object.hasOwn(object, key);
}

/** True for a whole number (a BigInt; booleans and floats are not whole numbers, as for the command line). */
export function isInt(value) {
  return typeof value === "bigint";
}

/** True for a JSON object read from a file (not a list, not null). */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Whole numbers of the page's own data (JSON numbers without a fraction) as BigInt, recursively. */
export function exactData(value) {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(exactData);
  if (isObject(value)) {
    const copy = Object.create(null);
    for (const key of Object.keys(value)) copy[key] = exactData(value[key]);
    return copy;
  }
  return value;
}

/** A deep copy of read or typed data. */
export function copyData(value) {
  if (Array.isArray(value)) return value.map(copyData);
  if (!isObject(value)) return value;
  const copy = Object.create(null);
  for (const key of Object.keys(value)) copy[key] = copyData(value[key]);
  return copy;
}

/** A float as written back: a whole float keeps a ".0" (5.0 stays a float when read again). */
export function floatText(value) {
  const text = String(value);
  return Number.isInteger(value) && /^-?\d+$/.test(text) ? text + ".0" : text;
}

/** A value as a message shows it: JSON's spelling, floats with their point. */
export function valueText(value) {
  if (typeof value === "number") return floatText(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(valueText).join(", ") + "]";
  if (isObject(value)) return "{" + Object.keys(value).map((k) => JSON.stringify(k) + ": " + valueText(value[k]))
    .join(", ") + "}";
  return String(value); // BigInt, true, false, null
}

/** A shape as the tables write it: (28, 28, 6) or (120,). */
export function tupleStr(shape) {
  return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
}

/** A whole number with thousands separators, as Python's f"{n:,}" (number or BigInt). */
export function formatInt(value) {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A computed whole number as the results give it: a plain number when safe, else the BigInt (arrays too). */
export function out(value) {
  if (Array.isArray(value)) return value.map(out);
  if (typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) &&
    value >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  return value;
}

/** -(-a // b): a / b rounded up, for a >= 0 and b > 0 (BigInt). */
export function ceilDiv(a, b) {
  return a / b + (a % b === 0n ? 0n : 1n);
}

/** The product of a shape's sizes (math.prod), as a BigInt. */
export function prod(values) {
  return values.reduce((a, b) => a * b, 1n);
}

/** The larger of two BigInts. */
export function maxBig(a, b) {
  return a > b ? a : b;
}
