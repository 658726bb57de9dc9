"""Keras models saved once per test run, shared by the test files (and pytest-xdist workers) that read them.

``tests/test_keras_models.py`` and ``tests/test_calculator_keras_page.py`` read several of the same models
(ResNet50, MobileNetV2, InceptionV3, EfficientNetB0, the tutorial LeNet). Whichever asks first builds the model
with Keras, saves it as a ``.keras`` file and writes Keras' own facts about its layers beside it, holding a lock;
the other finds both there.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Facts = dict[str, Any]  # {"layers": {name: (output shape, params, trainable params)}, "total": params}


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test run's saved-models/ folder, shared by its xdist workers (as the built site is)."""
    folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = folder.parent  # the run's folder, above each worker's own
    (folder / "saved-models").mkdir(exist_ok=True)
    return folder / "saved-models"


def saved_model(folder: Path, name: str, build: Callable[[], Any]) -> tuple[Path, Facts]:
    """Return the model's ``.keras`` file and Keras' facts about it, building and saving it if no one has yet."""
    from lenet_explain.models.keras_check import keras_layer_facts
    from lenet_explain.models.keras_import import keras

    path, facts_path = folder / f"{name}.keras", folder / f"{name}.facts.json"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not facts_path.exists():  # written last: a model saved by a worker that failed midway is made again
            model = build()
            model.save(path)
            facts = {"layers": keras_layer_facts(model), "total": model.count_params()}
            facts_path.write_text(json.dumps(facts), encoding="utf-8")
            del model
            keras.backend.clear_session(free_memory=False)  # no gc.collect per model (a few seconds each)
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    layers = {layer: (tuple(shape), params, trainable) for layer, (shape, params, trainable) in facts["layers"].items()}
    return path, {"layers": layers, "total": facts["total"]}
