"""The visualizer page: exported weights, JavaScript forward pass vs Keras, preprocessing vs Python, the UI.

Keras (the committed reference model) is the oracle for every layer's values; lenet_explain.walkthrough.images is the
oracle for the preprocessing; hashlib for the page's own SHA-256. The browser tests run the built site in
headless Chromium (fixtures in conftest.py fail a test on any console error or off-site request).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from lenet_explain.calculator import arithmetic as calculator
from lenet_explain.calculator.stacks import C3_TABLE, LECTURE
from lenet_explain.errors import LenetError
from lenet_explain.site import weights_export
from lenet_explain.walkthrough import images, mnist
from lenet_explain.walkthrough.predict import REFERENCE_MODEL

ROOT = Path(__file__).resolve().parent.parent
VIS = ROOT / "docs" / "visualizer"
PAGE = "visualizer/"
PARITY_DIGITS = 24  # MNIST test digits compared layer by layer with Keras
TOLERANCE = 1e-4
PREPROCESS_TOLERANCE = 1 / 255  # mean absolute difference per pixel

tf_browser = [pytest.mark.tf]


def read_manifest() -> dict[str, Any]:
    """The committed manifest."""
    return json.loads((VIS / weights_export.MANIFEST_FILE).read_text())


# --- The exported files: fresh, complete, consistent (no TensorFlow) ---------------------------------


def test_export_was_made_from_the_committed_reference_model() -> None:
    manifest = read_manifest()
    assert manifest["model"]["file"] == REFERENCE_MODEL.relative_to(ROOT).as_posix()
    assert manifest["model"]["sha256"] == weights_export.sha256_file(REFERENCE_MODEL), (
        "docs/visualizer is stale: run scripts/export_weights.py"
    )
    weights = (VIS / manifest["weights"]["file"]).read_bytes()
    assert len(weights) == manifest["weights"]["bytes"] == 4 * manifest["parameters"]
    assert hashlib.sha256(weights).hexdigest() == manifest["weights"]["sha256"]


def test_manifest_layers_match_the_lecture_description() -> None:
    manifest = read_manifest()
    rows = calculator.summarize(LECTURE).rows
    assert [layer["name"] for layer in manifest["layers"]] == [row.name for row in rows]
    assert manifest["input_shape"] == list(LECTURE.input.shape)
    offset = 0
    for layer, row in zip(manifest["layers"], rows, strict=True):
        assert tuple(layer["output_shape"]) == tuple(row.output_shape), layer["name"]
        counts = [t["count"] for t in layer["tensors"]]
        assert sum(counts) == row.params, layer["name"]
        for tensor in layer["tensors"]:
            assert tensor["offset"] == offset and tensor["count"] == int(np.prod(tensor["shape"]))
            offset += 4 * tensor["count"]
    assert offset == manifest["weights"]["bytes"]
    assert manifest["parameters"] == calculator.summarize(LECTURE).total_params


def test_manifest_carries_the_python_preprocessing_constants() -> None:
    assert read_manifest()["preprocessing"] == weights_export.preprocessing_constants()


def test_colour_tables_come_from_matplotlib() -> None:
    for role, table in read_manifest()["colormaps"].items():
        assert table == weights_export.colormap_table(weights_export.COLORMAPS[role])


@pytest.mark.slow
def test_examples_are_real_mnist_test_digits() -> None:
    _, (x_test, y_test) = mnist.load_data()
    examples = json.loads((VIS / weights_export.EXAMPLES_FILE).read_text())
    assert sorted(d["label"] for d in examples["digits"]) == list(range(10))
    for digit in examples["digits"]:
        assert digit["label"] == int(y_test[digit["index"]])
        assert digit["pixels"] == x_test[digit["index"]].reshape(-1).tolist()


def test_benchmark_figures_describe_the_current_models() -> None:
    """The benchmark is a dated measurement (rerun scripts/bench_visualizer.py by hand): it covers both networks,
    was measured on the weights the page loads now, and has every figure the page shows. Editing the page's code
    does not make it stale; changing the weights does (and the page then says so)."""
    bench = json.loads((VIS / "benchmark.json").read_text())
    manifests = {"lecture": read_manifest(), "lenet1998": read_manifest_1998()}
    assert set(bench["models"]) == set(manifests)
    for name, figures in bench["models"].items():  # each page's own files and figures
        assert figures["weights_sha256"] == manifests[name]["weights"]["sha256"]
        assert manifests[name]["weights"]["file"] in figures["asset_files"]
        for key in ("forward_ms_median", "update_ms_median", "asset_bytes", "keras_forward_ms_median"):
            assert isinstance(figures[key], int | float), (name, key)
    for key in ("date", "machine", "load_average", "browser", "runs", "budget"):
        assert bench[key], key
    assert bench["weights_sha256"] == read_manifest()["weights"]["sha256"]


@pytest.mark.tf
@pytest.mark.slow
def test_committed_export_is_not_stale(tmp_path: Path) -> None:
    files = weights_export.export_files(REFERENCE_MODEL, ROOT)
    assert weights_export.stale_files(files, VIS) == [], "run scripts/export_weights.py"


def test_export_refuses_a_layer_the_page_cannot_run() -> None:
    class Fake:
        name = "bn"

        def get_config(self) -> dict[str, Any]:
            return {}

    with pytest.raises(LenetError, match="bn: the visualizer has no Fake layer"):
        weights_export.describe_layer(Fake(), (28, 28, 1))


# --- Keras, the oracle -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras_model() -> Any:
    """The committed reference model, loaded by Keras."""
    return weights_export.load_keras_model(REFERENCE_MODEL)


@pytest.fixture(scope="module")
def mnist_test() -> tuple[np.ndarray, np.ndarray]:
    """MNIST's test images and labels."""
    _, (x_test, y_test) = mnist.load_data()
    return x_test, y_test


def keras_layer_outputs(model: Any, x: np.ndarray) -> dict[str, np.ndarray]:
    """Every layer's output for a batch (N, 28, 28, 1), by layer name, computed by Keras."""
    outputs = {}
    h = x
    for layer in model.layers:
        h = layer(h)
        outputs[layer.name] = np.asarray(h)
    return outputs


# --- The page ----------------------------------------------------------------------------------------


def open_visualizer(page: Any, url: str) -> Any:
    """Open the visualizer at ``url`` and wait until its weights are checked and the UI built."""
    page.goto(url)
    page.wait_for_function("document.getElementById('lv-root').dataset.ready !== 'false'", timeout=30_000)
    assert page.evaluate("document.getElementById('lv-root').dataset.ready") == "true"
    return page


@pytest.fixture()
def vis(page: Any, site_url: str) -> Any:
    """The visualizer page, loaded, with its weights checked and the UI built."""
    return open_visualizer(page, site_url + PAGE)


JS_FORWARD = """async (xs) => {
  await window.lenet.ready;
  return xs.map((x) => {
    const r = window.lenet.forward(Float32Array.from(x));
    return {layers: r.layers.map((l) => ({name: l.name, shape: l.shape, values: Array.from(l.values),
                                          isF32: l.values instanceof Float32Array})),
            probabilities: Array.from(r.probabilities), isF32: r.probabilities instanceof Float32Array,
            input: r.input ? Array.from(r.input.values) : null,  // the 1998 network: its scaled 32×32 input
            penalties: r.penalties ? Array.from(r.penalties) : null};
  });
}"""
# The same through lenet.js's plain-JavaScript layers (forward() runs the lecture's model on the train page's
# engine with its WebAssembly products where Chromium has them, as here).
JS_FORWARD_PLAIN = JS_FORWARD.replace("window.lenet.forward(", "window.lenet.forwardPlain(")


