/*
 * The invariance lab's transforms of a 28×28 digit, in plain JavaScript on Float32Arrays. A digit is 784 values,
 * row by row, 0 background to 1 ink. The conventions (the order, the centre, the ranges, Simard et al.'s σ and α,
 * the 1998 distortion's amounts, the random streams) come from lab_data.json, which takes them from
 * lenet_explain/walkthrough/transforms.py; nothing here is a number of its own but the 3×3 filter and the Gaussian.
 *
 * In the order they are applied:
 *   thickness  k passes of a 3×3 maximum (k > 0, thicker) or minimum (k < 0, thinner), 0 outside the picture
 *   elastic    Simard et al. (2003): a random displacement field, uniform in [−1, 1], smoothed by a Gaussian of
 *              standard deviation σ, times α pixels; the digit read there, bilinear
 *   affine, scale, rotate   one bilinear resampling about the centre: the 1998 paper's random distortion
 *              (translation, scaling, squeezing, horizontal shearing), then scaling, then rotation
 *              (counter-clockwise on the screen for a positive angle)
 *   shift      whole pixels, exact: dx > 0 right, dy > 0 down, 0 comes in
 *   noise      Gaussian of standard deviation `noise`, then clipped to 0…1
 */
import { LenetEngine } from "../train/engine.js";

const SIDE = 28;

/** The value at (x, y) in pixel indices, bilinear between the four nearest pixels, 0 outside the picture. */
function bilinear(image, x, y) {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  let total = 0;
  for (let dy = 0; dy < 2; dy++) {
    const yy = y0 + dy;
    if (yy < 0 || yy >= SIDE) continue;
    const wy = dy ? fy : 1 - fy;
    for (let dx = 0; dx < 2; dx++) {
      const xx = x0 + dx;
      if (xx < 0 || xx >= SIDE) continue;
      total += wy * (dx ? fx : 1 - fx) * image[yy * SIDE + xx];
    }
  }
  return total;
}

/** Thicker (k > 0) or thinner (k < 0) strokes: |k| passes of a 3×3 maximum or minimum filter, 0 outside. */
export function thicken(image, k) {
  let current = Float32Array.from(image);
  const grow = k > 0;
  for (let pass = 0; pass < Math.abs(Math.round(k)); pass++) {
    const next = new Float32Array(SIDE * SIDE);
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) {
        let v = current[r * SIDE + c];
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            const inside = rr >= 0 && rr < SIDE && cc >= 0 && cc < SIDE;
            const u = inside ? current[rr * SIDE + cc] : 0;
            v = grow ? Math.max(v, u) : Math.min(v, u);
          }
        }
        next[r * SIDE + c] = v;
      }
    }
    current = next;
  }
  return current;
}

/** A normalised Gaussian kernel of standard deviation sigma, reaching radius·σ either side. */
function gaussianKernel(sigma, radius) {
  const reach = Math.ceil(radius * sigma);
  const kernel = Float64Array.from({ length: 2 * reach + 1 }, (_, i) => Math.exp(-((i - reach) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  return kernel.map((v) => v / total);
}

/** Smooth a 28×28 field with a separable Gaussian, the field taken as 0 outside the picture. */
function smooth(field, kernel) {
  const reach = (kernel.length - 1) / 2;
  const rows = new Float64Array(SIDE * SIDE);
  const out = new Float64Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      let s = 0;
      for (let k = -reach; k <= reach; k++) if (c + k >= 0 && c + k < SIDE) s += kernel[k + reach] * field[r * SIDE + c + k];
      rows[r * SIDE + c] = s;
    }
  }
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      let s = 0;
      for (let k = -reach; k <= reach; k++) if (r + k >= 0 && r + k < SIDE) s += kernel[k + reach] * rows[(r + k) * SIDE + c];
      out[r * SIDE + c] = s;
    }
  }
  return out;
}

/** Simard et al.'s elastic distortion with strength alpha (pixels) and the conventions' σ, seeded. */
export function elastic(image, alpha, seed, conventions) {
  const next = LenetEngine.random(seed, conventions.streams.elastic);
  const { sigma, radius } = conventions.elastic;
  const kernel = gaussianKernel(sigma, radius);
  const fx = smooth(Float64Array.from({ length: SIDE * SIDE }, () => 2 * next() - 1), kernel);
  const fy = smooth(Float64Array.from({ length: SIDE * SIDE }, () => 2 * next() - 1), kernel);
  const out = new Float32Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const i = r * SIDE + c;
      out[i] = bilinear(image, c + alpha * fx[i], r + alpha * fy[i]);
    }
  }
  return out;
}

