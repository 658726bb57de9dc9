#!/usr/bin/env bash
# Install what the browser tests need from Debian when it is missing (Playwright never downloads a browser here):
# chromium, and a CJK font (fonts-noto-cjk) so that the Chinese pages' screenshots show real glyphs, not boxes.
set -euo pipefail
missing=()
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if ! fc-list :lang=zh family 2>/dev/null | grep -q "Noto Sans CJK"; then missing+=(fonts-noto-cjk); fi
if [ ${#missing[@]} = 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "ensure_chromium: missing ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
    exit 2
fi
echo "ensure_chromium: installing Debian's ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q "${missing[@]}" >/dev/null