@pytest.mark.tf
@pytest.mark.slow
def test_every_layer_equals_keras(vis: Any, keras_model: Any, mnist_test: tuple[np.ndarray, np.ndarray]) -> None:
    x_test, y_test = mnist_test
    # A spread of test digits (not only the first ones), including hard ones Keras may get wrong.
    indices = np.linspace(0, len(x_test) - 1, PARITY_DIGITS).astype(int)
    x = x_test[indices].astype(np.float32)[..., None] / 255  # (N, 28, 28, 1)
    expected = keras_layer_outputs(keras_model, x)
    assert vis.evaluate("window.lenet.model.kernels") == "wasm"
    results = vis.evaluate(JS_FORWARD, x.reshape(len(x), -1).tolist())
    plain = vis.evaluate(JS_FORWARD_PLAIN, x.reshape(len(x), -1).tolist())
    names = [layer.name for layer in keras_model.layers]
    for n, result in [*enumerate(results), *enumerate(plain)]:  # each digit on both paths
        assert [layer["name"] for layer in result["layers"]] == names
        assert result["isF32"] and all(layer["isF32"] for layer in result["layers"])
        for layer in result["layers"]:
            want = expected[layer["name"]][n]
            assert layer["shape"] == list(want.shape), layer["name"]
            got = np.asarray(layer["values"], dtype=np.float64)
            diff = np.abs(got - want.reshape(-1)).max()
            assert diff <= TOLERANCE, f"digit {indices[n]}, {layer['name']}: max difference {diff:.2e}"
        probabilities = np.asarray(result["probabilities"])
        assert len(probabilities) == 10
        assert np.array_equal(probabilities, np.asarray(result["layers"][-1]["values"]))
        assert int(probabilities.argmax()) == int(expected["output"][n].argmax())
    # The reference model is good: most of these digits are read right by both.
    right = sum(int(np.argmax(r["probabilities"])) == int(y_test[i]) for r, i in zip(results, indices, strict=True))
    assert right >= PARITY_DIGITS - 2


JS_EXPLAIN = """async ([x, units]) => {
  await window.lenet.ready;
  const input = Float32Array.from(x);
  const result = window.lenet.forward(input);
  return units.map(([layerIndex, index]) => {
    const e = window.lenet.explain(input, result, layerIndex, index);
    return {sum: e.sum, bias: e.bias, value: e.value, window: Array.from(e.window.values),
            weights: e.weights ? Array.from(e.weights) : null, shape: e.window.shape,
            top: e.window.top === undefined ? null : e.window.top,
            left: e.window.left === undefined ? null : e.window.left,
            forwardValue: result.layers[layerIndex].values[index]};
  });
}"""


@pytest.mark.tf
@pytest.mark.slow
def test_explained_units_follow_from_keras_weights(vis: Any, keras_model: Any,
                                                   mnist_test: tuple[np.ndarray, np.ndarray]) -> None:
    x = mnist_test[0][[0]].astype(np.float32)[..., None] / 255  # (1, 28, 28, 1)
    outputs = keras_layer_outputs(keras_model, x)
    layers = keras_model.layers
    rng = np.random.default_rng(5)
    units = []
    for li, layer in enumerate(layers):
        size = int(np.prod(outputs[layer.name].shape[1:]))
        picks = {0, size - 1, *rng.integers(0, size, 4).tolist()}
        units += [(li, int(i)) for i in sorted(picks)]
    explained = vis.evaluate(JS_EXPLAIN, [x.reshape(-1).tolist(), units])
    for (li, index), e in zip(units, explained, strict=True):
        layer = layers[li]
        before = x[0] if li == 0 else outputs[layers[li - 1].name][0]
        value = outputs[layer.name][0].reshape(-1)[index]
        assert abs(e["value"] - value) <= TOLERANCE and e["value"] == e["forwardValue"]
        kind = type(layer).__name__
        if kind == "Conv2D":
            kernel, bias = (np.asarray(w) for w in layer.get_weights())  # (kh, kw, cin, f), (f,)
            _, w, f = outputs[layer.name].shape[1:]
            row, col, channel = index // (w * f), (index // f) % w, index % f
            pad = (kernel.shape[0] - 1) // 2 if layer.get_config()["padding"] == "same" else 0
            padded = np.pad(before, ((pad, pad), (pad, pad), (0, 0)))
            window = padded[row : row + kernel.shape[0], col : col + kernel.shape[1], :]
            assert (e["top"], e["left"]) == (row - pad, col - pad)
            assert np.allclose(e["window"], window.reshape(-1), atol=TOLERANCE)
            assert np.allclose(e["weights"], kernel[..., channel].reshape(-1), atol=0)
            z = float((window * kernel[..., channel]).sum() + bias[channel])
            assert abs(e["sum"] - z) <= TOLERANCE and e["bias"] == pytest.approx(bias[channel])
            assert abs(1 / (1 + np.exp(-z)) - value) <= TOLERANCE
        elif kind == "AveragePooling2D":
            _, w, c = outputs[layer.name].shape[1:]
            row, col, channel = index // (w * c), (index // c) % w, index % c
            window = before[2 * row : 2 * row + 2, 2 * col : 2 * col + 2, channel]
            assert np.allclose(e["window"], window.reshape(-1), atol=TOLERANCE)
            assert e["weights"] == [0.25] * 4 and abs(e["sum"] - window.mean()) <= TOLERANCE
        elif kind == "Dense":
            kernel, bias = (np.asarray(w) for w in layer.get_weights())  # (inputs, units), (units,)
            z = before.reshape(-1) @ kernel[:, index] + bias[index]
            assert np.allclose(e["weights"], kernel[:, index], atol=0)
            assert abs(e["sum"] - z) <= TOLERANCE
        else:  # Flatten
            assert e["sum"] == pytest.approx(before.reshape(-1)[index], abs=TOLERANCE)


# --- Preprocessing: the page's JavaScript against lenet_explain.walkthrough.images --------------------------------


def on_paper(digit: np.ndarray, size: int, canvas: tuple[int, int], at: tuple[int, int]) -> Image.Image:
    """An MNIST digit as black ink on white paper, scaled to ``size`` px and pasted at ``at``."""
    ink = Image.fromarray(255 - digit).resize((size, size), Image.Resampling.BICUBIC)
    paper = Image.new("L", canvas, 255)
    paper.paste(ink, at)
    return paper


def pen_drawing(size: int, width: int, points: list[tuple[float, float]]) -> Image.Image:
    """Black strokes of a round pen on white, like the page's pad (points in 0..1 of the side)."""
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    xy = [(px * size, py * size) for px, py in points]
    draw.line(xy, fill="black", width=width, joint="curve")
    for px, py in (xy[0], xy[-1]):
        draw.ellipse((px - width / 2, py - width / 2, px + width / 2, py + width / 2), fill="black")
    return image


