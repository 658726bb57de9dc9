/*
 * The engine's three matrix products in WebAssembly with 128-bit SIMD: loading kernels.wasm (built from
 * kernels.wat, which says what each product computes), placing a network's buffers in the module's memory,
 * and calling the products with the same arguments as engine.js's plain-JavaScript ones (section 2 there).
 *
 * No copies per product: createNetwork (engine.js) makes its buffers as usual, then placeInWasm moves every
 * one the products read or write (the weights, the input, each layer's outputs and their gradients, the
 * im2col rows, the weights' gradients) into one WebAssembly.Memory of the network's own, as Float32Array
 * views that the rest of the engine uses like any other array. The memory never grows, so the views stay valid.
 */
const WASM_URL = new URL("./kernels.wasm", import.meta.url);
const FIRST = 64; // the first byte used: address 0 means "no bias" to the kernels
const PAGE = 65536; // bytes in a page of WebAssembly memory

let compiled = null; // the WebAssembly.Module, once loaded

// Fetch and compile kernels.wasm once. False where the browser has no WebAssembly or no SIMD (the module
// does not validate there) or the file cannot be had: the engine then keeps the JavaScript products.
export async function loadWasmModule() {
  if (compiled) return true;
  if (typeof WebAssembly !== "object") return false;
  try {
    const response = await fetch(WASM_URL);
    if (!response.ok) return false;
    const bytes = await response.arrayBuffer();
    if (!WebAssembly.validate(bytes)) return false;
    compiled = await WebAssembly.compile(bytes);
    return true;
  } catch {
    return false;
  }
}

const align = (bytes) => Math.ceil(bytes / 16) * 16; // v128 loads need no alignment, but it helps

// Move the network's arrays that the products touch into a new memory; returns the kernels bound to it.
export function placeInWasm(net) {
  if (!compiled) throw new Error("placeInWasm: call loadWasmModule() first");
  const slots = [[net, "params"], [net, "input"]];
  for (const layer of net.layers) {
    // The filters as the forward product reads them: K × filters (kernels.wat's transpose).
    if (layer.kernelGrad) layer.transposed = new Float32Array(layer.K * layer.filters);
    for (const key of ["out", "outGrad", "rows", "rowGrads", "kernelGrad", "transposed", "padded"]) {
      if (layer[key]) slots.push([layer, key]);
    }
  }
  const places = new Map(); // each array once (a Flatten layer shares its input's): array → first byte
  let end = FIRST;
  for (const [owner, key] of slots) {
    const array = owner[key];
    if (!places.has(array)) {
      places.set(array, end);
      end += align(array.length * 4);
    }
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(end / PAGE) });
  const exports = new WebAssembly.Instance(compiled, { env: { memory: memory } }).exports;
  const views = new Map();
  for (const [array, at] of places) {
    const view = new Float32Array(memory.buffer, at, array.length);
    view.set(array);
    views.set(array, view);
  }
  for (const [owner, key] of slots) owner[key] = views.get(owner[key]);
  return bindKernels(memory, exports);
}

// The products on byte addresses. Each returns false when it cannot run a product (an array outside this
// memory, or a row narrower than four columns): the engine then runs its JavaScript product instead.
function bindKernels(memory, exports) {
  const at = (array, offset) => array.byteOffset + 4 * offset;
  const inside = (...arrays) => arrays.every((a) => a.buffer === memory.buffer);
  return {
    memory: memory,
    // C[m][n] = bias[n] + Σ_k A[m][k] · W[n][k]: W is transposed into T (K × N), then C = bias + A · T.
    // `transposed`: T already holds W transposed (weights that do not change, as in the visualizer).
    productWithRows(M, N, K, A, a0, W, w0, bias, b0, C, c0, T, transposed) {
      if (N < 4 || !inside(A, W, bias, C, T)) return false;
      if (M === 0) return true;
      if (!transposed) exports.transpose(N, K, at(W, w0), at(T, 0));
      exports.product(M, K, N, at(A, a0), at(T, 0), at(bias, b0), at(C, c0));
      return true;
    },
    // G[n][k] += Σ_m D[m][n] · A[m][k]
    gradientOfRows(M, N, K, D, d0, A, a0, G) {
      if (K < 4 || !inside(D, A, G)) return false;
      if (M === 0) return true;
      exports.gradientOfRows(M, N, K, at(D, d0), at(A, a0), at(G, 0));
      return true;
    },
    // values[i] = 1 / (1 + e^−values[i]) for the first n values, in place (kernels.wat's e^x: float32).
    sigmoid(values, n) {
      if (n < 4 || !inside(values)) return false;
      exports.sigmoid(at(values, 0), n);
      return true;
    },
    // im2col of one image: the windows of `source` from `image` on (rows of `width` pixels) into `rows` from r.
    windowsToRows(layer, source, image, width, rows, r) {
      const C = layer.inShape[2];
      if (layer.kernel[1] * C < 4 || !inside(source, rows)) return false;
      exports.windowsToRows(at(source, image), width, C, layer.outShape[0], layer.outShape[1], layer.kernel[0],
        layer.kernel[1], layer.strides[0], layer.strides[1], at(rows, r));
      return true;
    },
    // R[m][k] = Σ_n D[m][n] · W[n][k]: the forward product with X = D, Y = W and no bias.
    gradientToRows(M, N, K, D, d0, W, w0, R, r0) {
      if (K < 4 || !inside(D, W, R)) return false;
      if (M === 0) return true;
      exports.product(M, N, K, at(D, d0), at(W, w0), 0, at(R, r0));
      return true;
    },
  };
}
