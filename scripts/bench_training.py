"""Benchmark training and write docs/train/benchmark.json: this page against native TensorFlow and JS libraries.

Measures training samples per second (forward + backward + Adam, batch 32, real MNIST digits) for both models of
docs/train/train_manifest.json (the lecture's LeNet-5 and the modern variant), for: native TensorFlow's
``model.fit`` in this Python process (the Keras model built from the same layer description, after a warm-up);
in headless Chromium, this page's engine with both kinds of matrix products (WebAssembly and plain JavaScript)
and with one worker, two, and the number its own timing chooses; TensorFlow.js (cpu, webgl and wasm backends,
``model.trainOnBatch``) and ConvNetJS (its Adam trainer). Every implementation builds its model from the same
manifest, and each measurement runs in a fresh page, round after round, alternating, in the same run on the
same machine; the medians and their ratios to native TensorFlow go into the JSON. Then, with the lecture's model
training on the page itself with its default settings, idle and with one other process keeping a core busy: the
gaps between animation frames (longest, 99th percentile) and how long Pause and Reset take to act.
The libraries are installed from npm into the git-ignored .cache/bench-npm/ for this benchmark only and served
from 127.0.0.1; the site never ships them.

Staleness policy: benchmark.json records the sha256 of the trainer's assets it measured; tests/test_train.py
fails when one changed since (rerun this script). Other work on the machine slows every figure: the load
average is recorded, and the ratios (measured alternately) are the numbers to compare.
Usage: .venv/bin/python scripts/bench_training.py [--seconds S] [--rounds R] [--site DIR] [--out PATH]
A full run (the defaults: 3 rounds of 15 s for each of 11 implementations and both models, then the page's
responsiveness idle and busy, then 60 s of this page's defaults on each model for the test accuracy it reaches)
takes about 27 minutes of both cores; --seconds 5 about 12 minutes.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_visualizer import build_site, cpu_name  # noqa: E402  (one way to build the site and name the machine)

from lenet_explain.safe_files import write_text_atomically  # noqa: E402
from lenet_explain.site.train_data import BENCHMARK_NOTES, CANNOT_TRAIN  # noqa: E402

OUT = ROOT / "docs" / "train" / "benchmark.json"
BENCH_JS = Path(__file__).with_suffix(".js")  # the benchmark page's script: both libraries, built from the manifest
NPM_DIR = ROOT / ".cache" / "bench-npm"
LIBRARIES = {"@tensorflow/tfjs": "4.22.0", "@tensorflow/tfjs-backend-wasm": "4.22.0", "convnetjs": "0.3.0"}
# What the page's speed depends on.
ASSETS = ("engine.js", "kernels.js", "kernels.wasm", "worker.js", "trainer.js", "page.js", "train_manifest.json")
CHROMIUM = "/usr/bin/chromium"
# The test suite's flags, plus SwiftShader for WebGL: without a GPU, Chromium renders WebGL in software only
# when allowed to (tf.js' webgl backend needs it).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run", "--enable-unsafe-swiftshader"]
BATCH = 32
OURS = "this page"
NATIVE = "TensorFlow"
# This page's engine: (kernels, workers) → its name in the table. The name is the kernels that really ran (an
# engine without WebAssembly runs the plain-JavaScript products, whatever was asked).
OURS_NAMES = {("wasm", "auto"): OURS, ("wasm", 2): "this page, two workers", ("wasm", 1): "this page, one worker",
              ("js", "auto"): "this page, plain JS", ("js", 2): "this page, plain JS, two workers",
              ("js", 1): "this page, plain JS, one worker"}
LIBRARY_RUNS = {"tf.js cpu": "tfjs:cpu", "tf.js webgl": "tfjs:webgl", "tf.js wasm": "tfjs:wasm",
                "ConvNetJS": "convnetjs"}
MEASURED_AS = {NATIVE: "native", **{f"ours:{k}:{w}": f"ours:{k}:{w}" for k, w in OURS_NAMES}, **LIBRARY_RUNS}
WARM_UP_BATCHES = 50  # native TensorFlow: batches before the clock starts (tracing, allocation)
TRAIN_DIGITS = 30000  # native TensorFlow trains on the page's digits: the first of MNIST's training set
PAUSES = 3  # Pause is pressed this many times in each responsiveness measurement
# The targets, shown with the tables (ratios and milliseconds).
TARGETS = {"lecture_share_of_native": 0.5, "frame_gap_ms": 50, "frame_gap_p99_ms": 33, "frame_gap_busy_ms": 100,
           "pause_ms": 100, "lecture_accuracy": 0.97, "modern_accuracy": 0.98}

BENCH_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Training benchmark</title></head><body>
<script type="module" src="/train/trainer.js"></script>
<script src="/bench-libs/@tensorflow/tfjs/dist/tf.min.js"></script>
<script src="/bench-libs/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js"></script>
<script src="/bench-libs/convnetjs/build/convnet.js"></script>
<script type="module" src="bench.js"></script>
</body></html>
"""