def make_test_images(x_test: np.ndarray) -> dict[str, Image.Image]:
    """Images of many kinds: paper and pen, both polarities, transparency, colour, noise, odd sizes."""
    rng = np.random.default_rng(7)
    out: dict[str, Image.Image] = {}
    for i in range(6):
        out[f"paper{i}"] = on_paper(x_test[i], 90 + 20 * i, (240, 200), (20 + 10 * i, 15 + 8 * i))
    out["mnist-itself"] = Image.fromarray(x_test[11])
    out["mnist-small-white-on-black"] = Image.fromarray(x_test[12]).resize((19, 23))
    seven = [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]
    two = [(0.3, 0.3), (0.5, 0.18), (0.7, 0.3), (0.62, 0.5), (0.3, 0.8), (0.75, 0.8)]
    out["pad-seven"] = pen_drawing(280, 22, seven)
    out["pad-two"] = pen_drawing(280, 22, two)
    out["hairline-on-big-sheet"] = pen_drawing(600, 3, two)
    out["pad-one"] = pen_drawing(280, 22, [(0.52, 0.15), (0.48, 0.85)])
    noisy = np.asarray(on_paper(x_test[20], 120, (200, 200), (40, 30)), dtype=np.float64)
    dirt = np.abs(rng.normal(0, 12, noisy.shape))
    out["noisy-paper"] = Image.fromarray(np.clip(noisy - dirt, 0, 255).astype(np.uint8))
    ink = 1 - np.asarray(on_paper(x_test[30], 100, (160, 160), (30, 30)), dtype=np.float64) / 255
    rgb = np.stack([0.95 - 0.8 * ink, 0.9 - 0.7 * ink, 0.7 + 0.25 * ink], axis=-1)  # blue ink, cream paper
    out["blue-ink-on-cream"] = Image.fromarray((rgb * 255).astype(np.uint8), "RGB")
    alpha = 255 - np.asarray(on_paper(x_test[40], 80, (120, 140), (20, 30)))
    rgba = np.zeros((140, 120, 4), dtype=np.uint8)
    rgba[..., 3] = alpha
    out["dark-ink-on-transparent"] = Image.fromarray(rgba, "RGBA")
    light = np.full((100, 100, 4), 255, dtype=np.uint8)
    light[..., 3] = np.asarray(Image.fromarray(x_test[50]).resize((100, 100)))
    out["white-ink-on-transparent"] = Image.fromarray(light, "RGBA")
    out["blurred-wide"] = on_paper(x_test[60], 60, (300, 90), (200, 15)).filter(ImageFilter.GaussianBlur(2))
    return out


def rgba_payload(image: Image.Image) -> dict[str, Any]:
    """An image as the browser's ImageData would hold it: RGBA bytes, base64."""
    rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
    return {"width": image.width, "height": image.height, "data": base64.b64encode(rgba.tobytes()).decode()}


JS_PREPROCESS = """async (items) => {
  await window.lenet.ready;
  return items.map(({width, height, data}) => {
    const bytes = Uint8ClampedArray.from(atob(data), (c) => c.charCodeAt(0));
    try {
      const x = window.lenet.preprocess(new ImageData(bytes, width, height));
      return {ok: true, isF32: x instanceof Float32Array, values: Array.from(x)};
    } catch (error) {
      return {ok: false, name: error.name, message: error.message};
    }
  });
}"""


@pytest.mark.slow
def test_preprocessing_equals_python(vis: Any, mnist_test: tuple[np.ndarray, np.ndarray]) -> None:
    cases = make_test_images(mnist_test[0])
    results = vis.evaluate(JS_PREPROCESS, [rgba_payload(image) for image in cases.values()])
    for (name, image), result in zip(cases.items(), results, strict=True):
        expected = images.preprocess_gray(images.to_gray(image)).image.reshape(-1)
        assert result["ok"], f"{name}: {result}"
        got = np.asarray(result["values"])
        assert result["isF32"] and got.shape == (784,) and got.min() >= 0 and got.max() <= 1
        error = np.abs(got - expected).mean()
        assert error <= PREPROCESS_TOLERANCE, f"{name}: mean |JS − Python| = {error * 255:.2f}/255"


def test_blank_images_have_no_ink_in_both(vis: Any) -> None:
    blanks = [Image.new("RGB", (280, 280), "white"), Image.new("L", (28, 28), 0),
              Image.fromarray(np.full((50, 40), 200, dtype=np.uint8))]
    results = vis.evaluate(JS_PREPROCESS, [rgba_payload(image) for image in blanks])
    for image, result in zip(blanks, results, strict=True):
        with pytest.raises(LenetError, match="no ink"):
            images.preprocess_gray(images.to_gray(image))
        assert not result["ok"] and result["name"] == "NoInkError" and "no ink" in result["message"]


# --- Checksum --------------------------------------------------------------------------------------------


def test_plain_javascript_sha256_equals_hashlib(vis: Any) -> None:
    rng = np.random.default_rng(3)
    samples = [b"", b"abc", *(rng.integers(0, 256, n, dtype=np.uint8).tobytes() for n in (55, 56, 63, 64, 65, 1000))]
    payload = [base64.b64encode(s).decode() for s in samples]
    got = vis.evaluate("""(items) => items.map((b64) =>
        window.lenet.sha256HexPlain(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer))""", payload)
    assert got == [hashlib.sha256(s).hexdigest() for s in samples]
    weights = (VIS / weights_export.WEIGHTS_FILE).read_bytes()
    assert vis.evaluate("""async () => {
        const r = await fetch('lenet5_weights.bin');
        return window.lenet.sha256HexPlain(await r.arrayBuffer());
    }""") == hashlib.sha256(weights).hexdigest()


def test_weights_that_fail_the_checksum_are_refused(page: Any, site_url: str) -> None:
    weights = bytearray((VIS / weights_export.WEIGHTS_FILE).read_bytes())
    weights[100] ^= 1  # one bit of one weight

    page.route("**/lenet5_weights.bin", lambda route: route.fulfill(status=200, body=bytes(weights)))
    page.goto(site_url + PAGE)
    page.wait_for_function("document.getElementById('lv-root').dataset.ready === 'error'", timeout=30_000)
    assert "does not match its manifest" in page.text_content("#lv-status")
    assert page.evaluate("window.lenet.ready.then(() => 'resolved', (e) => e.message)").startswith(
        "the weights file does not match"
    )


# --- The UI: drawing, guesses, examples, toggles, inspector -------------------------------------------


def pad_pixels(vis: Any) -> Image.Image:
    """The pad's pixels as the page holds them."""
    payload = vis.evaluate("""() => {
        const pad = document.getElementById('lv-pad');
        const image = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height);
        let s = ''; for (const b of image.data) s += String.fromCharCode(b);
        return {width: image.width, height: image.height, data: btoa(s)};
    }""")
    data = np.frombuffer(base64.b64decode(payload["data"]), dtype=np.uint8)
    return Image.fromarray(data.reshape(payload["height"], payload["width"], 4), "RGBA")


def guesses(vis: Any) -> tuple[str, str, str, str]:
    """The first and second guess and their probabilities, as shown."""
    return tuple(vis.text_content(s) or "" for s in ("#lv-first", "#lv-first-p", "#lv-second", "#lv-second-p"))  # type: ignore[return-value]


