"""The learn page's plateau measurements: the first steps of the train page's run, layer by layer.

``scripts/measure_plateau.mjs`` replays the train page's run (its defaults: seed, batch, Adam; two shards a batch)
in node with the engine's plain-JavaScript products and prints what it measured; :func:`measure_plateau` runs it
and adds the sha256 of every input, and ``scripts/measure_plateau.py`` writes the result to
``docs/learn/plateau.json`` (committed). :func:`read_plateau` reads and checks that file; :func:`plateau_numbers`
computes the numbers the page's sentences need.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from lenet_explain.errors import LenetError
from lenet_explain.site.weights_export import sha256_file

ROOT = Path(__file__).resolve().parents[2]
PLATEAU_FILE = ROOT / "docs" / "learn" / "plateau.json"
SCRIPT = ROOT / "scripts" / "measure_plateau.mjs"
TRAIN_DIR = ROOT / "docs" / "train"
# Everything the numbers depend on (paths from the project's root): a change to any makes plateau.json stale.
INPUTS = ("docs/train/engine.js", "docs/train/train_manifest.json", "docs/train/mnist-train-30000.bin",
          "docs/train/mnist-test-2000.bin", "scripts/measure_plateau.mjs", "scripts/measure_plateau.py")
STEPS = 700  # steps measured: the lecture's model leaves its plateau well before
EVERY = 10  # the layers' numbers and the probe every EVERY steps (and the layers' at step 1)
MODELS = ("lecture", "modern")
LAYERS = ("C1", "C3", "C5", "F6", "output")  # the layers with weights, input to output
SERIES = ("grad", "step", "weight", "ratio")
NODE_TIMEOUT_S = 1800


def input_hashes(root: Path = ROOT) -> dict[str, str]:
    """Return the sha256 of every input of the measurement, by path."""
    return {name: sha256_file(root / name) for name in INPUTS}


def run_measurement(steps: int = STEPS, every: int = EVERY) -> dict[str, Any]:
    """Run the node script for ``steps`` steps (layers and probe every ``every``) and return what it printed."""
    node = shutil.which("node")
    if node is None:
        raise LenetError("node is not installed: the measurement runs the train page's engine in node")
    done = subprocess.run([node, str(SCRIPT), str(TRAIN_DIR), str(steps), str(every)], capture_output=True,
                          text=True, timeout=NODE_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise LenetError(f"measure_plateau.mjs failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure_plateau(steps: int = STEPS, every: int = EVERY) -> dict[str, Any]:
    """Return the measurement with the sha256 of its inputs (what plateau.json holds)."""
    return {"inputs": input_hashes(), **run_measurement(steps, every)}


def check_plateau(data: dict[str, Any]) -> None:
    """Raise LenetError when ``data`` is not a complete measurement (models, layers, series of the right lengths)."""
    steps, every = data["steps"], data["probe_every"]
    at = [1, *range(every, steps + 1, every)]
    for model in MODELS:
        run = data["models"][model]
        problems = []
        if len(run["loss"]) != steps:
            problems.append(f"{len(run['loss'])} losses for {steps} steps")
        if run["at"] != at:
            problems.append("the layers are not measured at step 1 and every probe_every steps")
        if [layer["name"] for layer in run["layers"]] != list(LAYERS):
            problems.append(f"layers {[layer['name'] for layer in run['layers']]}, not {list(LAYERS)}")
        problems += [f"{layer['name']} {name}: {len(layer[name])} values" for layer in run["layers"]
                     for name in SERIES if len(layer[name]) != len(at)]
        if [p["step"] for p in run["probes"]] != list(range(0, steps + 1, every)):
            problems.append("the probe is not measured every probe_every steps from 0")
        if problems:
            raise LenetError(f"plateau.json, {model}: " + "; ".join(problems))


def stale_inputs(data: dict[str, Any], root: Path = ROOT) -> list[str]:
    """Return the inputs whose sha256 differs from the one the measurement recorded."""
    now = input_hashes(root)
    return [name for name in INPUTS if data["inputs"].get(name) != now[name]]


@cache
def read_plateau(path: Path = PLATEAU_FILE) -> dict[str, Any]:
    """Return the committed measurement, checked."""
    data: dict[str, Any] = json.loads(path.read_text())
    check_plateau(data)
    return data


def layer_series(data: dict[str, Any], model: str, layer: str) -> dict[str, list[float]]:
    """Return one layer's series of one model (grad, step, weight, ratio)."""
    return next(s for s in data["models"][model]["layers"] if s["name"] == layer)


def value_at(data: dict[str, Any], model: str, layer: str, series: str, step: int) -> float:
    """Return a layer's ``series`` value at ``step`` (a step it was measured at)."""
    value: float = layer_series(data, model, layer)[series][data["models"][model]["at"].index(step)]
    return value


