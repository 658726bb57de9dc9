"""The engine's WebAssembly kernels: the committed docs/train/kernels.wasm is what the pinned wat2wasm (npm's wabt,
package-lock.json) makes of docs/train/kernels.wat now, and its products equal engine.js's JavaScript ones on odd
shapes (in Node). Their numbers are checked against TensorFlow and Keras in tests/test_train.py and
tests/test_visualizer.py (both kinds of products, on the same page loads)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_build_script() -> object:
    """scripts/build_wasm.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_wasm", ROOT / "scripts" / "build_wasm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_wasm_is_built_from_the_wat(tmp_path: Path) -> None:
    build = load_build_script()
    rebuilt = build.build_wasm(tmp_path / "kernels.wasm")  # type: ignore[attr-defined]
    committed = (ROOT / "docs" / "train" / "kernels.wasm").read_bytes()
    assert rebuilt == committed, "docs/train/kernels.wasm is stale: run scripts/build_wasm.py"


def test_the_assembler_is_pinned() -> None:
    """wat2wasm comes from one exact version of wabt, the one the lockfile installs."""
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]["wabt"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/wabt"]["version"]
    assert wanted == locked and wanted[0].isdigit(), (wanted, locked)


def test_the_module_may_be_instantiated_on_a_page_s_own_thread() -> None:
    """kernels.js instantiates it synchronously (new WebAssembly.Instance), which Chromium allows on a page's main
    thread for modules of at most 4 KB."""
    assert (ROOT / "docs" / "train" / "kernels.wasm").stat().st_size <= 4096


def test_kernels_equal_the_javascript_products() -> None:
    """Every product on rows not a multiple of 4 and every column remainder, sums added twice, σ in both tails."""
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "wasm_kernels.mjs")], capture_output=True, text=True, check=True, cwd=ROOT
    )
    errors = json.loads(result.stdout)
    assert errors.pop("shapes") > 100
    assert errors.pop("sigmoid") <= 1e-6
    assert max(errors.values()) <= 1e-5, errors  # float32 sums against double ones, relative to the largest
