"""Re-execute the docs notebooks and store their outputs (the site build only renders them).

Usage:
    .venv/bin/python scripts/run_notebooks.py [NOTEBOOK ...] [--fast] [--output-dir DIR]

Without arguments every ``docs/*.ipynb`` is executed in place, except the translations (``name.zh.ipynb``):
a translation's code cells and their outputs are copied from the notebook it translates (only its Markdown is
its own), so both languages show the same code and the same numbers from one run.
``--fast`` (or ``LENET_EXPLAIN_FAST=1``) runs them on a subset of MNIST for one epoch; fast runs never
overwrite the stored notebooks, so give ``--output-dir`` with it. Each notebook runs in a fresh temporary
folder, so nothing it writes lands in the repository.
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


TRANSLATIONS = ("zh",)  # the languages of the site besides English (lenet_explain.site.i18n.LANGUAGES)


def translations_of(path: Path) -> list[Path]:
    """Return the translations of a notebook that exist: docs/walkthrough.ipynb → [docs/walkthrough.zh.ipynb]."""
    return [t for t in (path.with_suffix(f".{language}.ipynb") for language in TRANSLATIONS) if t.is_file()]


def is_translation(path: Path) -> bool:
    """Return True for a notebook named ``name.<language>.ipynb``."""
    return len(path.suffixes) > 1 and path.suffixes[-2].lstrip(".") in TRANSLATIONS


def sync_translation(source: Path, translation: Path, output: Path) -> None:
    """Write ``translation`` to ``output`` with the code cells (source, outputs, counts) of ``source``."""
    import nbformat

    original = nbformat.read(source, as_version=4)
    twin = nbformat.read(translation, as_version=4)
    code = [cell for cell in original.cells if cell.cell_type == "code"]
    slots = [i for i, cell in enumerate(twin.cells) if cell.cell_type == "code"]
    if len(code) != len(slots):
        raise SystemExit(f"run_notebooks: {translation.name} has {len(slots)} code cells, {source.name} "
                         f"{len(code)}: translate the new Markdown cells and copy the code cells")
    for slot, cell in zip(slots, code, strict=True):
        twin.cells[slot] = cell
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(twin, output)


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
    notebooks = args.notebooks or sorted(p for p in (ROOT / "docs").glob("*.ipynb") if not is_translation(p))
    for notebook in notebooks:
        output = args.output_dir / notebook.name if args.output_dir else notebook
        seconds = execute_notebook(notebook, output, fast)
        print(f"{notebook.name}: executed in {seconds:.0f} s{' (fast)' if fast else ''} -> {output}")
        for translation in translations_of(notebook):
            copy = args.output_dir / translation.name if args.output_dir else translation
            sync_translation(output, translation, copy)
            print(f"{translation.name}: code cells and outputs copied from {output.name} -> {copy}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
