// ESLint's flat config for the site's browser JavaScript (docs/**/*.js): the recommended rules, with the globals
// of the place each file runs in. tests/test_lint.py runs `node_modules/.bin/eslint docs`; scripts/test.sh
// installs the pinned linter (package.json, package-lock.json) with npm ci.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  {
    // The pages' scripts share window.* objects (what the tests use too).
    files: ["docs/**/*.js"],
    ignores: ["docs/train/worker.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
  },
  {
    // ES modules: <script type="module"> and what they import.
    files: ["docs/shared/*.js", "docs/visualizer/*.js", "docs/steppers/*.js", "docs/train/*.js"],
    languageOptions: { sourceType: "module" },
  },
  {
    // The word tables and the calculator's arithmetic also run in Node (tests/test_i18n_js.py, the calculator's
    // tests), where they are CommonJS modules.
    files: ["docs/i18n/*.js", "docs/calculator/conv-arithmetic.js"],
    languageOptions: { globals: { ...globals.commonjs } },
  },
  {
    // The training worker runs in a Web Worker, not in a window.
    files: ["docs/train/worker.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.worker } },
  },
];
