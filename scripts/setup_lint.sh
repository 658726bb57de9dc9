#!/usr/bin/env bash
# Install the pinned JavaScript linter (ESLint, package.json and package-lock.json) into node_modules/ at the
# project root with `npm ci` (tests/test_lint.py runs it on docs/). Run again, it does nothing unless
# package-lock.json changed: a stamp in node_modules/ keeps the lockfile's sha256, as scripts/setup.sh does for .venv.
#
#   --quiet   print nothing when node_modules/ is already current (the test command: its output is the test run's)
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0
if [ "${1:-}" = "--quiet" ]; then quiet=1; fi

stamp=node_modules/.lenet-explain-installed
want=$(sha256sum package-lock.json | cut -d' ' -f1)

if [ -x node_modules/.bin/eslint ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    if [ "$quiet" = 0 ]; then echo "setup-lint: already set up (node_modules/ is current with package-lock.json)"; fi
    exit 0
fi
if ! command -v npm > /dev/null; then
    echo "setup-lint: npm is needed to install the JavaScript linter (Debian: apt-get install npm)" >&2
    exit 2
fi
echo "setup-lint: installing ESLint from package-lock.json into node_modules/"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
