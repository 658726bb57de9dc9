/*
 * A pad to draw a digit on, with a mouse, a finger, a pen or the keyboard: dark ink on a white square canvas.
 * The visualizer and the train page both use it; what a drawing is then used for is theirs (callbacks).
 *
 * Keyboard: the arrow keys move a cursor (Shift: small steps), Space or Enter lifts and lowers the pen,
 * Delete, Backspace or Escape clears the pad.
 */

/**
 * Make ``canvas`` a drawing pad; ``cursor`` is the element that shows the keyboard pen's place.
 *
 * Options: ``penWidth`` and ``keyStep`` in canvas pixels, ``penDownClass`` (the cursor's class while the keyboard
 * pen is down), ``onDrawing`` (called after each pointer move of a stroke), ``onDrawn`` (after a stroke ends or the
 * keyboard pen draws), ``onClear`` (after the pad is cleared). Returns ``{ context, clear }``.
 */
export function attachDrawPad(canvas, cursor, options) {
  const size = canvas.width; // (square) canvas pixels
  const { penWidth, keyStep, penDownClass } = options;
  const onDrawing = options.onDrawing || (() => {});
  const pen = { down: false, last: null, keyX: size / 2, keyY: size / 2, keyDown: false };

  /** The pad's 2-D context (read back often, so the browser keeps it on the CPU). */
  function context() {
    return canvas.getContext("2d", { willReadFrequently: true });
  }

  /** Paint the pad white and tell the page. */
  function clear() {
    const ctx = context();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, size, size);
    options.onClear();
  }

  /** Draw from the pen's last point to ``point`` (a dot when the stroke starts there). */
  function strokeTo(point) {
    const ctx = context();
    ctx.strokeStyle = ctx.fillStyle = "#000000";
    ctx.lineWidth = penWidth;
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.beginPath();
    if (pen.last) {
      ctx.moveTo(pen.last.x, pen.last.y);
      ctx.lineTo(point.x, point.y);
      ctx.stroke();
    } else {
      ctx.arc(point.x, point.y, penWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
    }
    pen.last = point;
  }

  /** A pointer event's place in canvas pixels (the canvas may be shown smaller, on a phone). */
  function pointOf(event) {
    const box = canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * size) / box.width, y: ((event.clientY - box.top) * size) / box.height };
  }

  function onPointerDown(event) {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.preventDefault();
    try {
      canvas.setPointerCapture(event.pointerId); // keep the stroke when the pen leaves the pad
    } catch {
      // a synthetic event has no real pointer to capture; drawing works without it
    }
    pen.down = true;
    pen.last = null;
    strokeTo(pointOf(event));
    onDrawing();
  }

  function onPointerMove(event) {
    if (!pen.down) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) strokeTo(pointOf(e));
    onDrawing();
  }

  function onPointerUp() {
    if (!pen.down) return;
    pen.down = false;
    pen.last = null;
    options.onDrawn();
  }

  function showCursor() {
    cursor.hidden = false;
    cursor.classList.toggle(penDownClass, pen.keyDown);
    cursor.style.left = (100 * pen.keyX) / size + "%";
    cursor.style.top = (100 * pen.keyY) / size + "%";
  }

  function onKey(event) {
    const step = event.shiftKey ? 2 : keyStep;
    const moves = new Map([["ArrowLeft", [-step, 0]], ["ArrowRight", [step, 0]], ["ArrowUp", [0, -step]],
      ["ArrowDown", [0, step]]]);
    if (moves.has(event.key)) {
      event.preventDefault();
      const [dx, dy] = moves.get(event.key);
      pen.keyX = Math.max(0, Math.min(size, pen.keyX + dx));
      pen.keyY = Math.max(0, Math.min(size, pen.keyY + dy));
      if (pen.keyDown) {
        strokeTo({ x: pen.keyX, y: pen.keyY });
        options.onDrawn();
      }
      showCursor();
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      pen.keyDown = !pen.keyDown;
      pen.last = null;
      if (pen.keyDown) {
        strokeTo({ x: pen.keyX, y: pen.keyY });
        options.onDrawn();
      }
      showCursor();
    } else if (event.key === "Delete" || event.key === "Backspace" || event.key === "Escape") {
      event.preventDefault();
      clear();
    }
  }

  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerup", onPointerUp);
  canvas.addEventListener("pointercancel", onPointerUp);
  canvas.addEventListener("keydown", onKey);
  canvas.addEventListener("focus", showCursor);
  canvas.addEventListener("blur", () => (cursor.hidden = true));
  return { context, clear };
}
