/*
 * Preprocessing: any ImageData (a drawing, an uploaded picture) → the 28×28 MNIST-style input, as
 * lenet_explain/walkthrough/images.py does it. The visualizer (visualizer/lenet.js) and the train page
 * (train/page.js) use this same code, with the constants of the visualizer's manifest.
 */
/* ---------------------------------------------------------------------------------------------
 * 5. Preprocessing: any ImageData → the 28×28 input, as lenet_explain/walkthrough/images.py does it:
 *    gray → invert a light background → crop to the ink → longer side to 20 px → centre of mass
 *    to the middle. The numbered constants come from images.py through the manifest.
 * ------------------------------------------------------------------------------------------- */
let P = null; // the preprocessing constants (the manifest's "preprocessing"), set by usePreprocessing()

/** Use the constants of lenet_explain/walkthrough/images.py that a manifest carries (its "preprocessing"). */
export function usePreprocessing(constants) {
  P = constants;
}

export class NoInkError extends Error {
  constructor(message) {
    super(message);
    this.name = "NoInkError";
  }
}

// Python's round(): halves go to the even neighbour (round(2.5) == 2).
function roundHalfEven(v) {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// Gray levels in [0, 1]. Transparent pixels are laid over white or black, whichever shows the ink.
function toGray(imageData) {
  const { width, height, data } = imageData;
  const n = width * height;
  const gray = new Float32Array(n);
  const [r, g, b] = P.luma; // 0.299 red + 0.587 green + 0.114 blue (ITU-R 601, as Pillow's "L")
  let transparent = false;
  for (let i = 0; i < n; i++) {
    gray[i] = (data[4 * i] / 255) * r + (data[4 * i + 1] / 255) * g + (data[4 * i + 2] / 255) * b;
    if (data[4 * i + 3] < 255) transparent = true;
  }
  if (!transparent) return gray;
  const overWhite = new Float32Array(n);
  const overBlack = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const alpha = data[4 * i + 3] / 255;
    overWhite[i] = gray[i] * alpha + (1 - alpha);
    overBlack[i] = gray[i] * alpha;
  }
  return range(overWhite) >= 0.5 * range(overBlack) ? overWhite : overBlack;
}

function range(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi - lo;
}

// The outer frame of the image, about 5% of the shorter side wide: where the background is.
function borderPixels(values, height, width) {
  const k = Math.max(1, roundHalfEven(P.border_fraction * Math.min(height, width)));
  if (2 * k >= Math.min(height, width)) return Float32Array.from(values);
  const out = new Float32Array(height * width - (height - 2 * k) * (width - 2 * k));
  let n = 0;
  for (let y = 0; y < height; y++) {
    if (y < k || y >= height - k) {
      out.set(values.subarray(y * width, (y + 1) * width), n); // a whole row of the top or bottom band
      n += width;
    } else {
      out.set(values.subarray(y * width, y * width + k), n); // the left band
      out.set(values.subarray((y + 1) * width - k, (y + 1) * width), n + k); // the right band
      n += 2 * k;
    }
  }
  return out;
}

// numpy's percentile with linear interpolation (the median is the 50th): the value at position
// q% of the way through the sorted values, interpolated between its two neighbours.
function percentile(values, q) {
  const copy = Float32Array.from(values);
  const position = (q / 100) * (copy.length - 1);
  const below = Math.floor(position);
  const low = select(copy, below); // as if sorted: copy[below], with everything after it ≥ it
  let high = low;
  if (below + 1 < copy.length) {
    high = Infinity;
    for (let i = below + 1; i < copy.length; i++) if (copy[i] < high) high = copy[i];
  }
  return low + (high - low) * (position - below);
}

// The k-th smallest value (k from 0), found without sorting everything (Hoare's selection):
// partition around a pivot, then keep only the side where position k lies.
function select(values, k) {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        [values[i], values[j]] = [values[j], values[i]];
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break; // values between j and i all equal the pivot
  }
  return values[k];
}

