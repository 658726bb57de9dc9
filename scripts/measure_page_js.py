"""Measure the JavaScript each page of a built site loads: bytes and files, the theme's and the site's own.

Serves the built site folder, opens every page (English and Chinese) in Debian's Chromium, waits until the
network is idle, and counts every ``.js`` response the page and its workers fetched.
Usage: .venv/bin/python scripts/measure_page_js.py [SITE_DIR] [--json]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
THEME = "/assets/"  # mkdocs-material's own scripts (the search worker, the bundle)


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on a free local port; return the server and its address."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            """Say nothing per request."""

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_paths(folder: Path) -> list[str]:
    """Return the address of every page of the site (its folders with an index.html), the 404 page left out."""
    return sorted("" if p.parent == folder else p.parent.relative_to(folder).as_posix() + "/"
                  for p in folder.rglob("index.html") if "assets" not in p.parts)


def measure(folder: Path) -> dict[str, dict[str, Any]]:
    """Return {page: {"own": bytes, "theme": bytes, "files": [names]}} for every page of ``folder``."""
    from playwright.sync_api import sync_playwright

    server, base = serve(folder)
    results: dict[str, dict[str, Any]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for path in page_paths(folder):
                context = browser.new_context()
                fetched: dict[str, int] = {}

                def count(response: Any, fetched: dict[str, int] = fetched) -> None:
                    url = response.url.split("?")[0]
                    if url.startswith(base) and url.endswith(".js") and response.ok:
                        fetched[url[len(base) - 1:]] = len(response.body())

                context.on("response", count)
                page = context.new_page()
                page.goto(base + path, wait_until="networkidle")
                page.wait_for_timeout(500)  # dynamic imports and workers started after the load
                own = {name: size for name, size in fetched.items() if not name.startswith(THEME)}
                results[path or "/"] = {"own": sum(own.values()), "theme": sum(fetched.values()) - sum(own.values()),
                                        "files": sorted(own)}
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def main() -> int:
    """Print the table (or JSON) of what each page loads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = measure(args.site)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for page, result in results.items():
        print(f"{page:32} own {result['own']:>9,} B  theme {result['theme']:>9,} B  {len(result['files'])} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
