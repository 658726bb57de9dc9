/*
 * SHA-256 (FIPS 180-4) of downloaded files, checked against the manifests: the visualizer's weights
 * (visualizer/lenet.js) and the train page's MNIST digits (train/trainer.js).
 */
// SHA-256 of a file's bytes, as hex. crypto.subtle only exists on https:// and localhost pages, so on a plain
// http:// static host we compute it ourselves (FIPS 180-4, about 40 lines).
export async function sha256Hex(buffer) {
  if (globalThis.crypto && crypto.subtle) {
    return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", buffer)));
  }
  return sha256HexPlain(buffer);
}

function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function sha256HexPlain(buffer) {
  const K = new Uint32Array(64);
  const H = new Uint32Array(8);
  // The constants are the fractional parts of the square and cube roots of the first primes.
  const primes = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p)) primes.push(n);
  const frac = (v) => ((v - Math.floor(v)) * 2 ** 32) >>> 0;
  primes.forEach((p, i) => (K[i] = frac(Math.cbrt(p))));
  for (let i = 0; i < 8; i++) H[i] = frac(Math.sqrt(primes[i]));
  const bytes = new Uint8Array(buffer);
  const length = Math.ceil((bytes.length + 9) / 64) * 64;
  const padded = new Uint8Array(length);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(length - 8, Math.floor(bytes.length / 2 ** 29));
  view.setUint32(length - 4, (bytes.length * 8) >>> 0);
  const W = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < length; offset += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getUint32(offset + 4 * t);
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(W[t - 15], 7) ^ rotr(W[t - 15], 18) ^ (W[t - 15] >>> 3);
      const s1 = rotr(W[t - 2], 17) ^ rotr(W[t - 2], 19) ^ (W[t - 2] >>> 10);
      W[t] = W[t - 16] + s0 + W[t - 7] + s1;
    }
    let [a, b, c, d, e, f, g, h] = H;
    for (let t = 0; t < 64; t++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + W[t]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, h].forEach((v, i) => (H[i] = H[i] + v));
  }
  const out = new Uint8Array(32);
  H.forEach((v, i) => new DataView(out.buffer).setUint32(4 * i, v));
  return toHex(out);
}
