"""Benchmark in-browser training and write docs/train/benchmark.json: this page's engine against JS libraries.

Measures training samples per second (forward + backward + Adam, batch 32, real MNIST digits) in headless
Chromium for both models of docs/train/train_manifest.json (the lecture's LeNet-5 and the modern variant), for:
this page's engine with two workers and with one; TensorFlow.js (cpu, webgl and wasm backends,
``model.trainOnBatch``) and ConvNetJS (its Adam trainer). Every implementation builds its model from the same
manifest, and each measurement runs in a fresh page, round after round, alternating, in the same run on the
same machine; the medians and their ratios go into the JSON. The libraries are installed from npm into the
git-ignored .cache/bench-npm/ for this benchmark only and served from 127.0.0.1; the site never ships them.

Staleness policy: benchmark.json records the sha256 of the trainer's assets it measured; tests/test_train.py
fails when one changed since (rerun this script). Other work on the machine slows every figure: the load
average is recorded, and the ratios (measured alternately) are the numbers to compare.
Usage: .venv/bin/python scripts/bench_training.py [--seconds S] [--rounds R] [--site DIR] [--out PATH]
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
ASSETS = ("engine.js", "worker.js", "trainer.js", "train_manifest.json")  # what the page's speed depends on
CHROMIUM = "/usr/bin/chromium"
# The test suite's flags, plus SwiftShader for WebGL: without a GPU, Chromium renders WebGL in software only
# when allowed to (tf.js' webgl backend needs it).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run", "--enable-unsafe-swiftshader"]
BATCH = 32
OURS = "this page"
MEASURED_AS = {OURS: "ours", "this page, one worker": "ours1", "tf.js cpu": "tfjs:cpu", "tf.js webgl": "tfjs:webgl",
               "tf.js wasm": "tfjs:wasm", "ConvNetJS": "convnetjs"}
# name → (how it is measured, note for the table; the notes live in the package, which says them in Chinese too)
IMPLEMENTATIONS = {name: (how, BENCHMARK_NOTES[name]) for name, how in MEASURED_AS.items()}

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


def measure(browser: Any, base: str, how: str, model: str, seconds: float) -> dict[str, Any]:
    """One measurement in a fresh page: samples/s of one implementation training one model."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        if how.startswith("ours"):
            page.goto(base + "train/")
            result = page.evaluate("(o) => window.lenetTrainer.run(o)", {
                "model": model, "seconds": seconds, "workers": 1 if how == "ours1" else 2, "seed": 1})
            return {"samples": result["samples"], "seconds": result["seconds"],
                    "samples_per_second": result["samples"] / result["seconds"],
                    "test_accuracy": result["test_accuracy"]}
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


def run_benchmark(site: Path, seconds: float, rounds: int) -> dict[str, Any]:
    """Measure every implementation on both models, ``rounds`` times, alternating; return the raw runs."""
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
                for r in range(rounds):
                    for model in ("lecture", "modern"):
                        for name, (how, _) in IMPLEMENTATIONS.items():
                            if how == "tfjs:wasm" and r > 0 and "error" in runs[(name, model)][0]:
                                continue  # it cannot train; once is enough to say so
                            result = measure(browser, base, how, model, seconds)
                            runs.setdefault((name, model), []).append(result)
                            speed = result.get("samples_per_second")
                            print(f"round {r + 1}/{rounds} {model:8} {name:22} "
                                  + (f"{speed:8.0f} samples/s" if speed else f"error: {result.get('error')}"),
                                  flush=True)
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return {"runs": runs, "browser": f"Chromium {version}"}


def summarize(runs: dict[tuple[str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One result per implementation and model: the median samples/s (None with the error when it cannot train)."""
    versions = {"tfjs": LIBRARIES["@tensorflow/tfjs"], "convnetjs": LIBRARIES["convnetjs"]}
    results = []
    for (name, model), measured in runs.items():
        speeds = [m["samples_per_second"] for m in measured if m.get("samples_per_second")]
        note = IMPLEMENTATIONS[name][1].format(**versions)
        errors = sorted({m["error"] for m in measured if "error" in m})
        if not speeds and errors:
            note += CANNOT_TRAIN.format(error=errors[0])
        results.append({
            "implementation": name, "model": model,
            "samples_per_second": round(statistics.median(speeds), 1) if speeds else None,
            "runs": [round(s, 1) for s in speeds], "note": note,
        })
    return results


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
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-training-site-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        measured = run_benchmark(site, args.seconds, args.rounds)
    results = summarize(measured["runs"])
    ours = {r["model"]: r["samples_per_second"] for r in results if r["implementation"] == OURS}
    bench = {
        "date": datetime.date.today().isoformat(),
        "machine": cpu_name(),
        "load_average": round((load_before + os.getloadavg()[0]) / 2, 1),  # before and after, averaged
        "browser": measured["browser"],
        "chromium_args": CHROMIUM_ARGS,
        "batch_size": BATCH,
        "seconds_per_run": args.seconds,
        "rounds": args.rounds,
        "libraries": LIBRARIES,
        "results": results,
        "ratios": {r["model"] + " / " + r["implementation"]: round(ours[r["model"]] / r["samples_per_second"], 2)
                   for r in results if r["samples_per_second"] and r["implementation"] != OURS},
        "target": {"lecture_samples_per_second": 1000},
        "assets": asset_hashes(),
    }
    write_text_atomically(args.out, json.dumps(bench, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
