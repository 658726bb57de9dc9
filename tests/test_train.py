"""The train page: its data and manifest, the JavaScript backward pass and Adam against TensorFlow, the contract.

TensorFlow is the oracle for the gradients (GradientTape on the Keras model that build_model makes from the same
layer description, with the same weights and the same batch) and Keras' Adam for the optimizer steps; the verified
MNIST arrays are the oracle for the shipped data; the lecture's own text for its printed history. The browser
tests run the built site in headless Chromium (fixtures in conftest.py fail a test on any console error or
off-site request).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from zh_text import COLLECT_JS, DRAW_A_SEVEN_JS, RECORD_CANVAS_JS, problems

from lenet_explain.calculator.stacks import BUILTIN_STACKS, LECTURE, MODERN
from lenet_explain.site import train_data, train_macros
from lenet_explain.site.weights_export import sha256_bytes, sha256_file
from lenet_explain.walkthrough import lecture_history, mnist
from lenet_explain.walkthrough.lecture import parse_fit_log

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "docs" / "train"
PAGE = "train/"
STACKS = {"lecture": LECTURE, "modern": MODERN}
BATCH = 32
# Learning, tested on a fixed number of steps from seed 1 (the same curve on any machine, busy or idle): the
# modern variant learns at once; the lecture's sigmoid model sits near 10% for about 300 steps, then learns.
LEARNING = {"modern": (300, 0.90), "lecture": (600, 0.75)}  # model: (steps of 32 digits, test accuracy at least)



def read_manifest() -> dict[str, Any]:
    """The committed manifest of the trainer."""
    return json.loads((TRAIN / train_data.MANIFEST_FILE).read_text())


# --- The manifest and the data (no TensorFlow) ------------------------------------------------------------


def test_manifest_models_come_from_the_layer_descriptions() -> None:
    manifest = read_manifest()
    assert manifest["format"] == train_data.FORMAT
    assert manifest["models"] == {name: train_data.model_spec(stack) for name, stack in STACKS.items()}
    assert BUILTIN_STACKS["modern"] is MODERN
    lecture, modern = manifest["models"]["lecture"], manifest["models"]["modern"]
    assert [layer["type"] for layer in lecture["layers"]][:4] == ["Conv2D", "AveragePooling2D", "Conv2D",
                                                                 "AveragePooling2D"]
    assert {layer.get("activation") for layer in lecture["layers"]} == {"sigmoid", "softmax", None}
    assert {layer["type"] for layer in modern["layers"]} >= {"MaxPooling2D"}
    assert {layer.get("activation") for layer in modern["layers"]} == {"relu", "softmax", None}
    assert lecture["parameters"] == modern["parameters"]
    assert lecture["layers"][0]["pad"] == [2, 2]  # 'same' for C1, from the calculator


def test_manifest_carries_the_recipe_and_the_lecture_history() -> None:
    manifest = read_manifest()
    assert manifest["lecture_history"] == lecture_history.lecture_history().as_dict()
    assert manifest["optimizer"] == {"name": "adam", **train_data.ADAM}
    assert manifest["recipe"]["batch_size"] == BATCH and manifest["recipe"]["epochs"] == 10


def test_lecture_history_is_what_the_lecture_printed(lecture_text: str) -> None:
    printed = lecture_history.history_of(parse_fit_log(lecture_text))
    h = lecture_history.lecture_history()
    assert h.epochs == 10
    assert printed == h  # the record is the lecture's own log, parsed
    assert h.steps_per_epoch * h.batch_size == h.train_size


def test_data_files_match_their_manifest_entries() -> None:
    manifest = read_manifest()
    total = 0
    for split in ("train", "test"):
        entry = manifest["data"][split]
        path = TRAIN / entry["file"]
        assert path.suffix == ".bin"  # served as opaque bytes by any static host (no Content-Encoding)
        data = path.read_bytes()
        assert len(data) == entry["bytes"] and sha256_bytes(data) == entry["sha256"]
        raw = train_data.inflate_raw(data)
        assert len(raw) == entry["raw_bytes"] == entry["count"] * (1 + 28 * 28)
        assert sha256_bytes(raw) == entry["raw_sha256"]
        total += len(data)
    assert total == manifest["data_bytes"] <= train_data.MAX_DATA_BYTES
    assert manifest["data"]["train"]["count"] >= 20000 and manifest["data"]["test"]["count"] == 2000


@pytest.mark.slow
def test_data_files_are_the_verified_mnist_digits() -> None:
    """Staleness: the committed files hold exactly the first digits of the verified arrays."""
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    manifest = read_manifest()
    for split, images, labels in (("train", x_train, y_train), ("test", x_test, y_test)):
        entry = manifest["data"][split]
        raw = train_data.inflate_raw((TRAIN / entry["file"]).read_bytes())
        n = entry["count"]
        assert np.array_equal(np.frombuffer(raw[:n], np.uint8), labels[:n]), split
        assert np.array_equal(np.frombuffer(raw[n:], np.uint8).reshape(n, 28, 28), images[:n]), split
    files = train_data.export_files(((x_train, y_train), (x_test, y_test)), TRAIN)
    stale = [name for name, data in files.items() if (TRAIN / name).read_bytes() != data]
    assert not stale, f"run scripts/export_train_data.py: {stale}"


def test_export_refuses_what_the_engine_cannot_train() -> None:
    from lenet_explain.calculator.layers import Conv2D, Dense, Flatten, Input, Stack
    from lenet_explain.errors import LenetError

    no_softmax = Stack("x", Input((28, 28, 1)), (Conv2D(2, 3), Flatten(), Dense(10, activation="relu")))
    with pytest.raises(LenetError, match="softmax on the last layer"):
        train_data.model_spec(no_softmax)
    odd = Stack("y", Input((28, 28, 1)), (Conv2D(2, 3, activation="tanh"), Flatten(), Dense(10, activation="softmax")))
    with pytest.raises(LenetError, match="no 'tanh' activation"):
        train_data.model_spec(odd)


# --- The benchmark figures -------------------------------------------------------------------------------


def test_benchmark_figures_describe_the_current_models() -> None:
    """The benchmark is a dated measurement (rerun scripts/bench_training.py by hand): it covers both models and
    every peer, and was measured on the models and data the page trains now (the manifest). Editing the engine's
    code does not make it stale; the page shows the date and the machine it was measured on."""
    bench = train_macros.read_benchmark()
    assert bench is not None, "run scripts/bench_training.py"
    measured = {a["file"]: a["sha256"] for a in bench["assets"]}
    assert measured[train_data.MANIFEST_FILE] == sha256_file(TRAIN / train_data.MANIFEST_FILE), (
        "the manifest changed since the benchmark: rerun scripts/bench_training.py")
    implementations = {(r["implementation"], r["model"]) for r in bench["results"]}
    for model in STACKS:
        for name in (train_macros.NATIVE, "tf.js cpu", "tf.js webgl", "ConvNetJS"):
            assert (name, model) in implementations
        # The page's defaults, named by the products that ran (plain JavaScript in an engine without WebAssembly).
        assert {(train_macros.OURS, model), ("this page, plain JS", model)} & implementations
        kernels = {r["implementation"] for r in bench["results"] if r["implementation"].startswith(train_macros.OURS)}
        assert {"this page, one worker", "this page, two workers"} <= kernels or {
            "this page, plain JS, one worker", "this page, plain JS, two workers"} <= kernels, kernels
    for key in ("date", "machine", "load_average", "browser"):
        assert bench[key], key
    # The page's tables say the JSON's figures: speeds as multiples of native TensorFlow's, and, idle and with a
    # core busy, the frame gaps and the time Pause and Reset take.
    native = {r["model"]: r["samples_per_second"] for r in bench["results"] if r["implementation"] == "TensorFlow"}
    ours = next(r for r in bench["results"] if r["implementation"].startswith(train_macros.OURS))
    assert f"{ours['samples_per_second'] / native[ours['model']]:.2f}×" in train_macros.train_benchmark_table()
    for language in ("en", "zh"):
        table = train_macros.train_responsiveness_table(language)
        for load in ("idle", "busy"):
            measured = bench["responsiveness"][load]
            for key in ("frame_gap_max_ms", "frame_gap_p99_ms", "pause_ms", "reset_ms"):
                assert f"{measured[key]:.0f} " in table, (language, load, key)
        # and each model's test accuracy after a minute of the page's defaults, when the benchmark measured it
        after = bench.get("accuracy_after") or {}
        sentence = train_macros.train_accuracy_sentence(language)
        for model in after:
            assert f"{after[model]['test_accuracy']:.4f}" in sentence, (language, model)


# --- Keras and TensorFlow, the oracles --------------------------------------------------------------------


def keras_tensors(model: Any) -> dict[str, list[float]]:
    """Every weight tensor of a Keras model, named like the page's engine ('C1/kernel'), flattened."""
    out = {}
    for layer in model.layers:
        for variable in layer.weights:
            out[f"{layer.name}/{variable.path.rsplit('/', 1)[-1]}"] = np.asarray(variable).reshape(-1).tolist()
    return out


