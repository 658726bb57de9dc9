/*
 * calculator-page.js: the calculator page's module (<script type="module">): starts the page's parts.
 * All arithmetic comes from conv-arithmetic.js; page-common.js, page-layer.js and page-stack.js draw the page.
 */
import * as CA from "./conv-arithmetic.js";
import { LAYER_TYPES, byId, copy, el, readUrl, scheduleUrl, state, t, view } from "./page-common.js";
import { listenToOutputGrid, readLayerControls, updateLayer, writeLayerControls } from "./page-layer.js";
import {
  addLayer, copyText, download, freezeColumns, loadFile, parseShape, readKerasFile, renderStackEditor, structureChanged,
  updateStack,
} from "./page-stack.js";

// ---------------------------------------------------------------- start

window.convArithmetic = CA; // the browser tests call the page's arithmetic through it

function init() {
  if (!byId("ca-layer") || !CA) return;
  readUrl();
  writeLayerControls();
  readLayerControls(); // what the controls accept (a number field drops text) is the state
  listenToOutputGrid();
  byId("ca-controls").addEventListener("input", function () { readLayerControls(); updateLayer(); scheduleUrl(); });
  byId("ca-controls").addEventListener("change", function () { readLayerControls(); updateLayer(); scheduleUrl(); });
  var datalist = el("datalist", { id: "ca-padding-values" });
  ["valid", "same", "0", "1", "2"].forEach(function (v) { datalist.appendChild(el("option", { value: v })); });
  byId("ca-stack").appendChild(datalist);
  LAYER_TYPES.forEach(function (type) {
    byId("ca-add-type").appendChild(el("option", { value: type, text: type }));
  });
  byId("ca-add").addEventListener("click", addLayer);
  byId("ca-reset").addEventListener("click", function () {
    state.stack = copy(CA.LECTURE);
    structureChanged(t("reset", { size: "28×28" }));
  });
  byId("ca-reset32").addEventListener("click", function () {
    state.stack = copy(CA.LECTURE32);
    structureChanged(t("reset", { size: "32×32" }));
  });
  byId("ca-model-name").addEventListener("input", function () {
    state.stack.name = byId("ca-model-name").value;
    updateStack();
  });
  byId("ca-model-input").addEventListener("input", function () {
    state.stack.input = parseShape(byId("ca-model-input").value);
    updateStack();
  });
  byId("ca-download-json").addEventListener("click", function () {
    download(view.json, "stack.json", "application/json");
  });
  byId("ca-download-py").addEventListener("click", function () {
    download(view.keras, "model.py", "text/x-python");
  });
  byId("ca-copy-json").addEventListener("click", function () { copyText(view.json, t("the_stack_file")); });
  byId("ca-copy-py").addEventListener("click", function () { copyText(view.keras, t("the_keras_code")); });
  byId("ca-load").addEventListener("change", function () {
    if (this.files && this.files[0]) loadFile(this.files[0]);
  });
  byId("ca-keras-file").addEventListener("change", function () {
    if (this.files && this.files[0]) readKerasFile(this.files[0]);
  });
  var drop = byId("ca-keras-drop");
  drop.addEventListener("dragover", function (event) { event.preventDefault(); });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files[0]) readKerasFile(files[0]);
  });
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { updateLayer(); freezeColumns(); }, 100);
  });
  updateLayer();
  renderStackEditor();
  updateStack();
  document.documentElement.setAttribute("data-calculator", "ready");
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
