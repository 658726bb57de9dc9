#!/usr/bin/env bash
# The README's test command: set everything up, then run the whole test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure_chromium.sh  # first: setup.sh lists the fonts it may install (Chinese figure labels)
bash scripts/setup.sh --quiet  # silent when already set up: the output is the test run's (a first set-up shows progress)
HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-thorough} exec .venv/bin/python -m pytest "$@"
