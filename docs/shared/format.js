/*
 * Numbers as the interactive pages write them, the same way in every language (the Chinese pages show the
 * same digits as the English ones).
 */

/** `v` (a fraction) as a percentage with `digits` decimals: percent(0.97312) is "97.31%". */
export function percent(v, digits = 2) {
  return (100 * v).toFixed(digits) + "%";
}

/** `v` with `digits` decimals and a real minus sign (U+2212), never "−0.000": signed(-0.2071, 3) is "−0.207". */
export function signed(v, digits) {
  const text = Math.abs(v).toFixed(digits);
  return v < 0 && Number(text) !== 0 ? "\u2212" + text : text;
}

/** A probability for the reader: never "100%" (the other digits still get a little), nor "0%". */
export function probability(p) {
  if (p > 0.9999) return "> 99.99%";
  if (p < 0.0001) return "< 0.01%";
  return percent(p, p > 0.999 || p < 0.001 ? 2 : 1);
}