def install_libraries() -> Path:
    """Install the pinned libraries into .cache/bench-npm (once); return its node_modules folder."""
    modules = NPM_DIR / "node_modules"
    installed = {}
    for name in LIBRARIES:
        package = modules / name / "package.json"
        if package.is_file():
            installed[name] = json.loads(package.read_text())["version"]
    if installed != LIBRARIES:
        NPM_DIR.mkdir(parents=True, exist_ok=True)
        specs = [f"{name}@{version}" for name, version in LIBRARIES.items()]
        subprocess.run(["npm", "install", "--prefix", str(NPM_DIR), "--no-audit", "--no-fund", "--no-package-lock",
                        "--ignore-scripts", *specs], check=True)
    return modules


def serve(site: Path, libraries: Path, bench: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the site at /, the libraries at /bench-libs/ and the benchmark page at /bench/ on 127.0.0.1."""
    roots = {"/bench-libs/": libraries, "/bench/": bench}

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            for prefix, folder in roots.items():
                if path.startswith(prefix):
                    relative = path[len(prefix):].split("?")[0]
                    return str(folder / relative)
            return super().translate_path(path)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def measure_native(model: str, seconds: float) -> dict[str, Any]:
    """Native TensorFlow: samples/s of ``model.fit`` (batch 32, the page's digits) after a warm-up, here in Python."""
    import numpy as np

    from lenet_explain.calculator.stacks import LECTURE, MODERN
    from lenet_explain.models.keras_import import keras
    from lenet_explain.models.keras_model import build_model
    from lenet_explain.walkthrough import mnist, training

    (x_train, y_train), _ = mnist.load_data()
    x = x_train[:TRAIN_DIGITS].astype(np.float32)[..., None] / 255
    y = training.one_hot(y_train[:TRAIN_DIGITS])
    net = training.compile_model(build_model({"lecture": LECTURE, "modern": MODERN}[model], seed=1))

    class Clock(keras.callbacks.Callback):
        """Counts the batches after the warm-up and stops fit() once ``seconds`` have passed."""

        batches, started, elapsed = 0, 0.0, 0.0

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            self.batches += 1
            now = time.perf_counter()
            if self.batches == WARM_UP_BATCHES:
                self.started = now
            elif self.batches > WARM_UP_BATCHES:
                self.elapsed = now - self.started
                if self.elapsed >= seconds:
                    self.model.stop_training = True

    clock = Clock()
    net.fit(x, y, batch_size=BATCH, epochs=1000, verbose=0, callbacks=[clock])
    samples = (clock.batches - WARM_UP_BATCHES) * BATCH
    return {"samples": samples, "seconds": clock.elapsed, "samples_per_second": samples / clock.elapsed}


def measure(browser: Any, base: str, how: str, model: str, seconds: float) -> dict[str, Any]:
    """One measurement in a fresh page: samples/s of one implementation training one model."""
    if how == "native":
        return measure_native(model, seconds)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        if how.startswith("ours"):
            _, kernels, workers = how.split(":")
            page.goto(base + "train/")
            result = page.evaluate("(o) => window.lenetTrainer.run(o)", {
                "model": model, "seconds": seconds, "kernels": kernels,
                "workers": workers if workers == "auto" else int(workers), "seed": 1})
            return {"samples": result["samples"], "seconds": result["seconds"],
                    "samples_per_second": result["samples"] / result["seconds"],
                    "test_accuracy": result["test_accuracy"], "kernels": result["kernels"],
                    "workers_used": result["workers_used"],
                    "name": OURS_NAMES[(result["kernels"], workers if workers == "auto" else int(workers))]}
        page.goto(base + "bench/")
        page.wait_for_function("window.bench !== undefined")
        if how == "convnetjs":
            return dict(page.evaluate("([m, s, b]) => window.bench.convnet(m, s, b)", [model, seconds, BATCH]))
        backend = how.split(":")[1]
        return dict(page.evaluate("([m, k, s, b]) => window.bench.tfjs(m, k, s, b)", [model, backend, seconds, BATCH]))
    except Exception as exc:  # a library that fails is reported, not fatal
        return {"error": str(exc).splitlines()[0] + ("; " + errors[0] if errors else "")}
    finally:
        page.close()


def run_benchmark(site: Path, seconds: float, rounds: int, accuracy_seconds: float = 0) -> dict[str, Any]:
    """Measure every implementation on both models, ``rounds`` times, alternating; then, for ``accuracy_seconds``,
    this page's defaults on each model (the test accuracy it reaches); return the raw runs."""
    from playwright.sync_api import sync_playwright

    libraries = install_libraries()
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        bench = Path(tmp)
        write_text_atomically(bench / "index.html", BENCH_PAGE)
        write_text_atomically(bench / "bench.js", BENCH_JS.read_text())
        server, base = serve(site, libraries, bench)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                version = browser.version
                responsiveness: dict[str, list[dict[str, Any]]] = {"idle": [], "busy": []}
                for r in range(rounds):
                    for model in ("lecture", "modern"):
                        for name, how in MEASURED_AS.items():
                            if how == "tfjs:wasm" and r > 0 and "error" in runs[(name, model)][0]:
                                continue  # it cannot train; once is enough to say so
                            result = measure(browser, base, how, model, seconds)
                            if how.startswith("ours"):
                                _, kernels, workers = how.split(":")
                                name = result.get("name") or OURS_NAMES[(kernels, workers if workers == "auto"
                                                                         else int(workers))]
                            runs.setdefault((name, model), []).append(result)
                            speed = result.get("samples_per_second")
                            print(f"round {r + 1}/{rounds} {model:8} {name:32} "
                                  + (f"{speed:8.0f} samples/s" if speed else f"error: {result.get('error')}"),
                                  flush=True)
                    for load in ("idle", "busy"):
                        measured = measure_responsiveness(browser, base, seconds, busy=load == "busy")
                        responsiveness[load].append(measured)
                        print(f"round {r + 1}/{rounds} {load:8} {describe_responsiveness(measured)}", flush=True)
                accuracy = {}
                for model in ("lecture", "modern") if accuracy_seconds else ():
                    result = measure(browser, base, "ours:wasm:auto", model, accuracy_seconds)
                    accuracy[model] = {key: result.get(key) for key in (
                        "test_accuracy", "samples", "seconds", "samples_per_second", "kernels", "workers_used",
                        "error")}
                    print(f"after {accuracy_seconds:.0f} s {model:8} test accuracy {result.get('test_accuracy')} "
                          f"({result.get('samples')} digits)", flush=True)
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return {"runs": runs, "browser": f"Chromium {version}", "responsiveness": responsiveness,
            "accuracy": accuracy}


# The train page's own Start, Pause, Resume and Reset buttons, with the lecture's model and the page's defaults,
# while a requestAnimationFrame loop records every frame's time.
RESPONSIVENESS_JS = """async ({seconds, pauses}) => {
  const T = window.lenetTrainer;
  await T.ready;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const click = (id) => document.getElementById(id).click();
  const reaches = (status) => new Promise((resolve) => T.on("state", (d) => {
    if (d.status === status) resolve(performance.now());
  }));
  const frames = [];
  let recording = true;
  const loop = (time) => { frames.push(time); if (recording) requestAnimationFrame(loop); };
  const running = reaches("running");
  click("lt-start");
  await running;
  requestAnimationFrame(loop);
  await sleep(seconds * 1000);
  recording = false;
  const pause = [];
  for (let i = 0; i < pauses; i++) {
    const paused = reaches("paused");
    const start = performance.now();
    click("lt-pause");
    pause.push((await paused) - start);
    const resumed = reaches("running");
    click("lt-resume");
    await resumed;
    await sleep(300);
  }
  const s = T.session();
  const speed = s.samples / s.seconds;
  const start = performance.now();
  click("lt-reset");  // it acts when the next frame shows the page reset
  const reset = await new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now() - start)));
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  return {gaps: gaps, pause: pause, reset: reset, speed: speed, workers: s.workersUsed};
}"""


def measure_responsiveness(browser: Any, base: str, seconds: float, busy: bool) -> dict[str, Any]:
    """Frame gaps while the page trains, and Pause and Reset latency; with ``busy``, a process keeps a core busy."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    page = browser.new_page()
    try:
        page.goto(base + "train/")
        page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'true'", timeout=60_000)
        result = page.evaluate(RESPONSIVENESS_JS, {"seconds": seconds, "pauses": PAUSES})
    finally:
        page.close()
        if spinner is not None:
            spinner.terminate()
            spinner.wait()
    gaps = sorted(result["gaps"])
    return {"frame_gap_max_ms": round(gaps[-1], 1), "frame_gap_p99_ms": round(gaps[int(0.99 * (len(gaps) - 1))], 1),
            "frames": len(gaps) + 1, "pause_ms": [round(p, 1) for p in result["pause"]],
            "reset_ms": round(result["reset"], 1), "samples_per_second": round(result["speed"], 1)}


def describe_responsiveness(m: dict[str, Any]) -> str:
    """One measurement of the page's responsiveness, as a line of the script's output."""
    return (f"longest frame gap {m['frame_gap_max_ms']:.0f} ms, 99th percentile {m['frame_gap_p99_ms']:.0f} ms, "
            f"pause {max(m['pause_ms']):.0f} ms, reset {m['reset_ms']:.0f} ms, {m['samples_per_second']:.0f} samples/s")


def summarize_responsiveness(measured: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per load: the worst of the rounds (frame gaps, Pause, Reset) and the median speed."""
    return {load: {
        "frame_gap_max_ms": max(m["frame_gap_max_ms"] for m in runs),
        "frame_gap_p99_ms": max(m["frame_gap_p99_ms"] for m in runs),
        "pause_ms": max(max(m["pause_ms"]) for m in runs),
        "reset_ms": max(m["reset_ms"] for m in runs),
        "lecture_samples_per_second": round(statistics.median(m["samples_per_second"] for m in runs), 1),
        "runs": runs,
    } for load, runs in measured.items()}


def summarize(runs: dict[tuple[str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One result per implementation and model: the median samples/s (None with the error when it cannot train)."""
    versions = {"tfjs": LIBRARIES["@tensorflow/tfjs"], "convnetjs": LIBRARIES["convnetjs"],
                "tf": tensorflow_version()}
    results = []
    for (name, model), measured in runs.items():
        speeds = [m["samples_per_second"] for m in measured if m.get("samples_per_second")]
        note = BENCHMARK_NOTES[name].format(**versions)
        errors = sorted({m["error"] for m in measured if "error" in m})
        if not speeds and errors:
            note += CANNOT_TRAIN.format(error=errors[0])
        results.append({
            "implementation": name, "model": model,
            "samples_per_second": round(statistics.median(speeds), 1) if speeds else None,
            "runs": [round(s, 1) for s in speeds], "note": note,
        })
        accuracies = [m["test_accuracy"] for m in measured if "test_accuracy" in m]
        if accuracies:  # this page's runs: the test accuracy after the run's seconds, for the targets
            results[-1]["test_accuracy"] = round(statistics.median(accuracies), 4)
    return results


def tensorflow_version() -> str:
    """The version of the TensorFlow that trained natively."""
    import tensorflow as tf

    return str(tf.__version__)


def asset_hashes() -> list[dict[str, Any]]:
    """The sha256 and size of every trainer asset whose speed was measured."""
    folder = ROOT / "docs" / "train"
    return [{"file": name, "bytes": (folder / name).stat().st_size,
             "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest()} for name in ASSETS]


def main(argv: list[str] | None = None) -> int:
    """Build, serve, measure, write the JSON and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="training seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per implementation and model")
    parser.add_argument("--accuracy-seconds", type=float, default=60,
                        help="seconds of this page's defaults per model for the test accuracy it reaches (0: none)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-training-site-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        measured = run_benchmark(site, args.seconds, args.rounds, args.accuracy_seconds)
    results = summarize(measured["runs"])
    native = {r["model"]: r["samples_per_second"] for r in results if r["implementation"] == NATIVE}
    bench = {
        "date": datetime.date.today().isoformat(),
        "machine": cpu_name(),
        "load_average": round((load_before + os.getloadavg()[0]) / 2, 1),  # before and after, averaged
        "browser": measured["browser"],
        "chromium_args": CHROMIUM_ARGS,
        "batch_size": BATCH,
        "seconds_per_run": args.seconds,
        "rounds": args.rounds,
        "libraries": {**LIBRARIES, "tensorflow": tensorflow_version()},
        "results": results,
        "ratios_to_native": {r["model"] + " / " + r["implementation"]: round(r["samples_per_second"]
                                                                               / native[r["model"]], 3)
                             for r in results if r["samples_per_second"] and r["implementation"] != NATIVE},
        "responsiveness": summarize_responsiveness(measured["responsiveness"]),
        "accuracy_seconds": args.accuracy_seconds,
        "accuracy_after": measured["accuracy"],  # this page's defaults (WebAssembly, workers by timing), seed 1
        "pauses": PAUSES,
        "target": TARGETS,
        "assets": asset_hashes(),
    }
    write_text_atomically(args.out, json.dumps(bench, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