def keras_gradients(model: Any, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """TensorFlow's gradient of the mean categorical cross-entropy, computed as model.fit does (in a tf.function)."""
    import tensorflow as tf

    from lenet_explain.models.keras_import import keras

    loss_fn = keras.losses.CategoricalCrossentropy()
    target = np.eye(10, dtype=np.float32)[y]

    @tf.function
    def gradients() -> Any:
        with tf.GradientTape() as tape:
            loss = loss_fn(target, model(x, training=True))
        return tape.gradient(loss, model.trainable_weights), loss

    grads, loss = gradients()
    names = [f"{v.path.split('/')[-2]}/{v.path.rsplit('/', 1)[-1]}" for v in model.trainable_weights]
    result = {name: np.asarray(g) for name, g in zip(names, grads, strict=True)}
    result["loss"] = np.asarray(loss)
    return result


@pytest.fixture(scope="module")
def mnist_batch() -> tuple[np.ndarray, np.ndarray]:
    """A batch of the lecture's size: MNIST training digits (uint8) and their labels, a spread of them."""
    (x_train, y_train), _ = mnist.load_data()
    pick = np.linspace(0, 9999, BATCH).astype(int)
    return x_train[pick], y_train[pick]


def to_float(images: np.ndarray) -> np.ndarray:
    """uint8 digits as the lecture feeds Keras: (N, 28, 28, 1) float32 in [0, 1]."""
    return images.astype(np.float32)[..., None] / 255


@pytest.mark.tf
def test_modern_stack_matches_keras() -> None:
    """The new built-in stack, like the others: the calculator's shapes and counts are Keras' own."""
    from lenet_explain.models.keras_check import verify_stack
    from lenet_explain.models.keras_model import build_model

    report = verify_stack(MODERN)
    assert report.ok and report.layers_checked == len(MODERN.layers), report.mismatches
    kinds = [type(layer).__name__ for layer in build_model(MODERN).layers]
    assert kinds.count("MaxPooling2D") == 2 and "AveragePooling2D" not in kinds


@pytest.mark.tf
def test_optimizer_and_initializers_are_keras_defaults() -> None:
    from lenet_explain.models.keras_import import keras
    from lenet_explain.models.keras_model import build_model

    config = keras.optimizers.get("adam").get_config()  # what compile(optimizer="adam") uses
    assert {key: config[key] for key in train_data.ADAM} == pytest.approx(train_data.ADAM)
    model = build_model(LECTURE)
    for layer in model.layers:
        if hasattr(layer, "kernel_initializer"):
            assert type(layer.kernel_initializer).__name__ == "GlorotUniform"
            assert type(layer.bias_initializer).__name__ == "Zeros"
    assert train_data.INITIALIZERS == {"kernel": "glorot_uniform", "bias": "zeros"}


# --- The page's engine against TensorFlow (in the browser) -------------------------------------------------


@pytest.fixture()
def trainer(page: Any, site_url: str) -> Any:
    """The train page with its data loaded and checked."""
    page.goto(site_url + PAGE)
    page.wait_for_function("document.getElementById('lt-root').dataset.ready !== 'false'", timeout=60_000)
    assert page.evaluate("document.getElementById('lt-root').dataset.ready") == "true"
    return page


KERNELS = ("js", "wasm")  # the engine's two kinds of matrix products (engine.js; kernels.wat)

# The same batch through the engine once per kind of products, on one page load: {kind: {loss, grads, steps}}.
JS_GRADIENTS = """async ({model, tensors, images, labels, adamSteps}) => {
  const T = window.lenetTrainer; await T.ready; const E = T.engine;
  const results = {wasmLoaded: await E.loadKernels("wasm")};  // Chromium has WebAssembly SIMD: no fallback
  for (const kind of ["js", "wasm"]) results[kind] = ofKind(T, E, kind, model, tensors, images, labels, adamSteps);
  await E.loadKernels("js");
  return results;
};
function ofKind(T, E, kind, model, tensors, images, labels, adamSteps) {
  const B = labels.length;
  const net = E.createNetwork(T.manifest.models[model], Math.ceil(B / 2), kind);
  if (net.kernels !== kind || (kind === "wasm") !== (net.params.buffer === net.wasm?.memory.buffer)) {
    throw new Error("not the " + kind + " products");
  }
  const given = {};
  for (const [name, values] of Object.entries(tensors)) given[name] = Float32Array.from(values);
  E.fromKeras(net, given, net.params);
  const x = Uint8Array.from(images), y = Uint8Array.from(labels);
  const [a, b] = E.shardSizes(B, 2);
  const g0 = new Float32Array(net.parameters), g1 = new Float32Array(net.parameters);
  const total = new Float32Array(net.parameters);
  const gradient = () => {  // one batch, as the two workers compute it: shard 0 + shard 1
    const r0 = E.shardGradient(net, x, y, null, 0, a, B, g0);
    const r1 = E.shardGradient(net, x, y, null, a, b, B, g1);
    E.addInto(total, g0, g1);
    return (r0.loss + r1.loss) / B;
  };
  const plain = (dict) => Object.fromEntries(Object.entries(dict).map(([k, v]) => [k, Array.from(v)]));
  const loss = gradient();
  const grads = plain(E.toKeras(net, total));
  const adam = E.createAdam(net.parameters, T.manifest.optimizer);
  const steps = [];
  for (let s = 0; s < adamSteps; s++) {
    if (s > 0) gradient();
    E.adamStep(adam, net.params, total);
    steps.push(plain(E.toKeras(net, net.params)));
  }
  return {loss: loss, grads: grads, steps: steps};
}"""


def gradients_of_each_kind(page: Any, arguments: dict[str, Any]) -> dict[str, Any]:
    """Run JS_GRADIENTS (a script defining two functions, so it is wrapped in one) with both kinds of products."""
    got = page.evaluate(f"(a) => {{ const main = {JS_GRADIENTS}; return main(a); }}", arguments)
    assert got.pop("wasmLoaded") == "wasm"
    assert set(got) == set(KERNELS)
    return got


def compare_gradients(js: dict[str, list[float]], tf_grads: dict[str, np.ndarray]) -> dict[str, float]:
    """Per weight tensor: the largest difference over the largest |gradient| (relative to the tensor's scale)."""
    errors = {}
    for name, want in tf_grads.items():
        if name == "loss":
            continue
        got = np.asarray(js[name], dtype=np.float64).reshape(want.shape)
        scale = float(np.abs(want).max())
        assert scale > 0, f"{name}: TensorFlow's gradient is all zero; pick another batch"
        errors[name] = float(np.abs(got - want).max()) / scale
    return errors


def keras_model_at(name: str, state: str) -> Any:
    """A Keras model of the named stack: fresh from a seed, or after some of Keras' own Adam steps on MNIST."""
    from lenet_explain.models.keras_import import keras
    from lenet_explain.models.keras_model import build_model
    from lenet_explain.walkthrough import training

    model = build_model(STACKS[name], seed=3)
    if state == "trained":
        (x_train, y_train), _ = mnist.load_data()
        training.compile_model(model)
        keras.utils.set_random_seed(3)
        model.fit(to_float(x_train[:3000]), training.one_hot(y_train[:3000]), epochs=1, batch_size=BATCH, verbose=0)
    return model


@pytest.mark.tf
@pytest.mark.parametrize("name", ["lecture", "modern"])
@pytest.mark.parametrize("state", ["fresh", "trained"])
def test_backward_pass_equals_tensorflow(trainer: Any, mnist_batch: tuple[np.ndarray, np.ndarray], name: str,
                                          state: str) -> None:
    images, labels = mnist_batch
    model = keras_model_at(name, state)
    want = keras_gradients(model, to_float(images), labels)
    both = gradients_of_each_kind(trainer, {"model": name, "tensors": keras_tensors(model),
                                            "images": images.reshape(-1).tolist(), "labels": labels.tolist(),
                                            "adamSteps": 0})
    for kind, got in both.items():
        assert set(got["grads"]) == {k for k in want if k != "loss"}, kind
        errors = compare_gradients(got["grads"], want)
        assert max(errors.values()) <= train_data.GRADIENT_TOLERANCE, (kind, errors)
        assert got["loss"] == pytest.approx(float(want["loss"]), rel=1e-5), kind


@pytest.mark.tf
@pytest.mark.parametrize("name", ["lecture", "modern"])
def test_adam_steps_equal_keras(trainer: Any, mnist_batch: tuple[np.ndarray, np.ndarray], name: str) -> None:
    """One and three steps of the page's Adam against Keras' Adam (defaults, its own bias correction)."""
    from lenet_explain.models.keras_import import keras

    images, labels = mnist_batch
    model = keras_model_at(name, "fresh")
    start = keras_tensors(model)
    steps = 3
    both = gradients_of_each_kind(trainer, {"model": name, "tensors": start, "images": images.reshape(-1).tolist(),
                                            "labels": labels.tolist(), "adamSteps": steps})
    optimizer = keras.optimizers.get("adam")
    for step in range(steps):
        grads = keras_gradients(model, to_float(images), labels)
        optimizer.apply_gradients([(grads[f"{v.path.split('/')[-2]}/{v.path.rsplit('/', 1)[-1]}"], v)
                                   for v in model.trainable_weights])
        want = keras_tensors(model)
        for tensor, values in want.items():
            moved = np.abs(np.asarray(values) - np.asarray(start[tensor])).max()
            assert moved >= 0.5 * train_data.ADAM["learning_rate"], (tensor, moved)  # Adam did move it
            for kind, got in both.items():
                diff = np.abs(np.asarray(got["steps"][step][tensor]) - np.asarray(values)).max()
                assert diff <= train_data.ADAM_TOLERANCE, (kind, step + 1, tensor, diff)


# --- The testing contract ---------------------------------------------------------------------------------

# The engine alone, with each kind of products: the losses of `steps` Adam steps of 32 training digits from a seed.
ENGINE_CURVES = """async ({seeds, steps}) => {
  const T = window.lenetTrainer; await T.ready; const E = T.engine, {images, labels} = T.data.train;
  const curves = {wasmLoaded: await E.loadKernels("wasm")};
  for (const kind of ["js", "wasm"]) {
    curves[kind] = seeds.map((seed) => {
      const net = E.initialize(E.createNetwork(T.manifest.models.modern, 16, kind), seed);
      const adam = E.createAdam(net.parameters, T.manifest.optimizer);
      const order = E.shuffle(Uint32Array.from(labels, (_, i) => i), E.random(seed, E.ORDER_STREAM));
      const g0 = new Float32Array(net.parameters), g1 = new Float32Array(net.parameters);
      const total = new Float32Array(net.parameters), losses = [];
      for (let s = 0; s < steps; s++) {
        const r0 = E.shardGradient(net, images, labels, order, 32 * s, 16, 32, g0);
        const r1 = E.shardGradient(net, images, labels, order, 32 * s + 16, 16, 32, g1);
        E.adamStep(adam, net.params, E.addInto(total, g0, g1));
        losses.push((r0.loss + r1.loss) / 32);
      }
      return losses;
    });
  }
  await E.loadKernels("js");
  return curves;
}"""


def test_same_seed_gives_the_same_curve_with_one_or_two_workers(trainer: Any) -> None:
    curves = trainer.evaluate(ENGINE_CURVES, {"seeds": [11, 11, 12], "steps": 20})
    assert curves.pop("wasmLoaded") == "wasm"
    for kind in KERNELS:  # each kind of products: the same seed, the same curve to the last bit; it learns
        same, again, other = curves[kind]
        assert same == again and other != same, kind
        assert np.mean(same[-5:]) < np.mean(same[:5]), kind
    run = "(o) => window.lenetTrainer.run(o)"
    first = trainer.evaluate(run, {"model": "modern", "seed": 11, "steps": 60})  # two workers, one chosen
    one = trainer.evaluate(run, {"model": "modern", "seed": 11, "steps": 60, "workers": 1})  # also: a second run
    two = trainer.evaluate(run, {"model": "modern", "seed": 11, "steps": 60, "workers": 2})  # both, always
    other = trainer.evaluate(run, {"model": "modern", "seed": 12, "steps": 60})
    assert first["workers"] == 2 and one["workers"] == 1
    # The leader timed a window of steps with help and one without (60 steps are enough) and chose the quicker.
    rates = first["rates"]
    assert rates["duo"] > 0 and rates["solo"] > 0, first
    assert first["workers_used"] == (2 if rates["duo"] >= rates["solo"] else 1), first
    assert one["workers_used"] == 1 and two["workers_used"] == 2 and two["helped_steps"] > 0
    assert first["kernels"] in ("wasm", "js") and one["kernels"] == two["kernels"] == first["kernels"]
    assert first["samples"] == 60 * BATCH and len(first["loss"]) == 6
    assert first["loss"] == one["loss"] == two["loss"]  # the helper slept through the solo window, then caught up
    assert first["test_accuracy"] == one["test_accuracy"] == two["test_accuracy"]
    assert other["loss"] != first["loss"]
    assert first["loss"][-1] < first["loss"][0]


@pytest.mark.tf
@pytest.mark.parametrize("name", ["modern", "lecture"])
def test_a_fixed_number_of_steps_reaches_the_goal(trainer: Any, screenshot: Any, name: str) -> None:
    """run({model, seed, steps}) learns: a fixed number of steps from seed 1 reaches a test accuracy, measured on
    the 2,000 test digits; predict() is then the model just trained (Keras with its weights agrees)."""
    steps, goal = LEARNING[name]
    result = trainer.evaluate("(o) => window.lenetTrainer.run(o)", {"model": name, "seed": 1, "steps": steps})
    report = f"{name}: {steps} steps, test accuracy {result['test_accuracy']:.4f}, loss {result['loss'][::10]}"
    assert result["steps"] == steps, report  # of 32 digits, but for the last one of each epoch of 30,000
    assert result["test_size"] == 2000 and len(result["loss"]) == len(result["accuracy"]) == steps // 10
    assert result["test_accuracy"] >= goal, report
    assert result["loss"][-1] < result["loss"][0] / 2, report
    screenshot(trainer, f"train-after-{name}")
    # predict() is the model just trained: Keras with the page's final weights gives the same probabilities.
    from lenet_explain.models.keras_model import build_model

    _, (x_test, _) = mnist.load_data()
    x = to_float(x_test[-20:])  # not among the 2,000 test digits the page measured
    weights = trainer.evaluate("""() => {
        const T = window.lenetTrainer, s = T.session(), tensors = T.engine.toKeras(s.net, s.params);
        return Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, Array.from(v)]));
    }""")
    model = build_model(STACKS[name])
    for layer in model.layers:
        layer.set_weights([np.asarray(weights[f"{layer.name}/{v.path.rsplit('/', 1)[-1]}"], np.float32).reshape(v.shape)
                           for v in layer.weights])
    want = np.asarray(model(x, training=False))
    predict = "(xs) => xs.map((x) => Array.from(window.lenetTrainer.predict(Float32Array.from(x))))"
    got = np.asarray(trainer.evaluate(predict, x.reshape(len(x), -1).tolist()))
    assert np.abs(got - want).max() <= train_data.GRADIENT_TOLERANCE


# What the page's own thread does while a run trains: counted, not timed. Every message a worker sends the page is
# seen through a listener of its own (a Worker made after this script runs), with its size in bytes.
JS_COUNT_MAIN_THREAD_WORK = """() => {
  const T = window.lenetTrainer, E = T.engine, count = { training: 0, progress: 0, points: 0, evaluation: 0,
    largest: 0, messages: [] };
  const bytes = (value) => {
    if (ArrayBuffer.isView(value)) return value.byteLength;
    if (value && typeof value === "object") return Object.values(value).reduce((sum, v) => sum + bytes(v), 8);
    return 8;
  };
  const weights = T.manifest.models.modern.parameters;
  window.Worker = class extends window.Worker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => count.messages.push({ type: event.data.type, bytes: bytes(event.data),
        weights: Object.values(event.data).some((v) => ArrayBuffer.isView(v) && v.length >= weights) }));
    }
  };
  for (const name of ["shardGradient", "adamStep", "predictBatch", "initialize", "addInto"]) {
    const original = E[name];
    E[name] = function (...args) { count.training++; return original.apply(this, args); };
  }
  const size = (detail) => JSON.stringify(detail, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)).length;
  T.on("progress", (detail) => { count.progress++; count.points += detail.points.length;
    count.largest = Math.max(count.largest, size(detail)); });
  T.on("evaluation", (detail) => { count.evaluation++; });
  window.mainThreadWork = count;
}"""


def test_the_page_s_thread_only_reports_while_training(trainer: Any) -> None:
    """Responsive by construction: the workers train; the page's thread does none of the engine's training work
    and gets small reports (the new points of the curves, the counters), never more than one per step."""
    trainer.evaluate(JS_COUNT_MAIN_THREAD_WORK)
    steps = 120
    result = trainer.evaluate("(o) => window.lenetTrainer.run(o)", {"model": "modern", "seed": 5, "steps": steps})
    count = trainer.evaluate("() => window.mainThreadWork")
    assert count["training"] == 0, count  # no gradient, Adam step or batch prediction on the page's thread
    points = steps // result["points_every"]
    assert count["points"] == len(result["loss"]) == points, count
    assert count["progress"] <= steps, count  # a report now and then (the worker's clock), never two per step
    # At most about ten reports a second of training (the leader's cadence), whatever the machine's speed.
    assert count["progress"] <= 10 * result["seconds"] + 2, (count["progress"], result["seconds"])
    assert count["evaluation"] == 1, count  # the test digits are measured by a worker, once, at the end
    assert count["largest"] < 4096, count  # a report the page draws from is a few numbers, not tensors
    messages = count["messages"]
    assert [m["type"] for m in messages].count("progress") == count["progress"], messages
    assert all(m["bytes"] < 4096 for m in messages if m["type"] == "progress"), messages
    # All the weights cross to the page's thread once, when the run stops (for predict()), in no other message.
    assert [m["type"] for m in messages if m["weights"]] == ["stopped"], messages
    assert max(m["bytes"] for m in messages if m["type"] != "stopped") < 4096, messages
    assert trainer.evaluate("() => window.lenetTrainer.session().status") == "finished"
    # A pause takes effect after the step under way, even during a test of the test digits (one after every step
    # here); the leader reports it stopped before it tests the paused model.
    paused = trainer.evaluate("""async () => {
      const T = window.lenetTrainer, s = T.start({model: "modern", seed: 5, evaluateEvery: 1});
      const order = [];
      T.on("evaluation", () => order.push("evaluation"));
      T.on("state", (d) => order.push(d.status));
      const stopped = T.go(s, {});
      await s.started;
      T.pause();
      const report = await stopped;
      await new Promise((resolve) => T.on("evaluation", resolve));
      return {step: report.step, reason: report.reason, order: order};
    }""")
    assert paused["reason"] == "paused" and paused["step"] <= 3, paused
    assert paused["order"][-3:] == ["pausing", "paused", "evaluation"], paused


def test_run_refuses_bad_options(trainer: Any) -> None:
    run = "(o) => window.lenetTrainer.run(o).then(() => 'ran', (e) => e.message)"
    assert "no model" in trainer.evaluate(run, {"model": "lenet1998", "seconds": 1})
    assert "batch size" in trainer.evaluate(run, {"model": "modern", "seconds": 1, "batchSize": 0})
    assert "seconds > 0" in trainer.evaluate(run, {"model": "modern"})
    assert "nothing trained yet" in trainer.evaluate(
        "() => { try { window.lenetTrainer.predict(new Float32Array(784)); } catch (e) { return e.message; } }")
    for model in ("constructor", "toString", "__proto__", None, 5):  # object-prototype keys are not models
        assert "no model" in trainer.evaluate(run, {"model": model, "seconds": 1})
    for options, words in (({"workers": 3}, "workers must"), ({"workers": "two"}, "workers must"),
                           ({"kernels": "gpu"}, "kernels must")):
        assert words in trainer.evaluate(run, {"model": "modern", "seconds": 1, **options}), options
    for seed in (None, [], True, "7", -1, 2**32, 1.5):
        assert "seed" in trainer.evaluate(run, {"model": "modern", "seconds": 1, "seed": seed}), seed
    for options, words in (({"seconds": 1, "batchSize": "32"}, "batch size"), ({"seconds": -1}, "seconds must"),
                           ({"steps": 1.5}, "steps must"), ({"steps": 1, "epochs": -1}, "epochs must"),
                           ({"steps": 1, "evaluateEvery": 0.5}, "evaluateEvery must"),
                           ({"steps": 1, "learningRate": None}, "learning rate")):
        assert words in trainer.evaluate(run, {"model": "modern", **options}), options
    # Infinity and NaN do not survive JSON: pass them inside the page.
    assert "seconds must" in trainer.evaluate(
        "() => window.lenetTrainer.run({model: 'modern', seconds: Infinity}).then(() => 'ran', (e) => e.message)")
    assert "seconds must" in trainer.evaluate(
        "() => window.lenetTrainer.run({model: 'modern', seconds: NaN, steps: 1}).then(() => 'ran', (e) => e.message)")


def test_predict_refuses_pixels_that_are_not_pixels(trainer: Any) -> None:
    trainer.evaluate("() => window.lenetTrainer.run({model: 'modern', steps: 1, evaluateEvery: 0})")
    predict = """(fill) => { const x = new Float32Array(784); x[5] = fill === 'nan' ? NaN : fill;
        try { return Array.from(window.lenetTrainer.predict(x)).length; } catch (e) { return e.message; } }"""
    assert trainer.evaluate(predict, 0.5) == 10
    for fill in ("nan", 2, -0.5):
        assert "pixels from 0 to 1" in trainer.evaluate(predict, fill)
    assert "pixels from 0 to 1" in trainer.evaluate(
        "() => { try { window.lenetTrainer.predict(new Float32Array(3)); } catch (e) { return e.message; } }")


# --- The page: data checks, controls, the address, live views ------------------------------------------------


def test_data_that_fails_the_checksum_is_refused(page: Any, site_url: str) -> None:
    entry = read_manifest()["data"]["test"]
    data = bytearray((TRAIN / entry["file"]).read_bytes())
    data[1000] ^= 1
    page.route(f"**/{entry['file']}", lambda route: route.fulfill(status=200, body=bytes(data)))
    page.goto(site_url + PAGE)
    page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'error'", timeout=60_000)
    assert "does not match the manifest" in page.text_content("#lt-root")


def test_settings_live_in_the_address(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGE + "?model=modern&lr=0.002&batch=16&seed=7")
    page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'true'", timeout=60_000)
    assert [page.input_value(s) for s in ("#lt-model", "#lt-rate", "#lt-batch", "#lt-seed")] == [
        "modern", "0.002", "16", "7"]
    page.select_option("#lt-model", "lecture")
    page.fill("#lt-batch", "64")
    page.dispatch_event("#lt-batch", "change")
    query = page.evaluate("location.search")
    assert "model=lecture" in query and "batch=64" in query and "lr=0.002" in query and "seed=7" in query
    page.fill("#lt-batch", "0")
    page.dispatch_event("#lt-batch", "change")
    assert "batch size" in page.text_content("#lt-form-error")
    assert page.get_attribute("#lt-batch", "aria-invalid") == "true"
    assert "batch=64" in page.evaluate("location.search")  # a bad value is not written to the address
    page.click("#lt-start")
    assert page.evaluate("window.lenetTrainer.session()") is None  # nothing started with bad settings


def test_an_address_with_bad_settings_says_so(page: Any, site_url: str) -> None:
    """?seed=abc is not seed 0 in silence, and a model named like an object's property is not a model."""
    page.goto(site_url + PAGE + "?model=constructor&seed=abc")
    page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'true'", timeout=60_000)
    assert page.input_value("#lt-model") == "lecture"
    assert "seed" in page.text_content("#lt-form-error")
    assert page.get_attribute("#lt-seed", "aria-invalid") == "true"


def test_start_pause_resume_reset_from_the_keyboard(trainer: Any, screenshot: Any) -> None:
    page = trainer
    page.goto(page.url.split("?")[0] + "?model=modern&seed=4")
    page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'true'", timeout=60_000)
    page.focus("#lt-start")
    page.keyboard.press("Enter")
    page.wait_for_function("window.lenetTrainer.session().status === 'running'", timeout=60_000)
    page.evaluate(DRAW_A_SEVEN_JS, "lt-pad")  # while it trains, the leading worker reads the drawing with its reports
    page.wait_for_function("/reads a \\d/.test(document.getElementById('lt-guess').textContent)", timeout=60_000)
    page.wait_for_function("window.lenetTrainerPage.ui.lastEvaluation !== null", timeout=120_000)
    # The status says so while the pause waits for the step under way (read in the same task as the click).
    pausing = page.evaluate("() => { document.getElementById('lt-pause').click(); "
                            "return document.getElementById('lt-state').textContent; }")
    assert pausing.startswith("Pausing"), pausing
    page.wait_for_function("window.lenetTrainer.session().status === 'paused'", timeout=30_000)
    paused = page.evaluate("window.lenetTrainerPage.ui.samples")
    assert page.is_enabled("#lt-resume") and not page.is_enabled("#lt-pause")
    assert "Paused" in page.text_content("#lt-state")
    # Paused, the page reads the drawing itself, with the weights the leader sent once when it stopped.
    drawn = page.evaluate("Array.from(window.lenetTrainerPage.ui.drawn)")
    probabilities = page.evaluate("(x) => Array.from(window.lenetTrainer.predict(Float32Array.from(x)))", drawn)
    page.wait_for_function("!window.lenetTrainerPage.ui.redrawPending")
    assert f"reads a {int(np.argmax(probabilities))} (" in (page.text_content("#lt-guess") or "")
    # the live views: numbers, a test accuracy, a confusion matrix of 2,000 guesses, guesses under the digits
    assert re.search(r"\d+\.\d\d% of 2,000 test digits", page.text_content("#lt-numbers") or "")
    cells = page.evaluate("""Array.from(document.querySelectorAll('#lt-confusion-table tbody td'),
                                       (td) => Number(td.textContent))""")
    assert len(cells) == 100 and sum(cells) == 2000
    captions = page.evaluate("Array.from(document.querySelectorAll('.lt-digit figcaption'), (c) => c.textContent)")
    assert len(captions) == 24 and all(("✓" in c) or ("✗" in c) for c in captions)
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('.lt-filter canvas'), (c) => c.getAttribute('aria-label'))")
    assert len(labels) == 6 and all("weights from" in label for label in labels)
    screenshot(page, "train-paused")
    page.focus("#lt-resume")
    page.keyboard.press("Enter")
    page.wait_for_function(f"window.lenetTrainerPage.ui.samples > {paused}", timeout=60_000)
    page.click("#lt-reset")
    assert page.evaluate("window.lenetTrainer.session()") is None
    assert page.is_enabled("#lt-start") and not page.is_enabled("#lt-reset")


