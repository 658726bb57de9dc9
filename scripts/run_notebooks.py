"""Re-execute the docs notebooks and store their outputs (the site build only renders them).

Usage:
    .venv/bin/python scripts/run_notebooks.py [NOTEBOOK ...] [--fast] [--output-dir DIR]

Without arguments every ``docs/*.ipynb`` is executed in place. ``--fast`` (or ``LENET_EXPLAIN_FAST=1``)
runs them on a subset of MNIST for one epoch; fast runs never overwrite the stored notebooks, so give
``--output-dir`` with it. Each notebook runs in a fresh temporary folder, so nothing it writes lands in
the repository.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST_ENV = "LENET_EXPLAIN_FAST"
CELL_TIMEOUT = 1800  # seconds; the full training cell takes a few minutes


def execute_notebook(path: Path, output: Path, fast: bool) -> float:
    """Execute ``path`` top to bottom in a fresh kernel and write the result to ``output``; return seconds."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    env_before = {key: os.environ.get(key) for key in (FAST_ENV, "TF_CPP_MIN_LOG_LEVEL", "PYTHONWARNINGS")}
    os.environ[FAST_ENV] = "1" if fast else "0"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # keep TensorFlow's C++ start-up chatter out of the outputs
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="notebook-run-") as workdir:
            client = NotebookClient(
                notebook,
                timeout=CELL_TIMEOUT,
                kernel_name="python3",
                resources={"metadata": {"path": workdir}},
                record_timing=False,
                allow_errors=False,
            )
            client.execute()
    finally:
        for key, value in env_before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    seconds = time.perf_counter() - start
    notebook.metadata.pop("widgets", None)
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, output)
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Run the notebooks named on the command line (default: docs/*.ipynb)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default docs/*.ipynb)")
    parser.add_argument("--fast", action="store_true", help=f"subset and one epoch (also {FAST_ENV}=1)")
    parser.add_argument("--output-dir", type=Path, help="write executed copies here instead of in place")
    args = parser.parse_args(argv)
    fast = args.fast or os.environ.get(FAST_ENV, "") not in ("", "0")
    if fast and args.output_dir is None:
        print(
            "run_notebooks: a fast run must not overwrite the stored notebooks; give --output-dir",
            file=sys.stderr,
        )
        return 2
    notebooks = args.notebooks or sorted((ROOT / "docs").glob("*.ipynb"))
    for notebook in notebooks:
        output = args.output_dir / notebook.name if args.output_dir else notebook
        seconds = execute_notebook(notebook, output, fast)
        print(f"{notebook.name}: executed in {seconds:.0f} s{' (fast)' if fast else ''} -> {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
