/*
 * Building the interactive pages' DOM: the visualizer, the train page and the steppers make their elements
 * with make(); the visualizer and the train page draw their probability bars with fillBars().
 */
import { percent } from "./format.js";

/** A new `tag` element: attrs sets attributes ("text" the text, "class" the class names), then its children. */
export function make(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children || []) node.append(child);
  return node;
}

/** Set the ten probability bars (`fills`, one per digit) to `p`, marking digit `top` with `topClass`; no `p`: empty. */
export function fillBars(fills, p, top, topClass) {
  fills.forEach((f, d) => {
    f.style.height = p ? percent(p[d], 1) : "0";
    if (p) f.classList.toggle(topClass, d === top);
  });
}
