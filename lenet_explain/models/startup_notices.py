"""TensorFlow's C++ start-up notices, and a filter that keeps them off the user's stderr (no TensorFlow here).

On CPUs with AVX-512, TensorFlow 2.21 writes "All log messages before absl::InitializeLog() is called…" and
"oneDNN custom operations are on…" straight to file descriptor 2 while it is imported, whatever
``TF_CPP_MIN_LOG_LEVEL`` says; other CPUs may print nothing. :func:`notices_filtered` points descriptor 2 at a
temporary file while a block runs; afterwards the known notices are dropped and every other line (a real error, a
warning we did not expect) is written to stderr as it was, so nothing else is hidden.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

# The notices TensorFlow prints at import time that a user can do nothing about (one pattern per line kind).
START_UP_NOTICES = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|^[IW]\d{4} [\d:.]+\s+\d+ \S+:\d+\] (?:oneDNN custom operations are on"
    r"|This TensorFlow binary is optimized to use available CPU instructions"
    r"|To enable the following instructions:)"
    r"|^To enable the following instructions: .* in other operations, rebuild TensorFlow",
)


def drop_notices(text: str, notices: re.Pattern[str] = START_UP_NOTICES) -> str:
    """Return ``text`` without the lines ``notices`` matches (every other line kept, in order)."""
    return "".join(line for line in text.splitlines(keepends=True) if not notices.search(line))


@contextmanager
def notices_filtered(notices: re.Pattern[str] = START_UP_NOTICES) -> Iterator[None]:
    """Point file descriptor 2 at a temporary file while the block runs, then forward all but ``notices``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            rest = drop_notices(capture.read().decode("utf-8", "replace"), notices)
            if rest:
                sys.stderr.write(rest)
                sys.stderr.flush()
