#!/usr/bin/env bash
# The README's test command: set everything up, then run the whole test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure_chromium.sh  # Debian's chromium and a CJK font for the browser tests' screenshots
bash scripts/setup.sh --quiet  # silent when already set up: the output is the test run's (a first set-up shows progress)
bash scripts/setup_lint.sh --quiet  # the pinned ESLint in node_modules/ (npm ci), silent when already installed
# Two workers (pytest-xdist), one test file each at a time: a file's module fixtures (a browser page, models made
# with Keras) are made once. LENET_TEST_WORKERS=1 runs everything in this one process.
workers=${LENET_TEST_WORKERS:-2}
parallel=()
if [ "$workers" != 1 ]; then parallel=(-n "$workers" --dist loadfile); fi
HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-thorough} exec .venv/bin/python -m pytest "${parallel[@]}" "$@"
