/*
 * The interactive pages' words, one table per language: en.js and zh.js fill window.lxStrings[language][section]
 * (sections: visualizer, calculator, errors, steppers, train); this file picks the page's language from
 * <html lang> ("zh…" is Chinese, anything else English) and fills the placeholders ({name}) of a string.
 * The site's hooks (lenet_explain/site/hooks.py) load the three files in every page's <head>, before any
 * page script runs.
 */
(function (root) {
  "use strict";
  var has = Object.prototype.hasOwnProperty;
  var strings = (root.lxStrings = root.lxStrings || {});

  /** "zh" when the page says it is Chinese (lang="zh-Hans", "zh", …), else "en". */
  function language() {
    var doc = root.document;
    var lang = doc && doc.documentElement ? String(doc.documentElement.lang || "") : "";
    return /^zh/i.test(lang) ? "zh" : "en";
  }

  /** Fill "{name}" placeholders of ``template`` from ``params``. */
  function format(template, params) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return params && has.call(params, name) ? String(params[name]) : whole;
    });
  }

  /** A function t(key, params) returning the page language's string ``key`` of ``section``, filled in. */
  function section(name, lang) {
    var chosen = lang || language();
    return function t(key, params) {
      var table = (strings[chosen] || {})[name] || {};
      if (!has.call(table, key)) {
        table = (strings.en || {})[name] || {};
        if (!has.call(table, key)) throw new Error("lxI18n: no string " + name + "." + key);
      }
      return format(table[key], params);
    };
  }

  root.lxI18n = { language: language, format: format, section: section };
  if (typeof module === "object" && module.exports) module.exports = root.lxI18n;
})(typeof window !== "undefined" ? window : globalThis);
