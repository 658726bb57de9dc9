"""Benchmark the visualizer page in headless Chromium and write docs/visualizer/benchmark.json.

Measures, on the built site served from 127.0.0.1, for each network the page runs (the lecture's model at
visualizer/ and the 1998 network at visualizer/?model=lenet1998): the median time of ``window.lenet.forward`` on
the MNIST example digits; the median time of a full update (read the pad, preprocess, forward, redraw every
layer, and the inspector and connection lines of a unit pinned in each layer in turn) with each example drawn on
the pad; and the bytes of the page's own assets (every file the page downloads from visualizer/, except the page
itself and benchmark.json). Baseline measured in the same run: Keras' own forward pass of the same model on one
digit (``model(x)``), when TensorFlow is installed. The top-level figures are the lecture's model's; ``models``
holds both networks' figures.

The page shows the figures from benchmark.json. Staleness policy: benchmark.json records the sha256 of
every asset it measured; tests/test_visualizer.py fails when an asset changed since, so the figures on
the page always describe the code and weights being served (rerun this script after changing them).
Usage: .venv/bin/python scripts/bench_visualizer.py [--runs N] [--out PATH] [--no-keras]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from lenet_explain.safe_files import write_text_atomically

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIR = "visualizer"
OUT = ROOT / "docs" / PAGE_DIR / "benchmark.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
BUDGET = {"forward_ms": 4, "update_ms": 16, "asset_kb": 600}  # the targets
NOT_ASSETS = {"", "index.html", "benchmark.json"}
MODELS = {"lecture": ("", "lenet5_manifest.json"), "lenet1998": ("?model=lenet1998", "lenet1998_manifest.json")}

# Each time is the mean of BATCH passes (performance.now() is coarse, 0.1 ms, in a page that is not cross-origin
# isolated). `plain` times lenet.js's plain-JavaScript layers; otherwise forward(), on the engine's WebAssembly
# products where the page uses them (window.lenet.model.kernels).
TIME_FORWARD = """async ([runs, plain]) => {
  await window.lenet.ready;
  const forward = plain ? window.lenet.forwardPlain : window.lenet.forward, BATCH = 20;
  const xs = window.lenet.ui.state.examples.map((d) => Float32Array.from(d.pixels, (v) => v / 255));
  for (let i = 0; i < 200; i++) forward(xs[i % xs.length]);  // warm up the JIT
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (let j = 0; j < BATCH; j++) forward(xs[(i + j) % xs.length]);
    times.push((performance.now() - t0) / BATCH);
  }
  return times;
}"""

TIME_UPDATE = """async (runs) => {
  await window.lenet.ready;
  const ui = window.lenet.ui;
  const n = ui.state.examples.length;
  // A unit is pinned in every run, one drawn layer after another: its inspector and connection lines are redrawn too.
  const drawn = ui.state.model.layers.filter((l) => l.type !== "Flatten");
  const pin = (i) => {
    const layer = drawn[i % drawn.length], s = layer.output_shape;
    ui.state.selected = s.length === 3 && s[0] > 1 ? {name: layer.name, row: s[0] >> 1, col: s[1] >> 1, channel: 0}
      : {name: layer.name, row: 0, col: 0, channel: s[s.length - 1] >> 1};
    ui.state.pinned = true;
  };
  for (let i = 0; i < 20; i++) { pin(i); ui.loadExample(i % n); ui.update(); }
  const times = [];
  for (let i = 0; i < runs; i++) {
    pin(i);
    ui.loadExample(i % n);  // the digit drawn on the pad, as a person would
    times.push(ui.update());  // read the pad, preprocess, forward, redraw every visible layer and the pinned unit
  }
  ui.state.selected = null;
  ui.state.pinned = false;
  return times;
}"""


def build_site(out: Path) -> None:
    """Build the site with ``mkdocs build --strict`` into ``out``."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{result.stderr[-2000:]}")


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on a free port of 127.0.0.1; return the server and its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def cpu_name() -> str:
    """Return the CPU model and the number of cores this process may use."""
    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name}, {len(os.sched_getaffinity(0))} cores"