def mouse_stroke(vis: Any, points: list[tuple[float, float]], steps: int = 8) -> None:
    """Draw one stroke with the mouse through points given in 0..1 of the pad."""
    box = vis.locator("#lv-pad").bounding_box()
    xy = [(box["x"] + px * box["width"], box["y"] + py * box["height"]) for px, py in points]
    vis.mouse.move(*xy[0])
    vis.mouse.down()
    for x, y in xy[1:]:
        vis.mouse.move(x, y, steps=steps)
    vis.mouse.up()


def pointer_stroke(vis: Any, points: list[tuple[float, float]], kind: str) -> None:
    """Draw one stroke with synthetic pointer events of a touch or pen pointer."""
    vis.evaluate("""([points, kind]) => {
        const pad = document.getElementById('lv-pad');
        const box = pad.getBoundingClientRect();
        const at = ([px, py], type) => pad.dispatchEvent(new PointerEvent(type, {
            bubbles: true, cancelable: true, pointerId: 7, pointerType: kind, isPrimary: true, button: 0,
            buttons: type === 'pointerup' ? 0 : 1,
            clientX: box.left + px * box.width, clientY: box.top + py * box.height}));
        at(points[0], 'pointerdown');
        points.slice(1).forEach((p) => at(p, 'pointermove'));
        at(points[points.length - 1], 'pointerup');
    }""", [points, kind])


def assert_percent(text: str, p: float) -> None:
    """A probability shown as a percentage agrees with ``p`` to the digits shown."""
    if text.startswith(">"):
        assert text == "> 99.99%" and p > 0.9999
    elif text.startswith("<"):
        assert text == "< 0.01%" and p < 0.0001
    else:
        decimals = len(text.rstrip("%").partition(".")[2])
        assert abs(float(text.rstrip("%")) - 100 * p) <= 0.5 * 10**-decimals + 1e-9, (text, p)


def keras_guess(model: Any, image: Image.Image) -> tuple[int, int, np.ndarray]:
    """Keras' first and second guess for an image after the Python preprocessing."""
    x = images.preprocess_gray(images.to_gray(image)).image[None, ..., None]  # (1, 28, 28, 1)
    p = np.asarray(model(x, training=False))[0]
    order = np.argsort(-p)
    return int(order[0]), int(order[1]), p


def shown_input(vis: Any) -> np.ndarray:
    """The 784 values the page last fed the network."""
    return np.asarray(vis.evaluate("Array.from(window.lenet.ui.state.x)"))


@pytest.mark.tf
@pytest.mark.slow
def test_strokes_update_the_guesses(vis: Any, keras_model: Any, screenshot: Any) -> None:
    assert guesses(vis)[0] == "–"  # a blank pad: no guess
    mouse_stroke(vis, [(0.25, 0.2), (0.75, 0.2)])  # the top bar of a 7
    first_stroke = guesses(vis)
    assert first_stroke[0] in "0123456789" and first_stroke[0] != "–"
    mouse_stroke(vis, [(0.75, 0.2), (0.45, 0.85)])  # its leg
    shown = guesses(vis)
    assert shown != first_stroke
    pad = pad_pixels(vis)
    first, second, p = keras_guess(keras_model, pad)
    assert shown[0] == str(first) and shown[2] == str(second)
    assert_percent(shown[1], p[first])
    assert_percent(shown[3], p[second])
    assert shown[0] == "7"  # an ordinary 7 is read as a 7
    python_x = images.preprocess_gray(images.to_gray(pad)).image.reshape(-1)
    assert np.abs(shown_input(vis) - python_x).mean() <= PREPROCESS_TOLERANCE
    screenshot(vis, "visualizer-drawn-7")
    vis.click("#lv-clear")
    assert guesses(vis)[0] == "–" and vis.evaluate("window.lenet.ui.state.x") is None


@pytest.mark.tf
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["touch", "pen"])
def test_touch_and_pen_strokes_draw(vis: Any, keras_model: Any, kind: str) -> None:
    pointer_stroke(vis, [(0.52, 0.15), (0.50, 0.5), (0.48, 0.85)], kind)  # a 1
    first, second, _ = keras_guess(keras_model, pad_pixels(vis))
    assert guesses(vis)[0] == str(first) == "1" and guesses(vis)[2] == str(second)


def arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float) -> list[tuple[float, float]]:
    """Points along an elliptic arc (angles in degrees, y pointing down), in 0..1 of the pad."""
    angles = np.radians(np.linspace(start, stop, 25))
    return [(cx + rx * float(np.cos(a)), cy + ry * float(np.sin(a))) for a in angles]


# One ordinary way of writing each digit, one stroke each, as a person would on the pad.
HANDWRITING: dict[int, list[tuple[float, float]]] = {
    0: arc(0.5, 0.5, 0.22, 0.32, 0, 360),
    1: [(0.5, 0.15), (0.5, 0.85)],
    2: [*arc(0.5, 0.33, 0.2, 0.16, 180, 390), (0.3, 0.82), (0.72, 0.82)],
    3: arc(0.48, 0.32, 0.18, 0.15, 200, 450) + arc(0.48, 0.64, 0.2, 0.17, 270, 520),
    4: [(0.6, 0.85), (0.6, 0.15), (0.25, 0.6), (0.75, 0.6)],
    5: [(0.7, 0.18), (0.35, 0.18), (0.33, 0.45), *arc(0.48, 0.62, 0.2, 0.18, 230, 520)],
    6: [(0.62, 0.15), (0.38, 0.5), *arc(0.5, 0.65, 0.17, 0.18, 180, 540)],
    7: [(0.28, 0.2), (0.72, 0.2), (0.45, 0.85)],
    8: arc(0.5, 0.32, 0.15, 0.15, 90, 450) + arc(0.5, 0.66, 0.19, 0.18, -90, 270),
    9: [*arc(0.5, 0.35, 0.17, 0.17, 0, 360), (0.67, 0.35), (0.62, 0.85)],
}


@pytest.mark.tf
@pytest.mark.slow
def test_ordinary_handwriting_is_read_right(vis: Any, keras_model: Any) -> None:
    for digit, points in HANDWRITING.items():
        vis.click("#lv-clear")
        pointer_stroke(vis, points, "pen")  # the mouse draws in test_strokes_update_the_guesses
        first, second, _ = keras_guess(keras_model, pad_pixels(vis))  # Keras on the same pad pixels
        shown = guesses(vis)
        assert (shown[0], shown[2]) == (str(first), str(second)), digit
        assert shown[0] == str(digit), f"drew a {digit}, the page guessed {shown[0]} (then {shown[2]})"


# --- What the inspector and the connection lines show, checked against the exported weights -----------------

JS_LINES = """() => {
  const svg = document.querySelector('#lv-layers svg.lv-links');
  const origin = svg.getBoundingClientRect();
  const lines = Array.from(svg.querySelectorAll('path.lv-link'), (p) => {
    const style = getComputedStyle(p);
    return {key: p.dataset.key, sign: p.dataset.sign, d: p.getAttribute('d'),
            width: Number(p.getAttribute('stroke-width')), stroke: style.stroke, dash: style.strokeDasharray};
  }).filter((line) => line.sign);
  const sample = (cls) => getComputedStyle(document.querySelector('.lv-line-sample.' + cls));
  const titles = Array.from(document.querySelectorAll('.lv-layer:not([hidden]) h4'), (h) => {
    const r = h.getBoundingClientRect();
    return [r.left - origin.left, r.top - origin.top, r.width, r.height];
  });
  return {lines, titles, legend: {positive: sample('lv-line-positive').borderTopColor,
                                  negative: sample('lv-line-negative').borderTopColor,
                                  negativeStyle: sample('lv-line-negative').borderTopStyle}};
}"""


