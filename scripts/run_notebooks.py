"""Re-execute the docs notebooks and store their outputs (the site build only renders them).

Usage:
    .venv/bin/python scripts/run_notebooks.py [NOTEBOOK ...] [--fast] [--output-dir DIR]

Without arguments every ``docs/*.ipynb`` is executed in place, except the translations (``name.zh.ipynb``):
a translation's code cells and their outputs are copied from the notebook it translates, so both languages show
the same code and the same numbers from one run. Its Markdown is its own, and so are the code cells marked
``"translated": true`` in their metadata (the plots' titles, legends and axis labels in its language): such a
cell must be its twin with other string literals only (:func:`same_code`), and it runs in the same kernel right
after its twin, on the same state, so its plot shows the same numbers. A cell's ``alt`` metadata is the alt text
of the image it draws (the site's hooks write it into the page), the translation's in its language.
``--fast`` (or ``LENET_EXPLAIN_FAST=1``) runs them on a subset of MNIST for one epoch; fast runs never
overwrite the stored notebooks, so give ``--output-dir`` with it. Each notebook runs in a fresh temporary
folder, so nothing it writes lands in the repository.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tokenize
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FAST_ENV = "LENET_EXPLAIN_FAST"
CELL_TIMEOUT = 1800  # seconds; the full training cell takes a few minutes


TRANSLATED = "translated"  # a translation's code cell with its own strings, run right after its twin
ALT = "alt"  # a code cell's metadata: the alt text of the image it draws
CJK_FONT = "Noto Sans CJK SC"  # what the translations' plots draw Chinese with (Debian's fonts-noto-cjk)


def same_code(one: str, other: str) -> bool:
    """Return True when two cells' sources differ at most in their string literals."""

    def shape(source: str) -> list[tuple[int, str]]:
        kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
        tokens = tokenize.generate_tokens(io.StringIO(source.replace("%matplotlib", "#")).readline)
        return [
            (t.type, "" if t.type in kinds else t.string)
            for t in tokens
            if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)
        ]

    return shape(one) == shape(other)


def own_cells(translation: Any) -> dict[int, Any]:
    """Return a translation's own code cells by their position among its code cells."""
    code = [cell for cell in translation.cells if cell.cell_type == "code"]
    return {i: cell for i, cell in enumerate(code) if cell.metadata.get(TRANSLATED)}


def execute_notebook(path: Path, output: Path, fast: bool, translations: list[Any] | None = None) -> float:
    """Execute ``path`` top to bottom in a fresh kernel and write the result to ``output``; return seconds.

    The own code cells of ``translations`` (notebooks, changed in place) run right after their twins.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    twins = [own_cells(translation) for translation in translations or []]
    if any(twins):
        require_cjk_font()
    code_positions = {
        index: n for n, index in enumerate(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
    }
    for own in twins:
        for n, cell in own.items():
            twin = notebook.cells[next(i for i, m in code_positions.items() if m == n)]
            if not same_code(cell.source, twin.source):
                raise SystemExit(
                    f"run_notebooks: a translated cell is not its twin with other strings:\n"
                    f"{cell.source[:200]}\n---\n{twin.source[:200]}"
                )

    class WithTranslations(NotebookClient):  # type: ignore[misc]
        """Run each code cell, then the translations' own version of it, if any, on the same kernel state."""

        async def async_execute_cell(
            self, cell: Any, cell_index: int, execution_count: int | None = None, store_history: bool = True
        ) -> Any:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            for own in twins if store_history and cell_index in code_positions else []:
                mine = own.get(code_positions[cell_index])
                if mine is None:
                    continue
                await super().async_execute_cell(mine, cell_index, cell.execution_count, store_history=False)
                self.code_cells_executed -= 1  # the next cell's number is its twin's
                self.nb.cells[cell_index] = cell  # nbclient stores the executed cell at its index: put ours back
                for result in mine.outputs:
                    if "execution_count" in result:
                        result["execution_count"] = cell.execution_count
            return cell

    env_before = {key: os.environ.get(key) for key in (FAST_ENV, "TF_CPP_MIN_LOG_LEVEL", "PYTHONWARNINGS")}
    os.environ[FAST_ENV] = "1" if fast else "0"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # keep TensorFlow's C++ start-up chatter out of the outputs
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="notebook-run-") as workdir:
            client = WithTranslations(
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


def require_cjk_font() -> None:
    """Stop unless matplotlib finds the CJK font the translations' plots need (else their labels are boxes)."""
    from matplotlib import font_manager

    if not any(entry.name == CJK_FONT for entry in font_manager.fontManager.ttflist):
        raise SystemExit(
            f"run_notebooks: the translations' plots need the font {CJK_FONT!r} "
            "(Debian: apt-get install fonts-noto-cjk)"
        )


TRANSLATIONS = ("zh",)  # the languages of the site besides English (lenet_explain.site.i18n.LANGUAGES)


def translations_of(path: Path) -> list[Path]:
    """Return the translations of a notebook that exist: docs/walkthrough.ipynb → [docs/walkthrough.zh.ipynb]."""
    return [t for t in (path.with_suffix(f".{language}.ipynb") for language in TRANSLATIONS) if t.is_file()]


def is_translation(path: Path) -> bool:
    """Return True for a notebook named ``name.<language>.ipynb``."""
    return len(path.suffixes) > 1 and path.suffixes[-2].lstrip(".") in TRANSLATIONS


def sync_translation(source: Path, translation: Path | Any, output: Path) -> None:
    """Write ``translation`` to ``output`` with the code cells (source, outputs, counts) of ``source``.

    The translation's own cells (``"translated"``) stay its own; every code cell keeps the translation's alt text.
    ``translation`` is a path, or a notebook already read (and run by :func:`execute_notebook`).
    """
    import nbformat

    original = nbformat.read(source, as_version=4)
    twin = nbformat.read(translation, as_version=4) if isinstance(translation, Path) else translation
    code = [cell for cell in original.cells if cell.cell_type == "code"]
    slots = [i for i, cell in enumerate(twin.cells) if cell.cell_type == "code"]
    if len(code) != len(slots):
        name = translation.name if isinstance(translation, Path) else output.name
        raise SystemExit(
            f"run_notebooks: {name} has {len(slots)} code cells, {source.name} "
            f"{len(code)}: translate the new Markdown cells and copy the code cells"
        )
    for slot, cell in zip(slots, code, strict=True):
        mine = twin.cells[slot]
        if mine.metadata.get(TRANSLATED):
            mine.execution_count = cell.execution_count
            continue
        copy = nbformat.from_dict(cell)
        if ALT in mine.metadata:
            copy.metadata[ALT] = mine.metadata[ALT]
        else:
            copy.metadata.pop(ALT, None)
        twin.cells[slot] = copy
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
    import nbformat

    for notebook in notebooks:
        output = args.output_dir / notebook.name if args.output_dir else notebook
        translations = {path: nbformat.read(path, as_version=4) for path in translations_of(notebook)}
        seconds = execute_notebook(notebook, output, fast, list(translations.values()))
        print(f"{notebook.name}: executed in {seconds:.0f} s{' (fast)' if fast else ''} -> {output}")
        for path, translation in translations.items():
            copy = args.output_dir / path.name if args.output_dir else path
            sync_translation(output, translation, copy)
            print(
                f"{path.name}: its own cells run after their twins, the other code cells and outputs copied "
                f"from {output.name} -> {copy}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
