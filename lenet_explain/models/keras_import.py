"""Import Keras quietly: TensorFlow's C++ start-up notices never reach the user's stderr, on any CPU.

On CPUs with AVX-512, TensorFlow 2.21 writes "All log messages before absl::InitializeLog() is called…" and
"oneDNN custom operations are on…" straight to file descriptor 2 while it is imported, whatever
``TF_CPP_MIN_LOG_LEVEL`` says; other CPUs may print nothing. So the import runs with descriptor 2 pointed at
a temporary file; afterwards the known start-up notices are dropped and every other line (a real error, a
warning we did not expect) is written to stderr as it was, so nothing else is hidden.

Every module of the package that needs Keras gets it with ``from lenet_explain.models.keras_import import keras``
(and TensorFlow itself, when it must, with ``… import tf``: a bare ``import tensorflow`` first would print them).
"""

from __future__ import annotations

import os

from lenet_explain.models.startup_notices import drop_notices, notices_filtered

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

with notices_filtered():
    import keras
    import tensorflow as tf  # Keras' backend, already loaded by the line above: named so callers get it quietly

__all__ = ["drop_notices", "keras", "notices_filtered", "tf"]