def test_a_drawn_digit_is_read_by_the_model_being_trained(page: Any, site_url: str, screenshot: Any) -> None:
    """On the Chinese page: a digit drawn after a short run is read by the model just trained, and every word the
    page then shows, draws on its charts or gives a screen reader is written in Chinese (tests/zh_text.py)."""
    page.add_init_script(RECORD_CANVAS_JS)
    page.goto(site_url + "zh/" + PAGE)
    page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'true'", timeout=60_000)
    page.evaluate("(o) => window.lenetTrainer.run(o)", {"model": "modern", "seed": 2, "steps": 300})
    page.wait_for_function("document.getElementById('lt-confusion-table') && !window.lenetTrainerPage.ui.redrawPending")
    page.evaluate(DRAW_A_SEVEN_JS, "lt-pad")
    text = page.text_content("#lt-guess") or ""
    drawn = page.evaluate("Array.from(window.lenetTrainerPage.ui.drawn)")
    probabilities = page.evaluate("(x) => Array.from(window.lenetTrainer.predict(Float32Array.from(x)))", drawn)
    assert text.startswith(f"正在训练的模型认为这是 {int(np.argmax(probabilities))}（"), text
    assert abs(sum(probabilities) - 1) < 1e-5
    said = page.evaluate(COLLECT_JS, "article")
    drawn_text = page.evaluate("window.canvasTexts")
    assert "已看过的数字" in drawn_text and not [t for t in drawn_text if re.search("[A-Za-z]", t)], drawn_text
    found = problems(sorted(set(said + drawn_text)))
    assert not found, found
    screenshot(page, "train-zh-after-a-run")
    page.click("#lt-clear")
    assert page.text_content("#lt-guess") == "在画板上写一个数字。"
