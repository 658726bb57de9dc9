"""Build the training engine's WebAssembly kernels: docs/train/kernels.wat → docs/train/kernels.wasm.

The assembler is wat2wasm from the npm package wabt, pinned in package.json and package-lock.json (installed into
node_modules/ by scripts/setup_lint.sh, which runs npm ci). The .wasm is committed; tests/test_wasm_kernels.py
rebuilds it into a temporary folder and fails when the committed one differs (rerun this script after editing
kernels.wat).
Usage: .venv/bin/python scripts/build_wasm.py [--out PATH]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "train" / "kernels.wat"
OUT = ROOT / "docs" / "train" / "kernels.wasm"
WAT2WASM = ROOT / "node_modules" / ".bin" / "wat2wasm"


def build_wasm(out: Path) -> bytes:
    """Assemble kernels.wat with the pinned wat2wasm, write it to `out` atomically and return its bytes."""
    from lenet_explain.safe_files import write_bytes_atomically

    if not WAT2WASM.exists():
        raise FileNotFoundError(f"{WAT2WASM} is missing: run scripts/setup_lint.sh (npm ci)")
    with tempfile.TemporaryDirectory() as folder:
        built = Path(folder) / "kernels.wasm"
        subprocess.run([str(WAT2WASM), str(SOURCE), "-o", str(built)], check=True, capture_output=True, text=True)
        data = built.read_bytes()
    write_bytes_atomically(out, data)
    return data


def main(argv: list[str] | None = None) -> int:
    """Build kernels.wasm (or into --out) and say how big it is."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the .wasm")
    args = parser.parse_args(argv)
    try:
        data = build_wasm(args.out)
    except subprocess.CalledProcessError as error:
        print(f"build_wasm: wat2wasm failed:\n{error.stderr}", file=sys.stderr)
        return 1
    except FileNotFoundError as error:
        print(f"build_wasm: {error}", file=sys.stderr)
        return 2
    print(f"build_wasm: wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
