#!/usr/bin/env bash
# Install Debian's chromium for the browser tests when it is missing (Playwright never downloads a browser here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "ensure_chromium: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium" >&2
    exit 2
fi
echo "ensure_chromium: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q chromium >/dev/null