/** The 1998 paper's random affine distortion at ``strength`` (0…1), seeded: {matrix: [a, b, c, d], offset: [x, y]}. */
export function paperAffine(strength, seed, conventions) {
  const next = LenetEngine.random(seed, conventions.streams.affine);
  const amounts = conventions.paper_affine;
  const draw = (amount) => strength * amount * (2 * next() - 1);
  const tx = draw(amounts.translate);
  const ty = draw(amounts.translate);
  const s = 1 + draw(amounts.scale);
  const q = draw(amounts.squeeze); // squeeze: one axis compressed by as much as the other is stretched
  const h = draw(amounts.shear); // horizontal shear: x moves by h·y
  const sx = s * (1 - q);
  const sy = s * (1 + q);
  return { matrix: [sx, h * sy, 0, sy], offset: [tx, ty] };
}

/** Product of two 2×2 matrices [a, b, c, d] (row by row). */
function multiply(m, n) {
  return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3]];
}

/** Move a digit by ``matrix`` about the centre, then by ``offset``: bilinear, 0 outside. */
export function resample(image, matrix, offset, centre) {
  const [a, b, c, d] = matrix;
  const det = a * d - b * c;
  const inv = [d / det, -b / det, -c / det, a / det];
  const out = new Float32Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    for (let col = 0; col < SIDE; col++) {
      const u = col - centre - offset[0];
      const v = r - centre - offset[1];
      out[r * SIDE + col] = bilinear(image, centre + inv[0] * u + inv[1] * v, centre + inv[2] * u + inv[3] * v);
    }
  }
  return out;
}

/** Scaling then rotation (degrees, counter-clockwise on the screen, rows growing downwards) as a 2×2 matrix. */
export function rotationMatrix(degrees, scale) {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return [scale * cos, scale * sin, -scale * sin, scale * cos];
}

/** Move a digit by whole pixels, dx right and dy down; 0 comes in. Exact. */
export function shift(image, dx, dy) {
  const out = new Float32Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    const from = r - dy;
    if (from < 0 || from >= SIDE) continue;
    for (let c = 0; c < SIDE; c++) {
      const fromC = c - dx;
      if (fromC >= 0 && fromC < SIDE) out[r * SIDE + c] = image[from * SIDE + fromC];
    }
  }
  return out;
}

/** Add seeded Gaussian noise of standard deviation ``sigma`` (Box–Muller), then clip to 0…1. */
export function addNoise(image, sigma, seed, conventions) {
  const next = LenetEngine.random(seed, conventions.streams.noise);
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    out[i] = Math.min(1, Math.max(0, image[i] + sigma * g));
  }
  return out;
}

/** Every transform of ``options`` applied to ``pixels`` in the conventions' order; missing options do nothing. */
export function transform(pixels, options, conventions) {
  if (!(pixels instanceof Float32Array) && !Array.isArray(pixels)) throw new TypeError("transform expects 784 numbers");
  if (pixels.length !== SIDE * SIDE) throw new RangeError("transform expects 784 numbers, not " + pixels.length);
  const o = Object.assign({}, conventions.defaults, options || {});
  for (const key of ["dx", "dy"]) {
    if (!Number.isInteger(o[key])) throw new RangeError(key + " must be a whole number of pixels");
  }
  let x = Float32Array.from(pixels);
  if (o.thickness) x = thicken(x, o.thickness);
  if (o.elastic) x = elastic(x, o.elastic, o.seed, conventions);
  let matrix = [1, 0, 0, 1];
  let offset = [0, 0];
  if (o.affine) ({ matrix, offset } = paperAffine(o.affine, o.seed, conventions));
  if (o.scale !== 1 || o.rotate !== 0) {
    const m = rotationMatrix(o.rotate, o.scale);
    matrix = multiply(m, matrix);
    offset = [m[0] * offset[0] + m[1] * offset[1], m[2] * offset[0] + m[3] * offset[1]];
  }
  if (o.affine || o.scale !== 1 || o.rotate !== 0) x = resample(x, matrix, offset, conventions.centre);
  if (o.dx || o.dy) x = shift(x, o.dx, o.dy);
  if (o.noise) x = addNoise(x, o.noise, o.seed, conventions);
  return x;
}
