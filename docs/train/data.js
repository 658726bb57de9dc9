/*
 * The train page's data, loaded and checked: the manifest and the MNIST files (labels, then images), each checked
 * against the sha256 the manifest gives and inflated by the browser itself; and the settings both pages take (a
 * model of the manifest, a seed, a learning rate), checked. Used by trainer.js (the train page) and
 * ../learn/learn.js (the "how it learns" page). Its errors (TrainerError) carry a `key` and `values`: the same
 * sentence in the word tables' "train" section (docs/i18n/), for a page to say in its language.
 */
import { sha256Hex } from "../shared/sha256.js";

const here = new URL(".", import.meta.url);
export const FORMAT = "lenet-explain-train/1";

// An error a reader may meet: `message` is the API's English; `key` names the same sentence in the word
// tables' "train" section (docs/i18n/) and `values` fills its {placeholders}, for the page to say it in its language.
export class TrainerError extends Error {
  constructor(message, key, values) {
    super(message);
    this.name = "TrainerError";
    this.key = key;
    this.values = values || {};
  }
}

export async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) {
    const file = url.pathname.split("/").pop();
    throw new TrainerError("cannot load " + file + " (HTTP " + response.status + ")", "err_load",
      { file: file, status: response.status });
  }
  return response;
}

// Raw DEFLATE, undone by the browser itself.
export async function inflate(bytes, format) {
  if (typeof DecompressionStream === "undefined") {
    throw new TrainerError("this browser cannot decompress the data", "err_decompress");
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function loadSplit(entry) {
  const bytes = await (await fetchOk(new URL(entry.file, here))).arrayBuffer();
  const digest = await sha256Hex(bytes);
  if (bytes.byteLength !== entry.bytes || digest !== entry.sha256) {
    throw new TrainerError(entry.file + " does not match the manifest (sha256 " + digest.slice(0, 12) + "…)",
      "err_checksum", { file: entry.file, digest: digest.slice(0, 12) });
  }
  const raw = await inflate(bytes, entry.compression);
  if (raw.length !== entry.raw_bytes) {
    throw new TrainerError(entry.file + " has the wrong size once inflated", "err_size", { file: entry.file });
  }
  return { count: entry.count, compressed: bytes, compression: entry.compression, rawBytes: entry.raw_bytes,
    labels: raw.subarray(0, entry.count), images: raw.subarray(entry.count) };
}

// The manifest (train_manifest.json beside this file), its format checked.
export async function loadManifest() {
  const manifest = await (await fetchOk(new URL("train_manifest.json", here))).json();
  if (manifest.format !== FORMAT) {
    throw new TrainerError("unknown manifest format " + manifest.format, "err_format", { format: manifest.format });
  }
  return manifest;
}

/* ------------------------------------------------------------------ settings both pages take */
const MAX_SEED = 4294967295;

/** A whole number from ``low`` to ``high``: a JavaScript number, not text, null, a list or a boolean. */
export function isWhole(value, low, high) {
  return typeof value === "number" && Number.isInteger(value) && value >= low && value <= high;
}

/** The model named `value` (undefined: the lecture's), refused when the manifest has no such model. */
export function checkedModel(manifest, value) {
  const model = value === undefined ? "lecture" : value;
  if (typeof model !== "string" || !Object.hasOwn(manifest.models, model)) {
    throw new Error("no model " + JSON.stringify(model) + " (lecture or modern)");
  }
  return model;
}

/** The seed `value` (undefined: the recipe's), a whole number ≥ 0 below 2³². */
export function checkedSeed(manifest, value) {
  const seed = value === undefined ? manifest.recipe.seed : value;
  if (!isWhole(seed, 0, MAX_SEED)) throw new TrainerError("seed must be a whole number ≥ 0", "err_seed");
  return seed;
}

/** The learning rate `value` (undefined: Adam's default from the manifest), above 0 and at most 1. */
export function checkedRate(manifest, value) {
  const rate = value === undefined ? manifest.optimizer.learning_rate : value;
  if (typeof rate !== "number" || !(rate > 0 && rate <= 1)) {
    throw new TrainerError("learning rate must be above 0 and at most 1", "err_rate");
  }
  return rate;
}
