/*
 * Connection lines: when a unit is hovered or selected, lines run from it to every input it reads, as in Adam
 * Harley's 2015 visualizer — to its window in each map of the layer before (every map it sums), to the one map a
 * pooling unit shrinks, or to every value a fully connected unit weighs.
 *
 * Nothing here knows LeNet-5: what a unit reads comes from the model's own layer description (the manifest):
 * kernel_size or pool_size, strides, pad, and connection_table when a layer reads only some of its input maps
 * (the C3 of LeNet-5 as published in 1998). page.js calls show() and clear(); the lines are an SVG laid over
 * the layers, hidden from assistive technology (the inspector says the same in words).
 *
 * Each line says what its input adds to the unit's sum: its colour and dash the sign of weight × input (for a
 * map, the sum of w·x over the unit's window in that map), its width the size. Lines are never drawn over a
 * layer's title: each is cut where it would cross one.
 */
(function () {

  const SVG = "http://www.w3.org/2000/svg";

  /* ---------------------------------------------------------------- what a unit reads */
  // The layer a unit's input comes from: the one before it, looking through layers the page does not draw
  // (Flatten passes its input on unchanged, value for value).
  function sourceOf(model, layerIndex) {
    let k = layerIndex - 1;
    while (k >= 0 && model.layers[k].type === "Flatten") k--;
    return k < 0 ? { name: "input", shape: model.inputShape } : { name: model.layers[k].name, shape: model.layers[k].output_shape };
  }

  function range(n) {
    return Array.from({ length: n }, (_, i) => i);
  }

  // What unit {row, col, channel} of model.layers[layerIndex] reads, in its source's coordinates (from 0):
  //   {source, maps, top, left, height, width}  a window (it may hang over the padding) in each of `maps`, or
  //   {source, all: true}                        every value of the source (a fully connected unit).
  function inputsOf(model, layerIndex, unit) {
    const layer = model.layers[layerIndex];
    const source = sourceOf(model, layerIndex);
    const window = layer.kernel_size || layer.pool_size;
    if (window && source.shape.length === 3) {
      const [sy, sx] = layer.strides || [1, 1];
      const [padTop, padLeft] = layer.pad || [0, 0];
      const maps = layer.pool_size ? [unit.channel] // pooling and subsampling: each map on its own
        : layer.connection_table ? layer.connection_table[unit.channel].slice() // only the maps of its row
          : range(source.shape[2]); // a convolution sums every input map
      return { source: source.name, maps: maps, top: unit.row * sy - padTop, left: unit.col * sx - padLeft,
               height: window[0], width: window[1] };
    }
    return { source: source.name, all: true };
  }

  /* ---------------------------------------------------------------- what each input adds */
  // The unit's explanation (lenet.js: window values and weights, shape [kh, kw, maps] or [n]) as w·x per line:
  // a Map from a map's number (windows) or a value's index (a fully connected unit) to Σ w·x; null without weights.
  function termsOf(info, inputs) {
    if (!info || !info.weights) return null; // max pooling: no weights, no sign
    const win = info.window;
    const terms = new Map();
    if (!inputs.all) {
      const c = win.shape[2];
      const maps = win.maps || (Number.isInteger(win.channels) ? [win.channels] : range(c));
      for (let ch = 0; ch < c; ch++) {
        let z = 0;
        for (let i = ch; i < win.values.length; i += c) z += info.weights[i] * win.values[i];
        terms.set(maps[ch], z);
      }
      return terms;
    }
    for (let i = 0; i < win.values.length; i++) terms.set(i, info.weights[i] * win.values[i]);
    return terms;
  }

  /* ---------------------------------------------------------------- where things are on the page */
  // Boxes of the layers' canvases and titles relative to the container, measured once and again only after a
  // resize (a hidden or shown layer resizes the container), so drawing lines never forces a layout.
  function boxes(state, sections) {
    const shown = Object.keys(sections).filter((name) => !sections[name].section.hidden).join(" ");
    if (state.boxes && state.shown === shown) return state.boxes;
    state.shown = shown;
    const origin = state.container.getBoundingClientRect();
    const found = {};
    const titles = [];
    for (const [name, section] of Object.entries(sections)) {
      found[name] = Array.from(section.maps.querySelectorAll("canvas.lv-cells"), (canvas) => {
        const r = canvas.getBoundingClientRect();
        return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height,
                 cols: canvas.width, rows: canvas.height, vector: canvas.dataset.channel === "vector",
                 columns: Number(canvas.dataset.columns) || canvas.width };
      });
      const title = section.section.hidden ? null : section.section.querySelector("h4");
      if (title) {
        const r = title.getBoundingClientRect();
        titles.push({ x: r.left - origin.left - TITLE_MARGIN, y: r.top - origin.top - TITLE_MARGIN,
                      w: r.width + 2 * TITLE_MARGIN, h: r.height + 2 * TITLE_MARGIN });
      }
    }
    state.boxes = found;
    state.titles = titles;
    return found;
  }

  const TITLE_MARGIN = 3; // CSS px kept clear around a title

  // The centre of a unit's cell: in a map canvas (row, col), or in a vector canvas (value `index`).
  function cellCentre(box, row, col) {
    return [box.x + ((col + 0.5) * box.w) / box.cols, box.y + ((row + 0.5) * box.h) / box.rows];
  }

  function unitCentre(list, unit) {
    if (!list.length || list[0].w === 0) return null; // a hidden layer
    if (list.length === 1 && list[0].vector) {
      const b = list[0];
      return cellCentre(b, Math.floor(unit.channel / b.columns), unit.channel % b.columns);
    }
    return list[unit.channel] ? cellCentre(list[unit.channel], unit.row, unit.col) : null;
  }

  // Where a line meets an input, with the input's key (a map's number or a value's index): the middle of the
  // window's lower edge (the part inside the map), or a value's cell.
  function targets(list, inputs) {
    const out = [];
    if (inputs.all) {
      let index = 0;
      for (const b of list) {
        if (b.vector) {
          const count = b.cols * b.rows;
          for (let i = 0; i < count; i++, index++) {
            if (b.w) out.push({ key: index, at: cellCentre(b, Math.floor(i / b.columns), i % b.columns) });
          }
        } else {
          if (b.w) out.push({ key: null, at: [b.x + b.w / 2, b.y + b.h] });
        }
      }
      return out;
    }
    for (const m of inputs.maps) {
      const b = list[m];
      if (!b || b.w === 0) continue;
      const left = Math.max(0, inputs.left);
      const bottom = Math.min(b.rows, inputs.top + inputs.height), right = Math.min(b.cols, inputs.left + inputs.width);
      out.push({ key: m, at: [b.x + (((left + right) / 2) * b.w) / b.cols, b.y + (bottom * b.h) / b.rows] });
    }
    return out;
  }

  // The parts of the segment a→b outside every box: a list of [t0, t1] (0 ≤ t ≤ 1), by Liang–Barsky clipping.
  function outsideBoxes(a, b, list) {
    let parts = [[0, 1]];
    const dx = b[0] - a[0], dy = b[1] - a[1];
    for (const r of list) {
      let t0 = 0, t1 = 1;
      const edges = [[-dx, a[0] - r.x], [dx, r.x + r.w - a[0]], [-dy, a[1] - r.y], [dy, r.y + r.h - a[1]]];
      let inside = true;
      for (const [p, q] of edges) {
        if (p === 0) {
          if (q < 0) inside = false;
        } else if (p < 0) t0 = Math.max(t0, q / p);
        else t1 = Math.min(t1, q / p);
      }
      if (!inside || t0 >= t1) continue; // the segment misses this box
      parts = parts.flatMap(([s, e]) => [[s, Math.min(e, t0)], [Math.max(s, t1), e]].filter(([u, v]) => v > u));
    }
    return parts;
  }

  /* ---------------------------------------------------------------- drawing */
  function attach(container) {
    if (container.lvLinks) return container.lvLinks;
    if (getComputedStyle(container).position === "static") container.style.position = "relative";
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "lv-links");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;overflow:visible;pointer-events:none;z-index:1;";
    const halos = document.createElementNS(SVG, "g");
    halos.setAttribute("class", "lv-link-halos");
    const lines = document.createElementNS(SVG, "g");
    svg.append(halos, lines);
    container.append(svg);
    const state = { container: container, svg: svg, halos: halos, lines: lines, boxes: null, titles: [], count: 0 };
    new ResizeObserver(() => (state.boxes = null)).observe(container);
    window.addEventListener("resize", () => (state.boxes = null));
    container.lvLinks = state;
    return state;
  }

  // The i-th line and its halo, made when first needed and reused after.
  function lineAt(state, i) {
    while (state.lines.children.length <= i) {
      state.halos.append(document.createElementNS(SVG, "path"));
      state.lines.append(document.createElementNS(SVG, "path"));
    }
    return [state.lines.children[i], state.halos.children[i]];
  }

  function signName(term) {
    return term === null || term === undefined ? "none" : term > 0 ? "positive" : term < 0 ? "negative" : "zero";
  }

  // Draw the lines of `unit` ({name, row, col, channel}) of model.layers[layerIndex]; `sections` are page.js's,
  // `info` the unit's explanation (lenet.explain), whose weights and inputs give each line's w·x.
  function show(container, sections, model, layerIndex, unit, info) {
    const state = attach(container);
    const inputs = inputsOf(model, layerIndex, unit);
    const found = boxes(state, sections);
    const from = found[unit.name] ? unitCentre(found[unit.name], unit) : null;
    const ends = from && found[inputs.source] ? targets(found[inputs.source], inputs) : [];
    const terms = termsOf(info, inputs);
    let largest = 0;
    for (const end of ends) largest = Math.max(largest, Math.abs((terms && terms.get(end.key)) || 0));
    const many = ends.length > 24; // a fully connected unit: many lines, drawn finer
    const [thinnest, widest] = many ? [0.4, 2.4] : [1, 4];
    ends.forEach((end, i) => {
      const [line, halo] = lineAt(state, i);
      const term = terms && terms.has(end.key) ? terms.get(end.key) : null;
      const width = term === null ? thinnest : thinnest + ((widest - thinnest) * Math.abs(term)) / (largest || 1);
      let d = "";
      for (const [t0, t1] of outsideBoxes(from, end.at, state.titles)) {
        const x = (t) => (from[0] + t * (end.at[0] - from[0])).toFixed(1);
        const y = (t) => (from[1] + t * (end.at[1] - from[1])).toFixed(1);
        d += "M" + x(t0) + " " + y(t0) + "L" + x(t1) + " " + y(t1);
      }
      const sign = signName(term);
      line.setAttribute("class", "lv-link lv-link-" + sign);
      line.setAttribute("d", d);
      line.setAttribute("stroke-width", width.toFixed(2));
      line.dataset.key = String(end.key);
      line.dataset.sign = sign;
      line.dataset.term = term === null ? "" : String(term);
      halo.setAttribute("class", "lv-link-halo");
      halo.setAttribute("d", d);
      halo.setAttribute("stroke-width", (width + (many ? 1.2 : 2.4)).toFixed(2));
    });
    for (let i = ends.length; i < state.count; i++) {
      const [line, halo] = lineAt(state, i);
      line.setAttribute("d", "");
      halo.setAttribute("d", "");
      line.dataset.sign = "";
    }
    state.count = ends.length;
    state.svg.dataset.links = String(ends.length);
    state.svg.dataset.unit = unit.name;
    return ends.length;
  }

  function clear(container) {
    const state = container.lvLinks;
    if (!state || !state.count) return;
    for (let i = 0; i < state.count; i++) {
      const [line, halo] = lineAt(state, i);
      line.setAttribute("d", "");
      halo.setAttribute("d", "");
      line.dataset.sign = "";
    }
    state.count = 0;
    state.svg.dataset.links = "0";
  }

  window.lenetConnections = { inputsOf: inputsOf, termsOf: termsOf, show: show, clear: clear };
})();