def exported_tensor(manifest: dict[str, Any], layer: dict[str, Any], name: str) -> np.ndarray:
    """One tensor of a layer, read from the exported weights file as the manifest places it."""
    tensor = next(t for t in layer["tensors"] if t["name"] == name)
    data = (VIS / manifest["weights"]["file"]).read_bytes()
    return np.frombuffer(data, "<f4", tensor["count"], tensor["offset"]).reshape(tensor["shape"]).astype(np.float64)


def shown_values(page: Any, name: str) -> np.ndarray:
    """A layer's values as the page computed and drew them (the input: what the first layer reads)."""
    return np.asarray(page.evaluate("""(name) => { const r = window.lenet.ui.state.result;
        if (name === 'input') return Array.from(r.input ? r.input.values : window.lenet.ui.state.x);
        return Array.from(r.layers.find((l) => l.name === name).values); }""", name), dtype=np.float64)


def expected_terms(page: Any, manifest: dict[str, Any], name: str, row: int, col: int,
                   channel: int) -> dict[str, float]:
    """Σ weight × input of each input a unit reads (a map: over the unit's window in it), from the exported
    weights and the activations the page shows: {line key: term}."""
    layers = [layer for layer in manifest["layers"] if layer["type"] != "Flatten"]
    index = next(i for i, layer in enumerate(layers) if layer["name"] == name)
    layer = layers[index]
    source = "input" if index == 0 else layers[index - 1]["name"]
    shape = manifest["input_shape"] if index == 0 else layers[index - 1]["output_shape"]
    x = shown_values(page, source).reshape(shape)
    kind = layer["type"]
    if kind in ("Dense", "EuclideanRBF"):
        weights = exported_tensor(manifest, layer, "kernel")[:, channel] if kind == "Dense" else (
            exported_tensor(manifest, layer, "prototypes")[channel])
        return {str(i): float(v) for i, v in enumerate(x.reshape(-1) * weights)}
    if kind in ("AveragePooling2D", "Subsampling2D"):
        h, w = layer["pool_size"]
        window = x[row * h : row * h + h, col * w : col * w + w, channel]
        factor = 1 / (h * w) if kind == "AveragePooling2D" else exported_tensor(manifest, layer, "coefficient")[channel]
        return {str(channel): float(factor * window.sum())}
    kh, kw = layer["kernel_size"]
    top, left = layer.get("pad", [0, 0])
    padded = np.pad(x, ((top, kh), (left, kw), (0, 0)))  # zeros around the picture, as the padding
    window = padded[row : row + kh, col : col + kw, :]
    kernel = exported_tensor(manifest, layer, "kernel")
    if kind == "SparseConv2D":  # one kernel slice per link of the table, filter after filter
        table = layer["connection_table"]
        first = sum(len(maps) for maps in table[:channel])
        return {str(m): float((window[..., m] * kernel[..., first + j]).sum()) for j, m in enumerate(table[channel])}
    return {str(m): float((window[..., m] * kernel[..., m, channel]).sum()) for m in range(x.shape[2])}


def segments(d: str) -> list[tuple[float, float, float, float]]:
    """The straight pieces of an SVG path made of M…L… pairs."""
    numbers = [float(v) for v in d.replace("M", " ").replace("L", " ").split()]
    return [tuple(numbers[i : i + 4]) for i in range(0, len(numbers), 4)]  # type: ignore[misc]


def check_lines(page: Any, manifest: dict[str, Any], unit: tuple[str, int, int, int]) -> int:
    """The lines of ``unit`` (layer, row, col, map; from 0): one per input it reads, coloured and dashed by the sign
    of its w·x (as the legend says), wider for a larger |w·x|, and none crossing a layer's title. Returns how many."""
    expected = expected_terms(page, manifest, *unit)
    shown = page.evaluate(JS_LINES)
    lines = shown["lines"]
    assert {line["key"] for line in lines} == set(expected), unit
    largest = max(abs(v) for v in expected.values())
    for line in lines:
        term = expected[line["key"]]
        if abs(term) > 1e-6 * largest:  # a term this close to 0 may round either way in float32
            sign = "positive" if term > 0 else "negative"
            assert line["sign"] == sign, (unit, line["key"], term)
            assert line["stroke"] == shown["legend"][sign], (unit, line)
            assert (line["dash"] == "none") == (sign == "positive"), (unit, line)
    assert shown["legend"]["positive"] != shown["legend"]["negative"] and shown["legend"]["negativeStyle"] == "dashed"
    by_size = sorted(lines, key=lambda line: abs(expected[line["key"]]))
    assert all(a["width"] <= b["width"] + 0.011 for a, b in itertools.pairwise(by_size)), unit
    x, y, w, h = np.asarray(shown["titles"]).T[:, None, :]  # each (1, titles)
    t = np.linspace(0, 1, 64)[:, None]  # points along each drawn piece of a line
    for line in lines:
        for x0, y0, x1, y1 in segments(line["d"]):
            px, py = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            assert not ((x < px) & (px < x + w) & (y < py) & (py < y + h)).any(), (unit, line)
    return len(lines)


def pin(page: Any, name: str, keys: tuple[str, ...]) -> tuple[str, int, int, int]:
    """Pin a unit of layer ``name`` from the keyboard; return it as (layer, row, col, map), from 0."""
    page.focus(f"#lv-layer-{name} .lv-maps")
    for key in keys:
        page.keyboard.press(key)
    unit = page.evaluate("window.lenet.ui.state.selected")
    return unit["name"], unit["row"], unit["col"], unit["channel"]


JS_KEYS = """([layer, keys]) => {
  const maps = document.querySelector('#lv-layer-' + layer + ' .lv-maps');
  const body = document.getElementById('lv-inspector-body');
  return keys.map((key) => {
    maps.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true, cancelable: true}));
    return {text: body.textContent, captions: Array.from(body.querySelectorAll('figcaption'), (c) => c.textContent)};
  });
}"""


def press_keys(page: Any, layer: str, keys: list[str]) -> list[dict[str, Any]]:
    """Press keys on a layer's maps (the same keydown events a keyboard sends, in one round trip); after each, the
    inspector's text and its tiles' captions."""
    return list(page.evaluate(JS_KEYS, [layer, keys]))


def inspector_texts(page: Any, layers: list[str]) -> list[str]:
    """The inspector's text for a few units of every layer, reached from the keyboard."""
    keys = ["ArrowRight", "ArrowDown", "n", "ArrowRight", "n", "ArrowDown"]
    texts = [shown["text"] for name in layers for shown in press_keys(page, name, keys)]
    press_keys(page, layers[-1], ["Escape"])
    return texts


