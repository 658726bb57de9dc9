// ESLint's flat config for the site's browser JavaScript (docs/**/*.js): the recommended rules, with the globals
// of the place each file runs in. tests/test_lint.py runs `node_modules/.bin/eslint docs`; scripts/test.sh
// installs the pinned linter (package.json, package-lock.json) with npm ci. package.json says "type": "module",
// so this file and every docs/**/*.js that Node reads (the tests do) are ES modules.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    // Classic scripts: the theme's extra script, which shares nothing.
    files: ["docs/javascripts/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
  },
  {
    // ES modules: <script type="module"> and what they import; the word tables and the calculator's arithmetic
    // also run in Node (tests/test_i18n_js.py, tests/test_calculator_node.py), where no window is used.
    files: ["docs/**/*.js"],
    ignores: ["docs/javascripts/*.js", "docs/train/worker.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    // The training worker runs in a Web Worker, not in a window.
    files: ["docs/train/worker.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.worker } },
  },
];
