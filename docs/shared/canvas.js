/*
 * Pictures of numbers on canvases, one pixel per value: the visualizer, the invariance lab and the "how it learns"
 * page draw their maps and digits with these.
 */
import { make } from "./dom.js";

/** A colour table {steps, rgb: "rrggbb…"} as RGBA pixels (little-endian 0xAABBGGRR), for ImageData. */
export function hexTable(table) {
  const colours = new Uint32Array(table.steps);
  for (let i = 0; i < table.steps; i++) {
    const r = parseInt(table.rgb.substr(6 * i, 2), 16);
    const g = parseInt(table.rgb.substr(6 * i + 2, 2), 16);
    const b = parseInt(table.rgb.substr(6 * i + 4, 2), 16);
    colours[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  return colours;
}

/** The colour of `v` in a table of `steps` colours whose ends are `lo` and `hi` (the middle when lo = hi). */
export function colourIndex(v, lo, hi, steps) {
  const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  return Math.max(0, Math.min(steps - 1, Math.round(t * (steps - 1))));
}

/** Paint `values` into `canvas`, one pixel each, `lo`/`hi` at the ends of `lut`; where `mask` is set, neutral grey. */
export function paint(canvas, values, lut, lo, hi, mask) {
  const ctx = canvas.getContext("2d");
  if (!canvas.lvImage) { // made once per canvas and reused: a page repaints its maps on every update
    canvas.lvImage = ctx.createImageData(canvas.width, canvas.height);
    canvas.lvPixels = new Uint32Array(canvas.lvImage.data.buffer);
  }
  const image = canvas.lvImage;
  const pixels = canvas.lvPixels;
  for (let i = 0; i < pixels.length; i++) {
    if (i >= values.length) pixels[i] = 0;
    else if (mask && mask[i]) pixels[i] = 0xff9e9e9e; // padding: neutral gray
    else pixels[i] = lut[colourIndex(values[i], lo, hi, lut.length)];
  }
  ctx.putImageData(image, 0, 0);
}

/** Paint grey levels, 0 black to 1 white, one pixel per value. */
export function paintGray(canvas, values) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(canvas.width, canvas.height);
  for (let i = 0; i < values.length; i++) {
    const g = Math.round(255 * values[i]);
    image.data.set([g, g, g, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

/** Paint a digit as MNIST has it, 0 background (white) to 1 ink (black), one pixel per value. */
export function paintInk(canvas, values) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(canvas.width, canvas.height);
  for (let i = 0; i < values.length; i++) {
    const g = Math.round(255 * (1 - values[i]));
    image.data.set([g, g, g, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

/** A width × height canvas shown `cell` CSS pixels per value, labelled for screen readers. */
export function pixelCanvas(width, height, cell, label, className) {
  const canvas = make("canvas", { width: width, height: height, class: className, role: "img", "aria-label": label });
  canvas.style.width = width * cell + "px";
  canvas.style.height = height * cell + "px";
  return canvas;
}
