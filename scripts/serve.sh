#!/usr/bin/env bash
# The README's serve command: set everything up, then serve the site at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --quiet  # silent when already set up (a first set-up shows its progress)
exec .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000 "$@"
