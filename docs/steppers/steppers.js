/*
 * Steppers: move a window over a grid one position at a time, see what it computes, hear where it is.
 *
 *   <div data-stepper="convolution">  the lecture's three features over the X and the O (convolution page)
 *   <div data-stepper="pooling">      2×2 max pooling of those maps, edge windows kept or dropped (pooling page)
 *   <div data-stepper="channels">     one C3 unit adding up its six S2 maps (activation page)
 *   <div data-stepper="receptive-field">  which input pixels a unit of each layer sees (pooling page)
 *
 * This file computes nothing. Every value, colour and sentence comes from the JSON that
 * lenet_explain/site/steppers.py writes into the stepper when the site is built, from the same functions as the
 * pages' tables. Keyboard: focus the stepper; → and ← move one position in reading order (wrapping), ↑ and ↓ a
 * row, Home and End the first and last, Space plays or pauses, Escape pauses. Mouse, pen and touch: the buttons,
 * or a cell of the output grid. The status line (aria-live="polite") says each position.
 * Runs on every page (mkdocs.yml: extra_javascript, a module) and does nothing where there is no stepper.
 */
import { make } from "../shared/dom.js";

/**
 * Where a stepper's key moves it among `count` positions in rows of `columns`, from `index`: → and ← one position
 * in reading order (the caller wraps), ↑ and ↓ a row (staying put at an edge), Home and End the first and last;
 * null for any other key. The steppers here and the learn page's kernel-gradient stepper move the same way.
 */
export function moveTo(key, index, count, columns) {
  if (key === "ArrowRight") return index + 1;
  if (key === "ArrowLeft") return index - 1;
  if (key === "ArrowDown") return index + columns < count ? index + columns : index;
  if (key === "ArrowUp") return index - columns >= 0 ? index - columns : index;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}