def check_sheet(page: Any) -> None:
    """On a 390×844 phone the pinned inspector is a bottom sheet of at most a third of the screen, folded and
    unfolded from the keyboard by a button that says whether it is open; on a wide screen it has no such button."""
    assert page.locator("#lv-sheet-toggle").is_hidden()
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.focus("#lv-layer-C3 .lv-maps")
        page.keyboard.press("ArrowRight")  # pins a unit: the sheet shows it
        toggle = page.locator("#lv-sheet-toggle")
        assert toggle.get_attribute("aria-expanded") == "true" and toggle.get_attribute("aria-controls")
        open_box = page.locator("#lv-inspector").bounding_box()
        assert open_box["height"] <= 844 / 3 and open_box["y"] + open_box["height"] <= 844 + 0.5
        assert page.locator("#lv-inspector-body h4").is_visible()
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.locator("#lv-inspector-body").is_hidden()
        assert page.locator("#lv-inspector").bounding_box()["height"] < open_box["height"] / 3
        page.keyboard.press("Space")
        assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#lv-inspector-body h4").is_visible()
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})  # conftest's page


def test_units_can_be_inspected_from_the_keyboard(vis: Any) -> None:
    vis.click(".lv-example[data-example='0']")
    vis.focus("#lv-layer-C1 .lv-maps")
    vis.keyboard.press("ArrowRight")
    vis.keyboard.press("ArrowDown")
    # rows and columns are counted from 1 on every page, the inspector included
    assert (vis.text_content("#lv-inspector h4") or "") == "C1 map 1, row 2, column 2"
    vis.keyboard.press("n")
    assert (vis.text_content("#lv-inspector h4") or "") == "C1 map 2, row 2, column 2"
    window = "Input window: input, rows 1 to 4 and 1 padding row above; columns 1 to 4 and 1 padding column on the left"
    assert window in (vis.text_content("#lv-inspector") or "")
    vis.keyboard.press("Escape")
    assert vis.locator("#lv-inspector h4").count() == 0
    vis.focus("#lv-layer-input .lv-maps")  # the input's pixels are counted from 1 too
    vis.keyboard.press("ArrowRight")
    assert (vis.text_content("#lv-inspector-body") or "").startswith("Input pixel (row 1, column 2) = ")
    # Every inspector sum writes a negative term as "− 0.1", never "+ −0.1".
    texts = inspector_texts(vis, ["C1", "S2", "C3", "S4", "C5", "F6", "output"])
    assert all("Weighted sum" in text or "Average" in text for text in texts)
    assert not [text for text in texts if "+ −" in text]
    # Each line's colour, dash and width follow w·x from the exported weights and the values shown.
    manifest = read_manifest()
    for name, keys in (("C1", ("ArrowRight",)), ("S2", ("ArrowDown", "n")), ("C3", ("ArrowDown", "ArrowRight")),
                       ("C5", ("n", "n")), ("F6", ("ArrowRight",) * 5), ("output", ("ArrowRight",) * 7)):
        assert check_lines(vis, manifest, pin(vis, name, keys)) >= 1
    check_sheet(vis)


@pytest.mark.tf
@pytest.mark.slow
def test_the_pad_can_be_drawn_on_from_the_keyboard(vis: Any, keras_model: Any) -> None:
    vis.focus("#lv-pad")
    for key in ["ArrowUp"] * 10 + ["Space"] + ["ArrowDown"] * 20 + ["Space"]:
        vis.keyboard.press(key)
    first, _, _ = keras_guess(keras_model, pad_pixels(vis))
    assert guesses(vis)[0] == str(first) == "1"
    vis.keyboard.press("Delete")
    assert guesses(vis)[0] == "–"
    # The clear button, the example buttons and the layer toggles are reachable with Tab.
    vis.focus("#lv-pad")
    reached = set()
    for _ in range(40):
        vis.keyboard.press("Tab")
        reached.add(vis.evaluate("document.activeElement.id || document.activeElement.classList[0]"))
    assert {"lv-clear", "lv-example", "lv-toggle"} <= reached


@pytest.mark.tf
@pytest.mark.slow
def test_examples_load_real_mnist_digits(vis: Any, keras_model: Any, mnist_test: tuple[np.ndarray, np.ndarray],
                                         screenshot: Any) -> None:
    x_test, _ = mnist_test
    examples = json.loads((VIS / weights_export.EXAMPLES_FILE).read_text())["digits"]
    assert vis.locator(".lv-example").count() == len(examples)
    for i in (0, 3, 7):
        vis.click(f".lv-example[data-example='{i}']")
        x = x_test[examples[i]["index"]].astype(np.float32) / 255
        assert np.allclose(shown_input(vis), x.reshape(-1), atol=1e-7)
        p = np.asarray(keras_model(x[None, ..., None], training=False))[0]
        assert guesses(vis)[0] == str(int(p.argmax()))
    vis.hover("#lv-layer-C3 canvas.lv-cells >> nth=2", position={"x": 30, "y": 30})
    text = vis.text_content("#lv-inspector") or ""
    assert "C3 map 3" in text and "Weighted sum z" in text and "Activation σ(z)" in text
    screenshot(vis, "visualizer-example-inspector")


def test_layer_toggles_hide_and_show(vis: Any) -> None:
    names = ["input", "C1", "S2", "C3", "S4", "C5", "F6", "output"]
    toggles = vis.locator(".lv-toggle")
    assert [toggles.nth(i).get_attribute("data-layer") for i in range(toggles.count())] == names
    for name in names:
        section = vis.locator(f"#lv-layer-{name}")
        button = vis.locator(f".lv-toggle[data-layer='{name}']")
        assert section.is_visible() and button.get_attribute("aria-pressed") == "true"
        button.click()
        assert section.is_hidden() and button.get_attribute("aria-pressed") == "false"
        assert button.text_content() == "Show"
        button.click()
        assert section.is_visible() and button.text_content() == "Hide"
    # The layers' maps have the documented shapes: C1 6@28×28, S2 6@14×14, C3 16@10×10, S4 16@5×5.
    for name, maps, side in (("C1", 6, 28), ("S2", 6, 14), ("C3", 16, 10), ("S4", 16, 5)):
        canvases = vis.locator(f"#lv-layer-{name} canvas.lv-cells")
        assert canvases.count() == maps
        assert canvases.first.evaluate("(c) => [c.width, c.height]") == [side, side]


def test_the_page_makes_no_request_off_site(vis: Any) -> None:
    requests: list[str] = []
    vis.on("request", lambda request: requests.append(request.url))
    vis.reload()
    vis.wait_for_function("document.getElementById('lv-root').dataset.ready === 'true'")
    assert requests and all(url.startswith(("http://127.0.0.1", "data:", "blob:")) for url in requests)
    assert not vis.watch.offsite_requests and not vis.watch.console_errors


# --- The 1998 network: visualizer/?model=lenet1998 ------------------------------------------------------

PAGE_1998 = PAGE + "?model=lenet1998"
MANIFEST_1998 = f"{weights_export.LENET1998_NAME}_manifest.json"


def read_manifest_1998() -> dict[str, Any]:
    """The committed manifest of the 1998 network."""
    return json.loads((VIS / MANIFEST_1998).read_text())


def test_1998_export_was_made_from_the_committed_model() -> None:
    from lenet_explain.walkthrough.digit_models import LENET1998_MODEL

    manifest = read_manifest_1998()
    assert manifest["model"]["file"] == LENET1998_MODEL.relative_to(ROOT).as_posix()
    assert manifest["model"]["sha256"] == weights_export.sha256_file(LENET1998_MODEL), (
        "docs/visualizer is stale: run scripts/export_weights.py"
    )
    weights = (VIS / manifest["weights"]["file"]).read_bytes()
    assert manifest["weights"]["file"] == "lenet1998_weights.bin"
    assert len(weights) == manifest["weights"]["bytes"] == 4 * manifest["parameters"]
    assert hashlib.sha256(weights).hexdigest() == manifest["weights"]["sha256"]


