"""Time the training engine alone (docs/train/engine.js) in headless Chromium: samples/s with each kind of products.

One thread (the page's own, no worker), batches of 32 of the page's training digits as two shards of 16 (as the
page's workers compute them), Adam after each batch, for each model and each kind ("js": engine.js's products,
"wasm": kernels.wat's). A measurement printed, not a test and not a file: the page's benchmark is
scripts/bench_training.py.
Usage: .venv/bin/python scripts/bench_engine.py [--seconds S] [--site BUILT_SITE]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

TIME_ENGINE = """async ({model, kind, seconds}) => {
  const T = window.lenetTrainer; await T.ready; const E = T.engine, {images, labels} = T.data.train;
  const used = await E.loadKernels(kind);
  const net = E.initialize(E.createNetwork(T.manifest.models[model], 16), 1);
  const adam = E.createAdam(net.parameters, T.manifest.optimizer);
  const order = E.shuffle(Uint32Array.from(labels, (_, i) => i), E.random(1, E.ORDER_STREAM));
  const g0 = new Float32Array(net.parameters), g1 = new Float32Array(net.parameters);
  const total = new Float32Array(net.parameters);
  const batches = Math.floor(labels.length / 32);
  const step = (s) => {
    const from = 32 * (s % batches);
    E.shardGradient(net, images, labels, order, from, 16, 32, g0);
    E.shardGradient(net, images, labels, order, from + 16, 16, 32, g1);
    E.adamStep(adam, net.params, E.addInto(total, g0, g1));
  };
  for (let s = 0; s < 20; s++) step(s);  // warm up the compilers
  let s = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) step(s++);
  await E.loadKernels("js");
  return {kind: used, samplesPerSecond: 32 * s / ((performance.now() - t0) / 1000)};
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format: str, *args: object) -> None:
        """Log nothing."""


def main(argv: list[str] | None = None) -> int:
    """Build (or take) the site, serve it and print the engine's samples/s per model and kind of products."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="timed seconds per model and kind")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)], cwd=ROOT, check=True
            )
        handler = functools.partial(QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}/train/")
                for model in ("lecture", "modern"):
                    for kind in ("js", "wasm"):
                        got = page.evaluate(TIME_ENGINE, {"model": model, "kind": kind, "seconds": args.seconds})
                        print(f"{model:8} {got['kind']:5} {got['samplesPerSecond']:8.0f} samples/s (one thread)")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
