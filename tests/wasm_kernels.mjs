// The WebAssembly kernels (docs/train/kernels.wasm) against engine.js's JavaScript products on shapes the
// models' tests do not reach: rows not a multiple of 4, rows of 4 to 150 columns with every remainder, sums
// added twice. Prints, per product, the largest difference relative to the largest value. Run by
// tests/test_wasm_kernels.py.
import { readFileSync } from "node:fs";
import { LenetEngine } from "../docs/train/engine.js";

const P = LenetEngine.products;
const bytes = readFileSync(new URL("../docs/train/kernels.wasm", import.meta.url));
const memory = new WebAssembly.Memory({ initial: 64 });
const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: memory } }).exports;

let seed = 7; // a small linear congruential generator: the same numbers every run
const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
let end = 64;
function place(length, fill) { // a Float32Array in the kernels' memory
  const view = new Float32Array(memory.buffer, end, length);
  end += Math.ceil((length * 4) / 16) * 16;
  for (let i = 0; i < length; i++) view[i] = fill ? next() : 0;
  return view;
}
function worst(want, got) {
  let scale = 0, diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    diff = Math.max(diff, Math.abs(want[i] - got[i]));
  }
  return diff / scale;
}

const errors = { product: 0, gradientOfRows: 0, gradientToRows: 0, sigmoid: 0, shapes: 0 };
for (const M of [1, 2, 3, 5, 7, 16, 17]) {
  for (const N of [4, 6, 10, 13]) {
    for (const K of [4, 5, 6, 7, 25, 30, 150]) {
      end = 64;
      const A = place(M * K, true), W = place(N * K, true), bias = place(N, true), T = place(K * N);
      const C = place(M * N), D = place(M * N, true), G = place(N * K), R = place(M * K);
      const want = new Float32Array(M * N);
      P.productWithRows(M, N, K, A, 0, W, 0, bias, 0, want, 0);
      k.transpose(N, K, W.byteOffset, T.byteOffset);
      k.product(M, K, N, A.byteOffset, T.byteOffset, bias.byteOffset, C.byteOffset);
      errors.product = Math.max(errors.product, worst(want, C));
      const wantG = new Float64Array(N * K); // added twice: the kernels add to what is there
      P.gradientOfRows(M, N, K, D, 0, A, 0, wantG);
      P.gradientOfRows(M, N, K, D, 0, A, 0, wantG);
      k.gradientOfRows(M, N, K, D.byteOffset, A.byteOffset, G.byteOffset);
      k.gradientOfRows(M, N, K, D.byteOffset, A.byteOffset, G.byteOffset);
      errors.gradientOfRows = Math.max(errors.gradientOfRows, worst(wantG, G));
      const wantR = new Float32Array(M * K);
      P.gradientToRows(M, N, K, D, 0, W, 0, wantR, 0, new Float64Array(4 * K));
      k.product(M, N, K, D.byteOffset, W.byteOffset, 0, R.byteOffset);
      errors.gradientToRows = Math.max(errors.gradientToRows, worst(wantR, R));
      errors.shapes++;
    }
  }
}
for (const n of [4, 5, 6, 7, 8, 4704]) {
  end = 64;
  const v = place(n);
  for (let i = 0; i < n; i++) v[i] = next() * 100; // far into both tails of σ
  const want = Float64Array.from(v, (z) => 1 / (1 + Math.exp(-z)));
  k.sigmoid(v.byteOffset, n);
  for (let i = 0; i < n; i++) errors.sigmoid = Math.max(errors.sigmoid, Math.abs(want[i] - v[i]));
}
console.log(JSON.stringify(errors));
