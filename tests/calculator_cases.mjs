// Answers a batch of calculator cases with the page's own modules (docs/calculator/), for tests/node_calculator.py.
// stdin: {"cases": [[kind, text], …], "language": "en" or "zh"} where text is JSON (read by the page's reader, so
// whole numbers stay exact and 5.0 stays a float); the modules word their answers as on a page of that language
// (its <html lang>); stdout: one result per case, whole numbers as {"$int": "digits"} when not safe.
import { readFile } from "node:fs/promises";
import * as CA from "../docs/calculator/conv-arithmetic.js";

/** A result as JSON data: BigInt and unsafe integers as {"$int": digits}, everything else as it is. */
function encode(value) {
  if (typeof value === "bigint") return { $int: value.toString() };
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return { $int: BigInt(value).toString() };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item)]));
  }
  return value;
}

/** A stack's summary with the totals under its table. */
function summaryOf(stack) {
  const summary = CA.summarize(stack);
  return { summary, totals: CA.totalLines(summary) };
}

/** What a stack's refusals start with, as the page's stack editor words it ("stack" in English). */
const where = () => CA.word("where_stack");

const KINDS = {
  size: (text) => CA.size(CA.readJson(text, "setting")),
  typed: (text) => {
    const [option, typed] = JSON.parse(text);
    const setting = { input: 40n ** 15n, kernel: 3n, stride: 2n, op: "maxpool" };
    setting[option] = CA.parseNumberText(typed);
    return CA.size(setting);
  },
  stack: (text) => summaryOf(CA.stackFromFile(CA.readJson(text, where()), "stack", where())),
  stackText: (text) => summaryOf(CA.readStackText(text, "stack", where())),
  stackBytes: (text) => { // the bytes of a file (hex), decoded and read as the page reads a loaded file
    const bytes = Uint8Array.from(JSON.parse(text).match(/../g) || [], (pair) => parseInt(pair, 16));
    return summaryOf(CA.readStackText(CA.decodeStackBytes(bytes, where()), "stack", where()));
  },
  kerasConfig: (text) => summaryOf(CA.stackFromKerasConfig(CA.readJson(text, "config.json"), "model")),
  kerasConfigSized: (text) => {
    const [config, sizes] = CA.readJson(text, "config.json");
    return summaryOf(CA.stackFromKerasConfig(config, "model", sizes));
  },
  kerasCode: (text) => CA.kerasCode(CA.stackFromFile(CA.readJson(text, where()), "stack", where())),
  kerasFile: async (text) => {
    const path = JSON.parse(text);
    const bytes = await readFile(path);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return summaryOf(await CA.readKerasArchive(buffer, path.split("/").pop()));
  },
  roundTrip: (text) => CA.stackFileText(CA.stackFromFile(CA.readJson(text, where()), "stack", where())),
  builtins: () => [CA.LECTURE, CA.LECTURE32],
  limits: () => [CA.MAX_DIGITS, CA.MAX_DEPTH, CA.MAX_LAYERS, CA.MAX_STACK_FILE_BYTES, CA.MAX_RESULT_DIGITS],
};

/** One case's answer: {ok: result} or {error: message, lenet: whether it is the calculator's own error}. */
async function answer([kind, text]) {
  try {
    return { ok: encode(await KINDS[kind](text)) };
  } catch (error) {
    const openShape = error && error.openShape ? { openShape: encode(error.openShape) } : {};
    return { error: String(error && error.message), lenet: error instanceof CA.LenetError, ...openShape };
  }
}

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
// The page's words come from its <html lang> (docs/i18n/i18n.js reads it at every message): a Chinese page's.
if (request.language === "zh") globalThis.document = { documentElement: { lang: "zh-Hans" } };
const answers = [];
for (const item of request.cases) answers.push(await answer(item));
process.stdout.write(JSON.stringify(answers));
