/*
 * The interactive pages' words, one table per language (en.js, zh.js: one table per section — visualizer,
 * calculator, errors, steppers, train); this module picks the page's language from <html lang> ("zh…" is
 * Chinese, anything else English) and fills the placeholders ({name}) of a string. Page modules import it.
 */
import * as en from "./en.js";
import * as zh from "./zh.js";

/** Every language's tables: STRINGS[language][section][key]. */
export const STRINGS = Object.freeze({ en, zh });

/** "zh" when the page says it is Chinese (lang="zh-Hans", "zh", …), else "en" (also outside a browser). */
export function language() {
  const doc = globalThis.document;
  const lang = doc && doc.documentElement ? String(doc.documentElement.lang || "") : "";
  return /^zh/i.test(lang) ? "zh" : "en";
}

/** Fill "{name}" placeholders of ``template`` from ``params``. */
export function format(template, params) {
  return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
    params && Object.hasOwn(params, name) ? String(params[name]) : whole);
}

/** The table ``name`` of language ``lang``, or an empty one. */
function table(lang, name) {
  const tables = Object.hasOwn(STRINGS, lang) ? STRINGS[lang] : {};
  return Object.hasOwn(tables, name) ? tables[name] : {};
}

/** True when section ``name`` has the string ``key`` (in English, which has every key). */
export function hasString(name, key) {
  return Object.hasOwn(table("en", name), key);
}

/** A function t(key, params) returning the page language's string ``key`` of ``section``, filled in. */
export function section(name, lang) {
  const chosen = lang || language();
  return function t(key, params) {
    let words = table(chosen, name);
    if (!Object.hasOwn(words, key)) {
      words = table("en", name);
      if (!Object.hasOwn(words, key)) throw new Error("i18n: no string " + name + "." + key);
    }
    return format(words[key], params);
  };
}