def measure_page(site: Path, runs: int, query: str = "") -> dict[str, Any]:
    """Open the page (``query`` chooses the network) in headless Chromium and time forward passes and updates."""
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    fetched: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: fetched.append(request.url))
            page.goto(base + PAGE_DIR + "/" + query)
            page.wait_for_function("document.getElementById('lv-root').dataset.ready === 'true'")
            forward = page.evaluate(TIME_FORWARD, [runs, False])
            plain = page.evaluate(TIME_FORWARD, [runs, True])
            kernels = page.evaluate("window.lenet.model.kernels")
            update = page.evaluate(TIME_UPDATE, runs)
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    prefix = base + PAGE_DIR + "/"
    names = sorted({url[len(prefix):].split("?")[0] for url in fetched if url.startswith(prefix)} - NOT_ASSETS)
    assets = [
        {"file": name, "bytes": (site / PAGE_DIR / name).stat().st_size,
         "sha256": hashlib.sha256((site / PAGE_DIR / name).read_bytes()).hexdigest()}
        for name in names
    ]
    return {"forward": forward, "forward_plain": plain, "kernels": kernels, "update": update, "assets": assets,
            "browser": f"Chromium {version}"}


def keras_baseline(runs: int, name: str = "lecture") -> float | None:
    """Return Keras' median time (ms) for one digit through the model ``name``, or None without TF."""
    try:
        import numpy as np

        from lenet_explain.site.weights_export import load_keras_model
        from lenet_explain.walkthrough.digit_models import NAMED_MODELS
    except ImportError:
        return None
    model = load_keras_model(NAMED_MODELS[name])
    x = np.zeros((1, *model.inputs[0].shape[1:]), dtype=np.float32)
    for _ in range(20):
        model(x, training=False)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        model(x, training=False)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Build, serve, measure and write the benchmark JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="timed runs per measurement")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras baseline")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-visualizer-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        measured = {name: measure_page(site, args.runs, query) for name, (query, _) in MODELS.items()}
    models = {name: model_figures(name, measured[name], args) for name in MODELS}
    assets = {a["file"]: a for m in measured.values() for a in m["assets"]}  # every file of both pages
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": cpu_name(),
        "load_average": round(os.getloadavg()[0], 1),  # other work on the machine slows every figure
        "browser": measured["lecture"]["browser"],
        "runs": args.runs,
        **{key: value for key, value in models["lecture"].items() if key != "asset_files"},
        "assets": [assets[name] for name in sorted(assets)],
        "models": models,
        "budget": BUDGET,
        "within_budget": all(m["within_budget"] for m in models.values()),
    }
    write_text_atomically(args.out, json.dumps(result, indent=1) + "\n")
    for name, figures in models.items():
        print(f"{name}: forward median {figures['forward_ms_median']:.3f} ms ({figures['forward_kernels']}; plain "
              f"JavaScript {figures['forward_plain_ms_median']:.3f} ms; budget {BUDGET['forward_ms']} ms), "
              f"full update median {figures['update_ms_median']:.3f} ms (budget {BUDGET['update_ms']} ms), "
              f"assets {figures['asset_bytes'] / 1024:.1f} KB (budget {BUDGET['asset_kb']} KB)")
        if figures["keras_forward_ms_median"] is not None:
            print(f"  Keras model(x) on one digit, same run: {figures['keras_forward_ms_median']:.3f} ms = "
                  f"{figures['keras_over_js_forward']:.1f}× the JS forward")
    print(f"wrote {args.out}")
    return 0 if result["within_budget"] else 1


def model_figures(name: str, measured: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Return one network's figures: timings, its page's assets and the Keras baseline of the same run."""
    baseline = None if args.no_keras else keras_baseline(args.runs, name)
    forward = statistics.median(measured["forward"])
    update = statistics.median(measured["update"])
    asset_bytes = sum(a["bytes"] for a in measured["assets"])
    manifest = json.loads((ROOT / "docs" / PAGE_DIR / MODELS[name][1]).read_text())
    return {
        "forward_ms_median": round(forward, 4),
        "forward_ms_p90": round(statistics.quantiles(measured["forward"], n=10)[-1], 4),
        "forward_kernels": measured["kernels"],  # "wasm": the train page's engine and WebAssembly products
        "forward_plain_ms_median": round(statistics.median(measured["forward_plain"]), 4),  # lenet.js's own layers
        "update_ms_median": round(update, 4),
        "update_ms_p90": round(statistics.quantiles(measured["update"], n=10)[-1], 4),
        "asset_bytes": asset_bytes,
        "asset_files": [a["file"] for a in measured["assets"]],
        "keras_forward_ms_median": None if baseline is None else round(baseline, 4),
        "keras_over_js_forward": None if baseline is None else round(baseline / forward, 1),
        "weights_sha256": manifest["weights"]["sha256"],
        "within_budget": forward <= BUDGET["forward_ms"] and update <= BUDGET["update_ms"]
        and asset_bytes <= BUDGET["asset_kb"] * 1024,
    }


if __name__ == "__main__":
    raise SystemExit(main())