def test_1998_manifest_matches_the_description() -> None:
    from lenet_explain.calculator.bitmaps import bitmap_values
    from lenet_explain.calculator.layers import SCALED_TANH_A, SCALED_TANH_S, EuclideanRBF
    from lenet_explain.calculator.stacks import C3_TABLE, LENET1998
    from lenet_explain.walkthrough import training1998

    manifest = read_manifest_1998()
    summary = calculator.summarize(LENET1998)
    assert manifest["input_shape"] == list(LENET1998.input.shape)
    assert [layer["name"] for layer in manifest["layers"]] == [row.name for row in summary.rows]
    for layer, row in zip(manifest["layers"], summary.rows, strict=True):
        assert tuple(layer["output_shape"]) == row.output_shape, layer["name"]
        assert (layer["params"], layer["trainable_params"], layer["connections"]) == (
            row.params, row.trainable_params, row.connections)
        assert sum(t["count"] for t in layer["tensors"]) == row.params, layer["name"]
    c3 = next(layer for layer in manifest["layers"] if layer["type"] == "SparseConv2D")
    assert c3["connection_table"] == [sorted(row) for row in C3_TABLE]
    assert manifest["input_scaling"] == {"pad": training1998.PAD, "background": training1998.BACKGROUND,
                                         "full_ink": training1998.FULL_INK}
    assert manifest["scaled_tanh"] == {"A": SCALED_TANH_A, "S": SCALED_TANH_S}
    assert manifest["output"] == "penalties" and manifest["rbf_bitmap_shape"] == [12, 7]
    rbf = manifest["layers"][-1]
    tensor = rbf["tensors"][0]
    stored = np.frombuffer((VIS / manifest["weights"]["file"]).read_bytes(), "<f4", tensor["count"], tensor["offset"])
    layer = LENET1998.layers[-1]
    assert isinstance(layer, EuclideanRBF)
    assert stored.tolist() == [v for bitmap in layer.prototypes for v in bitmap_values(bitmap)]
    assert read_manifest_1998()["preprocessing"] == read_manifest()["preprocessing"]


@pytest.mark.tf
@pytest.mark.slow
def test_committed_1998_export_is_not_stale() -> None:
    from lenet_explain.walkthrough.digit_models import LENET1998_MODEL

    files = weights_export.export_files(LENET1998_MODEL, ROOT, weights_export.LENET1998_NAME)
    assert weights_export.stale_files(files, VIS) == [], "run scripts/export_weights.py"


@pytest.fixture(scope="module")
def keras_model_1998() -> Any:
    """The committed 1998 network, loaded by Keras."""
    from lenet_explain.walkthrough.digit_models import LENET1998_MODEL

    return weights_export.load_keras_model(LENET1998_MODEL)


@pytest.fixture()
def vis1998(page: Any, site_url: str) -> Any:
    """The visualizer page running the 1998 network, loaded and checked."""
    return open_visualizer(page, site_url + PAGE_1998)


@pytest.mark.tf
@pytest.mark.slow
def test_1998_every_layer_equals_keras(vis1998: Any, keras_model_1998: Any,
                                       mnist_test: tuple[np.ndarray, np.ndarray]) -> None:
    from lenet_explain.walkthrough.training1998 import paper_inputs

    x_test, y_test = mnist_test
    indices = np.linspace(0, len(x_test) - 1, PARITY_DIGITS).astype(int)
    x = x_test[indices].astype(np.float32) / 255  # (N, 28, 28): what the page feeds forward()
    inputs = paper_inputs(x_test[indices])  # (N, 32, 32, 1): what Keras gets
    expected = keras_layer_outputs(keras_model_1998, inputs)
    results = vis1998.evaluate(JS_FORWARD, x.reshape(len(x), -1).tolist())
    names = [layer.name for layer in keras_model_1998.layers]
    for n, result in enumerate(results):
        assert [layer["name"] for layer in result["layers"]] == names
        assert np.abs(np.asarray(result["input"]) - inputs[n].reshape(-1)).max() <= 1e-6
        for layer in result["layers"]:
            want = expected[layer["name"]][n]
            assert layer["shape"] == list(want.shape), layer["name"]
            diff = np.abs(np.asarray(layer["values"], dtype=np.float64) - want.reshape(-1)).max()
            assert diff <= TOLERANCE, f"digit {indices[n]}, {layer['name']}: max difference {diff:.2e}"
        penalties = np.asarray(result["penalties"])
        assert np.array_equal(penalties, np.asarray(result["layers"][-1]["values"]))
        softmax = np.exp(-(penalties - penalties.min()))
        np.testing.assert_allclose(result["probabilities"], softmax / softmax.sum(), atol=1e-7)
        assert result["isF32"] and int(penalties.argmin()) == int(expected["output"][n].argmin())
    right = sum(int(np.argmin(r["penalties"])) == int(y_test[i]) for r, i in zip(results, indices, strict=True))
    assert right >= PARITY_DIGITS - 1


@pytest.mark.tf
@pytest.mark.slow
def test_1998_explained_units_follow_from_keras_weights(vis1998: Any, keras_model_1998: Any,
                                                        mnist_test: tuple[np.ndarray, np.ndarray]) -> None:
    from lenet_explain.calculator.stacks import C3_TABLE
    from lenet_explain.walkthrough.training1998 import paper_inputs

    digit = mnist_test[0][[0]]
    x = digit.astype(np.float32) / 255
    outputs = keras_layer_outputs(keras_model_1998, paper_inputs(digit))
    layers = {layer.name: (i, layer) for i, layer in enumerate(keras_model_1998.layers)}
    units = [(layers["S2"][0], 5 * 6 + 2), (layers["C3"][0], 37 * 16 + 4), (layers["C3"][0], 16 * 99 + 15),
             (layers["output"][0], 7)]
    explained = vis1998.evaluate(JS_EXPLAIN, [x.reshape(-1).tolist(), units])
    s2_in, c3_in, f6 = outputs["C1"][0], outputs["S2"][0], outputs["F6"][0]

    s2 = explained[0]  # S2 unit (row 0, column 5, map 2): the map's coefficient times the window's sum, plus bias
    coefficient, bias = layers["S2"][1].get_weights()
    window = s2_in[0:2, 10:12, 2]
    assert np.allclose(s2["window"], window.reshape(-1), atol=TOLERANCE)
    assert s2["weights"] == pytest.approx([coefficient[2]] * 4) and s2["bias"] == pytest.approx(bias[2])
    assert abs(s2["sum"] - (coefficient[2] * window.sum() + bias[2])) <= TOLERANCE
    for (li, index), e in zip(units, explained, strict=True):
        assert abs(e["value"] - outputs[keras_model_1998.layers[li].name][0].reshape(-1)[index]) <= TOLERANCE

    full = np.asarray(layers["C3"][1].full_kernel())  # (5, 5, 6, 16), zeros off Table I
    c3_bias = layers["C3"][1].get_weights()[1]
    for e, (row, col, channel) in zip(explained[1:3], [(3, 7, 4), (9, 9, 15)], strict=True):
        maps = sorted(C3_TABLE[channel])
        window = c3_in[row : row + 5, col : col + 5, maps]  # only the maps of its row of Table I
        assert (e["top"], e["left"], e["shape"]) == (row, col, [5, 5, len(maps)])
        assert np.allclose(e["window"], window.reshape(-1), atol=TOLERANCE)
        assert np.allclose(e["weights"], full[:, :, maps, channel].reshape(-1), atol=0)
        z = float((window * full[:, :, maps, channel]).sum() + c3_bias[channel])
        assert abs(e["sum"] - z) <= TOLERANCE

    rbf = explained[3]  # the output unit of the digit 7: F6 against the 7's bitmap
    prototypes = layers["output"][1].get_weights()[0]  # (10, 84)
    assert np.allclose(rbf["window"], f6, atol=TOLERANCE) and rbf["weights"] == prototypes[7].tolist()
    assert abs(rbf["sum"] - float(((f6 - prototypes[7]) ** 2).sum())) <= TOLERANCE


