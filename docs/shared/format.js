/*
 * Numbers as the interactive pages write them, the same way in every language (the Chinese pages show the
 * same digits as the English ones).
 */

/** `v` (a fraction) as a percentage with `digits` decimals: percent(0.97312) is "97.31%". */
export function percent(v, digits = 2) {
  return (100 * v).toFixed(digits) + "%";
}

/** A probability for the reader: never "100%" (the other digits still get a little), nor "0%". */
export function probability(p) {
  if (p > 0.9999) return "> 99.99%";
  if (p < 0.0001) return "< 0.01%";
  return percent(p, p > 0.999 || p < 0.001 ? 2 : 1);
}
