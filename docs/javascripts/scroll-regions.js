/* Keyboard access to regions that scroll sideways (WCAG 2.1.1): a wide table, a code cell or an output that
   is wider than the column gets a tab stop, the role "region" and a name, so arrow keys can scroll it; when a
   wider screen makes it fit again, the tab stop goes away. Runs on every page (mkdocs.yml: extra_javascript). */
(function () {
  "use strict";
  const SELECTOR = [
    ".md-typeset .lx-scroll",
    ".md-typeset pre.lx-pre",
    ".md-typeset .lx-math",
    ".md-typeset__scrollwrap",
    ".jupyter-wrapper .highlight-ipynb",
    ".jupyter-wrapper .jp-OutputArea-output pre",
    ".jupyter-wrapper .jp-RenderedHTMLCommon",
  ].join(", ");

  function describe(element) {
    const caption = element.querySelector("caption");
    if (caption && caption.textContent.trim()) return "Table: " + caption.textContent.trim();
    if (element.matches(".highlight-ipynb")) return "Code cell";
    if (element.matches(".lx-math")) return "Formula";
    if (element.matches("pre, .jp-RenderedHTMLCommon")) return "Output";
    const table = element.querySelector("table[id]");
    return table ? "Table " + table.id : "Scrollable region";
  }

  function update() {
    document.querySelectorAll(SELECTOR).forEach(function (element) {
      const scrolls = element.scrollWidth > element.clientWidth + 1;
      const ours = element.hasAttribute("data-lx-scroll");
      if (scrolls && !element.hasAttribute("tabindex")) {
        const added = ["tabindex"];
        element.setAttribute("tabindex", "0");
        if (!element.hasAttribute("role")) { element.setAttribute("role", "region"); added.push("role"); }
        if (!element.hasAttribute("aria-label") && !element.hasAttribute("aria-labelledby")) {
          element.setAttribute("aria-label", describe(element));
          added.push("aria-label");
        }
        element.setAttribute("data-lx-scroll", added.join(" "));
      } else if (!scrolls && ours) {
        element.getAttribute("data-lx-scroll").split(" ").forEach((name) => element.removeAttribute(name));
        element.removeAttribute("data-lx-scroll");
      }
    });
  }

  let pending = 0;
  function schedule() {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  window.addEventListener("load", update);
  window.addEventListener("resize", schedule);
})();