def keras_guess_1998(model: Any, x: np.ndarray) -> tuple[int, int, np.ndarray]:
    """The 1998 network's first and second guess (lowest penalties) for a 28×28 input in [0, 1]."""
    from lenet_explain.walkthrough.training1998 import paper_inputs

    penalties = np.asarray(model(paper_inputs(x.reshape(1, 28, 28)), training=False))[0]
    order = np.argsort(penalties)
    return int(order[0]), int(order[1]), penalties


@pytest.mark.tf
@pytest.mark.slow
def test_1998_reads_ordinary_handwriting_and_shows_penalties(vis1998: Any, keras_model_1998: Any,
                                                             screenshot: Any) -> None:
    for digit, points in HANDWRITING.items():
        vis1998.click("#lv-clear")
        pointer_stroke(vis1998, points, "pen")
        x = shown_input(vis1998)  # the page's own preprocessing (checked against Python's elsewhere)
        python_x = images.preprocess_gray(images.to_gray(pad_pixels(vis1998))).image.reshape(-1)
        assert np.abs(x - python_x).mean() <= PREPROCESS_TOLERANCE
        assert keras_guess_1998(keras_model_1998, python_x)[0] == digit  # Python reads the pad alike
        first, second, penalties = keras_guess_1998(keras_model_1998, x)  # Keras on exactly the page's input
        shown = guesses(vis1998)
        assert (shown[0], shown[2]) == (str(first), str(second)), digit
        assert shown[0] == str(digit), f"drew a {digit}, the 1998 network guessed {shown[0]} (then {shown[2]})"
        assert f"penalty {penalties[first]:.2f}" in shown[1]
        cells = vis1998.locator("#lv-layer-output .lv-penalties span").all_text_contents()
        assert [float(c.replace("−", "-")) for c in cells] == pytest.approx(penalties.tolist(), abs=0.051)
    screenshot(vis1998, "visualizer-1998-drawn-9")


def test_the_switch_chooses_the_network(vis1998: Any, screenshot: Any) -> None:
    current = "nav.lv-models a[aria-current='page']"
    assert vis1998.locator(current).get_attribute("data-lv-model") == "lenet1998"
    assert vis1998.text_content("#lv-layer-input h4") == "Input 32×32"
    titles = vis1998.locator(".lv-layer h4").all_text_contents()
    assert any("C3 · sparse convolution (Table I)" in t for t in titles)
    assert any("S2 · trainable subsampling" in t for t in titles)
    assert any(t.endswith(" · scaled tanh") for t in titles) and not any("scaled_tanh" in t for t in titles)
    assert vis1998.locator("[data-lv-for='lenet1998']:visible").count() == 2  # the page's text about this network
    assert vis1998.locator("[data-lv-for='lecture']:visible").count() == 0
    vis1998.click(".lv-example[data-example='4']")
    vis1998.hover("#lv-layer-C3 canvas.lv-cells >> nth=0", position={"x": 20, "y": 20})
    text = vis1998.text_content("#lv-inspector") or ""
    assert "maps 1, 2, 3 only (its column of the paper's Table I)" in text and "1.7159·tanh(" in text
    assert vis1998.locator("#lv-layer-S2 .lv-hl:visible").count() == 3  # only the maps C3 map 1 reads
    # Every C3 map's window and kernel slices are captioned with the S2 maps of its column of Table I.
    shown = press_keys(vis1998, "C3", ["ArrowLeft"] + ["n"] * (len(C3_TABLE) - 1))  # map 1, 2, … of C3
    for channel, (maps, inspector) in enumerate(zip(C3_TABLE, shown, strict=True)):
        numbers = [str(m + 1) for m in sorted(maps)]
        assert inspector["captions"] == numbers * 2, channel  # the window's slices, then the kernel's
        assert f"maps {', '.join(numbers)} only (its column" in inspector["text"], channel
    texts = inspector_texts(vis1998, ["C1", "S2", "C3", "S4", "C5", "F6"])
    assert not [text for text in texts if "+ −" in text]
    manifest = read_manifest_1998()
    for name, keys in (("C1", ("ArrowRight",)), ("S2", ("ArrowDown", "n", "n")), ("C3", ("n",) * 4),
                       ("F6", ("ArrowRight",) * 3), ("output", ("ArrowRight",) * 3)):
        assert check_lines(vis1998, manifest, pin(vis1998, name, keys)) >= 1
    vis1998.hover("#lv-layer-output canvas.lv-cells", position={"x": 130, "y": 10})
    assert "Penalty = Σ (x − w)² over the 84 pairs" in (vis1998.text_content("#lv-inspector") or "")
    screenshot(vis1998, "visualizer-1998-inspector")
    vis1998.click("nav.lv-models a[data-lv-model='lecture']")
    vis1998.wait_for_url("**/visualizer/")
    vis1998.wait_for_function("(document.getElementById('lv-root') || {dataset: {}}).dataset.ready === 'true'")
    assert vis1998.locator(current).get_attribute("data-lv-model") == "lecture"
    assert vis1998.text_content("#lv-layer-input h4") == "Input 28×28"
    assert vis1998.locator("[data-lv-for='lenet1998']:visible").count() == 0
    assert vis1998.locator("[data-lv-for='lecture']:visible").count() == 2
    assert vis1998.locator(".lv-penalties").count() == 0


def test_an_address_naming_an_object_property_gets_the_lecture_s_network(page: Any, site_url: str) -> None:
    """?model=constructor (or toString, __proto__) is no network's name: the lecture's loads, as for any other."""
    for name in ("constructor", "__proto__"):
        vis = open_visualizer(page, site_url + PAGE + "?model=" + name)
        assert vis.text_content("#lv-layer-input h4") == "Input 28×28"


def test_explain_refuses_a_unit_that_does_not_exist(vis: Any) -> None:
    explain = """([layer, index]) => { const x = new Float32Array(784); const r = window.lenet.forward(x);
        try { window.lenet.explain(x, r, layer, index); return 'explained'; } catch (e) { return e.message; } }"""
    assert vis.evaluate(explain, [0, 0]) == "explained"
    assert "no layer 99" in vis.evaluate(explain, [99, 0])
    assert "no layer -1" in vis.evaluate(explain, [-1, 0])
    assert "no unit 4704" in vis.evaluate(explain, [0, 28 * 28 * 6])
    assert "no unit 1.5" in vis.evaluate(explain, [0, 1.5])
