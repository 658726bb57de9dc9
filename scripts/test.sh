#!/usr/bin/env bash
# The README's test command: set everything up, then run the whole test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure_chromium.sh
HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-thorough} exec .venv/bin/python -m pytest "$@"
