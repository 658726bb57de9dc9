/*
 * Connection lines: when a unit is hovered or selected, lines run from it to every input it reads, as in Adam
 * Harley's 2015 visualizer — to its window in each map of the layer before (every map it sums), to the one map a
 * pooling unit shrinks, or to every value a fully connected unit weighs.
 *
 * Nothing here knows LeNet-5: what a unit reads comes from the model's own layer description (the manifest):
 * kernel_size or pool_size, strides, pad, and connection_table when a layer reads only some of its input maps
 * (the C3 of LeNet-5 as published in 1998). page.js calls show() and clear(); the lines are an SVG laid over
 * the layers, hidden from assistive technology (the inspector says the same in words).
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

  /* ---------------------------------------------------------------- where things are on the page */
  // Boxes of the layers' canvases relative to the container, measured once and again only after a resize
  // (a hidden or shown layer resizes the container), so drawing lines never forces a layout.
  function boxes(state, sections) {
    const shown = Object.keys(sections).filter((name) => !sections[name].section.hidden).join(" ");
    if (state.boxes && state.shown === shown) return state.boxes;
    state.shown = shown;
    const origin = state.container.getBoundingClientRect();
    const found = {};
    for (const [name, section] of Object.entries(sections)) {
      found[name] = Array.from(section.maps.querySelectorAll("canvas.lv-cells"), (canvas) => {
        const r = canvas.getBoundingClientRect();
        return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height,
                 cols: canvas.width, rows: canvas.height, vector: canvas.dataset.channel === "vector",
                 columns: Number(canvas.dataset.columns) || canvas.width };
      });
    }
    state.boxes = found;
    return found;
  }

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

  // Where a line meets an input: the middle of the window's lower edge (the part inside the map), or a value's cell.
  function targets(list, inputs) {
    const out = [];
    if (inputs.all) {
      for (const b of list) {
        if (b.w === 0) continue;
        if (b.vector) {
          const count = b.cols * b.rows;
          for (let i = 0; i < count; i++) out.push(cellCentre(b, Math.floor(i / b.columns), i % b.columns));
        } else {
          out.push([b.x + b.w / 2, b.y + b.h]);
        }
      }
      return out;
    }
    for (const m of inputs.maps) {
      const b = list[m];
      if (!b || b.w === 0) continue;
      const left = Math.max(0, inputs.left);
      const bottom = Math.min(b.rows, inputs.top + inputs.height), right = Math.min(b.cols, inputs.left + inputs.width);
      out.push([b.x + (((left + right) / 2) * b.w) / b.cols, b.y + (bottom * b.h) / b.rows]);
    }
    return out;
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
    const halo = document.createElementNS(SVG, "path");
    halo.setAttribute("fill", "none");
    halo.setAttribute("stroke", "rgba(0, 0, 0, 0.55)");
    halo.setAttribute("stroke-linecap", "round");
    const line = document.createElementNS(SVG, "path");
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "#e69f00"); // the window outline's orange
    line.setAttribute("stroke-linecap", "round");
    svg.append(halo, line);
    container.append(svg);
    const state = { container: container, svg: svg, halo: halo, line: line, boxes: null, count: 0 };
    new ResizeObserver(() => (state.boxes = null)).observe(container);
    window.addEventListener("resize", () => (state.boxes = null));
    container.lvLinks = state;
    return state;
  }

  // Draw the lines of `unit` ({name, row, col, channel}) of model.layers[layerIndex]; `sections` are page.js's.
  function show(container, sections, model, layerIndex, unit) {
    const state = attach(container);
    const inputs = inputsOf(model, layerIndex, unit);
    const found = boxes(state, sections);
    const from = found[unit.name] ? unitCentre(found[unit.name], unit) : null;
    const ends = found[inputs.source] ? targets(found[inputs.source], inputs) : [];
    let d = "";
    let count = 0;
    if (from) {
      for (const end of ends) {
        d += "M" + from[0].toFixed(1) + " " + from[1].toFixed(1) + "L" + end[0].toFixed(1) + " " + end[1].toFixed(1);
        count++;
      }
    }
    const thin = count > 24; // a fully connected unit: many lines, drawn finer
    state.halo.setAttribute("stroke-width", thin ? "1.6" : "3.2");
    state.line.setAttribute("stroke-width", thin ? "0.7" : "1.6");
    state.line.setAttribute("stroke-opacity", thin ? "0.8" : "1");
    state.halo.setAttribute("d", d);
    state.line.setAttribute("d", d);
    state.count = count;
    state.svg.dataset.links = String(count);
    state.svg.dataset.unit = unit.name;
    return count;
  }

  function clear(container) {
    const state = container.lvLinks;
    if (!state || !state.count) return;
    state.halo.setAttribute("d", "");
    state.line.setAttribute("d", "");
    state.count = 0;
    state.svg.dataset.links = "0";
  }

  window.lenetConnections = { inputsOf: inputsOf, show: show, clear: clear };
})();
