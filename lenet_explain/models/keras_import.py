"""Import Keras quietly: TensorFlow's C++ start-up notices stay off stderr (set before its first import).

Every module of the package that needs Keras gets it with ``from lenet_explain.models.keras_import import keras``.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras

__all__ = ["keras"]