// White ink on black in [0, 1]: invert a light background, stretch the contrast, drop paper noise.
function extractInk(gray, height, width) {
  const background = Math.fround(percentile(borderPixels(gray, height, width), 50));
  const inverted = background > 0.5;
  const level = inverted ? 1 - background : background;
  const ink = new Float32Array(gray.length);
  let top = -Infinity;
  for (let i = 0; i < gray.length; i++) {
    ink[i] = inverted ? 1 - gray[i] : gray[i];
    top = Math.max(top, ink[i]);
  }
  if (top - level < P.min_contrast) {
    throw new NoInkError("no ink: the image is blank (contrast " + (top - level).toFixed(2) + ")");
  }
  for (let i = 0; i < ink.length; i++) ink[i] = clip01((ink[i] - level) / (top - level));
  const floor = Math.min(percentile(borderPixels(ink, height, width), P.noise_percentile), P.max_noise_floor);
  for (let i = 0; i < ink.length; i++) ink[i] = clip01((ink[i] - floor) / (1 - floor));
  return { ink: ink, inverted: inverted };
}

function clip01(v) {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

// The box around the ink; on big images a 3×3 median filter first removes isolated specks.
function inkBox(ink, height, width) {
  let mask = new Uint8Array(ink.length);
  const level = P.ink_level;
  for (let i = 0; i < ink.length; i++) mask[i] = ink[i] > level ? 1 : 0;
  if (Math.min(height, width) >= P.speck_filter_min_side) {
    const cleaned = median3x3(mask, height, width);
    if (cleaned.some((v) => v)) mask = cleaned;
  }
  let top = height, left = width, bottom = -1, right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      if (x < left) left = x;
      if (x > right) right = x;
    }
  }
  if (bottom < 0) throw new NoInkError("no ink: the image is blank");
  return { top: top, left: left, bottom: bottom + 1, right: right + 1 };
}

// Median of each 3×3 neighbourhood of a 0/1 mask (edges repeated, as Pillow's MedianFilter(3)):
// 1 where at least 5 of the 9 are 1. Count row by row: sums of 3 across, then of 3 of those down.
function median3x3(mask, height, width) {
  const across = new Uint8Array(mask.length); // each pixel plus its left and right neighbours
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const left = x > 0 ? mask[row + x - 1] : mask[row]; // past the edge: the edge pixel again
      const right = x < width - 1 ? mask[row + x + 1] : mask[row + x];
      across[row + x] = left + mask[row + x] + right;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * width;
    const here = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) out[here + x] = across[up + x] + across[here + x] + across[down + x] >= 5 ? 1 : 0;
  }
  return out;
}

// Pillow's resampling (as Image.resize on a float image): each output pixel is a weighted average
// of the input pixels under the filter, stretched by the scale when shrinking. Rows, then columns.
const FILTERS = {
  box: { support: 0.5, weight: (t) => (t > -0.5 && t <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (t) => Math.max(0, 1 - Math.abs(t)) },
};

function resampleWeights(inSize, outSize, filter) {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const rows = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const first = Math.max(Math.trunc(centre - support + 0.5), 0);
    const last = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const weights = [];
    let total = 0;
    for (let i = first; i < last; i++) {
      const w = filter.weight((i - centre + 0.5) / filterScale);
      weights.push(w);
      total += w;
    }
    rows.push({ first: first, weights: weights.map((w) => (total ? w / total : 0)) });
  }
  return rows;
}