def first_step_below(values: list[float], steps: list[int], limit: float) -> int | None:
    """Return the first step whose value is below ``limit``, or None."""
    return next((s for v, s in zip(values, steps, strict=True) if v < limit), None)


def first_step_above(values: list[float], steps: list[int], limit: float) -> int | None:
    """Return the first step whose value is above ``limit``, or None."""
    return next((s for v, s in zip(values, steps, strict=True) if v > limit), None)


LEAVE_LOSS = 2.0  # the plateau ends when the loss on the probe digits first falls below this (ln 10 ≈ 2.30)
SPREAD_MARK = 1e-2  # the F6 spread the sentences follow
SETTLE_STEP = 50  # the window of the plateau the sentences average over: from this step to the plateau's end


def mean(values: list[float]) -> float:
    """Return the mean of ``values``."""
    return sum(values) / len(values)


def window_means(data: dict[str, Any], model: str, series: str, first: int, last: int) -> dict[str, float]:
    """Return each layer's mean ``series`` value over the steps measured in [first, last)."""
    at = data["models"][model]["at"]
    picks = [i for i, step in enumerate(at) if first <= step < last]
    return {name: mean([layer_series(data, model, name)[series][i] for i in picks]) for name in LAYERS}


def plateau_numbers(data: dict[str, Any]) -> dict[str, Any]:
    """Return the numbers the page's sentences say, computed from a measurement (unformatted)."""
    runs = data["models"]
    probes = {model: runs[model]["probes"] for model in MODELS}
    steps = [p["step"] for p in probes["lecture"]]
    leave = {model: first_step_below([p["loss"] for p in probes[model]], steps, LEAVE_LOSS) for model in MODELS}
    end = leave["lecture"] or data["steps"]
    first = {model: {name: value_at(data, model, name, "grad", 1) for name in LAYERS} for model in MODELS}
    first_steps = [value_at(data, model, name, "step", 1) for model in MODELS for name in LAYERS]
    lecture_at = runs["lecture"]["at"]
    c1 = layer_series(data, "lecture", "C1")
    in_plateau = [i for i, step in enumerate(lecture_at) if step < end]
    c1_peak = max(in_plateau, key=lambda i: c1["step"][i])
    spread = {model: [p["spread"] for p in probes[model]] for model in MODELS}
    at_end = lecture_at.index(end) if end in lecture_at else len(lecture_at) - 1
    at_leave = steps.index(end) if end in steps else len(steps) - 1
    passed = first_step_above(spread["lecture"], steps, SPREAD_MARK) or data["steps"]
    plateau_losses = [p["loss"] for p in probes["lecture"] if SETTLE_STEP <= p["step"] < passed]
    return {
        "learning_rate": data["learning_rate"], "steps": data["steps"], "every": data["probe_every"],
        "probe_digits": data["probe_digits"], "batch_size": data["batch_size"], "seed": data["seed"],
        "first_grad": first, "first_step_range": (min(first_steps), max(first_steps)),
        "grad_span": first["lecture"]["output"] / first["lecture"]["C1"],
        "modern_grad_range": (min(first["modern"].values()), max(first["modern"].values())),
        "first_loss": {model: runs[model]["loss"][0] for model in MODELS}, "ln10": math.log(10),
        "spread0": {model: spread[model][0] for model in MODELS},
        "leave": leave, "leave_loss": LEAVE_LOSS, "settle_step": SETTLE_STEP,
        "plateau_loss_range": (min(plateau_losses), max(plateau_losses)),
        "spread_mark": SPREAD_MARK, "layer_spread0": {m: probes[m][0]["spreads"] for m in MODELS},
        "spread_pass": {model: first_step_above(spread[model], steps, SPREAD_MARK) for model in MODELS},
        "spread_at_leave": spread["lecture"][at_leave], "spread_end": {m: spread[m][-1] for m in MODELS},
        "weight_growth": {name: layer_series(data, "lecture", name)["weight"][at_end]
                          / layer_series(data, "lecture", name)["weight"][0] for name in LAYERS},
        "c1_weight": {"start": c1["weight"][0], "leave": c1["weight"][at_end]},
        "c1_step_peak": {"step": lecture_at[c1_peak], "value": c1["step"][c1_peak], "ratio": c1["ratio"][c1_peak]},
        "ratio_window": window_means(data, "lecture", "ratio", SETTLE_STEP, end),
        "step_window": window_means(data, "lecture", "step", SETTLE_STEP, end),
        "accuracy": {model: {"start": probes[model][0]["accuracy"], "end": probes[model][-1]["accuracy"],
                             "leave": probes[model][at_leave]["accuracy"]} for model in MODELS},
    }