(function () {
  // The words the script writes itself, in the page's language (docs/i18n/); the data's sentences come with the data.
  // The word tables are imported only on a page that has a stepper (start), not on every page.
  let words = null;
  const t = (key, params) => words(key, params);

  /* ---------------------------------------------------------------- small helpers */
  // A grid of cells as a table: {table, cells[row][col]}; `onPick(row, col)` when a cell is clicked or tapped.
  function grid(rows, cols, caption, className, onPick) {
    const cells = [];
    const body = make("tbody");
    for (let r = 0; r < rows; r++) {
      const tr = make("tr");
      cells.push([]);
      for (let c = 0; c < cols; c++) {
        const td = make("td");
        if (onPick) td.addEventListener("click", () => onPick(r, c));
        cells[r].push(td);
        tr.append(td);
      }
      body.append(tr);
    }
    const cap = make("caption", { text: caption });
    const table = make("table", { class: "lx-step-grid " + (className || "") }, [cap, body]);
    if (onPick) table.classList.add("lx-pickable");
    return { table: table, cells: cells, caption: cap };
  }

  // A value printed the lecture's way, coloured from the data's palette ({text: [background, text colour]}).
  function paintValue(td, text, palette) {
    paint(td, text === null ? null : { t: text, bg: palette[text][0], fg: palette[text][1] });
  }

  function paint(td, cell) {
    td.textContent = cell ? cell.t : "";
    td.style.background = cell ? cell.bg : "";
    td.style.color = cell ? cell.fg : "";
  }

  function pixel(td, value) {
    td.textContent = value > 0 ? "+1" : "\u22121";
    td.classList.toggle("lx-ink", value > 0);
  }

  // Draw a window's frame on the cells it covers (rows r0..r1−1, columns c0..c1−1 of `cells`).
  function frame(cells, r0, r1, c0, c1) {
    cells.forEach((row, r) => row.forEach((td, c) => {
      const inside = r >= r0 && r < r1 && c >= c0 && c < c1;
      const edges = [];
      if (inside && r === r0) edges.push("inset 0 3px 0 var(--lx-window)");
      if (inside && r === r1 - 1) edges.push("inset 0 -3px 0 var(--lx-window)");
      if (inside && c === c0) edges.push("inset 3px 0 0 var(--lx-window)");
      if (inside && c === c1 - 1) edges.push("inset -3px 0 0 var(--lx-window)");
      td.style.boxShadow = edges.join(", ");
      td.classList.toggle("lx-in-window", inside);
    }));
  }

  // The output grid fills in up to window i (reading order) and marks it.
  function fillOutput(cells, windows, i, palette) {
    windows.forEach((w, j) => {
      const td = cells[w.row][w.col];
      paintValue(td, j <= i ? w.value : null, palette);
      td.classList.toggle("lx-current", j === i);
    });
  }

  function panel(title, children, className) {
    return make("div", { class: "lx-step-panel " + (className || "") }, [
      title ? make("p", { class: "lx-step-title", text: title }) : null,
    ].filter(Boolean).concat(children));
  }

  /* ---------------------------------------------------------------- the stepper itself */
  class Stepper {
    constructor(root, data, view) {
      this.root = root;
      this.data = data;
      this.view = view;
      this.index = 0;
      this.timer = null;
      this.choice = {};
      this.status = root.querySelector(".lx-stepper-status");
      this.buttons = {};
      const bar = make("div", { class: "lx-stepper-bar" });
      for (const option of data.options) {
        this.choice[option.key] = option.choices[0][0];
        const group = make("div", { class: "lx-step-options", role: "group", "aria-label": option.label },
          [make("span", { class: "lx-step-label", text: t("option_label", { label: option.label }) })]);
        this.buttons[option.key] = option.choices.map(([value, text]) => {
          const button = make("button", { type: "button", class: "lx-step-choice", "data-choice": value,
            "aria-pressed": String(value === this.choice[option.key]), text: text });
          if (option.names && option.names[value]) button.setAttribute("aria-label", option.names[value]);
          button.addEventListener("click", () => this.choose(option.key, value));
          group.append(button);
          return button;
        });
        bar.append(group);
      }
      this.back = make("button", { type: "button", class: "lx-step-move", "data-move": "back", text: t("back") });
      this.play = make("button", { type: "button", class: "lx-step-move", "data-move": "play", text: t("play") });
      this.next = make("button", { type: "button", class: "lx-step-move", "data-move": "next", text: t("next") });
      this.back.addEventListener("click", () => this.step(-1));
      this.next.addEventListener("click", () => this.step(1));
      this.play.addEventListener("click", () => (this.timer ? this.pause() : this.start()));
      bar.append(make("div", { class: "lx-step-transport", role: "group", "aria-label": t("move_window") },
        [this.back, this.play, this.next]));
      this.stage = make("div", { class: "lx-stepper-stage" });
      root.insertBefore(bar, this.status);
      root.insertBefore(this.stage, this.status);
      view.build(this);
      view.reset(this);
      this.go(0);
      root.addEventListener("keydown", (event) => this.onKey(event));
      root.dataset.ready = "true";
    }

    count() { return this.view.count(this); }
    columns() { return this.view.columns(this); }

    go(i) {
      const n = this.count();
      this.index = ((i % n) + n) % n;
      this.view.show(this, this.index);
      this.status.textContent = this.view.say(this, this.index);
    }

    step(delta) {
      this.pause();
      this.go(this.index + delta);
    }

    choose(key, value) {
      const columns = this.columns();
      const row = Math.floor(this.index / columns), col = this.index % columns;
      this.choice[key] = value;
      this.buttons[key].forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.choice === value)));
      this.view.reset(this);
      // Stay at the same row and column where the new grid has them, else at its last row or column.
      const cols = this.columns(), rows = Math.ceil(this.count() / cols);
      this.go(Math.min(row, rows - 1) * cols + Math.min(col, cols - 1));
    }

    start() {
      if (this.index >= this.count() - 1) this.go(0);
      this.status.setAttribute("aria-live", "off"); // no queue of announcements while it plays
      this.play.textContent = t("pause");
      this.timer = setInterval(() => {
        if (this.index >= this.count() - 1) this.pause();
        else this.go(this.index + 1);
      }, this.data.play_ms);
    }

    pause() {
      if (!this.timer) return;
      clearInterval(this.timer);
      this.timer = null;
      this.play.textContent = t("play");
      this.status.setAttribute("aria-live", "polite");
      this.status.textContent = this.view.say(this, this.index);
    }

    onKey(event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const onRoot = event.target === this.root;
      if (!onRoot && event.target.tagName !== "BUTTON") return;
      const to = moveTo(event.key, this.index, this.count(), this.columns());
      if (to !== null) {
        event.preventDefault();
        this.pause();
        this.go(to);
      } else if (onRoot && (event.key === " " || event.key === "Enter")) {
        event.preventDefault();
        if (this.timer) this.pause(); else this.start();
      } else if (event.key === "Escape") {
        this.pause();
      }
    }
  }

  /* ---------------------------------------------------------------- convolution: a feature over the X or the O */
  const convolution = {
    build(s) {
      const d = s.data;
      const image = d.images[s.choice.image];
      const feature = d.features[s.choice.feature];
      const side = d.columns;
      this.image = grid(image.length, image[0].length, "", "lx-step-pixels");
      this.feature = grid(feature.length, feature[0].length, "", "lx-step-pixels");
      this.products = grid(feature.length, feature[0].length, t("products"), "lx-step-products");
      this.map = grid(side, side, "", "lx-step-map", (r, c) => { s.pause(); s.go(r * side + c); });
      this.sum = make("p", { class: "lx-step-formula" });
      s.stage.append(
        panel("", [this.image.table], "lx-step-source"),
        panel("", [this.map.table], "lx-step-output"),
        panel("", [this.feature.table, make("span", { class: "lx-step-times", "aria-hidden": "true", text: "×" }),
          this.products.table, this.sum], "lx-step-work"),
      );
    },
    reset(s) {
      const d = s.data;
      this.windows = d.maps[s.choice.image][s.choice.feature];
      d.images[s.choice.image].forEach((row, r) => row.forEach((v, c) => pixel(this.image.cells[r][c], v)));
      d.features[s.choice.feature].forEach((row, r) => row.forEach((v, c) => pixel(this.feature.cells[r][c], v)));
      const names = d.options[1].names;
      this.feature.caption.textContent = names[s.choice.feature];
      this.map.caption.textContent = t("feature_map_caption");
    },
    count() { return this.windows.length; },
    columns(s) { return s.data.columns; },
    show(s, i) {
      const w = this.windows[i];
      const k = this.feature.cells.length;
      frame(this.image.cells, w.row, w.row + k, w.col, w.col + k);
      this.image.caption.textContent = t("image_window", { image: s.choice.image, row: w.row + 1, col: w.col + 1 });
      w.products.forEach((p, j) => {
        const td = this.products.cells[Math.floor(j / k)][j % k];
        paint(td, s.data.products[p > 0 ? "+1" : "\u22121"]);
      });
      const minus = w.count - w.matches;
      this.sum.textContent = t(minus === 1 ? "sum_one_minus" : "sum_minus", { plus: w.matches, minus: minus,
        total: w.total, exact: w.exact, long: w.long, value: w.value });
      fillOutput(this.map.cells, this.windows, i, s.data.palette);
    },
    say(s, i) { return this.windows[i].say; },
  };

  /* ---------------------------------------------------------------- max pooling with the edge windows */
  const pooling = {
    build(s) {
      const first = s.data.maps[s.data.options[0].choices[0][0]][s.data.options[1].choices[0][0]];
      const size = first.cells.length;
      const reach = Math.max(...first.windows.ceil.map((w) => w.rows[0] + w.pool)); // the last window's far edge
      this.size = size;
      this.map = grid(reach, reach, "", "lx-step-map lx-step-pool-map");
      this.map.cells.forEach((row, r) => row.forEach((td, c) => {
        if (r >= size || c >= size) {
          td.classList.add("lx-beyond");
          td.setAttribute("aria-hidden", "true");
        }
      }));
      this.window = make("p", { class: "lx-step-formula" });
      this.out = make("div", { class: "lx-step-out" });
      s.stage.append(panel("", [this.map.table], "lx-step-source"), panel("", [this.out], "lx-step-output"),
        panel("", [this.window], "lx-step-work"));
      this.legend = make("p", { class: "lx-step-note" });
      s.stage.append(this.legend);
    },
    reset(s) {
      const m = s.data.maps[s.choice.image][s.choice.feature];
      this.windows = m.windows[s.choice.edge];
      this.side = m.columns[s.choice.edge];
      m.cells.forEach((row, r) => row.forEach((text, k) => paintValue(this.map.cells[r][k], text, s.data.palette)));
      const kept = s.choice.edge === "ceil";
      // Floor mode never pools the cells past the last whole window: they are shown dropped.
      const covered = Math.max(...this.windows.map((w) => w.rows[1]));
      this.map.cells.forEach((row, r) => row.forEach((td, c) => {
        td.classList.toggle("lx-dropped", r < this.size && c < this.size && (r >= covered || c >= covered));
        if (r >= this.size || c >= this.size) td.classList.toggle("lx-shown", kept);
      }));
      this.pooled = grid(this.side, this.side, t("pooled_caption"), "lx-step-map",
        (r, c) => { s.pause(); s.go(r * this.side + c); });
      this.out.replaceChildren(this.pooled.table);
      const feature = s.data.options[1].names[s.choice.feature];
      this.map.caption.textContent = t("map_caption", { feature: feature, image: s.choice.image });
      this.legend.textContent = kept
        ? t("legend_ceil") : t("legend_floor");
    },
    count() { return this.windows.length; },
    columns() { return this.side; },
    show(s, i) {
      const w = this.windows[i];
      frame(this.map.cells, w.rows[0], w.rows[0] + w.pool, w.cols[0], w.cols[0] + w.pool);
      const winners = new Set(w.winners.map(([r, c]) => r + "," + c));
      this.map.cells.forEach((row, r) => row.forEach((td, c) => td.classList.toggle("lx-winner", winners.has(r + "," + c))));
      this.window.textContent = "max(" + w.values.join(", ") + ") = " + w.value +
        (w.partial ? t("partial", { n: w.values.length, of: w.pool * w.pool }) : "") +
        (w.winners.length > 1 ? t("tie", { n: w.winners.length }) : "");
      fillOutput(this.pooled.cells, this.windows, i, s.data.palette);
    },
    say(s, i) { return this.windows[i].say; },
  };

  /* ---------------------------------------------------------------- one C3 unit reading every S2 map */
  const channels = {
    build(s) {
      const d = s.data;
      const [kh, kw] = d.window.size;
      const side = d.steps[0].s2.length;
      this.source = grid(side, side, "", "lx-step-tiny");
      this.source.table.setAttribute("aria-hidden", "true");
      this.window = grid(kh, kw, t("the_window"), "lx-step-values");
      this.kernel = grid(kh, kw, t("kernel_slice"), "lx-step-values");
      this.products = grid(kh, kw, t("products"), "lx-step-values");
      const rows = d.steps.map((step, m) => [t("source_map", { source: d.source, map: m + 1 }), step.sum]);
      this.sums = make("table", { class: "lx-step-sums" }, [
        make("caption", { text: t("sums_caption") }),
        make("tbody", {}, rows.map(([name, sum]) => make("tr", {}, [make("th", { scope: "row", text: name }), make("td", { text: sum })]))
          .concat([[t("plus_bias"), d.bias], ["z", d.z], ["\u03c3(z)", d.value]].map(([name, v]) =>
            make("tr", { class: "lx-step-final" }, [make("th", { scope: "row", text: name }), make("td", { text: v })])))),
      ]);
      this.formula = make("p", { class: "lx-step-formula" });
      s.stage.append(panel("", [this.source.table], "lx-step-source"),
        panel("", [this.sums, this.formula], "lx-step-output"),
        panel("", [this.window.table, this.kernel.table, this.products.table], "lx-step-work lx-step-tiles"));
    },
    reset() {},
    count(s) { return s.data.steps.length + 1; },
    columns(s) { return s.data.steps.length + 1; },
    show(s, i) {
      const d = s.data;
      const last = i === d.steps.length;
      const step = d.steps[Math.min(i, d.steps.length - 1)];
      const [kh, kw] = d.window.size;
      step.s2.forEach((row, r) => row.forEach((bg, c) => (this.source.cells[r][c].style.background = bg)));
      frame(this.source.cells, d.window.row, d.window.row + kh, d.window.col, d.window.col + kw);
      this.source.caption.textContent = t("source_map_of", { source: d.source, map: step.map + 1, n: d.steps.length });
      for (const [g, key] of [[this.window, "window"], [this.kernel, "kernel"], [this.products, "products"]]) {
        step[key].forEach((row, r) => row.forEach((c, k) => paint(g.cells[r][k], c)));
      }
      this.sums.querySelectorAll("tbody tr").forEach((tr, j) => {
        tr.classList.toggle("lx-pending", last ? false : j > i);
        tr.classList.toggle("lx-current", last ? j >= d.steps.length : j === i);
      });
      this.formula.textContent = last
        ? t("final_formula", { z: d.z, value: d.value })
        : t("running", { i: i + 1, n: d.steps.length, running: step.running });
    },
    say(s, i) { return i === s.data.steps.length ? s.data.final : s.data.steps[i].say; },
  };

  /* ---------------------------------------------------------------- receptive fields on a real digit */
  const CELL = 8; // CSS px per input pixel

  const receptive = {
    build(s) {
      const d = s.data;
      this.side = d.pad + d.size + d.padAfter;
      this.input = make("canvas", { width: this.side * CELL, height: this.side * CELL, class: "lx-step-canvas", role: "img" });
      this.units = make("canvas", { class: "lx-step-canvas lx-pickable", role: "img" });
      this.input.addEventListener("click", (e) => this.pickInput(s, e));
      this.units.addEventListener("click", (e) => this.pickUnit(s, e));
      this.unitsCaption = make("p", { class: "lx-step-title" });
      s.stage.append(
        panel(t("digit_caption", { index: d.digit.number, label: d.digit.label }), [this.input], "lx-step-source"),
        panel("", [this.unitsCaption, this.units], "lx-step-output"),
      );
    },
    reset(s) {
      this.layer = s.data.layers.find((l) => l.name === s.choice.layer);
      const [h, w] = this.layer.out;
      this.cell = Math.max(6, Math.min(24, Math.floor(224 / Math.max(h, w))));
      this.units.width = w * this.cell + 1;
      this.units.height = h * this.cell + 1;
      this.unitsCaption.textContent = t("units_caption", { layer: this.layer.name, h: h, w: w });
    },
    count() { return this.layer.out[0] * this.layer.out[1]; },
    columns() { return this.layer.out[1]; },
    position(i) { return [Math.floor(i / this.layer.out[1]), i % this.layer.out[1]]; },
    show(s, i) {
      const d = s.data;
      const [r, c] = this.position(i);
      const ctx = this.input.getContext("2d");
      const off = d.pad;
      ctx.fillStyle = "#d9d9d9"; // the padding
      ctx.fillRect(0, 0, this.input.width, this.input.height);
      for (let y = 0; y < d.size; y++) {
        for (let x = 0; x < d.size; x++) {
          const g = 255 - d.digit.pixels[y * d.size + x]; // dark ink on white paper
          ctx.fillStyle = "rgb(" + g + "," + g + "," + g + ")";
          ctx.fillRect((x + off) * CELL, (y + off) * CELL, CELL, CELL);
        }
      }
      ctx.strokeStyle = "#555555";
      ctx.lineWidth = 1;
      ctx.strokeRect(off * CELL + 0.5, off * CELL + 0.5, d.size * CELL - 1, d.size * CELL - 1);
      const top = this.layer.rowStarts[r] + off, left = this.layer.colStarts[c] + off;
      const [fh, fw] = this.layer.size;
      ctx.fillStyle = "rgba(230, 159, 0, 0.35)";
      ctx.fillRect(left * CELL, top * CELL, fw * CELL, fh * CELL);
      ctx.strokeStyle = "#d55e00";
      ctx.lineWidth = 3;
      ctx.strokeRect(left * CELL + 1.5, top * CELL + 1.5, fw * CELL - 3, fh * CELL - 3);
      const u = this.units.getContext("2d");
      const [h, w] = this.layer.out;
      u.fillStyle = "#ffffff";
      u.fillRect(0, 0, this.units.width, this.units.height);
      u.fillStyle = "#d55e00";
      u.fillRect(c * this.cell, r * this.cell, this.cell, this.cell);
      u.strokeStyle = "#888888";
      u.lineWidth = 1;
      for (let k = 0; k <= Math.max(h, w); k++) {
        if (k <= w) { u.beginPath(); u.moveTo(k * this.cell + 0.5, 0); u.lineTo(k * this.cell + 0.5, h * this.cell); u.stroke(); }
        if (k <= h) { u.beginPath(); u.moveTo(0, k * this.cell + 0.5); u.lineTo(w * this.cell, k * this.cell + 0.5); u.stroke(); }
      }
      const text = this.say(s, i);
      this.input.setAttribute("aria-label", t("digit_field", { text: text }));
      this.units.setAttribute("aria-label", t("units_label", { layer: this.layer.name, row: r + 1, col: c + 1 }));
    },
    say(s, i) {
      const [r, c] = this.position(i);
      const [fh, fw] = this.layer.size;
      return t("sees", { layer: this.layer.name, row: r + 1, col: c + 1, rows: this.layer.rowText[r],
        cols: this.layer.colText[c], h: fh, w: fw });
    },
    pickUnit(s, event) {
      const box = this.units.getBoundingClientRect();
      const [h, w] = this.layer.out;
      const c = Math.min(w - 1, Math.floor(((event.clientX - box.left) / box.width) * w));
      const r = Math.min(h - 1, Math.floor(((event.clientY - box.top) / box.height) * h));
      s.pause();
      s.go(r * w + c);
    },
    // A click on the digit picks the unit whose field is centred nearest to that pixel.
    pickInput(s, event) {
      const box = this.input.getBoundingClientRect();
      const y = ((event.clientY - box.top) / box.height) * this.side - s.data.pad;
      const x = ((event.clientX - box.left) / box.width) * this.side - s.data.pad;
      const nearest = (starts, size, v) => starts.reduce((best, start, k) =>
        Math.abs(start + size / 2 - v) < Math.abs(starts[best] + size / 2 - v) ? k : best, 0);
      const r = nearest(this.layer.rowStarts, this.layer.size[0], y);
      const c = nearest(this.layer.colStarts, this.layer.size[1], x);
      s.pause();
      s.go(r * this.layer.out[1] + c);
    },
  };

  const VIEWS = { convolution: convolution, pooling: pooling, channels: channels, "receptive-field": receptive };

  async function start() {
    const roots = document.querySelectorAll("[data-stepper]");
    if (!roots.length) return;
    words = (await import("../i18n/i18n.js")).section("steppers");
    roots.forEach((root) => {
      const view = Object.hasOwn(VIEWS, root.dataset.stepper) ? VIEWS[root.dataset.stepper] : null;
      const script = root.querySelector("script.lx-stepper-data");
      if (!view || !script || root.dataset.ready) return;
      root.lxStepper = new Stepper(root, JSON.parse(script.textContent), Object.create(view));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