function resize(values, height, width, newHeight, newWidth) {
  const filter = newWidth <= width && newHeight <= height ? FILTERS.box : FILTERS.bilinear;
  let current = values;
  if (newWidth !== width) {
    const plan = resampleWeights(width, newWidth, filter);
    const next = new Float32Array(height * newWidth);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < newWidth; x++) {
        let s = 0;
        plan[x].weights.forEach((w, k) => (s += current[y * width + plan[x].first + k] * w));
        next[y * newWidth + x] = s;
      }
    }
    current = next;
  }
  if (newHeight !== height) {
    const plan = resampleWeights(height, newHeight, filter);
    const next = new Float32Array(newHeight * newWidth);
    for (let y = 0; y < newHeight; y++) {
      for (let x = 0; x < newWidth; x++) {
        let s = 0;
        plan[y].weights.forEach((w, k) => (s += current[(plan[y].first + k) * newWidth + x] * w));
        next[y * newWidth + x] = s;
      }
    }
    current = next;
  }
  return current.map(clip01);
}

// Longer side to 20 px, aspect ratio kept; then the brightest pixel is made 1.
function scaleToBox(crop, height, width) {
  const factor = P.box / Math.max(height, width);
  const h = Math.max(1, roundHalfEven(height * factor));
  const w = Math.max(1, roundHalfEven(width * factor));
  const scaled = resize(crop, height, width, h, w);
  let top = 0;
  for (const v of scaled) top = Math.max(top, v);
  return { values: top > 0 ? scaled.map((v) => v / top) : scaled, height: h, width: w };
}

// Hairline strokes get widened by 1-pixel passes (a 3×3 maximum) until there is MNIST-like ink.
function thicken(scaled) {
  let { values, height, width } = scaled;
  let passes = 0;
  const mass = (v) => v.reduce((a, b) => a + b, 0) / (P.box * P.box);
  while (mass(values) < P.min_ink_mass && passes < P.max_thicken_passes) {
    const next = new Float32Array(values.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let m = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < height && xx >= 0 && xx < width) m = Math.max(m, values[yy * width + xx]);
          }
        }
        next[y * width + x] = m;
      }
    }
    values = next;
    passes++;
  }
  return { values: values, height: height, width: width, passes: passes };
}

function centreOfMass(values, height, width) {
  let total = 0, rows = 0, cols = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      total += v;
      rows += y * v;
      cols += x * v;
    }
  }
  if (total <= 0) throw new NoInkError("no ink: the image is blank");
  return { row: rows / total, col: cols / total };
}

// Put the digit in the 28×28 field with its centre of mass moved to the middle (whole pixels).
function centreInField(scaled) {
  const { values, height, width } = scaled;
  const field = P.field;
  const top = Math.floor((field - height) / 2);
  const left = Math.floor((field - width) / 2);
  const com = centreOfMass(values, height, width);
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const dRow = clamp(roundHalfEven(P.centre - (top + com.row)), -top, field - height - top);
  const dCol = clamp(roundHalfEven(P.centre - (left + com.col)), -left, field - width - left);
  const image = new Float32Array(field * field);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image[(top + dRow + y) * field + left + dCol + x] = values[y * width + x];
  }
  return image;
}

export function preprocess(imageData) {
  if (!P) throw new Error("preprocess needs the manifest: await window.lenet.ready first");
  const isImage = imageData && Number.isInteger(imageData.width) && Number.isInteger(imageData.height) &&
    imageData.width > 0 && imageData.height > 0 && imageData.data instanceof Uint8ClampedArray &&
    imageData.data.length === 4 * imageData.width * imageData.height;
  if (!isImage) {
    const kind = imageData === null || typeof imageData !== "object" ? String(imageData)
      : (imageData.constructor && imageData.constructor.name) || "an object";
    throw new TypeError("preprocess expects an ImageData (width × height RGBA pixels), got " + kind);
  }
  const { width, height } = imageData;
  const gray = toGray(imageData);
  const { ink } = extractInk(gray, height, width);
  const box = inkBox(ink, height, width);
  const cropH = box.bottom - box.top;
  const cropW = box.right - box.left;
  const crop = new Float32Array(cropH * cropW);
  for (let y = 0; y < cropH; y++) {
    for (let x = 0; x < cropW; x++) crop[y * cropW + x] = ink[(box.top + y) * width + box.left + x];
  }
  return centreInField(thicken(scaleToBox(crop, cropH, cropW)));
}
