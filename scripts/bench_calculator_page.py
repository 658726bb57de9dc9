"""Benchmark the calculator page's stack editor on a 1,000-layer stack, next to the command line on the same stack.

Builds the site (or takes ``--site``), serves it from 127.0.0.1 and opens calculator/ in headless Chromium. Then:

* load: the stack file chosen in "Load a stack file", until the editor shows every row and the totals;
* edit: one argument typed into a layer's field (a row in the middle, another value each time), until the table,
  the totals, the exports and the address are up to date and laid out (the median of ``--edits`` edits);
* the command line: ``lenet-explain summary --model FILE`` on the same file, in a new process each time (the
  median of ``--cli-runs``), and ``summarize`` in this process.

Printed as milliseconds and as ratios to the command line's time, measured on the same machine in the same run
(a figure alone says little: other work on the machine slows every one of them).
Usage: .venv/bin/python scripts/bench_calculator_page.py [--site DIR] [--edits N] [--layers N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_visualizer import CHROMIUM, CHROMIUM_ARGS, build_site, cpu_name, serve

from lenet_explain.safe_files import write_text_atomically

ROOT = Path(__file__).resolve().parent.parent
PAGE = "calculator/"

# One edit: type a new value into a field of the row in the middle, then wait until the page has done its work
# (the table, totals and exports are written synchronously, the address in a task right after) and laid it out.
TIME_EDITS = """async ([row, edits]) => {
  const field = document.querySelector("#ca-row-" + row + " input[data-key='filters']");
  const times = [];
  for (let i = 0; i < edits; i++) {
    const t0 = performance.now();
    field.value = String(4 + (i % 5));
    field.dispatchEvent(new Event("input", { bubbles: true }));
    document.body.offsetHeight; // layout, as the reader would see it
    await new Promise((resolve) => setTimeout(resolve, 0)); // the address, written in the next task
    times.push(performance.now() - t0);
  }
  return times;
}"""


def big_stack(layers: int) -> dict[str, Any]:
    """A chain of ``layers`` layers the page edits: convolutions, batch normalisation, activations, dropout."""
    cycle = [
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"},
        {"type": "BatchNormalization"},
        {"type": "Activation", "activation": "relu"},
        {"type": "Dropout", "rate": 0.1},
    ]
    return {"name": "deep", "input": [32, 32, 3], "layers": [dict(cycle[i % len(cycle)]) for i in range(layers)]}


def measure_page(site: Path, stack_path: Path, layers: int, edits: int) -> dict[str, Any]:
    """Load the stack file on the page and time the load and ``edits`` edits of a row in the middle."""
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + PAGE)
            page.wait_for_function("document.documentElement.dataset.calculator === 'ready'")
            last = f"#ca-row-{layers}"
            t0 = time.perf_counter()
            page.set_input_files("#ca-load", str(stack_path))
            done = f"""() => document.querySelector("{last} .ca-rf") &&
                document.querySelector("{last} .ca-rf").textContent !== "" &&
                !document.getElementById("ca-totals").hidden"""
            page.wait_for_function(done, polling="raf", timeout=120_000)
            page.evaluate("document.body.offsetHeight")
            load_ms = (time.perf_counter() - t0) * 1000
            row = next(i for i in range(layers // 2, layers + 1) if i % 4 == 1)  # a Conv2D row in the middle
            page.evaluate(TIME_EDITS, [row, 3])  # warm up
            times = page.evaluate(TIME_EDITS, [row, edits])
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"load_ms": load_ms, "edit_ms": times, "browser": f"Chromium {version}"}


def measure_cli(stack_path: Path, runs: int) -> dict[str, float]:
    """The command line on the same file: a new process each run (median), and summarize in this process."""
    command = [sys.executable, "-m", "lenet_explain", "summary", "--model", str(stack_path)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
        times.append((time.perf_counter() - t0) * 1000)
    from lenet_explain.calculator.arithmetic import summarize
    from lenet_explain.calculator.stackfile import load_stack

    t0 = time.perf_counter()
    summarize(load_stack(str(stack_path)))
    in_process = (time.perf_counter() - t0) * 1000
    return {"process_ms": statistics.median(times), "summarize_ms": in_process}


def main(argv: list[str] | None = None) -> int:
    """Build, serve, measure and print the figures with their ratios to the command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    parser.add_argument("--layers", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=21, help="timed edits (the median is printed)")
    parser.add_argument("--cli-runs", type=int, default=5, help="command-line runs (the median is printed)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON as well")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-calculator-") as tmp:
        stack_path = Path(tmp) / "deep.json"
        write_text_atomically(stack_path, json.dumps(big_stack(args.layers)))
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        cli = measure_cli(stack_path, args.cli_runs)
        page = measure_page(site, stack_path, args.layers, args.edits)
    edit = statistics.median(page["edit_ms"])
    process = cli["process_ms"]
    print(f"{cpu_name()}; load average {os.getloadavg()[0]:.1f}; {page['browser']}; {args.layers} layers")
    print(f"command line (lenet-explain summary --model FILE, new process): {process:.0f} ms; "
          f"summarize in process: {cli['summarize_ms']:.0f} ms")
    print(f"page load:           {page['load_ms']:8.0f} ms  = {page['load_ms'] / process:6.2f} × the command line")
    print(f"page edit (median of {len(page['edit_ms'])}): {edit:8.1f} ms  = {edit / process:6.2f} × the command line "
          f"(min {min(page['edit_ms']):.1f}, max {max(page['edit_ms']):.1f})")
    if args.json:
        print(json.dumps({"layers": args.layers, "cli": cli, "load_ms": page["load_ms"], "edit_ms_median": edit,
                          "edit_ms": page["edit_ms"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
