/*
 * conv-arithmetic.js: the calculator page's arithmetic, the Python package's calculator in the browser; the page
 * (calculator-page.js) and the tests import this module, which gathers the pieces:
 *
 *   size(...)            axis.js        lenet_explain.calculator.windows.output_size + formatting.axis_to_dict
 *   summarize(stack)     summary.js     lenet_explain.calculator.arithmetic.summarize + formatting.summary_to_dict
 *   stackFromFile(data)  stackfile.js   lenet_explain.calculator.stackfile.stack_from_dict (the JSON stack file)
 *   computeLayer()       arithmetic.js  one layer call's numbers (the registry LAYERS: type → arithmetic)
 *   kerasCode(stack)     keras-code.js  the Python that lenet_explain.models.keras_model.build_model would run
 *   readKerasArchive()   keras-archive.js  a saved .keras file, as ``lenet-explain summary --model`` reads it
 *   readJson(text)       reading.js     JSON with exact whole numbers (BigInt) and floats kept floats
 *
 * The tables (fields, defaults, limits, activations, built-in stacks) are generated from Python:
 * calculator-data.js. Same rules, same order of checks (tests/test_calculator_node.py compares the two on
 * generated settings and stacks). No DOM here.
 */
import DATA from "./calculator-data.js";
import { exactData } from "./numbers.js";

export {
  LenetError, MAX_DEPTH, MAX_DIGITS, MAX_LAYERS, MAX_RESULT_DIGITS, MAX_STACK_FILE_BYTES, OPS, copyData, exactData, formatInt, isInt,
  message, valueText, word,
} from "./numbers.js";
export { checkDigits, parseNumberText, readJson, toJson } from "./reading.js";
export { axisToDict, describeAxis, formatQuotient, formatSizeFormula, outputSize, size } from "./axis.js";
export { ACTIVATIONS, KERAS_BASE_NAMES, LAYER_FIELDS, REQUIRED, makeLayer } from "./layers.js";
export { LAYERS, computeLayer } from "./arithmetic.js";
export { decodeStackBytes, layerToFile, readStackText, stackFileText, stackFromFile, stackToFile } from "./stackfile.js";
export { formatBytes, formatField, formatParamFormula, formatShape, summarize, totalLines } from "./summary.js";
export { kerasCode } from "./keras-code.js";
export { readKerasArchive, stackFromKerasConfig } from "./keras-archive.js";

/** The lecture's LeNet-5 on 28×28 digits (stacks.LECTURE), as stack file data (whole numbers as BigInt). */
export const LECTURE = exactData(DATA.builtin_stacks.lecture);
/** The lecture's table: LeNet-5 on a 32×32 input, every convolution 'valid' (stacks.LECTURE32). */
export const LECTURE32 = exactData(DATA.builtin_stacks.lecture32);
